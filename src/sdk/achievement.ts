import {
  AbiCoder,
  Result,
  ZeroAddress,
  ZeroHash,
  toBeHex,
  zeroPadValue,
  type BaseContract,
  type Log,
  type Provider,
  type Signer,
  type TransactionReceipt,
} from "ethers";
import type { AchievementRegistry, AchievementRights, GovForwarder } from "../../typechain-types";
import {
  AchievementKind,
  AchievementStatus,
  Classification,
  MAX_HOLDERS,
  MAX_INVENTORS,
  MAX_KEYWORDS,
  MAX_SCORE,
  PLEDGE_TYPES,
  RIGHTS_CHANGE_TYPES,
  Right,
  Secrecy,
  WHOLE_BPS,
  consentDomain,
  registrationNumberProblem,
} from "./achievement-types";
import { Call, landed, type Landed } from "./call";
import type { ProposedCall } from "./council";
import { DeploymentError } from "./deployment";
import { SCOPES, formatDid } from "./did";
import { toGovLedgerError } from "./errors";
import { decodeEvents, findEvent, type SuiteEvent } from "./events";
import type { DidRef, IdentityClient } from "./identity";
import { checkedAddress, checkedHash, nonZeroHash } from "./members";
import { Relay, type RelayOptions } from "./relay";
import {
  ACHIEVEMENT_KINDS,
  ACHIEVEMENT_STATUSES,
  CLASSIFICATIONS,
  RIGHTS,
  SECRECY_LEVELS,
  type AchievementKindName,
  type AchievementStatusName,
  type ClassificationName,
  type RightName,
  type SecrecyName,
} from "./states";

/** An achievement: its 12-digit registration number (= token id), as a number or text. */
export type AchievementRef = bigint | number | string;

/** A holder of a right and its share in basis points (all shares of a right sum to 10,000). */
export interface HoldingInput {
  did: DidRef;
  bps: number | bigint;
}

export interface HoldingView {
  did: bigint;
  bps: number;
}

/** The descriptive fields of the registration form (科技成果登记表). */
export interface FormInput {
  name: string;
  /** DID of the first completing organisation (第一完成单位); the first owner when omitted. */
  firstOrganisation?: DidRef;
  /** DID of the recommending body (推荐单位); none when omitted. */
  recommender?: DidRef;
  /** Unix seconds. */
  researchStart: bigint | number;
  researchEnd: bigint | number;
  /** Field code (学科 / 行业分类); 0 when omitted. */
  field?: number;
  /** Form of the achievement (成果形式) code; 0 when omitted. */
  form?: number;
  /** Stage (成果所处阶段) code; 0 when omitted. */
  stage?: number;
  /** At most 3. */
  keywords?: string[];
}

/** What a registrar submits; names or enum values for kind, classification and secrecy. */
export interface AchievementRegistration {
  registrationNumber: AchievementRef;
  /** "patent", "software-copyright", "integrated-circuit-layout", "plant-variety", "technical-secret", "standard", "other". */
  kind: AchievementKind | string;
  /** "basic-research", "applied-research", "technology-development", "industrialisation". */
  classification: Classification | string;
  /** "open" (default), "secret", "confidential", "top-secret". */
  secrecy?: Secrecy | string;
  /** keccak256 of the full registration form and its attachments. */
  metadata: string;
  metadataURI?: string;
  /** Hashes of external identifiers (patent number etc.). */
  externalIds?: string[];
  owners: HoldingInput[];
  inventors?: DidRef[];
  /** The account the token is minted to: it must act for the first owner. */
  holder: string;
  form: FormInput;
}

export interface RegisteredAchievement extends Landed {
  id: bigint;
  registrationNumber: string;
  registrar: bigint;
  holder: string;
  owners: HoldingView[];
  status: AchievementStatusName;
}

export interface FormView {
  name: string;
  firstOrganisation: bigint;
  recommender: bigint;
  researchStart: bigint;
  researchEnd: bigint;
  field: number;
  form: number;
  stage: number;
  keywords: string[];
}

/** An account enrolled (or dropped) as registrar or evaluator, and the DID it acts for. */
export interface Enrolment extends Landed {
  account: string;
  did: bigint;
}

/** The registration as the registrar submitted it, decoded from the AchievementRegistered event. */
export interface RegistrationView {
  registrationNumber: string;
  kind: AchievementKindName;
  classification: ClassificationName;
  secrecy: SecrecyName;
  metadata: string;
  metadataURI: string;
  externalIds: string[];
  owners: HoldingView[];
  inventors: bigint[];
  holder: string;
  form: FormView;
}

/** One right: who holds it now, who holds it apart from a grant, and the grant running over it. */
export interface RightView {
  holdings: HoldingView[];
  base: HoldingView[];
  grant?: { holdings: HoldingView[]; until: bigint };
}

export interface Scores {
  scientific: number;
  technical: number;
  economic: number;
  social: number;
  cultural: number;
}

export interface EvaluationView {
  index: number;
  evaluator: bigint;
  scores: Scores;
  evaluatedAt: bigint;
  validUntil: bigint;
  suggestedValue: bigint;
  /** From the Evaluated event (undefined when the node no longer serves its logs). */
  reportHash?: string;
  declarationHash?: string;
}

export interface PledgeView {
  lender: bigint;
  since: bigint;
  until: bigint;
  securedAmount: bigint;
  contractHash: string;
}

export interface AchievementView {
  id: bigint;
  registrationNumber: string;
  kind: AchievementKindName;
  classification: ClassificationName;
  secrecy: SecrecyName;
  status: AchievementStatusName;
  pledged: boolean;
  disputed: boolean;
  frozen: boolean;
  version: bigint;
  registeredAt: bigint;
  registrar: bigint;
  holder: string;
  rights: Record<RightName, RightView>;
  inventors: bigint[];
  evaluations: EvaluationView[];
  pledge?: PledgeView;
  /** The registration form as submitted (undefined when the node no longer serves its logs). */
  registration?: RegistrationView;
  /** The form's current hash and URI: the latest correction, or as registered. */
  metadata?: { hash: string; uri: string; updatedInBlock: number };
}

/** One event of an achievement's history. */
export interface AchievementEvent extends Landed {
  contract: "AchievementRegistry" | "AchievementRights";
  name: string;
  /** The DID that acted (for ShareAssigned, the actor of the same transaction). */
  actor?: bigint;
  logIndex: number;
  /** Decoded arguments; AchievementRegistered's `registration` is a {@link RegistrationView}. */
  args: Record<string, unknown>;
}

/** A change of one right (IAchievementRegistry.RightsChange), as consents name it. */
export interface RightsChange {
  achievement: bigint;
  right: number;
  holdings: HoldingView[];
  until: bigint;
  holder: string;
  version: bigint;
  deadline: bigint;
}

