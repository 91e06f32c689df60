import type { Command } from "commander";
import type { TransactionStatus } from "../../sdk";
import type { Cli } from "../cli";
import { CliError } from "../errors";
import { fields } from "../format";
import { parseAddress, parseHash } from "../parse";

/** `tx status`: where a transaction whose outcome is in doubt stands (a read, no key). */
export function txCommand(program: Command, cli: Cli): void {
  const tx = program.command("tx").description("check transactions whose outcome is in doubt (a receipt timeout)");

  tx.command("status")
    .description(
      "say whether a transaction is mined, pending, dropped (its nonce unused: safe to send again) or replaced (it will never land)",
    )
    .argument("<hash>", "transaction hash, as a failed command printed it")
    .option("--from <address>", "its sender, to tell dropped from replaced when the node does not know the hash")
    .option("--nonce <n>", "its nonce, with --from")
    .action((input: string, opts: { from?: string; nonce?: string }, cmd: Command) => {
      const hash = parseHash(input, "transaction hash");
      const from = opts.from === undefined ? undefined : parseAddress(opts.from, "--from");
      if ((opts.from === undefined) !== (opts.nonce === undefined))
        throw new CliError("give --from and --nonce together");
      if (opts.nonce !== undefined && !/^\d+$/.test(opts.nonce.trim())) {
        throw new CliError(`--nonce "${opts.nonce}" is not valid: expected a whole number such as 7`);
      }
      const nonce = opts.nonce === undefined ? undefined : Number(opts.nonce.trim());
      return cli.read(cmd, async ({ ledger }) => {
        const status = await ledger.transactions.status({ hash, from, nonce });
        cli.emit(cmd, statusJson(status), statusLines(status));
      });
    });
}

function statusJson(s: TransactionStatus): unknown {
  const { receipt, ...rest } = s;
  return receipt ? { ...rest, blockNumber: receipt.blockNumber } : rest;
}

function statusLines(s: TransactionStatus): string[] {
  const pairs: [string, string][] = [["state", s.state]];
  if (s.hash) pairs.push(["hash", s.hash]);
  if (s.from) pairs.push(["from", s.from]);
  if (s.nonce !== undefined) pairs.push(["nonce", String(s.nonce)]);
  if (s.receipt) pairs.push(["block", String(s.receipt.blockNumber)], ["reverted", String(s.reverted)]);
  if (s.confirmedNonce !== undefined) pairs.push(["mined nonce", String(s.confirmedNonce)]);
  return [...fields(pairs), s.says];
}
