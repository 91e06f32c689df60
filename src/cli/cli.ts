import type { Command } from "commander";
import type { Call } from "../sdk";
import { open, type GlobalOptions, type Session } from "./connect";
import { toJson } from "./format";
import type { CliIo } from "./io";

/** What a command needs: the options, a session on the chain, and one place to print results. */
export class Cli {
  /** The exit code of a run that did not fail: a command sets 1 to answer "no" (e.g. an invalid claim). */
  exitCode = 0;

  constructor(readonly io: CliIo) {}

  options(cmd: Command): GlobalOptions {
    return cmd.optsWithGlobals<GlobalOptions>();
  }

  /** Runs `fn` on a read-only session. */
  read<T>(cmd: Command, fn: (s: Session) => Promise<T>): Promise<T> {
    return this.session(cmd, false, fn);
  }

  /** Runs `fn` on a session whose runner is the signer named by --key-env. */
  write<T>(cmd: Command, fn: (s: Session) => Promise<T>): Promise<T> {
    return this.session(cmd, true, fn);
  }

  /** Prints a result: one JSON document with --json, readable lines otherwise. */
  emit(cmd: Command, json: unknown, lines: string[]): void {
    if (this.options(cmd).json) this.io.stdout(JSON.stringify(toJson(json), null, 2));
    else lines.forEach((line) => this.io.stdout(line));
  }

  private async session<T>(cmd: Command, write: boolean, fn: (s: Session) => Promise<T>): Promise<T> {
    const s = await open(this.options(cmd), this.io, write);
    try {
      return await fn(s);
    } finally {
      s.close();
    }
  }
}

/** Dry-runs, sends and waits: a refusal is thrown, decoded, before anything is sent. */
export async function submit<T>(call: Call<T>): Promise<{ transactionHash: string; result: T }> {
  const sent = await call.send();
  return { transactionHash: sent.hash, result: await sent.wait() };
}
