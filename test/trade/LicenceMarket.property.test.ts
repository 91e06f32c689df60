import { expect } from "chai";
import fc from "fast-check";
import { ethers, network } from "hardhat";
import { takeSnapshot, time, type SnapshotRestorer } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import {
  MaxUint256,
  TypedDataEncoder,
  ZeroAddress,
  ZeroHash,
  type BaseContract,
  type ContractTransaction,
  type Interface,
  type Result,
} from "ethers";
import { envInt } from "../../config/env";
import { AchievementStatus, Right } from "../../src/sdk/achievement-types";
import { register, registrationOf, type Party } from "../helpers/achievement";
import { DidKind, hashOf, registerDid, Scope } from "../helpers/identity";
import { ListingStatus, MilestoneStatus, Mode, tradeFixture, type TradeModule } from "../helpers/trade";
import { EscrowModel, type Outcome as EscrowOutcome } from "./escrow-model";
import {
  DAY,
  DEAL_WINDOW,
  MAX_UINT256,
  MarketModel,
  type Declarer,
  type Emitted,
  type MarketWorld,
  type ModelAchievement,
  type ModelBidder,
  type ModelInstalment,
  type ModelLicence,
  type ModelListing,
  type ModelListingTerms,
  type OfferCall,
  type Outcome,
  type Refusal,
} from "./market-model";

/**
 * fast-check parameters: GOVLEDGER_MARKET_PROPERTY_RUNS runs, or `fallback` (1,000). The test gets
 * 1 s a run (90 s at least); a run or shrink past that fails the test with the smallest counterexample so far.
 */
function params(test: Mocha.Context, fallback: number): fc.Parameters<unknown> {
  const numRuns = envInt("GOVLEDGER_MARKET_PROPERTY_RUNS", fallback);
  const limit = Math.max(90_000, numRuns * 1_000);
  test.timeout(limit + 60_000);
  return { numRuns, interruptAfterTimeLimit: limit, markInterruptAsFailure: true };
}

/** A DID nobody registered. */
const UNKNOWN_DID = 999_999n;
const REASON = hashOf("objection in the notice period (公示期异议)");
/** EIP-712 type of an offer (LicenceMarket.OFFER_TYPEHASH); checked against the market's offerHash. */
const OFFER_TYPES = {
  Offer: [
    { name: "listing", type: "uint256" },
    { name: "round", type: "uint32" },
    { name: "buyer", type: "uint64" },
    { name: "price", type: "uint128" },
    { name: "expiry", type: "uint48" },
  ],
};
/**
 * Every transaction is sent as a raw eth_sendTransaction with this much gas (no estimate; a refused one
 * is mined like the rest), its receipt read and its logs decoded here: a third of the round trips of a
 * contract call through ethers, which lets 1,000 runs finish in minutes.
 */
const GAS = "0x4c4b40";
/** A transaction to send: the sender, and the call as a contract's `populateTransaction` builds it. */
type Send = [string, Promise<ContractTransaction>];

// ---- arbitraries ----

const rare = fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
const mostly = <T>(main: T, ...others: T[]): fc.Arbitrary<T> =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(main) }, { weight: 2, arbitrary: fc.constantFrom(...others) });

/** How a listing's terms are spoiled, if at all. */
const LIST_FLAWS = [
  "impostor",
  "outsiderLists",
  "inactiveCentre",
  "otherCentre",
  "zeroPrice",
  "noToken",
  "depositAboveReserve",
  "deadlinePassed",
  "pricingOutOfMode",
  "noSchedule",
  "sharesOff",
  "dueNotIncreasing",
  "tooManyInstalments",
  "zeroTerm",
  "pastStart",
  "brokerless",
  "belowFloor",
  "splitTooHigh",
] as const;
type ListFlaw = "none" | (typeof LIST_FLAWS)[number];

interface ListingSpec {
  /** Index of the achievement: 0 co-owned by the university and the team, 1 the university's, 2 the bank's. */
  achievement: number;
  /** The holder itself, its co-owner (the team, for achievement 0), or the broker under the holder's mandate. */
  lister: "holder" | "coOwner" | "broker";
  mode: Mode;
  price: bigint;
  depositBps: number;
  minIncrement: bigint;
  biddingIn: number;
  brokerBps: number;
  inventorExtra: number;
  kind: number;
  field: number;
  territory: number;
  /** 0: the licence starts at the deal; else that many seconds after the listing. */
  startIn: number;
  term: number;
  cuts: number[];
  gaps: number[];
  flaw: ListFlaw;
  delta: number;
}

/** Prices of a few fen, where rounding is most of a split, or up to 50,000.00. */
const price = fc.oneof(fc.bigInt({ min: 1n, max: 999n }), fc.bigInt({ min: 1_000n, max: 5_000_000n }));

function listingSpec(flaw: fc.Arbitrary<ListFlaw>): fc.Arbitrary<ListingSpec> {
  return fc.record({
    achievement: fc.nat(2),
    lister: fc.constantFrom("holder" as const, "coOwner" as const, "broker" as const),
    mode: fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom(Mode.Fixed, Mode.Negotiated) },
      { weight: 1, arbitrary: fc.constant(Mode.Auction) },
    ),
    price,
    depositBps: fc.oneof(fc.constantFrom(0, 10_000), fc.integer({ min: 1, max: 10_000 })),
    minIncrement: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 1_000n })),
    biddingIn: fc.oneof(
      fc.integer({ min: 3_600, max: 3 * Number(DAY) }),
      fc.integer({ min: 3_600, max: 20 * Number(DAY) }),
    ),
    brokerBps: fc.integer({ min: 0, max: 1_500 }),
    inventorExtra: fc.integer({ min: 0, max: 2_000 }),
    kind: fc.nat(2),
    field: fc.constantFrom(480, 480, 480, 481, 0),
    territory: fc.constantFrom(0, 310000),
    startIn: fc.oneof(
      { weight: 3, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 * Number(DAY) }) },
    ),
    term: fc.constantFrom(30 * Number(DAY), 365 * Number(DAY), 5 * 365 * Number(DAY)),
    cuts: fc.uniqueArray(fc.integer({ min: 1, max: 9_999 }), { maxLength: 2 }),
    gaps: fc.array(fc.integer({ min: 1, max: 60 * Number(DAY) }), { minLength: 3, maxLength: 3 }),
    flaw,
    delta: fc.integer({ min: 1, max: 500 }),
  });
}

/**
 * Which listing a step names: mostly (`aim`) the n-th of those in the state the step needs, else the
 * n-th listing whatever its state; `stray` names a listing that does not exist.
 */
interface Target {
  n: number;
  aim: boolean;
  stray: boolean;
}

