import { CommanderError, type Command } from "commander";
import { GovLedgerError, TransactionInDoubtError, toGovLedgerError } from "../sdk";

/** A refusal of the CLI itself: its message already says what is wrong and what to fix. */
export class CliError extends Error {
  constructor(
    message: string,
    /** The process exit code; 1 unless a command documents another (`evidence verify`: 2). */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** The node of a network did not answer: nothing was sent; a command may still do its local work first. */
export class UnreachableError extends CliError {
  constructor(message: string) {
    super(message);
    this.name = "UnreachableError";
  }
}

/** Commands whose usage errors exit with another code than 1. */
const USAGE_EXIT_CODES = new WeakMap<Command, number>();

/** Makes usage errors of `command` (missing or unknown arguments and options) exit with `code`. */
export function usageExitCode(command: Command, code: number): Command {
  USAGE_EXIT_CODES.set(command, code);
  return command;
}

/** The exit code of a failed run: 1, unless the error or its command says otherwise. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return USAGE_EXIT_CODES.get(error.command) ?? 1;
  if (error instanceof CliError) return error.exitCode;
  return 1;
}

/** A commander usage error, tagged with the command that raised it. */
export class UsageError extends Error {
  constructor(
    readonly command: Command,
    readonly error: CommanderError,
  ) {
    super(error.message);
    this.name = "UsageError";
  }
}

/** Whether commander stopped on purpose (help or version shown): not a failure. */
export function isCleanExit(error: unknown): boolean {
  return error instanceof UsageError && error.error.exitCode === 0;
}

/** The one line a failure prints, without the `govledger: ` prefix. */
export function describeFailure(error: unknown): string {
  if (error instanceof UsageError) return describeUsage(error);
  const e = toGovLedgerError(error);
  if (e instanceof TransactionInDoubtError) {
    const check = e.sent.hash ? `\`govledger tx status ${e.sent.hash}\`` : "the account's nonce";
    return `${e.message} — do not run the command again before ${check} says it was dropped or replaced`;
  }
  if (e instanceof GovLedgerError) return e.fix ? `${e.message} — ${e.fix}` : e.message;
  if (e instanceof Error) return (e as { shortMessage?: string }).shortMessage ?? e.message;
  return String(e);
}

function describeUsage({ command, error }: UsageError): string {
  const path = commandPath(command);
  const where = path ? `${path}: ` : "";
  const help = `\`govledger ${path ? `${path} ` : ""}--help\``;
  if (error.code === "commander.help") return `${where}missing command (see ${help})`;
  const message = error.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ");
  return `${where}${message} (see ${help})`;
}

/** "council propose", for the command a user typed. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** Collapses a message to one line, so every failure is exactly one line of stderr. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
