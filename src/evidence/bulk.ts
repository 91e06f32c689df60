import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
  type Stats,
} from "fs";
import path from "path";
import { ZeroHash, getAddress, isError } from "ethers";
import type { EvidenceClient, NotarizeOptions } from "../sdk/evidence";
import { GovLedgerError } from "../sdk/errors";
import { createBundle, parseBundle, type ProofBundle } from "./bundle";
import { ALGORITHM_NAMES, DigestAlgorithm, digestFile, parseAlgorithm, type Digest } from "./digest";
import { Journal, type RunInputs } from "./journal";
import { EvidenceMerkleTree } from "./merkle";

/**
 * Bulk notarization of files and directory trees, journaled (src/evidence/journal.ts) so that a run
 * killed at any point, or stopped by an unreachable node, is finished by running it again: no
 * document lost, none anchored twice.
 *
 * 1. scan: every regular file under the paths, sorted; bad input is refused before anything is written;
 * 2. hash: each file as a stream (journaled; a file with the size and mtime it was hashed with is not read again);
 * 3. plan: the distinct digests not yet in a batch go into Merkle batches, journaled before anything is sent;
 * 4. anchor: each planned root not journaled as anchored is looked up on chain first (the run may have died
 *    after sending it) and sent only when absent; then journaled;
 * 5. bundle: one proof bundle per file, `<out>/<path relative to the inputs>.proof.json`, written to a
 *    temporary name and renamed, so a bundle is whole or absent; a whole, matching bundle is left alone.
 */

export const DEFAULT_BATCH_SIZE = 10_000;
export const BUNDLE_SUFFIX = ".proof.json";
export const JOURNAL_NAME = ".journal.jsonl";

/** The chain side of a bulk run: an evidence client, or how to get one once the local work is done. */
export type EvidenceSource = EvidenceClient | (() => Promise<EvidenceClient>);

export interface BulkOptions extends Omit<NotarizeOptions, "algorithm"> {
  /** Files and directories (walked recursively); relative paths are resolved against `cwd`. */
  paths: string[];
  cwd?: string;
  /** Where bundles go. */
  out: string;
  /** The journal file; `<out>/.journal.jsonl` by default. */
  journal?: string;
  algorithm: DigestAlgorithm | string | number;
  /** Documents per Merkle batch; DEFAULT_BATCH_SIZE by default. */
  batchSize?: number;
  /** The chain and EvidenceRegistry the run is for, recorded in the journal (known before connecting). */
  chainId: bigint;
  contract: string;
  evidence: EvidenceSource;
  onProgress?: (progress: BulkProgress) => void;
}

export interface BulkProgress {
  phase: "hash" | "anchor" | "bundle" | "done";
  filesTotal: number;
  filesHashed: number;
  bytesTotal: number;
  bytesHashed: number;
  documentsTotal: number;
  documentsAnchored: number;
  batchesTotal: number;
  batchesAnchored: number;
  bundlesTotal: number;
  bundlesDone: number;
}

export interface BatchSummary {
  batch: number;
  root: Digest;
  size: number;
  txHash: Digest;
  blockNumber: number;
  blockTime: number;
  /** Sent by this run, found on chain (an earlier run died after sending it), or journaled before. */
  how: "sent" | "found-on-chain" | "journaled";
}

export interface BulkResult {
  out: string;
  journal: string;
  algorithm: string;
  files: number;
  bytes: number;
  /** Distinct digests among the files: a leaf each. */
  documents: number;
  /** Files whose content equals an earlier file's: same leaf, bundle of their own. */
  duplicates: number;
  batches: BatchSummary[];
  bundlesWritten: number;
  /** What an earlier run had already done. */
  skipped: { hashed: number; anchored: number; bundles: number };
  /** Paths under the inputs that are not documents of the run: the output directory and the journal. */
  excluded: string[];
}

/** Refuses bad input (nothing is written or sent) or reports a journal inconsistency. */
export class BulkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BulkError";
  }
}

