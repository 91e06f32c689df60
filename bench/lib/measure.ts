import { performance } from "perf_hooks";
import type {
  FlowOperation,
  Measurement,
  Operation,
  PartOperation,
  QuotedOperation,
  Send,
  TxOperation,
  ViewCall,
  ViewOperation,
} from "./types";

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

/** The intrinsic gas of any transaction, which a view called by a contract does not pay. */
export const INTRINSIC_GAS = 21_000;

/** Calldata gas (EIP-2028): 4 per zero byte, 16 per other byte. */
export function calldataGas(data: string): number {
  const bytes = Buffer.from(data.replace(/^0x/, ""), "hex");
  let gas = 0;
  for (const byte of bytes) gas += byte === 0 ? 4 : 16;
  return gas;
}

/**
 * The execution gas of a view: eth_estimateGas minus the 21,000 intrinsic gas. It still includes
 * the calldata gas of the arguments, which the report shows apart (see {@link calldataGas}).
 */
export async function viewGasOf(call: ViewCall): Promise<number> {
  return Number(await call.estimateGas()) - INTRINSIC_GAS;
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
 * is far steadier than either rate. A view gets its execution gas on `runs` fresh inputs instead,
 * a flow the summed gas of its transactions per run, a part what it reads from each transaction's
 * trace, and a quoted figure is passed through, marked.
 */
export async function measureOperation(
  op: Operation,
  options: MeasureOptions,
  seq: Sequence,
  baseline?: Operation,
): Promise<Measurement> {
  if (op.kind === "view") return measureView(op, options, seq);
  if (op.kind === "flow") return measureFlow(op, options, seq);
  if (op.kind === "part") return measurePart(op, options, seq);
  if (op.kind === "quoted") return quotedMeasurement(op);
  const base = baseline === undefined || baseline.kind === undefined || baseline.kind === "tx" ? baseline : undefined;
  return measureTransaction(op, options, seq, base);
}

/** What every measurement of `op` starts with. */
function measurementOf(op: Operation, gasRuns: number[]): Measurement {
  const gas = median(gasRuns);
  return {
    id: op.id,
    system: op.system,
    project: op.project,
    label: op.label,
    items: op.items,
    gasRuns,
    gas,
    gasPerItem: gas / op.items,
  };
}

/** A flow: per run, the sum of its transactions' gasUsed, sent one after another on fresh inputs. */
async function measureFlow(op: FlowOperation, options: MeasureOptions, seq: Sequence): Promise<Measurement> {
  const gasRuns: number[] = [];
  let transactions = 0;
  for (let r = 0; r < options.runs; ++r) {
    const n = seq.take();
    const sends = await op.prepare(n);
    if (sends.length === 0) throw new Error(`flow ${op.id} sends no transaction`);
    let total = 0;
    for (const send of sends) total += await gasOf(send);
    gasRuns.push(total);
    transactions = sends.length;
    if (op.verify) await op.verify(n);
  }
  return { ...measurementOf(op, gasRuns), transactions };
}

/** A part of a transaction: per run, the gas `part` reads from the mined transaction. */
async function measurePart(op: PartOperation, options: MeasureOptions, seq: Sequence): Promise<Measurement> {
  const gasRuns: number[] = [];
  for (let r = 0; r < options.runs; ++r) {
    const n = seq.take();
    const tx = await (await op.prepare(n))();
    const receipt = await tx.wait();
    if (!receipt || receipt.status !== 1) throw new Error(`transaction ${tx.hash} failed`);
    gasRuns.push(await op.part(receipt));
    if (op.verify) await op.verify(n);
  }
  return { ...measurementOf(op, gasRuns), part: true };
}

/** A quoted figure: no run, the quote itself, marked with its source. */
function quotedMeasurement(op: QuotedOperation): Measurement {
  if (!(op.gas > 0)) throw new Error(`quoted figure ${op.id} must be positive`);
  return { ...measurementOf(op, [op.gas]), quoted: { source: op.source } };
}

/** A view: its execution gas on `runs` fresh inputs (no throughput: a view is no transaction). */
async function measureView(op: ViewOperation, options: MeasureOptions, seq: Sequence): Promise<Measurement> {
  const gasRuns: number[] = [];
  const calldataRuns: number[] = [];
  for (let r = 0; r < options.runs; ++r) {
    const n = seq.take();
    const call = await op.prepare(n);
    gasRuns.push(await viewGasOf(call));
    calldataRuns.push(calldataGas(call.data));
    if (op.verify) await op.verify(n);
  }
  const gas = median(gasRuns);
  return {
    id: op.id,
    kind: "view",
    system: op.system,
    project: op.project,
    label: op.label,
    items: op.items,
    gasRuns,
    gas,
    gasPerItem: gas / op.items,
    calldataGas: median(calldataRuns),
  };
}

async function measureTransaction(
  op: TxOperation,
  options: MeasureOptions,
  seq: Sequence,
  baseline?: TxOperation,
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
async function throughputRound(op: TxOperation, ops: number, seq: Sequence): Promise<number> {
  const sends: Send[] = [];
  for (let i = 0; i < ops; ++i) sends.push(await op.prepare(seq.take()));
  const start = performance.now();
  for (const send of sends) await gasOf(send);
  const seconds = (performance.now() - start) / 1000;
  return ops / seconds;
}
