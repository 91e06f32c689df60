import type { Command } from "commander";
import { SigningKey, Wallet, type Signer } from "ethers";
import {
  formatAmount,
  formatDid,
  type Credit,
  type EscrowClient,
  type EscrowView,
  type MilestoneInput,
  type MilestoneResult,
  type TokenInfo,
  type Call,
} from "../../sdk";
import { submit, type Cli } from "../cli";
import { deploymentOf, type Session } from "../connect";
import { CliError } from "../errors";
import { fields, isoTime, table, toJson } from "../format";
import { checked, hashInput, parseAddress, parseCaseRef, parseDidRef, parseId, parseTime } from "../parse";
import { tradeContractCommands } from "./trade-contracts";
import { tradeMarketCommands } from "./trade-market";

/** What a write command builds once connected; inputs were validated before. */
type Build<T> = (escrow: EscrowClient, s: Session) => Call<T> | Promise<Call<T>>;

interface ActingFlags {
  as?: string;
}

interface OpenFlags {
  token?: string;
  deal?: string;
  dealHash?: string;
  dealFile?: string;
  buyer: string;
  seller: string;
  broker?: string;
  centreFee: string;
  brokerFee: string;
  inventorShare: string;
  holder: string[];
  inventor?: string[];
  milestone: string[];
}

/**
 * `trade …`: the settlement escrow of a confirmed deal. A trading centre opens it; the buyer funds
 * each milestone (approve or EIP-2612 permit); the buyer or the centre confirms it, splitting it into
 * balances; the buyer reclaims it after its due time; either side disputes it, an arbitrator rules
 * or both sides settle; each party withdraws its balance. Milestones are numbered from 1, amounts are
 * in the currency's units with its decimals ("300000.00"). Inputs are checked before anything is
 * sent; writes are dry-run, so a refusal prints its decoded reason.
 */
