import {
  FetchRequest,
  JsonRpcProvider,
  Network,
  type JsonRpcError,
  type JsonRpcPayload,
  type JsonRpcResult,
} from "ethers";
import { DeploymentError } from "./deployment";
import { sendUnconfirmed } from "./transactions";

export interface FailoverOptions {
  /** The chain every endpoint must be on; by default the chain of the first endpoint that answers. */
  chainId?: bigint | number;
  /** Milliseconds one request may take on one endpoint before the next is tried (10 s). */
  requestTimeoutMs?: number;
  /** Milliseconds a failed endpoint is passed over before it is tried first again (30 s). */
  retryAfterMs?: number;
  /** Milliseconds between polls for new blocks and receipts (1 s). */
  pollingIntervalMs?: number;
}

/** How one endpoint is doing, for diagnostics. */
export interface EndpointHealth {
  url: string;
  /** Its chain id was checked and is the chain's. */
  verified: boolean;
  /** Reported another chain id: never used. */
  refused?: string;
  /** Failed last and is passed over until this time (ms since the epoch); 0 when healthy. */
  downUntil: number;
  lastError?: string;
}

/** None of the endpoints answered: nothing was sent. */
export class RpcUnreachableError extends Error {
  constructor(
    message: string,
    readonly urls: string[],
  ) {
    super(message);
    this.name = "RpcUnreachableError";
  }
}

/** JSON-RPC methods that send a transaction: never repeated on another endpoint once they may have arrived. */
const WRITE_METHODS = new Set(["eth_sendRawTransaction", "eth_sendTransaction", "personal_sendTransaction"]);

/** Errors that prove the request never reached the node (no connection was made). */
const NOT_CONNECTED = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
]);

interface Endpoint extends EndpointHealth {
  rpc: JsonRpcProvider;
  verifying?: Promise<void>;
}

/**
 * A JSON-RPC provider over several nodes of one chain (a consortium's validators or RPC nodes):
 *
 * - every endpoint must report the same chain id — checked at {@link connect} for those that answer,
 *   and before first use for those that were down then; an endpoint on another chain is refused;
 * - a request goes to the first healthy endpoint in the order given; on a network error, timeout or
 *   HTTP failure it is retried on the next, and the failed endpoint is passed over for `retryAfterMs`;
 * - a node's answer is final: a JSON-RPC error (a contract revert, "nonce too low", …) is returned as
 *   it is, so reverts still decode as {@link GovLedgerError};
 * - a transaction (`eth_sendRawTransaction`) goes to one endpoint. It is tried on the next only when
 *   the connection was refused (it certainly did not arrive); after a timeout or a broken connection
 *   it may have arrived, so a {@link TransactionInDoubtError} with its hash is thrown and nothing else
 *   is sent (check it with `gl.transactions.status`).
 *
 * Why not ethers' FallbackProvider: it broadcasts every transaction to all backends, races a second
 * backend after a 400 ms stall, has no `send` for raw JSON-RPC, and its start-up network check waits
 * on every backend (a dead one stalls it). Here requests go to one node at a time.
 */
export class FailoverProvider extends JsonRpcProvider {
  private readonly endpoints: Endpoint[];
  private readonly retryAfterMs: number;
  private readonly expectedChainId: bigint;
  private nextId = 1;

  private constructor(endpoints: Endpoint[], chainId: bigint, options: FailoverOptions) {
    const network = Network.from(chainId);
    super(endpoints[0].url, network, {
      staticNetwork: network,
      // One request per HTTP call, so each is routed (and a write never rides in a batch of reads).
      batchMaxCount: 1,
      pollingInterval: options.pollingIntervalMs ?? 1000,
      // Event subscriptions poll eth_getLogs (filter ids live on one node and die with it).
      polling: true,
      // No sharing of identical requests within 250 ms: back-to-back writes need fresh pending nonces.
      cacheTimeout: -1,
    });
    this.endpoints = endpoints;
    this.expectedChainId = chainId;
    this.retryAfterMs = options.retryAfterMs ?? 30_000;
  }

  /**
   * Connects to `urls` (an array, or one string of comma-separated URLs) after asking each for its
   * chain id: all that answer must agree (and equal `options.chainId` when given); at least one must
   * answer. Endpoints that are down now are used once they answer with the same chain id.
   */
  static async connect(urls: string | string[], options: FailoverOptions = {}): Promise<FailoverProvider> {
    const list = parseRpcUrls(urls);
    const timeout = options.requestTimeoutMs ?? 10_000;
    const endpoints: Endpoint[] = list.map((url) => ({
      url,
      rpc: backend(url, timeout),
      verified: false,
      downUntil: 0,
    }));
    const probes = await Promise.all(
      endpoints.map(async (e) => {
        try {
          return { chainId: await chainIdOf(e, 0) };
        } catch (error) {
          return { error: describe(error) };
        }
      }),
    );
    const close = () => endpoints.forEach((e) => e.rpc.destroy());
    const answered = probes.flatMap((p, i) => (p.chainId === undefined ? [] : [{ e: endpoints[i], id: p.chainId }]));
    if (answered.length === 0) {
      close();
      const why = probes.map((p, i) => `${list[i]} (${p.error})`).join(", ");
      throw new RpcUnreachableError(`no RPC endpoint answered: ${why}`, list);
    }
    const expected = options.chainId !== undefined ? BigInt(options.chainId) : answered[0].id;
    const wrong = answered.filter((a) => a.id !== expected);
    if (wrong.length > 0) {
      close();
      const said = wrong.map((a) => `${a.e.url} reports chain id ${a.id}`).join(", ");
      const want =
        options.chainId !== undefined
          ? `the chain id expected is ${expected}`
          : `${answered[0].e.url} reports chain id ${expected}`;
      throw new DeploymentError(
        `wrong network: ${said}, ${want}; every RPC URL must be a node of the same chain (fix the URL list)`,
      );
    }
    const now = Date.now();
    probes.forEach((p, i) => {
      const e = endpoints[i];
      if (p.chainId !== undefined) e.verified = true;
      else Object.assign(e, { downUntil: now + (options.retryAfterMs ?? 30_000), lastError: p.error });
    });
    return new FailoverProvider(endpoints, expected, options);
  }

