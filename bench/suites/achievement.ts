import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Wallet, ZeroAddress } from "ethers";
import {
  AchievementKind,
  AchievementStatus,
  Classification,
  PLEDGE_TYPES,
  RIGHTS_CHANGE_TYPES,
  Right,
  Secrecy,
  consentDomain,
  formatRegistrationNumber,
} from "../../src/sdk/achievement-types";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import {
  AchievementRegistry__factory,
  AchievementRights__factory,
  ERC721Floor__factory,
  IdentityRegistry__factory,
  type AchievementRegistry,
  type AchievementRights,
  type ERC721Floor,
  type IAchievementRegistry,
  type IAchievementRights,
  type IdentityRegistry,
} from "../../typechain-types";
import { addressFor, check, digestFor, freshSigner, memberSigner } from "../lib/chain";
import { gasOf } from "../lib/measure";
import type { BenchContext, Operation, RowSpec, Suite, TargetSpec, TxOperation } from "../lib/types";
import { FLOOR_SINGLE } from "./peers";

type Registration = IAchievementRegistry.RegistrationStruct;
type RightsChange = IAchievementRegistry.RightsChangeStruct;
type PledgeTerms = IAchievementRights.PledgeTermsStruct;
type Consent = IAchievementRights.ConsentStruct;

/** Mirrors of the identity registry's DID kinds and key purposes (IIdentityRegistry, KeyPurposes). */
const PERSON = 0;
const ORGANISATION = 1;
const PURPOSE_ALL = 3;

const DAY = 86_400n;
const WHOLE = 10_000;
/** The claim validity the registrar gives the evaluator's accreditation: far in the future. */
const FOREVER = 2n ** 40n - 1n;

/** "150,000"; "1 inventor", "4 inventors". */
const gas = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** The issue's targets (issue 5, "Performance"), in gas. */
export const TARGETS = { registerSingleOwner: 150_000, perExtraCoOwner: 25_000, evaluate: 80_000 } as const;

/** Co-owner counts measured (besides 1): the difference to the single owner, per extra co-owner, is the target's figure. */
export const OWNER_COUNTS = [4, 16] as const;
/** Inventor and external-id counts measured beside the single-owner registration (which has none). */
export const INVENTOR_COUNTS = [1, 4] as const;
export const EXTERNAL_ID_COUNTS = [1, 3] as const;
/** Co-owners and inventors registered in set-up: enough for the largest registration. */
const CO_OWNERS = 15;
const INVENTORS = 4;

/** Registration-number types (the 7th digit) by use, so no two operations ever take the same number. */
const MEASURED = 2;
const SET_UP = 3;
const FLOOR_MINT = 8;
const FLOOR_TRANSFER = 9;
/** The serial of the set-up's warm-up tokens: above every run's. */
const WARM_UP = 99_998;

/** Ids of the OpenZeppelin ERC-721 floor's measurements. */
export const ERC721_MINT = "erc721.mint";
export const ERC721_MINT_REPEAT = "erc721.mint.repeat";
export const ERC721_TRANSFER = "erc721.transferFrom";

/** What a registration row registers besides its form. */
interface Shape {
  owners: number;
  inventors: number;
  externalIds: number;
}

/** The id of the registration row of `s`, e.g. "achievement.register.1o.0i.0x". */
export function registerId(s: Shape): string {
  return `achievement.register.${s.owners}o.${s.inventors}i.${s.externalIds}x`;
}

const SINGLE: Shape = { owners: 1, inventors: 0, externalIds: 0 };
const TYPICAL: Shape = { owners: 1, inventors: 1, externalIds: 1 };
const SHAPES: readonly Shape[] = [
  SINGLE,
  TYPICAL,
  ...OWNER_COUNTS.map((owners) => ({ ...SINGLE, owners })),
  ...INVENTOR_COUNTS.map((inventors) => ({ ...SINGLE, inventors })),
  ...EXTERNAL_ID_COUNTS.map((externalIds) => ({ ...SINGLE, externalIds })),
];

/** A 12-digit registration number (region 31, year 2026, type `type`) with serial `seq + 1`: fresh per run. */
function registrationNumberOf(seq: number, type: number): bigint {
  if (seq >= 99_999) throw new Error(`sequence ${seq} exceeds the 5-digit serial of a registration number`);
  return formatRegistrationNumber({ region: 31, year: 2026, type, serial: seq + 1 });
}

