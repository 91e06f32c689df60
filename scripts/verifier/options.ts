import { existsSync, readFileSync, readdirSync, statSync } from "fs";
import path from "path";
import { remoteNetworks } from "../../config/networks";
import { deploymentFromRecords, loadDeployment } from "../../src/sdk/deployment";
import { deploymentJson, parseDeployment, type DeploymentJson } from "../../verifier/src/config";

/** Command-line options of `npm run verifier` and `npm run verifier:build`. */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function usageError(message: string): UsageError {
  return new UsageError(message);
}

/**
 * `--name value` / `--name=value` pairs of the `known` names, and `--flag`s (set to "true");
 * `--help` prints `usage` and exits.
 */
export function parseArgs(
  argv: string[],
  known: string[],
  usage: string,
  flags: string[] = [],
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      console.log(usage);
      process.exit(0);
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (m && flags.includes(m[1]) && m[2] === undefined) {
      out[m[1]] = "true";
      continue;
    }
    if (!m || !known.includes(m[1])) throw usageError(`unknown argument "${arg}" (see --help)`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || (m[2] === undefined && value.startsWith("--"))) {
      throw usageError(`--${m[1]} needs a value`);
    }
    out[m[1]] = value;
  }
  return out;
}

export interface Setup {
  deployment?: DeploymentJson;
  rpcUrl?: string;
}

/**
 * The chain the page is pointed at: `--network <name>` reads deployments/<name>/ and takes the
 * network's configured RPC URL; `--deployment` names a deployment file or folder; `--rpc` overrides.
 */
export function resolveSetup(args: Record<string, string | undefined>, root = process.cwd()): Setup {
  if (args.network !== undefined && args.deployment !== undefined) {
    throw usageError("give --network or --deployment, not both");
  }
  let deployment: DeploymentJson | undefined;
  let rpcUrl = args.rpc;
  if (args.network !== undefined) {
    const net = remoteNetworks()[args.network];
    if (args.network === "hardhat") {
      throw usageError(
        "the in-process hardhat network has no RPC endpoint: run `npx hardhat node` and deploy with --network localhost, then use --network localhost",
      );
    }
    deployment = deploymentJson(loadDeployment(args.network, root));
    rpcUrl ??= net?.url || undefined;
  } else if (args.deployment !== undefined) {
    deployment = deploymentJson(readDeployment(path.resolve(root, args.deployment)));
  }
  return { ...(deployment ? { deployment } : {}), ...(rpcUrl ? { rpcUrl } : {}) };
}

/** A deployment file (JSON) or a hardhat-deploy folder (deployments/<name>/ with .chainId). */
export function readDeployment(file: string) {
  if (!existsSync(file)) throw usageError(`no deployment file or folder at ${file}`);
  if (!statSync(file).isDirectory()) return parseDeployment(readFileSync(file, "utf8"), `the deployment file ${file}`);
  const chainIdFile = path.join(file, ".chainId");
  if (!existsSync(chainIdFile)) throw usageError(`${file} is not a hardhat-deploy folder: it has no .chainId`);
  const records: Record<string, { address?: string }> = {};
  for (const name of readdirSync(file)) {
    if (name.endsWith(".json")) records[name.slice(0, -5)] = JSON.parse(readFileSync(path.join(file, name), "utf8"));
  }
  return deploymentFromRecords(path.basename(file), BigInt(readFileSync(chainIdFile, "utf8").trim()), records, file);
}
