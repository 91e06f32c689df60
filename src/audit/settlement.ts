import { getAddress } from "ethers";
import type { TokenInfo } from "../sdk";
import type { AuditEvent, TokenTransfer } from "./decode";
import { amountOf } from "./format";
import type { Holdings, When } from "./holdings";
import type { Parties } from "./parties";
import type {
  EscrowLedger,
  HolderLedger,
  LedgerEntry,
  LedgerEntryKind,
  Mismatch,
  PayeeLedger,
  SettlementLedger,
  StrayTransfer,
  TokenLedger,
} from "./types";

export interface SettlementInput {
  events: AuditEvent[];
  transfers: TokenTransfer[];
  holdings: Holdings;
  parties: Parties;
  tokenInfo: (address: string) => Promise<TokenInfo>;
  /** Tokens to reconcile even if nothing moved (the deployment's settlement token). */
  tokens: string[];
  /** The range's last block, named in mismatches. */
  block: number;
}

type Holder = "SettlementEscrow" | "LicenceMarket";

/** What the events say moved, per token. */
interface Flows {
  fundedByBuyers: bigint;
  depositsMoved: bigint;
  released: bigint;
  refunded: bigint;
  credited: bigint;
  withdrawn: bigint;
  depositsPaid: bigint;
  depositsRefunded: bigint;
}

interface EscrowFlows {
  funded: bigint;
  depositsMoved: bigint;
  released: bigint;
  refunded: bigint;
  credited: bigint;
  withdrawn: bigint;
}

interface PayeeFlows {
  token: string;
  did: bigint;
  /** What it could withdraw just before the range. */
  opening: bigint;
  credited: bigint;
  reassignedIn: bigint;
  reassignedOut: bigint;
  withdrawn: bigint;
}

/** A payee's balance as credits not yet paid, oldest first, each from its escrow (none: before the range). */
type Queue = { escrow?: bigint; amount: bigint }[];

/**
 * The settlement ledger: every deposit, funding, release, refund, credit, withdrawal and reassignment
 * of the range, in chain order, reconciled per token (opening balance + in − out against the balance
 * at the last block, for the escrow and the market), per escrow (what it holds) and per payee (what it
 * may withdraw), and each token transfer into or out of the two against the events of its transaction.
 */
export async function settlementLedger(input: SettlementInput): Promise<{
  ledger: SettlementLedger;
  mismatches: Mismatch[];
}> {
  const s = new Settlement(input);
  await s.load();
  for (const e of input.events) await s.post(e);
  return s.close();
}

class Settlement {
  private readonly escrowStates = new Map<bigint, Awaited<ReturnType<Holdings["escrowOf"]>>>();
  private readonly listingTokens = new Map<bigint, string>();
  private readonly dealListings = new Map<bigint, bigint>();
  private readonly prefunds = new Set<string>();
  private readonly infos = new Map<string, TokenInfo>();
  private readonly flows = new Map<string, Flows>();
  private readonly escrowFlows = new Map<bigint, EscrowFlows>();
  private readonly payees = new Map<string, PayeeFlows>();
  private readonly queues = new Map<string, Queue>();
  private readonly explained = new Map<string, bigint>();
  private readonly entries: LedgerEntry[] = [];
  private readonly mismatches: Mismatch[] = [];

  constructor(private readonly input: SettlementInput) {}

