/**
 * `npm run bench:chain`: throughput and latency of the evidence module on the real multi-node chain
 * (a fresh geth Clique consortium of `npm run chain`, 3 validators, 1 s blocks, the whole suite
 * deployed as `npm run deploy -- --network consortium` does). Not a test: it prints and writes figures
 * to bench/chain-throughput.json, then regenerates BENCHMARKS.md from it and bench/results.json.
 *
 * Measured, each by a load of pre-signed transactions sent over HTTP to the three nodes in turn:
 * - latency, closed loop: one notarization at a time, send → receipt (median, p95);
 * - single notarizations, open loop: tx/s accepted by the nodes and tx/s sealed into blocks,
 *   latency send → sealed under that load, transactions per block;
 * - indexed batches (`notarizeBatch`, 100 digests a transaction) and Merkle batches (`anchorRoot`,
 *   10,000 documents a root, the tree built in the timed window): documents per second;
 * - CPU (share of one core) and memory (RSS) of each geth node over each load.
 * Options: --txs N (singles, 4,000), --indexed N (indexed batches, 20), --roots N (Merkle roots, 50),
 * --docs N (documents a root, 10,000), --latency N (closed-loop samples, 50), --batch N (100),
 * --no-write (print only), --render (only regenerate BENCHMARKS.md), --keep (keep the chain's temp dir).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import os from "os";
import path from "path";
import { randomBytes } from "crypto";
import { Transaction, Wallet, id, type ContractTransaction } from "ethers";
import { GovLedger, loadDeployment, type Deployment } from "../src/sdk";
import { EvidenceMerkleTree } from "../src/evidence/merkle";
import { deploySuite, stopDeploy } from "../scripts/chain/deploy";
import { rpc, startChain, stopAllNodes, type Chain, type ChainNode } from "../scripts/chain/chain";
import { ChainError, GETH_VERSION, PROJECT_ROOT, ensureGeth } from "../scripts/chain/geth";
import { GAS_LIMIT } from "../scripts/chain/genesis";
import { countOf, throwAwayChainCommand } from "../scripts/chain/options";
import { cast, closeAll, evidenceFlow, identityFlow, type FlowContext } from "../scripts/chain/flows";
import { renderMarkdown } from "./lib/report";
import type { BenchReport, ChainLoad, ChainThroughputReport, NodeUsage } from "./lib/types";

const OUT = path.join(PROJECT_ROOT, "bench", "chain-throughput.json");
/** Legacy gas price of every load transaction: above the chain's 7 wei base fee, still near zero. */
const GAS_PRICE = 100n;
/** The Clique block period of the chain started (startChain's default). */
const PERIOD_S = 1;

const program = throwAwayChainCommand("npm run bench:chain --", { rpc: 28645, p2p: 32403, authrpc: 28745 })
  .option("--txs <n>", "single notarizations in the open-loop load", countOf, 4000)
  .option("--indexed <n>", "notarizeBatch transactions of 100 digests", countOf, 20)
  .option("--roots <n>", "Merkle roots anchored", countOf, 50)
  .option("--docs <n>", "documents under each Merkle root", countOf, 10_000)
  .option("--latency <n>", "closed-loop notarizations (one at a time)", countOf, 50)
  .option("--batch <n>", "transactions in one JSON-RPC batch request", countOf, 100)
  .option("--no-write", "print only: leave bench/chain-throughput.json and BENCHMARKS.md as they are")
  .option("--render", "measure nothing: regenerate BENCHMARKS.md from bench/chain-throughput.json", false);

interface Options {
  txs: number;
  indexed: number;
  roots: number;
  docs: number;
  latency: number;
  batch: number;
  rpcPort: number;
  p2pPort: number;
  authrpcPort: number;
  write: boolean;
  render: boolean;
  keep: boolean;
}