export function tradeCommand(program: Command, cli: Cli): void {
  const trade = program
    .command("trade")
    .description(
      "licence trading: the market (list, publish, offers, auctions, deals), the settlement escrow, the licence register and technology contracts",
    );
  const chainId = (cmd: Command) => deploymentOf(cli.options(cmd), cli.io).chainId;
  const did = (cmd: Command, input: string, what = "DID") => parseDidRef(input, chainId(cmd), what);
  const didText = (cmd: Command, id: bigint) => formatDid(chainId(cmd), id);
  const write = <T>(
    cmd: Command,
    build: Build<T>,
    describe: (r: T, escrow: EscrowClient) => Promise<{ json: unknown; lines: string[] }>,
  ) =>
    cli.write(cmd, async (s) => {
      const escrow = s.ledger.escrow;
      const { transactionHash, result } = await submit(await build(escrow, s));
      const { json, lines } = await describe(result, escrow);
      cli.emit(cmd, { ...(json as object), transactionHash }, [...lines, `tx ${transactionHash}`]);
    });
  const creditsJson = (cmd: Command, credits: Credit[]) =>
    credits.map((c) => ({ did: didText(cmd, c.did), amount: c.amount }));
  const creditLines = (cmd: Command, credits: Credit[], token: TokenInfo) =>
    credits.map((c) => `  ${didText(cmd, c.did)} +${formatAmount(c.amount, token.decimals)}`);
  const stepJson = (cmd: Command, r: MilestoneResult) => ({
    ...r,
    actor: didText(cmd, r.actor),
    credits: creditsJson(cmd, r.credits),
  });

  trade
    .command("open")
    .description("open the escrow of a confirmed deal (trading centres; your key's DID is the centre)")
    .option("--token <address>", "the settlement token (default: the deployment's stand-in currency)")
    .option("--deal <text>", "the deal confirmation (成交确认书), hashed with keccak256")
    .option("--deal-hash <hash>", "32-byte hash of the deal confirmation")
    .option("--deal-file <file>", "the deal confirmation document, hashed with keccak256")
    .requiredOption("--buyer <did>", "the buyer (licensee)")
    .requiredOption("--seller <did>", "the seller side (the lister): it may dispute and sign settlements")
    .option("--broker <did>", "the broker, if any")
    .option("--centre-fee <bps>", "the centre's fee, in basis points of each release", "0")
    .option("--broker-fee <bps>", "the broker's commission, in basis points of each release", "0")
    .option("--inventor-share <bps>", "the inventors' reward share, in basis points (at least the floor)", "0")
    .requiredOption("--holder <did:bps...>", "the income-right holders and their shares, summing to 10000")
    .option("--inventor <did...>", "the inventors (the first gets the rounding dust)")
    .requiredOption("--milestone <amount@due...>", "the payments in order, e.g. 300000.00@2026-12-31")
    .action((o: OpenFlags, cmd: Command) => {
      const dealRef = hashInput(
        { hash: o.dealHash, text: o.deal, file: o.dealFile },
        "deal reference",
        "--deal, --deal-hash or --deal-file",
        cli.io.cwd,
      );
      if (dealRef === undefined) throw new CliError("missing deal reference: pass --deal, --deal-hash or --deal-file");
      const terms = {
        ...(o.token === undefined ? {} : { token: parseAddress(o.token, "--token") }),
        dealRef,
        buyer: did(cmd, o.buyer, "--buyer"),
        seller: did(cmd, o.seller, "--seller"),
        ...(o.broker === undefined ? {} : { broker: did(cmd, o.broker, "--broker") }),
        centreFeeBps: wholeNumber(o.centreFee, "--centre-fee"),
        brokerBps: wholeNumber(o.brokerFee, "--broker-fee"),
        inventorBps: wholeNumber(o.inventorShare, "--inventor-share"),
        holders: o.holder.map((h) => shareOf(h, chainId(cmd))),
        inventors: (o.inventor ?? []).map((i) => did(cmd, i, "--inventor")),
        milestones: o.milestone.map(parseMilestone),
      };
      return write(
        cmd,
        (e) => checked(() => e.open(terms)),
        async (r, e) => {
          const token = await e.tokenInfo(r.token);
          const amount = (units: bigint) => formatAmount(units, token.decimals);
          return {
            json: {
              ...r,
              centre: didText(cmd, r.centre),
              buyer: didText(cmd, r.buyer),
              seller: didText(cmd, r.seller),
            },
            lines: [
              `opened escrow ${r.id} for deal ${r.dealRef}: ${amount(r.total)} ${token.symbol} in ${r.milestones.length} milestones`,
              ...r.milestones.map((m) => `milestone ${m.number}  ${amount(m.amount)} due ${isoTime(m.due)}`),
            ],
          };
        },
      );
    });

  trade
    .command("show")
    .description("show an escrow: token, parties, split, payees, and each milestone with its status")
    .argument("<id>", "the escrow id")
    .action((input: string, _o, cmd: Command) => {
      const id = parseId(input, "escrow id");
      return cli.read(cmd, async (s) => {
        const v = await s.ledger.escrow.show(id);
        const d = (x: bigint) => didText(cmd, x);
        cli.emit(cmd, viewJson(v, d), viewLines(v, d));
      });
    });

  milestoneCommand(trade, "fund", "fund a milestone as the buyer, from your key's tokens (approve or permit)")
    .option("--approve", "approve the escrow for the milestone's amount first (a second transaction)", false)
    .option("--permit", "sign an EIP-2612 permit instead of approving (one transaction)", false)
    .option("--permit-deadline <time>", "until when the permit may be used (default: one hour)")
    .action(
      (
        idInput: string,
        n: string,
        o: ActingFlags & { approve: boolean; permit: boolean; permitDeadline?: string },
        cmd: Command,
      ) => {
        const [id, milestone] = [parseId(idInput, "escrow id"), milestoneOf(n)];
        if (o.approve && o.permit) throw new CliError("--approve and --permit exclude each other: choose one");
        const deadline = o.permitDeadline === undefined ? undefined : parseTime(o.permitDeadline, "--permit-deadline");
        let approval: string | undefined;
        return write(
          cmd,
          async (e, s) => {
            const asDid = await actingDid(cmd, s, o, cli);
            if (o.permit) return e.fundWithPermit(id, milestone, asDid, { deadline });
            if (o.approve) approval = (await submit(e.approveFunding(id, milestone))).transactionHash;
            return e.fund(id, milestone, asDid);
          },
          async (r, e) => {
            const token = await e.tokenInfo(r.token);
            return {
              json: { ...stepJson(cmd, r), ...(approval ? { approvalTransactionHash: approval } : {}) },
              lines: [
                ...(approval
                  ? [`approved the escrow for ${formatAmount(r.amount, token.decimals)} (tx ${approval})`]
                  : []),
                `funded milestone ${r.milestone} of escrow ${r.id} with ${formatAmount(r.amount, token.decimals)} ${token.symbol} (${didText(cmd, r.actor)})`,
              ],
            };
          },
        );
      },
    );

  for (const [name, description, verb] of [
    ["confirm", "confirm a funded milestone as the buyer or the centre: its amount is split into balances", "released"],
    ["reclaim", "reclaim a funded milestone as the buyer, after its due time", "reclaimed"],
  ] as const) {
    milestoneCommand(trade, name, description).action((idInput: string, n: string, o: ActingFlags, cmd: Command) => {
      const [id, milestone] = [parseId(idInput, "escrow id"), milestoneOf(n)];
      return write(
        cmd,
        async (e, s) => {
          const asDid = await actingDid(cmd, s, o, cli);
          return name === "confirm" ? e.confirm(id, milestone, asDid) : e.reclaim(id, milestone, asDid);
        },
        async (r, e) => {
          const token = await e.tokenInfo(r.token);
          return {
            json: stepJson(cmd, r),
            lines: [
              `${verb} milestone ${r.milestone} of escrow ${r.id}: ${formatAmount(r.amount, token.decimals)} ${token.symbol} credited to ${r.credits.length} balance${r.credits.length === 1 ? "" : "s"}`,
              ...creditLines(cmd, r.credits, token),
            ],
          };
        },
      );
    });
  }

  milestoneCommand(trade, "dispute", "dispute a funded milestone as the buyer or the seller: it is frozen")
    .option("--reason <text>", "the reason, hashed with keccak256")
    .option("--reason-hash <hash>", "32-byte hash of the reason")
    .action((idInput: string, n: string, o: ActingFlags & { reason?: string; reasonHash?: string }, cmd: Command) => {
      const [id, milestone] = [parseId(idInput, "escrow id"), milestoneOf(n)];
      const reason = hashInput(
        { hash: o.reasonHash, text: o.reason },
        "reason",
        "--reason or --reason-hash",
        cli.io.cwd,
      );
      if (reason === undefined) throw new CliError("missing reason: pass --reason <text> or --reason-hash <hash>");
      return write(
        cmd,
        async (e, s) => e.dispute(id, milestone, await actingDid(cmd, s, o, cli), reason),
        async (r) => ({
          json: stepJson(cmd, r),
          lines: [
            `disputed milestone ${r.milestone} of escrow ${r.id} (${didText(cmd, r.actor)}): frozen until a ruling or a settlement`,
          ],
        }),
      );
    });

  trade
    .command("rule")
    .description("split a disputed milestone by ruling (arbitrators): an amount back to the buyer, the rest released")
    .argument("<id>", "the escrow id")
    .argument("<milestone>", "the milestone, numbered from 1")
    .requiredOption("--to-buyer <amount>", "what goes back to the buyer, e.g. 100000.00")
    .option("--case <text>", "the case number, hashed with keccak256")
    .option("--case-hash <hash>", "32-byte hash of the case reference")
    .action((idInput: string, n: string, o: { toBuyer: string; case?: string; caseHash?: string }, cmd: Command) => {
      const [id, milestone] = [parseId(idInput, "escrow id"), milestoneOf(n)];
      const caseRef = parseCaseRef(o, cli.io.cwd);
      return write(
        cmd,
        (e) => checked(() => e.rule(id, milestone, o.toBuyer, caseRef)),
        async (r, e) => resolution(r, await e.tokenInfo(r.token), "ruled", (d) => didText(cmd, d)),
      );
    });

  trade
    .command("settle")
    .description("split a disputed milestone as both sides agree: their keys sign the settlement here, yours sends it")
    .argument("<id>", "the escrow id")
    .argument("<milestone>", "the milestone, numbered from 1")
    .requiredOption("--to-buyer <amount>", "what goes back to the buyer, e.g. 150000.00")
    .option("--deadline <time>", "until when the signatures may be used (default: one day)")
    .option("--buyer-key-env <VAR>", "variable holding the key that signs for the buyer (default: yours)")
    .option("--seller-key-env <VAR>", "variable holding the key that signs for the seller (default: yours)")
    .action(
      (
        idInput: string,
        n: string,
        o: { toBuyer: string; deadline?: string; buyerKeyEnv?: string; sellerKeyEnv?: string },
        cmd: Command,
      ) => {
        const [id, milestone] = [parseId(idInput, "escrow id"), milestoneOf(n)];
        const deadline = o.deadline === undefined ? undefined : parseTime(o.deadline, "--deadline");
        const keys = [o.buyerKeyEnv, o.sellerKeyEnv].map((v) => (v === undefined ? undefined : keyOf(v, cli)));
        return write(
          cmd,
          async (e, s) => {
            const [buyer, seller] = keys.map((k): Signer => (k ? new Wallet(k, s.signer!.provider) : s.signer!));
            const settlement = await e.buildSettlement({ id, milestone, toBuyer: o.toBuyer, deadline });
            return e.settle(settlement, buyer, seller);
          },
          async (r, e) => resolution(r, await e.tokenInfo(r.token), "settled", (d) => didText(cmd, d)),
        );
      },
    );

  trade
    .command("withdraw")
    .description("withdraw a DID's whole balance of a token from the escrow")
    .option("--as <did>", "the DID whose balance you withdraw (default: your key's DID)")
    .option("--token <address>", "the token (default: the one the DID has a balance of)")
    .option("--to <address>", "where to pay it (default: your account)")
    .action((o: ActingFlags & { token?: string; to?: string }, cmd: Command) => {
      const token = o.token === undefined ? undefined : parseAddress(o.token, "--token");
      const to = o.to === undefined ? undefined : parseAddress(o.to, "--to");
      return write(
        cmd,
        async (e, s) => e.withdraw(await actingDid(cmd, s, o, cli), { token, to }),
        async (r, e) => {
          const info = await e.tokenInfo(r.token);
          return {
            json: { ...r, did: didText(cmd, r.did) },
            lines: [
              `withdrew ${formatAmount(r.amount, info.decimals)} ${info.symbol} of ${didText(cmd, r.did)} to ${r.to}`,
            ],
          };
        },
      );
    });

  trade
    .command("reassign")
    .description("move a deactivated DID's balance to its successor, by order of a case (arbitrators)")
    .argument("<from>", "the deactivated DID")
    .argument("<to>", "the successor's active DID")
    .option("--token <address>", "the token (default: the one the DID has a balance of)")
    .option("--case <text>", "the case number, hashed with keccak256")
    .option("--case-hash <hash>", "32-byte hash of the case reference")
    .action(
      (fromInput: string, toInput: string, o: { token?: string; case?: string; caseHash?: string }, cmd: Command) => {
        const [from, to] = [did(cmd, fromInput, "<from>"), did(cmd, toInput, "<to>")];
        const token = o.token === undefined ? undefined : parseAddress(o.token, "--token");
        const caseRef = parseCaseRef(o, cli.io.cwd);
        return write(
          cmd,
          (e) => checked(() => e.reassignBalance(from, to, caseRef, { token })),
          async (r, e) => {
            const info = await e.tokenInfo(r.token);
            return {
              json: { ...r, from: didText(cmd, r.from), to: didText(cmd, r.to), actor: didText(cmd, r.actor) },
              lines: [
                `moved ${formatAmount(r.amount, info.decimals)} ${info.symbol} of ${didText(cmd, r.from)} to ${didText(cmd, r.to)} (case ${r.caseRef})`,
              ],
            };
          },
        );
      },
    );

  trade
    .command("licence-check")
    .description("is a DID licensed for an achievement, in a field and territory, at a time? (exit 0: yes, 1: no)")
    .argument("<achievement>", "the achievement's 12-digit registration number")
    .argument("<licensee>", "the licensee's DID")
    .option("--field <code>", "field code (default 0: any licence of every field)", "0")
    .option("--territory <code>", "territory code (default 0: a licence of everywhere)", "0")
    .option("--at <time>", "when (ISO date or unix seconds; default now)")
    .action((number: string, licensee: string, o: { field: string; territory: string; at?: string }, cmd: Command) => {
      const achievement = parseId(number, "achievement");
      const d = did(cmd, licensee, "<licensee>");
      const field = parseCode(o.field, "--field");
      const territory = parseCode(o.territory, "--territory");
      const at = o.at === undefined ? undefined : parseTime(o.at, "--at");
      return cli.read(cmd, async (s) => {
        const licensed = await s.ledger.licences.isLicensed(d, achievement, {
          field,
          territory,
          ...(at === undefined ? {} : { at }),
        });
        const where = `field ${field}, territory ${territory}${at === undefined ? ", now" : `, at ${at}`}`;
        cli.emit(cmd, { achievement, licensee: didText(cmd, d), field, territory, at: at ?? null, licensed }, [
          `${didText(cmd, d)} is ${licensed ? "" : "not "}licensed for ${achievement} (${where})`,
        ]);
        if (!licensed) cli.exitCode = 1;
      });
    });

  trade
    .command("balance")
    .description("what a DID may withdraw from the escrow, per settlement token")
    .argument("[did]", "the DID (default: your key's DID)")
    .action((input: string | undefined, _o, cmd: Command) => {
      const given = input === undefined ? undefined : did(cmd, input);
      const run = async (s: Session, d: bigint) => {
        const balances = await s.ledger.escrow.balances(d);
        cli.emit(cmd, { did: didText(cmd, d), balances }, [
          `balances of ${didText(cmd, d)}`,
          ...table(
            ["TOKEN", "ADDRESS", "BALANCE"],
            balances.map((b) => [b.token.symbol, b.token.address, formatAmount(b.amount, b.token.decimals)]),
          ),
        ]);
      };
      return given === undefined
        ? cli.write(cmd, async (s) => run(s, await actingDid(cmd, s, {}, cli)))
        : cli.read(cmd, (s) => run(s, given));
    });

  tradeContractCommands(trade, cli);
  tradeMarketCommands(trade, cli);
}

