import { spawn } from "child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import path from "path";
import type { Finding, Impact } from "./triage";
import { PROJECT_ROOT, SecurityToolError } from "./venv";

/**
 * Slither on the suite: the contracts are compiled by Hardhat (the project's own solc-js and settings, into
 * out/security/hardhat/ so that artifacts/ and typechain-types/ are left alone), and Slither reads that build
 * output through crytic-compile's Hardhat platform without compiling or downloading anything itself.
 */
export const OUT_DIR = path.join(PROJECT_ROOT, "out", "security");
export const BUILD_DIR = path.join(OUT_DIR, "hardhat");
export const SLITHER_JSON = path.join(OUT_DIR, "slither.json");
export const SLITHER_LOG = path.join(OUT_DIR, "slither.log");
const HARDHAT_CONFIG = path.join(__dirname, "hardhat.config.ts");
const SLITHER_CONFIG = path.join(PROJECT_ROOT, "slither.config.json");

const rel = (p: string) => path.relative(PROJECT_ROOT, p);

interface Exit {
  code: number | null;
  output: string;
}

/** Runs a command in the project; its output is collected (and echoed on stderr when `echo`). */
function run(command: string, args: string[], echo: boolean): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      if (echo) process.stderr.write(chunk);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

/**
 * A source file whose text in Hardhat's build info differs from the file on disk, if any: after an
 * incremental compile an old build info can still hold an earlier version of a file next to the new one,
 * and Slither would analyse both.
 */
function staleSource(buildInfoDir: string): string | undefined {
  if (!existsSync(buildInfoDir)) return undefined;
  // Sources Slither leaves out (mocks, benchmarks, fuzz harnesses) may be stale: their findings are dropped.
  const ignored = new RegExp(slitherConfig().filter_paths ?? "$^");
  for (const name of readdirSync(buildInfoDir).filter((n) => n.endsWith(".json"))) {
    const info = JSON.parse(readFileSync(path.join(buildInfoDir, name), "utf8")) as {
      input: { sources: Record<string, { content: string }> };
    };
    for (const [source, { content }] of Object.entries(info.input.sources)) {
      const file = path.join(PROJECT_ROOT, source);
      if (!source.startsWith("contracts/") || ignored.test(source)) continue;
      if (!existsSync(file) || readFileSync(file, "utf8") !== content) {
        return source;
      }
    }
  }
  return undefined;
}

function slitherConfig(): { filter_paths?: string } {
  if (!existsSync(SLITHER_CONFIG)) throw new SecurityToolError(`missing ${rel(SLITHER_CONFIG)}`);
  return JSON.parse(readFileSync(SLITHER_CONFIG, "utf8")) as { filter_paths?: string };
}

async function hardhatCompile(): Promise<void> {
  const args = ["hardhat", "--config", HARDHAT_CONFIG, "compile", "--no-typechain", "--quiet"];
  const { code, output } = await run("npx", args, false);
  if (code !== 0) throw new SecurityToolError(`the contracts do not compile: ${firstError(output)}`);
}

/** The first error in a compiler's output, with the location line that follows it. */
function firstError(output: string): string {
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("npm warn"));
  const at = lines.findIndex((l) => /Error\b/.test(l));
  if (at < 0) return lines.pop() ?? "no output";
  const where = lines[at + 1]?.startsWith("-->") ? ` ${lines[at + 1]}` : "";
  return `${lines[at]}${where}`;
}

/** Compiles the contracts into out/security/hardhat/, afresh when the incremental build holds stale sources. */
export async function compile(log: (line: string) => void): Promise<void> {
  const buildInfo = path.join(BUILD_DIR, "artifacts", "build-info");
  log(`compiling the contracts into ${rel(BUILD_DIR)}/ ...`);
  await hardhatCompile();
  const stale = staleSource(buildInfo);
  if (stale) {
    log(`${stale} changed since an earlier build: compiling everything afresh (a minute or two) ...`);
    rmSync(BUILD_DIR, { recursive: true, force: true });
    await hardhatCompile();
  }
}