const target: fc.Arbitrary<Target> = fc.record({
  n: fc.nat(11),
  aim: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  stray: fc.oneof({ weight: 20, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

/** Which escrow milestone a step names: mostly one in the status the step needs. */
interface EscrowTarget {
  e: number;
  ms: number;
  aim: boolean;
}

const escrowTarget: fc.Arbitrary<EscrowTarget> = fc.record({
  e: fc.nat(11),
  ms: fc.nat(11),
  aim: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
});

/** Buyers and bidders: the buyer company, two more companies, the broker, the university, the outsider (a person). */
const BUYER_COUNT = 6;
const buyerIndex = fc.oneof({ weight: 4, arbitrary: fc.nat(2) }, { weight: 1, arbitrary: fc.nat(BUYER_COUNT - 1) });
/** Payees of the escrow: the centre, the university, the team, the inventor, the bank and the broker. */
const PAYEE_COUNT = 6;

type AcceptMode =
  | "agreed"
  | "lastSecond"
  | "expired"
  | "staleRound"
  | "zeroPrice"
  | "forgedBuyer"
  | "forgedSeller"
  | "wrongKey"
  | "tampered";
type Pay = "standing" | "approve" | "short";

type Step =
  | { kind: "list"; spec: ListingSpec }
  | { kind: "approve"; at: Target; who: number; aim: boolean; impostor: boolean }
  | { kind: "publish"; at: Target; fee: number; feeTooHigh: boolean; outsider: boolean }
  | { kind: "buy"; at: Target; buyer: number; impostor: boolean }
  | { kind: "accept"; at: Target; buyer: number; priceBps: number; mode: AcceptMode; signer: "holder" | "broker" }
  | { kind: "registerBidder"; at: Target; bidder: number; aim: boolean; impostor: boolean; pay: Pay }
  | {
      kind: "rejectBidder";
      at: Target;
      bidder: number;
      aim: "fresh" | "bidder" | "any";
      noReason: boolean;
      outsider: boolean;
    }
  | {
      kind: "bid";
      at: Target;
      bidder: number;
      aim: boolean;
      impostor: boolean;
      amount: "min" | "above" | "low";
      extra: bigint;
    }
  | { kind: "closeAuction"; at: Target }
  | { kind: "cancel"; at: Target; noReason: boolean; outsider: boolean }
  | { kind: "withdrawListing"; at: Target; who: "lister" | "broker" | "other" | "impostor" }
  | { kind: "confirmDeal"; at: Target; noRef: boolean; outsider: boolean }
  | { kind: "lapse"; at: Target }
  | { kind: "withdrawDeposit"; at: Target; bidder: number; aim: boolean; who: "bidder" | "impostor" | "broker" }
  | { kind: "advance"; seconds: number }
  | { kind: "advanceTo"; n: number; offset: number }
  | { kind: "escrowFund"; at: EscrowTarget; impostor: boolean }
  | { kind: "escrowConfirm"; at: EscrowTarget; who: "buyer" | "centre" | "seller" }
  | { kind: "escrowWithdraw"; payee: number; aim: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("list" as const),
      spec: listingSpec(
        fc.oneof(
          { weight: 2, arbitrary: fc.constant("none" as const) },
          { weight: 1, arbitrary: fc.constantFrom(...LIST_FLAWS) },
        ),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("approve" as const),
      at: target,
      who: fc.nat(3),
      aim: fc.boolean(),
      impostor: rare,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("publish" as const),
      at: target,
      fee: fc.integer({ min: 0, max: 1_500 }),
      feeTooHigh: rare,
      outsider: rare,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("buy" as const), at: target, buyer: buyerIndex, impostor: rare }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("accept" as const),
      at: target,
      buyer: buyerIndex,
      priceBps: fc.integer({ min: 5_000, max: 15_000 }),
      mode: mostly<AcceptMode>(
        "agreed",
        "lastSecond",
        "expired",
        "staleRound",
        "zeroPrice",
        "forgedBuyer",
        "forgedSeller",
        "wrongKey",
        "tampered",
      ),
      signer: fc.constantFrom("holder" as const, "broker" as const),
    }),
  },
  {
    weight: 7,
    arbitrary: fc.record({
      kind: fc.constant("registerBidder" as const),
      at: target,
      bidder: buyerIndex,
      aim: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      impostor: rare,
      pay: fc.oneof(
        { weight: 8, arbitrary: fc.constant<Pay>("standing") },
        { weight: 1, arbitrary: fc.constantFrom<Pay>("approve", "short") },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("rejectBidder" as const),
      at: target,
      bidder: buyerIndex,
      aim: mostly("fresh" as const, "bidder" as const, "any" as const),
      noReason: rare,
      outsider: rare,
    }),
  },
  {
    weight: 7,
    arbitrary: fc.record({
      kind: fc.constant("bid" as const),
      at: target,
      bidder: buyerIndex,
      aim: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      impostor: rare,
      amount: mostly("min" as const, "above" as const, "low" as const),
      extra: fc.bigInt({ min: 0n, max: 100_000n }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("closeAuction" as const), at: target }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("cancel" as const), at: target, noReason: rare, outsider: rare }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("withdrawListing" as const),
      at: target,
      who: mostly("lister" as const, "broker" as const, "other" as const, "impostor" as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("confirmDeal" as const), at: target, noRef: rare, outsider: rare }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("lapse" as const), at: target }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("withdrawDeposit" as const),
      at: target,
      bidder: buyerIndex,
      aim: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      who: mostly("bidder" as const, "impostor" as const, "broker" as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("advance" as const),
      seconds: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 60, max: 3_600 }) },
        { weight: 2, arbitrary: fc.integer({ min: 3_600, max: 2 * Number(DAY) }) },
        { weight: 1, arbitrary: fc.integer({ min: Number(DAY), max: 40 * Number(DAY) }) },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("advanceTo" as const),
      n: fc.nat(11),
      offset: fc.constantFrom(-1, 0, 0, 1),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("escrowFund" as const), at: escrowTarget, impostor: rare }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("escrowConfirm" as const),
      at: escrowTarget,
      who: mostly("buyer" as const, "centre" as const, "seller" as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("escrowWithdraw" as const),
      payee: fc.nat(PAYEE_COUNT - 1),
      aim: fc.boolean(),
    }),
  },
);

interface Scenario {
  /** Listings submitted, approved and published before the steps, of distinct achievements. */
  prefix: { achievement: number; spec: ListingSpec; fee: number; mode?: Mode }[];
  steps: Step[];
  /** For each award left at the end: confirm the deal (or, refused, let it lapse), or let it lapse. */
  deal: boolean[];
  /** For each escrow opened: fund its milestones, confirm them (by whom), and let the payees withdraw. */
  settle: { fund: boolean; confirm: "buyer" | "centre" | "none"; withdraw: boolean }[];
}

const MAX_LISTINGS = 16;
const scenario: fc.Arbitrary<Scenario> = fc.record({
  prefix: fc.shuffledSubarray([0, 1, 2], { minLength: 1, maxLength: 3 }).chain((achievements) =>
    fc.tuple(
      ...achievements.map((achievement, i) =>
        fc.record({
          achievement: fc.constant(achievement),
          spec: listingSpec(fc.constant("none" as const)),
          fee: fc.integer({ min: 0, max: 1_500 }),
          // Mostly an auction first: bidders need one running to register and bid.
          mode:
            i === 0
              ? fc.oneof(
                  { weight: 3, arbitrary: fc.constant(Mode.Auction) },
                  { weight: 1, arbitrary: fc.constant(undefined) },
                )
              : fc.constant(undefined),
        }),
      ),
    ),
  ),
  steps: fc.array(step, { minLength: 4, maxLength: 16 }),
  deal: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), {
    minLength: MAX_LISTINGS,
    maxLength: MAX_LISTINGS,
  }),
  settle: fc.array(
    fc.record({
      fund: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      confirm: fc.constantFrom(
        "buyer" as const,
        "centre" as const,
        "buyer" as const,
        "centre" as const,
        "none" as const,
      ),
      withdraw: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    }),
    { minLength: MAX_LISTINGS, maxLength: MAX_LISTINGS },
  ),
});

// ---- running steps against the chain and the model ----

const show = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));
/** An event as compared: addresses and hashes in lower case, structs as arrays. */
const canon = (e: Emitted) => `${e.on}.${e.name}${show(e.args)}`.toLowerCase();

/** Turns decoded values (ethers Results, nested) into plain arrays. */
function plain(value: unknown): unknown {
  return Array.isArray(value) ? Array.from(value as unknown[], plain) : value;
}

interface Tally {
  ok: number;
  refused: Map<string, number>;
  /** Random steps of this kind that aimed at a listing or milestone in a state none was in. */
  skipped: number;
}

/** What every call did across all runs (shrinks included): printed at the end, and some must have happened. */
const tally = new Map<string, Tally>();
const counts = { runs: 0, steps: 0, skipped: 0, awards: 0, deals: 0, depositsMoved: 0, withdrawals: 0, lapses: 0 };
/** Thrown by a step that aims at a listing or milestone in a state none is in: it sends nothing. */
const SKIP = new Error("nothing to aim at");

function record(call: string, refusal?: Refusal | "skipped"): void {
  let t = tally.get(call);
  if (!t) tally.set(call, (t = { ok: 0, refused: new Map(), skipped: 0 }));
  if (!refusal) t.ok += 1;
  else if (refusal === "skipped") t.skipped += 1;
  else t.refused.set(refusal.error, (t.refused.get(refusal.error) ?? 0) + 1);
}

interface Suite {
  m: TradeModule;
  chainId: bigint;
  token: string;
  market: string;
  escrow: string;
  floor: bigint;
  noticePeriod: bigint;
  /** The licence recorded before the runs (a sole licence of achievement 2 for 90 days). */
  licences: ModelLicence[];
  achievements: bigint[];
  /** What the registry says of each achievement in the snapshot. */
  registry: Map<bigint, ModelAchievement>;
  buyers: Party[];
  payees: Party[];
  parties: Party[];
  /** The DID each achievement's listings are made for (its first disposal-right holder), and its co-owner. */
  holders: Party[];
  coOwners: Party[];
  /** The broker's mandates (trade scope) from the university (10 years) and the bank (10 days). */
  mandates: Map<string, { scopes: bigint; validUntil: bigint }>;
  declaring: Record<Declarer, BaseContract>;
  emitters: Map<string, { on: Declarer; iface: Interface }>;
}

