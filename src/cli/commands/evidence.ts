import { readFileSync, statSync } from "fs";
import path from "path";
import type { Command } from "commander";
import { ZeroHash } from "ethers";
import { BUNDLE_FORMAT } from "../../evidence/bundle";
import { ALGORITHM_NAMES, DigestAlgorithm, digestFile, parseAlgorithm, parseDigest } from "../../evidence/digest";
import type {
  Call,
  EvidenceClient,
  EvidenceRecordView,
  EvidenceVerdict,
  NotarizeOptions,
  ProofVerdict,
  RevocationView,
  SubmitterView,
} from "../../sdk";
import { submit, type Cli } from "../cli";
import type { Session } from "../connect";
import { CliError, describeFailure, usageExitCode } from "../errors";
import { fields, isoTime, table, toJson } from "../format";
import { checked, hashInput, parseAddress } from "../parse";
import { notarizeBulkCommand, type BulkCliOptions } from "./evidence-bulk";

/** What a write command builds once connected; inputs were validated before. */
type Build<T> = (evidence: EvidenceClient) => Call<T> | Promise<Call<T>>;

interface RecordOptions {
  algorithm?: string;
  category?: string;
  ref?: string;
  refHash?: string;
  metadata?: string;
  metadataHash?: string;
}

/** Exit codes of `evidence verify`: 0 valid, 1 not valid or not found, 2 the check could not be made. */
const VERIFY_ERROR = 2;

/**
 * `evidence …`: notarize documents (files are hashed as streams) or digests, correct, revoke and
 * endorse records, and verify documents, digests and proof bundles. Inputs are checked before
 * connecting; writes are dry-run, so a refusal prints its decoded reason and sends nothing.
 */
