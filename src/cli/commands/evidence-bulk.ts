import path from "path";
import { Presets, SingleBar } from "cli-progress";
import type { Command } from "commander";
import { BulkError, BulkInterruptedError, notarizeBulk, type BulkProgress, type BulkResult } from "../../evidence/bulk";
import { DigestError, type DigestAlgorithm } from "../../evidence/digest";
import { JournalError } from "../../evidence/journal";
import { MerkleError } from "../../evidence/merkle";
import type { EvidenceClient, NotarizeOptions } from "../../sdk";
import type { Cli } from "../cli";
import { deploymentOf, open, type Session } from "../connect";
import { CliError, UnreachableError } from "../errors";
import { fields } from "../format";
import type { CliIo } from "../io";

export interface BulkCliOptions {
  out?: string;
  journal?: string;
  batchSize?: string;
}

/**
 * `evidence notarize <paths...>` with several paths or a directory: streams and hashes every file,
 * anchors them in Merkle batches and writes a proof bundle per file, journaled so that re-running the
 * same command after a crash or an unreachable node finishes the job. When the node cannot be reached
 * at the start the files are still hashed (and journaled) before the run stops, exit 1.
 */
export async function notarizeBulkCommand(
  cli: Cli,
  cmd: Command,
  paths: string[],
  options: NotarizeOptions & { algorithm: DigestAlgorithm },
  o: BulkCliOptions,
  evidenceOf: (s: Session) => EvidenceClient,
): Promise<void> {
  const opts = cli.options(cmd);
  const io = cli.io;
  const batchSize = parseBatchSize(o.batchSize);
  const digests = paths.filter((p) => /^0x[0-9a-fA-F]{64}$/.test(p.trim()));
  if (digests.length > 0) {
    throw new CliError(
      `"${digests[0]}" is a digest: bulk notarization takes files and directories; notarize a digest on its own`,
    );
  }
  const deployment = deploymentOf(opts, io);
  const contract = deployment.contracts.EvidenceRegistry;
  if (!contract)
    throw new CliError(`the "${opts.network}" deployment has no EvidenceRegistry: deploy the evidence module`);
  const out = path.resolve(io.cwd, o.out ?? "proofs");

  let session: Session | undefined;
  let unreachable: UnreachableError | undefined;
  try {
    session = await open(opts, io, true);
  } catch (e) {
    if (!(e instanceof UnreachableError)) throw e;
    unreachable = e;
  }
  const bar = opts.json ? undefined : progressBar(io);
  try {
    let evidence: EvidenceClient | undefined;
    if (session) {
      evidence = evidenceOf(session);
      const account = await session.signer!.getAddress();
      const notary = await evidence.notaryOf(account);
      if (!notary?.enabled) {
        throw new CliError(
          `${account} is not ${notary ? "an active" : "an enrolled"} notary: sign with an enrolled notary's key (--key-env), or have the account enrolled (\`govledger evidence enrol\`)`,
        );
      }
    }
    const result = await notarizeBulk({
      paths,
      cwd: io.cwd,
      out,
      journal: o.journal === undefined ? undefined : path.resolve(io.cwd, o.journal),
      ...options,
      batchSize,
      chainId: deployment.chainId,
      contract,
      evidence:
        evidence ??
        (async () => {
          throw new BulkInterruptedError(unreachable!.message);
        }),
      onProgress: bar?.update,
    });
    bar?.stop();
    cli.emit(cmd, result, summaryLines(result, io.cwd));
  } catch (e) {
    bar?.stop();
    if (e instanceof BulkInterruptedError) throw new CliError(e.message);
    if (e instanceof BulkError || e instanceof JournalError || e instanceof DigestError || e instanceof MerkleError) {
      throw new CliError(e.message);
    }
    throw e;
  } finally {
    session?.close();
  }
}

function parseBatchSize(input: string | undefined): number | undefined {
  if (input === undefined) return undefined;
  const n = Number(input.trim());
  if (!/^\d+$/.test(input.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new CliError(`batch size "${input}" is not valid: expected a whole number of documents, at least 1`);
  }
  return n;
}

/** Bars on the terminal (never with --json, nor when stderr is not a TTY): hashing by bytes, then bundles. */
function progressBar(io: CliIo): { update: (p: BulkProgress) => void; stop: () => void } | undefined {
  const stream = io.progress;
  if (!stream) return undefined;
  let bar: SingleBar | undefined;
  let phase: string | undefined;
  let started = Date.now();
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const update = (p: BulkProgress) => {
    if (p.phase === "done") return stop();
    const hashing = p.phase === "hash";
    const current = hashing ? "hash" : "anchor";
    if (current !== phase) {
      stop();
      phase = current;
      started = Date.now();
      bar = new SingleBar(
        {
          stream,
          format: hashing
            ? "hashing   |{bar}| {percentage}% | {files} files | {rate} | ETA {eta_formatted}"
            : "anchoring |{bar}| {percentage}% | {batches} batches, {documents} documents anchored | {value}/{total} bundles | {rate} | ETA {eta_formatted}",
          hideCursor: true,
          etaBuffer: 100,
          fps: 5,
        },
        Presets.shades_classic,
      );
      const blank = { files: "", rate: "", batches: "", documents: "" };
      bar.start(hashing ? Math.max(p.bytesTotal, 1) : Math.max(p.bundlesTotal, 1), 0, blank);
    }
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    if (hashing) {
      bar!.update(p.bytesHashed, {
        files: `${p.filesHashed}/${p.filesTotal}`,
        rate: `${(p.bytesHashed / 1e6 / seconds).toFixed(1)} MB/s`,
      });
    } else {
      bar!.update(p.bundlesDone, {
        batches: `${p.batchesAnchored}/${p.batchesTotal}`,
        documents: `${p.documentsAnchored}/${p.documentsTotal}`,
        rate: `${(p.bundlesDone / seconds).toFixed(0)} files/s`,
      });
    }
  };
  return { update, stop };
}

const HOW: Record<string, string> = {
  sent: "sent",
  "found-on-chain": "found on chain (sent by an interrupted run)",
  journaled: "anchored before",
};

function summaryLines(r: BulkResult, cwd: string): string[] {
  const shown = (p: string) => (path.relative(cwd, p).startsWith("..") ? p : path.relative(cwd, p) || ".");
  const megabytes = (r.bytes / 1e6).toFixed(1);
  return [
    `notarized ${r.files} files (${r.documents} documents, ${r.duplicates} duplicates, ${megabytes} MB, ${r.algorithm}) in ${r.batches.length} batches`,
    ...r.batches.map(
      (b) =>
        `batch ${b.batch + 1}  root ${b.root}  ${b.size} documents  tx ${b.txHash}  block ${b.blockNumber}  ${HOW[b.how]}`,
    ),
    ...fields([
      ["bundles", `${r.bundlesWritten} written to ${shown(r.out)}, ${r.skipped.bundles} already there`],
      ["skipped", `${r.skipped.hashed} files hashed before, ${r.skipped.anchored} batches anchored before`],
      ...(r.excluded.length > 0 ? [["excluded", r.excluded.map(shown).join(", ")] as [string, string]] : []),
      ["journal", shown(r.journal)],
    ]),
  ];
}
