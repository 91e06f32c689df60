import { spawn, spawnSync, type ChildProcess } from "child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "fs";
import net from "net";
import path from "path";
import { CONSORTIUM_CHAIN_ID } from "../../config/networks";
import { ChainError, PROJECT_ROOT, ensureGeth } from "./geth";
import { cliqueGenesis, enodeUrl, nodeIdentity, validatorKey } from "./genesis";

/** How to start the local consortium chain; every field has a default. */
export interface ChainOptions {
  /** Validator nodes (each one seals): 3. */
  nodes?: number;
  /** Where the chain lives (one sub-folder per node): `.chain/` in the project. */
  datadir?: string;
  /** RPC port of node 0; node i listens on rpcPort + i: 8645. */
  rpcPort?: number;
  /** P2P port of node 0; node i listens on p2pPort + i: 30403. */
  p2pPort?: number;
  /** Engine-API port of node 0 (geth always opens it; loopback only): rpcPort + 100. */
  authrpcPort?: number;
  /** Wipe the data dir first; otherwise an existing chain is restarted from disk. */
  fresh?: boolean;
  chainId?: number;
  /** Clique block period in seconds: 1. */
  period?: number;
  /** Path of a geth v1.13.15 binary; default bin/geth, built when missing. */
  geth?: string;
  /** Bound on start-up (RPC up, peers connected, same head at height >= 2): 180 s. */
  startTimeoutMs?: number;
  /** geth --verbosity: 2 (warnings). */
  verbosity?: number;
  log?: (line: string) => void;
}

/** One validator node. `pid` changes when the node is restarted; `running` is false after a kill. */
export interface ChainNode {
  index: number;
  rpcUrl: string;
  rpcPort: number;
  p2pPort: number;
  authrpcPort: number;
  enode: string;
  /** The validator address this node seals with. */
  signer: string;
  datadir: string;
  logFile: string;
  pid: number | undefined;
  running: boolean;
}

export interface Head {
  number: number;
  hash: string;
}