  /** Reads what the events refer to but do not say: escrows' tokens and parties, listings' tokens. */
  async load(): Promise<void> {
    const { events, holdings } = this.input;
    const escrowIds = new Set<bigint>();
    const listingIds = new Set<bigint>();
    for (const e of events) {
      if (e.contract === "SettlementEscrow" && e.args.id !== undefined) escrowIds.add(big(e.args.id));
      if (e.name === "ListingSubmitted") this.listingTokens.set(big(e.args.id), getAddress(e.args.token as string));
      if (e.name === "BidderRegistered" || e.name === "DepositWithdrawn") listingIds.add(big(e.args.id));
      if (e.name === "DealConfirmed") this.dealListings.set(big(e.args.escrow), big(e.args.id));
      if (e.name === "EscrowOpened") this.prefunds.add(`${e.tx}:${big(e.args.id)}`);
    }
    await Promise.all([...escrowIds].map(async (id) => this.escrowStates.set(id, await holdings.escrowOf(id))));
    for (const id of listingIds) {
      if (!this.listingTokens.has(id)) {
        this.listingTokens.set(id, getAddress((await holdings.listingOf(id)).listing.token));
      }
    }
    const tokens = new Set<string>(this.input.tokens.map((t) => getAddress(t)));
    for (const e of this.escrowStates.values()) tokens.add(e.token);
    for (const t of this.listingTokens.values()) tokens.add(t);
    for (const t of this.input.transfers) tokens.add(t.token);
    for (const e of events)
      if (e.contract === "SettlementEscrow" && e.args.token) tokens.add(getAddress(e.args.token as string));
    for (const t of [...tokens].sort()) this.infos.set(t, await this.input.tokenInfo(t));
    await this.openPayees();
  }

  /** Every payee the range credits, pays or reassigns, with what it could withdraw just before. */
  private async openPayees(): Promise<void> {
    for (const e of this.input.events) {
      if (e.contract !== "SettlementEscrow") continue;
      const token = e.args.token === undefined ? undefined : getAddress(e.args.token as string);
      if (e.name === "Credited" || e.name === "Withdrawn") this.payee(token!, big(e.args.did));
      if (e.name === "BalanceReassigned") [big(e.args.from), big(e.args.to)].forEach((d) => this.payee(token!, d));
    }
    await Promise.all(
      [...this.payees.values()].map(async (p) => {
        p.opening = await this.input.holdings.payeeBalance(p.token, p.did, "opening");
        // What it could withdraw before the range came from escrows the range may not show.
        if (p.opening > 0n) this.queue(p.token, p.did).push({ amount: p.opening });
      }),
    );
  }

  /** Books one event. */
  async post(e: AuditEvent): Promise<void> {
    const a = e.args;
    switch (`${e.contract}.${e.name}`) {
      case "LicenceMarket.BidderRegistered": {
        const amount = big(a.deposit);
        if (amount === 0n) return;
        const token = this.listingTokens.get(big(a.id))!;
        this.flow(token).depositsPaid += amount;
        this.explain(e, token, "LicenceMarket", "in", amount);
        return this.entry(e, "deposit", token, amount, { listing: big(a.id), did: big(a.did) });
      }
      case "LicenceMarket.DepositWithdrawn": {
        const amount = big(a.amount);
        const token = this.listingTokens.get(big(a.id))!;
        this.flow(token).depositsRefunded += amount;
        this.explain(e, token, "LicenceMarket", "out", amount);
        return this.entry(e, "deposit-refund", token, amount, { listing: big(a.id), did: big(a.did) });
      }
      case "SettlementEscrow.MilestoneFunded":
        return this.funded(e);
      case "SettlementEscrow.MilestoneReleased":
        return this.settled(e, "release", big(a.amount));
      case "SettlementEscrow.MilestoneReclaimed":
        return this.settled(e, "refund", big(a.amount));
      case "SettlementEscrow.MilestoneResolved":
        if (big(a.toBuyer) !== 0n) await this.settled(e, "refund", big(a.toBuyer));
        if (big(a.released) !== 0n) await this.settled(e, "release", big(a.released));
        return;
      case "SettlementEscrow.Credited":
        return this.credited(e);
      case "SettlementEscrow.Withdrawn":
        return this.withdrawn(e);
      case "SettlementEscrow.BalanceReassigned":
        return this.reassigned(e);
    }
  }

