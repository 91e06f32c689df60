import { id, zeroPadValue, type Filter, type Log, type Provider } from "ethers";

/** The ERC-20 (and ERC-721) `Transfer` topic. */
export const TRANSFER_TOPIC = id("Transfer(address,address,uint256)");

/** What to read over which blocks. */
export interface ScanPlan {
  from: number;
  to: number;
  /** Blocks per log query. */
  pageSize: number;
  /** The suite contracts whose events are read. */
  contracts: string[];
  /** Contracts that hold tokens (market, escrow): every ERC-20 transfer into or out of them is read too. */
  holders: string[];
}

export interface ScanProgress {
  blocksDone: number;
  blocksTotal: number;
  pagesDone: number;
  pagesTotal: number;
  /** Logs read so far. */
  logs: number;
}

export interface Scanned {
  /** The suite contracts' logs, in chain order. */
  suite: Log[];
  /** ERC-20 transfers into or out of a holder, in chain order, whatever the token. */
  transfers: Log[];
  pages: number;
  /** Log queries sent (more than 3 per page when a node refused a page as too large and it was split). */
  queries: number;
}

/**
 * Reads the logs of `plan` page by page, never more than `pageSize` blocks per query: a node that
 * refuses even a page as too large (a result or range limit) gets it in halves, down to one block.
 */
export async function scanLogs(
  provider: Provider,
  plan: ScanPlan,
  onProgress?: (p: ScanProgress) => void,
): Promise<Scanned> {
  const holders = plan.holders.map((a) => zeroPadValue(a, 32));
  const filters: Filter[] = [{ address: plan.contracts }];
  if (holders.length > 0)
    filters.push({ topics: [TRANSFER_TOPIC, null, holders] }, { topics: [TRANSFER_TOPIC, holders] });
  const blocksTotal = plan.to - plan.from + 1;
  const pagesTotal = Math.ceil(blocksTotal / plan.pageSize);
  const counter = { queries: 0 };
  const suite: Log[] = [];
  const transfers = new Map<string, Log>();
  for (let page = 0; page < pagesTotal; page++) {
    const start = plan.from + page * plan.pageSize;
    const end = Math.min(start + plan.pageSize - 1, plan.to);
    const [own, ...moved] = await Promise.all(filters.map((f) => logsOf(provider, f, start, end, counter)));
    suite.push(...own);
    for (const log of moved.flat().filter(isErc20Transfer)) {
      transfers.set(`${log.transactionHash}:${log.index}`, log);
    }
    onProgress?.({
      blocksDone: end - plan.from + 1,
      blocksTotal,
      pagesDone: page + 1,
      pagesTotal,
      logs: suite.length + transfers.size,
    });
  }
  return {
    suite: sorted(suite),
    transfers: sorted([...transfers.values()]),
    pages: pagesTotal,
    queries: counter.queries,
  };
}

async function logsOf(
  provider: Provider,
  filter: Filter,
  from: number,
  to: number,
  counter: { queries: number },
): Promise<Log[]> {
  counter.queries++;
  try {
    return await provider.getLogs({ ...filter, fromBlock: from, toBlock: to });
  } catch (e) {
    if (to === from || !refusedAsTooLarge(e)) throw e;
    const middle = from + Math.floor((to - from) / 2);
    const first = await logsOf(provider, filter, from, middle, counter);
    return [...first, ...(await logsOf(provider, filter, middle + 1, to, counter))];
  }
}

/** Whether a node refused a log query for its size (geth, Besu, FISCO and hosted nodes word it differently). */
function refusedAsTooLarge(e: unknown): boolean {
  const text = `${(e as { shortMessage?: string }).shortMessage ?? ""} ${(e as Error).message ?? String(e)}`;
  return /too many|too large|limit exceeded|exceeds? (the )?(max|limit)|query returned more than|block range|response size/i.test(
    text,
  );
}

/** An ERC-20 `Transfer`: from and to indexed, the amount in data (ERC-721 indexes its token id). */
function isErc20Transfer(log: Log): boolean {
  return log.topics.length === 3 && log.data.length === 66;
}

function sorted(logs: Log[]): Log[] {
  return logs.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
}
