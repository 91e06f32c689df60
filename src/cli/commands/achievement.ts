import { existsSync, readFileSync } from "fs";
import path from "path";
import type { Command } from "commander";
import { SigningKey, Wallet } from "ethers";
import {
  formatDid,
  registrationNumberProblem,
  type AchievementClient,
  type AchievementEvent,
  type AchievementRegistration,
  type AchievementView,
  type Call,
  type ConsentOptions,
  type HoldingInput,
  type HoldingView,
} from "../../sdk";
import { submit, type Cli } from "../cli";
import { deploymentOf, type GlobalOptions, type Session } from "../connect";
import { CliError } from "../errors";
import { fields, isoTime, show as showValue, table, toJson } from "../format";
import { checked, hashInput, parseAddress, parseDidRef, parseCaseRef, parseTime } from "../parse";

/** What a write command builds once connected; inputs were validated before. */
type Build<T> = (achievement: AchievementClient, s: Session) => Call<T> | Promise<Call<T>>;

interface AchievementOptions extends GlobalOptions {
  blockRange?: string;
}

interface ConsentFlags {
  as?: string;
  signKeyEnv?: string[];
}

interface ChangeFlags extends ConsentFlags {
  right: string;
  to: string[];
  until?: string;
  holder?: string;
  deadline?: string;
}

interface RegisterFlags {
  number?: string;
  kind?: string;
  classification?: string;
  secrecy?: string;
  metadataHash?: string;
  metadata?: string;
  metadataFile?: string;
  metadataUri?: string;
  externalId?: string[];
  owner?: string[];
  inventor?: string[];
  holder?: string;
  name?: string;
  firstOrganisation?: string;
  recommender?: string;
  researchStart?: string;
  researchEnd?: string;
  field?: string;
  form?: string;
  stage?: string;
  keyword?: string[];
}

const REGISTRATION_FILE_HELP = `
The registration file is JSON:
  {
    "registrationNumber": "312026200001",        12 digits: region, year, type, serial
    "kind": "patent",                            patent, software-copyright, integrated-circuit-layout,
                                                 plant-variety, technical-secret, standard, other
    "classification": "applied-research",        basic-research, applied-research,
                                                 technology-development, industrialisation
    "secrecy": "open",                           open (default), secret, confidential, top-secret
    "metadata": "0x…",                           keccak256 of the form and its attachments
    "metadataURI": "ipfs://…",
    "externalIds": ["0x…"],                      hashes of patent numbers etc.
    "owners": ["did:govledger:31337:5:6000", "6:4000"],   <did>:<bps>, or {"did": …, "bps": …}; sum 10000
    "inventors": ["did:govledger:31337:7"],
    "holder": "0x…",                             an account acting for the first owner
    "form": { "name": "…", "firstOrganisation": "5", "recommender": "2",
              "researchStart": "2023-11-01", "researchEnd": "2025-10-01",
              "field": 48020, "form": 1, "stage": 2, "keywords": ["battery", "electrolyte"] }
  }`;

/**
 * `achievement …`: register technology achievements (科技成果登记), grant and transfer their rights
 * with every party's consent, evaluate, pledge and release, freeze, and read them and their history.
 * Inputs are checked before anything is sent; writes are dry-run, so a refusal prints its decoded reason.
 */
