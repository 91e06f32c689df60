import { readFileSync, writeFileSync } from "fs";
import path from "path";
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { HDNodeWallet } from "ethers";
import type { HardhatNetworkHDAccountsConfig } from "hardhat/types";
import { Scope, hashOf, now } from "../helpers/identity";
import {
  BUYER_FUNDS,
  ListingStatus,
  Mode,
  listingTermsOf,
  publishListing,
  registerPatent,
  submitListing,
  tradeFixture,
  type TradeModule,
} from "../helpers/trade";
import { KEYS, consortium, govledger, govledgerJson, refuses, succeeds, type Run } from "./harness";

const DID = (id: bigint | number) => `did:govledger:31337:${id}`;
const DAY = 86_400n;

/** The key of Hardhat account #`index` (the trade fixture's parties). */
function keyOf(index: number): string {
  const accounts = network.config.accounts as HardhatNetworkHDAccountsConfig;
  return HDNodeWallet.fromPhrase(accounts.mnemonic, accounts.passphrase, `${accounts.path}/${index}`).privateKey;
}

const PARTY_KEYS = {
  centre: KEYS.councillor3,
  university: keyOf(5),
  team: keyOf(6),
  outsider: keyOf(10),
  broker: keyOf(15),
  buyer: keyOf(14),
};

const isoOf = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();

