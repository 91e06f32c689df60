import { AchievementStatus } from "../../src/sdk/achievement-types";
import { Scope } from "../helpers/identity";
import { ListingStatus, MilestoneStatus, Mode } from "../helpers/trade";
import { EscrowModel, WHOLE_BPS, ZERO_ADDRESS, ZERO_HASH, type ModelShare, type ModelTerms } from "./escrow-model";

/**
 * A model of the licence market, written from ILicenceMarket's NatSpec (and DESIGN §2.4), to predict
 * what the chain must do with listings of a few achievements paid in one token: every refusal (error
 * and arguments; where a call breaks several requirements, the first checked by LicenceMarket wins),
 * every event of the market and of the contracts it drives (the achievement registry's stage, the
 * licence register, the escrow a deal opens, the token's transfers), and the books: the deposits held,
 * and per bidder what it deposited, withdrew, and had moved into an escrow at its deal. The escrow a
 * deal opens is handed to an {@link EscrowModel}, which predicts its funding, release and withdrawals.
 */

export const DAY = 86_400n;
/** How long an award waits for its deal before anyone may lapse it (LicenceMarket.DEAL_WINDOW). */
export const DEAL_WINDOW = 30n * DAY;
export const MAX_INSTALMENTS = 11n;
export const MAX_UINT256 = 2n ** 256n - 1n;
const TRADE = BigInt(Scope.TRADE);
const PAYMENT = BigInt(Scope.PAYMENT);

export interface ModelInstalment {
  bps: bigint;
  dueAfter: bigint;
}

export interface ModelLicenceOffer {
  kind: bigint;
  field: bigint;
  territory: bigint;
  start: bigint;
  term: bigint;
  sublicensable: boolean;
}

/** ILicenceMarket.ListingTerms, as sent. */
export interface ModelListingTerms {
  achievement: bigint;
  centre: bigint;
  mode: Mode;
  token: string;
  price: bigint;
  minIncrement: bigint;
  deposit: bigint;
  biddingEnds: bigint;
  brokerBps: bigint;
  inventorBps: bigint;
  licence: ModelLicenceOffer;
  schedule: ModelInstalment[];
  termsHash: string;
}

export interface ModelSale {
  status: ListingStatus;
  round: bigint;
  buyer: bigint;
  dealableAt: bigint;
  handover: bigint;
  price: bigint;
  escrow: bigint;
  licence: bigint;
  dealRef: string;
}

export interface ModelBidder {
  deposit: bigint;
  registered: boolean;
  rejected: boolean;
  hasBid: boolean;
}

export interface ModelListing {
  id: bigint;
  terms: ModelListingTerms;
  lister: bigint;
  broker: bigint;
  centreFeeBps: bigint;
  sale: ModelSale;
  bidders: Map<bigint, ModelBidder>;
  approvals: Set<bigint>;
}

export interface ModelAchievement {
  /** registry.partiesOf(id, Right.Disposal), in its order. */
  disposal: bigint[];
  /** registry.holdingsOf(id, Right.Income), in its order. */
  income: ModelShare[];
  inventors: bigint[];
  status: AchievementStatus;
  /** The stage before the last publication, which delisting restores. */
  listedFrom?: AchievementStatus;
}

export interface ModelLicence {
  id: bigint;
  achievement: bigint;
  licensee: bigint;
  kind: bigint;
  field: bigint;
  territory: bigint;
  start: bigint;
  end: bigint;
}

/** Which contract declares an error or emits an event. */
export type Declarer = "market" | "identity" | "currency" | "registry" | "licences" | "escrow";

export interface Refusal {
  on: Declarer;
  error: string;
  args: unknown[];
}

export interface Emitted {
  on: Declarer;
  name: string;
  args: unknown[];
}

/** What a call must do: be refused, or emit exactly `events` and change the model by `apply`. */
export type Outcome = { refusal: Refusal } | { refusal?: undefined; events: Emitted[]; apply: () => void };

/** What the model knows of the world around the market. */
export interface MarketWorld {
  market: string;
  escrow: string;
  token: string;
  /** The account holding TRADING_CENTRE on the market. */
  centre: string;
  /** Account (lower case) → its DID; every DID listed is active, every other one is unknown. */
  dids: Map<string, bigint>;
  /** Mandates by `${org}/${representative}`: scopes and last valid second. */
  mandates: Map<string, { scopes: bigint; validUntil: bigint }>;
  noticePeriod: bigint;
  /** The escrow's inventors' reward floor. */
  floor: bigint;
  achievements: Map<bigint, ModelAchievement>;
  /** Every licence recorded before the run (ids 1..n); escrows: none. */
  licences: ModelLicence[];
  /** Each account's (lower case) allowance to the market (MAX_UINT256: unlimited, never spent). */
  allowances: Map<string, bigint>;
}

