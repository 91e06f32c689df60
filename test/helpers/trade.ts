import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { deployments, ethers } from "hardhat";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import {
  LicenceRegister__factory,
  SettlementEscrow__factory,
  StandInCurrency__factory,
  type ISettlementEscrow,
  type LicenceRegister,
  type SettlementEscrow,
  type StandInCurrency,
} from "../../typechain-types";
import { achievementFixture, type AchievementModule, type Party } from "./achievement";
import { syncClock } from "./consortium";
import { DidKind, hashOf, registerDid } from "./identity";

export type Terms = ISettlementEscrow.TermsStruct;

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
  const party = async (signer: HardhatEthersSigner, label: string): Promise<Party> => ({
    did: await registerDid(m, DidKind.Organisation, [{ account: signer.address }], hashOf(label)),
    account: signer,
    address: signer.address,
  });
  const centre = await party(centreSigner, "did:exchange-centre");
  const buyer = await party(s[14], "did:buyer-company");
  const broker = await party(s[15], "did:broker");
  await (await currency.mint(buyer.address, BUYER_FUNDS)).wait();
  return { ...m, escrow, licences, currency, centre, buyer, broker };
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
