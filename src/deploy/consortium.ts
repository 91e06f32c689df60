import { readFileSync } from "fs";
import path from "path";
import { getAddress, isHexString, ZeroHash } from "ethers";
import { env } from "../../config/env";
import { parseMemberRole } from "../sdk/roles";

/** The founding consortium: the council and the members admitted at deployment. */
export interface ConsortiumConfig {
  council: { threshold: number; councillors: string[] };
  members: { name: string; documentsHash: string; accounts: string[]; roles: bigint[] }[];
}

const DEFAULT_FILE = "config/consortium.local.json";

interface RawConfig {
  council?: { threshold?: unknown; councillors?: unknown };
  members?: { name?: unknown; documentsHash?: unknown; accounts?: unknown; roles?: unknown }[];
}

/** Networks on which the local default file (Hardhat's public test accounts) may govern. */
const TEST_NETWORKS = ["hardhat", "localhost", "consortium"];

/**
 * The consortium file for a deployment to `network`: GOVLEDGER_CONSORTIUM_FILE, or the local default on
 * a test network only. The default names Hardhat's well-known accounts, whose keys everyone has; the
 * handover would give them the governance of a real chain.
 */
export function consortiumFor(network: string): ConsortiumConfig {
  const file = env("GOVLEDGER_CONSORTIUM_FILE");
  if (file === undefined && !TEST_NETWORKS.includes(network)) {
    throw new Error(
      `set GOVLEDGER_CONSORTIUM_FILE to deploy to "${network}": the default ${DEFAULT_FILE} names Hardhat's public test keys, which must never govern a real chain`,
    );
  }
  return loadConsortium(file ?? DEFAULT_FILE);
}

/** Loads and validates the consortium file named by GOVLEDGER_CONSORTIUM_FILE (or the local default). */
export function loadConsortium(file = env("GOVLEDGER_CONSORTIUM_FILE") ?? DEFAULT_FILE): ConsortiumConfig {
  const where = path.resolve(file);
  let raw: RawConfig;
  try {
    raw = JSON.parse(readFileSync(where, "utf8")) as RawConfig;
  } catch (e) {
    throw new Error(`cannot read consortium file ${where}: ${(e as Error).message}`);
  }
  const fail = (what: string): never => {
    throw new Error(`consortium file ${where}: ${what}`);
  };
  const address = (value: unknown, what: string): string => {
    try {
      return getAddress(String(value));
    } catch {
      return fail(`${what} "${String(value)}" is not an address`);
    }
  };
  const councillors = Array.isArray(raw.council?.councillors) ? raw.council.councillors : [];
  const threshold = Number(raw.council?.threshold);
  if (councillors.length === 0) fail("council.councillors must list at least one address");
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > councillors.length) {
    fail(`council.threshold must be an integer from 1 to ${councillors.length}`);
  }
  const members = (raw.members ?? []).map((m, i) => {
    if (typeof m.name !== "string" || m.name.trim() === "") fail(`members[${i}].name is missing`);
    const documentsHash = m.documentsHash === undefined ? ZeroHash : String(m.documentsHash);
    if (!isHexString(documentsHash, 32)) fail(`members[${i}].documentsHash must be a 32-byte hex string`);
    const accounts = Array.isArray(m.accounts) ? m.accounts : [];
    const roles = Array.isArray(m.roles) ? m.roles : [];
    return {
      name: String(m.name),
      documentsHash,
      accounts: accounts.map((a, j) => address(a, `members[${i}].accounts[${j}]`)),
      roles: roles.map((r) => parseMemberRole(String(r)).id),
    };
  });
  return {
    council: { threshold, councillors: councillors.map((c, i) => address(c, `council.councillors[${i}]`)) },
    members,
  };
}
