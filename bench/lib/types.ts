import type { ContractTransactionResponse, TransactionReceipt } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

/** Who an operation belongs to: our suite, a peer project, or the one-mapping floor. */
export type System = "ours" | "peer" | "floor";

/** The transaction an operation times; everything before it (setup) is untimed. */
export type Send = () => Promise<ContractTransactionResponse>;

/**
 * A read-only call to measure: `estimateGas` asks the node (eth_estimateGas) what the call would
 * cost as a transaction; `data` is its calldata, to say how much of that is calldata.
 */
export interface ViewCall {
  data: string;
  estimateGas(): Promise<bigint>;
}

/** What every operation, transaction or view, has. */
interface OperationBase {
  /** Stable key, referenced by rows and kept in results.json (e.g. "eas.timestamp"). */
  id: string;
  system: System;
  /** The project behind it, as shown in tables: "govledger", "EAS", "ethr-did-registry"... */
  project: string;
  /** What the transaction does, as shown in tables. */
  label: string;
  /** Items recorded by one transaction (1 for single operations, the batch size for batches). */
  items: number;
  /** Untimed, after a gas run: throws if the transaction did not do what the row claims. */
  verify?(seq: number): Promise<void>;
}

/**
 * One transaction to measure. `prepare` builds fresh inputs (a new digest, a new proposal, a funded
 * new identity...) and returns the transaction to time, so every run measures the same first-time
 * cost and no run warms a storage slot for the next.
 */
export interface TxOperation extends OperationBase {
  kind?: "tx";
  /** Whether to measure end-to-end throughput too (single operations only; batches are gas rows). */
  throughput: boolean;
  /** Untimed: sets up fresh inputs for sequence number `seq` and returns the send to time. */
  prepare(seq: number): Promise<Send>;
}

/**
 * One view to measure: its execution gas, eth_estimateGas minus the 21,000 intrinsic gas of a
 * transaction (what a contract calling it pays, give or take the calldata), on fresh inputs per run
 * (a claim issued for the run in `prepare`). Views have no throughput.
 */
export interface ViewOperation extends OperationBase {
  kind: "view";
  throughput: false;
  /** Untimed: sets up fresh inputs for sequence number `seq` and returns the call to estimate. */
  prepare(seq: number): Promise<ViewCall>;
}

/**
 * Several transactions measured as one (a whole deal, from the listing to the last withdrawal): the
 * sum of their receipts' gasUsed, per run, on fresh inputs per run. Flows have no throughput.
 */
export interface FlowOperation extends OperationBase {
  kind: "flow";
  throughput: false;
  /** Untimed: sets up fresh inputs for sequence number `seq` and returns the sends, in order. */
  prepare(seq: number): Promise<Send[]>;
}

/**
 * A figure quoted from elsewhere, never measured here: a peer whose bytecode is not on npm. It is a
 * measurement only so that rows can hold ours against it; tables mark it as quoted.
 */
export interface QuotedOperation extends OperationBase {
  kind: "quoted";
  throughput: false;
  /** The quoted gas per transaction (or per flow). */
  gas: number;
  /** Where the figure comes from, as shown in tables. */
  source: string;
}

/**
 * Part of one transaction that cannot be sent apart (a re-check inside a larger call): the gas that
 * `part` reads from the mined transaction (its debug trace), per run, on fresh inputs. No throughput.
 */
export interface PartOperation extends OperationBase {
  kind: "part";
  throughput: false;
  /** Untimed: sets up fresh inputs for sequence number `seq` and returns the send of the whole transaction. */
  prepare(seq: number): Promise<Send>;
  /** Untimed: the gas of the part, read from the mined transaction. */
  part(receipt: TransactionReceipt): Promise<number>;
}

/** One operation to measure: a transaction (the default), a view, a flow, a part, or a quoted figure. */
export type Operation = TxOperation | ViewOperation | FlowOperation | PartOperation | QuotedOperation;

/** What measuring one operation produced. */
export interface Measurement {
  id: string;
  /** "view" for a view's execution gas; absent for transactions. */
  kind?: "view";
  system: System;
  project: string;
  label: string;
  items: number;
  /** gasUsed of each run, from the receipts; for a view, eth_estimateGas minus 21,000. */
  gasRuns: number[];
  /** Views only: the median calldata gas (4 per zero byte, 16 per other) included in `gas`. */
  calldataGas?: number;
  /** Flows only: how many transactions one run sends (their gasUsed is summed per run). */
  transactions?: number;
  /** Parts only: the figures are part of one transaction's gas each, read from its trace. */
  part?: true;
  /** Quoted figures only: where the figure comes from (then `gasRuns` holds the quote, not a run). */
  quoted?: { source: string };
  /** Median gasUsed per transaction (per run, for a flow). */
  gas: number;
  /** Median gasUsed per item (equals `gas` for single operations). */
  gasPerItem: number;
  /** Transactions per second of each throughput round, when measured. */
  txPerSecondRuns?: number[];
  /** Median transactions per second (send, mine, receipt) on the in-process chain. */
  txPerSecond?: number;
  /** Per round: this rate divided by the floor's rate in the round just before it. */
  txPerSecondVsFloorRuns?: number[];
  /** Median of those ratios: the throughput figure to compare, as it cancels the machine's load. */
  txPerSecondVsFloor?: number;
}

