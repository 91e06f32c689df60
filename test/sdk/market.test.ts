import { expect } from "chai";
import { deployments, ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { ZeroHash, type Signer } from "ethers";
import {
  GovLedger,
  OFFER_TYPES,
  deploymentFromRecords,
  offerDomain,
  parseSignedOffer,
  type Call,
  type Deployment,
  type ListingInput,
  type SignedOffer,
} from "../../src/sdk";
import { Scope, hashOf, now } from "../helpers/identity";
import {
  BUYER_FUNDS,
  ListingStatus,
  MilestoneStatus,
  Mode,
  listingTermsOf,
  publishListing,
  registerPatent,
  submitListing,
  tradeFixture,
  type TradeModule,
} from "../helpers/trade";

const DAY = 86_400n;
const PRICE = 100_000_000n; // 1,000,000.00
const DOCUMENT = hashOf("listing document (挂牌文件)");

describe("GovLedger SDK: licence market", function () {
  let m: TradeModule;
  let deployment: Deployment;
  let achievement: bigint;

  beforeEach(async function () {
    m = await tradeFixture();
    deployment = deploymentFromRecords("hardhat", 31337n, await deployments.all());
    achievement = await registerPatent(m);
  });

  const as = (signer: Signer) => GovLedger.connect(signer, deployment);

  /** The listing of listingTermsOf in people's units: 1,000,000.00, 30 % after 30 days, 70 % after 90. */
  function terms(overrides: Partial<ListingInput> = {}): ListingInput {
    return {
      achievement,
      centre: `did:govledger:31337:${m.centre.did}`,
      mode: "fixed",
      price: "1000000.00",
      licence: { kind: "exclusive", field: 480, territory: 310000, term: { years: 5 } },
      schedule: [
        { percent: 30, dueAfterDays: 30 },
        { percent: "70%", dueAfterDays: 90 },
      ],
      inventorBps: 1000,
      termsHash: DOCUMENT,
      ...overrides,
    };
  }

  /** Asserts `build()` (or its call) is refused with `message` and nothing is sent: no block, no nonce. */
  async function refused(
    signer: Signer,
    build: () => Call<unknown> | Promise<unknown>,
    message: RegExp,
  ): Promise<void> {
    const [block, nonce] = [await ethers.provider.getBlockNumber(), await signer.getNonce()];
    await expect(
      (async () => {
        const made = await build();
        return made && typeof (made as Call<unknown>).wait === "function" ? (made as Call<unknown>).wait() : made;
      })(),
    ).to.be.rejectedWith(message);
    expect(await ethers.provider.getBlockNumber(), "block number").to.equal(block);
    expect(await signer.getNonce(), "nonce").to.equal(nonce);
  }

  async function auction(overrides: Partial<ListingInput> = {}): Promise<{ id: bigint; ends: bigint }> {
    const ends = (await now()) + 7n * DAY;
    const uni = await as(m.university.account);
    const { id } = await uni.market
      .list(
        terms({
          mode: "auction",
          price: "500000.00",
          deposit: "50000.00",
          increment: "10000.00",
          biddingEnds: ends,
          ...overrides,
        }),
        m.university.did,
      )
      .wait();
    await (await as(m.team.account)).market.approve(id, m.team.did).wait();
    await (await as(m.centre.account)).market.publish(id, 300).wait();
    return { id, ends };
  }

  /** Registers `who` (funded and approved) as a bidder of `id`. */
  async function registered(id: bigint, who: { account: Signer; did: bigint }): Promise<void> {
    const gl = await as(who.account);
    await gl.market.approveDeposit(id).wait();
    await gl.market.registerBidder(id, who.did).wait();
  }

  describe("list, approve, publish", function () {
    it("lists in people's units, resolves to the event, and show reads it back by name", async function () {
      const uni = await as(m.university.account);
      const listed = await uni.market.list(terms(), m.university.did).wait();
      expect(listed).to.deep.include({
        id: 1n,
        achievement,
        lister: m.university.did,
        actor: m.university.did,
        centre: m.centre.did,
        mode: "fixed",
        token: await m.currency.getAddress(),
        price: PRICE,
        termsHash: DOCUMENT,
      });
      expect(listed).not.to.have.property("broker");
      const stored = await m.market.listingOf(1);
      expect(stored.licence.term).to.equal(5n * 365n * DAY);
      expect(stored.licence.kind).to.equal(0n);
      expect((await m.market.scheduleOf(1)).map((i) => [i.bps, i.dueAfter])).to.deep.equal([
        [3000n, 30n * DAY],
        [7000n, 90n * DAY],
      ]);
      expect(await m.market.hasApproved(1, m.university.did)).to.equal(true);

      const approved = await (await as(m.team.account)).market.approve(1, m.team.did).wait();
      expect(approved).to.deep.include({ id: 1n, did: m.team.did, actor: m.team.did });
      const published = await (await as(m.centre.account)).market.publish(1, 300).wait();
      expect(published).to.deep.include({ id: 1n, centre: m.centre.did, centreFeeBps: 300 });

      const view = await (await as(m.outsider.account)).market.show(1);
      expect(view).to.deep.equal({
        id: 1n,
        achievement,
        token: { address: await m.currency.getAddress(), symbol: "e-CNY(test)", decimals: 2 },
        mode: "fixed",
        status: "Published",
        lister: m.university.did,
        centre: m.centre.did,
        price: "1000000.00",
        centreFeeBps: 300,
        brokerBps: 0,
        inventorBps: 1000,
        licence: { kind: "exclusive", field: 480n, territory: 310000n, termDays: 1825, sublicensable: false },
        schedule: [
          { number: 1, bps: 3000, percent: 30, dueAfterDays: 30 },
          { number: 2, bps: 7000, percent: 70, dueAfterDays: 90 },
        ],
        termsHash: DOCUMENT,
        sale: { status: "Published", round: 0 },
      });
    });

    it("records a broker listing under a trade mandate, with its commission", async function () {
      const until = (await now()) + 30n * DAY;
      await (
        await m.identity.connect(m.university.account).grantMandate(m.university.did, m.broker.did, Scope.TRADE, until)
      ).wait();
      const listed = await (await as(m.broker.account)).market.list(terms({ brokerBps: 200 }), m.university.did).wait();
      expect(listed).to.deep.include({ lister: m.university.did, actor: m.broker.did, broker: m.broker.did });
      const view = await (await as(m.broker.account)).market.show(listed.id);
      expect(view).to.deep.include({ broker: m.broker.did, brokerBps: 200, status: "Submitted" });
    });

    it("takes shares in basis points, a later start and a term in days", async function () {
      const start = (await now()) + 10n * DAY;
      const { id } = await (
        await as(m.university.account)
      ).market
        .list(
          terms({
            licence: {
              kind: "non-exclusive",
              start: new Date(Number(start) * 1000),
              term: { days: 400 },
              sublicensable: true,
            },
            schedule: [{ bps: 10_000, dueAfterDays: 15 }],
          }),
          m.university.did,
        )
        .wait();
      const view = await (await as(m.university.account)).market.show(id);
      expect(view.licence).to.deep.equal({
        kind: "non-exclusive",
        field: 0n,
        territory: 0n,
        start: new Date(Number(start) * 1000),
        termDays: 400,
        sublicensable: true,
      });
      expect(view.schedule).to.deep.equal([{ number: 1, bps: 10_000, percent: 100, dueAfterDays: 15 }]);
    });

    context("refused before sending", function () {
      it("refuses bad input without reading the chain", async function () {
        const uni = await as(m.university.account);
        const u = m.university.account;
        const did = m.university.did;
        await refused(
          u,
          () => uni.market.list(terms({ price: "1,000,000.00" }), did),
          /the price "1,000,000.00" is not valid: expected a decimal amount/,
        );
        await refused(
          u,
          () => uni.market.list(terms({ mode: "barter" as "fixed" }), did),
          /mode "barter" is not one of: fixed, negotiated, auction/,
        );
        await refused(
          u,
          () => uni.market.list(terms({ deposit: "100.00" }), did),
          /a fixed-price listing takes no deposit: only an auction has one/,
        );
        await refused(u, () => uni.market.list(terms({ mode: "auction" }), did), /an auction needs a bidding deadline/);
        await refused(
          u,
          () =>
            uni.market.list(
              terms({
                schedule: [
                  { percent: 30, dueAfterDays: 30 },
                  { percent: 60, dueAfterDays: 90 },
                ],
              }),
              did,
            ),
          /the instalments' shares sum to 90 % \(30 % \+ 60 %\), not 100 %/,
        );
        await refused(
          u,
          () =>
            uni.market.list(
              terms({
                schedule: [
                  { percent: 30, dueAfterDays: 30 },
                  { percent: 70, dueAfterDays: 30 },
                ],
              }),
              did,
            ),
          /instalment 2 is due 30 days after the deal, not after instalment 1 \(30 days\): due days must increase/,
        );
        await refused(
          u,
          () => uni.market.list(terms({ schedule: [{ percent: 100, bps: 10_000, dueAfterDays: 1 }] }), did),
          /instalment 1 gives its share both in percent and in bps/,
        );
        await refused(
          u,
          () => uni.market.list(terms({ licence: { kind: "exclusive", term: {} } }), did),
          /the licence has no term/,
        );
        await refused(
          u,
          () => uni.market.list(terms({ licence: { kind: "perpetual" as "sole", term: { years: 1 } } }), did),
          /licence kind "perpetual" is not one of: exclusive, sole, non-exclusive/,
        );
        await refused(
          u,
          () => uni.market.list(terms({ brokerBps: 5000, inventorBps: 5000 }), did),
          /add up to 10000 bps, leaving the holders nothing/,
        );
        await refused(
          u,
          () => uni.market.list(terms({ termsHash: ZeroHash }), did),
          /the listing document hash is zero/,
        );
      });

      it("refuses what the chain rules out: amounts, times, parties and shares", async function () {
        const uni = await as(m.university.account);
        const u = m.university.account;
        const did = m.university.did;
        await refused(
          u,
          () => uni.market.list(terms({ price: "1.005" }), did),
          /the price "1.005" has 3 decimals: the token has 2/,
        );
        await refused(u, () => uni.market.list(terms({ price: "0.00" }), did), /the price is zero/);
        await refused(
          u,
          async () =>
            uni.market.list(
              terms({ mode: "auction", price: "100.00", deposit: "200.00", biddingEnds: (await now()) + DAY }),
              did,
            ),
          /the deposit 200\.00 e-CNY\(test\) is above the reserve 100\.00 e-CNY\(test\)/,
        );
        await refused(
          u,
          async () => uni.market.list(terms({ mode: "auction", biddingEnds: await now() }), did),
          /bidding would end .*, which is not in the future/,
        );
        await refused(
          u,
          () => uni.market.list(terms({ inventorBps: 500 }), did),
          new RegExp(
            `the inventors' share 500 bps is below the floor of 1000 bps: achievement ${achievement} has inventors`,
          ),
        );
        await refused(
          u,
          () => uni.market.list(terms({ brokerBps: 200 }), did),
          /a broker's commission of 200 bps names no broker: you list for your own DID/,
        );
        const out = await as(m.outsider.account);
        await refused(
          m.outsider.account,
          () => out.market.list(terms(), m.outsider.did),
          new RegExp(
            `DID ${m.outsider.did} is not a party of achievement ${achievement}'s disposal right \\(parties: `,
          ),
        );
      });

      it("refuses to publish before every disposal-right party approved, or by another centre", async function () {
        const { id } = await (await as(m.university.account)).market.list(terms(), m.university.did).wait();
        const centre = await as(m.centre.account);
        await refused(
          m.centre.account,
          () => centre.market.publish(id, 300),
          new RegExp(
            `disposal-right party DID ${m.team.did} has not approved listing ${id}: it approves first \\(govledger trade approve ${id} --as ${m.team.did}\\)`,
          ),
        );
        await refused(m.centre.account, () => centre.market.publish(id, 10_001), /the centre's fee 10001 is not valid/);
        await refused(
          m.centre.account,
          () => centre.market.publish(id, 9000),
          /leave the holders nothing: lower the fee/,
        );
        const out = await as(m.outsider.account);
        await refused(
          m.outsider.account,
          () => out.market.publish(id, 300),
          new RegExp(
            `DID ${m.outsider.did} is not the centre of listing ${id}: only centre DID ${m.centre.did} may do this`,
          ),
        );
        await refused(
          m.centre.account,
          () => centre.market.publish(9, 300),
          /listing 9 does not exist: listings run from 1 to 1/,
        );
        await refused(m.centre.account, () => centre.market.approve(0, m.team.did), /listing id 0 is not valid/);
      });
    });
  });

  describe("withdraw and cancel", function () {
    it("withdraws a listing as its lister, and the centre cancels another", async function () {
      const id = await submitListing(m, listingTermsOf(m, achievement));
      const uni = await as(m.university.account);
      await refused(
        m.team.account,
        async () => (await as(m.team.account)).market.withdrawListing(id, m.team.did),
        new RegExp(
          `DID ${m.team.did} is not the lister of listing ${id} \\(DID ${m.university.did}\\): only the lister withdraws it`,
        ),
      );
      const w = await uni.market.withdrawListing(id, m.university.did, hashOf("changed our mind")).wait();
      expect(w).to.deep.include({
        id,
        actor: m.university.did,
        reasonHash: hashOf("changed our mind"),
        status: "Withdrawn",
      });
      expect((await m.market.saleOf(id)).status).to.equal(BigInt(ListingStatus.Withdrawn));
      await refused(
        m.university.account,
        () => uni.market.withdrawListing(id, m.university.did),
        /listing 1 is Withdrawn: it can be withdrawn only while Submitted or Published/,
      );

      const other = await publishListing(m, listingTermsOf(m, achievement));
      const centre = await as(m.centre.account);
      await refused(m.centre.account, () => centre.market.cancel(other, ZeroHash), /the reason is zero/);
      const c = await centre.market.cancel(other, hashOf("objection in the notice period")).wait();
      expect(c).to.deep.include({ id: other, actor: m.centre.did, status: "Withdrawn" });
      expect((await m.achievements.getAchievement(achievement)).status).to.equal(1n); // back to Registered
    });

    it("refuses to withdraw an auction that has bids", async function () {
      const { id } = await auction();
      await registered(id, m.buyer);
      await (await as(m.buyer.account)).market.bid(id, "500000.00", m.buyer.did).wait();
      await refused(
        m.university.account,
        async () => (await as(m.university.account)).market.withdrawListing(id, m.university.did),
        new RegExp(`listing ${id} has bids: it can no longer be withdrawn \\(the centre may cancel it\\)`),
      );
    });
  });

  describe("fixed price", function () {
    it("buys, then the centre confirms the deal: escrow opened and licence recorded", async function () {
      const id = await publishListing(m, listingTermsOf(m, achievement));
      const buyer = await as(m.buyer.account);
      await refused(
        m.university.account,
        async () => (await as(m.university.account)).market.buy(id, m.university.did),
        new RegExp(`DID ${m.university.did} is the lister of listing ${id}: the seller side cannot buy or bid`),
      );
      const award = await buyer.market.buy(id, m.buyer.did).wait();
      const block = await ethers.provider.getBlock(award.blockNumber);
      expect(award).to.deep.include({ id, buyer: m.buyer.did, price: PRICE, dealableAt: BigInt(block!.timestamp) });
      await refused(
        m.buyer.account,
        () => buyer.market.buy(id, m.buyer.did),
        /listing 1 is Awarded: it can be bought only while Published/,
      );

      const centre = await as(m.centre.account);
      await refused(m.centre.account, () => centre.market.confirmDeal(id, ZeroHash), /the deal reference is zero/);
      const handover = (await now()) + 5n * DAY;
      const deal = await centre.market.confirmDeal(id, hashOf("deal confirmation 1"), handover).wait();
      expect(deal).to.deep.include({
        id,
        dealRef: hashOf("deal confirmation 1"),
        buyer: m.buyer.did,
        seller: m.university.did,
        centre: m.centre.did,
        mode: "fixed",
        price: PRICE,
        escrow: 1n,
        licence: 1n,
        handover,
      });
      const escrow = await centre.escrow.show(deal.escrow);
      expect(escrow.milestones.map((x) => [x.amount, x.status])).to.deep.equal([
        [30_000_000n, "Awaiting"],
        [70_000_000n, "Awaiting"],
      ]);
      expect(await centre.licences.isLicensed(m.buyer.did, achievement, { field: 480, territory: 310000 })).to.equal(
        true,
      );
      const view = await centre.market.show(id);
      expect(view.status).to.equal("Dealt");
      expect(view.sale).to.deep.include({
        status: "Dealt",
        buyer: m.buyer.did,
        price: "1000000.00",
        handover: new Date(Number(handover) * 1000),
        escrow: 1n,
        licence: 1n,
        dealRef: hashOf("deal confirmation 1"),
      });
    });

    it("refuses to approve a deposit of a listing that is not an auction", async function () {
      const id = await publishListing(m, listingTermsOf(m, achievement));
      await refused(
        m.buyer.account,
        async () => (await as(m.buyer.account)).market.approveDeposit(id),
        /listing 1 is sold at a fixed price \(buy it\), not at auction/,
      );
    });

    it("refuses to buy a negotiated or an unpublished listing", async function () {
      const negotiated = await publishListing(m, listingTermsOf(m, achievement, { mode: Mode.Negotiated }));
      const buyer = await as(m.buyer.account);
      await refused(
        m.buyer.account,
        () => buyer.market.buy(negotiated, m.buyer.did),
        /listing 1 is sold at a negotiated price \(make an offer\), not at a fixed price/,
      );
      await (await as(m.centre.account)).market.cancel(negotiated, hashOf("withdrawn")).wait();
      const submitted = await submitListing(m, listingTermsOf(m, achievement));
      await refused(
        m.buyer.account,
        () => buyer.market.buy(submitted, m.buyer.did),
        /listing 2 is Submitted: it can be bought only while Published/,
      );
    });
  });

  describe("negotiated price", function () {
    let id: bigint;

    beforeEach(async function () {
      id = await publishListing(m, listingTermsOf(m, achievement, { mode: Mode.Negotiated }));
    });

    it("signs an offer as the buyer (JSON), the seller accepts it, and the deal waits the notice period", async function () {
      const buyer = await as(m.buyer.account);
      const signed = await buyer.market.signOffer({ listing: id, price: "950000.00" });
      const t = await now();
      expect(signed.offer).to.deep.equal({
        listing: id.toString(),
        round: 0,
        buyer: m.buyer.did.toString(),
        price: "95000000",
        expiry: Number(t + 7n * DAY),
      });
      expect(signed.signer).to.equal(m.buyer.address);
      const domain = offerDomain(31337n, await m.market.getAddress());
      expect(ethers.verifyTypedData(domain, OFFER_TYPES, signed.offer, signed.signature)).to.equal(m.buyer.address);
      expect(await m.market.offerHash({ ...signed.offer })).to.equal(
        ethers.TypedDataEncoder.hash(domain, OFFER_TYPES, signed.offer),
      );
      const file: SignedOffer = parseSignedOffer(JSON.stringify(signed));
      expect(file).to.deep.equal(signed);

      const uni = await as(m.university.account);
      const award = await uni.market.accept(file.offer, file).wait();
      const block = await ethers.provider.getBlock(award.blockNumber);
      const dealableAt = BigInt(block!.timestamp) + 15n * DAY;
      expect(award).to.deep.include({ id, buyer: m.buyer.did, price: 95_000_000n, dealableAt });
      expect((await uni.market.show(id)).sale).to.deep.equal({
        status: "Awarded",
        round: 1,
        buyer: m.buyer.did,
        price: "950000.00",
        dealableAt: new Date(Number(dealableAt) * 1000),
        lapsesAt: new Date(Number(dealableAt + 30n * DAY) * 1000),
      });

      const centre = await as(m.centre.account);
      await refused(
        m.centre.account,
        () => centre.market.confirmDeal(id, hashOf("deal")),
        new RegExp(
          `the notice period of listing ${id} runs until ${new Date(Number(dealableAt) * 1000).toISOString()}: confirm the deal after that`,
        ),
      );
      await refused(
        m.buyer.account,
        () => buyer.market.lapse(id),
        new RegExp(
          `the award of listing ${id} may be lapsed only from ${new Date(Number(dealableAt + 30n * DAY) * 1000).toISOString()}`,
        ),
      );
      await time.increaseTo(dealableAt);
      const deal = await centre.market.confirmDeal(id, hashOf("deal")).wait();
      expect(deal).to.deep.include({ mode: "negotiated", price: 95_000_000n, buyer: m.buyer.did });
    });

    it("accepts with both signatures given, sent by anyone", async function () {
      const buyer = await as(m.buyer.account);
      const offer = await buyer.market.buildOffer({ listing: id, price: 90_000_000n, expiry: (await now()) + DAY });
      const seller = await (await as(m.university.account)).market.sign(offer);
      const award = await (
        await as(m.outsider.account)
      ).market
        .accept(offer, await buyer.market.sign(offer), seller)
        .wait();
      expect(award).to.deep.include({ id, buyer: m.buyer.did, price: 90_000_000n });
    });

    it("refuses an expired offer, a used one, a wrong signer or a tampered offer before sending", async function () {
      const buyer = await as(m.buyer.account);
      const uni = await as(m.university.account);
      const expiry = (await now()) + 3600n;
      const signed = await buyer.market.signOffer({ listing: id, price: "950000.00", expiry });

      const tampered = { ...signed.offer, price: "1" };
      await refused(
        m.university.account,
        () => uni.market.accept(tampered, signed),
        new RegExp(`the buyer's signature is not ${m.buyer.address}'s signature of this offer`),
      );
      await refused(
        m.outsider.account,
        async () => (await as(m.outsider.account)).market.accept(signed.offer, signed),
        new RegExp(`the seller's signer ${m.outsider.address} does not act for seller DID ${m.university.did}`),
      );
      await refused(
        m.university.account,
        () => uni.market.accept({ ...signed.offer, round: 1 }, signed),
        new RegExp(`the offer is of round 1, listing ${id} is in round 0`),
      );

      await time.increaseTo(expiry + 1n);
      await refused(
        m.university.account,
        () => uni.market.accept(signed.offer, signed),
        new RegExp(`offer expired at ${new Date(Number(expiry) * 1000).toISOString()}: ask the buyer for a new offer`),
      );

      const fresh = await buyer.market.signOffer({ listing: id, price: "950000.00" });
      await uni.market.accept(fresh.offer, fresh).wait();
      await refused(
        m.university.account,
        () => uni.market.accept(fresh.offer, fresh),
        /listing 1 is Awarded: it can be accepted only while Published/,
      );
    });

    it("refuses to build an offer that cannot be accepted", async function () {
      const buyer = await as(m.buyer.account);
      await expect(buyer.market.signOffer({ listing: id, price: "0" })).to.be.rejectedWith(/the price is zero/);
      await expect(buyer.market.signOffer({ listing: id, price: "9.999" })).to.be.rejectedWith(/has 3 decimals/);
      await expect(
        buyer.market.signOffer({ listing: id, price: "1.00", expiry: (await now()) - 10n }),
      ).to.be.rejectedWith(/the offer would expire .*, which is not in the future/);
      await expect(buyer.market.signOffer({ listing: 7, price: "1.00" })).to.be.rejectedWith(
        /listing 7 does not exist/,
      );
      const uni = await as(m.university.account);
      await expect(uni.market.signOffer({ listing: id, price: "1.00" })).to.be.rejectedWith(
        /is the lister of listing 1: the seller side cannot buy or bid/,
      );
      expect(() => parseSignedOffer("{}")).to.throw(/not a signed offer/);
      expect(() =>
        parseSignedOffer({
          offer: { listing: "1", round: 0, buyer: "x", price: "1", expiry: 1 },
          signer: m.buyer.address,
          signature: "0x00",
        }),
      ).to.throw(/the offer's buyer "x" is not valid/);
    });
  });

  describe("auction", function () {
    let id: bigint;
    let ends: bigint;

    beforeEach(async function () {
      await (await m.currency.mint(m.outsider.address, BUYER_FUNDS)).wait();
      ({ id, ends } = await auction());
    });

    it("registers bidders with deposits, takes rising bids, closes, refunds the loser and prefunds the winner's escrow", async function () {
      const buyer = await as(m.buyer.account);
      await refused(
        m.buyer.account,
        () => buyer.market.registerBidder(id, m.buyer.did),
        /^insufficient allowance: the market may take 0\.00 of e-CNY\(test\), the deposit of listing 1 is 50000\.00 — approve 50000\.00 first/,
      );
      const approval = await buyer.market.approveDeposit(id).wait();
      expect(approval).to.deep.include({
        token: await m.currency.getAddress(),
        spender: await m.market.getAddress(),
        amount: 5_000_000n,
      });
      const reg = await buyer.market.registerBidder(id, m.buyer.did).wait();
      expect(reg).to.deep.include({ id, did: m.buyer.did, actor: m.buyer.did, deposit: 5_000_000n });
      expect(await m.currency.balanceOf(await m.market.getAddress())).to.equal(5_000_000n);
      const ledger = await buyer.market.liabilities();
      expect(ledger).to.deep.include({ held: 5_000_000n, balance: 5_000_000n, balanced: true });
      expect(ledger.token.address).to.equal(await m.currency.getAddress());
      await refused(
        m.buyer.account,
        () => buyer.market.registerBidder(id, m.buyer.did),
        /is already registered as a bidder of listing 1/,
      );
      await registered(id, m.outsider);

      await refused(
        m.buyer.account,
        () => buyer.market.bid(id, "499999.99", m.buyer.did),
        /the bid 499999\.99 is below the minimum 500000\.00 e-CNY\(test\) \(the reserve\)/,
      );
      const first = await buyer.market.bid(id, "500000.00", m.buyer.did).wait();
      expect(first).to.deep.include({ id, bidder: m.buyer.did, actor: m.buyer.did, amount: 50_000_000n });
      const out = await as(m.outsider.account);
      await refused(
        m.outsider.account,
        () => out.market.bid(id, "509999.99", m.outsider.did),
        /the bid 509999\.99 is below the minimum 510000\.00 e-CNY\(test\) \(the highest bid 500000\.00 plus the increment 10000\.00\)/,
      );
      await out.market.bid(id, "510000.00", m.outsider.did).wait();
      await buyer.market.bid(id, "600000.00", m.buyer.did).wait();
      expect((await out.market.show(id)).sale).to.deep.include({
        status: "Published",
        buyer: m.buyer.did,
        price: "600000.00",
      });
      await refused(
        m.outsider.account,
        () => out.market.withdrawDeposit(id, m.outsider.did),
        /the deposit of DID \d+ on listing 1 is locked while the auction runs \(bidding ends .*, then close it\)/,
      );
      await refused(
        m.outsider.account,
        () => out.market.closeAuction(id),
        new RegExp(
          `bidding on listing ${id} runs until ${new Date(Number(ends) * 1000).toISOString()}: close it after that`,
        ),
      );

      await time.increaseTo(ends);
      await refused(
        m.buyer.account,
        () => buyer.market.bid(id, "700000.00", m.buyer.did),
        /bidding on listing 1 closed at /,
      );
      const closed = await out.market.closeAuction(id).wait();
      expect(closed).to.deep.include({ id, status: "Awarded", winner: m.buyer.did, price: 60_000_000n });
      expect(closed.dealableAt).to.equal(BigInt((await ethers.provider.getBlock(closed.blockNumber))!.timestamp));

      await refused(
        m.buyer.account,
        () => buyer.market.withdrawDeposit(id, m.buyer.did),
        /the deposit of DID \d+ on listing 1 is the winner's: it counts toward the price at the deal/,
      );
      const before = await m.currency.balanceOf(m.outsider.address);
      const refund = await out.market.withdrawDeposit(id, m.outsider.did).wait();
      expect(refund).to.deep.include({ id, did: m.outsider.did, to: m.outsider.address, amount: 5_000_000n });
      expect(await m.currency.balanceOf(m.outsider.address)).to.equal(before + 5_000_000n);
      await refused(
        m.outsider.account,
        () => out.market.withdrawDeposit(id, m.outsider.did),
        /DID \d+ has no deposit on listing 1 to withdraw/,
      );

      const deal = await (await as(m.centre.account)).market.confirmDeal(id, hashOf("auction deal")).wait();
      const escrow = await buyer.escrow.show(deal.escrow);
      expect(escrow.milestones.map((x) => [x.amount, x.status])).to.deep.equal([
        [5_000_000n, "Funded"],
        [16_500_000n, "Awaiting"],
        [38_500_000n, "Awaiting"],
      ]);
      expect(Number((await m.escrow.milestoneOf(deal.escrow, 0))[1])).to.equal(MilestoneStatus.Funded);
      expect(await m.currency.balanceOf(await m.market.getAddress())).to.equal(0n);
    });

    it("lets the centre reject a bidder before its first bid, whose deposit is then free", async function () {
      await registered(id, m.buyer);
      await registered(id, m.outsider);
      const centre = await as(m.centre.account);
      await refused(
        m.centre.account,
        () => centre.market.rejectBidder(id, m.outsider.did, ZeroHash),
        /the reason is zero/,
      );
      await refused(
        m.centre.account,
        () => centre.market.rejectBidder(id, m.team.did, hashOf("x")),
        /DID \d+ is not a registered bidder of listing 1/,
      );
      await (await as(m.buyer.account)).market.bid(id, "500000.00", m.buyer.did).wait();
      await refused(
        m.centre.account,
        () => centre.market.rejectBidder(id, m.buyer.did, hashOf("late")),
        /has bid on listing 1: a bidder is rejected only before its first bid/,
      );
      const r = await centre.market.rejectBidder(id, m.outsider.did, hashOf("failed the qualification check")).wait();
      expect(r).to.deep.include({
        id,
        did: m.outsider.did,
        actor: m.centre.did,
        reasonHash: hashOf("failed the qualification check"),
      });
      const out = await as(m.outsider.account);
      await refused(
        m.outsider.account,
        () => out.market.bid(id, "600000.00", m.outsider.did),
        /is not a registered bidder of listing 1 \(rejected by the centre\)/,
      );
      const w = await out.market.withdrawDeposit(id, m.outsider.did).wait();
      expect(w.amount).to.equal(5_000_000n);
      expect(await out.market.bidder(id, m.outsider.did)).to.deep.equal({
        registered: true,
        rejected: true,
        hasBid: false,
        deposit: "0.00",
      });
    });

    it("lapses an auction without bids, and an award no deal followed", async function () {
      await time.increaseTo(ends);
      const out = await as(m.outsider.account);
      const closed = await out.market.closeAuction(id).wait();
      expect(closed).to.deep.include({ id, status: "Lapsed", price: 0n });
      expect(closed).not.to.have.property("winner");

      const next = await auction();
      await registered(next.id, m.buyer);
      await (await as(m.buyer.account)).market.bid(next.id, "500000.00", m.buyer.did).wait();
      await time.increaseTo(next.ends);
      const award = await out.market.closeAuction(next.id).wait();
      await time.increaseTo(award.dealableAt! + 30n * DAY);
      const lapsed = await out.market.lapse(next.id).wait();
      expect(lapsed).to.deep.include({ id: next.id, status: "Lapsed" });
      const w = await (
        await as(m.buyer.account)
      ).market
        .withdrawDeposit(next.id, m.buyer.did, { to: m.outsider.address })
        .wait();
      expect(w).to.deep.include({ to: m.outsider.address, amount: 5_000_000n });
    });

    it("refuses wrong phases and modes before sending", async function () {
      const buyer = await as(m.buyer.account);
      const team = await as(m.team.account);
      await refused(
        m.team.account,
        () => team.market.registerBidder(id, m.team.did),
        new RegExp(
          `^insufficient balance: ${m.team.address} holds 0\\.00 of e-CNY\\(test\\), the deposit of listing 1 is 50000\\.00 — top up the paying account first$`,
        ),
      );
      expect(await buyer.market.count()).to.equal(1n);
      expect(await buyer.market.noticePeriodDays()).to.equal(15);
      await refused(
        m.buyer.account,
        () => buyer.market.buy(id, m.buyer.did),
        /listing 1 is sold at auction \(register and bid\), not at a fixed price/,
      );
      await refused(
        m.buyer.account,
        () => buyer.market.bid(id, "500000.00", m.buyer.did),
        /DID \d+ is not a registered bidder of listing 1: register first/,
      );
      await refused(m.buyer.account, () => buyer.market.bid(id, "5e5", m.buyer.did), /the bid "5e5" is not valid/);
      await refused(
        m.buyer.account,
        () => buyer.market.lapse(id),
        /listing 1 is Published: it can be lapsed only once Awarded/,
      );
      await refused(
        m.buyer.account,
        () => buyer.market.bid(42, "1.00", m.buyer.did),
        /listing 42 does not exist: listings run from 1 to 1/,
      );

      const { id: pending } = await (
        await as(m.university.account)
      ).market
        .list(terms({ mode: "auction", price: "500000.00", biddingEnds: (await now()) + DAY }), m.university.did)
        .wait();
      await refused(
        m.buyer.account,
        () => buyer.market.bid(pending, "500000.00", m.buyer.did),
        /listing 2 is Submitted: it can be bid on only while Published/,
      );
      await refused(
        m.buyer.account,
        () => buyer.market.registerBidder(pending, m.buyer.did),
        /listing 2 is Submitted: it can be registered for only while Published/,
      );
    });
  });

  it("checks the chain's refusals it cannot foresee by dry-running them, decoded", async function () {
    const id = await publishListing(m, listingTermsOf(m, achievement));
    // The outsider holds no key of the buyer's DID: the identity module refuses it in the dry run.
    const out = await as(m.outsider.account);
    const block = await ethers.provider.getBlockNumber();
    await expect(out.market.buy(id, m.buyer.did).wait()).to.be.rejectedWith(/Identity/);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
  });
});
