import { ZeroHash, getAddress, type Signer, type TransactionReceipt } from "ethers";
import type { EvidenceRegistry, GovForwarder } from "../../typechain-types";
import type { IEvidenceRegistry } from "../../typechain-types/contracts/evidence/EvidenceRegistry";
import { parseBundle, verifyBundleOffline, type ProofBundle } from "../evidence/bundle";
import { ALGORITHM_NAMES, DigestAlgorithm, parseAlgorithm, parseDigest } from "../evidence/digest";
import { Call, landed, type Landed } from "./call";
import { formatDid } from "./did";
import { DeploymentError } from "./deployment";
import { decodeEvents, findEvent } from "./events";
import { checkedAddress, checkedHash, type MembersClient } from "./members";
import { Relay, type RelayOptions } from "./relay";
import { EVIDENCE_KINDS, EVIDENCE_STATUSES, type EvidenceKindName, type EvidenceStatusName } from "./states";

/** A digest algorithm: its enum value, its name ("sha256", "sm3", "keccak256") or its id. */
export type AlgorithmRef = DigestAlgorithm | string | number;

/** What a notarization records besides the digest; business reference and metadata go to the event only. */
export interface NotarizeOptions {
  /** The algorithm the digest was computed with. */
  algorithm: AlgorithmRef;
  /** A category number (0 to 2^32-1) the consortium names off chain; 0 by default. */
  category?: bigint | number;
  /** 32-byte business reference (e.g. keccak256 of a case number); zero by default. */
  businessRef?: string;
  /** 32-byte metadata (e.g. keccak256 of a URI or a document); zero by default. */
  metadata?: string;
}

export type { Landed } from "./call";

export interface Notarization extends Landed {
  digest: string;
  /** The submitting organisation's DID id and string. */
  submitter: bigint;
  did: string;
  account: string;
  algorithm: string;
  category: bigint;
  businessRef: string;
  metadata: string;
}

export interface BatchNotarization extends Landed {
  batchId: bigint;
  digests: string[];
  submitter: bigint;
  did: string;
  algorithm: string;
}

export interface RootAnchoring extends Landed {
  root: string;
  size: bigint;
  submitter: bigint;
  did: string;
  algorithm: string;
}

export interface Supersession extends Landed {
  oldDigest: string;
  newDigest: string;
  submitter: bigint;
  did: string;
}

export interface RevocationResult extends Landed {
  /** The revoked record, root, or a root's document ({@link EvidenceClient.documentKey}). */
  key: string;
  by: bigint;
  byOrder: boolean;
  reasonHash: string;
}

/** The event that created a record: found through the record's block and its digest or batch id. */
export interface RecordEventView {
  transactionHash: string;
  businessRef: string;
  metadata: string;
  /** The key that sent it (or signed it, when relayed). */
  account: string;
}

export interface EvidenceRecordView {
  key: string;
  kind: EvidenceKindName;
  status: EvidenceStatusName;
  algorithm: string;
  category: bigint;
  submitter: bigint;
  /** `did:govledger:<chainId>:<id>` of the submitter. */
  submitterDid: string;
  notarizedAt: bigint;
  blockNumber: bigint;
  /** Indexed records: the batch id. */
  batchId?: bigint;
  /** Roots: the number of documents. */
  size?: bigint;
  /** The record that corrects this one. */
  supersededBy?: string;
  /** The record this one corrects. */
  supersedes?: string;
  /** Undefined when the node no longer serves the logs of that block. */
  event?: RecordEventView;
}

export interface RevocationView {
  by: bigint;
  /** `did:govledger:<chainId>:<id>` of the revoker; undefined when it had no DID (an arbitrator without one). */
  byDid?: string;
  at: bigint;
  /** Revoked by order of an arbitrator or court, not by the submitter. */
  byOrder: boolean;
  reasonHash: string;
}

export interface EndorsementView {
  did: bigint;
  didString: string;
  at: bigint;
  noteHash: string;
}

