import "@nomicfoundation/hardhat-toolbox";
import "@openzeppelin/hardhat-upgrades";
import "hardhat-deploy";
import path from "path";
import { Wallet } from "ethers";
import { subtask, type HardhatUserConfig } from "hardhat/config";
import type { HttpNetworkUserConfig } from "hardhat/types";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, TASK_TEST_GET_TEST_FILES } from "hardhat/builtin-tasks/task-names";
import { env } from "./config/env";
import { remoteNetworks } from "./config/networks";

/** One exact compiler, from the npm `solc` package: Hardhat cannot download compilers offline. */
const SOLC_VERSION = "0.8.28";
const EVM_VERSION = env("GOVLEDGER_EVM_VERSION") ?? "london";
const HARDFORK = env("GOVLEDGER_HARDFORK") ?? "london";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version(),
  };
});

/**
 * Suites that need more than npm (Debian's Chromium), run by their own command (`npm run test:verifier`):
 * a bare `hardhat test`, as `npm test` runs it, leaves them out; naming the file runs it.
 */
const OWN_COMMAND_TESTS = ["test/verifier/browser.test.ts"];

subtask(TASK_TEST_GET_TEST_FILES, async (args: { testFiles: string[] }, hre, runSuper) => {
  const files = (await runSuper(args)) as string[];
  if (args.testFiles.length > 0) return files;
  const own = new Set(OWN_COMMAND_TESTS.map((file) => path.join(hre.config.paths.root, file)));
  return files.filter((file) => !own.has(file));
});

/** The remote deployer: a hex key or an encrypted keystore, both from .env. */
function remoteAccounts(): string[] {
  const key = env("GOVLEDGER_DEPLOYER_KEY");
  if (key) return [key];
  const keystore = env("GOVLEDGER_KEYSTORE");
  if (!keystore) return [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const json = require("fs").readFileSync(keystore, "utf8") as string;
  return [Wallet.fromEncryptedJsonSync(json, env("GOVLEDGER_KEYSTORE_PASSWORD") ?? "").privateKey];
}

/**
 * The local test chain of `npm run chain` prefunds Hardhat's well-known test accounts (#0 deploys):
 * public keys, right for that loopback chain only. GOVLEDGER_CONSORTIUM_DEPLOYER_KEY overrides them.
 */
function consortiumAccounts(): HttpNetworkUserConfig["accounts"] {
  const key = env("GOVLEDGER_CONSORTIUM_DEPLOYER_KEY");
  if (key) return [key];
  return { mnemonic: "test test test test test test test test test test test junk", count: 20 };
}

function httpNetworks(): Record<string, HttpNetworkUserConfig> {
  const out: Record<string, HttpNetworkUserConfig> = {};
  for (const [name, net] of Object.entries(remoteNetworks())) {
    if (!net.url) continue;
    out[name] = {
      url: net.url,
      chainId: net.chainId || undefined,
      ...(net.gasPrice === undefined ? {} : { gasPrice: net.gasPrice }),
      ...(name === "localhost" ? {} : { accounts: name === "consortium" ? consortiumAccounts() : remoteAccounts() }),
    };
  }
  return out;
}

const config: HardhatUserConfig = {
  solidity: {
    compilers: [
      { version: SOLC_VERSION, settings: { evmVersion: EVM_VERSION, optimizer: { enabled: true, runs: 200 } } },
    ],
    // The market's many flows fit the 24 KB limit only when compiled through the IR and optimised for size.
    overrides: {
      "contracts/trade/LicenceMarket.sol": {
        version: SOLC_VERSION,
        settings: { evmVersion: EVM_VERSION, viaIR: true, optimizer: { enabled: true, runs: 1 } },
      },
    },
  },
  // GOVLEDGER_DEPLOYMENTS_DIR keeps a throw-away chain's records apart (scripts/chain/smoke.ts).
  paths: { deployments: env("GOVLEDGER_DEPLOYMENTS_DIR") ?? "deployments" },
  networks: {
    hardhat: { hardfork: HARDFORK },
    ...httpNetworks(),
  },
  namedAccounts: { deployer: { default: 0 } },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  mocha: { timeout: 120_000, reporter: path.join(__dirname, "config/mocha-reporter.js") },
  gasReporter: { enabled: false },
};

export default config;