/** Runs Slither with slither.config.json; resolves with its JSON report, or throws why it could not run. */
export async function runSlither(venvBin: string): Promise<SlitherReport> {
  mkdirSync(OUT_DIR, { recursive: true });
  rmSync(SLITHER_JSON, { force: true }); // Slither refuses to overwrite its output
  const slither = path.join(venvBin, "slither");
  const { code, output } = await run(slither, [".", "--config-file", SLITHER_CONFIG, "--json", SLITHER_JSON], false);
  writeFileSync(SLITHER_LOG, output);
  const why = () =>
    output
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => /error|exception/i.test(l))
      .pop() ?? `exit code ${code}`;
  if (!existsSync(SLITHER_JSON)) {
    throw new SecurityToolError(`Slither could not run (${why()}); see ${rel(SLITHER_LOG)}`);
  }
  const report = JSON.parse(readFileSync(SLITHER_JSON, "utf8")) as SlitherReport;
  if (!report.success) {
    throw new SecurityToolError(
      `Slither could not analyse the contracts (${report.error ?? why()}); see ${rel(SLITHER_LOG)}`,
    );
  }
  return report;
}

/** The version of Slither in the venv. */
export async function slitherVersion(venvBin: string): Promise<string> {
  const { output } = await run(path.join(venvBin, "slither"), ["--version"], false);
  return output.trim();
}

// ---- Slither's JSON ----

interface SlitherElement {
  type: string;
  name: string;
  source_mapping?: { filename_relative?: string; lines?: number[] };
  type_specific_fields?: { parent?: SlitherElement };
}

interface SlitherResult {
  check: string;
  impact: Impact;
  confidence: string;
  description: string;
  elements: SlitherElement[];
}

export interface SlitherReport {
  success: boolean;
  error: string | null;
  results?: { detectors?: SlitherResult[] };
}

const parentOf = (e: SlitherElement) => e.type_specific_fields?.parent;

function contractOf(e: SlitherElement | undefined): string {
  for (let at = e; at; at = parentOf(at)) if (at.type === "contract") return at.name;
  return "";
}

/** `fn`, `stateVariable` or `fn.local` for the result's first element. */
function elementOf(e: SlitherElement | undefined): string {
  if (!e) return "";
  const parent = parentOf(e);
  switch (e.type) {
    case "function":
    case "event":
    case "enum":
    case "struct":
      return e.name;
    case "variable":
      return parent?.type === "function" ? `${parent.name}.${e.name}` : e.name;
    case "node":
      return parent?.type === "function" ? parent.name : "";
    default:
      return "";
  }
}

/** The description without `(contracts/x.sol#12-14)` references and with single spaces. */
const withoutLines = (text: string) =>
  text
    .replace(/\s*\([^()\s]+\.sol#[\d-]+\)/g, "")
    .replace(/\s+/g, " ")
    .trim();

function locationOf(e: SlitherElement | undefined): string {
  const map = e?.source_mapping;
  if (!map?.filename_relative) return "";
  const lines = map.lines ?? [];
  return lines.length ? `${map.filename_relative}#${lines[0]}` : map.filename_relative;
}

/** The findings of `report`, one per distinct finding (a source in two compilation units is reported twice). */
export function findingsOf(report: SlitherReport): Finding[] {
  const seen = new Map<string, Finding>();
  for (const r of report.results?.detectors ?? []) {
    const first = r.elements[0];
    const finding: Finding = {
      detector: r.check,
      impact: r.impact,
      confidence: r.confidence,
      contract: contractOf(first),
      element: elementOf(first),
      text: withoutLines(r.description),
      location: locationOf(first),
    };
    const key = `${finding.detector}\n${finding.contract}\n${finding.element}\n${finding.text}`;
    if (!seen.has(key)) seen.set(key, finding);
  }
  return [...seen.values()];
}
