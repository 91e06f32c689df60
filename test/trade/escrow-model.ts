import { Scope } from "../helpers/identity";
import { MilestoneStatus } from "../helpers/trade";

/**
 * A model of the settlement escrow, written from ISettlementEscrow's NatSpec and DESIGN §2.4, to predict
 * what the chain must do with one settlement token: every refusal (error and arguments; where a call
 * breaks several requirements, the first checked by SettlementEscrow wins), every credit of a release,
 * and the books (held, owed, balances).
 */

export const WHOLE_BPS = 10_000n;
export const MAX_MILESTONES = 12n;
export const MAX_PAYEES = 16;
export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
export const ZERO_HASH = "0x" + "00".repeat(32);

export interface ModelShare {
  did: bigint;
  bps: bigint;
}

export interface ModelMilestone {
  amount: bigint;
  due: bigint;
}

export interface ModelTerms {
  token: string;
  dealRef: string;
  buyer: bigint;
  seller: bigint;
  broker: bigint;
  centreFeeBps: bigint;
  brokerBps: bigint;
  inventorBps: bigint;
  holders: ModelShare[];
  inventors: bigint[];
  milestones: ModelMilestone[];
}

export interface ModelEscrow {
  id: bigint;
  terms: ModelTerms;
  centre: bigint;
  status: MilestoneStatus[];
  /** What each milestone's releases, refunds and resolutions credited in total. */
  credited: bigint[];
}

/** A balance credited: `did` may withdraw `amount` more. */
export interface Credit {
  did: bigint;
  amount: bigint;
}

/** A custom error, its arguments, and which contract declares it. */
export interface Refusal {
  on: "escrow" | "identity" | "currency";
  error: string;
  args: unknown[];
}

/** What a call must do: be refused, or emit `event`, credit `credits` and change the model by `apply`. */
export type Outcome =
  | { refusal: Refusal }
  | {
      refusal?: undefined;
      event: [string, unknown[]];
      credits: Credit[];
      apply: () => void;
    };

/** What the model knows of the world around the escrow. */
export interface World {
  token: string;
  escrow: string;
  floor: bigint;
  /** Account → DID, for every key of an active DID; DIDs not listed are unknown. */
  dids: Map<string, bigint>;
  /** The accounts holding TRADING_CENTRE, ARBITRATOR, GUARDIAN and COUNCIL on the escrow. */
  centre: string;
  arbitrator: string;
  guardian: string;
  council: string;
  /** The account that funds: its allowance to the escrow and permit nonce are modelled. */
  payer: string;
}

/** The settlement arguments as sent: each signer and the account whose key made its signature. */
export interface SettlementCall {
  sender: string;
  id: bigint;
  milestone: number;
  toBuyer: bigint;
  deadline: bigint;
  buyerSigner: string;
  buyerSignedBy: string;
  sellerSigner: string;
  sellerSignedBy: string;
}

const refuse = (on: Refusal["on"], error: string, ...args: unknown[]): { refusal: Refusal } => ({
  refusal: { on, error, args },
});
const escrowError = (error: string, ...args: unknown[]) => refuse("escrow", error, ...args);
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The split of a release of `amount`: the centre's fee, the broker's commission and the inventors' pool
 * (equal parts, dust to the first inventor) off the top, the rest to the holders by share (dust to the
 * first holder). Zero credits are left out; the credits always sum to `amount`.
 */
