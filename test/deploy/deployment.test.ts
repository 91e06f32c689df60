import { expect } from "chai";
import { deployments, ethers, upgrades } from "hardhat";
import { SUITE_CONTRACTS, selectorsOf } from "../../src/deploy/permissions";
import { GOVERNANCE_ROLES, MEMBER_ROLES, ROLES } from "../../src/sdk/roles";
import { EMBEDDED_DELAYS } from "../../config/networks";
import {
  GovAuthority__factory,
  IdentityRecovery__factory,
  IdentityRegistry__factory,
  MemberRegistry__factory,
} from "../../typechain-types";
import { consortiumFixture, MemberStatus, roleBitmap, type Consortium } from "../helpers/consortium";

const { ADMIN, COUNCIL, UPGRADER, MEMBER_REGISTRY, IDENTITY_RECOVERY } = GOVERNANCE_ROLES;
/** The identity and evidence modules' deployments, made before the wiring. */
const MODULE_CONTRACTS = [
  "GovForwarder",
  "IdentityRegistry",
  "IdentityRecovery",
  "ConsentRegistry",
  "EvidenceRegistry",
  "AchievementRegistry",
  "AchievementRights",
  "SettlementEscrow",
  "LicenceRegister",
  "TechContractRegister",
  "LicenceMarket",
];

