/**
 * `npm run bench`: measures our operations and the peers' (EAS, ethr-did-registry, ONCHAINID) and
 * a one-mapping floor on one in-process chain, and regenerates BENCHMARKS.md and bench/results.json
 * (with the multi-node chain's figures of the last `npm run bench:chain`, bench/chain-throughput.json).
 *
 * Env: GOVLEDGER_BENCH_RUNS (gas runs and throughput rounds, default 5), GOVLEDGER_BENCH_TX
 * (transactions per throughput round, default 50), GOVLEDGER_HARDFORK (read by hardhat.config.ts),
 * GOVLEDGER_BENCH_OFFCHAIN_DOCS (documents in the off-chain evidence batch, default 1,000,000; 0 skips it).
 */
import { spawnSync } from "child_process";
import { existsSync, readFileSync } from "fs";
import hre from "hardhat";
import { envInt } from "../config/env";
import { isHardfork, hardforkAtLeast, newerOpcodes, requiredHardfork, type Hardfork } from "../bench/lib/hardfork";
import { PEER_ARTIFACTS, loadPeerArtifact, type PeerContract } from "../bench/lib/peer-artifacts";
import type { ChainThroughputReport, OffchainReport } from "../bench/lib/types";
import { publish, runBench } from "../bench/run";

/** Set in the re-spawned child, so a chain that is still too old fails instead of looping. */
const RESPAWNED = "GOVLEDGER_BENCH_RESPAWNED";

function peerRuntimeCodes(): string[] {
  return (Object.keys(PEER_ARTIFACTS) as PeerContract[]).map((name) => loadPeerArtifact(name).deployedBytecode);
}

/** The hardfork the in-process chain runs, as set in hardhat.config.ts at load time. */
function currentHardfork(): Hardfork {
  const config = hre.network.config;
  const name = "hardfork" in config ? config.hardfork : "";
  if (!isHardfork(name)) throw new Error(`unknown hardfork "${name}" on network ${hre.network.name}`);
  return name;
}

/**
 * Runs this same script again with GOVLEDGER_HARDFORK=`hardfork`. hardhat.config.ts reads the
 * hardfork once at load, so the only way to change it is a new process; stdio and the exit code
 * pass through, and `hardhat run` already compiled, so the child starts straight away.
 */
function respawn(hardfork: Hardfork): number {
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, GOVLEDGER_HARDFORK: hardfork, [RESPAWNED]: "1" },
  });
  if (child.error) throw child.error;
  return child.status ?? 1;
}

function why(current: Hardfork, needed: Hardfork, opcodes: string[]): string {
  if (needed !== "london") {
    return `the peers' shipped bytecode uses ${opcodes.join(", ")}, which needs ${needed}; our contracts, compiled for london, run unchanged on it`;
  }
  const peers = "the peers' shipped bytecode uses no opcode newer than london (no PUSH0, MCOPY, TLOAD/TSTORE)";
  return current === "london"
    ? `${peers}, so everything runs on our production target`
    : `${peers}; ${current} set by GOVLEDGER_HARDFORK`;
}

async function main(): Promise<void> {
  if (hre.network.name !== "hardhat") {
    throw new Error("the benchmarks run on the in-process network only: drop --network");
  }
  const codes = peerRuntimeCodes();
  const needed = requiredHardfork(codes);
  const current = currentHardfork();
  if (!hardforkAtLeast(current, needed)) {
    if (process.env[RESPAWNED]) throw new Error(`still on ${current} after re-spawning for ${needed}`);
    console.log(`Peers need ${needed}, the chain runs ${current}: re-running the bench on ${needed}.`);
    process.exitCode = respawn(needed);
    return;
  }
  const opcodes = [...new Set(codes.flatMap(newerOpcodes))];
  const report = await runBench(hre, {
    runs: Math.max(1, envInt("GOVLEDGER_BENCH_RUNS", 5)),
    throughputOps: Math.max(1, envInt("GOVLEDGER_BENCH_TX", 50)),
    hardfork: current,
    hardforkReason: why(current, needed, opcodes),
  });
  await publish(
    { ...report, offchain: offchain(envInt("GOVLEDGER_BENCH_OFFCHAIN_DOCS", 1_000_000)), chain: chainFigures() },
    hre.config.paths.root,
  );
}

/**
 * The evidence module's off-chain figures, measured in a process of their own so that the peak
 * memory reported is the batch's, not Hardhat's.
 */
function offchain(docs: number): OffchainReport | undefined {
  if (docs <= 0) return undefined;
  console.log(`\nsuite evidence off chain (${docs} documents)`);
  const script = "bench/evidence-offchain.ts";
  const run = spawnSync("npx", ["ts-node", "--transpile-only", script, "--docs", String(docs)], { stdio: "inherit" });
  if (run.status !== 0) throw new Error(`${script} failed (exit ${run.status ?? run.signal})`);
  return JSON.parse(readFileSync("bench/evidence-offchain.json", "utf8")) as OffchainReport;
}

/**
 * The multi-node chain's figures, kept from the last `npm run bench:chain` (a run of its own: it builds
 * geth, starts three validators and deploys the suite, about 10 minutes).
 */
function chainFigures(): ChainThroughputReport | undefined {
  const file = "bench/chain-throughput.json";
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as ChainThroughputReport) : undefined;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
