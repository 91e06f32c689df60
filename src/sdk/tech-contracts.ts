import { ZeroHash, type TransactionReceipt } from "ethers";
import type { TechContractRegister } from "../../typechain-types/contracts/trade/TechContractRegister";
import { registrationNumberProblem } from "./achievement-types";
import { Call, landed, lazyMethod, type Landed } from "./call";
import { toGovLedgerError } from "./errors";
import type { DidRef, IdentityClient } from "./identity";
import { checkedHash } from "./members";
import {
  TECH_CONTRACT_STATUSES,
  TECH_CONTRACT_TYPES,
  type TechContractStatusName,
  type TechContractTypeName,
} from "./states";
import { eventOf } from "./events";

export { TECH_CONTRACT_STATUSES, TECH_CONTRACT_TYPES, type TechContractStatusName, type TechContractTypeName };

/**
 * A contract amount: a decimal string in yuan ("300000.00", at most 2 decimals), or a bigint in fen
 * (the minor unit the register keeps: 30_000_000n).
 */
export type ContractAmountInput = string | bigint;

/** A time: a Date or unix seconds. */
export type ContractTimeInput = Date | bigint | number;

/** A registered contract, by id (1, 2, …) or by its 16-digit registration number. */
export type TechContractRef = bigint | number | string;

/** What a trading centre registers: the signed technology contract's particulars. */
export interface TechContractInput {
  /** 16 digits: year (1985–2200), administrative-division code (6 digits, first 1–8), serial (6 digits). */
  number: bigint | string;
  type: TechContractTypeName | number;
  /** Hash of the signed contract document. */
  contractHash: string;
  seller: DidRef;
  buyer: DidRef;
  amount: ContractAmountInput;
  signedAt: ContractTimeInput;
  validFrom: ContractTimeInput;
  /** The contract is valid until then (exclusive). */
  validUntil: ContractTimeInput;
  /** The achievement's 12-digit registration number; required for transfer and licence contracts. */
  achievement?: bigint | number | string;
  /** The licence of the licence register; licence contracts only. */
  licence?: bigint | number;
  /** Hash of the deal confirmation (成交确认书), if the deal was made on the exchange. */
  dealRef?: string;
}

export interface TechContractView {
  id: bigint;
  number: bigint;
  type: TechContractTypeName;
  status: TechContractStatusName;
  /** The registering trading centre's DID. */
  centre: bigint;
  seller: bigint;
  buyer: bigint;
  /** In fen. */
  amount: bigint;
  signedAt: bigint;
  validFrom: bigint;
  validUntil: bigint;
  achievement?: bigint;
  licence?: bigint;
  contractHash: string;
  dealRef?: string;
  certificateHash?: string;
}

export interface ContractRegistered extends Landed {
  id: bigint;
  number: bigint;
  type: TechContractTypeName;
  centre: bigint;
  seller: bigint;
  buyer: bigint;
  amount: bigint;
  achievement?: bigint;
  contractHash: string;
}

export interface CertificateIssued extends Landed {
  id: bigint;
  centre: bigint;
  certificateHash: string;
}

export interface ContractAnnulled extends Landed {
  id: bigint;
  actor: bigint;
  caseRef: string;
}

/** A registration as the contract takes it, every field checked. */
interface CheckedRegistration {
  registrationNumber: bigint;
  kind: number;
  contractHash: string;
  seller: bigint;
  buyer: bigint;
  amount: bigint;
  signedAt: bigint;
  validFrom: bigint;
  validUntil: bigint;
  achievement: bigint;
  licence: bigint;
  dealRef: string;
}

const UINT48 = 2n ** 48n;
const UINT64 = 2n ** 64n;
const MAX_UINT128 = 2n ** 128n - 1n;
const NUMBER_FORMAT =
  "a registration number is a year 1985–2200, a 6-digit administrative-division code starting 1–8 and a serial from 000001, e.g. 2026310104000117";

/**
 * Technology-contract registration (技术合同认定登记) and transaction certificates (交易凭证): trading
 * centres register contracts and certify them, arbitrators annul them, anyone reads them. Inputs are
 * checked before anything is sent; checks that read the chain (parties' status, a number or document
 * already registered, the signing date against chain time, a contract given by number) run when the call
 * is first checked, estimated or sent.
 */