  private async funded(e: AuditEvent): Promise<void> {
    const id = big(e.args.id);
    const amount = big(e.args.amount);
    const token = this.escrowStates.get(id)!.token;
    const row = this.escrowFlow(id);
    row.funded += amount;
    this.explain(e, token, "SettlementEscrow", "in", amount);
    const milestone = Number(e.args.milestone) + 1;
    if (this.prefunds.has(`${e.tx}:${id}`)) {
      // Only the market opens an escrow prefunded: the winner's deposit, moved from the market.
      row.depositsMoved += amount;
      this.flow(token).depositsMoved += amount;
      this.explain(e, token, "LicenceMarket", "out", amount);
      const listing = this.dealListings.get(id);
      return this.entry(e, "deposit-to-escrow", token, amount, { escrow: id, milestone, listing });
    }
    this.flow(token).fundedByBuyers += amount;
    return this.entry(e, "funding", token, amount, { escrow: id, milestone, did: this.escrowStates.get(id)!.buyer });
  }

  private async settled(e: AuditEvent, kind: "release" | "refund", amount: bigint): Promise<void> {
    const id = big(e.args.id);
    const token = this.escrowStates.get(id)!.token;
    if (kind === "release") {
      this.escrowFlow(id).released += amount;
      this.flow(token).released += amount;
    } else {
      this.escrowFlow(id).refunded += amount;
      this.flow(token).refunded += amount;
    }
    const milestone = Number(e.args.milestone) + 1;
    return this.entry(e, kind, token, amount, { escrow: id, milestone });
  }

  private async credited(e: AuditEvent): Promise<void> {
    const [id, did, token, amount] = [
      big(e.args.id),
      big(e.args.did),
      getAddress(e.args.token as string),
      big(e.args.amount),
    ];
    this.escrowFlow(id).credited += amount;
    this.flow(token).credited += amount;
    this.payee(token, did).credited += amount;
    this.queue(token, did).push({ escrow: id, amount });
    return this.entry(e, "credit", token, amount, { escrow: id, did });
  }

  private async withdrawn(e: AuditEvent): Promise<void> {
    const [did, token, amount] = [big(e.args.did), getAddress(e.args.token as string), big(e.args.amount)];
    this.flow(token).withdrawn += amount;
    this.payee(token, did).withdrawn += amount;
    for (const part of take(this.queue(token, did), amount)) {
      if (part.escrow !== undefined) this.escrowFlow(part.escrow).withdrawn += part.amount;
    }
    this.explain(e, token, "SettlementEscrow", "out", amount);
    return this.entry(e, "withdrawal", token, amount, { did });
  }

  private async reassigned(e: AuditEvent): Promise<void> {
    const [from, to, token, amount] = [
      big(e.args.from),
      big(e.args.to),
      getAddress(e.args.token as string),
      big(e.args.amount),
    ];
    this.payee(token, from).reassignedOut += amount;
    this.payee(token, to).reassignedIn += amount;
    this.queue(token, to).push(...take(this.queue(token, from), amount));
    return this.entry(e, "reassignment", token, amount, { did: to });
  }

  /** Reads the balances at both ends, reconciles, and names every difference. */
  async close(): Promise<{ ledger: SettlementLedger; mismatches: Mismatch[] }> {
    const tokens: TokenLedger[] = [];
    for (const address of this.infos.keys()) tokens.push(await this.tokenLedger(address));
    const escrows: EscrowLedger[] = [];
    for (const id of [...this.escrowStates.keys()].sort(compare)) escrows.push(await this.escrowLedger(id));
    const payees: PayeeLedger[] = [];
    for (const p of this.payees.values()) payees.push(await this.payeeLedger(p));
    const strays = this.strays();
    const ledger = { tokens, escrows, payees, entries: this.entries, strays };
    return { ledger, mismatches: this.mismatches };
  }

