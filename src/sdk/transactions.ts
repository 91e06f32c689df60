import {
  Transaction,
  getAddress,
  isError,
  isHexString,
  type Provider,
  type TransactionReceipt,
  type TransactionResponse,
} from "ethers";

/** How long a write waits for its receipt unless told otherwise. */
export const DEFAULT_RECEIPT_TIMEOUT_MS = 120_000;

/**
 * What identifies a transaction that was sent: its hash, sender and nonce, and its signed bytes when
 * known (`raw`), from which the very same transaction can be re-sent. Keep it (e.g. in a journal)
 * to check or finish a write after a timeout or a crash.
 */
export interface SentTransaction {
  hash?: string;
  from?: string;
  nonce?: number;
  /** The signed transaction (0x…): re-sending it can never make a second, different transaction. */
  raw?: string;
}

export interface WaitOptions {
  /** Milliseconds to wait for the receipt; 0 waits forever. Default: the ledger's, else 120 s. */
  timeoutMs?: number;
}

/**
 * A write whose outcome is not known: sent (or possibly sent) but without a receipt yet. It may
 * still land, so it must not be sent again blindly: check it with {@link TransactionsClient.status}
 * and finish it with {@link TransactionsClient.resumeOrResend}, which re-sends only the same signed
 * transaction and only when its nonce is unused and no node knows it.
 */
export class TransactionInDoubtError extends Error {
  constructor(
    /** Hash, sender, nonce and signed bytes: what {@link TransactionsClient} needs. */
    readonly sent: SentTransaction,
    /** `receipt-timeout`: sent, no receipt in time; `send-unconfirmed`: the node may or may not have it. */
    readonly reason: "receipt-timeout" | "send-unconfirmed",
    message: string,
    readonly fix: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = "TransactionInDoubtError";
  }

  get hash(): string | undefined {
    return this.sent.hash;
  }
}

/** A transaction whose nonce was taken by another one: it can never land; nothing was re-sent. */
export class TransactionReplacedError extends Error {
  constructor(
    readonly status: TransactionStatus,
    message: string,
  ) {
    super(message);
    this.name = "TransactionReplacedError";
  }
}

/** Where a transaction stands, as the node answering sees it. */
export type TransactionState =
  /** It has a receipt (`reverted` says whether it failed). */
  | "mined"
  /** The node has it in its pool, not yet in a block (or, given only sender and nonce, some transaction with that nonce is). */
  | "pending"
  /** The node does not know it and its nonce is unused: it was dropped (or never arrived); the same signed transaction may be re-sent. */
  | "dropped"
  /** No receipt, and its nonce is used by another transaction (mined or pending): it will never land. */
  | "replaced"
  /** Given only sender and nonce: a mined transaction used that nonce (give the hash to know whether it was yours). */
  | "used"
  /** Given only a hash the node does not know: dropped or replaced cannot be told apart without sender and nonce. */
  | "unknown";

export interface TransactionStatus {
  state: TransactionState;
  hash?: string;
  from?: string;
  nonce?: number;
  /** When mined. */
  receipt?: TransactionReceipt;
  /** When mined: whether it reverted. */
  reverted?: boolean;
  /** The sender's count of mined transactions (its next nonce on chain), when it was asked. */
  confirmedNonce?: number;
  /** The sender's next nonce counting its pending transactions, when it was asked. */
  pendingNonce?: number;
  /** What the state means and what to do, in one sentence. */
  says: string;
}

/** What {@link TransactionsClient.resumeOrResend} did: nothing, waited, or re-sent the same signed transaction. */
export interface Resumed {
  outcome: "mined" | "waited" | "resent";
  hash: string;
  receipt: TransactionReceipt;
}

/**
 * Checks and finishes writes whose outcome is in doubt (`gl.transactions`). Nothing here signs a new
 * transaction: the only thing ever re-sent is the same signed transaction, after its receipt, the
 * node's pool and its sender's nonce have been checked.
 */
export class TransactionsClient {
  constructor(
    readonly provider: Provider,
    private readonly defaults: { receiptTimeoutMs?: number; pollMs?: number } = {},
  ) {}

