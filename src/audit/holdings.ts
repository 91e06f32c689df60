import { getAddress, type Provider } from "ethers";
import type { Deployment } from "../sdk";
import { IERC20__factory, LicenceMarket__factory, SettlementEscrow__factory } from "../../typechain-types";

/** Milestone statuses whose amount the escrow holds (ISettlementEscrow.MilestoneStatus Funded, Disputed). */
const HELD_STATUSES = new Set([2n, 5n]);

/** When to read: at the range's last block, or just before its first (the opening balances). */
export type When = "closing" | "opening";

/** An escrow as stored, read at the range's last block. */
export interface EscrowState {
  token: string;
  buyer: bigint;
  seller: bigint;
  centre: bigint;
  dealRef: string;
  milestoneCount: number;
}

/**
 * The trade module's state at the range's ends, read with `eth_call` at a block (archive state on a
 * real chain). Before the range means block `from` − 1; a range from block 0, or a contract not yet
 * deployed then, opens at zero.
 */
export class Holdings {
  private readonly escrow;
  private readonly market;
  private readonly code = new Map<string, Promise<boolean>>();

  constructor(
    private readonly provider: Provider,
    deployment: Deployment,
    private readonly closing: number,
    private readonly opening: number | undefined,
  ) {
    this.escrow = SettlementEscrow__factory.connect(deployment.contracts.SettlementEscrow, provider);
    this.market = LicenceMarket__factory.connect(deployment.contracts.LicenceMarket, provider);
  }

  get escrowAddress(): string {
    return getAddress(this.escrow.target as string);
  }

  get marketAddress(): string {
    return getAddress(this.market.target as string);
  }

  async balance(token: string, holder: string, when: When): Promise<bigint> {
    const blockTag = await this.tagFor(when, token, holder);
    return blockTag === undefined ? 0n : IERC20__factory.connect(token, this.provider).balanceOf(holder, { blockTag });
  }

  /** What the escrow holds (funded or disputed milestones) and owes (balances) of `token`. */
  async escrowLiabilities(token: string, when: When): Promise<{ held: bigint; owed: bigint }> {
    const blockTag = await this.tagFor(when, this.escrowAddress);
    if (blockTag === undefined) return { held: 0n, owed: 0n };
    const [held, owed] = await this.escrow.liabilities(token, { blockTag });
    return { held, owed };
  }

  /** The deposits the market holds of `token`. */
  async marketHeld(token: string, when: When): Promise<bigint> {
    const blockTag = await this.tagFor(when, this.marketAddress);
    return blockTag === undefined ? 0n : this.market.liabilities(token, { blockTag });
  }

  /** What payee `did` may withdraw of `token`. */
  async payeeBalance(token: string, did: bigint, when: When): Promise<bigint> {
    const blockTag = await this.tagFor(when, this.escrowAddress);
    return blockTag === undefined ? 0n : this.escrow.balanceOf(token, did, { blockTag });
  }

  async escrowOf(id: bigint): Promise<EscrowState> {
    const e = await this.escrow.escrowOf(id, { blockTag: this.closing });
    return {
      token: getAddress(e.token),
      buyer: e.buyer,
      seller: e.seller,
      centre: e.centre,
      dealRef: e.dealRef,
      milestoneCount: Number(e.milestoneCount),
    };
  }

  /** The sum of escrow `id`'s milestones, and of those it holds (funded or disputed) at `when`. */
  async milestones(id: bigint, count: number, when: When): Promise<{ total: bigint; held: bigint }> {
    const blockTag = await this.tagFor(when, this.escrowAddress);
    if (blockTag === undefined || (await this.escrow.escrowCount({ blockTag })) < id) return { total: 0n, held: 0n };
    const all = await Promise.all(
      Array.from({ length: count }, (_, i) => this.escrow.milestoneOf(id, i, { blockTag })),
    );
    let total = 0n;
    let held = 0n;
    for (const [terms, status] of all) {
      total += terms.amount;
      if (HELD_STATUSES.has(status)) held += terms.amount;
    }
    return { total, held };
  }

  /** Listing `id` and where its sale stands, at the range's last block. */
  async listingOf(id: bigint) {
    const [listing, sale] = await Promise.all([
      this.market.listingOf(id, { blockTag: this.closing }),
      this.market.saleOf(id, { blockTag: this.closing }),
    ]);
    return { listing, status: Number(sale.status) };
  }

  /** The block to read at, or undefined when there is nothing yet (opening at 0, or no code then). */
  private async tagFor(when: When, ...contracts: string[]): Promise<number | undefined> {
    if (when === "closing") return this.closing;
    const block = this.opening;
    if (block === undefined) return undefined;
    for (const c of contracts) if (!(await this.hasCode(c, block))) return undefined;
    return block;
  }

  private hasCode(address: string, block: number): Promise<boolean> {
    const key = `${getAddress(address)}@${block}`;
    let hit = this.code.get(key);
    if (!hit) {
      hit = this.provider.getCode(address, block).then((code) => code !== "0x");
      this.code.set(key, hit);
    }
    return hit;
  }
}
