import { getAddress, isHexString } from "ethers";
import { PAUSABLE_MODULES, parseMemberRole } from "../sdk";
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
  try {
    return parseMemberRole(input).name;
  } catch (e) {
    throw new CliError((e as Error).message);
  }
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
