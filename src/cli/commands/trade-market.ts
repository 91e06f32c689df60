import { readFileSync, writeFileSync } from "fs";
import path from "path";
import type { Command } from "commander";
import {
  formatAmount,
  formatDid,
  parseSignedOffer,
  registrationNumberProblem,
  type Call,
  type InstalmentInput,
  type LicenceOfferInput,
  type ListingAwarded,
  type ListingInput,
  type ListingModeName,
  type ListingView,
  type MarketClient,
  type SignedOffer,
  type TokenInfo,
} from "../../sdk";
import { submit, type Cli } from "../cli";
import { deploymentOf, type Session } from "../connect";
import { CliError } from "../errors";
import { fields, toJson } from "../format";
import { checked, hashInput, parseAddress, parseDidRef, parseId, parseTime } from "../parse";

interface ActingFlags {
  as?: string;
}

interface ListFlags extends ActingFlags {
  achievement: string;
  centre: string;
  mode: string;
  token?: string;
  price: string;
  deposit?: string;
  increment?: string;
  biddingEnds?: string;
  kind: string;
  field: string;
  territory: string;
  start?: string;
  term: string;
  sublicensable: boolean;
  instalment: string[];
  brokerFee: string;
  inventorShare: string;
  document?: string;
  documentHash?: string;
  documentFile?: string;
}

interface ReasonFlags {
  reason?: string;
  reasonHash?: string;
}

/** What a write command builds once connected; inputs were validated before. */
type Build<T> = (market: MarketClient, s: Session) => Call<T> | Promise<Call<T>>;

/**
 * `trade list|approve|publish|withdraw-listing|cancel|buy|offer|accept|register-bidder|reject-bidder|bid|
 * close-auction|deal|lapse|withdraw-deposit|listing`: the licence market. The seller side lists an
 * achievement's licence (挂牌) and every disposal-right party approves; the trading centre publishes it;
 * a buyer buys at the fixed price, both sides sign an offer of a negotiated price, or registered bidders
 * bid at auction; the centre confirms the deal (成交确认书), which opens the escrow and records the
 * licence. Amounts are in the currency's units ("1000000.00"). Inputs are checked before anything is
 * sent; writes are dry-run, so a refusal prints its decoded reason.
 */
