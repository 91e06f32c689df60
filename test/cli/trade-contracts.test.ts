import { expect } from "chai";
import { network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { HDNodeWallet } from "ethers";
import type { HardhatNetworkHDAccountsConfig } from "hardhat/types";
import { hashOf, now } from "../helpers/identity";
import { register, registrationOf, signChange, type RightsChange } from "../helpers/achievement";
import { tradeFixture, type TradeModule } from "../helpers/trade";
import { KEYS, consortium, govledger, govledgerJson, refuses, succeeds } from "./harness";

const DID = (id: bigint | number) => `did:govledger:31337:${id}`;
const DAY = 86_400n;
const NUMBER = "2026310104000117";

/** The key of Hardhat account #`index` (the trade fixture's parties). */
function keyOf(index: number): string {
  const accounts = network.config.accounts as HardhatNetworkHDAccountsConfig;
  return HDNodeWallet.fromPhrase(accounts.mnemonic, accounts.passphrase, `${accounts.path}/${index}`).privateKey;
}

const PARTY_KEYS = {
  centre: KEYS.councillor3,
  buyer: keyOf(14),
};

const isoOf = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();

describe("govledger trade register-contract, certify, contract (CLI)", function () {
  let m: TradeModule;
  let patent: bigint;

  beforeEach(async function () {
    await consortium();
    m = await tradeFixture();
    patent = await register(m, registrationOf([{ party: m.university, bps: 10_000 }]));
  });

  /** `register-contract` of the patent's assignment by the university to the buyer, with `overrides` of flags. */
  async function registerArgs(overrides: Record<string, string | undefined> = {}): Promise<string[]> {
    const t = await now();
    const flags: Record<string, string | undefined> = {
      "--number": NUMBER,
      "--type": "transfer",
      "--contract": "technology contract (技术转让合同) 2026-0117",
      "--seller": DID(m.university.did),
      "--buyer": DID(m.buyer.did),
      "--amount": "300000.00",
      "--signed": isoOf(t - DAY),
      "--valid-from": isoOf(t),
      "--valid-until": isoOf(t + 365n * DAY),
      "--achievement": patent.toString(),
      "--deal": "deal confirmation (成交确认书) 2026-0117",
      ...overrides,
    };
    return [
      "trade",
      "register-contract",
      ...Object.entries(flags).flatMap(([flag, value]) => (value === undefined ? [] : [flag, value])),
    ];
  }

  /** Moves ownership of the patent to the buyer, as the university and the buyer consent. */
  async function assignToBuyer(): Promise<void> {
    const { version } = await m.achievements.getAchievement(patent);
    const c: RightsChange = {
      achievement: patent,
      right: 0,
      holdings: [{ did: m.buyer.did, bps: 10_000 }],
      until: 0,
      holder: m.buyer.address,
      version,
      deadline: (await time.latest()) + 86_400,
    };
    const consents = [await signChange(m, m.buyer, c)];
    await (await m.rights.connect(m.university.account).changeRights(c, consents, m.university.did)).wait();
  }

  describe("register-contract and contract", function () {
    it("registers an assignment as the centre and shows it by number and by id", async function () {
      const result = await govledgerJson<Record<string, unknown>>(await registerArgs(), PARTY_KEYS.centre);
      expect(result).to.include({
        id: "1",
        number: NUMBER,
        type: "transfer",
        centre: DID(m.centre.did),
        seller: DID(m.university.did),
        buyer: DID(m.buyer.did),
        amount: "30000000",
        achievement: patent.toString(),
        contractHash: hashOf("technology contract (技术转让合同) 2026-0117"),
      });
      expect(result.transactionHash).to.match(/^0x[0-9a-f]{64}$/);

      const view = await govledgerJson<Record<string, unknown>>(["trade", "contract", NUMBER]);
      expect(view).to.include({
        id: "1",
        number: NUMBER,
        status: "Registered",
        buyer: DID(m.buyer.did),
        licence: null,
        certificateHash: null,
        dealRef: hashOf("deal confirmation (成交确认书) 2026-0117"),
      });
      expect(await govledgerJson(["trade", "contract", "1"])).to.deep.equal(view);

      const text = await succeeds(["trade", "contract", "1"]);
      expect(text).to.match(/^amount\s+300000\.00 yuan$/m);
      expect(text).to.match(/^status\s+Registered$/m);
      expect(text).to.match(/^certificate\s+-$/m);
    });

    it("registers a consulting contract without achievement, from a contract hash", async function () {
      const text = await succeeds(
        await registerArgs({
          "--type": "consulting",
          "--achievement": undefined,
          "--deal": undefined,
          "--contract": undefined,
          "--contract-hash": hashOf("consulting contract"),
          "--amount": "5000",
        }),
        PARTY_KEYS.centre,
      );
      expect(text).to.match(/^registered technology contract 1 \(2026310104000117, consulting, 5000\.00 yuan\)/m);
      expect(text).to.match(/^tx 0x[0-9a-f]{64}$/m);
    });

    context("when the input is bad", function () {
      const cases: [string, Record<string, string | undefined>, RegExp][] = [
        [
          "a malformed registration number",
          { "--number": "2026-310104-000117" },
          /^govledger: technology-contract number "2026-310104-000117" is not 16 digits \(a registration number is a year 1985–2200/,
        ],
        [
          "a registration number of a year before 1985",
          { "--number": "1984310104000117" },
          /year 1984 in "1984310104000117" is outside 1985–2200/,
        ],
        [
          "an unknown type",
          { "--type": "sale" },
          /^govledger: --type "sale" is not valid: expected one of development/,
        ],
        [
          "a malformed signing date",
          { "--signed": "2026-02-30" },
          /^govledger: --signed "2026-02-30" is not a valid time/,
        ],
        [
          "a malformed contract hash",
          { "--contract": undefined, "--contract-hash": "0x1234" },
          /^govledger: contract "0x1234" is not valid: expected a 32-byte hash/,
        ],
        [
          "a missing contract",
          { "--contract": undefined },
          /^govledger: missing contract: pass --contract <text>, --contract-hash <hash> or --contract-file <file>$/,
        ],
        [
          "a malformed amount",
          { "--amount": "300,000.00" },
          /^govledger: contract amount "300,000.00" is not valid: expected yuan with at most 2 decimals/,
        ],
        [
          "a malformed achievement number",
          { "--achievement": "3120262" },
          /^govledger: --achievement "3120262" is not 12 digits/,
        ],
        ["a malformed buyer DID", { "--buyer": "did:other:1" }, /^govledger: --buyer: /],
        [
          "an assignment without achievement",
          { "--achievement": undefined },
          /^govledger: a transfer contract must name the achievement it concerns$/,
        ],
        [
          "a validity that ends before it starts",
          { "--valid-until": "2000-01-01" },
          /^govledger: the contract's validity ends \(2000-01-01T00:00:00\.000Z\) before or when it starts/,
        ],
      ];
      for (const [what, overrides, problem] of cases) {
        it(`refuses ${what}, sending nothing`, async function () {
          const args = await registerArgs(overrides);
          await refuses(() => govledger(args, PARTY_KEYS.centre), problem);
        });
      }

      it("refuses an unknown buyer DID, sending nothing", async function () {
        const unknown = (await m.identity.didCount()) + 1n;
        const args = await registerArgs({ "--buyer": DID(unknown) });
        await refuses(
          () => govledger(args, PARTY_KEYS.centre),
          new RegExp(`^govledger: buyer DID ${unknown} is unknown: no such DID on this chain$`),
        );
      });

      it("refuses a seller who is no party of the achievement, with the register's reason", async function () {
        const args = await registerArgs({ "--seller": DID(m.bank.did) });
        await refuses(
          () => govledger(args, PARTY_KEYS.centre),
          new RegExp(
            `^govledger: TechContractSellerNotParty: seller DID ${m.bank.did} is no party of achievement ${patent} — `,
          ),
        );
      });

      it("refuses a caller that is not a trading centre", async function () {
        const args = await registerArgs();
        await refuses(
          () => govledger(args, KEYS.councillor1),
          /^govledger: AccessManagedUnauthorized: 0x[0-9a-fA-F]{40} is not authorised for this call/,
        );
      });
    });
  });

  describe("certify", function () {
    beforeEach(async function () {
      await succeeds(await registerArgs(), PARTY_KEYS.centre);
    });

    it("refuses an assignment until the buyer owns the achievement, then certifies it by number", async function () {
      const args = ["trade", "certify", NUMBER, "--certificate", "交易凭证 2026-0117"];
      await refuses(
        () => govledger(args, PARTY_KEYS.centre),
        new RegExp(
          `^govledger: TechContractTransferPending: buyer DID ${m.buyer.did} does not yet own achievement ${patent} — `,
        ),
      );
      await assignToBuyer();
      const result = await govledgerJson<Record<string, unknown>>(args, PARTY_KEYS.centre);
      expect(result).to.include({ id: "1", centre: DID(m.centre.did), certificateHash: hashOf("交易凭证 2026-0117") });
      const view = await govledgerJson<Record<string, unknown>>(["trade", "contract", "1"]);
      expect(view).to.include({ status: "Certified", certificateHash: hashOf("交易凭证 2026-0117") });
      const text = await succeeds(["trade", "contract", NUMBER]);
      expect(text).to.match(new RegExp(`^certificate\\s+${hashOf("交易凭证 2026-0117")}$`, "m"));
    });

    it("refuses a malformed contract reference, a malformed hash or no certificate, sending nothing", async function () {
      for (const [args, problem] of [
        [
          ["trade", "certify", "2026-0117", "--certificate", "c"],
          /^govledger: contract "2026-0117" is not valid: expected a contract id such as 1 or a 16-digit registration number/,
        ],
        [["trade", "certify", "2026910104000117", "--certificate", "c"], /administrative-division code 910104/],
        [
          ["trade", "certify", "1", "--certificate-hash", "0xzz"],
          /^govledger: certificate "0xzz" is not valid: expected a 32-byte hash/,
        ],
        [["trade", "certify", "1"], /^govledger: missing certificate: pass --certificate <text>/],
        [
          ["trade", "certify", "2026310104000118", "--certificate", "c"],
          /^govledger: no technology contract is registered under number 2026310104000118$/,
        ],
      ] as [string[], RegExp][]) {
        await refuses(() => govledger(args, PARTY_KEYS.centre), problem);
      }
    });

    it("refuses a key of another party, with the register's reason", async function () {
      await refuses(
        () => govledger(["trade", "certify", "1", "--certificate", "c"], PARTY_KEYS.buyer),
        /^govledger: AccessManagedUnauthorized: 0x[0-9a-fA-F]{40} is not authorised for this call/,
      );
    });
  });

  describe("contract", function () {
    it("refuses an unknown contract and a malformed reference", async function () {
      await refuses(
        () => govledger(["trade", "contract", "7"]),
        /^govledger: TechContractUnknown: no technology contract 7 — /,
      );
      await refuses(
        () => govledger(["trade", "contract", "0"]),
        /^govledger: contract "0" is not valid: expected a contract id/,
      );
    });
  });
});
