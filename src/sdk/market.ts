import {
  ZeroAddress,
  ZeroHash,
  verifyTypedData,
  type Provider,
  type Signer,
  type TransactionReceipt,
  type TypedDataDomain,
} from "ethers";
import { ERC20Permit__factory, type AchievementRegistry, type ERC20Permit } from "../../typechain-types";
import type { ILicenceMarket, LicenceMarket } from "../../typechain-types/contracts/trade/LicenceMarket";
import { Call, landed, lazyMethod, type Landed } from "./call";
import { SCOPES } from "./did";
import { toGovLedgerError } from "./errors";
import {
  formatAmount,
  parseAmount,
  type AmountInput,
  type Approval,
  type EscrowClient,
  type TokenInfo,
} from "./escrow";
import type { DidRef, IdentityClient } from "./identity";
import { LICENCE_KINDS, type LicenceKindName } from "./licences";
import { checkedAddress, checkedHash, nonZeroHash } from "./members";
import { eventOf, eventsOf } from "./events";
import { ACHIEVEMENT_STATUSES } from "./states";

/** How a listing sells, in the contract's order: at a fixed price, at a negotiated price, at auction. */
export const LISTING_MODES = ["fixed", "negotiated", "auction"] as const;
export type ListingModeName = (typeof LISTING_MODES)[number];

/** ILicenceMarket.ListingStatus by name, in the contract's order. */
export const LISTING_STATUSES = ["None", "Submitted", "Published", "Awarded", "Dealt", "Withdrawn", "Lapsed"] as const;
export type ListingStatusName = (typeof LISTING_STATUSES)[number];

/** A time: a Date, unix seconds, or an ISO 8601 date or date-time (UTC unless an offset is given). */
export type MarketTimeInput = Date | bigint | number | string;

/** One instalment of the price: its share (a percentage, "30" or "30%", or basis points) and when it is due. */
export interface InstalmentInput {
  /** The share in percent, at most 2 decimals: 30, "33.33" or "30%". Give this or `bps`. */
  percent?: number | string;
  /** The share in basis points: 3000. Give this or `percent`. */
  bps?: number;
  /** Due this many whole days after the deal; each instalment after the one before. */
  dueAfterDays: number;
}

/** The licence a listing offers. */
export interface LicenceOfferInput {
  kind: LicenceKindName;
  /** Field code; 0 or omitted: every field. */
  field?: bigint | number;
  /** Territory code; 0 or omitted: everywhere. */
  territory?: bigint | number;
  /** When the licence starts; 0 or omitted: at the deal. */
  start?: MarketTimeInput | 0;
  /** How long it runs: whole days and/or years (of 365 days). */
  term: { days?: number; years?: number };
  sublicensable?: boolean;
}

/** What the seller side submits, in people's units. */
export interface ListingInput {
  /** The achievement's 12-digit registration number. */
  achievement: bigint | number | string;
  /** The trading centre asked to publish it. */
  centre: DidRef;
  mode: ListingModeName;
  /** The settlement token; the deployment's stand-in currency when omitted (local networks only). */
  token?: string;
  /** The fixed price, the asking price (negotiated) or the reserve (auction), e.g. "1000000.00". */
  price: AmountInput;
  /** Auction only: what each bidder pays to register; not above the reserve. */
  deposit?: AmountInput;
  /** Auction only: the least a bid must beat the highest by. */
  increment?: AmountInput;
  /** Auction only: bids are taken until then. */
  biddingEnds?: MarketTimeInput;
  licence: LicenceOfferInput;
  /** 1 to 11 instalments, shares summing to 100 %, due after increasing numbers of days. */
  schedule: InstalmentInput[];
  /** The broker's commission, in basis points (only when a broker lists for the holder). */
  brokerBps?: number;
  /** The inventors' reward share, in basis points; at least the escrow's floor when there are inventors. */
  inventorBps?: number;
  /** Hash of the listing document (挂牌文件). */
  termsHash: string;
}

/** An instalment as people read it, numbered from 1. */
export interface InstalmentView {
  number: number;
  bps: number;
  percent: number;
  dueAfterDays: number;
}

/** Where a listing's sale stands, in people's units. */
export interface SaleView {
  status: ListingStatusName;
  /** The round offers are signed in (negotiated listings). */
  round: number;
  /** The buyer once awarded; during an auction, the highest bidder. */
  buyer?: bigint;
  /** The price once awarded; during an auction, the highest bid. */
  price?: string;
  /** When the centre may confirm the deal (after the notice period of a negotiated price). */
  dealableAt?: Date;
  /** From when anyone may lapse an award no deal followed. */
  lapsesAt?: Date;
  handover?: Date;
  escrow?: bigint;
  licence?: bigint;
  dealRef?: string;
}

/** A listing, its sale and its schedule, in people's units: amounts in the token's units, names, days. */
export interface ListingView {
  id: bigint;
  achievement: bigint;
  token: TokenInfo;
  mode: ListingModeName;
  status: ListingStatusName;
  lister: bigint;
  centre: bigint;
  /** Undefined when the holder listed itself. */
  broker?: bigint;
  /** The fixed, asking or reserve price, e.g. "1000000.00". */
  price: string;
  /** Auction only. */
  deposit?: string;
  increment?: string;
  biddingEnds?: Date;
  centreFeeBps: number;
  brokerBps: number;
  inventorBps: number;
  licence: {
    kind: LicenceKindName;
    field: bigint;
    territory: bigint;
    /** Undefined: the licence starts at the deal. */
    start?: Date;
    termDays: number;
    sublicensable: boolean;
  };
  schedule: InstalmentView[];
  termsHash: string;
  sale: SaleView;
}

/** A registered bidder of an auction. */
/** What the market holds of a token (bidders' deposits), beside its token balance: always equal. */
export interface MarketLiabilities {
  token: TokenInfo;
  held: bigint;
  balance: bigint;
  balanced: boolean;
}

export interface BidderView {
  registered: boolean;
  rejected: boolean;
  hasBid: boolean;
  /** The deposit still held, in the token's units. */
  deposit: string;
}

/**
 * An offer of a negotiated price as both sides sign it (EIP-712 `Offer`). JSON-serialisable: the
 * listing, the buyer's DID and the price (in the token's smallest unit) are decimal strings.
 */
export interface Offer {
  listing: string;
  round: number;
  buyer: string;
  price: string;
  /** Unix seconds; the offer cannot be accepted after then. */
  expiry: number;
}

/** One side's signature of an offer: `signer` acts for the buyer or the lister (trade scope). */
export interface OfferSignature {
  signer: string;
  signature: string;
}

/** An offer with the buyer's signature, as `signOffer` returns it and `trade offer` writes it. */
export interface SignedOffer extends OfferSignature {
  offer: Offer;
}

export interface OfferInput {
  listing: bigint | number;
  price: AmountInput;
  /** The buyer's DID; the signer's own DID by default. */
  buyer?: DidRef;
  /** Until when it may be accepted; seven days from the chain's time by default. */
  expiry?: MarketTimeInput;
}

export interface ListingSubmitted extends Landed {
  id: bigint;
  achievement: bigint;
  lister: bigint;
  /** The caller's DID: the lister itself or its broker. */
  actor: bigint;
  /** Undefined when the holder listed itself. */
  broker?: bigint;
  centre: bigint;
  mode: ListingModeName;
  token: string;
  /** In the token's smallest unit. */
  price: bigint;
  termsHash: string;
}

export interface ListingApproved extends Landed {
  id: bigint;
  did: bigint;
  actor: bigint;
}