/** A party that signs consents (EIP-712) with its own key and sends from its funded account. */
interface Signatory {
  did: bigint;
  wallet: Wallet;
}

/** The module as the bench drives it. */
interface AchievementBench {
  /** Connected to the registrar agency's account (REGISTRAR role, active organisation DID). */
  registry: AchievementRegistry;
  rights: AchievementRights;
  identity: IdentityRegistry;
  chainId: bigint;
  /** Co-owners after the first, and inventors: active DIDs that only need to exist. */
  coOwners: bigint[];
  inventors: bigint[];
  /** The university (organisation), the research team (person) and the bank (organisation, lender). */
  university: Signatory;
  team: Signatory;
  bank: Signatory;
  /** An evaluation agency holding a valid claim of the evaluator topic, and the key it sends with. */
  evaluator: bigint;
  evaluatorKey: HardhatEthersSigner;
  /** Times fixed at set-up, so every run's calldata is the same. */
  researchStart: bigint;
  researchEnd: bigint;
  deadline: bigint;
  termEnd: bigint;
  validUntil: bigint;
}

/** Registers (untimed, as the registrar) an active DID whose one key is `key`, unless it has one; returns it. */
async function registerDid(
  identity: IdentityRegistry,
  key: string,
  what: string,
  seq: number,
  kind: number,
): Promise<bigint> {
  const [existing] = await identity.didOf(key);
  if (existing !== 0n) return existing;
  const keys = [{ account: key, purposes: PURPOSE_ALL }];
  await gasOf(() => identity.register(kind, digestFor(`${what}.commitment`, seq), keys));
  const [did] = await identity.didOf(key);
  check(did !== 0n, `DID of ${what} registered`);
  return did;
}

/** A wallet with a deterministic key (funded when it sends) and its DID. */
async function signatory(
  ctx: BenchContext,
  identity: IdentityRegistry,
  what: string,
  seq: number,
  kind: number,
): Promise<Signatory> {
  const wallet = new Wallet(digestFor(`${what}.privateKey`, seq), ctx.hre.ethers.provider);
  await freshSigner(ctx.hre, wallet.address);
  return { did: await registerDid(identity, wallet.address, what, seq, kind), wallet };
}

/**
 * A realistic registration of a patent: a name, three keywords, a metadata hash and URI, the
 * research period and the codes of the registration form. Co-owners after the first are
 * `b.coOwners` with equal shares (the first takes the rest); inventors and external ids as asked.
 */
function registrationOf(b: AchievementBench, number: bigint, first: { did: bigint; holder: string }, s: Shape) {
  const share = Math.floor(WHOLE / s.owners);
  const others = b.coOwners.slice(0, s.owners - 1).map((did) => ({ did, bps: share }));
  return {
    registrationNumber: number,
    kind: AchievementKind.Patent,
    classification: Classification.AppliedResearch,
    secrecy: Secrecy.Open,
    metadata: digestFor(`achievement.form:${number}`, 0),
    metadataURI: `ipfs://form-${number}`,
    externalIds: Array.from({ length: s.externalIds }, (_, i) => digestFor(`achievement.patent:${number}`, i)),
    owners: [{ did: first.did, bps: WHOLE - share * others.length }, ...others],
    inventors: b.inventors.slice(0, s.inventors),
    holder: first.holder,
    form: {
      name: "一种高效固态电池电解质 (solid-state electrolyte)",
      firstOrganisation: first.did,
      recommender: 0,
      researchStart: b.researchStart,
      researchEnd: b.researchEnd,
      field: 480_20,
      form: 1,
      stage: 2,
      keywords: ["battery", "electrolyte", "solid-state"],
    },
  } satisfies Registration;
}

async function checkRegistered(b: AchievementBench, id: bigint, holder: string, s: Shape): Promise<void> {
  const a = await b.registry.getAchievement(id);
  check(a.status === BigInt(AchievementStatus.Registered) && a.holder === holder, `achievement ${id} registered`);
  const owners = await b.registry.holdingsOf(id, Right.Ownership);
  const sum = owners.reduce((total, h) => total + Number(h.bps), 0);
  check(owners.length === s.owners && sum === WHOLE, `${s.owners} owner(s) holding 10,000 bps`);
  check((await b.registry.inventorsOf(id)).length === s.inventors, "inventors kept");
  const externalIds = registrationOf(b, id, { did: 0n, holder }, s).externalIds;
  for (const x of externalIds) check((await b.registry.achievementOfExternalId(x)) === id, "external id kept");
}

