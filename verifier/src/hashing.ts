import type { HashAlgorithm, HashReply, HashRequest } from "./hash-protocol";
import { PageProblem } from "./problems";

/** Bytes hashed at a time: 4 MiB keeps memory flat and progress fine-grained. */
export const CHUNK_SIZE = 4 * 1024 * 1024;

export interface HashResult {
  digests: Record<HashAlgorithm, string>;
  bytes: number;
  ms: number;
}

/** Hashing stopped by the user (Cancel, or a new file dropped): not an error to show. */
export class HashCancelled extends Error {
  constructor() {
    super("hashing cancelled");
    this.name = "HashCancelled";
  }
}

/**
 * Runs the hashing worker (hash-worker.js next to the page): one file at a time; cancel() stops it
 * at once by ending the worker, and the next file starts a fresh one.
 */
export class FileHasher {
  private worker?: Worker;
  private nextId = 1;
  private pending?: { id: number; reject: (e: Error) => void };

  constructor(private readonly workerUrl: string) {}

  hash(
    file: File,
    algorithms: HashAlgorithm[],
    onProgress: (bytes: number, total: number) => void,
  ): Promise<HashResult> {
    this.cancel();
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<HashResult>((resolve, reject) => {
      this.pending = { id, reject };
      worker.onmessage = (event: MessageEvent<HashReply>) => {
        const reply = event.data;
        if (reply.id !== id) return;
        if (reply.type === "progress") onProgress(reply.bytes, reply.total);
        else {
          this.pending = undefined;
          if (reply.type === "done") resolve({ digests: reply.digests, bytes: reply.bytes, ms: reply.ms });
          else
            reject(
              new PageProblem(
                "error.fileUnreadable",
                [`${reply.name}: ${reply.message}`],
                { file: file.name },
                "error.fileUnreadableHint",
              ),
            );
        }
      };
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        this.pending = undefined;
        this.stop();
        reject(new PageProblem("error.worker", [event.message || `cannot run ${this.workerUrl}`]));
      };
      const request: HashRequest = { id, file, algorithms, chunkSize: CHUNK_SIZE };
      worker.postMessage(request);
    });
  }

  /** Stops the file being hashed, if any; its promise rejects with {@link HashCancelled}. */
  cancel(): void {
    if (!this.pending) return;
    const { reject } = this.pending;
    this.pending = undefined;
    this.stop();
    reject(new HashCancelled());
  }

  private start(): Worker {
    if (!this.worker) {
      try {
        this.worker = new Worker(this.workerUrl);
      } catch (e) {
        throw new PageProblem("error.worker", [(e as Error).message]);
      }
    }
    return this.worker;
  }

  private stop(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }
}
