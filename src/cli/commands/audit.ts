import { readFileSync } from "fs";
import path from "path";
import { Presets, SingleBar } from "cli-progress";
import type { Command } from "commander";
import {
  AuditError,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  auditReport,
  checkOutDir,
  writeReportFiles,
  type AuditReport,
  type ReportFiles,
  type ScanProgress,
} from "../../audit";
import { parseDid } from "../../sdk";
import type { Cli } from "../cli";
import { deploymentOf } from "../connect";
import { CliError } from "../errors";
import { fields } from "../format";
import type { CliIo } from "../io";

interface ReportOptions {
  from: string;
  to: string;
  out: string;
  page?: string;
  names?: string;
}

/**
 * `audit report`: reads every module's events over a block range in pages and writes report.html,
 * report.csv and report.json, with the settlement ledger reconciled against the token balances at
 * the range's last block. Exit 0 when it reconciles, 1 when it does not (the report names every
 * mismatch) or when the input is refused, before anything is written.
 */
export function auditCommand(program: Command, cli: Cli): void {
  const audit = program
    .command("audit")
    .description("audit reports for regulators: every module's activity and a reconciled settlement ledger");
  audit
    .command("report")
    .description(
      "read the events of every module over --from..--to in pages and write report.html (tables and charts), report.csv and report.json to --out; exit 1 when the settlement ledger does not reconcile",
    )
    .requiredOption("--from <block>", "first block of the range")
    .requiredOption("--to <block>", 'last block of the range, or "latest"')
    .option("--out <dir>", "directory to write the three files to (created if needed)", "audit-report")
    .option("--page <blocks>", `blocks per log query, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`)
    .option("--names <file>", 'JSON file naming DIDs that are not members\', e.g. {"5": "Greenvolt Battery Co."}')
    .action(async (o: ReportOptions, cmd: Command) => {
      const io = cli.io;
      const opts = cli.options(cmd);
      const from = parseBlock(o.from, "--from");
      const to = o.to.trim().toLowerCase() === "latest" ? "latest" : parseBlock(o.to, "--to");
      if (to !== "latest" && from > to) {
        throw new CliError(`--from ${from} is after --to ${to}: the range must run forwards`);
      }
      const pageSize = o.page === undefined ? DEFAULT_PAGE_SIZE : parsePage(o.page);
      const deployment = deploymentOf(opts, io);
      const names = o.names === undefined ? undefined : readNames(o.names, io.cwd, deployment.chainId);
      const out = path.resolve(io.cwd, o.out);
      refuseAudit(() => checkOutDir(out));
      await cli.read(cmd, async (s) => {
        const bar = opts.json ? undefined : progressBar(io);
        let report: AuditReport;
        try {
          report = await refuseAuditAsync(() =>
            auditReport(s.ledger, { from, to, pageSize, names, onProgress: bar?.update }),
          );
        } finally {
          bar?.stop();
        }
        const files = refuseAudit(() => writeReportFiles(report, out));
        if (!report.reconciled) cli.exitCode = 1;
        cli.emit(cmd, summary(report, files), summaryLines(report, files, io.cwd));
      });
    });
}

function parseBlock(input: string, flag: string): number {
  const text = input.trim();
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new CliError(
      `${flag} "${input}" is not a block number: expected a whole number such as 1200${flag === "--to" ? ', or "latest"' : ""}`,
    );
  }
  return Number(text);
}

function parsePage(input: string): number {
  const n = Number(input.trim());
  if (!/^\d+$/.test(input.trim()) || n < 1 || n > MAX_PAGE_SIZE) {
    throw new CliError(`--page "${input}" is not valid: expected a whole number of blocks from 1 to ${MAX_PAGE_SIZE}`);
  }
  return n;
}

/** The --names file: DID (id or did:govledger:…) → organisation name. */
function readNames(file: string, cwd: string, chainId: bigint): Map<bigint, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path.resolve(cwd, file), "utf8"));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new CliError(`cannot read the --names file "${file}" (${why}): expected a JSON object of DID → name`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new CliError(
      `the --names file "${file}" is not a JSON object of DID → name, such as {"5": "Greenvolt Battery Co."}`,
    );
  }
  const names = new Map<bigint, string>();
  for (const [key, name] of Object.entries(parsed)) {
    if (typeof name !== "string" || name.trim() === "") {
      throw new CliError(
        `the --names file "${file}" names DID "${key}" with ${JSON.stringify(name)}: expected a non-empty string`,
      );
    }
    let did: bigint;
    try {
      did = parseDid(key, chainId);
    } catch (e) {
      throw new CliError(`the --names file "${file}" has key "${key}": ${(e as Error).message}`);
    }
    names.set(did, name.trim());
  }
  return names;
}