/** Pledge terms (IAchievementRights.PledgeTerms), as consents name them. */
export interface PledgeTerms {
  achievement: bigint;
  lender: bigint;
  securedAmount: bigint;
  until: bigint;
  contractHash: string;
  version: bigint;
  deadline: bigint;
}

/** A party's consent given by signature: `signer` acts for `did`. */
export interface Consent {
  did: bigint;
  signer: string;
  signature: string;
}

export interface ChangeInput {
  id: AchievementRef;
  /** "ownership", "use", "disposal", "income", or the enum value. */
  right: Right | string;
  holdings: HoldingInput[];
  /** Unix seconds the grant ends; 0 or omitted: permanent. */
  until?: bigint | number;
  /** A permanent ownership change: the account the token moves to (acting for the first new owner). */
  holder?: string;
  /** Unix seconds the consents stay usable; one day from the chain's time by default. */
  deadline?: bigint | number;
}

/** How the consents of a change or pledge are gathered. */
export interface ConsentOptions {
  /** The DID the caller acts for; its consent counts. */
  asDid: DidRef;
  /** Local keys that sign for the parties they act for (achievement scope). */
  signers?: Signer[];
  /** Signatures collected elsewhere. */
  consents?: Consent[];
}

export interface PledgeInput {
  id: AchievementRef;
  lender: DidRef;
  /** In the minor unit of the loan's currency (below 2^96). */
  securedAmount: bigint | number;
  /** Unix seconds, in the future. */
  until: bigint | number;
  /** keccak256 of the pledge contract. */
  contractHash: string;
  deadline?: bigint | number;
}

export interface EvaluationInput {
  id: AchievementRef;
  /** The evaluator DID the caller acts for (accredited through the evaluator topic). */
  evaluator: DidRef;
  scores: Scores;
  /** In the minor unit of the settlement currency. */
  suggestedValue: bigint | number;
  validUntil: bigint | number;
  reportHash: string;
  /** Hash of the no-conflict-of-interest declaration. */
  declarationHash: string;
}

export interface RightsChangeResult extends Landed {
  id: bigint;
  right: RightName;
  holdings: HoldingView[];
  until: bigint;
  actor: bigint;
  changeHash: string;
  caseRef: string;
  /** The stage after the change (Transferred after a permanent ownership change). */
  status: AchievementStatusName;
}

export interface EvaluationResult extends Landed {
  id: bigint;
  index: number;
  evaluator: bigint;
  scores: Scores;
  suggestedValue: bigint;
  validUntil: bigint;
  reportHash: string;
  declarationHash: string;
  status: AchievementStatusName;
}

export interface PledgeResult extends Landed {
  id: bigint;
  lender: bigint;
  actor: bigint;
  securedAmount: bigint;
  until: bigint;
  contractHash: string;
}

export interface ReleaseResult extends Landed {
  id: bigint;
  actor: bigint;
  byOrder: boolean;
  caseRef: string;
}

export interface LockResult extends Landed {
  id: bigint;
  lock: "Disputed" | "Frozen";
  on: boolean;
  actor: bigint;
  caseRef: string;
}

export interface ApprovalResult extends Landed {
  id: bigint;
  did: bigint;
  actionHash: string;
  actor: bigint;
}

/** How far back and in what steps logs are read. */
export interface ScanOptions {
  /** The first block to read; the block the registry was deployed in by default. */
  fromBlock?: number;
  /** The most blocks one eth_getLogs may span; 10,000 by default. */
  maxBlockRange?: number;
}

export interface AchievementContracts {
  registry: AchievementRegistry;
  rights: AchievementRights;
}

const DEFAULT_BLOCK_RANGE = 10_000;
const CONSENT_TTL_SECONDS = 86_400n;
const MAX_UINT48 = 2n ** 48n - 1n;
const MAX_UINT96 = 2n ** 96n - 1n;

/** Events whose actor is named by another argument than `actor`. */
const ACTOR_ARG: Record<string, string> = { AchievementRegistered: "registrar", Evaluated: "evaluator" };

/**
 * The technology achievement module (科技成果登记): registration, the four rights with their
 * consents, evaluations, pledges, disputes and arbitrators' orders, and the history of every
 * achievement read from its events. Writes return {@link Call}s; inputs are checked before anything
 * is sent (checks that read the chain run when the call is checked, estimated or sent).
 */
export class AchievementClient {
  readonly registry: AchievementRegistry;
  readonly rights: AchievementRights;
  private firstBlock?: Promise<number>;

  constructor(
    contracts: AchievementContracts,
    private readonly identity: IdentityClient,
    readonly chainId: bigint,
    private readonly names: Record<string, string>,
    private readonly forwarder?: GovForwarder,
    private readonly relay?: Relay,
    private readonly scan: ScanOptions = {},
  ) {
    ({ registry: this.registry, rights: this.rights } = contracts);
  }

  /** The same client, with every write signed by `signer` (no funds needed) and submitted by `relayer`. */
  relayed(signer: Signer, relayer: Signer, options?: RelayOptions): AchievementClient {
    if (!this.forwarder) throw new DeploymentError("the deployment has no GovForwarder to relay achievement writes");
    const contracts = { registry: this.registry.connect(relayer), rights: this.rights.connect(relayer) };
    const relay = new Relay(this.forwarder, signer, relayer, options);
    return new AchievementClient(contracts, this.identity, this.chainId, this.names, this.forwarder, relay, this.scan);
  }

  /** The same client, reading logs from `options.fromBlock` in steps of `options.maxBlockRange`. */
  withScan(options: ScanOptions): AchievementClient {
    const scan = { ...this.scan, ...options };
    if (scan.maxBlockRange !== undefined && !(Number.isInteger(scan.maxBlockRange) && scan.maxBlockRange > 0)) {
      throw new Error(`the block range ${scan.maxBlockRange} is not valid: expected a positive whole number`);
    }
    const contracts = { registry: this.registry, rights: this.rights };
    return new AchievementClient(contracts, this.identity, this.chainId, this.names, this.forwarder, this.relay, scan);
  }

  /** The id of achievement `ref`, refusing a malformed registration number. */
  achievementId(ref: AchievementRef): bigint {
    const text = typeof ref === "string" ? ref.trim() : BigInt(ref).toString();
    const problem = registrationNumberProblem(text);
    if (problem) throw new Error(`malformed registration number: ${problem}`);
    return BigInt(text);
  }

  // ---- registration ----

