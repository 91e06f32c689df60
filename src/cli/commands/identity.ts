import { readFileSync } from "fs";
import path from "path";
import type { Command } from "commander";
import {
  NEVER,
  formatDid,
  parseCategory,
  parseDidKind,
  parsePurposes,
  parseScopes,
  type Call,
  type ClaimRequest,
  type ClaimVerification,
  type ClaimView,
  type DidDocumentView,
  type IdentityClient,
} from "../../sdk";
import { submit, type Cli } from "../cli";
import { deploymentOf, type Session } from "../connect";
import { CliError } from "../errors";
import { fields, isoTime, roleLabel, table, toJson } from "../format";
import { checked, hashInput, parseAddress, parseClaimRef, parseDidRef, parseHash, parseId, parseTime } from "../parse";

/** What a write command builds once connected; inputs were validated before. */
type Build<T> = (identity: IdentityClient) => Call<T> | Promise<Call<T>>;

interface HashOptions {
  reasonHash?: string;
  reason?: string;
}

/**
 * `identity …`: DIDs, keys, guardians and recovery, mandates, claims and consents. Every input is
 * checked before connecting; writes are dry-run so a refusal prints its decoded reason and sends nothing.
 */
export function identityCommand(program: Command, cli: Cli): void {
  const identity = program
    .command("identity")
    .description("digital identities (DIDs), keys, recovery, mandates, claims and consents")
    .option("--relay", "relay writes through the GovForwarder: the signer needs no funds, the relayer pays", false)
    .option(
      "--relayer-key-env <VAR>",
      "environment variable holding the relayer's private key",
      "GOVLEDGER_RELAYER_KEY",
    );
  const chainId = (cmd: Command) => deploymentOf(cli.options(cmd), cli.io).chainId;
  const did = (cmd: Command, input: string, what = "DID") => parseDidRef(input, chainId(cmd), what);
  const show = (cmd: Command, id: bigint) => formatDid(chainId(cmd), id);
  const write = <T>(cmd: Command, build: Build<T>, describe: (r: T) => { json: unknown; lines: string[] }) =>
    cli.write(cmd, async (s) => {
      const { transactionHash, result } = await submit(await build(identityOf(s)));
      const { json, lines } = describe(result);
      cli.emit(cmd, { ...(json as object), transactionHash }, [...lines, `tx ${transactionHash}`]);
    });

  // ---- DIDs ----

  identity
    .command("register")
    .description("register an active DID with its keys (registrar agencies)")
    .requiredOption("--kind <kind>", "person or organisation")
    .requiredOption("--commitment <hash>", "salted keccak256 hash of the off-chain identity record")
    .requiredOption("--key <address...>", "the DID's keys")
    .option("--purposes <list>", "purposes of every key: authentication,assertion", "authentication,assertion")
    .action((o: { kind: string; commitment: string; key: string[]; purposes: string }, cmd: Command) => {
      const kind = checked(() => parseDidKind(o.kind).name);
      const commitment = parseHash(o.commitment, "commitment");
      const purposes = checked(() => parsePurposes(o.purposes));
      const keys = o.key.map((k) => ({ account: parseAddress(k, "key"), purposes }));
      return write(
        cmd,
        (id) => id.register({ kind, commitment, keys }),
        (r) => ({ json: r, lines: [`registered ${r.did} (${kind.toLowerCase()})`] }),
      );
    });

  identity
    .command("self-register")
    .description("register a DID controlled by your key, pending a registrar's verification (works with --relay)")
    .requiredOption("--kind <kind>", "person or organisation")
    .requiredOption("--commitment <hash>", "salted keccak256 hash of the off-chain identity record")
    .action((o: { kind: string; commitment: string }, cmd: Command) => {
      const kind = checked(() => parseDidKind(o.kind).name);
      const commitment = parseHash(o.commitment, "commitment");
      return write(
        cmd,
        (id) => id.selfRegister(kind, commitment),
        (r) => ({ json: r, lines: [`registered ${r.did} (pending verification by a registrar)`] }),
      );
    });

  identity
    .command("verify")
    .description("activate a self-registered DID after checking who it is (registrar agencies)")
    .argument("<did>")
    .action((input: string, _o, cmd: Command) => {
      const id = did(cmd, input);
      return write(
        cmd,
        (c) => c.verify(id),
        (r) => ({
          json: { ...r, did: show(cmd, id) },
          lines: [`verified ${show(cmd, id)} (registrar member ${r.registrar})`],
        }),
      );
    });

  identity
    .command("resolve")
    .description("show a DID document: status, keys, guardians, pending recovery")
    .argument("<did>")
    .action((input: string, _o, cmd: Command) => {
      const id = did(cmd, input);
      return cli.read(cmd, async (s) => {
        const doc = await s.ledger.identity.resolve(id);
        cli.emit(
          cmd,
          documentJson(doc),
          documentLines(doc, (g) => show(cmd, g)),
        );
      });
    });

  for (const [name, description, status] of [
    ["suspend", "freeze a DID: its keys cannot act until reinstated (registrar agencies)", "suspended"],
    [
      "deactivate",
      "close a DID for good: its keys are removed, its record and claims stay (registrar agencies)",
      "deactivated",
    ],
  ] as const) {
    reasonOptions(identity.command(name).description(description).argument("<did>")).action(
      (input: string, o: HashOptions, cmd: Command) => {
        const [id, reason] = [did(cmd, input), requiredReason(o, cli)];
        return write(
          cmd,
          (c) => (name === "suspend" ? c.suspend(id, reason) : c.deactivate(id, reason)),
          (r) => ({ json: { ...r, did: show(cmd, id), reasonHash: reason }, lines: [`${status} ${show(cmd, id)}`] }),
        );
      },
    );
  }

  identity
    .command("reinstate")
    .description("unfreeze a suspended DID (registrar agencies)")
    .argument("<did>")
    .action((input: string, _o, cmd: Command) => {
      const id = did(cmd, input);
      return write(
        cmd,
        (c) => c.reinstate(id),
        (r) => ({ json: { ...r, did: show(cmd, id) }, lines: [`reinstated ${show(cmd, id)}`] }),
      );
    });

  // ---- keys ----

  identity
    .command("add-key")
    .description("add a key to a DID (its controller)")
    .argument("<did>")
    .argument("<key>", "address of the new key")
    .option("--purposes <list>", "authentication,assertion", "authentication,assertion")
    .action((input: string, key: string, o: { purposes: string }, cmd: Command) => {
      const [id, account, purposes] = [
        did(cmd, input),
        parseAddress(key, "key"),
        checked(() => parsePurposes(o.purposes)),
      ];
      return write(
        cmd,
        (c) => c.addKey(id, account, purposes),
        (r) => ({
          json: { ...r, did: show(cmd, id), purposes: r.purposes.map(roleLabel) },
          lines: [`added key ${account} to ${show(cmd, id)} (${r.purposes.map(roleLabel).join(", ")})`],
        }),
      );
    });

  identity
    .command("remove-key")
    .description("remove a key from a DID (its controller); an authentication key must remain")
    .argument("<did>")
    .argument("<key>")
    .action((input: string, key: string, _o, cmd: Command) => {
      const [id, account] = [did(cmd, input), parseAddress(key, "key")];
      return write(
        cmd,
        (c) => c.removeKey(id, account),
        (r) => ({ json: { ...r, did: show(cmd, id) }, lines: [`removed key ${account} from ${show(cmd, id)}`] }),
      );
    });

  identity
    .command("rotate-key")
    .description("replace a key of a DID by a new one with the same purposes; the old key is refused from then on")
    .argument("<did>")
    .argument("<oldKey>")
    .argument("<newKey>")
    .action((input: string, oldKey: string, newKey: string, _o, cmd: Command) => {
      const [id, from, to] = [did(cmd, input), parseAddress(oldKey, "old key"), parseAddress(newKey, "new key")];
      return write(
        cmd,
        (c) => c.rotateKey(id, from, to),
        (r) => ({ json: { ...r, did: show(cmd, id) }, lines: [`rotated ${show(cmd, id)}: ${from} → ${to}`] }),
      );
    });

  // ---- guardians and recovery ----

  identity
    .command("set-guardians")
    .description("choose the guardian DIDs, k of whom can recover the DID (its controller)")
    .argument("<did>")
    .requiredOption("--guardian <did...>", "guardian DIDs")
    .requiredOption("--threshold <k>", "approvals a recovery needs")
    .action((input: string, o: { guardian: string[]; threshold: string }, cmd: Command) => {
      const id = did(cmd, input);
      const guardians = o.guardian.map((g) => did(cmd, g, "guardian"));
      const threshold = parseId(o.threshold, "threshold");
      return write(
        cmd,
        (c) => c.setGuardians(id, guardians, threshold),
        (r) => ({
          json: { ...r, did: show(cmd, id), guardians: r.guardians.map((g) => show(cmd, g)) },
          lines: [
            `${show(cmd, id)} is recoverable by ${threshold} of ${guardians.map((g) => show(cmd, g)).join(", ")}`,
          ],
        }),
      );
    });

  identity
    .command("recover")
    .description("start recovering a DID to a new key, as one of its guardians (or --registrar)")
    .argument("<did>")
    .requiredOption("--new-key <address>", "the key that takes over")
    .option("--registrar", "recover as a registrar agency: approved at once, completes after the delay", false)
    .action((input: string, o: { newKey: string; registrar: boolean }, cmd: Command) => {
      const [id, key] = [did(cmd, input), parseAddress(o.newKey, "new key")];
      return write(
        cmd,
        (c) => (o.registrar ? c.recoverByRegistrar(id, key) : c.initiateRecovery(id, key)),
        (r) => ({ json: { ...r, did: show(cmd, id) }, lines: recoveryLines(show(cmd, id), r) }),
      );
    });

  identity
    .command("approve-recovery")
    .description("approve the pending recovery of a DID, as one of its guardians")
    .argument("<did>")
    .action((input: string, _o, cmd: Command) => {
      const id = did(cmd, input);
      return write(
        cmd,
        (c) => c.approveRecovery(id),
        (r) => ({ json: { ...r, did: show(cmd, id) }, lines: recoveryLines(show(cmd, id), r) }),
      );
    });

  identity
    .command("object-recovery")
    .description("cancel the pending recovery of your DID, with one of its current keys")
    .argument("<did>")
    .action((input: string, _o, cmd: Command) => {
      const id = did(cmd, input);
      return write(
        cmd,
        (c) => c.objectRecovery(id),
        () => ({
          json: { id, did: show(cmd, id) },
          lines: [`objected: the recovery of ${show(cmd, id)} is cancelled`],
        }),
      );
    });

  identity
    .command("complete-recovery")
    .description("complete a ready recovery: the old keys are removed, the new key takes over (anyone)")
    .argument("<did>")
    .action((input: string, _o, cmd: Command) => {
      const id = did(cmd, input);
      return write(
        cmd,
        (c) => c.completeRecovery(id),
        (r) => ({
          json: { ...r, did: show(cmd, id) },
          lines: [`recovered ${show(cmd, id)}: its key is now ${r.newKey}`],
        }),
      );
    });

  // ---- mandates ----

  identity
    .command("grant-mandate")
    .description("let a representative act for an organisation within scopes until a time (the organisation)")
    .requiredOption("--org <did>", "the organisation's DID")
    .requiredOption("--representative <did>", "the representative's DID")
    .requiredOption("--scopes <list>", "identity,consent,evidence,achievement,trade,payment")
    .requiredOption("--until <time>", "ISO date, unix seconds or never")
    .action((o: { org: string; representative: string; scopes: string; until: string }, cmd: Command) => {
      const [org, rep] = [did(cmd, o.org, "org"), did(cmd, o.representative, "representative")];
      const [scopes, until] = [checked(() => parseScopes(o.scopes)), parseTime(o.until, "until")];
      return write(
        cmd,
        (c) => c.grantMandate(org, rep, scopes, until),
        (r) => ({
          json: { ...r, scopes: r.scopes.map(roleLabel) },
          lines: [
            `${show(cmd, rep)} may act for ${show(cmd, org)} (${r.scopes.map(roleLabel).join(", ")}) until ${timeText(until)}`,
          ],
        }),
      );
    });

  identity
    .command("revoke-mandate")
    .description("end a representative's mandate at once (the organisation)")
    .requiredOption("--org <did>", "the organisation's DID")
    .requiredOption("--representative <did>", "the representative's DID")
    .action((o: { org: string; representative: string }, cmd: Command) => {
      const [org, rep] = [did(cmd, o.org, "org"), did(cmd, o.representative, "representative")];
      return write(
        cmd,
        (c) => c.revokeMandate(org, rep),
        (r) => ({ json: r, lines: [`${show(cmd, rep)} no longer acts for ${show(cmd, org)}`] }),
      );
    });

  // ---- topics and claims ----

  identity
    .command("topics")
    .description("list the claim topics the council registered")
    .action((_o, cmd: Command) =>
      cli.read(cmd, async (s) => {
        const topics = await s.ledger.identity.topics();
        const rows = topics.map((t) => [t.id.toString(), t.name, t.schemaHash]);
        cli.emit(cmd, topics, topics.length === 0 ? ["no topics"] : table(["ID", "NAME", "SCHEMA"], rows));
      }),
    );

  identity
    .command("issue-claim")
    .description("issue a claim about a DID, as an issuer accredited for the topic")
    .requiredOption("--subject <did>", "the DID the claim is about")
    .requiredOption("--topic <topic>", "topic id or name (see `identity topics`)")
    .option("--data-hash <hash>", "keccak256 of the off-chain credential")
    .option("--data-file <file>", "the credential file, hashed with keccak256")
    .option("--valid-from <time>", "ISO date, unix seconds (default: now)")
    .option("--valid-until <time>", "ISO date, unix seconds or never", "never")
    .action(
      (
        o: {
          subject: string;
          topic: string;
          dataHash?: string;
          dataFile?: string;
          validFrom?: string;
          validUntil: string;
        },
        cmd: Command,
      ) => {
        const request = {
          subject: did(cmd, o.subject, "subject"),
          dataHash: requiredHash(
            cli,
            { hash: o.dataHash, file: o.dataFile },
            "data hash",
            "--data-hash or --data-file",
          ),
          validFrom: o.validFrom === undefined ? 0n : parseTime(o.validFrom, "valid from"),
          validUntil: parseTime(o.validUntil, "valid until"),
        };
        checkWindow(request.validFrom, request.validUntil);
        return write(
          cmd,
          async (c) => c.issueClaim({ ...request, topic: await topicOf(c, o.topic) }),
          (r) => ({
            json: { ...r, subject: show(cmd, r.subject) },
            lines: [`issued claim ${r.id} (topic ${r.topic}) about ${show(cmd, r.subject)}`],
          }),
        );
      },
    );

  identity
    .command("issue-claims")
    .description(
      "issue many claims in one transaction from a JSON or CSV file (subject,topic,dataHash,validFrom,validUntil)",
    )
    .argument("<file>")
    .action((file: string, _o, cmd: Command) => {
      const rows = readClaimsFile(path.resolve(cli.io.cwd, file), file);
      const requests = rows.map((row, i) => claimRow(row, i + 1, (x, what) => did(cmd, x, what)));
      return write(
        cmd,
        async (c) => {
          const topics = new Map<string, bigint>();
          for (const r of requests) if (!topics.has(r.topic)) topics.set(r.topic, await topicOf(c, r.topic));
          return c.issueClaims(requests.map((r) => ({ ...r, topic: topics.get(r.topic)! })));
        },
        (issued) => ({
          json: { claims: issued.map((r) => ({ ...r, subject: show(cmd, r.subject) })) },
          lines: issued.map((r) => `issued claim ${r.id} (topic ${r.topic}) about ${show(cmd, r.subject)}`),
        }),
      );
    });

  reasonOptions(
    identity.command("revoke-claim").description("revoke a claim for good (its issuer)").argument("<claimId>"),
  ).action((input: string, o: HashOptions, cmd: Command) => {
    const [claimId, reason] = [parseClaimRef(input), requiredReason(o, cli)];
    return write(
      cmd,
      (c) => c.revokeClaim(claimId, reason),
      (r) => ({ json: r, lines: [`revoked claim ${claimId}`] }),
    );
  });

  for (const [name, description] of [
    ["suspend-claim", "suspend an active claim until reinstated (its issuer)"],
    ["reinstate-claim", "reinstate a suspended claim (its issuer)"],
  ] as const) {
    identity
      .command(name)
      .description(description)
      .argument("<claimId>")
      .action((input: string, _o, cmd: Command) => {
        const claimId = parseClaimRef(input);
        return write(
          cmd,
          (c) => (name === "suspend-claim" ? c.suspendClaim(claimId) : c.reinstateClaim(claimId)),
          (r) => ({ json: r, lines: [`claim ${claimId} is ${r.status.toLowerCase()}`] }),
        );
      });
  }

  identity
    .command("verify-claim")
    .description("check a claim now: exit 0 when valid, 1 when not, saying why")
    .argument("<claimId>")
    .action((input: string, _o, cmd: Command) => {
      const claimId = parseClaimRef(input);
      return cli.read(cmd, async (s) => {
        const v = await s.ledger.identity.verifyClaim(claimId);
        cli.emit(
          cmd,
          verificationJson(v, (d) => show(cmd, d)),
          verificationLines(v, (d) => show(cmd, d)),
        );
        if (!v.valid) cli.exitCode = 1;
      });
    });

  identity
    .command("claims")
    .description("list every claim about a DID")
    .argument("<did>")
    .action((input: string, _o, cmd: Command) => {
      const id = did(cmd, input);
      return cli.read(cmd, async (s) => {
        const claims = await s.ledger.identity.claimsOf(id);
        const rows = claims.map((c) => [
          c.id.toString(),
          c.topic.toString(),
          c.status,
          show(cmd, c.issuer),
          timeText(c.validUntil),
        ]);
        cli.emit(
          cmd,
          claims,
          claims.length === 0 ? ["no claims"] : table(["CLAIM", "TOPIC", "STATUS", "ISSUER", "VALID UNTIL"], rows),
        );
      });
    });

  // ---- consents ----

  identity
    .command("grant-consent")
    .description("let an organisation look up a category of the subject's data for a purpose until a time")
    .requiredOption("--subject <did>", "whose data (you, or an organisation you represent)")
    .requiredOption("--grantee <did>", "the organisation allowed to look up")
    .requiredOption("--category <category>", "basic-identity, education, or a category id")
    .option("--purpose-hash <hash>", "hash of the purpose statement")
    .option("--purpose <text>", "the purpose statement, hashed with keccak256")
    .requiredOption("--until <time>", "ISO date, unix seconds or never")
    .action(
      (
        o: {
          subject: string;
          grantee: string;
          category: string;
          purposeHash?: string;
          purpose?: string;
          until: string;
        },
        cmd: Command,
      ) => {
        const request = {
          subject: did(cmd, o.subject, "subject"),
          grantee: did(cmd, o.grantee, "grantee"),
          category: checked(() => parseCategory(o.category)),
          purposeHash: requiredHash(
            cli,
            { hash: o.purposeHash, text: o.purpose },
            "purpose hash",
            "--purpose-hash or --purpose",
          ),
          validUntil: parseTime(o.until, "until"),
        };
        return write(
          cmd,
          (c) => c.grantConsent(request),
          (r) => ({
            json: { ...r, ...request, subject: show(cmd, request.subject), grantee: show(cmd, request.grantee) },
            lines: [
              `consent ${r.consentId}: ${show(cmd, request.grantee)} may look up category ${request.category} of ${show(cmd, request.subject)} until ${timeText(request.validUntil)}`,
            ],
          }),
        );
      },
    );

  identity
    .command("revoke-consent")
    .description("end a consent at once (its subject)")
    .argument("<consentId>")
    .action((input: string, _o, cmd: Command) => {
      const consentId = parseId(input, "consent id");
      return write(
        cmd,
        (c) => c.revokeConsent(consentId),
        (r) => ({ json: r, lines: [`revoked consent ${consentId}`] }),
      );
    });

  identity
    .command("access")
    .description("record a look-up under a live consent, as (a representative of) its grantee")
    .argument("<consentId>")
    .option("--request-hash <hash>", "hash of the request made to the data holder")
    .option("--request <text>", "the request, hashed with keccak256")
    .action((input: string, o: { requestHash?: string; request?: string }, cmd: Command) => {
      const consentId = parseId(input, "consent id");
      const request = requiredHash(
        cli,
        { hash: o.requestHash, text: o.request },
        "request hash",
        "--request-hash or --request",
      );
      return write(
        cmd,
        (c) => c.recordAccess(consentId, request),
        (r) => ({
          json: { ...r, accessor: show(cmd, r.accessor), requestHash: request },
          lines: [`receipt ${r.receiptId}: ${show(cmd, r.accessor)} looked up under consent ${consentId}`],
        }),
      );
    });

  identity
    .command("consent")
    .description("show a consent: subject, grantee, category, times, whether it is live")
    .argument("<consentId>")
    .action((input: string, _o, cmd: Command) => {
      const consentId = parseId(input, "consent id");
      return cli.read(cmd, async (s) => {
        const c = await s.ledger.identity.consentOf(consentId);
        cli.emit(cmd, { ...c, subject: show(cmd, c.subject), grantee: show(cmd, c.grantee) }, [
          ...fields([
            ["consent", c.id.toString()],
            ["subject", show(cmd, c.subject)],
            ["grantee", show(cmd, c.grantee)],
            ["category", c.category.toString()],
            ["purpose", c.purposeHash],
            ["granted", isoTime(c.grantedAt)],
            ["valid until", timeText(c.validUntil)],
            ["revoked", isoTime(c.revokedAt)],
            ["look-ups", c.accessCount.toString()],
            ["live", c.live ? "yes" : "no"],
          ]),
        ]);
      });
    });
}