/** One random sequence: the chain, the model, the clock, and what the chain's events moved per bidder. */
class Run {
  readonly model: MarketModel;
  clock = 0n;
  dealCount = 0;
  /** The listing the last step named. */
  touched?: bigint;
  /** Per bidder, from the chain's events: deposited (BidderRegistered), withdrawn, moved into an escrow. */
  readonly events = new Map<bigint, { deposited: bigint; withdrawn: bigint; moved: bigint }>();

  constructor(readonly s: Suite) {
    const { m } = s;
    const dids = new Map(s.parties.map((p) => [p.address.toLowerCase(), p.did]));
    dids.set(m.arbitrator.address.toLowerCase(), m.arbitrator.did);
    const escrow = new EscrowModel({
      token: s.token,
      escrow: s.escrow,
      floor: s.floor,
      dids,
      centre: m.centre.address,
      arbitrator: m.arbitrator.address,
      guardian: m.guardian.address,
      council: m.councilSigner.address,
      payer: m.buyer.address,
    });
    // Every buyer approved the escrow without limit in the snapshot.
    escrow.allowance = MAX_UINT256;
    const world: MarketWorld = {
      market: s.market,
      escrow: s.escrow,
      token: s.token,
      centre: m.centre.address,
      dids,
      mandates: s.mandates,
      noticePeriod: s.noticePeriod,
      floor: s.floor,
      achievements: new Map(
        [...s.registry].map(([id, a]) => [id, { ...a, status: a.status }] as [bigint, ModelAchievement]),
      ),
      licences: s.licences,
      allowances: new Map(s.buyers.map((p) => [p.address.toLowerCase(), MAX_UINT256])),
    };
    this.model = new MarketModel(world, escrow);
  }

  async start(): Promise<void> {
    this.clock = BigInt(await time.latest());
  }

  /** Fixes the next block's timestamp and returns it. */
  async tick(): Promise<bigint> {
    const at = this.clock + 1n;
    await time.setNextBlockTimestamp(at);
    return at;
  }

  partyOf(did: bigint): Party {
    return this.s.parties.find((p) => p.did === did) ?? this.s.m.outsider;
  }

  /**
   * Sends a call the model judged: expects the refusal it predicts (error and arguments), or success
   * with exactly the events it predicts from the market, the registry, the licence register, the escrow
   * and the token; then checks the books. True when the call succeeded.
   */
  async expect(call: string, [from, request]: Send, outcome: Outcome, at: bigint, label: string): Promise<boolean> {
    const { to, data } = await request;
    const sent = network.provider.send("eth_sendTransaction", [{ from, to, data, gas: GAS }]);
    if (outcome.refusal) {
      const { on, error, args } = outcome.refusal;
      const reverted = await sent.then(
        () => undefined,
        (e: { data?: string }) => e,
      );
      const expected = `${on}.${error}(${show(args)})`;
      expect(reverted?.data, `${label}: expected ${expected}, but the call succeeded or failed without data`).to.be.a(
        "string",
      );
      const decoded = this.s.declaring[on].interface.parseError(reverted?.data ?? "0x");
      expect(
        decoded ? `${on}.${decoded.name}${show(plain(decoded.args))}`.toLowerCase() : reverted?.data,
        `${label}: the refusal`,
      ).to.equal(`${on}.${error}${show(args)}`.toLowerCase());
      this.clock = at;
      record(call, outcome.refusal);
      await this.checkBooks(label);
      return false;
    }
    const hash = await sent.catch((e: { data?: string; message?: string }) => {
      throw new Error(`${label}: expected success, but the chain refused: ${this.describe(e.data) ?? e.message}`);
    });
    const receipt = (await network.provider.send("eth_getTransactionReceipt", [hash])) as {
      status: string;
      logs: { address: string; topics: string[]; data: string }[];
    };
    expect(receipt.status, `${label}: status`).to.equal("0x1");
    this.clock = at;
    const got: Emitted[] = receipt.logs.map((log) => {
      const emitter = this.s.emitters.get(log.address.toLowerCase());
      const parsed = emitter?.iface.parseLog(log);
      if (!emitter || !parsed) throw new Error(`${label}: an unexpected log of ${log.address}`);
      return { on: emitter.on, name: parsed.name, args: plain(parsed.args) as unknown[] };
    });
    expect(got.map(canon).sort(), `${label}: events`).to.deep.equal(outcome.events.map(canon).sort());
    this.tallyEvents(got);
    outcome.apply();
    record(call);
    await this.checkBooks(label);
    return true;
  }

  /** A revert's data as a custom error of one of the contracts. */
  describe(data?: string): string | undefined {
    for (const [on, c] of Object.entries(this.s.declaring)) {
      const e = data ? c.interface.parseError(data) : null;
      if (e) return `${on}.${e.name}${show(plain(e.args))}`;
    }
    return undefined;
  }

  /** Calls view `fn` of the `on` contract (raw eth_call: this runs after every step) and decodes its result. */
  async read(on: Declarer, fn: string, args: unknown[]): Promise<Result> {
    const contract = this.s.declaring[on];
    const data = contract.interface.encodeFunctionData(fn, args);
    const out = await network.provider.send("eth_call", [{ to: contract.target, data }, "latest"]);
    return contract.interface.decodeFunctionResult(fn, out);
  }

  /** The deposits the chain's events say went in, came out, and moved into escrows. */
  tallyEvents(got: Emitted[]): void {
    const of = (did: bigint) => {
      let e = this.events.get(did);
      if (!e) this.events.set(did, (e = { deposited: 0n, withdrawn: 0n, moved: 0n }));
      return e;
    };
    for (const e of got) {
      const [, b, , d] = e.args as bigint[];
      if (e.on === "market" && e.name === "BidderRegistered") of(b).deposited += d;
      if (e.on === "market" && e.name === "DepositWithdrawn") of(b).withdrawn += d;
      if (e.on === "market" && e.name === "ListingAwarded") counts.awards += 1;
      if (e.on === "market" && e.name === "ListingLapsed") counts.lapses += 1;
      if (e.on === "market" && e.name === "DealConfirmed") counts.deals += 1;
      // The winner's deposit, prefunding milestone 0 of the escrow its deal opens.
      if (e.on === "escrow" && e.name === "MilestoneFunded" && got.some((x) => x.name === "DealConfirmed")) {
        of(e.args[2] as bigint).moved += e.args[3] as bigint;
        counts.depositsMoved += 1;
      }
    }
  }

  /**
   * After every call: the market's token balance is its liabilities and the deposits the model holds;
   * the escrow's is what it holds plus what it owes, as its model says; per bidder, deposited ==
   * withdrawn + moved into escrows + still held; and every deposit still held has a way out.
   */
  async checkBooks(label: string): Promise<void> {
    const { token, market, escrow } = this.s;
    const [[balance], [liabilities], [escrowBalance], [held, owed]] = await Promise.all([
      this.read("currency", "balanceOf", [market]),
      this.read("market", "liabilities", [token]),
      this.read("currency", "balanceOf", [escrow]),
      this.read("escrow", "liabilities", [token]),
    ]);
    const { model } = this;
    expect([balance, liabilities], `${label}: market balance, liabilities == deposits held`).to.deep.equal([
      model.held,
      model.held,
    ]);
    expect(escrowBalance, `${label}: escrow balance == held + owed`).to.equal(held + owed);
    expect([held, owed], `${label}: escrow held, owed`).to.deep.equal([model.escrow.held, model.escrow.owed]);
    for (const [did, l] of model.ledgers) {
      expect(l.deposited, `${label}: ${did} deposited == withdrawn + moved + held`).to.equal(
        l.withdrawn + l.moved + model.heldOf(did),
      );
      const e = this.events.get(did) ?? { deposited: 0n, withdrawn: 0n, moved: 0n };
      expect([e.deposited, e.withdrawn, e.moved], `${label}: ${did}'s deposits by the events`).to.deep.equal([
        l.deposited,
        l.withdrawn,
        l.moved,
      ]);
    }
    for (const d of model.deposits()) {
      expect(model.pathOf(d.l, d.did), `${label}: a way out for ${d.did}'s deposit on ${d.l.id}`).to.not.equal(
        undefined,
      );
    }
  }