export function splitOf(t: ModelTerms, centre: bigint, amount: bigint): Credit[] {
  const centreFee = (amount * t.centreFeeBps) / WHOLE_BPS;
  const brokerFee = (amount * t.brokerBps) / WHOLE_BPS;
  const pool = (amount * t.inventorBps) / WHOLE_BPS;
  const out: Credit[] = [{ did: centre, amount: centreFee }];
  if (t.broker !== 0n) out.push({ did: t.broker, amount: brokerFee });
  if (pool !== 0n) {
    const each = pool / BigInt(t.inventors.length);
    out.push({ did: t.inventors[0], amount: pool - each * BigInt(t.inventors.length - 1) });
    for (const did of t.inventors.slice(1)) out.push({ did, amount: each });
  }
  const rest = amount - centreFee - brokerFee - pool;
  const parts = t.holders.slice(1).map((h) => ({ did: h.did, amount: (rest * h.bps) / WHOLE_BPS }));
  const paid = parts.reduce((sum, p) => sum + p.amount, 0n);
  out.push({ did: t.holders[0].did, amount: rest - paid }, ...parts);
  return out.filter((c) => c.amount !== 0n);
}

/** The escrow of one settlement token: its escrows, balances, books, pause, and the payer's allowance. */
export class EscrowModel {
  readonly escrows: ModelEscrow[] = [];
  readonly balances = new Map<bigint, bigint>();
  /** Tokens withdrawn, by receiving account (lower case). */
  readonly received = new Map<string, bigint>();
  held = 0n;
  owed = 0n;
  /** Σ funded and Σ withdrawn. */
  paidIn = 0n;
  paidOut = 0n;
  paused = false;
  allowance = 0n;
  permitNonce = 0n;

  constructor(readonly world: World) {}

  didOf(account: string): bigint {
    return this.world.dids.get(account.toLowerCase()) ?? 0n;
  }

  isActive(did: bigint): boolean {
    return did !== 0n && [...this.world.dids.values()].includes(did);
  }

  balanceOf(did: bigint): bigint {
    return this.balances.get(did) ?? 0n;
  }

  escrow(id: bigint): ModelEscrow | undefined {
    return id >= 1n && id <= BigInt(this.escrows.length) ? this.escrows[Number(id) - 1] : undefined;
  }

  /** Every milestone (escrow id, index) in `status`, in order. */
  milestonesIn(status: MilestoneStatus): [bigint, number][] {
    return this.escrows.flatMap((e) =>
      e.status.flatMap((s, i): [bigint, number][] => (s === status ? [[e.id, i]] : [])),
    );
  }

  approve(amount: bigint): Outcome {
    return {
      event: ["Approval", [this.world.payer, this.world.escrow, amount]],
      credits: [],
      apply: () => {
        this.allowance = amount;
      },
    };
  }

  open(caller: string, t: ModelTerms, now: bigint): Outcome {
    if (!same(caller, this.world.centre)) return escrowError("AccessManagedUnauthorized", caller);
    if (this.paused) return escrowError("EnforcedPause");
    const centre = this.didOf(caller);
    if (!this.isActive(centre)) return escrowError("EscrowInactiveParty", centre);
    if (t.token === ZERO_ADDRESS || t.dealRef === ZERO_HASH || t.buyer === t.seller) {
      return escrowError("EscrowInvalidTerms");
    }
    for (const did of [t.buyer, t.seller, ...(t.broker === 0n ? [] : [t.broker])]) {
      if (!this.isActive(did)) return escrowError("EscrowInactiveParty", did);
    }
    const inventorsOk = t.inventors.length === 0 ? t.inventorBps === 0n : t.inventorBps >= this.world.floor;
    if (
      t.centreFeeBps + t.brokerBps + t.inventorBps >= WHOLE_BPS ||
      (t.broker === 0n && t.brokerBps !== 0n) ||
      !inventorsOk
    ) {
      return escrowError("EscrowInvalidSplit", t.centreFeeBps, t.brokerBps, t.inventorBps, this.world.floor);
    }
    const count = BigInt(t.milestones.length);
    const badSchedule = escrowError("EscrowInvalidSchedule", count, MAX_MILESTONES);
    if (count === 0n || count > MAX_MILESTONES) return badSchedule;
    // The first due time is after now; each next one is not earlier than the one before.
    let previous = now + 1n;
    for (const m of t.milestones) {
      if (m.amount === 0n || m.due < previous) return badSchedule;
      previous = m.due;
    }
    const refusal = this.payeesRefusal(t);
    if (refusal) return { refusal };
    const id = BigInt(this.escrows.length) + 1n;
    const total = t.milestones.reduce((sum, m) => sum + m.amount, 0n);
    return {
      event: ["EscrowOpened", [id, t.dealRef, centre, t.buyer, t.seller, t.token, total]],
      credits: [],
      apply: () => {
        this.escrows.push({
          id,
          terms: t,
          centre,
          status: t.milestones.map(() => MilestoneStatus.Awaiting),
          credited: t.milestones.map(() => 0n),
        });
      },
    };
  }