export function achievementCommand(program: Command, cli: Cli): void {
  const achievement = program
    .command("achievement")
    .description("technology achievements (科技成果登记): register, rights, evaluations, pledges, freezes, history")
    .option("--relay", "relay writes through the GovForwarder: the signer needs no funds, the relayer pays", false)
    .option(
      "--relayer-key-env <VAR>",
      "environment variable holding the relayer's private key",
      "GOVLEDGER_RELAYER_KEY",
    )
    .option("--block-range <n>", "most blocks one log query may span (history, by-owner, by-status)", "10000");
  const chainId = (cmd: Command) => deploymentOf(cli.options(cmd), cli.io).chainId;
  const did = (cmd: Command, input: string, what = "DID") => parseDidRef(input, chainId(cmd), what);
  const didText = (cmd: Command, id: bigint) => formatDid(chainId(cmd), id);
  const shares = (cmd: Command, list: string[], what: string) => list.map((s) => parseShare(s, chainId(cmd), what));
  const client = (cmd: Command, s: Session) => achievementOf(s, cmd, cli);
  const write = <T>(cmd: Command, build: Build<T>, describe: (r: T) => { json: unknown; lines: string[] }) =>
    cli.write(cmd, async (s) => {
      const { transactionHash, result } = await submit(await build(client(cmd, s), s));
      const { json, lines } = describe(result);
      cli.emit(cmd, { ...(json as object), transactionHash }, [...lines, `tx ${transactionHash}`]);
    });
  const holdingsJson = (cmd: Command, list: HoldingView[]) =>
    list.map((h) => ({ did: didText(cmd, h.did), bps: h.bps }));

  registrationOptions(
    achievement
      .command("register")
      .description("register an achievement from a registration file or from flags (registrar agencies)")
      .argument("[file]", "the registration as JSON (see below)")
      .addHelpText("after", REGISTRATION_FILE_HELP),
  ).action((file: string | undefined, o: RegisterFlags, cmd: Command) => {
    const id = chainId(cmd);
    const r = file === undefined ? registrationFromFlags(o, id, cli) : registrationFromFile(file, o, id, cli);
    return write(
      cmd,
      (a) => checked(() => a.register(r)),
      (res) => ({
        json: { ...res, owners: holdingsJson(cmd, res.owners), registrar: didText(cmd, res.registrar) },
        lines: [
          `registered achievement ${res.registrationNumber} in block ${res.blockNumber}`,
          `owners ${res.owners.map((h) => `${didText(cmd, h.did)} ${h.bps} bps`).join(", ")}`,
        ],
      }),
    );
  });

  achievement
    .command("show")
    .description("show an achievement: state, locks, the four rights, inventors, evaluations, pledge, form")
    .argument("<number>", "the 12-digit registration number")
    .action((input: string, _o, cmd: Command) => {
      const id = registrationNumber(input);
      return cli.read(cmd, async (s) => {
        const v = await client(cmd, s).show(id);
        cli.emit(
          cmd,
          viewJson(v, (d) => didText(cmd, d)),
          viewLines(v, (d) => didText(cmd, d)),
        );
      });
    });

  achievement
    .command("history")
    .description("every event of an achievement, in block order, with the DID that acted")
    .argument("<number>", "the 12-digit registration number")
    .action((input: string, _o, cmd: Command) => {
      const id = registrationNumber(input);
      return cli.read(cmd, async (s) => {
        const events = await client(cmd, s).history(id);
        const actor = (e: AchievementEvent) => (e.actor === undefined ? "-" : didText(cmd, e.actor));
        const rows = events.map((e) => [String(e.blockNumber), e.name, actor(e), eventDetails(e)]);
        cli.emit(
          cmd,
          events.map((e) => ({ ...e, actor: e.actor === undefined ? null : didText(cmd, e.actor) })),
          table(["BLOCK", "EVENT", "ACTOR", "DETAILS"], rows),
        );
      });
    });

  achievement
    .command("by-owner")
    .description("the achievements in which a DID holds a right now, with its shares")
    .argument("<did>")
    .action((input: string, _o, cmd: Command) => {
      const d = did(cmd, input);
      return cli.read(cmd, async (s) => {
        const list = await client(cmd, s).byOwner(d);
        const rows = list.map((x) => [
          x.id.toString(),
          Object.entries(x.shares)
            .map(([r, b]) => `${r} ${b}`)
            .join(", "),
        ]);
        cli.emit(cmd, list, table(["ACHIEVEMENT", "SHARES (BPS)"], rows));
      });
    });

  achievement
    .command("by-status")
    .description("the achievements at a lifecycle stage now: registered, evaluated, listed, licensed, transferred")
    .argument("<status>")
    .action((status: string, _o, cmd: Command) =>
      cli.read(cmd, async (s) => {
        const ids = await client(cmd, s).byStatus(status);
        cli.emit(
          cmd,
          ids,
          ids.map((id) => id.toString()),
        );
      }),
    );

  changeOptions(
    achievement
      .command("grant-right")
      .description("grant a right (ownership, use, disposal, income) to holders until a date (赋权), or for good")
      .argument("<number>"),
  )
    .option("--holder <address>", "a permanent ownership change: the account the token moves to")
    .action((input: string, o: ChangeFlags, cmd: Command) => {
      const change = { id: registrationNumber(input), ...changeInput(o, shares(cmd, o.to, "--to")) };
      return write(
        cmd,
        async (a, s) => a.grantRight({ ...change, ...(await consents(cmd, s, o, cli)) }),
        (r) => ({
          json: { ...r, holdings: holdingsJson(cmd, r.holdings), actor: didText(cmd, r.actor) },
          lines: [
            `${r.right.toLowerCase()} right of ${input} held by ${r.holdings.map((h) => `${didText(cmd, h.did)} ${h.bps} bps`).join(", ")} ${r.until === 0n ? "for good" : `until ${isoTime(r.until)}`}`,
          ],
        }),
      );
    });

  consentOptions(
    achievement
      .command("transfer")
      .description("transfer ownership for good, with every co-owner's and new owner's consent")
      .argument("<number>")
      .requiredOption("--owner <did:bps...>", "the new owners and their shares, summing to 10000")
      .requiredOption("--holder <address>", "the account the token moves to (acting for the first new owner)")
      .option("--deadline <time>", "until when the consents may be used (default: one day)"),
  ).action((input: string, o: ConsentFlags & { owner: string[]; holder: string; deadline?: string }, cmd: Command) => {
    const owners = shares(cmd, o.owner, "--owner");
    const holder = parseAddress(o.holder, "holder");
    const deadline = o.deadline === undefined ? undefined : parseTime(o.deadline, "deadline");
    const id = registrationNumber(input);
    return write(
      cmd,
      async (a, s) => a.transfer({ id, owners, holder, deadline, ...(await consents(cmd, s, o, cli)) }),
      (r) => ({
        json: { ...r, holdings: holdingsJson(cmd, r.holdings), actor: didText(cmd, r.actor) },
        lines: [`transferred ${input} to ${r.holdings.map((h) => `${didText(cmd, h.did)} ${h.bps} bps`).join(", ")}`],
      }),
    );
  });

  changeOptions(
    achievement
      .command("approve")
      .description(
        "approve on chain a change of a right, as a party whose consent it needs (same flags and --deadline as the change)",
      )
      .argument("<number>"),
  )
    .option("--holder <address>", "a permanent ownership change: the account the token moves to")
    .action((input: string, o: ChangeFlags, cmd: Command) => {
      if (o.deadline === undefined) {
        throw new CliError("approve needs --deadline: the change applied later must name the same deadline");
      }
      const change = { id: registrationNumber(input), ...changeInput(o, shares(cmd, o.to, "--to")) };
      return write(
        cmd,
        async (a, s) => {
          const asDid = await actingDid(cmd, s, o, cli);
          return a.approve(await a.buildChange(change), asDid);
        },
        (r) => ({
          json: { ...r, did: didText(cmd, r.did), actor: didText(cmd, r.actor) },
          lines: [`${didText(cmd, r.did)} approved change ${r.actionHash} of ${input}`],
        }),
      );
    });

  consentOptions(
    achievement
      .command("evaluate")
      .description(
        "publish an evaluation as an accredited evaluator (five values 0-100, report, no-conflict declaration)",
      )
      .argument("<number>")
      .requiredOption("--scores <list>", "scientific,technical,economic,social,cultural, e.g. 90,85,70,60,40")
      .option("--suggested-value <amount>", "suggested value, in the minor unit of the settlement currency", "0")
      .requiredOption("--valid-until <time>", "until when the evaluation is valid")
      .option("--report-hash <hash>", "32-byte hash of the evaluation report")
      .option("--report-file <file>", "the evaluation report, hashed with keccak256")
      .option("--declaration-hash <hash>", "32-byte hash of the no-conflict-of-interest declaration")
      .option("--declaration <text>", "the declaration, hashed with keccak256"),
  ).action(
    (
      input: string,
      o: ConsentFlags & {
        scores: string;
        suggestedValue: string;
        validUntil: string;
        reportHash?: string;
        reportFile?: string;
        declarationHash?: string;
        declaration?: string;
      },
      cmd: Command,
    ) => {
      const id = registrationNumber(input);
      const scores = parseScores(o.scores);
      const suggestedValue = parseAmount(o.suggestedValue, "suggested value");
      const validUntil = parseTime(o.validUntil, "valid until");
      const reportHash = required(
        hashInput(
          { hash: o.reportHash, file: o.reportFile },
          "report hash",
          "--report-hash or --report-file",
          cli.io.cwd,
        ),
        "report hash",
        "--report-hash or --report-file",
      );
      const declarationHash = required(
        hashInput(
          { hash: o.declarationHash, text: o.declaration },
          "declaration hash",
          "--declaration-hash or --declaration",
          cli.io.cwd,
        ),
        "declaration hash",
        "--declaration-hash or --declaration",
      );
      return write(
        cmd,
        async (a, s) => {
          const evaluator = await actingDid(cmd, s, o, cli);
          return checked(() =>
            a.evaluate({ id, evaluator, scores, suggestedValue, validUntil, reportHash, declarationHash }),
          );
        },
        (r) => ({
          json: { ...r, evaluator: didText(cmd, r.evaluator) },
          lines: [`evaluation ${r.index} of ${input} by ${didText(cmd, r.evaluator)}: status ${r.status}`],
        }),
      );
    },
  );

  consentOptions(
    achievement
      .command("pledge")
      .description(
        "pledge an achievement to a lender (知识产权质押), with every disposal-right holder's and the lender's consent",
      )
      .argument("<number>")
      .requiredOption("--lender <did>", "the lender (质权人)")
      .requiredOption("--amount <amount>", "amount secured, in the minor unit of the loan's currency")
      .requiredOption("--until <time>", "when the pledge ends")
      .option("--contract-hash <hash>", "32-byte hash of the pledge contract")
      .option("--contract-file <file>", "the pledge contract, hashed with keccak256")
      .option("--deadline <time>", "until when the consents may be used (default: one day)"),
  ).action(
    (
      input: string,
      o: ConsentFlags & {
        lender: string;
        amount: string;
        until: string;
        contractHash?: string;
        contractFile?: string;
        deadline?: string;
      },
      cmd: Command,
    ) => {
      const id = registrationNumber(input);
      const lender = did(cmd, o.lender, "lender");
      const securedAmount = parseAmount(o.amount, "amount");
      const until = parseTime(o.until, "until");
      const deadline = o.deadline === undefined ? undefined : parseTime(o.deadline, "deadline");
      const contractHash = required(
        hashInput(
          { hash: o.contractHash, file: o.contractFile },
          "contract hash",
          "--contract-hash or --contract-file",
          cli.io.cwd,
        ),
        "contract hash",
        "--contract-hash or --contract-file",
      );
      return write(
        cmd,
        async (a, s) =>
          a.pledge({ id, lender, securedAmount, until, contractHash, deadline, ...(await consents(cmd, s, o, cli)) }),
        (r) => ({
          json: { ...r, lender: didText(cmd, r.lender), actor: didText(cmd, r.actor) },
          lines: [
            `pledged ${input} to ${didText(cmd, r.lender)} until ${isoTime(r.until)} (${r.securedAmount} secured)`,
          ],
        }),
      );
    },
  );

  caseOptions(
    achievement
      .command("release")
      .description("release a pledge as its lender (or --by-order, as an arbitrator)")
      .argument("<number>")
      .option("--as <did>", "the lender's DID you act for (default: your key's DID)")
      .option("--by-order", "release by order of an arbitrator or court", false),
  ).action((input: string, o: ConsentFlags & CaseFlags & { byOrder: boolean }, cmd: Command) => {
    const id = registrationNumber(input);
    const caseRef = o.byOrder ? parseCaseRef(o, cli.io.cwd) : undefined;
    return write(
      cmd,
      async (a, s) => (caseRef ? a.releaseByOrder(id, caseRef) : a.release(id, await actingDid(cmd, s, o, cli))),
      (r) => ({
        json: { ...r, actor: didText(cmd, r.actor) },
        lines: [`released the pledge of ${input}${r.byOrder ? " by order" : ""} (${didText(cmd, r.actor)})`],
      }),
    );
  });

  for (const [name, description] of [
    ["enrol-registrar", "enrol an account holding REGISTRAR with an active DID as a registrar (anyone may send it)"],
    ["drop-registrar", "drop a registrar that no longer qualifies (anyone may send it)"],
    ["drop-evaluator", "drop an evaluator account that no longer qualifies (anyone may send it)"],
  ] as const) {
    achievement
      .command(name)
      .description(description)
      .argument("<account>")
      .action((input: string, _o: unknown, cmd: Command) => {
        const account = parseAddress(input, "account");
        return write(
          cmd,
          (a) =>
            name === "enrol-registrar"
              ? a.enrolRegistrar(account)
              : name === "drop-registrar"
                ? a.dropRegistrar(account)
                : a.dropEvaluator(account),
          (r) => ({
            json: { ...r, did: didText(cmd, r.did) },
            lines: [`${name.startsWith("enrol") ? "enrolled" : "dropped"} ${r.account} (${didText(cmd, r.did)})`],
          }),
        );
      });
  }

  achievement
    .command("enrol-evaluator")
    .description("enrol an account acting for an evaluator DID that holds a valid evaluator claim (anyone may send it)")
    .argument("<account>")
    .requiredOption("--evaluator <did>", "the evaluator DID the account acts for")
    .action((input: string, o: { evaluator: string }, cmd: Command) => {
      const account = parseAddress(input, "account");
      const evaluator = did(cmd, o.evaluator, "--evaluator");
      return write(
        cmd,
        (a) => a.enrolEvaluator(account, evaluator),
        (r) => ({
          json: { ...r, did: didText(cmd, r.did) },
          lines: [`enrolled ${r.account} as evaluator ${didText(cmd, r.did)}`],
        }),
      );
    });

  for (const [name, description] of [
    ["freeze", "freeze an achievement for a case (arbitrators, courts)"],
    ["unfreeze", "lift the freeze of an achievement (arbitrators, courts)"],
  ] as const) {
    caseOptions(achievement.command(name).description(description).argument("<number>")).action(
      (input: string, o: CaseFlags, cmd: Command) => {
        const [id, caseRef] = [registrationNumber(input), parseCaseRef(o, cli.io.cwd)];
        return write(
          cmd,
          (a) => (name === "freeze" ? a.freeze(id, caseRef) : a.unfreeze(id, caseRef)),
          (r) => ({
            json: { ...r, actor: didText(cmd, r.actor) },
            lines: [
              `${name === "freeze" ? "froze" : "unfroze"} ${input} (case ${r.caseRef}, ${didText(cmd, r.actor)})`,
            ],
          }),
        );
      },
    );
  }
}

