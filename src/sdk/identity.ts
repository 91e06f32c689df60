import type { BaseContract, Interface, Signer, TransactionReceipt } from "ethers";
import type { ConsentRegistry, GovForwarder, IdentityRecovery, IdentityRegistry } from "../../typechain-types";
import type { IIdentityRegistry } from "../../typechain-types/contracts/identity/IdentityRegistry";
import { Call } from "./call";
import type { ProposedCall } from "./council";
import {
  NEVER,
  decomposeClaimId,
  formatDid,
  parseCategory,
  parseDid,
  parseDidKind,
  parsePurposes,
  parseScopes,
  purposesFromBitmap,
  scopesFromBitmap,
  MAX_DID,
  type KeyPurposeName,
  type ScopeName,
} from "./did";
import { decodeEvents, findEvent, type SuiteEvent } from "./events";
import { checkedAddress, checkedHash } from "./members";
import { Relay, type RelayOptions } from "./relay";
import {
  CLAIM_STATUSES,
  DID_KINDS,
  DID_STATUSES,
  type ClaimStatusName,
  type DidKindName,
  type DidStatusName,
} from "./states";

/** A DID: its id, or `did:govledger:<chainId>:<id>`, or a bare id as text. */
export type DidRef = bigint | number | string;

/** Key purposes or mandate scopes: names ("authentication,assertion"), a list of names, or a bitmap. */
export type Bits = string | string[] | number | bigint;

export interface DidKeyView {
  account: string;
  purposes: KeyPurposeName[];
}

export interface RecoveryView {
  newKey: string;
  /** When it can complete; 0 while guardians' approvals are short of the threshold. */
  readyAt: bigint;
  /** How many guardians approved. */
  approvals: bigint;
  /** The guardian DIDs that approved. */
  approvedBy: bigint[];
  byRegistrar: boolean;
}

/** A resolved DID document, with the DID's guardians and pending recovery from IdentityRecovery. */
export interface DidDocumentView {
  id: bigint;
  /** `did:govledger:<chainId>:<id>`. */
  did: string;
  kind: DidKindName;
  status: DidStatusName;
  /** Member id of the registrar agency; 0 while pending. */
  registrar: bigint;
  createdAt: bigint;
  updatedAt: bigint;
  version: bigint;
  commitment: string;
  keys: DidKeyView[];
  guardians: bigint[];
  guardianThreshold: bigint;
  /** The pending recovery, if any. */
  recovery?: RecoveryView;
}

export interface Registration {
  /** "person" or "organisation". */
  kind: string;
  /** Salted hash of the off-chain identity record. */
  commitment: string;
  /** Keys with their purposes (all purposes when omitted). */
  keys: { account: string; purposes?: Bits }[];
}

export interface Registered {
  id: bigint;
  did: string;
}

export interface ClaimRequest {
  subject: DidRef;
  topic: bigint | number;
  /** keccak256 of the off-chain credential. */
  dataHash: string;
  /** Unix seconds; 0 (valid at once) by default. */
  validFrom?: bigint | number;
  /** Unix seconds; {@link NEVER} by default. */
  validUntil?: bigint | number;
}

export interface ClaimView {
  id: bigint;
  subject: bigint;
  issuer: bigint;
  topic: bigint;
  /** The claim's number among the subject's claims of the topic. */
  n: bigint;
  dataHash: string;
  validFrom: bigint;
  validUntil: bigint;
  issuedAt: bigint;
  status: ClaimStatusName;
}

export interface IssuedClaim {
  id: bigint;
  subject: bigint;
  topic: bigint;
  n: bigint;
  issuer: bigint;
}

/** Why a claim is not valid now. */
export type ClaimProblem =
  "revoked" | "suspended" | "expired" | "not-yet-valid" | "issuer-not-accredited" | "subject-not-active";

export interface ClaimVerification {
  claim: ClaimView;
  /** Valid now: active, within its window, from an issuer accredited now, about an active DID. */
  valid: boolean;
  /** Empty when valid. */
  problems: ClaimProblem[];
  /** The hash of the documented reason, for a revoked claim. */
  revocationReason?: string;
  /** The chain time the verification was made at. */
  checkedAt: bigint;
}