export function tradeMarketCommands(trade: Command, cli: Cli): void {
  const chainId = (cmd: Command) => deploymentOf(cli.options(cmd), cli.io).chainId;
  const did = (cmd: Command, input: string, what: string) => parseDidRef(input, chainId(cmd), what);
  const didText = (cmd: Command, id: bigint) => formatDid(chainId(cmd), id);
  const acting = async (cmd: Command, s: Session, o: ActingFlags): Promise<bigint> => {
    if (o.as !== undefined) return did(cmd, o.as, "--as");
    const signer = await s.signer!.getAddress();
    const own = await s.ledger.identity.didOf(signer);
    if (!own) throw new CliError(`${signer} is not a key of any DID: pass --as <did> (a DID it acts for)`);
    return own.id;
  };
  const write = <T>(
    cmd: Command,
    build: Build<T>,
    describe: (r: T, market: MarketClient, s: Session) => Promise<{ json: unknown; lines: string[] }>,
  ) =>
    cli.write(cmd, async (s) => {
      const market = s.ledger.market;
      const { transactionHash, result } = await submit(await build(market, s));
      const { json, lines } = await describe(result, market, s);
      cli.emit(cmd, { ...(json as object), transactionHash }, [...lines, `tx ${transactionHash}`]);
    });
  const tokenOf = (s: Session, address: string) => s.ledger.escrow.tokenInfo(address);
  const awardedText = async (cmd: Command, r: ListingAwarded, s: Session, what: string) => {
    const view = await s.ledger.market.show(r.id);
    const price = `${formatAmount(r.price, view.token.decimals)} ${view.token.symbol}`;
    return {
      json: { ...r, buyer: didText(cmd, r.buyer) },
      lines: [
        `${what} listing ${r.id}: awarded to ${didText(cmd, r.buyer)} at ${price}; the centre may confirm the deal from ${isoOf(r.dealableAt)}`,
      ],
    };
  };

  trade
    .command("list")
    .description("submit a listing (挂牌) of an achievement's licence for a disposal-right holder (your DID or --as)")
    .requiredOption("--achievement <number>", "the achievement's 12-digit registration number")
    .requiredOption("--centre <did>", "the trading centre asked to publish it")
    .requiredOption("--mode <mode>", "how it sells: fixed, negotiated or auction")
    .option("--token <address>", "the settlement token (default: the deployment's stand-in currency)")
    .requiredOption("--price <amount>", "the fixed price, asking price or auction reserve, e.g. 1000000.00")
    .option("--deposit <amount>", "auction only: what each bidder pays to register")
    .option("--increment <amount>", "auction only: the least a bid must beat the highest by")
    .option("--bidding-ends <time>", "auction only: when bidding ends (ISO date or unix seconds)")
    .requiredOption("--kind <kind>", "the licence: exclusive, sole or non-exclusive")
    .option("--field <code>", "field code (0: every field)", "0")
    .option("--territory <code>", "territory code (0: everywhere)", "0")
    .option("--start <time>", "when the licence starts (default: at the deal)")
    .requiredOption("--term <term>", "how long the licence runs: years or days, e.g. 5y or 400d")
    .option("--sublicensable", "the licensee may sublicense", false)
    .requiredOption("--instalment <share@days...>", "the price's instalments, e.g. 30%@30 70%@90 (or 3000bps@30)")
    .option("--broker-fee <bps>", "the broker's commission in basis points (a broker listing under a mandate)", "0")
    .option("--inventor-share <bps>", "the inventors' reward share in basis points (at least the floor)", "0")
    .option("--document <text>", "the listing document (挂牌文件), hashed with keccak256")
    .option("--document-hash <hash>", "32-byte hash of the listing document")
    .option("--document-file <file>", "the listing document, hashed with keccak256")
    .option("--as <did>", "the disposal-right holder you list for (default: your key's DID)")
    .action((o: ListFlags, cmd: Command) => {
      const terms = listingInput(o, cli, (text, what) => did(cmd, text, what));
      return write(
        cmd,
        async (m, s) => {
          const lister = await acting(cmd, s, o);
          return checked(() => m.list(terms, lister));
        },
        async (r, _m, s) => {
          const token = await tokenOf(s, r.token);
          return {
            json: {
              ...r,
              lister: didText(cmd, r.lister),
              actor: didText(cmd, r.actor),
              broker: r.broker === undefined ? null : didText(cmd, r.broker),
              centre: didText(cmd, r.centre),
            },
            lines: [
              `submitted listing ${r.id} of achievement ${r.achievement} (${r.mode}, ${formatAmount(r.price, token.decimals)} ${token.symbol}) for ${didText(cmd, r.lister)}${r.broker === undefined ? "" : ` by broker ${didText(cmd, r.broker)}`}: every disposal-right party approves, then centre ${didText(cmd, r.centre)} publishes it`,
            ],
          };
        },
      );
    });

  listingCommand(trade, "approve", "approve a listing as a party of the achievement's disposal right")
    .option("--as <did>", "the disposal-right party you approve for (default: your key's DID)")
    .action((input: string, o: ActingFlags, cmd: Command) => {
      const id = parseId(input, "listing id");
      return write(
        cmd,
        async (m, s) => m.approve(id, await acting(cmd, s, o)),
        async (r) => ({
          json: { ...r, did: didText(cmd, r.did), actor: didText(cmd, r.actor) },
          lines: [`approved listing ${r.id} for ${didText(cmd, r.did)}`],
        }),
      );
    });

  listingCommand(trade, "publish", "publish a submitted listing with the centre's fee (the listing's centre)")
    .option("--centre-fee <bps>", "the centre's fee, in basis points of each payment", "0")
    .action((input: string, o: { centreFee: string }, cmd: Command) => {
      const id = parseId(input, "listing id");
      const fee = wholeNumber(o.centreFee, "--centre-fee");
      return write(
        cmd,
        (m) => checked(() => m.publish(id, fee)),
        async (r) => ({
          json: { ...r, centre: didText(cmd, r.centre) },
          lines: [`published listing ${r.id} (centre ${didText(cmd, r.centre)}, fee ${r.centreFeeBps} bps)`],
        }),
      );
    });

  reasonOptions(
    listingCommand(trade, "withdraw-listing", "withdraw a listing as its lister (before an award or a bid)"),
  )
    .option("--as <did>", "the lister you act for (default: your key's DID)")
    .action((input: string, o: ActingFlags & ReasonFlags, cmd: Command) => {
      const id = parseId(input, "listing id");
      const reason = reasonOf(o, cli);
      return write(
        cmd,
        async (m, s) => m.withdrawListing(id, await acting(cmd, s, o), reason),
        async (r) => ({
          json: { ...r, actor: didText(cmd, r.actor) },
          lines: [`withdrew listing ${r.id} (${didText(cmd, r.actor)})`],
        }),
      );
    });

  reasonOptions(listingCommand(trade, "cancel", "cancel a listing before its deal (the listing's centre)")).action(
    (input: string, o: ReasonFlags, cmd: Command) => {
      const id = parseId(input, "listing id");
      const reason = requiredReason(o, cli);
      return write(
        cmd,
        (m) => m.cancel(id, reason),
        async (r) => ({
          json: { ...r, actor: didText(cmd, r.actor) },
          lines: [`cancelled listing ${r.id} (${didText(cmd, r.actor)}): every deposit may be withdrawn`],
        }),
      );
    },
  );

  listingCommand(trade, "buy", "buy a published fixed-price listing")
    .option("--as <did>", "the buyer you act for (default: your key's DID)")
    .action((input: string, o: ActingFlags, cmd: Command) => {
      const id = parseId(input, "listing id");
      return write(
        cmd,
        async (m, s) => m.buy(id, await acting(cmd, s, o)),
        async (r, _m, s) => awardedText(cmd, r, s, "bought"),
      );
    });

  listingCommand(trade, "offer", "sign an offer of a negotiated price as the buyer; the seller accepts it")
    .requiredOption("--price <amount>", "the price offered, e.g. 950000.00")
    .option("--expiry <time>", "until when it may be accepted (default: seven days)")
    .option("--as <did>", "the buyer you sign for (default: your key's DID)")
    .option("--out <file>", "write the signed offer to this file (default: print it)")
    .action((input: string, o: ActingFlags & { price: string; expiry?: string; out?: string }, cmd: Command) => {
      const listing = parseId(input, "listing id");
      const expiry = o.expiry === undefined ? undefined : parseTime(o.expiry, "--expiry");
      const buyer = o.as === undefined ? undefined : did(cmd, o.as, "--as");
      return cli.write(cmd, async (s) => {
        const signed = await s.ledger.market.signOffer({
          listing,
          price: o.price,
          ...(buyer === undefined ? {} : { buyer }),
          ...(expiry === undefined ? {} : { expiry }),
        });
        const document = JSON.stringify(signed, null, 2);
        if (o.out === undefined) {
          cli.emit(cmd, signed, [document]);
          return;
        }
        const file = path.resolve(cli.io.cwd, o.out);
        try {
          writeFileSync(file, `${document}\n`);
        } catch (e) {
          throw new CliError(
            `cannot write the offer to "${o.out}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
          );
        }
        const view = await s.ledger.market.show(listing);
        const price = `${formatAmount(BigInt(signed.offer.price), view.token.decimals)} ${view.token.symbol}`;
        cli.emit(cmd, { ...signed, file }, [
          `signed an offer of ${price} on listing ${listing} for ${didText(cmd, BigInt(signed.offer.buyer))} (round ${signed.offer.round}), valid until ${isoOf(BigInt(signed.offer.expiry))}`,
          `written to ${file}: the seller accepts it with \`govledger trade accept --offer ${o.out}\``,
        ]);
      });
    });

  trade
    .command("accept")
    .description("accept a buyer's signed offer as the seller: your key signs it too, and sends both")
    .requiredOption("--offer <file>", "the signed offer, as `govledger trade offer` writes it")
    .action((o: { offer: string }, cmd: Command) => {
      const signed = readOffer(o.offer, cli);
      return write(
        cmd,
        (m) => m.accept(signed.offer, signed),
        async (r, _m, s) => awardedText(cmd, r, s, "accepted the offer on"),
      );
    });

  listingCommand(trade, "register-bidder", "register as a bidder of an auction, paying its deposit from your tokens")
    .option("--as <did>", "the bidder you act for (default: your key's DID)")
    .option("--approve", "approve the market for the deposit first (a second transaction)", false)
    .action((input: string, o: ActingFlags & { approve: boolean }, cmd: Command) => {
      const id = parseId(input, "listing id");
      let approval: string | undefined;
      return write(
        cmd,
        async (m, s) => {
          const bidder = await acting(cmd, s, o);
          if (o.approve) {
            // Every other refusal first, so that nothing is approved for a registration that would fail.
            try {
              await m.registerBidder(id, bidder).check();
            } catch (e) {
              if (!/^insufficient allowance/.test((e as Error).message)) throw e;
              approval = (await submit(m.approveDeposit(id))).transactionHash;
            }
          }
          return m.registerBidder(id, bidder);
        },
        async (r, _m, s) => {
          const view = await s.ledger.market.show(r.id);
          return {
            json: {
              ...r,
              did: didText(cmd, r.did),
              actor: didText(cmd, r.actor),
              ...(approval ? { approvalTransactionHash: approval } : {}),
            },
            lines: [
              ...(approval ? [`approved the market for the deposit (tx ${approval})`] : []),
              `registered ${didText(cmd, r.did)} as a bidder of listing ${r.id}, deposit ${formatAmount(r.deposit, view.token.decimals)} ${view.token.symbol}`,
            ],
          };
        },
      );
    });

  reasonOptions(
    trade
      .command("reject-bidder")
      .description("reject a bidder that failed the qualification check, before its first bid (the listing's centre)")
      .argument("<listing>", "the listing id")
      .argument("<did>", "the bidder's DID"),
  ).action((input: string, bidder: string, o: ReasonFlags, cmd: Command) => {
    const id = parseId(input, "listing id");
    const d = did(cmd, bidder, "<did>");
    const reason = requiredReason(o, cli);
    return write(
      cmd,
      (m) => m.rejectBidder(id, d, reason),
      async (r) => ({
        json: { ...r, did: didText(cmd, r.did), actor: didText(cmd, r.actor) },
        lines: [`rejected bidder ${didText(cmd, r.did)} of listing ${r.id}: its deposit may be withdrawn`],
      }),
    );
  });

  trade
    .command("bid")
    .description("bid on an auction as a registered bidder")
    .argument("<listing>", "the listing id")
    .argument("<amount>", "the bid, e.g. 600000.00")
    .option("--as <did>", "the bidder you act for (default: your key's DID)")
    .action((input: string, amount: string, o: ActingFlags, cmd: Command) => {
      const id = parseId(input, "listing id");
      return write(
        cmd,
        async (m, s) => {
          const bidder = await acting(cmd, s, o);
          return checked(() => m.bid(id, amount, bidder));
        },
        async (r, _m, s) => {
          const view = await s.ledger.market.show(r.id);
          return {
            json: { ...r, bidder: didText(cmd, r.bidder), actor: didText(cmd, r.actor) },
            lines: [
              `bid ${formatAmount(r.amount, view.token.decimals)} ${view.token.symbol} on listing ${r.id} for ${didText(cmd, r.bidder)}`,
            ],
          };
        },
      );
    });

  listingCommand(
    trade,
    "close-auction",
    "close an auction after its deadline: awarded to the highest bid, or lapsed",
  ).action((input: string, _o, cmd: Command) => {
    const id = parseId(input, "listing id");
    return write(
      cmd,
      (m) => m.closeAuction(id),
      async (r, _m, s) => {
        const view = await s.ledger.market.show(r.id);
        const winner = r.winner === undefined ? undefined : didText(cmd, r.winner);
        return {
          json: { ...r, winner: winner ?? null },
          lines: [
            winner === undefined
              ? `closed the auction of listing ${r.id}: no bids, the listing lapsed`
              : `closed the auction of listing ${r.id}: won by ${winner} at ${formatAmount(r.price, view.token.decimals)} ${view.token.symbol}; the centre may confirm the deal`,
          ],
        };
      },
    );
  });

  listingCommand(trade, "deal", "confirm the deal (成交确认书): opens the escrow and records the licence (the centre)")
    .option("--deal <text>", "the deal confirmation, hashed with keccak256")
    .option("--deal-hash <hash>", "32-byte hash of the deal confirmation")
    .option("--deal-file <file>", "the deal confirmation document, hashed with keccak256")
    .option("--handover <time>", "the handover date (ISO date or unix seconds)")
    .action(
      (input: string, o: { deal?: string; dealHash?: string; dealFile?: string; handover?: string }, cmd: Command) => {
        const id = parseId(input, "listing id");
        const dealRef = hashInput(
          { hash: o.dealHash, text: o.deal, file: o.dealFile },
          "deal reference",
          "--deal, --deal-hash or --deal-file",
          cli.io.cwd,
        );
        if (dealRef === undefined)
          throw new CliError("missing deal reference: pass --deal, --deal-hash or --deal-file");
        const handover = o.handover === undefined ? 0 : parseTime(o.handover, "--handover");
        return write(
          cmd,
          (m) => m.confirmDeal(id, dealRef, handover),
          async (r, _m, s) => {
            const view = await s.ledger.market.show(r.id);
            return {
              json: {
                ...r,
                buyer: didText(cmd, r.buyer),
                seller: didText(cmd, r.seller),
                centre: didText(cmd, r.centre),
              },
              lines: [
                `confirmed the deal of listing ${r.id}: ${didText(cmd, r.buyer)} licensed at ${formatAmount(r.price, view.token.decimals)} ${view.token.symbol}; escrow ${r.escrow} opened, licence ${r.licence} recorded`,
              ],
            };
          },
        );
      },
    );

  listingCommand(trade, "lapse", "lapse an award no deal followed within 30 days (anyone)").action(
    (input: string, _o, cmd: Command) => {
      const id = parseId(input, "listing id");
      return write(
        cmd,
        (m) => m.lapse(id),
        async (r) => ({ json: r, lines: [`lapsed listing ${r.id}: the winner's deposit may be withdrawn`] }),
      );
    },
  );

  listingCommand(trade, "withdraw-deposit", "withdraw a bidder's deposit once the auction no longer needs it")
    .option("--as <did>", "the bidder whose deposit you withdraw (default: your key's DID)")
    .option("--to <address>", "where to pay it (default: your account)")
    .action((input: string, o: ActingFlags & { to?: string }, cmd: Command) => {
      const id = parseId(input, "listing id");
      const to = o.to === undefined ? undefined : parseAddress(o.to, "--to");
      return write(
        cmd,
        async (m, s) => m.withdrawDeposit(id, await acting(cmd, s, o), { to }),
        async (r, _m, s) => {
          const token = await tokenOf(s, r.token);
          return {
            json: { ...r, did: didText(cmd, r.did) },
            lines: [
              `withdrew the deposit of ${didText(cmd, r.did)} on listing ${r.id}: ${formatAmount(r.amount, token.decimals)} ${token.symbol} to ${r.to}`,
            ],
          };
        },
      );
    });

  listingCommand(trade, "listing", "show a listing: terms, licence, schedule, and where its sale stands").action(
    (input: string, _o, cmd: Command) => {
      const id = parseId(input, "listing id");
      return cli.read(cmd, async (s) => {
        const v = await s.ledger.market.show(id);
        const d = (x: bigint) => didText(cmd, x);
        cli.emit(cmd, listingJson(v, d), listingLines(v, d));
      });
    },
  );
}