export interface ListingPublished extends Landed {
  id: bigint;
  centre: bigint;
  centreFeeBps: number;
}

export interface ListingWithdrawn extends Landed {
  id: bigint;
  actor: bigint;
  reasonHash: string;
  status: ListingStatusName;
}

export interface ListingAwarded extends Landed {
  id: bigint;
  buyer: bigint;
  /** In the token's smallest unit. */
  price: bigint;
  /** Unix seconds from when the centre may confirm the deal. */
  dealableAt: bigint;
}

export interface BidderRegistered extends Landed {
  id: bigint;
  did: bigint;
  actor: bigint;
  deposit: bigint;
}

export interface BidderRejected extends Landed {
  id: bigint;
  did: bigint;
  actor: bigint;
  reasonHash: string;
}

export interface BidPlaced extends Landed {
  id: bigint;
  bidder: bigint;
  actor: bigint;
  amount: bigint;
}

export interface AuctionClosed extends Landed {
  id: bigint;
  status: ListingStatusName;
  /** Undefined when nobody bid (the listing lapsed). */
  winner?: bigint;
  price: bigint;
  dealableAt?: bigint;
}

export interface DealConfirmed extends Landed {
  id: bigint;
  dealRef: string;
  buyer: bigint;
  seller: bigint;
  centre: bigint;
  mode: ListingModeName;
  price: bigint;
  escrow: bigint;
  licence: bigint;
  handover: bigint;
}

export interface ListingLapsed extends Landed {
  id: bigint;
  status: ListingStatusName;
}

export interface DepositWithdrawn extends Landed {
  id: bigint;
  did: bigint;
  to: string;
  amount: bigint;
  token: string;
}

/** EIP-712 type of an offer (LicenceMarket's OFFER_TYPEHASH). */
export const OFFER_TYPES = {
  Offer: [
    { name: "listing", type: "uint256" },
    { name: "round", type: "uint32" },
    { name: "buyer", type: "uint64" },
    { name: "price", type: "uint128" },
    { name: "expiry", type: "uint48" },
  ],
};

/** The EIP-712 domain of offers: the market on `chainId`. */
export function offerDomain(chainId: bigint, market: string): TypedDataDomain {
  return { name: "govledger-market", version: "1", chainId, verifyingContract: market };
}

const WHOLE_BPS = 10_000;
const MAX_INSTALMENTS = 11;
const DAY = 86_400n;
const YEAR_DAYS = 365;
const DEAL_WINDOW = 30n * DAY;
const OFFER_TTL = 7n * DAY;
const MAX_UINT32 = 2n ** 32n - 1n;
const MAX_UINT48 = 2n ** 48n - 1n;
const MAX_UINT64 = 2n ** 64n - 1n;
const DISPOSAL = 2;
const AWARDED = 3;
const LISTED = ACHIEVEMENT_STATUSES.indexOf("Listed");

/** A listing as read from the chain, with its token. */
interface State {
  id: bigint;
  listing: ILicenceMarket.ListingStructOutput;
  sale: ILicenceMarket.SaleStructOutput;
  mode: ListingModeName;
  status: ListingStatusName;
  token: TokenInfo;
}

/**
 * The licence market: the seller side lists an achievement's licence and every disposal-right party
 * approves; the trading centre publishes it; a buyer buys at a fixed price, both sides sign an offer
 * of a negotiated price, or registered bidders bid at auction; the centre confirms the deal, which
 * opens the settlement escrow and records the licence. Amounts are decimal strings in the token's
 * units ("1000000.00") or bigint smallest units; instalments and shares as people write them.
 * Writes return {@link Call}s; inputs are checked before anything is sent, and checks that read the
 * chain (the listing's status and mode, deadlines, allowance, signatures) run when the call is
 * checked, estimated or sent — a refusal there sends nothing.
 */
export class MarketClient {
  constructor(
    readonly market: LicenceMarket,
    private readonly identity: IdentityClient,
    private readonly escrow: EscrowClient,
    private readonly achievements: AchievementRegistry,
    readonly chainId: bigint,
    /** The deployment's stand-in currency, the default token of new listings (local networks only). */
    readonly settlementToken?: string,
  ) {}

  // ---- the seller side ----

  /**
   * Submits a listing of `terms.achievement` for `asDid`, a party of its disposal right; the caller
   * acts for it (trade scope) — its own key, or a broker's under a mandate. Refused before sending:
   * an unknown mode or licence kind, a malformed amount or time, a schedule of 0 or more than 11
   * instalments, shares not summing to 100 %, due days not increasing, deposit/increment/deadline on
   * a listing that is not an auction; then (reading the chain) a price of 0, a deposit above the
   * reserve, a deadline or start in the past, a lister that is no disposal-right party, an inactive
   * party, an inventors' share below the floor, a commission without a broker.
   */
  list(terms: ListingInput, asDid: DidRef): Call<ListingSubmitted> {
    const spec = this.listingSpec(terms);
    const lister = this.identity.didId(asDid);
    const method = this.deferred("list", async () => {
      const token = await this.escrow.tokenInfo(spec.token);
      const price = parseAmount(spec.price, token.decimals, "the price");
      if (price === 0n) throw new Error("the price is zero: give a price above zero");
      const deposit = spec.deposit === undefined ? 0n : parseAmount(spec.deposit, token.decimals, "the deposit");
      const increment =
        spec.increment === undefined ? 0n : parseAmount(spec.increment, token.decimals, "the increment");
      const unit = (x: bigint) => `${formatAmount(x, token.decimals)} ${token.symbol}`;
      if (deposit > price) throw new Error(`the deposit ${unit(deposit)} is above the reserve ${unit(price)}`);
      const now = await this.chainTime();
      if (spec.mode === "auction" && spec.biddingEnds <= now) {
        throw new Error(
          `bidding would end ${iso(spec.biddingEnds)}, which is not in the future (chain time ${iso(now)})`,
        );
      }
      if (spec.licence.start !== 0n && spec.licence.start < now) {
        throw new Error(`the licence would start ${iso(spec.licence.start)}, in the past (chain time ${iso(now)})`);
      }
      await this.requireActive(lister, "the lister");
      await this.requireActive(spec.centre, "the centre");
      await this.requireDisposalParty(spec.achievement, lister);
      const inventors = await this.read(() => this.achievements.inventorsOf(spec.achievement));
      const floor = Number(await this.escrow.escrow.inventorFloor());
      if (inventors.length > 0 && spec.inventorBps < floor) {
        throw new Error(
          `the inventors' share ${spec.inventorBps} bps is below the floor of ${floor} bps: achievement ${spec.achievement} has inventors`,
        );
      }
      if (spec.brokerBps !== 0 && (await this.ownDid()) === lister) {
        throw new Error(
          `a broker's commission of ${spec.brokerBps} bps names no broker: you list for your own DID ${lister}; only a broker acting under a mandate earns one`,
        );
      }
      return [{ ...spec.struct, token: token.address, price, deposit, minIncrement: increment }, lister];
    });
    const placeholder = { ...spec.struct, token: spec.token, price: 0n, deposit: 0n, minIncrement: 0n };
    return Call.of(method, [placeholder, lister], (rc) => {
      const e = this.event(rc, "ListingSubmitted");
      const actor = e.actor as bigint;
      const listed = e.lister as bigint;
      return {
        id: e.id as bigint,
        achievement: e.achievement as bigint,
        lister: listed,
        actor,
        ...(actor === listed ? {} : { broker: actor }),
        centre: e.centre as bigint,
        mode: LISTING_MODES[Number(e.mode)],
        token: e.token as string,
        price: e.price as bigint,
        termsHash: e.termsHash as string,
        ...landed(rc),
      };
    });
  }

