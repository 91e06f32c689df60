import { expect } from "chai";
import fc from "fast-check";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import { consortiumFixture, ProposalState } from "../helpers/consortium";
import { propose, runProposal } from "../helpers/proposals";

type Step = { op: "approve" | "revokeApproval"; who: number };

const step: fc.Arbitrary<Step> = fc.record({
  op: fc.constantFrom("approve" as const, "revokeApproval" as const),
  who: fc.integer({ min: 0, max: 2 }),
});

describe("Council (properties)", function () {
  describe("approve and revokeApproval", function () {
    it("let a proposal run iff its distinct current approvers reach the threshold", async function () {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 0, max: 2 }),
          fc.array(step, { maxLength: 10 }),
          async (threshold, proposer, steps) => {
            const c = await consortiumFixture();
            const { council, registry, councillors } = c;
            if (threshold !== c.config.council.threshold) {
              await runProposal(c, council, council.interface.encodeFunctionData("setThreshold", [threshold]));
            }
            const newcomer = c.outsiders[0].address;
            const data = registry.interface.encodeFunctionData("admitMember", [
              "Provincial Evaluation Institute",
              "0x" + "11".repeat(32),
              [newcomer],
              [MEMBER_ROLES.EVALUATOR],
            ]);
            const id = await propose(c, registry, data, { proposer: councillors[proposer] });

            const approvers = new Set<number>([proposer]);
            let queued = approvers.size >= threshold;
            for (const { op, who } of steps) {
              const signer = councillors[who];
              const call = council.connect(signer)[op](id);
              if (queued) {
                await expect(call)
                  .to.be.revertedWithCustomError(council, "CouncilUnexpectedState")
                  .withArgs(id, ProposalState.Ready);
              } else if (op === "approve" && approvers.has(who)) {
                await expect(call)
                  .to.be.revertedWithCustomError(council, "CouncilAlreadyApproved")
                  .withArgs(id, signer.address);
              } else if (op === "revokeApproval" && !approvers.has(who)) {
                await expect(call)
                  .to.be.revertedWithCustomError(council, "CouncilNotApproved")
                  .withArgs(id, signer.address);
              } else if (op === "approve") {
                approvers.add(who);
                await expect(call).to.emit(council, "ProposalApproved").withArgs(id, signer.address, approvers.size);
                queued = approvers.size >= threshold;
              } else {
                approvers.delete(who);
                await expect(call).to.emit(council, "ApprovalRevoked").withArgs(id, signer.address, approvers.size);
              }
              expect(await council.approvals(id)).to.equal(approvers.size);
              expect(await council.state(id)).to.equal(queued ? ProposalState.Ready : ProposalState.Pending);
            }

            const execution = council.connect(councillors[0]).execute(id);
            if (approvers.size >= threshold) {
              await expect(execution).to.emit(council, "ProposalExecuted").withArgs(id, councillors[0].address);
              expect(await registry.memberOf(newcomer)).to.equal(5n);
            } else {
              await expect(execution)
                .to.be.revertedWithCustomError(council, "CouncilQuorumNotReached")
                .withArgs(id, approvers.size, threshold);
              expect(await registry.memberCount()).to.equal(4n);
            }
          },
        ),
        { numRuns: 25 },
      );
    });
  });
});
