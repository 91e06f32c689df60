import type { ContractTransactionResponse, TransactionReceipt } from "ethers";
import type { TypedContractMethod } from "../../typechain-types/common";
import { toGovLedgerError } from "./errors";

/** Where and how a write landed: block and transaction of the receipt. */
export interface Landed {
  blockNumber: number;
  transactionHash: string;
}

/** The block and transaction of `receipt`, which every decoded write result carries. */
export function landed(receipt: TransactionReceipt): Landed {
  return { blockNumber: receipt.blockNumber, transactionHash: receipt.hash };
}

/** A transaction that was sent; `wait()` gives the decoded domain result, never a raw receipt. */
export interface Submitted<T> {
  hash: string;
  wait(): Promise<T>;
}

type Invoke<R> = (...args: unknown[]) => Promise<R>;

/** A typechain contract method: callable, with estimateGas and staticCall. */
interface ContractMethod {
  estimateGas: unknown;
  staticCall: unknown;
}

/**
 * A prepared write call. Nothing is sent until {@link send} or {@link wait}; {@link estimateGas}
 * and {@link check} dry-run it, so a refusal surfaces as a decoded error before any gas is spent.
 */
export class Call<T> {
  private constructor(
    private readonly method: ContractMethod,
    private readonly args: unknown[],
    private readonly decode: (receipt: TransactionReceipt) => T,
  ) {}

  /** Prepares `method(...args)`; `decode` turns the receipt into the domain result. */
  static of<A extends unknown[], R, T>(
    method: TypedContractMethod<A, R, "nonpayable">,
    args: A,
    decode: (receipt: TransactionReceipt) => T,
  ): Call<T> {
    return new Call(method, args, decode);
  }

  /** Gas the call would use now. Throws the decoded contract error if it would revert. */
  async estimateGas(): Promise<bigint> {
    return guard(() => (this.method.estimateGas as Invoke<bigint>)(...this.args));
  }

  /** Dry-runs the call; throws the decoded contract error if it would revert. */
  async check(): Promise<void> {
    await guard(() => (this.method.staticCall as Invoke<unknown>)(...this.args));
  }

  /** Checks, then sends the transaction. */
  async send(): Promise<Submitted<T>> {
    await this.check();
    const tx = await guard(() => (this.method as unknown as Invoke<ContractTransactionResponse>)(...this.args));
    return {
      hash: tx.hash,
      wait: async () => {
        const receipt = await guard(() => tx.wait());
        if (!receipt) throw new Error(`transaction ${tx.hash} was dropped`);
        return this.decode(receipt);
      },
    };
  }

  /** Sends and waits: the decoded result of the mined transaction. */
  async wait(): Promise<T> {
    return (await this.send()).wait();
  }
}

async function guard<R>(fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (e) {
    throw toGovLedgerError(e);
  }
}
