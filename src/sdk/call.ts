import type { ContractTransaction, ContractTransactionResponse, TransactionReceipt } from "ethers";
import type { TypedContractMethod } from "../../typechain-types/common";
import { GovLedgerError, toGovLedgerError } from "./errors";
import { sendScope, type SendScope } from "./policy";
import {
  DEFAULT_RECEIPT_TIMEOUT_MS,
  sentOf,
  waitForReceipt,
  type SentTransaction,
  type WaitOptions,
} from "./transactions";

/** Where and how a write landed: block and transaction of the receipt. */
export interface Landed {
  blockNumber: number;
  transactionHash: string;
}

/** The block and transaction of `receipt`, which every decoded write result carries. */
export function landed(receipt: TransactionReceipt): Landed {
  return { blockNumber: receipt.blockNumber, transactionHash: receipt.hash };
}

/**
 * A transaction that was sent; `wait()` gives the decoded domain result, never a raw receipt. It
 * waits at most the receipt timeout (the ledger's, else 120 s), then throws a
 * {@link TransactionInDoubtError}: the transaction may still land and is never sent again by itself.
 */
export interface Submitted<T> {
  hash: string;
  /** Hash, sender, nonce and signed bytes: what `gl.transactions.status` / `resumeOrResend` take. */
  sent: SentTransaction;
  wait(options?: WaitOptions): Promise<T>;
}

type Invoke<R> = (...args: unknown[]) => Promise<R>;

/** A typechain contract method: callable, with estimateGas and staticCall. */
interface ContractMethod {
  estimateGas: unknown;
  staticCall: unknown;
  populateTransaction: unknown;
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

  /**
   * The unsigned transaction (`to`, `data`) without sending anything: to sign it elsewhere (an
   * offline signer, a multisig), or to pre-sign many with explicit nonces (bench/chain-throughput.ts).
   */
  async populate(): Promise<ContractTransaction> {
    return (this.method.populateTransaction as Invoke<ContractTransaction>)(...this.args);
  }

  /** Dry-runs the call; throws the decoded contract error if it would revert. */
  async check(): Promise<void> {
    await guard(() => (this.method.staticCall as Invoke<unknown>)(...this.args));
  }

  /**
   * Checks, then sends the transaction. `options.timeoutMs` is how long its `wait()` waits for the
   * receipt (default: the ledger's `receiptTimeoutMs`, else 120 s; 0 waits forever).
   */
  async send(options: WaitOptions = {}): Promise<Submitted<T>> {
    await this.check();
    const scope: SendScope = {};
    const invoke = this.method as unknown as Invoke<ContractTransactionResponse>;
    const tx = await sendScope.run(scope, () => guard(() => invoke(...this.args)));
    const sent = sentOf(tx);
    const timeoutMs = options.timeoutMs ?? scope.options?.receiptTimeoutMs ?? DEFAULT_RECEIPT_TIMEOUT_MS;
    return {
      hash: tx.hash,
      sent,
      wait: async (o: WaitOptions = {}) => {
        const receipt = await guard(() => waitForReceipt(tx.provider, sent, o.timeoutMs ?? timeoutMs));
        if (receipt.status === 0) throw await whyReverted(tx, receipt);
        return this.decode(receipt);
      },
    };
  }

  /** Sends and waits: the decoded result of the mined transaction. */
  async wait(options: WaitOptions = {}): Promise<T> {
    return (await this.send(options)).wait();
  }

  /**
   * The decoded result of a receipt of this call — e.g. the one `gl.transactions.resumeOrResend`
   * found for a transaction whose wait timed out. Throws if the transaction reverted.
   */
  resultOf(receipt: TransactionReceipt): T {
    if (receipt.status === 0) {
      throw new Error(
        `transaction ${receipt.hash} reverted in block ${receipt.blockNumber}: dry-run the call (check()) to see why it fails now`,
      );
    }
    return this.decode(receipt);
  }
}

/**
 * The error of a transaction that passed its dry run but reverted once mined (the state changed in
 * between, e.g. two approvals of one proposal in one block): its call is replayed on the state its
 * block left, which in all but a rare race reverts with the contract's own error, decoded.
 */
async function whyReverted(tx: ContractTransactionResponse, receipt: TransactionReceipt): Promise<Error> {
  const where = `transaction ${receipt.hash} reverted in block ${receipt.blockNumber}`;
  try {
    await tx.provider.call({ from: tx.from, to: tx.to, data: tx.data, blockTag: receipt.blockNumber });
  } catch (e) {
    const decoded = toGovLedgerError(e);
    if (decoded instanceof GovLedgerError) {
      const { errorName, args, message, fix } = decoded;
      return new GovLedgerError(errorName, args, `${message} (${where}; its dry run had passed)`, fix, e);
    }
  }
  return new Error(
    `${where} though its dry run had passed, and a replay on that block's state passes: a transaction before it in the block changed what it relied on; check the state and call again`,
  );
}

async function guard<R>(fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (e) {
    throw toGovLedgerError(e);
  }
}

type Method = Invoke<unknown> & {
  staticCall: Invoke<unknown>;
  estimateGas: Invoke<unknown>;
  populateTransaction: Invoke<unknown>;
};

/**
 * A contract method and its arguments, both found (once, reading the chain) when the call is first
 * checked, estimated or sent, shaped like a typechain method for {@link Call}: a check that needs the
 * chain refuses before anything is sent.
 */
export function lazyMethod(find: () => Promise<[unknown, unknown[]]>): unknown {
  let found: Promise<[unknown, unknown[]]> | undefined;
  const on = async <R>(use: (method: Method, args: unknown[]) => Promise<R>) => {
    const [method, args] = await (found ??= find());
    return use(method as Method, args);
  };
  return Object.assign(async () => on((m, a) => m(...a)), {
    staticCall: async () => on((m, a) => m.staticCall(...a)),
    estimateGas: async () => on((m, a) => m.estimateGas(...a)),
    populateTransaction: async () => on((m, a) => m.populateTransaction(...a)),
  });
}
