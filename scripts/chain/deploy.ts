import { spawn, type ChildProcess } from "child_process";
import { closeSync, openSync, readFileSync } from "fs";
import path from "path";
import { ChainError, PROJECT_ROOT } from "./geth";

/** The running deploy, if any: {@link stopDeploy} kills it with the chain on failure. */
let deployer: ChildProcess | undefined;

/**
 * `hardhat deploy --network consortium` against `url`, its records under `dir`/deployments and its log
 * in `dir`/deploy.log; bounded to 15 minutes. Throws with the end of the log when it fails.
 */
export async function deploySuite(url: string, dir: string): Promise<void> {
  const logFile = path.join(dir, "deploy.log");
  const out = openSync(logFile, "a");
  const child = (deployer = spawn(
    path.join(PROJECT_ROOT, "node_modules", ".bin", "hardhat"),
    ["deploy", "--network", "consortium"],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, GOVLEDGER_CONSORTIUM_URL: url, GOVLEDGER_DEPLOYMENTS_DIR: path.join(dir, "deployments") },
      stdio: ["ignore", out, out],
    },
  ));
  closeSync(out);
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 900_000);
    child.on("exit", (c) => {
      clearTimeout(timer);
      deployer = undefined;
      resolve(c);
    });
  });
  if (code !== 0) {
    const tail = readFileSync(logFile, "utf8").trim().split("\n").slice(-15).join("\n");
    throw new ChainError(`the deploy failed (exit ${code}); the end of ${logFile}:\n${tail}`);
  }
}

/** Kills a running deploy. */
export function stopDeploy(): void {
  deployer?.kill("SIGKILL");
}
