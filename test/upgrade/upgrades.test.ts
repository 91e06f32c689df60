import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { ethers, upgrades } from "hardhat";
import { id as keccakText } from "ethers";
import { GOVERNANCE_ROLES, MEMBER_ROLES, ROLES } from "../../src/sdk/roles";
import {
  GovAuthority__factory,
  MemberRegistryV2__factory,
  type MemberRegistry,
  type MemberRegistryV2,
} from "../../typechain-types";
import { consortiumFixture, ProposalState, type Consortium } from "../helpers/consortium";
import { approveProposal, runProposal } from "../helpers/proposals";

const { NOTARY, AUDITOR, EVALUATOR } = MEMBER_ROLES;
const REASON = keccakText("reason");

/** Everything the registry and the authority know about the members, to compare across an upgrade. */
async function registryRecords(c: Consortium, registry: MemberRegistry | MemberRegistryV2, accounts: string[]) {
  const count = await registry.memberCount();
  const members = [];
  for (let id = 1n; id <= count; ++id) {
    const m = await registry.getMember(id);
    members.push({
      name: m.name,
      documentsHash: m.documentsHash,
      status: m.status,
      roles: m.roles,
      admittedAt: m.admittedAt,
      updatedAt: m.updatedAt,
      accounts: [...(await registry.accountsOf(id))],
    });
  }
  const bindings = [];
  for (const account of accounts) {
    const roles = [];
    for (const role of Object.values(ROLES)) {
      roles.push((await c.authority.hasRole(role, account))[0], await registry.hasMemberRole(account, role));
    }
    bindings.push({ account, memberId: await registry.memberOf(account), roles });
  }
  return { count, members, bindings, paused: await registry.paused() };
}

