import { spawn } from "child_process";
import { createWriteStream, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import path from "path";
import { ensureMedusa, MEDUSA_VERSION } from "./medusa";
import { ensureSecurityVenv, SecurityToolError } from "./venv";

/**
 * `npm run fuzz`: Medusa property fuzzing of the rules of DESIGN §3 (harnesses in contracts/fuzz/).
 *
 *   npm run fuzz                        every harness, 200 s of fuzzing in all (CI)
 *   npm run fuzz -- --budget 3600       a longer campaign by hand
 *   npm run fuzz -- --harness EscrowFuzz --workers 2
 *   npm run fuzz -- --self-check        the planted-bug harness, which Medusa must break
 *
 * Builds bin/medusa and the Python tools if needed, compiles the contracts into out/security/fuzz/hardhat/,
 * then runs each harness for its share of the budget. Any broken property fails the run and its call
 * sequence is printed; a summary table follows. Logs, corpora (reused by the next run; --fresh drops them)
 * and coverage reports (--coverage) are in out/security/fuzz/<harness>/.
 */
const ROOT = path.resolve(__dirname, "..", "..");
const OUT = path.join(ROOT, "out", "security", "fuzz");
const BASE_CONFIG = path.join(__dirname, "medusa.config.json");
const HARDHAT_CONFIG = path.join(__dirname, "hardhat.config.ts");
/** Where the harnesses are compiled for Medusa (medusa.config.json reads it there). */
const BUILD_DIR = "out/security/fuzz/hardhat";
const FUZZ_SOURCES = path.join(ROOT, "contracts", "fuzz");
const DEFAULT_BUDGET = 200;
/** The planted-bug harness of --self-check and the property Medusa must break in it. */
const SELF_CHECK = { harness: "EscrowSelfCheck", property: "property_escrowHoldsWhatItOwes" };
const SELF_CHECK_BUDGET = 120;

interface Options {
  budget: number;
  workers: number;
  harnesses: string[];
  selfCheck: boolean;
  fresh: boolean;
  coverage: boolean;
}

interface TestResult {
  kind: "Property" | "Assertion";
  name: string;
  passed: boolean;
}

interface HarnessRun {
  harness: string;
  exitCode: number | null;
  seconds: number;
  calls: number;
  tests: TestResult[];
  failures: string[];
  /** Medusa's own errors (e.g. a failure it could not reproduce while shrinking). */
  errors: string[];
  log: string;
}

function usage(message: string): never {
  throw new SecurityToolError(
    `${message} (usage: npm run fuzz -- [--budget <seconds>] [--workers <n>] [--harness <Name>] [--self-check] [--fresh] [--coverage])`,
  );
}

/** The harnesses: every `contract <Name>Fuzz` in contracts/fuzz/. */
function discoverHarnesses(): string[] {
  return readdirSync(FUZZ_SOURCES)
    .filter((file) => file.endsWith(".sol"))
    .flatMap((file) => [...readFileSync(path.join(FUZZ_SOURCES, file), "utf8").matchAll(/^contract (\w+Fuzz)\b/gm)])
    .map((m) => m[1])
    .sort();
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    budget: DEFAULT_BUDGET,
    workers: 1,
    harnesses: [],
    selfCheck: false,
    fresh: false,
    coverage: false,
  };
  const number = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) usage(`${flag} needs an integer >= ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    if (arg === "--budget") options.budget = number(arg, argv[++i], 10);
    else if (arg === "--workers") options.workers = number(arg, argv[++i], 1);
    else if (arg === "--harness") options.harnesses.push(...(argv[++i] ?? usage("--harness needs a name")).split(","));
    else if (arg === "--self-check") options.selfCheck = true;
    else if (arg === "--fresh") options.fresh = true;
    else if (arg === "--coverage") options.coverage = true;
    else usage(`unknown option ${arg}`);
  }
  const known = discoverHarnesses();
  if (known.length === 0) throw new SecurityToolError(`no harness (contract <Name>Fuzz) in ${FUZZ_SOURCES}`);
  const unknown = options.harnesses.filter((h) => !known.includes(h));
  if (unknown.length) usage(`unknown harness ${unknown.join(", ")}; the harnesses are ${known.join(", ")}`);
  if (options.harnesses.length === 0) options.harnesses = known;
  if (options.selfCheck) {
    options.harnesses = [SELF_CHECK.harness];
    if (!argv.includes("--budget")) options.budget = SELF_CHECK_BUDGET;
  }
  return options;
}

/**
 * Runs `command` in the project root, stopping it after `limitMs`; resolves with its exit code (null when it
 * could not start or was stopped).
 */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onLine?: (line: string) => void,
  limitMs = 3_600_000,
) {
  return new Promise<number | null>((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    const timer = setTimeout(() => {
      onLine?.(`error fuzz.ts stopped the command after ${limitMs / 1000} s`);
      child.kill("SIGTERM");
    }, limitMs);
    let rest = "";
    const feed = (chunk: Buffer) => {
      const text = rest + chunk.toString("utf8");
      const lines = text.split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) onLine?.(line);
    };
    child.stdout.on("data", feed);
    child.stderr.on("data", feed);
    child.on("error", () => {
      clearTimeout(timer);
      resolve(null);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (rest) onLine?.(rest);
      resolve(code);
    });
  });
}

/** Compiles every contract, fuzz harnesses included, into out/security/fuzz/hardhat/ (Medusa reads it there). */
async function compile(): Promise<void> {
  console.log("compiling the contracts into out/security/fuzz/hardhat/ ...");
  const output: string[] = [];
  const hardhat = path.join(ROOT, "node_modules", ".bin", "hardhat");
  const env = { ...process.env, GOVLEDGER_SECURITY_BUILD_DIR: BUILD_DIR };
  const code = await run(hardhat, ["--config", HARDHAT_CONFIG, "compile", "--quiet"], env, (line) => output.push(line));
  if (code !== 0) {
    console.error(output.filter((line) => !line.startsWith("npm warn")).join("\n"));
    throw new SecurityToolError("compiling the contracts failed (see above): fix the errors, then rerun npm run fuzz");
  }
}

/** Medusa's configuration for one harness: scripts/security/medusa.config.json with the run's target, budget and folders. */
function writeConfig(harness: string, seconds: number, options: Options): string {
  const dir = path.join(OUT, harness);
  if (options.fresh) rmSync(path.join(dir, "corpus"), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const config = JSON.parse(readFileSync(BASE_CONFIG, "utf8"));
  config.fuzzing.targetContracts = [harness];
  config.fuzzing.timeout = seconds;
  config.fuzzing.workers = options.workers;
  config.fuzzing.corpusDirectory = path.join(dir, "corpus");
  config.fuzzing.coverageFormats = options.coverage ? ["html", "lcov"] : [];
  config.compilation.platformConfig.target = ROOT;
  config.compilation.platformConfig.exportDirectory = path.join(dir, "crytic-export");
  const file = path.join(dir, "medusa.json");
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

const PROGRESS = /fuzz: elapsed: (?:(\d+)h)?(?:(\d+)m)?(\d+)s, calls: (\d+)/;
const ERROR = /^(⇾ )?error /;
const RESULT = /\[(PASSED|FAILED)\] (Property|Assertion) Test: ([\w.]+\([^)]*\))/;

/** Splits Medusa's report: the test results, and the text of each failed test (its call sequence and trace). */
function parseReport(lines: string[]): Pick<HarnessRun, "calls" | "seconds" | "tests" | "failures" | "errors"> {
  let calls = 0;
  let seconds = 0;
  const tests: TestResult[] = [];
  const failures: string[] = [];
  const errors: string[] = [];
  let failure: string[] | undefined;
  for (const [i, line] of lines.entries()) {
    if (ERROR.test(line)) {
      const next = lines.slice(i + 1);
      const end = next.findIndex((l) => !l.startsWith("‣"));
      errors.push([line.replace(ERROR, ""), ...next.slice(0, end < 0 ? next.length : end)].join(" "));
    }
    const progress = PROGRESS.exec(line);
    if (progress) {
      const [hours, minutes, secs, count] = progress.slice(1).map((v) => Number(v ?? 0));
      if (count > calls) seconds = hours * 3600 + minutes * 60 + secs;
      calls = Math.max(calls, count);
      continue;
    }
    const result = RESULT.exec(line);
    if (result || line.includes("Test summary:")) {
      if (failure) failures.push(failure.join("\n"));
      failure = undefined;
    }
    if (result) {
      tests.push({ kind: result[2] as TestResult["kind"], name: result[3], passed: result[1] === "PASSED" });
      if (result[1] === "FAILED") failure = [line.replace(/^⇾\s*/, "")];
    } else if (failure) {
      failure.push(line);
    }
  }
  if (failure) failures.push(failure.join("\n"));
  return { calls, seconds, tests, failures, errors };
}

async function fuzz(harness: string, seconds: number, options: Options, bin: string): Promise<HarnessRun> {
  const config = writeConfig(harness, seconds, options);
  const logFile = path.join(OUT, harness, "medusa.log");
  const log = createWriteStream(logFile);
  const lines: string[] = [];
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` };
  console.log(`\n== ${harness}: fuzzing for ${seconds} s with ${options.workers} worker(s) ...`);
  const started = Date.now();
  let lastShown = 0;
  const code = await run(
    "nice",
    ["-n", "10", path.join(ROOT, "bin", "medusa"), "fuzz", "--config", config, "--no-color"],
    env,
    (line) => {
      log.write(`${line}\n`);
      lines.push(line);
      // One progress line in thirty seconds is enough for a CI log.
      if (PROGRESS.test(line) && Date.now() - lastShown > 30_000) {
        lastShown = Date.now();
        console.log(`   ${line.replace(/^⇾\s*/, "")}`);
      } else if (ERROR.test(line) || line.startsWith("‣") || /^⇾ \[Worker \d+\] Shrinking/.test(line)) {
        console.log(`   ${line.replace(/^⇾\s*/, "")}`);
      }
    },
    // Compilation, set-up and shrinking come on top of the fuzzing time; a campaign that outlives this hangs.
    (seconds + 600) * 1000,
  );
  await new Promise((resolve) => log.end(resolve));
  const report = parseReport(lines);
  if (report.seconds === 0) report.seconds = Math.round((Date.now() - started) / 1000);
  return { harness, exitCode: code, log: logFile, ...report };
}

