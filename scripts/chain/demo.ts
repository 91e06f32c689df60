import { Command } from "commander";
import { GovLedger, loadDeployment } from "../../src/sdk";
import { CHAIN_DEFAULTS, rpc } from "./chain";
import {
  achievementFlow,
  cast,
  checkRecords,
  closeAll,
  consortiumFlow,
  evidenceFlow,
  identityFlow,
  tradeFlow,
  type FlowContext,
  type Records,
} from "./flows";
import { ChainError, PROJECT_ROOT } from "./geth";
import { wholeNumber } from "./options";

/**
 * `npm run chain:demo`: the consortium story on the running `npm run chain`, after
 * `npx hardhat deploy --network consortium`: every module's flow through the SDK, each written
 * through one node and checked on another, then every record re-read on every node. Chapters that
 * need weeks to pass (notice periods, auctions, recovery delays) stay in `npm run demo`, whose
 * embedded chain can move its clock. Once per chain: its accounts are then registered.
 */
const program = new Command("npm run chain:demo --")
  .description("Tell the consortium story on the running local chain (npm run chain), after its deploy.")
  .option("--nodes <n>", "validator nodes of the running chain", wholeNumber, CHAIN_DEFAULTS.nodes)
  .option("--rpc-port <port>", "RPC port of node 0 (node i: port + i)", wholeNumber, CHAIN_DEFAULTS.rpcPort);

async function main(): Promise<void> {
  const o = program.parse(process.argv).opts<{ nodes: number; rpcPort: number }>();
  if (o.nodes < 2)
    throw new ChainError("--nodes must be at least 2: the demo writes through one node and reads on another");
  const urls = Array.from({ length: o.nodes }, (_, i) => `http://127.0.0.1:${o.rpcPort + i}`);
  for (const url of urls) {
    await rpc<string>(url, "eth_chainId").catch(() => {
      throw new ChainError(`no node answers at ${url}: start the chain first (npm run chain)`);
    });
  }
  const deployment = loadDeployment("consortium", PROJECT_ROOT);
  const first = await GovLedger.connectRpc(urls, deployment);
  try {
    const onChain = await rpc<string>(urls[0], "eth_getCode", [deployment.contracts.Council, "latest"]);
    if (onChain === "0x") {
      throw new ChainError(
        `deployments/consortium/ records contracts this chain does not have: rm -rf deployments/consortium and deploy again (npx hardhat deploy --network consortium)`,
      );
    }
    const { proposals } = await first.council.status();
    if (proposals > 0n) {
      throw new ChainError(
        `this chain has already seen the demo (${proposals} council proposal(s)): its accounts are registered; start a fresh chain (npm run chain -- --fresh), deploy, and run it again`,
      );
    }
  } finally {
    first.close();
  }

  const actors = cast();
  const say = (line: string) => console.log(line);
  const ctx = (write: number, read: number): FlowContext => ({
    deployment,
    writeUrl: urls[write % urls.length],
    readUrl: urls[read % urls.length],
    cast: actors,
    log: say,
  });
  const chapter = (title: string, write: number, read: number) =>
    say(`\n${title} — written through node ${write % urls.length}, checked on node ${read % urls.length}`);
  const rec: Records = {};
  try {
    chapter("Consortium: the council admits the Evaluation Institute", 0, 1);
    rec.consortium = await consortiumFlow(ctx(0, 1));
    chapter("Identity: the Science Dept registers four organisations' DIDs", 1, 2);
    rec.identity = await identityFlow(ctx(1, 2));
    chapter("Evidence: the IP Office notarizes a contract (SM3) and a transcript (SHA-256)", 2, 0);
    rec.evidence = await evidenceFlow(ctx(2, 0));
    chapter("Achievements: a patent co-owned 70/30, a use right granted", 0, 1);
    rec.achievement = await achievementFlow(ctx(0, 1), rec.identity);
    chapter("Trade: a fixed-price licence bought, paid through the escrow and withdrawn", 1, 2);
    rec.trade = await tradeFlow(ctx(1, 2), rec.identity, rec.achievement);
    say("\nEvery record, read back on every node:");
    for (const [i, url] of urls.entries()) {
      for (const line of await checkRecords(deployment, url, rec)) say(`  node ${i}: ${line}`);
    }
    say(`\nDone. Look around: npx govledger --network consortium --rpc ${urls.join(",")} members list`);
  } finally {
    closeAll();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`chain:demo: ${message.split("\n")[0]}`);
    process.exit(1);
  },
);
