import { ALGORITHM_NAMES, DigestAlgorithm, digestFile, parseAlgorithm, type Digest } from "./digest";
import { LEAF_ENCODING, verifyProof } from "./merkle";

/**
 * A self-contained evidence proof bundle (docs/evidence-proof-bundle.md): everything an auditor needs to
 * re-check offline that a document's digest was anchored on chain, without our software or a node.
 */
export const BUNDLE_FORMAT = "govledger-evidence-proof";
export const BUNDLE_VERSION = 1;

/** How the digest is anchored: under a Merkle-root batch, or as its own record (single or indexed batch). */
export type BundleAnchor = "merkle-root" | "record";

/** Optional fields copied from the on-chain record, for single notarizations and indexed batches. */
export interface BundleRecord {
  recordId?: string;
  submitter?: string;
  category?: string;
  caseReference?: string;
  metadataHash?: Digest;
  metadataUri?: string;
  status?: string;
}

export interface ProofBundle {
  format: typeof BUNDLE_FORMAT;
  version: typeof BUNDLE_VERSION;
  fileName?: string;
  digest: Digest;
  algorithm: { name: string; id: DigestAlgorithm };
  anchor: BundleAnchor;
  /** Only for "merkle-root" anchors. */
  leafEncoding?: typeof LEAF_ENCODING;
  proof?: Digest[];
  root?: Digest;
  /** Decimal string: batch ids are uint256 on chain. */
  batchId?: string;
  chainId: number;
  contract: string;
  txHash: Digest;
  blockNumber: number;
  /** Unix seconds, as the chain reported it. */
  blockTime: number;
  record?: BundleRecord;
}

/** Thrown by parseBundle with one message per problem found, so a broken bundle is fixed in one pass. */
export class BundleError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid evidence proof bundle:\n- ${problems.join("\n- ")}`);
    this.name = "BundleError";
  }
}

const HEX32 = /^0x[0-9a-f]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
type Json = Record<string, unknown>;

/** Parses and strictly validates a bundle (JSON text or an already parsed object). */
export function parseBundle(json: string | unknown): ProofBundle {
  let data: unknown = json;
  if (typeof json === "string") {
    try {
      data = JSON.parse(json);
    } catch (error) {
      throw new BundleError([`not valid JSON: ${(error as Error).message}`]);
    }
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new BundleError(["a bundle must be a JSON object"]);
  }
  const problems = validate(data as Json);
  if (problems.length > 0) throw new BundleError(problems);
  return data as ProofBundle;
}

function validate(b: Json): string[] {
  const problems: string[] = [];
  const need = (field: string, ok: (v: unknown) => boolean, expected: string, optional = false): void => {
    if (b[field] === undefined) {
      if (!optional) problems.push(`missing field "${field}" (${expected})`);
    } else if (!ok(b[field])) problems.push(`field "${field}" must be ${expected}, got ${JSON.stringify(b[field])}`);
  };
  const hex32 = (v: unknown): boolean => typeof v === "string" && HEX32.test(v);
  const count = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

  need("format", (v) => v === BUNDLE_FORMAT, `"${BUNDLE_FORMAT}"`);
  need("version", (v) => v === BUNDLE_VERSION, `${BUNDLE_VERSION} (this software reads version 1 only)`);
  need("fileName", (v) => typeof v === "string" && v.length > 0, "a non-empty string", true);
  need("digest", hex32, "0x + 64 lower-case hex digits");
  need("algorithm", validAlgorithm, 'an object like {"name": "sm3", "id": 2} with a known, matching name and id');
  need("anchor", (v) => v === "merkle-root" || v === "record", '"merkle-root" or "record"');
  need("batchId", (v) => typeof v === "string" && /^\d+$/.test(v), "a decimal string", true);
  need("chainId", (v) => count(v) && (v as number) > 0, "a positive integer");
  need("contract", (v) => typeof v === "string" && ADDRESS.test(v), "a 0x + 40 hex digit address");
  need("txHash", hex32, "0x + 64 lower-case hex digits");
  need("blockNumber", count, "a non-negative integer");
  need("blockTime", count, "a non-negative integer (unix seconds)");
  need("record", (v) => typeof v === "object" && v !== null && !Array.isArray(v), "an object", true);

  if (b.anchor === "merkle-root") {
    need("leafEncoding", (v) => v === LEAF_ENCODING, `"${LEAF_ENCODING}"`);
    need("root", hex32, "0x + 64 lower-case hex digits");
    need("proof", (v) => Array.isArray(v) && v.every(hex32), "an array of 0x + 64 lower-case hex digit nodes");
    if (problems.length === 0 && !verifyProof(b.root as string, b.digest as string, b.proof as string[])) {
      problems.push("the proof does not lead from the digest's leaf to the root: digest, proof or root is wrong");
    }
  }
  return problems;
}

function validAlgorithm(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  const { name, id } = v as Json;
  return (
    typeof id === "number" &&
    ALGORITHM_NAMES[id as DigestAlgorithm] !== undefined &&
    ALGORITHM_NAMES[id as DigestAlgorithm] === name
  );
}

/** Builds a bundle from what the notarization left behind; refuses to build one that would not verify. */
export function createBundle(
  fields: Omit<ProofBundle, "format" | "version" | "algorithm" | "leafEncoding"> & {
    algorithm: DigestAlgorithm;
  },
): ProofBundle {
  const { algorithm, ...rest } = fields;
  const bundle: ProofBundle = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    ...rest,
    algorithm: { name: ALGORITHM_NAMES[algorithm], id: algorithm },
    ...(fields.anchor === "merkle-root" ? { leafEncoding: LEAF_ENCODING } : {}),
  };
  return parseBundle(JSON.parse(JSON.stringify(bundle)));
}

export interface OfflineVerdict {
  /** True when every check that could be made passed. */
  valid: boolean;
  /** Whether the given file or digest equals the bundle's digest; undefined when none was given. */
  digestMatches?: boolean;
  /** For Merkle anchors: whether the proof leads from the digest to the root. */
  proofReachesRoot?: boolean;
}

/**
 * Re-checks a bundle without a chain: the document (a file path or a 0x digest) hashes to the bundle's digest,
 * and for Merkle anchors the leaf and the proof lead to the root. Whether that root, tx and block really are on
 * chain is a separate, online check.
 */
export async function verifyBundleOffline(bundle: ProofBundle, fileOrDigest?: string): Promise<OfflineVerdict> {
  const checked = parseBundle(bundle);
  const verdict: OfflineVerdict = { valid: true };
  if (fileOrDigest !== undefined) {
    const digest = /^0x[0-9a-fA-F]{64}$/.test(fileOrDigest)
      ? fileOrDigest.toLowerCase()
      : await digestFile(fileOrDigest, parseAlgorithm(checked.algorithm.id));
    verdict.digestMatches = digest === checked.digest;
    verdict.valid &&= verdict.digestMatches;
  }
  if (checked.anchor === "merkle-root") {
    verdict.proofReachesRoot = verifyProof(checked.root as string, checked.digest, checked.proof as string[]);
    verdict.valid &&= verdict.proofReachesRoot;
  }
  return verdict;
}
