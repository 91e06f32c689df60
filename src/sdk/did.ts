import { DID_KINDS, type DidKindName } from "./states";

/**
 * DID strings, claim ids and the named bitmaps of the identity module (key purposes, mandate
 * scopes, consent categories), mirroring contracts/identity/IIdentityGate.sol and IIdentityRegistry.sol.
 */

/** The DID method: DIDs read `did:govledger:<chainId>:<id>`. */
export const DID_METHOD = "govledger";

/** The largest DID id (uint64). */
export const MAX_DID = 2n ** 64n - 1n;

/** The end of time for a claim or an accreditation: uint40 max. */
export const NEVER = 2n ** 40n - 1n;

/** Mirrors KeyPurposes: what a DID's key may be used for. */
export const KEY_PURPOSES = { AUTHENTICATION: 1n, ASSERTION: 2n } as const;
export type KeyPurposeName = keyof typeof KEY_PURPOSES;

/** Mirrors Scopes: what a mandate lets a representative do for an organisation. */
export const SCOPES = { IDENTITY: 1n, CONSENT: 2n, EVIDENCE: 4n, ACHIEVEMENT: 8n, TRADE: 16n, PAYMENT: 32n } as const;
export type ScopeName = keyof typeof SCOPES;

/** Consent data categories named so far (IConsentRegistry: named off chain); any other id is accepted. */
export const CONSENT_CATEGORIES = { BASIC_IDENTITY: 1n, EDUCATION: 2n } as const;
export type ConsentCategoryName = keyof typeof CONSENT_CATEGORIES;

/** `did:govledger:<chainId>:<id>`. */
export function formatDid(chainId: bigint | number, id: bigint): string {
  return `did:${DID_METHOD}:${chainId}:${id}`;
}

/**
 * The DID id in `input`: `did:govledger:<chainId>:<id>` (of chain `chainId`) or a bare id such as `5`.
 * Throws a message saying what is wrong: another method, another chain's DID, an id out of range.
 */
export function parseDid(input: string, chainId: bigint | number): bigint {
  const text = input.trim();
  const expected = `did:${DID_METHOD}:<chainId>:<id> or a bare id such as 5`;
  if (/^\d+$/.test(text)) return didId(text, input);
  const parts = text.split(":");
  if (parts.length !== 4 || parts[0] !== "did" || parts[1] !== DID_METHOD || !/^\d+$/.test(parts[2])) {
    throw new Error(`"${input}" is not a govledger DID: expected ${expected}`);
  }
  if (BigInt(parts[2]) !== BigInt(chainId)) {
    throw new Error(`${text} is a DID of chain ${parts[2]}, but this network is chain ${chainId}`);
  }
  if (!/^\d+$/.test(parts[3])) throw new Error(`"${input}" is not a govledger DID: expected ${expected}`);
  return didId(parts[3], input);
}

function didId(digits: string, input: string): bigint {
  const id = BigInt(digits);
  if (id === 0n || id > MAX_DID) throw new Error(`DID "${input}" is out of range: ids run from 1 to 2^64-1`);
  return id;
}

/** A claim id's parts: the n-th claim of `topic` about `subject`. */
export interface ClaimIdParts {
  subject: bigint;
  topic: bigint;
  n: bigint;
}

/** `subject << 64 | topic << 32 | n`. */
export function composeClaimId({ subject, topic, n }: ClaimIdParts): bigint {
  if (subject <= 0n || subject > MAX_DID) throw new Error(`claim subject ${subject} is not a DID id`);
  if (topic < 0n || topic > 0xffffffffn) throw new Error(`claim topic ${topic} does not fit 32 bits`);
  if (n < 0n || n > 0xffffffffn) throw new Error(`claim number ${n} does not fit 32 bits`);
  return (subject << 64n) | (topic << 32n) | n;
}

/** The parts of claim id `id`. */
export function decomposeClaimId(id: bigint): ClaimIdParts {
  return { subject: (id >> 64n) & MAX_DID, topic: (id >> 32n) & 0xffffffffn, n: id & 0xffffffffn };
}

