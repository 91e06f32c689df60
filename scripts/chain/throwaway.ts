import { mkdtempSync, rmSync } from "fs";
import os from "os";
import path from "path";
import { stopDeploy } from "./deploy";
import { stopAllNodes, type Chain, type ChainOptions } from "./chain";
import { ensureGeth } from "./geth";

/** What a run on a throw-away chain gets: its temp dir, the chain's options, and the chain itself. */
export interface ThrowAwayRun {
  dir: string;
  /** The options of the chain in `dir` (start it with `fresh: true`, restart it with `fresh: false`). */
  options: ChainOptions;
  /** The running chain: set it after every start, so that it is stopped at the end. */
  chain: Chain | undefined;
  /** Stops the deploy, the run's clients and every node (the run goes on: e.g. before a restart). */
  stopAll(): Promise<void>;
}

/**
 * Runs `body` on a fresh chain of its own in a temp dir (`npm run chain:smoke`, `npm run test:chain`):
 * builds geth first if needed (before the clock starts), bounds the whole run to `timeout` seconds,
 * and stops the deploy, the clients (`closeClients`) and every node at the end — also on failure,
 * on the bound, or on SIGINT/SIGTERM/SIGHUP. The dir is removed after a success without `keep`.
 */
export async function onThrowAwayChain(
  name: string,
  o: { rpcPort: number; p2pPort: number; authrpcPort: number; timeout: number; keep: boolean },
  log: { step: (line: string) => void; elapsed: () => string },
  closeClients: () => void,
  body: (run: ThrowAwayRun) => Promise<void>,
): Promise<void> {
  await ensureGeth(); // before the clock of the bound: a first build takes minutes
  const dir = mkdtempSync(path.join(os.tmpdir(), `govledger-${name.replace(/\W+/g, "-")}-`));
  const run: ThrowAwayRun = {
    dir,
    options: {
      nodes: 3,
      datadir: path.join(dir, "chain"),
      rpcPort: o.rpcPort,
      p2pPort: o.p2pPort,
      authrpcPort: o.authrpcPort,
      log: (line) => log.step(line),
    },
    chain: undefined,
    stopAll: async () => {
      stopDeploy();
      closeClients();
      await run.chain?.stop();
      await stopAllNodes(); // a chain still starting
      run.chain = undefined;
    },
  };
  const bound = setTimeout(() => {
    console.error(`${name}: FAILED after ${log.elapsed()}: over its bound of ${o.timeout} s; data kept in ${dir}`);
    void run.stopAll().then(() => process.exit(1));
  }, o.timeout * 1000);
  let interrupted = false;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      console.error(`${name}: ${signal}, stopping every node; chain data and logs kept in ${dir}`);
      clearTimeout(bound);
      void run.stopAll().then(() => process.exit(130));
    });
  }
  let failed = true;
  try {
    await body(run);
    failed = false;
  } finally {
    clearTimeout(bound);
    await run.stopAll();
    if (failed || o.keep) console.log(`chain data, logs and deployment records kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  log.step(`${name}: OK, every node stopped`);
}