  /**
   * Approves listing `id` for `asDid`, a party of the achievement's disposal right (the caller acts
   * for it, trade scope). Refused before sending: an unknown listing, one already dealt or ended, a
   * DID that is no disposal-right party.
   */
  approve(id: bigint | number, asDid: DidRef): Call<ListingApproved> {
    const [l, did] = [listingId(id), this.identity.didId(asDid)];
    const method = this.deferred("approve", async () => {
      const s = await this.state(l);
      if (Number(s.sale.status) > AWARDED) throw this.wrongStatus(s, "approved", "before the deal");
      await this.requireDisposalParty(s.listing.achievement, did);
      return [l, did];
    });
    return Call.of(method, [l, did], (rc) => {
      const e = this.event(rc, "ListingApproved");
      return { id: l, did: e.did as bigint, actor: e.actor as bigint, ...landed(rc) };
    });
  }

  /**
   * Publishes submitted listing `id` with the centre's fee (basis points of each release). Trading
   * centres only; the caller's DID must be the listing's centre. Refused before sending: an unknown
   * or not submitted listing, another centre, fees leaving the holders nothing, a disposal-right
   * party that has not approved, an auction whose deadline has passed.
   */
  publish(id: bigint | number, centreFeeBps: number): Call<ListingPublished> {
    const [l, fee] = [listingId(id), bps(centreFeeBps, "the centre's fee")];
    const method = this.deferred("publish", async () => {
      const s = await this.state(l);
      await this.requireCentre(s);
      if (s.status !== "Submitted") throw this.wrongStatus(s, "published", "while Submitted");
      const [broker, inventors] = [Number(s.listing.brokerBps), Number(s.listing.inventorBps)];
      if (fee + broker + inventors >= WHOLE_BPS) {
        throw new Error(
          `the centre's fee ${fee} bps, the broker's commission ${broker} bps and the inventors' share ${inventors} bps leave the holders nothing: lower the fee`,
        );
      }
      if (s.mode === "auction" && s.listing.biddingEnds <= (await this.chainTime())) {
        throw new Error(
          `bidding on listing ${l} ended ${iso(s.listing.biddingEnds)}: an auction is published before its deadline`,
        );
      }
      await this.requireApprovals(s);
      return [l, fee];
    });
    return Call.of(method, [l, fee], (rc) => {
      const e = this.event(rc, "ListingPublished");
      return { id: l, centre: e.centre as bigint, centreFeeBps: Number(e.centreFeeBps), ...landed(rc) };
    });
  }

  /**
   * Withdraws listing `id` for its lister `asDid` (trade scope): while Submitted or Published, and
   * for an auction before any bid. `reasonHash` (the hash of the reason) is optional.
   */
  withdrawListing(id: bigint | number, asDid: DidRef, reasonHash: string = ZeroHash): Call<ListingWithdrawn> {
    const [l, did, reason] = [listingId(id), this.identity.didId(asDid), hash(reasonHash, "reason")];
    const method = this.deferred("withdrawListing", async () => {
      const s = await this.state(l);
      if (s.listing.lister !== did) {
        throw new Error(
          `DID ${did} is not the lister of listing ${l} (DID ${s.listing.lister}): only the lister withdraws it`,
        );
      }
      if (s.status !== "Submitted" && s.status !== "Published") {
        throw this.wrongStatus(s, "withdrawn", "while Submitted or Published");
      }
      if (s.sale.buyer !== 0n) {
        throw new Error(`listing ${l} has bids: it can no longer be withdrawn (the centre may cancel it)`);
      }
      return [l, did, reason];
    });
    return Call.of(method, [l, did, reason], (rc) => this.withdrawn(rc, l));
  }

  /**
   * Cancels listing `id` before its deal (an objection during the notice period, a failed check);
   * every deposit becomes withdrawable. Trading centres only; the listing's centre.
   */
  cancel(id: bigint | number, reasonHash: string): Call<ListingWithdrawn> {
    const [l, reason] = [listingId(id), nonZeroHash(reasonHash, "the reason")];
    const method = this.deferred("cancel", async () => {
      const s = await this.state(l);
      await this.requireCentre(s);
      if (Number(s.sale.status) > AWARDED) throw this.wrongStatus(s, "cancelled", "before the deal");
      return [l, reason];
    });
    return Call.of(method, [l, reason], (rc) => this.withdrawn(rc, l));
  }

  // ---- buyers ----

  /** Buys published fixed-price listing `id` for `asDid` (the caller acts for it, trade scope). */
  buy(id: bigint | number, asDid: DidRef): Call<ListingAwarded> {
    const [l, did] = [listingId(id), this.identity.didId(asDid)];
    const method = this.deferred("buy", async () => {
      const s = await this.state(l);
      requireMode(s, "fixed");
      if (s.status !== "Published") throw this.wrongStatus(s, "bought", "while Published");
      await this.requireBuyer(s, did);
      return [l, did];
    });
    return Call.of(method, [l, did], (rc) => this.awarded(rc));
  }

  /**
   * The offer of `input.price` on negotiated listing `input.listing`, for the buyer's DID, in the
   * listing's current round. Refused: an unknown listing, one not negotiated or not published, a
   * malformed or zero price, an expiry not in the future, a buyer of the seller side.
   */
  async buildOffer(input: OfferInput): Promise<Offer> {
    const l = listingId(input.listing);
    checkAmountText(input.price, "the price");
    const given = input.expiry === undefined ? undefined : toSeconds(input.expiry, "the offer's expiry");
    const s = await this.state(l);
    requireMode(s, "negotiated");
    if (s.status !== "Published") throw this.wrongStatus(s, "offered on", "while Published");
    const buyer = input.buyer === undefined ? await this.requiredOwnDid() : this.identity.didId(input.buyer);
    await this.requireBuyer(s, buyer);
    const price = parseAmount(input.price, s.token.decimals, "the price");
    if (price === 0n) throw new Error("the price is zero: offer a price above zero");
    const now = await this.chainTime();
    const expiry = given ?? now + OFFER_TTL;
    if (expiry <= now) throw new Error(`the offer would expire ${iso(expiry)}, which is not in the future`);
    return {
      listing: l.toString(),
      round: Number(s.sale.round),
      buyer: buyer.toString(),
      price: price.toString(),
      expiry: Number(expiry),
    };
  }

  /** `signer`'s (by default the connected signer's) EIP-712 signature of `offer`. */
  async sign(offer: Offer, signer?: Signer): Promise<OfferSignature> {
    const by = signer ?? this.signer();
    const signature = await by.signTypedData(this.domain(), OFFER_TYPES, offerMessage(checkedOffer(offer)));
    return { signer: await by.getAddress(), signature };
  }

  /**
   * Builds the offer of `input` and signs it as the buyer with `signer` (the connected signer by
   * default): JSON-serialisable, to hand to the seller, who accepts it with {@link accept}.
   */
  async signOffer(input: OfferInput, signer?: Signer): Promise<SignedOffer> {
    const by = signer ?? this.signer();
    const buyer = input.buyer ?? (await this.requiredOwnDid(await by.getAddress()));
    const offer = await this.buildOffer({ ...input, buyer });
    const signed = await this.sign(offer, by);
    await this.requireOfferSignature(offer, signed, BigInt(offer.buyer), "buyer");
    return { offer, ...signed };
  }

