import { readFileSync } from "fs";
import path from "path";
import { getAddress, isHexString, keccak256, toUtf8Bytes } from "ethers";
import { NEVER, PAUSABLE_MODULES, parseClaimId, parseDid, parseMemberRole } from "../sdk";
import { CliError } from "./errors";

/** A positive integer id (proposal, member). */
export function parseId(input: string, what: string): bigint {
  if (!/^\d+$/.test(input.trim()) || BigInt(input.trim()) === 0n) {
    throw new CliError(`${what} "${input}" is not valid: expected a positive whole number such as 1`);
  }
  return BigInt(input.trim());
}

export function parseAddress(input: string, what = "address"): string {
  try {
    return getAddress(input.trim());
  } catch {
    throw new CliError(`${what} "${input}" is not valid: expected 0x followed by 40 hex digits`);
  }
}

export function parseHash(input: string, what: string): string {
  if (!isHexString(input.trim(), 32)) {
    throw new CliError(`${what} "${input}" is not valid: expected a 32-byte hash, 0x followed by 64 hex digits`);
  }
  return input.trim();
}

/** A member role by name or id; the error lists the valid names. */
export function parseRole(input: string): string {
  return checked(() => parseMemberRole(input).name);
}

/** A module a guardian can pause, in any letter case. */
export function parseModule(input: string): string {
  const hit = PAUSABLE_MODULES.find((m) => m.toLowerCase() === input.trim().toLowerCase());
  if (!hit) throw new CliError(`unknown module "${input}": expected one of ${PAUSABLE_MODULES.join(", ")}`);
  return hit;
}

/** A member given by id or by one of its accounts. */
export function parseMemberRef(input: string): { id: bigint } | { account: string } {
  if (/^0x/i.test(input.trim())) return { account: parseAddress(input, "account") };
  if (/^\d+$/.test(input.trim())) return { id: parseId(input, "member id") };
  throw new CliError(`member "${input}" is not valid: expected a member id (such as 1) or an account address`);
}

/** Runs an SDK input check, turning its complaint into a one-line CLI refusal. */
export function checked<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

/** A DID of chain `chainId`: `did:govledger:<chainId>:<id>` or a bare id. */
export function parseDidRef(input: string, chainId: bigint, what = "DID"): bigint {
  return checked(() => {
    try {
      return parseDid(input, chainId);
    } catch (e) {
      throw new Error(`${what}: ${(e as Error).message}`);
    }
  });
}

/**
 * A time in unix seconds: an ISO 8601 date or date-time (UTC unless an offset is given), whole
 * seconds, or "never" (the largest time, 2^40-1).
 */
export function parseTime(input: string, what: string): bigint {
  const text = input.trim();
  if (text.toLowerCase() === "never") return NEVER;
  if (/^\d+$/.test(text)) {
    if (BigInt(text) > NEVER) throw new CliError(`${what} "${input}" is beyond the largest time (2^40-1); use "never"`);
    return BigInt(text);
  }
  const iso = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(text);
  const withZone = iso && iso[2] && !iso[5] ? `${text}Z` : text;
  const ms = iso ? Date.parse(withZone) : NaN;
  // Date.parse rolls 2024-02-30 over to March 1: a date alone must read back as given.
  const valid = !Number.isNaN(ms) && ms >= 0 && (iso![2] || new Date(ms).toISOString().slice(0, 10) === iso![1]);
  if (!valid) {
    throw new CliError(
      `${what} "${input}" is not a valid time: expected an ISO date such as 2026-12-31 or 2026-12-31T12:00:00Z, unix seconds, or "never"`,
    );
  }
  return BigInt(Math.floor(ms / 1000));
}

/** A positive integer id that may also be 0x hex (claim ids are large). */
export function parseClaimRef(input: string): bigint {
  return checked(() => parseClaimId(input));
}

/** keccak256 of a file's bytes, for a hash given as `--…-file`. */
export function hashFile(file: string, cwd: string, what: string): string {
  try {
    return keccak256(readFileSync(path.resolve(cwd, file)));
  } catch (e) {
    throw new CliError(
      `cannot read ${what} file "${file}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/**
 * A 32-byte hash given either as hex (`hash`) or as a text/file to hash with keccak256; exactly one
 * of them must be given when `required`.
 */
export function hashInput(
  given: { hash?: string; text?: string; file?: string },
  what: string,
  flags: string,
  cwd: string,
): string | undefined {
  const present = [given.hash, given.text, given.file].filter((v) => v !== undefined);
  if (present.length > 1) throw new CliError(`give the ${what} once: one of ${flags}`);
  if (given.hash !== undefined) return parseHash(given.hash, what);
  if (given.text !== undefined) return keccak256(toUtf8Bytes(given.text));
  if (given.file !== undefined) return hashFile(given.file, cwd, what);
  return undefined;
}

/** The case reference of `--case <text>` (hashed) or `--case-hash <hash>`, which an order must name. */
export function parseCaseRef(o: { case?: string; caseHash?: string }, cwd: string): string {
  const ref = hashInput({ hash: o.caseHash, text: o.case }, "case reference", "--case or --case-hash", cwd);
  if (ref === undefined) throw new CliError("missing case reference: pass --case <text> or --case-hash <hash>");
  return ref;
}
