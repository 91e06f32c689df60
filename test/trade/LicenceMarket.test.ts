import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { ethers } from "hardhat";
import { MaxUint256, TypedDataEncoder, ZeroAddress, ZeroHash, type Result } from "ethers";
import { MEMBER_ROLES, ROLES } from "../../src/sdk/roles";
import { IERC20__factory } from "../../typechain-types";
import { registrationOf, signPledge, type Party, type RightsChange } from "../helpers/achievement";
import { admitOrganisation, type Organisation } from "../helpers/evidence";
import { hashOf, Scope } from "../helpers/identity";
import {
  INVENTOR_FLOOR_BPS,
  LicenceKind,
  ListingStatus,
  MilestoneStatus,
  Mode,
  OFFER_TYPES,
  listingTermsOf,
  offerDomain,
  publishListing,
  registerPatent,
  signOffer,
  submitListing,
  tradeFixture,
  type ListingTerms,
  type Offer,
  type TradeModule,
} from "../helpers/trade";

const DAY = 86_400n;
const WHOLE = 10_000n;
const TRADE = BigInt(Scope.TRADE);
const PAYMENT = BigInt(Scope.PAYMENT);
const MAX_INSTALMENTS = 11n;
const DEAL_WINDOW = 30n * DAY;
const NOTICE = 15n * DAY;
const MAX_NOTICE = 90n * DAY;
const CENTRE_FEE = 300n;
/** The fixed price of {@link listingTermsOf}: 1,000,000.00. */
const PRICE = 100_000_000n;
/** An auction's reserve, increment and deposit: 500,000.00, 10,000.00, 50,000.00. */
const RESERVE = 50_000_000n;
const INCREMENT = 1_000_000n;
const DEPOSIT = 5_000_000n;
const DEAL = hashOf("deal confirmation (成交确认书) 2026-技-0301");
const REASON = hashOf("reason: objection in the notice period");
const CASE = hashOf("case: arbitration 2026-仲-0077");
/** Registry stages (IAchievementRegistry.Status). */
const Stage = { Registered: 1n, Evaluated: 2n, Listed: 3n, Licensed: 4n, Transferred: 5n } as const;
/** IAchievementRegistry.Right. */
const Right = { Ownership: 0, Use: 1, Disposal: 2, Income: 3 } as const;

/** A struct read from the contract as a plain nested array, to compare deeply. */
function plain(value: unknown): unknown {
  return (value as Result).toArray(true);
}

/** [did, amount] credited, in a canonical order. */
type Credit = [bigint, bigint];

function sorted(credits: Credit[]): Credit[] {
  return [...credits].sort((a, b) => (a[0] === b[0] ? Number(a[1] - b[1]) : Number(a[0] - b[0])));
}