/** The offer as sent to `accept`, with who named itself as each signer and whose key really signed. */
export interface OfferCall {
  listing: bigint;
  round: bigint;
  buyer: bigint;
  price: bigint;
  expiry: bigint;
  buyerSigner: string;
  /** The account whose key made the buyer's signature of this very offer; "" when it signed another. */
  buyerSignedBy: string;
  sellerSigner: string;
  sellerSignedBy: string;
}

const refuse = (on: Declarer, error: string, ...args: unknown[]): { refusal: Refusal } => ({
  refusal: { on, error, args },
});
const marketError = (error: string, ...args: unknown[]) => refuse("market", error, ...args);
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const emit = (on: Declarer, name: string, ...args: unknown[]): Emitted => ({ on, name, args });

/** The deposits a bidder paid in, got back, and had moved into the escrow of its deal. */
export interface Ledger {
  deposited: bigint;
  withdrawn: bigint;
  moved: bigint;
}

export class MarketModel {
  readonly listings: ModelListing[] = [];
  readonly licences: ModelLicence[];
  /** The escrow the market opens deals in (escrows of this run only). */
  readonly escrow: EscrowModel;
  /** Σ deposits held: the market's token balance and liabilities. */
  held = 0n;
  readonly ledgers = new Map<bigint, Ledger>();

  constructor(
    readonly world: MarketWorld,
    escrow: EscrowModel,
  ) {
    this.escrow = escrow;
    this.licences = [...world.licences];
  }

  // ---- reads ----

  didOf(account: string): bigint {
    return this.world.dids.get(account.toLowerCase()) ?? 0n;
  }

  isActive(did: bigint): boolean {
    return did !== 0n && [...this.world.dids.values()].includes(did);
  }

  listing(id: bigint): ModelListing | undefined {
    return id >= 1n && id <= BigInt(this.listings.length) ? this.listings[Number(id) - 1] : undefined;
  }

  achievement(id: bigint): ModelAchievement {
    const a = this.world.achievements.get(id);
    if (!a) throw new Error(`the model knows no achievement ${id}`);
    return a;
  }

  ledger(did: bigint): Ledger {
    let l = this.ledgers.get(did);
    if (!l) this.ledgers.set(did, (l = { deposited: 0n, withdrawn: 0n, moved: 0n }));
    return l;
  }

  bidder(l: ModelListing, did: bigint): ModelBidder {
    return l.bidders.get(did) ?? { deposit: 0n, registered: false, rejected: false, hasBid: false };
  }

  /** Every deposit held: its listing and bidder. */
  deposits(): { l: ModelListing; did: bigint; amount: bigint }[] {
    return this.listings.flatMap((l) =>
      [...l.bidders.entries()].filter(([, b]) => b.deposit > 0n).map(([did, b]) => ({ l, did, amount: b.deposit })),
    );
  }

  /** Σ deposits of `did` held now. */
  heldOf(did: bigint): bigint {
    return this.deposits()
      .filter((d) => d.did === did)
      .reduce((sum, d) => sum + d.amount, 0n);
  }

  /**
   * How the deposit of `did` on `l` comes out: withdrawn now (a rejected or losing bidder, a listing
   * ended), after the auction closes (anyone may close it at its deadline), or by the deal or the lapse
   * of the award to that bidder; undefined if it has no way out (a bug).
   */
  pathOf(l: ModelListing, did: bigint): "withdraw" | "closeAuction" | "dealOrLapse" | undefined {
    const b = this.bidder(l, did);
    const { status, buyer } = l.sale;
    if (b.rejected) return "withdraw";
    if (status === ListingStatus.Published) return l.terms.mode === Mode.Auction ? "closeAuction" : undefined;
    if (status === ListingStatus.Awarded && buyer === did) return "dealOrLapse";
    if (status === ListingStatus.Submitted || status === ListingStatus.None) return undefined;
    return "withdraw";
  }