/** A command on one milestone: `<id> <milestone>` and `--as`. */
function milestoneCommand(trade: Command, name: string, description: string): Command {
  return trade
    .command(name)
    .description(description)
    .argument("<id>", "the escrow id")
    .argument("<milestone>", "the milestone, numbered from 1")
    .option("--as <did>", "the DID you act for (default: your key's DID)");
}

/** What a ruling or a settlement did: the buyer's part, the part released and the balances credited. */
function resolution(
  r: MilestoneResult & { toBuyer: bigint; released: bigint; caseRef: string },
  token: TokenInfo,
  verb: string,
  did: (id: bigint) => string,
): { json: unknown; lines: string[] } {
  const amount = (units: bigint) => formatAmount(units, token.decimals);
  return {
    json: { ...r, actor: did(r.actor), credits: r.credits.map((c) => ({ did: did(c.did), amount: c.amount })) },
    lines: [
      `${verb} milestone ${r.milestone} of escrow ${r.id}: ${amount(r.toBuyer)} ${token.symbol} back to the buyer, ${amount(r.released)} released`,
      ...r.credits.map((c) => `  ${did(c.did)} +${amount(c.amount)}`),
    ],
  };
}

/** The DID the signer acts for: --as, or the DID its key belongs to. */
async function actingDid(cmd: Command, s: Session, o: ActingFlags, cli: Cli): Promise<bigint> {
  const chainId = deploymentOf(cli.options(cmd), cli.io).chainId;
  if (o.as !== undefined) return parseDidRef(o.as, chainId, "--as");
  const signer = await s.signer!.getAddress();
  const own = await s.ledger.identity.didOf(signer);
  if (!own) throw new CliError(`${signer} is not a key of any DID: pass --as <did> (a DID it acts for)`);
  return own.id;
}