/** The node could not be reached: everything done so far is journaled and a re-run finishes the job. */
export class BulkInterruptedError extends Error {
  constructor(
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = "BulkInterruptedError";
  }
}

/**
 * Test-only crash points (test/evidence/bulk.crash.test.ts): GOVLEDGER_CRASH_AT=after-hash:<n>,
 * after-plan, after-send, after-anchor or mid-bundles:<n> kills the process there with SIGKILL.
 */
function crashPoint(point: string, count?: number): void {
  const at = process.env.GOVLEDGER_CRASH_AT;
  if (at && at === (count === undefined ? point : `${point}:${count}`)) process.kill(process.pid, "SIGKILL");
}

interface ScannedFile {
  /** Absolute path. */
  file: string;
  /** Where its bundle goes under `out`, without the suffix. */
  relative: string;
  size: number;
  mtimeMs: number;
}

/** Notarizes every file under `options.paths` in Merkle batches and writes a proof bundle per file. */
export async function notarizeBulk(options: BulkOptions): Promise<BulkResult> {
  const cwd = options.cwd ?? process.cwd();
  const algorithm = parseAlgorithm(options.algorithm);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new BulkError(`batch size ${batchSize} is not valid: expected a whole number of documents, at least 1`);
  }
  if (options.paths.length === 0) throw new BulkError("no files or directories to notarize");
  const out = path.resolve(cwd, options.out);
  const journalFile = path.resolve(cwd, options.journal ?? path.join(out, JOURNAL_NAME));
  const inputs = [...new Set(options.paths.map((p) => path.resolve(cwd, p)))].sort();
  const { files, excluded } = scan(inputs, options.paths, cwd, [out, journalFile, `${journalFile}.lock`]);
  const notarize = {
    category: BigInt(options.category ?? 0),
    businessRef: (options.businessRef ?? ZeroHash).toLowerCase(),
    metadata: (options.metadata ?? ZeroHash).toLowerCase(),
  };
  const run: RunInputs = {
    paths: inputs,
    algorithm: ALGORITHM_NAMES[algorithm],
    batchSize,
    chainId: options.chainId.toString(),
    contract: options.contract.toLowerCase(),
    category: notarize.category.toString(),
    businessRef: notarize.businessRef,
    metadata: notarize.metadata,
  };

  const journal = Journal.open(journalFile, run);
  try {
    const progress: BulkProgress = {
      phase: "hash",
      filesTotal: files.length,
      filesHashed: 0,
      bytesTotal: files.reduce((sum, f) => sum + f.size, 0),
      bytesHashed: 0,
      documentsTotal: 0,
      documentsAnchored: 0,
      batchesTotal: 0,
      batchesAnchored: 0,
      bundlesTotal: files.length,
      bundlesDone: 0,
    };
    const report = () => options.onProgress?.({ ...progress });
    report();

    // ---- hash ----
    const digestOf = new Map<string, Digest>();
    let reused = 0;
    let hashedNow = 0;
    let bytesDone = 0;
    for (const f of files) {
      const known = journal.state.hashed.get(f.file);
      if (known && known.size === f.size && known.mtimeMs === f.mtimeMs) {
        digestOf.set(f.file, known.digest);
        reused++;
      } else {
        const before = progress.bytesHashed;
        const digest = await digestFile(f.file, algorithm, (read) => {
          progress.bytesHashed = before + read;
          report();
        });
        const after = statSync(f.file);
        if (after.size !== f.size || after.mtimeMs !== f.mtimeMs) {
          throw new BulkError(`"${f.file}" changed while it was hashed: re-run once nothing writes to it`);
        }
        journal.append({ type: "hashed", file: f.file, size: f.size, mtimeMs: f.mtimeMs, digest });
        digestOf.set(f.file, digest);
        crashPoint("after-hash", ++hashedNow);
      }
      progress.filesHashed++;
      progress.bytesHashed = bytesDone += f.size;
      report();
    }

    const distinct = [...new Set(files.map((f) => digestOf.get(f.file)!))];

    // ---- connect: everything local is done and journaled ----
    let evidence: EvidenceClient;
    try {
      evidence = typeof options.evidence === "function" ? await options.evidence() : options.evidence;
    } catch (e) {
      throw interrupted(e, journal, `after hashing ${files.length} files`);
    }

    // ---- plan ----
    const unplanned = distinct.filter((d) => !journal.state.batchOf.has(d));
    for (let i = 0; i < unplanned.length; i += batchSize) {
      const digests = unplanned.slice(i, i + batchSize);
      const tree = EvidenceMerkleTree.of(digests);
      journal.append({ type: "planned", batch: journal.state.nextBatch, root: tree.root, digests });
    }
    if (unplanned.length > 0) crashPoint("after-plan");

    // ---- anchor and bundle, batch by batch ----
    const filesOf = new Map<number, ScannedFile[]>();
    for (const f of files) {
      const batch = journal.state.batchOf.get(digestOf.get(f.file)!)!;
      if (!filesOf.has(batch)) filesOf.set(batch, []);
      filesOf.get(batch)!.push(f);
    }
    const batches = [...journal.state.planned.keys()].sort((a, b) => a - b);
    progress.batchesTotal = batches.length;
    progress.documentsTotal = batches.reduce((sum, b) => sum + journal.state.planned.get(b)!.digests.length, 0);
    progress.phase = "anchor";
    report();
    const summaries: BatchSummary[] = [];
    let skippedAnchored = 0;
    let bundlesWritten = 0;
    let bundlesKept = 0;
    for (const batch of batches) {
      const planned = journal.state.planned.get(batch)!;
      const tree = EvidenceMerkleTree.of(planned.digests);
      if (tree.root !== planned.root) {
        throw new BulkError(`journal "${journal.file}" is inconsistent: batch ${batch}'s digests do not give its root`);
      }
      let how: BatchSummary["how"] = "journaled";
      if (journal.state.anchored.has(batch)) skippedAnchored++;
      else {
        let landed: Awaited<ReturnType<typeof anchor>>;
        try {
          landed = await anchor(evidence, planned.root, planned.digests.length, algorithm, notarize);
        } catch (e) {
          throw interrupted(e, journal, `anchoring batch ${batch + 1} of ${batches.length}`);
        }
        journal.append({ type: "anchored", batch, root: planned.root, ...landed.landing });
        how = landed.how;
        crashPoint("after-anchor");
      }
      const anchored = journal.state.anchored.get(batch)!;
      summaries.push({
        batch,
        root: planned.root,
        size: planned.digests.length,
        txHash: anchored.txHash,
        blockNumber: anchored.blockNumber,
        blockTime: anchored.blockTime,
        how,
      });
      progress.batchesAnchored++;
      progress.documentsAnchored += planned.digests.length;
      progress.phase = "bundle";
      report();

      const position = new Map(planned.digests.map((d, i) => [d, i]));
      for (const f of filesOf.get(batch) ?? []) {
        const digest = digestOf.get(f.file)!;
        const bundle = createBundle({
          fileName: path.basename(f.file),
          digest,
          algorithm,
          anchor: "merkle-root",
          root: planned.root,
          proof: tree.proof(position.get(digest)!),
          chainId: Number(options.chainId),
          contract: getAddress(options.contract),
          txHash: anchored.txHash,
          blockNumber: anchored.blockNumber,
          blockTime: anchored.blockTime,
        });
        const target = path.join(out, `${f.relative}${BUNDLE_SUFFIX}`);
        if (sameBundle(target, bundle)) bundlesKept++;
        else {
          writeWhole(target, `${JSON.stringify(bundle, null, 2)}\n`);
          crashPoint("mid-bundles", ++bundlesWritten);
        }
        progress.bundlesDone++;
        report();
      }
      if (!journal.state.bundled.has(batch)) journal.append({ type: "bundled", batch });
    }
    progress.phase = "done";
    report();
    return {
      out,
      journal: journal.file,
      algorithm: ALGORITHM_NAMES[algorithm],
      files: files.length,
      bytes: progress.bytesTotal,
      documents: distinct.length,
      duplicates: files.length - distinct.length,
      batches: summaries,
      bundlesWritten,
      skipped: { hashed: reused, anchored: skippedAnchored, bundles: bundlesKept },
      excluded,
    };
  } finally {
    journal.close();
  }
}

