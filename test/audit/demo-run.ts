import { deployments, ethers } from "hardhat";
import { deploymentFromRecords, type Deployment } from "../../src/sdk";

/** What the demo left on the in-process chain. */
export interface DemoChain {
  deployment: Deployment;
  /** The chain's head when the demo finished. */
  head: number;
  /** What the demo printed, line by line. */
  lines: string[];
}

let run: Promise<DemoChain> | undefined;

/**
 * Runs scripts/demo.ts (`npm run demo`) once, in this process, on Hardhat's in-process chain, so the
 * chain it leaves can be audited afterwards (`hardhat run` would throw the chain away). The script
 * starts itself when loaded and says it is done by printing "Report written to"; its narrative is
 * captured instead of printed.
 */
export function demoChain(): Promise<DemoChain> {
  run ??= runDemo();
  return run;
}

async function runDemo(): Promise<DemoChain> {
  const lines: string[] = [];
  const [log, error] = [console.log, console.error];
  try {
    await new Promise<void>((resolve, reject) => {
      console.log = (...parts: unknown[]) => {
        const line = parts.map(String).join(" ");
        lines.push(line);
        if (line.includes("Report written to")) resolve();
      };
      console.error = (...parts: unknown[]) => reject(new Error(`the demo failed: ${parts.map(String).join(" ")}`));
      require("../../scripts/demo");
    });
  } finally {
    [console.log, console.error] = [log, error];
  }
  const { chainId } = await ethers.provider.getNetwork();
  const deployment = deploymentFromRecords("hardhat", chainId, await deployments.all());
  return { deployment, head: await ethers.provider.getBlockNumber(), lines };
}

/**
 * The names the demo's narrative gives the DIDs it registers ("registered Greenvolt Battery Co. as
 * did:govledger:31337:5"): an auditor's off-chain list, for DIDs that are not members'.
 */
export function demoNames(demo: DemoChain): Map<bigint, string> {
  const names = new Map<bigint, string>();
  for (const line of demo.lines) {
    const hit = /registered (.+?) as did:govledger:\d+:(\d+)$/.exec(line);
    if (hit) names.set(BigInt(hit[2]), hit[1]);
  }
  return names;
}