  /** The next times something becomes possible: deadlines, notice ends, lapses, escrow due times. */
  deadlines(): bigint[] {
    const out: bigint[] = [];
    for (const l of this.listings) {
      if (l.sale.status === ListingStatus.Published && l.terms.mode === Mode.Auction) out.push(l.terms.biddingEnds);
      if (l.sale.status === ListingStatus.Awarded) out.push(l.sale.dealableAt, l.sale.dealableAt + DEAL_WINDOW);
    }
    for (const e of this.escrow.escrows) {
      e.terms.milestones.forEach((m, i) => e.status[i] === MilestoneStatus.Funded && out.push(m.due));
    }
    return out;
  }

  // ---- the identity module and the centre ----

  /** requireActingFor(caller, did, scope): the actor's DID, or the identity module's refusal. */
  private acting(caller: string, did: bigint, scope: bigint, now: bigint): { refusal: Refusal } | { actor: bigint } {
    const actor = this.didOf(caller);
    if (actor === 0n || !this.isActive(actor) || !this.isActive(did)) {
      return refuse("identity", "IdentityNotActingFor", caller, did, scope);
    }
    if (actor === did) return { actor };
    const mandate = this.world.mandates.get(`${did}/${actor}`);
    if (!mandate) return refuse("identity", "IdentityNotActingFor", caller, did, scope);
    if (mandate.validUntil < now) return refuse("identity", "IdentityMandateExpired", did, actor, mandate.validUntil);
    if ((mandate.scopes & scope) !== scope) {
      return refuse("identity", "IdentityMandateOutOfScope", did, actor, mandate.scopes, scope);
    }
    return { actor };
  }

  /** isActingFor(signer, did, TRADE) and the signature is the signer's own of this offer. */
  private signs(did: bigint, signer: string, signedBy: string, now: bigint): boolean {
    return signedBy !== "" && same(signer, signedBy) && !("refusal" in this.acting(signer, did, TRADE, now));
  }

  /** AccessManaged's `restricted`: TRADING_CENTRE only. */
  private restricted(caller: string): { refusal: Refusal } | undefined {
    return same(caller, this.world.centre) ? undefined : marketError("AccessManagedUnauthorized", caller);
  }

  private found(id: bigint): { refusal: Refusal } | { l: ModelListing } {
    const l = this.listing(id);
    return l ? { l } : marketError("MarketUnknownListing", id);
  }

  /** The caller's DID, active and the listing's centre. */
  private centreOf(caller: string, l: ModelListing): { refusal: Refusal } | { did: bigint } {
    const did = this.didOf(caller);
    if (!this.isActive(did)) return marketError("MarketInactiveParty", did);
    if (did !== l.terms.centre) return marketError("MarketNotCentre", l.id, did);
    return { did };
  }

  private inStatus(l: ModelListing, status: ListingStatus): { refusal: Refusal } | undefined {
    return l.sale.status === status ? undefined : marketError("MarketUnexpectedStatus", l.id, BigInt(l.sale.status));
  }

  private isDisposalParty(achievement: bigint, did: bigint): boolean {
    return this.achievement(achievement).disposal.includes(did);
  }

  private approvalsRefusal(l: ModelListing): { refusal: Refusal } | undefined {
    for (const did of this.achievement(l.terms.achievement).disposal) {
      if (!l.approvals.has(did)) return marketError("MarketApprovalMissing", l.id, did);
    }
    return undefined;
  }

  private buyerRefusal(l: ModelListing, did: bigint): { refusal: Refusal } | undefined {
    if (!this.isActive(did)) return marketError("MarketInactiveParty", did);
    if (did === l.lister || did === l.broker) return marketError("MarketSellerCannotBuy", l.id, did);
    return undefined;
  }

  /** The listing ends without a deal: the achievement leaves the Listed stage if the listing put it there. */
  private end(l: ModelListing, status: ListingStatus, actor: bigint): { events: Emitted[]; apply: () => void } {
    const published = l.sale.status === ListingStatus.Published || l.sale.status === ListingStatus.Awarded;
    const a = this.achievement(l.terms.achievement);
    const delist = published && a.status === AchievementStatus.Listed;
    // Delisting restores a Licensed (or Transferred) stage; the model's achievements are never evaluated.
    const back =
      (a.listedFrom ?? AchievementStatus.Registered) >= AchievementStatus.Licensed
        ? a.listedFrom!
        : AchievementStatus.Registered;
    return {
      events: delist ? [emit("registry", "StatusChanged", l.terms.achievement, BigInt(back), actor)] : [],
      apply: () => {
        l.sale.status = status;
        if (delist) a.status = back;
      },
    };
  }