  /** The sale of `l` on the chain is the model's. */
  async checkSale(l: ModelListing, label: string): Promise<void> {
    const [s] = await this.read("market", "saleOf", [l.id]);
    const x = l.sale;
    expect(
      [s.status, s.round, s.buyer, s.dealableAt, s.handover, s.price, s.escrow, s.licence, s.dealRef],
      `${label}: saleOf(${l.id})`,
    ).to.deep.equal([
      BigInt(x.status),
      x.round,
      x.buyer,
      x.dealableAt,
      x.handover,
      x.price,
      x.escrow,
      x.licence,
      x.dealRef,
    ]);
  }

  async checkListing(l: ModelListing, label: string): Promise<void> {
    const r = await this.s.m.market.listingOf(l.id);
    const t = l.terms;
    expect(
      [r.achievement, r.lister, r.broker, r.centre, r.mode, r.price, r.deposit, r.minIncrement, r.biddingEnds],
      `${label}: listingOf(${l.id})`,
    ).to.deep.equal([
      t.achievement,
      l.lister,
      l.broker,
      t.centre,
      BigInt(t.mode),
      t.price,
      t.deposit,
      t.minIncrement,
      t.biddingEnds,
    ]);
    expect([r.brokerBps, r.inventorBps, r.centreFeeBps], `${label}: listingOf(${l.id}) shares`).to.deep.equal([
      t.brokerBps,
      t.inventorBps,
      l.centreFeeBps,
    ]);
  }

  /** The escrow and licence a deal opened are what the listing promised. */
  async checkDeal(l: ModelListing, label: string): Promise<void> {
    const { m } = this.s;
    const e = this.model.escrow.escrow(l.sale.escrow);
    if (!e) throw new Error(`${label}: the model opened no escrow ${l.sale.escrow}`);
    const t = e.terms;
    const [stored, [holders, inventors], milestones, licence] = await Promise.all([
      m.escrow.escrowOf(e.id),
      m.escrow.payeesOf(e.id),
      Promise.all(t.milestones.map((_, i) => m.escrow.milestoneOf(e.id, i))),
      m.licences.licenceOf(l.sale.licence),
    ]);
    expect(
      [stored.buyer, stored.seller, stored.centre, stored.broker, stored.centreFeeBps, stored.brokerBps],
      `${label}: escrowOf(${e.id})`,
    ).to.deep.equal([t.buyer, t.seller, e.centre, t.broker, t.centreFeeBps, t.brokerBps]);
    expect([stored.inventorBps, stored.dealRef, stored.milestoneCount], `${label}: escrowOf(${e.id})`).to.deep.equal([
      t.inventorBps,
      t.dealRef,
      BigInt(t.milestones.length),
    ]);
    expect(plain(holders), `${label}: holders`).to.deep.equal(t.holders.map((h) => [h.did, h.bps]));
    expect(plain(inventors), `${label}: inventors`).to.deep.equal(t.inventors);
    expect(
      milestones.map(([ms, status]) => [ms.amount, ms.due, status]),
      `${label}: milestones of ${e.id}`,
    ).to.deep.equal(t.milestones.map((ms, i) => [ms.amount, ms.due, BigInt(e.status[i])]));
    const x = this.model.licences.find((c) => c.id === l.sale.licence);
    expect(
      [licence.achievement, licence.licensee, licence.terms.kind, licence.terms.start, licence.terms.end],
      `${label}: licenceOf(${l.sale.licence})`,
    ).to.deep.equal([x?.achievement, x?.licensee, x?.kind, x?.start, x?.end]);
  }

  /** Every listing, bidder and achievement on the chain is the model's. */
  async checkAll(label: string): Promise<void> {
    const { m } = this.s;
    const { model } = this;
    expect(await m.market.listingCount(), `${label}: listingCount`).to.equal(BigInt(model.listings.length));
    for (const l of model.listings) {
      await this.checkSale(l, label);
      for (const [did, b] of l.bidders) {
        const r = await m.market.bidderOf(l.id, did);
        expect([r.deposit, r.registered, r.rejected, r.hasBid], `${label}: bidderOf(${l.id}, ${did})`).to.deep.equal([
          b.deposit,
          b.registered,
          b.rejected,
          b.hasBid,
        ]);
      }
    }
    for (const id of this.s.achievements) {
      const a = await m.achievements.getAchievement(id);
      expect(a.status, `${label}: stage of achievement ${id}`).to.equal(BigInt(model.achievement(id).status));
    }
  }

  // ---- naming ----

  /** The listing `t` names, aiming at those `wanted` accepts (a stray one: 0 or the next id); noted as touched. */
  named(t: Target, wanted: (l: ModelListing) => boolean): bigint {
    const { listings } = this.model;
    const aimed = listings.filter(wanted);
    let id: bigint;
    if (listings.length === 0 || t.stray) id = t.n % 2 === 0 ? BigInt(listings.length + 1) : 0n;
    else if (t.aim && aimed.length > 0) id = aimed[t.n % aimed.length].id;
    else if (t.aim) throw SKIP;
    else id = listings[t.n % listings.length].id;
    this.touched = id;
    return id;
  }

  /** The escrow milestone `t` names, aiming at those in `wanted`. */
  namedMilestone(t: EscrowTarget, wanted: MilestoneStatus): { id: bigint; ms: number } {
    const { escrows } = this.model.escrow;
    if (escrows.length === 0 && t.aim) throw SKIP;
    if (escrows.length === 0) return { id: 1n, ms: 0 };
    const aimed = this.model.escrow.milestonesIn(wanted);
    if (t.aim && aimed.length > 0) {
      const [id, ms] = aimed[(t.e * 12 + t.ms) % aimed.length];
      return { id, ms };
    }
    if (t.aim) throw SKIP;
    const e = escrows[t.e % escrows.length];
    return { id: e.id, ms: t.ms % e.status.length };
  }

  /** The buyer index `n` names, or (when `aim`) the n-th of those `wanted` accepts (none: the step is skipped). */
  namedBidder(n: number, aim: boolean, wanted: (did: bigint) => boolean): Party {
    const { buyers } = this.s;
    const aimed = buyers.filter((p) => wanted(p.did));
    if (aim && aimed.length === 0) throw SKIP;
    return aim ? aimed[n % aimed.length] : buyers[n % buyers.length];
  }