export interface TopicView {
  id: bigint;
  name: string;
  schemaHash: string;
  registeredAt: bigint;
}

export interface AccreditationView {
  issuer: bigint;
  topic: bigint;
  active: boolean;
  validUntil: bigint;
  /** Active and not ended now. */
  current: boolean;
}

export interface MandateView {
  org: bigint;
  representative: bigint;
  scopes: ScopeName[];
  grantedAt: bigint;
  validUntil: bigint;
  /** Some scope, and not ended now. */
  live: boolean;
}

export interface ConsentRequest {
  subject: DidRef;
  grantee: DidRef;
  /** Category name ("basic-identity", "education") or id. */
  category: string | number | bigint;
  /** Hash of the purpose statement the subject agreed to. */
  purposeHash: string;
  /** Unix seconds. */
  validUntil: bigint | number;
}

export interface ConsentView {
  id: bigint;
  subject: bigint;
  grantee: bigint;
  category: bigint;
  grantedAt: bigint;
  validUntil: bigint;
  /** 0 while not revoked. */
  revokedAt: bigint;
  purposeHash: string;
  accessCount: bigint;
  live: boolean;
}

export interface ReceiptView {
  id: bigint;
  consentId: bigint;
  accessor: bigint;
  account: string;
  accessedAt: bigint;
  requestHash: string;
}

export interface RecoveryStep {
  id: bigint;
  newKey?: string;
  /** Guardian approvals so far (absent for a registrar's recovery). */
  approvals?: bigint;
  /** Set once the recovery is approved: when it can complete. */
  readyAt?: bigint;
}

/** The contracts of the identity module, as deployed. */
export interface IdentityContracts {
  registry: IdentityRegistry;
  recovery: IdentityRecovery;
  consent: ConsentRegistry;
  forwarder: GovForwarder;
}

/**
 * The identity module: DIDs and their keys, guardians and recovery, organisations' mandates, claims
 * by accredited issuers, and consents with access receipts. Writes return {@link Call}s; with
 * {@link relayed} the same writes are signed by a key with no funds and paid by a relayer.
 */
export class IdentityClient {
  readonly registry: IdentityRegistry;
  readonly recovery: IdentityRecovery;
  readonly consent: ConsentRegistry;
  readonly forwarder: GovForwarder;

  constructor(
    contracts: IdentityContracts,
    readonly chainId: bigint,
    private readonly names: Record<string, string>,
    private readonly relay?: Relay,
  ) {
    ({
      registry: this.registry,
      recovery: this.recovery,
      consent: this.consent,
      forwarder: this.forwarder,
    } = contracts);
  }

  /**
   * The same client, with every write signed by `signer` (who needs no funds) as an EIP-712
   * request and submitted by `relayer` through the GovForwarder. Refusals are decoded before relaying.
   */
  relayed(signer: Signer, relayer: Signer, options?: RelayOptions): IdentityClient {
    const contracts = {
      registry: this.registry.connect(relayer),
      recovery: this.recovery.connect(relayer),
      consent: this.consent.connect(relayer),
      forwarder: this.forwarder.connect(relayer),
    };
    return new IdentityClient(contracts, this.chainId, this.names, new Relay(this.forwarder, signer, relayer, options));
  }

  /** The DID id of `ref`: an id, or a DID string of this chain. */
  didId(ref: DidRef): bigint {
    if (typeof ref === "string") return parseDid(ref, this.chainId);
    const id = BigInt(ref);
    if (id <= 0n || id > MAX_DID) throw new Error(`DID id ${ref} is out of range: ids run from 1 to 2^64-1`);
    return id;
  }

  /** `did:govledger:<chainId>:<id>`. */
  didString(ref: DidRef): string {
    return formatDid(this.chainId, this.didId(ref));
  }

  // ---- DIDs ----

  /** Registers an active DID with its keys. Registrar agencies only. */
  register(r: Registration): Call<Registered> {
    const kind = parseDidKind(r.kind).value;
    const commitment = checkedHash(r.commitment);
    const keys = r.keys.map((k) => ({ account: checkedAddress(k.account), purposes: parsePurposes(k.purposes ?? 3n) }));
    return Call.of(this.fn(this.registry, "register"), [kind, commitment, keys], (rc) => this.registered(rc));
  }