export function evidenceCommand(program: Command, cli: Cli): void {
  const evidence = program
    .command("evidence")
    .description("evidence notarization (电子存证): notarize, correct, revoke, endorse and verify documents")
    .option("--relay", "relay writes through the GovForwarder: the signer needs no funds, the relayer pays", false)
    .option(
      "--relayer-key-env <VAR>",
      "environment variable holding the relayer's private key",
      "GOVLEDGER_RELAYER_KEY",
    );
  const write = <T>(cmd: Command, build: Build<T>, describe: (r: T) => { json: unknown; lines: string[] }) =>
    cli.write(cmd, async (s) => {
      const { transactionHash, result } = await submit(await build(evidenceOf(s)));
      const { json, lines } = describe(result);
      cli.emit(cmd, { ...(json as object), transactionHash }, [...lines, `tx ${transactionHash}`]);
    });

  /** Runs `fn` on the record `input` (a digest, or a file hashed with `algorithm` or each in turn). */
  const readRecord = async (
    cmd: Command,
    input: string,
    algorithm: string | undefined,
    fn: (evidence: EvidenceClient, record: EvidenceRecordView) => Promise<void>,
  ) => {
    const candidates = await digestCandidates(input, algorithm, cli);
    return cli.read(cmd, async (s) => {
      const record = await located(s.ledger.evidence, candidates);
      if (!record) throw new CliError(`no evidence record of ${candidatesText(candidates)}`);
      await fn(s.ledger.evidence, record);
    });
  };

  recordOptions(
    evidence
      .command("notarize")
      .description(
        "notarize one document (a file, hashed as a stream) or a digest, as an enrolled notary; several files or directories are notarized in bulk: Merkle batches, a proof bundle per file, resumable",
      )
      .argument("<file|digest|directory...>")
      .option("--out <dir>", "bulk: where proof bundles go, as <dir>/<relative path>.proof.json (default: ./proofs)")
      .option("--journal <file>", "bulk: the journal a re-run resumes from (default: <out>/.journal.jsonl)")
      .option("--batch-size <n>", "bulk: documents per Merkle batch (default 10000)"),
  ).action(async (inputs: string[], o: RecordOptions & BulkCliOptions, cmd: Command) => {
    const options = notarizeOptions(o, cli);
    if (inputs.length > 1 || isDirectory(inputs[0], cli)) {
      return notarizeBulkCommand(cli, cmd, inputs, options, o, evidenceOf);
    }
    const bulkOnly = (["out", "journal", "batchSize"] as const).filter((k) => o[k] !== undefined);
    if (bulkOnly.length > 0) {
      const flags = bulkOnly.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(", ");
      throw new CliError(`${flags}: only for bulk notarization (several paths or a directory), not for one document`);
    }
    const input = inputs[0];
    const digest = await documentDigest(input, options.algorithm, cli, "notarize");
    return write(
      cmd,
      (e) => e.notarize(digest, options),
      (r) => ({
        json: r,
        lines: [`notarized ${r.digest} (${r.algorithm}) by ${r.did} in block ${r.blockNumber}`],
      }),
    );
  });

  evidence
    .command("show")
    .description("show a record: kind, status, submitter, time, block, transaction, endorsements, revocation")
    .argument("<digest|file>", "a digest or root, or a file (hashed with --algorithm, or each algorithm in turn)")
    .option("--algorithm <name>", "sha256, sm3 or keccak256")
    .action((input: string, o: { algorithm?: string }, cmd: Command) =>
      readRecord(cmd, input, o.algorithm, async (evidence, record) => {
        const [endorsements, revocation] = await Promise.all([
          evidence.endorsements(record.key),
          evidence.revocation(record.key),
        ]);
        cli.emit(cmd, { ...record, endorsements, revocation: revocation ?? null }, [
          ...recordLines(record),
          ...revocationLines(revocation),
          ...endorsements.map((e) => `endorsed by ${e.didString} at ${isoTime(e.at)} (note ${e.noteHash})`),
        ]);
      }),
    );

  evidence
    .command("history")
    .description("list every version of a record, oldest first")
    .argument("<digest|file>")
    .option("--algorithm <name>", "sha256, sm3 or keccak256")
    .action((input: string, o: { algorithm?: string }, cmd: Command) =>
      readRecord(cmd, input, o.algorithm, async (evidence, record) => {
        const versions = await evidence.history(record.key);
        const rows = versions.map((v, i) => [String(i + 1), v.key, v.status, isoTime(v.notarizedAt), v.submitterDid]);
        cli.emit(cmd, versions, table(["#", "DIGEST", "STATUS", "NOTARIZED", "SUBMITTER"], rows));
      }),
    );

  recordOptions(
    evidence
      .command("supersede")
      .description("record a corrected document as the new version of a valid record your organisation submitted")
      .argument("<old>", "the digest of the record to correct")
      .argument("<new>", "the corrected document: a file or a digest"),
  ).action(async (oldInput: string, newInput: string, o: RecordOptions, cmd: Command) => {
    const oldDigest = checked(() => parseDigest(oldInput, "old digest"));
    const options = notarizeOptions(o, cli);
    const newDigest = await documentDigest(newInput, options.algorithm, cli, "supersede with");
    return write(
      cmd,
      (e) => e.supersede(oldDigest, newDigest, options),
      (r) => ({ json: r, lines: [`${r.oldDigest} is superseded by ${r.newDigest} (${r.did})`] }),
    );
  });

  evidence
    .command("revoke")
    .description("revoke a record or root your organisation submitted (or any, --by-order, as an arbitrator)")
    .argument("<key>", "the digest or root")
    .option("--reason-hash <hash>", "32-byte hash of the documented reason")
    .option("--reason <text>", "the reason, hashed with keccak256")
    .option("--by-order", "revoke by order of an arbitrator or court (arbitrators)", false)
    .action((input: string, o: { reason?: string; reasonHash?: string; byOrder: boolean }, cmd: Command) => {
      const key = checked(() => parseDigest(input, "key"));
      const reason = hashInput(
        { hash: o.reasonHash, text: o.reason },
        "reason hash",
        "--reason or --reason-hash",
        cli.io.cwd,
      );
      if (reason === undefined) throw new CliError("missing reason: pass --reason <text> or --reason-hash <hash>");
      return write(
        cmd,
        (e) => (o.byOrder ? e.revokeByOrder(key, reason) : e.revoke(key, reason)),
        (r) => ({ json: r, lines: [`revoked ${r.key}${r.byOrder ? " by order" : ""} (reason ${r.reasonHash})`] }),
      );
    });

  evidence
    .command("endorse")
    .description("co-sign a record or root with your DID")
    .argument("<key>", "the digest or root")
    .option("--note <text>", "a note, hashed with keccak256")
    .option("--note-hash <hash>", "32-byte hash of the note")
    .action((input: string, o: { note?: string; noteHash?: string }, cmd: Command) => {
      const key = checked(() => parseDigest(input, "key"));
      const note = hashInput({ hash: o.noteHash, text: o.note }, "note hash", "--note or --note-hash", cli.io.cwd);
      return write(
        cmd,
        (e) => e.endorse(key, note ?? ZeroHash),
        (r) => ({ json: r, lines: [`${r.didString} endorsed ${r.key}`] }),
      );
    });

  for (const [name, description] of [
    ["enrol", "let an account that holds the NOTARY role and an active DID notarize (anyone)"],
    ["drop", "stop an account notarizing once it lost the NOTARY role or its DID (anyone)"],
  ] as const) {
    evidence
      .command(name)
      .description(description)
      .argument("<account>")
      .action((input: string, _o, cmd: Command) => {
        const account = parseAddress(input, "account");
        return write(
          cmd,
          (e): Call<{ account: string; didString?: string }> =>
            name === "enrol" ? e.enrolNotary(account) : e.dropNotary(account),
          (r) => ({
            json: r,
            lines: [r.didString ? `${r.account} notarizes for ${r.didString}` : `${r.account} no longer notarizes`],
          }),
        );
      });
  }

  usageExitCode(
    evidence
      .command("verify")
      .description(
        "verify a document, a digest or a proof bundle: exit 0 when valid, 1 when not valid or not found, 2 when it cannot be checked",
      )
      .argument("<file|digest|proof.json>")
      .option("--algorithm <name>", "sha256, sm3 or keccak256 (a file is tried with each when not given)")
      .option("--proof", "read the argument as a proof bundle (any *.json naming the bundle format is read as one)")
      .option("--document", "read the argument as a document to hash, even a proof bundle")
      .option("--file <document>", "with a proof bundle: check that this document hashes to the bundle's digest"),
    VERIFY_ERROR,
  ).action(
    (input: string, o: { algorithm?: string; proof?: boolean; document?: boolean; file?: string }, cmd: Command) =>
      orVerifyError(async () => {
        if (o.algorithm !== undefined) checked(() => parseAlgorithm(o.algorithm!));
        const bundle = o.document ? undefined : readBundle(input, o.proof === true, cli);
        if (bundle !== undefined) {
          if (o.algorithm !== undefined)
            throw new CliError("--algorithm goes with a document: a proof bundle names its own");
          const file = o.file === undefined ? undefined : path.resolve(cli.io.cwd, o.file);
          return cli.read(cmd, async (s) => {
            const v = await s.ledger.evidence.verifyProof(bundle, file);
            cli.emit(cmd, v, proofLines(v));
            if (!v.valid) cli.exitCode = 1;
          });
        }
        if (o.file !== undefined) throw new CliError("--file goes with a proof bundle; verify a document directly");
        const candidates = await digestCandidates(input, o.algorithm, cli);
        return cli.read(cmd, async (s) => {
          const record = await located(s.ledger.evidence, candidates);
          const digest = record?.key ?? candidates[0].digest;
          const v = await s.ledger.evidence.verify(digest);
          cli.emit(cmd, verdictJson(v, candidates), verdictLines(v, candidates));
          if (!v.valid) cli.exitCode = 1;
        });
      }),
  );
}