/** The identity client of a session: relayed through the forwarder with --relay. */
function identityOf(s: Session): IdentityClient {
  if (!s.relayer) return s.ledger.identity;
  if (!s.signer) throw new CliError("--relay needs a signing key");
  return s.ledger.identity.relayed(s.signer, s.relayer);
}

function reasonOptions(cmd: Command): Command {
  return cmd
    .option("--reason-hash <hash>", "32-byte hash of the documented reason")
    .option("--reason <text>", "the reason, hashed with keccak256");
}

function requiredReason(o: HashOptions, cli: Cli): string {
  return requiredHash(cli, { hash: o.reasonHash, text: o.reason }, "reason hash", "--reason-hash or --reason");
}

function requiredHash(
  cli: Cli,
  given: { hash?: string; text?: string; file?: string },
  what: string,
  flags: string,
): string {
  const hash = hashInput(given, what, flags, cli.io.cwd);
  if (hash === undefined) throw new CliError(`missing ${what}: pass ${flags}`);
  return hash;
}

function checkWindow(validFrom: bigint, validUntil: bigint): void {
  if (validUntil <= validFrom) {
    throw new CliError(`valid until (${timeText(validUntil)}) must be after valid from (${timeText(validFrom)})`);
  }
}

/** A topic by id (which must exist) or by name (case-insensitive). */
async function topicOf(identity: IdentityClient, input: string): Promise<bigint> {
  if (/^\d+$/.test(input.trim())) {
    const id = parseId(input, "topic");
    await identity.topic(id); // throws IdentityUnknownTopic, decoded, when there is none
    return id;
  }
  const topics = await identity.topics();
  const hit = topics.find((t) => t.name.toLowerCase() === input.trim().toLowerCase());
  if (!hit) {
    const known = topics.map((t) => `${t.id} "${t.name}"`).join(", ") || "none";
    throw new CliError(`unknown topic "${input}": known topics are ${known} (see \`govledger identity topics\`)`);
  }
  return hit.id;
}

