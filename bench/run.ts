import { mkdirSync, writeFileSync } from "fs";
import os from "os";
import path from "path";
import { format, resolveConfig } from "prettier";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { txGasCap, type Hardfork } from "./lib/hardfork";
import { Sequence, measureOperation, type MeasureOptions } from "./lib/measure";
import { peerPackages } from "./lib/peer-artifacts";
import {
  formatGas,
  formatRate,
  formatRatio,
  oursTable,
  peerTable,
  renderMarkdown,
  resolveRows,
  resolveTargets,
  targetsTable,
  throughputTable,
  viewTable,
} from "./lib/report";
import type { BenchReport, Measurement, Operation } from "./lib/types";
import { SUITES } from "./suites";

/** Where the run leaves its results, relative to the project root. */
export const RESULTS_JSON = "bench/results.json";
export const BENCHMARKS_MD = "BENCHMARKS.md";

export interface BenchOptions extends MeasureOptions {
  hardfork: Hardfork;
  hardforkReason: string;
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? "unknown CPU"} ×${cpus.length}, ${os.platform()} ${os.release()}, Node ${process.version}.`;
}

function compiler(hre: HardhatRuntimeEnvironment): { compiler: string; evmVersion: string } {
  const solc = hre.config.solidity.compilers[0];
  const optimizer = solc?.settings?.optimizer as { enabled?: boolean; runs?: number } | undefined;
  return {
    compiler: `solc ${solc?.version ?? "?"}${optimizer?.enabled ? `, optimizer ${optimizer.runs ?? 200} runs` : ""}`,
    evmVersion: String(solc?.settings?.evmVersion ?? "default"),
  };
}

function progress(m: Measurement): void {
  const vs = m.txPerSecondVsFloor === undefined ? "" : ` (${formatRatio(m.txPerSecondVsFloor)} floor)`;
  const rate = m.txPerSecond === undefined ? "" : `, ${formatRate(m.txPerSecond)} tx/s${vs}`;
  const unit = m.kind === "view" ? "exec gas (view)" : "gas/tx";
  console.log(`  ${m.id.padEnd(34)} ${formatGas(m.gas).padStart(10)} ${unit}${rate}`);
}

/** Runs every suite on the current (in-process) chain and returns the report. */
export async function runBench(hre: HardhatRuntimeEnvironment, options: BenchOptions): Promise<BenchReport> {
  const seq = new Sequence();
  const measurements: Measurement[] = [];
  let baseline: Operation | undefined;
  for (const suite of SUITES) {
    console.log(`suite ${suite.name}`);
    const operations = await suite.setup({ hre });
    // The first floor operation with throughput is every later throughput round's baseline.
    baseline ??= operations.find((op) => op.system === "floor" && op.throughput);
    for (const op of operations) {
      const m = await measureOperation(op, options, seq, baseline);
      progress(m);
      measurements.push(m);
    }
  }
  const latest = await hre.ethers.provider.getBlock("latest");
  const blockGasLimit = Number(latest?.gasLimit ?? 0n);
  return {
    generatedAt: new Date().toISOString(),
    machine: machine(),
    runs: options.runs,
    throughputOps: options.throughputOps,
    ...compiler(hre),
    hardfork: options.hardfork,
    hardforkReason: options.hardforkReason,
    blockGasLimit,
    txGasCap: txGasCap(options.hardfork, blockGasLimit),
    peers: peerPackages(),
    measurements,
    rows: resolveRows(
      SUITES.flatMap((s) => s.rows),
      measurements,
    ),
    targets: resolveTargets(
      SUITES.flatMap((s) => s.targets ?? []),
      measurements,
    ),
  };
}

/**
 * Writes BENCHMARKS.md and bench/results.json under `root`, and prints the tables. The JSON goes
 * through the project's prettier settings, so a fresh run leaves `prettier --check .` green.
 */
export async function publish(report: BenchReport, root: string): Promise<void> {
  const json = path.join(root, RESULTS_JSON);
  mkdirSync(path.dirname(json), { recursive: true });
  const options = (await resolveConfig(json)) ?? {};
  writeFileSync(json, await format(JSON.stringify(report), { ...options, filepath: json }));
  writeFileSync(path.join(root, BENCHMARKS_MD), renderMarkdown(report));
  console.log(`\nOurs vs peers (gas per item)\n${oursTable(report.rows)}`);
  console.log(`\nTargets\n${targetsTable(report.targets ?? [])}`);
  console.log(`\nViews (execution gas: eth_estimateGas - 21,000)\n${viewTable(report.rows)}`);
  console.log(`\nPeers vs the floor\n${peerTable(report.rows)}`);
  console.log(`\nThroughput (median tx/s, in-process chain)\n${throughputTable(report.measurements)}`);
  console.log(`\nHardfork ${report.hardfork}; per-transaction gas limit ${formatGas(report.txGasCap)}.`);
  console.log(`Wrote ${BENCHMARKS_MD} and ${RESULTS_JSON}.`);
}