  /**
   * Registers an achievement; its token id is the registration number. Registrar agencies only.
   * Refused before sending: a malformed registration number, no kind or classification, an empty
   * name, a zero metadata hash, more than 3 keywords, shares not summing to 10,000, an unknown or
   * inactive owner or inventor DID, a holder that does not act for the first owner.
   */
  register(input: AchievementRegistration): Call<RegisteredAchievement> {
    const r = this.registrationStruct(input);
    const method = this.deferred(this.registry, "register", async () => {
      await this.requireActive(r.owners.map((o) => [o.did, "owner"]));
      await this.requireActive(r.inventors.map((did) => [did, "inventor"]));
      await this.requireActing(r.holder, r.owners[0].did, "the holder", "the first owner");
      return [r];
    });
    return Call.of(method, [r], (rc) => {
      const registered = this.event(rc, "AchievementRegistered");
      const id = registered.id as bigint;
      return {
        id,
        registrationNumber: numberText(id),
        registrar: registered.registrar as bigint,
        holder: r.holder,
        owners: r.owners,
        status: "Registered",
        ...landed(rc),
      };
    });
  }

  /** Corrects the registration form's hash and URI. Registrar agencies only. */
  updateMetadata(
    id: AchievementRef,
    metadata: string,
    metadataURI = "",
  ): Call<{ id: bigint; metadata: string; metadataURI: string; actor: bigint } & Landed> {
    const [a, hash] = [this.achievementId(id), nonZeroHash(metadata, "metadata hash")];
    return Call.of(this.fn(this.registry, "updateMetadata"), [a, hash, metadataURI], (rc) => ({
      id: a,
      metadata: hash,
      metadataURI,
      actor: this.event(rc, "MetadataUpdated").actor as bigint,
      ...landed(rc),
    }));
  }

  // ---- rights ----

  /** Builds change `input` at the achievement's current version, as every party must consent to it. */
  async buildChange(input: ChangeInput): Promise<RightsChange> {
    const c = this.changeSpec(input);
    await this.requireActive(c.holdings.map((h) => [h.did, "new holder"]));
    if (c.holder !== ZeroAddress)
      await this.requireActing(c.holder, c.holdings[0].did, "the holder", "the first new owner");
    const [version, deadline] = await Promise.all([this.version(c.achievement), this.deadline(input.deadline)]);
    return { ...c, version, deadline };
  }

  /** The DIDs whose consent `change` needs now. */
  async consentsNeeded(change: RightsChange): Promise<bigint[]> {
    return [...(await this.read(() => this.rights.consentsNeeded(change)))];
  }

  /** The DIDs whose consent pledge `terms` need now (the disposal-right holders and the lender). */
  async pledgeParties(terms: PledgeTerms): Promise<bigint[]> {
    return [...(await this.read(() => this.rights.pledgeParties(terms)))];
  }

  /** `signer`'s EIP-712 consent to `action` (a change or pledge terms) for `did`. */
  async sign(action: RightsChange | PledgeTerms, signer: Signer, did: DidRef): Promise<Consent> {
    const domain = consentDomain(this.chainId, this.rights.target as string);
    const signature = isChange(action)
      ? await signer.signTypedData(domain, RIGHTS_CHANGE_TYPES, action)
      : await signer.signTypedData(domain, PLEDGE_TYPES, action);
    return { did: this.identity.didId(did), signer: await signer.getAddress(), signature };
  }

  /** Records on chain the consent of `did` (which the caller acts for) to a change or pledge. */
  approve(action: RightsChange | PledgeTerms, did: DidRef): Call<ApprovalResult> {
    const d = this.identity.didId(did);
    const decode = (rc: TransactionReceipt): ApprovalResult => {
      const e = this.event(rc, "ConsentGiven");
      const actionHash = e.actionHash as string;
      return { id: e.id as bigint, did: d, actionHash, actor: e.actor as bigint, ...landed(rc) };
    };
    return isChange(action)
      ? Call.of(this.fn(this.rights, "approveRightsChange"), [action, d], decode)
      : Call.of(this.fn(this.rights, "approvePledge"), [action, d], decode);
  }

  /**
   * Applies `change` (from {@link buildChange}) as `options.asDid`, with the other parties' consents:
   * on-chain approvals, signatures collected elsewhere, or signatures of `options.signers`. A party
   * with none of these is named before anything is sent.
   */
  changeRights(change: RightsChange, options: ConsentOptions): Call<RightsChangeResult> {
    const asDid = this.identity.didId(options.asDid);
    const method = this.deferred(this.rights, "changeRights", async () => {
      const needed = await this.consentsNeeded(change);
      const hash = await this.rights.rightsChangeHash(change);
      return [change, await this.gather(change, hash, needed, asDid, options), asDid];
    });
    return Call.of(method, [change, [], asDid], (rc) => this.changed(rc, change));
  }

  /**
   * Grants a right to `input.holdings` until `input.until` (赋权), or changes it for good when no
   * term is given: builds the change at the current version, gathers consents, applies it.
   */
  grantRight(input: ChangeInput & ConsentOptions): Call<RightsChangeResult> {
    const spec = this.changeSpec(input);
    const asDid = this.identity.didId(input.asDid);
    let change: RightsChange | undefined;
    const method = this.deferred(this.rights, "changeRights", async () => {
      change = await this.buildChange(input);
      const [needed, hash] = await Promise.all([this.consentsNeeded(change), this.rights.rightsChangeHash(change)]);
      return [change, await this.gather(change, hash, needed, asDid, input), asDid];
    });
    return Call.of(method, [{ ...spec, version: 0n, deadline: 0n }, [], asDid], (rc) => this.changed(rc, change!));
  }

  /** Transfers ownership for good to `owners`, the token to `holder`; every co-owner must consent. */
  transfer(
    input: { id: AchievementRef; owners: HoldingInput[]; holder: string; deadline?: bigint | number } & ConsentOptions,
  ): Call<RightsChangeResult> {
    return this.grantRight({ ...input, right: Right.Ownership, holdings: input.owners, until: 0 });
  }

  /** Applies a change by order of case `caseRef`, without consents and whatever the locks. Arbitrators only. */
  orderTransfer(input: Omit<ChangeInput, "deadline">, caseRef: string): Call<RightsChangeResult> {
    const spec = this.changeSpec(input);
    const ref = nonZeroHash(caseRef, "case reference");
    let change: RightsChange | undefined;
    const method = this.deferred(this.rights, "orderRightsChange", async () => {
      change = { ...(await this.buildChange(input)), deadline: 0n };
      return [change, ref];
    });
    return Call.of(method, [{ ...spec, version: 0n, deadline: 0n }, ref], (rc) => this.changed(rc, change!));
  }

  // ---- pledges ----

  /** Builds pledge terms at the achievement's current version. */
  async buildPledge(input: PledgeInput): Promise<PledgeTerms> {
    const t = this.pledgeSpec(input);
    await this.requireActive([[t.lender, "lender"]]);
    const [version, deadline] = await Promise.all([this.version(t.achievement), this.deadline(input.deadline)]);
    return { ...t, version, deadline };
  }