  /** Registers a DID controlled by the caller's key, pending a registrar's {@link verify}. */
  selfRegister(kind: string, commitment: string): Call<Registered> {
    const k = parseDidKind(kind).value;
    return Call.of(this.fn(this.registry, "selfRegister"), [k, checkedHash(commitment)], (rc) => this.registered(rc));
  }

  /** Activates a self-registered DID. Registrars only. */
  verify(did: DidRef): Call<{ id: bigint; registrar: bigint }> {
    const id = this.didId(did);
    return Call.of(this.fn(this.registry, "verify"), [id], (rc) => ({
      id,
      registrar: this.event(rc, "DidVerified").registrar as bigint,
    }));
  }

  /** Freezes an active or pending DID. Registrars only. */
  suspend(did: DidRef, reasonHash: string): Call<{ id: bigint; status: DidStatusName }> {
    const id = this.didId(did);
    return Call.of(this.fn(this.registry, "suspend"), [id, checkedHash(reasonHash)], () => ({
      id,
      status: "Suspended",
    }));
  }

  /** Unfreezes a suspended DID. Registrars only. */
  reinstate(did: DidRef): Call<{ id: bigint; status: DidStatusName }> {
    const id = this.didId(did);
    return Call.of(this.fn(this.registry, "reinstate"), [id], () => ({ id, status: "Active" }));
  }

  /** Closes a DID for good; its keys are removed. Registrars only. */
  deactivate(did: DidRef, reasonHash: string): Call<{ id: bigint; status: DidStatusName }> {
    const id = this.didId(did);
    const reason = checkedHash(reasonHash);
    return Call.of(this.fn(this.registry, "deactivate"), [id, reason], () => ({ id, status: "Deactivated" }));
  }

  /** The DID document of `did`, with its guardians and pending recovery. */
  async resolve(did: DidRef): Promise<DidDocumentView> {
    const id = this.didId(did);
    const [doc, [guardians, threshold], recovery] = await Promise.all([
      this.registry.resolve(id),
      this.recovery.guardiansOf(id),
      this.recoveryOf(id),
    ]);
    return {
      id,
      did: formatDid(this.chainId, id),
      kind: DID_KINDS[Number(doc.kind)],
      status: DID_STATUSES[Number(doc.status)],
      registrar: doc.registrar,
      createdAt: doc.createdAt,
      updatedAt: doc.updatedAt,
      version: doc.version,
      commitment: doc.commitment,
      // By position: on an ethers Result, `.keys` is Array.prototype.keys.
      keys: doc[8].map((k) => ({ account: k.account, purposes: purposesFromBitmap(k.purposes) })),
      guardians: [...guardians],
      guardianThreshold: threshold,
      recovery,
    };
  }

  /** The DID `account` is a key of, with the key's purposes; undefined when none. */
  async didOf(account: string): Promise<{ id: bigint; did: string; purposes: KeyPurposeName[] } | undefined> {
    const [id, purposes] = await this.registry.didOf(checkedAddress(account));
    return id === 0n ? undefined : { id, did: formatDid(this.chainId, id), purposes: purposesFromBitmap(purposes) };
  }

  async statusOf(did: DidRef): Promise<DidStatusName> {
    return DID_STATUSES[Number(await this.registry.statusOf(this.didId(did)))];
  }

  // ---- keys (the DID's controller) ----

  addKey(did: DidRef, key: string, purposes: Bits): Call<{ id: bigint; key: string; purposes: KeyPurposeName[] }> {
    const [id, account, bits] = [this.didId(did), checkedAddress(key), parsePurposes(purposes)];
    return Call.of(this.fn(this.registry, "addKey"), [id, account, bits], () => ({
      id,
      key: account,
      purposes: purposesFromBitmap(bits),
    }));
  }

  removeKey(did: DidRef, key: string): Call<{ id: bigint; key: string }> {
    const [id, account] = [this.didId(did), checkedAddress(key)];
    return Call.of(this.fn(this.registry, "removeKey"), [id, account], () => ({ id, key: account }));
  }