  /**
   * Accepts negotiated `offer` with both sides' signatures: the buyer's (`buyer`, a signature or a
   * signer) and the seller's (`seller`; by default the connected signer signs for the lister). The
   * price is published until the notice period ends. Refused before sending: an unknown listing, one
   * not negotiated or not published, an offer of another round (already accepted), an expired offer
   * ("offer expired at …"), a signer that does not act for its side (trade scope), a signature of
   * something else.
   */
  accept(offer: Offer, buyer: OfferSignature | Signer, seller?: OfferSignature | Signer): Call<ListingAwarded> {
    const o = checkedOffer(offer);
    const l = BigInt(o.listing);
    const method = this.deferred("accept", async () => {
      const s = await this.state(l);
      requireMode(s, "negotiated");
      if (s.status !== "Published") throw this.wrongStatus(s, "accepted", "while Published");
      if (BigInt(o.round) !== s.sale.round) {
        throw new Error(
          `the offer is of round ${o.round}, listing ${l} is in round ${s.sale.round}: an offer of an earlier round was accepted already; sign a new offer`,
        );
      }
      if (BigInt(o.expiry) < (await this.chainTime())) {
        throw new Error(`offer expired at ${iso(BigInt(o.expiry))}: ask the buyer for a new offer`);
      }
      if (BigInt(o.price) === 0n) throw new Error("the offer's price is zero");
      await this.requireBuyer(s, BigInt(o.buyer));
      const sides: [OfferSignature | Signer, bigint, string][] = [
        [buyer, BigInt(o.buyer), "buyer"],
        [seller ?? this.signer(), s.listing.lister, "seller"],
      ];
      const signed: OfferSignature[] = [];
      for (const [side, did, role] of sides) {
        const sig = isSignature(side) ? side : await this.sign(o, side);
        await this.requireOfferSignature(o, sig, did, role);
        signed.push(sig);
      }
      const [b, sl] = signed;
      return [offerMessage(o), b.signer, b.signature, sl.signer, sl.signature];
    });
    return Call.of(method, [offerMessage(o), ZeroAddress, "0x", ZeroAddress, "0x"], (rc) => this.awarded(rc));
  }

  /** Approves the market to take the deposit of auction `id` from the caller's tokens. */
  approveDeposit(id: bigint | number): Call<Approval> {
    const l = listingId(id);
    const spender = this.market.target as string;
    let approval = { token: "", amount: 0n };
    const method = lazyMethod(async () => {
      const s = await this.state(l);
      requireMode(s, "auction");
      if (s.listing.deposit === 0n) throw new Error(`listing ${l} takes no deposit: nothing to approve`);
      approval = { token: s.token.address, amount: s.listing.deposit };
      return [this.tokenContract(s.token.address).approve, [spender, s.listing.deposit]];
    }) as ERC20Permit["approve"];
    return Call.of(method, [spender, 0n], (rc) => ({ ...approval, spender, ...landed(rc) }));
  }

  /**
   * Registers `asDid` (the caller acts for it, trade scope) as a bidder of auction `id`; the market
   * takes the deposit from the caller's tokens. Refused before sending: an unknown listing, one not
   * an auction or not published, bidding closed, a bidder of the seller side or already registered,
   * and a balance or allowance below the deposit (approve it first with {@link approveDeposit}).
   */
  registerBidder(id: bigint | number, asDid: DidRef): Call<BidderRegistered> {
    const [l, did] = [listingId(id), this.identity.didId(asDid)];
    const method = this.deferred("registerBidder", async () => {
      const s = await this.state(l);
      requireMode(s, "auction");
      if (s.status !== "Published") throw this.wrongStatus(s, "registered for", "while Published");
      await this.requireBidding(s);
      await this.requireBuyer(s, did);
      const bidder = await this.market.bidderOf(l, did);
      if (bidder.registered) throw new Error(`DID ${did} is already registered as a bidder of listing ${l}`);
      await this.requireDeposit(s);
      return [l, did];
    });
    return Call.of(method, [l, did], (rc) => {
      const e = this.event(rc, "BidderRegistered");
      return {
        id: l,
        did: e.did as bigint,
        actor: e.actor as bigint,
        deposit: e.deposit as bigint,
        ...landed(rc),
      };
    });
  }

  /**
   * Rejects bidder `did` of auction `id`, which failed the qualification check, before its first bid;
   * its deposit becomes withdrawable. Trading centres only; the listing's centre.
   */
  rejectBidder(id: bigint | number, did: DidRef, reasonHash: string): Call<BidderRejected> {
    const [l, d, reason] = [listingId(id), this.identity.didId(did), nonZeroHash(reasonHash, "the reason")];
    const method = this.deferred("rejectBidder", async () => {
      const s = await this.state(l);
      await this.requireCentre(s);
      if (s.status !== "Published") throw this.wrongStatus(s, "screened", "while Published");
      const b = await this.market.bidderOf(l, d);
      if (!b.registered || b.rejected) throw new Error(`DID ${d} is not a registered bidder of listing ${l}`);
      if (b.hasBid) throw new Error(`DID ${d} has bid on listing ${l}: a bidder is rejected only before its first bid`);
      return [l, d, reason];
    });
    return Call.of(method, [l, d, reason], (rc) => {
      const e = this.event(rc, "BidderRejected");
      return { id: l, did: d, actor: e.actor as bigint, reasonHash: reason, ...landed(rc) };
    });
  }

  /**
   * Bids `amount` on auction `id` for registered bidder `asDid` (trade scope). Refused before
   * sending: a malformed amount, an unknown listing, one not an auction or not published, bidding
   * closed, a DID not registered (or rejected), an amount below the reserve or the highest bid plus
   * the increment (the message names the minimum).
   */
  bid(id: bigint | number, amount: AmountInput, asDid: DidRef): Call<BidPlaced> {
    const [l, did] = [listingId(id), this.identity.didId(asDid)];
    checkAmountText(amount, "the bid");
    let units = 0n;
    const method = this.deferred("bid", async () => {
      const s = await this.state(l);
      requireMode(s, "auction");
      if (s.status !== "Published") throw this.wrongStatus(s, "bid on", "while Published");
      await this.requireBidding(s);
      units = parseAmount(amount, s.token.decimals, "the bid");
      const b = await this.market.bidderOf(l, did);
      if (!b.registered || b.rejected) {
        throw new Error(
          `DID ${did} is not a registered bidder of listing ${l}${b.rejected ? " (rejected by the centre)" : ": register first"}`,
        );
      }
      const increment = s.listing.minIncrement === 0n ? 1n : s.listing.minIncrement;
      const first = s.sale.buyer === 0n;
      const minimum = first ? s.listing.price : s.sale.price + increment;
      if (units < minimum) {
        const f = (x: bigint) => formatAmount(x, s.token.decimals);
        const why = first ? "the reserve" : `the highest bid ${f(s.sale.price)} plus the increment ${f(increment)}`;
        throw new Error(`the bid ${f(units)} is below the minimum ${f(minimum)} ${s.token.symbol} (${why})`);
      }
      return [l, units, did];
    });
    return Call.of(method, [l, 0n, did], (rc) => {
      const e = this.event(rc, "BidPlaced");
      return {
        id: l,
        bidder: e.bidder as bigint,
        actor: e.actor as bigint,
        amount: e.amount as bigint,
        ...landed(rc),
      };
    });
  }