  /**
   * Where `ref` stands: a hash, or what {@link Submitted.sent} / {@link TransactionInDoubtError.sent}
   * hold (hash, sender, nonce, signed bytes), or just a sender and nonce.
   */
  async status(ref: string | SentTransaction): Promise<TransactionStatus> {
    const sent = normalise(ref);
    const { hash } = sent;
    if (hash) {
      const receipt = await this.provider.getTransactionReceipt(hash);
      if (receipt) return mined(sent, receipt);
      const known = await this.provider.getTransaction(hash);
      if (known) {
        sent.from ??= known.from;
        sent.nonce ??= known.nonce;
        if (known.blockNumber == null) {
          return { state: "pending", ...ids(sent), says: `${hash} is waiting in the node's pool: wait for it` };
        }
        const late = await this.provider.getTransactionReceipt(hash);
        if (late) return mined(sent, late);
        return {
          state: "pending",
          ...ids(sent),
          says: `${hash} is in block ${known.blockNumber}; its receipt is not ready`,
        };
      }
    }
    if (sent.from === undefined || sent.nonce === undefined) {
      return {
        state: "unknown",
        ...ids(sent),
        says: `the node does not know ${hash}: give its sender and nonce (or its signed bytes) to tell a dropped transaction from a replaced one`,
      };
    }
    const [confirmedNonce, pendingNonce] = await Promise.all([
      this.provider.getTransactionCount(sent.from, "latest"),
      this.provider.getTransactionCount(sent.from, "pending"),
    ]);
    const counts = { confirmedNonce, pendingNonce };
    const who = `nonce ${sent.nonce} of ${sent.from}`;
    if (hash && sent.nonce < pendingNonce) {
      // Mined between the first look and the nonce count?
      const late = await this.provider.getTransactionReceipt(hash);
      if (late) return { ...mined(sent, late), ...counts };
      const where = sent.nonce < confirmedNonce ? "a mined" : "a pending";
      return {
        state: "replaced",
        ...ids(sent),
        ...counts,
        says: `${who} is used by ${where} transaction other than ${hash}: it will never land; check whether the change it made is on chain before doing it again`,
      };
    }
    if (!hash && sent.nonce < confirmedNonce) {
      return { state: "used", ...ids(sent), ...counts, says: `${who} is used by a mined transaction` };
    }
    if (!hash && sent.nonce < pendingNonce) {
      return { state: "pending", ...ids(sent), ...counts, says: `a transaction with ${who} is waiting in the pool` };
    }
    return {
      state: "dropped",
      ...ids(sent),
      ...counts,
      says: `${who} is unused and the node does not know ${hash ?? "the transaction"}: it was dropped or never arrived; the same signed transaction may be re-sent`,
    };
  }

  /**
   * Finishes `ref` without ever making a second transaction: a mined one's receipt is returned and
   * nothing is sent; a pending one is waited for; a dropped one (nonce unused, unknown to the node)
   * is re-sent as the same signed bytes — which cannot land twice, since it has the same nonce — and
   * waited for. A replaced one throws {@link TransactionReplacedError}; one that cannot be checked
   * or re-sent throws, with nothing sent. Waiting past the timeout throws {@link TransactionInDoubtError}.
   */
  async resumeOrResend(ref: string | SentTransaction, options: WaitOptions = {}): Promise<Resumed> {
    const sent = normalise(ref);
    const status = await this.status(sent);
    switch (status.state) {
      case "mined":
        return { outcome: "mined", hash: status.hash!, receipt: status.receipt! };
      case "pending":
        if (!status.hash) break;
        return { outcome: "waited", hash: status.hash, receipt: await this.waitFor(sent, options) };
      case "dropped": {
        if (!sent.raw) {
          throw new Error(
            `${status.says}, but its signed bytes are not known: nothing was re-sent; give them (the error's or Submitted's \`sent.raw\`), or make the call again (it signs a new transaction)`,
          );
        }
        await this.rebroadcast(sent);
        return { outcome: "resent", hash: sent.hash!, receipt: await this.waitFor(sent, options) };
      }
      case "replaced":
        throw new TransactionReplacedError(status, `${status.says}; nothing was re-sent`);
    }
    throw new Error(`${status.says}; nothing was re-sent`);
  }

  /** Re-sends the same signed bytes; "already known" or "nonce too low" is settled by looking again. */
  private async rebroadcast(sent: SentTransaction): Promise<void> {
    try {
      await this.provider.broadcastTransaction(sent.raw!);
    } catch (e) {
      const now = await this.status(sent);
      if (now.state === "mined" || now.state === "pending") return;
      if (now.state === "replaced") throw new TransactionReplacedError(now, `${now.says}; nothing was re-sent`);
      throw e;
    }
  }

