import path from "path";
import { throwAwayChainCommand, wholeNumber } from "./options";
import { id } from "ethers";
import { loadDeployment, type Deployment, type LedgerOptions } from "../../src/sdk";
import { DigestAlgorithm, digestBytes } from "../../src/evidence/digest";
import { deploySuite } from "./deploy";
import { startChain } from "./chain";
import { onThrowAwayChain } from "./throwaway";
import { ChainError } from "./geth";
import {
  achievementFlow,
  bounded,
  cast,
  checkRecords,
  closeAll,
  consortiumFlow,
  evidenceFlow,
  identityFlow,
  reach,
  reader,
  tradeFlow,
  type Cast,
  type FlowContext,
  type Records,
} from "./flows";
import { GovLedger } from "../../src/sdk";
import { auditReport, writeReportFiles } from "../../src/audit";

/**
 * `npm run test:chain` (also run by CI): a fresh 3-node geth Clique chain in a temporary dir; deploys
 * the suite; runs every module's flow through the SDK, writing through one node and checking on
 * another; SIGKILLs validator 2 — the other two keep sealing and accept a write; restarts it — it
 * catches up and accepts a transaction sent through it; stops every node, restarts the chain from
 * disk and re-reads every module's records on every node; the audit report over the whole chain,
 * read through all three nodes, reconciles. Bounded in time; every process it started
 * is stopped, also on failure or a signal; exits non-zero with a one-line reason on any failure.
 */
const program = throwAwayChainCommand("npm run test:chain --", { rpc: 18645, p2p: 31403, authrpc: 18745 })
  .option("--timeout <seconds>", "bound on the whole run", wholeNumber, 1500)
  .option("--gas-price <wei>", "legacy gas price for every write (e.g. 0 on a zero-fee chain)", wholeNumber);

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const step = (what: string) => console.log(`[${elapsed().padStart(8)}] ${what}`);

