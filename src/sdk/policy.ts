import { AsyncLocalStorage } from "node:async_hooks";
import {
  AbstractSigner,
  type ContractRunner,
  type Provider,
  type Signer,
  type TransactionLike,
  type TransactionRequest,
  type TransactionResponse,
  type TypedDataDomain,
  type TypedDataField,
} from "ethers";

/**
 * How the SDK sends every write of one {@link GovLedger}, whatever signer it is given.
 * `GovLedger.connect(signer, deployment, { gasPrice: 0n })` makes a zero-gas chain work.
 */
export interface LedgerOptions {
  /**
   * Send every write as a legacy (type 0) transaction at this gas price, in wei: `0n` for chains with
   * free gas and accounts without native balance (Besu/FISCO/Clique consortium chains), a small fixed
   * price for near-zero-fee chains. Undefined lets the node's fee data decide (EIP-1559).
   */
  gasPrice?: bigint | number;
  /**
   * How long `Submitted.wait()` waits for a receipt before it throws a {@link TransactionInDoubtError}
   * (the transaction may still land; nothing is re-sent). 120 s by default; 0 waits forever.
   */
  receiptTimeoutMs?: number;
}

/** A signer that applies {@link LedgerOptions} to every transaction it sends; everything else is delegated. */
export class LedgerSigner extends AbstractSigner {
  constructor(
    readonly signer: Signer,
    readonly options: LedgerOptions,
  ) {
    super(signer.provider);
  }

  connect(provider: Provider | null): LedgerSigner {
    return new LedgerSigner(this.signer.connect(provider), this.options);
  }

  getAddress(): Promise<string> {
    return this.signer.getAddress();
  }

  override getNonce(blockTag?: "latest" | "pending"): Promise<number> {
    return this.signer.getNonce(blockTag);
  }

  override populateCall(tx: TransactionRequest): Promise<TransactionLike<string>> {
    return this.signer.populateCall(tx);
  }

  override populateTransaction(tx: TransactionRequest): Promise<TransactionLike<string>> {
    return this.signer.populateTransaction(this.priced(tx));
  }

  override estimateGas(tx: TransactionRequest): Promise<bigint> {
    return this.signer.estimateGas(tx);
  }

  override call(tx: TransactionRequest): Promise<string> {
    return this.signer.call(tx);
  }

  override resolveName(name: string): Promise<string | null> {
    return this.signer.resolveName(name);
  }

  signTransaction(tx: TransactionRequest): Promise<string> {
    return this.signer.signTransaction(this.priced(tx));
  }

  override async sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    const scope = sendScope.getStore();
    if (scope) scope.options = this.options;
    return this.signer.sendTransaction(this.priced(tx));
  }

  signMessage(message: string | Uint8Array): Promise<string> {
    return this.signer.signMessage(message);
  }

  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string> {
    return this.signer.signTypedData(domain, types, value);
  }

  /** `tx` at the fixed gas price, as a legacy transaction, unless it names its own fees. */
  private priced(tx: TransactionRequest): TransactionRequest {
    const { gasPrice } = this.options;
    if (gasPrice === undefined || tx.gasPrice != null || tx.maxFeePerGas != null || tx.maxPriorityFeePerGas != null) {
      return tx;
    }
    return { ...tx, type: 0, gasPrice: BigInt(gasPrice) };
  }
}

/** Whether `runner` can send transactions (a signer rather than a bare provider). */
export function isSigner(runner: ContractRunner | null | undefined): runner is Signer {
  const r = runner as Partial<Signer> | null | undefined;
  return typeof r?.sendTransaction === "function" && typeof r.getAddress === "function";
}

/**
 * The runner of a read-only ledger with {@link LedgerOptions}: reads through the provider, and
 * carries the options to the relayers that pay for the ledger's relayed writes.
 */
export class OptionsRunner implements ContractRunner {
  constructor(
    readonly provider: Provider,
    readonly options: LedgerOptions,
  ) {}

  call(tx: TransactionRequest): Promise<string> {
    return this.provider.call(tx);
  }

  estimateGas(tx: TransactionRequest): Promise<bigint> {
    return this.provider.estimateGas(tx);
  }

  resolveName(name: string): Promise<string | null> {
    return this.provider.resolveName(name);
  }
}

/** `runner` with `options` applied: a signer wrapped in a {@link LedgerSigner}, a provider in an {@link OptionsRunner}. */
export function withOptions(runner: ContractRunner, options: LedgerOptions | undefined): ContractRunner {
  if (!options || (options.gasPrice === undefined && options.receiptTimeoutMs === undefined)) return runner;
  checkOptions(options);
  if (runner instanceof LedgerSigner) return new LedgerSigner(runner.signer, { ...runner.options, ...options });
  if (isSigner(runner)) return new LedgerSigner(runner, options);
  const provider = runner.provider ?? (runner as Provider);
  return new OptionsRunner(provider, options);
}

/** The ledger options that apply to writes made through `runner`, if any. */
export function optionsOf(runner: ContractRunner | null | undefined): LedgerOptions | undefined {
  if (runner instanceof LedgerSigner || runner instanceof OptionsRunner) return runner.options;
  return undefined;
}

/** `signer` with the options of `ledgerRunner` (a relayer paying for a ledger's relayed writes). */
export function sameOptions(signer: Signer, ledgerRunner: ContractRunner | null | undefined): Signer {
  const options = optionsOf(ledgerRunner);
  if (!options || signer instanceof LedgerSigner) return signer;
  return new LedgerSigner(signer, options);
}

function checkOptions(options: LedgerOptions): void {
  const { gasPrice, receiptTimeoutMs } = options;
  if (gasPrice !== undefined && (typeof gasPrice === "number" ? !Number.isSafeInteger(gasPrice) : false)) {
    throw new Error(`gasPrice ${gasPrice} is not a whole number of wei`);
  }
  if (gasPrice !== undefined && BigInt(gasPrice) < 0n) throw new Error(`gasPrice ${gasPrice} is negative`);
  if (receiptTimeoutMs !== undefined && !(Number.isFinite(receiptTimeoutMs) && receiptTimeoutMs >= 0)) {
    throw new Error(`receiptTimeoutMs ${receiptTimeoutMs} is not a number of milliseconds ≥ 0`);
  }
}

/**
 * What the signer of one {@link Call.send} contributed: a {@link LedgerSigner} deep inside a contract
 * method (direct, relayed or deferred) records its options here, so the call waits as its ledger says.
 */
export interface SendScope {
  options?: LedgerOptions;
}

export const sendScope = new AsyncLocalStorage<SendScope>();