  private award(l: ModelListing, buyer: bigint, price: bigint, dealableAt: bigint) {
    return {
      event: emit("market", "ListingAwarded", l.id, buyer, price, dealableAt),
      apply: () => {
        l.sale.status = ListingStatus.Awarded;
        l.sale.buyer = buyer;
        l.sale.price = price;
        l.sale.dealableAt = dealableAt;
      },
    };
  }

  // ---- the seller side ----

  list(caller: string, t: ModelListingTerms, asDid: bigint, now: bigint): Outcome {
    const acting = this.acting(caller, asDid, TRADE, now);
    if ("refusal" in acting) return acting;
    const { actor } = acting;
    const broker = actor === asDid ? 0n : actor;
    if (!this.isActive(asDid)) return marketError("MarketInactiveParty", asDid);
    if (!this.isActive(t.centre)) return marketError("MarketInactiveParty", t.centre);
    if (!this.isDisposalParty(t.achievement, asDid)) return marketError("MarketNotDisposalParty", t.achievement, asDid);
    let priced = t.price !== 0n && t.token !== ZERO_ADDRESS;
    priced &&=
      t.mode === Mode.Auction
        ? t.deposit <= t.price && t.biddingEnds > now
        : t.deposit === 0n && t.minIncrement === 0n && t.biddingEnds === 0n;
    if (!priced) return marketError("MarketInvalidPricing", BigInt(t.mode), t.price, t.deposit, t.biddingEnds);
    const n = BigInt(t.schedule.length);
    let scheduled = n !== 0n && n <= MAX_INSTALMENTS;
    let previous = 0n;
    for (const inst of t.schedule) {
      scheduled &&= inst.bps !== 0n && inst.dueAfter > previous;
      previous = inst.dueAfter;
    }
    if (!scheduled || t.schedule.reduce((sum, i) => sum + i.bps, 0n) !== WHOLE_BPS) {
      return marketError("MarketInvalidSchedule", n, MAX_INSTALMENTS);
    }
    const { start, term } = t.licence;
    if (term === 0n || (start !== 0n && start < now)) return marketError("MarketInvalidLicence", start, term);
    const inventors = this.achievement(t.achievement).inventors.length > 0;
    if (
      (broker === 0n && t.brokerBps !== 0n) ||
      t.brokerBps + t.inventorBps >= WHOLE_BPS ||
      (inventors && t.inventorBps < this.world.floor)
    ) {
      return marketError("MarketInvalidSplit", 0n, t.brokerBps, t.inventorBps);
    }
    const id = BigInt(this.listings.length) + 1n;
    return {
      events: [
        emit(
          "market",
          "ListingSubmitted",
          id,
          t.achievement,
          asDid,
          actor,
          t.centre,
          BigInt(t.mode),
          t.token,
          t.price,
          t.termsHash,
        ),
        emit("market", "ListingApproved", id, asDid, actor),
      ],
      apply: () => {
        this.listings.push({
          id,
          terms: t,
          lister: asDid,
          broker,
          centreFeeBps: 0n,
          sale: {
            status: ListingStatus.Submitted,
            round: 0n,
            buyer: 0n,
            dealableAt: 0n,
            handover: 0n,
            price: 0n,
            escrow: 0n,
            licence: 0n,
            dealRef: ZERO_HASH,
          },
          bidders: new Map(),
          approvals: new Set([asDid]),
        });
      },
    };
  }

  approve(caller: string, id: bigint, asDid: bigint, now: bigint): Outcome {
    const acting = this.acting(caller, asDid, TRADE, now);
    if ("refusal" in acting) return acting;
    const found = this.found(id);
    if ("refusal" in found) return found;
    const { l } = found;
    if (l.sale.status > ListingStatus.Awarded) return marketError("MarketUnexpectedStatus", id, BigInt(l.sale.status));
    if (!this.isDisposalParty(l.terms.achievement, asDid)) {
      return marketError("MarketNotDisposalParty", l.terms.achievement, asDid);
    }
    return {
      events: [emit("market", "ListingApproved", id, asDid, acting.actor)],
      apply: () => void l.approvals.add(asDid),
    };
  }

  withdrawListing(caller: string, id: bigint, asDid: bigint, reasonHash: string, now: bigint): Outcome {
    const acting = this.acting(caller, asDid, TRADE, now);
    if ("refusal" in acting) return acting;
    const found = this.found(id);
    if ("refusal" in found) return found;
    const { l } = found;
    if (asDid !== l.lister) return marketError("MarketNotLister", id, asDid);
    const { status } = l.sale;
    if (status !== ListingStatus.Submitted && status !== ListingStatus.Published) {
      return marketError("MarketUnexpectedStatus", id, BigInt(status));
    }
    if (l.sale.buyer !== 0n) return marketError("MarketHasBids", id);
    const end = this.end(l, ListingStatus.Withdrawn, acting.actor);
    return {
      events: [...end.events, emit("market", "ListingWithdrawn", id, acting.actor, reasonHash)],
      apply: end.apply,
    };
  }

