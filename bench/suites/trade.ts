import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Signature, Wallet } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import {
  AchievementKind,
  AchievementStatus,
  Classification,
  Secrecy,
  formatRegistrationNumber,
} from "../../src/sdk/achievement-types";
import { SCOPES } from "../../src/sdk/did";
import { PERMIT_TYPES } from "../../src/sdk/escrow";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import { MILESTONE_STATUSES, type MilestoneStatusName } from "../../src/sdk/states";
import {
  AchievementRegistry__factory,
  AchievementRights__factory,
  IdentityRegistry__factory,
  LicenceMarket__factory,
  LicenceRegister__factory,
  MemberRegistry__factory,
  SettlementEscrow__factory,
  StandInCurrency__factory,
  type AchievementRegistry,
  type IAchievementRegistry,
  type ILicenceMarket,
  type ISettlementEscrow,
  type IdentityRegistry,
  type LicenceMarket,
  type LicenceRegister,
  type SettlementEscrow,
  type StandInCurrency,
} from "../../typechain-types";
import { addressFor, check, digestFor, freshSigner, memberSigner } from "../lib/chain";
import { gasOf } from "../lib/measure";
import type {
  FlowOperation,
  Operation,
  PartOperation,
  QuotedOperation,
  RowSpec,
  Send,
  Suite,
  TargetSpec,
  TxOperation,
} from "../lib/types";
import { FLOOR_SINGLE } from "./peers";

type ListingTerms = ILicenceMarket.ListingTermsStruct;
type Instalment = ILicenceMarket.InstalmentStruct;
type EscrowTerms = ISettlementEscrow.TermsStruct;
type Registration = IAchievementRegistry.RegistrationStruct;

/** Mirrors of the identity registry's DID kinds and key purposes (IIdentityRegistry, KeyPurposes). */
const PERSON = 0;
const ORGANISATION = 1;
const PURPOSE_ALL = 3;

/** Mirrors of ILicenceMarket.Mode and ILicenceMarket.ListingStatus. */
const MODE = { Fixed: 0, Negotiated: 1, Auction: 2 } as const;
const LISTING = { Submitted: 1n, Published: 2n, Awarded: 3n, Dealt: 4n } as const;
/** ILicenceRegister.LicenceKind.Exclusive. */
const EXCLUSIVE = 0;

const DAY = 86_400n;
const WHOLE = 10_000;
/** The end of time for a mandate (uint48 is plenty; the identity registry takes any future time). */
const FOREVER = 2n ** 40n - 1n;

/** 1,000,000.00 of the stand-in currency (2 decimals): the price of every licence here. */
const PRICE = 100_000_000n;
/** The auction's reserve, bidders' deposit and increment; the negotiated price agreed. */
const RESERVE = 80_000_000n;
const DEPOSIT = 8_000_000n;
const INCREMENT = 1_000_000n;
const AGREED = 95_000_000n;
/** What the buyer and the second bidder are minted in set-up: enough for every run. */
const BUYER_FUNDS = 10n ** 15n;

/** The centre's fee, the broker's commission and the inventors' share, in basis points of each release. */
const CENTRE_FEE_BPS = 300;
const BROKER_BPS = 200;
const INVENTOR_BPS = 1000;

/** Payment schedules by number of instalments: shares of the price and due times after the deal. */
const SCHEDULES: Record<number, Instalment[]> = {
  1: [{ bps: WHOLE, dueAfter: 30 * 86_400 }],
  2: [
    { bps: 3000, dueAfter: 30 * 86_400 },
    { bps: 7000, dueAfter: 90 * 86_400 },
  ],
  4: [1, 2, 3, 4].map((q) => ({ bps: 2500, dueAfter: q * 30 * 86_400 })),
};

/** The registration-number type (7th digit) of the achievements this suite registers: no other suite's. */
const TRADE_TYPE = 5;
/** Serials of the set-up's warm-up registrations: above every run's. */
const WARM_UP = 99_990;

/** Molecule's marketplace figure, quoted from upstream (it ships no npm package): never measured here. */
export const MOLECULE_LIST_FULFILL = "molecule.listFulfill";
export const MOLECULE_QUOTE = 206_000;
export const MOLECULE_SOURCE = "Molecule IP-NFT marketplace list + fulfill, reported upstream";

/** Ids of the OpenZeppelin ERC-20 floors (the stand-in currency is OpenZeppelin 5.1's ERC20Permit). */
export const ERC20_TRANSFER = "erc20.transfer";
export const ERC20_TRANSFER_FROM = "erc20.transferFrom";

/** A party: its DID and the account that acts for it. */
interface Party {
  did: bigint;
  signer: Wallet | HardhatEthersSigner;
  address: string;
}

/** A party whose key signs offers, settlements and permits. */
interface Signatory extends Party {
  signer: Wallet;
}

/** The trade module as the bench drives it. */
interface TradeBench {
  hre: HardhatRuntimeEnvironment;
  /** Connected to the exchange centre's account (TRADING_CENTRE role). */
  market: LicenceMarket;
  escrow: SettlementEscrow;
  licences: LicenceRegister;
  /** Connected to the registrar agency's account (REGISTRAR role, enrolled). */
  registry: AchievementRegistry;
  identity: IdentityRegistry;
  /** The stand-in currency, connected to its minter. */
  currency: StandInCurrency;
  token: string;
  escrowAddress: string;
  marketAddress: string;
  centre: Party;
  arbitrator: Party;
  /** The university: lister, first owner and token holder of every achievement, seller of every deal. */
  university: Signatory;
  /** The research team lead: co-owner (30 %) of co-owned achievements. */
  team: Signatory;
  /** Two inventors of the achievements that have inventors. */
  inventors: [Signatory, Signatory];
  buyer: Signatory;
  /** The second bidder of auctions. */
  bidder: Signatory;
  /** A broker acting for the university under a TRADE mandate. */
  broker: Signatory;
  /** An account that already holds the currency, for the ERC-20 floors. */
  holder: string;
  /** Everyone the deals pay: their escrow balances are withdrawn, untimed, before each run. */
  payees: Party[];
  researchStart: bigint;
  researchEnd: bigint;
  /** The handover date every deal names, fixed at set-up so every run's calldata is the same. */
  handover: bigint;
}

/** "1,000,000". */
const gas = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
const status = (name: MilestoneStatusName) => BigInt(MILESTONE_STATUSES.indexOf(name));

async function now(b: Pick<TradeBench, "hre">): Promise<bigint> {
  return BigInt((await b.hre.ethers.provider.getBlock("latest"))?.timestamp ?? 0);
}

/** Moves the chain's clock to at least `to` (the next block's time), untimed. */
async function advanceTo(b: TradeBench, to: bigint): Promise<void> {
  const t = await now(b);
  if (t < to) await b.hre.network.provider.send("evm_increaseTime", [Number(to - t)]);
  await b.hre.network.provider.send("evm_mine", []);
}

/** Registers (untimed, as the registrar) an active DID whose one key is `key`, unless it has one; returns it. */
async function registerDid(b: Pick<TradeBench, "identity">, key: string, what: string, kind: number): Promise<bigint> {
  const [existing] = await b.identity.didOf(key);
  if (existing !== 0n) return existing;
  const keys = [{ account: key, purposes: PURPOSE_ALL }];
  await gasOf(() => b.identity.register(kind, digestFor(`trade.${what}.commitment`, 0), keys));
  const [did] = await b.identity.didOf(key);
  check(did !== 0n, `DID of ${what} registered`);
  return did;
}

/** A party with a deterministic key, funded with native coin, and its DID. */
async function signatory(
  hre: HardhatRuntimeEnvironment,
  identity: IdentityRegistry,
  what: string,
  kind: number,
): Promise<Signatory> {
  const wallet = new Wallet(digestFor(`trade.${what}.privateKey`, 0), hre.ethers.provider);
  await freshSigner(hre, wallet.address);
  return { did: await registerDid({ identity }, wallet.address, what, kind), signer: wallet, address: wallet.address };
}

/** A DID on a key that never sends, fresh for run `seq`: a payee that only needs to exist. */
async function passiveDid(b: TradeBench, what: string, seq: number, i: number): Promise<bigint> {
  return registerDid(b, addressFor(`trade.${what}:${i}`, seq), `${what}:${i}:${seq}`, PERSON);
}

