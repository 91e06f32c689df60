import type { Command } from "commander";
import type { ProposalView } from "../../sdk";
import { submit, type Cli } from "../cli";
import { eventLine, fields, proposalLines, queuedLines, table } from "../format";
import { parseId } from "../parse";
import { proposeCommand } from "./propose";

/** `council …`: read proposals; approve, withdraw, execute and cancel them (writes need a key). */
export function councilCommand(program: Command, cli: Cli): void {
  const council = program.command("council").description("the k-of-n council and its proposals");

  council
    .command("status")
    .description("councillors, threshold and proposal count")
    .action((_opts, cmd: Command) =>
      cli.read(cmd, async ({ ledger }) => {
        const s = await ledger.council.status();
        cli.emit(cmd, s, [
          ...fields([
            ["threshold", `${s.threshold} of ${s.councillors.length}`],
            ["proposals", s.proposals.toString()],
            ["councillors", s.councillors[0] ?? "-"],
          ]),
          ...s.councillors.slice(1).map((c) => `${" ".repeat("councillors".length)}  ${c}`),
        ]);
      }),
    );

  council
    .command("proposals")
    .description("list every proposal, newest first")
    .action((_opts, cmd: Command) =>
      cli.read(cmd, async ({ ledger }) => {
        const all = await ledger.council.proposals();
        cli.emit(cmd, all, proposalTable(all));
      }),
    );

  council
    .command("show")
    .description("show one proposal: decoded call, state, approvals, ready time")
    .argument("<id>", "proposal id")
    .action((id: string, _opts, cmd: Command) => {
      const proposalId = parseId(id, "proposal id");
      return cli.read(cmd, async ({ ledger }) => {
        const p = await ledger.council.proposal(proposalId);
        cli.emit(cmd, p, proposalLines(p));
      });
    });

  council
    .command("approve")
    .description("approve a pending proposal (the approval reaching the threshold queues it)")
    .argument("<id>", "proposal id")
    .action((id: string, _opts, cmd: Command) => {
      const proposalId = parseId(id, "proposal id");
      return cli.write(cmd, async ({ ledger }) => {
        const { transactionHash, result } = await submit(ledger.council.approve(proposalId));
        const { threshold } = await ledger.council.status();
        cli.emit(cmd, { ...result, threshold, transactionHash }, [
          `approved proposal ${proposalId}: ${result.approvals}/${threshold} approvals`,
          ...queuedLines(result.queued),
          `tx ${transactionHash}`,
        ]);
      });
    });

  council
    .command("revoke-approval")
    .description("withdraw your approval of a pending proposal")
    .argument("<id>", "proposal id")
    .action((id: string, _opts, cmd: Command) => {
      const proposalId = parseId(id, "proposal id");
      return cli.write(cmd, async ({ ledger }) => {
        const { transactionHash, result } = await submit(ledger.council.revokeApproval(proposalId));
        cli.emit(cmd, { ...result, transactionHash }, [
          `withdrew approval of proposal ${proposalId}: ${result.approvals} approvals left`,
          `tx ${transactionHash}`,
        ]);
      });
    });

  council
    .command("execute")
    .description("run an approved, ready proposal and print the events it caused")
    .argument("<id>", "proposal id")
    .action((id: string, _opts, cmd: Command) => {
      const proposalId = parseId(id, "proposal id");
      return cli.write(cmd, async ({ ledger }) => {
        const { transactionHash, result } = await submit(ledger.council.execute(proposalId));
        cli.emit(cmd, { ...result, transactionHash }, [
          `executed proposal ${proposalId}`,
          ...result.events.map((e) => `  ${eventLine(e)}`),
          `tx ${transactionHash}`,
        ]);
      });
    });

  council
    .command("cancel")
    .description("withdraw your pending proposal (a guardian may cancel any: see `guardian cancel`)")
    .argument("<id>", "proposal id")
    .action((id: string, _opts, cmd: Command) => cancelProposal(cli, cmd, id));

  proposeCommand(council, cli);
}

/** Cancels proposal `id` with the signer's key: shared by `council cancel` and `guardian cancel`. */
export function cancelProposal(cli: Cli, cmd: Command, id: string): Promise<void> {
  const proposalId = parseId(id, "proposal id");
  return cli.write(cmd, async ({ ledger }) => {
    const { transactionHash, result } = await submit(ledger.council.cancel(proposalId));
    cli.emit(cmd, { ...result, transactionHash }, [`cancelled proposal ${proposalId}`, `tx ${transactionHash}`]);
  });
}

function proposalTable(all: ProposalView[]): string[] {
  if (all.length === 0) return ["no proposals"];
  return table(
    ["ID", "STATE", "APPROVALS", "TARGET", "DESCRIPTION"],
    all.map((p) => [
      p.id.toString(),
      p.state,
      `${p.approvals}/${p.threshold}`,
      p.targetName ?? p.target,
      p.description,
    ]),
  );
}
