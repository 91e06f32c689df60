import type { Command } from "commander";
import type { GovLedger, ProposedCall } from "../../sdk";
import { submit, type Cli } from "../cli";
import { queuedLines } from "../format";
import { deploymentOf } from "../connect";
import { CliError } from "../errors";
import { parseAddress, parseDidRef, parseHash, parseId, parseModule, parseRole, parseTime } from "../parse";

/** Builds the proposed call once connected; inputs were validated before. */
type Builder = (ledger: GovLedger) => ProposedCall;

/** `council propose <action>`: every council decision, as a proposal the signer makes and approves. */
export function proposeCommand(council: Command, cli: Cli): void {
  const propose = council.command("propose").description("propose a council decision (counts as your approval)");
  const action = (name: string, description: string) => propose.command(name).description(description);
  const run = (cmd: Command, build: Builder) => proposeCall(cli, cmd, build);

  action("admit-member", "admit an organisation with its accounts and roles")
    .requiredOption("--name <name>", "the organisation's name")
    .requiredOption("--account <address...>", "accounts that act for it")
    .requiredOption("--role <role...>", "member roles (guardian, registrar, notary, …)")
    .option("--documents-hash <hash>", "32-byte hash of its admission documents")
    .action((o: { name: string; account: string[]; role: string[]; documentsHash?: string }, cmd: Command) => {
      const admission = {
        name: o.name,
        accounts: o.account.map((a) => parseAddress(a, "account")),
        roles: o.role.map(parseRole),
        documentsHash: o.documentsHash === undefined ? undefined : parseHash(o.documentsHash, "documents hash"),
      };
      return run(cmd, (l) => l.members.admit(admission));
    });

  action("grant-role", "grant a member role")
    .argument("<memberId>")
    .argument("<role>")
    .action((id: string, role: string, _o, cmd: Command) => {
      const [memberId, r] = [parseId(id, "member id"), parseRole(role)];
      return run(cmd, (l) => l.members.grantRole(memberId, r));
    });

  action("revoke-role", "revoke a member role")
    .argument("<memberId>")
    .argument("<role>")
    .action((id: string, role: string, _o, cmd: Command) => {
      const [memberId, r] = [parseId(id, "member id"), parseRole(role)];
      return run(cmd, (l) => l.members.revokeRole(memberId, r));
    });

  action("suspend", "suspend a member (its accounts lose their roles until reinstated)")
    .argument("<memberId>")
    .requiredOption("--reason-hash <hash>", "32-byte hash of the documented reason")
    .action((id: string, o: { reasonHash: string }, cmd: Command) => {
      const [memberId, reason] = [parseId(id, "member id"), parseHash(o.reasonHash, "reason hash")];
      return run(cmd, (l) => l.members.suspend(memberId, reason));
    });

  action("reinstate", "reinstate a suspended member")
    .argument("<memberId>")
    .action((id: string, _o, cmd: Command) => {
      const memberId = parseId(id, "member id");
      return run(cmd, (l) => l.members.reinstate(memberId));
    });

  action("remove-member", "remove a member for good (its record stays)")
    .argument("<memberId>")
    .requiredOption("--reason-hash <hash>", "32-byte hash of the documented reason")
    .action((id: string, o: { reasonHash: string }, cmd: Command) => {
      const [memberId, reason] = [parseId(id, "member id"), parseHash(o.reasonHash, "reason hash")];
      return run(cmd, (l) => l.members.remove(memberId, reason));
    });

  action("add-account", "let an account act for a member")
    .argument("<memberId>")
    .argument("<address>")
    .action((id: string, address: string, _o, cmd: Command) => {
      const [memberId, account] = [parseId(id, "member id"), parseAddress(address, "account")];
      return run(cmd, (l) => l.members.addAccount(memberId, account));
    });

  action("remove-account", "stop an account acting for a member")
    .argument("<memberId>")
    .argument("<address>")
    .action((id: string, address: string, _o, cmd: Command) => {
      const [memberId, account] = [parseId(id, "member id"), parseAddress(address, "account")];
      return run(cmd, (l) => l.members.removeAccount(memberId, account));
    });

  action("unpause", "resume a module a guardian paused")
    .argument("<module>")
    .action((module: string, _o, cmd: Command) => {
      const m = parseModule(module);
      return run(cmd, (l) => l.unpause(m));
    });

  action("upgrade", "upgrade a suite contract to a deployed implementation (waits the upgrade delay)")
    .argument("<contractName>", "deployment name, e.g. MemberRegistry")
    .argument("<implementation>", "address of the new implementation")
    .action((name: string, address: string, _o, cmd: Command) => {
      const implementation = parseAddress(address, "implementation address");
      return run(cmd, (l) => l.upgrade(name, implementation));
    });

  action("register-topic", "register a claim topic (credential schema) in the trusted-issuers registry")
    .argument("<name>", 'public name of the topic, e.g. "high-tech enterprise"')
    .requiredOption("--schema-hash <hash>", "32-byte hash of the schema document")
    .action((name: string, o: { schemaHash: string }, cmd: Command) => {
      if (name.trim() === "") throw new CliError("the topic name is empty: give its public name");
      const schemaHash = parseHash(o.schemaHash, "schema hash");
      return run(cmd, (l) => l.identity.registerTopic(name, schemaHash));
    });

  action("accredit-issuer", "trust an issuer DID for a claim topic until a time")
    .argument("<issuer>", "issuer DID (did:govledger:<chainId>:<id> or id)")
    .argument("<topic>", "topic id")
    .option("--until <time>", 'ISO date, unix seconds or "never"', "never")
    .action((issuer: string, topic: string, o: { until: string }, cmd: Command) => {
      const inputs = {
        issuer: parseDidRef(issuer, deploymentOf(cli.options(cmd), cli.io).chainId, "issuer DID"),
        topic: parseId(topic, "topic id"),
        until: parseTime(o.until, "accreditation end"),
      };
      return run(cmd, (l) => l.identity.accreditIssuer(inputs.issuer, inputs.topic, inputs.until));
    });

  action("withdraw-accreditation", "stop trusting an issuer DID for a topic (its claims stop counting)")
    .argument("<issuer>", "issuer DID (did:govledger:<chainId>:<id> or id)")
    .argument("<topic>", "topic id")
    .action((issuer: string, topic: string, _o, cmd: Command) => {
      const inputs = {
        issuer: parseDidRef(issuer, deploymentOf(cli.options(cmd), cli.io).chainId, "issuer DID"),
        topic: parseId(topic, "topic id"),
      };
      return run(cmd, (l) => l.identity.withdrawAccreditation(inputs.issuer, inputs.topic));
    });

  action("add-councillor", "seat an account on the council (waits the governance delay)")
    .argument("<address>")
    .action((address: string, _o, cmd: Command) => {
      const account = parseAddress(address, "councillor address");
      return run(cmd, (l) => l.council.addCouncillor(account));
    });

  action("remove-councillor", "unseat a councillor (waits the governance delay)")
    .argument("<address>")
    .action((address: string, _o, cmd: Command) => {
      const account = parseAddress(address, "councillor address");
      return run(cmd, (l) => l.council.removeCouncillor(account));
    });

  action("set-threshold", "change how many approvals a proposal needs (waits the governance delay)")
    .argument("<k>")
    .action((k: string, _o, cmd: Command) => {
      const threshold = parseId(k, "threshold");
      return run(cmd, (l) => l.council.setThreshold(threshold));
    });
}

async function proposeCall(cli: Cli, cmd: Command, build: Builder): Promise<void> {
  return cli.write(cmd, async ({ ledger }) => {
    const call = build(ledger);
    const { transactionHash, result } = await submit(ledger.council.propose(call));
    const { threshold } = await ledger.council.status();
    const next = result.queued
      ? queuedLines(result.queued)
      : [`pending: needs ${threshold} approvals; councillors approve with \`govledger council approve ${result.id}\``];
    cli.emit(
      cmd,
      {
        id: result.id,
        description: call.description,
        target: call.target,
        queued: result.queued ?? null,
        transactionHash,
      },
      [`proposed ${result.id}: ${call.description}`, ...next, `tx ${transactionHash}`],
    );
  });
}
