import {
  Signature,
  ZeroAddress,
  ZeroHash,
  getAddress,
  verifyTypedData,
  type Provider,
  type Signer,
  type TransactionReceipt,
  type TypedDataDomain,
} from "ethers";
import { ERC20Permit__factory, type ERC20Permit, type SettlementEscrow } from "../../typechain-types";
import type { HoldingInput, HoldingView } from "./achievement";
import { Call, landed, lazyMethod, type Landed } from "./call";
import { SCOPES } from "./did";
import { toGovLedgerError } from "./errors";
import type { DidRef, IdentityClient } from "./identity";
import { checkedAddress, checkedHash, nonZeroHash } from "./members";
import { eventOf, eventsOf } from "./events";
import { MILESTONE_STATUSES, type MilestoneStatusName } from "./states";

/**
 * An amount of the settlement token: a decimal string in whole units of the currency (yuan for the
 * digital yuan: "300000.00", at most as many decimals as the token has), or a bigint in the token's
 * smallest unit (fen: 30_000_000n).
 */
export type AmountInput = string | bigint;

/** A time: a Date, unix seconds, or an ISO 8601 date or date-time (UTC unless an offset is given). */
export type TimeInput = Date | bigint | number | string;

/** One payment of the schedule. */
/** A deactivated DID's balance moved to its successor by an arbitrator's order. */
export interface Reassignment extends Landed {
  from: bigint;
  to: bigint;
  token: string;
  actor: bigint;
  amount: bigint;
  caseRef: string;
}

export interface MilestoneInput {
  amount: AmountInput;
  /** After this time an unconfirmed, undisputed funded milestone may be reclaimed by the buyer. */
  due: TimeInput;
}

/** What a trading centre opens an escrow with: the deal confirmation's parties, split and schedule. */
export interface EscrowTerms {
  /** The settlement token; the deployment's stand-in currency when omitted (local networks only). */
  token?: string;
  /** Hash of the deal confirmation (成交确认书). */
  dealRef: string;
  buyer: DidRef;
  /** The seller side (the lister): it may dispute and sign settlements. */
  seller: DidRef;
  broker?: DidRef;
  /** The trading centre's fee, in basis points of each release. */
  centreFeeBps?: number;
  /** The broker's commission, in basis points of each release (needs a broker). */
  brokerBps?: number;
  /** The inventors' reward share, in basis points (at least the council's floor when there are inventors). */
  inventorBps?: number;
  /** The income-right holders: `<did>:<bps>` or `{ did, bps }`, summing to 10,000. */
  holders: (string | HoldingInput)[];
  inventors?: DidRef[];
  /** 1 to 12 payments, due in increasing order. */
  milestones: MilestoneInput[];
}

/** A settlement token as people read it. */
export interface TokenInfo {
  address: string;
  symbol: string;
  decimals: number;
}

/** A milestone, numbered from 1 as the deal confirmation numbers its payments. */
export interface MilestoneView {
  number: number;
  /** In the token's smallest unit. */
  amount: bigint;
  due: bigint;
  status: MilestoneStatusName;
}

export interface EscrowView {
  id: bigint;
  token: TokenInfo;
  dealRef: string;
  buyer: bigint;
  seller: bigint;
  centre: bigint;
  /** Undefined when the deal has no broker. */
  broker?: bigint;
  centreFeeBps: number;
  brokerBps: number;
  inventorBps: number;
  holders: HoldingView[];
  inventors: bigint[];
  milestones: MilestoneView[];
  /** The whole price, in the token's smallest unit. */
  total: bigint;
  /** What the escrow still holds for this deal (funded or disputed milestones). */
  held: bigint;
}

export interface OpenedEscrow extends Landed {
  id: bigint;
  dealRef: string;
  centre: bigint;
  buyer: bigint;
  seller: bigint;
  token: string;
  total: bigint;
  milestones: MilestoneView[];
}

/** A balance credited by a release, a reclaim or a resolution. */
export interface Credit {
  did: bigint;
  amount: bigint;
}

/** The result of a step on one milestone. */
export interface MilestoneResult extends Landed {
  id: bigint;
  milestone: number;
  token: string;
  /** The DID of the caller's key. */
  actor: bigint;
  amount: bigint;
  status: MilestoneStatusName;
  /** The balances credited (confirm, reclaim); empty for fund and dispute. */
  credits: Credit[];
}

export interface DisputeResult extends MilestoneResult {
  reasonHash: string;
}

export interface ResolutionResult extends MilestoneResult {
  toBuyer: bigint;
  released: bigint;
  /** The arbitrator's case; zero for a settlement. */
  caseRef: string;
}

export interface Withdrawal extends Landed {
  did: bigint;
  token: string;
  to: string;
  amount: bigint;
}

export interface Approval extends Landed {
  token: string;
  spender: string;
  amount: bigint;
}

export interface TokenBalance {
  token: TokenInfo;
  amount: bigint;
}

/** What the escrow holds and owes of a token, beside its token balance: always equal. */
export interface Liabilities {
  token: TokenInfo;
  held: bigint;
  owed: bigint;
  balance: bigint;
  balanced: boolean;
}

/** A split of a disputed milestone both sides sign (EIP-712 `Settlement`). */
export interface Settlement {
  id: bigint;
  /** Numbered from 1. */
  milestone: number;
  toBuyer: bigint;
  deadline: bigint;
}

/** One side's signature of a settlement: `signer` acts for the buyer or the seller. */
export interface SettlementSignature {
  signer: string;
  signature: string;
}