  private payeesRefusal(t: ModelTerms): Refusal | undefined {
    if (t.holders.length === 0 || t.holders.length > MAX_PAYEES || t.inventors.length > MAX_PAYEES) {
      return escrowError("EscrowInvalidShares", 0n).refusal;
    }
    let sum = 0n;
    for (const [i, h] of t.holders.entries()) {
      if (h.bps === 0n || t.holders.slice(0, i).some((x) => x.did === h.did)) {
        return escrowError("EscrowInvalidShares", sum).refusal;
      }
      if (!this.isActive(h.did)) return escrowError("EscrowInactiveParty", h.did).refusal;
      sum += h.bps;
    }
    if (sum !== WHOLE_BPS) return escrowError("EscrowInvalidShares", sum).refusal;
    for (const [i, did] of t.inventors.entries()) {
      if (t.inventors.slice(0, i).includes(did)) return escrowError("EscrowInvalidShares", WHOLE_BPS).refusal;
      if (!this.isActive(did)) return escrowError("EscrowInactiveParty", did).refusal;
    }
    return undefined;
  }

  /** The refusal when `caller` does not act for `did` with the PAYMENT scope (no mandates here). */
  private notActing(caller: string, did: bigint): { refusal: Refusal } | undefined {
    const own = this.didOf(caller);
    if (own !== did || !this.isActive(did)) {
      return refuse("identity", "IdentityNotActingFor", caller, did, BigInt(Scope.PAYMENT));
    }
    return undefined;
  }

  /** The escrow and milestone named, or the refusal for an unknown one. */
  private find(id: bigint, milestone: number): { refusal: Refusal } | { e: ModelEscrow } {
    const e = this.escrow(id);
    if (!e) return escrowError("EscrowUnknown", id);
    if (milestone >= e.status.length) return escrowError("EscrowUnknownMilestone", id, BigInt(milestone));
    return { e };
  }

  private statusRefusal(e: ModelEscrow, milestone: number, expected: MilestoneStatus) {
    const status = e.status[milestone];
    if (status !== expected) return escrowError("EscrowUnexpectedStatus", e.id, BigInt(milestone), BigInt(status));
    return undefined;
  }

  private credit(e: ModelEscrow, milestone: number, credits: Credit[]): void {
    for (const c of credits) {
      this.balances.set(c.did, this.balanceOf(c.did) + c.amount);
      this.owed += c.amount;
      e.credited[milestone] += c.amount;
    }
  }