/** The ECDSA signature of `digest` (an EIP-712 digest the contract computed) by `party`'s key. */
function sign(party: Signatory, digest: string): string {
  return party.signer.signingKey.sign(digest).serialized;
}

/** What an achievement of a deal looks like. */
interface Owners {
  /** The university alone (false) or with the team, 70/30 (true). */
  coOwned: boolean;
  /** No inventors (false) or the two inventors (true). */
  inventors: boolean;
}

/** A 12-digit registration number (region 31, year 2026, type 5) with serial `serial + 1`. */
function registrationNumberOf(serial: number): bigint {
  if (serial >= 99_999) throw new Error(`sequence ${serial} exceeds the 5-digit serial of a registration number`);
  return formatRegistrationNumber({ region: 31, year: 2026, type: TRADE_TYPE, serial: serial + 1 });
}

/** Registers, untimed, achievement `serial` of the university (and the team, and inventors, as asked). */
async function registerAchievement(b: TradeBench, serial: number, o: Owners): Promise<bigint> {
  const number = registrationNumberOf(serial);
  const owners = o.coOwned
    ? [
        { did: b.university.did, bps: 7000 },
        { did: b.team.did, bps: 3000 },
      ]
    : [{ did: b.university.did, bps: WHOLE }];
  const r: Registration = {
    registrationNumber: number,
    kind: AchievementKind.Patent,
    classification: Classification.AppliedResearch,
    secrecy: Secrecy.Open,
    metadata: digestFor(`trade.form:${number}`, 0),
    metadataURI: `ipfs://form-${number}`,
    externalIds: [],
    owners,
    inventors: o.inventors ? b.inventors.map((i) => i.did) : [],
    holder: b.university.address,
    form: {
      name: "一种高效固态电池电解质 (solid-state electrolyte)",
      firstOrganisation: b.university.did,
      recommender: 0,
      researchStart: b.researchStart,
      researchEnd: b.researchEnd,
      field: 480_20,
      form: 1,
      stage: 2,
      keywords: ["battery", "electrolyte", "solid-state"],
    },
  };
  await gasOf(() => b.registry.register(r));
  return number;
}

/** Withdraws, untimed, every payee's escrow balance: each run's credits then start from zero, as after a payout. */
async function drain(b: TradeBench): Promise<void> {
  for (const p of b.payees) {
    if ((await b.escrow.balanceOf(b.token, p.did)) === 0n) continue;
    await gasOf(() => b.escrow.connect(p.signer).withdraw(b.token, p.did, p.address));
  }
}

/** One transaction of a flow: `before` runs untimed (a clock move, a signature), `check` after it. */
interface Step {
  key: string;
  before?: () => Promise<void>;
  send: Send;
  check: () => Promise<void>;
}

/** A flow's transactions for one run, and what must hold once all of them ran. */
interface Plan {
  steps: Step[];
  done: () => Promise<void>;
}

/** Untimed: registers and approves what run `seq` needs, and returns its plan. */
type Planner = (seq: number) => Promise<Plan>;

const ours = { system: "ours", project: "govledger", items: 1, throughput: false } as const;

/**
 * One step of a flow: each run plays the flow's earlier steps untimed on fresh inputs, then times
 * step `key` alone.
 */
function stepOperation(id: string, label: string, planner: Planner, key: string): TxOperation {
  const steps = new Map<number, Step>();
  return {
    ...ours,
    id,
    label,
    prepare: async (seq) => {
      const plan = await planner(seq);
      const at = plan.steps.findIndex((s) => s.key === key);
      if (at < 0) throw new Error(`${id}: the flow has no step "${key}"`);
      for (const s of plan.steps.slice(0, at)) {
        await s.before?.();
        await gasOf(s.send);
      }
      const step = plan.steps[at];
      await step.before?.();
      steps.set(seq, step);
      return step.send;
    },
    verify: async (seq) => {
      await steps.get(seq)?.check();
      steps.delete(seq);
    },
  };
}

/** A whole flow: the summed gas of all its transactions, per run. */
function flowOperation(id: string, label: string, planner: Planner): FlowOperation {
  const plans = new Map<number, Plan>();
  return {
    ...ours,
    kind: "flow",
    id,
    label,
    prepare: async (seq) => {
      const plan = await planner(seq);
      plans.set(seq, plan);
      return plan.steps.map((s) => async () => {
        await s.before?.();
        return s.send();
      });
    },
    verify: async (seq) => {
      await plans.get(seq)?.done();
      plans.delete(seq);
    },
  };
}

/** What the seller side lists: the mode, the schedule, and who takes a share besides the holders. */
interface ListingShape {
  mode: number;
  instalments: number;
  inventors: boolean;
  broker: boolean;
}

function listingTermsOf(b: TradeBench, achievement: bigint, s: ListingShape, biddingEnds = 0n): ListingTerms {
  const auction = s.mode === MODE.Auction;
  return {
    achievement,
    centre: b.centre.did,
    mode: s.mode,
    token: b.token,
    price: auction ? RESERVE : PRICE,
    minIncrement: auction ? INCREMENT : 0n,
    deposit: auction ? DEPOSIT : 0n,
    biddingEnds,
    brokerBps: s.broker ? BROKER_BPS : 0,
    inventorBps: s.inventors ? INVENTOR_BPS : 0,
    licence: { kind: EXCLUSIVE, field: 480, territory: 310000, start: 0n, term: 5n * 365n * DAY, sublicensable: false },
    schedule: SCHEDULES[s.instalments],
    termsHash: digestFor("trade.listing document (挂牌文件)", 0),
  };
}

/** A listing and the escrow of its deal, as a run learns their ids. */
interface Deal {
  achievement: bigint;
  listing: bigint;
  escrow: bigint;
}

async function checkSale(b: TradeBench, d: Deal, expected: bigint, what: string): Promise<void> {
  check((await b.market.saleOf(d.listing)).status === expected, what);
}

async function checkStage(b: TradeBench, d: Deal, expected: AchievementStatus, what: string): Promise<void> {
  check((await b.registry.getAchievement(d.achievement)).status === BigInt(expected), what);
}

async function checkMilestone(b: TradeBench, escrow: bigint, i: number, expected: MilestoneStatusName): Promise<void> {
  const [, actual] = await b.escrow.milestoneOf(escrow, i);
  check(actual === status(expected), `milestone ${i} of escrow ${escrow} ${expected}`);
}

async function checkPaidOut(b: TradeBench, p: Party, what: string): Promise<void> {
  check((await b.escrow.balanceOf(b.token, p.did)) === 0n, `${what} withdrew its whole balance`);
}

/** The seller side's steps: list (by the university or its broker), the team's approval, publication. */
function sellerSteps(b: TradeBench, d: Deal, terms: ListingTerms, o: Owners, broker: boolean, fee: number): Step[] {
  const lister = broker ? b.broker : b.university;
  const list: Step = {
    key: "list",
    send: async () => {
      d.listing = (await b.market.listingCount()) + 1n;
      return b.market.connect(lister.signer).list(terms, b.university.did);
    },
    check: async () => {
      const l = await b.market.listingOf(d.listing);
      check(l.lister === b.university.did && l.broker === (broker ? b.broker.did : 0n), "listing stored");
      await checkSale(b, d, LISTING.Submitted, "listing submitted");
    },
  };
  const approve: Step = {
    key: "approve",
    send: () => b.market.connect(b.team.signer).approve(d.listing, b.team.did),
    check: async () => check(await b.market.hasApproved(d.listing, b.team.did), "co-owner approved"),
  };
  const publish: Step = {
    key: "publish",
    send: () => b.market.publish(d.listing, fee),
    check: async () => {
      await checkSale(b, d, LISTING.Published, "listing published");
      await checkStage(b, d, AchievementStatus.Listed, "achievement listed");
    },
  };
  return [list, ...(o.coOwned ? [approve] : []), publish];
}