  // ---- the centre ----

  publish(caller: string, id: bigint, centreFeeBps: bigint, now: bigint): Outcome {
    const denied = this.restricted(caller);
    if (denied) return denied;
    const found = this.found(id);
    if ("refusal" in found) return found;
    const { l } = found;
    const centre = this.centreOf(caller, l);
    if ("refusal" in centre) return centre;
    const wrong = this.inStatus(l, ListingStatus.Submitted);
    if (wrong) return wrong;
    const t = l.terms;
    if (centreFeeBps + t.brokerBps + t.inventorBps >= WHOLE_BPS) {
      return marketError("MarketInvalidSplit", centreFeeBps, t.brokerBps, t.inventorBps);
    }
    if (t.mode === Mode.Auction && t.biddingEnds <= now) {
      return marketError("MarketInvalidPricing", BigInt(t.mode), t.price, t.deposit, t.biddingEnds);
    }
    const missing = this.approvalsRefusal(l);
    if (missing) return missing;
    const a = this.achievement(t.achievement);
    if (a.status === AchievementStatus.Listed) {
      return refuse("registry", "AchievementUnexpectedStatus", t.achievement, BigInt(a.status));
    }
    return {
      events: [
        emit("registry", "StatusChanged", t.achievement, BigInt(AchievementStatus.Listed), centre.did),
        emit("market", "ListingPublished", id, centre.did, centreFeeBps),
      ],
      apply: () => {
        l.centreFeeBps = centreFeeBps;
        l.sale.status = ListingStatus.Published;
        a.listedFrom = a.status;
        a.status = AchievementStatus.Listed;
      },
    };
  }

  cancel(caller: string, id: bigint, reasonHash: string): Outcome {
    const denied = this.restricted(caller);
    if (denied) return denied;
    if (reasonHash === ZERO_HASH) return marketError("MarketMissingReference");
    const found = this.found(id);
    if ("refusal" in found) return found;
    const { l } = found;
    const centre = this.centreOf(caller, l);
    if ("refusal" in centre) return centre;
    if (l.sale.status > ListingStatus.Awarded) return marketError("MarketUnexpectedStatus", id, BigInt(l.sale.status));
    const end = this.end(l, ListingStatus.Withdrawn, centre.did);
    return {
      events: [...end.events, emit("market", "ListingWithdrawn", id, centre.did, reasonHash)],
      apply: end.apply,
    };
  }

  rejectBidder(caller: string, id: bigint, did: bigint, reasonHash: string): Outcome {
    const denied = this.restricted(caller);
    if (denied) return denied;
    if (reasonHash === ZERO_HASH) return marketError("MarketMissingReference");
    const found = this.found(id);
    if ("refusal" in found) return found;
    const { l } = found;
    const centre = this.centreOf(caller, l);
    if ("refusal" in centre) return centre;
    const wrong = this.inStatus(l, ListingStatus.Published);
    if (wrong) return wrong;
    const b = this.bidder(l, did);
    if (!b.registered || b.rejected) return marketError("MarketNotBidder", id, did);
    if (b.hasBid) return marketError("MarketBidderHasBid", id, did);
    return {
      events: [emit("market", "BidderRejected", id, did, centre.did, reasonHash)],
      apply: () => void l.bidders.set(did, { ...b, rejected: true }),
    };
  }

  /** The escrow terms of `l`'s deal at `now`: the winner's deposit first, then the rest by the schedule. */
  escrowTermsOf(l: ModelListing, dealRef: string, now: bigint): ModelTerms {
    const a = this.achievement(l.terms.achievement);
    const deposit = this.bidder(l, l.sale.buyer).deposit;
    const schedule = l.terms.schedule;
    const milestones = deposit === 0n ? [] : [{ amount: deposit, due: now + schedule[0].dueAfter }];
    const rest = l.sale.price - deposit;
    let paid = 0n;
    schedule.forEach((inst, i) => {
      const amount = i + 1 === schedule.length ? rest - paid : (rest * inst.bps) / WHOLE_BPS;
      paid += amount;
      if (amount !== 0n) milestones.push({ amount, due: now + inst.dueAfter });
    });
    return {
      token: l.terms.token,
      dealRef,
      buyer: l.sale.buyer,
      seller: l.lister,
      broker: l.broker,
      centreFeeBps: l.centreFeeBps,
      brokerBps: l.terms.brokerBps,
      inventorBps: a.inventors.length === 0 ? 0n : l.terms.inventorBps,
      holders: a.income,
      inventors: a.inventors,
      milestones,
    };
  }