  private async tokenLedger(address: string): Promise<TokenLedger> {
    const h = this.input.holdings;
    const f = this.flow(address);
    const [
      escrowOpening,
      escrowActual,
      marketOpening,
      marketActual,
      openingLiabilities,
      liabilities,
      marketHeldOpening,
      marketHeld,
    ] = await Promise.all([
      h.balance(address, h.escrowAddress, "opening"),
      h.balance(address, h.escrowAddress, "closing"),
      h.balance(address, h.marketAddress, "opening"),
      h.balance(address, h.marketAddress, "closing"),
      h.escrowLiabilities(address, "opening"),
      h.escrowLiabilities(address, "closing"),
      h.marketHeld(address, "opening"),
      h.marketHeld(address, "closing"),
    ]);
    const escrowIn = f.fundedByBuyers + f.depositsMoved;
    const marketOut = f.depositsRefunded + f.depositsMoved;
    const escrow = this.holder(address, h.escrowAddress, escrowOpening, escrowIn, f.withdrawn, escrowActual);
    const market = this.holder(address, h.marketAddress, marketOpening, f.depositsPaid, marketOut, marketActual);
    const total = this.holder(
      address,
      "",
      escrowOpening + marketOpening,
      f.fundedByBuyers + f.depositsPaid,
      f.withdrawn + f.depositsRefunded,
      escrowActual + marketActual,
    );
    const heldExpected = openingLiabilities.held + escrowIn - f.released - f.refunded;
    const owedExpected = openingLiabilities.owed + f.credited - f.withdrawn;
    const marketHeldExpected = marketHeldOpening + f.depositsPaid - marketOut;
    const sym = this.describe(address);
    this.check(
      `SettlementEscrow balance of ${sym}`,
      "its token balance against opening balance + fundings − withdrawals",
      escrow.expected.value,
      escrowActual,
      address,
    );
    this.check(
      `LicenceMarket balance of ${sym}`,
      "its token balance against opening balance + deposits − refunds − deposits moved to escrow",
      market.expected.value,
      marketActual,
      address,
    );
    this.check(
      `SettlementEscrow held ${sym}`,
      "what it holds in funded and disputed milestones, against the events",
      heldExpected,
      liabilities.held,
      address,
    );
    this.check(
      `SettlementEscrow owed ${sym}`,
      "what it owes its payees, against the credits and withdrawals",
      owedExpected,
      liabilities.owed,
      address,
    );
    this.check(
      `LicenceMarket held ${sym}`,
      "the deposits it holds, against the deposits paid, refunded and moved",
      marketHeldExpected,
      marketHeld,
      address,
    );
    const amt = (v: bigint) => this.amount(v, address);
    return {
      token: this.infos.get(address)!,
      escrow: {
        ...escrow,
        fundedByBuyers: amt(f.fundedByBuyers),
        depositsMoved: amt(f.depositsMoved),
        released: amt(f.released),
        refunded: amt(f.refunded),
        credited: amt(f.credited),
        withdrawn: amt(f.withdrawn),
        heldExpected: amt(heldExpected),
        heldActual: amt(liabilities.held),
        owedExpected: amt(owedExpected),
        owedActual: amt(liabilities.owed),
      },
      market: {
        ...market,
        depositsPaid: amt(f.depositsPaid),
        depositsRefunded: amt(f.depositsRefunded),
        depositsMoved: amt(f.depositsMoved),
        heldActual: amt(marketHeld),
      },
      total,
    };
  }

  private async escrowLedger(id: bigint): Promise<EscrowLedger> {
    const state = this.escrowStates.get(id)!;
    const f = this.escrowFlow(id);
    const h = this.input.holdings;
    const [opening, closing] = await Promise.all(
      (["opening", "closing"] as When[]).map((w) => h.milestones(id, state.milestoneCount, w)),
    );
    const heldExpected = opening.held + f.funded - f.released - f.refunded;
    const where = `escrow ${id}`;
    this.check(
      where,
      "what it holds in funded and disputed milestones, against its fundings, releases and refunds",
      heldExpected,
      closing.held,
      state.token,
    );
    this.check(
      where,
      "what it credited to payees, against what it released and refunded",
      f.released + f.refunded,
      f.credited,
      state.token,
    );
    const amt = (v: bigint) => this.amount(v, state.token);
    const [buyer, seller, centre] = await Promise.all(
      [state.buyer, state.seller, state.centre].map(async (d) => (await this.input.parties.ofDid(d)).name),
    );
    return {
      id,
      token: state.token,
      symbol: this.infos.get(state.token)!.symbol,
      dealRef: state.dealRef,
      listing: this.dealListings.get(id),
      buyer,
      seller,
      centre,
      total: amt(closing.total),
      openingHeld: amt(opening.held),
      funded: amt(f.funded),
      depositsMoved: amt(f.depositsMoved),
      released: amt(f.released),
      refunded: amt(f.refunded),
      credited: amt(f.credited),
      withdrawn: amt(f.withdrawn),
      owed: amt(f.credited - f.withdrawn),
      heldExpected: amt(heldExpected),
      heldActual: amt(closing.held),
      difference: amt(closing.held - heldExpected),
    };
  }