interface CaseFlags {
  case?: string;
  caseHash?: string;
}

/** The achievement client of a session: relayed with --relay, reading logs from the deployment's block. */
function achievementOf(s: Session, cmd: Command, cli: Cli): AchievementClient {
  const o = cli.options(cmd) as AchievementOptions;
  const maxBlockRange = Number(o.blockRange ?? "10000");
  if (!Number.isInteger(maxBlockRange) || maxBlockRange <= 0) {
    throw new CliError(`--block-range "${o.blockRange}" is not valid: expected a positive whole number`);
  }
  const fromBlock = deploymentBlock(o, cli);
  const base = s.ledger.achievement.withScan({ maxBlockRange, ...(fromBlock === undefined ? {} : { fromBlock }) });
  if (!s.relayer) return base;
  if (!s.signer) throw new CliError("--relay needs a signing key");
  return base.relayed(s.signer, s.relayer);
}

/** The block the registry was deployed in, from its hardhat-deploy record's receipt, when recorded. */
function deploymentBlock(o: GlobalOptions, cli: Cli): number | undefined {
  const file = path.resolve(cli.io.cwd, o.deployments ?? ".", "deployments", o.network, "AchievementRegistry.json");
  if (!existsSync(file)) return undefined;
  const block = (JSON.parse(readFileSync(file, "utf8")) as { receipt?: { blockNumber?: number } }).receipt?.blockNumber;
  return typeof block === "number" ? block : undefined;
}

