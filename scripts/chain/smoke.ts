import { throwAwayChainCommand, wholeNumber } from "./options";
import { JsonRpcProvider, Network, Wallet, id } from "ethers";
import { GovLedger, loadDeployment, type Deployment } from "../../src/sdk";
import { DigestAlgorithm, digestBytes } from "../../src/evidence/digest";
import { deploySuite } from "./deploy";
import { startChain, type Chain } from "./chain";
import { bounded } from "./flows";
import { onThrowAwayChain } from "./throwaway";
import { ChainError } from "./geth";
import { testAccounts } from "./genesis";

/**
 * `npm run chain:smoke`: a fresh 3-node chain in a temporary dir; deploys the suite; writes an identity
 * and an evidence record through the SDK on node 0 and reads them back on node 1; SIGKILLs node 2 and
 * checks the other two keep sealing and accept a write; restarts node 2 and checks it catches up;
 * stops everything, restarts the whole chain from disk and checks every record is still there.
 * Bounded in time; every process it started is stopped, also on failure.
 */
const program = throwAwayChainCommand("npm run chain:smoke --", { rpc: 18645, p2p: 31403, authrpc: 18745 }).option(
  "--timeout <seconds>",
  "bound on the whole run",
  wholeNumber,
  1200,
);

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const step = (what: string) => console.log(`[${elapsed().padStart(7)}] ${what}`);

async function main(): Promise<void> {
  program.parse(process.argv);
  const o = program.opts<{ rpcPort: number; p2pPort: number; authrpcPort: number; timeout: number; keep: boolean }>();
  const providers: JsonRpcProvider[] = [];
  const closeProviders = () => providers.splice(0).forEach((p) => p.destroy());
  await onThrowAwayChain("smoke", o, { step, elapsed }, closeProviders, async (run) => {
    const { dir, options } = run;
    step(`fresh 3-node chain in ${dir}`);
    let chain = (run.chain = await startChain({ ...options, fresh: true }));
    step(`chain up: ${chain.nodes.map((n) => n.rpcUrl).join(", ")}`);

    step("deploying the suite: npx hardhat deploy --network consortium");
    await deploySuite(chain.nodes[0].rpcUrl, dir);
    const deployment = loadDeployment("consortium", dir);
    step(`deployed ${Object.keys(deployment.contracts).length} contracts`);

    const connect = (url: string) => {
      const p = new JsonRpcProvider(url, deployment.chainId, {
        staticNetwork: Network.from(deployment.chainId),
        pollingInterval: 500,
        cacheTimeout: -1,
      });
      providers.push(p);
      return p;
    };
    const [, science, ipOffice] = testAccounts();
    const node0 = connect(chain.nodes[0].rpcUrl);
    const sci = await GovLedger.connect(new Wallet(science.privateKey, node0), deployment);
    const ip = await GovLedger.connect(new Wallet(ipOffice.privateKey, node0), deployment);
    const registered = await bounded(
      "register a DID",
      sci.identity
        .register({
          kind: "organisation",
          commitment: id("salted record of the IP Office"),
          keys: [{ account: ipOffice.address, purposes: 3 }],
        })
        .wait(),
    );
    step(`node 0: Science Dept registered the IP Office as ${registered.did}`);
    await bounded("enrol a notary", ip.evidence.enrolNotary(ipOffice.address).wait());
    const first = digestBytes("smoke: a contract notarized on node 0", DigestAlgorithm.SHA256);
    const notarized = await bounded(
      "notarize",
      ip.evidence.notarize(first, { algorithm: "sha256", category: 1, businessRef: id("smoke") }).wait(),
    );
    step(`node 0: IP Office notarized ${first.slice(0, 18)}… in block ${notarized.blockNumber}`);
    await chain.waitForSameHead({ minHeight: notarized.blockNumber });
    await expectRecords(chain, deployment, 1, connect, registered.did, [first]);

    step("SIGKILL node 2");
    await chain.killNode(2, "SIGKILL");
    const atKill = (await chain.heads([0, 1]))[0].number;
    const during = digestBytes("smoke: notarized while node 2 is down", DigestAlgorithm.SHA256);
    const node1 = connect(chain.nodes[1].rpcUrl);
    const ipOn1 = await GovLedger.connect(new Wallet(ipOffice.privateKey, node1), deployment);
    const landed = await bounded(
      "notarize with node 2 down",
      ipOn1.evidence.notarize(during, { algorithm: "sha256" }).wait(),
    );
    const sealing = await chain.waitForSameHead({ nodes: [0, 1], minHeight: Math.max(atKill + 5, landed.blockNumber) });
    step(
      `nodes 0 and 1 kept sealing: #${atKill} -> #${sealing.number}; a write via node 1 landed in block ${landed.blockNumber}`,
    );

    step("restart node 2 from its data dir");
    await chain.restartNode(2);
    const caughtUp = await chain.waitForSameHead({ nodes: [0, 1, 2], minHeight: sealing.number + 1 });
    step(`node 2 caught up: all three at #${caughtUp.number} ${caughtUp.hash.slice(0, 12)}…`);
    await expectRecords(chain, deployment, 2, connect, registered.did, [first, during]);

    step("stop every node; restart the whole chain from disk");
    const before = (await chain.heads())[0].number;
    await run.stopAll();
    chain = run.chain = await startChain({ ...options, fresh: false });
    const after = await chain.waitForSameHead({ minHeight: before + 1 });
    step(`restarted from disk: sealing again at #${after.number} (was #${before})`);
    for (const i of [0, 1, 2]) await expectRecords(chain, deployment, i, connect, registered.did, [first, during]);
  });
}

/** The DID and the digests, read through node `i`'s RPC. */
async function expectRecords(
  chain: Chain,
  deployment: Deployment,
  i: number,
  connect: (url: string) => JsonRpcProvider,
  did: string,
  digests: string[],
) {
  const reader = await GovLedger.connect(connect(chain.nodes[i].rpcUrl), deployment);
  const doc = await reader.identity.resolve(did);
  if (doc.status !== "Active") throw new ChainError(`node ${i}: ${did} is ${doc.status}, expected Active`);
  for (const d of digests) {
    const v = await reader.evidence.verify(d);
    if (v.verdict !== "notarized") throw new ChainError(`node ${i}: ${d} is ${v.verdict}, expected notarized`);
  }
  step(`node ${i} reads ${did} (Active) and ${digests.length} notarized digest(s)`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`smoke: FAILED after ${elapsed()}: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