describe("Upgrades", function () {
  let c: Consortium;

  beforeEach(async function () {
    c = await consortiumFixture();
  });

  async function deployRegistryV2(): Promise<string> {
    const v2 = await new MemberRegistryV2__factory(c.deployer).deploy();
    return v2.getAddress();
  }

  function upgradeData(implementation: string): string {
    return c.registry.interface.encodeFunctionData("upgradeToAndCall", [implementation, "0x"]);
  }

  describe("MemberRegistry", function () {
    context("when the storage layout of the new version is checked", function () {
      it("accepts MemberRegistryV2, which only adds a namespace", async function () {
        await upgrades.validateUpgrade(
          await ethers.getContractFactory("MemberRegistry"),
          await ethers.getContractFactory("MemberRegistryV2"),
          { kind: "uups" },
        );
      });

      it("rejects a version that reorders the fields of the registry's namespace", async function () {
        await expect(
          upgrades.validateUpgrade(
            await ethers.getContractFactory("MemberRegistry"),
            await ethers.getContractFactory("MemberRegistryReorderedLayout"),
            { kind: "uups" },
          ),
        ).to.be.rejectedWith(/New storage layout is incompatible[\s\S]*memberCount/);
      });
    });

    context("when the council upgrades it to V2 after the upgrade delay", function () {
      it("keeps every member record, account binding, role bitmap and authority role", async function () {
        const [newcomer, second, spare] = c.outsiders;
        const registry = c.registry.interface;
        const accounts = [
          ...c.config.members.flatMap((m) => m.accounts),
          newcomer.address,
          second.address,
          spare.address,
        ];
        await runProposal(
          c,
          c.registry,
          registry.encodeFunctionData("admitMember", [
            "Provincial Evaluation Institute",
            keccakText("documents"),
            [newcomer.address, second.address],
            [NOTARY, AUDITOR],
          ]),
        );
        await runProposal(c, c.registry, registry.encodeFunctionData("grantMemberRole", [5n, EVALUATOR]));
        await runProposal(c, c.registry, registry.encodeFunctionData("suspendMember", [3n, REASON]));
        await runProposal(c, c.registry, registry.encodeFunctionData("removeMember", [2n, REASON]));
        await runProposal(c, c.registry, registry.encodeFunctionData("removeAccount", [5n, second.address]));
        await c.registry.connect(c.guardian).pause();
        const before = await registryRecords(c, c.registry, accounts);

        const implementation = await deployRegistryV2();
        const id = await approveProposal(c, c.registry, upgradeData(implementation));
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilProposalNotReady")
          .withArgs(id, (await c.council.getProposal(id)).readyAt);
        await time.increase(c.delays.upgradeDelay);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.emit(c.registry, "Upgraded")
          .withArgs(implementation);

        const v2 = MemberRegistryV2__factory.connect(await c.registry.getAddress(), c.deployer);
        expect(await v2.version()).to.equal("2.0.0");
        expect(await upgrades.erc1967.getImplementationAddress(await v2.getAddress())).to.equal(implementation);
        expect(await registryRecords(c, v2, accounts)).to.deep.equal(before);
      });

      it("runs V2's new function and the old ones under the same permissions", async function () {
        const v2 = MemberRegistryV2__factory.connect(await c.registry.getAddress(), c.deployer);
        await runProposal(c, c.registry, upgradeData(await deployRegistryV2()));
        expect(await v2.motto()).to.equal("");
        await expect(v2.connect(c.councillors[0]).setMotto("one record, trusted by all"))
          .to.be.revertedWithCustomError(v2, "AccessManagedUnauthorized")
          .withArgs(c.councillors[0].address);
        await runProposal(c, v2, v2.interface.encodeFunctionData("setMotto", ["one record, trusted by all"]));
        expect(await v2.motto()).to.equal("one record, trusted by all");
        await runProposal(c, v2, v2.interface.encodeFunctionData("grantMemberRole", [1n, EVALUATOR]));
        expect(await v2.hasMemberRole(c.councillors[0].address, EVALUATOR)).to.equal(true);
        await v2.connect(c.guardian).pause();
        expect(await v2.paused()).to.equal(true);
      });
    });

    context("when a guardian cancels the upgrade before the delay ends", function () {
      it("never upgrades the registry", async function () {
        const before = await upgrades.erc1967.getImplementationAddress(await c.registry.getAddress());
        const id = await approveProposal(c, c.registry, upgradeData(await deployRegistryV2()));
        await c.council.connect(c.guardian).cancel(id);
        await time.increase(c.delays.upgradeDelay);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilUnexpectedState")
          .withArgs(id, ProposalState.Cancelled);
        expect(await c.registry.version()).to.equal("1.0.0");
        expect(await upgrades.erc1967.getImplementationAddress(await c.registry.getAddress())).to.equal(before);
      });
    });
  });

  describe("GovAuthority", function () {
    async function deployAuthorityImplementation(): Promise<string> {
      const implementation = await new GovAuthority__factory(c.deployer).deploy();
      return implementation.getAddress();
    }

    context("when anyone calls upgradeToAndCall directly", function () {
      it("reverts with GovAuthorityUpgradeNotScheduled", async function () {
        const implementation = await deployAuthorityImplementation();
        for (const caller of [c.deployer, ...c.councillors, c.guardian, c.outsiders[0]]) {
          await expect(c.authority.connect(caller).upgradeToAndCall(implementation, "0x"))
            .to.be.revertedWithCustomError(c.authority, "GovAuthorityUpgradeNotScheduled")
            .withArgs(caller.address);
        }
      });
    });

    context("when the council upgrades it after the governance delay", function () {
      it("keeps every role and its delay", async function () {
        const council = await c.council.getAddress();
        const implementation = await deployAuthorityImplementation();
        const data = c.authority.interface.encodeFunctionData("upgradeToAndCall", [implementation, "0x"]);
        const id = await approveProposal(c, c.authority, data);
        const { readyAt, createdAt } = await c.council.getProposal(id);
        expect(readyAt - createdAt).to.be.gte(BigInt(c.delays.governanceDelay));
        await time.increase(c.delays.governanceDelay);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.emit(c.authority, "Upgraded")
          .withArgs(implementation);
        expect(await upgrades.erc1967.getImplementationAddress(await c.authority.getAddress())).to.equal(
          implementation,
        );
        expect(await c.authority.hasRole(GOVERNANCE_ROLES.ADMIN, council)).to.deep.equal([
          true,
          BigInt(c.delays.governanceDelay),
        ]);
        expect(await c.authority.hasRole(GOVERNANCE_ROLES.UPGRADER, council)).to.deep.equal([
          true,
          BigInt(c.delays.upgradeDelay),
        ]);
        expect(await c.authority.hasRole(MEMBER_ROLES.GUARDIAN, c.guardian.address)).to.deep.equal([true, 0n]);
      });
    });
  });
});
