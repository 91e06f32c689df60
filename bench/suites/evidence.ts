import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { AbiCoder, ZeroHash, concat, keccak256 } from "ethers";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import {
  EvidenceRegistry__factory,
  IdentityRegistry__factory,
  type EvidenceRegistry,
  type IdentityRegistry,
} from "../../typechain-types";
import { addressFor, check, digestFor, freshSigner, memberSigner, viewCall } from "../lib/chain";
import { gasOf } from "../lib/measure";
import type { BenchContext, Operation, RowSpec, Suite, TxOperation, ViewOperation } from "../lib/types";
import { BATCH_SIZES, FLOOR_SINGLE, floorBatch } from "./peers";

/** Mirrors of the registry's enums (IEvidenceRegistry, IIdentityRegistry) and key purposes. */
const SHA256 = 1;
const RECORD_VALID = 1n;
const RECORD_SUPERSEDED = 2n;
const RECORD_REVOKED = 3n;
const KIND_SINGLE = 1n;
const KIND_INDEXED = 2n;
const KIND_ROOT = 3n;
const ORGANISATION = 1;
const PURPOSE_ALL = 3;

/** The evidence category every row notarizes under (an application-defined code: "contracts"). */
const CATEGORY = 7;

/** Documents under the Merkle roots anchored: a real tree of the first size, a random root for the second. */
const TREE_SIZE = 1_000;
const LARGE_ROOT_SIZE = 1_000_000;
/** Depths of the hand-built proofs the view rows check (2^20: about a million documents). */
const PROOF_DEPTHS = [20, 10] as const;
/** Depth of the proof a submitter's revokeDocument carries. */
const REVOKE_PROOF_DEPTH = 10;

const abi = AbiCoder.defaultAbiCoder();

/** The module as the bench drives it: an enrolled notary (the IP Office) and an endorsing organisation. */
interface EvidenceBench {
  ctx: BenchContext;
  /** Connected to the notary's account, an enrolled notary of its organisation DID. */
  evidence: EvidenceRegistry;
  /** Connected to the key of another organisation DID, which endorses records. */
  endorser: EvidenceRegistry;
}

/** The non-zero business reference and metadata hash of input `seq` of `what`. */
function refOf(what: string, seq: number): string {
  return digestFor(`${what}.ref`, seq);
}

function metadataOf(what: string, seq: number): string {
  return digestFor(`${what}.metadata`, seq);
}

/** The OpenZeppelin standard tree's leaf of one bytes32 value: keccak256(keccak256(abi.encode(digest))). */
export function leafOf(digest: string): string {
  return keccak256(keccak256(abi.encode(["bytes32"], [digest])));
}