const ours = { system: "ours", project: "govledger", items: 1 } as const;

/**
 * Registrations, each of a new achievement whose first owner is a DID registered for the run
 * (untimed): its token goes to an account that holds none yet, as the floor's mint does. The
 * repeat row registers for the university, which already holds achievements.
 */
function registerOperations(b: AchievementBench): TxOperation[] {
  const fresh = SHAPES.map((s): TxOperation => {
    const id = registerId(s);
    const holderOf = (seq: number) => addressFor(`${id}.owner.key`, seq);
    return {
      ...ours,
      id,
      label: `register (${plural(s.owners, "owner")}, ${plural(s.inventors, "inventor")}, ${plural(s.externalIds, "external id")})`,
      throughput: s === SINGLE,
      prepare: async (seq) => {
        const did = await registerDid(b.identity, holderOf(seq), `${id}.owner`, seq, ORGANISATION);
        const r = registrationOf(b, registrationNumberOf(seq, MEASURED), { did, holder: holderOf(seq) }, s);
        return () => b.registry.register(r);
      },
      verify: (seq) => checkRegistered(b, registrationNumberOf(seq, MEASURED), holderOf(seq), s),
    };
  });
  const holder = b.university.wallet.address;
  const repeat: TxOperation = {
    ...ours,
    id: "achievement.register.repeatOwner",
    label: "register (1 owner already holding achievements)",
    throughput: false,
    prepare: async (seq) => {
      const r = registrationOf(b, registrationNumberOf(seq, MEASURED), { did: b.university.did, holder }, SINGLE);
      return () => b.registry.register(r);
    },
    verify: (seq) => checkRegistered(b, registrationNumberOf(seq, MEASURED), holder, SINGLE),
  };
  return [...fresh, repeat];
}

/** Registers, untimed, achievement `seq` (1 inventor, 1 external id) of the university, or of it and the team (60/40). */
async function registerUntimed(b: AchievementBench, seq: number, withTeam = false): Promise<bigint> {
  const number = registrationNumberOf(seq, SET_UP);
  const r = registrationOf(b, number, { did: b.university.did, holder: b.university.wallet.address }, TYPICAL);
  const owners = withTeam
    ? [
        { did: b.university.did, bps: 6_000 },
        { did: b.team.did, bps: 4_000 },
      ]
    : r.owners;
  await gasOf(() => b.registry.register({ ...r, owners }));
  return number;
}

/** The evaluator's evaluation of `id`: five scores, a suggested value, report and declaration hashes. */
function evaluate(b: AchievementBench, id: bigint, what: string, seq: number) {
  const scores = { scientific: 86, technical: 91, economic: 78, social: 70, cultural: 55 };
  const report = digestFor(`${what}.report`, seq);
  const declaration = digestFor(`${what}.declaration`, seq);
  const registry = b.registry.connect(b.evaluatorKey);
  return registry.evaluate(id, b.evaluator, scores, 1_250_000_000n, b.validUntil, report, declaration);
}

function evaluateOperations(b: AchievementBench): TxOperation[] {
  const evaluated = async (seq: number, count: number) => {
    const id = registrationNumberOf(seq, SET_UP);
    const a = await b.registry.getAchievement(id);
    check(a.evaluationCount === BigInt(count) && a.status === BigInt(AchievementStatus.Evaluated), "evaluated");
    check((await b.registry.evaluationOf(id, count - 1)).evaluator === b.evaluator, "evaluation kept");
  };
  return [
    {
      ...ours,
      id: "achievement.evaluate.first",
      label: "evaluate (first: Registered → Evaluated)",
      throughput: true,
      prepare: async (seq) => {
        const id = await registerUntimed(b, seq);
        return () => evaluate(b, id, "achievement.evaluate.first", seq);
      },
      verify: (seq) => evaluated(seq, 1),
    },
    {
      ...ours,
      id: "achievement.evaluate.later",
      label: "evaluate (a later one: the 2nd of the achievement)",
      throughput: false,
      prepare: async (seq) => {
        const id = await registerUntimed(b, seq);
        await gasOf(() => evaluate(b, id, "achievement.evaluate.earlier", seq));
        return () => evaluate(b, id, "achievement.evaluate.later", seq);
      },
      verify: (seq) => evaluated(seq, 2),
    },
  ];
}

