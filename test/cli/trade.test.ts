import { expect } from "chai";
import { network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { HDNodeWallet } from "ethers";
import type { HardhatNetworkHDAccountsConfig } from "hardhat/types";
import { hashOf, now } from "../helpers/identity";
import { register, registrationOf } from "../helpers/achievement";
import { BUYER_FUNDS, openEscrow, termsOf, tradeFixture, type TradeModule } from "../helpers/trade";
import { KEYS, consortium, govledger, govledgerJson, refuses, succeeds } from "./harness";

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
  arbitrator: keyOf(11),
  buyer: keyOf(14),
  outsider: keyOf(10),
};

const isoOf = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();

describe("govledger trade (CLI)", function () {
  let m: TradeModule;

  beforeEach(async function () {
    await consortium();
    m = await tradeFixture();
  });

  /** Opens the termsOf deal (300,000.00 in 30 days, 700,000.00 in 90) directly; returns its id as text. */
  async function opened(): Promise<string> {
    return (await openEscrow(m, await termsOf(m))).toString();
  }

  async function funded(): Promise<string> {
    const id = await opened();
    await succeeds(["trade", "fund", id, "1", "--approve"], PARTY_KEYS.buyer);
    return id;
  }

  async function openArgs(milestones: string[]): Promise<string[]> {
    return [
      "trade",
      "open",
      "--deal",
      `deal confirmation (成交确认书) ${await now()}`,
      "--buyer",
      DID(m.buyer.did),
      "--seller",
      DID(m.university.did),
      "--broker",
      m.broker.did.toString(),
      "--centre-fee",
      "300",
      "--broker-fee",
      "200",
      "--inventor-share",
      "1000",
      "--holder",
      `${DID(m.university.did)}:7000`,
      `${m.team.did}:3000`,
      "--inventor",
      DID(m.inventor.did),
      DID(m.team.did),
      "--milestone",
      ...milestones,
    ];
  }

  describe("open and show", function () {
    it("opens an escrow as the centre and shows its milestones by status", async function () {
      const t = await now();
      const [due1, due2] = [t + 30n * DAY, t + 90n * DAY];
      const args = await openArgs([`300000.00@${isoOf(due1)}`, `700000.00@${isoOf(due2)}`]);
      const result = await govledgerJson<Record<string, any>>(args, PARTY_KEYS.centre);
      expect(result).to.include({
        id: "1",
        centre: DID(m.centre.did),
        buyer: DID(m.buyer.did),
        seller: DID(m.university.did),
        token: await m.currency.getAddress(),
        total: "100000000",
      });
      expect(result.milestones).to.deep.equal([
        { number: 1, amount: "30000000", due: due1.toString(), status: "Awaiting" },
        { number: 2, amount: "70000000", due: due2.toString(), status: "Awaiting" },
      ]);
      expect(result.transactionHash).to.match(/^0x[0-9a-f]{64}$/);

      const view = await govledgerJson<Record<string, any>>(["trade", "show", "1"]);
      expect(view).to.include({ id: "1", broker: DID(m.broker.did), centreFeeBps: 300, total: "100000000", held: "0" });
      expect(view.token).to.deep.equal({ address: await m.currency.getAddress(), symbol: "e-CNY(test)", decimals: 2 });
      expect(view.holders).to.deep.equal([
        { did: DID(m.university.did), bps: 7000 },
        { did: DID(m.team.did), bps: 3000 },
      ]);

      const text = await succeeds(["trade", "show", "1"]);
      expect(text).to.match(new RegExp(`^milestone 1\\s+300000\\.00 due ${isoOf(due1)} Awaiting$`, "m"));
      expect(text).to.match(/^total\s+1000000\.00 e-CNY\(test\)$/m);
    });

    context("when the input is bad", function () {
      it("refuses a malformed amount", async function () {
        const due = isoOf((await now()) + DAY);
        const args = await openArgs([`300,000.00@${due}`]);
        await refuses(
          () => govledger(args, PARTY_KEYS.centre),
          /milestone 1's amount "300,000.00" is not valid: expected a decimal amount such as 300000\.00/,
        );
      });

      it("refuses a milestone without a due time", async function () {
        const args = await openArgs(["300000.00"]);
        await refuses(
          () => govledger(args, PARTY_KEYS.centre),
          /--milestone "300000.00" is not valid: expected <amount>@<due>/,
        );
      });
    });
  });

  describe("fund, confirm, balance and withdraw", function () {
    it("funds after approving, releases the split and pays it out", async function () {
      const id = await opened();
      const fund = await govledgerJson<Record<string, any>>(["trade", "fund", id, "1", "--approve"], PARTY_KEYS.buyer);
      expect(fund).to.include({ id, milestone: 1, actor: DID(m.buyer.did), amount: "30000000", status: "Funded" });
      expect(fund.approvalTransactionHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(await m.currency.balanceOf(m.buyer.address)).to.equal(BUYER_FUNDS - 30_000_000n);

      const confirm = await govledgerJson<Record<string, any>>(["trade", "confirm", id, "1"], PARTY_KEYS.buyer);
      expect(confirm).to.include({ milestone: 1, status: "Released", amount: "30000000" });
      expect(confirm.credits).to.deep.equal([
        { did: DID(m.centre.did), amount: "900000" },
        { did: DID(m.broker.did), amount: "600000" },
        { did: DID(m.team.did), amount: "1500000" },
        { did: DID(m.inventor.did), amount: "1500000" },
        { did: DID(m.team.did), amount: "7650000" },
        { did: DID(m.university.did), amount: "17850000" },
      ]);

      const balance = await govledgerJson<Record<string, any>>(["trade", "balance", DID(m.university.did)]);
      expect(balance.did).to.equal(DID(m.university.did));
      expect(balance.balances).to.deep.equal([
        {
          token: { address: await m.currency.getAddress(), symbol: "e-CNY(test)", decimals: 2 },
          amount: "17850000",
        },
      ]);
      expect(await succeeds(["trade", "balance"], PARTY_KEYS.university)).to.match(
        /^e-CNY\(test\)\s+0x[0-9a-fA-F]{40}\s+178500\.00$/m,
      );

      const withdrawal = await govledgerJson(["trade", "withdraw"], PARTY_KEYS.university);
      expect(withdrawal).to.include({ did: DID(m.university.did), to: m.university.address, amount: "17850000" });
      expect(await m.currency.balanceOf(m.university.address)).to.equal(17_850_000n);
    });

    it("funds with a permit in one transaction", async function () {
      const id = await opened();
      const text = await succeeds(["trade", "fund", id, "2", "--permit"], PARTY_KEYS.buyer);
      expect(text).to.match(
        new RegExp(
          `^funded milestone 2 of escrow ${id} with 700000\\.00 e-CNY\\(test\\) \\(${DID(m.buyer.did)}\\)$`,
          "m",
        ),
      );
      expect((await m.escrow.milestoneOf(id, 1)).status).to.equal(2n);
    });

    context("when the input is bad", function () {
      it("names the missing allowance", async function () {
        const id = await opened();
        await refuses(
          () => govledger(["trade", "fund", id, "1"], PARTY_KEYS.buyer),
          /^govledger: insufficient allowance: the escrow may take 0\.00 of e-CNY\(test\), milestone 1 needs 300000\.00 — approve it first or use --permit$/,
        );
      });

      it("prints the decoded contract error for a milestone in the wrong phase", async function () {
        const id = await opened();
        await refuses(
          () => govledger(["trade", "confirm", id, "1"], PARTY_KEYS.buyer),
          new RegExp(
            `^govledger: EscrowUnexpectedStatus: milestone 1 of escrow ${id} is Awaiting — Check the milestone's status`,
          ),
        );
      });

      it("refuses a malformed milestone number", async function () {
        const id = await opened();
        await refuses(
          () => govledger(["trade", "fund", id, "0"], PARTY_KEYS.buyer),
          /milestone "0" is not valid: expected a positive whole number/,
        );
      });

      it("refuses --approve with --permit", async function () {
        const id = await opened();
        await refuses(
          () => govledger(["trade", "fund", id, "1", "--approve", "--permit"], PARTY_KEYS.buyer),
          /--approve and --permit exclude each other/,
        );
      });

      it("says when there is nothing to withdraw", async function () {
        await refuses(
          () => govledger(["trade", "withdraw"], PARTY_KEYS.university),
          new RegExp(`DID ${m.university.did} has nothing to withdraw`),
        );
      });
    });
  });

  describe("reclaim", function () {
    it("credits the buyer back after the due time", async function () {
      const id = await funded();
      await time.increaseTo((await m.escrow.milestoneOf(id, 0)).terms.due + 1n);
      const result = await govledgerJson<Record<string, any>>(["trade", "reclaim", id, "1"], PARTY_KEYS.buyer);
      expect(result).to.include({ status: "Refunded", amount: "30000000" });
      expect(result.credits).to.deep.equal([{ did: DID(m.buyer.did), amount: "30000000" }]);
    });

    context("when the milestone is not due yet", function () {
      it("names the due time", async function () {
        const id = await funded();
        const due = isoOf((await m.escrow.milestoneOf(id, 0)).terms.due);
        await refuses(
          () => govledger(["trade", "reclaim", id, "1"], PARTY_KEYS.buyer),
          new RegExp(`^govledger: milestone 1 is due ${due.replace(/\./g, "\\.")}, not yet`),
        );
      });
    });
  });

  describe("dispute, rule and settle", function () {
    it("disputes as the seller and rules a split as the arbitrator", async function () {
      const id = await funded();
      const dispute = await govledgerJson(
        ["trade", "dispute", id, "1", "--reason", "licence not delivered"],
        PARTY_KEYS.university,
      );
      expect(dispute).to.include({
        status: "Disputed",
        actor: DID(m.university.did),
        reasonHash: hashOf("licence not delivered"),
      });

      const ruling = await govledgerJson<Record<string, any>>(
        ["trade", "rule", id, "1", "--to-buyer", "100000.00", "--case", "(2026) 沪仲字第17号"],
        PARTY_KEYS.arbitrator,
      );
      expect(ruling).to.include({
        status: "Resolved",
        toBuyer: "10000000",
        released: "20000000",
        caseRef: hashOf("(2026) 沪仲字第17号"),
      });
      expect(ruling.credits[0]).to.deep.equal({ did: DID(m.buyer.did), amount: "10000000" });
    });

    it("settles with both sides' keys signing here", async function () {
      const id = await funded();
      await succeeds(["trade", "dispute", id, "1", "--reason", "late delivery"], PARTY_KEYS.buyer);
      const run = await govledger(
        [
          "trade",
          "settle",
          id,
          "1",
          "--to-buyer",
          "150000.00",
          "--buyer-key-env",
          "BUYER_KEY",
          "--seller-key-env",
          "SELLER_KEY",
        ],
        PARTY_KEYS.outsider,
        { env: { BUYER_KEY: PARTY_KEYS.buyer, SELLER_KEY: PARTY_KEYS.university } },
      );
      expect(run.stderr).to.deep.equal([]);
      expect(run.stdout[0]).to.equal(
        `settled milestone 1 of escrow ${id}: 150000.00 e-CNY(test) back to the buyer, 150000.00 released`,
      );
    });

    context("when the input is bad", function () {
      it("refuses a malformed amount back to the buyer", async function () {
        const id = await funded();
        await refuses(
          () => govledger(["trade", "rule", id, "1", "--to-buyer", "1e5", "--case", "x"], PARTY_KEYS.arbitrator),
          /the amount back to the buyer "1e5" is not valid/,
        );
      });

      it("refuses a settlement signed by a key that does not act for the seller", async function () {
        const id = await funded();
        await succeeds(["trade", "dispute", id, "1", "--reason", "late delivery"], PARTY_KEYS.buyer);
        await refuses(
          () =>
            govledger(
              ["trade", "settle", id, "1", "--to-buyer", "1.00", "--seller-key-env", "SELLER_KEY"],
              PARTY_KEYS.buyer,
              {
                env: { SELLER_KEY: PARTY_KEYS.outsider },
              },
            ),
          new RegExp(`does not act for seller DID ${m.university.did}`),
        );
      });
    });
  });

  describe("confirm", function () {
    it("confirms as the centre and lists every balance credited", async function () {
      const id = await funded();
      const text = await succeeds(["trade", "confirm", id, "1"], PARTY_KEYS.centre);
      expect(text).to.match(
        new RegExp(`^released milestone 1 of escrow ${id}: 300000\\.00 e-CNY\\(test\\) credited to 6 balances$`, "m"),
      );
      expect(text).to.match(new RegExp(`^  ${DID(m.university.did)} \\+178500\\.00$`, "m"));
      const [held, owed] = await m.escrow.liabilities(await m.currency.getAddress());
      expect([held, owed]).to.deep.equal([0n, 30_000_000n]);
      expect(await m.currency.balanceOf(await m.escrow.getAddress())).to.equal(held + owed);
    });
  });

  describe("licence-check", function () {
    it("exits 0 for a licensed company and 1 for another field or DID", async function () {
      const patent = await register(m, registrationOf([{ party: m.university, bps: 10_000 }]));
      const start = BigInt(await time.latest());
      await (
        await m.licences
          .connect(m.centre.account)
          .record(
            patent,
            m.buyer.did,
            { kind: 2, field: 7, territory: 31, start, end: start + 365n * DAY, sublicensable: false },
            hashOf("deal"),
          )
      ).wait();
      const yes = await govledgerJson([
        "trade",
        "licence-check",
        patent.toString(),
        DID(m.buyer.did),
        "--field",
        "7",
        "--territory",
        "31",
      ]);
      expect(yes).to.include({ licensed: true, licensee: DID(m.buyer.did) });
      const other = await govledger(["trade", "licence-check", patent.toString(), DID(m.buyer.did), "--field", "8"]);
      expect(other.code).to.equal(1);
      expect(other.stdout.join("\n")).to.match(/is not licensed for/);
    });

    it("refuses a malformed territory code before reading anything", async function () {
      await refuses(
        () => govledger(["trade", "licence-check", "312026200001", DID(m.buyer.did), "--territory", "-1"]),
        /^govledger: --territory "-1" is not valid: expected a code from 0 \(all\) to 4294967295$/,
      );
    });
  });
});