export interface SubmitterView {
  id: bigint;
  did: string;
  /** The key that notarized, from the event. */
  account?: string;
  /** The member organisation the account acts for, from the MemberRegistry. */
  organisation?: { id: bigint; name: string };
}

export type EvidenceVerdictName = "notarized" | "superseded" | "revoked" | "not-found";

/** What the chain says of a digest now. */
export interface EvidenceVerdict {
  verdict: EvidenceVerdictName;
  /** Notarized and still valid. */
  valid: boolean;
  digest: string;
  record?: EvidenceRecordView;
  submitter?: SubmitterView;
  /** Superseded: the direct correction, and the latest version of the record. */
  supersededBy?: string;
  latest?: string;
  revocation?: RevocationView;
}

/** What the chain says of a proof bundle, after its offline checks. */
export interface ProofVerdict {
  verdict: EvidenceVerdictName | "invalid-proof";
  valid: boolean;
  bundle: ProofBundle;
  /** Each reason the bundle does not prove a valid notarization; empty when valid. */
  problems: string[];
  /** The anchored root (Merkle bundles) or the record (record bundles). */
  record?: EvidenceRecordView;
  submitter?: SubmitterView;
  supersededBy?: string;
  revocation?: RevocationView;
  /** Merkle bundles: whether the contract accepts the proof (verifyInRoot). */
  inRoot?: boolean;
  /** When a document was given: whether it hashes to the bundle's digest. */
  digestMatches?: boolean;
}

/** Thrown when a proof bundle was made for another chain or another evidence contract. */
export class EvidenceProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EvidenceProofError";
  }
}

/**
 * The evidence module: digests notarized singly, in indexed batches or as Merkle roots; corrections,
 * revocations and endorsements; verification of digests and proof bundles. Writes return
 * {@link Call}s; with {@link relayed} they are signed by a key with no funds and paid by a relayer.
 */
export class EvidenceClient {
  constructor(
    readonly registry: EvidenceRegistry,
    readonly chainId: bigint,
    private readonly members: MembersClient,
    private readonly names: Record<string, string>,
    private readonly forwarder?: GovForwarder,
    private readonly relay?: Relay,
  ) {}

  get address(): string {
    return this.registry.target as string;
  }

  /** The same client, with every write signed by `signer` (no funds needed) and submitted by `relayer`. */
  relayed(signer: Signer, relayer: Signer, options?: RelayOptions): EvidenceClient {
    if (!this.forwarder) throw new DeploymentError("the deployment has no GovForwarder to relay evidence writes");
    const relay = new Relay(this.forwarder, signer, relayer, options);
    return new EvidenceClient(
      this.registry.connect(relayer),
      this.chainId,
      this.members,
      this.names,
      this.forwarder,
      relay,
    );
  }

  // ---- writes ----

  /** Notarizes one digest. Enrolled notaries only. */
  notarize(digest: string, options: NotarizeOptions): Call<Notarization> {
    const d = parseDigest(digest);
    const o = this.options(options);
    return Call.of(this.fn("notarize"), [d, o.algorithm, o.category, o.businessRef, o.metadata], (rc) =>
      this.notarized(rc, "Notarized"),
    );
  }

  /** Notarizes `digests` as one indexed batch (each looked up directly); all or nothing. */
  notarizeBatch(digests: string[], options: NotarizeOptions): Call<BatchNotarization> {
    if (digests.length === 0) throw new Error("no digests to notarize");
    const list = digests.map((d, i) => parseDigest(d, `digest #${i}`));
    const o = this.options(options);
    return Call.of(this.fn("notarizeBatch"), [list, o.algorithm, o.category, o.businessRef, o.metadata], (rc) => {
      const e = this.event(rc, "BatchNotarized");
      const submitter = e.submitter as bigint;
      return {
        batchId: e.batchId as bigint,
        digests: list,
        submitter,
        did: formatDid(this.chainId, submitter),
        algorithm: ALGORITHM_NAMES[o.algorithm],
        ...landed(rc),
      };
    });
  }