/** A command on one listing: `<listing>`. */
function listingCommand(trade: Command, name: string, description: string): Command {
  return trade.command(name).description(description).argument("<listing>", "the listing id");
}

function reasonOptions(command: Command): Command {
  return command
    .option("--reason <text>", "the reason, hashed with keccak256")
    .option("--reason-hash <hash>", "32-byte hash of the reason");
}

function reasonOf(o: ReasonFlags, cli: Cli): string | undefined {
  return hashInput({ hash: o.reasonHash, text: o.reason }, "reason", "--reason or --reason-hash", cli.io.cwd);
}

function requiredReason(o: ReasonFlags, cli: Cli): string {
  const reason = reasonOf(o, cli);
  if (reason === undefined) throw new CliError("missing reason: pass --reason <text> or --reason-hash <hash>");
  return reason;
}

/** The listing as the SDK takes it, every flag checked; nothing is read from the chain yet. */
function listingInput(o: ListFlags, cli: Cli, did: (input: string, what: string) => bigint): ListingInput {
  const problem = registrationNumberProblem(o.achievement);
  if (problem) throw new CliError(`--achievement ${problem}: expected the achievement's 12-digit registration number`);
  const termsHash = hashInput(
    { hash: o.documentHash, text: o.document, file: o.documentFile },
    "listing document",
    "--document, --document-hash or --document-file",
    cli.io.cwd,
  );
  if (termsHash === undefined) {
    throw new CliError("missing listing document (挂牌文件): pass --document, --document-hash or --document-file");
  }
  const licence: LicenceOfferInput = {
    kind: o.kind.trim().toLowerCase() as LicenceOfferInput["kind"],
    field: code(o.field, "--field"),
    territory: code(o.territory, "--territory"),
    ...(o.start === undefined ? {} : { start: parseTime(o.start, "--start") }),
    term: termOf(o.term),
    sublicensable: o.sublicensable,
  };
  return {
    achievement: BigInt(o.achievement.trim()),
    centre: did(o.centre, "--centre"),
    mode: o.mode.trim().toLowerCase() as ListingModeName,
    ...(o.token === undefined ? {} : { token: parseAddress(o.token, "--token") }),
    price: o.price.trim(),
    ...(o.deposit === undefined ? {} : { deposit: o.deposit.trim() }),
    ...(o.increment === undefined ? {} : { increment: o.increment.trim() }),
    ...(o.biddingEnds === undefined ? {} : { biddingEnds: parseTime(o.biddingEnds, "--bidding-ends") }),
    licence,
    schedule: o.instalment.map(instalmentOf),
    brokerBps: wholeNumber(o.brokerFee, "--broker-fee"),
    inventorBps: wholeNumber(o.inventorShare, "--inventor-share"),
    termsHash,
  };
}