  /**
   * Closes auction `id` after its deadline: awarded to the highest bidder, or lapsed without bids.
   * Anyone may call it; refused before sending while bidding runs (the message names the deadline).
   */
  closeAuction(id: bigint | number): Call<AuctionClosed> {
    const l = listingId(id);
    const method = this.deferred("closeAuction", async () => {
      const s = await this.state(l);
      requireMode(s, "auction");
      if (s.status !== "Published") throw this.wrongStatus(s, "closed", "while Published");
      if ((await this.chainTime()) < s.listing.biddingEnds) {
        throw new Error(`bidding on listing ${l} runs until ${iso(s.listing.biddingEnds)}: close it after that`);
      }
      return [l];
    });
    return Call.of(method, [l], (rc) => {
      const e = this.event(rc, "AuctionClosed");
      const winner = e.winner as bigint;
      const award = this.events(rc).find((x) => x.name === "ListingAwarded");
      return {
        id: l,
        status: winner === 0n ? "Lapsed" : "Awarded",
        ...(winner === 0n ? {} : { winner }),
        price: e.price as bigint,
        ...(award ? { dealableAt: award.args.dealableAt as bigint } : {}),
        ...landed(rc),
      };
    });
  }

  // ---- the deal ----

  /**
   * Confirms the deal of awarded listing `id` (成交确认书 `dealRef`, handover date `handover`, 0 by
   * default): opens the escrow (the winner's deposit prefunded as its first milestone), records the
   * licence, marks the achievement licensed. Trading centres only; the listing's centre. Refused
   * before sending: an unknown listing, one not awarded, the notice period still running (the
   * message names its end), the achievement no longer listed, a disposal-right party's approval missing.
   */
  confirmDeal(id: bigint | number, dealRef: string, handover: MarketTimeInput | 0 = 0): Call<DealConfirmed> {
    const [l, ref] = [listingId(id), nonZeroHash(dealRef, "the deal reference")];
    const at = handover === 0 ? 0n : toSeconds(handover, "the handover date");
    const method = this.deferred("confirmDeal", async () => {
      const s = await this.state(l);
      await this.requireCentre(s);
      if (s.status !== "Awarded") throw this.wrongStatus(s, "dealt", "once Awarded");
      if ((await this.chainTime()) < s.sale.dealableAt) {
        throw new Error(
          `the notice period of listing ${l} runs until ${iso(s.sale.dealableAt)}: confirm the deal after that`,
        );
      }
      const a = await this.read(() => this.achievements.getAchievement(s.listing.achievement));
      if (Number(a.status) !== LISTED) {
        throw new Error(
          `achievement ${s.listing.achievement} is ${ACHIEVEMENT_STATUSES[Number(a.status)] ?? a.status}, not Listed: the deal cannot be confirmed (cancel the listing)`,
        );
      }
      await this.requireApprovals(s);
      return [l, ref, at];
    });
    return Call.of(method, [l, ref, at], (rc) => {
      const e = this.event(rc, "DealConfirmed");
      return {
        id: l,
        dealRef: ref,
        buyer: e.buyer as bigint,
        seller: e.seller as bigint,
        centre: e.centre as bigint,
        mode: LISTING_MODES[Number(e.mode)],
        price: e.price as bigint,
        escrow: e.escrow as bigint,
        licence: e.licence as bigint,
        handover: e.handover as bigint,
        ...landed(rc),
      };
    });
  }

  /**
   * Lapses award `id` that no deal confirmed within 30 days of its dealable time; the winner's
   * deposit becomes withdrawable. Anyone may call it; refused before sending until then.
   */
  lapse(id: bigint | number): Call<ListingLapsed> {
    const l = listingId(id);
    const method = this.deferred("lapse", async () => {
      const s = await this.state(l);
      if (s.status !== "Awarded") throw this.wrongStatus(s, "lapsed", "once Awarded");
      const lapsesAt = s.sale.dealableAt + DEAL_WINDOW;
      if ((await this.chainTime()) < lapsesAt) {
        throw new Error(`the award of listing ${l} may be lapsed only from ${iso(lapsesAt)}, if no deal follows`);
      }
      return [l];
    });
    return Call.of(method, [l], (rc) => {
      this.event(rc, "ListingLapsed");
      return { id: l, status: "Lapsed" as const, ...landed(rc) };
    });
  }

  /**
   * Pays bidder `did`'s deposit of listing `id` to `options.to` (the caller by default); the caller
   * acts for `did` (payment scope). Refused before sending: no deposit held, or a deposit still
   * locked (a running auction, or the winner's until the deal or a lapse).
   */
  withdrawDeposit(id: bigint | number, did: DidRef, options: { to?: string } = {}): Call<DepositWithdrawn> {
    const [l, d] = [listingId(id), this.identity.didId(did)];
    const givenTo = options.to === undefined ? undefined : checkedAddress(options.to);
    if (givenTo === ZeroAddress) throw new Error("cannot withdraw to the zero address: name the account to pay");
    let token = "";
    const method = this.deferred("withdrawDeposit", async () => {
      const s = await this.state(l);
      token = s.token.address;
      const b = await this.market.bidderOf(l, d);
      if (b.deposit === 0n) throw new Error(`DID ${d} has no deposit on listing ${l} to withdraw`);
      const winner = s.status === "Awarded" && s.sale.buyer === d;
      if (!b.rejected && s.status === "Published") {
        throw new Error(
          `the deposit of DID ${d} on listing ${l} is locked while the auction runs${s.mode === "auction" ? ` (bidding ends ${iso(s.listing.biddingEnds)}, then close it)` : ""}`,
        );
      }
      if (!b.rejected && winner) {
        throw new Error(
          `the deposit of DID ${d} on listing ${l} is the winner's: it counts toward the price at the deal, or comes back if the award lapses (from ${iso(s.sale.dealableAt + DEAL_WINDOW)})`,
        );
      }
      return [l, d, givenTo ?? (await this.signer().getAddress())];
    });
    return Call.of(method, [l, d, givenTo ?? ZeroAddress], (rc) => {
      const e = this.event(rc, "DepositWithdrawn");
      return { id: l, did: d, to: e.to as string, amount: e.amount as bigint, token, ...landed(rc) };
    });
  }

  // ---- reads ----

  /** Listing `id`, its sale and its schedule, in people's units and by name. */
  async show(id: bigint | number): Promise<ListingView> {
    const s = await this.state(listingId(id));
    const { listing: l, sale, token } = s;
    const schedule = await this.read(() => this.market.scheduleOf(s.id));
    const amount = (x: bigint) => formatAmount(x, token.decimals);
    const date = (x: bigint) => (x === 0n ? undefined : new Date(Number(x) * 1000));
    const auction = s.mode === "auction";
    const awarded = s.status === "Awarded";
    const sold = sale.buyer !== 0n;
    const saleView: SaleView = {
      status: s.status,
      round: Number(sale.round),
      ...(sold ? { buyer: sale.buyer, price: amount(sale.price) } : {}),
      ...(sale.dealableAt === 0n ? {} : { dealableAt: date(sale.dealableAt) }),
      ...(awarded ? { lapsesAt: date(sale.dealableAt + DEAL_WINDOW) } : {}),
      ...(sale.handover === 0n ? {} : { handover: date(sale.handover) }),
      ...(sale.escrow === 0n ? {} : { escrow: sale.escrow }),
      ...(sale.licence === 0n ? {} : { licence: sale.licence }),
      ...(sale.dealRef === ZeroHash ? {} : { dealRef: sale.dealRef }),
    };
    return {
      id: s.id,
      achievement: l.achievement,
      token,
      mode: s.mode,
      status: s.status,
      lister: l.lister,
      centre: l.centre,
      ...(l.broker === 0n ? {} : { broker: l.broker }),
      price: amount(l.price),
      ...(auction
        ? { deposit: amount(l.deposit), increment: amount(l.minIncrement), biddingEnds: date(l.biddingEnds) }
        : {}),
      centreFeeBps: Number(l.centreFeeBps),
      brokerBps: Number(l.brokerBps),
      inventorBps: Number(l.inventorBps),
      licence: {
        kind: LICENCE_KINDS[Number(l.licence.kind)],
        field: l.licence.field,
        territory: l.licence.territory,
        ...(l.licence.start === 0n ? {} : { start: date(l.licence.start) }),
        termDays: Number(l.licence.term) / Number(DAY),
        sublicensable: l.licence.sublicensable,
      },
      schedule: schedule.map((i, n) => ({
        number: n + 1,
        bps: Number(i.bps),
        percent: Number(i.bps) / 100,
        dueAfterDays: Number(i.dueAfter) / Number(DAY),
      })),
      termsHash: l.termsHash,
      sale: saleView,
    };
  }