export interface Chain {
  chainId: number;
  datadir: string;
  nodes: ChainNode[];
  /** Stops every node: SIGINT, then SIGKILL after `timeoutMs` (30 s). Safe to call twice. */
  stop(timeoutMs?: number): Promise<void>;
  /** Sends `signal` (SIGKILL by default) to node i and waits until it has exited. */
  killNode(i: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts node i again from its data dir; waits until its RPC answers and it has a peer. */
  restartNode(i: number, timeoutMs?: number): Promise<void>;
  /** The head of every running node (or of `nodes`). */
  heads(nodes?: number[]): Promise<Head[]>;
  /**
   * Waits until every running node (or every node of `nodes`) reports the same head hash at a
   * height >= `minHeight`; resolves with that head. Throws a clear error after `timeoutMs`.
   */
  waitForSameHead(options?: { minHeight?: number; timeoutMs?: number; nodes?: number[] }): Promise<Head>;
}

export const CHAIN_DEFAULTS = {
  nodes: 3,
  datadir: path.join(PROJECT_ROOT, ".chain"),
  rpcPort: 8645,
  p2pPort: 30403,
  period: 1,
  startTimeoutMs: 180_000,
  verbosity: 2,
} as const;

const PASSWORD = "govledger-local-test-chain";
const STOP_TIMEOUT_MS = 30_000;

/** Every geth process of this Node process: killed outright if Node exits without stopping them. */
const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) {
    try {
      if (child.pid) process.kill(child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/**
 * Stops every geth process this Node process started, also those of a chain still starting (whose
 * {@link Chain} the caller does not have yet): SIGINT, then SIGKILL after `timeoutMs`.
 */
export async function stopAllNodes(timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
  await Promise.all([...live].map((child) => stopChild(child, "SIGINT", timeoutMs)));
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** Starts (or restarts from disk) the local consortium chain; resolves when all nodes share a head. */
export async function startChain(options: ChainOptions = {}): Promise<Chain> {
  const log = options.log ?? ((line: string) => console.log(line));
  const count = options.nodes ?? CHAIN_DEFAULTS.nodes;
  if (!Number.isInteger(count) || count < 1 || count > 32)
    throw new ChainError(`--nodes must be 1 to 32, got ${count}`);
  const chainId = options.chainId ?? CONSORTIUM_CHAIN_ID;
  const datadir = path.resolve(options.datadir ?? CHAIN_DEFAULTS.datadir);
  const rpcPort = options.rpcPort ?? CHAIN_DEFAULTS.rpcPort;
  const p2pPort = options.p2pPort ?? CHAIN_DEFAULTS.p2pPort;
  const authrpcPort = options.authrpcPort ?? rpcPort + 100;
  const period = options.period ?? CHAIN_DEFAULTS.period;
  const startTimeoutMs = options.startTimeoutMs ?? CHAIN_DEFAULTS.startTimeoutMs;
  const verbosity = options.verbosity ?? CHAIN_DEFAULTS.verbosity;
  const ports = [
    { base: rpcPort, what: "RPC", flag: "--rpc-port" },
    { base: p2pPort, what: "P2P", flag: "--p2p-port" },
    { base: authrpcPort, what: "engine-API (authrpc)", flag: "--authrpc-port" },
  ];
  checkPortRanges(ports, count);

  const geth = options.geth ?? (await ensureGeth(log));
  if (options.fresh && existsSync(datadir)) {
    refuseIfRunning(datadir, count);
    rmSync(datadir, { recursive: true, force: true });
    log(`wiped ${datadir}`);
  }
  mkdirSync(datadir, { recursive: true });
  const nodes: ChainNode[] = Array.from({ length: count }, (_, i) => {
    const dir = path.join(datadir, `node${i}`);
    return {
      index: i,
      rpcUrl: `http://127.0.0.1:${rpcPort + i}`,
      rpcPort: rpcPort + i,
      p2pPort: p2pPort + i,
      authrpcPort: authrpcPort + i,
      enode: enodeUrl(nodeIdentity(i).nodeId, p2pPort + i),
      signer: validatorKey(i).address,
      datadir: dir,
      logFile: path.join(dir, "geth.log"),
      pid: undefined,
      running: false,
    };
  });
  refuseIfRunning(datadir, count);
  for (const node of nodes) {
    for (const p of ports) {
      const port = p.base + node.index;
      if (!(await portFree(port))) {
        throw new ChainError(
          `port ${port} (${p.what} of node ${node.index}) is already in use: pass ${p.flag} <port> to use other ports`,
        );
      }
    }
  }
  prepare(geth, datadir, chainId, period, nodes, log);

  const children = new Map<number, ChildProcess>();
  const launch = (node: ChainNode) => {
    writeFileSync(path.join(node.datadir, "config.toml"), tomlConfig(node, nodes));
    const out = openSync(node.logFile, "a");
    const child = spawn(geth, gethArgs(node, chainId, verbosity, datadir), {
      cwd: node.datadir,
      detached: true, // Ctrl-C reaches this script only; it stops the nodes in order
      stdio: ["ignore", out, out],
    });
    closeSync(out);
    live.add(child);
    children.set(node.index, child);
    node.pid = child.pid;
    node.running = true;
    writeFileSync(path.join(node.datadir, "geth.pid"), `${child.pid}\n`);
    child.on("exit", () => {
      live.delete(child);
      if (children.get(node.index) === child) {
        node.running = false;
        rmSync(path.join(node.datadir, "geth.pid"), { force: true });
      }
    });
  };

  const stopNode = async (i: number, signal: NodeJS.Signals, timeoutMs: number) => {
    const child = children.get(i);
    if (child) await stopChild(child, signal, timeoutMs);
  };

  const chain: Chain = {
    chainId,
    datadir,
    nodes,
    async stop(timeoutMs = STOP_TIMEOUT_MS) {
      await Promise.all(nodes.map((n) => stopNode(n.index, "SIGINT", timeoutMs)));
    },
    async killNode(i, signal = "SIGKILL") {
      nodeAt(nodes, i);
      await stopNode(i, signal, STOP_TIMEOUT_MS);
    },
    async restartNode(i, timeoutMs = 120_000) {
      const node = nodeAt(nodes, i);
      if (node.running) throw new ChainError(`node ${i} is still running (pid ${node.pid}): kill it first`);
      launch(node);
      const deadline = Date.now() + timeoutMs;
      await waitForRpc(node, children, deadline);
      if (nodes.length > 1) await waitForPeers([node], 1, deadline);
    },
    heads: (which) => Promise.all(select(nodes, which).map((n) => headOf(n))),
    async waitForSameHead({ minHeight = 2, timeoutMs = 120_000, nodes: which } = {}) {
      const deadline = Date.now() + timeoutMs;
      let last: Head[] = [];
      for (;;) {
        const targets = select(nodes, which);
        try {
          last = await Promise.all(targets.map((n) => headOf(n)));
          if (last.length > 0 && last.every((h) => h.hash === last[0].hash && h.number >= minHeight)) return last[0];
        } catch {
          // a node restarting: ask again
        }
        if (Date.now() > deadline) {
          const seen = last.map((h, k) => `node ${targets[k]?.index}: #${h.number} ${h.hash.slice(0, 10)}`).join("; ");
          throw new ChainError(
            `nodes did not agree on a head at height >= ${minHeight} within ${timeoutMs / 1000} s (${seen || "no answer"}); see the geth.log files under ${datadir}`,
          );
        }
        await sleep(250);
      }
    },
  };

  try {
    for (const node of nodes) launch(node);
    const deadline = Date.now() + startTimeoutMs;
    for (const node of nodes) await waitForRpc(node, children, deadline);
    if (count > 1) await waitForPeers(nodes, count - 1, deadline);
    // Sealing, not only restored from disk: a block newer than any node had at start.
    const restored = Math.max(...(await chain.heads()).map((h) => h.number));
    const minHeight = Math.max(2, restored + 1);
    await chain.waitForSameHead({ minHeight, timeoutMs: Math.max(1000, deadline - Date.now()) });
  } catch (e) {
    await chain.stop(10_000);
    throw e;
  }
  return chain;
}

function nodeAt(nodes: ChainNode[], i: number): ChainNode {
  const node = nodes[i];
  if (!node) throw new ChainError(`no node ${i}: the chain has nodes 0 to ${nodes.length - 1}`);
  return node;
}

function select(nodes: ChainNode[], which?: number[]): ChainNode[] {
  return which ? which.map((i) => nodeAt(nodes, i)) : nodes.filter((n) => n.running);
}

/** Writes the genesis, password and keys, and initialises every node's data dir not yet initialised. */
function prepare(
  geth: string,
  datadir: string,
  chainId: number,
  period: number,
  nodes: ChainNode[],
  log: (l: string) => void,
) {
  const metaFile = path.join(datadir, "chain.json");
  const meta = { chainId, nodes: nodes.length, period, signers: nodes.map((n) => n.signer) };
  if (existsSync(metaFile)) {
    const old = JSON.parse(readFileSync(metaFile, "utf8")) as typeof meta;
    if (old.chainId !== chainId || old.nodes !== nodes.length || old.period !== period) {
      throw new ChainError(
        `${datadir} holds a ${old.nodes}-node chain (chain id ${old.chainId}, period ${old.period} s): pass --fresh to replace it, or another --datadir`,
      );
    }
  }
  const genesisFile = path.join(datadir, "genesis.json");
  writeFileSync(genesisFile, JSON.stringify(cliqueGenesis(chainId, meta.signers, period), null, 2) + "\n");
  writeFileSync(path.join(datadir, "password.txt"), PASSWORD + "\n");
  let initialised = 0;
  for (const node of nodes) {
    if (existsSync(path.join(node.datadir, "geth", "chaindata"))) continue;
    mkdirSync(node.datadir, { recursive: true });
    run(geth, ["init", "--datadir", node.datadir, "--state.scheme", "hash", genesisFile], `init node ${node.index}`);
    const keyFile = path.join(node.datadir, "validator.key");
    writeFileSync(keyFile, validatorKey(node.index).privateKey.slice(2) + "\n", { mode: 0o600 });
    try {
      run(
        geth,
        [
          "account",
          "import",
          "--datadir",
          node.datadir,
          "--password",
          path.join(datadir, "password.txt"),
          "--lightkdf",
          keyFile,
        ],
        `import the key of node ${node.index}`,
      );
    } finally {
      rmSync(keyFile, { force: true });
    }
    initialised++;
  }
  writeFileSync(metaFile, JSON.stringify(meta, null, 2) + "\n");
  if (initialised > 0) log(`initialised ${initialised} node data dir(s) under ${datadir}`);
}

function run(geth: string, args: string[], what: string) {
  const out = spawnSync(geth, args, { encoding: "utf8", timeout: 120_000 });
  if (out.status !== 0) {
    throw new ChainError(
      `geth could not ${what}: ${(out.stderr || out.stdout || String(out.error)).trim().split("\n").pop()}`,
    );
  }
}

function gethArgs(node: ChainNode, chainId: number, verbosity: number, datadir: string): string[] {
  // prettier-ignore
  return [
    "--datadir", node.datadir,
    "--config", path.join(node.datadir, "config.toml"),
    "--networkid", String(chainId),
    "--nodekeyhex", nodeIdentity(node.index).nodeKey.slice(2),
    "--nodiscover",
    "--nat", "none",
    "--syncmode", "full",
    "--gcmode", "archive",
    "--state.scheme", "hash",
    "--http",
    "--http.addr", "127.0.0.1",
    "--http.port", String(node.rpcPort),
    "--http.api", "eth,net,web3,txpool,admin,clique,debug",
    "--authrpc.addr", "127.0.0.1",
    "--authrpc.port", String(node.authrpcPort),
    "--ipcdisable",
    "--mine",
    "--miner.etherbase", node.signer,
    "--miner.gasprice", "1",
    "--unlock", node.signer,
    "--password", path.join(datadir, "password.txt"),
    "--allow-insecure-unlock",
    "--verbosity", String(verbosity),
  ];
}

/** P2P on loopback only (the --port flag would listen on every interface) and the other nodes as static peers. */
function tomlConfig(node: ChainNode, nodes: ChainNode[]): string {
  const peers = nodes.filter((n) => n.index !== node.index).map((n) => JSON.stringify(n.enode));
  return [
    "[Node.P2P]",
    `ListenAddr = "127.0.0.1:${node.p2pPort}"`,
    "NoDiscovery = true",
    `StaticNodes = [${peers.join(", ")}]`,
    "",
  ].join("\n");
}

function checkPortRanges(ports: { base: number; what: string; flag: string }[], count: number) {
  for (const p of ports) {
    if (!Number.isInteger(p.base) || p.base < 1 || p.base + count - 1 > 65535) {
      throw new ChainError(`${p.flag} must be a port from 1 to ${65536 - count}, got ${p.base}`);
    }
  }
  for (let a = 0; a < ports.length; a++) {
    for (let b = a + 1; b < ports.length; b++) {
      if (Math.abs(ports[a].base - ports[b].base) < count) {
        throw new ChainError(
          `${ports[a].flag} ${ports[a].base} and ${ports[b].flag} ${ports[b].base} overlap for ${count} nodes: move one`,
        );
      }
    }
  }
}

/** A node of this data dir still running from an earlier start would hold its lock: say so. */
function refuseIfRunning(datadir: string, count: number) {
  for (let i = 0; i < count; i++) {
    const pidFile = path.join(datadir, `node${i}`, "geth.pid");
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    let cmdline = "";
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      // not running
    }
    if (cmdline.includes("geth") && cmdline.includes(path.join(datadir, `node${i}`))) {
      throw new ChainError(
        `node ${i} of ${datadir} is still running (pid ${pid}) from an earlier start: stop it first (kill ${pid})`,
      );
    }
    rmSync(pidFile, { force: true });
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** One JSON-RPC call with a timeout. */
export async function rpc<T>(url: string, method: string, params: unknown[] = [], timeoutMs = 5000): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

async function headOf(node: ChainNode): Promise<Head> {
  const block = await rpc<{ number: string; hash: string }>(node.rpcUrl, "eth_getBlockByNumber", ["latest", false]);
  return { number: Number(block.number), hash: block.hash };
}

async function waitForRpc(node: ChainNode, children: Map<number, ChildProcess>, deadline: number) {
  for (;;) {
    const child = children.get(node.index);
    if (!child || child.exitCode !== null || child.signalCode !== null) throw exitedEarly(node);
    try {
      await rpc(node.rpcUrl, "eth_chainId", [], 2000);
      return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      throw new ChainError(`node ${node.index} did not answer on ${node.rpcUrl} in time; see ${node.logFile}`);
    }
    await sleep(250);
  }
}

async function waitForPeers(nodes: ChainNode[], want: number, deadline: number) {
  for (const node of nodes) {
    let peers = 0;
    for (;;) {
      if (!node.running) throw exitedEarly(node);
      try {
        peers = Number(await rpc<string>(node.rpcUrl, "net_peerCount"));
        if (peers >= want) break;
      } catch {
        // ask again
      }
      if (Date.now() > deadline) {
        throw new ChainError(`node ${node.index} has ${peers} peer(s), expected ${want}, in time; see ${node.logFile}`);
      }
      await sleep(250);
    }
  }
}

/** Why a node stopped on its own, from the end of its log. */
function exitedEarly(node: ChainNode): ChainError {
  let tail = "";
  try {
    tail = readFileSync(node.logFile, "utf8").trim().split("\n").slice(-5).join("\n");
  } catch {
    // no log
  }
  const inUse = /address already in use/.exec(tail);
  if (inUse) {
    return new ChainError(
      `node ${node.index} could not open a port (address already in use): pass other --rpc-port / --p2p-port / --authrpc-port`,
    );
  }
  if (/datadir already used by another process/.test(tail)) {
    return new ChainError(
      `node ${node.index}: ${node.datadir} is used by another geth process: stop it or pass another --datadir`,
    );
  }
  return new ChainError(`node ${node.index} exited during start-up; the end of ${node.logFile}:\n${tail}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