/** Why a run is not a clean pass, or undefined. */
function problemOf(run: HarnessRun): string | undefined {
  if (run.failures.length) return `${run.failures.length} test(s) failed`;
  if (run.errors.length) return `medusa reported an error: ${run.errors[0]}`;
  if (run.exitCode === null) return "medusa did not start";
  if (run.exitCode !== 0) return `medusa exited with ${run.exitCode} (see ${path.relative(ROOT, run.log)})`;
  if (!run.tests.some((t) => t.kind === "Property"))
    return `no property test ran (see ${path.relative(ROOT, run.log)})`;
  return undefined;
}

function printTable(runs: HarnessRun[]): void {
  const rows = [["harness", "property", "calls", "calls/s", "result"]];
  for (const run of runs) {
    const rate = run.seconds > 0 && run.calls > 0 ? String(Math.round(run.calls / run.seconds)) : "-";
    const shown = run.tests.filter((t) => t.kind === "Property" || !t.passed);
    if (shown.length === 0) rows.push([run.harness, "(no result)", String(run.calls), rate, problemOf(run) ?? "-"]);
    for (const t of shown) {
      const bare = t.name.replace(/^\w+\./, "").replace(/\(\)$/, "");
      const name = t.kind === "Property" ? bare : `${bare} (assertion)`;
      rows.push([run.harness, name, String(run.calls), rate, t.passed ? "passed" : "FAILED"]);
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const format = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ");
  console.log(`\n${format(rows[0])}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const r of rows.slice(1)) console.log(format(r));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  await ensureMedusa((line) => console.log(line));
  const venv = await ensureSecurityVenv((line) => console.log(line));
  await compile();
  const share = Math.max(10, Math.floor(options.budget / options.harnesses.length));
  const runs: HarnessRun[] = [];
  for (const harness of options.harnesses) runs.push(await fuzz(harness, share, options, venv.bin));

  for (const run of runs) {
    for (const failure of run.failures) console.log(`\n---- ${run.harness}: ${failure}`);
  }
  printTable(runs);
  const total = runs.reduce((sum, r) => sum + r.seconds, 0);
  const calls = runs.reduce((sum, r) => sum + r.calls, 0);
  console.log(
    `\nmedusa ${MEDUSA_VERSION}: ${calls} calls in ${total} s of fuzzing; logs in ${path.relative(ROOT, OUT)}/`,
  );

  if (options.selfCheck) {
    const [run] = runs;
    const broke = run.tests.some(
      (t) => !t.passed && t.name.startsWith(`${SELF_CHECK.harness}.${SELF_CHECK.property}(`),
    );
    if (!broke || !run.failures.some((f) => f.includes("[Call Sequence]"))) {
      throw new SecurityToolError(
        `self-check failed: medusa did not break ${SELF_CHECK.harness}.${SELF_CHECK.property} (its planted bug) in ${share} s, or printed no call sequence`,
      );
    }
    console.log(
      `self-check passed: medusa broke ${SELF_CHECK.property} of ${SELF_CHECK.harness} and printed its call sequence`,
    );
    return;
  }
  const problems = runs.flatMap((r) => (problemOf(r) ? [`${r.harness}: ${problemOf(r)}`] : []));
  if (problems.length) throw new SecurityToolError(`fuzzing found problems: ${problems.join("; ")}`);
  console.log("every property held");
}

main().catch((e: unknown) => {
  console.error(e instanceof SecurityToolError ? `error: ${e.message}` : e);
  process.exit(1);
});
