import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { deployments, ethers } from "hardhat";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import {
  LicenceMarket__factory,
  LicenceRegister__factory,
  SettlementEscrow__factory,
  StandInCurrency__factory,
  type ILicenceMarket,
  type ISettlementEscrow,
  type LicenceMarket,
  type LicenceRegister,
  type SettlementEscrow,
  type StandInCurrency,
} from "../../typechain-types";
import { achievementFixture, register, registrationOf, type AchievementModule, type Party } from "./achievement";
import { syncClock } from "./consortium";
import { DidKind, hashOf, registerDid } from "./identity";

export type Terms = ISettlementEscrow.TermsStruct;
export type ListingTerms = ILicenceMarket.ListingTermsStruct;

/** Mirrors ILicenceMarket.Mode. */
export enum Mode {
  Fixed,
  Negotiated,
  Auction,
}

/** Mirrors ILicenceMarket.ListingStatus. */
export enum ListingStatus {
  None,
  Submitted,
  Published,
  Awarded,
  Dealt,
  Withdrawn,
  Lapsed,
}

/** Mirrors ILicenceRegister.LicenceKind. */
export enum LicenceKind {
  Exclusive,
  Sole,
  NonExclusive,
}

/** Mirrors ISettlementEscrow.MilestoneStatus. */
export enum MilestoneStatus {
  None,
  Awaiting,
  Funded,
  Released,
  Refunded,
  Disputed,
  Resolved,
}

export interface TradeModule extends AchievementModule {
  escrow: SettlementEscrow;
  /** The licence market, connected to the centre's account. */
  market: LicenceMarket;
  /** The licence register, connected to the centre's account. */
  licences: LicenceRegister;
  /** The stand-in settlement token (2 decimals); the deployer mints it. */
  currency: StandInCurrency;
  /** The Technology Exchange Centre (founding member, TRADING_CENTRE), with an organisation DID. */
  centre: Party;
  /** A company that buys licences (organisation DID), funded with 10,000,000.00 of the currency. */
  buyer: Party;
  /** A broker (organisation DID). */
  broker: Party;
}

/** The escrow's inventors' reward floor on the embedded chain (GOVLEDGER_INVENTOR_FLOOR_BPS default). */
export const INVENTOR_FLOOR_BPS = 1000;
/** 10,000,000.00 in the stand-in currency (2 decimals). */
export const BUYER_FUNDS = 1_000_000_000n;

async function buildTradeModule(): Promise<TradeModule> {
  const m = await achievementFixture();
  const s = await ethers.getSigners();
  const at = async (name: string) => (await deployments.get(name)).address;
  const centreMember = m.config.members.find((x) => x.roles.includes(MEMBER_ROLES.TRADING_CENTRE));
  if (!centreMember) throw new Error("the consortium file names no trading centre");
  const centreSigner = s.find((x) => x.address === centreMember.accounts[0]) as HardhatEthersSigner;
  const escrow = SettlementEscrow__factory.connect(await at("SettlementEscrow"), centreSigner);
  const currency = StandInCurrency__factory.connect(await at("StandInCurrency"), m.deployer);
  const licences = LicenceRegister__factory.connect(await at("LicenceRegister"), centreSigner);
  const marketContract = LicenceMarket__factory.connect(await at("LicenceMarket"), centreSigner);
  const party = async (signer: HardhatEthersSigner, label: string): Promise<Party> => ({
    did: await registerDid(m, DidKind.Organisation, [{ account: signer.address }], hashOf(label)),
    account: signer,
    address: signer.address,
  });
  const centre = await party(centreSigner, "did:exchange-centre");
  const buyer = await party(s[14], "did:buyer-company");
  const broker = await party(s[15], "did:broker");
  await (await currency.mint(buyer.address, BUYER_FUNDS)).wait();
  return { ...m, escrow, market: marketContract, licences, currency, centre, buyer, broker };
}

/**
 * The deployed suite with the achievement module, the settlement escrow and the stand-in currency:
 * the exchange centre (#3), a buyer company (#14, funded) and a broker (#15) get organisation DIDs.
 * Cached by hardhat-deploy like {@link achievementFixture}: call it directly, not through loadFixture.
 */
const cachedTradeModule = deployments.createFixture(() => buildTradeModule());

export async function tradeFixture(): Promise<TradeModule> {
  const m = await cachedTradeModule();
  await syncClock();
  return m;
}

/**
 * Terms of a licence paid in two milestones (300,000.00 due in 30 days, 700,000.00 in 90), sold by the
 * university to the buyer: 3 % centre fee, 2 % broker commission, 10 % to the inventor and the team,
 * the rest to the university (70 %) and the team (30 %) as income-right holders.
 */