/** The evidence client of a session: relayed through the forwarder with --relay. */
function evidenceOf(s: Session): EvidenceClient {
  if (!s.relayer) return s.ledger.evidence;
  if (!s.signer) throw new CliError("--relay needs a signing key");
  return s.ledger.evidence.relayed(s.signer, s.relayer);
}

function recordOptions(cmd: Command): Command {
  return cmd
    .option("--algorithm <name>", "the digest algorithm: sha256, sm3 or keccak256", "sha256")
    .option("--category <n>", "category number (0 to 2^32-1), named by the consortium", "0")
    .option("--ref <text>", "business reference (a case or file number), hashed with keccak256")
    .option("--ref-hash <hash>", "32-byte hash of the business reference")
    .option("--metadata <uri-or-text>", "metadata (a URI or a description), hashed with keccak256")
    .option("--metadata-hash <hash>", "32-byte hash of the metadata");
}

function notarizeOptions(o: RecordOptions, cli: Cli): NotarizeOptions & { algorithm: DigestAlgorithm } {
  const category = (o.category ?? "0").trim();
  if (!/^\d+$/.test(category) || BigInt(category) > 0xffffffffn) {
    throw new CliError(`category "${o.category}" is not valid: expected a whole number from 0 to 4294967295`);
  }
  const cwd = cli.io.cwd;
  return {
    algorithm: checked(() => parseAlgorithm(o.algorithm ?? "sha256")),
    category: BigInt(category),
    businessRef: hashInput({ hash: o.refHash, text: o.ref }, "business reference", "--ref or --ref-hash", cwd),
    metadata: hashInput({ hash: o.metadataHash, text: o.metadata }, "metadata", "--metadata or --metadata-hash", cwd),
  };
}