async function signChange(b: AchievementBench, party: Signatory, c: RightsChange): Promise<Consent> {
  const domain = consentDomain(b.chainId, await b.rights.getAddress());
  const signature = await party.wallet.signTypedData(domain, RIGHTS_CHANGE_TYPES, c);
  return { did: party.did, signer: party.wallet.address, signature };
}

async function signPledge(b: AchievementBench, party: Signatory, p: PledgeTerms): Promise<Consent> {
  const domain = consentDomain(b.chainId, await b.rights.getAddress());
  const signature = await party.wallet.signTypedData(domain, PLEDGE_TYPES, p);
  return { did: party.did, signer: party.wallet.address, signature };
}

/** The whole of `right` of `id` to `did`, at version 1 (just registered): a grant until `until`, or permanent (0). */
function changeTo(b: AchievementBench, id: bigint, right: Right, did: bigint, until: bigint, holder: string) {
  return {
    achievement: id,
    right,
    holdings: [{ did, bps: WHOLE }],
    until,
    holder,
    version: 1,
    deadline: b.deadline,
  } satisfies RightsChange;
}

/** Terms of a pledge of `id` (version 1: just registered) to the bank. */
function pledgeTerms(b: AchievementBench, id: bigint, seq: number): PledgeTerms {
  return {
    achievement: id,
    lender: b.bank.did,
    securedAmount: 500_000_000n,
    until: b.termEnd,
    contractHash: digestFor("achievement.pledge.contract", seq),
    version: 1,
    deadline: b.deadline,
  };
}

/**
 * Consented changes and pledges of an achievement registered for the run (untimed), the
 * university's, sent by the university (its consent is its call) with the other parties' EIP-712
 * signatures; the release is sent by the lender.
 */
function rightsOperations(b: AchievementBench): TxOperation[] {
  const asUniversity = b.rights.connect(b.university.wallet);
  const pledged = async (seq: number) => {
    const id = await registerUntimed(b, seq);
    const p = pledgeTerms(b, id, seq);
    return { id, p, consents: [await signPledge(b, b.bank, p)] };
  };
  const buyerOf = (seq: number) => new Wallet(digestFor("achievement.buyer.privateKey", seq));
  return [
    {
      ...ours,
      id: "achievement.grantUse",
      label: "changeRights: grant the use right with a term (grantee signs)",
      throughput: false,
      prepare: async (seq) => {
        const id = await registerUntimed(b, seq);
        const c = changeTo(b, id, Right.Use, b.team.did, b.termEnd, ZeroAddress);
        const consents = [await signChange(b, b.team, c)];
        return () => asUniversity.changeRights(c, consents, b.university.did);
      },
      verify: async (seq) => {
        const [base, grant, until] = await b.registry.rightOf(registrationNumberOf(seq, SET_UP), Right.Use);
        check(grant.length === 1 && grant[0].did === b.team.did && until === b.termEnd, "use right granted");
        check(base.length === 1 && base[0].did === b.university.did, "the use right returns to the owner");
      },
    },
    {
      ...ours,
      id: "achievement.transferOwnership",
      label: "changeRights: transfer ownership for good, 2 co-owners to a new owner (co-owner and new owner sign)",
      throughput: false,
      prepare: async (seq) => {
        const id = await registerUntimed(b, seq, true);
        const wallet = buyerOf(seq);
        const did = await registerDid(b.identity, wallet.address, "achievement.buyer", seq, ORGANISATION);
        const c = changeTo(b, id, Right.Ownership, did, 0n, wallet.address);
        const consents = [await signChange(b, b.team, c), await signChange(b, { did, wallet }, c)];
        return () => asUniversity.changeRights(c, consents, b.university.did);
      },
      verify: async (seq) => {
        const id = registrationNumberOf(seq, SET_UP);
        const a = await b.registry.getAchievement(id);
        check(a.holder === buyerOf(seq).address && a.status === BigInt(AchievementStatus.Transferred), "token moved");
        const [owner] = await b.identity.didOf(buyerOf(seq).address);
        check((await b.registry.shareOf(id, Right.Ownership, owner)) === BigInt(WHOLE), "new owner holds it all");
      },
    },
    {
      ...ours,
      id: "achievement.pledge",
      label: "pledge (lender signs)",
      throughput: false,
      prepare: async (seq) => {
        const { p, consents } = await pledged(seq);
        return () => asUniversity.pledge(p, consents, b.university.did);
      },
      verify: async (seq) => {
        const id = registrationNumberOf(seq, SET_UP);
        check((await b.rights.pledgeOf(id)).lender === b.bank.did, "pledge kept");
        check((await b.registry.getAchievement(id)).pledged, "achievement locked");
      },
    },
    {
      ...ours,
      id: "achievement.releasePledge",
      label: "releasePledge (by the lender)",
      throughput: false,
      prepare: async (seq) => {
        const { id, p, consents } = await pledged(seq);
        await gasOf(() => asUniversity.pledge(p, consents, b.university.did));
        return () => b.rights.connect(b.bank.wallet).releasePledge(id, b.bank.did);
      },
      verify: async (seq) => {
        const id = registrationNumberOf(seq, SET_UP);
        check((await b.rights.pledgeOf(id)).lender === 0n, "pledge released");
        check(!(await b.registry.getAchievement(id)).pledged, "achievement unlocked");
      },
    },
  ];
}