  /** Replaces `oldKey` by `newKey` with the same purposes; the old key is refused from then on. */
  rotateKey(did: DidRef, oldKey: string, newKey: string): Call<{ id: bigint; oldKey: string; newKey: string }> {
    const [id, from, to] = [this.didId(did), checkedAddress(oldKey), checkedAddress(newKey)];
    return Call.of(this.fn(this.registry, "rotateKey"), [id, from, to], () => ({ id, oldKey: from, newKey: to }));
  }

  // ---- guardians and recovery ----

  /** Chooses the guardian DIDs, `threshold` of whom can recover `did`. */
  setGuardians(
    did: DidRef,
    guardians: DidRef[],
    threshold: number | bigint,
  ): Call<{ id: bigint; guardians: bigint[]; threshold: bigint }> {
    const id = this.didId(did);
    const list = guardians.map((g) => this.didId(g));
    const k = BigInt(threshold);
    return Call.of(this.fn(this.recovery, "setGuardians"), [id, list, k], () => ({
      id,
      guardians: list,
      threshold: k,
    }));
  }

  /** Starts recovering `did` to `newKey`, as one of its guardians (counts as its approval). */
  initiateRecovery(did: DidRef, newKey: string): Call<RecoveryStep> {
    const [id, key] = [this.didId(did), checkedAddress(newKey)];
    return Call.of(this.fn(this.recovery, "initiateRecovery"), [id, key], (rc) => this.recoveryStep(id, rc));
  }

  /** Approves the pending recovery of `did`, as one of its guardians. */
  approveRecovery(did: DidRef): Call<RecoveryStep> {
    const id = this.didId(did);
    return Call.of(this.fn(this.recovery, "approveRecovery"), [id], (rc) => this.recoveryStep(id, rc));
  }

  /** Starts recovering `did` to `newKey`, approved at once. Registrars only. */
  recoverByRegistrar(did: DidRef, newKey: string): Call<RecoveryStep> {
    const [id, key] = [this.didId(did), checkedAddress(newKey)];
    return Call.of(this.fn(this.recovery, "recoverByRegistrar"), [id, key], (rc) => this.recoveryStep(id, rc));
  }

  /** Cancels the pending recovery of `did`, as its controller. */
  objectRecovery(did: DidRef): Call<{ id: bigint }> {
    const id = this.didId(did);
    return Call.of(this.fn(this.recovery, "objectRecovery"), [id], () => ({ id }));
  }

  /** Cancels the pending recovery of `did`. Registrars only. */
  cancelRecovery(did: DidRef): Call<{ id: bigint }> {
    const id = this.didId(did);
    return Call.of(this.fn(this.recovery, "cancelRecovery"), [id], () => ({ id }));
  }

  /** Completes a ready recovery: every old key is removed and the new key takes over. Anyone may call. */
  completeRecovery(did: DidRef): Call<{ id: bigint; newKey: string }> {
    const id = this.didId(did);
    return Call.of(this.fn(this.recovery, "completeRecovery"), [id], (rc) => ({
      id,
      newKey: this.event(rc, "RecoveryCompleted").newKey as string,
    }));
  }

  /** The pending recovery of `did`, or undefined. */
  async recoveryOf(did: DidRef): Promise<RecoveryView | undefined> {
    const id = this.didId(did);
    const [r, [guardians]] = await Promise.all([this.recovery.recoveryOf(id), this.recovery.guardiansOf(id)]);
    if (BigInt(r.newKey) === 0n) return undefined;
    const approvedBy = guardians.filter((_, i) => (r.approvals >> BigInt(i)) & 1n);
    return {
      newKey: r.newKey,
      readyAt: r.readyAt,
      approvals: BigInt(approvedBy.length),
      approvedBy,
      byRegistrar: r.byRegistrar,
    };
  }

  // ---- mandates ----

  /** Lets `representative` act for organisation `org` within `scopes` until `validUntil` (unix seconds). */
  grantMandate(
    org: DidRef,
    representative: DidRef,
    scopes: Bits,
    validUntil: bigint | number,
  ): Call<{ org: bigint; representative: bigint; scopes: ScopeName[]; validUntil: bigint }> {
    const [o, r, bits, until] = [this.didId(org), this.didId(representative), parseScopes(scopes), BigInt(validUntil)];
    return Call.of(this.fn(this.registry, "grantMandate"), [o, r, bits, until], () => ({
      org: o,
      representative: r,
      scopes: scopesFromBitmap(bits),
      validUntil: until,
    }));
  }

