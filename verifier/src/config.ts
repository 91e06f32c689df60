import { deploymentFromRecords, type Deployment } from "../../src/sdk/deployment";
import type { Lang } from "./i18n";

/**
 * The page's configuration (config.json next to index.html) and the deployment files it reads.
 * No DOM here: the server, the build and the unit tests use it too.
 */

/** A deployment as JSON: what `govledger deployment --json` prints. */
export interface DeploymentJson {
  network: string;
  /** Decimal. */
  chainId: string;
  /** Proxy address of each suite contract by name. */
  contracts: Record<string, string>;
}

/** config.json as written by `npm run verifier` / `verifier:build`, or by hand. */
export interface VerifierConfigJson {
  /** The chain's RPC URL(s), comma-separated; relative URLs (the server's "/rpc") resolve against the page. */
  rpcUrl?: string;
  /** The deployment itself, or the URL of a deployment file relative to the page. */
  deployment?: DeploymentJson | string;
  /** The language the page starts in ("zh" or "en"); the browser's when absent. */
  language?: Lang;
}

export interface VerifierConfig {
  rpcUrl?: string;
  deployment?: Deployment;
  deploymentUrl?: string;
  language?: Lang;
}

/** config.json or a deployment file is not usable; the message says what to fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * A deployment from JSON: `govledger deployment --json` (`contracts` maps names to addresses) or a
 * hardhat-deploy export (`contracts` maps names to `{ address, abi }`, the network under `name`).
 * `where` names the source in messages.
 */
export function parseDeployment(input: unknown, where: string): Deployment {
  let data = input;
  if (typeof input === "string") {
    try {
      data = JSON.parse(input);
    } catch (e) {
      throw new ConfigError(`${where} is not JSON: ${(e as Error).message}`);
    }
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ConfigError(`${where} must be a JSON object with "chainId" and "contracts"`);
  }
  const d = data as Record<string, unknown>;
  const chainId = parseChainId(d.chainId, where);
  if (typeof d.contracts !== "object" || d.contracts === null || Array.isArray(d.contracts)) {
    throw new ConfigError(`${where} has no "contracts" object (names of the suite's contracts and their addresses)`);
  }
  const records: Record<string, { address: string }> = {};
  for (const [name, value] of Object.entries(d.contracts as Record<string, unknown>)) {
    const address = typeof value === "string" ? value : (value as { address?: unknown } | null)?.address;
    if (typeof address !== "string" || !ADDRESS.test(address)) {
      throw new ConfigError(`${where}: contract "${name}" has no valid address (0x followed by 40 hex digits)`);
    }
    records[name] = { address };
  }
  const network = typeof d.network === "string" ? d.network : typeof d.name === "string" ? d.name : "deployment";
  return deploymentFromRecords(network, chainId, records, where);
}

function parseChainId(value: unknown, where: string): bigint {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return BigInt(value);
  if (typeof value === "string" && /^(\d+|0x[0-9a-fA-F]+)$/.test(value.trim()) && BigInt(value.trim()) > 0n) {
    return BigInt(value.trim());
  }
  throw new ConfigError(`${where} has no valid "chainId" (a positive whole number)`);
}

/** A deployment as JSON, as `govledger deployment --json` prints it. */
export function deploymentJson(d: Deployment): DeploymentJson {
  return { network: d.network, chainId: d.chainId.toString(), contracts: { ...d.contracts } };
}

/** Parses config.json; every field is optional, but those given must be right. */
export function parseConfig(text: string): VerifierConfig {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`config.json is not JSON: ${(e as Error).message}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ConfigError("config.json must be a JSON object");
  }
  const c = data as Record<string, unknown>;
  const config: VerifierConfig = {};
  if (c.rpcUrl !== undefined && c.rpcUrl !== "") {
    if (typeof c.rpcUrl !== "string") throw new ConfigError('config.json: "rpcUrl" must be a string');
    config.rpcUrl = c.rpcUrl;
  }
  if (typeof c.deployment === "string" && c.deployment !== "") config.deploymentUrl = c.deployment;
  else if (c.deployment !== undefined && c.deployment !== null && c.deployment !== "") {
    config.deployment = parseDeployment(c.deployment, 'config.json\'s "deployment"');
  }
  if (c.language !== undefined) {
    if (c.language !== "zh" && c.language !== "en")
      throw new ConfigError('config.json: "language" must be "zh" or "en"');
    config.language = c.language;
  }
  return config;
}

/**
 * The RPC URLs of `text` (comma-separated) as absolute URLs, resolved against `base` (the page), so
 * the server's same-origin "/rpc" works; the SDK then checks each is http(s).
 */
export function absoluteRpcUrls(text: string, base: string): string {
  return text
    .split(",")
    .map((u) => u.trim())
    .filter((u) => u.length > 0)
    .map((u) => (/^[a-z][a-z0-9+.-]*:/i.test(u) ? u : new URL(u, base).href))
    .join(",");
}