const DIGEST = /^0x[0-9a-fA-F]{64}$/;

/** The digest of `input`: a digest as given, or a file hashed as a stream with `algorithm`. */
async function documentDigest(input: string, algorithm: DigestAlgorithm, cli: Cli, action: string): Promise<string> {
  if (DIGEST.test(input.trim())) return parseDigest(input.trim());
  const file = readableFile(input, cli, action);
  return digestFile(file, algorithm);
}

/** Whether `input` names a directory (bulk notarization); false for digests and anything unreadable. */
function isDirectory(input: string, cli: Cli): boolean {
  if (DIGEST.test(input.trim())) return false;
  try {
    return statSync(path.resolve(cli.io.cwd, input)).isDirectory();
  } catch {
    return false;
  }
}

/** A file to hash; a directory is refused (`evidence notarize` takes directories in bulk; other commands, one file). */
function readableFile(input: string, cli: Cli, action: string): string {
  const file = path.resolve(cli.io.cwd, input);
  let directory: boolean;
  try {
    directory = statSync(file).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : (code ?? (e as Error).message);
    throw new CliError(`"${input}" is neither a digest (0x followed by 64 hex digits) nor a readable file: ${why}`);
  }
  if (directory) {
    throw new CliError(
      `"${input}" is a directory: ${action} takes one file or digest (\`govledger evidence notarize <directory>\` notarizes a directory's files in bulk)`,
    );
  }
  return file;
}

interface Candidate {
  digest: string;
  /** The algorithm a file was hashed with; undefined for a digest given as such. */
  algorithm?: string;
}

/** The digests `input` may stand for: one digest, or a file's digest with `algorithm` (else with each). */
async function digestCandidates(input: string, algorithm: string | undefined, cli: Cli): Promise<Candidate[]> {
  if (DIGEST.test(input.trim())) return [{ digest: parseDigest(input.trim()) }];
  const algorithms =
    algorithm === undefined
      ? [DigestAlgorithm.SHA256, DigestAlgorithm.SM3, DigestAlgorithm.KECCAK256]
      : [checked(() => parseAlgorithm(algorithm))];
  const file = readableFile(input, cli, "verify");
  const candidates: Candidate[] = [];
  for (const a of algorithms) {
    candidates.push({ digest: await digestFile(file, a), algorithm: ALGORITHM_NAMES[a] });
  }
  return candidates;
}

/** The first record found among `candidates`, made with the algorithm the file was hashed with. */
async function located(evidence: EvidenceClient, candidates: Candidate[]): Promise<EvidenceRecordView | undefined> {
  for (const c of candidates) {
    const record = await evidence.record(c.digest);
    if (record && (c.algorithm === undefined || record.algorithm === c.algorithm)) return record;
  }
  return undefined;
}

function candidatesText(candidates: Candidate[]): string {
  return candidates.map((c) => (c.algorithm ? `${c.digest} (${c.algorithm})` : c.digest)).join(", ");
}

/** Runs a verification; anything that stops the check itself exits 2, as one line. */
async function orVerifyError(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    throw new CliError(describeFailure(e), VERIFY_ERROR);
  }
}

/**
 * The proof bundle in `input`, or undefined when `input` is a document: a *.json file naming the
 * bundle format (or any file with --proof). Unreadable or malformed bundles are refused.
 */
