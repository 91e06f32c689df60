import path from "path";
import {
  FetchRequest,
  JsonRpcProvider,
  Network,
  SigningKey,
  Wallet,
  type Provider,
  type Signer,
  type TransactionRequest,
} from "ethers";
import { knownNetworkNames, remoteNetworks, type RemoteNetwork } from "../../config/networks";
import {
  DeploymentError,
  FailoverProvider,
  GovLedger,
  RpcUnreachableError,
  loadDeployment,
  parseRpcUrls,
  type Deployment,
} from "../sdk";
import { CliError, UnreachableError } from "./errors";
import type { CliIo } from "./io";

/** The global options every command shares. */
export interface GlobalOptions {
  network: string;
  json: boolean;
  keyEnv: string;
  deployments?: string;
  /** Relay writes through the GovForwarder, paid by the relayer key (identity commands). */
  relay?: boolean;
  /** The environment variable holding the relayer's key. */
  relayerKeyEnv?: string;
  /**
   * RPC URLs of the network's nodes, comma-separated (--rpc, or GOVLEDGER_RPC_URLS): instead of the
   * network's configured URL; with several, reads fail over and a transaction goes to one node.
   */
  rpc?: string;
}

/** A connection to one network's deployment, with a signer when the command writes. */
export interface Session {
  ledger: GovLedger;
  deployment: Deployment;
  /** The signer named by --key-env, for writes. */
  signer?: Signer;
  /** The relayer that pays for the signer's writes, with --relay. */
  relayer?: Signer;
  close(): void;
}

const RPC_TIMEOUT_MS = 30_000;
const URL_VARIABLES: Record<string, string> = {
  localhost: "GOVLEDGER_LOCALHOST_URL",
  consortium: "GOVLEDGER_CONSORTIUM_URL",
  remote: "GOVLEDGER_RPC_URL",
};

/** The deployment of `--network` under `--deployments`, validated before anything connects. */
export function deploymentOf(opts: GlobalOptions, io: CliIo): Deployment {
  networkConfig(opts.network, io);
  return loadDeployment(opts.network, path.resolve(io.cwd, opts.deployments ?? "."));
}

/**
 * Opens a session: network, key (for writes), deployment, then the node, whose chain id must be the
 * deployment's. Every check runs before a transaction could be sent.
 */
export async function open(opts: GlobalOptions, io: CliIo, write: boolean): Promise<Session> {
  const net = networkConfig(opts.network, io);
  const key = write ? privateKey(opts.keyEnv, io) : undefined;
  const relayerKey = write && opts.relay ? privateKey(opts.relayerKeyEnv ?? "GOVLEDGER_RELAYER_KEY", io) : undefined;
  const deployment = deploymentOf(opts, io);
  const provider = io.provider
    ? io.provider(opts.network)
    : await rpcProvider(opts.network, net!, deployment, opts.rpc);
  const close = () => (provider instanceof JsonRpcProvider && !io.provider ? provider.destroy() : undefined);
  try {
    const signer = key ? new CliWallet(key, provider, net?.gasPrice) : undefined;
    const relayer = relayerKey ? new CliWallet(relayerKey, provider, net?.gasPrice) : undefined;
    const ledger = await GovLedger.connect(signer ?? provider, deployment);
    return { ledger, deployment, signer, relayer, close };
  } catch (e) {
    close();
    throw e;
  }
}

/**
 * The network table entry of `name`. With a provider override (tests) any name with a deployment
 * is accepted and the entry may be undefined; `hardhat` is refused either way.
 */
function networkConfig(name: string, io: CliIo): RemoteNetwork | undefined {
  if (name === "hardhat") {
    throw new CliError(
      `network "hardhat" is Hardhat's in-process chain and cannot be used from the CLI: start \`npx hardhat node\` and pass --network localhost`,
    );
  }
  const net = remoteNetworks()[name];
  if (net || io.provider) return net;
  const known = knownNetworkNames().filter((n) => n !== "hardhat");
  throw new CliError(
    `unknown network "${name}": known networks are ${known.join(", ")} (config/networks.ts); hardhat is in-process only and cannot be used from the CLI`,
  );
}

