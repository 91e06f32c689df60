import { AchievementStatus, MAX_HOLDERS, Right, WHOLE_BPS } from "../../src/sdk/achievement-types";
import { Scope } from "../helpers/identity";

/**
 * A model of one achievement's rights, locks and consents, written from the rules of DESIGN §2.3 and
 * IAchievementRights (not from the contracts' code), to predict what the chain must do.
 */

export const RIGHTS = [Right.Ownership, Right.Use, Right.Disposal, Right.Income];
export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

export interface ModelHolding {
  did: bigint;
  bps: number;
}

/** A custom error and its arguments; the test finds the contract whose interface declares it. */
export interface Refusal {
  error: string;
  args: unknown[];
}

/** What a call must do: be refused, or succeed and then change the model by `apply`. */
export interface Outcome {
  refusal?: Refusal;
  apply?: () => void;
}

/** Who agreed to an action, as handed to the call that applies it. */
export interface ConsentsGiven {
  /** The account that sends the call. */
  caller: string;
  /** The DID the caller acts for, whose consent counts. */
  asDid: bigint;
  /** Signed consents, in the order handed over: the DID named and the account that signed. */
  signed: { did: bigint; signer: string }[];
  /** The action hash, under which on-chain approvals are recorded. */
  actionHash: string;
}

export interface ModelChange {
  right: Right;
  holdings: ModelHolding[];
  until: number;
  holder: string;
  version: number;
  deadline: number;
}

export interface ModelPledge {
  lender: bigint;
  until: number;
  version: number;
  deadline: number;
}

const refuse = (error: string, ...args: unknown[]): Outcome => ({ refusal: { error, args } });

/** Appends `dids` to `out` in order, each once. */
function addDistinct(out: bigint[], dids: bigint[]): bigint[] {
  for (const did of dids) if (!out.includes(did)) out.push(did);
  return out;
}

/**
 * Why a list of holdings is refused (1..16 holders, non-zero shares, distinct, active, summing to
 * 10,000 bps), or undefined when it is valid.
 */
export function holdingsRefusal(list: ModelHolding[], isActive: (did: bigint) => boolean): Refusal | undefined {
  if (list.length === 0 || list.length > MAX_HOLDERS) {
    return { error: "AchievementInvalidHolderCount", args: [list.length, MAX_HOLDERS] };
  }
  let sum = 0;
  for (let i = 0; i < list.length; i++) {
    const { did, bps } = list[i];
    if (bps === 0) return { error: "AchievementZeroShare", args: [did] };
    if (list.slice(0, i).some((h) => h.did === did)) return { error: "AchievementDuplicateParty", args: [did] };
    if (!isActive(did)) return { error: "AchievementInactiveParty", args: [did] };
    sum += bps;
  }
  if (sum !== WHOLE_BPS) return { error: "AchievementSharesNotWhole", args: [sum] };
  return undefined;
}

export class AchievementModel {
  /** Each right's own permanent holders; a right without them follows ownership. */
  readonly own: (ModelHolding[] | undefined)[];
  /** Each right's latest grant (in force while `until` is in the future). */
  readonly grants: ({ holdings: ModelHolding[]; until: number } | undefined)[] = RIGHTS.map(() => undefined);
  status = AchievementStatus.Registered;
  /** The stage before the last listing. */
  listedFrom = AchievementStatus.Registered;
  pledged = false;
  disputed = false;
  frozen = false;
  version = 1;
  lender = 0n;
  /** On-chain approvals: action hash → DIDs that approved it. */
  readonly approvals = new Map<string, Set<bigint>>();

  constructor(
    readonly id: bigint,
    owners: ModelHolding[],
    public holder: string,
    readonly inventors: bigint[],
    /** The account acting for each known DID (every known DID is active). */
    readonly accountOf: Map<bigint, string>,
  ) {
    this.own = [owners, undefined, undefined, undefined];
  }

  isActive(did: bigint): boolean {
    return this.accountOf.has(did);
  }

  /**
   * The lists that hold right `r` from `now` on, in the order they come into force: its running
   * grant; then its own holders or — when it follows ownership — the lists that hold ownership once
   * that grant has ended.
   */
  fallbacks(r: Right, now: number): ModelHolding[][] {
    const lists: ModelHolding[][] = [];
    let from = now;
    const grant = this.grants[r];
    if (grant && grant.until > now) {
      lists.push(grant.holdings);
      from = grant.until;
    }
    const own = this.own[r];
    if (own) lists.push(own);
    else lists.push(...this.fallbacks(Right.Ownership, from));
    return lists;
  }

  /** The holdings of `r` in force at `now`. */
  holdings(r: Right, now: number): ModelHolding[] {
    return this.fallbacks(r, now)[0];
  }

