import { spawn, spawnSync } from "child_process";

/**
 * The machine's Go toolchain, for the tools the project builds from the Go module proxy into its
 * git-ignored bin/ (geth for the chain, Medusa for the fuzzer): never a downloaded binary.
 */

/** Go's version as [major, minor], or undefined when no `go` is on the PATH. */
export function goVersion(): [number, number] | undefined {
  const out = spawnSync("go", ["env", "GOVERSION"], { encoding: "utf8", timeout: 60_000 });
  if (out.error || out.status !== 0) return undefined;
  const m = /go(\d+)\.(\d+)/.exec(out.stdout);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Whether version `v` is `min` or later. */
export const atLeast = (v: readonly [number, number], min: readonly [number, number]) =>
  v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);

/** The toolchain's version, or the one-line reason (no Go, or one older than `min`) it cannot build `what`. */
export function goFor(
  what: string,
  min: readonly [number, number],
): { version: [number, number] } | { refusal: string } {
  const version = goVersion();
  if (!version)
    return { refusal: `no Go toolchain found: install Go >= ${min.join(".")} (https://go.dev/dl/) to build ${what}` };
  if (!atLeast(version, min)) {
    return { refusal: `Go ${version.join(".")} is too old to build ${what}: install Go >= ${min.join(".")}` };
  }
  return { version };
}

/**
 * Runs `go args` in `cwd` with `env`, its output shown (on stderr when `stdout` is "stderr", so a caller's
 * stdout can stay a report); resolves with the exit code, null when go could not start.
 */
export function runGo(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; stdout?: "inherit" | "stderr" },
): Promise<number | null> {
  return new Promise((resolve) => {
    const out = options.stdout === "stderr" ? process.stderr : "inherit";
    const child = spawn("go", args, { cwd: options.cwd, env: options.env, stdio: ["ignore", out, "inherit"] });
    child.on("error", () => resolve(null));
    child.on("exit", resolve);
  });
}

/**
 * After a build: the one-line reason it failed — go's exit code, or the binary at `path` reporting
 * another version than `expected` — or undefined when `reported` is `expected`.
 */
export function buildFailure(
  what: string,
  args: string[],
  code: number | null,
  path: string,
  reported: string | undefined,
  expected: string,
): string | undefined {
  if (code !== 0) return `building ${what} failed (go ${args.join(" ")} exited with ${code}); see the output above`;
  if (reported === undefined || !reported.startsWith(expected)) {
    return `the ${what} just built at ${path} reports version ${reported ?? "nothing"}, expected ${expected}`;
  }
  return undefined;
}
