import type { Command } from "commander";
import { submit, type Cli } from "../cli";
import { CliError } from "../errors";
import { parseModule } from "../parse";
import { cancelProposal } from "./council";

/** `guardian pause|cancel`: emergency actions of a guardian member (need the guardian's key). */
export function guardianCommand(program: Command, cli: Cli): void {
  const guardian = program.command("guardian").description("emergency actions of a guardian member");

  guardian
    .command("pause")
    .description("stop every state change of a module until the council unpauses it; reads go on")
    .argument("<module>", "module to pause, e.g. MemberRegistry")
    .action((module: string, _o, cmd: Command) => {
      const m = parseModule(module);
      return cli.write(cmd, async ({ ledger }) => {
        if (await ledger.isPaused(m)) throw new CliError(`${m} is already paused: nothing to do`);
        const { transactionHash } = await submit(ledger.pause(m));
        cli.emit(cmd, { module: m, paused: true, transactionHash }, [`paused ${m}`, `tx ${transactionHash}`]);
      });
    });

  guardian
    .command("cancel")
    .description("cancel a pending or queued proposal before it runs")
    .argument("<proposalId>")
    .action((id: string, _o, cmd: Command) => cancelProposal(cli, cmd, id));
}
