import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadConsortium } from "../../src/deploy/consortium";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import {
  ConsentRegistry__factory,
  IdentityRegistry__factory,
  type ConsentRegistry,
  type IdentityRegistry,
} from "../../typechain-types";
import { addressFor, check, digestFor, freshSigner, viewCall } from "../lib/chain";
import { gasOf } from "../lib/measure";
import type { BenchContext, Operation, RowSpec, Suite, TxOperation, ViewOperation } from "../lib/types";
import { BATCH_SIZES, FLOOR_SINGLE, ONCHAINID_IS_CLAIM_VALID, floorBatch } from "./peers";

/** Mirrors of the registry's enums and bit sets (IIdentityRegistry, KeyPurposes). */
const PERSON = 0;
const ORGANISATION = 1;
const PURPOSE_ALL = 3;
const DID_PENDING = 1n;
const DID_ACTIVE = 2n;
const CLAIM_ACTIVE = 1n;
const CLAIM_REVOKED = 3n;

const DAY = 86_400n;
/** The data category a consent covers (1: basic identity) and how long it lasts. */
const CONSENT_CATEGORY = 1;
const CONSENT_DAYS = 180n;

/** Claims issued in a batch to one subject, each a renewal of the subject's first claim of the topic. */
const RENEWAL_BATCH = 100;

/** The module as the bench drives it: the registrar, an accredited issuer, a consent grantee. */
interface IdentityBench {
  ctx: BenchContext;
  /** Connected to the registrar agency's account (the REGISTRAR role). */
  identity: IdentityRegistry;
  consent: ConsentRegistry;
  /** The key (all purposes) of an organisation DID accredited for `topic`: it issues every claim. */
  issuer: HardhatEthersSigner;
  topic: bigint;
  /** Every claim's validity window: from the set-up's time, for a year. Fixed, so calldata is too. */
  validFrom: bigint;
  validUntil: bigint;
  /** The organisation DID that consents are granted to, and its key. */
  grantee: bigint;
  granteeKey: HardhatEthersSigner;
  consentUntil: bigint;
}

/** The n-th claim of `topic` about `subject` (IIdentityRegistry.Claim.id). */
function claimIdOf(subject: bigint, topic: bigint, n = 0n): bigint {
  return (subject << 64n) | (topic << 32n) | n;
}

/** Registers an active DID whose one key, `key`, has every purpose (untimed set-up); returns its id. */
async function registerDid(b: IdentityBench, key: string, what: string, seq: number, kind = PERSON): Promise<bigint> {
  const keys = [{ account: key, purposes: PURPOSE_ALL }];
  await gasOf(() => b.identity.register(kind, digestFor(`${what}.commitment`, seq), keys));
  const [did] = await b.identity.didOf(key);
  check(did !== 0n, `DID of ${what} registered`);
  return did;
}

/** A new subject DID for input `seq` of `what`. */
function newSubject(b: IdentityBench, what: string, seq: number): Promise<bigint> {
  return registerDid(b, addressFor(`${what}.subject`, seq), what, seq);
}

/** Mirrors IIdentityRegistry.ClaimRequest. */
interface ClaimRequest {
  subject: bigint;
  topic: bigint;
  dataHash: string;
  validFrom: bigint;
  validUntil: bigint;
}

function claimRequest(b: IdentityBench, subject: bigint, dataHash: string): ClaimRequest {
  return { subject, topic: b.topic, dataHash, validFrom: b.validFrom, validUntil: b.validUntil };
}

/** Issues, untimed, the first claim of the topic about `subject`; returns its id. */
async function issueUntimed(b: IdentityBench, subject: bigint, dataHash: string): Promise<bigint> {
  await gasOf(() => b.identity.connect(b.issuer).issueClaim(subject, b.topic, dataHash, b.validFrom, b.validUntil));
  return claimIdOf(subject, b.topic);
}

async function claimValid(b: IdentityBench, claimId: bigint, what: string): Promise<void> {
  check(await b.identity.isClaimValid(claimId), what);
}

const ours = { system: "ours", project: "govledger", items: 1 } as const;

