import { spawnSync } from "child_process";
import { existsSync, mkdirSync } from "fs";
import path from "path";
import { atLeast, buildFailure, goFor, runGo } from "../tools/go";

/**
 * The engine of the local consortium chain: go-ethereum v1.13.15, the last release that seals Clique
 * proof-of-authority blocks. Built from the Go module proxy into the project's git-ignored bin/, never
 * downloaded as a binary; reused when already there.
 */
export const GETH_VERSION = "1.13.15";
export const GETH_MODULE = `github.com/ethereum/go-ethereum/cmd/geth@v${GETH_VERSION}`;
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const GETH_BIN_DIR = path.join(PROJECT_ROOT, "bin");
export const GETH_PATH = path.join(GETH_BIN_DIR, "geth");
const MIN_GO = [1, 21] as const;

/** A failure the chain scripts report as one line, without a stack trace. */
export class ChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChainError";
  }
}

/** The version `geth version` reports for `binary`, or undefined when it does not run. */
export function gethVersion(binary = GETH_PATH): string | undefined {
  if (!existsSync(binary)) return undefined;
  const out = spawnSync(binary, ["version"], { encoding: "utf8", timeout: 30_000 });
  if (out.status !== 0) return undefined;
  return /^Version:\s*(\S+)/m.exec(out.stdout)?.[1];
}

/**
 * Builds geth v1.13.15 into bin/ with the machine's Go toolchain (`go install`, GOBIN=bin/).
 * Go 1.23+ rejects some `//go:linkname` uses of that release's dependencies, so its linker is told
 * not to check them (-checklinkname=0). Prints Go's own output; resolves with the binary's path.
 */
export async function buildGeth(log: (line: string) => void = console.log): Promise<string> {
  const go = goFor(`geth v${GETH_VERSION}`, MIN_GO);
  if ("refusal" in go) throw new ChainError(go.refusal);
  mkdirSync(GETH_BIN_DIR, { recursive: true });
  const args = ["install"];
  if (atLeast(go.version, [1, 23])) args.push("-ldflags=-checklinkname=0");
  args.push(GETH_MODULE);
  log(
    `building geth v${GETH_VERSION} with Go ${go.version.join(".")} into ${path.relative(process.cwd(), GETH_BIN_DIR) || "."}/ (a few minutes the first time) ...`,
  );
  const started = Date.now();
  const code = await runGo(args, {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      GOBIN: GETH_BIN_DIR,
      GOFLAGS: [process.env.GOFLAGS, "-buildvcs=false"].filter(Boolean).join(" "),
    },
  });
  const version = gethVersion();
  const failure = buildFailure("geth", args, code, GETH_PATH, version, GETH_VERSION);
  if (failure) throw new ChainError(failure);
  log(`built geth ${version} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return GETH_PATH;
}

/** bin/geth when it is v1.13.15; otherwise builds it first. */
export async function ensureGeth(log: (line: string) => void = console.log): Promise<string> {
  const version = gethVersion();
  if (version?.startsWith(GETH_VERSION)) return GETH_PATH;
  if (version) log(`bin/geth is version ${version}, not ${GETH_VERSION}: rebuilding`);
  return buildGeth(log);
}