  /** Pledges an achievement to a lender (知识产权质押) with every disposal-right holder's and the lender's consent. */
  pledge(input: PledgeInput & ConsentOptions): Call<PledgeResult> {
    const spec = this.pledgeSpec(input);
    const asDid = this.identity.didId(input.asDid);
    const method = this.deferred(this.rights, "pledge", async () => {
      const terms = await this.buildPledge(input);
      const [needed, hash] = await Promise.all([this.pledgeParties(terms), this.rights.pledgeHash(terms)]);
      return [terms, await this.gather(terms, hash, needed, asDid, input), asDid];
    });
    return Call.of(method, [{ ...spec, version: 0n, deadline: 0n }, [], asDid], (rc) => this.pledged(rc));
  }

  /** Applies pledge `terms` (from {@link buildPledge}) with the consents gathered as for changes. */
  pledgeWith(terms: PledgeTerms, options: ConsentOptions): Call<PledgeResult> {
    const asDid = this.identity.didId(options.asDid);
    const method = this.deferred(this.rights, "pledge", async () => {
      const [needed, hash] = await Promise.all([this.pledgeParties(terms), this.rights.pledgeHash(terms)]);
      return [terms, await this.gather(terms, hash, needed, asDid, options), asDid];
    });
    return Call.of(method, [terms, [], asDid], (rc) => this.pledged(rc));
  }

  /** Releases the pledge of `id`; the caller acts for the lender `asDid`. */
  release(id: AchievementRef, asDid: DidRef): Call<ReleaseResult> {
    const [a, did] = [this.achievementId(id), this.identity.didId(asDid)];
    return Call.of(this.fn(this.rights, "releasePledge"), [a, did], (rc) => this.released(rc));
  }

  /** Releases the pledge of `id` by order of case `caseRef`. Arbitrators only. */
  releaseByOrder(id: AchievementRef, caseRef: string): Call<ReleaseResult> {
    const [a, ref] = [this.achievementId(id), nonZeroHash(caseRef, "case reference")];
    return Call.of(this.fn(this.rights, "releasePledgeByOrder"), [a, ref], (rc) => this.released(rc));
  }

  // ---- disputes and freezes ----

  /** Opens a dispute over `id` as `asDid`, a party of it; locks it. */
  openDispute(id: AchievementRef, asDid: DidRef, caseRef: string): Call<LockResult> {
    const [a, did, ref] = [this.achievementId(id), this.identity.didId(asDid), checkedHash(caseRef)];
    return Call.of(this.fn(this.rights, "openDispute"), [a, did, ref], (rc) => this.locked(rc, "DisputeOpened"));
  }

  /** Closes the dispute over `id`. Arbitrators only. */
  closeDispute(id: AchievementRef, caseRef: string): Call<LockResult> {
    const [a, ref] = [this.achievementId(id), nonZeroHash(caseRef, "case reference")];
    return Call.of(this.fn(this.rights, "closeDispute"), [a, ref], (rc) => this.locked(rc, "DisputeClosed"));
  }

  /** Freezes `id` for case `caseRef`. Arbitrators and courts only. */
  freeze(id: AchievementRef, caseRef: string): Call<LockResult> {
    const [a, ref] = [this.achievementId(id), nonZeroHash(caseRef, "case reference")];
    return Call.of(this.fn(this.rights, "freeze"), [a, ref], (rc) => this.locked(rc, "Frozen"));
  }

  /** Lifts the freeze of `id`. Arbitrators and courts only. */
  unfreeze(id: AchievementRef, caseRef: string): Call<LockResult> {
    const [a, ref] = [this.achievementId(id), nonZeroHash(caseRef, "case reference")];
    return Call.of(this.fn(this.rights, "unfreeze"), [a, ref], (rc) => this.locked(rc, "Unfrozen"));
  }

  // ---- enrolment ----

  /**
   * Enrols `account` (a key of an active DID holding the REGISTRAR role) as a registrar; anyone may
   * send it. Registrations then cost one storage read to authorise.
   */
  enrolRegistrar(account: string): Call<Enrolment> {
    const a = checkedAddress(account);
    return Call.of(this.fn(this.rights, "enrolRegistrar"), [a], (rc) => this.enrolled(rc, "RegistrarEnrolled"));
  }

  /** Enrols `account`, acting for `evaluator` (holding a valid evaluator-topic claim), as that evaluator. */
  enrolEvaluator(account: string, evaluator: DidRef): Call<Enrolment> {
    const args = [checkedAddress(account), this.identity.didId(evaluator)] as const;
    return Call.of(this.fn(this.rights, "enrolEvaluator"), [...args], (rc) => this.enrolled(rc, "EvaluatorEnrolled"));
  }

  /** Drops registrar `account`, which no longer qualifies (role, DID or key lost); anyone may send it. */
  dropRegistrar(account: string): Call<Enrolment> {
    const a = checkedAddress(account);
    return Call.of(this.fn(this.rights, "dropRegistrar"), [a], (rc) => this.enrolled(rc, "RegistrarDropped"));
  }

  /** Drops evaluator `account`, which no longer qualifies (claim, key or mandate lost, topic changed). */
  dropEvaluator(account: string): Call<Enrolment> {
    const a = checkedAddress(account);
    return Call.of(this.fn(this.rights, "dropEvaluator"), [a], (rc) => this.enrolled(rc, "EvaluatorDropped"));
  }

  /** The council proposal that names the claim topic accrediting evaluators. */
  setEvaluatorTopic(topic: bigint | number): ProposedCall {
    const t = BigInt(topic);
    if (t < 0n || t >= 2n ** 32n) throw new Error(`topic ${topic} is not valid: expected 0 to 2^32-1`);
    return {
      target: this.rights.target as string,
      data: this.rights.interface.encodeFunctionData("setEvaluatorTopic", [t]),
      description: `Name claim topic ${t} as the accreditation of achievement evaluators`,
    };
  }

  // ---- evaluations ----

