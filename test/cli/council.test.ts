import { expect } from "chai";
import { ethers } from "hardhat";
import { KEYS, NETWORK, consortium, govledger, govledgerJson, refuses, succeeds } from "./harness";

/** Hardhat's account #9: no role anywhere in the founding consortium. */
const NEWCOMER = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
const DOCUMENTS = `0x${"ab".repeat(32)}`;

const ADMIT = [
  "council",
  "propose",
  "admit-member",
  "--name",
  "Provincial Audit Bureau",
  "--account",
  NEWCOMER,
  "--role",
  "auditor",
  "evaluator",
  "--documents-hash",
  DOCUMENTS,
];

interface Proposed {
  id: string;
  description: string;
  queued: unknown;
  transactionHash: string;
}

describe("govledger council (CLI)", function () {
  beforeEach(async function () {
    await consortium();
  });

  describe("a member admitted through the council", function () {
    it("is proposed by one councillor, approved by another, executed and then shown", async function () {
      const proposed = await govledgerJson<Proposed>(ADMIT, KEYS.councillor1);
      expect(proposed).to.include({ id: "1", description: "Admit Provincial Audit Bureau (AUDITOR, EVALUATOR)" });
      expect(proposed.queued).to.equal(null);
      expect(proposed.transactionHash).to.match(/^0x[0-9a-f]{64}$/);

      const approved = await succeeds(["council", "approve", "1"], KEYS.councillor2);
      expect(approved).to.match(/^approved proposal 1: 2\/2 approvals$/m);
      expect(approved).to.match(/^queued: may run from \d{4}-\d\d-\d\dT/m);

      const executed = await succeeds(["council", "execute", "1"], KEYS.councillor1);
      expect(executed).to.match(/^executed proposal 1$/m);
      expect(executed).to.include('MemberRegistry.MemberAdmitted(memberId=5, name="Provincial Audit Bureau"');
      expect(executed).to.include("Council.ProposalExecuted(id=1");

      const shown = await succeeds(["members", "show", "5"]);
      expect(shown).to.match(/^name\s+Provincial Audit Bureau$/m);
      expect(shown).to.match(/^status\s+Active$/m);
      expect(shown).to.match(/^roles\s+evaluator, auditor$/m);
      expect(shown).to.match(new RegExp(`^accounts\\s+${NEWCOMER}$`, "m"));
      expect(await succeeds(["members", "show", NEWCOMER.toLowerCase()])).to.equal(shown);
    });

    it("reports members, proposals and the deployment as JSON with bigints as decimal strings", async function () {
      await govledger(ADMIT, KEYS.councillor1);
      await govledger(["council", "approve", "1"], KEYS.councillor2);
      await govledger(["council", "execute", "1"], KEYS.councillor3);

      const member = await govledgerJson(["members", "show", "5"]);
      expect(member).to.include({
        id: "5",
        name: "Provincial Audit Bureau",
        status: "Active",
        documentsHash: DOCUMENTS,
      });
      expect(member.roles).to.deep.equal(["evaluator", "auditor"]);
      expect(member.accounts).to.deep.equal([NEWCOMER]);
      expect(member.admittedAt).to.match(/^\d+$/);

      const list = await govledgerJson<{ id: string }[]>(["members", "list"]);
      expect(list.map((m) => m.id)).to.deep.equal(["1", "2", "3", "4", "5"]);

      const proposal = await govledgerJson(["council", "show", "1"]);
      expect(proposal).to.include({ id: "1", state: "Executed", approvals: "2", threshold: "2" });
      expect(proposal.call).to.deep.include({ function: "admitMember" });
      expect(proposal.approvers).to.deep.equal([
        new ethers.Wallet(KEYS.councillor1).address,
        new ethers.Wallet(KEYS.councillor2).address,
      ]);

      const status = await govledgerJson(["council", "status"]);
      expect(status).to.deep.include({ threshold: "2", proposals: "1" });
      expect(status.councillors).to.have.lengthOf(3);

      const deployment = await govledgerJson(["deployment"]);
      expect(deployment).to.include({ network: NETWORK, chainId: "31337" });
      expect(Object.keys(deployment.contracts as object)).to.include.members(["Council", "MemberRegistry"]);
    });

    it("shows a pending proposal's decoded call, approvals and ready time in words", async function () {
      await govledger(ADMIT, KEYS.councillor1);
      const shown = await succeeds(["council", "show", "1"]);
      expect(shown).to.match(/^state\s+Pending$/m);
      expect(shown).to.match(/^approvals\s+1\/2$/m);
      expect(shown).to.match(/^call\s+admitMember\(name="Provincial Audit Bureau", documentsHash=0xabab/m);
      expect(shown).to.match(/^ready at\s+not yet \(needs 2 approvals\)$/m);
      const table = await succeeds(["council", "proposals"]);
      expect(table.split("\n")).to.have.lengthOf(2);
      expect(table).to.match(/^1\s+Pending\s+1\/2\s+MemberRegistry\s+Admit Provincial Audit Bureau/m);
    });

    it("withdraws an approval and cancels a pending proposal", async function () {
      await govledger(ADMIT, KEYS.councillor1);
      const revoked = await succeeds(["council", "revoke-approval", "1"], KEYS.councillor1);
      expect(revoked).to.match(/^withdrew approval of proposal 1: 0 approvals left$/m);
      expect(await succeeds(["council", "cancel", "1"], KEYS.councillor1)).to.match(/^cancelled proposal 1$/m);
      expect((await govledgerJson(["council", "show", "1"])).state).to.equal("Cancelled");
    });

    it("queues a change of who governs behind the governance delay", async function () {
      const proposed = await govledgerJson<Proposed>(["council", "propose", "set-threshold", "3"], KEYS.councillor1);
      const approved = await succeeds(["council", "approve", proposed.id], KEYS.councillor2);
      expect(approved).to.match(/queued: may run from .* \(delayed by the authority/);
      await refuses(
        () => govledger(["council", "execute", proposed.id], KEYS.councillor1),
        /^govledger: CouncilProposalNotReady: proposal 1 may run from .* — Wait until the time shown/,
      );
    });
  });

  describe("a guardian's pause", function () {
    it("stops the member registry: executing an admission is refused with EnforcedPause, reads go on", async function () {
      await govledger(ADMIT, KEYS.councillor1);
      await govledger(["council", "approve", "1"], KEYS.councillor2);
      expect(await succeeds(["guardian", "pause", "memberregistry"], KEYS.guardian)).to.match(
        /^paused MemberRegistry$/m,
      );

      await refuses(
        () => govledger(["council", "execute", "1"], KEYS.councillor1),
        /^govledger: EnforcedPause: the module is paused — Wait for the council to unpause it\.$/,
      );
      expect(await succeeds(["members", "list"])).to.include("Consortium Security Office");
      await refuses(
        () => govledger(["guardian", "pause", "MemberRegistry"], KEYS.guardian),
        /^govledger: MemberRegistry is already paused: nothing to do$/,
      );
    });

    it("lets the guardian cancel a queued proposal", async function () {
      await govledger(ADMIT, KEYS.councillor1);
      await govledger(["council", "approve", "1"], KEYS.councillor2);
      expect(await succeeds(["guardian", "cancel", "1"], KEYS.guardian)).to.match(/^cancelled proposal 1$/m);
      await refuses(
        () => govledger(["council", "execute", "1"], KEYS.councillor1),
        /^govledger: CouncilUnexpectedState: proposal 1 is Cancelled — /,
      );
    });
  });
});