/** The centre's deal confirmation: the licence recorded, the escrow opened, the achievement licensed. */
function dealStep(b: TradeBench, d: Deal, seq: number, before?: () => Promise<void>): Step {
  return {
    key: "confirmDeal",
    before,
    send: async () => {
      d.escrow = (await b.escrow.escrowCount()) + 1n;
      return b.market.confirmDeal(d.listing, digestFor("trade.deal (成交确认书)", seq), b.handover);
    },
    check: async () => {
      const sale = await b.market.saleOf(d.listing);
      check(sale.status === LISTING.Dealt && sale.escrow === d.escrow && sale.licence !== 0n, "deal confirmed");
      check((await b.escrow.escrowOf(d.escrow)).buyer === sale.buyer, "escrow opened for the buyer");
      await checkStage(b, d, AchievementStatus.Licensed, "achievement licensed");
    },
  };
}

function fundStep(b: TradeBench, escrow: () => bigint, i: number): Step {
  return {
    key: `fund.${i}`,
    send: () => b.escrow.connect(b.buyer.signer).fund(escrow(), i, b.buyer.did),
    check: () => checkMilestone(b, escrow(), i, "Funded"),
  };
}

function confirmStep(b: TradeBench, escrow: () => bigint, i: number): Step {
  return {
    key: `confirm.${i}`,
    send: () => b.escrow.connect(b.buyer.signer).confirm(escrow(), i, b.buyer.did),
    check: () => checkMilestone(b, escrow(), i, "Released"),
  };
}

function withdrawStep(b: TradeBench, key: string, p: Party): Step {
  return {
    key: `withdraw.${key}`,
    send: () => b.escrow.connect(p.signer).withdraw(b.token, p.did, p.address),
    check: () => checkPaidOut(b, p, key),
  };
}

/** A fixed-price deal's shape: the achievement's owners and inventors, the schedule, a broker, the centre's fee. */
interface FixedShape extends Owners {
  instalments: number;
  broker: boolean;
  centreFeeBps: number;
}

/** The minimal deal, like for like with a marketplace's list + fulfil: 1 owner, no inventor, 1 instalment. */
const MINIMAL: FixedShape = {
  coOwned: false,
  inventors: false,
  instalments: 1,
  broker: false,
  centreFeeBps: CENTRE_FEE_BPS,
};
/** The full deal: 2 co-owners (the second approves), 2 inventors, 2 instalments. */
const FULL: FixedShape = {
  coOwned: true,
  inventors: true,
  instalments: 2,
  broker: false,
  centreFeeBps: CENTRE_FEE_BPS,
};

/** Who withdraws after a deal of shape `s`, in order: the centre, the broker, the inventors, the holders. */
function payeesOf(b: TradeBench, s: FixedShape): [string, Party][] {
  return [
    ...(s.centreFeeBps !== 0 ? [["centre", b.centre] as [string, Party]] : []),
    ...(s.broker ? [["broker", b.broker] as [string, Party]] : []),
    ...(s.inventors ? b.inventors.map((p, i) => [`inventor.${i}`, p] as [string, Party]) : []),
    ["university", b.university],
    ...(s.coOwned ? [["team", b.team] as [string, Party]] : []),
  ];
}

/**
 * A fixed-price deal, whole: list, the co-owner's approval, publish, buy, the deal, then each
 * milestone funded and confirmed by the buyer, then every payee's withdrawal. The buyer's ERC-20
 * allowance for the whole price is given beforehand, untimed (as Molecule's fulfill needs one too).
 */
function fixedPlanner(b: TradeBench, s: FixedShape): Planner {
  return async (seq) => {
    await drain(b);
    const d: Deal = { achievement: await registerAchievement(b, seq, s), listing: 0n, escrow: 0n };
    const shape = { mode: MODE.Fixed, instalments: s.instalments, inventors: s.inventors, broker: s.broker };
    const terms = listingTermsOf(b, d.achievement, shape);
    await gasOf(() => b.currency.connect(b.buyer.signer).approve(b.escrowAddress, PRICE));
    const escrow = () => d.escrow;
    const buy: Step = {
      key: "buy",
      send: () => b.market.connect(b.buyer.signer).buy(d.listing, b.buyer.did),
      check: () => checkSale(b, d, LISTING.Awarded, "bought"),
    };
    const milestones = Array.from({ length: s.instalments }, (_, i) => [
      fundStep(b, escrow, i),
      confirmStep(b, escrow, i),
    ]).flat();
    const payees = payeesOf(b, s);
    return {
      steps: [
        ...sellerSteps(b, d, terms, s, s.broker, s.centreFeeBps),
        buy,
        dealStep(b, d, seq),
        ...milestones,
        ...payees.map(([key, p]) => withdrawStep(b, key, p)),
      ],
      done: async () => {
        await checkSale(b, d, LISTING.Dealt, "dealt");
        for (let i = 0; i < s.instalments; ++i) await checkMilestone(b, d.escrow, i, "Released");
        for (const [key, p] of payees) await checkPaidOut(b, p, key);
      },
    };
  };
}

/** A negotiated deal (minimal shape): list, publish, accept an offer both sides signed, the deal after the notice. */
function negotiatedPlanner(b: TradeBench): Planner {
  return async (seq) => {
    await drain(b);
    const d: Deal = { achievement: await registerAchievement(b, seq, MINIMAL), listing: 0n, escrow: 0n };
    const shape = { mode: MODE.Negotiated, instalments: 1, inventors: false, broker: false };
    const terms = listingTermsOf(b, d.achievement, shape);
    let signed: { offer: ILicenceMarket.OfferStruct; buyer: string; seller: string } | undefined;
    const accept: Step = {
      key: "accept",
      before: async () => {
        const offer = { listing: d.listing, round: 0, buyer: b.buyer.did, price: AGREED, expiry: (await now(b)) + DAY };
        const digest = await b.market.offerHash(offer);
        signed = { offer, buyer: sign(b.buyer, digest), seller: sign(b.university, digest) };
      },
      send: () => {
        if (!signed) throw new Error("offer not signed");
        const { offer, buyer, seller } = signed;
        return b.market.connect(b.buyer.signer).accept(offer, b.buyer.address, buyer, b.university.address, seller);
      },
      check: async () => {
        const sale = await b.market.saleOf(d.listing);
        check(sale.status === LISTING.Awarded && sale.price === AGREED, "offer accepted");
      },
    };
    const afterNotice = async () => advanceTo(b, (await b.market.saleOf(d.listing)).dealableAt);
    return {
      steps: [...sellerSteps(b, d, terms, MINIMAL, false, CENTRE_FEE_BPS), accept, dealStep(b, d, seq, afterNotice)],
      done: () => checkSale(b, d, LISTING.Dealt, "dealt"),
    };
  };
}

/**
 * An auction (minimal shape): list, publish, two bidders register (paying the deposit), the first
 * bids the reserve, the second outbids it, the auction closes after its deadline, the deal opens the
 * escrow with the winner's deposit prefunded, and the loser withdraws its deposit.
 */