/** OpenZeppelin MerkleProof's commutative hash: keccak256 of the pair, smaller first. */
function hashPair(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

/**
 * A valid proof of `depth` for a fresh digest, built by hand: the digest's leaf hashed upward with
 * `depth` random siblings. The root is what a tree of 2^depth documents holding that path has;
 * building such a tree in full would cost nothing more on chain, only time here.
 */
function handBuiltPath(what: string, seq: number, depth: number): { digest: string; proof: string[]; root: string } {
  const digest = digestFor(`${what}.document`, seq);
  const proof = Array.from({ length: depth }, (_, i) => digestFor(`${what}.sibling:${i}`, seq));
  return { digest, proof, root: proof.reduce(hashPair, leafOf(digest)) };
}

function batchDigests(what: string, seq: number, size: number): string[] {
  return Array.from({ length: size }, (_, i) => digestFor(`${what}:${i}`, seq));
}

async function recordIs(b: EvidenceBench, key: string, status: bigint, kind: bigint, what: string): Promise<void> {
  const r = await b.evidence.recordOf(key);
  check(r.status === status && r.kind === kind && r.algorithm === BigInt(SHA256), what);
  check(r.category === BigInt(CATEGORY), `${what}: category kept`);
}

/** Notarizes `digest` untimed, as set-up of a later timed call. */
async function notarizeUntimed(b: EvidenceBench, what: string, seq: number): Promise<string> {
  const digest = digestFor(what, seq);
  await gasOf(() => b.evidence.notarize(digest, SHA256, CATEGORY, refOf(what, seq), metadataOf(what, seq)));
  return digest;
}

const ours = { system: "ours", project: "govledger", items: 1 } as const;

function notarizeOperations(b: EvidenceBench): TxOperation[] {
  const { evidence } = b;
  const single = (id: string, label: string, withMetadata: boolean, throughput: boolean): TxOperation => ({
    ...ours,
    id,
    label,
    throughput,
    prepare: async (seq) => () =>
      evidence.notarize(
        digestFor(id, seq),
        SHA256,
        CATEGORY,
        refOf(id, seq),
        withMetadata ? metadataOf(id, seq) : ZeroHash,
      ),
    verify: (seq) => recordIs(b, digestFor(id, seq), RECORD_VALID, KIND_SINGLE, `${id}: notarized`),
  });
  const batches = BATCH_SIZES.map((size): TxOperation => {
    const id = `evidence.notarizeBatch.${size}`;
    return {
      ...ours,
      id,
      label: `notarizeBatch ×${size}`,
      items: size,
      throughput: false,
      prepare: async (seq) => () =>
        evidence.notarizeBatch(batchDigests(id, seq, size), SHA256, CATEGORY, refOf(id, seq), metadataOf(id, seq)),
      verify: async (seq) => {
        const digests = batchDigests(id, seq, size);
        for (const i of new Set([0, size - 1])) {
          await recordIs(b, digests[i], RECORD_VALID, KIND_INDEXED, `${id}: digest ${i} notarized`);
        }
        check((await evidence.recordOf(digests[0])).batchOrSize === (await evidence.batchCount()), "batch id");
      },
    };
  });
  return [
    single("evidence.notarize", "notarize (SHA-256, category, ref, metadata)", true, true),
    single("evidence.notarize.noMetadata", "notarize (zero metadata)", false, false),
    ...batches,
  ];
}

function anchorOperations(b: EvidenceBench): TxOperation[] {
  const { evidence } = b;
  // A real standard tree of TREE_SIZE fresh digests per run (built untimed); one proof kept to check.
  const trees = new Map<number, { root: string; digest: string; proof: string[] }>();
  const real: TxOperation = {
    ...ours,
    id: `evidence.anchorRoot.${TREE_SIZE}`,
    label: `anchorRoot (real tree, ${TREE_SIZE.toLocaleString("en-US")} documents)`,
    throughput: false,
    prepare: async (seq) => {
      const digests = batchDigests("evidence.tree", seq, TREE_SIZE);
      const tree = StandardMerkleTree.of(
        digests.map((d) => [d]),
        ["bytes32"],
      );
      check(leafOf(digests[0]) === tree.leafHash([digests[0]]), "our leaf hash is OpenZeppelin's");
      trees.set(seq, { root: tree.root, digest: digests[0], proof: tree.getProof([digests[0]]) });
      const what = real.id;
      return () => evidence.anchorRoot(tree.root, TREE_SIZE, SHA256, CATEGORY, refOf(what, seq), metadataOf(what, seq));
    },
    verify: async (seq) => {
      const t = trees.get(seq);
      check(t !== undefined, "tree built");
      if (!t) return;
      await recordIs(b, t.root, RECORD_VALID, KIND_ROOT, "root anchored");
      check((await evidence.recordOf(t.root)).batchOrSize === BigInt(TREE_SIZE), "root size kept");
      check(await evidence.verifyInRoot(t.root, t.digest, t.proof), "a document of the tree proven on chain");
    },
  };
  const id = `evidence.anchorRoot.${LARGE_ROOT_SIZE}`;
  const large: TxOperation = {
    ...ours,
    id,
    label: `anchorRoot (random root, size ${LARGE_ROOT_SIZE.toLocaleString("en-US")})`,
    throughput: false,
    prepare: async (seq) => () =>
      evidence.anchorRoot(digestFor(id, seq), LARGE_ROOT_SIZE, SHA256, CATEGORY, refOf(id, seq), metadataOf(id, seq)),
    verify: async (seq) => {
      await recordIs(b, digestFor(id, seq), RECORD_VALID, KIND_ROOT, "root anchored");
      check((await evidence.recordOf(digestFor(id, seq))).batchOrSize === BigInt(LARGE_ROOT_SIZE), "size kept");
    },
  };
  return [real, large];
}

function lifecycleOperations(b: EvidenceBench): TxOperation[] {
  const { evidence, endorser } = b;
  const roots = new Map<number, { root: string; digest: string }>();
  return [
    {
      ...ours,
      id: "evidence.supersede",
      label: "supersede (correction of a valid record)",
      throughput: false,
      prepare: async (seq) => {
        const old = await notarizeUntimed(b, "evidence.supersede.old", seq);
        const what = "evidence.supersede.new";
        const next = digestFor(what, seq);
        return () => evidence.supersede(old, next, SHA256, CATEGORY, refOf(what, seq), metadataOf(what, seq));
      },
      verify: async (seq) => {
        const old = digestFor("evidence.supersede.old", seq);
        const next = digestFor("evidence.supersede.new", seq);
        await recordIs(b, old, RECORD_SUPERSEDED, KIND_SINGLE, "old record superseded");
        await recordIs(b, next, RECORD_VALID, KIND_SINGLE, "correction notarized");
        const [supersededBy] = await evidence.linksOf(old);
        check(supersededBy === next, "old record links to its correction");
      },
    },
    {
      ...ours,
      id: "evidence.revoke",
      label: "revoke (by the submitter)",
      throughput: false,
      prepare: async (seq) => {
        const key = await notarizeUntimed(b, "evidence.revoke", seq);
        return () => evidence.revoke(key, digestFor("evidence.revoke.reason", seq));
      },
      verify: async (seq) => {
        const key = digestFor("evidence.revoke", seq);
        await recordIs(b, key, RECORD_REVOKED, KIND_SINGLE, "record revoked");
        check((await evidence.revocationOf(key)).at !== 0n, "revocation kept");
      },
    },
    {
      ...ours,
      id: "evidence.revokeDocument",
      label: `revokeDocument (proof of ${REVOKE_PROOF_DEPTH})`,
      throughput: false,
      prepare: async (seq) => {
        const what = "evidence.revokeDocument";
        const { digest, proof, root } = handBuiltPath(what, seq, REVOKE_PROOF_DEPTH);
        roots.set(seq, { root, digest });
        const size = 2 ** REVOKE_PROOF_DEPTH;
        await gasOf(() => evidence.anchorRoot(root, size, SHA256, CATEGORY, refOf(what, seq), metadataOf(what, seq)));
        return () => evidence.revokeDocument(root, digest, proof, digestFor(`${what}.reason`, seq));
      },
      verify: async (seq) => {
        const r = roots.get(seq);
        check(r !== undefined, "root anchored");
        if (!r) return;
        const key = await evidence.documentKey(r.root, r.digest);
        check((await evidence.revocationOf(key)).at !== 0n, "document revoked");
        await recordIs(b, r.root, RECORD_VALID, KIND_ROOT, "its root still valid");
      },
    },
    {
      ...ours,
      id: "evidence.endorse",
      label: "endorse (first endorsement of a record)",
      throughput: false,
      prepare: async (seq) => {
        const key = await notarizeUntimed(b, "evidence.endorse", seq);
        return () => endorser.endorse(key, digestFor("evidence.endorse.note", seq));
      },
      verify: async (seq) => {
        const endorsements = await evidence.endorsementsOf(digestFor("evidence.endorse", seq));
        check(
          endorsements.length === 1 && endorsements[0].noteHash === digestFor("evidence.endorse.note", seq),
          "endorsed",
        );
      },
    },
  ];
}

/** The proof checks a verifier makes: a hand-built path of each depth to a root anchored for the run. */
function viewOperations(b: EvidenceBench): ViewOperation[] {
  const { evidence } = b;
  const view = { ...ours, kind: "view", throughput: false } as const;
  const proofs = PROOF_DEPTHS.map((depth): ViewOperation => {
    const id = `evidence.verifyInRoot.${depth}`;
    const paths = new Map<number, { digest: string; proof: string[]; root: string }>();
    return {
      ...view,
      id,
      label: `verifyInRoot (proof of ${depth})`,
      prepare: async (seq) => {
        const path = handBuiltPath(id, seq, depth);
        paths.set(seq, path);
        const size = 2 ** depth;
        await gasOf(() => evidence.anchorRoot(path.root, size, SHA256, CATEGORY, refOf(id, seq), metadataOf(id, seq)));
        return viewCall(evidence, "verifyInRoot", [path.root, path.digest, path.proof]);
      },
      verify: async (seq) => {
        const path = paths.get(seq);
        check(path !== undefined && path.proof.length === depth, "path built");
        if (!path) return;
        check(await evidence.verifyInRoot(path.root, path.digest, path.proof), `proof of ${depth} verified`);
        const forged = [...path.proof];
        forged[depth - 1] = digestFor(`${id}.forged`, seq);
        check(!(await evidence.verifyInRoot(path.root, path.digest, forged)), "a forged proof refused");
      },
    };
  });
  const record: ViewOperation = {
    ...view,
    id: "evidence.recordOf",
    label: "recordOf(digest)",
    prepare: async (seq) => viewCall(evidence, "recordOf", [await notarizeUntimed(b, "evidence.recordOf", seq)]),
    verify: (seq) => recordIs(b, digestFor("evidence.recordOf", seq), RECORD_VALID, KIND_SINGLE, "record read"),
  };
  return [...proofs, record];
}

/** Registers, as the registrar, an active organisation DID whose one key is `key` (unless it has one). */
async function organisationDid(identity: IdentityRegistry, key: string, what: string): Promise<bigint> {
  const [existing] = await identity.didOf(key);
  if (existing !== 0n) return existing;
  const keys = [{ account: key, purposes: PURPOSE_ALL }];
  await gasOf(() => identity.register(ORGANISATION, digestFor(`${what}.commitment`, 0), keys));
  const [did] = await identity.didOf(key);
  check(did !== 0n, `DID of ${what} registered`);
  return did;
}

/**
 * Sets up what every run shares: the IP Office (the founding member holding NOTARY) gets an
 * organisation DID from the registrar and is enrolled; an endorsing organisation gets a DID. Then a
 * warm-up notarization and batch, left in place: the first batch ever also writes the batch counter
 * from zero, a one-off cost no later batch pays.
 */
async function setUp(ctx: BenchContext): Promise<EvidenceBench> {
  const { hre } = ctx;
  const at = async (name: string) => (await hre.deployments.get(name)).address;
  const registrar = await memberSigner(ctx, MEMBER_ROLES.REGISTRAR, "registrar");
  const notary = await memberSigner(ctx, MEMBER_ROLES.NOTARY, "notary");
  const identity = IdentityRegistry__factory.connect(await at("IdentityRegistry"), registrar);
  const evidence = EvidenceRegistry__factory.connect(await at("EvidenceRegistry"), notary);
  const notaryDid = await organisationDid(identity, notary.address, "evidence.notary");
  await gasOf(() => evidence.enrolNotary(notary.address));
  const [enrolled, enabled] = await evidence.notaryOf(notary.address);
  check(enrolled === notaryDid && enabled, "notary enrolled");
  const endorserKey = await freshSigner(hre, addressFor("evidence.endorser.key", 0));
  await organisationDid(identity, endorserKey.address, "evidence.endorser");
  const b: EvidenceBench = { ctx, evidence, endorser: evidence.connect(endorserKey) };
  await notarizeUntimed(b, "evidence.warm", 0);
  const warm = batchDigests("evidence.warm.batch", 0, 2);
  await gasOf(() => evidence.notarizeBatch(warm, SHA256, CATEGORY, refOf("warm", 0), metadataOf("warm", 0)));
  return b;
}

const EVIDENCE = "evidence";

/** Our evidence module, deployed by the project's own deploy scripts (hardhat-deploy fixture). */
export const evidenceSuite: Suite = {
  name: "evidence",
  async setup(ctx): Promise<Operation[]> {
    await ctx.hre.deployments.fixture();
    const b = await setUp(ctx);
    return [...notarizeOperations(b), ...anchorOperations(b), ...lifecycleOperations(b), ...viewOperations(b)];
  },
  rows: [
    {
      module: EVIDENCE,
      operation: "notarize (SHA-256, category, ref, metadata)",
      ours: "evidence.notarize",
      peer: "eas.timestamp",
      floor: FLOOR_SINGLE,
    },
    {
      module: EVIDENCE,
      operation: "notarize (zero metadata)",
      ours: "evidence.notarize.noMetadata",
      peer: "eas.timestamp",
      floor: FLOOR_SINGLE,
    },
    ...BATCH_SIZES.map((size): RowSpec => ({
      module: EVIDENCE,
      operation: `notarizeBatch ×${size} (indexed)`,
      ours: `evidence.notarizeBatch.${size}`,
      peer: `eas.multiTimestamp.${size}`,
      floor: floorBatch(size),
    })),
    {
      module: EVIDENCE,
      operation: `anchorRoot: Merkle root of ${TREE_SIZE.toLocaleString("en-US")} documents (real tree)`,
      ours: `evidence.anchorRoot.${TREE_SIZE}`,
      peer: "eas.timestamp",
      floor: FLOOR_SINGLE,
    },
    {
      module: EVIDENCE,
      operation: `anchorRoot: random root, size ${LARGE_ROOT_SIZE.toLocaleString("en-US")} (no tree built)`,
      ours: `evidence.anchorRoot.${LARGE_ROOT_SIZE}`,
      peer: "eas.timestamp",
      floor: FLOOR_SINGLE,
    },
    {
      module: EVIDENCE,
      operation: "supersede (correct a record)",
      ours: "evidence.supersede",
      floor: FLOOR_SINGLE,
    },
    {
      module: EVIDENCE,
      operation: "revoke a record (submitter)",
      ours: "evidence.revoke",
      peer: "eas.revoke",
      floor: FLOOR_SINGLE,
    },
    {
      module: EVIDENCE,
      operation: `revoke one document of a root (proof of ${REVOKE_PROOF_DEPTH})`,
      ours: "evidence.revokeDocument",
      floor: FLOOR_SINGLE,
    },
    { module: EVIDENCE, operation: "endorse a record", ours: "evidence.endorse", floor: FLOOR_SINGLE },
    ...PROOF_DEPTHS.map((depth): RowSpec => ({
      module: EVIDENCE,
      operation: `proof check: verifyInRoot (depth ${depth}, hand-built path)`,
      ours: `evidence.verifyInRoot.${depth}`,
    })),
    { module: EVIDENCE, operation: "record lookup: recordOf(digest)", ours: "evidence.recordOf" },
  ],
};