function didOperations(b: IdentityBench): TxOperation[] {
  const { identity, ctx } = b;
  return [
    {
      ...ours,
      id: "identity.register",
      label: "register a DID (registrar, 1 key)",
      throughput: true,
      prepare: async (seq) => () =>
        identity.register(PERSON, digestFor("identity.register", seq), [
          { account: addressFor("identity.register.key", seq), purposes: PURPOSE_ALL },
        ]),
      verify: async (seq) => {
        const [did] = await identity.didOf(addressFor("identity.register.key", seq));
        check(did !== 0n && (await identity.statusOf(did)) === DID_ACTIVE, "DID registered, active");
      },
    },
    {
      ...ours,
      id: "identity.selfRegister",
      label: "self-register a DID (pending)",
      throughput: true,
      // A new citizen's own key, funded untimed: the DID is keyed on the sender.
      prepare: async (seq) => {
        const key = await freshSigner(ctx.hre, addressFor("identity.self.key", seq));
        return () => identity.connect(key).selfRegister(PERSON, digestFor("identity.self", seq));
      },
      verify: async (seq) => {
        const [did] = await identity.didOf(addressFor("identity.self.key", seq));
        check(did !== 0n && (await identity.statusOf(did)) === DID_PENDING, "DID self-registered, pending");
      },
    },
    {
      ...ours,
      id: "identity.rotateKey",
      label: "rotateKey (new DID, its own key)",
      throughput: true,
      // A new DID each run, sending from its own key; the new key has never been used.
      prepare: async (seq) => {
        const old = addressFor("identity.rotate.key", seq);
        const did = await registerDid(b, old, "identity.rotate", seq);
        const key = await freshSigner(ctx.hre, old);
        return () => identity.connect(key).rotateKey(did, old, addressFor("identity.rotate.newKey", seq));
      },
      verify: async (seq) => {
        const [did] = await identity.didOf(addressFor("identity.rotate.newKey", seq));
        const [left] = await identity.didOf(addressFor("identity.rotate.key", seq));
        check(did !== 0n && left === 0n, "key rotated");
      },
    },
  ];
}