  revokeMandate(org: DidRef, representative: DidRef): Call<{ org: bigint; representative: bigint }> {
    const [o, r] = [this.didId(org), this.didId(representative)];
    return Call.of(this.fn(this.registry, "revokeMandate"), [o, r], () => ({ org: o, representative: r }));
  }

  async mandateOf(org: DidRef, representative: DidRef): Promise<MandateView> {
    const [o, r] = [this.didId(org), this.didId(representative)];
    const [m, now] = await Promise.all([this.registry.mandateOf(o, r), this.now()]);
    return {
      org: o,
      representative: r,
      scopes: scopesFromBitmap(m.scopes),
      grantedAt: m.grantedAt,
      validUntil: m.validUntil,
      live: m.scopes !== 0n && now <= m.validUntil,
    };
  }

  // ---- topics and trusted issuers ----

  async topic(id: bigint | number): Promise<TopicView> {
    const t = await this.registry.getTopic(BigInt(id));
    return { id: BigInt(id), name: t.name, schemaHash: t.schemaHash, registeredAt: t.registeredAt };
  }

  /** Every claim topic, by id. */
  async topics(): Promise<TopicView[]> {
    const count = await this.registry.topicCount();
    return Promise.all(Array.from({ length: Number(count) }, (_, i) => this.topic(BigInt(i + 1))));
  }

  async accreditation(issuer: DidRef, topic: bigint | number): Promise<AccreditationView> {
    const [i, t] = [this.didId(issuer), BigInt(topic)];
    const [a, now] = await Promise.all([this.registry.accreditationOf(i, t), this.now()]);
    return {
      issuer: i,
      topic: t,
      active: a.active,
      validUntil: a.validUntil,
      current: a.active && now <= a.validUntil,
    };
  }

  /** Proposal builder: register a claim topic (a council decision). */
  registerTopic(name: string, schemaHash: string): ProposedCall {
    if (name.trim() === "") throw new Error("the topic name is empty");
    return this.proposal("registerTopic", [name, checkedHash(schemaHash)], `Register claim topic "${name}"`);
  }

  /** Proposal builder: accredit `issuer` for `topic` until `validUntil` (a council decision). */
  accreditIssuer(issuer: DidRef, topic: bigint | number, validUntil: bigint | number = NEVER): ProposedCall {
    const i = this.didId(issuer);
    return this.proposal(
      "accreditIssuer",
      [i, BigInt(topic), BigInt(validUntil)],
      `Accredit DID ${i} for topic ${topic}`,
    );
  }

  /** Proposal builder: withdraw `issuer`'s accreditation for `topic` (a council decision). */
  withdrawAccreditation(issuer: DidRef, topic: bigint | number): ProposedCall {
    const i = this.didId(issuer);
    return this.proposal(
      "withdrawAccreditation",
      [i, BigInt(topic)],
      `Withdraw DID ${i}'s accreditation for topic ${topic}`,
    );
  }

  // ---- claims ----

  /** Issues a claim as the caller's accredited DID; resolves to the claim id from the ClaimIssued event. */
  issueClaim(request: ClaimRequest): Call<IssuedClaim> {
    const r = this.claimRequest(request);
    const args = [r.subject, r.topic, r.dataHash, r.validFrom, r.validUntil] as const;
    return Call.of(this.fn(this.registry, "issueClaim"), [...args], (rc) => this.issued(rc)[0]);
  }

  /** Issues several claims in one transaction; resolves to their ids, in order. */
  issueClaims(requests: ClaimRequest[]): Call<IssuedClaim[]> {
    if (requests.length === 0) throw new Error("no claims to issue");
    const list = requests.map((r) => this.claimRequest(r));
    return Call.of(this.fn(this.registry, "issueClaims"), [list], (rc) => this.issued(rc));
  }

  /** Revokes a claim for good; its issuer only. */
  revokeClaim(claimId: bigint, reasonHash: string): Call<{ id: bigint; reasonHash: string }> {
    const reason = checkedHash(reasonHash);
    return Call.of(this.fn(this.registry, "revokeClaim"), [claimId, reason], () => ({
      id: claimId,
      reasonHash: reason,
    }));
  }

