import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "fs";
import path from "path";
import type { Digest } from "./digest";

/**
 * The write-ahead journal of a bulk notarization: one JSON object per line, appended and fsynced
 * before the step it records counts as done. Replaying it tells a re-run what is already hashed,
 * planned, anchored and bundled, so a run killed at any point (or stopped by an unreachable node)
 * finishes on the next run without losing or notarizing a document twice.
 *
 * A crash can tear only the last line (a write cut short); reading ignores it and the next append
 * first cuts the file back to the last whole line. A broken line anywhere else is corruption.
 */

export const JOURNAL_VERSION = 1;

/** What a run was asked to do: a journal serves only runs with the same inputs. */
export interface RunInputs {
  /** The files and directories given, resolved to absolute paths and sorted. */
  paths: string[];
  algorithm: string;
  batchSize: number;
  chainId: string;
  contract: string;
  category: string;
  businessRef: string;
  metadata: string;
}

export interface RunEntry {
  type: "run";
  version: typeof JOURNAL_VERSION;
  inputs: RunInputs;
  at: string;
}

/** A file hashed: reused by a re-run while the file keeps its size and modification time. */
export interface HashedEntry {
  type: "hashed";
  /** Absolute path. */
  file: string;
  size: number;
  mtimeMs: number;
  digest: Digest;
}

/** A Merkle batch, written before its root is sent: a re-run sends exactly this batch again or finds it on chain. */
export interface PlannedEntry {
  type: "planned";
  batch: number;
  root: Digest;
  /** The documents' digests in tree order (input positions of EvidenceMerkleTree.of). */
  digests: Digest[];
}

/** A batch's root on chain. */
export interface AnchoredEntry {
  type: "anchored";
  batch: number;
  root: Digest;
  txHash: Digest;
  blockNumber: number;
  /** Unix seconds. */
  blockTime: number;
}

/** Every bundle of a batch written. */
export interface BundledEntry {
  type: "bundled";
  batch: number;
}

export type JournalEntry = RunEntry | HashedEntry | PlannedEntry | AnchoredEntry | BundledEntry;

/** Thrown for a journal that cannot be read or written, is corrupt, or belongs to another run. */
export class JournalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JournalError";
  }
}

/** What a journal says has been done, replayed from its entries. */
export class JournalState {
  run?: RunInputs;
  /** By absolute file path; the last entry of a file wins. */
  readonly hashed = new Map<string, HashedEntry>();
  readonly planned = new Map<number, PlannedEntry>();
  readonly anchored = new Map<number, AnchoredEntry>();
  readonly bundled = new Set<number>();
  /** The batch each planned digest belongs to. */
  readonly batchOf = new Map<Digest, number>();
  /** Whether the last line was torn (a crash cut a write short) and was ignored. */
  tornTail = false;

  apply(entry: JournalEntry): void {
    switch (entry.type) {
      case "run":
        this.run ??= entry.inputs;
        break;
      case "hashed":
        this.hashed.set(entry.file, entry);
        break;
      case "planned":
        this.planned.set(entry.batch, entry);
        entry.digests.forEach((d) => this.batchOf.set(d, entry.batch));
        break;
      case "anchored":
        this.anchored.set(entry.batch, entry);
        break;
      case "bundled":
        this.bundled.add(entry.batch);
        break;
    }
  }

  /** The number the next planned batch gets. */
  get nextBatch(): number {
    return this.planned.size === 0 ? 0 : Math.max(...this.planned.keys()) + 1;
  }
}

/** Reads a journal's text: whole lines in order; a torn last line is ignored, a broken earlier one refused. */
export function parseJournal(text: string, where = "journal"): { entries: JournalEntry[]; tornTail: boolean } {
  const lines = text.split("\n");
  // Text ending in "\n" leaves one empty segment; anything else in the last segment was cut short.
  const last = lines.pop() ?? "";
  const entries: JournalEntry[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const entry = parseEntry(line);
    if (!entry) {
      throw new JournalError(
        `${where} is corrupt at line ${i + 1} (only a crash-torn last line can be ignored): move it aside to start over`,
      );
    }
    entries.push(entry);
  });
  let tornTail = false;
  if (last.trim() !== "") {
    // A complete entry whose newline was lost still counts: its fsync may have happened.
    const entry = parseEntry(last);
    if (entry) entries.push(entry);
    else tornTail = true;
  }
  return { entries, tornTail };
}

