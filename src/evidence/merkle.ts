import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { parseDigest, type Digest } from "./digest";
import { keccak256OfWord, keccak256OfWordPair } from "./keccak";

/**
 * Merkle batches in the OpenZeppelin "standard-v1" format for leaves of the single type bytes32, so any tool that
 * reads StandardMerkleTree.of(values, ["bytes32"]) gets our root and checks our proofs, and vice versa:
 * - leaf = keccak256(keccak256(abi.encode(digest))), and abi.encode of a bytes32 is the 32 bytes themselves;
 * - leaves sorted ascending (OZ's default sortLeaves: true) and laid out as OZ's array tree: 2n - 1 nodes,
 *   the k-th smallest leaf at index 2n - 2 - k, the children of node i at 2i + 1 and 2i + 2;
 * - inner node = keccak256 of its two children, smaller first (so proofs carry no left/right flags).
 * Unlike OZ we refuse duplicate digests: the EvidenceRegistry refuses to notarize a digest twice, and a batch
 * with duplicates would give two documents the same leaf.
 *
 * Nodes live in one Uint32Array (8 halves per 32-byte node) so building a million-leaf tree allocates nothing
 * per node; hex strings are produced only for the proofs someone asks for.
 */

/** Describes the leaf hashing, recorded in proof bundles so a verifier knows what to recompute. */
export const LEAF_ENCODING = "oz-standard-v1: keccak256(keccak256(abi.encode(bytes32)))";

/** Words (32-bit halves) per 32-byte node. */
const NODE = 8;

/** Thrown when a batch cannot be built or a proof asked for does not exist; the message says what to fix. */
export class MerkleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MerkleError";
  }
}

export class EvidenceMerkleTree {
  private constructor(
    /** All 2n - 1 nodes in OZ's array layout, root first. */
    private readonly nodes: Uint32Array,
    /** For each input position, the index of its leaf in `nodes`. */
    private readonly leafNodeOf: Uint32Array,
  ) {}

  /** Builds the tree of hex digests, in the order given; proofs are then asked for by that same position. */
  static of(digests: readonly string[]): EvidenceMerkleTree {
    const packed = new Uint8Array(digests.length * 32);
    digests.forEach((digest, i) => {
      packed.set(Buffer.from(parseDigest(digest, `digest #${i}`).slice(2), "hex"), i * 32);
    });
    return EvidenceMerkleTree.ofPacked(packed);
  }

  /** Builds the tree of n digests packed back to back (32 bytes each): the fast path for large batches. */
  static ofPacked(packedDigests: Uint8Array): EvidenceMerkleTree {
    const count = packedDigests.length / 32;
    if (count === 0 || !Number.isInteger(count)) {
      throw new MerkleError(`a Merkle batch needs at least one 32-byte digest, got ${packedDigests.length} bytes`);
    }
    const digestWords = new Uint32Array(packedDigests.slice().buffer);
    const leaves = new Uint32Array(count * NODE);
    const once = new Uint32Array(NODE);
    for (let i = 0; i < count; i++) {
      keccak256OfWord(digestWords, i * NODE, once, 0);
      keccak256OfWord(once, 0, leaves, i * NODE);
    }
    const order = sortedLeafOrder(leaves, count);
    refuseDuplicates(leaves, order, packedDigests);

    const nodes = new Uint32Array((2 * count - 1) * NODE);
    const leafNodeOf = new Uint32Array(count);
    for (let k = 0; k < count; k++) {
      const node = 2 * count - 2 - k;
      nodes.set(leaves.subarray(order[k] * NODE, order[k] * NODE + NODE), node * NODE);
      leafNodeOf[order[k]] = node;
    }
    for (let i = count - 2; i >= 0; i--) hashChildren(nodes, 2 * i + 1, 2 * i + 2, nodes, i);
    return new EvidenceMerkleTree(nodes, leafNodeOf);
  }

  /** Number of documents in the batch. */
  get length(): number {
    return this.leafNodeOf.length;
  }

  /** The batch root, as notarized on chain. */
  get root(): Digest {
    return this.nodeHex(0);
  }

  /** The proof for the document at input position `index`: sibling hashes from its leaf up to the root. */
  proof(index: number): Digest[] {
    const proof: Digest[] = [];
    for (let node = this.leafNodeOfIndex(index); node > 0; node = (node - 1) >> 1) {
      proof.push(this.nodeHex(siblingOf(node)));
    }
    return proof;
  }

  /** Node indexes (OZ array layout) of the proof for input position `index`; for writers that encode it themselves. */
  proofNodes(index: number): number[] {
    const nodes: number[] = [];
    for (let node = this.leafNodeOfIndex(index); node > 0; node = (node - 1) >> 1) nodes.push(siblingOf(node));
    return nodes;
  }