/** `<share>@<days>`: 30%@30, 33.33@60, 3000bps@90d. */
function instalmentOf(input: string): InstalmentInput {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%|bps)?\s*@\s*(\d+)\s*d?\s*$/i.exec(input);
  if (!m) {
    throw new CliError(
      `--instalment "${input}" is not valid: expected <share>@<days after the deal>, e.g. 30%@30 or 3000bps@30`,
    );
  }
  const dueAfterDays = Number(m[3]);
  return m[2]?.toLowerCase() === "bps" ? { bps: Number(m[1]), dueAfterDays } : { percent: m[1], dueAfterDays };
}

/** `5y`, `5 years`, `400d`, `400 days`. */
function termOf(input: string): { days?: number; years?: number } {
  const m = /^\s*(\d+)\s*(y|years?|d|days?)\s*$/i.exec(input);
  if (!m) throw new CliError(`--term "${input}" is not valid: expected years or days, e.g. 5y or 400d`);
  return m[2].toLowerCase().startsWith("y") ? { years: Number(m[1]) } : { days: Number(m[1]) };
}

function code(input: string, what: string): bigint {
  const text = input.trim();
  if (!/^\d+$/.test(text) || BigInt(text) >= 2n ** 32n) {
    throw new CliError(`${what} "${input}" is not valid: expected a code from 0 (all) to 4294967295`);
  }
  return BigInt(text);
}