function registrationNumber(input: string): bigint {
  const problem = registrationNumberProblem(input);
  if (problem) throw new CliError(`malformed registration number: ${problem}`);
  return BigInt(input.trim());
}

/** `<did>:<bps>`, the DID as an id or did:govledger:<chain>:<id>. */
function parseShare(input: string, chainId: bigint, what: string): HoldingInput {
  const at = input.lastIndexOf(":");
  const bps = input.slice(at + 1).trim();
  if (at <= 0 || !/^\d+$/.test(bps)) {
    throw new CliError(`${what} "${input}" is not valid: expected <did>:<bps>, e.g. did:govledger:${chainId}:5:6000`);
  }
  return { did: parseDidRef(input.slice(0, at), chainId, what), bps: Number(bps) };
}

function parseScores(input: string) {
  const parts = input.split(",").map((p) => p.trim());
  if (parts.length !== 5 || parts.some((p) => !/^\d+$/.test(p))) {
    throw new CliError(
      `--scores "${input}" is not valid: expected five whole numbers scientific,technical,economic,social,cultural`,
    );
  }
  const [scientific, technical, economic, social, cultural] = parts.map(Number);
  return { scientific, technical, economic, social, cultural };
}

function parseAmount(input: string, what: string): bigint {
  if (!/^\d+$/.test(input.trim())) throw new CliError(`${what} "${input}" is not valid: expected a whole number`);
  return BigInt(input.trim());
}