  /** The terms `spec` describes for a listing sent at `at`, spoiled as its flaw says; and who sends it. */
  termsOf(spec: ListingSpec, at: bigint): { terms: ModelListingTerms; caller: Party; asDid: bigint } {
    const { m, floor, holders, coOwners } = this.s;
    const a = spec.achievement;
    const holder = holders[a];
    const caller = spec.lister === "broker" ? m.broker : spec.lister === "coOwner" ? coOwners[a] : holder;
    const asDid = spec.lister === "coOwner" ? coOwners[a].did : holder.did;
    const auction = spec.mode === Mode.Auction;
    const points = [0, ...spec.cuts.sort((x, y) => x - y), 10_000];
    let due = 0n;
    const schedule: ModelInstalment[] = points.slice(1).map((p, i) => ({
      bps: BigInt(p - points[i]),
      dueAfter: (due += BigInt(spec.gaps[i])),
    }));
    const hasInventors = this.s.registry.get(this.s.achievements[a])!.inventors.length > 0;
    const t: ModelListingTerms = {
      achievement: this.s.achievements[a],
      centre: m.centre.did,
      mode: spec.mode,
      token: this.s.token,
      price: spec.price,
      minIncrement: auction ? spec.minIncrement : 0n,
      deposit: auction ? (spec.price * BigInt(spec.depositBps)) / 10_000n : 0n,
      biddingEnds: auction ? at + BigInt(spec.biddingIn) : 0n,
      brokerBps: spec.lister === "broker" ? BigInt(spec.brokerBps) : 0n,
      inventorBps: (hasInventors ? floor : 0n) + BigInt(spec.inventorExtra),
      licence: {
        kind: BigInt(spec.kind),
        field: BigInt(spec.field),
        territory: BigInt(spec.territory),
        start: spec.startIn === 0 ? 0n : at + BigInt(spec.startIn),
        term: BigInt(spec.term),
        sublicensable: spec.kind === 2,
      },
      schedule,
      termsHash: hashOf(`listing document (挂牌文件) ${at}`),
    };
    const d = BigInt(spec.delta);
    const lister = { caller, asDid };
    switch (spec.flaw) {
      case "none":
        return { terms: t, ...lister };
      case "impostor":
        return { terms: t, caller: m.outsider, asDid };
      case "outsiderLists":
        return { terms: t, caller: m.outsider, asDid: m.outsider.did };
      case "inactiveCentre":
        return { terms: { ...t, centre: UNKNOWN_DID }, ...lister };
      case "otherCentre":
        return { terms: { ...t, centre: m.evaluator.did }, ...lister };
      case "zeroPrice":
        return { terms: { ...t, price: 0n, deposit: 0n }, ...lister };
      case "noToken":
        return { terms: { ...t, token: ZeroAddress }, ...lister };
      case "depositAboveReserve":
        return { terms: { ...t, mode: Mode.Auction, deposit: t.price + d, biddingEnds: at + DAY }, ...lister };
      case "deadlinePassed":
        return { terms: { ...t, mode: Mode.Auction, biddingEnds: at - (d % 2n) }, ...lister };
      case "pricingOutOfMode": {
        const mode = spec.delta % 2 === 0 ? Mode.Fixed : Mode.Negotiated;
        const which = spec.delta % 3;
        return {
          terms: {
            ...t,
            mode,
            deposit: which === 0 ? 1n : 0n,
            minIncrement: which === 1 ? 1n : 0n,
            biddingEnds: which === 2 ? at + DAY : 0n,
          },
          ...lister,
        };
      }
      case "noSchedule":
        return { terms: { ...t, schedule: [] }, ...lister };
      case "sharesOff": {
        const [first, ...rest] = schedule;
        const bps = first.bps > d ? first.bps - d : first.bps + d;
        return { terms: { ...t, schedule: [{ ...first, bps }, ...rest] }, ...lister };
      }
      case "dueNotIncreasing": {
        const last = schedule.length - 1;
        const previous = last === 0 ? 0n : schedule[last - 1].dueAfter;
        return {
          terms: { ...t, schedule: [...schedule.slice(0, last), { ...schedule[last], dueAfter: previous }] },
          ...lister,
        };
      }
      case "tooManyInstalments":
        return {
          terms: {
            ...t,
            schedule: Array.from({ length: 12 }, (_, i) => ({
              bps: i === 0 ? 10_000n - 11n * 1n : 1n,
              dueAfter: BigInt(i + 1),
            })),
          },
          ...lister,
        };
      case "zeroTerm":
        return { terms: { ...t, licence: { ...t.licence, term: 0n } }, ...lister };
      case "pastStart":
        return { terms: { ...t, licence: { ...t.licence, start: at - d } }, ...lister };
      case "brokerless":
        return { terms: { ...t, brokerBps: d }, caller: holder, asDid: holder.did };
      case "belowFloor":
        return { terms: { ...t, inventorBps: floor - d }, ...lister };
      case "splitTooHigh":
        return { terms: { ...t, inventorBps: 10_000n - t.brokerBps + (d % 3n) }, ...lister };
    }
  }

  // ---- the calls ----

  async list(spec: ListingSpec, label: string): Promise<boolean> {
    const { m } = this.s;
    const at = await this.tick();
    const { terms, caller, asDid } = this.termsOf(spec, at);
    const outcome = this.model.list(caller.address, terms, asDid, at);
    const ok = await this.expect(
      "list",
      [caller.address, m.market.list.populateTransaction(terms, asDid)],
      outcome,
      at,
      label,
    );
    if (ok) await this.checkListing(this.model.listings[this.model.listings.length - 1], label);
    return ok;
  }

  async approve(id: bigint, party: Party, asDid: bigint, label: string): Promise<boolean> {
    const at = await this.tick();
    return this.expect(
      "approve",
      [party.address, this.s.m.market.approve.populateTransaction(id, asDid)],
      this.model.approve(party.address, id, asDid, at),
      at,
      label,
    );
  }

  async publish(id: bigint, fee: bigint, caller: Party, label: string): Promise<boolean> {
    const at = await this.tick();
    const ok = await this.expect(
      "publish",
      [caller.address, this.s.m.market.publish.populateTransaction(id, fee)],
      this.model.publish(caller.address, id, fee, at),
      at,
      label,
    );
    const l = this.model.listing(id);
    if (ok && l) await this.checkListing(l, label);
    return ok;
  }

  async accept(s: Extract<Step, { kind: "accept" }>, id: bigint, label: string): Promise<boolean> {
    const { m, chainId, market, buyers } = this.s;
    const l = this.model.listing(id);
    const buyer = buyers[s.buyer % buyers.length];
    const lister = l ? this.partyOf(l.lister) : m.university;
    const sellerSigner = s.signer === "broker" ? m.broker : lister;
    const at = await this.tick();
    const signed = {
      listing: id,
      round: (l?.sale.round ?? 0n) + (s.mode === "staleRound" ? 1n : 0n),
      buyer: buyer.did,
      price: s.mode === "zeroPrice" ? 0n : ((l?.terms.price ?? 1n) * BigInt(s.priceBps)) / 10_000n || 1n,
      expiry: s.mode === "expired" ? at - 1n : s.mode === "lastSecond" ? at : at + 7n * DAY,
    };
    const sent = s.mode === "tampered" ? { ...signed, price: signed.price + 1n } : signed;
    const buyerSigner = s.mode === "forgedBuyer" ? m.outsider : buyer;
    const namedSeller = s.mode === "forgedSeller" ? m.outsider : sellerSigner;
    const sellerKey = s.mode === "wrongKey" ? buyer : namedSeller;
    const domain = { name: "govledger-market", version: "1", chainId, verifyingContract: market };
    const [buyerSig, sellerSig] = await Promise.all([
      buyerSigner.account.signTypedData(domain, OFFER_TYPES, signed),
      sellerKey.account.signTypedData(domain, OFFER_TYPES, signed),
    ]);
    const call: OfferCall = {
      ...sent,
      buyerSigner: buyerSigner.address,
      buyerSignedBy: s.mode === "tampered" ? "" : buyerSigner.address,
      sellerSigner: namedSeller.address,
      sellerSignedBy: s.mode === "tampered" ? "" : sellerKey.address,
    };
    return this.expect(
      "accept",
      [
        m.outsider.address,
        m.market.accept.populateTransaction(sent, buyerSigner.address, buyerSig, namedSeller.address, sellerSig),
      ],
      this.model.accept(call, at),
      at,
      label,
    );
  }

  async registerBidder(s: Extract<Step, { kind: "registerBidder" }>, id: bigint, label: string): Promise<boolean> {
    const { m } = this.s;
    const l = this.model.listing(id);
    const bidder = this.namedBidder(
      s.bidder,
      s.aim,
      (did) => !!l && !this.model.bidder(l, did).registered && did !== l.lister && did !== l.broker,
    );
    const caller = s.impostor ? m.outsider : bidder;
    if (s.pay !== "standing") {
      const value = s.pay === "approve" ? MaxUint256 : (l?.terms.deposit ?? 1n) - 1n;
      const allowance = value < 0n ? 0n : value;
      const at = await this.tick();
      const approved = await this.expect(
        "currency.approve",
        [caller.address, m.currency.approve.populateTransaction(this.s.market, allowance)],
        this.model.approveMarket(caller.address, allowance),
        at,
        `${label} (approve ${allowance})`,
      );
      expect(approved, `${label}: approve`).to.equal(true);
    }
    const at = await this.tick();
    return this.expect(
      "registerBidder",
      [caller.address, m.market.registerBidder.populateTransaction(id, bidder.did)],
      this.model.registerBidder(caller.address, id, bidder.did, at),
      at,
      label,
    );
  }

  async confirmDeal(id: bigint, noRef: boolean, caller: Party, label: string): Promise<boolean> {
    const dealRef = noRef ? ZeroHash : hashOf(`deal confirmation (成交确认书) ${++this.dealCount}`);
    const at = await this.tick();
    const handover = at + 7n * DAY;
    const ok = await this.expect(
      "confirmDeal",
      [caller.address, this.s.m.market.confirmDeal.populateTransaction(id, dealRef, handover)],
      this.model.confirmDeal(caller.address, id, dealRef, handover, at),
      at,
      label,
    );
    const l = this.model.listing(id);
    if (ok && l) await this.checkDeal(l, label);
    return ok;
  }

  async withdrawDeposit(id: bigint, bidder: Party, caller: Party, label: string): Promise<boolean> {
    const at = await this.tick();
    const ok = await this.expect(
      "withdrawDeposit",
      [caller.address, this.s.m.market.withdrawDeposit.populateTransaction(id, bidder.did, bidder.address)],
      this.model.withdrawDeposit(caller.address, id, bidder.did, bidder.address, at),
      at,
      label,
    );
    if (ok) counts.withdrawals += 1;
    return ok;
  }