  /** Bidder `did` of listing `id`. */
  async bidder(id: bigint | number, did: DidRef): Promise<BidderView> {
    const s = await this.state(listingId(id));
    const b = await this.market.bidderOf(s.id, this.identity.didId(did));
    return {
      registered: b.registered,
      rejected: b.rejected,
      hasBid: b.hasBid,
      deposit: formatAmount(b.deposit, s.token.decimals),
    };
  }

  /** How many listings were submitted (ids run from 1 to this). */
  async count(): Promise<bigint> {
    return this.market.listingCount();
  }

  /**
   * The deposits the market holds of `token` (the deployment's stand-in currency by default), beside its
   * token balance: always equal (`balanced`).
   */
  async liabilities(token?: string): Promise<MarketLiabilities> {
    const t = token === undefined ? this.defaultToken() : checkedAddress(token);
    const [info, held, balance] = await Promise.all([
      this.escrow.tokenInfo(t),
      this.market.liabilities(t),
      this.tokenContract(t).balanceOf(this.market.target as string),
    ]);
    return { token: info, held, balance, balanced: balance === held };
  }

  /** The notice period of negotiated prices, in days. */
  async noticePeriodDays(): Promise<number> {
    return Number(await this.market.noticePeriod()) / Number(DAY);
  }

  // ---- internals: checks ----

  private listingSpec(t: ListingInput) {
    const mode = LISTING_MODES.indexOf(t.mode);
    if (mode < 0) throw new Error(`mode "${t.mode}" is not one of: ${LISTING_MODES.join(", ")}`);
    const token = t.token === undefined ? this.defaultToken() : checkedAddress(t.token);
    const achievement = achievementId(t.achievement);
    const centre = this.identity.didId(t.centre);
    checkAmountText(t.price, "the price");
    const auction = t.mode === "auction";
    for (const [value, what] of [
      [t.deposit, "deposit"],
      [t.increment, "increment"],
      [t.biddingEnds, "bidding deadline"],
    ] as const) {
      if (!auction && value !== undefined) {
        throw new Error(`a ${t.mode}-price listing takes no ${what}: only an auction has one`);
      }
    }
    if (t.deposit !== undefined) checkAmountText(t.deposit, "the deposit");
    if (t.increment !== undefined) checkAmountText(t.increment, "the increment");
    if (auction && t.biddingEnds === undefined) throw new Error("an auction needs a bidding deadline (biddingEnds)");
    const biddingEnds = t.biddingEnds === undefined ? 0n : toSeconds(t.biddingEnds, "the bidding deadline");
    const brokerBps = bps(t.brokerBps ?? 0, "the broker's commission");
    const inventorBps = bps(t.inventorBps ?? 0, "the inventors' share");
    if (brokerBps + inventorBps >= WHOLE_BPS) {
      throw new Error(
        `the broker's commission (${brokerBps}) and the inventors' share (${inventorBps}) add up to ${brokerBps + inventorBps} bps, leaving the holders nothing`,
      );
    }
    const licence = licenceOffer(t.licence);
    const schedule = instalments(t.schedule);
    const termsHash = nonZeroHash(t.termsHash, "the listing document hash");
    const struct = {
      achievement,
      centre,
      mode,
      token,
      price: 0n,
      minIncrement: 0n,
      deposit: 0n,
      biddingEnds,
      brokerBps,
      inventorBps,
      licence,
      schedule,
      termsHash,
    };
    return {
      ...struct,
      mode: t.mode,
      price: t.price,
      deposit: t.deposit,
      increment: t.increment,
      struct,
    };
  }

  /** The listing, its sale and token; an unknown listing is refused naming the known range. */
  private async state(id: bigint): Promise<State> {
    const count = await this.market.listingCount();
    if (id > count) {
      throw new Error(
        count === 0n
          ? `listing ${id} does not exist: no listing was submitted yet`
          : `listing ${id} does not exist: listings run from 1 to ${count}`,
      );
    }
    const [listing, sale] = await this.read(() => Promise.all([this.market.listingOf(id), this.market.saleOf(id)]));
    const token = await this.escrow.tokenInfo(listing.token);
    return {
      id,
      listing,
      sale,
      mode: LISTING_MODES[Number(listing.mode)],
      status: LISTING_STATUSES[Number(sale.status)],
      token,
    };
  }

  private wrongStatus(s: State, verb: string, when: string): Error {
    return new Error(`listing ${s.id} is ${s.status}: it can be ${verb} only ${when}`);
  }

  private async requireBidding(s: State): Promise<void> {
    if ((await this.chainTime()) >= s.listing.biddingEnds) {
      throw new Error(`bidding on listing ${s.id} closed at ${iso(s.listing.biddingEnds)}`);
    }
  }

  private async requireBuyer(s: State, did: bigint): Promise<void> {
    if (did === s.listing.lister || did === s.listing.broker) {
      const who = did === s.listing.lister ? "the lister" : "the broker";
      throw new Error(`DID ${did} is ${who} of listing ${s.id}: the seller side cannot buy or bid`);
    }
    await this.requireActive(did, "the buyer");
  }

  private async requireActive(did: bigint, role: string): Promise<void> {
    const status = await this.identity.statusOf(did);
    if (status === "None") throw new Error(`${role} DID ${did} is unknown: no such DID on this chain`);
    if (status !== "Active") throw new Error(`${role} DID ${did} is ${status.toLowerCase()}, not active`);
  }

  private async requireDisposalParty(achievement: bigint, did: bigint): Promise<void> {
    const parties = await this.read(() => this.achievements.partiesOf(achievement, DISPOSAL));
    if (!parties.includes(did)) {
      throw new Error(
        `DID ${did} is not a party of achievement ${achievement}'s disposal right${parties.length ? ` (parties: ${parties.join(", ")})` : ""}`,
      );
    }
  }

  private async requireApprovals(s: State): Promise<void> {
    const parties = await this.read(() => this.achievements.partiesOf(s.listing.achievement, DISPOSAL));
    if (!parties.includes(s.listing.lister)) {
      throw new Error(
        `the lister DID ${s.listing.lister} is no longer a party of achievement ${s.listing.achievement}'s disposal right`,
      );
    }
    for (const p of parties) {
      if (!(await this.market.hasApproved(s.id, p))) {
        throw new Error(
          `disposal-right party DID ${p} has not approved listing ${s.id}: it approves first (govledger trade approve ${s.id} --as ${p})`,
        );
      }
    }
  }