function required<T>(value: T | undefined, what: string, flags: string): T {
  if (value === undefined) throw new CliError(`missing ${what}: pass ${flags}`);
  return value;
}

function changeInput(o: ChangeFlags, holdings: HoldingInput[]) {
  return {
    right: o.right,
    holdings,
    until: o.until === undefined || o.until === "permanent" ? 0n : parseTime(o.until, "until"),
    ...(o.holder === undefined ? {} : { holder: parseAddress(o.holder, "holder") }),
    ...(o.deadline === undefined ? {} : { deadline: parseTime(o.deadline, "deadline") }),
  };
}

/** The DID the signer acts for: --as, or the DID its key belongs to. */
async function actingDid(cmd: Command, s: Session, o: ConsentFlags, cli: Cli): Promise<bigint> {
  const chainId = deploymentOf(cli.options(cmd), cli.io).chainId;
  if (o.as !== undefined) return parseDidRef(o.as, chainId, "--as");
  const signer = await s.signer!.getAddress();
  const own = await s.ledger.identity.didOf(signer);
  if (!own) throw new CliError(`${signer} is not a key of any DID: pass --as <did> (a DID it acts for)`);
  return own.id;
}

/** --as and the local signers of --sign-key-env, each connected to the session's provider. */
async function consents(cmd: Command, s: Session, o: ConsentFlags, cli: Cli): Promise<ConsentOptions> {
  const asDid = await actingDid(cmd, s, o, cli);
  const provider = s.signer?.provider ?? null;
  const signers = (o.signKeyEnv ?? []).map((v) => new Wallet(keyOf(v, cli), provider));
  return { asDid, signers };
}