interface Landing {
  txHash: Digest;
  blockNumber: number;
  blockTime: number;
}

/**
 * Puts `root` on chain unless it already is: the run may have died after sending it, before journaling it.
 * The contract refuses a root twice, so a root found on chain is taken, never sent again.
 */
async function anchor(
  evidence: EvidenceClient,
  root: Digest,
  size: number,
  algorithm: DigestAlgorithm,
  notarize: { category: bigint; businessRef: string; metadata: string },
): Promise<{ how: BatchSummary["how"]; landing: Landing }> {
  const found = await onChain(evidence, root, size, algorithm);
  if (found) return { how: "found-on-chain", landing: found };
  let sent;
  try {
    sent = await evidence.anchorRoot(root, size, { algorithm, ...notarize }).wait();
  } catch (e) {
    // Sent by an earlier run whose transaction was still pending when this one looked.
    const late = e instanceof GovLedgerError ? await onChain(evidence, root, size, algorithm) : undefined;
    if (late) return { how: "found-on-chain", landing: late };
    throw e;
  }
  crashPoint("after-send");
  const record = await evidence.registry.recordOf(root);
  return {
    how: "sent",
    landing: {
      txHash: sent.transactionHash.toLowerCase() as Digest,
      blockNumber: sent.blockNumber,
      blockTime: Number(record.notarizedAt),
    },
  };
}