  /** Polls for the receipt of `sent.hash`. */
  private async waitFor(sent: SentTransaction, options: WaitOptions): Promise<TransactionReceipt> {
    const timeoutMs = options.timeoutMs ?? this.defaults.receiptTimeoutMs ?? DEFAULT_RECEIPT_TIMEOUT_MS;
    return waitForReceipt(this.provider, sent, timeoutMs, this.defaults.pollMs);
  }
}

/** Milliseconds between polls for a receipt. */
export const DEFAULT_POLL_MS = 500;

/**
 * The receipt of `sent.hash`, polled every `pollMs` for at most `timeoutMs` (0: forever).
 *
 * - No receipt in time: a {@link TransactionInDoubtError} (it may still land; nothing is re-sent).
 * - Its nonce taken by another transaction (sender and nonce known): a {@link TransactionReplacedError}.
 * - A failed read (a node down, a timeout) is retried on the next poll until the deadline, so one
 *   bad moment of the network never loses track of a transaction that was sent.
 * - A reverted transaction's receipt is returned as it is (`status` 0).
 *
 * Why not ethers' `tx.wait()`: its receipt listener is an unguarded async callback, so a failed
 * block-number read inside it — a node lost mid-wait, or the provider closed just as the receipt
 * arrived — surfaces as an unhandled rejection that kills the process.
 */
export async function waitForReceipt(
  provider: Provider,
  sent: SentTransaction,
  timeoutMs: number,
  pollMs = DEFAULT_POLL_MS,
): Promise<TransactionReceipt> {
  const hash = sent.hash;
  if (!hash) throw new Error("no transaction hash to wait for");
  const until = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  let lastError: unknown;
  for (let poll = 0; ; poll++) {
    try {
      const receipt = await provider.getTransactionReceipt(hash);
      if (receipt) return receipt;
      // Every few polls: has another transaction taken its nonce? Then it can never land.
      if (sent.from !== undefined && sent.nonce !== undefined && poll % 4 === 3) {
        const confirmedNonce = await provider.getTransactionCount(sent.from, "latest");
        if (sent.nonce < confirmedNonce) {
          const late = await provider.getTransactionReceipt(hash);
          if (late) return late;
          const says = `nonce ${sent.nonce} of ${sent.from} is used by a mined transaction other than ${hash}: it will never land; check whether the change it made is on chain before doing it again`;
          throw new TransactionReplacedError({ state: "replaced", ...ids(sent), confirmedNonce, says }, says);
        }
      }
      lastError = undefined;
    } catch (e) {
      if (e instanceof TransactionReplacedError || closed(e)) throw e;
      lastError = e;
    }
    const left = until - Date.now();
    if (left <= 0) throw receiptTimeout(sent, timeoutMs, lastError);
    await new Promise((r) => setTimeout(r, Math.min(pollMs, left)));
  }
}

/** The provider was closed: nothing more can be read through it. */
function closed(e: unknown): boolean {
  return isError(e, "UNSUPPORTED_OPERATION") && /destroyed/.test((e as Error).message);
}