function keyOf(variable: string, cli: Cli): string {
  const raw = cli.io.env[variable]?.trim();
  if (!raw)
    throw new CliError(`no signing key in ${variable}: set it in .env, or leave out --sign-key-env ${variable}`);
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? `0x${raw}` : raw;
  try {
    new SigningKey(key);
  } catch {
    throw new CliError(`${variable} does not hold a valid private key: expected 0x followed by 64 hex digits`);
  }
  return key;
}

function consentOptions(cmd: Command): Command {
  return cmd
    .option("--as <did>", "the DID you act for (default: your key's DID); its consent counts")
    .option("--sign-key-env <VAR...>", "variables holding keys of other parties, who sign their consent here");
}

function changeOptions(cmd: Command): Command {
  return consentOptions(cmd)
    .requiredOption("--right <right>", "ownership, use, disposal or income")
    .requiredOption("--to <did:bps...>", "the new holders and their shares, summing to 10000")
    .option("--until <time>", 'when the grant ends; "permanent" (default) changes the right for good')
    .option("--deadline <time>", "until when the consents may be used (default: one day)");
}

function caseOptions(cmd: Command): Command {
  return cmd
    .option("--case <text>", "the case number, hashed with keccak256")
    .option("--case-hash <hash>", "32-byte hash of the case reference");
}

function registrationOptions(cmd: Command): Command {
  return cmd
    .option("--number <number>", "the 12-digit registration number")
    .option("--kind <kind>", "patent, software-copyright, integrated-circuit-layout, plant-variety, …")
    .option("--classification <c>", "basic-research, applied-research, technology-development, industrialisation")
    .option("--secrecy <level>", "open, secret, confidential, top-secret", "open")
    .option("--metadata-hash <hash>", "32-byte hash of the registration form and its attachments")
    .option("--metadata <text>", "the form, hashed with keccak256")
    .option("--metadata-file <file>", "the form document, hashed with keccak256")
    .option("--metadata-uri <uri>", "where the form is kept")
    .option("--external-id <hash...>", "hashes of external identifiers (patent number etc.)")
    .option("--owner <did:bps...>", "the owners and their shares, summing to 10000 (the first holds the token)")
    .option("--inventor <did...>", "the inventors")
    .option("--holder <address>", "the account the token is minted to, acting for the first owner")
    .option("--name <name>", "the achievement's name")
    .option("--first-organisation <did>", "the first completing organisation (default: the first owner)")
    .option("--recommender <did>", "the recommending body")
    .option("--research-start <time>", "when the research started")
    .option("--research-end <time>", "when the research ended")
    .option("--field <code>", "field code", "0")
    .option("--form <code>", "form of the achievement code", "0")
    .option("--stage <code>", "stage of the achievement code", "0")
    .option("--keyword <word...>", "at most 3 keywords");
}