  /** Anchors the Merkle root of `size` documents' digests (see src/evidence/merkle.ts). */
  anchorRoot(root: string, size: bigint | number, options: NotarizeOptions): Call<RootAnchoring> {
    const r = parseDigest(root, "root");
    const n = BigInt(size);
    if (n <= 0n) throw new Error(`a root stands for at least one document, got size ${size}`);
    const o = this.options(options);
    return Call.of(this.fn("anchorRoot"), [r, n, o.algorithm, o.category, o.businessRef, o.metadata], (rc) => {
      const submitter = this.event(rc, "RootAnchored").submitter as bigint;
      const did = formatDid(this.chainId, submitter);
      return { root: r, size: n, submitter, did, algorithm: ALGORITHM_NAMES[o.algorithm], ...landed(rc) };
    });
  }

  /** Records `newDigest` as the correction of `oldDigest`, a valid record of the caller's DID. */
  supersede(oldDigest: string, newDigest: string, options: NotarizeOptions): Call<Supersession> {
    const [from, to] = [parseDigest(oldDigest, "old digest"), parseDigest(newDigest, "new digest")];
    if (from === to) throw new Error("the new digest equals the old one: a correction needs a different document");
    const o = this.options(options);
    return Call.of(this.fn("supersede"), [from, to, o.algorithm, o.category, o.businessRef, o.metadata], (rc) => {
      const submitter = this.event(rc, "Notarized").submitter as bigint;
      const did = formatDid(this.chainId, submitter);
      return { oldDigest: from, newDigest: to, submitter, did, ...landed(rc) };
    });
  }

  /** Revokes record or root `key`, submitted by the caller's DID; the record stays. */
  revoke(key: string, reasonHash: string): Call<RevocationResult> {
    const [k, reason] = [parseDigest(key, "key"), checkedHash(reasonHash)];
    return Call.of(this.fn("revoke"), [k, reason], (rc) => this.revoked(rc));
  }

  /** Revokes document `digest` of Merkle batch `root`, proven by `proof`; the root's submitter only. */
  revokeDocument(root: string, digest: string, proof: string[], reasonHash: string): Call<RevocationResult> {
    const [r, d] = [parseDigest(root, "root"), parseDigest(digest)];
    const path = proof.map((p, i) => parseDigest(p, `proof[${i}]`));
    return Call.of(this.fn("revokeDocument"), [r, d, path, checkedHash(reasonHash)], (rc) => this.revoked(rc));
  }

  /** Revokes a record or root by order of an arbitrator or court. Arbitrators only. */
  revokeByOrder(key: string, reasonHash: string): Call<RevocationResult> {
    const [k, reason] = [parseDigest(key, "key"), checkedHash(reasonHash)];
    return Call.of(this.fn("revokeByOrder"), [k, reason], (rc) => this.revoked(rc));
  }

  /** Revokes document `digest` of Merkle batch `root` by order of an arbitrator or court. Arbitrators only. */
  revokeDocumentByOrder(root: string, digest: string, reasonHash: string): Call<RevocationResult> {
    const [r, d, reason] = [parseDigest(root, "root"), parseDigest(digest), checkedHash(reasonHash)];
    return Call.of(this.fn("revokeDocumentByOrder"), [r, d, reason], (rc) => this.revoked(rc));
  }

  /** Adds the caller's DID's endorsement (co-signature) to record or root `key`. */
  endorse(
    key: string,
    noteHash: string = ZeroHash,
  ): Call<{ key: string; did: bigint; didString: string; noteHash: string }> {
    const [k, note] = [parseDigest(key, "key"), checkedHash(noteHash)];
    return Call.of(this.fn("endorse"), [k, note], (rc) => {
      const did = this.event(rc, "Endorsed").did as bigint;
      return { key: k, did, didString: formatDid(this.chainId, did), noteHash: note };
    });
  }