  /** Publishes an evaluation as the accredited evaluator DID the caller acts for. */
  evaluate(input: EvaluationInput): Call<EvaluationResult> {
    const id = this.achievementId(input.id);
    const evaluator = this.identity.didId(input.evaluator);
    const scores = checkedScores(input.scores);
    const suggestedValue = BigInt(input.suggestedValue);
    if (suggestedValue < 0n || suggestedValue >= 2n ** 64n) {
      throw new Error(`suggested value ${input.suggestedValue} is not valid: expected 0 to 2^64-1`);
    }
    const validUntil = BigInt(input.validUntil);
    if (validUntil <= 0n || validUntil >= 2n ** 40n) {
      throw new Error(`valid until ${input.validUntil} is not valid: expected unix seconds below 2^40`);
    }
    const report = nonZeroHash(input.reportHash, "report hash");
    const declaration = nonZeroHash(input.declarationHash, "no-conflict declaration hash");
    const args = [id, evaluator, scores, suggestedValue, validUntil, report, declaration] as const;
    return Call.of(this.fn(this.registry, "evaluate"), [...args], (rc) => {
      const e = this.event(rc, "Evaluated");
      const status = this.events(rc).find((x) => x.name === "StatusChanged");
      return {
        id,
        index: Number(e.index),
        evaluator,
        scores,
        suggestedValue,
        validUntil,
        reportHash: report,
        declarationHash: declaration,
        status: status ? ACHIEVEMENT_STATUSES[Number(status.args.status)] : "Evaluated",
        ...landed(rc),
      };
    });
  }

  // ---- reads ----

  /** Everything about `id`: state, the four rights, inventors, evaluations, pledge, registration form. */
  async show(id: AchievementRef): Promise<AchievementView> {
    const a = this.achievementId(id);
    const core = await this.read(() => this.registry.getAchievement(a));
    const [rights, inventors, pledge, logs] = await Promise.all([
      this.rightsOf(a),
      this.registry.inventorsOf(a),
      this.rights.pledgeOf(a),
      this.logs(
        [this.registry.target as string],
        this.registryTopics(["AchievementRegistered", "MetadataUpdated", "Evaluated"]),
        a,
      ),
    ]);
    const events = logs.map((l) => this.decodeLog(l));
    const evaluated = new Map(events.filter((e) => e.name === "Evaluated").map((e) => [Number(e.args.index), e.args]));
    const evaluations = await Promise.all(
      Array.from({ length: Number(core.evaluationCount) }, async (_, i) => {
        const e = await this.registry.evaluationOf(a, i);
        const ev = evaluated.get(i);
        return {
          index: i,
          evaluator: e.evaluator,
          scores: scoresOf(e.scores),
          evaluatedAt: e.evaluatedAt,
          validUntil: e.validUntil,
          suggestedValue: e.suggestedValue,
          ...(ev ? { reportHash: ev.reportHash as string, declarationHash: ev.declarationHash as string } : {}),
        };
      }),
    );
    const registered = events.find((e) => e.name === "AchievementRegistered");
    const registration = registered?.args.registration as RegistrationView | undefined;
    const updated = events.filter((e) => e.name === "MetadataUpdated").pop();
    const metadata = updated
      ? {
          hash: updated.args.metadata as string,
          uri: updated.args.metadataURI as string,
          updatedInBlock: updated.blockNumber,
        }
      : registration && registered
        ? { hash: registration.metadata, uri: registration.metadataURI, updatedInBlock: registered.blockNumber }
        : undefined;
    return {
      id: a,
      registrationNumber: numberText(a),
      kind: ACHIEVEMENT_KINDS[Number(core.kind)],
      classification: CLASSIFICATIONS[Number(core.classification)],
      secrecy: SECRECY_LEVELS[Number(core.secrecy)],
      status: ACHIEVEMENT_STATUSES[Number(core.status)],
      pledged: core.pledged,
      disputed: core.disputed,
      frozen: core.frozen,
      version: core.version,
      registeredAt: registered ? await this.timeOf(registered.blockNumber) : 0n,
      registrar: registered ? BigInt(registered.actor ?? 0n) : 0n,
      holder: core.holder,
      rights,
      inventors: [...inventors],
      evaluations,
      ...(pledge.lender !== 0n
        ? {
            pledge: {
              lender: pledge.lender,
              since: pledge.since,
              until: pledge.until,
              securedAmount: pledge.securedAmount,
              contractHash: pledge.contractHash,
            },
          }
        : {}),
      ...(registration ? { registration } : {}),
      ...(metadata ? { metadata } : {}),
    };
  }

  /** The same as {@link show}: the token id is the registration number. */
  async byRegistrationNumber(number: AchievementRef): Promise<AchievementView> {
    return this.show(number);
  }

  /** Every event of `id` in both contracts, in block order, each naming the DID that acted. */
  async history(id: AchievementRef): Promise<AchievementEvent[]> {
    const a = this.achievementId(id);
    await this.read(() => this.registry.getAchievement(a));
    const logs = await this.logs([this.registry.target as string, this.rights.target as string], null, a);
    const events = logs.map((l) => this.decodeLog(l)).filter((e): e is AchievementEvent => e !== undefined);
    const actorOfTx = new Map<string, bigint>();
    for (const e of events)
      if (e.actor !== undefined && !actorOfTx.has(e.transactionHash)) actorOfTx.set(e.transactionHash, e.actor);
    return events.map((e) => (e.actor === undefined ? { ...e, actor: actorOfTx.get(e.transactionHash) } : e));
  }

  /** The achievements in which `did` holds a right now, with its share of each right it holds. */
  async byOwner(did: DidRef): Promise<{ id: bigint; shares: Partial<Record<RightName, number>> }[]> {
    const d = this.identity.didId(did);
    const topic = this.registry.interface.getEvent("ShareAssigned").topicHash;
    const logs = await this.logs([this.registry.target as string], [topic, null, uintTopic(d)]);
    const out = [];
    for (const id of distinct(logs.map((l) => BigInt(l.topics[1])))) {
      const shares: Partial<Record<RightName, number>> = {};
      for (const [r, name] of RIGHTS.entries()) {
        const bps = await this.registry.shareOf(id, r, d);
        if (bps > 0n) shares[name] = Number(bps);
      }
      if (Object.keys(shares).length > 0) out.push({ id, shares });
    }
    return out;
  }

  /** The achievements at lifecycle stage `status` now. */
  async byStatus(status: AchievementStatus | string): Promise<bigint[]> {
    const s = parseName(ACHIEVEMENT_STATUSES, status, "status", 1);
    const topic = this.registry.interface.getEvent("StatusChanged").topicHash;
    const logs = await this.logs([this.registry.target as string], [topic, null, uintTopic(BigInt(s))]);
    const out: bigint[] = [];
    for (const id of distinct(logs.map((l) => BigInt(l.topics[1])))) {
      if (Number((await this.registry.getAchievement(id)).status) === s) out.push(id);
    }
    return out;
  }

  /** The pledge of `id`, or undefined. */
  async pledgeOf(id: AchievementRef): Promise<PledgeView | undefined> {
    const p = await this.rights.pledgeOf(this.achievementId(id));
    if (p.lender === 0n) return undefined;
    return {
      lender: p.lender,
      since: p.since,
      until: p.until,
      securedAmount: p.securedAmount,
      contractHash: p.contractHash,
    };
  }

