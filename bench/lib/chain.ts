import {
  getAddress,
  dataSlice,
  id,
  toQuantity,
  parseEther,
  type BaseContract,
  type Interface,
  type TransactionReceipt,
} from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadConsortium } from "../../src/deploy/consortium";
import type { BenchContext, ViewCall } from "./types";

/** A fresh, deterministic 32-byte digest for input `seq` of operation `what`. */
export function digestFor(what: string, seq: number): string {
  return id(`govledger-bench:${what}:${seq}`);
}

/** A fresh, deterministic address for input `seq` of operation `what` (never a Hardhat account). */
export function addressFor(what: string, seq: number): string {
  return getAddress(dataSlice(digestFor(what, seq), 12));
}

/**
 * A funded signer for a brand-new account. Identity registries key on the sender (an ethr-did
 * identity is its own owner until changed), so a fresh identity needs a fresh sender. Impersonation
 * sends through the node like Hardhat's own accounts, so timings stay comparable.
 */
export async function freshSigner(hre: HardhatRuntimeEnvironment, address: string): Promise<HardhatEthersSigner> {
  await hre.network.provider.send("hardhat_setBalance", [address, toQuantity(parseEther("10"))]);
  return hre.ethers.getImpersonatedSigner(address);
}

/** Argument `arg` of the first `event` that `iface` finds in `receipt` (e.g. the uid EAS assigned). */
export function eventArg(receipt: TransactionReceipt | null, iface: Interface, event: string, arg: string): unknown {
  for (const log of receipt?.logs ?? []) {
    const parsed = iface.parseLog(log);
    if (parsed?.name === event) return parsed.args.getValue(arg);
  }
  throw new Error(`no ${event} event in transaction ${receipt?.hash ?? "(no receipt)"}`);
}

/** Throws `message` unless `condition` holds: benchmarks verify that each measured call did its job. */
export function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`benchmark check failed: ${message}`);
}

/** View `fn` of `contract` with `args`, for a view row: its calldata and its eth_estimateGas. */
export async function viewCall(contract: BaseContract, fn: string, args: unknown[]): Promise<ViewCall> {
  const method = contract.getFunction(fn);
  const { data } = await method.populateTransaction(...args);
  return { data, estimateGas: () => method.estimateGas(...args) };
}

/** The Hardhat signer of the first account of the first member holding `role` in the local consortium file. */
export async function memberSigner(ctx: BenchContext, role: bigint, name: string): Promise<HardhatEthersSigner> {
  const member = loadConsortium().members.find((m) => m.roles.includes(role));
  if (!member) throw new Error(`the consortium file names no ${name}: bench needs the local consortium file`);
  const signers = await ctx.hre.ethers.getSigners();
  const signer = signers.find((s) => s.address === member.accounts[0]);
  if (!signer) throw new Error(`${name} ${member.accounts[0]} is not a Hardhat account`);
  return signer;
}