export interface SettlementInput {
  id: bigint | number;
  milestone: number;
  /** What goes back to the buyer; the rest is released to the seller side. */
  toBuyer: AmountInput;
  /** When the signatures stop being usable; one day from the chain's time by default. */
  deadline?: TimeInput;
}

/** EIP-712 type of a settlement (SettlementEscrow.SETTLEMENT_TYPEHASH). */
export const SETTLEMENT_TYPES = {
  Settlement: [
    { name: "escrow", type: "uint256" },
    { name: "milestone", type: "uint8" },
    { name: "toBuyer", type: "uint128" },
    { name: "deadline", type: "uint48" },
  ],
};

/** EIP-712 type of an EIP-2612 permit, as OpenZeppelin's ERC20Permit hashes it. */
export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The EIP-712 domain of settlements: the escrow on `chainId`. */
export function settlementDomain(chainId: bigint, escrow: string): TypedDataDomain {
  return { name: "govledger-escrow", version: "1", chainId, verifyingContract: escrow };
}

const WHOLE_BPS = 10_000;
const MAX_MILESTONES = 12;
const MAX_PAYEES = 16;
const MAX_UINT48 = 2n ** 48n - 1n;
const MAX_UINT128 = 2n ** 128n - 1n;
const SETTLEMENT_TTL_SECONDS = 86_400n;
const PERMIT_TTL_SECONDS = 3_600n;
/** Decimals assumed for a token that does not report them (the digital yuan's fen). */
const DEFAULT_DECIMALS = 2;

/**
 * The settlement escrow: a trading centre opens an escrow per deal; the buyer funds its milestones
 * (approve or EIP-2612 permit); the buyer or the centre confirms each, splitting it into balances;
 * the buyer reclaims a milestone after its due time; either side disputes, an arbitrator rules or
 * both sides settle; each party withdraws its balance. Milestones are numbered from 1 (the
 * contract's index plus one), amounts are decimal strings in the currency or bigint smallest units.
 * Writes return {@link Call}s; inputs are checked before anything is sent (checks that read the
 * chain, such as allowance, balance and due time, run when the call is checked, estimated or sent).
 */
export class EscrowClient {
  private readonly tokens = new Map<string, Promise<TokenInfo>>();

  constructor(
    readonly escrow: SettlementEscrow,
    private readonly identity: IdentityClient,
    readonly chainId: bigint,
    /** The deployment's stand-in currency, the default token of new escrows (local networks only). */
    readonly settlementToken?: string,
  ) {}

  // ---- opening ----

  /**
   * Opens an escrow for a confirmed deal; the caller's DID is the centre. Trading centres only.
   * Refused before sending: a malformed amount, due time, DID or share; shares not summing to
   * 10,000; fees leaving the holders nothing; a commission without a broker; no or more than 12
   * milestones, or due times not increasing; then (reading the chain) an amount with more decimals
   * than the token has, a due time not in the future, an inventors' share below the floor, an
   * unknown or inactive party.
   */
  open(terms: EscrowTerms): Call<OpenedEscrow> {
    const spec = this.termsSpec(terms);
    let schedule: MilestoneView[] = [];
    const method = this.deferred("open", async () => {
      const token = await this.tokenInfo(spec.token);
      schedule = spec.milestones.map((m, i) => ({
        number: i + 1,
        amount: toUnits(m.amount, token, `milestone ${i + 1}'s amount`),
        due: m.due,
        status: "Awaiting" as const,
      }));
      const zero = schedule.find((m) => m.amount === 0n);
      if (zero) throw new Error(`milestone ${zero.number}'s amount is zero: every payment must be above zero`);
      const now = await this.chainTime();
      if (schedule[0].due <= now) {
        throw new Error(
          `milestone 1 is due ${iso(schedule[0].due)}, which is not in the future (chain time ${iso(now)})`,
        );
      }
      const floor = Number(await this.escrow.inventorFloor());
      if (spec.inventors.length > 0 && spec.inventorBps < floor) {
        throw new Error(`the inventors' share ${spec.inventorBps} bps is below the council's floor of ${floor} bps`);
      }
      await this.requireActive([
        [spec.buyer, "buyer"],
        [spec.seller, "seller"],
        ...(spec.broker === 0n ? [] : [[spec.broker, "broker"] as [bigint, string]]),
        ...spec.holders.map((h): [bigint, string] => [h.did, "holder"]),
        ...spec.inventors.map((d): [bigint, string] => [d, "inventor"]),
      ]);
      return [{ ...spec, milestones: schedule.map((m) => ({ amount: m.amount, due: m.due })) }];
    });
    return Call.of(method, [{ ...spec, milestones: [] }], (rc) => {
      const e = this.event(rc, "EscrowOpened");
      return {
        id: e.id as bigint,
        dealRef: e.dealRef as string,
        centre: e.centre as bigint,
        buyer: e.buyer as bigint,
        seller: e.seller as bigint,
        token: e.token as string,
        total: e.total as bigint,
        milestones: schedule,
        ...landed(rc),
      };
    });
  }

  // ---- funding ----

