import type { TokenInfo } from "../sdk";

/**
 * The audit report: what every module recorded over a block range, who did it, and a settlement
 * ledger reconciled against the token balances on chain at the range's last block. Amounts are
 * exact integers in the token's smallest unit; `display` strings format them with its decimals.
 */
export interface AuditReport {
  /** The report format's version (report.json readers check it). */
  format: 1;
  network: string;
  chainId: bigint;
  range: AuditRange;
  /** When the report was made (ISO 8601); the only field that differs between two runs on one range. */
  generatedAt: string;
  /** The suite contracts read, by deployment name. */
  contracts: Record<string, string>;
  /** Decoded suite events in the range, per contract. */
  events: { total: number; byContract: Record<string, number> };
  organisations: OrganisationActivity[];
  consortium: ConsortiumSummary;
  identity: IdentitySummary;
  evidence: EvidenceSummary;
  achievements: AchievementSummary;
  market: MarketSummary;
  licences: LicenceSummary;
  techContracts: TechContractSummary;
  settlement: SettlementLedger;
  /** Every difference the reconciliation found; empty when the ledger reconciles. */
  mismatches: Mismatch[];
  /** True when there is no mismatch: every token paid in is accounted for, to the unit. */
  reconciled: boolean;
}

export interface AuditRange {
  from: number;
  to: number;
  /** Block times (unix seconds) of `from` and `to`. */
  fromTime: number;
  toTime: number;
  /** Blocks per log query, and how many pages the range took. */
  pageSize: number;
  pages: number;
}

/** Who acted: a consortium member (by its name), a DID without a member account, an account, or the council. */
export interface Organisation {
  /** Stable key: `member:<id>`, `did:<id>`, `account:<address>` or `council`. */
  key: string;
  kind: "member" | "did" | "account" | "council";
  name: string;
  /** The DIDs seen acting for it. */
  dids: bigint[];
}

/** The modules activity is counted under. */
export const MODULES = ["governance", "identity", "evidence", "achievement", "trade", "settlement"] as const;
export type ModuleName = (typeof MODULES)[number];

export interface OrganisationActivity extends Organisation {
  total: number;
  byModule: Record<ModuleName, number>;
  /** Acts by event name (`EvidenceRegistry.Notarized` → `Notarized`). */
  byAction: Record<string, number>;
}

export interface ConsortiumSummary {
  membersAdmitted: number;
  membersSuspended: number;
  membersReinstated: number;
  membersRemoved: number;
  rolesGranted: number;
  rolesRevoked: number;
  proposalsCreated: number;
  proposalsExecuted: number;
  proposalsCancelled: number;
}

export interface IdentitySummary {
  didsRegistered: number;
  didsVerified: number;
  didsSuspended: number;
  didsDeactivated: number;
  keysRotated: number;
  recoveriesCompleted: number;
  mandatesGranted: number;
  claimsIssued: number;
  claimsRevoked: number;
  claimsSuspended: number;
  claimsReinstated: number;
  /** Claims issued and revoked per topic (name from the registry at `to`). */
  claimTopics: { topic: number; name: string; issued: number; revoked: number }[];
  consentsGranted: number;
  consentsRevoked: number;
  accessesRecorded: number;
}

export interface EvidenceSummary {
  /** Single records written (corrections included). */
  records: number;
  batches: number;
  roots: number;
  /** Documents notarized: singles, each digest of a batch and each leaf of a root. */
  documents: number;
  superseded: number;
  revoked: number;
  revokedByOrder: number;
  endorsed: number;
  /** Where the documents notarized in the range stand at `to`: valid, superseded or revoked. */
  status: { valid: number; superseded: number; revoked: number };
}

export interface AchievementSummary {
  registered: number;
  evaluated: number;
  pledged: number;
  pledgesReleased: number;
  rightsChanged: number;
  disputesOpened: number;
  frozen: number;
  items: AchievementRow[];
}

export interface AchievementRow {
  id: bigint;
  registeredBy?: string;
  evaluations: number;
  pledges: number;
  listings: number;
  licences: number;
}

export interface MarketSummary {
  listingsSubmitted: number;
  listingsPublished: number;
  listingsWithdrawn: number;
  listingsLapsed: number;
  biddersRegistered: number;
  bids: number;
  deals: number;
  listings: ListingRow[];
  dealRows: DealRow[];
}

export interface ListingRow {
  id: bigint;
  achievement: bigint;
  mode: string;
  lister: string;
  centre: string;
  token: string;
  price: bigint;
  priceDisplay: string;
  /** Its status at `to`. */
  status: string;
}

