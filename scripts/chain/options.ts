import { Command, InvalidArgumentError } from "commander";

/** A commander parser for a whole number (ports, counts, seconds). */
export function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number");
  return Number(value);
}

/** A commander parser for a whole number ≥ 1. */
export function countOf(value: string): number {
  const n = wholeNumber(value);
  if (n === 0) throw new InvalidArgumentError("expected a whole number ≥ 1");
  return n;
}

/**
 * The options of a script that starts a throw-away chain of its own in a temp dir: node 0's ports
 * (apart from `npm run chain`'s, so both can run at once) and whether to keep the dir.
 */
export function throwAwayChainCommand(name: string, ports: { rpc: number; p2p: number; authrpc: number }): Command {
  return new Command(name)
    .option("--rpc-port <port>", "RPC port of node 0 (apart from `npm run chain`'s 8645)", wholeNumber, ports.rpc)
    .option("--p2p-port <port>", "P2P port of node 0", wholeNumber, ports.p2p)
    .option("--authrpc-port <port>", "engine-API port of node 0", wholeNumber, ports.authrpc)
    .option("--keep", "keep the temporary dir (chain data, logs, deployment records)", false);
}