/**
 * OpenZeppelin's ERC-721 (contracts/bench/ERC721Floor.sol), with 12-digit token ids like ours: a
 * mint to an account holding none yet, a mint to one already holding tokens, and a transfer by an
 * owner of several tokens to an account holding none.
 */
function erc721Operations(floor: ERC721Floor, holder: HardhatEthersSigner): TxOperation[] {
  const base = { system: "floor", project: "OpenZeppelin ERC-721", items: 1, throughput: false } as const;
  const minted = async (type: number, seq: number, to: string, what: string) =>
    check((await floor.ownerOf(registrationNumberOf(seq, type))) === to, what);
  return [
    {
      ...base,
      id: ERC721_MINT,
      label: "mint (to an account holding none)",
      prepare: async (seq) => () => floor.mint(addressFor(ERC721_MINT, seq), registrationNumberOf(seq, FLOOR_MINT)),
      verify: (seq) => minted(FLOOR_MINT, seq, addressFor(ERC721_MINT, seq), "ERC-721 minted"),
    },
    {
      ...base,
      id: ERC721_MINT_REPEAT,
      label: "mint (to an account already holding tokens)",
      prepare: async (seq) => () => floor.mint(holder.address, registrationNumberOf(seq, FLOOR_MINT)),
      verify: (seq) => minted(FLOOR_MINT, seq, holder.address, "ERC-721 minted to the holder"),
    },
    {
      ...base,
      id: ERC721_TRANSFER,
      label: "transferFrom (by the owner, to an account holding none)",
      prepare: async (seq) => {
        const tokenId = registrationNumberOf(seq, FLOOR_TRANSFER);
        await gasOf(() => floor.mint(holder.address, tokenId));
        const to = addressFor(ERC721_TRANSFER, seq);
        return () => floor.connect(holder).transferFrom(holder.address, to, tokenId);
      },
      verify: (seq) => minted(FLOOR_TRANSFER, seq, addressFor(ERC721_TRANSFER, seq), "ERC-721 transferred"),
    },
  ];
}

/** Registers DIDs `what:0..count-1` on keys that never send; returns them. */
async function passiveDids(identity: IdentityRegistry, what: string, count: number, kind: number): Promise<bigint[]> {
  const dids: bigint[] = [];
  for (let i = 0; i < count; ++i) dids.push(await registerDid(identity, addressFor(`${what}:${i}`, 0), what, i, kind));
  return dids;
}

/**
 * Sets up what every run shares: the registrar agency's organisation DID; co-owners and inventors;
 * a university, a research team and a bank whose keys sign consents; an evaluation agency holding a
 * claim of the evaluator topic, issued by the registrar, which the council accredits for the topic
 * and names as the evaluator topic (the Council contract, impersonated: on a real chain, proposals).
 * The registrar's and the evaluator's accounts are enrolled, as in production.
 * Then warm-ups, left in place: the university and the ERC-721 floor's holder each hold a token, so
 * the repeat rows pay what a holder of tokens pays.
 */