  /** The caller's DID must be the listing's centre. */
  private async requireCentre(s: State): Promise<void> {
    const own = await this.ownDid();
    if (own !== s.listing.centre) {
      const who = own === undefined ? `${await this.signer().getAddress()} is not a key of any DID` : `DID ${own}`;
      throw new Error(`${who} is not the centre of listing ${s.id}: only centre DID ${s.listing.centre} may do this`);
    }
  }

  /** Refuses a deposit the caller cannot pay: a balance or an allowance below it. */
  private async requireDeposit(s: State): Promise<void> {
    const amount = s.listing.deposit;
    if (amount === 0n) return;
    const payer = await this.signer().getAddress();
    const { token } = s;
    const contract = this.tokenContract(token.address);
    const f = (x: bigint) => formatAmount(x, token.decimals);
    const needs = `the deposit of listing ${s.id} is ${f(amount)}`;
    const balance = await contract.balanceOf(payer);
    if (balance < amount) {
      throw new Error(
        `insufficient balance: ${payer} holds ${f(balance)} of ${token.symbol}, ${needs} — top up the paying account first`,
      );
    }
    const allowed = await contract.allowance(payer, this.market.target as string);
    if (allowed < amount) {
      throw new Error(
        `insufficient allowance: the market may take ${f(allowed)} of ${token.symbol}, ${needs} — approve ${f(amount)} first (--approve)`,
      );
    }
  }

  private async requireOfferSignature(offer: Offer, s: OfferSignature, did: bigint, role: string): Promise<void> {
    const signer = checkedAddress(s.signer);
    if (!(await this.identity.registry.isActingFor(signer, did, SCOPES.TRADE))) {
      throw new Error(
        `the ${role}'s signer ${signer} does not act for ${role} DID ${did}: sign with a key of that DID, or of a representative with the trade scope`,
      );
    }
    if ((await this.provider().getCode(signer)) !== "0x") return;
    let recovered = "";
    try {
      recovered = verifyTypedData(this.domain(), OFFER_TYPES, offerMessage(offer), s.signature);
    } catch {
      recovered = "";
    }
    if (recovered !== signer) {
      throw new Error(
        `the ${role}'s signature is not ${signer}'s signature of this offer (listing ${offer.listing}, round ${offer.round}, price ${offer.price}, expiry ${iso(BigInt(offer.expiry))}) on this market`,
      );
    }
  }

  // ---- internals: chain ----

  private async ownDid(account?: string): Promise<bigint | undefined> {
    const own = await this.identity.didOf(account ?? (await this.signer().getAddress()));
    return own?.id;
  }

  private async requiredOwnDid(account?: string): Promise<bigint> {
    const address = account ?? (await this.signer().getAddress());
    const own = await this.ownDid(address);
    if (own === undefined) throw new Error(`${address} is not a key of any DID: name the buyer's DID`);
    return own;
  }

  /** The chain's time: the latest block's, which a dry run of a call sees. */
  private async chainTime(): Promise<bigint> {
    const block = await this.provider().getBlock("latest");
    return BigInt(block?.timestamp ?? Math.floor(Date.now() / 1000));
  }

  private tokenContract(address: string): ERC20Permit {
    return ERC20Permit__factory.connect(address, this.market.runner);
  }

  private defaultToken(): string {
    if (!this.settlementToken) {
      throw new Error("name the settlement token: the deployment has no stand-in currency to default to");
    }
    return this.settlementToken;
  }

  private domain(): TypedDataDomain {
    return offerDomain(this.chainId, this.market.target as string);
  }

  private signer(): Signer {
    const runner = this.market.runner as Signer | null;
    if (!runner || typeof runner.getAddress !== "function") throw new Error("writing to the market needs a signer");
    return runner;
  }

  private provider(): Provider {
    const provider = this.market.runner?.provider;
    if (!provider) throw new Error("the market client has no provider to read the chain with");
    return provider;
  }

  /** A read whose refusal is thrown decoded. */
  private async read<R>(fn: () => Promise<R>): Promise<R> {
    try {
      return await fn();
    } catch (e) {
      throw toGovLedgerError(e);
    }
  }

  /**
   * The market's write method `name`, whose arguments `args` computes (once, reading the chain) when
   * the call is first checked, estimated or sent: a refusal found there is thrown before anything is sent.
   */
  private deferred<K extends keyof LicenceMarket & string>(name: K, args: () => Promise<unknown[]>): LicenceMarket[K] {
    return lazyMethod(async () => [this.market[name], await args()]) as LicenceMarket[K];
  }

  // ---- internals: results ----

  /** The market's own events in `receipt` (see {@link eventsOf}). */
  private events(receipt: TransactionReceipt): { name: string; args: Record<string, unknown> }[] {
    return eventsOf(this.market, receipt);
  }

  private event(receipt: TransactionReceipt, name: string): Record<string, unknown> {
    return eventOf(this.market, receipt, name);
  }

  private awarded(rc: TransactionReceipt): ListingAwarded {
    const e = this.event(rc, "ListingAwarded");
    return {
      id: e.id as bigint,
      buyer: e.buyer as bigint,
      price: e.price as bigint,
      dealableAt: e.dealableAt as bigint,
      ...landed(rc),
    };
  }

  private withdrawn(rc: TransactionReceipt, id: bigint): ListingWithdrawn {
    const e = this.event(rc, "ListingWithdrawn");
    return {
      id,
      actor: e.actor as bigint,
      reasonHash: e.reasonHash as string,
      status: "Withdrawn",
      ...landed(rc),
    };
  }
}

/**
 * A signed offer read from JSON (as `signOffer` returns it and `trade offer` writes it), checked
 * field by field; the errors say what is wrong.
 */
export function parseSignedOffer(input: unknown): SignedOffer {
  const value = typeof input === "string" ? parseJson(input) : input;
  const o = value as Partial<SignedOffer> | null;
  if (!o || typeof o !== "object" || typeof o.offer !== "object" || o.offer === null) {
    throw new Error(
      "not a signed offer: expected { offer: { listing, round, buyer, price, expiry }, signer, signature }",
    );
  }
  const offer = checkedOffer(o.offer);
  if (typeof o.signer !== "string") throw new Error("the signed offer names no signer");
  const signer = checkedAddress(o.signer);
  if (typeof o.signature !== "string" || !/^0x[0-9a-fA-F]+$/.test(o.signature)) {
    throw new Error("the signed offer has no signature (0x… hex)");
  }
  return { offer, signer, signature: o.signature };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error("not a signed offer: the text is not JSON");
  }
}

/** `offer` with every field checked: decimal strings for the listing, buyer and price, whole numbers otherwise. */
function checkedOffer(offer: Offer): Offer {
  const whole = (value: unknown, what: string, max: bigint, min = 0n): bigint => {
    const text = typeof value === "number" || typeof value === "bigint" ? String(value) : value;
    if (typeof text !== "string" || !/^\d+$/.test(text) || BigInt(text) < min || BigInt(text) > max) {
      throw new Error(`the offer's ${what} "${String(value)}" is not valid: expected a whole number from ${min}`);
    }
    return BigInt(text);
  };
  return {
    listing: whole(offer.listing, "listing", 2n ** 256n - 1n, 1n).toString(),
    round: Number(whole(offer.round, "round", MAX_UINT32)),
    buyer: whole(offer.buyer, "buyer", MAX_UINT64, 1n).toString(),
    price: whole(offer.price, "price", 2n ** 128n - 1n).toString(),
    expiry: Number(whole(offer.expiry, "expiry", MAX_UINT48)),
  };
}