  /** Approves the escrow to take milestone `milestone`'s amount from the caller's tokens; refused unless it awaits funds. */
  approveFunding(id: bigint | number, milestone: number): Call<Approval> {
    const [e, n] = [escrowId(id), milestoneNumber(milestone)];
    const spender = this.escrow.target as string;
    let approval = { token: "", amount: 0n };
    const method = lazyMethod(async () => {
      const { escrow, terms } = await this.milestoneState(e, n);
      if (terms.status !== "Awaiting")
        throw new Error(`milestone ${n} of escrow ${e} is ${terms.status}: it awaits no funds`);
      approval = { token: escrow.token.address, amount: terms.amount };
      return [this.tokenContract(approval.token).approve, [spender, terms.amount]];
    }) as ERC20Permit["approve"];
    return Call.of(method, [spender, 0n], (rc) => ({ ...approval, spender, ...landed(rc) }));
  }

  /**
   * Funds milestone `milestone` of `id` from the caller's tokens, acting for the buyer `asDid`
   * (payment scope). Refused before sending, naming what is missing: a balance below the amount,
   * or an allowance below it (approve first with {@link approveFunding}, or use {@link fundWithPermit}).
   */
  fund(id: bigint | number, milestone: number, asDid: DidRef): Call<MilestoneResult> {
    const [e, n, did] = [escrowId(id), milestoneNumber(milestone), this.identity.didId(asDid)];
    let token = "";
    const method = this.deferred("fund", async () => {
      const state = await this.milestoneState(e, n);
      token = state.escrow.token.address;
      await this.requirePayable(state, n, did, true);
      return [e, n - 1, did];
    });
    return Call.of(method, [e, n - 1, did], (rc) => this.stepped(rc, "MilestoneFunded", token, "Funded"));
  }

  /**
   * Funds like {@link fund}, approving the escrow first with the caller's EIP-2612 permit, signed
   * here by the caller's key for exactly the milestone's amount (valid one hour unless `deadline`).
   */
  fundWithPermit(
    id: bigint | number,
    milestone: number,
    asDid: DidRef,
    options: { deadline?: TimeInput } = {},
  ): Call<MilestoneResult> {
    const [e, n, did] = [escrowId(id), milestoneNumber(milestone), this.identity.didId(asDid)];
    const given = options.deadline === undefined ? undefined : toSeconds(options.deadline, "permit deadline");
    let token = "";
    const method = this.deferred("fundWithPermit", async () => {
      const state = await this.milestoneState(e, n);
      token = state.escrow.token.address;
      await this.requirePayable(state, n, did, false);
      const deadline = given ?? (await this.chainTime()) + PERMIT_TTL_SECONDS;
      const { v, r, s } = await this.signPermit(token, state.terms.amount, deadline);
      return [e, n - 1, did, deadline, v, r, s];
    });
    const placeholder = [e, n - 1, did, 0n, 0, ZeroHash, ZeroHash] as const;
    return Call.of(method, [...placeholder], (rc) => this.stepped(rc, "MilestoneFunded", token, "Funded"));
  }

  // ---- release, reclaim, dispute ----

  /** Confirms funded milestone `milestone` of `id` and splits it into balances; `asDid` is the buyer or the centre. */
  confirm(id: bigint | number, milestone: number, asDid: DidRef): Call<MilestoneResult> {
    return this.milestoneStep("confirm", id, milestone, asDid, "MilestoneReleased", "Released");
  }

  /**
   * Credits the buyer `asDid` back with funded milestone `milestone` of `id` once its due time has
   * passed; before then it is refused without sending, naming the due time.
   */
  reclaim(id: bigint | number, milestone: number, asDid: DidRef): Call<MilestoneResult> {
    return this.milestoneStep("reclaim", id, milestone, asDid, "MilestoneReclaimed", "Refunded", async (state, n) => {
      if (state.terms.status !== "Funded") return;
      const now = await this.chainTime();
      if (now < state.terms.due) {
        throw new Error(
          `milestone ${n} is due ${iso(state.terms.due)}, not yet: the buyer may reclaim it only after that (chain time ${iso(now)})`,
        );
      }
    });
  }

  /** Freezes funded milestone `milestone` of `id` until a ruling or a settlement; `asDid` is the buyer or the seller. */
  dispute(id: bigint | number, milestone: number, asDid: DidRef, reasonHash: string): Call<DisputeResult> {
    const [e, n, did, reason] = [
      escrowId(id),
      milestoneNumber(milestone),
      this.identity.didId(asDid),
      checkedHash(reasonHash),
    ];
    let frozen = { token: "", amount: 0n };
    const method = this.deferred("dispute", async () => {
      const state = await this.milestoneState(e, n);
      frozen = { token: state.escrow.token.address, amount: state.terms.amount };
      return [e, n - 1, did, reason];
    });
    return Call.of(method, [e, n - 1, did, reason], (rc) => ({
      ...this.stepped(rc, "MilestoneDisputed", frozen.token, "Disputed"),
      amount: frozen.amount,
      reasonHash: this.event(rc, "MilestoneDisputed").reasonHash as string,
    }));
  }

  // ---- rulings and settlements ----

  /**
   * Splits disputed milestone `milestone` of `id`: `toBuyer` back to the buyer, the rest released
   * as a confirmation would. Arbitrators only; `caseRef` is the hash of the case number.
   */
  rule(id: bigint | number, milestone: number, toBuyer: AmountInput, caseRef: string): Call<ResolutionResult> {
    const [e, n] = [escrowId(id), milestoneNumber(milestone)];
    checkAmountSyntax(toBuyer, "the amount back to the buyer");
    const ref = nonZeroHash(caseRef, "case reference");
    let token = "";
    const method = this.deferred("rule", async () => {
      const state = await this.milestoneState(e, n);
      token = state.escrow.token.address;
      const units = toUnits(toBuyer, state.escrow.token, "the amount back to the buyer");
      requireWithin(units, state, n);
      return [e, n - 1, units, ref];
    });
    return Call.of(method, [e, n - 1, 0n, ref], (rc) => this.resolved(rc, token));
  }

