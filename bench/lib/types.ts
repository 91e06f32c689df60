import type { ContractTransactionResponse } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

/** Who an operation belongs to: our suite, a peer project, or the one-mapping floor. */
export type System = "ours" | "peer" | "floor";

/** The transaction an operation times; everything before it (setup) is untimed. */
export type Send = () => Promise<ContractTransactionResponse>;

/**
 * One operation to measure. `prepare` builds fresh inputs (a new digest, a new proposal, a funded
 * new identity...) and returns the transaction to time, so every run measures the same first-time
 * cost and no run warms a storage slot for the next.
 */
export interface Operation {
  /** Stable key, referenced by rows and kept in results.json (e.g. "eas.timestamp"). */
  id: string;
  system: System;
  /** The project behind it, as shown in tables: "govledger", "EAS", "ethr-did-registry"... */
  project: string;
  /** What the transaction does, as shown in tables. */
  label: string;
  /** Items recorded by one transaction (1 for single operations, the batch size for batches). */
  items: number;
  /** Whether to measure end-to-end throughput too (single operations only; batches are gas rows). */
  throughput: boolean;
  /** Untimed: sets up fresh inputs for sequence number `seq` and returns the send to time. */
  prepare(seq: number): Promise<Send>;
  /** Untimed, after a gas run: throws if the transaction did not do what the row claims. */
  verify?(seq: number): Promise<void>;
}

/** What measuring one operation produced. */
export interface Measurement {
  id: string;
  system: System;
  project: string;
  label: string;
  items: number;
  /** gasUsed of each run, from the receipts. */
  gasRuns: number[];
  /** Median gasUsed per transaction. */
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

/** A group of operations and rows, registered once in bench/suites/index.ts. */
export interface Suite {
  name: string;
  /** Deploys what the suite needs (peers, our contracts) and returns the operations to measure. */
  setup(ctx: BenchContext): Promise<Operation[]>;
  rows: RowSpec[];
}

/** A row with its measurements looked up and its ratios computed (per item). */
export interface ResolvedRow {
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
}