function offerMessage(o: Offer) {
  return {
    listing: BigInt(o.listing),
    round: BigInt(o.round),
    buyer: BigInt(o.buyer),
    price: BigInt(o.price),
    expiry: BigInt(o.expiry),
  };
}

function isSignature(side: Signer | OfferSignature): side is OfferSignature {
  return typeof (side as OfferSignature).signature === "string";
}

interface LicenceOfferStruct {
  kind: number;
  field: bigint;
  territory: bigint;
  start: bigint;
  term: bigint;
  sublicensable: boolean;
}

function licenceOffer(l: LicenceOfferInput): LicenceOfferStruct {
  const kind = LICENCE_KINDS.indexOf(l.kind);
  if (kind < 0) throw new Error(`licence kind "${l.kind}" is not one of: ${LICENCE_KINDS.join(", ")}`);
  const start = l.start === undefined || l.start === 0 ? 0n : toSeconds(l.start, "the licence's start");
  const days = wholeDays(l.term.days ?? 0, "the licence's term in days");
  const years = wholeDays(l.term.years ?? 0, "the licence's term in years");
  const term = BigInt(days + years * YEAR_DAYS) * DAY;
  if (term === 0n) throw new Error("the licence has no term: give it in days or years, e.g. { years: 5 }");
  if (term > MAX_UINT48) throw new Error("the licence's term is too long");
  return {
    kind,
    field: code(l.field ?? 0, "field"),
    territory: code(l.territory ?? 0, "territory"),
    start,
    term,
    sublicensable: l.sublicensable ?? false,
  };
}

function instalments(list: InstalmentInput[]): { bps: number; dueAfter: number }[] {
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_INSTALMENTS) {
    throw new Error(`${list?.length ?? 0} instalments given: a schedule has 1 to ${MAX_INSTALMENTS}`);
  }
  const schedule = list.map((inst, i) => {
    const what = `instalment ${i + 1}`;
    if ((inst.percent === undefined) === (inst.bps === undefined)) {
      throw new Error(
        `${what} gives its share ${inst.percent === undefined ? "neither" : "both"} in percent ${inst.percent === undefined ? "nor" : "and"} in bps: give one`,
      );
    }
    const share = inst.bps !== undefined ? bps(inst.bps, `${what}'s share`) : percentBps(inst.percent!, what);
    if (share === 0) throw new Error(`${what}'s share is zero`);
    const days = wholeDays(inst.dueAfterDays, `${what}'s due days`);
    if (days === 0) throw new Error(`${what} is due 0 days after the deal: give at least 1 day`);
    return { bps: share, dueAfter: days * Number(DAY) };
  });
  schedule.forEach((s, i) => {
    if (i > 0 && s.dueAfter <= schedule[i - 1].dueAfter) {
      throw new Error(
        `instalment ${i + 1} is due ${s.dueAfter / Number(DAY)} days after the deal, not after instalment ${i} (${schedule[i - 1].dueAfter / Number(DAY)} days): due days must increase`,
      );
    }
  });
  const sum = schedule.reduce((t, s) => t + s.bps, 0);
  if (sum !== WHOLE_BPS) {
    throw new Error(
      `the instalments' shares sum to ${sum / 100} % (${schedule.map((s) => `${s.bps / 100} %`).join(" + ")}), not 100 %`,
    );
  }
  if (schedule.length * Number(DAY) > Number(MAX_UINT32)) throw new Error("the schedule is too long");
  return schedule;
}

/** "30", "30%", "33.33" or 30 → basis points. */
function percentBps(input: number | string, what: string): number {
  const text = String(input).trim().replace(/\s*%$/, "");
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text);
  const value = m ? Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0")) : NaN;
  if (!m || value > WHOLE_BPS) {
    throw new Error(`${what}'s share "${input}" is not valid: expected a percentage such as 30 or 33.33`);
  }
  return value;
}

function wholeDays(input: number, what: string): number {
  if (!Number.isInteger(input) || input < 0 || input > 100 * YEAR_DAYS) {
    throw new Error(`${what} ${input} is not valid: expected a whole number`);
  }
  return input;
}

function bps(input: number, what: string): number {
  if (!Number.isInteger(input) || input < 0 || input > WHOLE_BPS) {
    throw new Error(`${what} ${input} is not valid: expected 0 to ${WHOLE_BPS} basis points`);
  }
  return input;
}

function code(value: bigint | number, what: string): bigint {
  const ok = typeof value === "bigint" || Number.isInteger(value);
  if (!ok || BigInt(value) < 0n || BigInt(value) > MAX_UINT32) {
    throw new Error(`${what} code ${value} is not valid: expected 0 (all) to 2^32-1`);
  }
  return BigInt(value);
}

function hash(input: string, what: string): string {
  try {
    return checkedHash(input);
  } catch {
    throw new Error(`${what} "${input}" is not valid: expected a 32-byte hash, 0x followed by 64 hex digits`);
  }
}

function listingId(input: bigint | number): bigint {
  const ok = typeof input === "bigint" || Number.isInteger(input);
  if (!ok || BigInt(input) <= 0n) throw new Error(`listing id ${input} is not valid: listings are numbered from 1`);
  return BigInt(input);
}

function achievementId(input: bigint | number | string): bigint {
  const text = String(input).trim();
  if (!/^\d+$/.test(text) || BigInt(text) === 0n) {
    throw new Error(`achievement "${input}" is not valid: expected its 12-digit registration number`);
  }
  return BigInt(text);
}

function requireMode(s: State, mode: ListingModeName): void {
  if (s.mode === mode) return;
  const how: Record<ListingModeName, string> = {
    fixed: "at a fixed price (buy it)",
    negotiated: "at a negotiated price (make an offer)",
    auction: "at auction (register and bid)",
  };
  throw new Error(`listing ${s.id} is sold ${how[s.mode]}, not ${how[mode].replace(/ \(.*$/, "")}`);
}

/** A syntax check of an amount, before the token's decimals are known. */
function checkAmountText(input: AmountInput, what: string): void {
  const ok =
    typeof input === "bigint"
      ? input >= 0n && input < 2n ** 128n
      : typeof input === "string" && /^\d+(\.\d+)?$/.test(input.trim());
  if (!ok) {
    throw new Error(
      `${what} "${String(input)}" is not valid: expected a decimal amount such as 300000.00 (or a bigint of the token's smallest unit)`,
    );
  }
}

/** Unix seconds of a Date, seconds, or an ISO 8601 string. */
function toSeconds(input: MarketTimeInput, what: string): bigint {
  let seconds: bigint | undefined;
  if (input instanceof Date) {
    if (!Number.isNaN(input.getTime())) seconds = BigInt(Math.floor(input.getTime() / 1000));
  } else if (typeof input === "bigint") {
    seconds = input;
  } else if (typeof input === "number") {
    if (Number.isInteger(input)) seconds = BigInt(input);
  } else if (typeof input === "string" && /^\d+$/.test(input.trim())) {
    seconds = BigInt(input.trim());
  } else if (typeof input === "string") {
    const text = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(input.trim()) ? `${input.trim()}Z` : input.trim();
    const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
    if (!Number.isNaN(ms)) seconds = BigInt(Math.floor(ms / 1000));
  }
  if (seconds === undefined || seconds <= 0n || seconds > MAX_UINT48) {
    throw new Error(`${what} "${String(input)}" is not a valid time: expected a Date, unix seconds or an ISO date`);
  }
  return seconds;
}

function iso(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString();
}