describe("LicenceMarket", function () {
  let m: TradeModule;
  /** A patent of the university (70 %) and the team (30 %), invented by the inventor and the team. */
  let achievement: bigint;
  let marketAddress: string;
  let escrowAddress: string;
  let currency: string;
  /** Funded accounts with no role and no DID. */
  let spare: HardhatEthersSigner[];

  beforeEach(async function () {
    m = await tradeFixture();
    achievement = await registerPatent(m);
    marketAddress = await m.market.getAddress();
    escrowAddress = await m.escrow.getAddress();
    currency = await m.currency.getAddress();
    spare = (await ethers.getSigners()).slice(16);
    for (const p of [m.bank, m.outsider]) await (await m.currency.mint(p.address, 100_000_000n)).wait();
  });

  const by = (party: Party | Organisation | HardhatEthersSigner) =>
    m.market.connect("account" in party ? party.account : party);

  /** Sets the next block's time `ahead` seconds after the latest block, and returns it. */
  async function nextAt(ahead = 10n): Promise<bigint> {
    const at = BigInt(await time.latest()) + ahead;
    await time.setNextBlockTimestamp(at);
    return at;
  }

  async function auctionTerms(overrides: Partial<ListingTerms> = {}): Promise<ListingTerms> {
    return listingTermsOf(m, achievement, {
      mode: Mode.Auction,
      price: RESERVE,
      minIncrement: INCREMENT,
      deposit: DEPOSIT,
      biddingEnds: BigInt(await time.latest()) + 7n * DAY,
      ...overrides,
    });
  }

  function negotiatedTerms(overrides: Partial<ListingTerms> = {}): ListingTerms {
    return listingTermsOf(m, achievement, { mode: Mode.Negotiated, price: 120_000_000n, ...overrides });
  }

  function listAs(terms: ListingTerms, party: Party = m.university, asDid: bigint = m.university.did) {
    return by(party).list(terms, asDid);
  }

  async function statusOf(id: bigint): Promise<ListingStatus> {
    return Number((await m.market.saleOf(id)).status) as ListingStatus;
  }

  async function stageOf(id: bigint = achievement): Promise<bigint> {
    return (await m.achievements.getAchievement(id)).status;
  }

  /** Approves the deposit and registers `party` as a bidder of `id`. */
  async function registerAs(party: Party, id: bigint) {
    await (await m.currency.connect(party.account).approve(marketAddress, MaxUint256)).wait();
    return by(party).registerBidder(id, party.did);
  }

  async function registered(party: Party, id: bigint): Promise<void> {
    await (await registerAs(party, id)).wait();
  }

  /** A published auction with the buyer and the bank registered. */
  async function auctionWithBidders(overrides: Partial<ListingTerms> = {}): Promise<bigint> {
    const id = await publishListing(m, await auctionTerms(overrides));
    await registered(m.buyer, id);
    await registered(m.bank, id);
    return id;
  }

  /** An auction the buyer won at `price`, closed at the returned time. */
  async function wonAuction(price = RESERVE + INCREMENT, overrides: Partial<ListingTerms> = {}) {
    const id = await auctionWithBidders(overrides);
    await (await by(m.bank).bid(id, (await m.market.listingOf(id)).price, m.bank.did)).wait();
    await (await by(m.buyer).bid(id, price, m.buyer.did)).wait();
    await time.increaseTo((await m.market.listingOf(id)).biddingEnds);
    const closedAt = await nextAt(1n);
    await (await m.market.closeAuction(id)).wait();
    return { id, closedAt };
  }

  async function offerOf(id: bigint, overrides: Partial<Offer> = {}): Promise<Offer> {
    return {
      listing: id,
      round: 0,
      buyer: m.buyer.did,
      price: 110_000_000n,
      expiry: BigInt(await time.latest()) + 3n * DAY,
      ...overrides,
    };
  }

  async function acceptAs(offer: Offer, buyer: Party = m.buyer, seller: Party = m.university) {
    const b = await signOffer(m, buyer, offer);
    const s = await signOffer(m, seller, offer);
    return m.market.connect(m.outsider.account).accept(offer, b.signer, b.signature, s.signer, s.signature);
  }

  /** A published fixed-price listing bought by the buyer; returns its id. */
  async function bought(terms?: ListingTerms): Promise<bigint> {
    const id = await publishListing(m, terms ?? listingTermsOf(m, achievement));
    await (await by(m.buyer).buy(id, m.buyer.did)).wait();
    return id;
  }

  async function grantBroker(scopes: number = Scope.TRADE, party: Party = m.broker): Promise<void> {
    const until = BigInt(await time.latest()) + 365n * DAY;
    await (
      await m.identity.connect(m.university.account).grantMandate(m.university.did, party.did, scopes, until)
    ).wait();
  }

  async function otherCentre(): Promise<Organisation> {
    return admitOrganisation(m, [spare[0]], [MEMBER_ROLES.TRADING_CENTRE], {
      name: "Provincial Exchange (省技术交易所)",
    });
  }

  async function ordered(change: Partial<RightsChange>): Promise<void> {
    const c: RightsChange = {
      achievement,
      right: Right.Ownership,
      holdings: [{ did: m.bank.did, bps: 10_000 }],
      until: 0,
      holder: m.bank.address,
      version: (await m.achievements.getAchievement(achievement)).version,
      deadline: BigInt(await time.latest()) + DAY,
      ...change,
    };
    await (await m.rights.connect(m.arbitrator.account).orderRightsChange(c, CASE)).wait();
  }

  async function pledged(): Promise<void> {
    const now = BigInt(await time.latest());
    const p = {
      achievement,
      lender: m.bank.did,
      securedAmount: 5_000_000n,
      until: now + 365n * DAY,
      contractHash: hashOf("pledge contract (知识产权质押合同) no. 2026-201"),
      version: (await m.achievements.getAchievement(achievement)).version,
      deadline: now + DAY,
    };
    const consents = [await signPledge(m, m.team, p), await signPledge(m, m.bank, p)];
    await (await m.rights.connect(m.university.account).pledge(p, consents, m.university.did)).wait();
  }

  async function evaluated(): Promise<void> {
    const scores = { scientific: 80, technical: 85, economic: 70, social: 60, cultural: 50 };
    const until = BigInt(await time.latest()) + 365n * DAY;
    await (
      await m.achievements
        .connect(m.evaluator.account)
        .evaluate(achievement, m.evaluator.did, scores, 90_000_000n, until, hashOf("report"), hashOf("declaration"))
    ).wait();
  }

  /** The milestones the escrow should get for `price` under `schedule`, the deposit first, at deal time `at`. */
  function milestonesOf(
    price: bigint,
    deposit: bigint,
    schedule: { bps: number; dueAfter: number }[],
    at: bigint,
  ): [bigint, bigint][] {
    const out: [bigint, bigint][] = [];
    if (deposit) out.push([deposit, at + BigInt(schedule[0].dueAfter)]);
    const rest = price - deposit;
    let paid = 0n;
    schedule.forEach((inst, i) => {
      const amount = i + 1 === schedule.length ? rest - paid : (rest * BigInt(inst.bps)) / WHOLE;
      paid += amount;
      if (amount) out.push([amount, at + BigInt(inst.dueAfter)]);
    });
    return out;
  }

  async function escrowMilestones(id: bigint): Promise<[bigint, bigint, MilestoneStatus][]> {
    const e = await m.escrow.escrowOf(id);
    const out: [bigint, bigint, MilestoneStatus][] = [];
    for (let i = 0; i < Number(e.milestoneCount); i++) {
      const [terms, status] = await m.escrow.milestoneOf(id, i);
      out.push([terms.amount, terms.due, Number(status) as MilestoneStatus]);
    }
    return out;
  }

  /** The market holds exactly its liabilities of `token`. */
  async function expectHeld(amount: bigint, token: string = currency): Promise<void> {
    expect(await m.market.liabilities(token)).to.equal(amount);
    expect(await IERC20__factory.connect(token, ethers.provider).balanceOf(marketAddress)).to.equal(amount);
  }

  describe("list", function () {
    context("when a disposal-right holder submits a listing", function () {
      it("emits ListingSubmitted and ListingApproved, and stores the listing, its schedule and its approval", async function () {
        const terms = listingTermsOf(m, achievement, { licence: { ...listingTermsOf(m, 0n).licence, field: 7 } });
        await expect(listAs(terms))
          .to.emit(m.market, "ListingSubmitted")
          .withArgs(
            1n,
            achievement,
            m.university.did,
            m.university.did,
            m.centre.did,
            Mode.Fixed,
            currency,
            PRICE,
            terms.termsHash,
          )
          .and.to.emit(m.market, "ListingApproved")
          .withArgs(1n, m.university.did, m.university.did);
        expect(plain(await m.market.listingOf(1n))).to.deep.equal([
          achievement,
          currency,
          m.university.did,
          BigInt(Mode.Fixed),
          m.centre.did,
          0n,
          0n,
          1000n,
          0n,
          0n,
          PRICE,
          0n,
          0n,
          [BigInt(LicenceKind.Exclusive), 7n, 310000n, 0n, 5n * 365n * DAY, false],
          terms.termsHash,
        ]);
        expect(plain(await m.market.saleOf(1n))).to.deep.equal([
          BigInt(ListingStatus.Submitted),
          0n,
          0n,
          0n,
          0n,
          0n,
          0n,
          0n,
          ZeroHash,
        ]);
        expect(plain(await m.market.scheduleOf(1n))).to.deep.equal([
          [3000n, 30n * DAY],
          [7000n, 90n * DAY],
        ]);
        expect(await m.market.hasApproved(1n, m.university.did)).to.equal(true);
        expect(await m.market.hasApproved(1n, m.team.did)).to.equal(false);
        expect(await m.market.listingCount()).to.equal(1n);
        expect(await stageOf()).to.equal(Stage.Registered);
      });

      it("numbers listings in order, of the same achievement too", async function () {
        await (await listAs(listingTermsOf(m, achievement))).wait();
        await (await listAs(negotiatedTerms(), m.team, m.team.did)).wait();
        expect(await m.market.listingCount()).to.equal(2n);
        expect((await m.market.listingOf(2n)).lister).to.equal(m.team.did);
        expect((await m.market.listingOf(2n)).mode).to.equal(BigInt(Mode.Negotiated));
      });
    });

    context("when an auction is submitted", function () {
      it("stores the reserve, the increment, the deposit and the deadline", async function () {
        const terms = await auctionTerms();
        await expect(listAs(terms))
          .to.emit(m.market, "ListingSubmitted")
          .withArgs(
            1n,
            achievement,
            m.university.did,
            m.university.did,
            m.centre.did,
            Mode.Auction,
            currency,
            RESERVE,
            terms.termsHash,
          );
        const l = await m.market.listingOf(1n);
        expect([l.price, l.minIncrement, l.deposit, l.biddingEnds]).to.deep.equal([
          RESERVE,
          INCREMENT,
          DEPOSIT,
          terms.biddingEnds,
        ]);
      });

      it("accepts a deposit equal to the reserve, and no deposit at all", async function () {
        for (const deposit of [RESERVE, 0n]) {
          await expect(listAs(await auctionTerms({ deposit }))).to.emit(m.market, "ListingSubmitted");
        }
      });
    });

    for (const mode of [Mode.Fixed, Mode.Negotiated]) {
      context(`when a ${Mode[mode]} listing's pricing is invalid`, function () {
        const cases: [string, Partial<ListingTerms>][] = [
          ["a zero price", { price: 0n }],
          ["no token", { token: ZeroAddress }],
          ["a deposit", { deposit: 1n }],
          ["an increment", { minIncrement: 1n }],
          ["a bidding deadline", { biddingEnds: 2n ** 40n }],
        ];
        for (const [what, overrides] of cases) {
          it(`reverts with MarketInvalidPricing for ${what}`, async function () {
            const terms = listingTermsOf(m, achievement, { mode, ...overrides });
            await expect(listAs(terms))
              .to.be.revertedWithCustomError(m.market, "MarketInvalidPricing")
              .withArgs(mode, terms.price, terms.deposit, terms.biddingEnds);
          });
        }
      });
    }

    context("when an auction's pricing is invalid", function () {
      const cases: [string, (now: bigint) => Partial<ListingTerms>][] = [
        ["a zero reserve", () => ({ price: 0n, deposit: 0n })],
        ["no token", () => ({ token: ZeroAddress })],
        ["a deposit above the reserve", () => ({ deposit: RESERVE + 1n })],
        ["a deadline now", (now) => ({ biddingEnds: now + 1n })],
        ["a deadline past", (now) => ({ biddingEnds: now - 1n })],
        ["no deadline", () => ({ biddingEnds: 0n })],
      ];
      for (const [what, overrides] of cases) {
        it(`reverts with MarketInvalidPricing for ${what}`, async function () {
          // The next block is one second later: "now + 1" is the listing's own time.
          const terms = await auctionTerms(overrides(BigInt(await time.latest())));
          await expect(listAs(terms))
            .to.be.revertedWithCustomError(m.market, "MarketInvalidPricing")
            .withArgs(Mode.Auction, terms.price, terms.deposit, terms.biddingEnds);
        });
      }
    });

    context("when the schedule is invalid", function () {
      const instalments = (n: number) =>
        Array.from({ length: n }, (_, i) => ({
          bps: i + 1 === n ? 10_000 - 900 * (n - 1) : 900,
          dueAfter: (i + 1) * 30 * 86_400,
        }));
      const cases: [string, { bps: number; dueAfter: number }[]][] = [
        ["it has no instalment", []],
        [`it has ${MAX_INSTALMENTS + 1n} instalments`, instalments(12)],
        [
          "an instalment has a zero share",
          [{ bps: 0, dueAfter: 10 }, ...instalments(1).map((x) => ({ ...x, dueAfter: 20 }))],
        ],
        ["the shares sum to 9,999", [{ bps: 9_999, dueAfter: 10 }]],
        [
          "the shares sum to 10,001",
          [
            { bps: 5_001, dueAfter: 10 },
            { bps: 5_000, dueAfter: 20 },
          ],
        ],
        [
          "two instalments fall due at once",
          [
            { bps: 5_000, dueAfter: 10 },
            { bps: 5_000, dueAfter: 10 },
          ],
        ],
        [
          "due times decrease",
          [
            { bps: 5_000, dueAfter: 20 },
            { bps: 5_000, dueAfter: 10 },
          ],
        ],
        ["the first falls due at the deal", [{ bps: 10_000, dueAfter: 0 }]],
      ];
      for (const [what, schedule] of cases) {
        it(`reverts with MarketInvalidSchedule when ${what}`, async function () {
          await expect(listAs(listingTermsOf(m, achievement, { schedule })))
            .to.be.revertedWithCustomError(m.market, "MarketInvalidSchedule")
            .withArgs(schedule.length, MAX_INSTALMENTS);
        });
      }

      it(`accepts ${MAX_INSTALMENTS} instalments and stores them in order`, async function () {
        const schedule = instalments(11);
        await expect(listAs(listingTermsOf(m, achievement, { schedule }))).to.emit(m.market, "ListingSubmitted");
        expect(plain(await m.market.scheduleOf(1n))).to.deep.equal(
          schedule.map((x) => [BigInt(x.bps), BigInt(x.dueAfter)]),
        );
      });
    });

    context("when the licence offered is invalid", function () {
      it("reverts with MarketInvalidLicence for no term", async function () {
        const licence = { ...listingTermsOf(m, 0n).licence, term: 0n };
        await expect(listAs(listingTermsOf(m, achievement, { licence })))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidLicence")
          .withArgs(0n, 0n);
      });

      it("reverts with MarketInvalidLicence for a start in the past, and accepts one ahead", async function () {
        const now = BigInt(await time.latest());
        const past = { ...listingTermsOf(m, 0n).licence, start: now - 1n };
        await expect(listAs(listingTermsOf(m, achievement, { licence: past })))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidLicence")
          .withArgs(now - 1n, past.term);
        const ahead = { ...past, start: now + 30n * DAY };
        await expect(listAs(listingTermsOf(m, achievement, { licence: ahead }))).to.emit(m.market, "ListingSubmitted");
        expect((await m.market.listingOf(1n)).licence.start).to.equal(now + 30n * DAY);
      });
    });

    context("when the split is invalid", function () {
      it("reverts with MarketInvalidSplit for an inventors' share below the floor", async function () {
        const inventorBps = INVENTOR_FLOOR_BPS - 1;
        await expect(listAs(listingTermsOf(m, achievement, { inventorBps })))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidSplit")
          .withArgs(0, 0, inventorBps);
        await expect(listAs(listingTermsOf(m, achievement, { inventorBps: INVENTOR_FLOOR_BPS }))).to.emit(
          m.market,
          "ListingSubmitted",
        );
      });

      it("reverts with MarketInvalidSplit for a broker's commission when the holder lists itself", async function () {
        await expect(listAs(listingTermsOf(m, achievement, { brokerBps: 200 })))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidSplit")
          .withArgs(0, 200, 1000);
      });

      it("reverts with MarketInvalidSplit when commission and inventors' share leave the holders nothing", async function () {
        await grantBroker();
        await expect(listAs(listingTermsOf(m, achievement, { brokerBps: 9000 }), m.broker))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidSplit")
          .withArgs(0, 9000, 1000);
      });

      it("asks no floor for an achievement without inventors, and gives them nothing at the deal", async function () {
        const r = registrationOf([{ party: m.university, bps: 10_000 }]);
        await (await m.achievements.connect(m.registrar).register(r)).wait();
        const alone = BigInt(r.registrationNumber);
        await expect(listAs(listingTermsOf(m, alone, { inventorBps: 0 }))).to.emit(m.market, "ListingSubmitted");
        await (await listAs(listingTermsOf(m, alone, { inventorBps: INVENTOR_FLOOR_BPS - 1 }))).wait();
        const id = 2n;
        await (await m.market.publish(id, 300)).wait();
        await (await by(m.buyer).buy(id, m.buyer.did)).wait();
        await (await m.market.confirmDeal(id, DEAL, 0)).wait();
        const e = await m.escrow.escrowOf(1n);
        expect([e.inventorBps, e.inventorCount, e.holderCount]).to.deep.equal([0n, 0n, 1n]);
      });
    });

    context("when the achievement is unknown", function () {
      it("reverts with the registry's AchievementUnknown", async function () {
        await expect(listAs(listingTermsOf(m, achievement + 1n)))
          .to.be.revertedWithCustomError(m.achievements, "AchievementUnknown")
          .withArgs(achievement + 1n);
      });
    });

    context("when the lister is no party of the disposal right", function () {
      it("reverts with MarketNotDisposalParty for an outsider and for an inventor", async function () {
        for (const party of [m.outsider, m.inventor]) {
          await expect(listAs(listingTermsOf(m, achievement), party, party.did))
            .to.be.revertedWithCustomError(m.market, "MarketNotDisposalParty")
            .withArgs(achievement, party.did);
        }
      });
    });

    context("when the centre named is not an active DID", function () {
      it("reverts with MarketInactiveParty for no centre and for a suspended one", async function () {
        await expect(listAs(listingTermsOf(m, achievement, { centre: 0n })))
          .to.be.revertedWithCustomError(m.market, "MarketInactiveParty")
          .withArgs(0n);
        await (await m.identity.connect(m.registrar).suspend(m.centre.did, hashOf("suspension"))).wait();
        await expect(listAs(listingTermsOf(m, achievement)))
          .to.be.revertedWithCustomError(m.market, "MarketInactiveParty")
          .withArgs(m.centre.did);
      });
    });

    context("when the lister's DID is suspended", function () {
      it("reverts with IdentityNotActingFor", async function () {
        await (await m.identity.connect(m.registrar).suspend(m.university.did, hashOf("suspension"))).wait();
        await expect(listAs(listingTermsOf(m, achievement)))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.university.address, m.university.did, TRADE);
      });
    });

    context("when the caller does not act for the lister", function () {
      it("reverts with IdentityNotActingFor, or IdentityMandateOutOfScope under a payment mandate", async function () {
        await expect(listAs(listingTermsOf(m, achievement), m.outsider, m.university.did))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.outsider.address, m.university.did, TRADE);
        await grantBroker(Scope.PAYMENT);
        await expect(listAs(listingTermsOf(m, achievement), m.broker))
          .to.be.revertedWithCustomError(m.identity, "IdentityMandateOutOfScope")
          .withArgs(m.university.did, m.broker.did, PAYMENT, TRADE);
      });
    });

    context("when the market is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await (await m.market.connect(m.guardian).pause()).wait();
        await expect(listAs(listingTermsOf(m, achievement))).to.be.revertedWithCustomError(m.market, "EnforcedPause");
      });
    });
  });

  describe("approve", function () {
    let id: bigint;

    beforeEach(async function () {
      await (await listAs(listingTermsOf(m, achievement))).wait();
      id = 1n;
    });

    context("when another disposal-right party approves", function () {
      it("emits ListingApproved and records the approval", async function () {
        await expect(by(m.team).approve(id, m.team.did))
          .to.emit(m.market, "ListingApproved")
          .withArgs(id, m.team.did, m.team.did);
        expect(await m.market.hasApproved(id, m.team.did)).to.equal(true);
      });

      it("names the representative as actor under a mandate", async function () {
        await grantBroker();
        await expect(by(m.broker).approve(id, m.university.did))
          .to.emit(m.market, "ListingApproved")
          .withArgs(id, m.university.did, m.broker.did);
      });
    });

    context("when the approver is no party of the disposal right", function () {
      it("reverts with MarketNotDisposalParty", async function () {
        await expect(by(m.inventor).approve(id, m.inventor.did))
          .to.be.revertedWithCustomError(m.market, "MarketNotDisposalParty")
          .withArgs(achievement, m.inventor.did);
      });
    });

    context("when the caller does not act for the DID", function () {
      it("reverts with IdentityNotActingFor", async function () {
        await expect(by(m.outsider).approve(id, m.team.did))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.outsider.address, m.team.did, TRADE);
      });
    });

    context("when the listing is dealt, withdrawn or unknown", function () {
      it("reverts with MarketUnexpectedStatus or MarketUnknownListing", async function () {
        const dealt = await bought();
        await (await m.market.confirmDeal(dealt, DEAL, 0)).wait();
        await expect(by(m.team).approve(dealt, m.team.did))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(dealt, ListingStatus.Dealt);
        await (await by(m.university).withdrawListing(id, m.university.did, REASON)).wait();
        await expect(by(m.team).approve(id, m.team.did))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Withdrawn);
        await expect(by(m.team).approve(99n, m.team.did))
          .to.be.revertedWithCustomError(m.market, "MarketUnknownListing")
          .withArgs(99n);
      });
    });

    context("when the market is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await (await m.market.connect(m.guardian).pause()).wait();
        await expect(by(m.team).approve(id, m.team.did)).to.be.revertedWithCustomError(m.market, "EnforcedPause");
      });
    });
  });

  describe("publish", function () {
    context("when the centre publishes a listing every disposal-right party approved", function () {
      it("emits ListingPublished, sets the fee and marks the achievement listed", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        await expect(m.market.publish(id, 300))
          .to.emit(m.market, "ListingPublished")
          .withArgs(id, m.centre.did, 300)
          .and.to.emit(m.achievements, "StatusChanged")
          .withArgs(achievement, Stage.Listed, m.centre.did);
        expect(await statusOf(id)).to.equal(ListingStatus.Published);
        expect((await m.market.listingOf(id)).centreFeeBps).to.equal(300n);
        expect(await stageOf()).to.equal(Stage.Listed);
      });

      it("accepts the highest fee that leaves the holders something", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        await expect(m.market.publish(id, 8999)).to.emit(m.market, "ListingPublished").withArgs(id, m.centre.did, 8999);
      });
    });

    context("when a disposal-right party has not approved", function () {
      it("reverts with MarketApprovalMissing naming it", async function () {
        await (await listAs(listingTermsOf(m, achievement))).wait();
        await expect(m.market.publish(1n, 300))
          .to.be.revertedWithCustomError(m.market, "MarketApprovalMissing")
          .withArgs(1n, m.team.did);
      });
    });

    context("when the caller is another trading centre, or no trading centre", function () {
      it("reverts with MarketNotCentre or AccessManagedUnauthorized", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        const other = await otherCentre();
        await expect(by(other).publish(id, 300))
          .to.be.revertedWithCustomError(m.market, "MarketNotCentre")
          .withArgs(id, other.did);
        await expect(by(m.university).publish(id, 300))
          .to.be.revertedWithCustomError(m.market, "AccessManagedUnauthorized")
          .withArgs(m.university.address);
      });
    });

    context("when the centre's DID is suspended", function () {
      it("reverts with MarketInactiveParty", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        await (await m.identity.connect(m.registrar).suspend(m.centre.did, hashOf("suspension"))).wait();
        await expect(m.market.publish(id, 300))
          .to.be.revertedWithCustomError(m.market, "MarketInactiveParty")
          .withArgs(m.centre.did);
      });
    });

    context("when the listing is not submitted", function () {
      it("reverts with MarketUnexpectedStatus", async function () {
        const id = await publishListing(m, listingTermsOf(m, achievement));
        await expect(m.market.publish(id, 300))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Published);
      });
    });

    context("when an auction's deadline has passed", function () {
      it("reverts with MarketInvalidPricing", async function () {
        const terms = await auctionTerms();
        const id = await submitListing(m, terms);
        await time.increaseTo(terms.biddingEnds);
        await expect(m.market.publish(id, 300))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidPricing")
          .withArgs(Mode.Auction, RESERVE, DEPOSIT, terms.biddingEnds);
      });
    });

    context("when the fee leaves the holders nothing", function () {
      it("reverts with MarketInvalidSplit", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        await expect(m.market.publish(id, 9000))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidSplit")
          .withArgs(9000, 0, 1000);
      });
    });

    context("when the achievement is locked", function () {
      it("reverts with the registry's AchievementLocked while pledged", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        await pledged();
        await expect(m.market.publish(id, 300))
          .to.be.revertedWithCustomError(m.achievements, "AchievementLocked")
          .withArgs(achievement, true, false, false);
      });

      it("reverts with the registry's AchievementLocked while frozen", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        await (await m.rights.connect(m.arbitrator.account).freeze(achievement, CASE)).wait();
        await expect(m.market.publish(id, 300))
          .to.be.revertedWithCustomError(m.achievements, "AchievementLocked")
          .withArgs(achievement, false, false, true);
      });
    });

    context("when another listing of the achievement is published", function () {
      it("reverts with the registry's AchievementUnexpectedStatus", async function () {
        await publishListing(m, listingTermsOf(m, achievement));
        const second = await submitListing(m, negotiatedTerms());
        await expect(m.market.publish(second, 300))
          .to.be.revertedWithCustomError(m.achievements, "AchievementUnexpectedStatus")
          .withArgs(achievement, Stage.Listed);
      });
    });

    context("when the market is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        await (await m.market.connect(m.guardian).pause()).wait();
        await expect(m.market.publish(id, 300)).to.be.revertedWithCustomError(m.market, "EnforcedPause");
      });
    });
  });

  describe("withdrawListing", function () {
    context("when the lister withdraws a submitted listing", function () {
      it("emits ListingWithdrawn and leaves the registry as it was", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        await expect(by(m.university).withdrawListing(id, m.university.did, REASON))
          .to.emit(m.market, "ListingWithdrawn")
          .withArgs(id, m.university.did, REASON)
          .and.not.to.emit(m.achievements, "StatusChanged");
        expect(await statusOf(id)).to.equal(ListingStatus.Withdrawn);
        expect(await stageOf()).to.equal(Stage.Registered);
      });
    });

    context("when the lister withdraws a published listing", function () {
      it("delists the achievement, back to Registered, or Evaluated once evaluated", async function () {
        const id = await publishListing(m, listingTermsOf(m, achievement));
        await expect(by(m.university).withdrawListing(id, m.university.did, REASON))
          .to.emit(m.achievements, "StatusChanged")
          .withArgs(achievement, Stage.Registered, m.university.did);
        await evaluated();
        const again = await publishListing(m, listingTermsOf(m, achievement));
        await expect(by(m.university).withdrawListing(again, m.university.did, REASON))
          .to.emit(m.achievements, "StatusChanged")
          .withArgs(achievement, Stage.Evaluated, m.university.did);
      });

      it("lets an auction without bids be withdrawn, and its deposits be taken back", async function () {
        const id = await auctionWithBidders();
        await (await by(m.university).withdrawListing(id, m.university.did, REASON)).wait();
        await expect(by(m.buyer).withdrawDeposit(id, m.buyer.did, m.buyer.address))
          .to.emit(m.market, "DepositWithdrawn")
          .withArgs(id, m.buyer.did, m.buyer.address, DEPOSIT);
      });
    });

    context("when someone else than the lister withdraws", function () {
      it("reverts with MarketNotLister", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        await expect(by(m.team).withdrawListing(id, m.team.did, REASON))
          .to.be.revertedWithCustomError(m.market, "MarketNotLister")
          .withArgs(id, m.team.did);
      });
    });

    context("when the caller does not act for the lister", function () {
      it("reverts with IdentityNotActingFor", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        await expect(by(m.team).withdrawListing(id, m.university.did, REASON))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.team.address, m.university.did, TRADE);
      });
    });

    context("when the auction has bids", function () {
      it("reverts with MarketHasBids", async function () {
        const id = await auctionWithBidders();
        await (await by(m.buyer).bid(id, RESERVE, m.buyer.did)).wait();
        await expect(by(m.university).withdrawListing(id, m.university.did, REASON))
          .to.be.revertedWithCustomError(m.market, "MarketHasBids")
          .withArgs(id);
      });
    });

    context("when the listing is awarded", function () {
      it("reverts with MarketUnexpectedStatus", async function () {
        const id = await bought();
        await expect(by(m.university).withdrawListing(id, m.university.did, REASON))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Awarded);
      });
    });

    context("when the market is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        await (await m.market.connect(m.guardian).pause()).wait();
        await expect(by(m.university).withdrawListing(id, m.university.did, REASON)).to.be.revertedWithCustomError(
          m.market,
          "EnforcedPause",
        );
      });
    });
  });

  describe("cancel", function () {
    context("when the centre cancels a submitted listing", function () {
      it("emits ListingWithdrawn naming the centre and leaves the registry as it was", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        await expect(m.market.cancel(id, REASON))
          .to.emit(m.market, "ListingWithdrawn")
          .withArgs(id, m.centre.did, REASON)
          .and.not.to.emit(m.achievements, "StatusChanged");
        expect(await statusOf(id)).to.equal(ListingStatus.Withdrawn);
      });
    });

    context("when the centre cancels an auction with bids", function () {
      it("delists the achievement and makes every deposit withdrawable, the highest bidder's too", async function () {
        const id = await auctionWithBidders();
        await (await by(m.buyer).bid(id, RESERVE, m.buyer.did)).wait();
        await expect(m.market.cancel(id, REASON))
          .to.emit(m.achievements, "StatusChanged")
          .withArgs(achievement, Stage.Registered, m.centre.did);
        await expectHeld(2n * DEPOSIT);
        for (const p of [m.buyer, m.bank]) {
          await expect(by(p).withdrawDeposit(id, p.did, p.address)).to.changeTokenBalances(
            m.currency,
            [marketAddress, p.address],
            [-DEPOSIT, DEPOSIT],
          );
        }
        await expectHeld(0n);
      });
    });

    context("when the centre cancels an award in the notice period (an objection)", function () {
      it("ends the listing and delists the achievement; the deal can no longer be confirmed", async function () {
        const id = await publishListing(m, negotiatedTerms());
        await (await acceptAs(await offerOf(id))).wait();
        await expect(m.market.cancel(id, REASON))
          .to.emit(m.market, "ListingWithdrawn")
          .withArgs(id, m.centre.did, REASON);
        expect(await stageOf()).to.equal(Stage.Registered);
        await time.increase(NOTICE);
        await expect(m.market.confirmDeal(id, DEAL, 0))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Withdrawn);
      });
    });

    context("when the listing is dealt", function () {
      it("reverts with MarketUnexpectedStatus", async function () {
        const id = await bought();
        await (await m.market.confirmDeal(id, DEAL, 0)).wait();
        await expect(m.market.cancel(id, REASON))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Dealt);
      });
    });

    context("when the cancellation names no reason", function () {
      it("reverts with MarketMissingReference", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        await expect(m.market.cancel(id, ZeroHash)).to.be.revertedWithCustomError(m.market, "MarketMissingReference");
      });
    });

    context("when the caller is another trading centre, or no trading centre", function () {
      it("reverts with MarketNotCentre or AccessManagedUnauthorized", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        const other = await otherCentre();
        await expect(by(other).cancel(id, REASON))
          .to.be.revertedWithCustomError(m.market, "MarketNotCentre")
          .withArgs(id, other.did);
        await expect(by(m.university).cancel(id, REASON))
          .to.be.revertedWithCustomError(m.market, "AccessManagedUnauthorized")
          .withArgs(m.university.address);
      });
    });
  });

  describe("buy", function () {
    context("when a buyer buys a published fixed-price listing", function () {
      it("emits ListingAwarded, dealable at once, and records buyer and price", async function () {
        const id = await publishListing(m, listingTermsOf(m, achievement));
        const at = await nextAt();
        await expect(by(m.buyer).buy(id, m.buyer.did))
          .to.emit(m.market, "ListingAwarded")
          .withArgs(id, m.buyer.did, PRICE, at);
        const s = await m.market.saleOf(id);
        expect([s.status, s.buyer, s.price, s.dealableAt, s.round]).to.deep.equal([
          BigInt(ListingStatus.Awarded),
          m.buyer.did,
          PRICE,
          at,
          0n,
        ]);
      });
    });

    context("when the listing is not sold at a fixed price", function () {
      it("reverts with MarketWrongMode", async function () {
        const id = await publishListing(m, negotiatedTerms());
        await expect(by(m.buyer).buy(id, m.buyer.did))
          .to.be.revertedWithCustomError(m.market, "MarketWrongMode")
          .withArgs(id, Mode.Negotiated);
      });
    });

    context("when the listing is not published, or already bought", function () {
      it("reverts with MarketUnexpectedStatus", async function () {
        const id = await submitListing(m, listingTermsOf(m, achievement));
        await expect(by(m.buyer).buy(id, m.buyer.did))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Submitted);
        await (await m.market.publish(id, 300)).wait();
        await (await by(m.buyer).buy(id, m.buyer.did)).wait();
        await expect(by(m.bank).buy(id, m.bank.did))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Awarded);
      });
    });

    context("when the seller side buys", function () {
      it("reverts with MarketSellerCannotBuy for the lister and for its broker", async function () {
        await grantBroker();
        const terms = listingTermsOf(m, achievement, { brokerBps: 200 });
        await (await listAs(terms, m.broker)).wait();
        await (await by(m.team).approve(1n, m.team.did)).wait();
        await (await m.market.publish(1n, 300)).wait();
        for (const p of [m.university, m.broker]) {
          await expect(by(p).buy(1n, p.did))
            .to.be.revertedWithCustomError(m.market, "MarketSellerCannotBuy")
            .withArgs(1n, p.did);
        }
      });
    });

    context("when the caller does not act for the buyer", function () {
      it("reverts with IdentityNotActingFor", async function () {
        const id = await publishListing(m, listingTermsOf(m, achievement));
        await expect(by(m.outsider).buy(id, m.buyer.did))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.outsider.address, m.buyer.did, TRADE);
      });
    });

    context("when the market is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const id = await publishListing(m, listingTermsOf(m, achievement));
        await (await m.market.connect(m.guardian).pause()).wait();
        await expect(by(m.buyer).buy(id, m.buyer.did)).to.be.revertedWithCustomError(m.market, "EnforcedPause");
      });
    });
  });

  describe("accept", function () {
    let id: bigint;

    beforeEach(async function () {
      id = await publishListing(m, negotiatedTerms());
    });

    context("when both sides signed the same offer", function () {
      it("awards the listing at the agreed price, dealable when the notice period ends", async function () {
        const offer = await offerOf(id);
        const at = await nextAt(60n);
        await expect(acceptAs(offer))
          .to.emit(m.market, "ListingAwarded")
          .withArgs(id, m.buyer.did, offer.price, at + NOTICE);
        const s = await m.market.saleOf(id);
        expect([s.status, s.round, s.buyer, s.price, s.dealableAt]).to.deep.equal([
          BigInt(ListingStatus.Awarded),
          1n,
          m.buyer.did,
          offer.price,
          at + NOTICE,
        ]);
      });

      it("refuses the deal with MarketNoticeRunning until the notice period ends, then confirms it", async function () {
        const offer = await offerOf(id);
        const at = await nextAt(60n);
        await (await acceptAs(offer)).wait();
        await time.setNextBlockTimestamp(at + NOTICE - 1n);
        await expect(m.market.confirmDeal(id, DEAL, 0))
          .to.be.revertedWithCustomError(m.market, "MarketNoticeRunning")
          .withArgs(id, at + NOTICE);
        await time.setNextBlockTimestamp(at + NOTICE);
        await expect(m.market.confirmDeal(id, DEAL, 0))
          .to.emit(m.market, "DealConfirmed")
          .withArgs(id, DEAL, m.buyer.did, m.university.did, m.centre.did, Mode.Negotiated, offer.price, 1n, 1n, 0);
      });

      it("accepts an offer at its expiry, and the seller's broker signing under a mandate", async function () {
        await grantBroker();
        const offer = await offerOf(id);
        await time.setNextBlockTimestamp(offer.expiry);
        await expect(acceptAs(offer, m.buyer, m.broker)).to.emit(m.market, "ListingAwarded");
      });
    });

    context("when a signature is not the signer's", function () {
      it("reverts with MarketInvalidSignature naming the side", async function () {
        const offer = await offerOf(id);
        const b = await signOffer(m, m.buyer, offer);
        const s = await signOffer(m, m.university, offer);
        await expect(m.market.accept(offer, m.buyer.address, s.signature, s.signer, s.signature))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidSignature")
          .withArgs(m.buyer.did, m.buyer.address);
        await expect(m.market.accept(offer, b.signer, b.signature, m.university.address, b.signature))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidSignature")
          .withArgs(m.university.did, m.university.address);
      });
    });

    context("when the offer names a zero price", function () {
      it("reverts with MarketOfferInvalid", async function () {
        const offer = await offerOf(id, { price: 0n });
        await expect(acceptAs(offer))
          .to.be.revertedWithCustomError(m.market, "MarketOfferInvalid")
          .withArgs(id, 0, offer.expiry);
      });
    });

    context("when the buyer is not active, or is the seller", function () {
      it("reverts with MarketInactiveParty or MarketSellerCannotBuy", async function () {
        const offer = await offerOf(id);
        await (await m.identity.connect(m.registrar).suspend(m.buyer.did, hashOf("suspension"))).wait();
        await expect(acceptAs(offer))
          .to.be.revertedWithCustomError(m.market, "MarketInactiveParty")
          .withArgs(m.buyer.did);
        const own = await offerOf(id, { buyer: m.university.did });
        await expect(acceptAs(own, m.university))
          .to.be.revertedWithCustomError(m.market, "MarketSellerCannotBuy")
          .withArgs(id, m.university.did);
      });
    });

    context("when the listing is not negotiated, or not published", function () {
      it("reverts with MarketWrongMode or MarketUnexpectedStatus", async function () {
        await (await by(m.university).withdrawListing(id, m.university.did, REASON)).wait();
        await expect(acceptAs(await offerOf(id)))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Withdrawn);
        const fixed = await publishListing(m, listingTermsOf(m, achievement));
        await expect(acceptAs(await offerOf(fixed)))
          .to.be.revertedWithCustomError(m.market, "MarketWrongMode")
          .withArgs(fixed, Mode.Fixed);
      });
    });

    context("when the market is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await (await m.market.connect(m.guardian).pause()).wait();
        await expect(acceptAs(await offerOf(id))).to.be.revertedWithCustomError(m.market, "EnforcedPause");
      });
    });
  });

  describe("registerBidder", function () {
    context("when a buyer registers for a published auction", function () {
      it("emits BidderRegistered, takes the deposit and holds it", async function () {
        const id = await publishListing(m, await auctionTerms());
        await (await m.currency.connect(m.buyer.account).approve(marketAddress, DEPOSIT)).wait();
        const tx = by(m.buyer).registerBidder(id, m.buyer.did);
        await expect(tx)
          .to.emit(m.market, "BidderRegistered")
          .withArgs(id, m.buyer.did, m.buyer.did, DEPOSIT)
          .and.to.emit(m.currency, "Transfer")
          .withArgs(m.buyer.address, marketAddress, DEPOSIT);
        await expect(tx).to.changeTokenBalances(m.currency, [m.buyer.address, marketAddress], [-DEPOSIT, DEPOSIT]);
        expect(plain(await m.market.bidderOf(id, m.buyer.did))).to.deep.equal([DEPOSIT, true, false, false]);
        await expectHeld(DEPOSIT);
      });

      it("registers without a transfer when the auction asks no deposit", async function () {
        const id = await publishListing(m, await auctionTerms({ deposit: 0n }));
        await expect(by(m.buyer).registerBidder(id, m.buyer.did))
          .to.emit(m.market, "BidderRegistered")
          .withArgs(id, m.buyer.did, m.buyer.did, 0n)
          .and.not.to.emit(m.currency, "Transfer");
        expect((await m.market.bidderOf(id, m.buyer.did)).registered).to.equal(true);
      });
    });

    context("when the bidder is already registered", function () {
      it("reverts with MarketAlreadyRegistered", async function () {
        const id = await publishListing(m, await auctionTerms());
        await registered(m.buyer, id);
        await expect(registerAs(m.buyer, id))
          .to.be.revertedWithCustomError(m.market, "MarketAlreadyRegistered")
          .withArgs(id, m.buyer.did);
        await expectHeld(DEPOSIT);
      });
    });

    context("when bidding has ended", function () {
      it("reverts with MarketBiddingClosed", async function () {
        const terms = await auctionTerms();
        const id = await publishListing(m, terms);
        await time.increaseTo(terms.biddingEnds);
        await expect(registerAs(m.buyer, id))
          .to.be.revertedWithCustomError(m.market, "MarketBiddingClosed")
          .withArgs(id, terms.biddingEnds);
      });
    });

    context("when the listing is not an auction, or not published", function () {
      it("reverts with MarketWrongMode or MarketUnexpectedStatus", async function () {
        const auction = await submitListing(m, await auctionTerms());
        await expect(registerAs(m.buyer, auction))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(auction, ListingStatus.Submitted);
        const fixed = await submitListing(m, listingTermsOf(m, achievement));
        await expect(registerAs(m.buyer, fixed))
          .to.be.revertedWithCustomError(m.market, "MarketWrongMode")
          .withArgs(fixed, Mode.Fixed);
      });
    });

    context("when the bidder gave no allowance", function () {
      it("reverts with the token's ERC20InsufficientAllowance", async function () {
        const id = await publishListing(m, await auctionTerms());
        await expect(by(m.buyer).registerBidder(id, m.buyer.did))
          .to.be.revertedWithCustomError(m.currency, "ERC20InsufficientAllowance")
          .withArgs(marketAddress, 0n, DEPOSIT);
        await expectHeld(0n);
      });
    });

    context("when the caller does not act for the bidder", function () {
      it("reverts with IdentityNotActingFor", async function () {
        const id = await publishListing(m, await auctionTerms());
        await expect(by(m.outsider).registerBidder(id, m.buyer.did))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.outsider.address, m.buyer.did, TRADE);
      });
    });

    context("when the market is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const id = await publishListing(m, await auctionTerms());
        await (await m.market.connect(m.guardian).pause()).wait();
        await expect(registerAs(m.buyer, id)).to.be.revertedWithCustomError(m.market, "EnforcedPause");
      });
    });
  });

  describe("rejectBidder", function () {
    let id: bigint;

    beforeEach(async function () {
      id = await auctionWithBidders();
    });

    context("when the centre rejects a bidder before its first bid", function () {
      it("emits BidderRejected and frees its deposit while the auction runs", async function () {
        await expect(m.market.rejectBidder(id, m.bank.did, REASON))
          .to.emit(m.market, "BidderRejected")
          .withArgs(id, m.bank.did, m.centre.did, REASON);
        expect(plain(await m.market.bidderOf(id, m.bank.did))).to.deep.equal([DEPOSIT, true, true, false]);
        await expect(by(m.bank).withdrawDeposit(id, m.bank.did, m.bank.address))
          .to.emit(m.market, "DepositWithdrawn")
          .withArgs(id, m.bank.did, m.bank.address, DEPOSIT);
        await expectHeld(DEPOSIT);
      });
    });

    context("when the bidder has bid", function () {
      it("reverts with MarketBidderHasBid", async function () {
        await (await by(m.bank).bid(id, RESERVE, m.bank.did)).wait();
        await expect(m.market.rejectBidder(id, m.bank.did, REASON))
          .to.be.revertedWithCustomError(m.market, "MarketBidderHasBid")
          .withArgs(id, m.bank.did);
      });
    });

    context("when the DID is not a bidder, or already rejected", function () {
      it("reverts with MarketNotBidder", async function () {
        await expect(m.market.rejectBidder(id, m.outsider.did, REASON))
          .to.be.revertedWithCustomError(m.market, "MarketNotBidder")
          .withArgs(id, m.outsider.did);
        await (await m.market.rejectBidder(id, m.bank.did, REASON)).wait();
        await expect(m.market.rejectBidder(id, m.bank.did, REASON))
          .to.be.revertedWithCustomError(m.market, "MarketNotBidder")
          .withArgs(id, m.bank.did);
      });
    });

    context("when the rejection names no reason", function () {
      it("reverts with MarketMissingReference", async function () {
        await expect(m.market.rejectBidder(id, m.bank.did, ZeroHash)).to.be.revertedWithCustomError(
          m.market,
          "MarketMissingReference",
        );
      });
    });

    context("when the auction is closed", function () {
      it("reverts with MarketUnexpectedStatus", async function () {
        await (await by(m.buyer).bid(id, RESERVE, m.buyer.did)).wait();
        await time.increaseTo((await m.market.listingOf(id)).biddingEnds);
        await (await m.market.closeAuction(id)).wait();
        await expect(m.market.rejectBidder(id, m.bank.did, REASON))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Awarded);
      });
    });

    context("when the caller is another trading centre, or no trading centre", function () {
      it("reverts with MarketNotCentre or AccessManagedUnauthorized", async function () {
        const other = await otherCentre();
        await expect(by(other).rejectBidder(id, m.bank.did, REASON))
          .to.be.revertedWithCustomError(m.market, "MarketNotCentre")
          .withArgs(id, other.did);
        await expect(by(m.university).rejectBidder(id, m.bank.did, REASON))
          .to.be.revertedWithCustomError(m.market, "AccessManagedUnauthorized")
          .withArgs(m.university.address);
      });
    });
  });

  describe("bid", function () {
    let id: bigint;

    beforeEach(async function () {
      id = await auctionWithBidders();
    });

    context("when a registered bidder bids the reserve", function () {
      it("emits BidPlaced and makes it the highest bid", async function () {
        await expect(by(m.buyer).bid(id, RESERVE, m.buyer.did))
          .to.emit(m.market, "BidPlaced")
          .withArgs(id, m.buyer.did, m.buyer.did, RESERVE);
        const s = await m.market.saleOf(id);
        expect([s.status, s.buyer, s.price]).to.deep.equal([BigInt(ListingStatus.Published), m.buyer.did, RESERVE]);
        expect((await m.market.bidderOf(id, m.buyer.did)).hasBid).to.equal(true);
      });
    });

    context("when a bid is below the reserve", function () {
      it("reverts with MarketBidTooLow naming the reserve", async function () {
        await expect(by(m.buyer).bid(id, RESERVE - 1n, m.buyer.did))
          .to.be.revertedWithCustomError(m.market, "MarketBidTooLow")
          .withArgs(id, RESERVE - 1n, RESERVE);
      });
    });

    context("when a bid beats the highest by less than the increment", function () {
      it("reverts with MarketBidTooLow, and takes a bid exactly the increment higher", async function () {
        await (await by(m.buyer).bid(id, RESERVE, m.buyer.did)).wait();
        for (const amount of [RESERVE, RESERVE + INCREMENT - 1n]) {
          await expect(by(m.bank).bid(id, amount, m.bank.did))
            .to.be.revertedWithCustomError(m.market, "MarketBidTooLow")
            .withArgs(id, amount, RESERVE + INCREMENT);
        }
        await expect(by(m.bank).bid(id, RESERVE + INCREMENT, m.bank.did))
          .to.emit(m.market, "BidPlaced")
          .withArgs(id, m.bank.did, m.bank.did, RESERVE + INCREMENT);
      });
    });

    context("when the auction has no increment and a bid equals the highest", function () {
      it("reverts with MarketBidTooLow: a bid beats the highest by one unit at least", async function () {
        const other = await auctionWithBidders({ achievement: await registerPatent(m), minIncrement: 0n });
        await (await by(m.buyer).bid(other, RESERVE, m.buyer.did)).wait();
        await expect(by(m.bank).bid(other, RESERVE, m.bank.did))
          .to.be.revertedWithCustomError(m.market, "MarketBidTooLow")
          .withArgs(other, RESERVE, RESERVE + 1n);
        await expect(by(m.bank).bid(other, RESERVE + 1n, m.bank.did)).to.emit(m.market, "BidPlaced");
      });
    });

    context("when bidding has ended", function () {
      it("reverts with MarketBiddingClosed", async function () {
        const ends = (await m.market.listingOf(id)).biddingEnds;
        await time.setNextBlockTimestamp(ends);
        await expect(by(m.buyer).bid(id, RESERVE, m.buyer.did))
          .to.be.revertedWithCustomError(m.market, "MarketBiddingClosed")
          .withArgs(id, ends);
      });
    });

    context("when the bidder is not registered", function () {
      it("reverts with MarketNotBidder", async function () {
        await expect(by(m.outsider).bid(id, RESERVE, m.outsider.did))
          .to.be.revertedWithCustomError(m.market, "MarketNotBidder")
          .withArgs(id, m.outsider.did);
      });
    });

    context("when the listing is not an auction", function () {
      it("reverts with MarketWrongMode", async function () {
        const fixed = await submitListing(m, listingTermsOf(m, achievement));
        await expect(by(m.buyer).bid(fixed, PRICE, m.buyer.did))
          .to.be.revertedWithCustomError(m.market, "MarketWrongMode")
          .withArgs(fixed, Mode.Fixed);
      });
    });

    context("when the caller does not act for the bidder", function () {
      it("reverts with IdentityNotActingFor", async function () {
        await expect(by(m.outsider).bid(id, RESERVE, m.buyer.did))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.outsider.address, m.buyer.did, TRADE);
      });
    });
  });

  describe("closeAuction", function () {
    context("when bidding ended with bids", function () {
      it("emits AuctionClosed and ListingAwarded to the highest bidder, dealable at once", async function () {
        const id = await auctionWithBidders();
        await (await by(m.bank).bid(id, RESERVE, m.bank.did)).wait();
        await (await by(m.buyer).bid(id, RESERVE + INCREMENT, m.buyer.did)).wait();
        await time.increaseTo((await m.market.listingOf(id)).biddingEnds);
        const at = await nextAt(5n);
        await expect(m.market.connect(m.outsider.account).closeAuction(id))
          .to.emit(m.market, "AuctionClosed")
          .withArgs(id, m.buyer.did, RESERVE + INCREMENT)
          .and.to.emit(m.market, "ListingAwarded")
          .withArgs(id, m.buyer.did, RESERVE + INCREMENT, at);
        expect(await statusOf(id)).to.equal(ListingStatus.Awarded);
        expect(await stageOf()).to.equal(Stage.Listed);
      });
    });

    context("when bidding ended without bids", function () {
      it("emits AuctionClosed (0, 0) and ListingLapsed, and delists the achievement back to Registered", async function () {
        const id = await auctionWithBidders();
        await time.increaseTo((await m.market.listingOf(id)).biddingEnds);
        await expect(m.market.connect(m.outsider.account).closeAuction(id))
          .to.emit(m.market, "AuctionClosed")
          .withArgs(id, 0n, 0n)
          .and.to.emit(m.market, "ListingLapsed")
          .withArgs(id)
          .and.to.emit(m.achievements, "StatusChanged")
          .withArgs(achievement, Stage.Registered, 0n);
        expect(await statusOf(id)).to.equal(ListingStatus.Lapsed);
        await expect(by(m.buyer).withdrawDeposit(id, m.buyer.did, m.buyer.address)).to.changeTokenBalances(
          m.currency,
          [marketAddress, m.buyer.address],
          [-DEPOSIT, DEPOSIT],
        );
      });

      it("delists an evaluated achievement back to Evaluated", async function () {
        await evaluated();
        const id = await publishListing(m, await auctionTerms());
        await time.increaseTo((await m.market.listingOf(id)).biddingEnds);
        await (await m.market.closeAuction(id)).wait();
        expect(await stageOf()).to.equal(Stage.Evaluated);
      });
    });

    context("when bidding is still open", function () {
      it("reverts with MarketBiddingOpen", async function () {
        const id = await auctionWithBidders();
        const ends = (await m.market.listingOf(id)).biddingEnds;
        await time.setNextBlockTimestamp(ends - 1n);
        await expect(m.market.closeAuction(id))
          .to.be.revertedWithCustomError(m.market, "MarketBiddingOpen")
          .withArgs(id, ends);
      });
    });

    context("when the auction is closed already, or the listing is no auction", function () {
      it("reverts with MarketUnexpectedStatus or MarketWrongMode", async function () {
        const { id } = await wonAuction();
        await expect(m.market.closeAuction(id))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Awarded);
        const fixed = await submitListing(m, listingTermsOf(m, achievement));
        await expect(m.market.closeAuction(fixed))
          .to.be.revertedWithCustomError(m.market, "MarketWrongMode")
          .withArgs(fixed, Mode.Fixed);
      });
    });
  });

  describe("confirmDeal", function () {
    context("when the centre confirms a fixed-price deal", function () {
      it("opens the escrow on the deal's terms, records the licence and marks the achievement licensed", async function () {
        const id = await bought();
        const at = await nextAt();
        const handover = at + 7n * DAY;
        const term = 5n * 365n * DAY;
        const tx = m.market.confirmDeal(id, DEAL, handover);
        await expect(tx)
          .to.emit(m.market, "DealConfirmed")
          .withArgs(id, DEAL, m.buyer.did, m.university.did, m.centre.did, Mode.Fixed, PRICE, 1n, 1n, handover)
          .and.to.emit(m.escrow, "EscrowOpened")
          .withArgs(1n, DEAL, m.centre.did, m.buyer.did, m.university.did, currency, PRICE)
          .and.to.emit(m.licences, "LicenceRecorded")
          .withArgs(
            1n,
            achievement,
            m.buyer.did,
            m.centre.did,
            [LicenceKind.Exclusive, 480, 310000, at, at + term, false],
            DEAL,
          )
          .and.to.emit(m.achievements, "StatusChanged")
          .withArgs(achievement, Stage.Licensed, m.centre.did)
          .and.not.to.emit(m.escrow, "MilestoneFunded");
        expect(plain(await m.escrow.escrowOf(1n))).to.deep.equal([
          currency,
          m.buyer.did,
          CENTRE_FEE,
          0n,
          m.university.did,
          m.centre.did,
          0n,
          1000n,
          2n,
          2n,
          2n,
          DEAL,
        ]);
        const [holders, inventors] = await m.escrow.payeesOf(1n);
        expect(holders.map((h) => [h.did, h.bps])).to.deep.equal([
          [m.university.did, 7000n],
          [m.team.did, 3000n],
        ]);
        expect(inventors).to.deep.equal([m.inventor.did, m.team.did]);
        expect(await escrowMilestones(1n)).to.deep.equal([
          [30_000_000n, at + 30n * DAY, MilestoneStatus.Awaiting],
          [70_000_000n, at + 90n * DAY, MilestoneStatus.Awaiting],
        ]);
        const s = await m.market.saleOf(id);
        expect([s.status, s.escrow, s.licence, s.dealRef, s.handover]).to.deep.equal([
          BigInt(ListingStatus.Dealt),
          1n,
          1n,
          DEAL,
          handover,
        ]);
        const licence = await m.licences.licenceOf(1n);
        expect([licence.licensee, licence.recordedBy, licence.terms.start, licence.terms.end]).to.deep.equal([
          m.buyer.did,
          m.centre.did,
          at,
          at + term,
        ]);
        expect(await stageOf()).to.equal(Stage.Licensed);
      });

      it("records a licence starting when the listing said, and ending a term later", async function () {
        const start = BigInt(await time.latest()) + 60n * DAY;
        const licence = { ...listingTermsOf(m, 0n).licence, start, term: 365n * DAY, sublicensable: true };
        const id = await bought(listingTermsOf(m, achievement, { licence }));
        await expect(m.market.confirmDeal(id, DEAL, 0))
          .to.emit(m.licences, "LicenceRecorded")
          .withArgs(
            1n,
            achievement,
            m.buyer.did,
            m.centre.did,
            [LicenceKind.Exclusive, 480, 310000, start, start + 365n * DAY, true],
            DEAL,
          );
      });
    });

    context("when the centre confirms an auction's deal", function () {
      it("prefunds the winner's deposit as milestone 0, splits the rest by the schedule, and moves the deposit", async function () {
        const price = RESERVE + INCREMENT + 7n;
        const schedule = [
          { bps: 3333, dueAfter: 10 * 86_400 },
          { bps: 3333, dueAfter: 20 * 86_400 },
          { bps: 3334, dueAfter: 40 * 86_400 },
        ];
        const { id } = await wonAuction(price, { schedule });
        await expectHeld(2n * DEPOSIT);
        const at = await nextAt();
        const tx = m.market.confirmDeal(id, DEAL, 0);
        await expect(tx)
          .to.emit(m.escrow, "MilestoneFunded")
          .withArgs(1n, 0, m.buyer.did, DEPOSIT)
          .and.to.emit(m.escrow, "EscrowOpened")
          .withArgs(1n, DEAL, m.centre.did, m.buyer.did, m.university.did, currency, price)
          .and.to.emit(m.market, "DealConfirmed")
          .withArgs(id, DEAL, m.buyer.did, m.university.did, m.centre.did, Mode.Auction, price, 1n, 1n, 0);
        await expect(tx).to.changeTokenBalances(m.currency, [marketAddress, escrowAddress], [-DEPOSIT, DEPOSIT]);
        const rest = price - DEPOSIT;
        const expected = milestonesOf(price, DEPOSIT, schedule, at);
        expect(expected.map(([a]) => a)).to.deep.equal([
          DEPOSIT,
          (rest * 3333n) / WHOLE,
          (rest * 3333n) / WHOLE,
          rest - 2n * ((rest * 3333n) / WHOLE),
        ]);
        expect(await escrowMilestones(1n)).to.deep.equal(
          expected.map(([a, d], i) => [a, d, i === 0 ? MilestoneStatus.Funded : MilestoneStatus.Awaiting]),
        );
        expect(expected.reduce((sum, [a]) => sum + a, 0n)).to.equal(price);
        // The market keeps only the loser's deposit; the escrow holds the winner's.
        await expectHeld(DEPOSIT);
        expect(await m.escrow.liabilities(currency)).to.deep.equal([DEPOSIT, 0n]);
        expect(plain(await m.market.bidderOf(id, m.buyer.did))).to.deep.equal([0n, true, false, true]);
        await expect(by(m.buyer).withdrawDeposit(id, m.buyer.did, m.buyer.address))
          .to.be.revertedWithCustomError(m.market, "MarketNothingToWithdraw")
          .withArgs(id, m.buyer.did);
      });

      it(`opens an escrow of 12 milestones for ${MAX_INSTALMENTS} instalments and the deposit`, async function () {
        const schedule = Array.from({ length: 11 }, (_, i) => ({
          bps: i === 10 ? 10_000 - 900 * 10 : 900,
          dueAfter: (i + 1) * 86_400,
        }));
        const { id } = await wonAuction(RESERVE + INCREMENT, { schedule });
        const at = await nextAt();
        await expect(m.market.confirmDeal(id, DEAL, 0)).to.emit(m.escrow, "EscrowOpened");
        expect((await m.escrow.escrowOf(1n)).milestoneCount).to.equal(12n);
        const got = await escrowMilestones(1n);
        expect(got.map(([a, d]) => [a, d])).to.deep.equal(milestonesOf(RESERVE + INCREMENT, DEPOSIT, schedule, at));
        expect(got[0][1]).to.equal(got[1][1]);
      });

      it("leaves out an instalment that rounds to 0, and a schedule the deposit pays whole", async function () {
        const schedule = [
          { bps: 1, dueAfter: 86_400 },
          { bps: 9_999, dueAfter: 2 * 86_400 },
        ];
        const { id } = await wonAuction(3n, { price: 2n, deposit: 1n, minIncrement: 1n, schedule });
        const at = await nextAt();
        await (await m.market.confirmDeal(id, DEAL, 0)).wait();
        expect(await escrowMilestones(1n)).to.deep.equal([
          [1n, at + DAY, MilestoneStatus.Funded],
          [2n, at + 2n * DAY, MilestoneStatus.Awaiting],
        ]);

        const whole = await registerPatent(m);
        const other = await auctionWithBidders({ achievement: whole, deposit: RESERVE, schedule });
        await (await by(m.buyer).bid(other, RESERVE, m.buyer.did)).wait();
        await time.increaseTo((await m.market.listingOf(other)).biddingEnds);
        await (await m.market.closeAuction(other)).wait();
        const at2 = await nextAt();
        await (await m.market.confirmDeal(other, hashOf("deal 2"), 0)).wait();
        expect(await escrowMilestones(2n)).to.deep.equal([[RESERVE, at2 + DAY, MilestoneStatus.Funded]]);
      });
    });

    context("when the listing is not awarded", function () {
      it("reverts with MarketUnexpectedStatus", async function () {
        const id = await publishListing(m, listingTermsOf(m, achievement));
        await expect(m.market.confirmDeal(id, DEAL, 0))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Published);
        await (await by(m.buyer).buy(id, m.buyer.did)).wait();
        await (await m.market.confirmDeal(id, DEAL, 0)).wait();
        await expect(m.market.confirmDeal(id, DEAL, 0))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Dealt);
      });
    });

    context("when the deal names no reference", function () {
      it("reverts with MarketMissingReference", async function () {
        const id = await bought();
        await expect(m.market.confirmDeal(id, ZeroHash, 0)).to.be.revertedWithCustomError(
          m.market,
          "MarketMissingReference",
        );
      });
    });

    context("when the caller is another trading centre, or no trading centre", function () {
      it("reverts with MarketNotCentre or AccessManagedUnauthorized", async function () {
        const id = await bought();
        const other = await otherCentre();
        await expect(by(other).confirmDeal(id, DEAL, 0))
          .to.be.revertedWithCustomError(m.market, "MarketNotCentre")
          .withArgs(id, other.did);
        await expect(by(m.buyer).confirmDeal(id, DEAL, 0))
          .to.be.revertedWithCustomError(m.market, "AccessManagedUnauthorized")
          .withArgs(m.buyer.address);
      });
    });

    context("when an arbitrator's order transferred the achievement since it was listed", function () {
      it("reverts with MarketAchievementNotListed naming the registry's stage", async function () {
        const id = await bought();
        await ordered({});
        expect(await stageOf()).to.equal(Stage.Transferred);
        await expect(m.market.confirmDeal(id, DEAL, 0))
          .to.be.revertedWithCustomError(m.market, "MarketAchievementNotListed")
          .withArgs(achievement, Stage.Transferred);
      });
    });

    context("when an arbitrator's order gave the disposal right to others", function () {
      it("reverts with MarketNotDisposalParty for a lister that lost it", async function () {
        const id = await bought();
        await ordered({ right: Right.Disposal, holder: ZeroAddress });
        expect(await stageOf()).to.equal(Stage.Listed);
        await expect(m.market.confirmDeal(id, DEAL, 0))
          .to.be.revertedWithCustomError(m.market, "MarketNotDisposalParty")
          .withArgs(achievement, m.university.did);
      });

      it("reverts with MarketApprovalMissing for a new party until it approves", async function () {
        const id = await bought();
        const until = BigInt(await time.latest()) + 365n * DAY;
        await ordered({ right: Right.Disposal, holder: ZeroAddress, until });
        await expect(m.market.confirmDeal(id, DEAL, 0))
          .to.be.revertedWithCustomError(m.market, "MarketApprovalMissing")
          .withArgs(id, m.bank.did);
        await (await by(m.bank).approve(id, m.bank.did)).wait();
        await expect(m.market.confirmDeal(id, DEAL, 0)).to.emit(m.market, "DealConfirmed");
      });
    });

    context("when the achievement is frozen", function () {
      it("reverts with the register's LicenceAchievementLocked and changes nothing", async function () {
        const { id } = await wonAuction();
        await (await m.rights.connect(m.arbitrator.account).freeze(achievement, CASE)).wait();
        await expect(m.market.confirmDeal(id, DEAL, 0))
          .to.be.revertedWithCustomError(m.licences, "LicenceAchievementLocked")
          .withArgs(achievement);
        expect(await statusOf(id)).to.equal(ListingStatus.Awarded);
        expect(await m.escrow.escrowCount()).to.equal(0n);
        await expectHeld(2n * DEPOSIT);
      });
    });

    context("when the market is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const id = await bought();
        await (await m.market.connect(m.guardian).pause()).wait();
        await expect(m.market.confirmDeal(id, DEAL, 0)).to.be.revertedWithCustomError(m.market, "EnforcedPause");
      });
    });
  });

  describe("a re-listing of a licensed achievement", function () {
    it("leaves it Licensed when the re-listing is withdrawn: its first licence still runs", async function () {
      const nonExclusive = {
        kind: LicenceKind.NonExclusive,
        field: 480,
        territory: 310000,
        start: 0n,
        term: 5n * 365n * 86_400n,
        sublicensable: false,
      };
      const first = await publishListing(m, listingTermsOf(m, achievement, { licence: nonExclusive }));
      await (await by(m.buyer).buy(first, m.buyer.did)).wait();
      await (await m.market.confirmDeal(first, DEAL, 0)).wait();
      expect(await stageOf()).to.equal(Stage.Licensed);
      const second = await publishListing(
        m,
        listingTermsOf(m, achievement, { licence: nonExclusive, termsHash: hashOf("second listing") }),
      );
      expect(await stageOf()).to.equal(Stage.Listed);
      await expect(by(m.university).withdrawListing(second, m.university.did, REASON))
        .to.emit(m.achievements, "StatusChanged")
        .withArgs(achievement, Stage.Licensed, m.university.did);
      expect(await stageOf()).to.equal(Stage.Licensed);
      expect(await m.licences.isLicensed(m.buyer.did, achievement, 480, 310000, await time.latest())).to.equal(true);
    });
  });

  describe("one published listing of an achievement at a time", function () {
    /** Listing 1 published by the university; an order gives ownership to `owners` (Transferred); the bank then lists 2. */
    async function relistedAfterOrder(first: ListingTerms, owners = [{ did: m.bank.did, bps: 10_000 }]) {
      const a = await publishListing(m, first);
      await ordered({ holdings: owners, holder: owners[0].did === m.bank.did ? m.bank.address : m.university.address });
      expect(await stageOf()).to.equal(Stage.Transferred);
      await (await listAs(listingTermsOf(m, achievement), m.bank, m.bank.did)).wait();
      const b = a + 1n;
      return { a, b };
    }

    context("when a listing an order left published ends after another listing was published", function () {
      it("keeps the achievement listed for the other listing, whose deal goes through (withdrawn by its lister)", async function () {
        const { a, b } = await relistedAfterOrder(listingTermsOf(m, achievement));
        await (await m.market.publish(b, 300)).wait();
        expect(await stageOf()).to.equal(Stage.Listed);
        await expect(by(m.university).withdrawListing(a, m.university.did, REASON)).not.to.emit(
          m.achievements,
          "StatusChanged",
        );
        expect(await stageOf()).to.equal(Stage.Listed);
        await (await by(m.buyer).buy(b, m.buyer.did)).wait();
        await expect(m.market.confirmDeal(b, DEAL, 0))
          .to.emit(m.market, "DealConfirmed")
          .withArgs(b, DEAL, m.buyer.did, m.bank.did, m.centre.did, Mode.Fixed, PRICE, 1n, 1n, 0);
        expect(await stageOf()).to.equal(Stage.Licensed);
      });

      it("keeps the achievement listed when anyone closes the first, unsold auction", async function () {
        const { a, b } = await relistedAfterOrder(await auctionTerms());
        await (await m.market.publish(b, 300)).wait();
        await time.increaseTo((await m.market.listingOf(a)).biddingEnds);
        await expect(m.market.connect(m.outsider.account).closeAuction(a))
          .to.emit(m.market, "ListingLapsed")
          .withArgs(a)
          .and.not.to.emit(m.achievements, "StatusChanged");
        expect(await stageOf()).to.equal(Stage.Listed);
        // A third listing cannot be published beside the second.
        await (await listAs(negotiatedTerms(), m.bank, m.bank.did)).wait();
        await expect(m.market.publish(b + 1n, 300))
          .to.be.revertedWithCustomError(m.achievements, "AchievementUnexpectedStatus")
          .withArgs(achievement, Stage.Listed);
      });
    });

    context("when an award an order overtook meets another listing's Listed stage at its deal", function () {
      it("reverts with MarketAchievementNotListed: the stage is the other listing's", async function () {
        const owners = [
          { did: m.university.did, bps: 5_000 },
          { did: m.bank.did, bps: 5_000 },
        ];
        const first = listingTermsOf(m, achievement);
        const a = await publishListing(m, first);
        await (await by(m.buyer).buy(a, m.buyer.did)).wait();
        await ordered({ holdings: owners, holder: m.university.address });
        await (await by(m.bank).approve(a, m.bank.did)).wait();
        await (await listAs(negotiatedTerms(), m.bank, m.bank.did)).wait();
        const b = a + 1n;
        await (await by(m.university).approve(b, m.university.did)).wait();
        await (await m.market.publish(b, 300)).wait();
        await expect(m.market.confirmDeal(a, DEAL, 0))
          .to.be.revertedWithCustomError(m.market, "MarketAchievementNotListed")
          .withArgs(achievement, Stage.Listed);
        expect(await stageOf()).to.equal(Stage.Listed);
      });
    });
  });

  describe("lapse", function () {
    context("when no deal followed an award within the deal window", function () {
      it("refuses until the window ends, then lapses the listing and frees the winner's deposit", async function () {
        const { id, closedAt } = await wonAuction();
        await expect(by(m.buyer).withdrawDeposit(id, m.buyer.did, m.buyer.address))
          .to.be.revertedWithCustomError(m.market, "MarketDepositLocked")
          .withArgs(id, m.buyer.did);
        await time.setNextBlockTimestamp(closedAt + DEAL_WINDOW - 1n);
        await expect(m.market.connect(m.outsider.account).lapse(id))
          .to.be.revertedWithCustomError(m.market, "MarketAwardRunning")
          .withArgs(id, closedAt + DEAL_WINDOW);
        await time.setNextBlockTimestamp(closedAt + DEAL_WINDOW);
        await expect(m.market.connect(m.outsider.account).lapse(id))
          .to.emit(m.market, "ListingLapsed")
          .withArgs(id)
          .and.to.emit(m.achievements, "StatusChanged")
          .withArgs(achievement, Stage.Registered, 0n);
        expect(await statusOf(id)).to.equal(ListingStatus.Lapsed);
        await expect(by(m.buyer).withdrawDeposit(id, m.buyer.did, m.buyer.address))
          .to.emit(m.market, "DepositWithdrawn")
          .withArgs(id, m.buyer.did, m.buyer.address, DEPOSIT);
        await expect(m.market.confirmDeal(id, DEAL, 0))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Lapsed);
      });

      it("counts the window from the end of a negotiated price's notice period", async function () {
        const id = await publishListing(m, negotiatedTerms());
        const at = await nextAt();
        await (await acceptAs(await offerOf(id))).wait();
        await time.setNextBlockTimestamp(at + NOTICE + DEAL_WINDOW - 1n);
        await expect(m.market.lapse(id))
          .to.be.revertedWithCustomError(m.market, "MarketAwardRunning")
          .withArgs(id, at + NOTICE + DEAL_WINDOW);
        await time.setNextBlockTimestamp(at + NOTICE + DEAL_WINDOW);
        await expect(m.market.lapse(id)).to.emit(m.market, "ListingLapsed").withArgs(id);
      });
    });

    context("when the listing is not awarded", function () {
      it("reverts with MarketUnexpectedStatus", async function () {
        const id = await publishListing(m, listingTermsOf(m, achievement));
        await expect(m.market.lapse(id))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Published);
      });
    });
  });

  describe("withdrawDeposit", function () {
    context("while the auction runs", function () {
      it("reverts with MarketDepositLocked", async function () {
        const id = await auctionWithBidders();
        await expect(by(m.bank).withdrawDeposit(id, m.bank.did, m.bank.address))
          .to.be.revertedWithCustomError(m.market, "MarketDepositLocked")
          .withArgs(id, m.bank.did);
        // After the deadline too, until the auction is closed.
        await time.increaseTo((await m.market.listingOf(id)).biddingEnds);
        await expect(by(m.bank).withdrawDeposit(id, m.bank.did, m.bank.address))
          .to.be.revertedWithCustomError(m.market, "MarketDepositLocked")
          .withArgs(id, m.bank.did);
      });
    });

    context("when the auction is awarded", function () {
      it("locks the winner's deposit and pays a loser's exactly, once", async function () {
        const { id } = await wonAuction();
        await expect(by(m.buyer).withdrawDeposit(id, m.buyer.did, m.buyer.address))
          .to.be.revertedWithCustomError(m.market, "MarketDepositLocked")
          .withArgs(id, m.buyer.did);
        const to = spare[1].address;
        const tx = by(m.bank).withdrawDeposit(id, m.bank.did, to);
        await expect(tx).to.emit(m.market, "DepositWithdrawn").withArgs(id, m.bank.did, to, DEPOSIT);
        await expect(tx).to.changeTokenBalances(
          m.currency,
          [marketAddress, to, m.bank.address],
          [-DEPOSIT, DEPOSIT, 0n],
        );
        expect((await m.market.bidderOf(id, m.bank.did)).deposit).to.equal(0n);
        await expectHeld(DEPOSIT);
        await expect(by(m.bank).withdrawDeposit(id, m.bank.did, to))
          .to.be.revertedWithCustomError(m.market, "MarketNothingToWithdraw")
          .withArgs(id, m.bank.did);
      });
    });

    context("when the DID never registered", function () {
      it("reverts with MarketNothingToWithdraw", async function () {
        const id = await auctionWithBidders();
        await expect(by(m.outsider).withdrawDeposit(id, m.outsider.did, m.outsider.address))
          .to.be.revertedWithCustomError(m.market, "MarketNothingToWithdraw")
          .withArgs(id, m.outsider.did);
      });
    });

    context("when the caller acts for the bidder without the payment scope", function () {
      it("reverts with IdentityMandateOutOfScope, and pays a representative with it", async function () {
        const id = await auctionWithBidders();
        await (await by(m.university).withdrawListing(id, m.university.did, REASON)).wait();
        const until = BigInt(await time.latest()) + 30n * DAY;
        await (
          await m.identity.connect(m.bank.account).grantMandate(m.bank.did, m.outsider.did, Scope.TRADE, until)
        ).wait();
        await expect(by(m.outsider).withdrawDeposit(id, m.bank.did, m.outsider.address))
          .to.be.revertedWithCustomError(m.identity, "IdentityMandateOutOfScope")
          .withArgs(m.bank.did, m.outsider.did, TRADE, PAYMENT);
        await (
          await m.identity.connect(m.bank.account).grantMandate(m.bank.did, m.outsider.did, Scope.PAYMENT, until)
        ).wait();
        await expect(by(m.outsider).withdrawDeposit(id, m.bank.did, m.bank.address))
          .to.emit(m.market, "DepositWithdrawn")
          .withArgs(id, m.bank.did, m.bank.address, DEPOSIT);
      });
    });

    context("when the market is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const id = await auctionWithBidders();
        await (await m.market.cancel(id, REASON)).wait();
        await (await m.market.connect(m.guardian).pause()).wait();
        await expect(by(m.bank).withdrawDeposit(id, m.bank.did, m.bank.address)).to.be.revertedWithCustomError(
          m.market,
          "EnforcedPause",
        );
      });
    });
  });

  describe("setNoticePeriod", function () {
    context("when the council sets it", function () {
      it("emits NoticePeriodSet and awards later offers with it; 90 days is the longest", async function () {
        await expect(m.market.connect(m.councilSigner).setNoticePeriod(MAX_NOTICE))
          .to.emit(m.market, "NoticePeriodSet")
          .withArgs(MAX_NOTICE);
        expect(await m.market.noticePeriod()).to.equal(MAX_NOTICE);
        await (await m.market.connect(m.councilSigner).setNoticePeriod(0)).wait();
        const id = await publishListing(m, negotiatedTerms());
        const offer = await offerOf(id);
        const at = await nextAt();
        await expect(acceptAs(offer)).to.emit(m.market, "ListingAwarded").withArgs(id, m.buyer.did, offer.price, at);
        await expect(m.market.confirmDeal(id, DEAL, 0)).to.emit(m.market, "DealConfirmed");
      });
    });

    context("when the period is longer than 90 days", function () {
      it("reverts with MarketInvalidNoticePeriod", async function () {
        await expect(m.market.connect(m.councilSigner).setNoticePeriod(MAX_NOTICE + 1n))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidNoticePeriod")
          .withArgs(MAX_NOTICE + 1n);
        expect(await m.market.noticePeriod()).to.equal(NOTICE);
      });
    });

    context("when anyone but the council sets it", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        for (const caller of [m.centre.account, m.guardian, m.buyer.account]) {
          await expect(m.market.connect(caller).setNoticePeriod(DAY))
            .to.be.revertedWithCustomError(m.market, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
      });
    });
  });

  describe("pause and unpause", function () {
    context("when the guardian pauses", function () {
      it("stops every state change until the council unpauses, and keeps the reads", async function () {
        const id = await auctionWithBidders();
        await (await m.market.connect(m.guardian).pause()).wait();
        const refused = [
          () => by(m.buyer).bid(id, RESERVE, m.buyer.did),
          () => registerAs(m.outsider, id),
          () => m.market.rejectBidder(id, m.bank.did, REASON),
          () => m.market.cancel(id, REASON),
          () => m.market.closeAuction(id),
          () => m.market.lapse(id),
        ];
        for (const call of refused) await expect(call()).to.be.revertedWithCustomError(m.market, "EnforcedPause");
        expect(await statusOf(id)).to.equal(ListingStatus.Published);
        expect(await m.market.liabilities(currency)).to.equal(2n * DEPOSIT);
        await expect(m.market.connect(m.guardian).unpause())
          .to.be.revertedWithCustomError(m.market, "AccessManagedUnauthorized")
          .withArgs(m.guardian.address);
        await (await m.market.connect(m.councilSigner).unpause()).wait();
        await expect(by(m.buyer).bid(id, RESERVE, m.buyer.did)).to.emit(m.market, "BidPlaced");
      });
    });

    context("when anyone but the guardian pauses", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        for (const caller of [m.centre.account, m.councilSigner, m.buyer.account]) {
          await expect(m.market.connect(caller).pause())
            .to.be.revertedWithCustomError(m.market, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
      });
    });
  });

  describe("reads", function () {
    it("refuses unknown listings with MarketUnknownListing", async function () {
      await (await listAs(listingTermsOf(m, achievement))).wait();
      for (const id of [0n, 2n]) {
        await expect(m.market.listingOf(id))
          .to.be.revertedWithCustomError(m.market, "MarketUnknownListing")
          .withArgs(id);
        await expect(m.market.saleOf(id)).to.be.revertedWithCustomError(m.market, "MarketUnknownListing").withArgs(id);
        await expect(m.market.scheduleOf(id))
          .to.be.revertedWithCustomError(m.market, "MarketUnknownListing")
          .withArgs(id);
      }
    });

    it("reports the constants, the defaults and the version", async function () {
      expect(await m.market.MAX_INSTALMENTS()).to.equal(MAX_INSTALMENTS);
      expect(await m.market.DEAL_WINDOW()).to.equal(DEAL_WINDOW);
      expect(await m.market.MAX_NOTICE_PERIOD()).to.equal(MAX_NOTICE);
      expect(await m.market.noticePeriod()).to.equal(NOTICE);
      expect(await m.market.listingCount()).to.equal(0n);
      expect(await m.market.liabilities(currency)).to.equal(0n);
      expect(plain(await m.market.bidderOf(1n, m.buyer.did))).to.deep.equal([0n, false, false, false]);
      expect(await m.market.hasApproved(1n, m.university.did)).to.equal(false);
      expect(await m.market.version()).to.equal("1.0.0");
      expect(await m.market.IDENTITY()).to.equal(await m.identity.getAddress());
      expect(await m.market.ACHIEVEMENTS()).to.equal(await m.achievements.getAddress());
      expect(await m.market.LICENCES()).to.equal(await m.licences.getAddress());
      expect(await m.market.ESCROW()).to.equal(escrowAddress);
    });

    it("gives the EIP-712 digest of an offer, as ethers computes it", async function () {
      const offer = await offerOf(7n, { round: 3, price: 123n });
      expect(await m.market.offerHash(offer)).to.equal(TypedDataEncoder.hash(await offerDomain(m), OFFER_TYPES, offer));
      const d = await m.market.eip712Domain();
      expect([d.name, d.version, d.verifyingContract]).to.deep.equal(["govledger-market", "1", marketAddress]);
    });

    it("holds the ACHIEVEMENT_MARKET role it acts with", async function () {
      const [member] = await m.authority.hasRole(ROLES.ACHIEVEMENT_MARKET, marketAddress);
      expect(member).to.equal(true);
    });
  });

  describe("a broker listing under a mandate", function () {
    it("records the broker, keeps it off the buyers, and credits its commission on each release", async function () {
      await grantBroker();
      const terms = listingTermsOf(m, achievement, { brokerBps: 200 });
      await expect(listAs(terms, m.broker))
        .to.emit(m.market, "ListingSubmitted")
        .withArgs(
          1n,
          achievement,
          m.university.did,
          m.broker.did,
          m.centre.did,
          Mode.Fixed,
          currency,
          PRICE,
          terms.termsHash,
        )
        .and.to.emit(m.market, "ListingApproved")
        .withArgs(1n, m.university.did, m.broker.did);
      const l = await m.market.listingOf(1n);
      expect([l.lister, l.broker, l.brokerBps]).to.deep.equal([m.university.did, m.broker.did, 200n]);
      await (await by(m.team).approve(1n, m.team.did)).wait();
      await (await m.market.publish(1n, 300)).wait();
      await (await by(m.buyer).buy(1n, m.buyer.did)).wait();
      await (await m.market.confirmDeal(1n, DEAL, 0)).wait();
      const e = await m.escrow.escrowOf(1n);
      expect([e.seller, e.broker, e.brokerBps, e.centreFeeBps]).to.deep.equal([
        m.university.did,
        m.broker.did,
        200n,
        CENTRE_FEE,
      ]);
      await (await m.currency.connect(m.buyer.account).approve(escrowAddress, PRICE)).wait();
      for (const [i, amount] of [30_000_000n, 70_000_000n].entries()) {
        await (await m.escrow.connect(m.buyer.account).fund(1n, i, m.buyer.did)).wait();
        await expect(m.escrow.connect(m.buyer.account).confirm(1n, i, m.buyer.did))
          .to.emit(m.escrow, "Credited")
          .withArgs(1n, m.broker.did, currency, (amount * 200n) / WHOLE);
      }
      expect(await m.escrow.balanceOf(currency, m.broker.did)).to.equal((PRICE * 200n) / WHOLE);
    });
  });

  describe("a whole fixed-price sale", function () {
    it("ends with every party withdrawing from the escrow and the sums reconciling exactly", async function () {
      const price = 100_000_003n;
      const id = await publishListing(m, listingTermsOf(m, achievement, { price }));
      const buyerBefore = await m.currency.balanceOf(m.buyer.address);
      await (await by(m.buyer).buy(id, m.buyer.did)).wait();
      await (await m.market.confirmDeal(id, DEAL, 0)).wait();
      const escrowId = (await m.market.saleOf(id)).escrow;
      const milestones = await escrowMilestones(escrowId);
      expect(milestones.map(([a]) => a)).to.deep.equal([30_000_000n, 70_000_003n]);

      const credits = new Map<bigint, bigint>();
      const add = (did: bigint, amount: bigint) => credits.set(did, (credits.get(did) ?? 0n) + amount);
      await (await m.currency.connect(m.buyer.account).approve(escrowAddress, price)).wait();
      for (const [i, [amount]] of milestones.entries()) {
        await (await m.escrow.connect(m.buyer.account).fund(escrowId, i, m.buyer.did)).wait();
        const receipt = await (await m.escrow.connect(m.buyer.account).confirm(escrowId, i, m.buyer.did)).wait();
        const credited: Credit[] = [];
        for (const log of receipt!.logs) {
          const event = m.escrow.interface.parseLog(log);
          if (event?.name === "Credited") credited.push([event.args.did, event.args.amount]);
        }
        // centre 3 %, inventors 10 % (the first takes the odd unit), the rest 70/30 (the first holder takes the rounding).
        const centreFee = (amount * CENTRE_FEE) / WHOLE;
        const pool = (amount * 1000n) / WHOLE;
        const each = pool / 2n;
        const rest = amount - centreFee - pool;
        const teamPart = (rest * 3000n) / WHOLE;
        expect(sorted(credited)).to.deep.equal(
          sorted([
            [m.centre.did, centreFee],
            [m.inventor.did, pool - each],
            [m.team.did, each],
            [m.team.did, teamPart],
            [m.university.did, rest - teamPart],
          ]),
        );
        for (const [did, a] of credited) add(did, a);
      }
      let total = 0n;
      for (const p of [m.centre, m.inventor, m.team, m.university]) {
        const owed = credits.get(p.did)!;
        expect(await m.escrow.balanceOf(currency, p.did)).to.equal(owed);
        const tx = m.escrow.connect(p.account).withdraw(currency, p.did, p.address);
        await expect(tx).to.emit(m.escrow, "Withdrawn").withArgs(p.did, currency, p.address, owed);
        await expect(tx).to.changeTokenBalances(m.currency, [escrowAddress, p.address], [-owed, owed]);
        total += owed;
      }
      expect(total).to.equal(price);
      expect(await m.currency.balanceOf(m.buyer.address)).to.equal(buyerBefore - price);
      expect(await m.currency.balanceOf(escrowAddress)).to.equal(0n);
      expect(await m.escrow.liabilities(currency)).to.deep.equal([0n, 0n]);
      await expectHeld(0n);
      expect(await stageOf()).to.equal(Stage.Licensed);
      expect(await m.licences.isLicensed(m.buyer.did, achievement, 480, 310000, await time.latest())).to.equal(true);
    });
  });
});