/** Flags that would be ignored beside a registration file. */
const REGISTRATION_FLAGS = [
  "number",
  "kind",
  "classification",
  "metadataHash",
  "metadata",
  "metadataFile",
  "metadataUri",
  "externalId",
  "owner",
  "inventor",
  "holder",
  "name",
  "firstOrganisation",
  "recommender",
  "researchStart",
  "researchEnd",
  "keyword",
] as const;

function registrationFromFlags(o: RegisterFlags, chainId: bigint, cli: Cli): AchievementRegistration {
  const need = (value: string | string[] | undefined, flag: string) => {
    if (value === undefined) throw new CliError(`missing ${flag}: give the registration as a file or with flags`);
    return value;
  };
  const number = need(o.number, "--number") as string;
  registrationNumber(number);
  const metadata = required(
    hashInput(
      { hash: o.metadataHash, text: o.metadata, file: o.metadataFile },
      "metadata hash",
      "--metadata-hash, --metadata or --metadata-file",
      cli.io.cwd,
    ),
    "metadata hash",
    "--metadata-hash, --metadata or --metadata-file",
  );
  const did = (input: string, what: string) => parseDidRef(input, chainId, what);
  return {
    registrationNumber: number,
    kind: need(o.kind, "--kind") as string,
    classification: need(o.classification, "--classification") as string,
    secrecy: o.secrecy,
    metadata,
    metadataURI: o.metadataUri ?? "",
    externalIds: o.externalId ?? [],
    owners: (need(o.owner, "--owner") as string[]).map((s) => parseShare(s, chainId, "--owner")),
    inventors: (o.inventor ?? []).map((i) => did(i, "--inventor")),
    holder: parseAddress(need(o.holder, "--holder") as string, "holder"),
    form: {
      name: need(o.name, "--name") as string,
      ...(o.firstOrganisation === undefined
        ? {}
        : { firstOrganisation: did(o.firstOrganisation, "--first-organisation") }),
      ...(o.recommender === undefined ? {} : { recommender: did(o.recommender, "--recommender") }),
      researchStart: parseTime(need(o.researchStart, "--research-start") as string, "research start"),
      researchEnd: parseTime(need(o.researchEnd, "--research-end") as string, "research end"),
      field: code(o.field ?? "0", "--field"),
      form: code(o.form ?? "0", "--form"),
      stage: code(o.stage ?? "0", "--stage"),
      keywords: o.keyword ?? [],
    },
  };
}

function registrationFromFile(file: string, o: RegisterFlags, chainId: bigint, cli: Cli): AchievementRegistration {
  const extra = REGISTRATION_FLAGS.filter((k) => o[k] !== undefined);
  if (extra.length > 0) {
    const flags = extra.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(", ");
    throw new CliError(`${flags}: give the registration either as a file or with flags, not both`);
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(path.resolve(cli.io.cwd, file), "utf8")) as Record<string, unknown>;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new CliError(`cannot read registration file "${file}": ${why}`);
  }
  const at = (message: string) => new CliError(`registration file "${file}": ${message}`);
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw at("expected a JSON object");
  const text = (v: unknown, key: string): string => {
    if (typeof v === "string" || typeof v === "number") return String(v);
    throw at(`${key} is missing or not text`);
  };
  const list = (v: unknown, key: string): unknown[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw at(`${key} must be an array`);
    return v;
  };
  const wrap = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw at((e as Error).message);
    }
  };
  const did = (v: unknown, key: string) => wrap(() => parseDidRef(text(v, key), chainId, key));
  const form = (raw.form ?? {}) as Record<string, unknown>;
  const owners = list(raw.owners, "owners").map((x, i) =>
    wrap(() =>
      typeof x === "string"
        ? parseShare(x, chainId, `owners[${i}]`)
        : { did: did((x as HoldingInput).did, `owners[${i}].did`), bps: Number((x as HoldingInput).bps) },
    ),
  );
  const time = (v: unknown, key: string) => wrap(() => parseTime(text(v, key), key));
  return {
    registrationNumber: wrap(() => registrationNumber(text(raw.registrationNumber, "registrationNumber"))),
    kind: text(raw.kind, "kind"),
    classification: text(raw.classification, "classification"),
    secrecy: raw.secrecy === undefined ? "open" : text(raw.secrecy, "secrecy"),
    metadata: text(raw.metadata, "metadata"),
    metadataURI: raw.metadataURI === undefined ? "" : text(raw.metadataURI, "metadataURI"),
    externalIds: list(raw.externalIds, "externalIds").map((x, i) => text(x, `externalIds[${i}]`)),
    owners,
    inventors: list(raw.inventors, "inventors").map((x, i) => did(x, `inventors[${i}]`)),
    holder: wrap(() => parseAddress(text(raw.holder, "holder"), "holder")),
    form: {
      name: text(form.name, "form.name"),
      ...(form.firstOrganisation === undefined
        ? {}
        : { firstOrganisation: did(form.firstOrganisation, "form.firstOrganisation") }),
      ...(form.recommender === undefined ? {} : { recommender: did(form.recommender, "form.recommender") }),
      researchStart: time(form.researchStart, "form.researchStart"),
      researchEnd: time(form.researchEnd, "form.researchEnd"),
      field: Number(form.field ?? 0),
      form: Number(form.form ?? 0),
      stage: Number(form.stage ?? 0),
      keywords: list(form.keywords, "form.keywords").map((x, i) => text(x, `form.keywords[${i}]`)),
    },
  };
}