export interface DealRow {
  listing: bigint;
  block: number;
  tx: string;
  mode: string;
  buyer: string;
  seller: string;
  centre: string;
  price: bigint;
  priceDisplay: string;
  escrow: bigint;
  licence: bigint;
}

export interface LicenceSummary {
  recorded: number;
  terminated: number;
  items: { id: bigint; achievement: bigint; licensee: string; recordedBy: string; kind: string; terminated: boolean }[];
}

export interface TechContractSummary {
  registered: number;
  certified: number;
  annulled: number;
}

/** The settlement ledger: every token movement into and out of the market and the escrow. */
export interface SettlementLedger {
  tokens: TokenLedger[];
  escrows: EscrowLedger[];
  payees: PayeeLedger[];
  entries: LedgerEntry[];
  strays: StrayTransfer[];
}

/** An amount with its display form ("900000.00 e-CNY(test)"). */
export interface Amount {
  value: bigint;
  display: string;
}

/** One token's reconciliation: opening balance + what came in − what went out = the balance at `to`. */
export interface TokenLedger {
  token: TokenInfo;
  escrow: HolderLedger & {
    /** Funded by buyers (fund / fundWithPermit). */
    fundedByBuyers: Amount;
    /** Winning bidders' deposits the market moved in at the deal (prefunded first milestones). */
    depositsMoved: Amount;
    released: Amount;
    refunded: Amount;
    credited: Amount;
    withdrawn: Amount;
    /** The escrow's own liabilities (held + owed) at `to`, against what the events say. */
    heldExpected: Amount;
    heldActual: Amount;
    owedExpected: Amount;
    owedActual: Amount;
  };
  market: HolderLedger & {
    depositsPaid: Amount;
    depositsRefunded: Amount;
    depositsMoved: Amount;
    heldActual: Amount;
  };
  /** Market and escrow together: paid in from outside, paid out to outside. */
  total: HolderLedger;
}

/** Balance of one holding contract: opening (at `from` − 1) + in − out = expected; actual is read at `to`. */
export interface HolderLedger {
  address: string;
  opening: Amount;
  in: Amount;
  out: Amount;
  expected: Amount;
  actual: Amount;
  difference: Amount;
}

export interface EscrowLedger {
  id: bigint;
  token: string;
  symbol: string;
  dealRef: string;
  listing?: bigint;
  buyer: string;
  seller: string;
  centre: string;
  /** The sum of its milestones. */
  total: Amount;
  /** Funded and disputed milestones at `from` − 1. */
  openingHeld: Amount;
  funded: Amount;
  depositsMoved: Amount;
  released: Amount;
  refunded: Amount;
  credited: Amount;
  /** Withdrawals attributed to it, first credited first paid (a payee's balance pools every escrow). */
  withdrawn: Amount;
  /** Credited and not yet withdrawn, by the same rule. */
  owed: Amount;
  heldExpected: Amount;
  /** Funded and disputed milestones at `to`. */
  heldActual: Amount;
  difference: Amount;
}

export interface PayeeLedger {
  did: bigint;
  organisation: string;
  token: string;
  symbol: string;
  opening: Amount;
  credited: Amount;
  reassignedIn: Amount;
  reassignedOut: Amount;
  withdrawn: Amount;
  expected: Amount;
  /** `balanceOf(token, did)` of the escrow at `to`. */
  actual: Amount;
  difference: Amount;
}

export type LedgerEntryKind =
  | "deposit"
  | "deposit-refund"
  | "deposit-to-escrow"
  | "funding"
  | "release"
  | "refund"
  | "credit"
  | "withdrawal"
  | "reassignment";

/** One movement, in chain order. */
export interface LedgerEntry {
  block: number;
  tx: string;
  logIndex: number;
  kind: LedgerEntryKind;
  token: string;
  amount: Amount;
  escrow?: bigint;
  /** Numbered from 1, as deal confirmations number payments. */
  milestone?: number;
  listing?: bigint;
  /** The organisation paying, paid or credited. */
  party?: string;
}

/** A token transfer into or out of the market or escrow that no suite event explains. */
export interface StrayTransfer {
  block: number;
  tx: string;
  token: string;
  holder: "SettlementEscrow" | "LicenceMarket";
  direction: "in" | "out";
  /** What moved minus what the suite's events in the same transaction account for. */
  amount: Amount;
  counterparties: string[];
}

export interface Mismatch {
  /** Where: "SettlementEscrow balance of e-CNY(test) 0x… at block 311", "escrow 1", "tx 0x…". */
  where: string;
  what: string;
  expected: Amount;
  actual: Amount;
  /** actual − expected. */
  difference: Amount;
  block?: number;
  tx?: string;
}
