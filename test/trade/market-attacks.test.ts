import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { ethers } from "hardhat";
import { MaxUint256, type TypedDataDomain } from "ethers";
import {
  FalseReturningToken__factory,
  FeeOnTransferToken__factory,
  IERC20__factory,
  ReentrantToken__factory,
  type FalseReturningToken,
  type ReentrantToken,
} from "../../typechain-types";
import type { Party } from "../helpers/achievement";
import { hashOf, Purpose, Scope } from "../helpers/identity";
import {
  ListingStatus,
  Mode,
  listingTermsOf,
  offerDomain,
  publishListing,
  registerPatent,
  signOffer,
  tradeFixture,
  type ListingTerms,
  type Offer,
  type TradeModule,
} from "../helpers/trade";

const DAY = 86_400n;
const RESERVE = 50_000_000n;
const INCREMENT = 1_000_000n;
const DEPOSIT = 5_000_000n;
const REASON = hashOf("reason: failed the qualification check");
const DEAL = hashOf("deal confirmation (成交确认书) 2026-技-0302");

describe("licence market under attack", function () {
  let m: TradeModule;
  let achievement: bigint;
  let marketAddress: string;
  /** Funded accounts with no role and no DID. */
  let spare: HardhatEthersSigner[];

  beforeEach(async function () {
    m = await tradeFixture();
    achievement = await registerPatent(m);
    marketAddress = await m.market.getAddress();
    spare = (await ethers.getSigners()).slice(16);
  });

  const by = (party: Party) => m.market.connect(party.account);

  async function auctionTerms(token: string, overrides: Partial<ListingTerms> = {}): Promise<ListingTerms> {
    return listingTermsOf(m, achievement, {
      mode: Mode.Auction,
      token,
      price: RESERVE,
      minIncrement: INCREMENT,
      deposit: DEPOSIT,
      biddingEnds: BigInt(await time.latest()) + 7n * DAY,
      ...overrides,
    });
  }

  /** The market's balance of `token` equals the deposits it says it holds, and they are `held`. */
  async function expectHeld(token: string, held: bigint): Promise<void> {
    expect(await m.market.liabilities(token)).to.equal(held);
    expect(await IERC20__factory.connect(token, ethers.provider).balanceOf(marketAddress)).to.equal(held);
  }

  describe("a re-entrant deposit token", function () {
    let token: ReentrantToken;
    let tokenAddress: string;
    let id: bigint;
    let attacker: string;

    beforeEach(async function () {
      token = await new ReentrantToken__factory(m.deployer).deploy();
      tokenAddress = await token.getAddress();
      attacker = spare[0].address;
      for (const p of [m.buyer, m.bank]) {
        await (await token.mint(p.address, 10n * DEPOSIT)).wait();
        await (await token.connect(p.account).approve(marketAddress, MaxUint256)).wait();
      }
      // The token pays from its own balance when its re-entry registers, and acts for the buyer with a key
      // of its DID: only the re-entrancy guard stands between it and each entry point.
      await (await token.mint(tokenAddress, 10n * DEPOSIT)).wait();
      await (await token.approveFromSelf(marketAddress, MaxUint256)).wait();
      await (await m.identity.connect(m.buyer.account).addKey(m.buyer.did, tokenAddress, Purpose.ALL)).wait();
      id = await publishListing(m, await auctionTerms(tokenAddress));
    });

    const register = (party: Party) => by(party).registerBidder(id, party.did);

    async function rejectedBuyer(): Promise<void> {
      await (await register(m.buyer)).wait();
      await (await m.market.rejectBidder(id, m.buyer.did, REASON)).wait();
    }

    async function expectGuardTripped(): Promise<void> {
      expect(await token.attempted()).to.equal(true);
      expect(await token.reverted()).to.equal(true);
      expect(m.market.interface.parseError(await token.reason())?.name).to.equal("ReentrancyGuardReentrantCall");
    }

    interface Reentry {
      name: string;
      /** Brings the market to where the armed call would succeed on its own. */
      arrange: () => Promise<void>;
      /** The armed call. */
      payload: () => string;
      /** What the failed re-entry left as it was. */
      unchanged: () => Promise<void>;
      /** What the same call does when made outside any payment. */
      control: () => Promise<void>;
    }

    const reentries: Reentry[] = [
      {
        name: "registerBidder",
        arrange: async () => {},
        payload: () => m.market.interface.encodeFunctionData("registerBidder", [id, m.buyer.did]),
        unchanged: async () => {
          expect((await m.market.bidderOf(id, m.buyer.did)).registered).to.equal(false);
          await expectHeld(tokenAddress, DEPOSIT);
        },
        control: async () => {
          expect((await m.market.bidderOf(id, m.buyer.did)).deposit).to.equal(DEPOSIT);
          expect(await token.balanceOf(tokenAddress)).to.equal(9n * DEPOSIT);
          await expectHeld(tokenAddress, DEPOSIT);
        },
      },
      {
        name: "bid",
        arrange: async () => void (await (await register(m.buyer)).wait()),
        payload: () => m.market.interface.encodeFunctionData("bid", [id, RESERVE, m.buyer.did]),
        unchanged: async () => {
          expect((await m.market.saleOf(id)).buyer).to.equal(0n);
          await expectHeld(tokenAddress, 2n * DEPOSIT);
        },
        control: async () => {
          const s = await m.market.saleOf(id);
          expect([s.buyer, s.price]).to.deep.equal([m.buyer.did, RESERVE]);
        },
      },
      {
        name: "withdrawDeposit",
        arrange: rejectedBuyer,
        payload: () => m.market.interface.encodeFunctionData("withdrawDeposit", [id, m.buyer.did, attacker]),
        unchanged: async () => {
          expect((await m.market.bidderOf(id, m.buyer.did)).deposit).to.equal(DEPOSIT);
          expect(await token.balanceOf(attacker)).to.equal(0n);
          await expectHeld(tokenAddress, 2n * DEPOSIT);
        },
        control: async () => {
          expect(await token.balanceOf(attacker)).to.equal(DEPOSIT);
          expect((await m.market.bidderOf(id, m.buyer.did)).deposit).to.equal(0n);
        },
      },
    ];

    for (const r of reentries) {
      context(`when it re-enters ${r.name} from inside another bidder's deposit`, function () {
        it("records ReentrancyGuardReentrantCall, registers the other bidder and leaves the rest as it was", async function () {
          await r.arrange();
          await (await token.arm(marketAddress, r.payload())).wait();
          await expect(register(m.bank))
            .to.emit(m.market, "BidderRegistered")
            .withArgs(id, m.bank.did, m.bank.did, DEPOSIT);
          await expectGuardTripped();
          await r.unchanged();
        });

        it(`lets the same ${r.name} through outside a payment (the control)`, async function () {
          await r.arrange();
          await (await token.arm(marketAddress, r.payload())).wait();
          await (await token.fire()).wait();
          expect(await token.reverted()).to.equal(false);
          await r.control();
          expect(await m.market.liabilities(tokenAddress)).to.equal(await token.balanceOf(marketAddress));
        });
      });
    }

    context("when it re-enters withdrawDeposit from inside the withdrawal's own transfer", function () {
      it("pays the bidder once, the attacker nothing, and records ReentrancyGuardReentrantCall", async function () {
        await rejectedBuyer();
        const payload = m.market.interface.encodeFunctionData("withdrawDeposit", [id, m.buyer.did, attacker]);
        await (await token.arm(marketAddress, payload)).wait();
        const before = await token.balanceOf(m.buyer.address);
        await expect(by(m.buyer).withdrawDeposit(id, m.buyer.did, m.buyer.address))
          .to.emit(m.market, "DepositWithdrawn")
          .withArgs(id, m.buyer.did, m.buyer.address, DEPOSIT);
        await expectGuardTripped();
        expect(await token.balanceOf(m.buyer.address)).to.equal(before + DEPOSIT);
        expect(await token.balanceOf(attacker)).to.equal(0n);
        await expectHeld(tokenAddress, 0n);
        await (await token.arm(marketAddress, payload)).wait();
        await (await token.fire()).wait();
        expect(m.market.interface.parseError(await token.reason())?.name).to.equal("MarketNothingToWithdraw");
      });
    });

    context(
      "when it re-enters withdrawDeposit for the winner while the deal hands its deposit to the escrow",
      function () {
        it("records ReentrancyGuardReentrantCall; the deposit is the escrow's, once", async function () {
          await (await register(m.buyer)).wait();
          await (await register(m.bank)).wait();
          await (await by(m.buyer).bid(id, RESERVE, m.buyer.did)).wait();
          await time.increaseTo((await m.market.listingOf(id)).biddingEnds);
          await (await m.market.closeAuction(id)).wait();
          const payload = m.market.interface.encodeFunctionData("withdrawDeposit", [id, m.buyer.did, attacker]);
          await (await token.arm(marketAddress, payload)).wait();
          await expect(m.market.confirmDeal(id, DEAL, 0))
            .to.emit(m.escrow, "MilestoneFunded")
            .withArgs(1n, 0, m.buyer.did, DEPOSIT);
          await expectGuardTripped();
          expect(await token.balanceOf(attacker)).to.equal(0n);
          expect(await m.escrow.liabilities(tokenAddress)).to.deep.equal([DEPOSIT, 0n]);
          expect(await token.balanceOf(await m.escrow.getAddress())).to.equal(DEPOSIT);
          await expectHeld(tokenAddress, DEPOSIT);
          await (await token.arm(marketAddress, payload)).wait();
          await (await token.fire()).wait();
          expect(m.market.interface.parseError(await token.reason())?.name).to.equal("MarketNothingToWithdraw");
        });
      },
    );
  });

  describe("a token taking a fee on transfer", function () {
    context("when a bidder registers with it", function () {
      it("reverts with MarketShortPayment and holds nothing", async function () {
        const fee = await new FeeOnTransferToken__factory(m.deployer).deploy();
        const feeAddress = await fee.getAddress();
        await (await fee.mint(m.buyer.address, DEPOSIT)).wait();
        await (await fee.connect(m.buyer.account).approve(marketAddress, DEPOSIT)).wait();
        const id = await publishListing(m, await auctionTerms(feeAddress));
        await expect(by(m.buyer).registerBidder(id, m.buyer.did))
          .to.be.revertedWithCustomError(m.market, "MarketShortPayment")
          .withArgs(DEPOSIT, DEPOSIT - DEPOSIT / 100n);
        expect((await m.market.bidderOf(id, m.buyer.did)).registered).to.equal(false);
        expect(await fee.balanceOf(m.buyer.address)).to.equal(DEPOSIT);
        await expectHeld(feeAddress, 0n);
      });
    });
  });

  describe("a token returning false instead of reverting", function () {
    let token: FalseReturningToken;
    let tokenAddress: string;
    let id: bigint;

    beforeEach(async function () {
      token = await new FalseReturningToken__factory(m.deployer).deploy();
      tokenAddress = await token.getAddress();
      for (const p of [m.buyer, m.bank]) {
        await (await token.mint(p.address, 10n * DEPOSIT)).wait();
        await (await token.connect(p.account).approve(marketAddress, MaxUint256)).wait();
      }
      id = await publishListing(m, await auctionTerms(tokenAddress));
    });

    context("when a bidder registers while it fails", function () {
      it("reverts with SafeERC20FailedOperation and registers no one", async function () {
        await (await token.setFailing(true)).wait();
        await expect(by(m.buyer).registerBidder(id, m.buyer.did))
          .to.be.revertedWithCustomError(m.market, "SafeERC20FailedOperation")
          .withArgs(tokenAddress);
        expect((await m.market.bidderOf(id, m.buyer.did)).registered).to.equal(false);
        await expectHeld(tokenAddress, 0n);
      });
    });

    context("when a bidder withdraws while it fails", function () {
      it("reverts with SafeERC20FailedOperation, keeps the deposit, and pays once it works again", async function () {
        await (await by(m.buyer).registerBidder(id, m.buyer.did)).wait();
        await (await m.market.cancel(id, REASON)).wait();
        await (await token.setFailing(true)).wait();
        await expect(by(m.buyer).withdrawDeposit(id, m.buyer.did, m.buyer.address))
          .to.be.revertedWithCustomError(m.market, "SafeERC20FailedOperation")
          .withArgs(tokenAddress);
        expect((await m.market.bidderOf(id, m.buyer.did)).deposit).to.equal(DEPOSIT);
        await expectHeld(tokenAddress, DEPOSIT);
        await (await token.setFailing(false)).wait();
        await expect(by(m.buyer).withdrawDeposit(id, m.buyer.did, m.buyer.address))
          .to.emit(m.market, "DepositWithdrawn")
          .withArgs(id, m.buyer.did, m.buyer.address, DEPOSIT);
        await expectHeld(tokenAddress, 0n);
      });
    });

    context("when the deal hands the winner's deposit to the escrow while it fails", function () {
      it("reverts with the escrow's SafeERC20FailedOperation and confirms nothing", async function () {
        await (await by(m.buyer).registerBidder(id, m.buyer.did)).wait();
        await (await by(m.buyer).bid(id, RESERVE, m.buyer.did)).wait();
        await time.increaseTo((await m.market.listingOf(id)).biddingEnds);
        await (await m.market.closeAuction(id)).wait();
        await (await token.setFailing(true)).wait();
        await expect(m.market.confirmDeal(id, DEAL, 0))
          .to.be.revertedWithCustomError(m.escrow, "SafeERC20FailedOperation")
          .withArgs(tokenAddress);
        expect((await m.market.saleOf(id)).status).to.equal(BigInt(ListingStatus.Awarded));
        expect((await m.market.bidderOf(id, m.buyer.did)).deposit).to.equal(DEPOSIT);
        await expectHeld(tokenAddress, DEPOSIT);
        expect(await m.escrow.escrowCount()).to.equal(0n);
      });
    });
  });

  describe("replayed offer signatures", function () {
    let id: bigint;

    beforeEach(async function () {
      id = await publishListing(m, listingTermsOf(m, achievement, { mode: Mode.Negotiated, price: 120_000_000n }));
    });

    async function offerOf(overrides: Partial<Offer> = {}): Promise<Offer> {
      return {
        listing: id,
        round: 0,
        buyer: m.buyer.did,
        price: 110_000_000n,
        expiry: BigInt(await time.latest()) + 3n * DAY,
        ...overrides,
      };
    }

    interface Signed {
      offer: Offer;
      buyer: { signer: string; signature: string };
      seller: { signer: string; signature: string };
    }

    async function signed(offer: Offer, buyer = m.buyer, seller = m.university, domain?: TypedDataDomain) {
      return {
        offer,
        buyer: await signOffer(m, buyer, offer, domain),
        seller: await signOffer(m, seller, offer, domain),
      };
    }

    function accept(s: Signed, offer: Offer = s.offer) {
      return m.market
        .connect(m.outsider.account)
        .accept(offer, s.buyer.signer, s.buyer.signature, s.seller.signer, s.seller.signature);
    }

    /** A second negotiated listing, of another achievement, between the same parties. */
    async function anotherListing(): Promise<bigint> {
      const other = await registerPatent(m);
      return publishListing(m, listingTermsOf(m, other, { mode: Mode.Negotiated, price: 120_000_000n }));
    }

    context("when the same offer is accepted twice", function () {
      it("reverts with MarketUnexpectedStatus and keeps the first award", async function () {
        const s = await signed(await offerOf());
        await expect(accept(s)).to.emit(m.market, "ListingAwarded");
        const fields = async () => {
          const sale = await m.market.saleOf(id);
          return [sale.status, sale.round, sale.buyer, sale.price, sale.dealableAt];
        };
        const first = await fields();
        await expect(accept(s))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Awarded);
        expect(await fields()).to.deep.equal(first);
        expect(first.slice(0, 4)).to.deep.equal([BigInt(ListingStatus.Awarded), 1n, m.buyer.did, s.offer.price]);
      });
    });

    context("when an offer signed for one listing is used on another between the same parties", function () {
      it("reverts with MarketInvalidSignature, before and after the first was used", async function () {
        const other = await anotherListing();
        const s = await signed(await offerOf());
        const elsewhere = { ...s.offer, listing: other };
        await expect(accept(s, elsewhere))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidSignature")
          .withArgs(m.buyer.did, m.buyer.address);
        await (await accept(s)).wait();
        await expect(accept(s, elsewhere))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidSignature")
          .withArgs(m.buyer.did, m.buyer.address);
        expect((await m.market.saleOf(other)).status).to.equal(BigInt(ListingStatus.Published));
      });
    });

    context("when an offer names another round", function () {
      it("reverts with MarketOfferInvalid even when both sides signed it", async function () {
        const s = await signed(await offerOf({ round: 1 }));
        await expect(accept(s))
          .to.be.revertedWithCustomError(m.market, "MarketOfferInvalid")
          .withArgs(id, 1, s.offer.expiry);
        const s0 = await signed(await offerOf());
        await expect(accept(s0, { ...s0.offer, round: 1 }))
          .to.be.revertedWithCustomError(m.market, "MarketOfferInvalid")
          .withArgs(id, 1, s0.offer.expiry);
      });
    });

    context("when an offer is used after the listing was cancelled and the achievement listed again", function () {
      it("reverts with MarketUnexpectedStatus on the old listing and MarketInvalidSignature on the new one", async function () {
        const s = await signed(await offerOf());
        await (await m.market.cancel(id, REASON)).wait();
        await expect(accept(s))
          .to.be.revertedWithCustomError(m.market, "MarketUnexpectedStatus")
          .withArgs(id, ListingStatus.Withdrawn);
        const again = await publishListing(
          m,
          listingTermsOf(m, achievement, { mode: Mode.Negotiated, price: 120_000_000n }),
        );
        await expect(accept(s, { ...s.offer, listing: again }))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidSignature")
          .withArgs(m.buyer.did, m.buyer.address);
      });
    });

    context("when a signer does not act for the DID it signs for", function () {
      it("reverts with MarketInvalidSignature for an outsider as buyer and a co-owner as seller", async function () {
        const offer = await offerOf();
        await expect(accept(await signed(offer, m.outsider)))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidSignature")
          .withArgs(m.buyer.did, m.outsider.address);
        await expect(accept(await signed(offer, m.buyer, m.team)))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidSignature")
          .withArgs(m.university.did, m.team.address);
      });

      it("reverts with MarketInvalidSignature for a broker whose mandate was revoked or lacks the trade scope", async function () {
        const until = BigInt(await time.latest()) + 30n * DAY;
        const identity = m.identity.connect(m.university.account);
        await (await identity.grantMandate(m.university.did, m.broker.did, Scope.TRADE, until)).wait();
        const s = await signed(await offerOf(), m.buyer, m.broker);
        await (await identity.revokeMandate(m.university.did, m.broker.did)).wait();
        await expect(accept(s))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidSignature")
          .withArgs(m.university.did, m.broker.address);
        await (await identity.grantMandate(m.university.did, m.broker.did, Scope.PAYMENT, until)).wait();
        await expect(accept(s))
          .to.be.revertedWithCustomError(m.market, "MarketInvalidSignature")
          .withArgs(m.university.did, m.broker.address);
        await (await identity.grantMandate(m.university.did, m.broker.did, Scope.TRADE, until)).wait();
        await expect(accept(s)).to.emit(m.market, "ListingAwarded");
      });
    });

    context("when the offer has expired", function () {
      it("reverts with MarketOfferInvalid", async function () {
        const s = await signed(await offerOf());
        await time.setNextBlockTimestamp(BigInt(s.offer.expiry) + 1n);
        await expect(accept(s))
          .to.be.revertedWithCustomError(m.market, "MarketOfferInvalid")
          .withArgs(id, 0, s.offer.expiry);
      });
    });

    const foreignDomains: [string, (m: TradeModule) => Promise<Partial<TypedDataDomain>>][] = [
      ["another chain id", async () => ({ chainId: (await ethers.provider.getNetwork()).chainId + 1n })],
      ["another contract (the escrow)", async (m) => ({ verifyingContract: await m.escrow.getAddress() })],
      [
        "the escrow's own domain",
        async (m) => {
          const d = await m.escrow.eip712Domain();
          return { name: d.name, version: d.version, verifyingContract: d.verifyingContract };
        },
      ],
      ["another domain version", async () => ({ version: "2" })],
    ];
    for (const [what, alter] of foreignDomains) {
      context(`when both sides signed for ${what}`, function () {
        it("reverts with MarketInvalidSignature, and the market's own domain works (the control)", async function () {
          const offer = await offerOf();
          const foreign = await signed(offer, m.buyer, m.university, await offerDomain(m, await alter(m)));
          await expect(accept(foreign))
            .to.be.revertedWithCustomError(m.market, "MarketInvalidSignature")
            .withArgs(m.buyer.did, m.buyer.address);
          await expect(accept(await signed(offer))).to.emit(m.market, "ListingAwarded");
        });
      });
    }
  });

  describe("the seller side at its own auction", function () {
    let id: bigint;

    beforeEach(async function () {
      const until = BigInt(await time.latest()) + 30n * DAY;
      await (
        await m.identity.connect(m.university.account).grantMandate(m.university.did, m.broker.did, Scope.TRADE, until)
      ).wait();
      const terms = await auctionTerms(await m.currency.getAddress(), { brokerBps: 200 });
      await (await m.market.connect(m.broker.account).list(terms, m.university.did)).wait();
      id = await m.market.listingCount();
      await (await by(m.team).approve(id, m.team.did)).wait();
      await (await m.market.publish(id, 300)).wait();
      await (await m.currency.mint(m.university.address, DEPOSIT)).wait();
      await (await m.currency.connect(m.university.account).approve(marketAddress, MaxUint256)).wait();
    });

    context("when the lister or its broker registers as a bidder", function () {
      it("reverts with MarketSellerCannotBuy", async function () {
        for (const p of [m.university, m.broker]) {
          await expect(by(p).registerBidder(id, p.did))
            .to.be.revertedWithCustomError(m.market, "MarketSellerCannotBuy")
            .withArgs(id, p.did);
        }
        await expect(m.market.connect(m.broker.account).registerBidder(id, m.university.did))
          .to.be.revertedWithCustomError(m.market, "MarketSellerCannotBuy")
          .withArgs(id, m.university.did);
        await expectHeld(await m.currency.getAddress(), 0n);
      });
    });

    context("when the lister bids without registering", function () {
      it("reverts with MarketNotBidder and leaves no bid", async function () {
        await expect(by(m.university).bid(id, RESERVE, m.university.did))
          .to.be.revertedWithCustomError(m.market, "MarketNotBidder")
          .withArgs(id, m.university.did);
        expect((await m.market.saleOf(id)).buyer).to.equal(0n);
      });
    });
  });

  describe("a rejected bidder", function () {
    let id: bigint;

    beforeEach(async function () {
      id = await publishListing(m, await auctionTerms(await m.currency.getAddress()));
      await (await m.currency.connect(m.buyer.account).approve(marketAddress, MaxUint256)).wait();
      await (await by(m.buyer).registerBidder(id, m.buyer.did)).wait();
      await (await m.market.rejectBidder(id, m.buyer.did, REASON)).wait();
    });

    context("when it bids", function () {
      it("reverts with MarketNotBidder and leaves no bid", async function () {
        await expect(by(m.buyer).bid(id, RESERVE, m.buyer.did))
          .to.be.revertedWithCustomError(m.market, "MarketNotBidder")
          .withArgs(id, m.buyer.did);
        const s = await m.market.saleOf(id);
        expect([s.buyer, s.price]).to.deep.equal([0n, 0n]);
      });
    });

    context("when it registers again", function () {
      it("reverts with MarketAlreadyRegistered, after its deposit was paid back too", async function () {
        await expect(by(m.buyer).registerBidder(id, m.buyer.did))
          .to.be.revertedWithCustomError(m.market, "MarketAlreadyRegistered")
          .withArgs(id, m.buyer.did);
        await (await by(m.buyer).withdrawDeposit(id, m.buyer.did, m.buyer.address)).wait();
        await expect(by(m.buyer).registerBidder(id, m.buyer.did))
          .to.be.revertedWithCustomError(m.market, "MarketAlreadyRegistered")
          .withArgs(id, m.buyer.did);
        await expect(by(m.buyer).bid(id, RESERVE, m.buyer.did))
          .to.be.revertedWithCustomError(m.market, "MarketNotBidder")
          .withArgs(id, m.buyer.did);
        await expectHeld(await m.currency.getAddress(), 0n);
      });
    });
  });
});