function code(input: string, flag: string): number {
  if (!/^\d+$/.test(input.trim())) throw new CliError(`${flag} "${input}" is not valid: expected a whole number`);
  return Number(input.trim());
}

function viewJson(v: AchievementView, did: (id: bigint) => string): unknown {
  const holdings = (list: HoldingView[]) => list.map((h) => ({ did: did(h.did), bps: h.bps }));
  const rights = Object.fromEntries(
    Object.entries(v.rights).map(([name, r]) => [
      name,
      {
        holdings: holdings(r.holdings),
        base: holdings(r.base),
        grant: r.grant ? { holdings: holdings(r.grant.holdings), until: r.grant.until } : null,
      },
    ]),
  );
  return toJson({
    ...v,
    registrar: did(v.registrar),
    rights,
    inventors: v.inventors.map(did),
    evaluations: v.evaluations.map((e) => ({ ...e, evaluator: did(e.evaluator) })),
    pledge: v.pledge ? { ...v.pledge, lender: did(v.pledge.lender) } : null,
    registration: v.registration
      ? { ...v.registration, owners: holdings(v.registration.owners), inventors: v.registration.inventors.map(did) }
      : null,
    metadata: v.metadata ?? null,
  });
}

function viewLines(v: AchievementView, did: (id: bigint) => string): string[] {
  const holdings = (list: HoldingView[]) => list.map((h) => `${did(h.did)} ${h.bps} bps`).join(", ");
  const locks = [v.pledged && "pledged", v.disputed && "disputed", v.frozen && "frozen"].filter(Boolean).join(", ");
  const rights = Object.entries(v.rights).map(([name, r]): [string, string] => [
    name.toLowerCase(),
    r.grant
      ? `${holdings(r.holdings)} until ${isoTime(r.grant.until)} (then ${holdings(r.base)})`
      : holdings(r.holdings),
  ]);
  const evaluations = v.evaluations.map((e): [string, string] => [
    `evaluation ${e.index}`,
    `${did(e.evaluator)}: ${Object.values(e.scores).join("/")} value ${e.suggestedValue}, valid until ${isoTime(e.validUntil)}`,
  ]);
  return fields([
    ["achievement", v.registrationNumber],
    ["name", v.registration?.form.name ?? "-"],
    ["kind", v.kind],
    ["classification", v.classification],
    ["secrecy", v.secrecy],
    ["status", v.status],
    ["locks", locks || "-"],
    ...rights,
    ["inventors", v.inventors.map(did).join(", ") || "-"],
    ...evaluations,
    ["pledge", v.pledge ? `to ${did(v.pledge.lender)} until ${isoTime(v.pledge.until)}` : "-"],
    ["holder", v.holder],
    ["registrar", did(v.registrar)],
    ["registered", isoTime(v.registeredAt)],
    ["metadata", v.metadata ? `${v.metadata.hash} ${v.metadata.uri}`.trim() : "-"],
    ["version", v.version.toString()],
  ]);
}

function eventDetails(e: AchievementEvent): string {
  return Object.entries(e.args)
    .filter(([k]) => k !== "id" && k !== "registration")
    .map(([k, v]) => `${k}=${showValue(v)}`)
    .join(" ");
}