function claimOperations(b: IdentityBench): TxOperation[] {
  const issuer = b.identity.connect(b.issuer);
  // Subjects by input, for the checks after the timed transaction.
  const subjects = new Map<string, bigint>();
  const subjectOf = (what: string, seq: number): bigint => subjects.get(`${what}:${seq}`) ?? 0n;
  const single: TxOperation[] = [
    {
      ...ours,
      id: "identity.issueClaim",
      label: "issueClaim (new subject, first of topic)",
      throughput: true,
      prepare: async (seq) => {
        const subject = await newSubject(b, "identity.issue", seq);
        subjects.set(`issue:${seq}`, subject);
        const data = digestFor("identity.issue.data", seq);
        return () => issuer.issueClaim(subject, b.topic, data, b.validFrom, b.validUntil);
      },
      verify: (seq) => claimValid(b, claimIdOf(subjectOf("issue", seq), b.topic), "claim issued, valid"),
    },
    {
      ...ours,
      id: "identity.issueClaim.renewal",
      label: "issueClaim (renewal: 2nd of topic)",
      throughput: false,
      prepare: async (seq) => {
        const subject = await newSubject(b, "identity.renew", seq);
        subjects.set(`renew:${seq}`, subject);
        await issueUntimed(b, subject, digestFor("identity.renew.first", seq));
        const data = digestFor("identity.renew.data", seq);
        return () => issuer.issueClaim(subject, b.topic, data, b.validFrom, b.validUntil);
      },
      verify: (seq) => claimValid(b, claimIdOf(subjectOf("renew", seq), b.topic, 1n), "renewal issued, valid"),
    },
    {
      ...ours,
      id: "identity.revokeClaim",
      label: "revokeClaim",
      throughput: true,
      prepare: async (seq) => {
        const subject = await newSubject(b, "identity.revoke", seq);
        subjects.set(`revoke:${seq}`, subject);
        const claimId = await issueUntimed(b, subject, digestFor("identity.revoke.data", seq));
        return () => issuer.revokeClaim(claimId, digestFor("identity.revoke.reason", seq));
      },
      verify: async (seq) => {
        const claim = await b.identity.getClaim(claimIdOf(subjectOf("revoke", seq), b.topic));
        check(claim.status === CLAIM_REVOKED, "claim revoked");
      },
    },
  ];
  // Each claim of a batch goes to a different new subject: the honest per-claim cost.
  const batches = BATCH_SIZES.map((size): TxOperation => ({
    ...ours,
    id: `identity.issueClaims.${size}`,
    label: `issueClaims ×${size} (new subject each)`,
    items: size,
    throughput: false,
    prepare: async (seq) => {
      const what = `identity.batch.${size}`;
      const requests: ClaimRequest[] = [];
      for (let i = 0; i < size; ++i) {
        const subject = await newSubject(b, `${what}:${i}`, seq);
        if (i === 0 || i === size - 1) subjects.set(`${what}:${i}:${seq}`, subject);
        requests.push(claimRequest(b, subject, digestFor(`${what}.data:${i}`, seq)));
      }
      return () => issuer.issueClaims(requests);
    },
    verify: async (seq) => {
      for (const i of new Set([0, size - 1])) {
        const subject = subjects.get(`identity.batch.${size}:${i}:${seq}`) ?? 0n;
        await claimValid(b, claimIdOf(subject, b.topic), `batch claim ${i} issued, valid`);
      }
    },
  }));
  const renewals: TxOperation = {
    ...ours,
    id: `identity.issueClaims.renewal.${RENEWAL_BATCH}`,
    label: `issueClaims ×${RENEWAL_BATCH} (renewals, one subject)`,
    items: RENEWAL_BATCH,
    throughput: false,
    prepare: async (seq) => {
      const subject = await newSubject(b, "identity.renewals", seq);
      subjects.set(`renewals:${seq}`, subject);
      await issueUntimed(b, subject, digestFor("identity.renewals.first", seq));
      const requests = Array.from({ length: RENEWAL_BATCH }, (_, i) =>
        claimRequest(b, subject, digestFor(`identity.renewals.data:${i}`, seq)),
      );
      return () => issuer.issueClaims(requests);
    },
    verify: async (seq) => {
      const subject = subjectOf("renewals", seq);
      const last = await b.identity.getClaim(claimIdOf(subject, b.topic, BigInt(RENEWAL_BATCH)));
      check(last.status === CLAIM_ACTIVE, "last renewal issued");
      check(await b.identity.hasValidClaim(subject, b.topic), "subject holds a valid claim");
    },
  };
  return [...single, ...batches, renewals];
}

/** Our views, against ONCHAINID's isClaimValid: each run asks about a claim issued for it. */
function viewOperations(b: IdentityBench): ViewOperation[] {
  const view = { ...ours, kind: "view", throughput: false } as const;
  const issued = async (what: string, seq: number) => {
    const subject = await newSubject(b, what, seq);
    return { subject, claimId: await issueUntimed(b, subject, digestFor(`${what}.data`, seq)) };
  };
  const subjects = new Map<number, bigint>();
  const claims = new Map<number, bigint>();
  return [
    {
      ...view,
      id: "identity.hasValidClaim",
      label: "hasValidClaim(did, topic)",
      prepare: async (seq) => {
        const { subject } = await issued("identity.hasValid", seq);
        subjects.set(seq, subject);
        return viewCall(b.identity, "hasValidClaim", [subject, b.topic]);
      },
      verify: async (seq) =>
        check(await b.identity.hasValidClaim(subjects.get(seq) ?? 0n, b.topic), "hasValidClaim true"),
    },
    {
      ...view,
      id: "identity.isClaimValid",
      label: "isClaimValid(claimId)",
      prepare: async (seq) => {
        const { claimId } = await issued("identity.isValid", seq);
        claims.set(seq, claimId);
        return viewCall(b.identity, "isClaimValid", [claimId]);
      },
      verify: (seq) => claimValid(b, claims.get(seq) ?? 0n, "isClaimValid true"),
    },
  ];
}