  revokeClaims(claimIds: bigint[], reasonHash: string): Call<{ ids: bigint[]; reasonHash: string }> {
    if (claimIds.length === 0) throw new Error("no claims to revoke");
    const reason = checkedHash(reasonHash);
    return Call.of(this.fn(this.registry, "revokeClaims"), [claimIds, reason], () => ({
      ids: claimIds,
      reasonHash: reason,
    }));
  }

  suspendClaim(claimId: bigint): Call<{ id: bigint; status: ClaimStatusName }> {
    return Call.of(this.fn(this.registry, "suspendClaim"), [claimId], () => ({ id: claimId, status: "Suspended" }));
  }

  reinstateClaim(claimId: bigint): Call<{ id: bigint; status: ClaimStatusName }> {
    return Call.of(this.fn(this.registry, "reinstateClaim"), [claimId], () => ({ id: claimId, status: "Active" }));
  }

  async claim(claimId: bigint): Promise<ClaimView> {
    return claimView(await this.registry.getClaim(claimId));
  }

  /** Every claim about `did`, grouped by topic, newest topic first. */
  async claimsOf(did: DidRef): Promise<ClaimView[]> {
    return (await this.registry.claimsOf(this.didId(did))).map(claimView);
  }

  /** Whether `did` holds a valid claim of `topic` from an issuer accredited now. */
  async hasValidClaim(did: DidRef, topic: bigint | number): Promise<boolean> {
    return this.registry.hasValidClaim(this.didId(did), BigInt(topic));
  }

  /** Claim `claimId`, whether it is valid now, and every reason it is not. */
  async verifyClaim(claimId: bigint): Promise<ClaimVerification> {
    const claim = await this.claim(claimId);
    const [onChain, subject, accreditation, checkedAt] = await Promise.all([
      this.registry.isClaimValid(claimId),
      this.statusOf(claim.subject),
      this.accreditation(claim.issuer, claim.topic),
      this.now(),
    ]);
    const problems: ClaimProblem[] = [];
    if (claim.status === "Revoked") problems.push("revoked");
    if (claim.status === "Suspended") problems.push("suspended");
    if (checkedAt < claim.validFrom) problems.push("not-yet-valid");
    if (checkedAt > claim.validUntil) problems.push("expired");
    if (!accreditation.current) problems.push("issuer-not-accredited");
    if (subject !== "Active") problems.push("subject-not-active");
    const verification: ClaimVerification = { claim, valid: onChain && subject === "Active", problems, checkedAt };
    if (claim.status === "Revoked") {
      const [revoked] = await this.registry.queryFilter(this.registry.filters.ClaimRevoked(claimId));
      verification.revocationReason = revoked?.args.reasonHash;
    }
    return verification;
  }

  // ---- consents ----

  /** Lets `grantee` look up `category` of `subject`'s data for a purpose until `validUntil`. */
  grantConsent(c: ConsentRequest): Call<{ consentId: bigint }> {
    const args = [
      this.didId(c.subject),
      this.didId(c.grantee),
      parseCategory(c.category),
      checkedHash(c.purposeHash),
      BigInt(c.validUntil),
    ] as const;
    return Call.of(this.fn(this.consent, "grantConsent"), [...args], (rc) => ({
      consentId: this.event(rc, "ConsentGranted").consentId as bigint,
    }));
  }

  /** Ends consent `consentId` at once; its subject only. */
  revokeConsent(consentId: bigint): Call<{ consentId: bigint }> {
    return Call.of(this.fn(this.consent, "revokeConsent"), [consentId], () => ({ consentId }));
  }

  /** Records a look-up under live consent `consentId`, as (a representative of) its grantee. */
  recordAccess(
    consentId: bigint,
    requestHash: string,
  ): Call<{ receiptId: bigint; consentId: bigint; accessor: bigint }> {
    return Call.of(this.fn(this.consent, "recordAccess"), [consentId, checkedHash(requestHash)], (rc) => {
      const e = this.event(rc, "AccessRecorded");
      return { receiptId: e.receiptId as bigint, consentId, accessor: e.accessor as bigint };
    });
  }

