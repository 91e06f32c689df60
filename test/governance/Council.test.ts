import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { ZeroAddress, ZeroHash, getAddress, id as keccakText } from "ethers";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import { MemberRegistryV2__factory } from "../../typechain-types";
import { consortiumFixture, MemberStatus, ProposalState, type Consortium } from "../helpers/consortium";
import { approveProposal, nextBlockTimestamp, propose, runProposal, waitUntilReady } from "../helpers/proposals";

describe("Council", function () {
  let c: Consortium;
  const DOCUMENTS = keccakText("admission documents of the Provincial Evaluation Institute");

  beforeEach(async function () {
    c = await consortiumFixture();
  });

  /** A council decision (COUNCIL role, no delay): admitting an evaluator with one account. */
  function admitData(account: string, name = "Provincial Evaluation Institute"): string {
    return c.registry.interface.encodeFunctionData("admitMember", [
      name,
      DOCUMENTS,
      [account],
      [MEMBER_ROLES.EVALUATOR],
    ]);
  }

  /** An upgrade of the member registry (UPGRADER role, upgrade delay). */
  async function upgradeData(): Promise<string> {
    const v2 = await new MemberRegistryV2__factory(c.deployer).deploy();
    return c.registry.interface.encodeFunctionData("upgradeToAndCall", [await v2.getAddress(), "0x"]);
  }

  /** A change of who governs (ADMIN role, governance delay). */
  function addCouncillorData(account: string): string {
    return c.council.interface.encodeFunctionData("addCouncillor", [account]);
  }

  async function operationId(target: string, data: string): Promise<string> {
    return c.authority.hashOperation(await c.council.getAddress(), target, data);
  }

  describe("initialize", function () {
    it("seats the councillors and the threshold of the consortium file", async function () {
      expect(await c.council.councillors()).to.deep.equal(c.config.council.councillors);
      expect(await c.council.threshold()).to.equal(c.config.council.threshold);
      expect(await c.council.proposalCount()).to.equal(0n);
      expect(await c.council.version()).to.equal("1.0.0");
      expect(await c.council.authority()).to.equal(await c.authority.getAddress());
    });

    it("reverts with InvalidInitialization when called again", async function () {
      await expect(c.council.initialize(c.deployer.address, [c.deployer.address], 1)).to.be.revertedWithCustomError(
        c.council,
        "InvalidInitialization",
      );
    });
  });

  describe("propose", function () {
    context("when a councillor proposes a council decision", function () {
      it("emits ProposalCreated with the call and its description", async function () {
        const [a] = c.councillors;
        const data = admitData(c.outsiders[0].address);
        await expect(c.council.connect(a).propose(c.registry, data, "admit the evaluation institute"))
          .to.emit(c.council, "ProposalCreated")
          .withArgs(1n, a.address, await c.registry.getAddress(), data, "admit the evaluation institute");
      });

      it("emits ProposalApproved counting the proposer's approval", async function () {
        const [a] = c.councillors;
        await expect(c.council.connect(a).propose(c.registry, admitData(c.outsiders[0].address), ""))
          .to.emit(c.council, "ProposalApproved")
          .withArgs(1n, a.address, 1n)
          .and.not.to.emit(c.council, "ProposalQueued");
      });

      it("stores the pending proposal with the proposer's approval", async function () {
        const [a, b] = c.councillors;
        const data = admitData(c.outsiders[0].address);
        const at = await nextBlockTimestamp();
        await c.council.connect(a).propose(c.registry, data, "admit");
        const p = await c.council.getProposal(1n);
        expect(p.target).to.equal(await c.registry.getAddress());
        expect(p.proposer).to.equal(a.address);
        expect(p.createdAt).to.equal(at);
        expect(p.readyAt).to.equal(0n);
        expect(p.scheduled).to.equal(false);
        expect(p.executed).to.equal(false);
        expect(p.cancelled).to.equal(false);
        expect(p.data).to.equal(data);
        expect(p.description).to.equal("admit");
        expect(await c.council.state(1n)).to.equal(ProposalState.Pending);
        expect(await c.council.approvals(1n)).to.equal(1n);
        expect(await c.council.hasApproved(1n, a.address)).to.equal(true);
        expect(await c.council.hasApproved(1n, b.address)).to.equal(false);
      });

      it("numbers proposals from 1 upwards", async function () {
        await propose(c, c.registry, admitData(c.outsiders[0].address));
        await propose(c, c.registry, admitData(c.outsiders[1].address));
        expect(await c.council.proposalCount()).to.equal(2n);
      });
    });

    context("when the target is the zero address", function () {
      it("reverts with CouncilInvalidCall", async function () {
        await expect(c.council.connect(c.councillors[0]).propose(ZeroAddress, "0x12345678", ""))
          .to.be.revertedWithCustomError(c.council, "CouncilInvalidCall")
          .withArgs(ZeroAddress, 4n);
      });
    });

    context("when the data holds no function selector", function () {
      it("reverts with CouncilInvalidCall", async function () {
        await expect(c.council.connect(c.councillors[0]).propose(c.registry, "0x123456", ""))
          .to.be.revertedWithCustomError(c.council, "CouncilInvalidCall")
          .withArgs(await c.registry.getAddress(), 3n);
      });
    });

    context("when the caller is not a councillor", function () {
      it("reverts with CouncilNotCouncillor", async function () {
        for (const caller of [c.outsiders[0], c.guardian, c.deployer]) {
          await expect(c.council.connect(caller).propose(c.registry, admitData(c.outsiders[0].address), ""))
            .to.be.revertedWithCustomError(c.council, "CouncilNotCouncillor")
            .withArgs(caller.address);
        }
      });
    });
  });

  describe("approve", function () {
    context("when the approvals stay one short of the threshold", function () {
      it("leaves the proposal pending and changes nothing", async function () {
        const newcomer = c.outsiders[0].address;
        const id = await propose(c, c.registry, admitData(newcomer));
        expect(await c.council.state(id)).to.equal(ProposalState.Pending);
        await expect(c.council.connect(c.councillors[1]).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilQuorumNotReached")
          .withArgs(id, 1n, 2n);
        expect(await c.registry.memberCount()).to.equal(4n);
        expect(await c.registry.memberOf(newcomer)).to.equal(0n);
        expect((await c.authority.hasRole(MEMBER_ROLES.EVALUATOR, newcomer))[0]).to.equal(false);
      });
    });

    context("when the approval reaches the threshold of a council decision", function () {
      it("emits ProposalApproved and ProposalQueued, ready now and unscheduled", async function () {
        const id = await propose(c, c.registry, admitData(c.outsiders[0].address));
        const at = await nextBlockTimestamp();
        await expect(c.council.connect(c.councillors[1]).approve(id))
          .to.emit(c.council, "ProposalApproved")
          .withArgs(id, c.councillors[1].address, 2n)
          .and.to.emit(c.council, "ProposalQueued")
          .withArgs(id, at, false);
      });

      it("makes the proposal ready without a schedule at the authority", async function () {
        const data = admitData(c.outsiders[0].address);
        const id = await approveProposal(c, c.registry, data);
        const p = await c.council.getProposal(id);
        expect(p.scheduled).to.equal(false);
        expect(p.readyAt).to.equal(await time.latest());
        expect(await c.council.state(id)).to.equal(ProposalState.Ready);
        expect(await c.authority.getSchedule(await operationId(await c.registry.getAddress(), data))).to.equal(0n);
      });
    });

    context("when the approval reaches the threshold of an upgrade", function () {
      it("emits ProposalQueued with readyAt after the upgrade delay, scheduled", async function () {
        const id = await propose(c, c.registry, await upgradeData());
        const at = await nextBlockTimestamp();
        await expect(c.council.connect(c.councillors[1]).approve(id))
          .to.emit(c.council, "ProposalQueued")
          .withArgs(id, at + c.delays.upgradeDelay, true);
      });

      it("schedules the call at the authority until readyAt", async function () {
        const data = await upgradeData();
        const id = await approveProposal(c, c.registry, data);
        const p = await c.council.getProposal(id);
        expect(p.scheduled).to.equal(true);
        expect(await c.council.state(id)).to.equal(ProposalState.Queued);
        expect(await c.authority.getSchedule(await operationId(await c.registry.getAddress(), data))).to.equal(
          p.readyAt,
        );
      });
    });

    context("when the approval reaches the threshold of a change of who governs", function () {
      it("emits ProposalQueued with readyAt after the governance delay, scheduled", async function () {
        const id = await propose(c, c.council, addCouncillorData(c.outsiders[0].address));
        const at = await nextBlockTimestamp();
        await expect(c.council.connect(c.councillors[1]).approve(id))
          .to.emit(c.council, "ProposalQueued")
          .withArgs(id, at + c.delays.governanceDelay, true);
        expect(await c.council.state(id)).to.equal(ProposalState.Queued);
      });
    });

    context("when the councillor already approved", function () {
      it("reverts with CouncilAlreadyApproved", async function () {
        const id = await propose(c, c.registry, admitData(c.outsiders[0].address));
        await expect(c.council.connect(c.councillors[0]).approve(id))
          .to.be.revertedWithCustomError(c.council, "CouncilAlreadyApproved")
          .withArgs(id, c.councillors[0].address);
      });
    });

    context("when the proposal is no longer pending", function () {
      it("reverts with CouncilUnexpectedState", async function () {
        const id = await approveProposal(c, c.registry, admitData(c.outsiders[0].address));
        await expect(c.council.connect(c.councillors[2]).approve(id))
          .to.be.revertedWithCustomError(c.council, "CouncilUnexpectedState")
          .withArgs(id, ProposalState.Ready);
      });
    });

    context("when the proposal does not exist", function () {
      it("reverts with CouncilUnknownProposal", async function () {
        await expect(c.council.connect(c.councillors[0]).approve(42n))
          .to.be.revertedWithCustomError(c.council, "CouncilUnknownProposal")
          .withArgs(42n);
      });
    });

    context("when the caller is not a councillor", function () {
      it("reverts with CouncilNotCouncillor", async function () {
        const id = await propose(c, c.registry, admitData(c.outsiders[0].address));
        await expect(c.council.connect(c.outsiders[1]).approve(id))
          .to.be.revertedWithCustomError(c.council, "CouncilNotCouncillor")
          .withArgs(c.outsiders[1].address);
      });
    });
  });

  describe("revokeApproval", function () {
    context("when the councillor approved a pending proposal", function () {
      it("emits ApprovalRevoked with the approvals left", async function () {
        const id = await propose(c, c.registry, admitData(c.outsiders[0].address));
        await expect(c.council.connect(c.councillors[0]).revokeApproval(id))
          .to.emit(c.council, "ApprovalRevoked")
          .withArgs(id, c.councillors[0].address, 0n);
      });

      it("stops counting the approval", async function () {
        const id = await propose(c, c.registry, admitData(c.outsiders[0].address));
        await c.council.connect(c.councillors[0]).revokeApproval(id);
        expect(await c.council.approvals(id)).to.equal(0n);
        expect(await c.council.hasApproved(id, c.councillors[0].address)).to.equal(false);
        await expect(c.council.connect(c.councillors[1]).approve(id))
          .to.emit(c.council, "ProposalApproved")
          .withArgs(id, c.councillors[1].address, 1n)
          .and.not.to.emit(c.council, "ProposalQueued");
        expect(await c.council.state(id)).to.equal(ProposalState.Pending);
      });
    });

    context("when the councillor did not approve", function () {
      it("reverts with CouncilNotApproved", async function () {
        const id = await propose(c, c.registry, admitData(c.outsiders[0].address));
        await expect(c.council.connect(c.councillors[1]).revokeApproval(id))
          .to.be.revertedWithCustomError(c.council, "CouncilNotApproved")
          .withArgs(id, c.councillors[1].address);
      });
    });

    context("when the proposal reached the threshold", function () {
      it("reverts with CouncilUnexpectedState", async function () {
        const id = await approveProposal(c, c.registry, await upgradeData());
        await expect(c.council.connect(c.councillors[1]).revokeApproval(id))
          .to.be.revertedWithCustomError(c.council, "CouncilUnexpectedState")
          .withArgs(id, ProposalState.Queued);
      });
    });

    context("when the caller is not a councillor", function () {
      it("reverts with CouncilNotCouncillor", async function () {
        const id = await propose(c, c.registry, admitData(c.outsiders[0].address));
        await expect(c.council.connect(c.guardian).revokeApproval(id))
          .to.be.revertedWithCustomError(c.council, "CouncilNotCouncillor")
          .withArgs(c.guardian.address);
      });
    });
  });

  describe("execute", function () {
    context("when a council decision reached the threshold", function () {
      it("runs it at once and emits ProposalExecuted", async function () {
        const newcomer = c.outsiders[0].address;
        const id = await approveProposal(c, c.registry, admitData(newcomer));
        await expect(c.council.connect(c.councillors[2]).execute(id))
          .to.emit(c.council, "ProposalExecuted")
          .withArgs(id, c.councillors[2].address)
          .and.to.emit(c.registry, "MemberAdmitted")
          .withArgs(5n, "Provincial Evaluation Institute", DOCUMENTS);
      });

      it("admits the member with its role at the authority", async function () {
        const newcomer = c.outsiders[0].address;
        await runProposal(c, c.registry, admitData(newcomer));
        expect(await c.registry.memberCount()).to.equal(5n);
        expect(await c.registry.memberOf(newcomer)).to.equal(5n);
        expect((await c.registry.getMember(5n)).status).to.equal(MemberStatus.Active);
        expect(await c.authority.hasRole(MEMBER_ROLES.EVALUATOR, newcomer)).to.deep.equal([true, 0n]);
      });

      it("marks the proposal executed and refuses to run it again", async function () {
        const { id } = await runProposal(c, c.registry, admitData(c.outsiders[0].address));
        expect(await c.council.state(id)).to.equal(ProposalState.Executed);
        expect((await c.council.getProposal(id)).executed).to.equal(true);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilUnexpectedState")
          .withArgs(id, ProposalState.Executed);
      });
    });

    context("when the threshold was lowered after the proposal was made", function () {
      it("queues and runs a proposal that now has enough approvals", async function () {
        const newcomer = c.outsiders[0].address;
        const id = await propose(c, c.registry, admitData(newcomer));
        await runProposal(c, c.council, c.council.interface.encodeFunctionData("setThreshold", [1n]), {
          proposer: c.councillors[1],
        });
        const at = await nextBlockTimestamp();
        await expect(c.council.connect(c.councillors[2]).execute(id))
          .to.emit(c.council, "ProposalQueued")
          .withArgs(id, at, false)
          .and.to.emit(c.council, "ProposalExecuted")
          .withArgs(id, c.councillors[2].address);
        expect(await c.registry.memberOf(newcomer)).to.equal(5n);
      });
    });

    context("when the threshold was lowered after a delayed proposal was made", function () {
      it("queues it with the authority and runs it after the delay", async function () {
        const thresholdData = (t: bigint) => c.council.interface.encodeFunctionData("setThreshold", [t]);
        await runProposal(c, c.council, thresholdData(3n));
        const id = await propose(c, c.registry, await upgradeData());
        await c.council.connect(c.councillors[1]).approve(id);
        await runProposal(c, c.council, thresholdData(2n));
        expect(await c.council.state(id)).to.equal(ProposalState.Pending);
        const at = await nextBlockTimestamp();
        await expect(c.council.connect(c.councillors[2]).execute(id))
          .to.emit(c.council, "ProposalQueued")
          .withArgs(id, at + c.delays.upgradeDelay, true)
          .and.not.to.emit(c.council, "ProposalExecuted");
        expect(await c.council.state(id)).to.equal(ProposalState.Queued);
        await time.increase(c.delays.upgradeDelay);
        await expect(c.council.connect(c.councillors[2]).execute(id))
          .to.emit(c.council, "ProposalExecuted")
          .withArgs(id, c.councillors[2].address);
        expect(await c.registry.version()).to.equal("2.0.0");
      });
    });

    context("when an upgrade is executed before the upgrade delay passed", function () {
      it("reverts with CouncilProposalNotReady", async function () {
        const id = await approveProposal(c, c.registry, await upgradeData());
        const { readyAt } = await c.council.getProposal(id);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilProposalNotReady")
          .withArgs(id, readyAt);
        await time.increase(c.delays.upgradeDelay - 10);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilProposalNotReady")
          .withArgs(id, readyAt);
      });

      it("runs the upgrade once the upgrade delay passed", async function () {
        const data = await upgradeData();
        const [implementation] = c.registry.interface.decodeFunctionData("upgradeToAndCall", data);
        const id = await approveProposal(c, c.registry, data);
        await time.increase(c.delays.upgradeDelay);
        expect(await c.council.state(id)).to.equal(ProposalState.Ready);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.emit(c.council, "ProposalExecuted")
          .withArgs(id, c.councillors[0].address)
          .and.to.emit(c.registry, "Upgraded")
          .withArgs(implementation);
        expect(await c.registry.version()).to.equal("2.0.0");
        expect(await c.authority.getSchedule(await operationId(await c.registry.getAddress(), data))).to.equal(0n);
      });
    });

    context("when a change of who governs is executed before the governance delay passed", function () {
      it("reverts with CouncilProposalNotReady after only the upgrade delay", async function () {
        const id = await approveProposal(c, c.council, addCouncillorData(c.outsiders[0].address));
        const { readyAt } = await c.council.getProposal(id);
        await time.increase(c.delays.upgradeDelay);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilProposalNotReady")
          .withArgs(id, readyAt);
      });

      it("adds the councillor once the governance delay passed", async function () {
        const newcomer = c.outsiders[0].address;
        const id = await approveProposal(c, c.council, addCouncillorData(newcomer));
        await time.increase(c.delays.governanceDelay);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.emit(c.council, "CouncillorAdded")
          .withArgs(newcomer);
        expect(await c.council.isCouncillor(newcomer)).to.equal(true);
        expect(await c.council.councillors()).to.have.lengthOf(4);
      });
    });

    context("when the proposed call fails", function () {
      it("reverts with the target's error and leaves the proposal ready", async function () {
        const id = await approveProposal(c, c.registry, admitData(c.outsiders[0].address, ""));
        await expect(c.council.connect(c.councillors[0]).execute(id)).to.be.revertedWithCustomError(
          c.registry,
          "MemberRegistryEmptyName",
        );
        expect(await c.council.state(id)).to.equal(ProposalState.Ready);
      });
    });

    context("when the caller is not a councillor", function () {
      it("reverts with CouncilNotCouncillor", async function () {
        const id = await approveProposal(c, c.registry, admitData(c.outsiders[0].address));
        await expect(c.council.connect(c.guardian).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilNotCouncillor")
          .withArgs(c.guardian.address);
      });
    });
  });

  describe("cancel", function () {
    context("when a guardian cancels a queued upgrade", function () {
      it("emits ProposalCancelled and the authority's OperationCanceled", async function () {
        const data = await upgradeData();
        const id = await approveProposal(c, c.registry, data);
        await expect(c.council.connect(c.guardian).cancel(id))
          .to.emit(c.council, "ProposalCancelled")
          .withArgs(id, c.guardian.address)
          .and.to.emit(c.authority, "OperationCanceled")
          .withArgs(await operationId(await c.registry.getAddress(), data), 1n);
      });

      it("drops the authority's schedule so the upgrade never runs", async function () {
        const data = await upgradeData();
        const id = await approveProposal(c, c.registry, data);
        await c.council.connect(c.guardian).cancel(id);
        expect(await c.council.state(id)).to.equal(ProposalState.Cancelled);
        expect(await c.authority.getSchedule(await operationId(await c.registry.getAddress(), data))).to.equal(0n);
        await time.increase(c.delays.upgradeDelay);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilUnexpectedState")
          .withArgs(id, ProposalState.Cancelled);
        expect(await c.registry.version()).to.equal("1.0.0");
      });
    });

    context("when a guardian cancels a queued change of who governs", function () {
      it("cancels it although the authority itself refuses the guardian there", async function () {
        const newcomer = c.outsiders[0].address;
        const data = addCouncillorData(newcomer);
        const id = await approveProposal(c, c.council, data);
        const councilAddress = await c.council.getAddress();
        await expect(c.authority.connect(c.guardian).cancel(councilAddress, councilAddress, data))
          .to.be.revertedWithCustomError(c.authority, "AccessManagerUnauthorizedCancel")
          .withArgs(c.guardian.address, councilAddress, councilAddress, data.slice(0, 10));
        await expect(c.council.connect(c.guardian).cancel(id))
          .to.emit(c.council, "ProposalCancelled")
          .withArgs(id, c.guardian.address);
        expect(await c.authority.getSchedule(await operationId(councilAddress, data))).to.equal(0n);
        await time.increase(c.delays.governanceDelay);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilUnexpectedState")
          .withArgs(id, ProposalState.Cancelled);
        expect(await c.council.isCouncillor(newcomer)).to.equal(false);
      });
    });

    context("when a guardian cancels a ready council decision", function () {
      it("cancels it before it runs", async function () {
        const newcomer = c.outsiders[0].address;
        const id = await approveProposal(c, c.registry, admitData(newcomer));
        await expect(c.council.connect(c.guardian).cancel(id))
          .to.emit(c.council, "ProposalCancelled")
          .withArgs(id, c.guardian.address);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilUnexpectedState")
          .withArgs(id, ProposalState.Cancelled);
        expect(await c.registry.memberOf(newcomer)).to.equal(0n);
      });
    });

    context("when the proposer withdraws a pending proposal", function () {
      it("emits ProposalCancelled and refuses further approvals", async function () {
        const id = await propose(c, c.registry, admitData(c.outsiders[0].address));
        await expect(c.council.connect(c.councillors[0]).cancel(id))
          .to.emit(c.council, "ProposalCancelled")
          .withArgs(id, c.councillors[0].address);
        expect(await c.council.state(id)).to.equal(ProposalState.Cancelled);
        await expect(c.council.connect(c.councillors[1]).approve(id))
          .to.be.revertedWithCustomError(c.council, "CouncilUnexpectedState")
          .withArgs(id, ProposalState.Cancelled);
      });
    });

    context("when the proposer withdraws a proposal that reached the threshold", function () {
      it("reverts with CouncilCancelNotAllowed", async function () {
        const id = await approveProposal(c, c.registry, await upgradeData());
        await expect(c.council.connect(c.councillors[0]).cancel(id))
          .to.be.revertedWithCustomError(c.council, "CouncilCancelNotAllowed")
          .withArgs(id, c.councillors[0].address);
      });
    });

    context("when the caller is neither the proposer nor a guardian", function () {
      it("reverts with CouncilCancelNotAllowed", async function () {
        const id = await propose(c, c.registry, admitData(c.outsiders[0].address));
        for (const caller of [c.councillors[1], c.outsiders[1], c.deployer]) {
          await expect(c.council.connect(caller).cancel(id))
            .to.be.revertedWithCustomError(c.council, "CouncilCancelNotAllowed")
            .withArgs(id, caller.address);
        }
      });
    });

    context("when the guardian's member is suspended", function () {
      it("reverts with CouncilCancelNotAllowed", async function () {
        const guardianId = await c.registry.memberOf(c.guardian.address);
        await runProposal(
          c,
          c.registry,
          c.registry.interface.encodeFunctionData("suspendMember", [guardianId, ZeroHash]),
        );
        const id = await approveProposal(c, c.registry, await upgradeData());
        await expect(c.council.connect(c.guardian).cancel(id))
          .to.be.revertedWithCustomError(c.council, "CouncilCancelNotAllowed")
          .withArgs(id, c.guardian.address);
      });
    });

    context("when the proposal was executed", function () {
      it("reverts with CouncilCancelNotAllowed", async function () {
        const { id } = await runProposal(c, c.registry, admitData(c.outsiders[0].address));
        await expect(c.council.connect(c.guardian).cancel(id))
          .to.be.revertedWithCustomError(c.council, "CouncilCancelNotAllowed")
          .withArgs(id, c.guardian.address);
      });
    });
  });

  describe("state", function () {
    context("when a guardian cancels the scheduled upgrade at the authority", function () {
      it("reports Cancelled and the proposal can no longer run", async function () {
        const data = await upgradeData();
        const id = await approveProposal(c, c.registry, data);
        await c.authority.connect(c.guardian).cancel(await c.council.getAddress(), await c.registry.getAddress(), data);
        expect(await c.council.state(id)).to.equal(ProposalState.Cancelled);
        await time.increase(c.delays.upgradeDelay);
        expect(await c.council.state(id)).to.equal(ProposalState.Cancelled);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilUnexpectedState")
          .withArgs(id, ProposalState.Cancelled);
        expect(await c.registry.version()).to.equal("1.0.0");
      });
    });

    context("when the council proposes again a call a guardian cancelled at the authority", function () {
      it("keeps the cancelled proposal cancelled", async function () {
        const data = await upgradeData();
        const cancelled = await approveProposal(c, c.registry, data);
        await c.authority.connect(c.guardian).cancel(await c.council.getAddress(), await c.registry.getAddress(), data);
        const again = await approveProposal(c, c.registry, data, { proposer: c.councillors[1] });
        expect(await c.council.state(cancelled)).to.equal(ProposalState.Cancelled);
        expect(await c.council.state(again)).to.equal(ProposalState.Queued);
        await time.increase(c.delays.upgradeDelay);
        await expect(c.council.connect(c.councillors[0]).execute(cancelled))
          .to.be.revertedWithCustomError(c.council, "CouncilUnexpectedState")
          .withArgs(cancelled, ProposalState.Cancelled);
        await expect(c.council.connect(c.councillors[0]).execute(again))
          .to.emit(c.council, "ProposalExecuted")
          .withArgs(again, c.councillors[0].address);
        expect(await c.council.state(cancelled)).to.equal(ProposalState.Cancelled);
      });
    });

    context("when a scheduled proposal is not run within the authority's expiration", function () {
      it("reports Expired and the proposal can no longer run", async function () {
        const id = await approveProposal(c, c.registry, await upgradeData());
        const { readyAt } = await c.council.getProposal(id);
        const expiration = await c.authority.expiration();
        await time.increaseTo(readyAt + expiration - 3600n);
        expect(await c.council.state(id)).to.equal(ProposalState.Ready);
        await time.increaseTo(readyAt + expiration);
        expect(await c.council.state(id)).to.equal(ProposalState.Expired);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilUnexpectedState")
          .withArgs(id, ProposalState.Expired);
      });
    });

    context("when the proposal does not exist", function () {
      it("reverts with CouncilUnknownProposal", async function () {
        await propose(c, c.registry, admitData(c.outsiders[0].address));
        for (const id of [0n, 2n]) {
          await expect(c.council.state(id))
            .to.be.revertedWithCustomError(c.council, "CouncilUnknownProposal")
            .withArgs(id);
        }
      });
    });
  });

  describe("addCouncillor", function () {
    context("when the council adds a councillor", function () {
      it("lets the newcomer's approval count", async function () {
        const newcomer = c.outsiders[0];
        await runProposal(c, c.council, addCouncillorData(newcomer.address));
        const id = await propose(c, c.registry, admitData(c.outsiders[1].address));
        await expect(c.council.connect(newcomer).approve(id))
          .to.emit(c.council, "ProposalApproved")
          .withArgs(id, newcomer.address, 2n);
        expect(await c.council.state(id)).to.equal(ProposalState.Ready);
      });
    });

    context("when the account already sits on the council", function () {
      it("reverts with CouncilInvalidCouncillor", async function () {
        const id = await approveProposal(c, c.council, addCouncillorData(c.councillors[2].address));
        await waitUntilReady(c, id);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilInvalidCouncillor")
          .withArgs(c.councillors[2].address);
      });
    });

    context("when the account is the zero address", function () {
      it("reverts with CouncilInvalidCouncillor", async function () {
        const id = await approveProposal(c, c.council, addCouncillorData(ZeroAddress));
        await waitUntilReady(c, id);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilInvalidCouncillor")
          .withArgs(ZeroAddress);
      });
    });

    context("when the council is full", function () {
      it("reverts with CouncilTooManyCouncillors", async function () {
        const max = await c.council.MAX_COUNCILLORS();
        const seated = BigInt(c.councillors.length);
        const ids: bigint[] = [];
        for (let i = 1n; i <= max - seated + 1n; ++i) {
          const account = getAddress("0x" + (0xc0de0000n + i).toString(16).padStart(40, "0"));
          ids.push(await approveProposal(c, c.council, addCouncillorData(account)));
        }
        await waitUntilReady(c, ids[ids.length - 1]);
        const last = ids.pop() as bigint;
        for (const id of ids) await c.council.connect(c.councillors[0]).execute(id);
        expect(await c.council.councillors()).to.have.lengthOf(Number(max));
        await expect(c.council.connect(c.councillors[0]).execute(last))
          .to.be.revertedWithCustomError(c.council, "CouncilTooManyCouncillors")
          .withArgs(max);
      });
    });
  });

  describe("removeCouncillor", function () {
    function removeData(account: string): string {
      return c.council.interface.encodeFunctionData("removeCouncillor", [account]);
    }

    context("when a councillor who approved a pending proposal is removed", function () {
      it("emits CouncillorRemoved", async function () {
        const [a, b, third] = c.councillors;
        const id = await approveProposal(c, c.council, removeData(a.address), { proposer: b });
        await waitUntilReady(c, id);
        await expect(c.council.connect(third).execute(id)).to.emit(c.council, "CouncillorRemoved").withArgs(a.address);
        expect(await c.council.isCouncillor(a.address)).to.equal(false);
        expect([...(await c.council.councillors())]).to.have.members([b.address, third.address]);
      });

      it("stops counting their approvals", async function () {
        const [a, b, third] = c.councillors;
        const pending = await propose(c, c.registry, admitData(c.outsiders[0].address), { proposer: a });
        await runProposal(c, c.council, removeData(a.address), { proposer: b });
        expect(await c.council.approvals(pending)).to.equal(0n);
        await expect(c.council.connect(third).approve(pending))
          .to.emit(c.council, "ProposalApproved")
          .withArgs(pending, third.address, 1n)
          .and.not.to.emit(c.council, "ProposalQueued");
        await expect(c.council.connect(third).execute(pending))
          .to.be.revertedWithCustomError(c.council, "CouncilQuorumNotReached")
          .withArgs(pending, 1n, 2n);
        await expect(c.council.connect(a).approve(pending))
          .to.be.revertedWithCustomError(c.council, "CouncilNotCouncillor")
          .withArgs(a.address);
      });

      it("does not bring back their old approvals when they are seated again", async function () {
        const [a, b, third] = c.councillors;
        const pending = await propose(c, c.registry, admitData(c.outsiders[0].address), { proposer: a });
        await runProposal(c, c.council, removeData(a.address), { proposer: b });
        const addData = c.council.interface.encodeFunctionData("addCouncillor", [a.address]);
        const seatAgain = await propose(c, c.council, addData, { proposer: b });
        await c.council.connect(third).approve(seatAgain);
        await waitUntilReady(c, seatAgain);
        await c.council.connect(third).execute(seatAgain);
        expect(await c.council.isCouncillor(a.address)).to.equal(true);
        expect(await c.council.hasApproved(pending, a.address)).to.equal(false);
        expect(await c.council.approvals(pending)).to.equal(0n);
        await expect(c.council.connect(a).approve(pending))
          .to.emit(c.council, "ProposalApproved")
          .withArgs(pending, a.address, 1n);
      });
    });

    context("when the account is not a councillor", function () {
      it("reverts with CouncilNotCouncillor", async function () {
        const outsider = c.outsiders[0].address;
        const id = await approveProposal(c, c.council, removeData(outsider));
        await waitUntilReady(c, id);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.be.revertedWithCustomError(c.council, "CouncilNotCouncillor")
          .withArgs(outsider);
      });
    });

    context("when fewer councillors than the threshold would remain", function () {
      it("reverts with CouncilInvalidThreshold", async function () {
        const [a, b, third] = c.councillors;
        const first = await approveProposal(c, c.council, removeData(a.address), { proposer: b });
        const second = await approveProposal(c, c.council, removeData(b.address), { proposer: third });
        await waitUntilReady(c, second);
        await c.council.connect(third).execute(first);
        await expect(c.council.connect(third).execute(second))
          .to.be.revertedWithCustomError(c.council, "CouncilInvalidThreshold")
          .withArgs(2n, 1n);
      });
    });
  });

  describe("setThreshold", function () {
    function thresholdData(threshold: bigint): string {
      return c.council.interface.encodeFunctionData("setThreshold", [threshold]);
    }

    context("when the council raises the threshold after the governance delay", function () {
      it("emits ThresholdChanged and later proposals need the new count", async function () {
        const id = await approveProposal(c, c.council, thresholdData(3n));
        await time.increase(c.delays.governanceDelay);
        await expect(c.council.connect(c.councillors[0]).execute(id))
          .to.emit(c.council, "ThresholdChanged")
          .withArgs(2n, 3n);
        expect(await c.council.threshold()).to.equal(3n);
        const next = await propose(c, c.registry, admitData(c.outsiders[0].address));
        await c.council.connect(c.councillors[1]).approve(next);
        expect(await c.council.state(next)).to.equal(ProposalState.Pending);
      });
    });

    context("when the council lowers the threshold to one", function () {
      it("queues every proposal on its proposer's approval", async function () {
        await runProposal(c, c.council, thresholdData(1n));
        const at = await nextBlockTimestamp();
        await expect(c.council.connect(c.councillors[2]).propose(c.registry, admitData(c.outsiders[0].address), ""))
          .to.emit(c.council, "ProposalQueued")
          .withArgs(2n, at, false);
      });
    });

    for (const invalid of [0n, 4n]) {
      context(`when the threshold is ${invalid} with three councillors`, function () {
        it("reverts with CouncilInvalidThreshold", async function () {
          const id = await approveProposal(c, c.council, thresholdData(invalid));
          await waitUntilReady(c, id);
          await expect(c.council.connect(c.councillors[0]).execute(id))
            .to.be.revertedWithCustomError(c.council, "CouncilInvalidThreshold")
            .withArgs(invalid, 3n);
          expect(await c.council.threshold()).to.equal(2n);
        });
      });
    }
  });

  describe("restricted functions", function () {
    const calls: [string, (c: Consortium, caller: HardhatEthersSigner) => Promise<unknown>][] = [
      ["addCouncillor", (c, caller) => c.council.connect(caller).addCouncillor(c.outsiders[0].address)],
      ["removeCouncillor", (c, caller) => c.council.connect(caller).removeCouncillor(c.councillors[0].address)],
      ["setThreshold", (c, caller) => c.council.connect(caller).setThreshold(1n)],
      [
        "upgradeToAndCall",
        async (c, caller) => {
          const implementation = await ethers.deployContract("Council");
          return c.council.connect(caller).upgradeToAndCall(implementation, "0x");
        },
      ],
    ];

    for (const [name, call] of calls) {
      context(`when anyone calls ${name} directly`, function () {
        it("reverts with AccessManagedUnauthorized, for the deployer after the handover too", async function () {
          for (const caller of [c.deployer, ...c.councillors, c.guardian, c.outsiders[0]]) {
            await expect(call(c, caller))
              .to.be.revertedWithCustomError(c.council, "AccessManagedUnauthorized")
              .withArgs(caller.address);
          }
        });
      });
    }
  });
});
