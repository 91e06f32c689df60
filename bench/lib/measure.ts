import { performance } from "perf_hooks";
import type { Measurement, Operation, Send } from "./types";

/** The median; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Sends one transaction, waits for its receipt and returns the gas it used. A reverted or missing
 * receipt throws: a benchmark row must only ever show the gas of a call that did its job.
 */
export async function gasOf(send: Send): Promise<number> {
  const tx = await send();
  const receipt = await tx.wait();
  if (!receipt || receipt.status !== 1) throw new Error(`transaction ${tx.hash} failed`);
  return Number(receipt.gasUsed);
}

/** How many runs to make: gas runs per operation, and sends per throughput round. */
export interface MeasureOptions {
  runs: number;
  throughputOps: number;
}

/** Hands out sequence numbers, so every prepared input is fresh across all runs and rounds. */
export class Sequence {
  private next = 0;
  take(): number {
    return this.next++;
  }
}

/**
 * Measures `op`: the gas of `runs` fresh transactions, then, if asked, `runs` throughput rounds.
 * Each throughput round of `op` runs right after a round of `baseline` (the floor), and the ratio
 * of the two is kept per round: both saw the same load on a shared machine, so the median ratio
 * is far steadier than either rate.
 */
export async function measureOperation(
  op: Operation,
  options: MeasureOptions,
  seq: Sequence,
  baseline?: Operation,
): Promise<Measurement> {
  const gasRuns: number[] = [];
  for (let r = 0; r < options.runs; ++r) {
    const n = seq.take();
    gasRuns.push(await gasOf(await op.prepare(n)));
    if (op.verify) await op.verify(n);
  }
  const gas = median(gasRuns);
  const measurement: Measurement = {
    id: op.id,
    system: op.system,
    project: op.project,
    label: op.label,
    items: op.items,
    gasRuns,
    gas,
    gasPerItem: gas / op.items,
  };
  if (!op.throughput) return measurement;
  const txPerSecondRuns: number[] = [];
  const vsBaselineRuns: number[] = [];
  for (let r = 0; r < options.runs; ++r) {
    const base = baseline && baseline !== op ? await throughputRound(baseline, options.throughputOps, seq) : undefined;
    const rate = await throughputRound(op, options.throughputOps, seq);
    txPerSecondRuns.push(rate);
    if (base !== undefined) vsBaselineRuns.push(rate / base);
  }
  return {
    ...measurement,
    txPerSecondRuns,
    txPerSecond: median(txPerSecondRuns),
    ...(vsBaselineRuns.length > 0
      ? { txPerSecondVsFloorRuns: vsBaselineRuns, txPerSecondVsFloor: median(vsBaselineRuns) }
      : {}),
  };
}

/**
 * One throughput round: prepares `ops` fresh sends first (untimed, so proposal set-up or identity
 * funding does not count), then times sending each and waiting for its receipt, one after another.
 */
async function throughputRound(op: Operation, ops: number, seq: Sequence): Promise<number> {
  const sends: Send[] = [];
  for (let i = 0; i < ops; ++i) sends.push(await op.prepare(seq.take()));
  const start = performance.now();
  for (const send of sends) await gasOf(send);
  const seconds = (performance.now() - start) / 1000;
  return ops / seconds;
}