/** A claim id given in decimal or 0x hex; its subject must be a DID id. */
export function parseClaimId(input: string): bigint {
  const text = input.trim();
  if (!/^(\d+|0x[0-9a-fA-F]+)$/.test(text)) {
    throw new Error(`claim id "${input}" is not valid: expected a whole number (decimal or 0x hex)`);
  }
  const id = BigInt(text);
  const { subject } = decomposeClaimId(id);
  if (subject === 0n || id >> 128n !== 0n) {
    throw new Error(`claim id "${input}" is not valid: it names no subject (ids are subject << 64 | topic << 32 | n)`);
  }
  return id;
}

/** A DID kind by name, any case ("person", "organisation"/"organization"/"org"). */
export function parseDidKind(input: string): { name: DidKindName; value: number } {
  const key = input.trim().toLowerCase();
  const alias: Record<string, DidKindName> = { org: "Organisation", organization: "Organisation" };
  const name = alias[key] ?? DID_KINDS.find((k) => k.toLowerCase() === key);
  if (!name) throw new Error(`unknown DID kind "${input}" (expected one of: person, organisation)`);
  return { name, value: DID_KINDS.indexOf(name) };
}

/** Key purposes given as names ("authentication,assertion"), a list of names, or a bitmap number. */
export function parsePurposes(input: string | string[] | number | bigint): bigint {
  return parseBits(KEY_PURPOSES, input, "key purpose");
}

/** Mandate scopes given as names ("consent,trade"), a list of names, or a bitmap number. */
export function parseScopes(input: string | string[] | number | bigint): bigint {
  return parseBits(SCOPES, input, "scope");
}

/** The key purpose names in a bitmap. */
export function purposesFromBitmap(bits: bigint | number): KeyPurposeName[] {
  return namesOf(KEY_PURPOSES, BigInt(bits));
}

/** The scope names in a bitmap. */
export function scopesFromBitmap(bits: bigint | number): ScopeName[] {
  return namesOf(SCOPES, BigInt(bits));
}

/** A consent category by name ("basic-identity") or by id (any positive uint32). */
export function parseCategory(input: string | number | bigint): bigint {
  const text = String(input).trim();
  if (/^\d+$/.test(text)) {
    const id = BigInt(text);
    if (id === 0n || id > 0xffffffffn) throw new Error(`category "${input}" is not valid: expected 1 to 2^32-1`);
    return id;
  }
  const key = text.toUpperCase().replace(/-/g, "_");
  const hit = (CONSENT_CATEGORIES as Record<string, bigint>)[key];
  if (hit === undefined) {
    throw new Error(`unknown category "${input}" (expected a number or one of: ${labels(CONSENT_CATEGORIES)})`);
  }
  return hit;
}

/** Lower-case, dashed names of a table: "basic-identity, education". */
function labels(table: Record<string, bigint>): string {
  return Object.keys(table)
    .map((n) => n.toLowerCase().replace(/_/g, "-"))
    .join(", ");
}

function parseBits(table: Record<string, bigint>, input: string | string[] | number | bigint, what: string): bigint {
  const all = Object.values(table).reduce((a, b) => a | b, 0n);
  const bad = (v: unknown) =>
    new Error(`${what}s "${v}" are not valid: expected names (${labels(table)}) or 1 to ${all}`);
  if (typeof input === "number" || typeof input === "bigint" || /^\s*\d+\s*$/.test(String(input))) {
    const bits = BigInt(String(input).trim());
    if (bits === 0n || (bits & ~all) !== 0n) throw bad(input);
    return bits;
  }
  const names = (Array.isArray(input) ? input : input.split(",")).map((n) => n.trim()).filter((n) => n !== "");
  if (names.length === 0) throw bad(input);
  return names.reduce((bits, name) => {
    const hit = table[name.toUpperCase().replace(/-/g, "_")];
    if (hit === undefined) throw new Error(`unknown ${what} "${name}" (expected one of: ${labels(table)})`);
    return bits | hit;
  }, 0n);
}

function namesOf<K extends string>(table: Record<K, bigint>, bits: bigint): K[] {
  return (Object.entries(table) as [K, bigint][]).filter(([, bit]) => (bits & bit) !== 0n).map(([name]) => name);
}