  private async payeeLedger(p: PayeeFlows): Promise<PayeeLedger> {
    const opening = p.opening;
    const actual = await this.input.holdings.payeeBalance(p.token, p.did, "closing");
    const expected = opening + p.credited + p.reassignedIn - p.reassignedOut - p.withdrawn;
    const organisation = (await this.input.parties.ofDid(p.did)).name;
    this.check(
      `payee DID ${p.did} (${organisation})`,
      "what it may withdraw, against its credits, reassignments and withdrawals",
      expected,
      actual,
      p.token,
    );
    const amt = (v: bigint) => this.amount(v, p.token);
    return {
      did: p.did,
      organisation,
      token: p.token,
      symbol: this.infos.get(p.token)!.symbol,
      opening: amt(opening),
      credited: amt(p.credited),
      reassignedIn: amt(p.reassignedIn),
      reassignedOut: amt(p.reassignedOut),
      withdrawn: amt(p.withdrawn),
      expected: amt(expected),
      actual: amt(actual),
      difference: amt(actual - expected),
    };
  }

  /** Transfers no event of their transaction explains (or events no transfer carried out). */
  private strays(): StrayTransfer[] {
    const h = this.input.holdings;
    const holderOf = (address: string): Holder | undefined =>
      address === h.escrowAddress ? "SettlementEscrow" : address === h.marketAddress ? "LicenceMarket" : undefined;
    const moved = new Map<string, { amount: bigint; block: number; counterparties: Set<string> }>();
    const add = (t: TokenTransfer, holder: Holder | undefined, direction: "in" | "out", other: string) => {
      if (!holder) return;
      const key = `${t.tx}|${t.token}|${holder}|${direction}`;
      const row = moved.get(key) ?? { amount: 0n, block: t.block, counterparties: new Set<string>() };
      row.amount += t.amount;
      row.counterparties.add(other);
      moved.set(key, row);
    };
    for (const t of this.input.transfers) {
      add(t, holderOf(t.to), "in", t.from);
      add(t, holderOf(t.from), "out", t.to);
    }
    const strays: StrayTransfer[] = [];
    for (const key of new Set([...moved.keys(), ...this.explained.keys()])) {
      const actual = moved.get(key)?.amount ?? 0n;
      const expected = this.explained.get(key) ?? 0n;
      if (actual === expected) continue;
      const [tx, token, holder, direction] = key.split("|") as [string, string, Holder, "in" | "out"];
      const block = moved.get(key)?.block ?? this.entries.find((e) => e.tx === tx)?.block ?? 0;
      const counterparties = [...(moved.get(key)?.counterparties ?? [])];
      strays.push({
        block,
        tx,
        token,
        holder,
        direction,
        amount: this.amount(actual - expected, token),
        counterparties,
      });
      const from =
        counterparties.length > 0 ? ` ${direction === "in" ? "from" : "to"} ${counterparties.join(", ")}` : "";
      this.mismatches.push({
        where: `tx ${tx} (block ${block})`,
        what: `${this.describe(token)} moved ${direction === "in" ? "into" : "out of"} ${holder}${from} that no ${holder} event of the transaction accounts for`,
        expected: this.amount(expected, token),
        actual: this.amount(actual, token),
        difference: this.amount(actual - expected, token),
        block,
        tx,
      });
    }
    return strays.sort((a, b) => a.block - b.block || a.tx.localeCompare(b.tx));
  }

