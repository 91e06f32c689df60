import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, getAddress, id as keccakText } from "ethers";
import { GOVERNANCE_ROLES, MEMBER_ROLES } from "../../src/sdk/roles";
import type { MemberRegistry } from "../../typechain-types";
import { consortiumFixture, MemberStatus, roleBitmap, type Consortium } from "../helpers/consortium";
import { approveProposal, nextBlockTimestamp, runProposal } from "../helpers/proposals";

const { GUARDIAN, REGISTRAR, NOTARY, EVALUATOR, AUDITOR } = MEMBER_ROLES;
const DOCUMENTS = keccakText("admission documents of the Provincial Evaluation Institute");
const REASON = keccakText("audit finding 2024-17");
const NAME = "Provincial Evaluation Institute (省科技评估中心)";

describe("MemberRegistry", function () {
  let c: Consortium;
  let newcomers: HardhatEthersSigner[];
  /** Encodes a registry call for a council proposal. */
  let call: MemberRegistry["interface"]["encodeFunctionData"];

  beforeEach(async function () {
    c = await consortiumFixture();
    newcomers = c.outsiders.slice(0, 3);
    call = c.registry.interface.encodeFunctionData.bind(c.registry.interface);
  });

  /** Has the council run `data` on the registry; resolves to the execution transaction. */
  async function byCouncil(data: string) {
    return (await runProposal(c, c.registry, data)).tx;
  }

  /** Has the council approve `data` on the registry; resolves to the (pending) execution. */
  async function executionOf(data: string) {
    const id = await approveProposal(c, c.registry, data);
    return c.council.connect(c.councillors[0]).execute(id);
  }

  function admitData(accounts: string[], roles: bigint[] = [NOTARY, AUDITOR], name = NAME): string {
    return call("admitMember", [name, DOCUMENTS, accounts, roles]);
  }

  /** Admits the newcomer organisation with two accounts; returns its id. */
  async function admitNewcomer(roles: bigint[] = [NOTARY, AUDITOR]): Promise<bigint> {
    await byCouncil(admitData([newcomers[0].address, newcomers[1].address], roles));
    return c.registry.memberCount();
  }

  async function hasAuthorityRole(role: bigint, account: string): Promise<boolean> {
    return (await c.authority.hasRole(role, account))[0];
  }

  async function pause() {
    await c.registry.connect(c.guardian).pause();
  }

  describe("initialize", function () {
    it("reports version 1.0.0 under the suite's authority", async function () {
      expect(await c.registry.version()).to.equal("1.0.0");
      expect(await c.registry.authority()).to.equal(await c.authority.getAddress());
      expect(await c.registry.paused()).to.equal(false);
    });

    it("reverts with InvalidInitialization when called again", async function () {
      await expect(c.registry.initialize(c.deployer.address)).to.be.revertedWithCustomError(
        c.registry,
        "InvalidInitialization",
      );
    });
  });

  describe("admitMember", function () {
    context("when the council admits an organisation", function () {
      it("emits MemberAdmitted, then AccountAdded and MemberRoleGranted for each account and role", async function () {
        const tx = await executionOf(admitData([newcomers[0].address, newcomers[1].address]));
        await expect(tx).to.emit(c.registry, "MemberAdmitted").withArgs(5n, NAME, DOCUMENTS);
        await expect(tx).to.emit(c.registry, "AccountAdded").withArgs(5n, newcomers[0].address);
        await expect(tx).to.emit(c.registry, "AccountAdded").withArgs(5n, newcomers[1].address);
        await expect(tx).to.emit(c.registry, "MemberRoleGranted").withArgs(5n, NOTARY);
        await expect(tx).to.emit(c.registry, "MemberRoleGranted").withArgs(5n, AUDITOR);
      });

      it("records the member, its accounts and its role bitmap", async function () {
        const id = await approveProposal(c, c.registry, admitData([newcomers[0].address, newcomers[1].address]));
        const at = await nextBlockTimestamp();
        await c.council.connect(c.councillors[0]).execute(id);
        const m = await c.registry.getMember(5n);
        expect(m.name).to.equal(NAME);
        expect(m.documentsHash).to.equal(DOCUMENTS);
        expect(m.status).to.equal(MemberStatus.Active);
        expect(m.roles).to.equal(roleBitmap([NOTARY, AUDITOR]));
        expect(m.admittedAt).to.equal(at);
        expect(m.updatedAt).to.equal(at);
        expect(await c.registry.memberCount()).to.equal(5n);
        expect(await c.registry.accountsOf(5n)).to.deep.equal([newcomers[0].address, newcomers[1].address]);
        expect(await c.registry.memberOf(newcomers[1].address)).to.equal(5n);
      });

      it("grants the roles at the authority to every account", async function () {
        await admitNewcomer();
        for (const account of [newcomers[0].address, newcomers[1].address]) {
          expect(await c.authority.hasRole(NOTARY, account)).to.deep.equal([true, 0n]);
          expect(await c.authority.hasRole(AUDITOR, account)).to.deep.equal([true, 0n]);
          expect(await hasAuthorityRole(EVALUATOR, account)).to.equal(false);
          expect(await c.registry.hasMemberRole(account, NOTARY)).to.equal(true);
          expect(await c.registry.hasMemberRole(account, EVALUATOR)).to.equal(false);
        }
      });
    });

    context("when the name is empty", function () {
      it("reverts with MemberRegistryEmptyName", async function () {
        await expect(executionOf(admitData([newcomers[0].address], [NOTARY], ""))).to.be.revertedWithCustomError(
          c.registry,
          "MemberRegistryEmptyName",
        );
      });
    });

    context("when an account already acts for a member", function () {
      it("reverts with MemberRegistryAccountTaken naming the holder", async function () {
        const founding = c.councillors[1].address;
        await expect(executionOf(admitData([newcomers[0].address, founding])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryAccountTaken")
          .withArgs(founding, 2n);
      });

      it("reverts with MemberRegistryAccountTaken when an account is listed twice", async function () {
        await expect(executionOf(admitData([newcomers[0].address, newcomers[0].address])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryAccountTaken")
          .withArgs(newcomers[0].address, 5n);
      });
    });

    context("when an account is the zero address", function () {
      it("reverts with MemberRegistryInvalidAccount", async function () {
        await expect(executionOf(admitData([ZeroAddress])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryInvalidAccount")
          .withArgs(ZeroAddress);
      });
    });

    context("when a role is a governance role", function () {
      it("reverts with MemberRegistryNotMemberRole", async function () {
        await expect(executionOf(admitData([newcomers[0].address], [NOTARY, GOVERNANCE_ROLES.COUNCIL])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryNotMemberRole")
          .withArgs(GOVERNANCE_ROLES.COUNCIL);
      });
    });

    context("when a role is listed twice", function () {
      it("reverts with MemberRegistryRoleAlreadyGranted", async function () {
        await expect(executionOf(admitData([newcomers[0].address], [NOTARY, NOTARY])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryRoleAlreadyGranted")
          .withArgs(5n, NOTARY);
      });
    });

    context("when the organisation has more accounts than allowed", function () {
      it("reverts with MemberRegistryTooManyAccounts", async function () {
        const max = await c.registry.MAX_ACCOUNTS();
        const accounts = Array.from({ length: Number(max) + 1 }, (_, i) =>
          getAddress("0x" + (0xacc00000n + BigInt(i)).toString(16).padStart(40, "0")),
        );
        await expect(executionOf(admitData(accounts)))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryTooManyAccounts")
          .withArgs(5n, max);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await pause();
        await expect(executionOf(admitData([newcomers[0].address]))).to.be.revertedWithCustomError(
          c.registry,
          "EnforcedPause",
        );
      });
    });
  });

  describe("suspendMember", function () {
    context("when the council suspends an active member", function () {
      it("emits MemberSuspended", async function () {
        const id = await admitNewcomer();
        await expect(executionOf(call("suspendMember", [id, REASON])))
          .to.emit(c.registry, "MemberSuspended")
          .withArgs(id, REASON);
      });

      it("withdraws its roles at the authority and keeps its bitmap", async function () {
        const id = await admitNewcomer();
        await byCouncil(call("suspendMember", [id, REASON]));
        const m = await c.registry.getMember(id);
        expect(m.status).to.equal(MemberStatus.Suspended);
        expect(m.roles).to.equal(roleBitmap([NOTARY, AUDITOR]));
        for (const account of [newcomers[0].address, newcomers[1].address]) {
          for (const role of [NOTARY, AUDITOR]) {
            expect(await hasAuthorityRole(role, account)).to.equal(false);
            expect(await c.registry.hasMemberRole(account, role)).to.equal(false);
          }
        }
      });
    });

    context("when the registry is paused", function () {
      it("still suspends, so a compromised member can be stopped in an emergency", async function () {
        const id = await admitNewcomer();
        await pause();
        await expect(executionOf(call("suspendMember", [id, REASON])))
          .to.emit(c.registry, "MemberSuspended")
          .withArgs(id, REASON);
        expect(await hasAuthorityRole(NOTARY, newcomers[0].address)).to.equal(false);
      });
    });

    context("when the member is already suspended", function () {
      it("reverts with MemberRegistryUnexpectedStatus", async function () {
        const id = await admitNewcomer();
        await byCouncil(call("suspendMember", [id, REASON]));
        await expect(executionOf(call("suspendMember", [id, REASON])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryUnexpectedStatus")
          .withArgs(id, MemberStatus.Suspended);
      });
    });

    context("when the member does not exist", function () {
      it("reverts with MemberRegistryUnknownMember", async function () {
        await expect(executionOf(call("suspendMember", [99n, REASON])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryUnknownMember")
          .withArgs(99n);
      });
    });
  });

  describe("reinstateMember", function () {
    context("when the council reinstates a suspended member", function () {
      it("emits MemberReinstated and gives its roles back at the authority", async function () {
        const id = await admitNewcomer();
        await byCouncil(call("suspendMember", [id, REASON]));
        await expect(executionOf(call("reinstateMember", [id])))
          .to.emit(c.registry, "MemberReinstated")
          .withArgs(id);
        expect((await c.registry.getMember(id)).status).to.equal(MemberStatus.Active);
        for (const account of [newcomers[0].address, newcomers[1].address]) {
          expect(await c.authority.hasRole(NOTARY, account)).to.deep.equal([true, 0n]);
          expect(await c.registry.hasMemberRole(account, AUDITOR)).to.equal(true);
        }
      });
    });

    context("when the member is active", function () {
      it("reverts with MemberRegistryUnexpectedStatus", async function () {
        await expect(executionOf(call("reinstateMember", [1n])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryUnexpectedStatus")
          .withArgs(1n, MemberStatus.Active);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const id = await admitNewcomer();
        await byCouncil(call("suspendMember", [id, REASON]));
        await pause();
        await expect(executionOf(call("reinstateMember", [id]))).to.be.revertedWithCustomError(
          c.registry,
          "EnforcedPause",
        );
      });
    });
  });

  describe("removeMember", function () {
    context("when the council removes an active member", function () {
      it("emits MemberRemoved, withdraws its roles and keeps its record", async function () {
        const id = await admitNewcomer();
        await expect(executionOf(call("removeMember", [id, REASON])))
          .to.emit(c.registry, "MemberRemoved")
          .withArgs(id, REASON);
        const m = await c.registry.getMember(id);
        expect(m.status).to.equal(MemberStatus.Removed);
        expect(m.name).to.equal(NAME);
        expect(m.roles).to.equal(roleBitmap([NOTARY, AUDITOR]));
        expect(await c.registry.accountsOf(id)).to.deep.equal([newcomers[0].address, newcomers[1].address]);
        expect(await hasAuthorityRole(NOTARY, newcomers[0].address)).to.equal(false);
        expect(await c.registry.hasMemberRole(newcomers[1].address, AUDITOR)).to.equal(false);
      });
    });

    context("when the member is suspended", function () {
      it("removes it", async function () {
        const id = await admitNewcomer();
        await byCouncil(call("suspendMember", [id, REASON]));
        await byCouncil(call("removeMember", [id, REASON]));
        expect((await c.registry.getMember(id)).status).to.equal(MemberStatus.Removed);
        expect(await hasAuthorityRole(NOTARY, newcomers[0].address)).to.equal(false);
      });
    });

    context("when the member was removed", function () {
      it("reverts with MemberRegistryUnexpectedStatus, and so do its changes", async function () {
        const id = await admitNewcomer();
        await byCouncil(call("removeMember", [id, REASON]));
        for (const data of [
          call("removeMember", [id, REASON]),
          call("reinstateMember", [id]),
          call("grantMemberRole", [id, EVALUATOR]),
          call("revokeMemberRole", [id, NOTARY]),
          call("updateDocuments", [id, REASON]),
          call("addAccount", [id, newcomers[2].address]),
        ]) {
          await expect(executionOf(data))
            .to.be.revertedWithCustomError(c.registry, "MemberRegistryUnexpectedStatus")
            .withArgs(id, MemberStatus.Removed);
        }
      });
    });
  });

  describe("updateDocuments", function () {
    context("when the council replaces a member's documents hash", function () {
      it("emits MemberDocumentsUpdated and stores the hash", async function () {
        const id = await approveProposal(c, c.registry, call("updateDocuments", [1n, REASON]));
        const at = await nextBlockTimestamp();
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.emit(c.registry, "MemberDocumentsUpdated")
          .withArgs(1n, REASON);
        const m = await c.registry.getMember(1n);
        expect(m.documentsHash).to.equal(REASON);
        expect(m.updatedAt).to.equal(at);
      });
    });

    context("when the member does not exist", function () {
      it("reverts with MemberRegistryUnknownMember", async function () {
        await expect(executionOf(call("updateDocuments", [0n, REASON])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryUnknownMember")
          .withArgs(0n);
      });
    });
  });

  describe("grantMemberRole", function () {
    context("when the council grants a role to an active member", function () {
      it("emits MemberRoleGranted and grants it to every account at the authority", async function () {
        const id = await admitNewcomer();
        await expect(executionOf(call("grantMemberRole", [id, EVALUATOR])))
          .to.emit(c.registry, "MemberRoleGranted")
          .withArgs(id, EVALUATOR);
        expect((await c.registry.getMember(id)).roles).to.equal(roleBitmap([NOTARY, AUDITOR, EVALUATOR]));
        for (const account of [newcomers[0].address, newcomers[1].address]) {
          expect(await c.authority.hasRole(EVALUATOR, account)).to.deep.equal([true, 0n]);
          expect(await c.registry.hasMemberRole(account, EVALUATOR)).to.equal(true);
        }
      });
    });

    context("when the member already holds the role", function () {
      it("reverts with MemberRegistryRoleAlreadyGranted", async function () {
        await expect(executionOf(call("grantMemberRole", [1n, REGISTRAR])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryRoleAlreadyGranted")
          .withArgs(1n, REGISTRAR);
      });
    });

    for (const role of [GOVERNANCE_ROLES.ADMIN, GOVERNANCE_ROLES.COUNCIL, GOVERNANCE_ROLES.MEMBER_REGISTRY, 18n]) {
      context(`when the role ${role} is not a member role`, function () {
        it("reverts with MemberRegistryNotMemberRole", async function () {
          await expect(executionOf(call("grantMemberRole", [1n, role])))
            .to.be.revertedWithCustomError(c.registry, "MemberRegistryNotMemberRole")
            .withArgs(role);
        });
      });
    }

    context("when the member is suspended", function () {
      it("reverts with MemberRegistryUnexpectedStatus", async function () {
        const id = await admitNewcomer();
        await byCouncil(call("suspendMember", [id, REASON]));
        await expect(executionOf(call("grantMemberRole", [id, EVALUATOR])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryUnexpectedStatus")
          .withArgs(id, MemberStatus.Suspended);
      });
    });

    context("when the member does not exist", function () {
      it("reverts with MemberRegistryUnknownMember", async function () {
        await expect(executionOf(call("grantMemberRole", [5n, EVALUATOR])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryUnknownMember")
          .withArgs(5n);
      });
    });
  });

  describe("revokeMemberRole", function () {
    context("when the council revokes a role of an active member", function () {
      it("emits MemberRoleRevoked and revokes it from every account at the authority", async function () {
        const id = await admitNewcomer();
        await expect(executionOf(call("revokeMemberRole", [id, NOTARY])))
          .to.emit(c.registry, "MemberRoleRevoked")
          .withArgs(id, NOTARY);
        expect((await c.registry.getMember(id)).roles).to.equal(roleBitmap([AUDITOR]));
        for (const account of [newcomers[0].address, newcomers[1].address]) {
          expect(await hasAuthorityRole(NOTARY, account)).to.equal(false);
          expect(await hasAuthorityRole(AUDITOR, account)).to.equal(true);
        }
      });
    });

    context("when the member is suspended", function () {
      it("drops the role from the bitmap so reinstating does not restore it", async function () {
        const id = await admitNewcomer();
        await byCouncil(call("suspendMember", [id, REASON]));
        await byCouncil(call("revokeMemberRole", [id, NOTARY]));
        await byCouncil(call("reinstateMember", [id]));
        expect(await hasAuthorityRole(NOTARY, newcomers[0].address)).to.equal(false);
        expect(await hasAuthorityRole(AUDITOR, newcomers[0].address)).to.equal(true);
      });
    });

    context("when the member does not hold the role", function () {
      it("reverts with MemberRegistryRoleNotGranted", async function () {
        await expect(executionOf(call("revokeMemberRole", [1n, NOTARY])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryRoleNotGranted")
          .withArgs(1n, NOTARY);
      });
    });
  });

  describe("addAccount", function () {
    context("when the council adds an account to an active member", function () {
      it("emits AccountAdded and grants the member's roles to it", async function () {
        const id = await admitNewcomer();
        const account = newcomers[2].address;
        await expect(executionOf(call("addAccount", [id, account])))
          .to.emit(c.registry, "AccountAdded")
          .withArgs(id, account);
        expect(await c.registry.memberOf(account)).to.equal(id);
        expect(await c.registry.accountsOf(id)).to.have.lengthOf(3);
        expect(await c.authority.hasRole(NOTARY, account)).to.deep.equal([true, 0n]);
        expect(await c.authority.hasRole(AUDITOR, account)).to.deep.equal([true, 0n]);
      });
    });

    context("when the member is suspended", function () {
      it("grants the roles to the account only on reinstatement", async function () {
        const id = await admitNewcomer();
        const account = newcomers[2].address;
        await byCouncil(call("suspendMember", [id, REASON]));
        await byCouncil(call("addAccount", [id, account]));
        expect(await hasAuthorityRole(NOTARY, account)).to.equal(false);
        await byCouncil(call("reinstateMember", [id]));
        expect(await hasAuthorityRole(NOTARY, account)).to.equal(true);
      });
    });

    context("when the account acts for another member", function () {
      it("reverts with MemberRegistryAccountTaken", async function () {
        const id = await admitNewcomer();
        await expect(executionOf(call("addAccount", [id, c.guardian.address])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryAccountTaken")
          .withArgs(c.guardian.address, 4n);
      });
    });

    context("when the account is the zero address", function () {
      it("reverts with MemberRegistryInvalidAccount", async function () {
        await expect(executionOf(call("addAccount", [1n, ZeroAddress])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryInvalidAccount")
          .withArgs(ZeroAddress);
      });
    });

    context("when the member already has the most accounts allowed", function () {
      it("reverts with MemberRegistryTooManyAccounts", async function () {
        const max = await c.registry.MAX_ACCOUNTS();
        const accounts = Array.from({ length: Number(max) + 1 }, (_, i) =>
          getAddress("0x" + (0xacc00000n + BigInt(i)).toString(16).padStart(40, "0")),
        );
        await byCouncil(admitData(accounts.slice(0, Number(max))));
        await expect(executionOf(call("addAccount", [5n, accounts[Number(max)]])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryTooManyAccounts")
          .withArgs(5n, max);
      });
    });
  });

  describe("removeAccount", function () {
    context("when the council removes an account of an active member", function () {
      it("emits AccountRemoved and revokes the roles from that account only", async function () {
        const id = await admitNewcomer();
        await expect(executionOf(call("removeAccount", [id, newcomers[0].address])))
          .to.emit(c.registry, "AccountRemoved")
          .withArgs(id, newcomers[0].address);
        expect(await c.registry.memberOf(newcomers[0].address)).to.equal(0n);
        expect(await c.registry.accountsOf(id)).to.deep.equal([newcomers[1].address]);
        expect(await hasAuthorityRole(NOTARY, newcomers[0].address)).to.equal(false);
        expect(await c.registry.hasMemberRole(newcomers[0].address, NOTARY)).to.equal(false);
        expect(await hasAuthorityRole(NOTARY, newcomers[1].address)).to.equal(true);
      });

      it("frees the account to act for another member", async function () {
        const id = await admitNewcomer();
        await byCouncil(call("removeAccount", [id, newcomers[0].address]));
        await byCouncil(call("addAccount", [3n, newcomers[0].address]));
        expect(await c.registry.memberOf(newcomers[0].address)).to.equal(3n);
        expect(await hasAuthorityRole(NOTARY, newcomers[0].address)).to.equal(false);
        expect(await hasAuthorityRole(MEMBER_ROLES.TRADING_CENTRE, newcomers[0].address)).to.equal(true);
      });
    });

    context("when the account does not act for the member", function () {
      it("reverts with MemberRegistryNotMemberAccount", async function () {
        await expect(executionOf(call("removeAccount", [1n, c.guardian.address])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryNotMemberAccount")
          .withArgs(1n, c.guardian.address);
      });
    });

    context("when the member does not exist", function () {
      it("reverts with MemberRegistryUnknownMember", async function () {
        await expect(executionOf(call("removeAccount", [9n, c.guardian.address])))
          .to.be.revertedWithCustomError(c.registry, "MemberRegistryUnknownMember")
          .withArgs(9n);
      });
    });
  });

  describe("pause", function () {
    context("when a guardian pauses the registry", function () {
      it("emits Paused", async function () {
        await expect(c.registry.connect(c.guardian).pause()).to.emit(c.registry, "Paused").withArgs(c.guardian.address);
        expect(await c.registry.paused()).to.equal(true);
      });

      it("stops every council change but suspension", async function () {
        await pause();
        for (const data of [
          call("reinstateMember", [1n]),
          call("removeMember", [1n, REASON]),
          call("updateDocuments", [1n, REASON]),
          call("grantMemberRole", [1n, EVALUATOR]),
          call("revokeMemberRole", [1n, REGISTRAR]),
          call("addAccount", [1n, newcomers[0].address]),
          call("removeAccount", [1n, c.councillors[0].address]),
        ]) {
          await expect(executionOf(data)).to.be.revertedWithCustomError(c.registry, "EnforcedPause");
        }
      });

      it("keeps every read working", async function () {
        await pause();
        expect(await c.registry.memberCount()).to.equal(4n);
        expect((await c.registry.getMember(4n)).roles).to.equal(roleBitmap([GUARDIAN]));
        expect(await c.registry.accountsOf(4n)).to.deep.equal([c.guardian.address]);
        expect(await c.registry.memberOf(c.guardian.address)).to.equal(4n);
        expect(await c.registry.hasMemberRole(c.councillors[1].address, NOTARY)).to.equal(true);
      });
    });

    context("when the registry is already paused", function () {
      it("reverts with EnforcedPause", async function () {
        await pause();
        await expect(c.registry.connect(c.guardian).pause()).to.be.revertedWithCustomError(c.registry, "EnforcedPause");
      });
    });

    context("when the caller is not a guardian", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        for (const caller of [c.deployer, c.councillors[0], c.outsiders[0]]) {
          await expect(c.registry.connect(caller).pause())
            .to.be.revertedWithCustomError(c.registry, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
      });
    });

    context("when the guardian's member is suspended", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        await byCouncil(call("suspendMember", [4n, REASON]));
        await expect(c.registry.connect(c.guardian).pause())
          .to.be.revertedWithCustomError(c.registry, "AccessManagedUnauthorized")
          .withArgs(c.guardian.address);
      });
    });
  });

  describe("unpause", function () {
    context("when the council unpauses the registry", function () {
      it("emits Unpaused and the council's changes work again", async function () {
        await pause();
        await expect(executionOf(call("unpause")))
          .to.emit(c.registry, "Unpaused")
          .withArgs(await c.authority.getAddress());
        expect(await c.registry.paused()).to.equal(false);
        await byCouncil(call("grantMemberRole", [1n, EVALUATOR]));
        expect(await c.registry.hasMemberRole(c.councillors[0].address, EVALUATOR)).to.equal(true);
      });
    });

    context("when a guardian calls it", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        await pause();
        await expect(c.registry.connect(c.guardian).unpause())
          .to.be.revertedWithCustomError(c.registry, "AccessManagedUnauthorized")
          .withArgs(c.guardian.address);
      });
    });

    context("when the registry is not paused", function () {
      it("reverts with ExpectedPause", async function () {
        await expect(executionOf(call("unpause"))).to.be.revertedWithCustomError(c.registry, "ExpectedPause");
      });
    });
  });

  describe("reads", function () {
    context("when the member does not exist", function () {
      it("reverts with MemberRegistryUnknownMember", async function () {
        for (const id of [0n, 5n]) {
          await expect(c.registry.getMember(id))
            .to.be.revertedWithCustomError(c.registry, "MemberRegistryUnknownMember")
            .withArgs(id);
          await expect(c.registry.accountsOf(id))
            .to.be.revertedWithCustomError(c.registry, "MemberRegistryUnknownMember")
            .withArgs(id);
        }
      });
    });

    context("when the account acts for no member", function () {
      it("reports member 0 and no role", async function () {
        expect(await c.registry.memberOf(newcomers[0].address)).to.equal(0n);
        expect(await c.registry.hasMemberRole(newcomers[0].address, NOTARY)).to.equal(false);
      });
    });

    context("when asked for a governance role", function () {
      it("reports false even for an active member", async function () {
        for (const role of Object.values(GOVERNANCE_ROLES)) {
          expect(await c.registry.hasMemberRole(c.councillors[0].address, role)).to.equal(false);
        }
      });
    });
  });

  describe("restricted functions", function () {
    const writes: [string, (c: Consortium, caller: HardhatEthersSigner) => Promise<unknown>][] = [
      ["admitMember", (c, s) => c.registry.connect(s).admitMember(NAME, DOCUMENTS, [s.address], [NOTARY])],
      ["suspendMember", (c, s) => c.registry.connect(s).suspendMember(1n, REASON)],
      ["reinstateMember", (c, s) => c.registry.connect(s).reinstateMember(1n)],
      ["removeMember", (c, s) => c.registry.connect(s).removeMember(1n, REASON)],
      ["updateDocuments", (c, s) => c.registry.connect(s).updateDocuments(1n, REASON)],
      ["grantMemberRole", (c, s) => c.registry.connect(s).grantMemberRole(1n, EVALUATOR)],
      ["revokeMemberRole", (c, s) => c.registry.connect(s).revokeMemberRole(1n, REGISTRAR)],
      ["addAccount", (c, s) => c.registry.connect(s).addAccount(1n, s.address)],
      ["removeAccount", (c, s) => c.registry.connect(s).removeAccount(1n, c.councillors[0].address)],
      ["upgradeToAndCall", (c, s) => c.registry.connect(s).upgradeToAndCall(c.registry, "0x")],
    ];

    for (const [name, write] of writes) {
      context(`when anyone calls ${name} directly`, function () {
        it("reverts with AccessManagedUnauthorized, for the deployer after the handover too", async function () {
          for (const caller of [c.deployer, c.councillors[0], c.guardian, c.outsiders[0]]) {
            await expect(write(c, caller))
              .to.be.revertedWithCustomError(c.registry, "AccessManagedUnauthorized")
              .withArgs(caller.address);
          }
        });
      });
    }
  });

  describe("timestamps", function () {
    it("moves updatedAt on every change and keeps admittedAt", async function () {
      const id = await admitNewcomer();
      const { admittedAt } = await c.registry.getMember(id);
      await time.increase(3600);
      await byCouncil(call("grantMemberRole", [id, EVALUATOR]));
      const m = await c.registry.getMember(id);
      expect(m.admittedAt).to.equal(admittedAt);
      expect(m.updatedAt).to.equal(await time.latest());
    });
  });

  describe("hasMemberRole", function () {
    it("agrees with the authority for the founding members", async function () {
      for (const member of c.config.members) {
        for (const role of Object.values(MEMBER_ROLES)) {
          const expected = member.roles.includes(role);
          expect(await c.registry.hasMemberRole(member.accounts[0], role)).to.equal(expected);
          expect(await hasAuthorityRole(role, member.accounts[0])).to.equal(expected);
        }
      }
      expect(await c.registry.hasMemberRole(ZeroAddress, GUARDIAN)).to.equal(false);
    });
  });
});