  /** Builds settlement `input` of a disputed milestone, as both sides sign it. */
  async buildSettlement(input: SettlementInput): Promise<Settlement> {
    const [e, n] = [escrowId(input.id), milestoneNumber(input.milestone)];
    checkAmountSyntax(input.toBuyer, "the amount back to the buyer");
    const state = await this.milestoneState(e, n);
    const toBuyer = toUnits(input.toBuyer, state.escrow.token, "the amount back to the buyer");
    requireWithin(toBuyer, state, n);
    const deadline =
      input.deadline === undefined
        ? (await this.chainTime()) + SETTLEMENT_TTL_SECONDS
        : toSeconds(input.deadline, "settlement deadline");
    return { id: e, milestone: n, toBuyer, deadline };
  }

  /** `signer`'s EIP-712 signature of `settlement`. */
  async sign(settlement: Settlement, signer: Signer): Promise<SettlementSignature> {
    const signature = await signer.signTypedData(this.domain(), SETTLEMENT_TYPES, settlementMessage(settlement));
    return { signer: await signer.getAddress(), signature };
  }

  /**
   * Splits a disputed milestone as both sides agreed: collects the buyer's and the seller's
   * signatures of `settlement` (signing with a {@link Signer} given for a side) and sends them.
   * Refused before sending: an expired deadline, a signer that does not act for its side (payment
   * scope), a signature of something else.
   */
  settle(
    settlement: Settlement,
    buyer: Signer | SettlementSignature,
    seller: Signer | SettlementSignature,
  ): Call<ResolutionResult> {
    const [id, milestone] = [escrowId(settlement.id), milestoneNumber(settlement.milestone)];
    let token = "";
    const method = this.deferred("settle", async () => {
      const state = await this.milestoneState(id, milestone);
      token = state.escrow.token.address;
      const now = await this.chainTime();
      if (settlement.deadline < now) throw new Error(`the settlement expired at ${iso(settlement.deadline)}`);
      const sides: [Signer | SettlementSignature, bigint, string][] = [
        [buyer, state.escrow.buyer, "buyer"],
        [seller, state.escrow.seller, "seller"],
      ];
      const signed: SettlementSignature[] = [];
      for (const [side, did, role] of sides) {
        const s = isSignature(side) ? side : await this.sign(settlement, side);
        await this.requireSignature(settlement, s, did, role);
        signed.push(s);
      }
      const [b, s] = signed;
      return [id, milestone - 1, settlement.toBuyer, settlement.deadline, b.signer, b.signature, s.signer, s.signature];
    });
    const placeholder = [id, milestone - 1, settlement.toBuyer, settlement.deadline, ZeroAddress, "0x"] as const;
    return Call.of(method, [...placeholder, ZeroAddress, "0x"], (rc) => this.resolved(rc, token));
  }

  // ---- withdrawals ----

  /**
   * Pays `did`'s whole balance of a token to `options.to` (the caller by default); the caller acts
   * for `did` (payment scope). Without `options.token`, the one token `did` has a balance of.
   */
  withdraw(did: DidRef, options: { token?: string; to?: string } = {}): Call<Withdrawal> {
    const d = this.identity.didId(did);
    const givenToken = options.token === undefined ? undefined : checkedAddress(options.token);
    const givenTo = options.to === undefined ? undefined : checkedAddress(options.to);
    if (givenTo === ZeroAddress) throw new Error("cannot withdraw to the zero address: name the account to pay");
    const method = this.deferred("withdraw", async () => {
      const token = givenToken ?? (await this.onlyBalanceToken(d));
      const info = await this.tokenInfo(token);
      const amount = await this.escrow.balanceOf(token, d);
      if (amount === 0n) throw new Error(`DID ${d} has nothing of ${info.symbol} to withdraw`);
      return [token, d, givenTo ?? (await this.signerAddress())];
    });
    return Call.of(method, [givenToken ?? ZeroAddress, d, givenTo ?? ZeroAddress], (rc) => {
      const w = this.event(rc, "Withdrawn");
      return { did: d, token: w.token as string, to: w.to as string, amount: w.amount as bigint, ...landed(rc) };
    });
  }

  /**
   * Moves the whole balance of `token` of deactivated DID `from` (which can never withdraw again) to
   * active DID `to`, its successor, by order of case `caseRef`. Arbitrators only.
   */
  reassignBalance(from: DidRef, to: DidRef, caseRef: string, options: { token?: string } = {}): Call<Reassignment> {
    const [f, t] = [this.identity.didId(from), this.identity.didId(to)];
    const ref = nonZeroHash(caseRef, "case reference");
    const givenToken = options.token === undefined ? undefined : checkedAddress(options.token);
    const method = this.deferred("reassignBalance", async () => {
      const token = givenToken ?? (await this.onlyBalanceToken(f));
      return [token, f, t, ref];
    });
    return Call.of(method, [givenToken ?? ZeroAddress, f, t, ref], (rc) => {
      const r = this.event(rc, "BalanceReassigned");
      return {
        from: f,
        to: t,
        token: r.token as string,
        actor: r.actor as bigint,
        amount: r.amount as bigint,
        caseRef: ref,
        ...landed(rc),
      };
    });
  }

  // ---- reads ----