function auctionPlanner(b: TradeBench): Planner {
  return async (seq) => {
    await drain(b);
    const d: Deal = { achievement: await registerAchievement(b, seq, MINIMAL), listing: 0n, escrow: 0n };
    const ends = (await now(b)) + 7n * DAY;
    const shape = { mode: MODE.Auction, instalments: 1, inventors: false, broker: false };
    const terms = listingTermsOf(b, d.achievement, shape, ends);
    const register = (key: string, p: Signatory): Step => ({
      key,
      before: async () => {
        await gasOf(() => b.currency.connect(p.signer).approve(b.marketAddress, DEPOSIT));
      },
      send: () => b.market.connect(p.signer).registerBidder(d.listing, p.did),
      check: async () => check((await b.market.bidderOf(d.listing, p.did)).deposit === DEPOSIT, "deposit paid"),
    });
    const bid = (key: string, p: Signatory, amount: bigint): Step => ({
      key,
      send: () => b.market.connect(p.signer).bid(d.listing, amount, p.did),
      check: async () => {
        const sale = await b.market.saleOf(d.listing);
        check(sale.buyer === p.did && sale.price === amount, "highest bid");
      },
    });
    const close: Step = {
      key: "close",
      before: () => advanceTo(b, ends),
      send: () => b.market.closeAuction(d.listing),
      check: async () => {
        const sale = await b.market.saleOf(d.listing);
        check(sale.status === LISTING.Awarded && sale.buyer === b.bidder.did, "awarded to the highest bidder");
      },
    };
    const deal = dealStep(b, d, seq);
    const prefunded: Step = {
      ...deal,
      check: async () => {
        await deal.check();
        const [terms0] = await b.escrow.milestoneOf(d.escrow, 0);
        check(terms0.amount === DEPOSIT, "the deposit is the first milestone");
        await checkMilestone(b, d.escrow, 0, "Funded");
      },
    };
    const refund: Step = {
      key: "withdrawDeposit",
      send: () => b.market.connect(b.buyer.signer).withdrawDeposit(d.listing, b.buyer.did, b.buyer.address),
      check: async () => check((await b.market.bidderOf(d.listing, b.buyer.did)).deposit === 0n, "deposit refunded"),
    };
    return {
      steps: [
        ...sellerSteps(b, d, terms, MINIMAL, false, CENTRE_FEE_BPS),
        register("registerBidder", b.buyer),
        register("registerBidder.second", b.bidder),
        bid("bid.first", b.buyer, RESERVE),
        bid("bid.outbid", b.bidder, RESERVE + INCREMENT),
        close,
        prefunded,
        refund,
      ],
      done: () => checkSale(b, d, LISTING.Dealt, "dealt"),
    };
  };
}

/** An escrow opened by the centre itself: its payees and schedule. */
interface EscrowShape {
  holders: number;
  inventors: number;
  broker: boolean;
  centreFeeBps: number;
  milestones: number;
}

/** The least escrow: 1 holder, no inventor, no broker, no fee, 1 milestone. */
const BARE: EscrowShape = { holders: 1, inventors: 0, broker: false, centreFeeBps: 0, milestones: 1 };
/** An escrow that pays the centre's fee and 1 holder. */
const FEE: EscrowShape = { ...BARE, centreFeeBps: CENTRE_FEE_BPS };
/** The full deal's escrow: 2 holders, 2 inventors, the centre's fee, 2 milestones. */
const FULL_ESCROW: EscrowShape = {
  holders: 2,
  inventors: 2,
  broker: false,
  centreFeeBps: CENTRE_FEE_BPS,
  milestones: 2,
};

/** The escrow's terms for run `seq`: the university first holder, then fresh DIDs; fresh inventors. */
async function escrowTermsOf(b: TradeBench, seq: number, s: EscrowShape, firstDue = 30n * DAY): Promise<EscrowTerms> {
  const t = await now(b);
  const others: bigint[] = [];
  for (let i = 1; i < s.holders; ++i) others.push(await passiveDid(b, "escrow.holder", seq, i));
  const inventors: bigint[] = [];
  for (let i = 0; i < s.inventors; ++i) inventors.push(await passiveDid(b, "escrow.inventor", seq, i));
  const share = Math.floor(WHOLE / s.holders);
  const amount = PRICE / BigInt(s.milestones);
  return {
    token: b.token,
    dealRef: digestFor("trade.escrow.deal", seq),
    buyer: b.buyer.did,
    seller: b.university.did,
    broker: s.broker ? b.broker.did : 0n,
    centreFeeBps: s.centreFeeBps,
    brokerBps: s.broker ? BROKER_BPS : 0,
    inventorBps: s.inventors === 0 ? 0 : INVENTOR_BPS,
    holders: [
      { did: b.university.did, bps: WHOLE - share * others.length },
      ...others.map((did) => ({ did, bps: share })),
    ],
    inventors,
    milestones: Array.from({ length: s.milestones }, (_, i) => ({ amount, due: t + firstDue + BigInt(i) * 30n * DAY })),
  };
}

/** Opens an escrow on `terms` as the centre, noting its id. */
function openStep(b: TradeBench, terms: EscrowTerms, id: { escrow: bigint }): Step {
  return {
    key: "open",
    send: async () => {
      id.escrow = (await b.escrow.escrowCount()) + 1n;
      return b.escrow.connect(b.centre.signer).open(terms);
    },
    check: async () => {
      const e = await b.escrow.escrowOf(id.escrow);
      check(e.buyer === b.buyer.did && Number(e.milestoneCount) === terms.milestones.length, "escrow opened");
    },
  };
}

/** The buyer's ERC-20 allowance for milestone 0, given untimed. */
async function allow(b: TradeBench, terms: EscrowTerms): Promise<void> {
  await gasOf(() => b.currency.connect(b.buyer.signer).approve(b.escrowAddress, terms.milestones[0].amount));
}

/** An escrow's life: opened, milestone 0 funded (allowance given untimed) and confirmed, the first holder withdraws. */
function escrowPlanner(b: TradeBench, s: EscrowShape): Planner {
  return async (seq) => {
    await drain(b);
    const terms = await escrowTermsOf(b, seq, s);
    const id = { escrow: 0n };
    const escrow = () => id.escrow;
    const fund = { ...fundStep(b, escrow, 0), key: "fund", before: () => allow(b, terms) };
    const confirm = { ...confirmStep(b, escrow, 0), key: "confirm" };
    return {
      steps: [openStep(b, terms, id), fund, confirm, withdrawStep(b, "holder", b.university)],
      done: () => checkMilestone(b, id.escrow, 0, "Released"),
    };
  };
}

/** An escrow opened untimed; the flow is the buyer's ERC-20 approve, then fund. */
function approveFundPlanner(b: TradeBench): Planner {
  return async (seq) => {
    await drain(b);
    const terms = await escrowTermsOf(b, seq, BARE);
    const id = { escrow: 0n };
    const open = openStep(b, terms, id);
    await gasOf(open.send);
    const approve: Step = {
      key: "approve",
      send: () => b.currency.connect(b.buyer.signer).approve(b.escrowAddress, terms.milestones[0].amount),
      check: async () => undefined,
    };
    const fund = fundStep(b, () => id.escrow, 0);
    return { steps: [approve, fund], done: fund.check };
  };
}