function consentOperations(b: IdentityBench): TxOperation[] {
  const { consent, ctx } = b;
  /** A new subject DID with its own funded key, for input `seq` of `what`. */
  const subject = async (what: string, seq: number) => {
    const address = addressFor(`${what}.key`, seq);
    const did = await registerDid(b, address, what, seq);
    return { did, key: await freshSigner(ctx.hre, address) };
  };
  const grant = (did: bigint, key: HardhatEthersSigner, what: string, seq: number) =>
    consent
      .connect(key)
      .grantConsent(did, b.grantee, CONSENT_CATEGORY, digestFor(`${what}.purpose`, seq), b.consentUntil);
  const granted = new Map<number, bigint>();
  const consented = new Map<number, bigint>();
  return [
    {
      ...ours,
      id: "consent.grant",
      label: "grantConsent (new subject)",
      throughput: true,
      prepare: async (seq) => {
        const s = await subject("consent.grant", seq);
        granted.set(seq, s.did);
        return () => grant(s.did, s.key, "consent.grant", seq);
      },
      verify: async (seq) => {
        const id = await consent.consentCount();
        const stored = await consent.getConsent(id);
        check(stored.subject === granted.get(seq) && (await consent.isConsentLive(id)), "consent granted, live");
      },
    },
    {
      ...ours,
      id: "consent.recordAccess",
      label: "recordAccess (receipt under a live consent)",
      throughput: true,
      // A consent granted for the run, untimed; the grantee's key records the receipt.
      prepare: async (seq) => {
        const s = await subject("consent.access", seq);
        await gasOf(() => grant(s.did, s.key, "consent.access", seq));
        const consentId = await consent.consentCount();
        consented.set(seq, consentId);
        return () => consent.connect(b.granteeKey).recordAccess(consentId, digestFor("consent.request", seq));
      },
      verify: async (seq) => {
        const receipt = await consent.getReceipt(await consent.receiptCount());
        check(receipt.consentId === consented.get(seq) && receipt.accessor === b.grantee, "access recorded");
      },
    },
  ];
}

/** The registrar agency's account: the first account of the first member with the registrar role. */
async function registrarSigner(ctx: BenchContext): Promise<HardhatEthersSigner> {
  const member = loadConsortium().members.find((m) => m.roles.includes(MEMBER_ROLES.REGISTRAR));
  if (!member) throw new Error("the consortium file names no registrar: bench needs the local consortium file");
  const signers = await ctx.hre.ethers.getSigners();
  const signer = signers.find((s) => s.address === member.accounts[0]);
  if (!signer) throw new Error(`registrar ${member.accounts[0]} is not a Hardhat account`);
  return signer;
}

/**
 * Sets up what every run shares: an issuer organisation DID accredited for a claim topic (by the
 * Council contract, impersonated: on a real chain that is a council proposal), and a grantee
 * organisation DID for consents. Then a warm-up consent and receipt, left in place: the first ever
 * of each also writes its counter from zero, a one-off cost no later one pays.
 */