export class TechContractClient {
  constructor(
    readonly registry: TechContractRegister,
    private readonly identity: IdentityClient,
  ) {}

  /** Registers a technology contract; the caller's DID is the centre. Trading centres only. */
  register(input: TechContractInput): Call<ContractRegistered> {
    const r = this.registration(input);
    const method = this.deferred("registerContract", async () => {
      await this.requireUnregistered(r);
      await this.requireActive(r.seller, "seller");
      await this.requireActive(r.buyer, "buyer");
      const now = await this.chainTime();
      if (r.signedAt > now) {
        throw new Error(`the contract is signed ${iso(r.signedAt)}, after the chain's time ${iso(now)}`);
      }
      return [r];
    });
    return Call.of(method, [r], (rc) => {
      const e = this.event(rc, "ContractRegistered");
      const achievement = e.achievement as bigint;
      return {
        id: e.id as bigint,
        number: e.registrationNumber as bigint,
        type: TECH_CONTRACT_TYPES[Number(r.kind)],
        centre: e.centre as bigint,
        seller: r.seller,
        buyer: r.buyer,
        amount: r.amount,
        ...(achievement === 0n ? {} : { achievement }),
        contractHash: r.contractHash,
        ...landed(rc),
      };
    });
  }

  /** Records the transaction certificate of contract `ref`. The centre that registered it only. */
  certify(ref: TechContractRef, certificateHash: string): Call<CertificateIssued> {
    const target = contractRef(ref);
    const hash = requiredHash(certificateHash, "the certificate hash is zero: name the transaction certificate");
    const method = this.deferred("issueCertificate", async () => [await this.idOf(target), hash]);
    return Call.of(method, [0n, hash], (rc) => {
      const e = this.event(rc, "CertificateIssued");
      return { id: e.id as bigint, centre: e.centre as bigint, certificateHash: hash, ...landed(rc) };
    });
  }

  /** Annuls contract `ref` by order of case `caseRef`; the record is kept. Arbitrators only. */
  annul(ref: TechContractRef, caseRef: string): Call<ContractAnnulled> {
    const target = contractRef(ref);
    const hash = requiredHash(caseRef, "the case reference is zero: name the case that orders the annulment");
    const method = this.deferred("annul", async () => [await this.idOf(target), hash]);
    return Call.of(method, [0n, hash], (rc) => {
      const e = this.event(rc, "ContractAnnulled");
      return { id: e.id as bigint, actor: e.actor as bigint, caseRef: hash, ...landed(rc) };
    });
  }

  /** Contract `ref`, by id or by 16-digit registration number. */
  async show(ref: TechContractRef): Promise<TechContractView> {
    const id = await this.idOf(contractRef(ref));
    const c = await this.read(() => this.registry.contractOf(id));
    return {
      id,
      number: c.registrationNumber,
      type: TECH_CONTRACT_TYPES[Number(c.kind)],
      status: TECH_CONTRACT_STATUSES[Number(c.status)],
      centre: c.centre,
      seller: c.seller,
      buyer: c.buyer,
      amount: c.amount,
      signedAt: c.signedAt,
      validFrom: c.validFrom,
      validUntil: c.validUntil,
      ...(c.achievement === 0n ? {} : { achievement: c.achievement }),
      ...(c.licence === 0n ? {} : { licence: c.licence }),
      contractHash: c.contractHash,
      ...(c.dealRef === ZeroHash ? {} : { dealRef: c.dealRef }),
      ...(c.certificateHash === ZeroHash ? {} : { certificateHash: c.certificateHash }),
    };
  }

  /** The id of the contract registered under 16-digit `number`, or undefined. */
  async idOfNumber(number: bigint | string): Promise<bigint | undefined> {
    const id = await this.registry.contractIdOf(parseTechContractNumber(number));
    return id === 0n ? undefined : id;
  }

  /** How many contracts were registered. */
  async count(): Promise<bigint> {
    return this.registry.contractCount();
  }

  // ---- internals ----