  /** The licence a deal of `l` at `now` records. */
  licenceTermsOf(l: ModelListing, now: bigint): Omit<ModelLicence, "id" | "licensee"> {
    const o = l.terms.licence;
    const start = o.start === 0n ? now : o.start;
    return {
      achievement: l.terms.achievement,
      kind: o.kind,
      field: o.field,
      territory: o.territory,
      start,
      end: start + o.term,
    };
  }

  confirmDeal(caller: string, id: bigint, dealRef: string, handover: bigint, now: bigint): Outcome {
    const denied = this.restricted(caller);
    if (denied) return denied;
    if (dealRef === ZERO_HASH) return marketError("MarketMissingReference");
    const found = this.found(id);
    if ("refusal" in found) return found;
    const { l } = found;
    const centre = this.centreOf(caller, l);
    if ("refusal" in centre) return centre;
    const wrong = this.inStatus(l, ListingStatus.Awarded);
    if (wrong) return wrong;
    const { sale } = l;
    if (now < sale.dealableAt) return marketError("MarketNoticeRunning", id, sale.dealableAt);
    const achievement = l.terms.achievement;
    const a = this.achievement(achievement);
    if (a.status !== AchievementStatus.Listed) {
      return marketError("MarketAchievementNotListed", achievement, BigInt(a.status));
    }
    if (!this.isDisposalParty(achievement, l.lister))
      return marketError("MarketNotDisposalParty", achievement, l.lister);
    const missing = this.approvalsRefusal(l);
    if (missing) return missing;
    // The licence register: a term that has ended, or a clash with a running exclusive or sole licence.
    const lt = this.licenceTermsOf(l, now);
    if (lt.end <= lt.start || lt.end <= now) return refuse("licences", "LicenceInvalidTerm", lt.start, lt.end);
    const overlaps = (x: bigint, y: bigint) => x === 0n || y === 0n || x === y;
    const NON_EXCLUSIVE = 2n;
    const clash = this.licences.find(
      (o) =>
        o.achievement === achievement &&
        o.end > now &&
        !(o.kind === NON_EXCLUSIVE && lt.kind === NON_EXCLUSIVE) &&
        lt.start < o.end &&
        o.start < lt.end &&
        overlaps(lt.field, o.field) &&
        overlaps(lt.territory, o.territory),
    );
    if (clash) return refuse("licences", "LicenceOverlap", clash.id);
    const licenceId = BigInt(this.licences.length) + 1n;
    const escrowId = BigInt(this.escrow.escrows.length) + 1n;
    const terms = this.escrowTermsOf(l, dealRef, now);
    const deposit = this.bidder(l, sale.buyer).deposit;
    const { market, escrow, token } = this.world;
    return {
      events: [
        emit(
          "licences",
          "LicenceRecorded",
          licenceId,
          achievement,
          sale.buyer,
          centre.did,
          [lt.kind, lt.field, lt.territory, lt.start, lt.end, l.terms.licence.sublicensable],
          dealRef,
        ),
        ...(deposit === 0n
          ? []
          : [
              emit("currency", "Approval", market, escrow, deposit),
              emit("currency", "Transfer", market, escrow, deposit),
            ]),
        emit("escrow", "EscrowOpened", escrowId, dealRef, centre.did, sale.buyer, l.lister, token, sale.price),
        ...(deposit === 0n ? [] : [emit("escrow", "MilestoneFunded", escrowId, 0n, sale.buyer, deposit)]),
        emit("registry", "StatusChanged", achievement, BigInt(AchievementStatus.Licensed), centre.did),
        emit(
          "market",
          "DealConfirmed",
          id,
          dealRef,
          sale.buyer,
          l.lister,
          centre.did,
          BigInt(l.terms.mode),
          sale.price,
          escrowId,
          licenceId,
          handover,
        ),
      ],
      apply: () => {
        sale.status = ListingStatus.Dealt;
        sale.handover = handover;
        sale.dealRef = dealRef;
        sale.escrow = escrowId;
        sale.licence = licenceId;
        this.licences.push({ id: licenceId, licensee: sale.buyer, ...lt });
        a.status = AchievementStatus.Licensed;
        if (deposit !== 0n) {
          l.bidders.set(sale.buyer, { ...this.bidder(l, sale.buyer), deposit: 0n });
          this.held -= deposit;
          this.ledger(sale.buyer).moved += deposit;
        }
        // The escrow opened for the centre, its first milestone prefunded with the deposit.
        const e = this.escrow;
        e.escrows.push({
          id: escrowId,
          terms,
          centre: centre.did,
          status: terms.milestones.map((_, i) =>
            i === 0 && deposit !== 0n ? MilestoneStatus.Funded : MilestoneStatus.Awaiting,
          ),
          credited: terms.milestones.map(() => 0n),
        });
        e.held += deposit;
        e.paidIn += deposit;
      },
    };
  }