  /**
   * {fund}, or {fundWithPermit} when `permit` is given: the permit (signed by the caller for the
   * milestone's amount) sets the caller's allowance if it is still valid at `now`, and is ignored otherwise.
   */
  fund(
    caller: string,
    id: bigint,
    milestone: number,
    asDid: bigint,
    now: bigint,
    permit?: { deadline: bigint },
  ): Outcome {
    if (this.paused) return escrowError("EnforcedPause");
    let allowance = same(caller, this.world.payer) ? this.allowance : 0n;
    let permitted = false;
    if (permit) {
      const found = this.find(id, milestone);
      if ("refusal" in found) return found;
      if (now <= permit.deadline) {
        allowance = found.e.terms.milestones[milestone].amount;
        permitted = true;
      }
    }
    const acting = this.notActing(caller, asDid);
    if (acting) return acting;
    const e = this.escrow(id);
    if (!e) return escrowError("EscrowUnknown", id);
    if (asDid !== e.terms.buyer) return escrowError("EscrowNotParty", id, asDid);
    const found = this.find(id, milestone);
    if ("refusal" in found) return found;
    const wrong = this.statusRefusal(e, milestone, MilestoneStatus.Awaiting);
    if (wrong) return wrong;
    const amount = e.terms.milestones[milestone].amount;
    if (allowance < amount) {
      return refuse("currency", "ERC20InsufficientAllowance", this.world.escrow, allowance, amount);
    }
    return {
      event: ["MilestoneFunded", [id, BigInt(milestone), asDid, amount]],
      credits: [],
      apply: () => {
        e.status[milestone] = MilestoneStatus.Funded;
        this.held += amount;
        this.paidIn += amount;
        this.allowance = allowance - amount;
        if (permitted) this.permitNonce += 1n;
      },
    };
  }

  confirm(caller: string, id: bigint, milestone: number, asDid: bigint): Outcome {
    if (this.paused) return escrowError("EnforcedPause");
    const acting = this.notActing(caller, asDid);
    if (acting) return acting;
    const e = this.escrow(id);
    if (!e) return escrowError("EscrowUnknown", id);
    if (asDid !== e.terms.buyer && asDid !== e.centre) return escrowError("EscrowNotParty", id, asDid);
    const found = this.find(id, milestone);
    if ("refusal" in found) return found;
    const wrong = this.statusRefusal(e, milestone, MilestoneStatus.Funded);
    if (wrong) return wrong;
    const amount = e.terms.milestones[milestone].amount;
    const credits = splitOf(e.terms, e.centre, amount);
    return {
      event: ["MilestoneReleased", [id, BigInt(milestone), asDid, amount]],
      credits,
      apply: () => {
        e.status[milestone] = MilestoneStatus.Released;
        this.held -= amount;
        this.credit(e, milestone, credits);
      },
    };
  }

  reclaim(caller: string, id: bigint, milestone: number, asDid: bigint, now: bigint): Outcome {
    if (this.paused) return escrowError("EnforcedPause");
    const acting = this.notActing(caller, asDid);
    if (acting) return acting;
    const e = this.escrow(id);
    if (!e) return escrowError("EscrowUnknown", id);
    if (asDid !== e.terms.buyer) return escrowError("EscrowNotParty", id, asDid);
    const found = this.find(id, milestone);
    if ("refusal" in found) return found;
    const wrong = this.statusRefusal(e, milestone, MilestoneStatus.Funded);
    if (wrong) return wrong;
    const { amount, due } = e.terms.milestones[milestone];
    if (now <= due) return escrowError("EscrowNotDue", id, BigInt(milestone), due);
    const credits = [{ did: e.terms.buyer, amount }];
    return {
      event: ["MilestoneReclaimed", [id, BigInt(milestone), asDid, amount]],
      credits,
      apply: () => {
        e.status[milestone] = MilestoneStatus.Refunded;
        this.held -= amount;
        this.credit(e, milestone, credits);
      },
    };
  }

  dispute(caller: string, id: bigint, milestone: number, asDid: bigint, reasonHash: string): Outcome {
    if (this.paused) return escrowError("EnforcedPause");
    const acting = this.notActing(caller, asDid);
    if (acting) return acting;
    const e = this.escrow(id);
    if (!e) return escrowError("EscrowUnknown", id);
    if (asDid !== e.terms.buyer && asDid !== e.terms.seller) return escrowError("EscrowNotParty", id, asDid);
    const found = this.find(id, milestone);
    if ("refusal" in found) return found;
    const wrong = this.statusRefusal(e, milestone, MilestoneStatus.Funded);
    if (wrong) return wrong;
    return {
      event: ["MilestoneDisputed", [id, BigInt(milestone), asDid, reasonHash]],
      credits: [],
      apply: () => {
        e.status[milestone] = MilestoneStatus.Disputed;
      },
    };
  }

