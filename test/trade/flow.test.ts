import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployments, ethers } from "hardhat";
import { id, type Signer } from "ethers";
import {
  GovLedger,
  GovLedgerError,
  deploymentFromRecords,
  formatRegistrationNumber,
  toGovLedgerError,
  type Call,
  type Credit,
  type DealConfirmed,
  type Deployment,
  type GovLedger as Gov,
} from "../../src/sdk";
import { BUYER_FUNDS, ListingStatus, MilestoneStatus, tradeFixture, type TradeModule } from "../helpers/trade";

const DAY = 86_400n;
const YEAR = 365n * DAY;
const FIELD = 48_020;
const SHANGHAI = 310_000;
const GUANGDONG = 440_000;
const PATENT = formatRegistrationNumber({ region: 31, year: 2026, type: 2, serial: 917 });
const SECOND_PATENT = formatRegistrationNumber({ region: 31, year: 2026, type: 2, serial: 918 });
const SUNRISE_FUNDS = 200_000_000n; // 2,000,000.00
const RESERVE = 80_000_000n; // 800,000.00
const DEPOSIT = 5_000_000n; // 50,000.00
const PRICE = 90_000_000n; // 900,000.00, Greenvolt's winning bid
const INSTALMENT_1 = ((PRICE - DEPOSIT) * 4_000n) / 10_000n; // 40 % of the rest: 340,000.00
const INSTALMENT_2 = PRICE - DEPOSIT - INSTALMENT_1; // 60 % of the rest: 510,000.00
// One fen more than the demo's 51,000.00, so that the ruling's release leaves dust for the split's rules.
const TO_BUYER = 5_100_001n;
const DEAL_REF = id("deal confirmation SH-TEC-2026-0917-CJ (成交确认书)");
const CASE = id("case 2026-沪仲-0117");

/** Sends `call`, which must be refused by the chain with `errorName` and exactly `args`. */
async function expectRefused(call: Call<unknown>, errorName: string, args: Record<string, unknown>): Promise<void> {
  await expectChainRefused(call.wait(), errorName, args);
}

/** `attempt` (a dry run sent straight to a contract) must be refused with `errorName` and exactly `args`. */
async function expectChainRefused(
  attempt: Promise<unknown>,
  errorName: string,
  args: Record<string, unknown>,
): Promise<void> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => toGovLedgerError(e),
  );
  expect(error, `expected ${errorName}`).to.be.instanceOf(GovLedgerError);
  expect((error as GovLedgerError).errorName).to.equal(errorName);
  expect((error as GovLedgerError).args).to.deep.equal(args);
}