/**
 * One line of the report, by measurement ids. A row with `ours` goes to the ours-vs-peer table;
 * a row without it (a peer against the floor) goes to the peer table. Ids may name measurements
 * of other suites: a module adds "our notarize vs EAS timestamp" by naming "eas.timestamp".
 * A row of views (execution gas) goes to the views table; it may not mix a view with a transaction.
 */
export interface RowSpec {
  module: string;
  operation: string;
  ours?: string;
  peer?: string;
  floor?: string;
}

/** Everything a suite may use while setting up. */
export interface BenchContext {
  hre: HardhatRuntimeEnvironment;
}

/** A performance limit an issue sets, held against figures derived from the measurements. */
export interface TargetSpec {
  module: string;
  /** What is limited, e.g. "each extra co-owner of a registration". */
  what: string;
  /** How the figure is derived from the measured rows. */
  how: string;
  /** The most gas allowed. */
  limit: number;
  /** The figure, from the median gas per item of measurements by id (undefined if one is missing). */
  figure(gasOf: (id: string) => number | undefined): number | undefined;
}

/** A target with its figure. */
export interface ResolvedTarget {
  module: string;
  what: string;
  how: string;
  limit: number;
  figure?: number;
  met?: boolean;
}

/** A group of operations and rows, registered once in bench/suites/index.ts. */
export interface Suite {
  name: string;
  /** Deploys what the suite needs (peers, our contracts) and returns the operations to measure. */
  setup(ctx: BenchContext): Promise<Operation[]>;
  rows: RowSpec[];
  /** Limits the module's issue sets, if any. */
  targets?: TargetSpec[];
}

/** A row with its measurements looked up and its ratios computed (per item). */
export interface ResolvedRow {
  /** "view" when the row compares views' execution gas, "tx" for transactions' gasUsed. */
  kind: "tx" | "view";
  module: string;
  operation: string;
  items: number;
  ours?: Measurement;
  peer?: Measurement;
  floor?: Measurement;
  oursPerPeer?: number;
  oursPerFloor?: number;
  peerPerFloor?: number;
}

/** The run as a whole: what results.json holds and BENCHMARKS.md is rendered from. */
export interface BenchReport {
  generatedAt: string;
  machine: string;
  runs: number;
  throughputOps: number;
  compiler: string;
  evmVersion: string;
  hardfork: string;
  hardforkReason: string;
  blockGasLimit: number;
  txGasCap: number;
  peers: { name: string; version: string }[];
  measurements: Measurement[];
  rows: ResolvedRow[];
  /** Limits set by the issues, with the figures held against them. */
  targets?: ResolvedTarget[];
  /** The evidence module's off-chain figures (bench/evidence-offchain.ts), when they were measured. */
  offchain?: OffchainReport;
  /** Throughput on the real multi-node chain (bench/chain-throughput.ts, `npm run bench:chain`). */
  chain?: ChainThroughputReport;
}

/** CPU and memory of one geth node over one load. */
export interface NodeUsage {
  node: number;
  /** CPU seconds used / wall seconds, in % of one core. */
  cpuPercentOfOneCore: number;
  peakRssMB: number;
}

/** One open-loop load of pre-signed transactions on the multi-node chain. */
export interface ChainLoad {
  name: string;
  transactions: number;
  docsPerTransaction: number;
  /** Mean gasUsed of the load's transactions, from the blocks' gasUsed. */
  gasPerTransaction: number;
  /** Transactions the nodes accepted (eth_sendRawTransaction answered) per second. */
  acceptedPerSecond: number;
  /** Transactions sealed into blocks per second: all of them / (last seen sealed − first sent). */
  sealedPerSecond: number;
  /** All of them / the block time from the first block carrying one to the last: the rate while sealing. */
  sustainedPerSecond: number;
  docsPerSecond: number;
  seconds: number;
  blocks: number;
  maxPerBlock: number;
  medianPerBlock: number;
  /** Send → first seen in a block on another node, under this load. */
  latencyMedianMs: number;
  latencyP95Ms: number;
  /** How many such transactions fit one block's gas limit: the ceiling per block period. */
  gasCeilingPerSecond: number;
  nodes: NodeUsage[];
}

/** What bench/chain-throughput.ts writes to bench/chain-throughput.json. */
export interface ChainThroughputReport {
  generatedAt: string;
  machine: string;
  engine: string;
  validators: number;
  blockPeriodSeconds: number;
  blockGasLimit: number;
  gasPrice: number;
  /** Transactions in one JSON-RPC batch request. */
  batch: number;
  /** Closed loop: one notarization at a time, send → receipt. */
  latency: { samples: number; medianMs: number; p95Ms: number };
  loads: ChainLoad[];
  /** A published figure of another engine, quoted beside ours (not run here). */
  anchor: { name: string; tps: string; workload: string };
}

/** What bench/evidence-offchain.ts writes to bench/evidence-offchain.json. */
export interface OffchainReport {
  batch: {
    docs: number;
    treeSeconds: number;
    totalSeconds: number;
    docsPerSecond: number;
    proofFileMB: number;
    verified: number;
    verificationsPerSecond: number;
    peakRssMB: number;
  };
  targets: { docsPerSecond: { target: number }; verificationsPerSecond: { target: number } };
  hashing: { files: number; fileMB: number; mbPerSecond: Record<string, number | string> };
}