  private registration(t: TechContractInput): CheckedRegistration {
    const registrationNumber = parseTechContractNumber(t.number);
    const kind = contractType(t.type);
    const contractHash = requiredHash(t.contractHash, "the contract hash is zero: name the signed contract document");
    const seller = this.identity.didId(t.seller);
    const buyer = this.identity.didId(t.buyer);
    if (seller === buyer) throw new Error(`the seller and the buyer are the same DID ${seller}`);
    const amount = parseContractAmount(t.amount);
    const signedAt = seconds(t.signedAt, "signing date");
    if (signedAt === 0n) throw new Error("the signing date is 0: give the date the contract was signed");
    const validFrom = seconds(t.validFrom, "validity start");
    const validUntil = seconds(t.validUntil, "validity end");
    if (validUntil <= validFrom) {
      throw new Error(`the contract's validity ends (${iso(validUntil)}) before or when it starts (${iso(validFrom)})`);
    }
    const achievement = t.achievement === undefined ? 0n : achievementNumber(t.achievement);
    const licence = t.licence === undefined ? 0n : licenceId(t.licence);
    const name = TECH_CONTRACT_TYPES[kind];
    if (achievement === 0n && (name === "transfer" || name === "licence")) {
      throw new Error(`a ${name} contract must name the achievement it concerns`);
    }
    if (licence !== 0n && name !== "licence") {
      throw new Error(`a ${name} contract cannot name a licence: only licence contracts record one`);
    }
    const dealRef = t.dealRef === undefined ? ZeroHash : checkedHash(t.dealRef);
    return {
      registrationNumber,
      kind,
      contractHash,
      seller,
      buyer,
      amount,
      signedAt,
      validFrom,
      validUntil,
      achievement,
      licence,
      dealRef,
    };
  }

  private async requireUnregistered(r: CheckedRegistration): Promise<void> {
    const [byNumber, byHash] = await Promise.all([
      this.registry.contractIdOf(r.registrationNumber),
      this.registry.contractIdOfHash(r.contractHash),
    ]);
    if (byNumber !== 0n)
      throw new Error(`number ${r.registrationNumber} is already registered, as contract ${byNumber}`);
    if (byHash !== 0n)
      throw new Error(`contract document ${r.contractHash} is already registered, as contract ${byHash}`);
  }

  private async requireActive(did: bigint, role: string): Promise<void> {
    const status = await this.identity.statusOf(did);
    if (status === "None") throw new Error(`${role} DID ${did} is unknown: no such DID on this chain`);
    if (status !== "Active") throw new Error(`${role} DID ${did} is ${status.toLowerCase()}, not active`);
  }

  private async idOf(ref: { id: bigint } | { number: bigint }): Promise<bigint> {
    if ("id" in ref) return ref.id;
    const id = await this.registry.contractIdOf(ref.number);
    if (id === 0n) throw new Error(`no technology contract is registered under number ${ref.number}`);
    return id;
  }

  private async chainTime(): Promise<bigint> {
    const block = await this.registry.runner?.provider?.getBlock("latest");
    return BigInt(block?.timestamp ?? Math.floor(Date.now() / 1000));
  }

  private async read<R>(fn: () => Promise<R>): Promise<R> {
    try {
      return await fn();
    } catch (e) {
      throw toGovLedgerError(e);
    }
  }

  /**
   * Method `name` with arguments found (once, reading the chain) when the call is first checked,
   * estimated or sent, shaped like the typechain method for {@link Call}.
   */
  private deferred<K extends "registerContract" | "issueCertificate" | "annul">(
    name: K,
    args: () => Promise<unknown[]>,
  ): TechContractRegister[K] {
    return lazyMethod(async () => [this.registry[name], await args()]) as TechContractRegister[K];
  }

  private event(rc: TransactionReceipt, name: string): Record<string, unknown> {
    return eventOf(this.registry, rc, name);
  }
}

/**
 * Why `input` is not a technology-contract registration number (16 digits: year 1985–2200,
 * administrative-division code starting 1–8, serial from 000001), or undefined when it is one.
 * Mirrors TechContractNumber.sol.
 */
export function techContractNumberProblem(input: string | bigint): string | undefined {
  const text = typeof input === "bigint" ? input.toString() : input.trim();
  if (!/^\d{16}$/.test(text)) return `"${text}" is not 16 digits`;
  const year = Number(text.slice(0, 4));
  if (year < 1985 || year > 2200) return `year ${year} in "${text}" is outside 1985–2200`;
  const division = text.slice(4, 10);
  if (division[0] < "1" || division[0] > "8") {
    return `administrative-division code ${division} in "${text}" does not start with 1–8`;
  }
  if (text.endsWith("000000")) return `serial of "${text}" is 000000`;
  return undefined;
}

