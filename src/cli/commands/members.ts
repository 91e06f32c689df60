import type { Command } from "commander";
import type { MemberView } from "../../sdk";
import type { Cli } from "../cli";
import { CliError } from "../errors";
import { memberJson, memberLines, roleLabel, table } from "../format";
import { parseMemberRef } from "../parse";

/** `members list|show`: the consortium's member organisations (reads, no key). */
export function membersCommand(program: Command, cli: Cli): void {
  const members = program.command("members").description("read the consortium's member organisations");

  members
    .command("list")
    .description("list every member with its status and roles")
    .action((_opts, cmd: Command) =>
      cli.read(cmd, async ({ ledger }) => {
        const all = await ledger.members.members();
        cli.emit(cmd, all.map(memberJson), memberTable(all));
      }),
    );

  members
    .command("show")
    .description("show one member: name, status, roles, accounts, times")
    .argument("<member>", "member id or one of its account addresses")
    .action((ref: string, _opts, cmd: Command) => {
      const which = parseMemberRef(ref);
      return cli.read(cmd, async ({ ledger }) => {
        const m = "id" in which ? await ledger.members.member(which.id) : await ledger.members.memberOf(which.account);
        if (!m) throw new CliError(`${ref} does not act for any member: check the address, or list members`);
        cli.emit(cmd, memberJson(m), memberLines(m));
      });
    });
}

function memberTable(all: MemberView[]): string[] {
  if (all.length === 0) return ["no members"];
  return table(
    ["ID", "STATUS", "ROLES", "NAME"],
    all.map((m) => [m.id.toString(), m.status, m.roles.map(roleLabel).join(",") || "-", m.name]),
  );
}