  /** Whether `did` approved on chain the action with EIP-712 hash `actionHash`. */
  async hasConsented(actionHash: string, did: DidRef): Promise<boolean> {
    return this.rights.hasConsented(checkedHash(actionHash), this.identity.didId(did));
  }

  /** The claim topic that accredits evaluators (0 until the council names one). */
  async evaluatorTopic(): Promise<bigint> {
    return this.rights.evaluatorTopic();
  }

  /** The registrar DID `account` is enrolled for (0: not enrolled). */
  async registrarOf(account: string): Promise<bigint> {
    return this.registry.registrarOf(checkedAddress(account));
  }

  /** The evaluator DID `account` is enrolled for (0: not enrolled). */
  async evaluatorOf(account: string): Promise<bigint> {
    return this.registry.evaluatorOf(checkedAddress(account));
  }

  // ---- internals: input ----

  private registrationStruct(input: AchievementRegistration) {
    const registrationNumber = this.achievementId(input.registrationNumber);
    const kind = parseName(ACHIEVEMENT_KINDS, input.kind, "kind", 1);
    const classification = parseName(CLASSIFICATIONS, input.classification, "classification", 1);
    const secrecy = parseName(SECRECY_LEVELS, input.secrecy ?? Secrecy.Open, "secrecy level", 0);
    const metadata = nonZeroHash(input.metadata, "metadata hash");
    const owners = this.holdings(input.owners, "owner");
    const inventors = (input.inventors ?? []).map((i) => this.identity.didId(i));
    if (inventors.length > MAX_INVENTORS)
      throw new Error(`${inventors.length} inventors given, at most ${MAX_INVENTORS} allowed`);
    const twice = inventors.find((d, i) => inventors.indexOf(d) !== i);
    if (twice !== undefined) throw new Error(`inventor DID ${twice} is named twice`);
    const externalIds = (input.externalIds ?? []).map((e) => nonZeroHash(e, "external id"));
    const form = input.form;
    if (!form || form.name.trim() === "") throw new Error("the registration form has no name");
    const keywords = form.keywords ?? [];
    if (keywords.length > MAX_KEYWORDS) {
      throw new Error(`${keywords.length} keywords given (${keywords.join(", ")}), at most ${MAX_KEYWORDS} allowed`);
    }
    const [researchStart, researchEnd] = [BigInt(form.researchStart), BigInt(form.researchEnd)];
    if (researchStart < 0n || researchEnd > MAX_UINT48 || researchEnd < researchStart) {
      throw new Error(
        `the research period is not valid: it ends at ${researchEnd}, before it starts at ${researchStart}`,
      );
    }
    return {
      registrationNumber,
      kind,
      classification,
      secrecy,
      metadata,
      metadataURI: input.metadataURI ?? "",
      externalIds,
      owners,
      inventors,
      holder: checkedAddress(input.holder),
      form: {
        name: form.name,
        firstOrganisation:
          form.firstOrganisation === undefined ? owners[0].did : this.identity.didId(form.firstOrganisation),
        recommender: form.recommender === undefined ? 0n : this.identity.didId(form.recommender),
        researchStart,
        researchEnd,
        field: uint(form.field ?? 0, 32, "field code"),
        form: uint(form.form ?? 0, 8, "form code"),
        stage: uint(form.stage ?? 0, 8, "stage code"),
        keywords,
      },
    };
  }

  /** Holders with shares: 1 to 16 distinct DIDs, each above 0, summing to exactly 10,000 bps. */
  private holdings(list: HoldingInput[], what: string): HoldingView[] {
    if (list.length === 0 || list.length > MAX_HOLDERS) {
      throw new Error(`${list.length} ${what}s given: name 1 to ${MAX_HOLDERS}`);
    }
    const out = list.map((h) => {
      const did = this.identity.didId(h.did);
      const bps = Number(h.bps);
      if (!Number.isInteger(bps) || bps <= 0 || bps > WHOLE_BPS) {
        throw new Error(`${what} DID ${did} has share ${h.bps}: expected 1 to ${WHOLE_BPS} basis points`);
      }
      return { did, bps };
    });
    const twice = out.find((h, i) => out.findIndex((x) => x.did === h.did) !== i);
    if (twice) throw new Error(`${what} DID ${twice.did} is named twice`);
    const sum = out.reduce((s, h) => s + h.bps, 0);
    if (sum !== WHOLE_BPS) {
      const parts = out.map((h) => h.bps).join(" + ");
      throw new Error(`the ${what}s' shares sum to ${sum} bps (${parts}), not ${WHOLE_BPS}`);
    }
    return out;
  }

  private changeSpec(input: Omit<ChangeInput, "deadline">): Omit<RightsChange, "version" | "deadline"> {
    const achievement = this.achievementId(input.id);
    const right = parseName(RIGHTS, input.right, "right", 0);
    const holdings = this.holdings(input.holdings, "holder");
    const until = BigInt(input.until ?? 0);
    if (until < 0n || until > MAX_UINT48) throw new Error(`the term's end ${input.until} is not valid unix seconds`);
    const permanentOwnership = right === Right.Ownership && until === 0n;
    if (permanentOwnership && input.holder === undefined) {
      throw new Error("a permanent change of ownership names the account the token moves to (holder)");
    }
    if (!permanentOwnership && input.holder !== undefined) {
      throw new Error("only a permanent change of ownership moves the token: leave the holder out");
    }
    const holder = input.holder === undefined ? ZeroAddress : checkedAddress(input.holder);
    return { achievement, right, holdings, until, holder };
  }

  private pledgeSpec(input: PledgeInput): Omit<PledgeTerms, "version" | "deadline"> {
    const securedAmount = BigInt(input.securedAmount);
    if (securedAmount < 0n || securedAmount > MAX_UINT96) {
      throw new Error(`secured amount ${input.securedAmount} is not valid: expected 0 to 2^96-1`);
    }
    const until = BigInt(input.until);
    if (until <= 0n || until > MAX_UINT48) throw new Error(`the pledge's end ${input.until} is not valid unix seconds`);
    return {
      achievement: this.achievementId(input.id),
      lender: this.identity.didId(input.lender),
      securedAmount,
      until,
      contractHash: nonZeroHash(input.contractHash, "pledge contract hash"),
    };
  }

  /** Refuses DIDs that are unknown or not active, naming each one's role. */
  private async requireActive(list: [bigint, string][]): Promise<void> {
    for (const [did, role] of list) {
      const status = await this.identity.statusOf(did);
      if (status === "None")
        throw new Error(`${role} DID ${did} is unknown: no DID ${formatDid(this.chainId, did)} on this chain`);
      if (status !== "Active") throw new Error(`${role} DID ${did} is ${status.toLowerCase()}, not active`);
    }
  }