  /** Lets `account` (NOTARY role + an active DID) notarize. Anyone may call. */
  enrolNotary(account: string): Call<{ account: string; did: bigint; didString: string }> {
    const a = checkedAddress(account);
    return Call.of(this.fn("enrolNotary"), [a], (rc) => {
      const did = this.event(rc, "NotaryEnrolled").did as bigint;
      return { account: a, did, didString: formatDid(this.chainId, did) };
    });
  }

  /** Stops `account` notarizing once it no longer qualifies. Anyone may call. */
  dropNotary(account: string): Call<{ account: string }> {
    const a = checkedAddress(account);
    return Call.of(this.fn("dropNotary"), [a], () => ({ account: a }));
  }

  // ---- reads ----

  /** The DID `account` notarizes for and whether it may notarize now; undefined when not enrolled. */
  async notaryOf(account: string): Promise<{ did: bigint; didString: string; enabled: boolean } | undefined> {
    const [did, enabled] = await this.registry.notaryOf(checkedAddress(account));
    return did === 0n ? undefined : { did, didString: formatDid(this.chainId, did), enabled };
  }

  async notaries(): Promise<string[]> {
    return [...(await this.registry.notaries())];
  }

  async isPaused(): Promise<boolean> {
    return this.registry.paused();
  }

  /** The key under which document `digest` of Merkle batch `root` is revoked (keccak256(abi.encode(root, digest)). */
  async documentKey(root: string, digest: string): Promise<string> {
    return this.registry.documentKey(parseDigest(root, "root"), parseDigest(digest));
  }

  /** Record (digest or root) `key`, with the event that created it; undefined when none. */
  async record(key: string): Promise<EvidenceRecordView | undefined> {
    const k = parseDigest(key, "key");
    const [r, [supersededBy, supersedes]] = await Promise.all([this.registry.recordOf(k), this.registry.linksOf(k)]);
    if (r.status === 0n) return undefined;
    const kind = EVIDENCE_KINDS[Number(r.kind)];
    const view: EvidenceRecordView = {
      key: k,
      kind,
      status: EVIDENCE_STATUSES[Number(r.status)],
      algorithm: ALGORITHM_NAMES[Number(r.algorithm) as DigestAlgorithm] ?? String(r.algorithm),
      category: r.category,
      submitter: r.submitter,
      submitterDid: formatDid(this.chainId, r.submitter),
      notarizedAt: r.notarizedAt,
      blockNumber: r.blockNumber,
      ...(kind === "Indexed" ? { batchId: r.batchOrSize } : {}),
      ...(kind === "Root" ? { size: r.batchOrSize } : {}),
      ...(supersededBy !== ZeroHash ? { supersededBy } : {}),
      ...(supersedes !== ZeroHash ? { supersedes } : {}),
    };
    view.event = await this.recordEvent(k, r);
    return view;
  }

  /** Every version of the record `digest` belongs to, oldest first. */
  async history(digest: string): Promise<EvidenceRecordView[]> {
    const versions = await this.registry.historyOf(parseDigest(digest));
    return Promise.all(versions.map(async (v) => (await this.record(v))!));
  }

  async endorsements(key: string): Promise<EndorsementView[]> {
    const list = await this.registry.endorsementsOf(parseDigest(key, "key"));
    // By position: on an ethers Result, `.at` is Array.prototype.at.
    return list.map((e) => ({ did: e.did, didString: formatDid(this.chainId, e.did), at: e[1], noteHash: e.noteHash }));
  }

  /** The revocation of record, root or document `key`; undefined when not revoked. */
  async revocation(key: string): Promise<RevocationView | undefined> {
    const r = await this.registry.revocationOf(parseDigest(key, "key"));
    // By position: on an ethers Result, `.at` is Array.prototype.at.
    const at = r[1];
    if (at === 0n) return undefined;
    return {
      by: r.by,
      ...(r.by !== 0n ? { byDid: formatDid(this.chainId, r.by) } : {}),
      at,
      byOrder: r.byOrder,
      reasonHash: r.reasonHash,
    };
  }

