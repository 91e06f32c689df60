import { existsSync, readFileSync, rmSync } from "fs";
import path from "path";
import { Command } from "commander";
import { wholeNumber } from "./options";
import { CONSORTIUM_CHAIN_ID, remoteNetworks } from "../../config/networks";
import { CHAIN_DEFAULTS, rpc, startChain, stopAllNodes, type Chain } from "./chain";
import { ChainError, PROJECT_ROOT } from "./geth";

/**
 * `npm run chain [-- --nodes 5 --rpc-port 8645 --p2p-port 30403 --datadir .chain --fresh]`: starts the
 * local consortium chain, prints its nodes and runs until Ctrl-C (or SIGTERM), which stops every node.
 */
const int = wholeNumber;

const program = new Command("npm run chain --")
  .description("Start a local consortium chain: geth v1.13.15 Clique validators on 127.0.0.1, until Ctrl-C.")
  .option("--nodes <n>", "validator nodes", int, CHAIN_DEFAULTS.nodes)
  .option("--rpc-port <port>", "RPC port of node 0 (node i: port + i)", int, CHAIN_DEFAULTS.rpcPort)
  .option("--p2p-port <port>", "P2P port of node 0 (node i: port + i)", int, CHAIN_DEFAULTS.p2pPort)
  .option("--authrpc-port <port>", "engine-API port of node 0 (default: RPC port + 100)", int)
  .option("--datadir <dir>", "data directory", path.relative(process.cwd(), CHAIN_DEFAULTS.datadir) || ".")
  .option("--period <seconds>", "Clique block period", int, CHAIN_DEFAULTS.period)
  .option("--fresh", "wipe the data directory first (otherwise an existing chain restarts from disk)", false)
  .option("--start-timeout <seconds>", "bound on start-up", int, CHAIN_DEFAULTS.startTimeoutMs / 1000)
  .option("--verbosity <level>", "geth log level in the nodes' geth.log (0-5)", int, CHAIN_DEFAULTS.verbosity);

async function main(): Promise<void> {
  program.parse(process.argv);
  const o = program.opts<{
    nodes: number;
    rpcPort: number;
    p2pPort: number;
    authrpcPort?: number;
    datadir: string;
    period: number;
    fresh: boolean;
    startTimeout: number;
    verbosity: number;
  }>();
  const datadir = path.resolve(o.datadir);
  const isDefault = datadir === CHAIN_DEFAULTS.datadir;
  let chain: Chain | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping ${chain?.nodes.length ?? "the"} node(s) ...`);
    await (chain ? chain.stop() : stopAllNodes());
    console.log("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGHUP", () => void stop("SIGHUP"));
  // `kill <npm>` ends npm and its shell but not this script: stop the nodes when orphaned like that.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void stop("parent process gone"), 1000).unref();

  const started = Date.now();
  chain = await startChain({
    nodes: o.nodes,
    datadir,
    rpcPort: o.rpcPort,
    p2pPort: o.p2pPort,
    authrpcPort: o.authrpcPort,
    period: o.period,
    fresh: o.fresh,
    startTimeoutMs: o.startTimeout * 1000,
    verbosity: o.verbosity,
  });
  if (stopping) return;
  if (o.fresh && isDefault) forgetDeployments();
  const head = await chain.waitForSameHead({ minHeight: 0 });
  console.log(
    `consortium chain up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${chain.nodes.length} validator(s), chain id ${chain.chainId}, head #${head.number} ${head.hash}`,
  );
  for (const n of chain.nodes) {
    console.log(
      `  node ${n.index}  pid ${n.pid}  rpc ${n.rpcUrl}  p2p ${n.p2pPort}  signer ${n.signer}  log ${shown(n.logFile)}`,
    );
  }
  const url = chain.nodes[0].rpcUrl;
  if (url === remoteNetworks().consortium.url) await warnIfStale(url);
  else console.log(`  (for the Hardhat network "consortium": export GOVLEDGER_CONSORTIUM_URL=${url})`);
  console.log("Deploy: npx hardhat deploy --network consortium   ·   Ctrl-C stops every node");

  for (const n of chain.nodes) {
    const watch = setInterval(() => {
      if (!n.running && !stopping) {
        console.error(`node ${n.index} (pid ${n.pid}) stopped on its own; see ${n.logFile}`);
        clearInterval(watch);
      }
    }, 2000);
  }
}

/** A path relative to the working dir when inside it. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") ? file : relative;
}

/** After --fresh on the default data dir, the records of contracts on the wiped chain are void. */
function forgetDeployments() {
  for (const stale of ["deployments/consortium", `.openzeppelin/unknown-${CONSORTIUM_CHAIN_ID}.json`]) {
    const where = path.join(PROJECT_ROOT, stale);
    if (!existsSync(where)) continue;
    rmSync(where, { recursive: true, force: true });
    console.log(`removed ${stale} (it recorded contracts of the wiped chain)`);
  }
}

/** deployments/consortium/ naming contracts this chain does not have (it was wiped elsewhere). */
async function warnIfStale(url: string) {
  const record = path.join(PROJECT_ROOT, "deployments", "consortium", "GovAuthority.json");
  if (!existsSync(record)) return;
  const { address } = JSON.parse(readFileSync(record, "utf8")) as { address: string };
  if ((await rpc<string>(url, "eth_getCode", [address, "latest"])) !== "0x") return;
  console.log(
    `warning: deployments/consortium/ records contracts this chain does not have: remove it (rm -rf deployments/consortium) and deploy again`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof ChainError ? `error: ${e.message}` : e);
  process.exit(1);
});