/** A 16-digit technology-contract registration number, or an error saying what is wrong with it. */
export function parseTechContractNumber(input: bigint | string): bigint {
  const problem = techContractNumberProblem(input);
  if (problem) throw new Error(`technology-contract number ${problem} (${NUMBER_FORMAT})`);
  return BigInt(typeof input === "bigint" ? input : input.trim());
}

/** Builds a registration number from its parts: 2026, 310104, 117 → 2026310104000117. */
export function formatTechContractNumber(p: { year: number; division: number; serial: number }): bigint {
  return BigInt(`${p.year}${String(p.division).padStart(6, "0")}${String(p.serial).padStart(6, "0")}`);
}

/** A contract id (up to 12 digits) or a 16-digit registration number. */
function contractRef(ref: TechContractRef): { id: bigint } | { number: bigint } {
  const text = String(ref).trim();
  if (/^\d{16}$/.test(text)) return { number: parseTechContractNumber(text) };
  if (/^\d{1,12}$/.test(text) && BigInt(text) > 0n) return { id: BigInt(text) };
  throw new Error(
    `technology contract "${ref}" is not valid: expected a contract id such as 1 or a 16-digit registration number such as 2026310104000117`,
  );
}

function contractType(input: TechContractTypeName | number): number {
  const kind = typeof input === "number" ? input : TECH_CONTRACT_TYPES.indexOf(input);
  if (!Number.isInteger(kind) || kind < 0 || kind >= TECH_CONTRACT_TYPES.length) {
    throw new Error(`contract type "${input}" is not one of: ${TECH_CONTRACT_TYPES.join(", ")}`);
  }
  return kind;
}

/** A contract amount in fen: yuan with at most 2 decimals ("300000.00"), or a bigint of fen; above zero. */
export function parseContractAmount(input: ContractAmountInput): bigint {
  let fen: bigint;
  if (typeof input === "bigint") {
    fen = input;
  } else {
    const text = typeof input === "string" ? input.trim() : "";
    const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
    if (!match) {
      throw new Error(
        `contract amount "${String(input)}" is not valid: expected yuan with at most 2 decimals such as 300000.00 (or a bigint of fen)`,
      );
    }
    fen = BigInt(match[1] + (match[2] ?? "").padEnd(2, "0"));
  }
  if (fen <= 0n) throw new Error(`contract amount ${String(input)} is not valid: it must be above zero`);
  if (fen > MAX_UINT128) throw new Error(`contract amount ${String(input)} is too large`);
  return fen;
}

function requiredHash(input: string, ifZero: string): string {
  const hash = checkedHash(input);
  if (hash === ZeroHash) throw new Error(ifZero);
  return hash;
}

/** An achievement's 12-digit registration number; 0: none. */
function achievementNumber(value: bigint | number | string): bigint {
  const text = String(value).trim();
  if (text === "0") return 0n;
  const problem = registrationNumberProblem(text);
  if (problem) throw new Error(`achievement ${problem}: expected its 12-digit registration number`);
  return BigInt(text);
}

/** A licence id of the licence register; 0: none. */
function licenceId(value: bigint | number): bigint {
  const text = String(value).trim();
  if (!/^\d+$/.test(text) || BigInt(text) >= UINT64) {
    throw new Error(`licence "${value}" is not valid: expected a licence id such as 1`);
  }
  return BigInt(text);
}

function seconds(value: ContractTimeInput, what: string): bigint {
  const ms = value instanceof Date ? value.getTime() : undefined;
  const whole = typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
  if ((ms === undefined && !whole) || (ms !== undefined && Number.isNaN(ms))) {
    throw new Error(`${what} ${String(value)} is not a valid time: expected a Date or unix seconds`);
  }
  const v = ms === undefined ? BigInt(value as bigint | number) : BigInt(Math.floor(ms / 1000));
  if (v < 0n || v >= UINT48) throw new Error(`${what} ${String(value)} is not a valid time: expected unix seconds`);
  return v;
}

function iso(s: bigint): string {
  return new Date(Number(s) * 1000).toISOString();
}
