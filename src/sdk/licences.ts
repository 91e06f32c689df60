import { ZeroHash, type TransactionReceipt } from "ethers";
import type { ILicenceRegister, LicenceRegister } from "../../typechain-types/contracts/trade/LicenceRegister";
import { Call, landed, type Landed } from "./call";
import type { DidRef, IdentityClient } from "./identity";
import { checkedHash } from "./members";

/** Licence kinds by name, in the contract's order: 独占, 排他, 普通. */
export const LICENCE_KINDS = ["exclusive", "sole", "non-exclusive"] as const;
export type LicenceKindName = (typeof LICENCE_KINDS)[number];

/** Licence statuses by name, in the contract's order. */
export const LICENCE_STATUSES = ["None", "Active", "Terminated"] as const;

/** What a licence allows; field and territory 0 mean every field / everywhere. */
export interface LicenceTermsInput {
  kind: LicenceKindName | number;
  field?: bigint | number;
  territory?: bigint | number;
  /** Unix seconds, or a Date. */
  start: bigint | number | Date;
  end: bigint | number | Date;
  sublicensable?: boolean;
}

export interface LicenceView {
  id: bigint;
  achievement: bigint;
  licensee: bigint;
  recordedBy: bigint;
  /** "Active" and not yet ended, "Ended", or "Terminated". */
  status: "Active" | "Ended" | "Terminated";
  kind: LicenceKindName;
  field: bigint;
  territory: bigint;
  start: bigint;
  end: bigint;
  sublicensable: boolean;
  dealRef: string;
}

export interface LicenceRecorded extends Landed {
  id: bigint;
  achievement: bigint;
  licensee: bigint;
  recordedBy: bigint;
}

export interface LicenceTerminated extends Landed {
  id: bigint;
  actor: bigint;
  caseRef: string;
}

const UINT32 = 2n ** 32n;
const UINT48 = 2n ** 48n;

/**
 * The licence register: record licences (trading centres), terminate them (arbitrators), and ask
 * "is C licensed for field F in territory T at time t?" in one call.
 */
export class LicenceClient {
  constructor(
    readonly register: LicenceRegister,
    private readonly identity: IdentityClient,
  ) {}

  /** Records a licence of `achievement` to `licensee` from deal `dealRef`. Trading centres only. */
  record(
    achievement: bigint | number | string,
    licensee: DidRef,
    terms: LicenceTermsInput,
    dealRef: string,
  ): Call<LicenceRecorded> {
    const a = BigInt(achievement);
    const d = this.identity.didId(licensee);
    const t = termsStruct(terms);
    const ref = checkedHash(dealRef);
    if (ref === ZeroHash)
      throw new Error("the deal reference is zero: name the deal confirmation the licence comes from");
    return Call.of(this.register.record, [a, d, t, ref], (rc) => {
      const e = this.event(rc, "LicenceRecorded");
      return { id: e.id, achievement: e.achievement, licensee: e.licensee, recordedBy: e.recordedBy, ...landed(rc) };
    });
  }

  /** Terminates licence `id` by order of case `caseRef`. Arbitrators only. */
  terminate(id: bigint | number, caseRef: string): Call<LicenceTerminated> {
    const ref = checkedHash(caseRef);
    if (ref === ZeroHash) throw new Error("the case reference is zero: name the case that orders the termination");
    return Call.of(this.register.terminate, [BigInt(id), ref], (rc) => {
      const e = this.event(rc, "LicenceTerminated");
      return { id: e.id, actor: e.actor, caseRef: ref, ...landed(rc) };
    });
  }

  /** Whether `licensee` is licensed for `achievement` in `field` and `territory` at `at` (default: now). */
  async isLicensed(
    licensee: DidRef,
    achievement: bigint | number | string,
    options: { field?: bigint | number; territory?: bigint | number; at?: bigint | number | Date } = {},
  ): Promise<boolean> {
    const field = code(options.field ?? 0, "field");
    const territory = code(options.territory ?? 0, "territory");
    const at = options.at === undefined ? await this.chainTime() : seconds(options.at, "time");
    return this.register.isLicensed(this.identity.didId(licensee), BigInt(achievement), field, territory, at);
  }

  /** Licence `id`, its status resolved against the chain's time. */
  async licence(id: bigint | number): Promise<LicenceView> {
    const l = await this.register.licenceOf(BigInt(id));
    const now = await this.chainTime();
    const status = Number(l.status) === 2 ? "Terminated" : BigInt(l.terms.end) <= now ? "Ended" : ("Active" as const);
    return {
      id: BigInt(id),
      achievement: l.achievement,
      licensee: l.licensee,
      recordedBy: l.recordedBy,
      status,
      kind: LICENCE_KINDS[Number(l.terms.kind)],
      field: l.terms.field,
      territory: l.terms.territory,
      start: l.terms.start,
      end: l.terms.end,
      sublicensable: l.terms.sublicensable,
      dealRef: l.dealRef,
    };
  }

  /** Every licence recorded for `achievement`. */
  async licencesOf(achievement: bigint | number | string): Promise<LicenceView[]> {
    const ids = await this.register.licencesOf(BigInt(achievement));
    return Promise.all(ids.map((id) => this.licence(id)));
  }

  private async chainTime(): Promise<bigint> {
    const block = await this.register.runner?.provider?.getBlock("latest");
    return BigInt(block?.timestamp ?? Math.floor(Date.now() / 1000));
  }

  private event(rc: TransactionReceipt, name: string) {
    const target = (this.register.target as string).toLowerCase();
    for (const log of rc.logs) {
      if (log.address.toLowerCase() !== target) continue;
      const parsed = this.register.interface.parseLog({ topics: [...log.topics], data: log.data });
      if (parsed?.name === name) return parsed.args;
    }
    throw new Error(`the transaction ${rc.hash} emitted no ${name}`);
  }
}

function termsStruct(t: LicenceTermsInput): ILicenceRegister.LicenceTermsStruct {
  const kind = typeof t.kind === "number" ? t.kind : LICENCE_KINDS.indexOf(t.kind);
  if (!Number.isInteger(kind) || kind < 0 || kind >= LICENCE_KINDS.length) {
    throw new Error(`licence kind "${t.kind}" is not one of: ${LICENCE_KINDS.join(", ")}`);
  }
  const start = seconds(t.start, "start");
  const end = seconds(t.end, "end");
  if (end <= start) throw new Error(`the licence ends (${end}) before or when it starts (${start})`);
  return {
    kind,
    field: code(t.field ?? 0, "field"),
    territory: code(t.territory ?? 0, "territory"),
    start,
    end,
    sublicensable: t.sublicensable ?? false,
  };
}

function code(value: bigint | number, what: string): bigint {
  const v = BigInt(value);
  if (v < 0n || v >= UINT32) throw new Error(`${what} code ${value} is not valid: expected 0 (all) to 2^32-1`);
  return v;
}

function seconds(value: bigint | number | Date, what: string): bigint {
  const v = value instanceof Date ? BigInt(Math.floor(value.getTime() / 1000)) : BigInt(value);
  if (v < 0n || v >= UINT48) throw new Error(`${what} ${value} is not a valid time: expected unix seconds`);
  return v;
}
