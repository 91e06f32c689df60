import { spawn, spawnSync, type ChildProcess } from "child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import net from "net";
import os from "os";
import path from "path";
import { expect } from "chai";
import { JsonRpcProvider, Wallet, keccak256, toUtf8Bytes } from "ethers";
import { parseBundle } from "../../src/evidence/bundle";
import { parseJournal, type PlannedEntry } from "../../src/evidence/journal";
import { runCli } from "../../src/cli/main";
import { GovLedger, loadDeployment } from "../../src/sdk";
import { KEYS } from "../cli/harness";

/**
 * Bulk notarization against a real node, killed for real: a `hardhat node` child process, the suite
 * deployed to it with `hardhat deploy --network localhost`, and `bin/govledger.js` run as a child that
 * SIGKILLs itself at each crash point (GOVLEDGER_CRASH_AT) before it is re-run to the end. Afterwards
 * every file has a bundle that verifies on chain, each planned batch was anchored exactly once, and no
 * digest is in two roots.
 */

const REPO = path.resolve(__dirname, "..", "..");
const HARDHAT = require.resolve("hardhat/internal/cli/cli");
const BIN = path.join(REPO, "bin", "govledger.js");
const NOTARY = new Wallet(KEYS.councillor2).address;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The environment of a child: this process's, without GOVLEDGER_* variables, plus `vars`. */
function childEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([k]) => !k.startsWith("GOVLEDGER_"));
  return { ...Object.fromEntries(inherited), ...vars };
}

async function waitForRpc(url: string, node: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (node.exitCode !== null) throw new Error(`hardhat node exited with ${node.exitCode}: ${log()}`);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`hardhat node did not answer at ${url}: ${log()}`);
}

/** `count` distinct documents labelled `label` (two of them copied once more), in two folders. */
function writeDocuments(dir: string, label: string, count = 18): string[] {
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const relative = `${i % 2 === 0 ? "incoming" : "archive/2025"}/${label}-${i}.txt`;
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    writeFileSync(path.join(dir, relative), `${label} document ${i}`);
    files.push(relative);
  }
  for (const i of [1, 2]) {
    writeFileSync(path.join(dir, `${label}-${i}-copy.txt`), `${label} document ${i}`);
    files.push(`${label}-${i}-copy.txt`);
  }
  return files;
}

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