function readBundle(input: string, forced: boolean, cli: Cli): unknown {
  if (DIGEST.test(input.trim())) {
    if (forced) throw new CliError("--proof needs a proof bundle file, not a digest");
    return undefined;
  }
  if (!forced && !input.toLowerCase().endsWith(".json")) return undefined;
  const file = readableFile(input, cli, "verify");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new CliError(`cannot read "${input}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!forced && !text.includes(BUNDLE_FORMAT)) return undefined;
  return text;
}

function submitterText(s: SubmitterView | undefined): string {
  if (!s) return "-";
  return s.organisation ? `${s.did} (${s.organisation.name})` : s.did;
}

function recordLines(r: EvidenceRecordView): string[] {
  const pairs: [string, string][] = [
    ["digest", r.key],
    ["kind", r.kind.toLowerCase()],
    ["status", r.status],
    ["algorithm", r.algorithm],
    ["category", r.category.toString()],
    ["submitter", r.submitterDid],
    ["notarized", isoTime(r.notarizedAt)],
    ["block", r.blockNumber.toString()],
    ["tx", r.event?.transactionHash ?? "- (the node no longer serves the block's logs)"],
  ];
  if (r.batchId !== undefined) pairs.push(["batch", r.batchId.toString()]);
  if (r.size !== undefined) pairs.push(["documents", r.size.toString()]);
  if (r.event) {
    pairs.push(["account", r.event.account], ["business ref", r.event.businessRef], ["metadata", r.event.metadata]);
  }
  if (r.supersedes) pairs.push(["supersedes", r.supersedes]);
  if (r.supersededBy) pairs.push(["superseded by", r.supersededBy]);
  return fields(pairs);
}

function revocationLines(r: RevocationView | undefined): string[] {
  if (!r) return [];
  const by = r.byDid ?? `DID ${r.by}`;
  return [
    `revoked ${isoTime(r.at)} by ${by}${r.byOrder ? " by order (arbitrator or court)" : ""}, reason ${r.reasonHash}`,
  ];
}

function verdictJson(v: EvidenceVerdict, candidates: Candidate[]): unknown {
  const algorithm = candidates.find((c) => c.digest === v.digest)?.algorithm ?? v.record?.algorithm;
  return toJson({ ...v, ...(algorithm ? { algorithm } : {}) });
}

function verdictLines(v: EvidenceVerdict, candidates: Candidate[]): string[] {
  if (v.verdict === "not-found") {
    return [`not found: no record of ${candidatesText(candidates)} on this chain`];
  }
  const r = v.record!;
  const head: Record<string, string> = {
    notarized: `notarized (valid)`,
    superseded: `superseded by ${v.supersededBy}${v.latest && v.latest !== v.supersededBy ? ` (latest version ${v.latest})` : ""}`,
    revoked: "revoked",
  };
  const pairs: [string, string][] = [
    ["verdict", head[v.verdict]],
    ["digest", `${v.digest} (${r.algorithm})`],
    ["submitter", submitterText(v.submitter)],
    ["notarized", isoTime(r.notarizedAt)],
    ["block", r.blockNumber.toString()],
    ["tx", r.event?.transactionHash ?? "-"],
  ];
  if (v.revocation) {
    const by = v.revocation.byDid ?? `DID ${v.revocation.by}`;
    pairs.push(
      ["revoked", `${isoTime(v.revocation.at)} by ${by}${v.revocation.byOrder ? " by order" : ""}`],
      ["reason", v.revocation.reasonHash],
    );
  }
  return fields(pairs);
}

function proofLines(v: ProofVerdict): string[] {
  const b = v.bundle;
  const anchor = b.anchor === "merkle-root" ? `Merkle root ${b.root}` : "record";
  const pairs: [string, string][] = [
    ["verdict", v.valid ? "notarized (valid)" : v.verdict],
    ["digest", `${b.digest} (${b.algorithm.name})`],
    ["anchor", anchor],
    ["submitter", submitterText(v.submitter)],
    ["notarized", v.record ? isoTime(v.record.notarizedAt) : "-"],
    ["block", v.record ? v.record.blockNumber.toString() : "-"],
    ["tx", v.record?.event?.transactionHash ?? "-"],
  ];
  if (v.supersededBy) pairs.push(["superseded by", v.supersededBy]);
  if (v.revocation) {
    const by = v.revocation.byDid ?? `DID ${v.revocation.by}`;
    pairs.push(["revoked", `${isoTime(v.revocation.at)} by ${by}${v.revocation.byOrder ? " by order" : ""}`]);
    pairs.push(["reason", v.revocation.reasonHash]);
  }
  if (v.problems.length > 0) pairs.push(["problems", v.problems.join("; ")]);
  return fields(pairs);
}
