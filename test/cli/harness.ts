import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { HDNodeWallet } from "ethers";
import { deployments, ethers, network } from "hardhat";
import type { HardhatNetworkHDAccountsConfig } from "hardhat/types";
import { runCli } from "../../src/cli/main";
import { syncClock } from "../helpers/consortium";

/**
 * The private key of Hardhat account #`index`, derived from the in-process network's mnemonic (so
 * the keys cannot drift from the accounts the consortium file names).
 */
function hardhatKey(index: number): string {
  const accounts = network.config.accounts as HardhatNetworkHDAccountsConfig;
  const wallet = HDNodeWallet.fromPhrase(accounts.mnemonic, accounts.passphrase, `${accounts.path}/${index}`);
  return wallet.privateKey;
}

/** #0 deployer, #1-#3 councillors, #4 guardian (config/consortium.local.json). */
export const KEYS = {
  deployer: hardhatKey(0),
  councillor1: hardhatKey(1),
  councillor2: hardhatKey(2),
  councillor3: hardhatKey(3),
  guardian: hardhatKey(4),
} as const;

export const NETWORK = "testnet";

export interface Run {
  code: number;
  stdout: string[];
  stderr: string[];
}

export interface RunOptions {
  /** The deployments root; the fixture's by default. */
  root?: string;
  /** Leave out the in-process provider, as the real binary runs. */
  noProvider?: boolean;
  /** Leave out `--network testnet --deployments <root>`. */
  bare?: boolean;
  /** More environment variables (e.g. GOVLEDGER_RELAYER_KEY). */
  env?: Record<string, string>;
}

/**
 * A deployments root like the one `hardhat deploy` leaves, for the suite the fixture deployed:
 * `deployments/<network>/.chainId` and a `{address, abi}` record per deployment.
 */
export async function writeDeploymentsRoot(network = NETWORK, chainId = "31337"): Promise<string> {
  const root = mkdtempSync(path.join(os.tmpdir(), "govledger-cli-"));
  process.once("exit", () => rmSync(root, { recursive: true, force: true }));
  const dir = path.join(root, "deployments", network);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, ".chainId"), chainId);
  for (const [name, d] of Object.entries(await deployments.all())) {
    writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ address: d.address, abi: d.abi }));
  }
  return root;
}

let fixtureRoot: string | undefined;

/** Reverts to the deployed consortium and returns the deployments root describing it. */
export async function consortium(): Promise<string> {
  await deployments.fixture();
  await syncClock();
  fixtureRoot ??= await writeDeploymentsRoot();
  return fixtureRoot;
}

/** Runs the CLI in-process against Hardhat's chain, signing with `key` when given. */
export async function govledger(args: string[], key?: string, options: RunOptions = {}): Promise<Run> {
  const run: Run = { code: -1, stdout: [], stderr: [] };
  const root = options.root ?? fixtureRoot;
  const prefix = options.bare ? [] : ["--network", NETWORK, "--deployments", root ?? "."];
  run.code = await runCli([...prefix, ...args], {
    stdout: (line) => run.stdout.push(...line.split("\n")),
    stderr: (line) => run.stderr.push(...line.split("\n")),
    env: { ...(key === undefined ? {} : { GOVLEDGER_PRIVATE_KEY: key }), ...options.env },
    cwd: root ?? os.tmpdir(),
    provider: options.noProvider ? undefined : () => ethers.provider,
  });
  return run;
}

/** Runs the CLI with `--json` and parses its one JSON document. */
export async function govledgerJson<T = Record<string, unknown>>(args: string[], key?: string): Promise<T> {
  const run = await govledger(["--json", ...args], key);
  expect(run.stderr, run.stderr.join("\n")).to.deep.equal([]);
  expect(run.code).to.equal(0);
  return JSON.parse(run.stdout.join("\n")) as T;
}

/** Runs a command that must succeed and returns its stdout as one text. */
export async function succeeds(args: string[], key?: string): Promise<string> {
  const run = await govledger(args, key);
  expect(run.stderr, run.stderr.join("\n")).to.deep.equal([]);
  expect(run.code).to.equal(0);
  return run.stdout.join("\n");
}

/** The chain height and the nonce of every well-known account. */
async function chainState(): Promise<{ block: number; nonces: number[] }> {
  const accounts = Object.values(KEYS).map((k) => new ethers.Wallet(k).address);
  return {
    block: await ethers.provider.getBlockNumber(),
    nonces: await Promise.all(accounts.map((a) => ethers.provider.getTransactionCount(a))),
  };
}

/**
 * Asserts that a run failed the CLI's way: exit code 1 (or `code`, for commands that document
 * another), exactly one stderr line `govledger: …` matching `problem`, nothing on stdout, and no
 * transaction sent (height and nonces unchanged).
 */
export async function refuses(run: () => Promise<Run>, problem: RegExp, code = 1): Promise<string> {
  const before = await chainState();
  const { code: exitCode, stdout, stderr } = await run();
  expect(stderr, "stderr").to.have.lengthOf(1);
  expect(stderr[0]).to.match(/^govledger: /);
  expect(stderr[0]).to.match(problem);
  expect(exitCode, "exit code").to.equal(code);
  expect(stdout, "stdout").to.deep.equal([]);
  expect(await chainState(), "chain state").to.deep.equal(before);
  return stderr[0];
}