async function rpcProvider(name: string, net: RemoteNetwork, deployment: Deployment, rpc?: string): Promise<Provider> {
  const urls = rpcUrls(rpc);
  if (!net.url && !urls) {
    throw new CliError(`network "${name}" has no RPC URL: set ${URL_VARIABLES[name] ?? "its URL"} in .env`);
  }
  if (net.chainId !== 0 && BigInt(net.chainId) !== deployment.chainId) {
    throw new DeploymentError(
      `wrong network: network "${name}" is configured for chain id ${net.chainId}, its deployment is on chain id ${deployment.chainId}`,
    );
  }
  if (urls && urls.length > 1) return failoverProvider(name, urls, deployment);
  const url = urls?.[0] ?? net.url;
  const fix = urls ? "--rpc (or GOVLEDGER_RPC_URLS)" : `${URL_VARIABLES[name] ?? "its URL"} in .env`;
  const request = new FetchRequest(url);
  request.timeout = RPC_TIMEOUT_MS;
  // A static network skips ethers' endless start-up retries; the real chain id is asked below.
  const provider = new JsonRpcProvider(request, deployment.chainId, {
    staticNetwork: Network.from(deployment.chainId),
    pollingInterval: 1000,
    // No sharing of identical requests within 250 ms: a second transaction sent right after the first
    // (bulk notarization) would get the first one's cached pending nonce.
    cacheTimeout: -1,
  });
  let reported: bigint;
  try {
    reported = BigInt(await provider.send("eth_chainId", []));
  } catch (e) {
    provider.destroy();
    const why = (e as { shortMessage?: string }).shortMessage ?? (e as Error).message;
    throw new UnreachableError(`cannot reach the "${name}" node at ${url} (${why}): start the node or fix ${fix}`);
  }
  if (reported !== deployment.chainId) {
    provider.destroy();
    throw new DeploymentError(
      `wrong network: the node reports chain id ${reported}, the "${name}" deployment is on chain id ${deployment.chainId}`,
    );
  }
  return provider;
}

/** The URLs of --rpc / GOVLEDGER_RPC_URLS, checked; undefined when none were given. */
function rpcUrls(rpc: string | undefined): string[] | undefined {
  if (rpc === undefined || rpc.trim() === "") return undefined;
  try {
    return parseRpcUrls(rpc);
  } catch (e) {
    throw new CliError(
      `--rpc: ${(e as Error).message}: expected comma-separated URLs such as http://10.0.1.10:8545,http://10.0.2.10:8545`,
    );
  }
}

/**
 * Several nodes of one chain: each that answers must be on the deployment's chain; reads fail over,
 * a transaction goes to one node and is never sent to a second one that might duplicate it.
 */
async function failoverProvider(name: string, urls: string[], deployment: Deployment): Promise<Provider> {
  try {
    return await FailoverProvider.connect(urls, { chainId: deployment.chainId, requestTimeoutMs: RPC_TIMEOUT_MS });
  } catch (e) {
    if (e instanceof RpcUnreachableError) {
      throw new UnreachableError(
        `cannot reach any "${name}" node: ${e.message.replace(/^no RPC endpoint answered: /, "")}: start a node or fix --rpc (or GOVLEDGER_RPC_URLS)`,
      );
    }
    throw e;
  }
}

/** The signer's key from the environment variable named by --key-env; never echoed. */
function privateKey(variable: string, io: CliIo): string {
  const raw = io.env[variable]?.trim();
  if (!raw) {
    const flag = variable === "GOVLEDGER_RELAYER_KEY" ? "--relayer-key-env" : "--key-env";
    throw new CliError(`no signing key: set ${variable} in .env or pass ${flag} <VAR>`);
  }
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? `0x${raw}` : raw;
  try {
    if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error("not 32 bytes of hex");
    new SigningKey(key);
  } catch {
    throw new CliError(`${variable} does not hold a valid private key: expected 0x followed by 64 hex digits`);
  }
  return key;
}

/** A wallet that sends legacy transactions at the network's fixed gas price when one is configured. */
class CliWallet extends Wallet {
  constructor(
    key: string,
    provider: Provider,
    private readonly gasPrice?: number,
  ) {
    super(key, provider);
  }

  override async populateTransaction(tx: TransactionRequest) {
    const fixed = this.gasPrice !== undefined && tx.gasPrice == null && tx.maxFeePerGas == null;
    return super.populateTransaction(fixed ? { ...tx, type: 0, gasPrice: this.gasPrice } : tx);
  }
}