function parseEntry(line: string): JournalEntry | undefined {
  try {
    const value = JSON.parse(line) as JournalEntry;
    const types = ["run", "hashed", "planned", "anchored", "bundled"];
    return value && typeof value === "object" && types.includes(value.type) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Replays entries into the state they describe. */
export function replay(entries: readonly JournalEntry[]): JournalState {
  const state = new JournalState();
  entries.forEach((e) => state.apply(e));
  return state;
}

/** Which inputs differ between a journal's run and this one, as "name: journal vs now" texts. */
export function runDifferences(journaled: RunInputs, now: RunInputs): string[] {
  const differences: string[] = [];
  for (const key of Object.keys(now) as (keyof RunInputs)[]) {
    const [a, b] = [journaled[key], now[key]];
    const [x, y] = [Array.isArray(a) ? a.join(", ") : String(a), Array.isArray(b) ? b.join(", ") : String(b)];
    if (x !== y) differences.push(`${key} ${x} then, ${y} now`);
  }
  return differences;
}

/** An open journal: its replayed state, and appends that are on disk when they return. */
export class Journal {
  private constructor(
    readonly file: string,
    private fd: number | undefined,
    readonly state: JournalState,
    private readonly unlock: () => void,
  ) {}

  /**
   * Opens (or creates) the journal at `file` for a run with `inputs`: replays what it holds, refuses
   * it if it was written for other inputs, and records the run when it is new.
   */
  static open(file: string, inputs: RunInputs): Journal {
    const unlock = lock(file);
    try {
      return Journal.openLocked(file, inputs, unlock);
    } catch (e) {
      unlock();
      throw e;
    }
  }

  private static openLocked(file: string, inputs: RunInputs, unlock: () => void): Journal {
    let text = "";
    const exists = existsSync(file);
    try {
      if (exists) text = readFileSync(file, "utf8");
      else mkdirSync(path.dirname(file), { recursive: true });
    } catch (e) {
      throw new JournalError(`cannot read journal "${file}": ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    const { entries, tornTail } = parseJournal(text, `journal "${file}"`);
    const state = replay(entries);
    state.tornTail = tornTail;
    if (state.run) {
      const differences = runDifferences(state.run, inputs);
      if (differences.length > 0) {
        throw new JournalError(
          `journal "${file}" belongs to another run (${differences.join("; ")}): re-run with the same arguments to finish it, or pass another --out or --journal`,
        );
      }
    } else if (entries.length > 0) {
      throw new JournalError(`journal "${file}" does not start with its run: move it aside to start over`);
    }
    let fd: number;
    try {
      fd = openSync(file, "a");
      // Cut a torn tail back to the last whole line, so the next entry starts a line of its own.
      const whole = text.length === 0 || text.endsWith("\n") ? text : text.slice(0, text.lastIndexOf("\n") + 1);
      if (whole.length !== text.length) {
        if (tornTail) ftruncateSync(fd, Buffer.byteLength(whole));
        else writeSync(fd, "\n");
        fsyncSync(fd);
      }
      if (!exists) fsyncDirectory(path.dirname(file));
    } catch (e) {
      throw new JournalError(`cannot write journal "${file}": ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    const journal = new Journal(file, fd, state, unlock);
    if (!state.run) journal.append({ type: "run", version: JOURNAL_VERSION, inputs, at: new Date().toISOString() });
    return journal;
  }

  /** Appends `entry` as one line, fsynced before returning, and applies it to the state. */
  append(entry: JournalEntry): void {
    if (this.fd === undefined) throw new JournalError(`journal "${this.file}" is closed`);
    try {
      writeSync(this.fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(this.fd);
    } catch (e) {
      throw new JournalError(`cannot write journal "${this.file}": ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    this.state.apply(entry);
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.unlock();
    }
    this.fd = undefined;
  }
}

/**
 * Takes `<journal>.lock` (holding this process's id) so that two runs never work from one journal at once;
 * a lock left by a process that no longer exists (killed) is taken over. Returns the release.
 */
function lock(journal: string): () => void {
  const file = `${journal}.lock`;
  mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new JournalError(`cannot lock journal "${journal}": ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
    }
    const holder = Number(readFileSync(file, "utf8").trim());
    if (Number.isSafeInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new JournalError(
        `journal "${journal}" is in use by another run (process ${holder}): wait for it to finish, or stop it and re-run`,
      );
    }
    rmSync(file, { force: true });
  }
  throw new JournalError(`cannot lock journal "${journal}": another run keeps taking it`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Makes a new file's directory entry durable (a no-op where directories cannot be opened, e.g. Windows). */
function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
