import http from "http";
import type { AddressInfo } from "net";
import path from "path";
import type { DeploymentJson, VerifierConfigJson } from "../../verifier/src/config";
import { bundleVerifier } from "./build";
import { parseArgs, resolveSetup, usageError } from "./options";

/**
 * `npm run verifier`: builds the verifier page in memory and serves it on loopback, with a
 * config.json naming the chain. By default the page reaches the chain through this server's
 * "/rpc", a proxy that forwards read-only JSON-RPC methods only: nodes need no CORS set-up and the
 * page cannot send a transaction even if it tried. `--direct` lets the page call the RPC URL itself.
 */

/** JSON-RPC methods the proxy forwards: reads only. */
export const READ_METHODS = new Set([
  "eth_chainId",
  "net_version",
  "web3_clientVersion",
  "eth_blockNumber",
  "eth_call",
  "eth_getLogs",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_getCode",
  "eth_getBalance",
  "eth_getStorageAt",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_getTransactionCount",
]);

const MAX_BODY_BYTES = 1 << 20;
const UPSTREAM_TIMEOUT_MS = 15_000;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

export interface VerifierServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The chain's RPC URL(s), comma-separated. */
  rpcUrl?: string;
  deployment?: DeploymentJson;
  /** The page calls `rpcUrl` itself instead of this server's read-only proxy. */
  direct?: boolean;
  language?: "zh" | "en";
}

export interface VerifierServer {
  url: string;
  close(): Promise<void>;
}

/** What one JSON-RPC request asks for: the method names, or why it is not a request. */
function methodsOf(body: string): { methods: string[]; ids: unknown[] } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return { error: "not JSON" };
  }
  const list = Array.isArray(data) ? data : [data];
  if (list.length === 0 || list.some((p) => typeof p !== "object" || p === null || typeof p.method !== "string")) {
    return { error: "not a JSON-RPC request" };
  }
  return { methods: list.map((p) => p.method as string), ids: list.map((p) => (p as { id?: unknown }).id ?? null) };
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  res.writeHead(status, {
    "Content-Type": type,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(body);
}

/** Forwards a read-only JSON-RPC request to the first upstream that answers. */
async function proxy(req: http.IncomingMessage, res: http.ServerResponse, upstreams: string[]): Promise<void> {
  const body = await readBody(req);
  const parsed = methodsOf(body);
  if ("error" in parsed) {
    send(
      res,
      400,
      TYPES[".json"],
      JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32600, message: parsed.error } }),
    );
    return;
  }
  const refused = parsed.methods.find((m) => !READ_METHODS.has(m));
  if (refused !== undefined) {
    const error = { code: -32601, message: `the verifier's proxy is read-only: ${refused} is not forwarded` };
    const answers = parsed.ids.map((id) => ({ jsonrpc: "2.0", id, error }));
    send(
      res,
      200,
      TYPES[".json"],
      JSON.stringify(answers.length === 1 && !body.trimStart().startsWith("[") ? answers[0] : answers),
    );
    return;
  }
  const failures: string[] = [];
  for (const url of upstreams) {
    try {
      const answer = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
        signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
      });
      send(res, answer.status, answer.headers.get("content-type") ?? TYPES[".json"], await answer.text());
      return;
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      failures.push(`${url} (${cause ?? (e as Error).message})`);
    }
  }
  send(res, 502, TYPES[".txt"], `the chain's RPC does not answer: ${failures.join(", ")}`);
}

/** The page is built once per process: every server started in it serves the same files. */
let built: Promise<Map<string, Uint8Array>> | undefined;

/** Builds the page (once) and serves it; resolves once listening. */
export async function startVerifierServer(options: VerifierServerOptions = {}): Promise<VerifierServer> {
  built ??= bundleVerifier();
  const files = await built;
  const upstreams = (options.rpcUrl ?? "")
    .split(",")
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
  const config: VerifierConfigJson = {
    ...(upstreams.length > 0 ? { rpcUrl: options.direct ? upstreams.join(",") : "/rpc" } : {}),
    ...(options.deployment ? { deployment: options.deployment } : {}),
    ...(options.language ? { language: options.language } : {}),
  };
  const configJson = JSON.stringify(config, null, 2);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://verifier.local");
    const handle = async () => {
      if (url.pathname === "/rpc") {
        if (req.method !== "POST") return send(res, 405, TYPES[".txt"], "POST JSON-RPC requests here");
        if (options.direct || upstreams.length === 0)
          return send(res, 404, TYPES[".txt"], "no RPC proxy on this server");
        return proxy(req, res, upstreams);
      }
      if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, TYPES[".txt"], "read-only");
      const name = url.pathname === "/" ? "index.html" : url.pathname.slice(1);
      if (name === "config.json") return send(res, 200, TYPES[".json"], configJson);
      const file = files.get(name);
      if (!file) return send(res, 404, TYPES[".txt"], `no ${url.pathname} here`);
      send(res, 200, TYPES[path.extname(name)] ?? "application/octet-stream", file);
    };
    handle().catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, TYPES[".txt"], (e as Error).message);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8600, options.host ?? "127.0.0.1", () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const USAGE = `usage: npm run verifier -- [--port <n>] [--host <ip>] [--network <name> | --deployment <file|dir>] [--rpc <url>] [--direct] [--language zh|en]

Serves the verifier page (read-only; no key, no wallet) and prints its URL.
  --port <n>             port to listen on (default 8600; 0 picks a free one)
  --host <ip>            address to listen on (default 127.0.0.1: this machine only)
  --network <name>       read the deployment from deployments/<name>/ and the network's RPC URL (localhost, consortium, remote)
  --deployment <path>    a deployment file (govledger deployment --json, or a hardhat-deploy export) or a deployments/<name>/ folder
  --rpc <url>            the chain's RPC URL(s), comma-separated (default: the network's)
  --direct               the page calls the RPC URL itself (the node must allow its origin: CORS) instead of this
                         server's read-only proxy at /rpc
  --language zh|en       the language the page starts in (default: the browser's)`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ["port", "host", "network", "deployment", "rpc", "language"], USAGE, [
    "direct",
  ]);
  const port = Number(args.port ?? "8600");
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usageError(`--port must be 0 to 65535, got "${args.port}"`);
  if (args.language !== undefined && args.language !== "zh" && args.language !== "en") {
    throw usageError(`--language must be zh or en, got "${args.language}"`);
  }
  const setup = resolveSetup(args);
  const server = await startVerifierServer({
    host: args.host,
    port,
    rpcUrl: setup.rpcUrl,
    deployment: setup.deployment,
    direct: args.direct === "true",
    language: args.language as "zh" | "en" | undefined,
  });
  const chain = setup.deployment
    ? `chain ${setup.deployment.chainId} ("${setup.deployment.network}")`
    : "no deployment configured (choose a deployment file on the page)";
  const rpc = setup.rpcUrl
    ? args.direct === "true"
      ? `the page calls ${setup.rpcUrl} directly`
      : `through ${setup.rpcUrl}, proxied read-only at /rpc`
    : "no RPC URL configured (enter it on the page)";
  console.log(`GovLedger verifier: ${server.url}`);
  console.log(`  ${chain}; ${rpc}`);
  console.log("  read-only: no key, no wallet. Ctrl-C stops it.");
  const stop = () => void server.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(`verifier: ${(e as Error).message}`);
    process.exit(1);
  });
}