/** The error of a write with no receipt after `timeoutMs`. */
export function receiptTimeout(sent: SentTransaction, timeoutMs: number, cause?: unknown): TransactionInDoubtError {
  const seconds = timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`;
  return new TransactionInDoubtError(
    sent,
    "receipt-timeout",
    `transaction ${sent.hash}${nonceOf(sent)} has no receipt after ${seconds}: it may still land, so it was not sent again`,
    `do not send it again; check it with gl.transactions.status("${sent.hash}") and finish it with gl.transactions.resumeOrResend(error.sent), which re-sends the same signed transaction only if its nonce is unused and the node does not know it`,
    cause,
  );
}

/** The error of a signed transaction that may or may not have reached the node it was sent to. */
export function sendUnconfirmed(raw: string, endpoint: string, cause: unknown): TransactionInDoubtError {
  const sent = sentFromRaw(raw);
  const why = (cause as { shortMessage?: string })?.shortMessage ?? (cause as Error)?.message ?? String(cause);
  return new TransactionInDoubtError(
    sent,
    "send-unconfirmed",
    `transaction ${sent.hash}${nonceOf(sent)} was sent to ${endpoint}, which did not answer (${why}): it may have reached the node, so it was not sent anywhere else`,
    `do not send it again; check it with gl.transactions.status("${sent.hash}") and finish it with gl.transactions.resumeOrResend(error.sent)`,
    cause,
  );
}

/** Hash, sender, nonce and signed bytes of a sent transaction (the bytes only when they rebuild its hash). */
export function sentOf(tx: TransactionResponse): SentTransaction {
  const sent: SentTransaction = { hash: tx.hash, from: tx.from, nonce: tx.nonce };
  const raw = rawOf(tx);
  return raw ? { ...sent, raw } : sent;
}

/** The signed bytes of `tx`, rebuilt from its fields and signature; undefined unless they hash to `tx.hash`. */
export function rawOf(tx: TransactionResponse): string | undefined {
  try {
    const rebuilt = Transaction.from({
      type: tx.type,
      to: tx.to,
      nonce: tx.nonce,
      gasLimit: tx.gasLimit,
      gasPrice: tx.type === 2 ? undefined : tx.gasPrice,
      maxFeePerGas: tx.maxFeePerGas,
      maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
      data: tx.data,
      value: tx.value,
      chainId: tx.chainId,
      accessList: tx.type === 0 ? undefined : tx.accessList,
      signature: tx.signature,
    });
    return rebuilt.hash === tx.hash && rebuilt.from === tx.from ? rebuilt.serialized : undefined;
  } catch {
    return undefined;
  }
}

function sentFromRaw(raw: string): SentTransaction {
  const t = Transaction.from(raw);
  return { hash: t.hash ?? undefined, from: t.from ?? undefined, nonce: t.nonce, raw };
}

/** Validates `ref` and completes it from its signed bytes. */
function normalise(ref: string | SentTransaction): SentTransaction {
  const given: SentTransaction = typeof ref === "string" ? { hash: ref } : { ...ref };
  if (given.raw !== undefined) {
    let fromRaw: SentTransaction;
    try {
      fromRaw = sentFromRaw(given.raw);
    } catch {
      throw new Error("the signed transaction is not a valid serialized transaction");
    }
    if (!fromRaw.hash || !fromRaw.from) throw new Error("the transaction bytes are not signed");
    const disagree =
      (given.hash !== undefined && given.hash.toLowerCase() !== fromRaw.hash) ||
      (given.from !== undefined && getAddress(given.from) !== fromRaw.from) ||
      (given.nonce !== undefined && given.nonce !== fromRaw.nonce);
    if (disagree) {
      throw new Error(
        `the signed transaction is ${fromRaw.hash} (nonce ${fromRaw.nonce} of ${fromRaw.from}), not the one given`,
      );
    }
    return fromRaw;
  }
  if (given.hash !== undefined && !isHexString(given.hash, 32)) {
    throw new Error(`"${given.hash}" is not a transaction hash: expected 0x followed by 64 hex digits`);
  }
  if (given.from !== undefined) given.from = getAddress(given.from);
  if (given.nonce !== undefined && !(Number.isSafeInteger(given.nonce) && given.nonce >= 0)) {
    throw new Error(`nonce ${given.nonce} is not a whole number ≥ 0`);
  }
  if (given.hash === undefined && (given.from === undefined || given.nonce === undefined)) {
    throw new Error("give a transaction hash, its signed bytes, or its sender and nonce");
  }
  return given;
}

function mined(sent: SentTransaction, receipt: TransactionReceipt): TransactionStatus {
  const reverted = receipt.status === 0;
  return {
    state: "mined",
    ...ids({ ...sent, from: sent.from ?? receipt.from }),
    receipt,
    reverted,
    says: `${receipt.hash} is in block ${receipt.blockNumber}${reverted ? " and reverted" : ""}: nothing to send`,
  };
}

function ids(sent: SentTransaction): Pick<TransactionStatus, "hash" | "from" | "nonce"> {
  const out: Pick<TransactionStatus, "hash" | "from" | "nonce"> = {};
  if (sent.hash !== undefined) out.hash = sent.hash;
  if (sent.from !== undefined) out.from = sent.from;
  if (sent.nonce !== undefined) out.nonce = sent.nonce;
  return out;
}

function nonceOf(sent: SentTransaction): string {
  return sent.from !== undefined && sent.nonce !== undefined ? ` (nonce ${sent.nonce} of ${sent.from})` : "";
}