  /** An escrow call judged by the escrow's model, with the token's transfer it makes. */
  escrowOutcome(o: EscrowOutcome, id: bigint, transfer?: Emitted): Outcome {
    if (o.refusal) return { refusal: o.refusal };
    return {
      events: [
        { on: "escrow", name: o.event[0], args: o.event[1] },
        ...o.credits.map((c) => ({
          on: "escrow" as const,
          name: "Credited",
          args: [id, c.did, this.s.token, c.amount],
        })),
        ...(transfer ? [transfer] : []),
      ],
      apply: o.apply,
    };
  }

  /** Runs `s`, or skips it when it aims at a listing or milestone in a state none is in; true when it succeeded. */
  async step(s: Step, label: string): Promise<boolean> {
    try {
      return await this.run(s, label);
    } catch (e) {
      if (e !== SKIP) throw e;
      counts.skipped += 1;
      record(s.kind.startsWith("escrow") ? `escrow.${s.kind.slice(6).toLowerCase()}` : s.kind, "skipped");
      return false;
    }
  }

  /** Runs `s` on the chain and the model; true when it succeeded. */
  async run(s: Step, label: string): Promise<boolean> {
    const { m, buyers, payees } = this.s;
    const { model } = this;
    const status = (l: ModelListing, ...st: ListingStatus[]) => st.includes(l.sale.status);
    // The next transaction is mined one second after the clock.
    const auction = (l: ModelListing) => l.terms.mode === Mode.Auction && status(l, ListingStatus.Published);
    const bidding = (l: ModelListing) => auction(l) && this.clock + 1n < l.terms.biddingEnds;
    const closing = (l: ModelListing) => auction(l) && this.clock + 1n >= l.terms.biddingEnds;
    switch (s.kind) {
      case "list":
        return this.list(s.spec, label);
      case "approve": {
        const id = this.named(s.at, (l) => status(l, ListingStatus.Submitted));
        const l = model.listing(id);
        const candidates = [m.university, m.team, m.bank, m.outsider];
        const missing = l ? model.achievement(l.terms.achievement).disposal.filter((d) => !l.approvals.has(d)) : [];
        const party = s.aim && missing.length > 0 ? this.partyOf(missing[s.who % missing.length]) : candidates[s.who];
        return this.approve(id, s.impostor ? m.outsider : party, party.did, label);
      }
      case "publish": {
        const id = this.named(s.at, (l) => status(l, ListingStatus.Submitted));
        const l = model.listing(id);
        const fee = s.feeTooHigh && l ? 10_000n - l.terms.brokerBps - l.terms.inventorBps : BigInt(s.fee);
        return this.publish(id, fee, s.outsider ? m.outsider : m.centre, label);
      }
      case "buy": {
        const id = this.named(s.at, (l) => l.terms.mode === Mode.Fixed && status(l, ListingStatus.Published));
        const buyer = buyers[s.buyer % buyers.length];
        const caller = s.impostor ? m.outsider : buyer;
        const at = await this.tick();
        return this.expect(
          "buy",
          [caller.address, m.market.buy.populateTransaction(id, buyer.did)],
          model.buy(caller.address, id, buyer.did, at),
          at,
          label,
        );
      }
      case "accept": {
        const id = this.named(s.at, (l) => l.terms.mode === Mode.Negotiated && status(l, ListingStatus.Published));
        return this.accept(s, id, label);
      }
      case "registerBidder":
        return this.registerBidder(s, this.named(s.at, bidding), label);
      case "rejectBidder": {
        // A registered bidder that has not bid yet (fresh), or one that has.
        const fits = (b?: ModelBidder) => !!b && b.registered && !b.rejected && b.hasBid === (s.aim === "bidder");
        const id = this.named(s.at, (l) => auction(l) && [...l.bidders.values()].some(fits));
        const l = model.listing(id);
        const bidder = this.namedBidder(s.bidder, s.aim !== "any", (did) => fits(l && model.bidder(l, did)));
        const caller = s.outsider ? m.outsider : m.centre;
        const reason = s.noReason ? ZeroHash : REASON;
        const at = await this.tick();
        return this.expect(
          "rejectBidder",
          [caller.address, m.market.rejectBidder.populateTransaction(id, bidder.did, reason)],
          model.rejectBidder(caller.address, id, bidder.did, reason),
          at,
          label,
        );
      }
      case "bid": {
        const bidders = (l: ModelListing) => [...l.bidders.values()].some((b) => b.registered && !b.rejected);
        const id = this.named(s.at, (l) => bidding(l) && bidders(l));
        const l = model.listing(id);
        const bidder = this.namedBidder(s.bidder, s.aim, (did) => {
          const b = l && model.bidder(l, did);
          return !!b && b.registered && !b.rejected;
        });
        const caller = s.impostor ? m.outsider : bidder;
        const minimum = l ? model.minimumBid(l) : 1n;
        const amount = s.amount === "min" ? minimum : s.amount === "above" ? minimum + s.extra : minimum - 1n;
        const at = await this.tick();
        return this.expect(
          "bid",
          [caller.address, m.market.bid.populateTransaction(id, amount, bidder.did)],
          model.bid(caller.address, id, amount, bidder.did, at),
          at,
          label,
        );
      }
      case "closeAuction": {
        const id = this.named(s.at, closing);
        const at = await this.tick();
        return this.expect(
          "closeAuction",
          [m.outsider.address, m.market.closeAuction.populateTransaction(id)],
          model.closeAuction(id, at),
          at,
          label,
        );
      }
      case "cancel": {
        const id = this.named(s.at, (l) => l.sale.status <= ListingStatus.Awarded);
        const caller = s.outsider ? m.outsider : m.centre;
        const reason = s.noReason ? ZeroHash : REASON;
        const at = await this.tick();
        return this.expect(
          "cancel",
          [caller.address, m.market.cancel.populateTransaction(id, reason)],
          model.cancel(caller.address, id, reason),
          at,
          label,
        );
      }
      case "withdrawListing": {
        const id = this.named(s.at, (l) => status(l, ListingStatus.Submitted, ListingStatus.Published));
        const l = model.listing(id);
        const lister = l ? this.partyOf(l.lister) : m.university;
        const [caller, asDid] =
          s.who === "lister"
            ? [lister, lister.did]
            : s.who === "broker"
              ? [m.broker, lister.did]
              : s.who === "other"
                ? [m.outsider, m.outsider.did]
                : [m.outsider, lister.did];
        const reason = s.who === "lister" ? ZeroHash : REASON;
        const at = await this.tick();
        return this.expect(
          "withdrawListing",
          [caller.address, m.market.withdrawListing.populateTransaction(id, asDid, reason)],
          model.withdrawListing(caller.address, id, asDid, reason, at),
          at,
          label,
        );
      }
      case "confirmDeal": {
        const id = this.named(s.at, (l) => status(l, ListingStatus.Awarded));
        return this.confirmDeal(id, s.noRef, s.outsider ? m.outsider : m.centre, label);
      }
      case "lapse": {
        const id = this.named(s.at, (l) => status(l, ListingStatus.Awarded));
        const at = await this.tick();
        return this.expect(
          "lapse",
          [m.outsider.address, m.market.lapse.populateTransaction(id)],
          model.lapse(id, at),
          at,
          label,
        );
      }
      case "withdrawDeposit": {
        const id = this.named(s.at, (l) => [...l.bidders.values()].some((b) => b.deposit > 0n));
        const l = model.listing(id);
        const bidder = this.namedBidder(s.bidder, s.aim, (did) => !!l && model.bidder(l, did).deposit > 0n);
        // The broker, under the university's mandate of the trade scope only, claims its deposit: the
        // payment scope is missing.
        if (s.who === "broker") return this.withdrawDeposit(id, m.university, m.broker, label);
        return this.withdrawDeposit(id, bidder, s.who === "bidder" ? bidder : m.outsider, label);
      }
      case "advance":
        this.clock += BigInt(s.seconds);
        return true;
      case "advanceTo": {
        const deadlines = model.deadlines();
        if (deadlines.length === 0) return true;
        // The next transaction is mined one second after the clock: at the deadline + offset.
        const before = deadlines[s.n % deadlines.length] + BigInt(s.offset) - 1n;
        if (before > this.clock) this.clock = before;
        return true;
      }
      case "escrowFund": {
        const { id, ms } = this.namedMilestone(s.at, MilestoneStatus.Awaiting);
        return this.fundMilestone(id, ms, s.impostor, label);
      }
      case "escrowConfirm": {
        const { id, ms } = this.namedMilestone(s.at, MilestoneStatus.Funded);
        return this.confirmMilestone(id, ms, s.who, label);
      }
      case "escrowWithdraw": {
        const owing = payees.filter((p) => model.escrow.balanceOf(p.did) > 0n);
        if (s.aim && owing.length === 0) throw SKIP;
        return this.withdrawFromEscrow(s.aim ? owing[s.payee % owing.length] : payees[s.payee], label);
      }
    }
  }

