import { expect } from "chai";
import { deployments, ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { ZeroHash } from "ethers";
import {
  GovLedger,
  GovLedgerError,
  deploymentFromRecords,
  formatAmount,
  parseAmount,
  type Call,
  type Deployment,
  type EscrowTerms,
} from "../../src/sdk";
import { hashOf, now } from "../helpers/identity";
import { BUYER_FUNDS, tradeFixture, type TradeModule } from "../helpers/trade";

const DAY = 86_400n;
const FIRST = 30_000_000n; // 300,000.00
const SECOND = 70_000_000n; // 700,000.00

describe("GovLedger SDK: settlement escrow", function () {
  let m: TradeModule;
  let deployment: Deployment;

  beforeEach(async function () {
    m = await tradeFixture();
    deployment = deploymentFromRecords("hardhat", 31337n, await deployments.all());
  });

  const as = (signer: Parameters<typeof GovLedger.connect>[0]) => GovLedger.connect(signer, deployment);

  /**
   * The deal of termsOf: 300,000.00 due in 30 days and 700,000.00 in 90, a 3 % fee, 2 % commission,
   * 10 % to the inventor and the team, the rest 70/30 to the university and the team.
   */
  async function terms(overrides: Partial<EscrowTerms> = {}): Promise<EscrowTerms> {
    const t = await now();
    return {
      dealRef: hashOf(`deal confirmation ${t}`),
      buyer: m.buyer.did,
      seller: `did:govledger:31337:${m.university.did}`,
      broker: m.broker.did,
      centreFeeBps: 300,
      brokerBps: 200,
      inventorBps: 1000,
      holders: [`${m.university.did}:7000`, { did: m.team.did, bps: 3000 }],
      inventors: [m.inventor.did, m.team.did],
      milestones: [
        { amount: "300000.00", due: t + 30n * DAY },
        { amount: SECOND, due: new Date(Number(t + 90n * DAY) * 1000) },
      ],
      ...overrides,
    };
  }

  async function opened(overrides: Partial<EscrowTerms> = {}): Promise<bigint> {
    return (await (await as(m.centre.account)).escrow.open(await terms(overrides)).wait()).id;
  }

  async function funded(milestone = 1): Promise<bigint> {
    const id = await opened();
    const buyer = await as(m.buyer.account);
    await buyer.escrow.approveFunding(id, milestone).wait();
    await buyer.escrow.fund(id, milestone, m.buyer.did).wait();
    return id;
  }

  async function disputed(): Promise<bigint> {
    const id = await funded();
    await (await as(m.university.account)).escrow.dispute(id, 1, m.university.did, hashOf("not delivered")).wait();
    return id;
  }

  /** Asserts `build()` (or its call) is refused with `message` and nothing is mined. */
  async function refusedBeforeSending(build: () => Call<unknown>, message: RegExp | string): Promise<void> {
    const block = await ethers.provider.getBlockNumber();
    const rejected = expect((async () => build().wait())()).to.be;
    await (typeof message === "string" ? rejected.rejectedWith(Error, message) : rejected.rejectedWith(message));
    expect(await ethers.provider.getBlockNumber(), "block number").to.equal(block);
  }

  /** The split of 300,000.00: 3 % centre, 2 % broker, 10 % to two inventors, the rest 70/30. */
  const firstSplit = () => [
    { did: m.centre.did, amount: 900_000n },
    { did: m.broker.did, amount: 600_000n },
    { did: m.team.did, amount: 1_500_000n },
    { did: m.inventor.did, amount: 1_500_000n },
    { did: m.team.did, amount: 7_650_000n },
    { did: m.university.did, amount: 17_850_000n },
  ];

  describe("amounts", function () {
    it("parses yuan with up to the token's decimals and formats units back", function () {
      expect(parseAmount("300000.00", 2)).to.equal(FIRST);
      expect(parseAmount("0.5", 2)).to.equal(50n);
      expect(parseAmount(12n, 2)).to.equal(12n);
      expect(formatAmount(FIRST, 2)).to.equal("300000.00");
      expect(formatAmount(5n, 2)).to.equal("0.05");
      expect(formatAmount(7n, 0)).to.equal("7");
      expect(() => parseAmount("1.005", 2)).to.throw('amount "1.005" has 3 decimals: the token has 2');
      expect(() => parseAmount("300,000.00", 2)).to.throw('amount "300,000.00" is not valid');
      expect(() => parseAmount("-1", 2)).to.throw('amount "-1" is not valid');
    });
  });

  describe("open", function () {
    it("resolves to the id, parties, token, total and schedule, and show reads it back by name", async function () {
      const t = await terms();
      const result = await (await as(m.centre.account)).escrow.open(t).wait();
      const token = await m.currency.getAddress();
      expect(result).to.deep.include({
        id: 1n,
        dealRef: t.dealRef,
        centre: m.centre.did,
        buyer: m.buyer.did,
        seller: m.university.did,
        token,
        total: FIRST + SECOND,
      });
      expect(result.milestones.map((x) => [x.number, x.amount, x.status])).to.deep.equal([
        [1, FIRST, "Awaiting"],
        [2, SECOND, "Awaiting"],
      ]);
      expect(result.transactionHash).to.match(/^0x[0-9a-f]{64}$/);

      const view = await (await as(m.outsider.account)).escrow.show(result.id);
      expect(view).to.deep.equal({
        id: 1n,
        token: { address: token, symbol: "e-CNY(test)", decimals: 2 },
        dealRef: t.dealRef,
        buyer: m.buyer.did,
        seller: m.university.did,
        centre: m.centre.did,
        broker: m.broker.did,
        centreFeeBps: 300,
        brokerBps: 200,
        inventorBps: 1000,
        holders: [
          { did: m.university.did, bps: 7000 },
          { did: m.team.did, bps: 3000 },
        ],
        inventors: [m.inventor.did, m.team.did],
        milestones: result.milestones,
        total: FIRST + SECOND,
        held: 0n,
      });
      expect(await (await as(m.outsider.account)).escrow.count()).to.equal(1n);
    });

    context("when the input is bad", function () {
      it("refuses a malformed amount", async function () {
        const gov = await as(m.centre.account);
        const t = await terms({ milestones: [{ amount: "300,000.00", due: (await now()) + DAY }] });
        await refusedBeforeSending(
          () => gov.escrow.open(t),
          `milestone 1's amount "300,000.00" is not valid: expected a decimal amount such as 300000.00`,
        );
      });

      it("refuses an amount with more decimals than the token has", async function () {
        const gov = await as(m.centre.account);
        const t = await terms({ milestones: [{ amount: "100.005", due: (await now()) + DAY }] });
        await refusedBeforeSending(() => gov.escrow.open(t), `milestone 1's amount "100.005" has 3 decimals`);
      });

      it("refuses shares that do not sum to 10,000, naming the sum", async function () {
        const gov = await as(m.centre.account);
        const t = await terms({ holders: [`${m.university.did}:6000`, `${m.team.did}:3000`] });
        await refusedBeforeSending(
          () => gov.escrow.open(t),
          "the holders' shares sum to 9000 bps (6000 + 3000), not 10000",
        );
      });

      it("refuses a malformed share", async function () {
        const gov = await as(m.centre.account);
        const t = await terms({ holders: [`${m.university.did}`] });
        await refusedBeforeSending(() => gov.escrow.open(t), /share ".*" is not valid: expected <did>:<bps>/);
      });

      it("refuses fees that leave the holders nothing", async function () {
        const gov = await as(m.centre.account);
        const t = await terms({ centreFeeBps: 5000, brokerBps: 4000, inventorBps: 1000 });
        await refusedBeforeSending(() => gov.escrow.open(t), "add up to 10000 bps, leaving the holders nothing");
      });

      it("refuses a commission without a broker", async function () {
        const gov = await as(m.centre.account);
        const t = await terms({ broker: undefined });
        await refusedBeforeSending(() => gov.escrow.open(t), "a broker's commission of 200 bps names no broker");
      });

      it("refuses due times that do not increase", async function () {
        const gov = await as(m.centre.account);
        const due = (await now()) + DAY;
        const t = await terms({
          milestones: [
            { amount: "1.00", due },
            { amount: "1.00", due },
          ],
        });
        await refusedBeforeSending(() => gov.escrow.open(t), /milestone 2 is due .*, not after milestone 1/);
      });

      it("refuses a due time in the past", async function () {
        const gov = await as(m.centre.account);
        const t = await terms({ milestones: [{ amount: "1.00", due: (await now()) - DAY }] });
        await refusedBeforeSending(() => gov.escrow.open(t), /milestone 1 is due .*, which is not in the future/);
      });

      it("refuses an inventors' share below the council's floor", async function () {
        const gov = await as(m.centre.account);
        const t = await terms({ inventorBps: 500 });
        await refusedBeforeSending(
          () => gov.escrow.open(t),
          "the inventors' share 500 bps is below the council's floor of 1000 bps",
        );
      });

      it("refuses an unknown party", async function () {
        const gov = await as(m.centre.account);
        const t = await terms({ broker: 999 });
        await refusedBeforeSending(() => gov.escrow.open(t), "broker DID 999 is unknown");
      });

      it("refuses a caller without the trading-centre role with the decoded contract error", async function () {
        const gov = await as(m.outsider.account);
        const t = await terms();
        await refusedBeforeSending(() => gov.escrow.open(t), /^AccessManagedUnauthorized: /);
      });
    });
  });

  describe("fund", function () {
    it("approves, funds and resolves to the milestone, the buyer's DID, the amount and the status", async function () {
      const id = await opened();
      const buyer = await as(m.buyer.account);
      const approval = await buyer.escrow.approveFunding(id, 1).wait();
      expect(approval).to.deep.include({
        token: await m.currency.getAddress(),
        spender: await m.escrow.getAddress(),
        amount: FIRST,
      });
      const result = await buyer.escrow.fund(id, 1, m.buyer.did).wait();
      expect(result).to.deep.include({
        id,
        milestone: 1,
        token: await m.currency.getAddress(),
        actor: m.buyer.did,
        amount: FIRST,
        status: "Funded",
      });
      expect(result.credits).to.deep.equal([]);
      expect((await buyer.escrow.milestone(id, 1)).status).to.equal("Funded");
      expect((await buyer.escrow.show(id)).held).to.equal(FIRST);
      expect(await buyer.escrow.liabilities()).to.deep.include({
        held: FIRST,
        owed: 0n,
        balance: FIRST,
        balanced: true,
      });
    });

    it("funds with a permit signed by the buyer's key, without an approval", async function () {
      const id = await opened();
      const buyer = await as(m.buyer.account);
      const result = await buyer.escrow.fundWithPermit(id, 2, m.buyer.did).wait();
      expect(result).to.deep.include({ id, milestone: 2, actor: m.buyer.did, amount: SECOND, status: "Funded" });
      expect(await m.currency.balanceOf(m.buyer.address)).to.equal(BUYER_FUNDS - SECOND);
      expect(await m.currency.allowance(m.buyer.address, await m.escrow.getAddress())).to.equal(0n);
    });

    context("when the payment cannot be made", function () {
      it("names the missing allowance", async function () {
        const id = await opened();
        const buyer = await as(m.buyer.account);
        await refusedBeforeSending(
          () => buyer.escrow.fund(id, 1, m.buyer.did),
          "insufficient allowance: the escrow may take 0.00 of e-CNY(test), milestone 1 needs 300000.00 — approve it first or use --permit",
        );
      });

      it("names the missing balance", async function () {
        const id = await opened();
        const buyer = await as(m.buyer.account);
        await (await m.currency.connect(m.buyer.account).transfer(m.outsider.address, BUYER_FUNDS - 100n)).wait();
        await refusedBeforeSending(
          () => buyer.escrow.fundWithPermit(id, 1, m.buyer.did),
          `insufficient balance: ${m.buyer.address} holds 1.00 of e-CNY(test), milestone 1 needs 300000.00`,
        );
      });

      it("names a milestone the escrow does not have", async function () {
        const id = await opened();
        const buyer = await as(m.buyer.account);
        await refusedBeforeSending(
          () => buyer.escrow.fund(id, 3, m.buyer.did),
          `escrow ${id} has 2 milestones: no milestone 3`,
        );
        expect(() => buyer.escrow.fund(id, 0, m.buyer.did)).to.throw(
          "milestone 0 is not valid: milestones are numbered from 1",
        );
      });

      it("decodes an unknown escrow", async function () {
        const buyer = await as(m.buyer.account);
        await refusedBeforeSending(
          () => buyer.escrow.fund(9, 1, m.buyer.did),
          "EscrowUnknown: escrow 9 does not exist",
        );
      });

      it("decodes a milestone funded before", async function () {
        const id = await funded();
        const buyer = await as(m.buyer.account);
        await refusedBeforeSending(
          () => buyer.escrow.fund(id, 1, m.buyer.did),
          `EscrowUnexpectedStatus: milestone 1 of escrow ${id} is Funded`,
        );
      });
    });
  });

  describe("reassignBalance", function () {
    it("moves a deactivated payee's balance to its successor by an arbitrator's order", async function () {
      const id = await funded();
      await (await as(m.buyer.account)).escrow.confirm(id, 1, m.buyer.did).wait();
      await (await m.identity.deactivate(m.university.did, hashOf("dissolved"))).wait();
      const caseRef = hashOf("case: succession 2026-仲-31");
      const arbitrator = await as(m.arbitrator.account as Parameters<typeof GovLedger.connect>[0]);
      const moved = await arbitrator.escrow.reassignBalance(m.university.did, m.bank.did, caseRef).wait();
      expect(moved).to.deep.include({
        from: m.university.did,
        to: m.bank.did,
        actor: m.arbitrator.did,
        amount: 17_850_000n,
        caseRef,
      });
      expect(await m.escrow.balanceOf(await m.currency.getAddress(), m.bank.did)).to.equal(17_850_000n);
    });

    it("refuses a zero case reference before sending anything", async function () {
      const arbitrator = await as(m.arbitrator.account as Parameters<typeof GovLedger.connect>[0]);
      await refusedBeforeSending(
        () => arbitrator.escrow.reassignBalance(m.university.did, m.bank.did, ZeroHash),
        /case reference/,
      );
    });
  });

  describe("confirm", function () {
    it("releases the milestone and resolves to every balance credited", async function () {
      const id = await funded();
      const result = await (await as(m.buyer.account)).escrow.confirm(id, 1, m.buyer.did).wait();
      expect(result).to.deep.include({ id, milestone: 1, actor: m.buyer.did, amount: FIRST, status: "Released" });
      expect(result.credits).to.deep.equal(firstSplit());
    });

    context("when the milestone is not funded", function () {
      it("throws the decoded contract error and sends nothing", async function () {
        const id = await opened();
        const centre = await as(m.centre.account);
        const block = await ethers.provider.getBlockNumber();
        const error = await centre.escrow
          .confirm(id, 1, m.centre.did)
          .wait()
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error).to.be.instanceOf(GovLedgerError);
        expect((error as GovLedgerError).errorName).to.equal("EscrowUnexpectedStatus");
        expect((error as GovLedgerError).message).to.equal(
          `EscrowUnexpectedStatus: milestone 1 of escrow ${id} is Awaiting`,
        );
        expect((error as GovLedgerError).args).to.deep.equal({ id, milestone: 0n, status: 1n });
        expect(await ethers.provider.getBlockNumber()).to.equal(block);
      });
    });
  });

  describe("reclaim", function () {
    it("credits the buyer back after the due time", async function () {
      const id = await funded();
      const buyer = await as(m.buyer.account);
      await time.increaseTo((await buyer.escrow.milestone(id, 1)).due + 1n);
      const result = await buyer.escrow.reclaim(id, 1, m.buyer.did).wait();
      expect(result).to.deep.include({ id, milestone: 1, actor: m.buyer.did, amount: FIRST, status: "Refunded" });
      expect(result.credits).to.deep.equal([{ did: m.buyer.did, amount: FIRST }]);
    });

    context("when the milestone is not due yet", function () {
      it("names the due time and sends nothing", async function () {
        const id = await funded();
        const buyer = await as(m.buyer.account);
        const { due } = await buyer.escrow.milestone(id, 1);
        const when = new Date(Number(due) * 1000).toISOString();
        await refusedBeforeSending(
          () => buyer.escrow.reclaim(id, 1, m.buyer.did),
          `milestone 1 is due ${when}, not yet`,
        );
      });
    });
  });

  describe("dispute and rule", function () {
    it("freezes the milestone, then splits it as the arbitrator rules", async function () {
      const id = await funded();
      const reason = hashOf("the licence was not delivered");
      const dispute = await (await as(m.university.account)).escrow.dispute(id, 1, m.university.did, reason).wait();
      expect(dispute).to.deep.include({
        id,
        milestone: 1,
        actor: m.university.did,
        amount: FIRST,
        status: "Disputed",
        reasonHash: reason,
      });

      const caseRef = hashOf("(2026) 沪仲字第17号");
      const ruling = await (await as(m.arbitrator.account)).escrow.rule(id, 1, "100000.00", caseRef).wait();
      expect(ruling).to.deep.include({
        id,
        milestone: 1,
        actor: m.arbitrator.did,
        amount: FIRST,
        status: "Resolved",
        toBuyer: 10_000_000n,
        released: 20_000_000n,
        caseRef,
      });
      expect(ruling.credits[0]).to.deep.equal({ did: m.buyer.did, amount: 10_000_000n });
      expect(ruling.credits.reduce((s, c) => s + c.amount, 0n)).to.equal(FIRST);
    });

    context("when the ruling is bad", function () {
      it("refuses returning more than the milestone holds", async function () {
        const id = await disputed();
        const arbitrator = await as(m.arbitrator.account);
        await refusedBeforeSending(
          () => arbitrator.escrow.rule(id, 1, "400000.00", hashOf("case")),
          "milestone 1 holds 300000.00 of e-CNY(test): cannot return 400000.00 to the buyer",
        );
      });

      it("refuses a ruling without a case", async function () {
        const id = await disputed();
        const arbitrator = await as(m.arbitrator.account);
        expect(() => arbitrator.escrow.rule(id, 1, "1.00", ZeroHash)).to.throw("case reference is zero");
      });

      it("decodes a ruling on an undisputed milestone", async function () {
        const id = await funded();
        const arbitrator = await as(m.arbitrator.account);
        await refusedBeforeSending(
          () => arbitrator.escrow.rule(id, 1, "1.00", hashOf("case")),
          `EscrowUnexpectedStatus: milestone 1 of escrow ${id} is Funded`,
        );
      });
    });
  });

  describe("settle", function () {
    it("collects both sides' signatures and splits the milestone as they agreed", async function () {
      const id = await disputed();
      const sender = await as(m.outsider.account);
      const settlement = await sender.escrow.buildSettlement({ id, milestone: 1, toBuyer: "150000.00" });
      expect(settlement).to.deep.include({ id, milestone: 1, toBuyer: 15_000_000n });
      expect(settlement.deadline).to.equal((await now()) + DAY);

      const sellerSignature = await sender.escrow.sign(settlement, m.university.account);
      expect(sellerSignature.signer).to.equal(m.university.address);
      const result = await sender.escrow.settle(settlement, m.buyer.account, sellerSignature).wait();
      expect(result).to.deep.include({
        id,
        milestone: 1,
        actor: m.outsider.did,
        status: "Resolved",
        toBuyer: 15_000_000n,
        released: 15_000_000n,
        caseRef: ZeroHash,
      });
      expect(result.credits[0]).to.deep.equal({ did: m.buyer.did, amount: 15_000_000n });
    });

    context("when a signature cannot count", function () {
      it("refuses a signer that does not act for its side", async function () {
        const id = await disputed();
        const sender = await as(m.outsider.account);
        const settlement = await sender.escrow.buildSettlement({ id, milestone: 1, toBuyer: "1.00" });
        await refusedBeforeSending(
          () => sender.escrow.settle(settlement, m.buyer.account, m.bank.account),
          `the seller's signer ${m.bank.address} does not act for seller DID ${m.university.did}`,
        );
      });

      it("refuses a signature of another settlement", async function () {
        const id = await disputed();
        const sender = await as(m.outsider.account);
        const settlement = await sender.escrow.buildSettlement({ id, milestone: 1, toBuyer: "1.00" });
        const other = await sender.escrow.sign({ ...settlement, toBuyer: 0n }, m.university.account);
        await refusedBeforeSending(
          () => sender.escrow.settle(settlement, m.buyer.account, other),
          `the seller's signature is not ${m.university.address}'s signature of this settlement`,
        );
      });

      it("refuses an expired settlement", async function () {
        const id = await disputed();
        const sender = await as(m.outsider.account);
        const deadline = (await now()) + 60n;
        const settlement = await sender.escrow.buildSettlement({ id, milestone: 1, toBuyer: "1.00", deadline });
        await time.increase(120);
        const when = new Date(Number(deadline) * 1000).toISOString();
        await refusedBeforeSending(
          () => sender.escrow.settle(settlement, m.buyer.account, m.university.account),
          `the settlement expired at ${when}`,
        );
      });
    });
  });

  describe("withdraw and balances", function () {
    it("pays a DID's balance to its account and shows balances across tokens", async function () {
      const id = await funded();
      const uni = await as(m.university.account);
      await (await as(m.buyer.account)).escrow.confirm(id, 1, m.buyer.did).wait();
      const info = { address: await m.currency.getAddress(), symbol: "e-CNY(test)", decimals: 2 };
      expect(await uni.escrow.balances(m.university.did)).to.deep.equal([{ token: info, amount: 17_850_000n }]);

      const result = await uni.escrow.withdraw(m.university.did).wait();
      expect(result).to.deep.include({
        did: m.university.did,
        token: info.address,
        to: m.university.address,
        amount: 17_850_000n,
      });
      expect(await m.currency.balanceOf(m.university.address)).to.equal(17_850_000n);
      expect(await uni.escrow.balances(m.university.did)).to.deep.equal([{ token: info, amount: 0n }]);
      expect(await uni.escrow.liabilities(info.address)).to.deep.equal({
        token: info,
        held: 0n,
        owed: FIRST - 17_850_000n,
        balance: FIRST - 17_850_000n,
        balanced: true,
      });
    });

    context("when there is nothing to withdraw", function () {
      it("says so and sends nothing", async function () {
        await opened();
        const uni = await as(m.university.account);
        await refusedBeforeSending(
          () => uni.escrow.withdraw(m.university.did),
          `DID ${m.university.did} has nothing to withdraw`,
        );
        const token = await m.currency.getAddress();
        await refusedBeforeSending(
          () => uni.escrow.withdraw(m.university.did, { token }),
          `DID ${m.university.did} has nothing of e-CNY(test) to withdraw`,
        );
      });
    });
  });

  describe("pause", function () {
    it("lets a guardian pause the escrow through the facade", async function () {
      const guardian = await as(m.guardian);
      await guardian.pause("SettlementEscrow").wait();
      expect(await guardian.isPaused("SettlementEscrow")).to.equal(true);
    });
  });
});