  /** What the chain says of `digest` now: notarized (by whom, when), superseded, revoked, or not found. */
  async verify(digest: string): Promise<EvidenceVerdict> {
    const d = parseDigest(digest);
    const record = await this.record(d);
    if (!record) return { verdict: "not-found", valid: false, digest: d };
    const submitter = await this.submitterOf(record);
    if (record.status === "Revoked") {
      return { verdict: "revoked", valid: false, digest: d, record, submitter, revocation: await this.revocation(d) };
    }
    if (record.status === "Superseded") {
      const versions = await this.registry.historyOf(d);
      const latest = versions[versions.length - 1];
      return {
        verdict: "superseded",
        valid: false,
        digest: d,
        record,
        submitter,
        supersededBy: record.supersededBy,
        latest,
      };
    }
    return { verdict: "notarized", valid: true, digest: d, record, submitter };
  }

  /**
   * Checks a proof bundle offline (format, digest, Merkle path; the document when `fileOrDigest` is
   * given), then on this chain: the bundle must name this chain and this contract (else
   * {@link EvidenceProofError}), its root or record must be on record and valid, the document not
   * revoked, and the contract must accept the proof.
   */
  async verifyProof(input: ProofBundle | string | unknown, fileOrDigest?: string): Promise<ProofVerdict> {
    const bundle = parseBundle(input);
    if (BigInt(bundle.chainId) !== this.chainId) {
      throw new EvidenceProofError(
        `the proof is for chain id ${bundle.chainId}, but this network is chain id ${this.chainId}: verify it on the network it was made on`,
      );
    }
    if (bundle.contract.toLowerCase() !== this.address.toLowerCase()) {
      throw new EvidenceProofError(
        `the proof is for evidence contract ${bundle.contract}, but this deployment's EvidenceRegistry is ${getAddress(this.address)}: verify it against the deployment it was made on`,
      );
    }
    const offline = await verifyBundleOffline(bundle, fileOrDigest);
    const problems: string[] = [];
    if (offline.digestMatches === false) problems.push("the document does not hash to the bundle's digest");
    if (bundle.anchor === "record") {
      const v = await this.verify(bundle.digest);
      if (!v.valid) problems.push(verdictProblem(v));
      this.compareLanding(bundle, v.record, problems);
      const { verdict, record, submitter, supersededBy, revocation } = v;
      const valid = problems.length === 0;
      return { verdict, valid, bundle, problems, record, submitter, supersededBy, revocation, ...matches(offline) };
    }
    const root = bundle.root!;
    const [record, inRoot, documentRevocation] = await Promise.all([
      this.record(root),
      this.registry.verifyInRoot(root, bundle.digest, bundle.proof!),
      this.documentKey(root, bundle.digest).then((key) => this.revocation(key)),
    ]);
    let verdict: ProofVerdict["verdict"] = "notarized";
    let revocation: RevocationView | undefined;
    if (!record) {
      verdict = "not-found";
      problems.push(`root ${root} is not anchored on this chain`);
    } else if (record.kind !== "Root") {
      verdict = "invalid-proof";
      problems.push(`${root} is a ${record.kind} record, not a Merkle root`);
    } else if (record.status === "Revoked") {
      verdict = "revoked";
      revocation = await this.revocation(root);
      problems.push("the whole batch (its root) is revoked");
    } else if (documentRevocation) {
      verdict = "revoked";
      revocation = documentRevocation;
      problems.push("the document is revoked within its batch");
    } else if (!inRoot) {
      verdict = "invalid-proof";
      problems.push("the contract does not accept the proof for this root");
    }
    this.compareLanding(bundle, record, problems);
    const submitter = record ? await this.submitterOf(record) : undefined;
    const valid = problems.length === 0;
    return { verdict, valid, bundle, problems, record, submitter, revocation, inRoot, ...matches(offline) };
  }

  // ---- internals ----

  private fn<K extends keyof EvidenceRegistry & string>(name: K): EvidenceRegistry[K] {
    return this.relay ? this.relay.method(this.registry, name) : this.registry[name];
  }

