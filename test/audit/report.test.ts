import { expect } from "chai";
import { readFileSync } from "fs";
import { ethers } from "hardhat";
import { id } from "ethers";
import { auditReport, toJsonText, type AuditOptions, type AuditReport } from "../../src/audit";
import { GovLedger } from "../../src/sdk";
import { StandInCurrency__factory } from "../../typechain-types";
import { demoChain, demoNames, type DemoChain } from "./demo-run";
import { InProcessRpc, serveInProcessChain } from "./rpc";

const SYMBOL = "e-CNY(test)";
const IP_OFFICE = "Municipal Intellectual Property Office (市知识产权局)";
const EXCHANGE = "Technology Exchange Centre (技术交易中心)";
const ARBITRATION = "Provincial Arbitration Commission (仲裁委员会)";

describe("audit report", function () {
  let demo: DemoChain;
  let gl: GovLedger;
  const audit = (options: Partial<AuditOptions> = {}) =>
    auditReport(gl, { from: 0, to: demo.head, names: demoNames(demo), ...options });

  before(async function () {
    demo = await demoChain();
    gl = await GovLedger.connect(ethers.provider, demo.deployment);
  });

  describe("of the demo's run", function () {
    let r: AuditReport;

    before(async function () {
      r = await audit();
    });

    it("reconciles every token paid in with zero difference", function () {
      expect(r.mismatches).to.deep.equal([]);
      expect(r.reconciled).to.equal(true);
      expect(r.settlement.strays).to.deep.equal([]);
      const [token] = r.settlement.tokens;
      expect(r.settlement.tokens).to.have.lengthOf(1);
      expect(token.token).to.deep.include({
        symbol: SYMBOL,
        decimals: 2,
        address: demo.deployment.contracts.StandInCurrency,
      });
      for (const holder of [token.escrow, token.market, token.total]) {
        expect(holder.difference.value).to.equal(0n);
        expect(holder.actual.value).to.equal(0n);
      }
    });

    it("books the auction's deposits, the deal and the three milestones as the demo paid them", function () {
      const { escrow, market, total } = r.settlement.tokens[0];
      // Two ¥50,000.00 deposits: the loser's refunded, the winner's moved into escrow at the deal.
      expect(market.depositsPaid).to.deep.equal({ value: 10_000_000n, display: `100000.00 ${SYMBOL}` });
      expect(market.depositsRefunded.value).to.equal(5_000_000n);
      expect(market.depositsMoved.value).to.equal(5_000_000n);
      // ¥900,000.00: the deposit, then ¥340,000.00 and ¥510,000.00 funded by Greenvolt.
      expect(escrow.depositsMoved.value).to.equal(5_000_000n);
      expect(escrow.fundedByBuyers.value).to.equal(85_000_000n);
      // Milestone 3 ruled: ¥51,000.00 back to the buyer, the rest released.
      expect(escrow.released.value).to.equal(84_900_000n);
      expect(escrow.refunded.value).to.equal(5_100_000n);
      expect(escrow.credited.value).to.equal(90_000_000n);
      expect(escrow.withdrawn.value).to.equal(90_000_000n);
      expect([escrow.heldActual.value, escrow.owedActual.value, market.heldActual.value]).to.deep.equal([0n, 0n, 0n]);
      expect([total.in.value, total.out.value]).to.deep.equal([95_000_000n, 95_000_000n]);

      const [deal] = r.market.dealRows;
      expect(r.market.dealRows).to.have.lengthOf(1);
      expect(deal).to.deep.include({ listing: 1n, mode: "auction", price: 90_000_000n, escrow: 1n, licence: 1n });
      expect(deal.buyer).to.equal("Greenvolt Battery Co. (绿伏电池公司)");
      const [e] = r.settlement.escrows;
      expect(r.settlement.escrows).to.have.lengthOf(1);
      expect(e).to.deep.include({ id: 1n, listing: 1n, centre: EXCHANGE });
      for (const [field, value] of Object.entries({
        total: 90_000_000n,
        funded: 90_000_000n,
        depositsMoved: 5_000_000n,
        withdrawn: 90_000_000n,
        owed: 0n,
        heldActual: 0n,
        difference: 0n,
      })) {
        expect((e as unknown as Record<string, { value: bigint }>)[field].value, field).to.equal(value);
      }
      const kinds = r.settlement.entries.map((x) => x.kind);
      expect(kinds.filter((k) => k === "deposit")).to.have.lengthOf(2);
      expect(kinds.filter((k) => k === "deposit-refund")).to.have.lengthOf(1);
      expect(kinds.filter((k) => k === "deposit-to-escrow")).to.have.lengthOf(1);
      expect(kinds.filter((k) => k === "funding")).to.have.lengthOf(2);
      expect(kinds.filter((k) => k === "withdrawal")).to.have.lengthOf(5);
    });

    it("pays each payee what the demo's withdrawals say, and its balance ends at zero", function () {
      const story = JSON.parse(readFileSync("out/demo-report.json", "utf8")) as {
        steps: { action: string; detail: { paid?: Record<string, string> } }[];
      };
      const paid = story.steps.find((s) => s.action.startsWith("reconciles the escrow"))!.detail.paid!;
      const withdrawn = r.settlement.payees.map((p) => p.withdrawn.value).sort((a, b) => (a < b ? -1 : 1));
      const expected = Object.values(paid)
        .map(BigInt)
        .sort((a, b) => (a < b ? -1 : 1));
      expect(withdrawn).to.deep.equal(expected);
      const byName = Object.fromEntries(r.settlement.payees.map((p) => [p.organisation, p.withdrawn.value]));
      expect(byName).to.deep.include({
        [EXCHANGE]: 2_547_000n,
        "Provincial University of Technology (省理工大学)": 51_704_100n,
        "Greenvolt Battery Co. (绿伏电池公司)": 5_100_000n,
      });
      for (const p of r.settlement.payees) {
        expect(p.credited.value, p.organisation).to.equal(p.withdrawn.value);
        expect([p.actual.value, p.difference.value], p.organisation).to.deep.equal([0n, 0n]);
      }
    });

    it("counts what every module recorded", function () {
      expect(r.evidence).to.deep.equal({
        records: 3, // the contract, the transcript and its correction
        batches: 0,
        roots: 1,
        documents: 203, // and 200 case records under one root
        superseded: 1,
        revoked: 1,
        revokedByOrder: 1,
        endorsed: 0,
        status: { valid: 201, superseded: 1, revoked: 1 },
      });
      expect(r.identity).to.deep.include({
        claimsIssued: 5,
        claimsRevoked: 0,
        consentsGranted: 1,
        consentsRevoked: 1,
        accessesRecorded: 1,
        recoveriesCompleted: 1,
        didsSuspended: 1,
      });
      expect(r.identity.claimTopics.map((t) => [t.topic, t.issued])).to.deep.equal([
        [1, 2],
        [2, 1],
        [3, 2],
      ]);
      expect(r.identity.claimTopics[1].name).to.equal("high-tech enterprise (高新技术企业)");
      expect(r.achievements).to.deep.include({
        registered: 1,
        evaluated: 1,
        pledged: 1,
        pledgesReleased: 1,
        rightsChanged: 1,
      });
      expect(r.achievements.items).to.deep.equal([
        {
          id: 312026200042n,
          registeredBy: "Provincial Department of Science and Technology (省科技厅)",
          evaluations: 1,
          pledges: 1,
          listings: 1,
          licences: 1,
        },
      ]);
      expect(r.market).to.deep.include({
        listingsSubmitted: 1,
        listingsPublished: 1,
        biddersRegistered: 2,
        bids: 4,
        deals: 1,
      });
      expect(r.market.listings[0]).to.deep.include({
        id: 1n,
        mode: "auction",
        status: "Dealt",
        price: 80_000_000n,
        centre: EXCHANGE,
      });
      expect(r.licences.items).to.deep.equal([
        {
          id: 1n,
          achievement: 312026200042n,
          licensee: "Greenvolt Battery Co. (绿伏电池公司)",
          recordedBy: EXCHANGE,
          kind: "exclusive",
          terminated: false,
        },
      ]);
      expect(r.techContracts).to.deep.equal({ registered: 1, certified: 1, annulled: 0 });
      // The deploy admitted the four founders; the demo admitted four more.
      expect(r.consortium).to.deep.include({ membersAdmitted: 8, proposalsCancelled: 1 });
    });

    it("counts each organisation's acts under its registered name", function () {
      const org = (name: string) => r.organisations.find((o) => o.name === name)!;
      expect(org(IP_OFFICE).byAction).to.deep.include({
        NotaryEnrolled: 1,
        RootAnchored: 1,
        Notarized: 3,
        ClaimIssued: 3,
      });
      expect(org(IP_OFFICE).byModule.evidence).to.equal(5);
      expect(org(IP_OFFICE).dids).to.deep.equal([1n]);
      // The commission revoked the contract by order before it had a DID: the sender's member counts.
      expect(org(ARBITRATION).byAction).to.deep.include({ Revoked: 1, MilestoneResolved: 1 });
      expect(org(EXCHANGE).byAction).to.deep.include({
        ListingPublished: 1,
        DealConfirmed: 1,
        LicenceRecorded: 1,
        ContractRegistered: 1,
        CertificateIssued: 1,
        Withdrawn: 1,
      });
      expect(org("Greenvolt Battery Co. (绿伏电池公司)").byAction).to.deep.include({
        BidderRegistered: 1,
        BidPlaced: 2,
        MilestoneFunded: 3,
        MilestoneDisputed: 1,
      });
      expect(org("the council").byAction).to.deep.include({ MemberAdmitted: 8 });
      const totals = r.organisations.map((o) => o.total);
      expect(totals).to.deep.equal([...totals].sort((a, b) => b - a));
    });
  });

  describe("a ledger mismatched outside the flow", function () {
    let strayBlock: number;
    let strayTx: string;
    let marketTx: string;
    let marketBlock: number;

    before(async function () {
      await demoChain();
      const [deployer] = await ethers.getSigners();
      const currency = StandInCurrency__factory.connect(demo.deployment.contracts.StandInCurrency, deployer);
      await (await currency.mint(deployer.address, 200_000n)).wait();
      const sent = await (await currency.transfer(demo.deployment.contracts.SettlementEscrow, 123_456n)).wait();
      [strayBlock, strayTx] = [sent!.blockNumber, sent!.hash];
      const moved = await (await currency.transfer(demo.deployment.contracts.LicenceMarket, 7n)).wait();
      [marketBlock, marketTx] = [moved!.blockNumber, moved!.hash];
    });

    it("flags the escrow's balance and the transfer with the exact amount and where", async function () {
      const r = await audit({ from: strayBlock, to: strayBlock });
      expect(r.reconciled).to.equal(false);
      expect(r.mismatches).to.have.lengthOf(2);
      const [balance, transfer] = r.mismatches;
      expect(balance.where).to.equal(
        `SettlementEscrow balance of ${SYMBOL} (${demo.deployment.contracts.StandInCurrency}) at block ${strayBlock}`,
      );
      expect(balance.difference).to.deep.equal({ value: 123_456n, display: `1234.56 ${SYMBOL}` });
      expect(transfer).to.deep.include({
        where: `tx ${strayTx} (block ${strayBlock})`,
        block: strayBlock,
        tx: strayTx,
      });
      expect(transfer.difference.value).to.equal(123_456n);
      expect(transfer.what).to.include(`into SettlementEscrow from ${(await ethers.getSigners())[0].address}`);
      expect(r.settlement.strays).to.deep.equal([
        {
          block: strayBlock,
          tx: strayTx,
          token: demo.deployment.contracts.StandInCurrency,
          holder: "SettlementEscrow",
          direction: "in",
          amount: { value: 123_456n, display: `1234.56 ${SYMBOL}` },
          counterparties: [(await ethers.getSigners())[0].address],
        },
      ]);
    });

    it("flags each holder over a range with both transfers, while the demo's range still reconciles", async function () {
      const r = await audit({ from: strayBlock, to: marketBlock });
      const differences = r.mismatches.map((m) => [
        m.where.split(" at block")[0].split(" (block")[0],
        m.difference.value,
      ]);
      expect(differences).to.deep.equal([
        [`SettlementEscrow balance of ${SYMBOL} (${demo.deployment.contracts.StandInCurrency})`, 123_456n],
        [`LicenceMarket balance of ${SYMBOL} (${demo.deployment.contracts.StandInCurrency})`, 7n],
        [`tx ${strayTx}`, 123_456n],
        [`tx ${marketTx}`, 7n],
      ]);
      // Nothing else is off: what the escrow holds and owes, and the deposits, match the events.
      const { escrow, market } = r.settlement.tokens[0];
      expect(escrow.heldActual).to.deep.equal(escrow.heldExpected);
      expect(escrow.owedActual).to.deep.equal(escrow.owedExpected);
      expect(market.heldActual.value).to.equal(0n);
      expect((await audit()).reconciled).to.equal(true);
    });

    it("attributes a claim revoked after the range it was issued in to its issuer", async function () {
      const ip = await GovLedger.connect((await ethers.getSigners())[2], demo.deployment);
      const team = [...demoNames(demo)].find(([, name]) => name.includes("battery research team"))![0];
      const [claim] = await ip.identity.claimsOf(team);
      const from = (await ethers.provider.getBlockNumber()) + 1;
      await ip.identity.revokeClaim(claim.id, id("the team was merged")).wait();
      const r = await audit({ from, to: "latest" });
      expect(r.identity).to.deep.include({ claimsRevoked: 1, claimsIssued: 0 });
      expect(r.identity.claimTopics).to.deep.equal([
        { topic: 1, name: "research institution (科研机构)", issued: 0, revoked: 1 },
      ]);
      expect(r.organisations.map((o) => [o.name, o.byAction])).to.deep.equal([[IP_OFFICE, { ClaimRevoked: 1 }]]);
    });
  });

  describe("paging", function () {
    const comparable = (r: AuditReport) =>
      toJsonText({ ...r, generatedAt: "", range: { ...r.range, pageSize: 0, pages: 0 } });

    it("gives the same report with pages of 7 blocks as in one page, never reading more than a page at once", async function () {
      const rpc = new InProcessRpc(demo.deployment.chainId);
      try {
        const paged = await auditReport(await GovLedger.connect(rpc, demo.deployment), {
          from: 0,
          to: demo.head,
          pageSize: 7,
          names: demoNames(demo),
        });
        expect(paged.range.pages).to.equal(Math.ceil((demo.head + 1) / 7));
        expect(Math.max(...rpc.spans)).to.equal(7);
        expect(rpc.spans).to.have.lengthOf(paged.range.pages * 3);
        expect(comparable(paged)).to.equal(comparable(await audit()));
      } finally {
        rpc.destroy();
      }
    });

    it("reads through the FailoverProvider past a node that is down", async function () {
      const node = await serveInProcessChain();
      // Port 9 (discard) on loopback: nothing listens, the connection is refused.
      const gl = await GovLedger.connectRpc(["http://127.0.0.1:9", node.url], demo.deployment);
      try {
        const r = await auditReport(gl, { from: 0, to: demo.head, pageSize: 60, names: demoNames(demo) });
        expect(r.range.pages).to.equal(Math.ceil((demo.head + 1) / 60));
        expect(comparable(r)).to.equal(comparable(await audit()));
      } finally {
        gl.close();
        await node.close();
      }
    });

    it("halves a page a node refuses as too large, down to what it answers", async function () {
      const rpc = new InProcessRpc(demo.deployment.chainId, 3);
      try {
        const split = await auditReport(await GovLedger.connect(rpc, demo.deployment), {
          from: 0,
          to: demo.head,
          pageSize: 50,
          names: demoNames(demo),
        });
        expect(rpc.spans.filter((s) => s <= 3).length).to.be.greaterThan(0);
        expect(comparable(split)).to.equal(comparable(await audit()));
      } finally {
        rpc.destroy();
      }
    });

    it("opens a range that starts mid-settlement with the balances and milestones held just before it", async function () {
      const full = await audit();
      const ruling = full.settlement.entries.find((e) => e.kind === "refund")!.block;
      const r = await audit({ from: ruling, pageSize: 3 });
      expect(r.reconciled).to.equal(true);
      const { escrow } = r.settlement.tokens[0];
      // Before the ruling the escrow held the disputed ¥510,000.00 and owed the first two milestones' credits.
      expect(escrow.opening.value).to.equal(51_000_000n + 39_000_000n);
      expect(escrow.in.value).to.equal(0n);
      expect(escrow.out.value).to.equal(90_000_000n);
      const [e] = r.settlement.escrows;
      expect([e.openingHeld.value, e.released.value, e.refunded.value, e.heldActual.value]).to.deep.equal([
        51_000_000n,
        45_900_000n,
        5_100_000n,
        0n,
      ]);
      // Withdrawals pay the oldest credits first: the earlier milestones' credits came before the range.
      expect(e.withdrawn.value).to.equal(51_000_000n);
      const openings = r.settlement.payees.reduce((s, p) => s + p.opening.value, 0n);
      expect(openings).to.equal(39_000_000n);
    });
  });
});