  /** All nodes as raw bytes (32 per node, OZ array layout); a view, not a copy. */
  nodeBytes(): Uint8Array {
    return new Uint8Array(this.nodes.buffer, this.nodes.byteOffset, this.nodes.byteLength);
  }

  private leafNodeOfIndex(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new MerkleError(`no document #${index} in this batch: positions run from 0 to ${this.length - 1}`);
    }
    return this.leafNodeOf[index];
  }

  private nodeHex(node: number): Digest {
    return `0x${Buffer.from(this.nodes.buffer, this.nodes.byteOffset + node * 32, 32).toString("hex")}`;
  }
}

function siblingOf(node: number): number {
  return node % 2 === 1 ? node + 1 : node - 1;
}

/** Big-endian comparison of two nodes: the order OZ sorts leaves and node pairs in. */
function compareNodes(a: Uint32Array, aAt: number, b: Uint32Array, bAt: number): number {
  for (let i = 0; i < NODE; i++) {
    const x = a[aAt + i];
    const y = b[bAt + i];
    if (x !== y) return byteSwap(x) < byteSwap(y) ? -1 : 1;
  }
  return 0;
}

/** The halves are read little-endian; swapping makes numeric order equal byte order. */
function byteSwap(word: number): number {
  return (((word & 0xff) << 24) | ((word & 0xff00) << 8) | ((word >>> 8) & 0xff00) | (word >>> 24)) >>> 0;
}

/** Writes keccak256(sorted(a, b)) into out[at]; a, b and at are node indexes. */
function hashChildren(nodes: Uint32Array, a: number, b: number, out: Uint32Array, at: number): void {
  const [first, second] = compareNodes(nodes, a * NODE, nodes, b * NODE) <= 0 ? [a, b] : [b, a];
  keccak256OfWordPair(nodes, first * NODE, second * NODE, out, at * NODE);
}

function sortedLeafOrder(leaves: Uint32Array, count: number): Uint32Array {
  // A leading-32-bit key settles almost every comparison without touching the leaf array.
  const keys = new Float64Array(count);
  for (let i = 0; i < count; i++) keys[i] = byteSwap(leaves[i * NODE]);
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order.sort((x, y) => keys[x] - keys[y] || compareNodes(leaves, x * NODE, leaves, y * NODE));
}

function refuseDuplicates(leaves: Uint32Array, order: Uint32Array, packedDigests: Uint8Array): void {
  for (let k = 1; k < order.length; k++) {
    if (compareNodes(leaves, order[k - 1] * NODE, leaves, order[k] * NODE) === 0) {
      const [first, second] = [order[k - 1], order[k]].sort((x, y) => x - y);
      const digest = Buffer.from(packedDigests.subarray(second * 32, second * 32 + 32)).toString("hex");
      throw new MerkleError(
        `digest 0x${digest} appears twice in the batch (positions ${first} and ${second}); ` +
          "a digest can be notarized only once, so remove the duplicate document",
      );
    }
  }
}

/** The leaf a digest becomes: keccak256(keccak256(abi.encode(bytes32 digest))). */
export function leafOf(digest: string): Digest {
  const words = hexToWords(parseDigest(digest));
  keccak256OfWord(words, 0, words, 0);
  keccak256OfWord(words, 0, words, 0);
  return `0x${Buffer.from(words.buffer).toString("hex")}`;
}

/** Recomputes the root from a digest and its proof and compares it with `root`; false for any mismatch. */
export function verifyProof(root: string, digest: string, proof: readonly string[]): boolean {
  const expected = hexToWords(parseDigest(root, "root"));
  const path = new Uint32Array((proof.length + 1) * NODE);
  path.set(hexToWords(parseDigest(leafOf(digest))), 0);
  proof.forEach((node, i) => path.set(hexToWords(parseDigest(node, `proof[${i}]`)), (i + 1) * NODE));
  const current = path.subarray(0, NODE);
  for (let i = 1; i <= proof.length; i++) {
    const [first, second] = compareNodes(current, 0, path, i * NODE) <= 0 ? [0, i * NODE] : [i * NODE, 0];
    keccak256OfWordPair(path, first, second, path, 0);
  }
  return compareNodes(current, 0, expected, 0) === 0;
}

/** The same check done by @openzeppelin/merkle-tree itself: the independent reference for interop. */
export function verifyProofWithOpenZeppelin(root: string, digest: string, proof: readonly string[]): boolean {
  return StandardMerkleTree.verify(root.toLowerCase(), ["bytes32"], [digest.toLowerCase()], [...proof]);
}

function hexToWords(hex: Digest): Uint32Array {
  const bytes = Buffer.from(hex.slice(2), "hex");
  const words = new Uint32Array(NODE);
  new Uint8Array(words.buffer).set(bytes);
  return words;
}
