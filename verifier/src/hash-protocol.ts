/** The messages between the page and its hashing worker (hash-worker.ts). */

export const HASH_ALGORITHMS = ["sha256", "sm3", "keccak256"] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

export interface HashRequest {
  id: number;
  file: Blob;
  algorithms: HashAlgorithm[];
  /** Bytes read and hashed at a time: memory stays flat however large the file. */
  chunkSize: number;
}

export type HashReply =
  | { type: "progress"; id: number; bytes: number; total: number }
  | { type: "done"; id: number; digests: Record<HashAlgorithm, string>; bytes: number; ms: number }
  | { type: "error"; id: number; name: string; message: string };