describe("govledger trade: licence market (CLI)", function () {
  let m: TradeModule;
  let achievement: bigint;
  let root: string;

  beforeEach(async function () {
    root = await consortium();
    m = await tradeFixture();
    achievement = await registerPatent(m);
  });

  /** `refuses`, also asserting that the acting key sent nothing (its nonce is unchanged). */
  async function refusesAs(key: string, run: () => Promise<Run>, problem: RegExp): Promise<string> {
    const account = new ethers.Wallet(key).address;
    const nonce = await ethers.provider.getTransactionCount(account);
    const line = await refuses(run, problem);
    expect(await ethers.provider.getTransactionCount(account), "nonce").to.equal(nonce);
    return line;
  }

  /** `trade list` arguments of the fixed-price listing of listingTermsOf, with `extra` flags. */
  function listArgs(extra: string[] = [], mode = "fixed", price = "1000000.00"): string[] {
    return [
      "trade",
      "list",
      "--achievement",
      achievement.toString(),
      "--centre",
      DID(m.centre.did),
      "--mode",
      mode,
      "--price",
      price,
      "--kind",
      "exclusive",
      "--field",
      "480",
      "--territory",
      "310000",
      "--term",
      "5y",
      "--instalment",
      "30%@30",
      "70%@90",
      "--inventor-share",
      "1000",
      "--document",
      "listing document (挂牌文件)",
      ...extra,
    ];
  }

  async function auctionListed(): Promise<{ id: bigint; ends: bigint }> {
    const ends = (await now()) + 7n * DAY;
    const id = await publishListing(
      m,
      listingTermsOf(m, achievement, {
        mode: Mode.Auction,
        price: 50_000_000n,
        deposit: 5_000_000n,
        minIncrement: 1_000_000n,
        biddingEnds: ends,
      }),
    );
    return { id, ends };
  }

  describe("list, approve, publish, show", function () {
    it("lists as the holder, approves as the co-owner, publishes as the centre and shows it", async function () {
      const listed = await govledgerJson<Record<string, any>>(listArgs(), PARTY_KEYS.university);
      expect(listed).to.include({
        id: "1",
        achievement: achievement.toString(),
        lister: DID(m.university.did),
        actor: DID(m.university.did),
        broker: null,
        centre: DID(m.centre.did),
        mode: "fixed",
        token: await m.currency.getAddress(),
        price: "100000000",
        termsHash: hashOf("listing document (挂牌文件)"),
      });
      expect(listed.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
      expect((await m.market.scheduleOf(1)).map((i) => [i.bps, i.dueAfter])).to.deep.equal([
        [3000n, 30n * DAY],
        [7000n, 90n * DAY],
      ]);

      expect(await succeeds(["trade", "approve", "1"], PARTY_KEYS.team)).to.match(
        new RegExp(`^approved listing 1 for ${DID(m.team.did)}$`, "m"),
      );
      const published = await govledgerJson(["trade", "publish", "1", "--centre-fee", "300"], PARTY_KEYS.centre);
      expect(published).to.include({ id: "1", centre: DID(m.centre.did), centreFeeBps: 300 });

      const view = await govledgerJson<Record<string, any>>(["trade", "listing", "1"]);
      expect(view).to.include({
        id: "1",
        mode: "fixed",
        status: "Published",
        lister: DID(m.university.did),
        centre: DID(m.centre.did),
        broker: null,
        price: "1000000.00",
        centreFeeBps: 300,
        inventorBps: 1000,
      });
      expect(view.licence).to.deep.equal({
        kind: "exclusive",
        field: "480",
        territory: "310000",
        start: null,
        termDays: 1825,
        sublicensable: false,
      });
      expect(view.schedule).to.deep.equal([
        { number: 1, bps: 3000, percent: 30, dueAfterDays: 30 },
        { number: 2, bps: 7000, percent: 70, dueAfterDays: 90 },
      ]);
      expect(view.sale).to.deep.equal({
        status: "Published",
        round: 0,
        buyer: null,
        price: null,
        dealableAt: null,
        lapsesAt: null,
        handover: null,
        escrow: null,
        licence: null,
        dealRef: null,
      });

      const text = await succeeds(["trade", "listing", "1"]);
      expect(text).to.match(/^status\s+Published$/m);
      expect(text).to.match(/^price\s+1000000\.00 e-CNY\(test\)$/m);
      expect(text).to.match(
        /^licence\s+exclusive, field 480, territory 310000, from the deal for 1825 days, not sublicensable$/m,
      );
      expect(text).to.match(/^instalment 2\s+70 % due 90 days after the deal$/m);
    });

    it("lists as a broker for the holder under a trade mandate, with its commission", async function () {
      const until = (await now()) + 30n * DAY;
      await (
        await m.identity.connect(m.university.account).grantMandate(m.university.did, m.broker.did, Scope.TRADE, until)
      ).wait();
      const text = await succeeds(listArgs(["--as", DID(m.university.did), "--broker-fee", "200"]), PARTY_KEYS.broker);
      expect(text).to.match(
        new RegExp(
          `^submitted listing 1 of achievement ${achievement} \\(fixed, 1000000\\.00 e-CNY\\(test\\)\\) for ${DID(m.university.did)} by broker ${DID(m.broker.did)}: every disposal-right party approves, then centre ${DID(m.centre.did)} publishes it$`,
          "m",
        ),
      );
      const view = await govledgerJson(["trade", "listing", "1"]);
      expect(view).to.include({ broker: DID(m.broker.did), brokerBps: 200, status: "Submitted" });
      await refusesAs(
        PARTY_KEYS.university,
        () => govledger(listArgs(["--broker-fee", "200"]), PARTY_KEYS.university),
        /a broker's commission of 200 bps names no broker/,
      );
    });

    it("buys at the fixed price and the centre confirms the deal", async function () {
      const id = await publishListing(m, listingTermsOf(m, achievement));
      const bought = await govledgerJson<Record<string, any>>(["trade", "buy", id.toString()], PARTY_KEYS.buyer);
      expect(bought).to.include({ id: id.toString(), buyer: DID(m.buyer.did), price: "100000000" });

      const handover = (await now()) + 10n * DAY;
      const deal = await govledgerJson<Record<string, any>>(
        ["trade", "deal", id.toString(), "--deal", "成交确认书 2026-001", "--handover", handover.toString()],
        PARTY_KEYS.centre,
      );
      expect(deal).to.include({
        id: id.toString(),
        dealRef: hashOf("成交确认书 2026-001"),
        buyer: DID(m.buyer.did),
        seller: DID(m.university.did),
        centre: DID(m.centre.did),
        mode: "fixed",
        price: "100000000",
        escrow: "1",
        licence: "1",
        handover: handover.toString(),
      });
      expect((await m.escrow.escrowOf(1)).buyer).to.equal(m.buyer.did);
      const text = await succeeds(["trade", "listing", id.toString()]);
      expect(text).to.match(/^status\s+Dealt$/m);
      expect(text).to.match(/^escrow\s+1$/m);
      expect(text).to.match(new RegExp(`^handover\\s+${isoOf(handover)}$`, "m"));
    });

    it("withdraws a listing as the lister, and the centre cancels another", async function () {
      const id = await submitListing(m, listingTermsOf(m, achievement));
      const w = await govledgerJson(
        ["trade", "withdraw-listing", id.toString(), "--reason", "price too low"],
        PARTY_KEYS.university,
      );
      expect(w).to.include({ id: id.toString(), actor: DID(m.university.did), reasonHash: hashOf("price too low") });
      const other = await publishListing(m, listingTermsOf(m, achievement));
      await refusesAs(
        PARTY_KEYS.centre,
        () => govledger(["trade", "cancel", other.toString()], PARTY_KEYS.centre),
        /^govledger: missing reason: pass --reason <text> or --reason-hash <hash>$/,
      );
      const text = await succeeds(["trade", "cancel", other.toString(), "--reason", "objection"], PARTY_KEYS.centre);
      expect(text).to.match(new RegExp(`^cancelled listing ${other} \\(${DID(m.centre.did)}\\)`, "m"));
      expect((await m.market.saleOf(other)).status).to.equal(BigInt(ListingStatus.Withdrawn));
    });

    context("when the input is bad", function () {
      it("refuses a malformed price", async function () {
        await refusesAs(
          PARTY_KEYS.university,
          () => govledger(listArgs([], "fixed", "1,000,000.00"), PARTY_KEYS.university),
          /^govledger: the price "1,000,000\.00" is not valid: expected a decimal amount such as 300000\.00/,
        );
        await refusesAs(
          PARTY_KEYS.university,
          () => govledger(listArgs([], "fixed", "1000000.001"), PARTY_KEYS.university),
          /^govledger: the price "1000000\.001" has 3 decimals: the token has 2/,
        );
      });

      it("refuses malformed instalments, terms, modes and documents", async function () {
        const u = PARTY_KEYS.university;
        const args = listArgs();
        const swap = (flag: string, ...values: string[]) => {
          const at = args.indexOf(flag);
          const end = flag === "--instalment" ? at + 3 : at + 2;
          return [...args.slice(0, at), flag, ...values, ...args.slice(end)];
        };
        await refusesAs(
          u,
          () => govledger(swap("--instalment", "30%-30", "70%@90"), u),
          /--instalment "30%-30" is not valid: expected <share>@<days after the deal>/,
        );
        await refusesAs(
          u,
          () => govledger(swap("--instalment", "30%@30", "60%@90"), u),
          /the instalments' shares sum to 90 % \(30 % \+ 60 %\), not 100 %/,
        );
        await refusesAs(
          u,
          () => govledger(swap("--term", "forever"), u),
          /--term "forever" is not valid: expected years or days, e.g. 5y or 400d/,
        );
        await refusesAs(
          u,
          () => govledger(swap("--mode", "barter"), u),
          /mode "barter" is not one of: fixed, negotiated, auction/,
        );
        await refusesAs(u, () => govledger(swap("--kind", "perpetual"), u), /licence kind "perpetual" is not one of/);
        await refusesAs(
          u,
          () => govledger(swap("--achievement", "12345"), u),
          /--achievement "12345" is not 12 digits/,
        );
        await refusesAs(
          u,
          () => govledger(listArgs(["--deposit", "100.00"]), u),
          /a fixed-price listing takes no deposit/,
        );
        const noDocument = args.slice(0, args.indexOf("--document"));
        await refusesAs(u, () => govledger(noDocument, u), /missing listing document \(挂牌文件\)/);
      });

      it("refuses a listing by a DID that holds no disposal right", async function () {
        await refusesAs(
          PARTY_KEYS.outsider,
          () => govledger(listArgs(), PARTY_KEYS.outsider),
          new RegExp(`DID ${m.outsider.did} is not a party of achievement ${achievement}'s disposal right`),
        );
      });

      it("refuses an unknown listing", async function () {
        await refuses(
          () => govledger(["trade", "listing", "9"]),
          /^govledger: listing 9 does not exist: no listing was submitted yet$/,
        );
        await publishListing(m, listingTermsOf(m, achievement));
        await refusesAs(
          PARTY_KEYS.buyer,
          () => govledger(["trade", "buy", "9"], PARTY_KEYS.buyer),
          /^govledger: listing 9 does not exist: listings run from 1 to 1$/,
        );
        await refuses(() => govledger(["trade", "listing", "zero"]), /listing id "zero" is not valid/);
      });

      it("refuses to publish before every disposal-right party approved", async function () {
        await (
          await m.market.connect(m.university.account).list(listingTermsOf(m, achievement), m.university.did)
        ).wait();
        await refusesAs(
          PARTY_KEYS.centre,
          () => govledger(["trade", "publish", "1", "--centre-fee", "300"], PARTY_KEYS.centre),
          new RegExp(
            `disposal-right party DID ${m.team.did} has not approved listing 1: it approves first \\(govledger trade approve 1 --as ${m.team.did}\\)`,
          ),
        );
      });
    });
  });

  describe("negotiated price", function () {
    let id: string;

    beforeEach(async function () {
      id = (await publishListing(m, listingTermsOf(m, achievement, { mode: Mode.Negotiated }))).toString();
    });

    it("signs an offer into a file as the buyer; the seller accepts it; the deal waits the notice period", async function () {
      const text = await succeeds(
        ["trade", "offer", id, "--price", "950000.00", "--out", "offer.json"],
        PARTY_KEYS.buyer,
      );
      expect(text).to.match(
        new RegExp(
          `^signed an offer of 950000\\.00 e-CNY\\(test\\) on listing ${id} for ${DID(m.buyer.did)} \\(round 0\\), valid until `,
          "m",
        ),
      );
      const file = JSON.parse(readFileSync(path.join(root, "offer.json"), "utf8"));
      expect(file.offer).to.include({ listing: id, round: 0, buyer: m.buyer.did.toString(), price: "95000000" });
      expect(file.signer).to.equal(m.buyer.address);

      const accepted = await govledgerJson<Record<string, any>>(
        ["trade", "accept", "--offer", "offer.json"],
        PARTY_KEYS.university,
      );
      expect(accepted).to.include({ id, buyer: DID(m.buyer.did), price: "95000000" });
      const dealableAt = BigInt(accepted.dealableAt);
      expect(dealableAt).to.equal((await now()) + 15n * DAY);

      await refusesAs(
        PARTY_KEYS.centre,
        () => govledger(["trade", "deal", id, "--deal", "deal"], PARTY_KEYS.centre),
        new RegExp(
          `^govledger: the notice period of listing ${id} runs until ${isoOf(dealableAt)}: confirm the deal after that$`,
        ),
      );
      await refusesAs(
        PARTY_KEYS.university,
        () => govledger(["trade", "accept", "--offer", "offer.json"], PARTY_KEYS.university),
        new RegExp(`^govledger: listing ${id} is Awarded: it can be accepted only while Published$`),
      );
      await time.increaseTo(dealableAt);
      const deal = await govledgerJson(["trade", "deal", id, "--deal", "deal"], PARTY_KEYS.centre);
      expect(deal).to.include({ mode: "negotiated", price: "95000000", escrow: "1" });
    });

    it("prints the signed offer when no file is named", async function () {
      const printed = await govledgerJson<Record<string, any>>(
        ["trade", "offer", id, "--price", "900000.00"],
        PARTY_KEYS.buyer,
      );
      expect(printed.offer).to.include({ listing: id, price: "90000000", buyer: m.buyer.did.toString() });
      expect(printed.signature).to.match(/^0x[0-9a-f]{130}$/);
      const text = await succeeds(["trade", "offer", id, "--price", "900000.00"], PARTY_KEYS.buyer);
      expect(JSON.parse(text).offer.price).to.equal("90000000");
      const written = await govledgerJson<Record<string, any>>(
        ["trade", "offer", id, "--price", "900000.00", "--out", "json-offer.json"],
        PARTY_KEYS.buyer,
      );
      expect(written.file).to.equal(path.join(root, "json-offer.json"));
      const { file, ...document } = written;
      expect(JSON.parse(readFileSync(file, "utf8"))).to.deep.equal(document);
    });

    context("when the offer cannot be accepted", function () {
      it("refuses an expired offer", async function () {
        const expiry = (await now()) + 3600n;
        await succeeds(
          ["trade", "offer", id, "--price", "950000.00", "--expiry", expiry.toString(), "--out", "old.json"],
          PARTY_KEYS.buyer,
        );
        await time.increaseTo(expiry + 1n);
        await refusesAs(
          PARTY_KEYS.university,
          () => govledger(["trade", "accept", "--offer", "old.json"], PARTY_KEYS.university),
          new RegExp(`^govledger: offer expired at ${isoOf(expiry)}: ask the buyer for a new offer$`),
        );
      });

      it("refuses an offer signed by the seller side, a missing file and a file that is no offer", async function () {
        await refusesAs(
          PARTY_KEYS.university,
          () => govledger(["trade", "offer", id, "--price", "1.00"], PARTY_KEYS.university),
          /is the lister of listing 1: the seller side cannot buy or bid/,
        );
        await refusesAs(
          PARTY_KEYS.university,
          () => govledger(["trade", "accept", "--offer", "missing.json"], PARTY_KEYS.university),
          /^govledger: cannot read offer file "missing.json": ENOENT$/,
        );
        await succeeds(["trade", "offer", id, "--price", "950000.00", "--out", "good.json"], PARTY_KEYS.buyer);
        const bad = JSON.parse(readFileSync(path.join(root, "good.json"), "utf8"));
        bad.offer.price = "1.5";
        writeFileSync(path.join(root, "bad.json"), JSON.stringify(bad));
        await refusesAs(
          PARTY_KEYS.university,
          () => govledger(["trade", "accept", "--offer", "bad.json"], PARTY_KEYS.university),
          /^govledger: offer file "bad.json": the offer's price "1.5" is not valid/,
        );
        // Accepted by a key that does not act for the lister: the seller's signature is refused.
        await refusesAs(
          PARTY_KEYS.outsider,
          () => govledger(["trade", "accept", "--offer", "good.json"], PARTY_KEYS.outsider),
          new RegExp(`the seller's signer 0x[0-9a-fA-F]{40} does not act for seller DID ${m.university.did}`),
        );
      });

      it("refuses to buy a negotiated listing (wrong mode)", async function () {
        await refusesAs(
          PARTY_KEYS.buyer,
          () => govledger(["trade", "buy", id], PARTY_KEYS.buyer),
          /listing 1 is sold at a negotiated price \(make an offer\), not at a fixed price/,
        );
      });
    });
  });

  describe("auction", function () {
    let id: string;
    let ends: bigint;

    beforeEach(async function () {
      await (await m.currency.mint(m.outsider.address, BUYER_FUNDS)).wait();
      const listed = await auctionListed();
      [id, ends] = [listed.id.toString(), listed.ends];
    });

    it("registers bidders (approving the deposit), takes bids, closes, refunds and deals", async function () {
      await refusesAs(
        PARTY_KEYS.buyer,
        () => govledger(["trade", "register-bidder", id], PARTY_KEYS.buyer),
        /^govledger: insufficient allowance: the market may take 0\.00 of e-CNY\(test\), the deposit of listing 1 is 50000\.00 — approve 50000\.00 first \(--approve\)$/,
      );
      const reg = await govledgerJson<Record<string, any>>(
        ["trade", "register-bidder", id, "--approve"],
        PARTY_KEYS.buyer,
      );
      expect(reg).to.include({ id, did: DID(m.buyer.did), deposit: "5000000" });
      expect(reg.approvalTransactionHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(await m.currency.balanceOf(await m.market.getAddress())).to.equal(5_000_000n);
      const text = await succeeds(["trade", "register-bidder", id, "--approve"], PARTY_KEYS.outsider);
      expect(text).to.match(/^approved the market for the deposit \(tx 0x[0-9a-f]{64}\)$/m);
      expect(text).to.match(
        new RegExp(
          `^registered ${DID(m.outsider.did)} as a bidder of listing 1, deposit 50000\\.00 e-CNY\\(test\\)$`,
          "m",
        ),
      );

      await refusesAs(
        PARTY_KEYS.buyer,
        () => govledger(["trade", "bid", id, "400000.00"], PARTY_KEYS.buyer),
        /^govledger: the bid 400000\.00 is below the minimum 500000\.00 e-CNY\(test\) \(the reserve\)$/,
      );
      await refusesAs(
        PARTY_KEYS.buyer,
        () => govledger(["trade", "bid", id, "lots"], PARTY_KEYS.buyer),
        /the bid "lots" is not valid/,
      );
      const bid = await govledgerJson(["trade", "bid", id, "500000.00"], PARTY_KEYS.buyer);
      expect(bid).to.include({ id, bidder: DID(m.buyer.did), amount: "50000000" });
      expect(await succeeds(["trade", "bid", id, "520000.00"], PARTY_KEYS.outsider)).to.match(
        new RegExp(`^bid 520000\\.00 e-CNY\\(test\\) on listing 1 for ${DID(m.outsider.did)}$`, "m"),
      );
      await refusesAs(
        PARTY_KEYS.outsider,
        () => govledger(["trade", "close-auction", id], PARTY_KEYS.outsider),
        new RegExp(`^govledger: bidding on listing 1 runs until ${isoOf(ends)}: close it after that$`),
      );
      const listing = await succeeds(["trade", "listing", id]);
      expect(listing).to.match(new RegExp(`^highest bidder\\s+${DID(m.outsider.did)}$`, "m"));
      expect(listing).to.match(/^highest bid\s+520000\.00 e-CNY\(test\)$/m);

      await time.increaseTo(ends);
      const closed = await govledgerJson(["trade", "close-auction", id], PARTY_KEYS.buyer);
      expect(closed).to.include({ id, status: "Awarded", winner: DID(m.outsider.did), price: "52000000" });
      await refusesAs(
        PARTY_KEYS.outsider,
        () => govledger(["trade", "withdraw-deposit", id], PARTY_KEYS.outsider),
        /the deposit of DID \d+ on listing 1 is the winner's/,
      );
      const refund = await govledgerJson(["trade", "withdraw-deposit", id], PARTY_KEYS.buyer);
      expect(refund).to.include({ id, did: DID(m.buyer.did), to: m.buyer.address, amount: "5000000" });
      expect(await m.currency.balanceOf(m.buyer.address)).to.equal(BUYER_FUNDS);

      const deal = await govledgerJson<Record<string, any>>(
        ["trade", "deal", id, "--deal", "auction deal"],
        PARTY_KEYS.centre,
      );
      expect(deal).to.include({ mode: "auction", buyer: DID(m.outsider.did), price: "52000000" });
      const escrow = await govledgerJson<Record<string, any>>(["trade", "show", deal.escrow]);
      expect(escrow.milestones.map((x: any) => [x.amount, x.status])).to.deep.equal([
        ["5000000", "Funded"],
        ["14100000", "Awaiting"],
        ["32900000", "Awaiting"],
      ]);
    });

    it("rejects a bidder before its first bid, who then withdraws its deposit; an unsold auction lapses", async function () {
      await succeeds(["trade", "register-bidder", id, "--approve"], PARTY_KEYS.buyer);
      await refusesAs(
        PARTY_KEYS.centre,
        () => govledger(["trade", "reject-bidder", id, DID(m.buyer.did)], PARTY_KEYS.centre),
        /missing reason/,
      );
      const rejected = await govledgerJson(
        ["trade", "reject-bidder", id, DID(m.buyer.did), "--reason", "failed the qualification check"],
        PARTY_KEYS.centre,
      );
      expect(rejected).to.include({ id, did: DID(m.buyer.did), actor: DID(m.centre.did) });
      await refusesAs(
        PARTY_KEYS.buyer,
        () => govledger(["trade", "bid", id, "500000.00"], PARTY_KEYS.buyer),
        /is not a registered bidder of listing 1 \(rejected by the centre\)/,
      );
      const w = await succeeds(["trade", "withdraw-deposit", id, "--to", m.outsider.address], PARTY_KEYS.buyer);
      expect(w).to.match(
        new RegExp(
          `^withdrew the deposit of ${DID(m.buyer.did)} on listing 1: 50000\\.00 e-CNY\\(test\\) to ${m.outsider.address}$`,
          "m",
        ),
      );

      await time.increaseTo(ends);
      await refusesAs(
        PARTY_KEYS.buyer,
        () => govledger(["trade", "register-bidder", id, "--approve"], PARTY_KEYS.buyer),
        new RegExp(`^govledger: bidding on listing 1 closed at ${isoOf(ends)}$`),
      );
      const closed = await govledgerJson(["trade", "close-auction", id], PARTY_KEYS.outsider);
      expect(closed).to.include({ status: "Lapsed", winner: null, price: "0" });
    });

    it("lapses an award no deal followed", async function () {
      await succeeds(["trade", "register-bidder", id, "--approve"], PARTY_KEYS.buyer);
      await succeeds(["trade", "bid", id, "500000.00"], PARTY_KEYS.buyer);
      await time.increaseTo(ends);
      const closed = await govledgerJson<Record<string, any>>(["trade", "close-auction", id], PARTY_KEYS.buyer);
      const lapsesAt = BigInt(closed.dealableAt) + 30n * DAY;
      await refusesAs(
        PARTY_KEYS.outsider,
        () => govledger(["trade", "lapse", id], PARTY_KEYS.outsider),
        new RegExp(
          `^govledger: the award of listing 1 may be lapsed only from ${isoOf(lapsesAt)}, if no deal follows$`,
        ),
      );
      await time.increaseTo(lapsesAt);
      const lapsed = await govledgerJson(["trade", "lapse", id], PARTY_KEYS.outsider);
      expect(lapsed).to.include({ id, status: "Lapsed" });
      expect(lapsed.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(await govledgerJson(["trade", "withdraw-deposit", id], PARTY_KEYS.buyer)).to.include({
        amount: "5000000",
      });
    });

    it("refuses a bid in the wrong phase and an approval for a registration that would fail", async function () {
      const cancelled = await govledgerJson(["trade", "cancel", id, "--reason", "cancelled"], PARTY_KEYS.centre);
      expect(cancelled).to.include({
        id,
        actor: DID(m.centre.did),
        reasonHash: hashOf("cancelled"),
        status: "Withdrawn",
      });
      await refusesAs(
        PARTY_KEYS.buyer,
        () => govledger(["trade", "bid", id, "500000.00"], PARTY_KEYS.buyer),
        /^govledger: listing 1 is Withdrawn: it can be bid on only while Published$/,
      );
      await refusesAs(
        PARTY_KEYS.buyer,
        () => govledger(["trade", "register-bidder", id, "--approve"], PARTY_KEYS.buyer),
        /^govledger: listing 1 is Withdrawn: it can be registered for only while Published$/,
      );
      expect(await m.currency.allowance(m.buyer.address, await m.market.getAddress())).to.equal(0n);
    });
  });
});