const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s] ${line}`);

async function main(): Promise<void> {
  const o = program.parse(process.argv).opts<Options>();
  if (o.render) {
    regenerateMarkdown(JSON.parse(readFileSync(OUT, "utf8")) as ChainThroughputReport);
    log("regenerated BENCHMARKS.md from bench/chain-throughput.json");
    return;
  }
  await ensureGeth(log);
  const dir = mkdtempSync(path.join(os.tmpdir(), "govledger-bench-chain-"));
  let chain: Chain | undefined;
  const cleanup = async () => {
    stopDeploy();
    closeAll();
    await chain?.stop();
    await stopAllNodes();
  };
  process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));
  let failed = true;
  try {
    log(`fresh 3-node chain in ${dir}`);
    chain = await startChain({
      nodes: 3,
      datadir: path.join(dir, "chain"),
      rpcPort: o.rpcPort,
      p2pPort: o.p2pPort,
      authrpcPort: o.authrpcPort,
      fresh: true,
      log,
    });
    const urls = chain.nodes.map((n) => n.rpcUrl);
    log("deploying the suite (about 5 minutes: 109 transactions, each waits for its block)");
    await deploySuite(urls[0], dir);
    const deployment = loadDeployment("consortium", dir);
    const actors = cast();
    const ctx: FlowContext = { deployment, writeUrl: urls[0], readUrl: urls[1], cast: actors, log };
    log("set-up (untimed): DIDs registered, the IP Office enrolled as a notary");
    await identityFlow(ctx);
    await evidenceFlow(ctx);

    const bench = new Loader(chain, deployment, actors.ipOffice.privateKey, o.batch);
    await bench.init();
    const latency = await bench.closedLoop(o.latency);
    log(
      `closed loop: ${o.latency} notarizations one at a time, median ${latency.medianMs} ms, p95 ${latency.p95Ms} ms`,
    );
    const singles = await bench.load("single notarizations", o.txs, 1, () =>
      bench.notarizeTx(randomDigest(), "bench:single"),
    );
    const indexed = await bench.load("indexed batches (notarizeBatch ×100)", o.indexed, 100, () =>
      bench.gl.evidence
        .notarizeBatch(
          Array.from({ length: 100 }, () => randomDigest()),
          { algorithm: "sha256", category: 1, businessRef: id("bench:indexed") },
        )
        .populate(),
    );
    const merkle = await bench.load(
      `Merkle batches (anchorRoot, ${o.docs.toLocaleString("en-US")} documents a root)`,
      o.roots,
      o.docs,
      () => {
        const tree = EvidenceMerkleTree.ofPacked(randomBytes(o.docs * 32));
        return bench.gl.evidence
          .anchorRoot(tree.root, o.docs, { algorithm: "sha256", category: 1, businessRef: id("bench:merkle") })
          .populate();
      },
    );
    await bench.spotCheck(urls[2]);
    const report: ChainThroughputReport = {
      generatedAt: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, shared with other work`,
      engine: `geth v${GETH_VERSION}, Clique proof of authority`,
      validators: chain.nodes.length,
      blockPeriodSeconds: PERIOD_S,
      blockGasLimit: Number(GAS_LIMIT),
      gasPrice: Number(GAS_PRICE),
      batch: o.batch,
      latency,
      loads: [singles, indexed, merkle],
      anchor: {
        name: "Hyperledger Besu, QBFT, 4 validators",
        tps: "750–1,200",
        workload: "a simple contract call (published figure, not run here)",
      },
    };
    print(report);
    if (o.write) {
      writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
      regenerateMarkdown(report);
      log(`wrote ${path.relative(PROJECT_ROOT, OUT)} and BENCHMARKS.md`);
    }
    failed = false;
  } finally {
    await cleanup();
    if (failed || o.keep) console.log(`chain data and logs kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** Sends signed transactions as one JSON-RPC batch; throws on the first one refused. */
async function sendBatch(url: string, raws: string[]): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(
      raws.map((raw, id) => ({ jsonrpc: "2.0", id, method: "eth_sendRawTransaction", params: [raw] })),
    ),
    signal: AbortSignal.timeout(60_000),
  });
  const answers = (await response.json()) as { error?: { message: string } }[];
  const refused = answers.find((a) => a.error);
  if (refused) throw new ChainError(`${url} refused a transaction of the batch: ${refused.error!.message}`);
}

/** A fresh random SHA-256-sized digest. */
const randomDigest = () => `0x${randomBytes(32).toString("hex")}`;

/** Drives loads of pre-signed transactions from one notary account at the three nodes in turn. */
class Loader {
  readonly urls: string[];
  gl!: GovLedger;
  private readonly wallet: Wallet;
  private nonce = 0;
  private readonly chainId: bigint;

  constructor(
    private readonly chain: Chain,
    private readonly deployment: Deployment,
    key: string,
    private readonly batch: number,
  ) {
    this.urls = chain.nodes.map((n) => n.rpcUrl);
    this.wallet = new Wallet(key);
    this.chainId = deployment.chainId;
  }

  async init(): Promise<void> {
    this.gl = await GovLedger.connectRpc(this.urls, this.deployment, this.wallet.privateKey, { gasPrice: GAS_PRICE });
    this.nonce = Number(
      BigInt(await rpc<string>(this.urls[0], "eth_getTransactionCount", [this.wallet.address, "pending"])),
    );
  }

  notarizeTx(digest: string, ref: string): Promise<ContractTransaction> {
    return this.gl.evidence.notarize(digest, { algorithm: "sha256", category: 1, businessRef: id(ref) }).populate();
  }

  /** Signs `tx` with the next nonce; the gas limit is the node's estimate plus a fifth. */
  private async sign(tx: ContractTransaction, gasLimit: bigint): Promise<{ raw: string; hash: string }> {
    const signed = await this.wallet.signTransaction({
      type: 0,
      chainId: this.chainId,
      nonce: this.nonce++,
      to: tx.to,
      data: tx.data,
      gasLimit,
      gasPrice: GAS_PRICE,
    });
    return { raw: signed, hash: Transaction.from(signed).hash! };
  }

  private async gasFor(tx: ContractTransaction): Promise<bigint> {
    const estimate = await rpc<string>(this.urls[0], "eth_estimateGas", [
      { from: this.wallet.address, to: tx.to, data: tx.data },
    ]);
    return (BigInt(estimate) * 6n) / 5n;
  }

  /** One notarization at a time through node i % 3: milliseconds from send to a receipt on that node. */
  async closedLoop(count: number): Promise<ChainThroughputReport["latency"]> {
    const samples: number[] = [];
    const gas = await this.gasFor(await this.notarizeTx(randomDigest(), "bench:latency"));
    for (let i = 0; i < count; i++) {
      const url = this.urls[i % this.urls.length];
      const { raw, hash } = await this.sign(await this.notarizeTx(randomDigest(), "bench:latency"), gas);
      const t0 = performance.now();
      await rpc(url, "eth_sendRawTransaction", [raw]);
      for (;;) {
        const receipt = await rpc<{ status: string } | null>(url, "eth_getTransactionReceipt", [hash]);
        if (receipt) {
          if (receipt.status !== "0x1") throw new ChainError(`latency sample ${hash} reverted`);
          break;
        }
        await sleep(20);
      }
      samples.push(performance.now() - t0);
    }
    return { samples: count, medianMs: round(quantile(samples, 0.5)), p95Ms: round(quantile(samples, 0.95)) };
  }

  /**
   * Open loop: `count` transactions made by `make` and signed with consecutive nonces — before the
   * clock starts, or inside the timed window when `timedBuild` (a Merkle root's tree is part of its
   * cost) — sent to node 0 in JSON-RPC batches of `batch`, one batch at a time so the node receives
   * the nonces in order; every new block is watched on node 1 until all are sealed.
   */
  async load(
    name: string,
    count: number,
    docsPerTx: number,
    make: () => Promise<ContractTransaction>,
    timedBuild = false,
  ): Promise<ChainLoad> {
    log(`${name}: ${count} transactions …`);
    const gas = await this.gasFor(await make());
    const build = async () => {
      const signed: { raw: string; hash: string }[] = [];
      for (let i = 0; i < count; i++) signed.push(await this.sign(await make(), gas));
      return signed;
    };
    const presigned = timedBuild ? undefined : await build();
    const watcher = new BlockWatcher(this.urls[1], this.chain.nodes);
    await watcher.start();
    const t0 = performance.now();
    const signed = presigned ?? (await build());
    const sentAt = new Map<string, number>();
    let acceptedAt = 0;
    for (let i = 0; i < signed.length; i += this.batch) {
      const chunk = signed.slice(i, i + this.batch);
      const at = performance.now();
      for (const { hash } of chunk) sentAt.set(hash, at);
      await sendBatch(
        this.urls[0],
        chunk.map((t) => t.raw),
      );
      acceptedAt = performance.now();
    }
    const sealed = await watcher.until(new Set(sentAt.keys()), 300_000);
    const usage = watcher.stop();
    const done = Math.max(...[...sealed.values()]);
    const latencies = [...sentAt].map(([hash, at]) => sealed.get(hash)! - at);
    const ours = watcher.blocks.filter((b) => b.ours > 0);
    const failed = await this.failures([...sentAt.keys()].slice(-5));
    if (failed > 0) throw new ChainError(`${name}: ${failed} of the last 5 transactions reverted`);
    const seconds = (done - t0) / 1000;
    const result: ChainLoad = {
      name,
      transactions: count,
      docsPerTransaction: docsPerTx,
      gasPerTransaction: ours.length
        ? Math.round(ours.reduce((s, b) => s + b.gasUsed, 0) / ours.reduce((s, b) => s + b.ours, 0))
        : 0,
      acceptedPerSecond: round(count / ((acceptedAt - t0) / 1000)),
      sealedPerSecond: round(count / seconds),
      // Block time from the first block carrying the load to the last, each block standing for one period.
      sustainedPerSecond: round(count / (ours[ours.length - 1].timestamp - ours[0].timestamp + PERIOD_S)),
      docsPerSecond: round((count * docsPerTx) / seconds),
      seconds: round(seconds),
      blocks: ours.length,
      maxPerBlock: Math.max(...ours.map((b) => b.ours)),
      medianPerBlock: quantile(
        ours.map((b) => b.ours),
        0.5,
      ),
      latencyMedianMs: round(quantile(latencies, 0.5)),
      latencyP95Ms: round(quantile(latencies, 0.95)),
      gasCeilingPerSecond: 0,
      nodes: usage,
    };
    result.gasCeilingPerSecond = result.gasPerTransaction
      ? Math.floor(Number(GAS_LIMIT) / result.gasPerTransaction)
      : 0;
    log(
      `${name}: ${result.sealedPerSecond} tx/s sealed (${result.docsPerSecond} documents/s), ${result.acceptedPerSecond} tx/s accepted, ` +
        `${result.blocks} blocks, ≤ ${result.maxPerBlock} a block, latency median ${result.latencyMedianMs} ms p95 ${result.latencyP95Ms} ms`,
    );
    return result;
  }

  /** How many of `hashes` reverted. */
  private async failures(hashes: string[]): Promise<number> {
    const receipts = await Promise.all(
      hashes.map((h) => rpc<{ status: string }>(this.urls[0], "eth_getTransactionReceipt", [h])),
    );
    return receipts.filter((r) => r.status !== "0x1").length;
  }

  /** A few records read back through the third node, through the SDK. */
  async spotCheck(url: string): Promise<void> {
    const reader = await GovLedger.connectRpc(url, this.deployment);
    try {
      const digest = randomDigest();
      const { raw, hash } = await this.sign(await this.notarizeTx(digest, "bench:check"), 200_000n);
      await rpc(this.urls[0], "eth_sendRawTransaction", [raw]);
      const receipt = await reader.transactions.resumeOrResend(hash, { timeoutMs: 60_000 });
      if (receipt.receipt.status !== 1) throw new ChainError(`spot check ${hash} reverted`);
      const verdict = await reader.evidence.verify(digest);
      if (verdict.verdict !== "notarized")
        throw new ChainError(`spot check: ${digest} is ${verdict.verdict} on ${url}`);
    } finally {
      reader.close();
    }
  }
}

interface SeenBlock {
  number: number;
  ours: number;
  gasUsed: number;
  timestamp: number;
}

/** Polls one node for new blocks: when each of our transactions was first seen sealed; samples each node's CPU and memory. */
class BlockWatcher {
  readonly blocks: SeenBlock[] = [];
  private readonly seen = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private head = 0;
  private busy = false;
  private readonly cpuStart: Map<number, { cpu: number; at: number }> = new Map();
  private readonly peakRss: Map<number, number> = new Map();

  constructor(
    private readonly url: string,
    private readonly nodes: ChainNode[],
  ) {}

  async start(): Promise<void> {
    this.head = Number(BigInt(await rpc<string>(this.url, "eth_blockNumber")));
    for (const n of this.nodes) this.cpuStart.set(n.index, { cpu: cpuSeconds(n.pid!), at: performance.now() });
    this.timer = setInterval(() => void this.poll(), 50);
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const n of this.nodes) this.peakRss.set(n.index, Math.max(this.peakRss.get(n.index) ?? 0, rssMB(n.pid!)));
      const head = Number(BigInt(await rpc<string>(this.url, "eth_blockNumber")));
      for (let b = this.head + 1; b <= head; b++) {
        const block = await rpc<{ transactions: string[]; gasUsed: string; timestamp: string }>(
          this.url,
          "eth_getBlockByNumber",
          [`0x${b.toString(16)}`, false],
        );
        const now = performance.now();
        let ours = 0;
        for (const h of block.transactions) {
          if (!this.seen.has(h)) this.seen.set(h, now);
          ours++;
        }
        this.blocks.push({
          number: b,
          ours,
          gasUsed: Number(BigInt(block.gasUsed)),
          timestamp: Number(block.timestamp),
        });
        this.head = b;
      }
    } catch {
      // a slow answer under load: the next poll catches up
    } finally {
      this.busy = false;
    }
  }

  /** Waits until every hash of `hashes` is sealed; when each was first seen. */
  async until(hashes: Set<string>, timeoutMs: number): Promise<Map<string, number>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing = [...hashes].filter((h) => !this.seen.has(h)).length;
      if (missing === 0) return new Map([...hashes].map((h) => [h, this.seen.get(h)!]));
      if (Date.now() > deadline)
        throw new ChainError(`${missing} of ${hashes.size} transactions not sealed after ${timeoutMs / 1000} s`);
      await sleep(100);
    }
  }

  stop(): NodeUsage[] {
    clearInterval(this.timer);
    return this.nodes.map((n) => {
      const start = this.cpuStart.get(n.index)!;
      const wall = (performance.now() - start.at) / 1000;
      return {
        node: n.index,
        cpuPercentOfOneCore: round((100 * (cpuSeconds(n.pid!) - start.cpu)) / wall),
        peakRssMB: Math.round(this.peakRss.get(n.index) ?? rssMB(n.pid!)),
      };
    });
  }
}

/** User + system CPU seconds of process `pid` (Linux /proc). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = 100; // USER_HZ on Linux
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

/** Resident memory of process `pid` in MB (Linux /proc). */
function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const round = (n: number) => (n >= 100 ? Math.round(n) : Math.round(n * 10) / 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function print(r: ChainThroughputReport): void {
  console.log(`\n${r.engine}, ${r.validators} validators, ${r.blockPeriodSeconds} s blocks`);
  console.log(`closed loop (one at a time): median ${r.latency.medianMs} ms, p95 ${r.latency.p95Ms} ms`);
  for (const l of r.loads) {
    console.log(
      `${l.name}: ${l.sealedPerSecond} tx/s sealed, ${l.docsPerSecond} documents/s, accepted ${l.acceptedPerSecond} tx/s; ` +
        `latency ${l.latencyMedianMs}/${l.latencyP95Ms} ms; nodes ${l.nodes.map((n) => `${n.cpuPercentOfOneCore}% ${n.peakRssMB} MB`).join(", ")}`,
    );
  }
}

/** BENCHMARKS.md from the last full `npm run bench` (bench/results.json) with these chain figures. */
function regenerateMarkdown(chain: ChainThroughputReport): void {
  const results = path.join(PROJECT_ROOT, "bench", "results.json");
  const report = JSON.parse(readFileSync(results, "utf8")) as BenchReport;
  writeFileSync(path.join(PROJECT_ROOT, "BENCHMARKS.md"), renderMarkdown({ ...report, chain }));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench:chain: FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