async function setUp(ctx: BenchContext): Promise<{ b: AchievementBench; operations: Operation[] }> {
  const { hre } = ctx;
  const at = async (name: string) => (await hre.deployments.get(name)).address;
  const registrar = await memberSigner(ctx, MEMBER_ROLES.REGISTRAR, "registrar");
  const identity = IdentityRegistry__factory.connect(await at("IdentityRegistry"), registrar);
  const registrarDid = await registerDid(identity, registrar.address, "achievement.registrar", 0, ORGANISATION);
  const evaluatorKey = await freshSigner(hre, addressFor("achievement.evaluator.key", 0));
  const evaluator = await registerDid(identity, evaluatorKey.address, "achievement.evaluator", 0, ORGANISATION);
  const council = await freshSigner(hre, await at("Council"));
  const asCouncil = identity.connect(council);
  const schema = digestFor("achievement.evaluator.schema", 0);
  await gasOf(() => asCouncil.registerTopic("achievement evaluator (科技成果评价机构)", schema));
  const topic = await identity.topicCount();
  await gasOf(() => asCouncil.accreditIssuer(registrarDid, topic, FOREVER));
  const accreditation = digestFor("achievement.evaluator.accreditation", 0);
  await gasOf(() => identity.issueClaim(evaluator, topic, accreditation, 0, FOREVER));
  const registry = AchievementRegistry__factory.connect(await at("AchievementRegistry"), registrar);
  const rights = AchievementRights__factory.connect(await at("AchievementRights"), registrar);
  await gasOf(() => rights.connect(council).setEvaluatorTopic(topic));
  await gasOf(() => rights.enrolRegistrar(registrar.address));
  await gasOf(() => rights.enrolEvaluator(evaluatorKey.address, evaluator));
  const t0 = BigInt((await hre.ethers.provider.getBlock("latest"))?.timestamp ?? 0);
  const b: AchievementBench = {
    registry,
    rights,
    identity,
    chainId: (await hre.ethers.provider.getNetwork()).chainId,
    coOwners: await passiveDids(identity, "achievement.coOwner", CO_OWNERS, ORGANISATION),
    inventors: await passiveDids(identity, "achievement.inventor", INVENTORS, PERSON),
    university: await signatory(ctx, identity, "achievement.university", 0, ORGANISATION),
    team: await signatory(ctx, identity, "achievement.team", 0, PERSON),
    bank: await signatory(ctx, identity, "achievement.bank", 0, ORGANISATION),
    evaluator,
    evaluatorKey,
    researchStart: t0 - 3n * 365n * DAY,
    researchEnd: t0 - 30n * DAY,
    deadline: t0 + 365n * DAY,
    termEnd: t0 + 5n * 365n * DAY,
    validUntil: t0 + 3n * 365n * DAY,
  };
  await registerUntimed(b, WARM_UP);
  const floor = await new ERC721Floor__factory(registrar).deploy();
  await floor.waitForDeployment();
  const holder = await freshSigner(hre, addressFor("erc721.holder", 0));
  await gasOf(() => floor.mint(holder.address, registrationNumberOf(WARM_UP, FLOOR_MINT)));
  return { b, operations: erc721Operations(floor, holder) };
}

const ACHIEVEMENT = "achievement";

/**
 * Molecule's IP-NFT (moleculeprotocol/IPNFT) ships no npm package with its bytecode, so it is not
 * deployed here: the issue's figure for its reserve + mint (about 153,000 gas) is quoted in the row's
 * label, never measured. Upstream's own forge gas report has reserve ≈ 25,800 and mintReservation
 * ≈ 156,900 gas per call (call gas, without a transaction's 21,000 intrinsic gas and calldata).
 */
const MOLECULE_QUOTE = "Molecule IP-NFT reserve+mint ≈ 153,000: quoted, not measured";

/** A registration row against OpenZeppelin's ERC-721 mint to an account holding none. */
function registerRow(s: Shape, operation: string): RowSpec {
  return { module: ACHIEVEMENT, operation, ours: registerId(s), floor: ERC721_MINT };
}