/** `call` must be refused by the SDK with `message` before anything is sent: no block, no nonce used. */
async function expectStoppedBeforeSending(signer: Signer, call: Call<unknown>, message: string): Promise<void> {
  const [block, nonce] = [await ethers.provider.getBlockNumber(), await signer.getNonce()];
  const error = await call.wait().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a refusal: ${message}`).to.be.instanceOf(Error);
  expect(error).not.to.be.instanceOf(GovLedgerError);
  expect((error as Error).message).to.equal(message);
  expect(await ethers.provider.getBlockNumber(), "block number").to.equal(block);
  expect(await signer.getNonce(), "nonce").to.equal(nonce);
}

async function blockTime(blockNumber: number): Promise<bigint> {
  return BigInt((await ethers.provider.getBlock(blockNumber))!.timestamp);
}

function iso(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString();
}

/** The split of the escrow's release of `amount`, computed here from its rules, credit by credit in its order. */
interface SplitRules {
  centre: bigint;
  centreFeeBps: bigint;
  inventorBps: bigint;
  inventors: bigint[];
  holders: { did: bigint; bps: bigint }[];
}

function splitOf(amount: bigint, r: SplitRules): Credit[] {
  const credits: Credit[] = [];
  const centreFee = (amount * r.centreFeeBps) / 10_000n;
  credits.push({ did: r.centre, amount: centreFee });
  const pool = (amount * r.inventorBps) / 10_000n;
  const each = pool / BigInt(r.inventors.length);
  // Equal parts; the first inventor takes the dust.
  for (const did of r.inventors.slice(1)) credits.push({ did, amount: each });
  credits.push({ did: r.inventors[0], amount: pool - each * BigInt(r.inventors.length - 1) });
  // The rest by income share; the first holder takes the dust.
  const rest = amount - centreFee - pool;
  let paid = 0n;
  for (const h of r.holders.slice(1)) {
    const part = (rest * h.bps) / 10_000n;
    paid += part;
    credits.push({ did: h.did, amount: part });
  }
  credits.push({ did: r.holders[0].did, amount: rest - paid });
  return credits.filter((c) => c.amount !== 0n);
}

/**
 * The demo's climax (chapter 10) as a user journey through the SDK, checking the chain at every step
 * (the steps run in order and build on each other): the co-owners list the patent at auction and the
 * exchange centre publishes it only once both approved; two companies register and pay deposits; the
 * seller cannot bid; bids must beat the highest by the increment; Greenvolt wins and Sunrise takes its
 * deposit back; the centre confirms the deal, which opens the escrow (deposit prefunded) and records a
 * five-year licence; Greenvolt pays two instalments, disputes the second, the arbitration commission
 * rules; every party withdraws exactly its split; the technology contract is registered and certified;
 * the licence is checked, and ends. Last, a second patent is licensed at a negotiated price, after
 * the notice period.
 */
describe("Trade flow: list, auction, deal, escrow, dispute, ruling, withdrawals, licence", function () {
  let m: TradeModule;
  let deployment: Deployment;
  let token: string;
  let sci: Gov;
  let uni: Gov;
  let lead: Gov;
  let centre: Gov;
  let green: Gov;
  let sun: Gov;
  let arbiter: Gov;
  let sunriseKey: Signer;
  let sunrise: bigint;
  let greenvolt: bigint;
  let listing: bigint;
  let biddingEnds: bigint;
  let awardedAt: bigint;
  let deal: DealConfirmed;
  let dealAt: bigint;
  let rules: SplitRules;
  const credited = new Map<bigint, bigint>();

  const credit = (credits: Credit[]) => {
    for (const c of credits) credited.set(c.did, (credited.get(c.did) ?? 0n) + c.amount);
  };

  async function registerPatent(number: bigint, patentNumber: string): Promise<void> {
    const registered = await sci.achievement
      .register({
        registrationNumber: number.toString(),
        kind: "patent",
        classification: "applied-research",
        metadata: id(`registration form ${number}`),
        metadataURI: `https://registry.sci.example/forms/${number}`,
        externalIds: [id(patentNumber)],
        owners: [
          { did: m.university.did, bps: 7_000 },
          { did: m.team.did, bps: 3_000 },
        ],
        inventors: [m.team.did, m.inventor.did],
        holder: m.university.address,
        form: {
          name: "一种高安全性固态锂电池电解质及其制备方法",
          researchStart: 1_630_454_400,
          researchEnd: 1_767_139_200,
          field: FIELD,
          form: 1,
          stage: 2,
          keywords: ["固态电池 solid-state battery", "电解质 electrolyte"],
        },
      })
      .wait();
    expect(registered).to.deep.include({ id: number, status: "Registered" });
  }

  before(async function () {
    m = await tradeFixture();
    deployment = deploymentFromRecords("hardhat", 31337n, await deployments.all());
    token = await m.currency.getAddress();
    const as = (signer: Signer) => GovLedger.connect(signer, deployment);
    sci = await as(m.registrar);
    uni = await as(m.university.account);
    lead = await as(m.team.account);
    centre = await as(m.centre.account);
    green = await as(m.buyer.account);
    arbiter = await as(m.arbitrator.account);
    sunriseKey = (await ethers.getSigners())[16];
    sun = await as(sunriseKey);
    greenvolt = m.buyer.did;
    rules = {
      centre: m.centre.did,
      centreFeeBps: 300n,
      inventorBps: 1_000n,
      inventors: [m.team.did, m.inventor.did],
      holders: [
        { did: m.university.did, bps: 7_000n },
        { did: m.team.did, bps: 3_000n },
      ],
    };
  });

  it("registers the patent, co-owned 70/30, and a second bidder funded with the stand-in currency", async function () {
    await registerPatent(PATENT, "ZL202610123456.7");
    const view = await sci.achievement.show(PATENT);
    expect(view.rights.Disposal.holdings).to.deep.equal([
      { did: m.university.did, bps: 7_000 },
      { did: m.team.did, bps: 3_000 },
    ]);
    expect(view.rights.Income.holdings).to.deep.equal(view.rights.Disposal.holdings);
    expect(view.inventors).to.deep.equal([m.team.did, m.inventor.did]);

    const r = await sci.identity
      .register({
        kind: "organisation",
        commitment: id("salted record of Sunrise Energy"),
        keys: [{ account: await sunriseKey.getAddress(), purposes: 3 }],
      })
      .wait();
    sunrise = r.id;
    expect(await sci.identity.statusOf(sunrise)).to.equal("Active");
    expect((await sci.identity.didOf(await sunriseKey.getAddress()))?.id).to.equal(sunrise);
    await (await m.currency.mint(await sunriseKey.getAddress(), SUNRISE_FUNDS)).wait();
    expect(await m.currency.balanceOf(await sunriseKey.getAddress())).to.equal(SUNRISE_FUNDS);
    expect(await m.currency.balanceOf(m.buyer.address)).to.equal(BUYER_FUNDS);
    expect(await sci.identity.statusOf(m.arbitrator.did)).to.equal("Active");
  });

  it("lists the patent at auction for the university; the listing waits for the co-owner", async function () {
    biddingEnds = BigInt(await time.latest()) + 3n * DAY;
    const listed = await uni.market
      .list(
        {
          achievement: PATENT,
          centre: m.centre.did,
          mode: "auction",
          price: "800000.00",
          deposit: "50000.00",
          increment: "10000.00",
          biddingEnds,
          licence: { kind: "exclusive", field: FIELD, territory: SHANGHAI, term: { years: 5 } },
          schedule: [
            { percent: 40, dueAfterDays: 30 },
            { percent: 60, dueAfterDays: 90 },
          ],
          inventorBps: 1_000,
          termsHash: id("listing document SH-TEC-2026-0917 (挂牌文件)"),
        },
        m.university.did,
      )
      .wait();
    expect(listed).to.deep.include({
      id: 1n,
      achievement: PATENT,
      lister: m.university.did,
      actor: m.university.did,
      centre: m.centre.did,
      mode: "auction",
      token,
      price: RESERVE,
    });
    expect(listed.broker).to.equal(undefined);
    listing = listed.id;

    const view = await sci.market.show(listing);
    expect(view).to.deep.include({
      id: listing,
      achievement: PATENT,
      mode: "auction",
      status: "Submitted",
      lister: m.university.did,
      centre: m.centre.did,
      price: "800000.00",
      deposit: "50000.00",
      increment: "10000.00",
      biddingEnds: new Date(Number(biddingEnds) * 1000),
      centreFeeBps: 0,
      brokerBps: 0,
      inventorBps: 1_000,
    });
    expect(view.broker).to.equal(undefined);
    expect(view.licence).to.deep.equal({
      kind: "exclusive",
      field: BigInt(FIELD),
      territory: BigInt(SHANGHAI),
      termDays: 5 * 365,
      sublicensable: false,
    });
    expect(view.schedule).to.deep.equal([
      { number: 1, bps: 4_000, percent: 40, dueAfterDays: 30 },
      { number: 2, bps: 6_000, percent: 60, dueAfterDays: 90 },
    ]);
    expect(view.sale).to.deep.equal({ status: "Submitted", round: 0 });
    expect(await m.market.hasApproved(listing, m.university.did)).to.equal(true);
    expect(await m.market.hasApproved(listing, m.team.did)).to.equal(false);
    expect((await sci.achievement.show(PATENT)).status).to.equal("Registered");
  });

  it("refuses publishing before the co-owner approves: the SDK before sending, and the chain", async function () {
    await expectStoppedBeforeSending(
      m.centre.account,
      centre.market.publish(listing, 300),
      `disposal-right party DID ${m.team.did} has not approved listing ${listing}: it approves first (govledger trade approve ${listing} --as ${m.team.did})`,
    );
    await expectChainRefused(centre.market.market.publish.staticCall(listing, 300), "MarketApprovalMissing", {
      id: listing,
      did: m.team.did,
    });
    expect((await sci.market.show(listing)).status).to.equal("Submitted");
  });

  it("publishes once the team approves: the patent is Listed", async function () {
    const approved = await lead.market.approve(listing, m.team.did).wait();
    expect(approved).to.deep.include({ id: listing, did: m.team.did, actor: m.team.did });
    expect(await m.market.hasApproved(listing, m.team.did)).to.equal(true);

    const published = await centre.market.publish(listing, 300).wait();
    expect(published).to.deep.include({ id: listing, centre: m.centre.did, centreFeeBps: 300 });
    const view = await sci.market.show(listing);
    expect(view).to.deep.include({ status: "Published", centreFeeBps: 300 });
    expect(view.sale).to.deep.equal({ status: "Published", round: 0 });
    expect((await m.market.saleOf(listing)).status).to.equal(ListingStatus.Published);
    expect((await sci.achievement.show(PATENT)).status).to.equal("Listed");
  });

  it("refuses the seller registering to bid on its own auction", async function () {
    await expectStoppedBeforeSending(
      m.university.account,
      uni.market.registerBidder(listing, m.university.did),
      `DID ${m.university.did} is the lister of listing ${listing}: the seller side cannot buy or bid`,
    );
    await expectChainRefused(
      uni.market.market.registerBidder.staticCall(listing, m.university.did),
      "MarketSellerCannotBuy",
      { id: listing, did: m.university.did },
    );
    expect((await sci.market.bidder(listing, m.university.did)).registered).to.equal(false);
  });

  it("registers Greenvolt and Sunrise as bidders, each paying the deposit into the market", async function () {
    const market = await m.market.getAddress();
    for (const [gl, party, funds] of [
      [green, m.buyer, BUYER_FUNDS],
      [sun, { did: sunrise, address: await sunriseKey.getAddress() }, SUNRISE_FUNDS],
    ] as const) {
      const approval = await gl.market.approveDeposit(listing).wait();
      expect(approval).to.deep.include({ token, spender: market, amount: DEPOSIT });
      const registered = await gl.market.registerBidder(listing, party.did).wait();
      expect(registered).to.deep.include({ id: listing, did: party.did, actor: party.did, deposit: DEPOSIT });
      expect(await m.currency.balanceOf(party.address)).to.equal(funds - DEPOSIT);
      expect(await sci.market.bidder(listing, party.did)).to.deep.equal({
        registered: true,
        rejected: false,
        hasBid: false,
        deposit: "50000.00",
      });
    }
    expect(await m.market.liabilities(token)).to.equal(2n * DEPOSIT);
    expect(await m.currency.balanceOf(market)).to.equal(2n * DEPOSIT);
  });

  it("takes bids that beat the highest by the increment, and refuses one that does not", async function () {
    for (const [gl, did, amount, units] of [
      [sun, sunrise, "800000.00", 80_000_000n],
      [green, greenvolt, "850000.00", 85_000_000n],
    ] as const) {
      const placed = await gl.market.bid(listing, amount, did).wait();
      expect(placed).to.deep.include({ id: listing, bidder: did, actor: did, amount: units });
      expect((await sci.market.show(listing)).sale).to.deep.equal({
        status: "Published",
        round: 0,
        buyer: did,
        price: amount,
      });
    }
    await expectStoppedBeforeSending(
      sunriseKey,
      sun.market.bid(listing, "855000.00", sunrise),
      "the bid 855000.00 is below the minimum 860000.00 e-CNY(test) (the highest bid 850000.00 plus the increment 10000.00)",
    );
    await expectChainRefused(sun.market.market.bid.staticCall(listing, 85_500_000n, sunrise), "MarketBidTooLow", {
      id: listing,
      amount: 85_500_000n,
      minimum: 86_000_000n,
    });
    for (const [gl, did, amount, units] of [
      [sun, sunrise, "860000.00", 86_000_000n],
      [green, greenvolt, "900000.00", PRICE],
    ] as const) {
      const placed = await gl.market.bid(listing, amount, did).wait();
      expect(placed).to.deep.include({ id: listing, bidder: did, amount: units });
    }
    expect((await sci.market.show(listing)).sale).to.deep.equal({
      status: "Published",
      round: 0,
      buyer: greenvolt,
      price: "900000.00",
    });
    expect((await sci.market.bidder(listing, sunrise)).hasBid).to.equal(true);
  });

  it("closes the auction after the deadline: Greenvolt wins at 900,000.00", async function () {
    await expectStoppedBeforeSending(
      sunriseKey,
      sun.market.closeAuction(listing),
      `bidding on listing ${listing} runs until ${iso(biddingEnds)}: close it after that`,
    );
    await time.increaseTo(biddingEnds);
    const closed = await sun.market.closeAuction(listing).wait();
    awardedAt = await blockTime(closed.blockNumber);
    expect(closed).to.deep.include({
      id: listing,
      status: "Awarded",
      winner: greenvolt,
      price: PRICE,
      dealableAt: awardedAt,
    });
    const view = await sci.market.show(listing);
    expect(view.status).to.equal("Awarded");
    expect(view.sale).to.deep.equal({
      status: "Awarded",
      round: 0,
      buyer: greenvolt,
      price: "900000.00",
      dealableAt: new Date(Number(awardedAt) * 1000),
      lapsesAt: new Date(Number(awardedAt + 30n * DAY) * 1000),
    });
  });

  it("pays the loser's deposit back exactly, and keeps the winner's", async function () {
    const back = await sun.market.withdrawDeposit(listing, sunrise).wait();
    expect(back).to.deep.include({
      id: listing,
      did: sunrise,
      to: await sunriseKey.getAddress(),
      amount: DEPOSIT,
      token,
    });
    expect(await m.currency.balanceOf(await sunriseKey.getAddress())).to.equal(SUNRISE_FUNDS);
    expect((await sci.market.bidder(listing, sunrise)).deposit).to.equal("0.00");
    await expectStoppedBeforeSending(
      m.buyer.account,
      green.market.withdrawDeposit(listing, greenvolt),
      `the deposit of DID ${greenvolt} on listing ${listing} is the winner's: it counts toward the price at the deal, or comes back if the award lapses (from ${iso(awardedAt + 30n * DAY)})`,
    );
    await expectChainRefused(
      green.market.market.withdrawDeposit.staticCall(listing, greenvolt, m.buyer.address),
      "MarketDepositLocked",
      { id: listing, did: greenvolt },
    );
    expect(await m.market.liabilities(token)).to.equal(DEPOSIT);
    expect(await m.currency.balanceOf(await m.market.getAddress())).to.equal(DEPOSIT);
  });

  it("confirms the deal: the escrow opens with the deposit prefunded and the licence is recorded", async function () {
    const handover = awardedAt + 10n * DAY;
    deal = await centre.market.confirmDeal(listing, DEAL_REF, handover).wait();
    dealAt = await blockTime(deal.blockNumber);
    expect(deal).to.deep.include({
      id: listing,
      dealRef: DEAL_REF,
      buyer: greenvolt,
      seller: m.university.did,
      centre: m.centre.did,
      mode: "auction",
      price: PRICE,
      escrow: 1n,
      licence: 1n,
      handover,
    });

    expect(await centre.escrow.show(deal.escrow)).to.deep.equal({
      id: deal.escrow,
      token: { address: token, symbol: "e-CNY(test)", decimals: 2 },
      dealRef: DEAL_REF,
      buyer: greenvolt,
      seller: m.university.did,
      centre: m.centre.did,
      centreFeeBps: 300,
      brokerBps: 0,
      inventorBps: 1_000,
      holders: [
        { did: m.university.did, bps: 7_000 },
        { did: m.team.did, bps: 3_000 },
      ],
      inventors: [m.team.did, m.inventor.did],
      milestones: [
        { number: 1, amount: DEPOSIT, due: dealAt + 30n * DAY, status: "Funded" },
        { number: 2, amount: 34_000_000n, due: dealAt + 30n * DAY, status: "Awaiting" },
        { number: 3, amount: 51_000_000n, due: dealAt + 90n * DAY, status: "Awaiting" },
      ],
      total: PRICE,
      held: DEPOSIT,
    });

    expect(await sci.licences.licence(deal.licence)).to.deep.equal({
      id: deal.licence,
      achievement: PATENT,
      licensee: greenvolt,
      recordedBy: m.centre.did,
      status: "Active",
      kind: "exclusive",
      field: BigInt(FIELD),
      territory: BigInt(SHANGHAI),
      start: dealAt,
      end: dealAt + 5n * YEAR,
      sublicensable: false,
      dealRef: DEAL_REF,
    });
    const view = await sci.market.show(listing);
    expect(view.sale).to.deep.equal({
      status: "Dealt",
      round: 0,
      buyer: greenvolt,
      price: "900000.00",
      dealableAt: new Date(Number(awardedAt) * 1000),
      handover: new Date(Number(handover) * 1000),
      escrow: deal.escrow,
      licence: deal.licence,
      dealRef: DEAL_REF,
    });
    expect((await sci.achievement.show(PATENT)).status).to.equal("Licensed");
    expect(await m.market.liabilities(token)).to.equal(0n);
    expect(await m.currency.balanceOf(await m.market.getAddress())).to.equal(0n);
    expect(await sci.escrow.liabilities()).to.deep.include({
      held: DEPOSIT,
      owed: 0n,
      balance: DEPOSIT,
      balanced: true,
    });
  });

  it("lets the centre confirm the deposit milestone at the handover, splitting it", async function () {
    const confirmed = await centre.escrow.confirm(deal.escrow, 1, m.centre.did).wait();
    expect(confirmed).to.deep.include({
      id: deal.escrow,
      milestone: 1,
      token,
      actor: m.centre.did,
      amount: DEPOSIT,
      status: "Released",
    });
    expect(confirmed.credits).to.deep.equal(splitOf(DEPOSIT, rules));
    credit(confirmed.credits);
    expect((await sci.escrow.milestone(deal.escrow, 1)).status).to.equal("Released");
  });

  it("lets Greenvolt fund the first instalment by permit and confirm it", async function () {
    const funded = await green.escrow.fundWithPermit(deal.escrow, 2, greenvolt).wait();
    expect(funded).to.deep.include({ milestone: 2, actor: greenvolt, amount: INSTALMENT_1, status: "Funded" });
    expect(await m.currency.balanceOf(m.buyer.address)).to.equal(BUYER_FUNDS - DEPOSIT - INSTALMENT_1);
    const [, status] = await m.escrow.milestoneOf(deal.escrow, 1);
    expect(status).to.equal(MilestoneStatus.Funded);

    const confirmed = await green.escrow.confirm(deal.escrow, 2, greenvolt).wait();
    expect(confirmed).to.deep.include({ milestone: 2, actor: greenvolt, amount: INSTALMENT_1, status: "Released" });
    expect(confirmed.credits).to.deep.equal(splitOf(INSTALMENT_1, rules));
    credit(confirmed.credits);
  });

  it("lets Greenvolt fund the second instalment by approval and dispute it: no reclaim while disputed", async function () {
    const approval = await green.escrow.approveFunding(deal.escrow, 3).wait();
    expect(approval).to.deep.include({ token, spender: await m.escrow.getAddress(), amount: INSTALMENT_2 });
    const funded = await green.escrow.fund(deal.escrow, 3, greenvolt).wait();
    expect(funded).to.deep.include({ milestone: 3, amount: INSTALMENT_2, status: "Funded" });
    expect(await m.currency.balanceOf(m.buyer.address)).to.equal(BUYER_FUNDS - PRICE);

    const reason = id("the pilot line reached 82% of the promised yield");
    const disputed = await green.escrow.dispute(deal.escrow, 3, greenvolt, reason).wait();
    expect(disputed).to.deep.include({
      milestone: 3,
      actor: greenvolt,
      amount: INSTALMENT_2,
      status: "Disputed",
      reasonHash: reason,
    });
    expect(disputed.credits).to.deep.equal([]);

    // Even after its due time, a disputed instalment stays frozen until the ruling.
    await time.increaseTo(dealAt + 90n * DAY + 1n);
    await expectRefused(green.escrow.reclaim(deal.escrow, 3, greenvolt), "EscrowUnexpectedStatus", {
      id: deal.escrow,
      milestone: 2n,
      status: BigInt(MilestoneStatus.Disputed),
    });
    expect(await sci.escrow.liabilities()).to.deep.include({
      held: INSTALMENT_2,
      owed: DEPOSIT + INSTALMENT_1,
      balanced: true,
    });
  });

  it("lets the arbitration commission rule: part back to Greenvolt, the rest released and split", async function () {
    const ruling = await arbiter.escrow.rule(deal.escrow, 3, "51000.01", CASE).wait();
    expect(ruling).to.deep.include({
      milestone: 3,
      actor: m.arbitrator.did,
      amount: INSTALMENT_2,
      status: "Resolved",
      toBuyer: TO_BUYER,
      released: INSTALMENT_2 - TO_BUYER,
      caseRef: CASE,
    });
    const split = splitOf(INSTALMENT_2 - TO_BUYER, rules);
    // The release leaves dust: a fen more to the first inventor, and to the first holder.
    expect(split[2]).to.deep.equal({ did: m.team.did, amount: split[1].amount + 1n });
    expect(ruling.credits).to.deep.equal([{ did: greenvolt, amount: TO_BUYER }, ...split]);
    credit(ruling.credits);
    expect((await sci.escrow.milestone(deal.escrow, 3)).status).to.equal("Resolved");
  });

  it("pays every party exactly its split when it withdraws, leaving the escrow and the market empty", async function () {
    const inv = await GovLedger.connect(m.inventor.account, deployment);
    const expected = new Map<bigint, bigint>([
      [m.university.did, 51_704_101n],
      [m.team.did, 26_403_900n],
      [m.centre.did, 2_546_999n],
      [greenvolt, TO_BUYER],
      [m.inventor.did, 4_244_999n],
    ]);
    // The split rules computed here give the same totals as the literals above, and the whole price.
    expect(credited).to.deep.equal(expected);
    expect([...expected.values()].reduce((a, b) => a + b, 0n)).to.equal(PRICE);

    for (const [gl, party] of [
      [uni, m.university],
      [lead, m.team],
      [centre, m.centre],
      [green, m.buyer],
      [inv, m.inventor],
    ] as const) {
      const before = await m.currency.balanceOf(party.address);
      const w = await gl.escrow.withdraw(party.did).wait();
      expect(w).to.deep.include({ did: party.did, token, to: party.address, amount: expected.get(party.did) });
      expect(await m.currency.balanceOf(party.address)).to.equal(before + expected.get(party.did)!);
      expect(await m.escrow.balanceOf(token, party.did)).to.equal(0n);
    }
    expect(await m.currency.balanceOf(m.buyer.address)).to.equal(BUYER_FUNDS - PRICE + TO_BUYER);
    expect(await sci.escrow.liabilities()).to.deep.include({ held: 0n, owed: 0n, balance: 0n, balanced: true });
    expect(await m.market.liabilities(token)).to.equal(0n);
    expect(await m.currency.balanceOf(await m.market.getAddress())).to.equal(0n);
  });

  it("registers the technology licence contract and certifies the transaction", async function () {
    const signed = BigInt(await time.latest());
    const contractHash = id("technology licence contract SH-TEC-2026-0917 (signed PDF)");
    const registered = await centre.techContracts
      .register({
        number: "2026310104000917",
        type: "licence",
        contractHash,
        seller: m.university.did,
        buyer: greenvolt,
        amount: "900000.00",
        signedAt: signed,
        validFrom: signed,
        validUntil: signed + 5n * YEAR,
        achievement: PATENT,
        licence: deal.licence,
        dealRef: DEAL_REF,
      })
      .wait();
    expect(registered).to.deep.include({
      id: 1n,
      number: 2026310104000917n,
      type: "licence",
      centre: m.centre.did,
      seller: m.university.did,
      buyer: greenvolt,
      amount: PRICE,
      achievement: PATENT,
      contractHash,
    });
    const certificate = id("transaction certificate SH-TEC-2026-0917-PZ (交易凭证)");
    const certified = await centre.techContracts.certify(registered.id, certificate).wait();
    expect(certified).to.deep.include({ id: registered.id, centre: m.centre.did, certificateHash: certificate });
    expect(await sci.techContracts.show("2026310104000917")).to.deep.equal({
      id: registered.id,
      number: 2026310104000917n,
      type: "licence",
      status: "Certified",
      centre: m.centre.did,
      seller: m.university.did,
      buyer: greenvolt,
      amount: PRICE,
      signedAt: signed,
      validFrom: signed,
      validUntil: signed + 5n * YEAR,
      achievement: PATENT,
      licence: deal.licence,
      contractHash,
      dealRef: DEAL_REF,
      certificateHash: certificate,
    });
  });

  it("answers who is licensed: Greenvolt for the field in Shanghai only, until the licence ends", async function () {
    const where = { field: FIELD, territory: SHANGHAI };
    const end = dealAt + 5n * YEAR;
    expect(await sci.licences.isLicensed(greenvolt, PATENT, where)).to.equal(true);
    expect(await sci.licences.isLicensed(greenvolt, PATENT, { field: FIELD, territory: GUANGDONG })).to.equal(false);
    expect(await sci.licences.isLicensed(greenvolt, PATENT, { field: 48_030, territory: SHANGHAI })).to.equal(false);
    expect(await sci.licences.isLicensed(sunrise, PATENT, where)).to.equal(false);
    expect(await sci.licences.isLicensed(greenvolt, PATENT, { ...where, at: end - 1n })).to.equal(true);

    await time.increaseTo(end);
    expect(await sci.licences.isLicensed(greenvolt, PATENT, where)).to.equal(false);
    expect((await sci.licences.licence(deal.licence)).status).to.equal("Ended");
  });

  it("tells the patent's story in its history: registered, Listed and Licensed by the centre", async function () {
    const history = await sci.achievement.history(PATENT);
    const statuses = history
      .filter((e) => e.name === "StatusChanged")
      .map((e) => [Number(e.args.status), e.actor] as const);
    expect(statuses).to.deep.equal([
      [1, m.registrarDid], // Registered
      [3, m.centre.did], // Listed
      [4, m.centre.did], // Licensed
    ]);
    expect((await sci.achievement.show(PATENT)).status).to.equal("Licensed");
  });

  describe("a second patent at a negotiated price", function () {
    let negotiated: bigint;
    let dealableAt: bigint;

    it("lists it, and the seller accepts the offer Greenvolt signed: awarded for the notice period", async function () {
      await registerPatent(SECOND_PATENT, "ZL202610123457.5");
      const listed = await uni.market
        .list(
          {
            achievement: SECOND_PATENT,
            centre: m.centre.did,
            mode: "negotiated",
            price: "600000.00",
            licence: { kind: "non-exclusive", field: FIELD, territory: SHANGHAI, term: { years: 3 } },
            schedule: [
              { percent: 50, dueAfterDays: 30 },
              { percent: 50, dueAfterDays: 60 },
            ],
            inventorBps: 1_000,
            termsHash: id("listing document SH-TEC-2031-0021 (挂牌文件)"),
          },
          m.university.did,
        )
        .wait();
      negotiated = listed.id;
      expect(negotiated).to.equal(2n);
      await lead.market.approve(negotiated, m.team.did).wait();
      await centre.market.publish(negotiated, 300).wait();
      expect((await sci.achievement.show(SECOND_PATENT)).status).to.equal("Listed");

      const signed = await green.market.signOffer({ listing: negotiated, price: "550000.00" });
      expect(signed.offer).to.deep.include({
        listing: negotiated.toString(),
        round: 0,
        buyer: greenvolt.toString(),
        price: "55000000",
      });
      expect(signed.signer).to.equal(m.buyer.address);
      const accepted = await uni.market.accept(signed.offer, signed).wait();
      const acceptedAt = await blockTime(accepted.blockNumber);
      expect(await sci.market.noticePeriodDays()).to.equal(15);
      dealableAt = acceptedAt + 15n * DAY;
      expect(accepted).to.deep.include({ id: negotiated, buyer: greenvolt, price: 55_000_000n, dealableAt });
      expect((await sci.market.show(negotiated)).sale).to.deep.equal({
        status: "Awarded",
        round: 1,
        buyer: greenvolt,
        price: "550000.00",
        dealableAt: new Date(Number(dealableAt) * 1000),
        lapsesAt: new Date(Number(dealableAt + 30n * DAY) * 1000),
      });
    });

    it("refuses the deal during the 15-day notice: the SDK before sending, and the chain", async function () {
      const ref = id("deal confirmation SH-TEC-2031-0021-CJ (成交确认书)");
      await expectStoppedBeforeSending(
        m.centre.account,
        centre.market.confirmDeal(negotiated, ref),
        `the notice period of listing ${negotiated} runs until ${iso(dealableAt)}: confirm the deal after that`,
      );
      await expectChainRefused(centre.market.market.confirmDeal.staticCall(negotiated, ref, 0), "MarketNoticeRunning", {
        id: negotiated,
        dealableAt,
      });
      expect((await sci.market.show(negotiated)).status).to.equal("Awarded");
    });

    it("confirms the deal once the notice has run: escrow without deposit, licence recorded", async function () {
      await time.increaseTo(dealableAt);
      const ref = id("deal confirmation SH-TEC-2031-0021-CJ (成交确认书)");
      const done = await centre.market.confirmDeal(negotiated, ref).wait();
      const at = await blockTime(done.blockNumber);
      expect(done).to.deep.include({
        id: negotiated,
        buyer: greenvolt,
        seller: m.university.did,
        mode: "negotiated",
        price: 55_000_000n,
        escrow: 2n,
        licence: 2n,
        handover: 0n,
      });
      const escrow = await sci.escrow.show(done.escrow);
      expect(escrow.milestones).to.deep.equal([
        { number: 1, amount: 27_500_000n, due: at + 30n * DAY, status: "Awaiting" },
        { number: 2, amount: 27_500_000n, due: at + 60n * DAY, status: "Awaiting" },
      ]);
      expect(escrow).to.deep.include({ total: 55_000_000n, held: 0n, buyer: greenvolt, centreFeeBps: 300 });
      expect(await sci.licences.licence(done.licence)).to.deep.include({
        achievement: SECOND_PATENT,
        licensee: greenvolt,
        kind: "non-exclusive",
        start: at,
        end: at + 3n * YEAR,
        status: "Active",
      });
      expect(await sci.licences.isLicensed(greenvolt, SECOND_PATENT, { field: FIELD, territory: SHANGHAI })).to.equal(
        true,
      );
      expect((await sci.market.show(negotiated)).sale.status).to.equal("Dealt");
      expect((await sci.achievement.show(SECOND_PATENT)).status).to.equal("Licensed");
    });
  });
});