  async consentOf(consentId: bigint): Promise<ConsentView> {
    const [c, live] = await Promise.all([this.consent.getConsent(consentId), this.consent.isConsentLive(consentId)]);
    return {
      id: consentId,
      subject: c.subject,
      grantee: c.grantee,
      category: c.category,
      grantedAt: c.grantedAt,
      validUntil: c.validUntil,
      revokedAt: c.revokedAt,
      purposeHash: c.purposeHash,
      accessCount: c.accessCount,
      live,
    };
  }

  async receipt(receiptId: bigint): Promise<ReceiptView> {
    const r = await this.consent.getReceipt(receiptId);
    return {
      id: receiptId,
      consentId: r.consentId,
      accessor: r.accessor,
      account: r.account,
      accessedAt: r.accessedAt,
      requestHash: r.requestHash,
    };
  }

  // ---- internals ----

  /** The write method `name` of `contract`: direct, or relayed when this client relays. */
  private fn<C extends BaseContract, K extends keyof C & string>(contract: C, name: K): C[K] {
    return this.relay ? this.relay.method(contract, name) : contract[name];
  }

  private events(receipt: TransactionReceipt): SuiteEvent[] {
    return decodeEvents(receipt, this.names);
  }

  private event(receipt: TransactionReceipt, name: string): Record<string, unknown> {
    return findEvent(this.events(receipt), name).args;
  }

  private registered(receipt: TransactionReceipt): Registered {
    const id = this.event(receipt, "DidRegistered").did as bigint;
    return { id, did: formatDid(this.chainId, id) };
  }

  private issued(receipt: TransactionReceipt): IssuedClaim[] {
    return this.events(receipt)
      .filter((e) => e.name === "ClaimIssued")
      .map((e) => {
        const id = e.args.claimId as bigint;
        return { id, ...decomposeClaimId(id), issuer: e.args.issuer as bigint };
      });
  }

  private recoveryStep(id: bigint, receipt: TransactionReceipt): RecoveryStep {
    const events = this.events(receipt);
    const step: RecoveryStep = { id };
    for (const e of events) {
      if (e.name === "RecoveryInitiated" || e.name === "RecoveryScheduled") step.newKey = e.args.newKey as string;
      if (e.name === "RecoveryApproved") step.approvals = BigInt(e.args.approvals as bigint);
      if (e.name === "RecoveryScheduled") step.readyAt = e.args.readyAt as bigint;
    }
    return step;
  }

  private claimRequest(r: ClaimRequest): IIdentityRegistry.ClaimRequestStruct {
    const topic = BigInt(r.topic);
    if (topic <= 0n || topic > 0xffffffffn) throw new Error(`topic ${r.topic} is not valid: expected 1 to 2^32-1`);
    const validFrom = BigInt(r.validFrom ?? 0);
    const validUntil = BigInt(r.validUntil ?? NEVER);
    if (validUntil <= validFrom) {
      throw new Error(
        `the claim's validity window is empty: valid until ${validUntil} is not after valid from ${validFrom}`,
      );
    }
    if (validUntil > NEVER) throw new Error(`valid until ${validUntil} is beyond the largest time (2^40-1, "never")`);
    const subject = this.didId(r.subject);
    return { subject, topic, dataHash: checkedHash(r.dataHash), validFrom, validUntil };
  }

  private proposal(
    fn: "registerTopic" | "accreditIssuer" | "withdrawAccreditation",
    args: unknown[],
    description: string,
  ): ProposedCall {
    return {
      target: this.registry.target as string,
      data: (this.registry.interface as Interface).encodeFunctionData(fn, args),
      description,
    };
  }

  /** The latest block's time: what the contracts compare validity windows with. */
  private async now(): Promise<bigint> {
    const block = await this.registry.runner?.provider?.getBlock("latest");
    return BigInt(block?.timestamp ?? Math.floor(Date.now() / 1000));
  }
}

function claimView(c: IIdentityRegistry.ClaimStructOutput): ClaimView {
  return {
    id: c.id,
    subject: c.subject,
    issuer: c.issuer,
    topic: c.topic,
    n: decomposeClaimId(c.id).n,
    dataHash: c.dataHash,
    validFrom: c.validFrom,
    validUntil: c.validUntil,
    issuedAt: c.issuedAt,
    status: CLAIM_STATUSES[Number(c.status)],
  };
}