function refuseAudit<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AuditError) throw new CliError(e.message);
    throw e;
  }
}

async function refuseAuditAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AuditError) throw new CliError(e.message);
    throw e;
  }
}

/** A bar of blocks read, on a terminal only (never with --json, nor when stderr is not a TTY). */
function progressBar(io: CliIo): { update: (p: ScanProgress) => void; stop: () => void } | undefined {
  const stream = io.progress;
  if (!stream) return undefined;
  const bar = new SingleBar(
    {
      stream,
      format:
        "reading events |{bar}| {percentage}% | blocks {value}/{total} | page {page} | {logs} logs | ETA {eta_formatted}",
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update: (p) => {
      if (!started) {
        bar.start(p.blocksTotal, 0, { page: "", logs: 0 });
        started = true;
      }
      bar.update(p.blocksDone, { page: `${p.pagesDone}/${p.pagesTotal}`, logs: p.logs });
    },
    stop: () => started && bar.stop(),
  };
}

/** What --json prints: the verdict, the files, and the headline figures (report.json has everything). */
function summary(r: AuditReport, files: ReportFiles) {
  return {
    network: r.network,
    chainId: r.chainId,
    range: r.range,
    files,
    reconciled: r.reconciled,
    mismatches: r.mismatches,
    events: r.events.total,
    organisations: r.organisations.length,
    evidence: { documents: r.evidence.documents, superseded: r.evidence.superseded, revoked: r.evidence.revoked },
    claims: { issued: r.identity.claimsIssued, revoked: r.identity.claimsRevoked },
    achievements: {
      registered: r.achievements.registered,
      evaluated: r.achievements.evaluated,
      pledged: r.achievements.pledged,
    },
    market: { listings: r.market.listings.length, deals: r.market.deals, licences: r.licences.recorded },
    settlement: r.settlement.tokens.map((t) => ({
      token: t.token,
      escrow: { in: t.escrow.in, out: t.escrow.out, balance: t.escrow.actual, difference: t.escrow.difference },
      market: { in: t.market.in, out: t.market.out, balance: t.market.actual, difference: t.market.difference },
    })),
  };
}

function summaryLines(r: AuditReport, files: ReportFiles, cwd: string): string[] {
  const shown = (p: string) => (path.relative(cwd, p).startsWith("..") ? p : path.relative(cwd, p));
  const e = r.evidence;
  const blocks = r.range.to - r.range.from + 1;
  return [
    `audit report of ${r.network} blocks ${r.range.from}–${r.range.to} (${blocks} blocks in ${r.range.pages} page${r.range.pages === 1 ? "" : "s"}): ${r.events.total} events by ${r.organisations.length} organisations`,
    ...fields([
      [
        "evidence",
        `${e.documents} documents notarized (${e.records} records, ${e.roots} roots, ${e.batches} batches), ${e.superseded} superseded, ${e.revoked} revoked`,
      ],
      ["claims", `${r.identity.claimsIssued} issued, ${r.identity.claimsRevoked} revoked`],
      [
        "achievements",
        `${r.achievements.registered} registered, ${r.achievements.evaluated} evaluated, ${r.achievements.pledged} pledged`,
      ],
      ["market", `${r.market.listings.length} listings, ${r.market.deals} deals, ${r.licences.recorded} licences`],
      ...r.settlement.tokens.map((t): [string, string] => [
        t.token.symbol,
        `escrow ${t.escrow.in.display} in, ${t.escrow.out.display} out, balance ${t.escrow.actual.display}; market ${t.market.in.display} in, ${t.market.out.display} out, balance ${t.market.actual.display}`,
      ]),
    ]),
    r.reconciled
      ? "reconciled: every token paid in is accounted for, zero difference"
      : `NOT RECONCILED: ${r.mismatches.length} mismatch${r.mismatches.length === 1 ? "" : "es"}`,
    ...r.mismatches.map(
      (m) =>
        `  ${m.where}: ${m.what}: expected ${m.expected.display}, actual ${m.actual.display}, difference ${m.difference.display}`,
    ),
    `wrote ${shown(files.html)}, ${shown(files.csv)}, ${shown(files.json)}`,
  ];
}