  /** Escrow `id`: token, parties, split, payees and each milestone with its status by name. */
  async show(id: bigint | number): Promise<EscrowView> {
    const e = escrowId(id);
    const stored = await this.read(() => this.escrow.escrowOf(e));
    const count = Number(stored.milestoneCount);
    const [token, [holders, inventors], milestones] = await Promise.all([
      this.tokenInfo(stored.token),
      this.escrow.payeesOf(e),
      Promise.all(Array.from({ length: count }, (_, i) => this.milestoneView(e, i + 1))),
    ]);
    const inEscrow = milestones.filter((m) => m.status === "Funded" || m.status === "Disputed");
    return {
      id: e,
      token,
      dealRef: stored.dealRef,
      buyer: stored.buyer,
      seller: stored.seller,
      centre: stored.centre,
      ...(stored.broker === 0n ? {} : { broker: stored.broker }),
      centreFeeBps: Number(stored.centreFeeBps),
      brokerBps: Number(stored.brokerBps),
      inventorBps: Number(stored.inventorBps),
      holders: holders.map((h) => ({ did: h.did, bps: Number(h.bps) })),
      inventors: [...inventors],
      milestones,
      total: milestones.reduce((sum, m) => sum + m.amount, 0n),
      held: inEscrow.reduce((sum, m) => sum + m.amount, 0n),
    };
  }

  /** Milestone `milestone` (from 1) of escrow `id`. */
  async milestone(id: bigint | number, milestone: number): Promise<MilestoneView> {
    return this.milestoneView(escrowId(id), milestoneNumber(milestone));
  }

  /**
   * What `did` may withdraw of each settlement token: the tokens of every escrow and the
   * deployment's stand-in currency, or `tokens` when given.
   */
  async balances(did: DidRef, tokens?: string[]): Promise<TokenBalance[]> {
    const d = this.identity.didId(did);
    const list = tokens ? tokens.map(checkedAddress) : await this.knownTokens();
    return Promise.all(
      list.map(async (t) => ({ token: await this.tokenInfo(t), amount: await this.escrow.balanceOf(t, d) })),
    );
  }

  /** What the escrow holds and owes of `token` (the stand-in currency by default), beside its token balance. */
  async liabilities(token?: string): Promise<Liabilities> {
    const t = token === undefined ? this.defaultToken() : checkedAddress(token);
    const [info, [held, owed], balance] = await Promise.all([
      this.tokenInfo(t),
      this.escrow.liabilities(t),
      this.tokenContract(t).balanceOf(this.escrow.target as string),
    ]);
    return { token: info, held, owed, balance, balanced: balance === held + owed };
  }

  /** The inventors' reward floor, in basis points of each release. */
  async inventorFloor(): Promise<number> {
    return Number(await this.escrow.inventorFloor());
  }

  /** How many escrows were opened (ids run from 1 to this). */
  async count(): Promise<bigint> {
    return this.escrow.escrowCount();
  }

  /** The token's symbol and decimals (2 assumed when it does not say), read once per token. */
  tokenInfo(address: string): Promise<TokenInfo> {
    const a = checkedAddress(address);
    let info = this.tokens.get(a);
    if (!info) {
      const token = ERC20Permit__factory.connect(a, this.escrow.runner);
      info = Promise.all([token.symbol().catch(() => a), token.decimals().then(Number, () => DEFAULT_DECIMALS)]).then(
        ([symbol, decimals]) => ({ address: a, symbol, decimals }),
      );
      this.tokens.set(a, info);
    }
    return info;
  }

  // ---- internals: checks ----

  private termsSpec(t: EscrowTerms) {
    const token = t.token === undefined ? this.defaultToken() : checkedAddress(t.token);
    const dealRef = nonZeroHash(t.dealRef, "deal reference");
    const [buyer, seller] = [this.identity.didId(t.buyer), this.identity.didId(t.seller)];
    if (buyer === seller) throw new Error(`the buyer and the seller are the same DID ${buyer}`);
    const broker = t.broker === undefined ? 0n : this.identity.didId(t.broker);
    const centreFeeBps = bps(t.centreFeeBps ?? 0, "the centre's fee");
    const brokerBps = bps(t.brokerBps ?? 0, "the broker's commission");
    const inventorBps = bps(t.inventorBps ?? 0, "the inventors' share");
    if (centreFeeBps + brokerBps + inventorBps >= WHOLE_BPS) {
      throw new Error(
        `the centre's fee (${centreFeeBps}), the broker's commission (${brokerBps}) and the inventors' share (${inventorBps}) add up to ${centreFeeBps + brokerBps + inventorBps} bps, leaving the holders nothing`,
      );
    }
    if (broker === 0n && brokerBps !== 0) throw new Error(`a broker's commission of ${brokerBps} bps names no broker`);
    const holders = this.holdings(t.holders);
    const inventors = (t.inventors ?? []).map((i) => this.identity.didId(i));
    if (inventors.length > MAX_PAYEES) throw new Error(`${inventors.length} inventors given, at most ${MAX_PAYEES}`);
    const twice = inventors.find((d, i) => inventors.indexOf(d) !== i);
    if (twice !== undefined) throw new Error(`inventor DID ${twice} is named twice`);
    if (inventors.length === 0 && inventorBps !== 0) {
      throw new Error(`an inventors' share of ${inventorBps} bps names no inventors`);
    }
    const milestones = this.schedule(t.milestones);
    return {
      token,
      dealRef,
      buyer,
      seller,
      broker,
      centreFeeBps,
      brokerBps,
      inventorBps,
      holders,
      inventors,
      milestones,
    };
  }