  /** The holders `r` has apart from any grant: its own, or ownership's permanent holders. */
  base(r: Right): ModelHolding[] {
    return this.own[r] ?? (this.own[Right.Ownership] as ModelHolding[]);
  }

  /** The grant in force over `r` at `now`: its own, or ownership's when it follows ownership. */
  runningGrant(r: Right, now: number): { holdings: ModelHolding[]; until: number } | undefined {
    const grant = this.grants[r];
    if (grant && grant.until > now) return grant;
    return this.own[r] ? undefined : this.runningGrant(Right.Ownership, now);
  }

  /** Whether `did` holds a right now or as a base, or is an inventor. */
  isParty(did: bigint, now: number): boolean {
    const holds = (list: ModelHolding[]) => list.some((h) => h.did === did);
    return RIGHTS.some((r) => holds(this.holdings(r, now)) || holds(this.base(r))) || this.inventors.includes(did);
  }

  /**
   * Whose consent change `c` needs: every holder of the right now, every holder it returns to once
   * the grants in force end, and every new holder.
   */
  changeParties(c: ModelChange, now: number): bigint[] {
    return addDistinct(
      this.holdersThrough(c.right, now),
      c.holdings.map((h) => h.did),
    );
  }

  /**
   * Whose consent a pledge needs: every disposal-right holder now and after the grants in force end
   * (the pledge may outlast them), and the lender.
   */
  pledgeParties(lender: bigint, now: number): bigint[] {
    return addDistinct(this.holdersThrough(Right.Disposal, now), [lender]);
  }

  /** Every holder of `r` now or once the grants in force end, each once. */
  private holdersThrough(r: Right, now: number): bigint[] {
    return addDistinct(
      [],
      this.fallbacks(r, now).flatMap((list) => list.map((h) => h.did)),
    );
  }

  // ---- predictions ----

  /** `caller` acts for `did` only through its own DID's key. */
  private notActing(caller: string, did: bigint): Outcome | undefined {
    if (this.accountOf.get(did) === caller) return undefined;
    return refuse("IdentityNotActingFor", caller, did, Scope.ACHIEVEMENT);
  }

  private notCurrent(version: number, deadline: number, now: number): Outcome | undefined {
    if (version !== this.version) return refuse("AchievementStaleVersion", this.id, version, this.version);
    if (deadline < now) return refuse("AchievementConsentExpired", deadline);
    return undefined;
  }

  /** Every party in `needed` is the caller's DID, approved on chain, or signed by an account acting for it. */
  private missingConsent(needed: bigint[], given: ConsentsGiven): Outcome | undefined {
    const approved = this.approvals.get(given.actionHash);
    for (const did of needed) {
      if (did === given.asDid || approved?.has(did)) continue;
      const consent = given.signed.find((s) => s.did === did);
      if (!consent) return refuse("AchievementConsentMissing", this.id, did);
      if (this.accountOf.get(did) !== consent.signer) {
        return refuse("AchievementInvalidSignature", did, consent.signer);
      }
    }
    return undefined;
  }

  /** Locked or listed: no change by consent, no pledge, no listing. */
  private unchangeable(): Outcome | undefined {
    if (this.pledged || this.disputed || this.frozen) {
      return refuse("AchievementLocked", this.id, this.pledged, this.disputed, this.frozen);
    }
    if (this.status === AchievementStatus.Listed) return refuse("AchievementUnexpectedStatus", this.id, this.status);
    return undefined;
  }

  private approve(
    actionHash: string,
    did: bigint,
    caller: string,
    needed: bigint[],
    current: Outcome | undefined,
  ): Outcome {
    const refusal =
      current ??
      this.notActing(caller, did) ??
      (needed.includes(did) ? undefined : refuse("AchievementConsentNotNeeded", actionHash, did)) ??
      (this.approvals.get(actionHash)?.has(did) ? refuse("AchievementAlreadyConsented", actionHash, did) : undefined);
    if (refusal) return refusal;
    return {
      apply: () => {
        const set = this.approvals.get(actionHash) ?? new Set<bigint>();
        set.add(did);
        this.approvals.set(actionHash, set);
      },
    };
  }

  approveChange(c: ModelChange, actionHash: string, did: bigint, caller: string, now: number): Outcome {
    const current = this.notCurrent(c.version, c.deadline, now);
    return this.approve(actionHash, did, caller, this.changeParties(c, now), current);
  }

  approvePledge(p: ModelPledge, actionHash: string, did: bigint, caller: string, now: number): Outcome {
    const current = this.notCurrent(p.version, p.deadline, now);
    return this.approve(actionHash, did, caller, this.pledgeParties(p.lender, now), current);
  }