export async function termsOf(m: TradeModule, overrides: Partial<Terms> = {}): Promise<Terms> {
  const block = await ethers.provider.getBlock("latest");
  const now = BigInt(block!.timestamp);
  const day = 86_400n;
  return {
    token: await m.currency.getAddress(),
    dealRef: hashOf(`deal confirmation (成交确认书) ${now}`),
    buyer: m.buyer.did,
    seller: m.university.did,
    broker: m.broker.did,
    centreFeeBps: 300,
    brokerBps: 200,
    inventorBps: 1000,
    holders: [
      { did: m.university.did, bps: 7000 },
      { did: m.team.did, bps: 3000 },
    ],
    inventors: [m.inventor.did, m.team.did],
    milestones: [
      { amount: 30_000_000n, due: now + 30n * day },
      { amount: 70_000_000n, due: now + 90n * day },
    ],
    ...overrides,
  };
}

/** Opens an escrow on `terms` as the centre and returns its id. */
export async function openEscrow(m: TradeModule, terms: Terms): Promise<bigint> {
  await (await m.escrow.connect(m.centre.account).open(terms)).wait();
  return m.escrow.escrowCount();
}

/**
 * Registers a patent co-owned by the university (70 %, token holder) and the team (30 %), invented by
 * the inventor and the team, and returns its id: the object of the market's listings.
 */
export async function registerPatent(m: TradeModule): Promise<bigint> {
  return register(
    m,
    registrationOf(
      [
        { party: m.university, bps: 7000 },
        { party: m.team, bps: 3000 },
      ],
      [m.inventor, m.team],
    ),
  );
}

/**
 * A listing of `achievement` by the university, to be published by the centre: a 5-year exclusive
 * licence for field 480 in territory 310000 starting at the deal, at a fixed price of 1,000,000.00,
 * paid 30 % after 30 days and 70 % after 90; 10 % to the inventors.
 */
export function listingTermsOf(
  m: TradeModule,
  achievement: bigint,
  overrides: Partial<ListingTerms> = {},
): ListingTerms {
  return {
    achievement,
    centre: m.centre.did,
    mode: Mode.Fixed,
    token: m.currency.target as string,
    price: 100_000_000n,
    minIncrement: 0n,
    deposit: 0n,
    biddingEnds: 0n,
    brokerBps: 0,
    inventorBps: 1000,
    licence: {
      kind: LicenceKind.Exclusive,
      field: 480,
      territory: 310000,
      start: 0n,
      term: 5n * 365n * 86_400n,
      sublicensable: false,
    },
    schedule: [
      { bps: 3000, dueAfter: 30 * 86_400 },
      { bps: 7000, dueAfter: 90 * 86_400 },
    ],
    termsHash: hashOf("listing document (挂牌文件)"),
    ...overrides,
  };
}

/** Submits `terms` as the university, approves it as the team, and returns the listing id. */
export async function submitListing(m: TradeModule, terms: ListingTerms): Promise<bigint> {
  await (await m.market.connect(m.university.account).list(terms, m.university.did)).wait();
  const id = await m.market.listingCount();
  await (await m.market.connect(m.team.account).approve(id, m.team.did)).wait();
  return id;
}

/** Submits, approves and publishes `terms` with a 3 % centre fee; returns the listing id. */
export async function publishListing(m: TradeModule, terms: ListingTerms): Promise<bigint> {
  const id = await submitListing(m, terms);
  await (await m.market.publish(id, 300)).wait();
  return id;
}

/** The EIP-712 type of a negotiated offer (ILicenceMarket.Offer), domain "govledger-market" version 1. */
export const OFFER_TYPES = {
  Offer: [
    { name: "listing", type: "uint256" },
    { name: "round", type: "uint32" },
    { name: "buyer", type: "uint64" },
    { name: "price", type: "uint128" },
    { name: "expiry", type: "uint48" },
  ],
};

export type Offer = ILicenceMarket.OfferStruct;
type Domain = import("ethers").TypedDataDomain;

/** The market's EIP-712 domain, with `overrides` (to sign for another chain or contract). */
export async function offerDomain(m: TradeModule, overrides: Partial<Domain> = {}): Promise<Domain> {
  const d = await m.market.eip712Domain();
  return { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract, ...overrides };
}

/** `party`'s signature of `offer` in the market's domain (or `domain`): { signer, signature }. */
export async function signOffer(m: TradeModule, party: Party, offer: Offer, domain?: Domain) {
  const signature = await party.account.signTypedData(domain ?? (await offerDomain(m)), OFFER_TYPES, offer);
  return { signer: party.address, signature };
}