/** Runs `work` as a named step, printing its duration. */
async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  step(`${name} …`);
  const result = await work();
  step(`${name}: ok in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

async function main(): Promise<void> {
  program.parse(process.argv);
  const o = program.opts<{
    rpcPort: number;
    p2pPort: number;
    authrpcPort: number;
    timeout: number;
    gasPrice?: number;
    keep: boolean;
  }>();
  const ledgerOptions: LedgerOptions = o.gasPrice === undefined ? {} : { gasPrice: BigInt(o.gasPrice) };
  await onThrowAwayChain("test:chain", o, { step, elapsed }, closeAll, async (run) => {
    const { dir, options } = run;
    const c = await timed(`fresh 3-node chain in ${dir}`, () => startChain({ ...options, fresh: true }));
    run.chain = c;
    const url = (i: number) => c.nodes[i].rpcUrl;
    step(`chain up: ${c.nodes.map((n) => n.rpcUrl).join(", ")}`);

    await timed("deploy the suite (npx hardhat deploy --network consortium)", () => deploySuite(url(0), dir));
    const deployment = loadDeployment("consortium", dir);
    step(`deployed ${Object.keys(deployment.contracts).length} contracts on chain ${deployment.chainId}`);

    const actors = cast();
    const ctx = (write: number, read: number): FlowContext => ({
      deployment,
      writeUrl: url(write),
      readUrl: url(read),
      cast: actors,
      log: (line) => console.log(line),
      options: ledgerOptions,
    });
    const rec: Records = {};
    rec.consortium = await timed("consortium: admit a member by council decision (write 0, read 1)", () =>
      consortiumFlow(ctx(0, 1)),
    );
    rec.identity = await timed("identity: register DIDs (write 0, read 2)", () => identityFlow(ctx(0, 2)));
    rec.evidence = await timed("evidence: notarize and verify (write 1, read 0)", () => evidenceFlow(ctx(1, 0)));
    const identity = rec.identity;
    rec.achievement = await timed("achievement: a patent co-owned 70/30, a use right granted (write 0, read 1)", () =>
      achievementFlow(ctx(0, 1), identity),
    );
    const achievement = rec.achievement;
    rec.trade = await timed("trade: a fixed-price licence bought, paid and withdrawn (write 0, read 2)", () =>
      tradeFlow(ctx(0, 2), identity, achievement),
    );

    await timed("SIGKILL validator 2; a write through node 0, read on node 1", async () => {
      await c.killNode(2, "SIGKILL");
      const atKill = (await c.heads([0, 1]))[0].number;
      const digest = digestBytes("test:chain: notarized while node 2 is down", DigestAlgorithm.SHA256);
      const landed = await notarize(deployment, url(0), actors, digest, ledgerOptions);
      const sealing = await c.waitForSameHead({ nodes: [0, 1], minHeight: Math.max(atKill + 3, landed) });
      await expectNotarized(deployment, url(1), digest);
      rec.evidence!.digests.push(digest);
      step(`  nodes 0 and 1 kept sealing #${atKill} -> #${sealing.number}; the write landed in block ${landed}`);
    });

    await timed("restart node 2; it catches up and takes a transaction sent through it", async () => {
      const before = (await c.heads([0, 1]))[0].number;
      await c.restartNode(2);
      const caughtUp = await c.waitForSameHead({ nodes: [0, 1, 2], minHeight: before + 1 });
      step(`  all three at #${caughtUp.number} ${caughtUp.hash.slice(0, 12)}…`);
      const digest = digestBytes("test:chain: sent through the restarted node 2", DigestAlgorithm.SHA256);
      const landed = await notarize(deployment, url(2), actors, digest, ledgerOptions);
      await reach(url(0), landed);
      await expectNotarized(deployment, url(0), digest);
      rec.evidence!.digests.push(digest);
      step(`  a write through node 2 landed in block ${landed}; node 0 reads it`);
    });

    await timed("stop every node; restart the whole chain from disk; re-read every record on every node", async () => {
      const before = (await c.heads())[0].number;
      await run.stopAll();
      const again = await startChain({ ...options, fresh: false });
      run.chain = again;
      const after = await again.waitForSameHead({ minHeight: before + 1 });
      step(`  restarted from disk: sealing again at #${after.number} (was #${before})`);
      for (const i of [0, 1, 2]) {
        for (const line of await checkRecords(deployment, again.nodes[i].rpcUrl, rec)) step(`  node ${i}: ${line}`);
      }
    });
    await timed("audit report over the whole chain, read through every node (failover): it reconciles", async () => {
      const urls = c.nodes.map((n) => n.rpcUrl).join(",");
      const auditor = await reader(deployment, urls);
      const report = await auditReport(auditor, { from: 0, to: "latest", pageSize: 200 });
      if (!report.reconciled) {
        const why = report.mismatches.map((m) => `${m.where}: ${m.what} ${m.difference.display}`).join("; ");
        throw new ChainError(`the audit report does not reconcile: ${why}`);
      }
      const documents = rec.evidence!.digests.length;
      if (report.evidence.documents !== documents || report.market.deals !== 1) {
        throw new ChainError(
          `the audit report counts ${report.evidence.documents} documents and ${report.market.deals} deals, expected ${documents} and 1`,
        );
      }
      const files = writeReportFiles(report, path.join(dir, "audit"));
      step(
        `  blocks 0-${report.range.to} in ${report.range.pages} pages: ${report.events.total} events, ${documents} documents, 1 deal; the ledger reconciles (${Object.values(files).length} files)`,
      );
    });
  });
}

/** The IP Office notarizes `digest` through `url`; the block it landed in. */
async function notarize(
  deployment: Deployment,
  url: string,
  actors: Cast,
  digest: string,
  options: LedgerOptions,
): Promise<number> {
  const ip = await GovLedger.connectRpc(url, deployment, actors.ipOffice.privateKey, options);
  try {
    const r = await bounded(
      `notarize through ${url}`,
      ip.evidence.notarize(digest, { algorithm: "sha256", category: 1, businessRef: id("test:chain") }).wait(),
    );
    return r.blockNumber;
  } finally {
    ip.close();
  }
}

async function expectNotarized(deployment: Deployment, url: string, digest: string): Promise<void> {
  const r = await reader(deployment, url);
  const v = await r.evidence.verify(digest);
  if (v.verdict !== "notarized") throw new ChainError(`${url}: ${digest} is ${v.verdict}, expected notarized`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    const [reason, ...rest] = message.split("\n");
    if (rest.length > 0) console.error(rest.join("\n"));
    console.error(`test:chain: FAILED after ${elapsed()}: ${reason}`);
    process.exit(1);
  },
);