/** An escrow opened, then milestone 0 funded with the buyer's EIP-2612 permit (signed untimed). */
function permitPlanner(b: TradeBench): Planner {
  return async (seq) => {
    await drain(b);
    const terms = await escrowTermsOf(b, seq, BARE);
    const id = { escrow: 0n };
    let permit: { deadline: bigint; v: number; r: string; s: string } | undefined;
    const fund: Step = {
      key: "fundWithPermit",
      before: async () => {
        const d = await b.currency.eip712Domain();
        const domain = { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
        const message = {
          owner: b.buyer.address,
          spender: b.escrowAddress,
          value: terms.milestones[0].amount,
          nonce: await b.currency.nonces(b.buyer.address),
          deadline: (await now(b)) + DAY,
        };
        const sig = Signature.from(await b.buyer.signer.signTypedData(domain, PERMIT_TYPES, message));
        permit = { deadline: message.deadline, v: sig.v, r: sig.r, s: sig.s };
      },
      send: () => {
        if (!permit) throw new Error("permit not signed");
        const { deadline, v, r, s } = permit;
        return b.escrow.connect(b.buyer.signer).fundWithPermit(id.escrow, 0, b.buyer.did, deadline, v, r, s);
      },
      check: () => checkMilestone(b, id.escrow, 0, "Funded"),
    };
    return { steps: [openStep(b, terms, id), fund], done: fund.check };
  };
}

/**
 * An escrow opened (1 holder and the centre's fee), milestone 0 funded, then disputed by the buyer
 * and split half and half: by the arbitrator's ruling, or by a settlement both sides signed.
 */
function disputePlanner(b: TradeBench, how: "rule" | "settle"): Planner {
  return async (seq) => {
    await drain(b);
    const terms = await escrowTermsOf(b, seq, FEE);
    const id = { escrow: 0n };
    const escrow = () => id.escrow;
    const toBuyer = BigInt(terms.milestones[0].amount) / 2n;
    const dispute: Step = {
      key: "dispute",
      send: () => b.escrow.connect(b.buyer.signer).dispute(id.escrow, 0, b.buyer.did, digestFor("trade.dispute", seq)),
      check: () => checkMilestone(b, id.escrow, 0, "Disputed"),
    };
    let settlement: { deadline: bigint; buyer: string; seller: string } | undefined;
    const resolve: Step =
      how === "rule"
        ? {
            key: "rule",
            send: () => b.escrow.connect(b.arbitrator.signer).rule(id.escrow, 0, toBuyer, digestFor("trade.case", seq)),
            check: () => checkMilestone(b, id.escrow, 0, "Resolved"),
          }
        : {
            key: "settle",
            before: async () => {
              const deadline = (await now(b)) + DAY;
              const digest = await b.escrow.settlementHash(id.escrow, 0, toBuyer, deadline);
              settlement = { deadline, buyer: sign(b.buyer, digest), seller: sign(b.university, digest) };
            },
            send: () => {
              if (!settlement) throw new Error("settlement not signed");
              const { deadline, buyer, seller } = settlement;
              const asBuyer = b.escrow.connect(b.buyer.signer);
              return asBuyer.settle(
                id.escrow,
                0,
                toBuyer,
                deadline,
                b.buyer.address,
                buyer,
                b.university.address,
                seller,
              );
            },
            check: () => checkMilestone(b, id.escrow, 0, "Resolved"),
          };
    const fund = { ...fundStep(b, escrow, 0), key: "fund", before: () => allow(b, terms) };
    return { steps: [openStep(b, terms, id), fund, dispute, resolve], done: resolve.check };
  };
}

/** An escrow whose milestone 0 falls due in a day: funded, left unconfirmed, reclaimed by the buyer after it. */
function reclaimPlanner(b: TradeBench): Planner {
  return async (seq) => {
    await drain(b);
    const terms = await escrowTermsOf(b, seq, FEE, DAY);
    const id = { escrow: 0n };
    const fund = { ...fundStep(b, () => id.escrow, 0), key: "fund", before: () => allow(b, terms) };
    const reclaim: Step = {
      key: "reclaim",
      before: () => advanceTo(b, BigInt(terms.milestones[0].due) + 1n),
      send: () => b.escrow.connect(b.buyer.signer).reclaim(id.escrow, 0, b.buyer.did),
      check: () => checkMilestone(b, id.escrow, 0, "Refunded"),
    };
    return { steps: [openStep(b, terms, id), fund, reclaim], done: reclaim.check };
  };
}

/** Step ids: "trade.fixed.full.confirmDeal". */
const fullStep = (key: string) => `trade.fixed.full.${key}`;
const minimalStep = (key: string) => `trade.fixed.min.${key}`;

/** Flow ids. */
const FLOW_FULL = "trade.flow.fixed.full";
const FLOW_MINIMAL = "trade.flow.fixed.min";
const flowInstalments = (n: number) => `trade.flow.fixed.min.${n}m`;
const FLOW_BROKER = "trade.flow.fixed.min.broker";
const FLOW_NO_FEE = "trade.flow.fixed.min.nofee";
const RECHECK = "trade.fixed.full.confirmDeal.recheck";
const DEAL_LICENCE = "trade.fixed.full.confirmDeal.licence";
/** Extra instalments measured beside the minimal flow's 1. */
const INSTALMENT_COUNTS = [2, 4] as const;

/** Escrow confirm ids by payees, e.g. "trade.escrow.confirm.h4.i0". */
const confirmId = (s: EscrowShape) =>
  `trade.escrow.confirm.h${s.holders}.i${s.inventors}${s.broker ? ".broker" : ""}${s.centreFeeBps === 0 ? ".nofee" : ""}`;
const HOLDER_COUNTS = [2, 4] as const;
const INVENTOR_COUNTS = [1, 2, 4] as const;
const CONFIRM_SHAPES: EscrowShape[] = [
  BARE,
  FEE,
  ...HOLDER_COUNTS.map((holders) => ({ ...FEE, holders })),
  ...INVENTOR_COUNTS.map((inventors) => ({ ...FEE, inventors })),
  { ...FEE, broker: true },
];

/** Labels of the full flow's steps. */
const FULL_STEPS: [string, string][] = [
  ["list", "list (2 instalments, 2 inventors; the university, a co-owner)"],
  ["approve", "approve (the other co-owner)"],
  ["publish", "publish (the centre, 3 % fee; marks the achievement listed)"],
  ["buy", "buy (fixed price)"],
  ["confirmDeal", "confirmDeal (re-checks, licence, escrow of 2 milestones, 2 holders, 2 inventors)"],
  ["fund.0", "fund milestone 1 (allowance given)"],
  ["confirm.0", "confirm milestone 1 (credits the centre, 2 inventors, 2 holders)"],
  ["fund.1", "fund milestone 2"],
  ["confirm.1", "confirm milestone 2"],
  ["withdraw.centre", "withdraw: the centre's fee"],
  ["withdraw.inventor.0", "withdraw: inventor 1"],
  ["withdraw.inventor.1", "withdraw: inventor 2"],
  ["withdraw.university", "withdraw: holder 1 (the university)"],
  ["withdraw.team", "withdraw: holder 2 (the team)"],
];

const MINIMAL_STEPS: [string, string][] = [
  ["list", "list (1 instalment, no inventor)"],
  ["publish", "publish"],
  ["buy", "buy"],
  ["confirmDeal", "confirmDeal (escrow of 1 milestone, 1 holder)"],
  ["fund.0", "fund (allowance given)"],
  ["confirm.0", "confirm (credits the centre and the holder)"],
  ["withdraw.centre", "withdraw: the centre's fee"],
  ["withdraw.university", "withdraw: the holder"],
];

const AUCTION_STEPS: [string, string][] = [
  ["registerBidder", "registerBidder (pays the deposit)"],
  ["bid.first", "bid: the first (at the reserve)"],
  ["bid.outbid", "bid: outbidding the highest"],
  ["close", "closeAuction (awards the highest bid)"],
  ["confirmDeal", "confirmDeal, the winner's deposit prefunded as milestone 1"],
  ["withdrawDeposit", "withdrawDeposit (the loser)"],
];

function tradeOperations(b: TradeBench): Operation[] {
  const full = fixedPlanner(b, FULL);
  const minimal = fixedPlanner(b, MINIMAL);
  const negotiated = negotiatedPlanner(b);
  const auction = auctionPlanner(b);
  const flows: FlowOperation[] = [
    flowOperation(FLOW_FULL, "fixed-price licence, whole (full)", full),
    flowOperation(FLOW_MINIMAL, "fixed-price licence, whole (minimal)", minimal),
    ...INSTALMENT_COUNTS.map((instalments) =>
      flowOperation(
        flowInstalments(instalments),
        `fixed-price licence, whole (minimal, ${instalments} instalments)`,
        fixedPlanner(b, { ...MINIMAL, instalments }),
      ),
    ),
    flowOperation(
      FLOW_BROKER,
      "fixed-price licence, whole (minimal, broker)",
      fixedPlanner(b, { ...MINIMAL, broker: true }),
    ),
    flowOperation(
      FLOW_NO_FEE,
      "fixed-price licence, whole (minimal, no fee)",
      fixedPlanner(b, { ...MINIMAL, centreFeeBps: 0 }),
    ),
  ];
  const steps = [
    ...FULL_STEPS.map(([key, label]) => stepOperation(fullStep(key), label, full, key)),
    ...MINIMAL_STEPS.map(([key, label]) => stepOperation(minimalStep(key), label, minimal, key)),
    stepOperation("trade.negotiated.accept", "accept (2 signatures)", negotiated, "accept"),
    stepOperation("trade.negotiated.confirmDeal", "confirmDeal (negotiated)", negotiated, "confirmDeal"),
    ...AUCTION_STEPS.map(([key, label]) => stepOperation(`trade.auction.${key}`, label, auction, key)),
  ];
  const bare = escrowPlanner(b, BARE);
  const escrow = [
    stepOperation("trade.escrow.open.bare", "open (1 holder, 1 milestone)", bare, "open"),
    stepOperation(
      "trade.escrow.open.full",
      "open (2 holders, 2 inventors, 2 milestones)",
      escrowPlanner(b, FULL_ESCROW),
      "open",
    ),
    stepOperation("trade.escrow.fund", "fund (allowance given)", bare, "fund"),
    flowOperation("trade.escrow.approveFund", "ERC-20 approve + fund", approveFundPlanner(b)),
    stepOperation("trade.escrow.fundWithPermit", "fundWithPermit", permitPlanner(b), "fundWithPermit"),
    ...CONFIRM_SHAPES.map((s) =>
      stepOperation(confirmId(s), `confirm (${payeeLabel(s)})`, escrowPlanner(b, s), "confirm"),
    ),
    stepOperation("trade.escrow.withdraw", "withdraw", bare, "withdraw.holder"),
    stepOperation("trade.escrow.dispute", "dispute", disputePlanner(b, "rule"), "dispute"),
    stepOperation("trade.escrow.rule", "rule (half back)", disputePlanner(b, "rule"), "rule"),
    stepOperation("trade.escrow.settle", "settle (2 signatures, half back)", disputePlanner(b, "settle"), "settle"),
    stepOperation("trade.escrow.reclaim", "reclaim", reclaimPlanner(b), "reclaim"),
  ];
  return [
    ...flows,
    ...steps,
    ...escrow,
    licenceRecordOperation(b),
    dealPartOperation(b, RECHECK, "confirmDeal's re-checks (from its trace)", recheckGas),
    dealPartOperation(b, DEAL_LICENCE, "confirmDeal's licence record (recordFor, from its trace)", licenceRecordGas),
  ];
}

function payeeLabel(s: EscrowShape): string {
  const parts = [
    ...(s.centreFeeBps !== 0 ? ["the centre"] : []),
    ...(s.broker ? ["a broker"] : []),
    plural(s.holders, "holder"),
    ...(s.inventors !== 0 ? [plural(s.inventors, "inventor")] : []),
  ];
  return parts.join(", ");
}

/** The licence record on its own: the centre records a licence of an achievement registered for the run. */
function licenceRecordOperation(b: TradeBench): TxOperation {
  const ids = new Map<number, bigint>();
  return {
    ...ours,
    id: "trade.licence.record",
    label: "LicenceRegister.record (a transaction of its own)",
    prepare: async (seq) => {
      const achievement = await registerAchievement(b, seq, MINIMAL);
      const start = await now(b);
      const terms = {
        kind: EXCLUSIVE,
        field: 480,
        territory: 310000,
        start,
        end: start + 5n * 365n * DAY,
        sublicensable: false,
      };
      ids.set(seq, (await b.licences.licenceCount()) + 1n);
      return () => b.licences.record(achievement, b.buyer.did, terms, digestFor("trade.licence.deal", seq));
    },
    verify: async (seq) => {
      const l = await b.licences.licenceOf(ids.get(seq) ?? 0n);
      check(l.licensee === b.buyer.did && l.achievement === registrationNumberOf(seq), "licence recorded");
      ids.delete(seq);
    },
  };
}

/** One step of a debug_traceTransaction struct log (memory and storage left out). */
interface TraceStep {
  op: string;
  depth: number;
  gas: number;
  stack?: string[];
}

/** The address a CALL or STATICCALL step calls (the second word from the top of its stack), lower case. */
function callee(step: TraceStep): string | undefined {
  const word = step.stack?.[step.stack.length - 2];
  if (word === undefined) return undefined;
  return `0x${BigInt(`0x${word.replace(/^0x/, "")}`)
    .toString(16)
    .padStart(40, "0")}`;
}

/** The market's own steps (depth 1) of a trace of one of its calls. */
const topLevel = (steps: TraceStep[]) => steps.filter((s) => s.depth === 1);

/**
 * The gas the deal's re-checks (`_checkStillListed`) take inside confirmDeal: from the market's first
 * call to the registry (the achievement's stage; then its disposal parties, twice: is the lister one,
 * has every one approved, with the approvals read) to the market's first storage write after it (the
 * listing marked Dealt). Nothing else runs in between.
 */
function recheckGas(steps: TraceStep[], a: { registry: string }): number {
  const top = topLevel(steps);
  const first = top.findIndex((s) => (s.op === "STATICCALL" || s.op === "CALL") && callee(s) === a.registry);
  const end = top.findIndex((s, i) => i > first && s.op === "SSTORE");
  check(first >= 0 && end > first, "confirmDeal reads the registry before its first write");
  return top[first].gas - top[end].gas;
}

/** The gas of confirmDeal's call to the licence register (`recordFor`), all in: the call and what it runs. */
function licenceRecordGas(steps: TraceStep[], a: { licences: string }): number {
  const top = topLevel(steps);
  const at = top.findIndex((s) => s.op === "CALL" && callee(s) === a.licences);
  check(at >= 0 && at + 1 < top.length, "confirmDeal calls the licence register");
  return top[at].gas - top[at + 1].gas;
}

/** Part of the full deal's confirmDeal (2 disposal parties, 2 inventors, 2 milestones), read from its trace. */
function dealPartOperation(
  b: TradeBench,
  id: string,
  label: string,
  read: (steps: TraceStep[], a: { registry: string; licences: string }) => number,
): PartOperation {
  const deal = stepOperation(id, label, fixedPlanner(b, FULL), "confirmDeal");
  return {
    ...ours,
    kind: "part",
    id,
    label,
    prepare: deal.prepare,
    verify: deal.verify,
    part: async (receipt) => {
      const registry = (await b.registry.getAddress()).toLowerCase();
      const licences = (await b.licences.getAddress()).toLowerCase();
      const options = { disableMemory: true, disableStorage: true };
      const trace = (await b.hre.network.provider.send("debug_traceTransaction", [receipt.hash, options])) as {
        structLogs: TraceStep[];
      };
      return read(trace.structLogs, { registry, licences });
    },
  };
}

/**
 * OpenZeppelin ERC-20 floors, on the stand-in currency: a transfer (what a pull payment's withdrawal
 * ends in) and a transferFrom of the whole allowance (what a payment in ends in), both by an account
 * holding the currency to one holding some already, as every payee here does.
 */
function erc20Operations(b: TradeBench, spender: HardhatEthersSigner): TxOperation[] {
  const base = { system: "floor", project: "OpenZeppelin ERC-20", items: 1, throughput: false } as const;
  const asBuyer = b.currency.connect(b.buyer.signer);
  const balances = new Map<number, bigint>();
  const received = (to: (seq: number) => string) => async (seq: number) =>
    check((await b.currency.balanceOf(to(seq))) === (balances.get(seq) ?? 0n) + PRICE, "ERC-20 received");
  const before = async (seq: number, to: string) => balances.set(seq, await b.currency.balanceOf(to));
  return [
    {
      ...base,
      id: ERC20_TRANSFER,
      label: "transfer (to an account holding some)",
      prepare: async (seq) => {
        await before(seq, b.holder);
        return () => asBuyer.transfer(b.holder, PRICE);
      },
      verify: received(() => b.holder),
    },
    {
      ...base,
      id: ERC20_TRANSFER_FROM,
      label: "transferFrom (the whole allowance, to an account holding some)",
      prepare: async (seq) => {
        await gasOf(() => asBuyer.approve(spender.address, PRICE));
        await before(seq, b.holder);
        return () => b.currency.connect(spender).transferFrom(b.buyer.address, b.holder, PRICE);
      },
      verify: received(() => b.holder),
    },
  ];
}

/** Molecule's list + fulfill, quoted: the issue's peer, whose bytecode no npm package ships. */
const MOLECULE: QuotedOperation = {
  kind: "quoted",
  id: MOLECULE_LIST_FULFILL,
  system: "peer",
  project: "Molecule IP-NFT",
  label: "list + fulfill",
  items: 1,
  throughput: false,
  gas: MOLECULE_QUOTE,
  source: MOLECULE_SOURCE,
};

/**
 * Sets up what every run shares: the registrar's and the centre's organisation DIDs (the registrar
 * enrolled); a university, a team, two inventors, a buyer, a second bidder and a broker with keys
 * (the broker under the university's TRADE mandate); an arbitration commission admitted by the
 * council (the Council contract, impersonated: on a real chain, a proposal) with a DID; currency
 * minted to the buyers and to a holder. Then warm-ups, left in place, so that no measured run writes
 * a counter or a balance from zero that a working market has long written: a full deal and a broker's
 * deal played to the end (every payee and the broker hold the currency), an escrow with a funded
 * milestone and a balance never withdrawn, a permit of the buyer's, and an auction's deposit never
 * withdrawn.
 */
async function setUp(hre: HardhatRuntimeEnvironment): Promise<TradeBench> {
  const at = async (name: string) => (await hre.deployments.get(name)).address;
  const ctx = { hre };
  const registrar = await memberSigner(ctx, MEMBER_ROLES.REGISTRAR, "registrar");
  const centreSigner = await memberSigner(ctx, MEMBER_ROLES.TRADING_CENTRE, "trading centre");
  const identity = IdentityRegistry__factory.connect(await at("IdentityRegistry"), registrar);
  await registerDid({ identity }, registrar.address, "registrar", ORGANISATION);
  const rights = AchievementRights__factory.connect(await at("AchievementRights"), registrar);
  await gasOf(() => rights.enrolRegistrar(registrar.address));
  const centre = {
    did: await registerDid({ identity }, centreSigner.address, "centre", ORGANISATION),
    signer: centreSigner,
    address: centreSigner.address,
  };
  const council = await freshSigner(hre, await at("Council"));
  const arbitratorSigner = await freshSigner(hre, addressFor("trade.arbitrator.key", 0));
  const members = MemberRegistry__factory.connect(await at("MemberRegistry"), council);
  const documents = digestFor("trade.arbitrator.documents", 0);
  const name = "Municipal Arbitration Commission (仲裁委员会)";
  await gasOf(() => members.admitMember(name, documents, [arbitratorSigner.address], [MEMBER_ROLES.ARBITRATOR]));
  const arbitrator = {
    did: await registerDid({ identity }, arbitratorSigner.address, "arbitrator", ORGANISATION),
    signer: arbitratorSigner,
    address: arbitratorSigner.address,
  };
  const currencyAddress = await at("StandInCurrency");
  const minter = await hre.ethers.getSigner(await StandInCurrency__factory.connect(currencyAddress, registrar).owner());
  const currency = StandInCurrency__factory.connect(currencyAddress, minter);
  const party = (what: string, kind: number) => signatory(hre, identity, what, kind);
  const university = await party("university", ORGANISATION);
  const team = await party("team", PERSON);
  const inventors: [Signatory, Signatory] = [await party("inventor.0", PERSON), await party("inventor.1", PERSON)];
  const buyer = await party("buyer", ORGANISATION);
  const bidder = await party("bidder", ORGANISATION);
  const broker = await party("broker", ORGANISATION);
  await gasOf(() =>
    identity.connect(university.signer).grantMandate(university.did, broker.did, SCOPES.TRADE, FOREVER),
  );
  const holder = addressFor("trade.erc20.holder", 0);
  for (const to of [buyer.address, bidder.address]) await gasOf(() => currency.mint(to, BUYER_FUNDS));
  await gasOf(() => currency.mint(holder, PRICE));
  const t0 = await now({ hre });
  const escrowAddress = await at("SettlementEscrow");
  const marketAddress = await at("LicenceMarket");
  const market = LicenceMarket__factory.connect(marketAddress, centreSigner);
  const b: TradeBench = {
    hre,
    market,
    escrow: SettlementEscrow__factory.connect(escrowAddress, centreSigner),
    licences: LicenceRegister__factory.connect(await at("LicenceRegister"), centreSigner),
    registry: AchievementRegistry__factory.connect(await at("AchievementRegistry"), registrar),
    identity,
    currency,
    token: currencyAddress,
    escrowAddress,
    marketAddress,
    centre,
    arbitrator,
    university,
    team,
    inventors,
    buyer,
    bidder,
    broker,
    holder,
    payees: [centre, university, team, ...inventors, buyer, bidder, broker],
    researchStart: t0 - 3n * 365n * DAY,
    researchEnd: t0 - 30n * DAY,
    handover: t0 + 365n * DAY,
  };
  await warmUp(b);
  return b;
}

/** Plays `plan`'s first `count` steps (all by default), untimed. */
async function play(plan: Plan, count = plan.steps.length): Promise<void> {
  for (const s of plan.steps.slice(0, count)) {
    await s.before?.();
    await gasOf(s.send);
  }
}

async function warmUp(b: TradeBench): Promise<void> {
  const full = await fixedPlanner(b, FULL)(WARM_UP);
  await play(full);
  await full.done();
  const brokered = await fixedPlanner(b, { ...MINIMAL, broker: true })(WARM_UP + 1);
  await play(brokered);
  await brokered.done();
  // Left funded and owed: the escrow's token balance and its held and owed totals never start from
  // zero. Its holder is a DID of its own, so no drain ever withdraws that balance.
  const warm = await passiveDid(b, "warm.holder", WARM_UP, 0);
  const idle = {
    ...(await escrowTermsOf(b, WARM_UP, { ...BARE, milestones: 2 })),
    holders: [{ did: warm, bps: WHOLE }],
  };
  const id = { escrow: 0n };
  await gasOf(openStep(b, idle, id).send);
  await gasOf(() => b.currency.connect(b.buyer.signer).approve(b.escrowAddress, PRICE));
  for (const i of [0, 1]) await gasOf(() => b.escrow.connect(b.buyer.signer).fund(id.escrow, i, b.buyer.did));
  await gasOf(() => b.escrow.connect(b.buyer.signer).confirm(id.escrow, 0, b.buyer.did));
  // The buyer's first permit writes its nonce from zero: no measured one does.
  await play(await permitPlanner(b)(WARM_UP + 3));
  // Left with a deposit registered: the market's held deposits never start from zero.
  const auction = await auctionPlanner(b)(WARM_UP + 2);
  await play(auction, auction.steps.findIndex((s) => s.key === "registerBidder") + 1);
}

const TRADE = "trade";

const fixedRow = (id: string, operation: string, floor = FLOOR_SINGLE): RowSpec => ({
  module: TRADE,
  operation,
  ours: id,
  floor,
});

/** The floor of a step: a payment in is a transferFrom, a payment out a transfer, the rest one storage write. */
function floorOf(key: string): string {
  if (key.startsWith("fund") || key === "registerBidder") return ERC20_TRANSFER_FROM;
  if (key.startsWith("withdraw")) return ERC20_TRANSFER;
  return FLOOR_SINGLE;
}

const TRADE_ROWS: RowSpec[] = [
  {
    module: TRADE,
    operation: "fixed-price licence, minimal, whole: 1 owner, no inventor, 1 instalment (8 tx)",
    ours: FLOW_MINIMAL,
    peer: MOLECULE_LIST_FULFILL,
    floor: ERC20_TRANSFER,
  },
  {
    module: TRADE,
    operation: "fixed-price licence, full, whole: 2 co-owners, 2 inventors, 2 instalments (14 tx)",
    ours: FLOW_FULL,
    peer: MOLECULE_LIST_FULFILL,
    floor: ERC20_TRANSFER,
  },
  ...INSTALMENT_COUNTS.map((n) =>
    fixedRow(flowInstalments(n), `fixed-price licence, minimal with ${n} instalments, whole`, ERC20_TRANSFER),
  ),
  fixedRow(FLOW_BROKER, "fixed-price licence, minimal with a broker (2 %), whole", ERC20_TRANSFER),
  fixedRow(FLOW_NO_FEE, "fixed-price licence, minimal without the centre's fee, whole", ERC20_TRANSFER),
  ...FULL_STEPS.map(([key, label]) => fixedRow(fullStep(key), `full deal: ${label}`, floorOf(key))),
  ...MINIMAL_STEPS.map(([key, label]) => fixedRow(minimalStep(key), `minimal deal: ${label}`, floorOf(key))),
  fixedRow("trade.negotiated.accept", "negotiated: accept an offer (buyer's and seller's signatures)"),
  fixedRow("trade.negotiated.confirmDeal", "negotiated: confirmDeal after the notice period"),
  ...AUCTION_STEPS.map(([key, label]) => fixedRow(`trade.auction.${key}`, `auction: ${label}`, floorOf(key))),
  fixedRow("trade.escrow.open.bare", "escrow: open (1 holder, 1 milestone, no fee)"),
  fixedRow("trade.escrow.open.full", "escrow: open (2 holders, 2 inventors, 2 milestones, fee)"),
  fixedRow("trade.escrow.fund", "escrow: fund (allowance given)", ERC20_TRANSFER_FROM),
  fixedRow("trade.escrow.approveFund", "escrow: fund by approve (ERC-20 approve + fund, 2 tx)", ERC20_TRANSFER_FROM),
  fixedRow("trade.escrow.fundWithPermit", "escrow: fund by permit (fundWithPermit, 1 tx)", ERC20_TRANSFER_FROM),
  ...CONFIRM_SHAPES.map((s) => fixedRow(confirmId(s), `escrow: confirm, crediting ${payeeLabel(s)}`)),
  fixedRow("trade.escrow.withdraw", "escrow: withdraw (a pull payment)", ERC20_TRANSFER),
  fixedRow("trade.escrow.dispute", "escrow: dispute (the buyer)"),
  fixedRow("trade.escrow.rule", "escrow: rule, half back (the arbitrator; credits buyer, centre, holder)"),
  fixedRow("trade.escrow.settle", "escrow: settle, half back (2 signatures)"),
  fixedRow("trade.escrow.reclaim", "escrow: reclaim after the due time (the buyer)"),
  fixedRow("trade.licence.record", "licence record (LicenceRegister.record on its own)"),
  {
    module: TRADE,
    operation: "full deal: confirmDeal's re-checks (part of it, from its trace: stage, 2 parties, approvals)",
    ours: RECHECK,
  },
  {
    module: TRADE,
    operation: "full deal: confirmDeal's licence record (part of it, from its trace: the recordFor call)",
    ours: DEAL_LICENCE,
  },
];

/** `gasOf` of every id, or undefined if one is missing. */
function all(gasOf: (id: string) => number | undefined, ids: string[]): number[] | undefined {
  const values = ids.map(gasOf);
  return values.every((v): v is number => v !== undefined) ? values : undefined;
}

/**
 * Limits of this suite, set from what it measured and rounded up (issue 6 sets none in gas): they
 * hold the market to its present cost, so a change that makes a deal dearer shows as a missed target.
 */
export const TRADE_LIMITS = {
  minimalTimesMolecule: 7.5,
  fullTimesMolecule: 11,
  escrowOverTransfer: 450_000,
  perInstalment: 240_000,
  perHolder: 30_000,
  perInventor: 30_000,
  broker: 110_000,
  centreFee: 100_000,
  coOwnerApproval: 100_000,
  licenceRecord: 250_000,
  recheck: 45_000,
} as const;

const difference = (gasOf: (id: string) => number | undefined, a: string, b: string, per = 1) => {
  const v = all(gasOf, [a, b]);
  return v && (v[0] - v[1]) / per;
};

const TRADE_TARGETS: TargetSpec[] = [
  {
    module: TRADE,
    what: `whole minimal fixed-price licence ≤ ${TRADE_LIMITS.minimalTimesMolecule}× Molecule's quoted list + fulfill (${gas(MOLECULE_QUOTE)})`,
    how: "the 8 transactions' gasUsed summed, median of runs",
    limit: TRADE_LIMITS.minimalTimesMolecule * MOLECULE_QUOTE,
    figure: (gasOf) => gasOf(FLOW_MINIMAL),
  },
  {
    module: TRADE,
    what: `whole full fixed-price licence ≤ ${TRADE_LIMITS.fullTimesMolecule}× Molecule's quoted list + fulfill`,
    how: "the 14 transactions' gasUsed summed, median of runs",
    limit: TRADE_LIMITS.fullTimesMolecule * MOLECULE_QUOTE,
    figure: (gasOf) => gasOf(FLOW_FULL),
  },
  {
    module: TRADE,
    what: "the escrow, over a plain transfer",
    how: "open + fund + confirm + withdraw (1 holder, no fee) − ERC-20 transfer",
    limit: TRADE_LIMITS.escrowOverTransfer,
    figure: (gasOf) => {
      const ids = ["trade.escrow.open.bare", "trade.escrow.fund", confirmId(BARE), "trade.escrow.withdraw"];
      const v = all(gasOf, [...ids, ERC20_TRANSFER]);
      return v && v[0] + v[1] + v[2] + v[3] - v[4];
    },
  },
  ...INSTALMENT_COUNTS.map((n): TargetSpec => ({
    module: TRADE,
    what: "each extra instalment (milestone) of a whole deal",
    how: `(minimal with ${n} − minimal with 1) / ${n - 1}: listing, escrow, fund, confirm`,
    limit: TRADE_LIMITS.perInstalment,
    figure: (gasOf) => difference(gasOf, flowInstalments(n), FLOW_MINIMAL, n - 1),
  })),
  ...HOLDER_COUNTS.map((n): TargetSpec => ({
    module: TRADE,
    what: "each extra income holder on release",
    how: `(confirm with ${n} holders − with 1) / ${n - 1}`,
    limit: TRADE_LIMITS.perHolder,
    figure: (gasOf) => difference(gasOf, confirmId({ ...FEE, holders: n }), confirmId(FEE), n - 1),
  })),
  ...INVENTOR_COUNTS.map((n): TargetSpec => ({
    module: TRADE,
    what: n === 1 ? "the first inventor on release (the pool)" : "each extra inventor on release",
    how: n === 1 ? "confirm with 1 inventor − with none" : `(confirm with ${n} inventors − with 1) / ${n - 1}`,
    limit: TRADE_LIMITS.perInventor,
    figure: (gasOf) =>
      n === 1
        ? difference(gasOf, confirmId({ ...FEE, inventors: 1 }), confirmId(FEE))
        : difference(gasOf, confirmId({ ...FEE, inventors: n }), confirmId({ ...FEE, inventors: 1 }), n - 1),
  })),
  {
    module: TRADE,
    what: "the broker, whole deal",
    how: "minimal with a broker − minimal: mandate check, commission credit, its withdrawal",
    limit: TRADE_LIMITS.broker,
    figure: (gasOf) => difference(gasOf, FLOW_BROKER, FLOW_MINIMAL),
  },
  {
    module: TRADE,
    what: "the centre's fee, whole deal",
    how: "minimal − minimal without the fee: credit and the centre's withdrawal",
    limit: TRADE_LIMITS.centreFee,
    figure: (gasOf) => difference(gasOf, FLOW_MINIMAL, FLOW_NO_FEE),
  },
  {
    module: TRADE,
    what: "the co-owner's approval",
    how: "approve + its check at publish (publish, full − minimal deal)",
    limit: TRADE_LIMITS.coOwnerApproval,
    figure: (gasOf) => {
      const v = all(gasOf, [fullStep("approve"), fullStep("publish"), minimalStep("publish")]);
      return v && v[0] + v[1] - v[2];
    },
  },
  {
    module: TRADE,
    what: "the licence record",
    how: "part of the full deal's confirmDeal, from its trace: the recordFor call",
    limit: TRADE_LIMITS.licenceRecord,
    figure: (gasOf) => gasOf(DEAL_LICENCE),
  },
  {
    module: TRADE,
    what: "the deal's re-checks",
    how: "part of the full deal's confirmDeal, from its trace: stage, 2 disposal parties, 2 approvals",
    limit: TRADE_LIMITS.recheck,
    figure: (gasOf) => gasOf(RECHECK),
  },
];

/**
 * The licence market, end to end, on the deployed suite (hardhat-deploy fixture): fixed-price deals
 * whole and step by step, negotiated and auction steps, the settlement escrow's steps, the licence
 * record, against Molecule's quoted list + fulfill and OpenZeppelin ERC-20 floors.
 */
export const tradeSuite: Suite = {
  name: TRADE,
  async setup(ctx): Promise<Operation[]> {
    await ctx.hre.deployments.fixture();
    await ctx.hre.network.provider.send("evm_mine", []);
    const b = await setUp(ctx.hre);
    const spender = await freshSigner(ctx.hre, addressFor("trade.erc20.spender", 0));
    return [MOLECULE, ...erc20Operations(b, spender), ...tradeOperations(b)];
  },
  rows: TRADE_ROWS,
  targets: TRADE_TARGETS,
};