  /** The buyer of escrow `id` (or the outsider claiming to act for it) funds milestone `ms`. */
  async fundMilestone(id: bigint, ms: number, impostor: boolean, label: string): Promise<boolean> {
    const { m } = this.s;
    const { escrow } = this.model;
    const buyerDid = escrow.escrow(id)?.terms.buyer ?? m.buyer.did;
    const caller = impostor ? m.outsider : this.partyOf(buyerDid);
    const amount = escrow.escrow(id)?.terms.milestones[ms]?.amount ?? 0n;
    // Every buyer approved the escrow without limit: the model's payer is whoever funds.
    escrow.world.payer = caller.address;
    escrow.allowance = MAX_UINT256;
    const at = await this.tick();
    return this.expect(
      "escrow.fund",
      [caller.address, m.escrow.fund.populateTransaction(id, ms, buyerDid)],
      this.escrowOutcome(escrow.fund(caller.address, id, ms, buyerDid, at), id, {
        on: "currency",
        name: "Transfer",
        args: [caller.address, this.s.escrow, amount],
      }),
      at,
      label,
    );
  }

  /** The buyer, the centre or the seller of escrow `id` confirms milestone `ms`. */
  async confirmMilestone(id: bigint, ms: number, who: "buyer" | "centre" | "seller", label: string): Promise<boolean> {
    const { m } = this.s;
    const e = this.model.escrow.escrow(id);
    const did = who === "centre" ? m.centre.did : who === "seller" ? (e?.terms.seller ?? 0n) : (e?.terms.buyer ?? 0n);
    const caller = this.partyOf(did);
    const at = await this.tick();
    return this.expect(
      "escrow.confirm",
      [caller.address, m.escrow.confirm.populateTransaction(id, ms, caller.did)],
      this.escrowOutcome(this.model.escrow.confirm(caller.address, id, ms, caller.did), id),
      at,
      label,
    );
  }

  /** `payee` withdraws its balance from the escrow. */
  async withdrawFromEscrow(payee: Party, label: string): Promise<boolean> {
    const { m, token, escrow } = this.s;
    const amount = this.model.escrow.balanceOf(payee.did);
    const at = await this.tick();
    return this.expect(
      "escrow.withdraw",
      [payee.address, m.escrow.withdraw.populateTransaction(token, payee.did, payee.address)],
      this.escrowOutcome(this.model.escrow.withdraw(payee.address, payee.did, payee.address), 0n, {
        on: "currency",
        name: "Transfer",
        args: [escrow, payee.address, amount],
      }),
      at,
      label,
    );
  }
}

