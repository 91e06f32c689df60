import { expect } from "chai";
import { readFileSync, readdirSync } from "fs";
import path from "path";
import { ethers, network } from "hardhat";
import { FunctionFragment } from "ethers";
import { SUITE_CONTRACTS } from "../../src/deploy/permissions";
import { GOVERNANCE_ROLES, ROLES } from "../../src/sdk/roles";
import {
  AchievementFuzz__factory,
  ConsortiumFuzz__factory,
  EscrowFuzz__factory,
  EscrowSelfCheck__factory,
  EvidenceFuzz__factory,
  GovAuthority__factory,
} from "../../typechain-types";

const FUZZ_SOURCES = path.resolve(__dirname, "../../contracts/fuzz");

/** Every Medusa harness, and the self-check one. */
const HARNESSES = {
  AchievementFuzz: AchievementFuzz__factory,
  ConsortiumFuzz: ConsortiumFuzz__factory,
  EscrowFuzz: EscrowFuzz__factory,
  EvidenceFuzz: EvidenceFuzz__factory,
  EscrowSelfCheck: EscrowSelfCheck__factory,
};

/** The role src/deploy/permissions.ts gives `fn` of suite contract `name`: ADMIN when it lists none. */
function expectedRole(name: string, fn: string): bigint {
  const contract = SUITE_CONTRACTS.find((c) => c.name === name);
  if (!contract) throw new Error(`${name} is not in src/deploy/permissions.ts`);
  const permission = contract.permissions.find((p) => p.functions.includes(fn));
  return permission ? ROLES[permission.role] : GOVERNANCE_ROLES.ADMIN;
}

/** A harness deploys a whole module in its constructor (20-30 M gas): more than Hardhat's default block holds. */
const HARNESS_GAS = 60_000_000;

describe("Medusa harnesses (contracts/fuzz)", function () {
  let blockGasLimit: bigint;

  before(async function () {
    blockGasLimit = (await ethers.provider.getBlock("latest"))!.gasLimit;
    await network.provider.send("evm_setBlockGasLimit", [ethers.toQuantity(HARNESS_GAS)]);
  });

  after(async function () {
    await network.provider.send("evm_setBlockGasLimit", [ethers.toQuantity(blockGasLimit)]);
  });

  it("are all checked here, as npm run fuzz discovers them", function () {
    const declared = readdirSync(FUZZ_SOURCES, { recursive: true })
      .map(String)
      .filter((file) => file.endsWith(".sol"))
      .flatMap((file) => [
        ...readFileSync(path.join(FUZZ_SOURCES, file), "utf8").matchAll(/^contract (\w+(?:Fuzz|SelfCheck)) is /gm),
      ])
      .map((m) => m[1]);
    expect(declared).to.have.members(Object.keys(HARNESSES));
  });

  for (const [name, factory] of Object.entries(HARNESSES)) {
    describe(name, function () {
      it("wires the suite contracts it deploys exactly as src/deploy/permissions.ts does", async function () {
        const [deployer] = await ethers.getSigners();
        const harness = await new factory(deployer).deploy({ gasLimit: HARNESS_GAS });
        const [authorityAddress, names, targets] = await harness.suite();
        const authority = GovAuthority__factory.connect(authorityAddress, deployer);
        expect(names.length).to.be.greaterThan(1);
        for (const [i, contractName] of names.entries()) {
          const { iface } = SUITE_CONTRACTS.find((c) => c.name === contractName) ?? {};
          if (!iface) throw new Error(`${contractName} is not in src/deploy/permissions.ts`);
          const writes = iface.fragments.filter(
            (f): f is FunctionFragment => f instanceof FunctionFragment && !f.constant,
          );
          for (const fn of writes) {
            const role = await authority.getTargetFunctionRole(targets[i], fn.selector);
            expect(role, `${contractName}.${fn.name}`).to.equal(expectedRole(contractName, fn.name));
          }
        }
      });
    });
  }
});