type ClaimRow = Record<string, string | number | undefined>;

/** The rows of a claims file: a JSON array of objects, or CSV with a header line. */
function readClaimsFile(file: string, shown: string): ClaimRow[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new CliError(
      `cannot read claims file "${shown}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  if (text.trimStart().startsWith("[")) {
    try {
      const rows = JSON.parse(text) as unknown;
      if (!Array.isArray(rows) || rows.some((r) => !r || typeof r !== "object"))
        throw new Error("not an array of objects");
      return rows as ClaimRow[];
    } catch (e) {
      throw new CliError(`claims file "${shown}" is not valid JSON: ${(e as Error).message}`);
    }
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
  const header = (lines.shift() ?? "").split(",").map((h) => h.trim());
  if (!header.includes("subject")) {
    throw new CliError(`claims file "${shown}" needs a header line: subject,topic,dataHash[,validFrom,validUntil]`);
  }
  const rows = lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [header[i], v.trim() || undefined])));
  if (rows.length === 0) throw new CliError(`claims file "${shown}" has no claims`);
  return rows;
}

function claimRow(
  row: ClaimRow,
  n: number,
  did: (input: string, what: string) => bigint,
): Omit<ClaimRequest, "topic"> & { topic: string; validFrom: bigint; validUntil: bigint } {
  const at = (message: string) => new CliError(`claims file row ${n}: ${message}`);
  const text = (key: string) => (row[key] === undefined ? undefined : String(row[key]));
  const required = (key: string) => {
    const v = text(key);
    if (v === undefined) throw at(`missing ${key}`);
    return v;
  };
  try {
    const validFrom = text("validFrom") === undefined ? 0n : parseTime(text("validFrom")!, "validFrom");
    const validUntil = text("validUntil") === undefined ? NEVER : parseTime(text("validUntil")!, "validUntil");
    checkWindow(validFrom, validUntil);
    return {
      subject: did(required("subject"), "subject"),
      topic: required("topic"),
      dataHash: parseHash(required("dataHash"), "dataHash"),
      validFrom,
      validUntil,
    };
  } catch (e) {
    if (e instanceof CliError && e.message.startsWith("claims file")) throw e;
    throw at((e as Error).message);
  }
}

/** A validity end for a person: "never" for the largest time. */
function timeText(seconds: bigint): string {
  return seconds === NEVER ? "never" : isoTime(seconds);
}

function recoveryLines(did: string, r: { newKey?: string; approvals?: bigint; readyAt?: bigint }): string[] {
  const approvals = r.approvals === undefined ? [] : [`recovery of ${did}: ${r.approvals} guardian approval(s)`];
  const ready =
    r.readyAt === undefined
      ? ["waiting for more guardian approvals"]
      : [
          `recovery of ${did} to ${r.newKey} may complete from ${isoTime(r.readyAt)}; a current key may object until then`,
        ];
  return [...approvals, ...ready];
}

function documentJson(doc: DidDocumentView): unknown {
  return toJson({
    ...doc,
    kind: doc.kind.toLowerCase(),
    keys: doc.keys.map((k) => ({ account: k.account, purposes: k.purposes.map(roleLabel) })),
    recovery: doc.recovery ?? null,
  });
}

function documentLines(doc: DidDocumentView, show: (id: bigint) => string): string[] {
  const keys = doc.keys.map((k) => `${k.account} (${k.purposes.map(roleLabel).join(", ")})`);
  const guardians = doc.guardians.length ? `${doc.guardianThreshold} of ${doc.guardians.map(show).join(", ")}` : "-";
  const recovery = doc.recovery
    ? `to ${doc.recovery.newKey}, ${doc.recovery.readyAt === 0n ? `${doc.recovery.approvals} approval(s)` : `ready ${isoTime(doc.recovery.readyAt)}`}`
    : "-";
  return fields([
    ["did", doc.did],
    ["kind", doc.kind.toLowerCase()],
    ["status", doc.status],
    ["registrar", doc.registrar === 0n ? "- (not verified)" : `member ${doc.registrar}`],
    ["keys", keys[0] ?? "-"],
    ...keys.slice(1).map((k): [string, string] => ["", k]),
    ["guardians", guardians],
    ["recovery", recovery],
    ["commitment", doc.commitment],
    ["version", doc.version.toString()],
    ["created", isoTime(doc.createdAt)],
    ["updated", isoTime(doc.updatedAt)],
  ]);
}

const PROBLEM_TEXT: Record<string, string> = {
  revoked: "revoked by its issuer",
  suspended: "suspended by its issuer",
  expired: "expired",
  "not-yet-valid": "not valid yet",
  "issuer-not-accredited": "its issuer is not accredited for the topic now",
  "subject-not-active": "its subject DID is not active",
};

function verificationJson(v: ClaimVerification, show: (id: bigint) => string): unknown {
  return toJson({ ...v, claim: claimJson(v.claim, show), revocationReason: v.revocationReason ?? null });
}

function claimJson(c: ClaimView, show: (id: bigint) => string): unknown {
  return { ...c, subject: show(c.subject), issuer: show(c.issuer) };
}

function verificationLines(v: ClaimVerification, show: (id: bigint) => string): string[] {
  const c = v.claim;
  const why = v.problems.map((p) => PROBLEM_TEXT[p] ?? p).join("; ") || "not valid now";
  const reason = v.revocationReason ? [["revocation", v.revocationReason] as [string, string]] : [];
  return fields([
    ["claim", c.id.toString()],
    ["subject", show(c.subject)],
    ["issuer", show(c.issuer)],
    ["topic", c.topic.toString()],
    ["status", c.status],
    ["data", c.dataHash],
    ["valid from", isoTime(c.validFrom)],
    ["valid until", timeText(c.validUntil)],
    ["issued", isoTime(c.issuedAt)],
    ...reason,
    ["valid", v.valid ? "yes" : `no: ${why}`],
  ]);
}