/** The private key in environment variable `variable`, for a party who signs here. */
function keyOf(variable: string, cli: Cli): string {
  const raw = cli.io.env[variable]?.trim();
  if (!raw) throw new CliError(`no signing key in ${variable}: set it in .env, or leave out the flag naming it`);
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? `0x${raw}` : raw;
  try {
    if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error("not 32 bytes of hex");
    new SigningKey(key);
  } catch {
    throw new CliError(`${variable} does not hold a valid private key: expected 0x followed by 64 hex digits`);
  }
  return key;
}

/** `<amount>@<due>`, e.g. 300000.00@2026-12-31. */
function parseMilestone(input: string): MilestoneInput {
  const at = input.indexOf("@");
  if (at <= 0) {
    throw new CliError(`--milestone "${input}" is not valid: expected <amount>@<due>, e.g. 300000.00@2026-12-31`);
  }
  return { amount: input.slice(0, at).trim(), due: parseTime(input.slice(at + 1), `--milestone "${input}" due time`) };
}

function milestoneOf(input: string): number {
  const n = parseId(input, "milestone");
  if (n > 12n) throw new CliError(`milestone "${input}" is not valid: milestones are numbered from 1 to 12`);
  return Number(n);
}

function wholeNumber(input: string, flag: string): number {
  if (!/^\d+$/.test(input.trim())) throw new CliError(`${flag} "${input}" is not valid: expected a whole number`);
  return Number(input.trim());
}