  private holdings(list: (string | HoldingInput)[]): HoldingView[] {
    if (list.length === 0 || list.length > MAX_PAYEES) {
      throw new Error(`${list.length} holders given: name 1 to ${MAX_PAYEES}`);
    }
    const holdings = list.map((h) => {
      const { did, bps: share } = typeof h === "string" ? parseShare(h) : h;
      return { did: this.identity.didId(did), bps: bps(share, `holder ${did}'s share`) };
    });
    const zero = holdings.find((h) => h.bps === 0);
    if (zero) throw new Error(`holder DID ${zero.did} has a share of 0 bps`);
    const twice = holdings.find((h, i) => holdings.findIndex((x) => x.did === h.did) !== i);
    if (twice) throw new Error(`holder DID ${twice.did} is named twice`);
    const sum = holdings.reduce((s, h) => s + h.bps, 0);
    if (sum !== WHOLE_BPS) {
      const parts = holdings.map((h) => h.bps).join(" + ");
      throw new Error(`the holders' shares sum to ${sum} bps (${parts}), not ${WHOLE_BPS}`);
    }
    return holdings;
  }

  private schedule(list: MilestoneInput[]): { amount: AmountInput; due: bigint }[] {
    if (list.length === 0 || list.length > MAX_MILESTONES) {
      throw new Error(`${list.length} milestones given: a schedule has 1 to ${MAX_MILESTONES}`);
    }
    const schedule = list.map((m, i) => {
      checkAmountSyntax(m.amount, `milestone ${i + 1}'s amount`);
      return { amount: m.amount, due: toSeconds(m.due, `milestone ${i + 1}'s due time`) };
    });
    schedule.forEach((m, i) => {
      if (i > 0 && m.due <= schedule[i - 1].due) {
        throw new Error(
          `milestone ${i + 1} is due ${iso(m.due)}, not after milestone ${i} (${iso(schedule[i - 1].due)}): due times must increase`,
        );
      }
    });
    return schedule;
  }

  /**
   * Refuses a payment the caller cannot make: a balance (and, unless by permit, an allowance) below
   * the amount. Other refusals (not the buyer, not acting for it, not awaiting funds) are left to
   * the contract's dry run, which names them.
   */
  private async requirePayable(state: MilestoneState, n: number, asDid: bigint, allowance: boolean): Promise<void> {
    const payer = await this.signerAddress();
    if (state.terms.status !== "Awaiting" || asDid !== state.escrow.buyer) return;
    if (!(await this.identity.registry.isActingFor(payer, asDid, SCOPES.PAYMENT))) return;
    const { token } = state.escrow;
    const contract = this.tokenContract(token.address);
    const amount = state.terms.amount;
    const needs = `milestone ${n} needs ${formatAmount(amount, token.decimals)}`;
    const balance = await contract.balanceOf(payer);
    if (balance < amount) {
      throw new Error(
        `insufficient balance: ${payer} holds ${formatAmount(balance, token.decimals)} of ${token.symbol}, ${needs} — top up the paying account first`,
      );
    }
    if (!allowance) return;
    const allowed = await contract.allowance(payer, this.escrow.target as string);
    if (allowed < amount) {
      throw new Error(
        `insufficient allowance: the escrow may take ${formatAmount(allowed, token.decimals)} of ${token.symbol}, ${needs} — approve it first or use --permit`,
      );
    }
  }

  private async requireSignature(
    settlement: Settlement,
    s: SettlementSignature,
    did: bigint,
    role: string,
  ): Promise<void> {
    const signer = checkedAddress(s.signer);
    if (!(await this.identity.registry.isActingFor(signer, did, SCOPES.PAYMENT))) {
      throw new Error(
        `the ${role}'s signer ${signer} does not act for ${role} DID ${did}: sign with a key of that DID, or of a representative with the payment scope`,
      );
    }
    const isContract = (await this.provider().getCode(signer)) !== "0x";
    if (isContract) return;
    let recovered = "";
    try {
      recovered = verifyTypedData(this.domain(), SETTLEMENT_TYPES, settlementMessage(settlement), s.signature);
    } catch {
      recovered = "";
    }
    if (recovered !== signer) {
      throw new Error(
        `the ${role}'s signature is not ${signer}'s signature of this settlement (escrow ${settlement.id}, milestone ${settlement.milestone}, ${settlement.toBuyer} to the buyer, deadline ${iso(settlement.deadline)})`,
      );
    }
  }

  private async requireActive(list: [bigint, string][]): Promise<void> {
    for (const [did, role] of list) {
      const status = await this.identity.statusOf(did);
      if (status === "None") throw new Error(`${role} DID ${did} is unknown: no such DID on this chain`);
      if (status !== "Active") throw new Error(`${role} DID ${did} is ${status.toLowerCase()}, not active`);
    }
  }

  // ---- internals: reads ----

  private async milestoneState(id: bigint, n: number): Promise<MilestoneState> {
    const stored = await this.read(() => this.escrow.escrowOf(id));
    const count = Number(stored.milestoneCount);
    if (n > count) throw new Error(`escrow ${id} has ${count} milestone${count === 1 ? "" : "s"}: no milestone ${n}`);
    const [token, terms] = await Promise.all([this.tokenInfo(stored.token), this.milestoneView(id, n)]);
    return { escrow: { token, buyer: stored.buyer, seller: stored.seller }, terms };
  }

  private async milestoneView(id: bigint, n: number): Promise<MilestoneView> {
    const [terms, status] = await this.read(() => this.escrow.milestoneOf(id, n - 1));
    return { number: n, amount: terms.amount, due: terms.due, status: MILESTONE_STATUSES[Number(status)] };
  }