/** Where `root` was anchored, when it is on chain; refuses a record that is not this batch's root. */
async function onChain(
  evidence: EvidenceClient,
  root: Digest,
  size: number,
  algorithm: DigestAlgorithm,
): Promise<Landing | undefined> {
  const record = await evidence.record(root);
  if (!record) return undefined;
  if (record.kind !== "Root" || record.size !== BigInt(size) || record.algorithm !== ALGORITHM_NAMES[algorithm]) {
    throw new BulkError(
      `${root} is on chain as a ${record.kind.toLowerCase()} record (size ${record.size ?? "-"}, ${record.algorithm}), not as this batch's root of ${size} ${ALGORITHM_NAMES[algorithm]} documents`,
    );
  }
  if (!record.event) {
    throw new BulkError(
      `root ${root} is anchored in block ${record.blockNumber}, but the node no longer serves that block's logs: use a node that keeps them (an archive node)`,
    );
  }
  return {
    txHash: record.event.transactionHash.toLowerCase() as Digest,
    blockNumber: Number(record.blockNumber),
    blockTime: Number(record.notarizedAt),
  };
}

/** An error of the chain phase: a connection failure becomes a "re-run to finish" interruption. */
function interrupted(error: unknown, journal: Journal, where: string): unknown {
  if (!isConnectionError(error)) return error;
  const why =
    error instanceof BulkInterruptedError
      ? error.message
      : `the node cannot be reached (${(error as { shortMessage?: string }).shortMessage ?? (error as Error).message})`;
  return new BulkInterruptedError(
    `${why.split("\n")[0]}, ${where}: nothing is lost, the progress is journaled in "${journal.file}"; re-run the same command to finish`,
    error,
  );
}

function isConnectionError(error: unknown): boolean {
  if (error instanceof BulkInterruptedError) return true;
  if (isError(error, "NETWORK_ERROR") || isError(error, "TIMEOUT") || isError(error, "SERVER_ERROR")) return true;
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as never, i++) {
    if (
      typeof e.code === "string" &&
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE)$/.test(e.code)
    ) {
      return true;
    }
  }
  return false;
}