function wholeNumber(input: string, flag: string): number {
  if (!/^\d+$/.test(input.trim())) throw new CliError(`${flag} "${input}" is not valid: expected a whole number`);
  return Number(input.trim());
}

/** The signed offer in `file`, as `trade offer` writes it. */
function readOffer(file: string, cli: Cli): SignedOffer {
  let text: string;
  try {
    text = readFileSync(path.resolve(cli.io.cwd, file), "utf8");
  } catch (e) {
    throw new CliError(
      `cannot read offer file "${file}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  try {
    return parseSignedOffer(text);
  } catch (e) {
    throw new CliError(`offer file "${file}": ${(e as Error).message} (write it with \`govledger trade offer\`)`);
  }
}

function isoOf(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString();
}

function dateText(date: Date | undefined): string {
  return date === undefined ? "-" : date.toISOString();
}

function listingJson(v: ListingView, did: (id: bigint) => string): unknown {
  const date = (x: Date | undefined) => (x === undefined ? null : x.toISOString());
  return toJson({
    ...v,
    lister: did(v.lister),
    centre: did(v.centre),
    broker: v.broker === undefined ? null : did(v.broker),
    ...(v.biddingEnds === undefined ? {} : { biddingEnds: date(v.biddingEnds) }),
    licence: { ...v.licence, start: date(v.licence.start) },
    sale: {
      ...v.sale,
      buyer: v.sale.buyer === undefined ? null : did(v.sale.buyer),
      price: v.sale.price ?? null,
      dealableAt: date(v.sale.dealableAt),
      lapsesAt: date(v.sale.lapsesAt),
      handover: date(v.sale.handover),
      escrow: v.sale.escrow ?? null,
      licence: v.sale.licence ?? null,
      dealRef: v.sale.dealRef ?? null,
    },
  });
}

function listingLines(v: ListingView, did: (id: bigint) => string): string[] {
  const unit = (amount: string | undefined, token: TokenInfo) =>
    amount === undefined ? "-" : `${amount} ${token.symbol}`;
  const l = v.licence;
  const licence = [
    l.kind,
    l.field === 0n ? "every field" : `field ${l.field}`,
    l.territory === 0n ? "everywhere" : `territory ${l.territory}`,
    `${l.start === undefined ? "from the deal" : `from ${l.start.toISOString()}`} for ${l.termDays} days`,
    l.sublicensable ? "sublicensable" : "not sublicensable",
  ].join(", ");
  const auction: [string, string][] =
    v.mode === "auction"
      ? [
          ["deposit", unit(v.deposit, v.token)],
          ["increment", unit(v.increment, v.token)],
          ["bidding ends", dateText(v.biddingEnds)],
        ]
      : [];
  const s = v.sale;
  const buyerLabel = v.mode === "auction" && s.status === "Published" ? "highest bidder" : "buyer";
  return fields([
    ["listing", v.id.toString()],
    ["achievement", v.achievement.toString()],
    ["mode", v.mode],
    ["status", v.status],
    ["token", `${v.token.symbol} ${v.token.address}`],
    [v.mode === "auction" ? "reserve" : "price", unit(v.price, v.token)],
    ...auction,
    ["lister", did(v.lister)],
    ["broker", v.broker === undefined ? "-" : did(v.broker)],
    ["centre", did(v.centre)],
    ["split", `centre fee ${v.centreFeeBps} bps, broker ${v.brokerBps} bps, inventors ${v.inventorBps} bps`],
    ["licence", licence],
    ...v.schedule.map((i): [string, string] => [
      `instalment ${i.number}`,
      `${i.percent} % due ${i.dueAfterDays} days after the deal`,
    ]),
    ["document", v.termsHash],
    ["round", s.round.toString()],
    [buyerLabel, s.buyer === undefined ? "-" : did(s.buyer)],
    [v.mode === "auction" && s.status === "Published" ? "highest bid" : "sale price", unit(s.price, v.token)],
    ["dealable at", dateText(s.dealableAt)],
    ["lapses at", dateText(s.lapsesAt)],
    ["handover", dateText(s.handover)],
    ["escrow", s.escrow === undefined ? "-" : s.escrow.toString()],
    ["licence id", s.licence === undefined ? "-" : s.licence.toString()],
    ["deal", s.dealRef ?? "-"],
  ]);
}
