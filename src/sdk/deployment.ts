import { existsSync, readdirSync, readFileSync } from "fs";
import path from "path";
import { getAddress } from "ethers";

/** Where the suite lives on one network: read from deployments/<network>/, never predicted. */
export interface Deployment {
  network: string;
  chainId: bigint;
  /** Proxy address of each suite contract by deployment name (GovAuthority, Council, MemberRegistry, …). */
  contracts: Record<string, string>;
}

/** The suite contracts every deployment must have. */
export const CORE_CONTRACTS = ["GovAuthority", "Council", "MemberRegistry"] as const;

/** Thrown when a deployment record is missing or unreadable. */
export class DeploymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeploymentError";
  }
}

/** Reads the hardhat-deploy records of `network` under `root/deployments`. */
export function loadDeployment(network: string, root = process.cwd()): Deployment {
  const dir = path.join(root, "deployments", network);
  const chainIdFile = path.join(dir, ".chainId");
  if (!existsSync(chainIdFile)) {
    throw new DeploymentError(
      `no deployment for network "${network}" in ${dir}: run \`npx hardhat deploy --network ${network}\` first`,
    );
  }
  const records: Record<string, { address?: string }> = {};
  for (const file of readdirSync(dir)) {
    if (!file.endsWith(".json")) continue;
    records[file.slice(0, -".json".length)] = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
  }
  return deploymentFromRecords(network, BigInt(readFileSync(chainIdFile, "utf8").trim()), records, dir);
}

/**
 * Builds a {@link Deployment} from hardhat-deploy records (as in files, or `deployments.all()` in
 * a test). Implementation and raw proxy records (`*_Implementation`, `*_Proxy`) are skipped:
 * clients talk to the proxies.
 */
export function deploymentFromRecords(
  network: string,
  chainId: bigint,
  records: Record<string, { address?: string }>,
  where = `the ${network} deployment`,
): Deployment {
  const contracts: Record<string, string> = {};
  for (const [name, record] of Object.entries(records)) {
    if (/_(Implementation|Proxy)$/.test(name) || !record.address) continue;
    contracts[name] = getAddress(record.address);
  }
  const missing = CORE_CONTRACTS.filter((name) => !contracts[name]);
  if (missing.length > 0) {
    throw new DeploymentError(`${where} lacks ${missing.join(", ")}: re-run the deploy`);
  }
  return { network, chainId, contracts };
}