/** Whether `target` already holds `bundle` whole (a crash leaves no partial bundle, but a user may edit one). */
function sameBundle(target: string, bundle: ProofBundle): boolean {
  try {
    const existing = parseBundle(readFileSync(target, "utf8"));
    return JSON.stringify(existing) === JSON.stringify(bundle);
  } catch {
    return false;
  }
}

/** Writes `text` to a temporary name beside `target`, then renames it: `target` is whole or absent. */
function writeWhole(target: string, text: string): void {
  mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, target);
}

/**
 * Every regular file under `inputs` (absolute, sorted, distinct), each checked readable; paths inside
 * `excludedPaths` (the output directory, the journal) are left out and reported. Refuses a missing or
 * unreadable path, anything that is not a file or directory, and a run with no files.
 */
function scan(
  inputs: string[],
  given: string[],
  cwd: string,
  excludedPaths: string[],
): { files: ScannedFile[]; excluded: string[] } {
  const shown = new Map(given.map((g) => [path.resolve(cwd, g), g]));
  const base = commonBase(inputs.map((p) => (statOf(p, shown.get(p) ?? p).isDirectory() ? p : path.dirname(p))));
  const found = new Map<string, ScannedFile>();
  const excluded = new Set<string>();
  const visited = new Set<string>();
  const isExcluded = (p: string) => excludedPaths.some((x) => p === x || p.startsWith(x + path.sep));

  const add = (file: string, stat: { size: number; mtimeMs: number }) => {
    let fd: number;
    try {
      fd = openSync(file, "r");
    } catch (e) {
      throw new BulkError(`cannot read "${file}": ${describeFsError(e)}; nothing was notarized`);
    }
    closeSync(fd);
    found.set(file, { file, relative: path.relative(base, file), size: stat.size, mtimeMs: stat.mtimeMs });
  };
  const walk = (dir: string) => {
    const real = realpathSync(dir);
    if (visited.has(real)) return;
    visited.add(real);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      throw new BulkError(`cannot list directory "${dir}": ${describeFsError(e)}; nothing was notarized`);
    }
    for (const name of names) {
      const p = path.join(dir, name);
      if (isExcluded(p)) {
        excluded.add(p);
        continue;
      }
      const stat = statOf(p, p);
      if (stat.isDirectory()) walk(p);
      else if (stat.isFile()) add(p, stat);
      else throw new BulkError(`"${p}" is neither a file nor a directory: move it out of the tree to notarize`);
    }
  };

  for (const input of inputs) {
    const stat = statOf(input, shown.get(input) ?? input);
    if (stat.isDirectory()) {
      if (isExcluded(input))
        throw new BulkError(`"${shown.get(input)}" is the output directory: it holds no documents`);
      walk(input);
    } else if (stat.isFile()) {
      if (isExcluded(input)) throw new BulkError(`"${shown.get(input)}" is the journal: it is not a document`);
      add(input, stat);
    } else throw new BulkError(`"${shown.get(input) ?? input}" is neither a file nor a directory`);
  }
  if (found.size === 0) {
    const what = given.length === 1 ? `"${given[0]}"` : given.map((g) => `"${g}"`).join(", ");
    throw new BulkError(`no files to notarize in ${what}: the directories are empty`);
  }
  const files = [...found.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, excluded: [...excluded].sort() };
}

function statOf(p: string, shown: string): Stats {
  try {
    return statSync(p);
  } catch (e) {
    throw new BulkError(`cannot read "${shown}": ${describeFsError(e)}; nothing was notarized`);
  }
}

/** The deepest directory containing all of `dirs`. */
function commonBase(dirs: string[]): string {
  let base = dirs[0];
  for (const d of dirs.slice(1)) {
    while (d !== base && !d.startsWith(base.endsWith(path.sep) ? base : base + path.sep)) base = path.dirname(base);
  }
  return base;
}

function describeFsError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "no such file or directory (a broken link, or check the path)";
    case "ENOTDIR":
      return "a part of the path is a file, not a directory (check the path)";
    case "EACCES":
    case "EPERM":
      return "permission denied (check its read permission)";
    case "ELOOP":
      return "too many levels of symbolic links";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