  private options(o: NotarizeOptions): {
    algorithm: DigestAlgorithm;
    category: bigint;
    businessRef: string;
    metadata: string;
  } {
    const category = BigInt(o.category ?? 0);
    if (category < 0n || category > 0xffffffffn) throw new Error(`category ${o.category} is not valid: 0 to 2^32-1`);
    return {
      algorithm: parseAlgorithm(o.algorithm),
      category,
      businessRef: checkedHash(o.businessRef ?? ZeroHash),
      metadata: checkedHash(o.metadata ?? ZeroHash),
    };
  }

  private event(receipt: TransactionReceipt, name: string): Record<string, unknown> {
    return findEvent(decodeEvents(receipt, this.names), name).args;
  }

  private notarized(rc: TransactionReceipt, name: "Notarized"): Notarization {
    const e = this.event(rc, name);
    const submitter = e.submitter as bigint;
    return {
      digest: e.digest as string,
      submitter,
      did: formatDid(this.chainId, submitter),
      account: e.account as string,
      algorithm: ALGORITHM_NAMES[Number(e.algorithm) as DigestAlgorithm],
      category: e.category as bigint,
      businessRef: e.businessRef as string,
      metadata: e.metadata as string,
      ...landed(rc),
    };
  }

  private revoked(rc: TransactionReceipt): RevocationResult {
    const e = this.event(rc, "Revoked");
    return {
      key: e.key as string,
      by: e.by as bigint,
      byOrder: e.byOrder as boolean,
      reasonHash: e.reasonHash as string,
      ...landed(rc),
    };
  }

  /** The event that created record `key`: one block, filtered by its digest (or batch id) topic. */
  private async recordEvent(
    key: string,
    r: IEvidenceRegistry.RecordStructOutput,
  ): Promise<RecordEventView | undefined> {
    const block = Number(r.blockNumber);
    const kind = EVIDENCE_KINDS[Number(r.kind)];
    const filter =
      kind === "Root"
        ? this.registry.filters.RootAnchored(key)
        : kind === "Indexed"
          ? this.registry.filters.BatchNotarized(r.batchOrSize)
          : this.registry.filters.Notarized(key);
    const [log] = await this.registry.queryFilter(filter, block, block);
    if (!log) return undefined;
    const args = log.args as unknown as { businessRef: string; metadata: string; account: string };
    return {
      transactionHash: log.transactionHash,
      businessRef: args.businessRef,
      metadata: args.metadata,
      account: args.account,
    };
  }

  private async submitterOf(record: EvidenceRecordView): Promise<SubmitterView> {
    const view: SubmitterView = { id: record.submitter, did: record.submitterDid };
    const account = record.event?.account;
    if (account) {
      view.account = account;
      const member = await this.members.memberOf(account);
      if (member) view.organisation = { id: member.id, name: member.name };
    }
    return view;
  }

  /** A bundle's transaction and block must be the record's. */
  private compareLanding(bundle: ProofBundle, record: EvidenceRecordView | undefined, problems: string[]): void {
    if (!record) return;
    if (BigInt(bundle.blockNumber) !== record.blockNumber) {
      problems.push(
        `the bundle names block ${bundle.blockNumber}, but the record was made in block ${record.blockNumber}`,
      );
    }
    const tx = record.event?.transactionHash;
    if (tx && tx.toLowerCase() !== bundle.txHash.toLowerCase()) {
      problems.push(`the bundle names transaction ${bundle.txHash}, but the record was made by ${tx}`);
    }
  }
}

function matches(o: { digestMatches?: boolean }): { digestMatches?: boolean } {
  return o.digestMatches === undefined ? {} : { digestMatches: o.digestMatches };
}

function verdictProblem(v: EvidenceVerdict): string {
  if (v.verdict === "not-found") return `digest ${v.digest} is not notarized on this chain`;
  if (v.verdict === "superseded") return `the record is superseded by ${v.supersededBy}`;
  return "the record is revoked";
}
