import { env, envInt } from "./env";

/**
 * The networks govledger knows, shared by hardhat.config.ts and the CLI so both read one truth.
 * `hardhat` is the in-process chain; the others are reached over JSON-RPC.
 */
export interface RemoteNetwork {
  url: string;
  chainId: number;
  /** Gas price in wei; 0 for chains with free gas. Undefined lets the node decide. */
  gasPrice?: number;
  /** Seconds an upgrade waits after the council approves it. */
  upgradeDelay: number;
  /** Seconds a change of who governs waits after the council approves it. */
  governanceDelay: number;
  /** Seconds a DID recovery waits after approval, while a current key may object. */
  recoveryDelay: number;
}

const HARDHAT_CHAIN_ID = 31337;

/** The local multi-node consortium chain of `npm run chain` (geth Clique validators on loopback). */
export const CONSORTIUM_CHAIN_ID = 31338;
export const CONSORTIUM_DEFAULT_URL = "http://127.0.0.1:8645";

function gasPrice(): number | undefined {
  const raw = env("GOVLEDGER_GAS_PRICE");
  return raw === undefined ? undefined : envInt("GOVLEDGER_GAS_PRICE", 0);
}

export function remoteNetworks(): Record<string, RemoteNetwork> {
  return {
    localhost: {
      url: env("GOVLEDGER_LOCALHOST_URL") ?? "http://127.0.0.1:8545",
      chainId: HARDHAT_CHAIN_ID,
      upgradeDelay: 3600,
      governanceDelay: 3600,
      recoveryDelay: 3600,
    },
    // Test chain only: deploys with Hardhat's well-known test keys unless GOVLEDGER_CONSORTIUM_DEPLOYER_KEY is set.
    consortium: {
      url: env("GOVLEDGER_CONSORTIUM_URL") ?? CONSORTIUM_DEFAULT_URL,
      chainId: CONSORTIUM_CHAIN_ID,
      upgradeDelay: 3600,
      governanceDelay: 3600,
      recoveryDelay: 3600,
    },
    remote: {
      url: env("GOVLEDGER_RPC_URL") ?? "",
      chainId: envInt("GOVLEDGER_CHAIN_ID", 0),
      gasPrice: gasPrice(),
      upgradeDelay: envInt("GOVLEDGER_UPGRADE_DELAY", 2 * 86400),
      governanceDelay: envInt("GOVLEDGER_GOVERNANCE_DELAY", 2 * 86400),
      recoveryDelay: envInt("GOVLEDGER_RECOVERY_DELAY", 2 * 86400),
    },
  };
}

/** Delays on the in-process network: short, because tests move the clock anyway. */
export const EMBEDDED_DELAYS = { upgradeDelay: 86400, governanceDelay: 2 * 86400, recoveryDelay: 86400 } as const;

export const EMBEDDED_CHAIN_ID = HARDHAT_CHAIN_ID;

export function knownNetworkNames(): string[] {
  return ["hardhat", ...Object.keys(remoteNetworks())];
}
