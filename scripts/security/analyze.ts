import { existsSync, writeFileSync } from "fs";
import path from "path";
import { OUT_DIR, compile, findingsOf, runSlither, slitherVersion } from "./slither";
import { FAIL_AT, IMPACTS, type Finding, type TriageEntry, applyTriage, atLeast, readTriage } from "./triage";
import { PROJECT_ROOT, SecurityToolError, ensureSecurityVenv } from "./venv";

/**
 * `npm run analyze`: Slither over the suite's contracts (mocks, benchmarks and fuzz harnesses excluded by
 * slither.config.json). Passes when every finding at Medium or above is triaged in
 * docs/security/slither-triage.md; otherwise lists the untriaged ones and exits 1. Writes Slither's own
 * JSON and a report with each finding's triage to out/security/.
 */
const TRIAGE = path.join(PROJECT_ROOT, "docs", "security", "slither-triage.md");
const REPORT = path.join(OUT_DIR, "slither-report.json");
const rel = (p: string) => path.relative(PROJECT_ROOT, p);

const describe = (f: Finding) =>
  `  [${f.impact}] ${f.detector} ${f.contract}${f.element ? `.${f.element}` : ""} (${f.location}): ${f.text}`;

function countBy(findings: Finding[]): string {
  return IMPACTS.map((impact) => [impact, findings.filter((f) => f.impact === impact).length] as const)
    .filter(([, n]) => n > 0)
    .map(([impact, n]) => `${n} ${impact.toLowerCase()}`)
    .join(", ");
}

function triageRows(): TriageEntry[] {
  try {
    return readTriage(TRIAGE);
  } catch (e) {
    throw new SecurityToolError(`${rel(TRIAGE)}: ${(e as Error).message}`);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const log = (line: string) => console.error(line);
  if (!existsSync(TRIAGE)) throw new SecurityToolError(`missing ${rel(TRIAGE)}: the triage of Slither's findings`);
  const entries = triageRows();
  const venv = await ensureSecurityVenv(log);
  const version = await slitherVersion(venv.bin);
  await compile(log);
  log(`running Slither ${version} ...`);
  const findings = findingsOf(await runSlither(venv.bin));
  const { untriaged, stale, matched } = applyTriage(findings, entries);
  const failing = untriaged.filter((f) => atLeast(f.impact, FAIL_AT));
  writeFileSync(
    REPORT,
    JSON.stringify(
      {
        slither: version,
        failAt: FAIL_AT,
        counts: Object.fromEntries(IMPACTS.map((i) => [i, findings.filter((f) => f.impact === i).length])),
        untriaged: failing,
        staleTriageRows: stale.map((e) => e.line),
        findings: matched.map(({ finding, entry }) => ({
          ...finding,
          triage: entry ? { verdict: entry.verdict, why: entry.why, line: entry.line } : null,
        })),
      },
      null,
      2,
    ) + "\n",
  );
  const seconds = Math.round((Date.now() - started) / 1000);
  for (const e of stale) {
    log(`note: ${rel(TRIAGE)}:${e.line} (${e.detector} ${e.contract}.${e.element}) matches no finding any more`);
  }
  if (failing.length) {
    console.error(
      `error: ${failing.length} Slither finding(s) at ${FAIL_AT.toLowerCase()} or above are not triaged: fix them, or explain them in ${rel(TRIAGE)}`,
    );
    for (const f of failing) console.error(describe(f));
    process.exit(1);
  }
  const triaged = findings.filter((f) => atLeast(f.impact, FAIL_AT)).length;
  console.log(
    `Slither ${version}: ${findings.length} findings (${countBy(findings) || "none"}); all ${triaged} at ` +
      `${FAIL_AT.toLowerCase()} or above triaged in ${rel(TRIAGE)}; report ${rel(REPORT)} (${seconds} s)`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof SecurityToolError ? `error: ${e.message}` : e);
  process.exit(1);
});