  // ---- buyers ----

  buy(caller: string, id: bigint, asDid: bigint, now: bigint): Outcome {
    const acting = this.acting(caller, asDid, TRADE, now);
    if ("refusal" in acting) return acting;
    const found = this.found(id);
    if ("refusal" in found) return found;
    const { l } = found;
    if (l.terms.mode !== Mode.Fixed) return marketError("MarketWrongMode", id, BigInt(l.terms.mode));
    const wrong = this.inStatus(l, ListingStatus.Published) ?? this.buyerRefusal(l, asDid);
    if (wrong) return wrong;
    const award = this.award(l, asDid, l.terms.price, now);
    return { events: [award.event], apply: award.apply };
  }

  accept(o: OfferCall, now: bigint): Outcome {
    const found = this.found(o.listing);
    if ("refusal" in found) return found;
    const { l } = found;
    if (l.terms.mode !== Mode.Negotiated) return marketError("MarketWrongMode", l.id, BigInt(l.terms.mode));
    const wrong = this.inStatus(l, ListingStatus.Published);
    if (wrong) return wrong;
    if (o.round !== l.sale.round || o.expiry < now || o.price === 0n) {
      return marketError("MarketOfferInvalid", l.id, o.round, o.expiry);
    }
    const notBuyer = this.buyerRefusal(l, o.buyer);
    if (notBuyer) return notBuyer;
    if (!this.signs(o.buyer, o.buyerSigner, o.buyerSignedBy, now)) {
      return marketError("MarketInvalidSignature", o.buyer, o.buyerSigner);
    }
    if (!this.signs(l.lister, o.sellerSigner, o.sellerSignedBy, now)) {
      return marketError("MarketInvalidSignature", l.lister, o.sellerSigner);
    }
    const award = this.award(l, o.buyer, o.price, now + this.world.noticePeriod);
    return {
      events: [award.event],
      apply: () => {
        l.sale.round += 1n;
        award.apply();
      },
    };
  }

  registerBidder(caller: string, id: bigint, asDid: bigint, now: bigint): Outcome {
    const acting = this.acting(caller, asDid, TRADE, now);
    if ("refusal" in acting) return acting;
    const found = this.found(id);
    if ("refusal" in found) return found;
    const { l } = found;
    const t = l.terms;
    if (t.mode !== Mode.Auction) return marketError("MarketWrongMode", id, BigInt(t.mode));
    const wrong = this.inStatus(l, ListingStatus.Published);
    if (wrong) return wrong;
    if (now >= t.biddingEnds) return marketError("MarketBiddingClosed", id, t.biddingEnds);
    const notBuyer = this.buyerRefusal(l, asDid);
    if (notBuyer) return notBuyer;
    if (this.bidder(l, asDid).registered) return marketError("MarketAlreadyRegistered", id, asDid);
    const deposit = t.deposit;
    const allowance = this.allowanceOf(caller);
    if (deposit !== 0n && allowance < deposit) {
      return refuse("currency", "ERC20InsufficientAllowance", this.world.market, allowance, deposit);
    }
    return {
      events: [
        ...(deposit === 0n ? [] : [emit("currency", "Transfer", caller, this.world.market, deposit)]),
        emit("market", "BidderRegistered", id, asDid, acting.actor, deposit),
      ],
      apply: () => {
        l.bidders.set(asDid, { deposit, registered: true, rejected: false, hasBid: false });
        this.held += deposit;
        this.ledger(asDid).deposited += deposit;
        if (allowance !== MAX_UINT256) this.setAllowance(caller, allowance - deposit);
      },
    };
  }