/** `<did>:<bps>`, the DID as an id or did:govledger:<chain>:<id>. */
function shareOf(input: string, chainId: bigint): { did: bigint; bps: number } {
  const at = input.lastIndexOf(":");
  const bps = input.slice(at + 1).trim();
  if (at <= 0 || !/^\d+$/.test(bps)) {
    throw new CliError(`--holder "${input}" is not valid: expected <did>:<bps>, e.g. did:govledger:${chainId}:5:7000`);
  }
  return { did: parseDidRef(input.slice(0, at), chainId, "--holder"), bps: Number(bps) };
}

function viewJson(v: EscrowView, did: (id: bigint) => string): unknown {
  return toJson({
    ...v,
    buyer: did(v.buyer),
    seller: did(v.seller),
    centre: did(v.centre),
    broker: v.broker === undefined ? null : did(v.broker),
    holders: v.holders.map((h) => ({ did: did(h.did), bps: h.bps })),
    inventors: v.inventors.map(did),
  });
}

function viewLines(v: EscrowView, did: (id: bigint) => string): string[] {
  const amount = (units: bigint) => formatAmount(units, v.token.decimals);
  return fields([
    ["escrow", v.id.toString()],
    ["deal", v.dealRef],
    ["token", `${v.token.symbol} ${v.token.address}`],
    ["buyer", did(v.buyer)],
    ["seller", did(v.seller)],
    ["centre", did(v.centre)],
    ["broker", v.broker === undefined ? "-" : did(v.broker)],
    ["split", `centre fee ${v.centreFeeBps} bps, broker ${v.brokerBps} bps, inventors ${v.inventorBps} bps`],
    ["holders", v.holders.map((h) => `${did(h.did)} ${h.bps} bps`).join(", ")],
    ["inventors", v.inventors.map(did).join(", ") || "-"],
    ...v.milestones.map((m): [string, string] => [
      `milestone ${m.number}`,
      `${amount(m.amount)} due ${isoTime(m.due)} ${m.status}`,
    ]),
    ["total", `${amount(v.total)} ${v.token.symbol}`],
    ["held", `${amount(v.held)} ${v.token.symbol}`],
  ]);
}

/** A field or territory code: 0 (all) to 2^32-1. */
function parseCode(input: string, what: string): bigint {
  const text = input.trim();
  if (!/^\d+$/.test(text) || BigInt(text) >= 2n ** 32n) {
    throw new CliError(`${what} "${input}" is not valid: expected a code from 0 (all) to 4294967295`);
  }
  return BigInt(text);
}