  private async requireActing(account: string, did: bigint, who: string, role: string): Promise<void> {
    if (!(await this.identity.registry.isActingFor(account, did, SCOPES.ACHIEVEMENT))) {
      throw new Error(
        `${who} ${account} does not act for ${role} DID ${did}: name a key of that DID, or of a representative with the achievement scope`,
      );
    }
  }

  /** The consents `needed` for an action besides `asDid`'s: on chain, given, or signed by `options.signers`. */
  private async gather(
    action: RightsChange | PledgeTerms,
    actionHash: string,
    needed: bigint[],
    asDid: bigint,
    options: ConsentOptions,
  ): Promise<Consent[]> {
    const consents: Consent[] = [...(options.consents ?? [])];
    const missing: bigint[] = [];
    for (const did of needed) {
      if (did === asDid || consents.some((c) => c.did === did)) continue;
      if (await this.rights.hasConsented(actionHash, did)) continue;
      const signer = await this.signerFor(did, options.signers ?? []);
      if (signer) consents.push(await this.sign(action, signer, did));
      else missing.push(did);
    }
    if (missing.length > 0) {
      const list = missing.map((d) => `DID ${d}`).join(", ");
      throw new Error(
        `consent missing from ${list}: each must approve on chain (achievement approve) or sign, as every current and new holder must agree`,
      );
    }
    return consents;
  }

  private async signerFor(did: bigint, signers: Signer[]): Promise<Signer | undefined> {
    for (const s of signers) {
      if (await this.identity.registry.isActingFor(await s.getAddress(), did, SCOPES.ACHIEVEMENT)) return s;
    }
    return undefined;
  }

  private async version(id: bigint): Promise<bigint> {
    return (await this.read(() => this.registry.getAchievement(id))).version;
  }

  private async deadline(given?: bigint | number): Promise<bigint> {
    if (given !== undefined) {
      const d = BigInt(given);
      if (d <= 0n || d > MAX_UINT48) throw new Error(`deadline ${given} is not valid unix seconds`);
      return d;
    }
    const block = await this.provider().getBlock("latest");
    return BigInt(block?.timestamp ?? Math.floor(Date.now() / 1000)) + CONSENT_TTL_SECONDS;
  }

  // ---- internals: calls and results ----

  /** The write method `name` of `contract`: direct, or relayed when this client relays. */
  private fn<C extends BaseContract, K extends keyof C & string>(contract: C, name: K): C[K] {
    return this.relay ? this.relay.method(contract, name) : contract[name];
  }

  /**
   * The write method `name` whose arguments `args` computes (once, reading the chain) when the call
   * is first checked, estimated or sent: a refusal found there is thrown before anything is sent.
   */
  private deferred<C extends BaseContract, K extends keyof C & string>(
    contract: C,
    name: K,
    args: () => Promise<unknown[]>,
  ): C[K] {
    type Invoke = (...a: unknown[]) => Promise<unknown>;
    const method = this.fn(contract, name) as unknown as Invoke & { staticCall: Invoke; estimateGas: Invoke };
    let resolved: Promise<unknown[]> | undefined;
    const resolve = () => (resolved ??= args());
    const invoke = async () => method(...(await resolve()));
    return Object.assign(invoke, {
      staticCall: async () => method.staticCall(...(await resolve())),
      estimateGas: async () => method.estimateGas(...(await resolve())),
    }) as unknown as C[K];
  }

  private events(receipt: TransactionReceipt): SuiteEvent[] {
    return decodeEvents(receipt, this.names);
  }

  private event(receipt: TransactionReceipt, name: string): Record<string, unknown> {
    return findEvent(this.events(receipt), name).args;
  }

  private changed(rc: TransactionReceipt, change: RightsChange): RightsChangeResult {
    const events = this.events(rc);
    const e = findEvent(events, "RightsChanged").args;
    const status = events.find((x) => x.name === "StatusChanged");
    return {
      id: change.achievement,
      right: RIGHTS[Number(e.right)],
      holdings: change.holdings,
      until: e.until as bigint,
      actor: e.actor as bigint,
      changeHash: e.changeHash as string,
      caseRef: e.caseRef as string,
      status: status ? ACHIEVEMENT_STATUSES[Number(status.args.status)] : "Registered",
      ...landed(rc),
    };
  }

  private pledged(rc: TransactionReceipt): PledgeResult {
    const e = this.event(rc, "Pledged");
    return {
      id: e.id as bigint,
      lender: e.lender as bigint,
      actor: e.actor as bigint,
      securedAmount: e.securedAmount as bigint,
      until: e.until as bigint,
      contractHash: e.contractHash as string,
      ...landed(rc),
    };
  }

  private released(rc: TransactionReceipt): ReleaseResult {
    const e = this.event(rc, "PledgeReleased");
    const caseRef = e.caseRef as string;
    return { id: e.id as bigint, actor: e.actor as bigint, byOrder: caseRef !== ZeroHash, caseRef, ...landed(rc) };
  }

  private locked(rc: TransactionReceipt, name: "DisputeOpened" | "DisputeClosed" | "Frozen" | "Unfrozen"): LockResult {
    const e = this.event(rc, name);
    return {
      id: e.id as bigint,
      lock: name.startsWith("Dispute") ? "Disputed" : "Frozen",
      on: name === "DisputeOpened" || name === "Frozen",
      actor: e.actor as bigint,
      caseRef: e.caseRef as string,
      ...landed(rc),
    };
  }

  private async rightsOf(id: bigint): Promise<Record<RightName, RightView>> {
    const views = await Promise.all(
      RIGHTS.map(async (_, r) => {
        const [holdings, [base, grant, until]] = await Promise.all([
          this.registry.holdingsOf(id, r),
          this.registry.rightOf(id, r),
        ]);
        const view: RightView = { holdings: holdingViews(holdings), base: holdingViews(base) };
        if (grant.length > 0) view.grant = { holdings: holdingViews(grant), until };
        return view;
      }),
    );
    return Object.fromEntries(RIGHTS.map((name, r) => [name, views[r]])) as Record<RightName, RightView>;
  }

  private enrolled(rc: TransactionReceipt, name: string): Enrolment {
    const e = this.event(rc, name);
    return { account: e.account as string, did: e.did as bigint, ...landed(rc) };
  }

  /** The time of block `blockNumber`, in seconds. */
  private async timeOf(blockNumber: number): Promise<bigint> {
    const block = await this.provider().getBlock(blockNumber);
    return BigInt(block?.timestamp ?? 0);
  }

  // ---- internals: logs ----

  private provider(): Provider {
    const provider = this.registry.runner?.provider;
    if (!provider) throw new Error("the achievement client has no provider to read the chain with");
    return provider;
  }

  private registryTopics(names: Parameters<AchievementRegistry["interface"]["getEvent"]>[0][]): string[][] {
    return [names.map((n) => this.registry.interface.getEvent(n)!.topicHash)];
  }

