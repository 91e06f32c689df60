import { expect } from "chai";
import { deployments, ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { DeploymentError, GovLedger, GovLedgerError, deploymentFromRecords, type Deployment } from "../../src/sdk";
import { MemberRegistryV2__factory } from "../../typechain-types";

describe("GovLedger SDK", function () {
  let deployment: Deployment;
  let councillors: HardhatEthersSigner[];
  let guardian: HardhatEthersSigner;
  let outsider: HardhatEthersSigner;

  beforeEach(async function () {
    await deployments.fixture();
    deployment = deploymentFromRecords("hardhat", 31337n, await deployments.all());
    const signers = await ethers.getSigners();
    councillors = signers.slice(1, 4);
    guardian = signers[4];
    outsider = signers[9];
  });

  const as = (signer: HardhatEthersSigner) => GovLedger.connect(signer, deployment);

  describe("connect", function () {
    it("refuses a deployment made on another chain before sending anything", async function () {
      const wrong = { ...deployment, chainId: 20260n };
      await expect(GovLedger.connect(councillors[0], wrong)).to.be.rejectedWith(
        DeploymentError,
        'wrong network: the node reports chain id 31337, the "hardhat" deployment is on chain id 20260',
      );
    });
  });

  describe("council flow", function () {
    it("resolves write calls to domain values: proposal id, approvals, queued, events", async function () {
      const a = await as(councillors[0]);
      const call = a.members.admit({ name: "Audit Bureau", accounts: [outsider.address], roles: ["auditor"] });
      const proposed = await a.council.propose(call).wait();
      expect(proposed).to.deep.equal({ id: 1n, queued: undefined });

      const approved = await (await as(councillors[1])).council.approve(1n).wait();
      expect(approved.approvals).to.equal(2n);
      expect(approved.queued?.scheduled).to.equal(false);

      const executed = await a.council.execute(1n).wait();
      const admitted = executed.events.find((e) => e.name === "MemberAdmitted");
      expect(admitted?.contract).to.equal("MemberRegistry");
      expect(admitted?.args).to.deep.include({ memberId: 5n, name: "Audit Bureau" });

      const member = await a.members.member(5n);
      expect(member).to.deep.include({ name: "Audit Bureau", status: "Active", roles: ["AUDITOR"] });
      expect(member.accounts).to.deep.equal([outsider.address]);
    });

    it("shows a proposal with its decoded call, state and approvers", async function () {
      const a = await as(councillors[0]);
      await a.council.propose(a.members.grantRole(4n, "notary")).wait();
      const view = await a.council.proposal(1n);
      expect(view.targetName).to.equal("MemberRegistry");
      expect(view.call).to.deep.equal({ function: "grantMemberRole", args: { memberId: 4n, role: 13n } });
      expect(view.state).to.equal("Pending");
      expect(view.approvals).to.equal(1n);
      expect(view.threshold).to.equal(2n);
      expect(view.approvers).to.deep.equal([councillors[0].address]);
    });

    it("reports a scheduled upgrade with its ready time", async function () {
      const a = await as(councillors[0]);
      const v2 = await new MemberRegistryV2__factory(councillors[0]).deploy();
      await a.council.propose(a.upgrade("MemberRegistry", await v2.getAddress())).wait();
      const approved = await (await as(councillors[1])).council.approve(1n).wait();
      expect(approved.queued?.scheduled).to.equal(true);
      expect(approved.queued?.readyAt).to.equal(BigInt(await time.latest()) + 86400n);
      expect((await a.council.proposal(1n)).state).to.equal("Queued");
    });
  });

  describe("refusals", function () {
    it("decodes a contract refusal into a GovLedgerError before sending", async function () {
      const stranger = await as(outsider);
      const nonce = await ethers.provider.getTransactionCount(outsider.address);
      const call = stranger.council.propose(stranger.members.reinstate(1n));
      const error = await call.send().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(GovLedgerError);
      expect((error as GovLedgerError).errorName).to.equal("CouncilNotCouncillor");
      expect((error as GovLedgerError).args).to.deep.equal({ account: outsider.address });
      expect((error as GovLedgerError).message).to.equal(
        `CouncilNotCouncillor: ${outsider.address} is not a councillor`,
      );
      expect(await ethers.provider.getTransactionCount(outsider.address)).to.equal(nonce);
    });

    it("explains k-1 approvals on execute", async function () {
      const a = await as(councillors[0]);
      await a.council.propose(a.members.grantRole(4n, "notary")).wait();
      await expect(a.council.execute(1n).wait()).to.be.rejectedWith(
        GovLedgerError,
        "CouncilQuorumNotReached: proposal 1 has 1 of 2 approvals needed",
      );
    });

    it("refuses malformed input in proposal builders", async function () {
      const a = await as(councillors[0]);
      expect(() => a.members.admit({ name: "X", accounts: ["0x1234"], roles: [] })).to.throw(/not a valid address/);
      expect(() => a.members.grantRole(1n, "emperor")).to.throw(/unknown role "emperor"/);
      expect(() => a.members.suspend(1n, "0xabc")).to.throw(/not a 32-byte hash/);
      expect(() => a.pause("Council")).to.throw(/"Council" cannot be paused/);
      expect(() => a.upgrade("Nope", outsider.address)).to.throw(/no contract "Nope"/);
    });

    it("lets a guardian pause and reports the pause to writers", async function () {
      await (await as(guardian)).pause("MemberRegistry").wait();
      const a = await as(councillors[0]);
      expect(await a.isPaused("MemberRegistry")).to.equal(true);
      expect((await a.members.member(1n)).status).to.equal("Active");
      await a.council.propose(a.members.grantRole(4n, "notary")).wait();
      await (await as(councillors[1])).council.approve(1n).wait();
      await expect(a.council.execute(1n).wait()).to.be.rejectedWith(
        GovLedgerError,
        "EnforcedPause: the module is paused",
      );
    });
  });
});