describe("evidence bulk notarization: killed and resumed (separate processes)", function () {
  // About 70 s in all: each CLI run starts ts-node (~4 s).
  this.timeout(120_000);

  let node: ChildProcess | undefined;
  let nodeLog: () => string;
  let url = "";
  let work: string;
  let root: string;
  let provider: JsonRpcProvider;
  let gov: GovLedger;
  /** Every scenario's documents folder, bundle folder and files. */
  const scenarios: { name: string; docs: string; out: string; files: string[] }[] = [];

  before(async function () {
    work = mkdtempSync(path.join(os.tmpdir(), "govledger-crash-"));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // The node logs every request: to a file, so that no pipe fills while spawnSync blocks this process.
    const logFile = path.join(work, "node.log");
    const log = openSync(logFile, "w");
    node = spawn(process.execPath, [HARDHAT, "node", "--port", String(port), "--no-deploy"], {
      cwd: REPO,
      env: childEnv({}),
      stdio: ["ignore", log, log],
    });
    closeSync(log);
    nodeLog = () => readFileSync(logFile, "utf8").slice(-4000);
    await waitForRpc(url, node, nodeLog);

    // Deploy the suite; the deployment is exported to a temporary root instead of deployments/ here.
    const exported = path.join(work, "export.json");
    const deploy = spawnSync(
      process.execPath,
      [HARDHAT, "deploy", "--network", "localhost", "--write", "false", "--export", exported],
      { cwd: REPO, env: childEnv({ GOVLEDGER_LOCALHOST_URL: url }), encoding: "utf8", timeout: 120_000 },
    );
    expect(deploy.status, deploy.stderr + deploy.stdout).to.equal(0);
    const { chainId, contracts } = JSON.parse(readFileSync(exported, "utf8")) as {
      chainId: string;
      contracts: Record<string, { address: string; abi: unknown }>;
    };
    root = path.join(work, "root");
    const dir = path.join(root, "deployments", "localhost");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, ".chainId"), chainId);
    for (const [name, c] of Object.entries(contracts)) {
      writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ address: c.address, abi: c.abi }));
    }

    // The IP Office (account #2, NOTARY role) gets an organisation DID from the registrar (#1) and is enrolled.
    provider = new JsonRpcProvider(url, 31337, { staticNetwork: true });
    const cli = async (args: string[], key: string) => {
      const out: string[] = [];
      const code = await runCli(["--network", "localhost", "--deployments", root, ...args], {
        stdout: (l) => out.push(l),
        stderr: (l) => out.push(l),
        env: { GOVLEDGER_PRIVATE_KEY: key },
        cwd: work,
        provider: () => provider,
      });
      expect(code, out.join("\n")).to.equal(0);
    };
    const commitment = keccak256(toUtf8Bytes("ip office"));
    await cli(
      ["identity", "register", "--kind", "organisation", "--commitment", commitment, "--key", NOTARY],
      KEYS.councillor1,
    );
    await cli(["evidence", "enrol", NOTARY], KEYS.deployer);
    gov = await GovLedger.connect(provider, loadDeployment("localhost", root));
  });

  after(async function () {
    provider?.destroy();
    if (node && node.exitCode === null) {
      const exited = new Promise((resolve) => node!.once("exit", resolve));
      node.kill("SIGTERM");
      const timer = setTimeout(() => node!.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Runs `govledger evidence notarize <docs> --out <out> --batch-size 7` as a child process. */
  function notarize(docs: string, out: string, vars: Record<string, string> = {}): Run {
    const args = ["--network", "localhost", "--deployments", root, "evidence", "notarize", docs, "--out", out];
    const run = spawnSync(process.execPath, [BIN, ...args, "--batch-size", "7"], {
      cwd: work,
      env: childEnv({ GOVLEDGER_PRIVATE_KEY: KEYS.councillor2, GOVLEDGER_LOCALHOST_URL: url, ...vars }),
      encoding: "utf8",
      timeout: 60_000,
    });
    return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
  }

  function scenario(name: string): { docs: string; out: string; files: string[] } {
    const docs = path.join(work, name, "docs");
    const out = path.join(work, name, "proofs");
    const s = { name, docs, out, files: writeDocuments(docs, name) };
    scenarios.push(s);
    return s;
  }

  /** Re-runs without the crash hook: the first re-run must finish the job. */
  function finish(docs: string, out: string): Run {
    const run = notarize(docs, out);
    expect(run.stderr, run.stderr).to.equal("");
    expect(run.status).to.equal(0);
    return run;
  }

  for (const point of ["after-hash:3", "after-plan", "after-send", "after-anchor", "mid-bundles:2"]) {
    it(`finishes after being killed ${point}`, function () {
      const { docs, out } = scenario(point.replace(":", "-"));
      const killed = notarize(docs, out, { GOVLEDGER_CRASH_AT: point });
      expect(killed.signal, `${killed.status} ${killed.stderr}`).to.equal("SIGKILL");
      const done = finish(docs, out);
      expect(done.stdout).to.match(/^notarized 20 files \(18 documents, 2 duplicates, .*\) in 3 batches$/m);
      if (point === "after-send")
        expect(done.stdout, done.stdout).to.match(/found on chain \(sent by an interrupted run\)/);
    });
  }

  it("stops with exit 1 when the node cannot be reached, and finishes when it can", async function () {
    const { docs, out } = scenario("unreachable");
    const closed = `http://127.0.0.1:${await freePort()}`;
    const stopped = notarize(docs, out, { GOVLEDGER_LOCALHOST_URL: closed });
    expect(stopped.status, stopped.stderr).to.equal(1);
    expect(stopped.stdout).to.equal("");
    expect(stopped.stderr).to.match(
      /^govledger: cannot reach the "localhost" node at http:\/\/127\.0\.0\.1:\d+ .*, after hashing 20 files: nothing is lost, the progress is journaled in ".*"; re-run the same command to finish\n$/,
    );
    const journal = parseJournal(readFileSync(path.join(out, ".journal.jsonl"), "utf8"));
    expect(journal.entries.filter((e) => e.type === "hashed")).to.have.lengthOf(20);
    expect(journal.entries.filter((e) => e.type === "planned")).to.have.lengthOf(0);
    const done = finish(docs, out);
    expect(done.stdout, done.stdout).to.match(/^skipped\s+20 files hashed before, 0 batches anchored before$/m);
  });

  it("left every file a bundle that verifies on chain, each batch anchored once, no digest in two roots", async function () {
    expect(scenarios).to.have.lengthOf(6);
    const registry = gov.evidence.registry;
    const events = await registry.queryFilter(registry.filters.RootAnchored(), 0, "latest");
    const anchoredRoots = events.map((e) => e.args.root.toLowerCase());
    const planned: PlannedEntry[] = [];
    for (const s of scenarios) {
      const journal = parseJournal(readFileSync(path.join(s.out, ".journal.jsonl"), "utf8"));
      const batches = journal.entries.filter((e): e is PlannedEntry => e.type === "planned");
      expect(
        batches.map((b) => b.digests.length),
        s.name,
      ).to.deep.equal([7, 7, 4]);
      planned.push(...batches);
      await Promise.all(
        s.files.map(async (relative) => {
          const bundle = parseBundle(readFileSync(path.join(s.out, `${relative}.proof.json`), "utf8"));
          const verdict = await gov.evidence.verifyProof(bundle, path.join(s.docs, relative));
          expect(verdict.problems, `${s.name}/${relative}`).to.deep.equal([]);
          expect(verdict.valid).to.equal(true);
        }),
      );
      // No temporary bundle and no lock was left behind by a kill.
      const leftovers = readdirSync(s.out, { recursive: true }).filter((f) => /\.(tmp|lock)$/.test(String(f)));
      expect(leftovers, s.name).to.deep.equal([]);
    }
    // Each planned batch was anchored exactly once, and nothing else was.
    expect(anchoredRoots).to.have.lengthOf(planned.length);
    expect(new Set(anchoredRoots).size).to.equal(planned.length);
    expect([...anchoredRoots].sort()).to.deep.equal(planned.map((b) => b.root).sort());
    // No digest is in two anchored roots.
    const digests = planned.flatMap((b) => b.digests);
    expect(new Set(digests).size).to.equal(digests.length);
    expect(digests).to.have.lengthOf(6 * 18);
  });
});