  /** The least bid `l` takes now: the reserve, or the highest bid plus the increment (at least 1). */
  minimumBid(l: ModelListing): bigint {
    if (l.sale.buyer === 0n) return l.terms.price;
    return l.sale.price + (l.terms.minIncrement === 0n ? 1n : l.terms.minIncrement);
  }

  bid(caller: string, id: bigint, amount: bigint, asDid: bigint, now: bigint): Outcome {
    const acting = this.acting(caller, asDid, TRADE, now);
    if ("refusal" in acting) return acting;
    const found = this.found(id);
    if ("refusal" in found) return found;
    const { l } = found;
    const t = l.terms;
    if (t.mode !== Mode.Auction) return marketError("MarketWrongMode", id, BigInt(t.mode));
    const wrong = this.inStatus(l, ListingStatus.Published);
    if (wrong) return wrong;
    if (now >= t.biddingEnds) return marketError("MarketBiddingClosed", id, t.biddingEnds);
    const b = this.bidder(l, asDid);
    if (!b.registered || b.rejected) return marketError("MarketNotBidder", id, asDid);
    const minimum = this.minimumBid(l);
    if (amount < minimum) return marketError("MarketBidTooLow", id, amount, minimum);
    return {
      events: [emit("market", "BidPlaced", id, asDid, acting.actor, amount)],
      apply: () => {
        l.bidders.set(asDid, { ...b, hasBid: true });
        l.sale.buyer = asDid;
        l.sale.price = amount;
      },
    };
  }

  closeAuction(id: bigint, now: bigint): Outcome {
    const found = this.found(id);
    if ("refusal" in found) return found;
    const { l } = found;
    const t = l.terms;
    if (t.mode !== Mode.Auction) return marketError("MarketWrongMode", id, BigInt(t.mode));
    const wrong = this.inStatus(l, ListingStatus.Published);
    if (wrong) return wrong;
    if (now < t.biddingEnds) return marketError("MarketBiddingOpen", id, t.biddingEnds);
    const closed = emit("market", "AuctionClosed", id, l.sale.buyer, l.sale.price);
    if (l.sale.buyer === 0n) {
      const end = this.end(l, ListingStatus.Lapsed, 0n);
      return { events: [closed, ...end.events, emit("market", "ListingLapsed", id)], apply: end.apply };
    }
    const award = this.award(l, l.sale.buyer, l.sale.price, now);
    return { events: [closed, award.event], apply: award.apply };
  }

  lapse(id: bigint, now: bigint): Outcome {
    const found = this.found(id);
    if ("refusal" in found) return found;
    const { l } = found;
    const wrong = this.inStatus(l, ListingStatus.Awarded);
    if (wrong) return wrong;
    const lapsesAt = l.sale.dealableAt + DEAL_WINDOW;
    if (now < lapsesAt) return marketError("MarketAwardRunning", id, lapsesAt);
    const end = this.end(l, ListingStatus.Lapsed, 0n);
    return { events: [...end.events, emit("market", "ListingLapsed", id)], apply: end.apply };
  }

  withdrawDeposit(caller: string, id: bigint, did: bigint, to: string, now: bigint): Outcome {
    const acting = this.acting(caller, did, PAYMENT, now);
    if ("refusal" in acting) return acting;
    const found = this.found(id);
    if ("refusal" in found) return found;
    const { l } = found;
    const b = this.bidder(l, did);
    const amount = b.deposit;
    if (amount === 0n) return marketError("MarketNothingToWithdraw", id, did);
    const { status, buyer } = l.sale;
    const locked = status === ListingStatus.Published || (status === ListingStatus.Awarded && buyer === did);
    if (locked && !b.rejected) return marketError("MarketDepositLocked", id, did);
    return {
      events: [
        emit("market", "DepositWithdrawn", id, did, to, amount),
        emit("currency", "Transfer", this.world.market, to, amount),
      ],
      apply: () => {
        l.bidders.set(did, { ...b, deposit: 0n });
        this.held -= amount;
        this.ledger(did).withdrawn += amount;
      },
    };
  }

  // ---- the token ----

  allowanceOf(account: string): bigint {
    return this.world.allowances.get(account.toLowerCase()) ?? 0n;
  }

  setAllowance(account: string, value: bigint): void {
    this.world.allowances.set(account.toLowerCase(), value);
  }

  /** `owner` approves the market for `value`. */
  approveMarket(owner: string, value: bigint): Outcome {
    return {
      events: [emit("currency", "Approval", owner, this.world.market, value)],
      apply: () => this.setAllowance(owner, value),
    };
  }
}