  rule(caller: string, id: bigint, milestone: number, toBuyer: bigint, caseRef: string): Outcome {
    if (!same(caller, this.world.arbitrator)) return escrowError("AccessManagedUnauthorized", caller);
    if (this.paused) return escrowError("EnforcedPause");
    if (caseRef === ZERO_HASH) return escrowError("EscrowNoCase");
    const actor = this.didOf(caller);
    if (!this.isActive(actor)) return escrowError("EscrowInactiveParty", actor);
    return this.resolve(id, milestone, toBuyer, actor, caseRef);
  }

  settle(c: SettlementCall, now: bigint): Outcome {
    if (this.paused) return escrowError("EnforcedPause");
    if (c.deadline < now) return escrowError("EscrowSettlementExpired", c.deadline);
    const e = this.escrow(c.id);
    if (!e) return escrowError("EscrowUnknown", c.id);
    const signs = (did: bigint, signer: string, signedBy: string) =>
      same(signer, signedBy) && this.notActing(signer, did) === undefined;
    if (!signs(e.terms.buyer, c.buyerSigner, c.buyerSignedBy)) {
      return escrowError("EscrowInvalidSignature", e.terms.buyer, c.buyerSigner);
    }
    if (!signs(e.terms.seller, c.sellerSigner, c.sellerSignedBy)) {
      return escrowError("EscrowInvalidSignature", e.terms.seller, c.sellerSigner);
    }
    return this.resolve(c.id, c.milestone, c.toBuyer, this.didOf(c.sender), ZERO_HASH);
  }

  private resolve(id: bigint, milestone: number, toBuyer: bigint, actor: bigint, caseRef: string): Outcome {
    const found = this.find(id, milestone);
    if ("refusal" in found) return found;
    const { e } = found;
    const wrong = this.statusRefusal(e, milestone, MilestoneStatus.Disputed);
    if (wrong) return wrong;
    const amount = e.terms.milestones[milestone].amount;
    if (toBuyer > amount) return escrowError("EscrowInvalidResolution", toBuyer, amount);
    const released = amount - toBuyer;
    const credits = [
      ...(toBuyer === 0n ? [] : [{ did: e.terms.buyer, amount: toBuyer }]),
      ...(released === 0n ? [] : splitOf(e.terms, e.centre, released)),
    ];
    return {
      event: ["MilestoneResolved", [id, BigInt(milestone), actor, toBuyer, released, caseRef]],
      credits,
      apply: () => {
        e.status[milestone] = MilestoneStatus.Resolved;
        this.held -= amount;
        this.credit(e, milestone, credits);
      },
    };
  }

  withdraw(caller: string, did: bigint, to: string): Outcome {
    if (this.paused) return escrowError("EnforcedPause");
    const acting = this.notActing(caller, did);
    if (acting) return acting;
    const amount = this.balanceOf(did);
    if (amount === 0n) return escrowError("EscrowNothingToWithdraw", did, this.world.token);
    return {
      event: ["Withdrawn", [did, this.world.token, to, amount]],
      credits: [],
      apply: () => {
        this.balances.set(did, 0n);
        this.owed -= amount;
        this.paidOut += amount;
        this.received.set(to.toLowerCase(), (this.received.get(to.toLowerCase()) ?? 0n) + amount);
      },
    };
  }

  pause(caller: string): Outcome {
    if (!same(caller, this.world.guardian)) return escrowError("AccessManagedUnauthorized", caller);
    if (this.paused) return escrowError("EnforcedPause");
    return { event: ["Paused", [caller]], credits: [], apply: () => void (this.paused = true) };
  }

  unpause(caller: string): Outcome {
    if (!same(caller, this.world.council)) return escrowError("AccessManagedUnauthorized", caller);
    if (!this.paused) return escrowError("ExpectedPause");
    return { event: ["Unpaused", [caller]], credits: [], apply: () => void (this.paused = false) };
  }
}