describe("Deployment", function () {
  let c: Consortium;

  beforeEach(async function () {
    c = await consortiumFixture();
  });

  describe("handover", function () {
    it("leaves the deployer without any role at the authority", async function () {
      for (const role of Object.values(ROLES)) {
        expect(await c.authority.hasRole(role, c.deployer.address)).to.deep.equal([false, 0n]);
      }
    });

    it("seats the council in the governance roles with the network's delays", async function () {
      const council = await c.council.getAddress();
      expect(await c.authority.hasRole(ADMIN, council)).to.deep.equal([true, BigInt(c.delays.governanceDelay)]);
      expect(await c.authority.hasRole(COUNCIL, council)).to.deep.equal([true, 0n]);
      expect(await c.authority.hasRole(UPGRADER, council)).to.deep.equal([true, BigInt(c.delays.upgradeDelay)]);
      expect(await c.authority.hasRole(MEMBER_REGISTRY, council)).to.deep.equal([false, 0n]);
    });

    it("gives the member registry the role that administers member roles, and nothing else", async function () {
      const registry = await c.registry.getAddress();
      expect(await c.authority.hasRole(MEMBER_REGISTRY, registry)).to.deep.equal([true, 0n]);
      for (const role of [ADMIN, COUNCIL, UPGRADER]) {
        expect((await c.authority.hasRole(role, registry))[0]).to.equal(false);
      }
    });

    it("gives identity recovery, and only it, the role that resets a DID's keys", async function () {
      const recovery = (await deployments.get("IdentityRecovery")).address;
      expect(await c.authority.hasRole(IDENTITY_RECOVERY, recovery)).to.deep.equal([true, 0n]);
      for (const account of [c.deployer.address, await c.council.getAddress(), await c.registry.getAddress()]) {
        expect((await c.authority.hasRole(IDENTITY_RECOVERY, account))[0]).to.equal(false);
      }
    });

    it("makes the identity modules trust the forwarder and recovery wait the network's delay", async function () {
      const forwarder = (await deployments.get("GovForwarder")).address;
      for (const name of ["IdentityRegistry", "IdentityRecovery", "ConsentRegistry"]) {
        const module = IdentityRegistry__factory.connect((await deployments.get(name)).address, c.deployer);
        expect(await module.isTrustedForwarder(forwarder), name).to.equal(true);
      }
      const recovery = IdentityRecovery__factory.connect(
        (await deployments.get("IdentityRecovery")).address,
        c.deployer,
      );
      expect(await recovery.recoveryDelay()).to.equal(BigInt(EMBEDDED_DELAYS.recoveryDelay));
    });
  });

  describe("permissions", function () {
    it("maps every function of the permission table to its role", async function () {
      for (const contract of SUITE_CONTRACTS) {
        const target = (await deployments.get(contract.name)).address;
        for (const permission of contract.permissions) {
          for (const selector of selectorsOf(contract.iface, permission.functions)) {
            expect(
              await c.authority.getTargetFunctionRole(target, selector),
              `${contract.name} ${contract.iface.getFunction(selector)?.name}`,
            ).to.equal(ROLES[permission.role]);
          }
        }
      }
    });

    it("lets the member registry administer every member role", async function () {
      for (const role of Object.values(MEMBER_ROLES)) {
        expect(await c.authority.getRoleAdmin(role)).to.equal(MEMBER_REGISTRY);
      }
      for (const role of Object.values(GOVERNANCE_ROLES)) {
        expect(await c.authority.getRoleAdmin(role)).to.equal(ADMIN);
      }
    });

    it("makes guardians the guardians of upgrades", async function () {
      expect(await c.authority.getRoleGuardian(UPGRADER)).to.equal(MEMBER_ROLES.GUARDIAN);
    });

    it("labels every role but ADMIN", async function () {
      const events = await c.authority.queryFilter(c.authority.filters.RoleLabel());
      const labels = Object.fromEntries(events.map((e) => [e.args.label, e.args.roleId]));
      const { ADMIN: _admin, ...labelled } = ROLES;
      expect(labels).to.deep.equal(labelled);
    });

    it("keeps every suite contract open and behind its recorded implementation", async function () {
      for (const name of ["GovAuthority", "Council", "MemberRegistry"]) {
        const deployment = await deployments.get(name);
        expect(await c.authority.isTargetClosed(deployment.address)).to.equal(false);
        expect(await upgrades.erc1967.getImplementationAddress(deployment.address)).to.equal(deployment.implementation);
      }
    });
  });

  describe("founding", function () {
    it("seats the council of the consortium file", async function () {
      expect(await c.council.councillors()).to.deep.equal(c.config.council.councillors);
      expect(await c.council.threshold()).to.equal(c.config.council.threshold);
    });

    it("admits the founding members with their accounts and roles", async function () {
      expect(await c.registry.memberCount()).to.equal(BigInt(c.config.members.length));
      for (const [i, founding] of c.config.members.entries()) {
        const id = BigInt(i + 1);
        const m = await c.registry.getMember(id);
        expect(m.name).to.equal(founding.name);
        expect(m.documentsHash).to.equal(founding.documentsHash);
        expect(m.status).to.equal(MemberStatus.Active);
        expect(m.roles).to.equal(roleBitmap(founding.roles));
        expect(await c.registry.accountsOf(id)).to.deep.equal(founding.accounts);
        for (const account of founding.accounts) {
          expect(await c.registry.memberOf(account)).to.equal(id);
          for (const role of Object.values(MEMBER_ROLES)) {
            expect((await c.authority.hasRole(role, account))[0]).to.equal(founding.roles.includes(role));
          }
        }
      }
    });
  });

  describe("re-running", function () {
    context("when the deployment is complete", function () {
      it("sends no transaction and keeps every address", async function () {
        const before = await deployments.all();
        const block = await ethers.provider.getBlockNumber();
        const nonce = await ethers.provider.getTransactionCount(c.deployer.address);
        const after = await deployments.run(undefined, { resetMemory: false, writeDeploymentsToFiles: false });
        expect(await ethers.provider.getBlockNumber()).to.equal(block);
        expect(await ethers.provider.getTransactionCount(c.deployer.address)).to.equal(nonce);
        for (const name of ["GovAuthority", "Council", "MemberRegistry"]) {
          expect(after[name].address).to.equal(before[name].address);
        }
      });
    });

    context("when an earlier run stopped after admitting the founding members", function () {
      it("still takes the council role back from the deployer", async function () {
        await deployments.fixture(["WireConsortium"], { fallbackToGlobal: false });
        const [deployer] = await ethers.getSigners();
        const gov = GovAuthority__factory.connect((await deployments.get("GovAuthority")).address, deployer);
        const registry = MemberRegistry__factory.connect((await deployments.get("MemberRegistry")).address, deployer);
        await gov.grantRole(COUNCIL, deployer.address, 0);
        for (const m of c.config.members) await registry.admitMember(m.name, m.documentsHash, m.accounts, m.roles);

        await deployments.run(["consortium"], { resetMemory: false, writeDeploymentsToFiles: false });

        expect(await registry.memberCount()).to.equal(BigInt(c.config.members.length));
        expect(await gov.hasRole(COUNCIL, deployer.address)).to.deep.equal([false, 0n]);
        expect(await gov.hasRole(ADMIN, deployer.address)).to.deep.equal([false, 0n]);
      });
    });

    const wired = ["GovAuthority", "Council", "MemberRegistry", ...MODULE_CONTRACTS];
    for (const [tag, what, recorded] of [
      ["GovAuthority", "after the authority", ["GovAuthority"]],
      ["WireConsortium", "after the wiring", wired],
      ["FoundingMembers", "before the handover", wired],
    ] as const) {
      context(`when an earlier run stopped ${what}`, function () {
        it("resumes, keeping what was deployed, and completes the deployment", async function () {
          await deployments.fixture([tag], { fallbackToGlobal: false });
          const proxies = Object.keys(await deployments.all()).filter((name) => !name.includes("_"));
          expect(proxies).to.have.members([...recorded]);
          const authority = (await deployments.get("GovAuthority")).address;
          const [deployer] = await ethers.getSigners();
          const gov = GovAuthority__factory.connect(authority, deployer);
          expect((await gov.hasRole(ADMIN, deployer.address))[0]).to.equal(true);

          await deployments.run(["consortium"], { resetMemory: false, writeDeploymentsToFiles: false });

          expect((await deployments.get("GovAuthority")).address).to.equal(authority);
          const council = (await deployments.get("Council")).address;
          const registry = MemberRegistry__factory.connect((await deployments.get("MemberRegistry")).address, deployer);
          expect(await gov.hasRole(ADMIN, deployer.address)).to.deep.equal([false, 0n]);
          expect(await gov.hasRole(COUNCIL, deployer.address)).to.deep.equal([false, 0n]);
          expect(await gov.hasRole(ADMIN, council)).to.deep.equal([true, BigInt(c.delays.governanceDelay)]);
          expect(await gov.hasRole(UPGRADER, council)).to.deep.equal([true, BigInt(c.delays.upgradeDelay)]);
          expect(await gov.hasRole(MEMBER_REGISTRY, await registry.getAddress())).to.deep.equal([true, 0n]);
          expect(await registry.memberCount()).to.equal(BigInt(c.config.members.length));
          expect(await registry.hasMemberRole(c.guardian.address, MEMBER_ROLES.GUARDIAN)).to.equal(true);
          const labels = await gov.queryFilter(gov.filters.RoleLabel());
          expect(labels).to.have.lengthOf(Object.keys(ROLES).length - 1);
        });
      });
    }
  });
});
