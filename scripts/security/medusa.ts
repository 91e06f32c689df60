import { spawnSync } from "child_process";
import { existsSync, mkdirSync } from "fs";
import path from "path";
import { buildFailure, goFor, runGo } from "../tools/go";
import { SecurityToolError } from "./venv";

/**
 * Medusa, the property fuzzer of `npm run fuzz`: built from source out of the Go module proxy into the
 * project's git-ignored bin/, never downloaded as a binary, and reused while it reports the pinned version.
 *
 * `go install github.com/crytic/medusa@v1.2.0` cannot build it: its go.mod replaces go-ethereum with
 * crytic's fork, and `go install pkg@version` refuses modules with replace directives. So the script
 * downloads the module (`go mod download`), checks its hash against the one pinned here, and builds it
 * inside the downloaded module, where its go.mod and go.sum (which pins every dependency) apply.
 * The checksum database has no entry for the module through the proxy here, so the pinned hash
 * (the h1: hash of the v1.2.0 tag, commit 4ea8356a) stands in for it.
 */
export const MEDUSA_VERSION = "1.2.0";
const MEDUSA_MODULE = "github.com/crytic/medusa";
const MEDUSA_SUM = "h1:vPO3TBB64bQK6qo3XJfDRbBtDeKvJD4pXBjd/gm5LQw=";
const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const MEDUSA_PATH = path.join(PROJECT_ROOT, "bin", "medusa");
/** The `go` directive of medusa v1.2.0's go.mod. */
const MIN_GO = [1, 23] as const;

/** The version `medusa --version` reports for `binary`, or undefined when it does not run. */
export function medusaVersion(binary = MEDUSA_PATH): string | undefined {
  if (!existsSync(binary)) return undefined;
  const out = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 30_000 });
  if (out.status !== 0) return undefined;
  return /version\s+v?(\S+)/.exec(out.stdout)?.[1];
}

/** Go's environment for the build: the machine's toolchain only, no VCS stamping, no sum-DB look-up of medusa. */
function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOTOOLCHAIN: "local",
    GOFLAGS: [process.env.GOFLAGS, "-buildvcs=false", "-mod=readonly"].filter(Boolean).join(" "),
    GONOSUMDB: [process.env.GONOSUMDB, MEDUSA_MODULE].filter(Boolean).join(","),
  };
}

/** Downloads medusa's module into Go's module cache; resolves with its folder after checking its hash. */
function downloadModule(): string {
  const out = spawnSync("go", ["mod", "download", "-json", `${MEDUSA_MODULE}@v${MEDUSA_VERSION}`], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: goEnv(),
    timeout: 600_000,
  });
  let info: { Dir?: string; Sum?: string; Error?: string } = {};
  try {
    info = JSON.parse(out.stdout) as typeof info;
  } catch {
    // reported below with Go's own message
  }
  if (out.status !== 0 || !info.Dir) {
    const why = info.Error ?? out.stderr.trim().split("\n").pop() ?? `exit ${out.status}`;
    throw new SecurityToolError(
      `cannot download ${MEDUSA_MODULE}@v${MEDUSA_VERSION} (${why}): check that the Go module proxy is reachable`,
    );
  }
  if (info.Sum !== MEDUSA_SUM) {
    throw new SecurityToolError(
      `${MEDUSA_MODULE}@v${MEDUSA_VERSION} downloaded with hash ${info.Sum}, expected ${MEDUSA_SUM}: refusing to build it`,
    );
  }
  return info.Dir;
}

/** Builds medusa v1.2.0 into bin/medusa with the machine's Go; prints Go's own output; resolves with its path. */
export async function buildMedusa(log: (line: string) => void = console.error): Promise<string> {
  const go = goFor(`medusa v${MEDUSA_VERSION}`, MIN_GO);
  if ("refusal" in go) throw new SecurityToolError(go.refusal);
  log(
    `building medusa v${MEDUSA_VERSION} with Go ${go.version.join(".")} into bin/ (a few minutes the first time) ...`,
  );
  const started = Date.now();
  const dir = downloadModule();
  mkdirSync(path.dirname(MEDUSA_PATH), { recursive: true });
  const args = ["build", "-trimpath", "-o", MEDUSA_PATH, "."];
  // The build's output goes to stderr: a caller's stdout may be a report.
  const code = await runGo(args, { cwd: dir, env: goEnv(), stdout: "stderr" });
  const version = medusaVersion();
  const failure = buildFailure("medusa", args, code, MEDUSA_PATH, version, MEDUSA_VERSION);
  if (failure) throw new SecurityToolError(failure);
  log(`built medusa ${version} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return MEDUSA_PATH;
}

/** bin/medusa when it is v1.2.0; otherwise builds it first. */
export async function ensureMedusa(log: (line: string) => void = console.error): Promise<string> {
  const version = medusaVersion();
  if (version === MEDUSA_VERSION) return MEDUSA_PATH;
  if (version) log(`bin/medusa is version ${version}, not ${MEDUSA_VERSION}: rebuilding`);
  return buildMedusa(log);
}

/** `npx ts-node --transpile-only scripts/security/medusa.ts [--force]`: build bin/medusa, or say it is there. */
if (require.main === module) {
  const force = process.argv.includes("--force");
  (force ? buildMedusa() : ensureMedusa())
    .then((binary) => console.log(`${path.relative(process.cwd(), binary)} is medusa ${MEDUSA_VERSION}`))
    .catch((e: unknown) => {
      console.error(e instanceof SecurityToolError ? `error: ${e.message}` : e);
      process.exit(1);
    });
}