  /** The URLs, in priority order. */
  get urls(): string[] {
    return this.endpoints.map((e) => e.url);
  }

  /** How each endpoint is doing. */
  health(): EndpointHealth[] {
    return this.endpoints.map((e) => ({
      url: e.url,
      verified: e.verified,
      downUntil: e.downUntil,
      ...(e.refused ? { refused: e.refused } : {}),
      ...(e.lastError ? { lastError: e.lastError } : {}),
    }));
  }

  // ethers types JsonRpcProvider._send as results only; node errors come back in the array too.
  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<Array<JsonRpcResult>> {
    const list = Array.isArray(payload) ? payload : [payload];
    const write = list.find((p) => WRITE_METHODS.has(p.method));
    const failures: string[] = [];
    for (const e of this.order()) {
      if (this.destroyed) break;
      try {
        await this.verify(e);
      } catch (error) {
        failures.push(`${e.url} (${e.refused ?? describe(error)})`);
        continue;
      }
      try {
        const result = await e.rpc._send(payload);
        e.downUntil = 0;
        delete e.lastError;
        return result;
      } catch (error) {
        this.markDown(e, error);
        if (write && !neverConnected(error)) {
          if (write.method === "eth_sendRawTransaction")
            throw sendUnconfirmed(String((write.params as unknown[])[0]), e.url, error);
          throw error;
        }
        failures.push(`${e.url} (${describe(error)})`);
      }
    }
    throw new RpcUnreachableError(`no RPC endpoint answered ${list[0].method}: ${failures.join(", ")}`, this.urls);
  }

  override destroy(): void {
    this.endpoints.forEach((e) => e.rpc.destroy());
    super.destroy();
  }

  /** Healthy endpoints in the order given, then those passed over, soonest back first; never a refused one. */
  private order(): Endpoint[] {
    const now = Date.now();
    const usable = this.endpoints.filter((e) => !e.refused);
    const healthy = usable.filter((e) => e.downUntil <= now);
    const down = usable.filter((e) => e.downUntil > now).sort((a, b) => a.downUntil - b.downUntil);
    return [...healthy, ...down];
  }

  /** Checks the chain id of an endpoint not yet checked (down at connect) before its first use. */
  private async verify(e: Endpoint): Promise<void> {
    if (e.refused) throw new Error(e.refused);
    if (e.verified) return;
    e.verifying ??= (async () => {
      try {
        const id = await chainIdOf(e, this.nextId++);
        if (id !== this.expectedChainId) {
          e.refused = `reports chain id ${id}, not ${this.expectedChainId}`;
          throw new Error(e.refused);
        }
        e.verified = true;
      } catch (error) {
        if (!e.refused) this.markDown(e, error);
        throw error;
      } finally {
        e.verifying = undefined;
      }
    })();
    return e.verifying;
  }

  private markDown(e: Endpoint, error: unknown): void {
    e.downUntil = Date.now() + this.retryAfterMs;
    e.lastError = describe(error);
  }
}

/** `urls` as a list: an array, or comma-separated; each must be an http(s) URL; duplicates dropped. */
export function parseRpcUrls(urls: string | string[]): string[] {
  const list = (Array.isArray(urls) ? urls : [urls])
    .flatMap((u) => u.split(","))
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
  if (list.length === 0) throw new Error("no RPC URL given");
  for (const url of list) {
    if (!/^https?:\/\/[^\s/]+/i.test(url)) throw new Error(`"${url}" is not an http(s) RPC URL`);
  }
  return [...new Set(list)];
}

/** A plain provider used only for its transport (`_send`), with a per-request timeout. */
function backend(url: string, timeoutMs: number): JsonRpcProvider {
  const request = new FetchRequest(url);
  request.timeout = timeoutMs;
  return new JsonRpcProvider(request, undefined, { staticNetwork: true, batchMaxCount: 1 });
}

async function chainIdOf(e: Endpoint, id: number): Promise<bigint> {
  const [answer] = (await e.rpc._send({ method: "eth_chainId", params: [], id, jsonrpc: "2.0" })) as Array<
    JsonRpcResult | JsonRpcError
  >;
  if (!answer || "error" in answer) throw new Error(`eth_chainId failed: ${answer?.error?.message ?? "no answer"}`);
  return BigInt(answer.result as string);
}

/** Whether `error` proves no connection was made, so the request cannot have reached the node. */
function neverConnected(error: unknown): boolean {
  const e = error as { code?: string; errors?: { code?: string }[] };
  const codes = [e?.code, ...(e?.errors ?? []).map((x) => x?.code)];
  return codes.some((c) => c !== undefined && NOT_CONNECTED.has(c));
}

function describe(error: unknown): string {
  const e = error as { code?: string; shortMessage?: string; message?: string };
  const text = e?.shortMessage ?? e?.message ?? String(error);
  return e?.code && !text.includes(e.code) ? `${e.code}: ${text}` : text || String(e?.code);
}