  /** The settlement tokens of every escrow, and the stand-in currency. */
  private async knownTokens(): Promise<string[]> {
    const count = Number(await this.escrow.escrowCount());
    const tokens = await Promise.all(
      Array.from({ length: count }, async (_, i) => (await this.escrow.escrowOf(i + 1)).token),
    );
    const all = [...(this.settlementToken ? [this.settlementToken] : []), ...tokens].map((t) => getAddress(t));
    return [...new Set(all)];
  }

  private async onlyBalanceToken(did: bigint): Promise<string> {
    const held = (await this.balances(did)).filter((b) => b.amount > 0n);
    if (held.length === 0) throw new Error(`DID ${did} has nothing to withdraw`);
    if (held.length > 1) {
      const list = held.map((b) => `${b.token.symbol} ${b.token.address}`).join(", ");
      throw new Error(`DID ${did} has balances of ${held.length} tokens (${list}): name the token to withdraw`);
    }
    return held[0].token.address;
  }

  private defaultToken(): string {
    if (!this.settlementToken) {
      throw new Error("name the settlement token: the deployment has no stand-in currency to default to");
    }
    return this.settlementToken;
  }

  private tokenContract(address: string): ERC20Permit {
    return ERC20Permit__factory.connect(address, this.escrow.runner);
  }

  private async signPermit(token: string, value: bigint, deadline: bigint): Promise<Signature> {
    const signer = this.signer();
    const owner = await signer.getAddress();
    const contract = this.tokenContract(token);
    const [domain, nonce] = await Promise.all([this.permitDomain(contract), contract.nonces(owner)]);
    const spender = this.escrow.target as string;
    const message = { owner, spender, value, nonce, deadline };
    return Signature.from(await signer.signTypedData(domain, PERMIT_TYPES, message));
  }

