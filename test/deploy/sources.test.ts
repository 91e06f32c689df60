import { expect } from "chai";
import { readFileSync, readdirSync } from "fs";
import path from "path";
import { deployments, ethers } from "hardhat";
import { AbiCoder, keccak256, toBeHex, toUtf8Bytes } from "ethers";
import { GOVERNANCE_ROLES, MEMBER_ROLES, ROLES } from "../../src/sdk/roles";
import { RolesHarness__factory, type RolesHarness } from "../../typechain-types";

const CONTRACTS = path.resolve(__dirname, "../../contracts");

function solidityFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return solidityFiles(full);
    return entry.name.endsWith(".sol") ? [full] : [];
  });
}

/** The ERC-7201 slot of namespace `id`: keccak256(abi.encode(uint256(keccak256(id)) - 1)) & ~0xff. */
function erc7201Slot(id: string): string {
  const inner = BigInt(keccak256(toUtf8Bytes(id))) - 1n;
  const outer = BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["uint256"], [inner])));
  return toBeHex(outer & ~0xffn, 32);
}

describe("Roles", function () {
  describe("constants", function () {
    let harness: RolesHarness;

    before(async function () {
      const [deployer] = await ethers.getSigners();
      harness = await new RolesHarness__factory(deployer).deploy();
    });

    it("has the same ids in Solidity as in src/sdk/roles.ts", async function () {
      for (const [name, id] of Object.entries(ROLES)) {
        const constant = harness.getFunction(name);
        expect(await constant.staticCall(), name).to.equal(id);
      }
    });

    it("names no role the TypeScript table lacks", async function () {
      const source = readFileSync(path.join(CONTRACTS, "governance/Roles.sol"), "utf8");
      const declared = [...source.matchAll(/uint64 internal constant (\w+) =/g)].map((m) => m[1]);
      const bounds = ["FIRST_MEMBER_ROLE", "LAST_MEMBER_ROLE"];
      expect(declared.filter((n) => !bounds.includes(n))).to.have.members(Object.keys(ROLES));
    });

    it("bounds the member roles exactly as the TypeScript table does", async function () {
      const ids = Object.values(MEMBER_ROLES);
      expect(await harness.FIRST_MEMBER_ROLE()).to.equal(ids.reduce((a, b) => (a < b ? a : b)));
      expect(await harness.LAST_MEMBER_ROLE()).to.equal(ids.reduce((a, b) => (a > b ? a : b)));
      for (let role = 0n; role < 24n; ++role) {
        expect(await harness.isMemberRole(role), `role ${role}`).to.equal(ids.includes(role as never));
      }
      for (const role of Object.values(GOVERNANCE_ROLES)) {
        expect(await harness.isMemberRole(role)).to.equal(false);
      }
    });
  });
});

describe("ERC-7201 storage namespaces", function () {
  const files = solidityFiles(CONTRACTS).map((file) => {
    const source = readFileSync(file, "utf8");
    return {
      file: path.relative(CONTRACTS, file),
      namespaces: [...source.matchAll(/@custom:storage-location erc7201:([\w.]+)/g)].map((m) => m[1]),
      slots: [...source.matchAll(/bytes32 private constant (\w*SLOT) =\s*(0x[0-9a-fA-F]{64});/g)].map((m) => ({
        constant: m[1],
        slot: m[2],
      })),
    };
  });
  const declarations = files
    .filter((f) => f.slots.length > 0)
    .flatMap((f) => f.slots.map((s, i) => ({ ...s, file: f.file, id: f.namespaces[i] })));

  describe("slot constants", function () {
    it("come one per namespace in every file that declares them", function () {
      for (const f of files.filter((f) => f.slots.length > 0)) {
        expect(f.slots, f.file).to.have.lengthOf(f.namespaces.length);
      }
    });

    it("include the council's, the registry's and the registry V2's", function () {
      expect(declarations.map((d) => d.id)).to.include.members([
        "govledger.storage.Council",
        "govledger.storage.MemberRegistry",
        "govledger.storage.MemberRegistryV2",
      ]);
    });

    for (const { file, constant, slot, id } of declarations) {
      it(`derive ${file} ${constant} from erc7201:${id}`, function () {
        expect(slot.toLowerCase()).to.equal(erc7201Slot(id));
      });
    }
  });

  describe("deployed storage", function () {
    it("holds the registry's member count and the council's seats where the formula says", async function () {
      await deployments.fixture();
      const registry = (await deployments.get("MemberRegistry")).address;
      const council = (await deployments.get("Council")).address;
      const registrySlot = BigInt(erc7201Slot("govledger.storage.MemberRegistry"));
      const councilSlot = BigInt(erc7201Slot("govledger.storage.Council"));
      // MemberRegistryStorage.memberCount is the first field.
      expect(BigInt(await ethers.provider.getStorage(registry, registrySlot))).to.equal(4n);
      // CouncilStorage: councillors (an AddressSet: values array + positions mapping), then threshold.
      expect(BigInt(await ethers.provider.getStorage(council, councilSlot))).to.equal(3n);
      expect(BigInt(await ethers.provider.getStorage(council, councilSlot + 2n))).to.equal(2n);
    });
  });
});