async function setUp(ctx: BenchContext): Promise<IdentityBench> {
  const { hre } = ctx;
  const at = async (name: string) => (await hre.deployments.get(name)).address;
  const registrar = await registrarSigner(ctx);
  const identity = IdentityRegistry__factory.connect(await at("IdentityRegistry"), registrar);
  const consent = ConsentRegistry__factory.connect(await at("ConsentRegistry"), registrar);
  const council = await freshSigner(hre, await at("Council"));
  const latest = await hre.ethers.provider.getBlock("latest");
  const validFrom = BigInt(latest?.timestamp ?? 0);
  const b: IdentityBench = {
    ctx,
    identity,
    consent,
    issuer: await freshSigner(hre, addressFor("identity.issuer.key", 0)),
    topic: 0n,
    validFrom,
    validUntil: validFrom + 365n * DAY,
    grantee: 0n,
    granteeKey: await freshSigner(hre, addressFor("consent.grantee.key", 0)),
    consentUntil: validFrom + CONSENT_DAYS * DAY,
  };
  const issuerDid = await registerDid(b, b.issuer.address, "identity.issuer", 0, ORGANISATION);
  const asCouncil = identity.connect(council);
  await gasOf(() => asCouncil.registerTopic("bench credential (基准凭证)", digestFor("identity.schema", 0)));
  b.topic = await identity.topicCount();
  await gasOf(() => asCouncil.accreditIssuer(issuerDid, b.topic, 2n ** 40n - 1n));
  b.grantee = await registerDid(b, b.granteeKey.address, "consent.grantee", 0, ORGANISATION);
  const warmKey = await freshSigner(hre, addressFor("consent.warm.key", 0));
  const warm = await registerDid(b, warmKey.address, "consent.warm", 0);
  const purpose = digestFor("consent.warm.purpose", 0);
  await gasOf(() => consent.connect(warmKey).grantConsent(warm, b.grantee, CONSENT_CATEGORY, purpose, b.consentUntil));
  const warmConsent = await consent.consentCount();
  await gasOf(() => consent.connect(b.granteeKey).recordAccess(warmConsent, digestFor("consent.warm.request", 0)));
  return b;
}

const IDENTITY = "identity";

/** Our identity module, deployed by the project's own deploy scripts (hardhat-deploy fixture). */
export const identitySuite: Suite = {
  name: "identity",
  async setup(ctx): Promise<Operation[]> {
    await ctx.hre.deployments.fixture();
    const b = await setUp(ctx);
    return [...didOperations(b), ...claimOperations(b), ...viewOperations(b), ...consentOperations(b)];
  },
  rows: [
    {
      module: IDENTITY,
      operation: "issue a claim (new subject)",
      ours: "identity.issueClaim",
      peer: "eas.attest",
      floor: FLOOR_SINGLE,
    },
    {
      module: IDENTITY,
      operation: "issue a claim (new subject)",
      ours: "identity.issueClaim",
      peer: "onchainid.addClaim",
      floor: FLOOR_SINGLE,
    },
    {
      module: IDENTITY,
      operation: "issue a claim (renewal, 2nd of topic)",
      ours: "identity.issueClaim.renewal",
      floor: FLOOR_SINGLE,
    },
    ...BATCH_SIZES.map((size): RowSpec => ({
      module: IDENTITY,
      operation: size === 1 ? "issueClaims ×1" : "issueClaims, a new subject each",
      ours: `identity.issueClaims.${size}`,
      floor: floorBatch(size),
    })),
    {
      module: IDENTITY,
      operation: "issueClaims, renewals to one subject",
      ours: `identity.issueClaims.renewal.${RENEWAL_BATCH}`,
      floor: floorBatch(RENEWAL_BATCH),
    },
    {
      module: IDENTITY,
      operation: "revoke a claim",
      ours: "identity.revokeClaim",
      peer: "eas.revoke",
      floor: FLOOR_SINGLE,
    },
    {
      module: IDENTITY,
      operation: "rotate a DID key (new DID)",
      ours: "identity.rotateKey",
      peer: "ethr-did.changeOwner",
      floor: FLOOR_SINGLE,
    },
    {
      module: IDENTITY,
      operation: "register a DID (registrar, 1 key)",
      ours: "identity.register",
      floor: FLOOR_SINGLE,
    },
    { module: IDENTITY, operation: "self-register a DID", ours: "identity.selfRegister", floor: FLOOR_SINGLE },
    { module: "consent", operation: "grant a consent (new subject)", ours: "consent.grant", floor: FLOOR_SINGLE },
    { module: "consent", operation: "record an access receipt", ours: "consent.recordAccess", floor: FLOOR_SINGLE },
    {
      module: IDENTITY,
      operation: "has valid claim: hasValidClaim(did, topic)",
      ours: "identity.hasValidClaim",
      peer: ONCHAINID_IS_CLAIM_VALID,
    },
    {
      module: IDENTITY,
      operation: "claim valid: isClaimValid(claimId)",
      ours: "identity.isClaimValid",
      peer: ONCHAINID_IS_CLAIM_VALID,
    },
  ],
};
