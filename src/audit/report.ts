import type { Provider } from "ethers";
import { hasModule, type GovLedger, type TokenInfo } from "../sdk";
import { IdentityRegistry__factory } from "../../typechain-types";
import { activityOf } from "./activity";
import { auditedContracts, decodeSuiteLogs, decodeTransfers } from "./decode";
import { Holdings } from "./holdings";
import {
  Tally,
  achievementSummary,
  consortiumSummary,
  evidenceSummary,
  identitySummary,
  licenceSummary,
  marketSummary,
  techContractSummary,
} from "./modules";
import { Parties } from "./parties";
import { scanLogs, type ScanProgress } from "./scan";
import { settlementLedger } from "./settlement";
import type { AuditReport } from "./types";

/** Blocks per log query unless told otherwise: small enough for any node's limits, large enough to be quick. */
export const DEFAULT_PAGE_SIZE = 5_000;
/** The largest page accepted: a page is one `eth_getLogs`, and no node answers an unbounded one. */
export const MAX_PAGE_SIZE = 1_000_000;

export interface AuditOptions {
  /** The first block of the range. */
  from: number | bigint;
  /** The last block of the range, or "latest" for the chain's head. */
  to: number | bigint | "latest";
  /** Blocks per log query ({@link DEFAULT_PAGE_SIZE}). */
  pageSize?: number;
  /** Names of DIDs that are not members' (an auditor's off-chain list), by DID id. */
  names?: Map<bigint, string>;
  /** Called after each page of logs. */
  onProgress?: (p: ScanProgress) => void;
}

/** A refusal of the audit itself (a range the chain does not have, a page size out of bounds). */
export class AuditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuditError";
  }
}

/**
 * Reads every suite event of the range page by page through `ledger`'s provider (a plain JSON-RPC
 * provider, a {@link FailoverProvider} or Hardhat's), resolves who acted, and reconciles the settlement
 * ledger against the chain's state at the range's last block. Only standard JSON-RPC calls are made:
 * `eth_getLogs`, `eth_call` and `eth_getCode` at a block (archive state for old blocks),
 * `eth_getBlockByNumber`, `eth_blockNumber`.
 */
export async function auditReport(ledger: GovLedger, options: AuditOptions): Promise<AuditReport> {
  const provider = providerOf(ledger);
  const { from, to } = checkedRange(options, await provider.getBlockNumber());
  const pageSize = checkedPageSize(options.pageSize ?? DEFAULT_PAGE_SIZE);
  const deployment = ledger.deployment;
  const trade = hasModule(deployment, "trade");
  const holdings = trade ? new Holdings(provider, deployment, to, from > 0 ? from - 1 : undefined) : undefined;
  const audited = auditedContracts(deployment.contracts);
  const scanned = await scanLogs(
    provider,
    {
      from,
      to,
      pageSize,
      contracts: [...audited.keys()],
      holders: holdings ? [holdings.escrowAddress, holdings.marketAddress] : [],
    },
    options.onProgress,
  );
  const events = decodeSuiteLogs(scanned.suite, audited);
  const parties = new Parties(provider, deployment, to, options.names);
  const tokenInfo = (address: string): Promise<TokenInfo> => ledger.escrow.tokenInfo(address);
  const identity = hasModule(deployment, "identity")
    ? IdentityRegistry__factory.connect(deployment.contracts.IdentityRegistry, provider)
    : undefined;
  const issuers = new Map(
    events.filter((e) => e.name === "ClaimIssued").map((e) => [e.args.claimId as bigint, e.args.issuer as bigint]),
  );
  const issuerOf = async (claimId: bigint) =>
    issuers.get(claimId) ??
    identity?.getClaim(claimId, { blockTag: to }).then(
      (c) => c.issuer,
      () => undefined,
    );
  const topicName = async (topic: number) =>
    (await identity?.getTopic(topic, { blockTag: to }).then(
      (t) => t.name,
      () => undefined,
    )) || `topic ${topic}`;

  const tally = new Tally(events);
  const settlement = holdings
    ? await settlementLedger({
        events,
        transfers: decodeTransfers(scanned.transfers),
        holdings,
        parties,
        tokenInfo,
        tokens: deployment.contracts.StandInCurrency ? [deployment.contracts.StandInCurrency] : [],
        block: to,
      })
    : { ledger: { tokens: [], escrows: [], payees: [], entries: [], strays: [] }, mismatches: [] };
  const [first, last] = await Promise.all([provider.getBlock(from), provider.getBlock(to)]);
  const byContract: Record<string, number> = {};
  for (const e of events) byContract[e.contract] = (byContract[e.contract] ?? 0) + 1;
  return {
    format: 1,
    network: deployment.network,
    chainId: deployment.chainId,
    range: { from, to, fromTime: first?.timestamp ?? 0, toTime: last?.timestamp ?? 0, pageSize, pages: scanned.pages },
    generatedAt: new Date().toISOString(),
    contracts: Object.fromEntries([...audited].map(([address, c]) => [c.name, address])),
    events: { total: events.length, byContract },
    organisations: await activityOf(events, parties, {
      issuerOf,
      senderOf: async (hash) => (await provider.getTransaction(hash))?.from,
    }),
    consortium: consortiumSummary(tally),
    identity: await identitySummary(tally, topicName),
    evidence: evidenceSummary(tally),
    achievements: await achievementSummary(tally, parties),
    market: trade ? await marketSummary(tally, parties, holdings, tokenInfo) : emptyMarket(),
    licences: await licenceSummary(tally, parties),
    techContracts: techContractSummary(tally),
    settlement: settlement.ledger,
    mismatches: settlement.mismatches,
    reconciled: settlement.mismatches.length === 0,
  };
}

/** `from` and `to` as block numbers the chain has, `to` not before `from`. */
function checkedRange(options: AuditOptions, head: number): { from: number; to: number } {
  const from = blockNumber(options.from, "from");
  const to = options.to === "latest" ? head : blockNumber(options.to, "to");
  if (from > to) throw new AuditError(`from block ${from} is after to block ${to}: the range must run forwards`);
  if (to > head) {
    throw new AuditError(`to block ${to} is beyond the chain's head, block ${head}: choose a block up to ${head}`);
  }
  return { from, to };
}

function blockNumber(value: number | bigint, what: string): number {
  const n = typeof value === "bigint" ? value : BigInt(Number.isSafeInteger(value) ? value : -1);
  if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new AuditError(`${what} block ${String(value)} is not a block number: expected a whole number, 0 or more`);
  }
  return Number(n);
}

function checkedPageSize(size: number): number {
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new AuditError(
      `page size ${size} is not valid: expected a whole number of blocks from 1 to ${MAX_PAGE_SIZE}`,
    );
  }
  return size;
}

function providerOf(ledger: GovLedger): Provider {
  const runner = ledger.runner;
  const provider = runner.provider ?? (runner as Provider);
  if (typeof provider.getLogs !== "function")
    throw new AuditError("the ledger's runner has no provider to read logs with");
  return provider;
}

function emptyMarket() {
  return {
    listingsSubmitted: 0,
    listingsPublished: 0,
    listingsWithdrawn: 0,
    listingsLapsed: 0,
    biddersRegistered: 0,
    bids: 0,
    deals: 0,
    listings: [],
    dealRows: [],
  };
}