  /** A change by consent (`given`) or by an arbitrator's order (`given` undefined). */
  change(c: ModelChange, given: ConsentsGiven | undefined, now: number): Outcome {
    if (given) {
      const refusal =
        this.notActing(given.caller, given.asDid) ??
        this.notCurrent(c.version, c.deadline, now) ??
        this.missingConsent(this.changeParties(c, now), given) ??
        this.unchangeable();
      if (refusal) return refusal;
    } else if (c.version !== this.version) {
      return refuse("AchievementStaleVersion", this.id, c.version, this.version);
    }
    const invalid = holdingsRefusal(c.holdings, (did) => this.isActive(did));
    if (invalid) return { refusal: invalid };
    if (c.until === 0) {
      if (c.right === Right.Ownership) {
        if (this.accountOf.get(c.holdings[0].did) !== c.holder) {
          return refuse("AchievementInvalidHolder", c.holder, c.holdings[0].did);
        }
      } else if (c.holder !== ZERO_ADDRESS) return refuse("AchievementInvalidHolder", c.holder, 0);
    } else {
      if (c.until <= now) return refuse("AchievementInvalidTerm", c.until);
      if (c.holder !== ZERO_ADDRESS) return refuse("AchievementInvalidHolder", c.holder, 0);
    }
    return {
      apply: () => {
        if (c.until === 0) {
          this.own[c.right] = c.holdings;
          this.grants[c.right] = undefined;
          if (c.right === Right.Ownership) {
            this.holder = c.holder;
            this.status = AchievementStatus.Transferred;
          }
        } else {
          this.grants[c.right] = { holdings: c.holdings, until: c.until };
        }
        this.version += 1;
      },
    };
  }

  pledge(p: ModelPledge, given: ConsentsGiven, now: number): Outcome {
    const refusal =
      this.notActing(given.caller, given.asDid) ??
      this.notCurrent(p.version, p.deadline, now) ??
      (p.until <= now ? refuse("AchievementInvalidTerm", p.until) : undefined) ??
      (this.isActive(p.lender) ? undefined : refuse("AchievementInactiveParty", p.lender)) ??
      this.missingConsent(this.pledgeParties(p.lender, now), given) ??
      this.unchangeable();
    if (refusal) return refusal;
    return this.lock(() => {
      this.pledged = true;
      this.lender = p.lender;
    });
  }

  /** Release by the lender (`asDid`, for which `caller` acts) or, with `asDid` undefined, by order. */
  release(asDid: bigint | undefined, caller: string): Outcome {
    if (asDid !== undefined) {
      const refusal = this.notActing(caller, asDid);
      if (refusal) return refusal;
    }
    if (this.lender === 0n) return refuse("AchievementNotPledged", this.id);
    if (asDid !== undefined && asDid !== this.lender) return refuse("AchievementNotLender", this.id, asDid);
    return this.lock(() => {
      this.pledged = false;
      this.lender = 0n;
    });
  }

  openDispute(asDid: bigint, caller: string, now: number): Outcome {
    const refusal =
      this.notActing(caller, asDid) ??
      (this.isParty(asDid, now) ? undefined : refuse("AchievementNotParty", this.id, asDid)) ??
      (this.disputed ? refuse("AchievementLockUnchanged", this.id) : undefined);
    if (refusal) return refusal;
    return this.lock(() => (this.disputed = true));
  }

  closeDispute(): Outcome {
    if (!this.disputed) return refuse("AchievementLockUnchanged", this.id);
    return this.lock(() => (this.disputed = false));
  }

  setFrozen(on: boolean): Outcome {
    if (this.frozen === on) return refuse("AchievementLockUnchanged", this.id);
    return this.lock(() => (this.frozen = on));
  }

  markListed(): Outcome {
    const refusal = this.unchangeable();
    if (refusal) return refusal;
    return {
      apply: () => {
        this.listedFrom = this.status;
        this.status = AchievementStatus.Listed;
      },
    };
  }

  /**
   * Delisting restores a Licensed or Transferred stage, else returns to Registered: the model's
   * achievements are never evaluated.
   */
  markDelisted(): Outcome {
    if (this.status !== AchievementStatus.Listed) return refuse("AchievementUnexpectedStatus", this.id, this.status);
    const back = this.listedFrom >= AchievementStatus.Licensed ? this.listedFrom : AchievementStatus.Registered;
    return { apply: () => (this.status = back) };
  }

  /** Every lock change is a change of the achievement: consents given before it are stale. */
  private lock(change: () => void): Outcome {
    return {
      apply: () => {
        change();
        this.version += 1;
      },
    };
  }
}
