import { Command } from "commander";
import { Cli } from "./cli";
import { achievementCommand } from "./commands/achievement";
import { auditCommand } from "./commands/audit";
import { councilCommand } from "./commands/council";
import { deploymentCommand } from "./commands/deployment";
import { evidenceCommand } from "./commands/evidence";
import { guardianCommand } from "./commands/guardian";
import { identityCommand } from "./commands/identity";
import { membersCommand } from "./commands/members";
import { tradeCommand } from "./commands/trade";
import { txCommand } from "./commands/tx";
import { UsageError, describeFailure, exitCodeOf, isCleanExit, oneLine } from "./errors";
import { processIo, type CliIo } from "./io";

export type { CliIo } from "./io";

/**
 * Runs `govledger <argv…>` and resolves to the exit code; never exits the process. A failure prints
 * exactly one line, `govledger: <what is wrong and what to fix>`, on stderr, and every check runs
 * before a transaction could be sent.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const cli = new Cli(io);
    await buildProgram(cli).parseAsync(argv, { from: "user" });
    return cli.exitCode;
  } catch (e) {
    if (isCleanExit(e)) return 0;
    io.stderr(`govledger: ${oneLine(describeFailure(e))}`);
    if (io.env.GOVLEDGER_DEBUG === "1" && e instanceof Error && e.stack) io.stderr(e.stack);
    return exitCodeOf(e);
  }
}

/** The entry point of bin/govledger.js: the real process's arguments and streams. */
export function main(): Promise<number> {
  return runCli(process.argv.slice(2), processIo());
}

function buildProgram(cli: Cli): Command {
  const io = cli.io;
  const program = new Command("govledger")
    .description(
      "Consortium governance, digital identity, evidence and technology achievements from the command line: members, council proposals, guardian actions, DIDs, claims, consents, notarization, achievement rights, settlement escrow.",
    )
    .option("--network <name>", "network from config/networks.ts", io.env.GOVLEDGER_NETWORK?.trim() || "localhost")
    .option("--json", "print one JSON document on stdout (numbers as decimal strings)", false)
    .option("--key-env <VAR>", "environment variable holding the signer's private key", "GOVLEDGER_PRIVATE_KEY")
    .option("--deployments <dir>", "directory containing deployments/ (default: the working directory)")
    .option(
      "--rpc <urls>",
      "RPC URLs of the network's nodes, comma-separated, instead of its configured URL: reads fail over, a transaction goes to one node (default: GOVLEDGER_RPC_URLS)",
      io.env.GOVLEDGER_RPC_URLS?.trim() || undefined,
    )
    .configureOutput({
      writeOut: (text) => io.stdout(text.replace(/\n$/, "")),
      // Usage errors become one `govledger: …` line in runCli; commander prints nothing itself.
      writeErr: () => undefined,
      outputError: () => undefined,
    });
  deploymentCommand(program, cli);
  membersCommand(program, cli);
  councilCommand(program, cli);
  guardianCommand(program, cli);
  identityCommand(program, cli);
  evidenceCommand(program, cli);
  achievementCommand(program, cli);
  tradeCommand(program, cli);
  txCommand(program, cli);
  auditCommand(program, cli);
  overrideExits(program);
  return program;
}

/** Turns commander's process.exit calls into errors that know which command raised them. */
function overrideExits(command: Command): void {
  command.exitOverride((error) => {
    throw new UsageError(command, error);
  });
  command.commands.forEach(overrideExits);
}
