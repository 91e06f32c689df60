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

/**
 * Modules a deployment may lack (older deployments were made before them), each with the contracts
 * it is made of: a deployment has all of a module's contracts or none.
 */
export const OPTIONAL_MODULES = {
  identity: ["GovForwarder", "IdentityRegistry", "IdentityRecovery", "ConsentRegistry"],
  /** Relayed writes also need the identity module's GovForwarder, which the evidence deploy requires. */
  evidence: ["EvidenceRegistry"],
  achievement: ["AchievementRegistry", "AchievementRights"],
  trade: ["SettlementEscrow", "LicenceRegister", "TechContractRegister", "LicenceMarket"],
} as const;

export type OptionalModule = keyof typeof OPTIONAL_MODULES;

/** Whether `deployment` has every contract of `module`. */
export function hasModule(deployment: Deployment, module: OptionalModule): boolean {
  return OPTIONAL_MODULES[module].every((name) => deployment.contracts[name]);
}

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
  for (const [module, names] of Object.entries(OPTIONAL_MODULES)) {
    const partial = names.filter((name) => !contracts[name]);
    if (partial.length > 0 && partial.length < names.length) {
      throw new DeploymentError(
        `${where} has part of the ${module} module but lacks ${partial.join(", ")}: re-run the deploy`,
      );
    }
  }
  return { network, chainId, contracts };
}