describe("LicenceMarket (properties)", function () {
  let suite: Suite;
  let snapshot: SnapshotRestorer;

  before(async function () {
    const m = await tradeFixture();
    const s = await ethers.getSigners();
    const organisation = async (index: number, label: string): Promise<Party> => ({
      did: await registerDid(m, DidKind.Organisation, [{ account: s[index].address }], hashOf(label)),
      account: s[index],
      address: s[index].address,
    });
    const bidderA = await organisation(16, "did:bidder-a");
    const bidderB = await organisation(17, "did:bidder-b");
    const buyers = [m.buyer, bidderA, bidderB, m.broker, m.university, m.outsider];
    const [market, escrow, token] = await Promise.all([
      m.market.getAddress(),
      m.escrow.getAddress(),
      m.currency.getAddress(),
    ]);
    for (const p of buyers) {
      if (p !== m.buyer) await (await m.currency.mint(p.address, 1_000_000_000n)).wait();
      await (await m.currency.connect(p.account).approve(market, MaxUint256)).wait();
      await (await m.currency.connect(p.account).approve(escrow, MaxUint256)).wait();
    }
    // The broker lists for the university and the bank under their mandates (trade scope only); the
    // bank's ends after 10 days.
    const mandates = new Map<string, { scopes: bigint; validUntil: bigint }>();
    for (const [org, days] of [
      [m.university, 3650n],
      [m.bank, 10n],
    ] as const) {
      const validUntil = BigInt(await time.latest()) + days * DAY;
      await (await m.identity.connect(org.account).grantMandate(org.did, m.broker.did, Scope.TRADE, validUntil)).wait();
      mandates.set(`${org.did}/${m.broker.did}`, { scopes: BigInt(Scope.TRADE), validUntil });
    }
    const achievements = [
      await register(
        m,
        registrationOf(
          [
            { party: m.university, bps: 7000 },
            { party: m.team, bps: 3000 },
          ],
          [m.inventor, m.team],
        ),
      ),
      await register(m, registrationOf([{ party: m.university, bps: 10_000 }], [m.inventor])),
      await register(m, registrationOf([{ party: m.bank, bps: 10_000 }])),
    ];
    const registry = new Map<bigint, ModelAchievement>();
    for (const id of achievements) {
      const [disposal, income, inventors, a] = await Promise.all([
        m.achievements.partiesOf(id, Right.Disposal),
        m.achievements.holdingsOf(id, Right.Income),
        m.achievements.inventorsOf(id),
        m.achievements.getAchievement(id),
      ]);
      registry.set(id, {
        disposal: [...disposal],
        income: income.map((h) => ({ did: h.did, bps: h.bps })),
        inventors: [...inventors],
        status: Number(a.status) as AchievementStatus,
      });
    }
    expect(
      [...registry.values()].map((a) => a.disposal),
      "disposal-right parties",
    ).to.deep.equal([[m.university.did, m.team.did], [m.university.did], [m.bank.did]]);
    // A sole licence of achievement 2 in field 481, territory 310000, for 90 days: deals that clash with it are refused.
    const start = BigInt(await time.latest());
    const earlier = { kind: 1n, field: 481n, territory: 310000n, start, end: start + 90n * DAY };
    await (
      await m.licences
        .connect(m.centre.account)
        .record(achievements[2], bidderB.did, { ...earlier, sublicensable: false }, hashOf("an earlier licence"))
    ).wait();
    const licences: ModelLicence[] = [{ id: 1n, achievement: achievements[2], licensee: bidderB.did, ...earlier }];
    expect(await m.licences.licenceCount(), "licences before the runs").to.equal(1n);
    const chainId = (await ethers.provider.getNetwork()).chainId;
    // The offer type signed here is the market's.
    const offer = { listing: 1n, round: 0n, buyer: m.buyer.did, price: 100n, expiry: 1_000n };
    expect(
      TypedDataEncoder.hash(
        { name: "govledger-market", version: "1", chainId, verifyingContract: market },
        OFFER_TYPES,
        offer,
      ),
      "offer hash",
    ).to.equal(await m.market.offerHash(offer));
    expect(await m.escrow.escrowCount(), "escrows before the runs").to.equal(0n);
    expect(await m.market.listingCount(), "listings before the runs").to.equal(0n);
    const emitters = new Map<string, { on: Declarer; iface: Interface }>([
      [market.toLowerCase(), { on: "market", iface: m.market.interface }],
      [escrow.toLowerCase(), { on: "escrow", iface: m.escrow.interface }],
      [token.toLowerCase(), { on: "currency", iface: m.currency.interface }],
      [(await m.achievements.getAddress()).toLowerCase(), { on: "registry", iface: m.achievements.interface }],
      [(await m.licences.getAddress()).toLowerCase(), { on: "licences", iface: m.licences.interface }],
    ]);
    const parties = [
      m.centre,
      m.university,
      m.team,
      m.inventor,
      m.bank,
      m.evaluator,
      m.outsider,
      m.broker,
      m.buyer,
      bidderA,
      bidderB,
    ];
    suite = {
      m,
      chainId,
      token,
      market,
      escrow,
      floor: await m.escrow.inventorFloor(),
      noticePeriod: await m.market.noticePeriod(),
      licences,
      achievements,
      registry,
      buyers,
      payees: [m.centre, m.university, m.team, m.inventor, m.bank, m.broker],
      parties,
      holders: [m.university, m.university, m.bank],
      coOwners: [m.team, m.university, m.bank],
      mandates,
      declaring: {
        market: m.market,
        identity: m.identity,
        currency: m.currency,
        registry: m.achievements,
        licences: m.licences,
        escrow: m.escrow,
      },
      emitters,
    };
    snapshot = await takeSnapshot();
  });

  describe("list, approve, publish, buy, accept, registerBidder, rejectBidder, bid, closeAuction, cancel, withdrawListing, confirmDeal, lapse, withdrawDeposit and the deal's escrow in random sequences", function () {
    it("succeed or fail as the model says, keep the market's balance equal to the deposits held, leave every deposit a way out, and pay each out once", async function () {
      const started = Date.now();
      const parameters = params(this, 1_000);
      await fc.assert(
        fc.asyncProperty(scenario, async (sc) => {
          await snapshot.restore();
          counts.runs += 1;
          const run = new Run(suite);
          const { m } = suite;
          const { model } = run;
          await run.start();

          for (const [i, p] of sc.prefix.entries()) {
            const spec = { ...p.spec, achievement: p.achievement, mode: p.mode ?? p.spec.mode };
            const label = `prefix ${i} ${show(spec)}`;
            expect(await run.list(spec, label), `${label}: list`).to.equal(true);
            const l = model.listings[model.listings.length - 1];
            for (const did of model.achievement(l.terms.achievement).disposal.filter((d) => !l.approvals.has(d))) {
              const party = run.partyOf(did);
              expect(await run.approve(l.id, party, did, label), `${label}: approve by ${did}`).to.equal(true);
            }
            expect(await run.publish(l.id, BigInt(p.fee), m.centre, label), `${label}: publish`).to.equal(true);
            await run.checkSale(l, label);
          }
          for (const [i, s] of sc.steps.entries()) {
            const label = `step ${i} ${show(s)}`;
            run.touched = undefined;
            counts.steps += 1;
            const ok = await run.step(s, label);
            const touched = run.touched === undefined ? undefined : model.listing(run.touched);
            if (ok && touched) await run.checkSale(touched, label);
          }

          // Every deposit held has a way out; take it: close the auction, confirm the deal or let the
          // award lapse, then withdraw what is left.
          for (const l of model.listings) {
            const held = () => model.deposits().some((d) => d.l === l);
            if (held() && l.sale.status === ListingStatus.Published) {
              const label = `way out: close auction ${l.id}`;
              expect(l.terms.mode, label).to.equal(Mode.Auction);
              if (run.clock + 1n < l.terms.biddingEnds) run.clock = l.terms.biddingEnds - 1n;
              const at = await run.tick();
              expect(
                await run.expect(
                  "closeAuction",
                  [m.outsider.address, m.market.closeAuction.populateTransaction(l.id)],
                  model.closeAuction(l.id, at),
                  at,
                  label,
                ),
                label,
              ).to.equal(true);
            }
            if (l.sale.status !== ListingStatus.Awarded) continue;
            const label = `way out: award ${l.id}`;
            if (sc.deal[Number(l.id) % MAX_LISTINGS]) {
              if (run.clock + 1n < l.sale.dealableAt) run.clock = l.sale.dealableAt - 1n;
              await run.confirmDeal(l.id, false, m.centre, `${label}: deal`);
            }
            if (l.sale.status === ListingStatus.Awarded) {
              const lapsesAt = l.sale.dealableAt + DEAL_WINDOW;
              if (run.clock + 1n < lapsesAt) run.clock = lapsesAt - 1n;
              const at = await run.tick();
              expect(
                await run.expect(
                  "lapse",
                  [m.outsider.address, m.market.lapse.populateTransaction(l.id)],
                  model.lapse(l.id, at),
                  at,
                  `${label}: lapse`,
                ),
                `${label}: lapse`,
              ).to.equal(true);
            }
          }
          for (const d of model.deposits()) {
            const bidder = run.partyOf(d.did);
            const label = `way out: withdraw ${d.did}'s deposit on ${d.l.id}`;
            expect(model.pathOf(d.l, d.did), label).to.equal("withdraw");
            expect(await run.withdrawDeposit(d.l.id, bidder, bidder, label), label).to.equal(true);
          }
          await run.checkAll("after the ways out");

          // The deals' escrows: fund the milestones, release them, and let the payees withdraw.
          for (const [i, e] of model.escrow.escrows.entries()) {
            const { fund, confirm, withdraw } = sc.settle[i % MAX_LISTINGS];
            for (const [ms, status] of e.status.entries()) {
              const label = `escrow ${e.id}/${ms}`;
              if (fund && status === MilestoneStatus.Awaiting) {
                expect(await run.fundMilestone(e.id, ms, false, `${label}: fund`), `${label}: fund`).to.equal(true);
              }
              if (confirm !== "none" && e.status[ms] === MilestoneStatus.Funded) {
                const ok = await run.confirmMilestone(e.id, ms, confirm, `${label}: confirm`);
                expect(ok, `${label}: confirm`).to.equal(true);
              }
            }
            if (!withdraw) continue;
            for (const p of suite.payees.filter((x) => model.escrow.balanceOf(x.did) > 0n)) {
              const label = `escrow: withdraw by ${p.did}`;
              expect(await run.withdrawFromEscrow(p, label), label).to.equal(true);
            }
          }

          // Nothing is left in the market; each deposit was paid out once: withdrawn, or moved into its deal's escrow.
          expect(model.held, "deposits held after the ways out").to.equal(0n);
          expect(await m.currency.balanceOf(suite.market), "market balance after the ways out").to.equal(0n);
          for (const [did, l] of model.ledgers) {
            const e = run.events.get(did);
            expect(e?.deposited, `${did}: deposited per the events`).to.equal(l.deposited);
            expect(l.withdrawn + l.moved, `${did}: withdrawn + moved == deposited`).to.equal(l.deposited);
            expect((e?.withdrawn ?? 0n) + (e?.moved ?? 0n), `${did}: withdrawn + moved per the events`).to.equal(
              e?.deposited ?? 0n,
            );
          }
        }),
        parameters,
      );
      const seconds = (Date.now() - started) / 1000;
      const rows = [...tally.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([call, t]) => {
          const refused = [...t.refused.entries()]
            .sort(([, a], [, b]) => b - a)
            .map(([e, n]) => `${e} ${n}`)
            .join(", ");
          const n = [...t.refused.values()].reduce((x, y) => x + y, 0);
          const skipped = t.skipped ? `, ${t.skipped} steps skipped` : "";
          return `    ${call.padEnd(18)} ok ${String(t.ok).padStart(6)}  refused ${String(n).padStart(6)}${refused ? `  (${refused})` : ""}${skipped}`;
        });
      console.log(
        [
          `    ${parameters.numRuns} runs (${counts.runs} with shrinks) in ${seconds.toFixed(1)} s, ${counts.steps} random steps (${counts.skipped} skipped: nothing to aim at): ${counts.awards} awards, ${counts.deals} deals (${counts.depositsMoved} deposits moved into escrows), ${counts.lapses} lapses, ${counts.withdrawals} deposits withdrawn`,
          ...rows,
        ].join("\n"),
      );
      // The successful paths ran, not only the refusals: each at least a quarter as often as it does on
      // average (measured over 1,000 runs), so that a change starving one of them fails here.
      const runs = parameters.numRuns ?? 0;
      const ok = (call: string) => tally.get(call)?.ok ?? 0;
      for (const [what, n, rate] of [
        ["awards", counts.awards, 0.06],
        ["deals", counts.deals, 0.04],
        ["deposits moved into escrows", counts.depositsMoved, 0.015],
        ["deposits withdrawn", counts.withdrawals, 0.1],
        ["lapses", counts.lapses, 0.08],
        ["bids", ok("bid"), 0.06],
        ["accepted offers", ok("accept"), 0.01],
        ["purchases", ok("buy"), 0.02],
        ["rejected bidders", ok("rejectBidder"), 0.005],
        ["escrow fundings", ok("escrow.fund"), 0.05],
        ["escrow releases", ok("escrow.confirm"), 0.05],
        ["escrow withdrawals", ok("escrow.withdraw"), 0.05],
      ] as const) {
        expect(n, `${what} across ${runs} runs`).to.be.at.least(Math.floor(runs * rate));
      }
    });
  });
});