  /** The token's EIP-712 domain (ERC-5267), or its name with version "1" when it does not publish one. */
  private async permitDomain(token: ERC20Permit): Promise<TypedDataDomain> {
    try {
      const d = await token.eip712Domain();
      return { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
    } catch {
      return {
        name: await token.name(),
        version: "1",
        chainId: this.chainId,
        verifyingContract: token.target as string,
      };
    }
  }

  private domain(): TypedDataDomain {
    return settlementDomain(this.chainId, this.escrow.target as string);
  }

  private async chainTime(): Promise<bigint> {
    const block = await this.provider().getBlock("latest");
    return BigInt(block?.timestamp ?? Math.floor(Date.now() / 1000));
  }

  private signer(): Signer {
    const runner = this.escrow.runner as Signer | null;
    if (!runner || typeof runner.getAddress !== "function") throw new Error("writing to the escrow needs a signer");
    return runner;
  }

  private signerAddress(): Promise<string> {
    return this.signer().getAddress();
  }

  private provider(): Provider {
    const provider = this.escrow.runner?.provider;
    if (!provider) throw new Error("the escrow client has no provider to read the chain with");
    return provider;
  }

  /** A read whose refusal (an unknown escrow or milestone) is thrown decoded. */
  private async read<R>(fn: () => Promise<R>): Promise<R> {
    try {
      return await fn();
    } catch (e) {
      throw toGovLedgerError(e);
    }
  }

  // ---- internals: calls and results ----

  private milestoneStep(
    name: "confirm" | "reclaim",
    id: bigint | number,
    milestone: number,
    asDid: DidRef,
    event: string,
    status: MilestoneStatusName,
    check?: (state: MilestoneState, n: number) => Promise<void>,
  ): Call<MilestoneResult> {
    const [e, n, did] = [escrowId(id), milestoneNumber(milestone), this.identity.didId(asDid)];
    let token = "";
    const method = this.deferred(name, async () => {
      const state = await this.milestoneState(e, n);
      token = state.escrow.token.address;
      await check?.(state, n);
      return [e, n - 1, did];
    });
    return Call.of(method, [e, n - 1, did], (rc) => this.stepped(rc, event, token, status));
  }

  /**
   * The escrow's write method `name`, whose arguments `args` computes (once, reading the chain) when
   * the call is first checked, estimated or sent: a refusal found there is thrown before anything is sent.
   */
  private deferred<K extends keyof SettlementEscrow & string>(
    name: K,
    args: () => Promise<unknown[]>,
  ): SettlementEscrow[K] {
    return lazyMethod(async () => [this.escrow[name], await args()]) as SettlementEscrow[K];
  }

  /** The escrow's own events in `receipt` (see {@link eventsOf}). */
  private events(receipt: TransactionReceipt): { name: string; args: Record<string, unknown> }[] {
    return eventsOf(this.escrow, receipt);
  }

  private event(receipt: TransactionReceipt, name: string): Record<string, unknown> {
    return eventOf(this.escrow, receipt, name);
  }

  private credits(receipt: TransactionReceipt): Credit[] {
    return this.events(receipt)
      .filter((e) => e.name === "Credited")
      .map((e) => ({ did: e.args.did as bigint, amount: e.args.amount as bigint }));
  }

  private stepped(rc: TransactionReceipt, name: string, token: string, status: MilestoneStatusName): MilestoneResult {
    const e = this.event(rc, name);
    return {
      id: e.id as bigint,
      milestone: Number(e.milestone) + 1,
      token,
      actor: e.actor as bigint,
      amount: e.amount as bigint,
      status,
      credits: this.credits(rc),
      ...landed(rc),
    };
  }

  private resolved(rc: TransactionReceipt, token: string): ResolutionResult {
    const e = this.event(rc, "MilestoneResolved");
    const [toBuyer, released] = [e.toBuyer as bigint, e.released as bigint];
    return {
      id: e.id as bigint,
      milestone: Number(e.milestone) + 1,
      token,
      actor: e.actor as bigint,
      amount: toBuyer + released,
      status: "Resolved",
      credits: this.credits(rc),
      toBuyer,
      released,
      caseRef: e.caseRef as string,
      ...landed(rc),
    };
  }
}

interface MilestoneState {
  escrow: { token: TokenInfo; buyer: bigint; seller: bigint };
  terms: MilestoneView;
}

/** `<did>:<bps>`, the DID as an id or `did:govledger:<chain>:<id>`. */
export function parseShare(input: string): HoldingInput {
  const at = input.lastIndexOf(":");
  const share = input.slice(at + 1).trim();
  if (at <= 0 || !/^\d+$/.test(share)) {
    throw new Error(`share "${input}" is not valid: expected <did>:<bps>, e.g. did:govledger:31337:5:7000`);
  }
  const did = input.slice(0, at).trim();
  return { did: /^\d+$/.test(did) ? BigInt(did) : did, bps: Number(share) };
}

/** `units` of a token with `decimals` decimals as a decimal string: 30000000n, 2 → "300000.00". */
export function formatAmount(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

/** A decimal string ("300000.00") in a token with `decimals` decimals as smallest units; a bigint as is. */
export function parseAmount(input: AmountInput, decimals: number, what = "amount"): bigint {
  checkAmountSyntax(input, what);
  if (typeof input === "bigint") return input;
  const [whole, fraction = ""] = input.trim().split(".");
  if (fraction.length > decimals) {
    throw new Error(
      `${what} "${input}" has ${fraction.length} decimals: the token has ${decimals} (e.g. ${formatAmount(12345n, decimals)})`,
    );
  }
  const units = BigInt(whole + fraction.padEnd(decimals, "0"));
  if (units > MAX_UINT128) throw new Error(`${what} "${input}" is too large`);
  return units;
}

function checkAmountSyntax(input: AmountInput, what: string): void {
  if (typeof input === "bigint") {
    if (input < 0n || input > MAX_UINT128)
      throw new Error(`${what} ${input} is not valid: expected 0 to 2^128-1 units`);
    return;
  }
  if (typeof input !== "string" || !/^\d+(\.\d+)?$/.test(input.trim())) {
    throw new Error(
      `${what} "${String(input)}" is not valid: expected a decimal amount such as 300000.00 (or a bigint of the token's smallest unit)`,
    );
  }
}

function toUnits(input: AmountInput, token: TokenInfo, what: string): bigint {
  return parseAmount(input, token.decimals, what);
}

/** Unix seconds of a Date, seconds, or an ISO 8601 string. */
function toSeconds(input: TimeInput, what: string): bigint {
  let seconds: bigint | undefined;
  if (input instanceof Date) {
    if (!Number.isNaN(input.getTime())) seconds = BigInt(Math.floor(input.getTime() / 1000));
  } else if (typeof input === "bigint") {
    seconds = input;
  } else if (typeof input === "number") {
    if (Number.isInteger(input)) seconds = BigInt(input);
  } else if (/^\d+$/.test(input.trim())) {
    seconds = BigInt(input.trim());
  } else {
    const text = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(input.trim()) ? `${input.trim()}Z` : input.trim();
    const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
    if (!Number.isNaN(ms)) seconds = BigInt(Math.floor(ms / 1000));
  }
  if (seconds === undefined || seconds <= 0n || seconds > MAX_UINT48) {
    throw new Error(`${what} "${String(input)}" is not a valid time: expected a Date, unix seconds or an ISO date`);
  }
  return seconds;
}

function escrowId(input: bigint | number): bigint {
  const ok = typeof input === "bigint" || Number.isInteger(input);
  if (!ok || BigInt(input) <= 0n) throw new Error(`escrow id ${input} is not valid: ids run from 1`);
  return BigInt(input);
}

/** A milestone number, from 1 to 12. */
function milestoneNumber(input: number): number {
  if (!Number.isInteger(input) || input < 1 || input > MAX_MILESTONES) {
    throw new Error(`milestone ${input} is not valid: milestones are numbered from 1 to ${MAX_MILESTONES}`);
  }
  return input;
}

function bps(input: number | bigint, what: string): number {
  const n = Number(input);
  if (!Number.isInteger(n) || n < 0 || n > WHOLE_BPS) {
    throw new Error(`${what} ${input} is not valid: expected 0 to ${WHOLE_BPS} basis points`);
  }
  return n;
}

function requireWithin(toBuyer: bigint, state: MilestoneState, n: number): void {
  const { amount } = state.terms;
  if (toBuyer > amount) {
    const d = state.escrow.token.decimals;
    throw new Error(
      `milestone ${n} holds ${formatAmount(amount, d)} of ${state.escrow.token.symbol}: cannot return ${formatAmount(toBuyer, d)} to the buyer`,
    );
  }
}

function settlementMessage(s: Settlement) {
  return { escrow: s.id, milestone: s.milestone - 1, toBuyer: s.toBuyer, deadline: s.deadline };
}

function isSignature(side: Signer | SettlementSignature): side is SettlementSignature {
  return typeof (side as SettlementSignature).signature === "string";
}

function iso(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString();
}