  /**
   * Logs of `addresses` matching `topics` (topic0 alternatives, then topic1 = `id` when given), in
   * block order, read in steps of at most `maxBlockRange` blocks from the first block.
   */
  private async logs(addresses: string[], topics: (string | string[] | null)[] | null, id?: bigint): Promise<Log[]> {
    const provider = this.provider();
    const filterTopics = id === undefined ? (topics ?? []) : [topics?.[0] ?? null, uintTopic(id)];
    const range = this.scan.maxBlockRange ?? DEFAULT_BLOCK_RANGE;
    const [from, latest] = await Promise.all([this.startBlock(), provider.getBlockNumber()]);
    const out: Log[] = [];
    for (let lo = from; lo <= latest; lo += range) {
      const toBlock = Math.min(lo + range - 1, latest);
      out.push(...(await provider.getLogs({ address: addresses, topics: filterTopics, fromBlock: lo, toBlock })));
    }
    return out.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  }

  /** The first block to read: given, or the registry's deployment block (found by its code), or 0. */
  private startBlock(): Promise<number> {
    if (this.scan.fromBlock !== undefined) return Promise.resolve(this.scan.fromBlock);
    this.firstBlock ??= deploymentBlock(this.provider(), this.registry.target as string).catch(() => 0);
    return this.firstBlock;
  }

  private decodeLog(log: Log): AchievementEvent {
    const isRegistry = log.address.toLowerCase() === (this.registry.target as string).toLowerCase();
    const iface = isRegistry ? this.registry.interface : this.rights.interface;
    const parsed = iface.parseLog({ topics: [...log.topics], data: log.data });
    if (!parsed) throw new Error(`cannot decode log ${log.index} of transaction ${log.transactionHash}`);
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((input, i) => (args[input.name] = plain(parsed.args[i])));
    if (parsed.name === "AchievementRegistered")
      args.registration = this.decodeRegistration(args.registration as string);
    const actor = args[ACTOR_ARG[parsed.name] ?? "actor"];
    return {
      contract: isRegistry ? "AchievementRegistry" : "AchievementRights",
      name: parsed.name,
      ...(typeof actor === "bigint" ? { actor } : {}),
      blockNumber: log.blockNumber,
      transactionHash: log.transactionHash,
      logIndex: log.index,
      args,
    };
  }

  /** `abi.encode(Registration)` as the AchievementRegistered event carries it. */
  private decodeRegistration(data: string): RegistrationView {
    const type = this.registry.interface.getFunction("register")!.inputs[0];
    const [r] = AbiCoder.defaultAbiCoder().decode([type], data);
    const f = r.form;
    return {
      registrationNumber: numberText(r.registrationNumber),
      kind: ACHIEVEMENT_KINDS[Number(r.kind)],
      classification: CLASSIFICATIONS[Number(r.classification)],
      secrecy: SECRECY_LEVELS[Number(r.secrecy)],
      metadata: r.metadata,
      metadataURI: r.metadataURI,
      externalIds: [...r.externalIds],
      owners: holdingViews(r.owners),
      inventors: [...r.inventors],
      holder: r.holder,
      form: {
        name: f.name,
        firstOrganisation: f.firstOrganisation,
        recommender: f.recommender,
        researchStart: f.researchStart,
        researchEnd: f.researchEnd,
        field: Number(f.field),
        form: Number(f.form),
        stage: Number(f.stage),
        keywords: [...f.keywords],
      },
    };
  }

  /** A read whose refusal (an unknown achievement) is thrown decoded. */
  private async read<R>(fn: () => Promise<R>): Promise<R> {
    try {
      return await fn();
    } catch (e) {
      throw toGovLedgerError(e);
    }
  }
}

/** Names of an enum's values: a value, or its name in any case, with or without hyphens. */
function parseName(names: readonly string[], input: number | bigint | string, what: string, min: number): number {
  const text = String(input).trim();
  const index = /^\d+$/.test(text)
    ? Number(text)
    : names.findIndex((n) => n.toLowerCase() === text.toLowerCase().replace(/[-_\s]/g, ""));
  if (index < min || index >= names.length) {
    const valid = names.slice(min).map((n) => n.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase());
    throw new Error(`unknown ${what} "${input}": expected one of ${valid.join(", ")}`);
  }
  return index;
}

function uint(value: number, bits: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || BigInt(value) >= 2n ** BigInt(bits)) {
    throw new Error(`${what} ${value} is not valid: expected a whole number below 2^${bits}`);
  }
  return value;
}

function checkedScores(s: Scores): Scores {
  const names = ["scientific", "technical", "economic", "social", "cultural"] as const;
  for (const n of names) {
    const v = s[n];
    if (!Number.isInteger(v) || v < 0 || v > MAX_SCORE) {
      throw new Error(`the ${n} score ${v} is not valid: scores run from 0 to ${MAX_SCORE}`);
    }
  }
  return {
    scientific: s.scientific,
    technical: s.technical,
    economic: s.economic,
    social: s.social,
    cultural: s.cultural,
  };
}

function scoresOf(s: {
  scientific: bigint;
  technical: bigint;
  economic: bigint;
  social: bigint;
  cultural: bigint;
}): Scores {
  return {
    scientific: Number(s.scientific),
    technical: Number(s.technical),
    economic: Number(s.economic),
    social: Number(s.social),
    cultural: Number(s.cultural),
  };
}

function holdingViews(list: readonly { did: bigint; bps: bigint }[]): HoldingView[] {
  return list.map((h) => ({ did: h.did, bps: Number(h.bps) }));
}

function isChange(action: RightsChange | PledgeTerms): action is RightsChange {
  return "holdings" in action;
}

/** A registration number as its 12 digits. */
function numberText(id: bigint): string {
  return id.toString().padStart(12, "0");
}

function uintTopic(value: bigint): string {
  return zeroPadValue(toBeHex(value), 32);
}

function distinct(ids: bigint[]): bigint[] {
  return [...new Set(ids)];
}

/** Event arguments as plain values: an ethers Result becomes an object (a struct) or an array. */
function plain(value: unknown): unknown {
  if (!(value instanceof Result)) return value;
  try {
    if (value.length > 0) {
      return Object.fromEntries(Object.entries(value.toObject(false)).map(([k, v]) => [k, plain(v)]));
    }
  } catch {
    // Unnamed values: an array.
  }
  return Array.from(value, plain);
}

/** The block `address` got its code in (binary search on its code; needs a node that keeps state). */
async function deploymentBlock(provider: Provider, address: string): Promise<number> {
  let [lo, hi] = [0, await provider.getBlockNumber()];
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await provider.getCode(address, mid)) !== "0x") hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
