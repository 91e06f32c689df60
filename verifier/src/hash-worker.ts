import { createKeccak, createSHA256, createSM3, type IHasher } from "hash-wasm";
import type { HashAlgorithm, HashReply, HashRequest } from "./hash-protocol";

/**
 * The page's hashing worker: reads a File in chunks (never whole) and feeds each chunk to the
 * WebAssembly hashers of hash-wasm, off the page's thread, reporting progress as it goes.
 * Keccak-256 is Ethereum's (hash-wasm's createKeccak(256)), not SHA3-256, as the CLI's.
 */

interface WorkerScope {
  postMessage(message: HashReply): void;
  onmessage: ((event: { data: HashRequest }) => void) | null;
}

const scope = self as unknown as WorkerScope;

/** Progress is reported at most this often (ms), and at the end. */
const PROGRESS_EVERY_MS = 80;

const FACTORIES: Record<HashAlgorithm, () => Promise<IHasher>> = {
  sha256: createSHA256,
  sm3: createSM3,
  keccak256: () => createKeccak(256),
};

async function hash(request: HashRequest): Promise<void> {
  const { id, file, algorithms, chunkSize } = request;
  const started = performance.now();
  const hashers = await Promise.all(algorithms.map((a) => FACTORIES[a]()));
  hashers.forEach((h) => h.init());
  let lastReport = 0;
  for (let offset = 0; offset < file.size; offset += chunkSize) {
    const chunk = new Uint8Array(await file.slice(offset, offset + chunkSize).arrayBuffer());
    for (const h of hashers) h.update(chunk);
    const done = Math.min(offset + chunk.length, file.size);
    const now = performance.now();
    if (now - lastReport >= PROGRESS_EVERY_MS || done === file.size) {
      lastReport = now;
      scope.postMessage({ type: "progress", id, bytes: done, total: file.size });
    }
  }
  const digests = {} as Record<HashAlgorithm, string>;
  algorithms.forEach((a, i) => (digests[a] = `0x${hashers[i].digest("hex")}`));
  scope.postMessage({ type: "done", id, digests, bytes: file.size, ms: performance.now() - started });
}

scope.onmessage = (event) => {
  const request = event.data;
  hash(request).catch((error: unknown) => {
    const e = error as { name?: string; message?: string };
    scope.postMessage({
      type: "error",
      id: request.id,
      name: e?.name ?? "Error",
      message: e?.message ?? String(error),
    });
  });
};