/** Issue 5's limits: a single-owner registration, each extra co-owner, an evaluation. */
const ACHIEVEMENT_TARGETS: TargetSpec[] = [
  {
    module: ACHIEVEMENT,
    what: "register a single-owner achievement",
    how: "1 owner, no inventor, no external id, to a holder of no token yet",
    limit: TARGETS.registerSingleOwner,
    figure: (gasOf) => gasOf(registerId(SINGLE)),
  },
  ...OWNER_COUNTS.map((owners): TargetSpec => ({
    module: ACHIEVEMENT,
    what: "each extra co-owner of a registration",
    how: `(${owners} owners − 1 owner) / ${owners - 1}`,
    limit: TARGETS.perExtraCoOwner,
    figure: (gasOf) => {
      const [many, one] = [gasOf(registerId({ ...SINGLE, owners })), gasOf(registerId(SINGLE))];
      return many === undefined || one === undefined ? undefined : (many - one) / (owners - 1);
    },
  })),
  ...(["first", "later"] as const).map((which): TargetSpec => ({
    module: ACHIEVEMENT,
    what: "an evaluation",
    how: which === "first" ? "the first (also moves Registered to Evaluated)" : "a later one",
    limit: TARGETS.evaluate,
    figure: (gasOf) => gasOf(`achievement.evaluate.${which}`),
  })),
];

/** Our achievement module, deployed by the project's own deploy scripts (hardhat-deploy fixture). */
export const achievementSuite: Suite = {
  name: ACHIEVEMENT,
  async setup(ctx): Promise<Operation[]> {
    await ctx.hre.deployments.fixture();
    const { b, operations } = await setUp(ctx);
    return [...operations, ...registerOperations(b), ...evaluateOperations(b), ...rightsOperations(b)];
  },
  targets: ACHIEVEMENT_TARGETS,
  rows: [
    registerRow(
      SINGLE,
      `register: 1 owner, no inventor, no external id (target ≤ ${gas(TARGETS.registerSingleOwner)})`,
    ),
    registerRow(SINGLE, `register: 1 owner (${MOLECULE_QUOTE})`),
    registerRow(TYPICAL, "register: 1 owner, 1 inventor, 1 external id (typical)"),
    ...OWNER_COUNTS.map((owners) =>
      registerRow(
        { ...SINGLE, owners },
        `register: ${owners} co-owners (target ≤ ${gas(TARGETS.perExtraCoOwner)} per co-owner beyond the 1st)`,
      ),
    ),
    ...INVENTOR_COUNTS.map((inventors) =>
      registerRow({ ...SINGLE, inventors }, `register: 1 owner, ${plural(inventors, "inventor")}`),
    ),
    ...EXTERNAL_ID_COUNTS.map((externalIds) =>
      registerRow({ ...SINGLE, externalIds }, `register: 1 owner, ${plural(externalIds, "external id")}`),
    ),
    {
      module: ACHIEVEMENT,
      operation: "register: 1 owner already holding achievements",
      ours: "achievement.register.repeatOwner",
      floor: ERC721_MINT_REPEAT,
    },
    {
      module: ACHIEVEMENT,
      operation: `evaluate: the first (target ≤ ${gas(TARGETS.evaluate)})`,
      ours: "achievement.evaluate.first",
      floor: FLOOR_SINGLE,
    },
    {
      module: ACHIEVEMENT,
      operation: `evaluate: a later one (target ≤ ${gas(TARGETS.evaluate)})`,
      ours: "achievement.evaluate.later",
      floor: FLOOR_SINGLE,
    },
    {
      module: ACHIEVEMENT,
      operation: "grant the use right with a term (1 signature)",
      ours: "achievement.grantUse",
      floor: FLOOR_SINGLE,
    },
    {
      module: ACHIEVEMENT,
      operation: "transfer ownership for good, 2 co-owners (2 signatures)",
      ours: "achievement.transferOwnership",
      floor: ERC721_TRANSFER,
    },
    { module: ACHIEVEMENT, operation: "pledge (1 signature)", ours: "achievement.pledge", floor: FLOOR_SINGLE },
    {
      module: ACHIEVEMENT,
      operation: "release a pledge (lender)",
      ours: "achievement.releasePledge",
      floor: FLOOR_SINGLE,
    },
  ],
};
