import { spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import path from "path";

/**
 * The security tools' Python environment: Slither and crytic-compile, pinned in requirements.txt, installed with
 * pip into the project's git-ignored .venv-security/ and reused while requirements.txt is unchanged (a stamp
 * holds its hash). Used by `npm run analyze` (Slither) and `npm run fuzz` (Medusa calls crytic-compile).
 */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const VENV_DIR = path.join(PROJECT_ROOT, ".venv-security");
export const REQUIREMENTS = path.join(__dirname, "requirements.txt");
const STAMP = path.join(VENV_DIR, ".requirements.sha256");
const LOCK = `${VENV_DIR}.lock`;
const MIN_PYTHON = [3, 10] as const;
/** Executables the stamp promises; a venv missing one is rebuilt. */
const TOOLS = ["python", "slither", "crytic-compile"] as const;

/** A failure the security scripts report as one line, without a stack trace. */
export class SecurityToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecurityToolError";
  }
}

export interface SecurityVenv {
  /** The venv's folder (.venv-security/). */
  dir: string;
  /** Its bin/ folder: prepend to PATH to run slither and crytic-compile. */
  bin: string;
}

const venvBin = (dir: string) => path.join(dir, process.platform === "win32" ? "Scripts" : "bin");

function requirementsHash(): string {
  if (!existsSync(REQUIREMENTS)) throw new SecurityToolError(`missing ${path.relative(PROJECT_ROOT, REQUIREMENTS)}`);
  return createHash("sha256").update(readFileSync(REQUIREMENTS)).digest("hex");
}

function isCurrent(hash: string): boolean {
  if (!existsSync(STAMP) || readFileSync(STAMP, "utf8").trim() !== hash) return false;
  return TOOLS.every((tool) => existsSync(path.join(venvBin(VENV_DIR), tool)));
}

/** The interpreter that creates the venv: $GOVLEDGER_PYTHON, else python3. Checks it is >= 3.10. */
function findPython(): string {
  const python = process.env.GOVLEDGER_PYTHON || "python3";
  const out = spawnSync(python, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], {
    encoding: "utf8",
    timeout: 30_000,
  });
  if (out.error || out.status !== 0) {
    throw new SecurityToolError(
      `${python} not found: install Python >= ${MIN_PYTHON.join(".")} (with its venv module) or set GOVLEDGER_PYTHON`,
    );
  }
  const [major, minor] = out.stdout.trim().split(".").map(Number);
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    throw new SecurityToolError(
      `${python} is Python ${major}.${minor}; Slither needs >= ${MIN_PYTHON.join(".")}: install it or set GOVLEDGER_PYTHON`,
    );
  }
  return python;
}

/** Runs a command with its output on stderr (stdout may carry a caller's JSON); resolves with the exit code. */
function run(command: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, stdio: ["ignore", process.stderr, "inherit"] });
    child.on("error", () => resolve(null));
    child.on("exit", resolve);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One installer at a time (analyze and fuzz may start together); a lock older than 20 minutes is stale. */
async function withLock<T>(body: () => Promise<T>, log: (line: string) => void): Promise<T> {
  for (let waited = false; ; waited = true) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const since = statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 20 * 60_000) rmSync(LOCK, { force: true, recursive: true });
      if (!waited) log(`waiting for another installation of the security tools (or delete ${LOCK} if none runs) ...`);
      await sleep(2_000);
    }
  }
  try {
    return await body();
  } finally {
    rmSync(LOCK, { force: true, recursive: true });
  }
}

async function install(hash: string, log: (line: string) => void): Promise<void> {
  const python = findPython();
  const rel = path.relative(process.cwd(), VENV_DIR) || VENV_DIR;
  // A fresh venv each time the pins change, so no package of an older pin set stays behind.
  rmSync(VENV_DIR, { force: true, recursive: true });
  log(`creating the Python environment ${rel}/ ...`);
  if ((await run(python, ["-m", "venv", VENV_DIR])) !== 0) {
    rmSync(VENV_DIR, { force: true, recursive: true });
    throw new SecurityToolError(
      `${python} -m venv failed: install Python's venv module (e.g. apt-get install python3-venv) and retry`,
    );
  }
  log(`installing ${path.relative(PROJECT_ROOT, REQUIREMENTS)} into ${rel}/ (a minute the first time) ...`);
  const pip = [
    "-m",
    "pip",
    "install",
    "--disable-pip-version-check",
    "--no-input",
    "--quiet",
    "--require-virtualenv",
    "-r",
    REQUIREMENTS,
  ];
  if ((await run(path.join(venvBin(VENV_DIR), "python"), pip)) !== 0) {
    throw new SecurityToolError(
      `pip install -r ${path.relative(PROJECT_ROOT, REQUIREMENTS)} failed (see above): check that PyPI is reachable, or delete ${rel}/ and retry`,
    );
  }
  const missing = TOOLS.filter((tool) => !existsSync(path.join(venvBin(VENV_DIR), tool)));
  if (missing.length)
    throw new SecurityToolError(`${rel}/ has no ${missing.join(", ")} after pip install: delete ${rel}/ and retry`);
  writeFileSync(STAMP, `${hash}\n`);
}

/**
 * Makes sure .venv-security/ holds exactly the tools of requirements.txt, recreating it when it is missing,
 * incomplete or older than the requirements, and returns where it is. Throws {@link SecurityToolError} with what to fix.
 */
export async function ensureSecurityVenv(log: (line: string) => void = console.error): Promise<SecurityVenv> {
  const hash = requirementsHash();
  if (!isCurrent(hash)) {
    await withLock(async () => {
      if (!isCurrent(hash)) await install(hash, log);
    }, log);
  }
  return { dir: VENV_DIR, bin: venvBin(VENV_DIR) };
}

/** `npx ts-node --transpile-only scripts/security/venv.ts`: create or check the venv by hand. */
if (require.main === module) {
  ensureSecurityVenv()
    .then((venv) => console.log(`${path.relative(process.cwd(), venv.dir) || venv.dir}/ is ready (${REQUIREMENTS})`))
    .catch((e: unknown) => {
      console.error(e instanceof SecurityToolError ? `error: ${e.message}` : e);
      process.exit(1);
    });
}
