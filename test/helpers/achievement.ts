import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { deployments, ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import type { Signer } from "ethers";
import {
  AchievementKind,
  Classification,
  consentDomain,
  formatRegistrationNumber,
  PLEDGE_TYPES,
  RIGHTS_CHANGE_TYPES,
  Secrecy,
} from "../../src/sdk/achievement-types";
import { MEMBER_ROLES, ROLES } from "../../src/sdk/roles";
import {
  AchievementRegistry__factory,
  AchievementRights__factory,
  type AchievementRegistry,
  type AchievementRights,
  type IAchievementRegistry,
  type IAchievementRights,
} from "../../typechain-types";
import { admitOrganisation, newArbitrator, type Organisation } from "./evidence";
import { syncClock } from "./consortium";
import { accreditedTopic, DidKind, hashOf, identityFixture, registerDid, type IdentityModule } from "./identity";

export type Registration = IAchievementRegistry.RegistrationStruct;
export type RightsChange = IAchievementRegistry.RightsChangeStruct;
export type PledgeTerms = IAchievementRights.PledgeTermsStruct;
export type Holding = IAchievementRegistry.HoldingStruct;

/** A party of the tests: a DID and the account that acts for it. */
export interface Party {
  did: bigint;
  account: Signer;
  address: string;
}

export interface AchievementModule extends IdentityModule {
  achievements: AchievementRegistry;
  rights: AchievementRights;
  /** The registration agency (Science Dept, REGISTRAR), with an active organisation DID. */
  registrarDid: bigint;
  /** A university (organisation DID; not a member). */
  university: Party;
  /** A research team lead (person DID). */
  team: Party;
  /** A second team member, inventor (person DID). */
  inventor: Party;
  /** A bank (organisation DID), lender of pledges. */
  bank: Party;
  /** An evaluation agency, accredited through a claim of {evaluatorTopic}. */
  evaluator: Party;
  evaluatorTopic: bigint;
  /** An arbitration commission (ARBITRATOR role, active DID). */
  arbitrator: Organisation;
  /** An account with the ACHIEVEMENT_MARKET role, standing for the trading module. */
  marketAccount: HardhatEthersSigner;
  /** Any other party with an active DID and no part in anything. */
  outsider: Party;
}

/**
 * The deployed suite with the achievement module: the registrar gets a DID; a university, a team,
 * an inventor, a bank, an evaluator (accredited by the registrar through the evaluator topic, which
 * the council names) and an outsider get DIDs on Hardhat accounts #5–#10; an arbitrator on #11;
 * account #12 holds ACHIEVEMENT_MARKET. The registrar and the evaluator are enrolled.
 */
async function buildAchievementModule(): Promise<AchievementModule> {
  const m = await identityFixture();
  const s = await ethers.getSigners();
  const at = async (name: string) => (await deployments.get(name)).address;
  const achievements = AchievementRegistry__factory.connect(await at("AchievementRegistry"), m.registrar);
  const rights = AchievementRights__factory.connect(await at("AchievementRights"), m.registrar);
  const registrarDid = await registerDid(
    m,
    DidKind.Organisation,
    [{ account: m.registrar.address }],
    hashOf("did:sci"),
  );
  const party = async (signer: HardhatEthersSigner, kind: DidKind, label: string): Promise<Party> => ({
    did: await registerDid(m, kind, [{ account: signer.address }], hashOf(label)),
    account: signer,
    address: signer.address,
  });
  const university = await party(s[5], DidKind.Organisation, "did:university");
  const team = await party(s[6], DidKind.Person, "did:team");
  const inventor = await party(s[7], DidKind.Person, "did:inventor");
  const bank = await party(s[8], DidKind.Organisation, "did:bank");
  const evaluator = await party(s[9], DidKind.Organisation, "did:evaluator");
  const outsider = await party(s[10], DidKind.Person, "did:outsider");
  const arbitrator = await newArbitrator(m, s[11]);
  const evaluatorTopic = await accreditedTopic(m, registrarDid, "achievement evaluator (科技成果评价机构)");
  await (
    await m.identity.issueClaim(evaluator.did, evaluatorTopic, hashOf("accreditation:evaluator"), 0, 2n ** 40n - 1n)
  ).wait();
  await (await rights.connect(m.councilSigner).setEvaluatorTopic(evaluatorTopic)).wait();
  await (await rights.enrolRegistrar(m.registrar.address)).wait();
  await (await rights.enrolEvaluator(evaluator.address, evaluator.did)).wait();
  const market = s[12];
  await asAdmin(
    m,
    m.authority.interface.encodeFunctionData("grantRole", [ROLES.ACHIEVEMENT_MARKET, market.address, 0]),
  );
  return {
    ...m,
    achievements,
    rights,
    registrarDid,
    university,
    team,
    inventor,
    bank,
    evaluator,
    evaluatorTopic,
    arbitrator,
    marketAccount: market,
    outsider,
  };
}

/**
 * {@link buildAchievementModule} behind hardhat-deploy's fixture cache: the first call builds it and
 * takes a snapshot, later calls revert to it. Unlike `loadFixture`, it builds again when another
 * file's `deployments.fixture()` reverted past its snapshot, so call it directly, not through
 * `loadFixture`.
 */
const cachedAchievementModule = deployments.createFixture(() => buildAchievementModule());

export async function achievementFixture(): Promise<AchievementModule> {
  const m = await cachedAchievementModule();
  await syncClock();
  return m;
}

/** Runs `data` on the authority as the council with ADMIN: schedules it, waits out the delay, executes. */
async function asAdmin(m: IdentityModule, data: string): Promise<void> {
  const authority = m.authority.connect(m.councilSigner);
  const target = await authority.getAddress();
  await (await authority.schedule(target, data, 0)).wait();
  const [, delay] = await authority.hasRole(ROLES.ADMIN, await m.council.getAddress());
  await time.increase(delay);
  await (await authority.execute(target, data)).wait();
}

let serial = 0;

/** A fresh valid registration number (region 31, year 2026, type 2). */
export function nextRegistrationNumber(): bigint {
  serial += 1;
  return formatRegistrationNumber({ region: 31, year: 2026, type: 2, serial });
}

/** A registration of a patent co-owned by `owners` (the first holds the token), with `inventors`. */
export function registrationOf(
  owners: { party: Party; bps: number }[],
  inventors: Party[] = [],
  overrides: Partial<Registration> = {},
): Registration {
  const number = overrides.registrationNumber ?? nextRegistrationNumber();
  return {
    registrationNumber: number,
    kind: AchievementKind.Patent,
    classification: Classification.AppliedResearch,
    secrecy: Secrecy.Open,
    metadata: hashOf(`form:${number}`),
    metadataURI: `ipfs://form-${number}`,
    externalIds: [hashOf(`patent:ZL2026${number}`)],
    owners: owners.map((o) => ({ did: o.party.did, bps: o.bps })),
    inventors: inventors.map((i) => i.did),
    holder: owners[0].party.address,
    form: {
      name: "一种高效固态电池电解质 (solid-state electrolyte)",
      firstOrganisation: owners[0].party.did,
      recommender: 0,
      researchStart: 1_700_000_000,
      researchEnd: 1_760_000_000,
      field: 480_20,
      form: 1,
      stage: 2,
      keywords: ["battery", "electrolyte", "solid-state"],
    },
    ...overrides,
  };
}

/** Registers `r` as the registrar and returns its id. */
export async function register(m: AchievementModule, r: Registration): Promise<bigint> {
  await (await m.achievements.connect(m.registrar).register(r)).wait();
  return BigInt(r.registrationNumber);
}

/** The EIP-712 signature by `party` of change `c`. */
export async function signChange(m: AchievementModule, party: Party, c: RightsChange) {
  const { chainId } = await ethers.provider.getNetwork();
  const signature = await party.account.signTypedData(
    consentDomain(chainId, await m.rights.getAddress()),
    RIGHTS_CHANGE_TYPES,
    c,
  );
  return { did: party.did, signer: party.address, signature };
}

/** The EIP-712 signature by `party` of pledge terms `p`. */
export async function signPledge(m: AchievementModule, party: Party, p: PledgeTerms) {
  const { chainId } = await ethers.provider.getNetwork();
  const signature = await party.account.signTypedData(
    consentDomain(chainId, await m.rights.getAddress()),
    PLEDGE_TYPES,
    p,
  );
  return { did: party.did, signer: party.address, signature };
}

/** Admits an extra member organisation holding ARBITRATOR etc.: re-exported for achievement tests. */
export { admitOrganisation, MEMBER_ROLES };