  private holder(
    token: string,
    address: string,
    opening: bigint,
    into: bigint,
    out: bigint,
    actual: bigint,
  ): HolderLedger {
    const amt = (v: bigint) => this.amount(v, token);
    const expected = opening + into - out;
    return {
      address,
      opening: amt(opening),
      in: amt(into),
      out: amt(out),
      expected: amt(expected),
      actual: amt(actual),
      difference: amt(actual - expected),
    };
  }

  private check(where: string, what: string, expected: bigint, actual: bigint, token: string): void {
    if (expected === actual) return;
    const block = this.input.block;
    this.mismatches.push({
      where: `${where} at block ${block}`,
      what,
      expected: this.amount(expected, token),
      actual: this.amount(actual, token),
      difference: this.amount(actual - expected, token),
      block,
    });
  }

  private async entry(
    e: AuditEvent,
    kind: LedgerEntryKind,
    token: string,
    amount: bigint,
    about: { escrow?: bigint; milestone?: number; listing?: bigint; did?: bigint },
  ): Promise<void> {
    const party = about.did === undefined ? undefined : (await this.input.parties.ofDid(about.did)).name;
    this.entries.push({
      block: e.block,
      tx: e.tx,
      logIndex: e.logIndex,
      kind,
      token,
      amount: this.amount(amount, token),
      ...(about.escrow === undefined ? {} : { escrow: about.escrow }),
      ...(about.milestone === undefined ? {} : { milestone: about.milestone }),
      ...(about.listing === undefined ? {} : { listing: about.listing }),
      ...(party === undefined ? {} : { party }),
    });
  }

  private explain(e: AuditEvent, token: string, holder: Holder, direction: "in" | "out", amount: bigint): void {
    const key = `${e.tx}|${token}|${holder}|${direction}`;
    this.explained.set(key, (this.explained.get(key) ?? 0n) + amount);
  }

  private amount(value: bigint, token: string) {
    return amountOf(value, this.infos.get(token)!);
  }

  private describe(token: string): string {
    return `${this.infos.get(token)!.symbol} (${token})`;
  }

  private flow(token: string): Flows {
    return made(this.flows, token, () => ({
      fundedByBuyers: 0n,
      depositsMoved: 0n,
      released: 0n,
      refunded: 0n,
      credited: 0n,
      withdrawn: 0n,
      depositsPaid: 0n,
      depositsRefunded: 0n,
    }));
  }

  private escrowFlow(id: bigint): EscrowFlows {
    return made(this.escrowFlows, id, () => ({
      funded: 0n,
      depositsMoved: 0n,
      released: 0n,
      refunded: 0n,
      credited: 0n,
      withdrawn: 0n,
    }));
  }

  private payee(token: string, did: bigint): PayeeFlows {
    return made(this.payees, `${token}:${did}`, () => ({
      token,
      did,
      opening: 0n,
      credited: 0n,
      reassignedIn: 0n,
      reassignedOut: 0n,
      withdrawn: 0n,
    }));
  }

  private queue(token: string, did: bigint): Queue {
    return made(this.queues, `${token}:${did}`, () => [] as Queue);
  }
}

/** The value of `key` in `map`, made by `make` and stored the first time it is asked for. */
function made<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** Takes `amount` off the front of `queue`, oldest credit first; returns the parts taken. */
function take(queue: Queue, amount: bigint): Queue {
  const parts: Queue = [];
  let left = amount;
  while (left > 0n && queue.length > 0) {
    const head = queue[0];
    const part = head.amount <= left ? head.amount : left;
    parts.push({ escrow: head.escrow, amount: part });
    head.amount -= part;
    left -= part;
    if (head.amount === 0n) queue.shift();
  }
  if (left > 0n) parts.push({ amount: left });
  return parts;
}

function big(value: unknown): bigint {
  return BigInt(value as bigint);
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
