import { createHash } from "crypto";
import { createReadStream } from "fs";
import { keccak_256 } from "@noble/hashes/sha3";

/**
 * Digest algorithms, numbered as the EvidenceRegistry contract numbers them. The id is stored on chain next to
 * the opaque bytes32 digest, so these numbers must never change.
 */
export enum DigestAlgorithm {
  SHA256 = 1,
  SM3 = 2,
  KECCAK256 = 3,
}

/** The names users type (CLI flags, bundle files), lower case. */
export const ALGORITHM_NAMES: Readonly<Record<DigestAlgorithm, string>> = {
  [DigestAlgorithm.SHA256]: "sha256",
  [DigestAlgorithm.SM3]: "sm3",
  [DigestAlgorithm.KECCAK256]: "keccak256",
};

/** A 0x-prefixed, lower-case, 32-byte hex string. */
export type Digest = `0x${string}`;

/** Thrown for any input a digest cannot be computed from or parsed as; the message says what to fix. */
export class DigestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DigestError";
  }
}

const ALIASES: Readonly<Record<string, DigestAlgorithm>> = {
  sha256: DigestAlgorithm.SHA256,
  "sha-256": DigestAlgorithm.SHA256,
  sm3: DigestAlgorithm.SM3,
  keccak256: DigestAlgorithm.KECCAK256,
  "keccak-256": DigestAlgorithm.KECCAK256,
};

/** Parses an algorithm name (case-insensitive, "sha-256"/"keccak-256" accepted) or its numeric id. */
export function parseAlgorithm(nameOrId: string | number): DigestAlgorithm {
  if (typeof nameOrId === "number" || /^\d+$/.test(nameOrId)) {
    const id = Number(nameOrId);
    if (id in ALGORITHM_NAMES) return id as DigestAlgorithm;
    throw new DigestError(`unknown digest algorithm id ${nameOrId}; known ids: ${knownAlgorithms()}`);
  }
  const algorithm = ALIASES[nameOrId.trim().toLowerCase()];
  if (algorithm === undefined) {
    throw new DigestError(`unknown digest algorithm "${nameOrId}"; known algorithms: ${knownAlgorithms()}`);
  }
  return algorithm;
}

function knownAlgorithms(): string {
  return Object.entries(ALGORITHM_NAMES)
    .map(([id, name]) => `${name} (${id})`)
    .join(", ");
}

/** Checks a digest is 0x + 64 hex digits and returns it in lower case (the form hashed into Merkle leaves). */
export function parseDigest(text: string, what = "digest"): Digest {
  if (typeof text !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(text)) {
    const shown = typeof text === "string" ? `"${text.length > 80 ? text.slice(0, 77) + "..." : text}"` : typeof text;
    throw new DigestError(`${what} must be 0x followed by 64 hex digits (32 bytes), got ${shown}`);
  }
  return text.toLowerCase() as Digest;
}

/** An incremental hasher with one interface over Node's OpenSSL hashes and @noble/hashes' Keccak. */
interface Hasher {
  update(chunk: Uint8Array): void;
  digest(): Uint8Array;
}

function createHasher(algorithm: DigestAlgorithm): Hasher {
  switch (algorithm) {
    case DigestAlgorithm.SHA256:
    case DigestAlgorithm.SM3: {
      // SM3 comes from OpenSSL 3, which Node 20 bundles; no extra package needed.
      const hash = createHash(ALGORITHM_NAMES[algorithm]);
      return { update: (chunk) => void hash.update(chunk), digest: () => hash.digest() };
    }
    case DigestAlgorithm.KECCAK256: {
      // Node's "sha3-256" pads differently from Ethereum's Keccak-256, so it cannot stand in here.
      const hash = keccak_256.create();
      return { update: (chunk) => void hash.update(chunk), digest: () => hash.digest() };
    }
    default:
      throw new DigestError(`unknown digest algorithm id ${String(algorithm)}; known ids: ${knownAlgorithms()}`);
  }
}

function toDigest(bytes: Uint8Array): Digest {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}

/** Digest of bytes already in memory. */
export function digestBytes(bytes: Uint8Array | string, algorithm: DigestAlgorithm): Digest {
  const hasher = createHasher(algorithm);
  hasher.update(typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes);
  return toDigest(hasher.digest());
}

/** Called after every chunk read, so bulk tools can draw a progress bar. */
export type DigestProgress = (bytesRead: number) => void;

/**
 * Digest of a file, read as a stream in fixed-size chunks: memory stays flat however large the file is.
 * Rejects with a DigestError naming the file and the reason (missing, a directory, no permission, ...).
 */
export async function digestFile(
  path: string,
  algorithm: DigestAlgorithm,
  onProgress?: DigestProgress,
): Promise<Digest> {
  const hasher = createHasher(algorithm);
  let bytesRead = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      hasher.update(chunk as Buffer);
      bytesRead += (chunk as Buffer).length;
      onProgress?.(bytesRead);
    }
  } catch (error) {
    throw new DigestError(`cannot read file "${path}" to digest it: ${describeFsError(error)}`);
  }
  return toDigest(hasher.digest());
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such file (check the path)";
    case "EISDIR":
      return "it is a directory, not a file";
    case "ENOTDIR":
      return "a part of the path is a file, not a directory (check the path)";
    case "EACCES":
    case "EPERM":
      return "permission denied (check the file's read permission)";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
