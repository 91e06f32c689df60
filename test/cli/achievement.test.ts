import { mkdtempSync, writeFileSync } from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { network } from "hardhat";
import { HDNodeWallet } from "ethers";
import type { HardhatNetworkHDAccountsConfig } from "hardhat/types";
import { achievementFixture, nextRegistrationNumber, type AchievementModule } from "../helpers/achievement";
import { hashOf } from "../helpers/identity";
import { KEYS, consortium, govledger, govledgerJson, refuses, succeeds } from "./harness";

const DID = (id: bigint | number) => `did:govledger:31337:${id}`;

/** The key of Hardhat account #`index` (the fixture's parties are #5–#11). */
function keyOf(index: number): string {
  const accounts = network.config.accounts as HardhatNetworkHDAccountsConfig;
  return HDNodeWallet.fromPhrase(accounts.mnemonic, accounts.passphrase, `${accounts.path}/${index}`).privateKey;
}

const PARTY_KEYS = {
  university: keyOf(5),
  team: keyOf(6),
  bank: keyOf(8),
  evaluator: keyOf(9),
  arbitrator: keyOf(11),
};

const SIGNERS = { TEAM_KEY: PARTY_KEYS.team, BANK_KEY: PARTY_KEYS.bank };

describe("govledger achievement (CLI)", function () {
  let m: AchievementModule;
  let dir: string;

  beforeEach(async function () {
    await consortium();
    m = await achievementFixture();
    dir = mkdtempSync(path.join(os.tmpdir(), "govledger-achievement-"));
  });

  /** The registration file of a patent co-owned 60/40 by the university and the team. */
  function registrationFile(number = nextRegistrationNumber(), owners?: unknown[]): { file: string; number: string } {
    const file = path.join(dir, `registration-${number}.json`);
    const registration = {
      registrationNumber: number.toString(),
      kind: "patent",
      classification: "applied-research",
      metadata: hashOf(`form:${number}`),
      metadataURI: `ipfs://form-${number}`,
      externalIds: [hashOf(`patent:ZL${number}`)],
      owners: owners ?? [`${DID(m.university.did)}:6000`, { did: m.team.did.toString(), bps: 4000 }],
      inventors: [DID(m.inventor.did)],
      holder: m.university.address,
      form: {
        name: "一种高效固态电池电解质",
        researchStart: "2023-11-01",
        researchEnd: "2025-10-01",
        field: 48020,
        form: 1,
        stage: 2,
        keywords: ["battery", "electrolyte"],
      },
    };
    writeFileSync(file, JSON.stringify(registration));
    return { file, number: number.toString() };
  }

  async function registered(): Promise<string> {
    const { file, number } = registrationFile();
    await succeeds(["achievement", "register", file], KEYS.councillor1);
    return number;
  }

  describe("register", function () {
    it("registers from a JSON file and shows the achievement", async function () {
      const { file, number } = registrationFile();
      const result = await govledgerJson(["achievement", "register", file], KEYS.councillor1);
      expect(result).to.include({
        id: number,
        registrationNumber: number,
        registrar: DID(m.registrarDid),
        holder: m.university.address,
        status: "Registered",
      });
      expect(result.owners).to.deep.equal([
        { did: DID(m.university.did), bps: 6000 },
        { did: DID(m.team.did), bps: 4000 },
      ]);
      expect(result.transactionHash).to.match(/^0x[0-9a-f]{64}$/);

      const view = await govledgerJson<Record<string, any>>(["achievement", "show", number]);
      expect(view).to.include({ registrationNumber: number, kind: "Patent", status: "Registered", frozen: false });
      expect(view.rights.Use.holdings).to.deep.equal(result.owners);
      expect(view.inventors).to.deep.equal([DID(m.inventor.did)]);
      expect(view.registration.form).to.include({ name: "一种高效固态电池电解质", researchStart: "1698796800" });
      expect(view.registration.form.keywords).to.deep.equal(["battery", "electrolyte"]);

      const text = await succeeds(["achievement", "show", number]);
      expect(text).to.match(/^status\s+Registered$/m);
      expect(text).to.match(
        new RegExp(`^ownership\\s+${DID(m.university.did)} 6000 bps, ${DID(m.team.did)} 4000 bps$`, "m"),
      );
    });

    it("registers with flags", async function () {
      const number = nextRegistrationNumber().toString();
      const result = await govledgerJson(
        [
          "achievement",
          "register",
          "--number",
          number,
          "--kind",
          "software-copyright",
          "--classification",
          "technology-development",
          "--metadata",
          "the registration form",
          "--owner",
          `${m.university.did}:10000`,
          "--holder",
          m.university.address,
          "--name",
          "固态电池管理软件",
          "--research-start",
          "2024-01-01",
          "--research-end",
          "2025-01-01",
          "--keyword",
          "battery",
        ],
        KEYS.councillor1,
      );
      expect(result).to.include({ id: number, status: "Registered" });
      const view = await govledgerJson<Record<string, any>>(["achievement", "show", number]);
      expect(view).to.include({ kind: "SoftwareCopyright", classification: "TechnologyDevelopment" });
      expect(view.metadata.hash).to.equal(hashOf("the registration form"));
    });

    context("when the input is bad", function () {
      it("refuses shares that do not sum to 10,000, naming the sum", async function () {
        const { file } = registrationFile(undefined, [`${m.university.did}:6000`, `${m.team.did}:3000`]);
        await refuses(
          () => govledger(["achievement", "register", file], KEYS.councillor1),
          /^govledger: the owners' shares sum to 9000 bps \(6000 \+ 3000\), not 10000$/,
        );
      });

      it("refuses an unknown DID", async function () {
        const { file } = registrationFile(undefined, [`${m.university.did}:6000`, `${DID(999)}:4000`]);
        await refuses(
          () => govledger(["achievement", "register", file], KEYS.councillor1),
          /^govledger: owner DID 999 is unknown: no DID did:govledger:31337:999 on this chain$/,
        );
      });

      it("refuses a malformed registration number", async function () {
        const { file } = registrationFile(31202620001n);
        await refuses(
          () => govledger(["achievement", "register", file], KEYS.councillor1),
          /^govledger: registration file ".*": malformed registration number: "31202620001" is not 12 digits$/,
        );
        await refuses(
          () => govledger(["achievement", "show", "992026200001x"]),
          /^govledger: malformed registration number: "992026200001x" is not 12 digits$/,
        );
      });

      it("refuses a malformed share and another chain's DID", async function () {
        await refuses(
          () =>
            govledger(
              ["achievement", "grant-right", "312026200001", "--right", "use", "--to", `${m.team.did}`],
              PARTY_KEYS.university,
            ),
          /^govledger: --to "\d+" is not valid: expected <did>:<bps>/,
        );
        await refuses(
          () =>
            govledger(
              ["achievement", "grant-right", "312026200001", "--right", "use", "--to", "did:govledger:1:6:10000"],
              PARTY_KEYS.university,
            ),
          /^govledger: --to: did:govledger:1:6 is a DID of chain 1, but this network is chain 31337$/,
        );
      });

      it("prints the decoded refusal of a duplicate registration", async function () {
        const number = await registered();
        const { file } = registrationFile(BigInt(number));
        await refuses(
          () => govledger(["achievement", "register", file], KEYS.councillor1),
          new RegExp(`^govledger: AchievementAlreadyRegistered: achievement ${number} is already registered — `),
        );
      });
    });
  });

  describe("grant-right, history", function () {
    it("grants the team a use right with its signature and lists the history", async function () {
      const number = await registered();
      const granted = await govledgerJsonWith(
        ["achievement", "grant-right", number, "--right", "use", "--to", `${DID(m.team.did)}:10000`],
        ["--until", "2030-01-01", "--sign-key-env", "TEAM_KEY"],
        PARTY_KEYS.university,
      );
      expect(granted).to.include({ id: number, right: "Use", until: "1893456000", actor: DID(m.university.did) });
      expect(granted.holdings).to.deep.equal([{ did: DID(m.team.did), bps: 10_000 }]);

      const history = await govledgerJson<{ name: string; actor: string }[]>(["achievement", "history", number]);
      expect(history.map((e) => e.name)).to.deep.equal([
        "ShareAssigned",
        "ShareAssigned",
        "AchievementRegistered",
        "StatusChanged",
        "ShareAssigned",
        "RightsChanged",
      ]);
      expect(history[5].actor).to.equal(DID(m.university.did));
      const text = await succeeds(["achievement", "--block-range", "3", "history", number]);
      expect(text).to.match(new RegExp(`^\\d+\\s+RightsChanged\\s+${DID(m.university.did)}\\s+actor=`, "m"));
    });

    it("names the party whose consent is missing and sends nothing", async function () {
      const number = await registered();
      await refuses(
        () =>
          govledger(
            [
              "achievement",
              "grant-right",
              number,
              "--right",
              "use",
              "--to",
              `${m.team.did}:10000`,
              "--until",
              "2030-01-01",
            ],
            PARTY_KEYS.university,
          ),
        new RegExp(`^govledger: consent missing from DID ${m.team.did}: each must approve on chain`),
      );
    });

    it("applies a change the team approved on chain", async function () {
      const number = await registered();
      const change = ["--right", "income", "--to", `${m.team.did}:10000`, "--deadline", "2030-01-01"];
      const approved = await govledgerJson(["achievement", "approve", number, ...change], PARTY_KEYS.team);
      expect(approved).to.include({ id: number, did: DID(m.team.did) });
      const applied = await govledgerJson(["achievement", "grant-right", number, ...change], PARTY_KEYS.university);
      expect(applied).to.include({ right: "Income", changeHash: approved.actionHash });
    });
  });

  describe("evaluate, pledge, release, transfer, freeze", function () {
    it("runs the lifecycle of a co-owned patent", async function () {
      const number = await registered();
      const evaluated = await govledgerJson(
        [
          "achievement",
          "evaluate",
          number,
          "--scores",
          "90,85,70,60,40",
          "--suggested-value",
          "500000000",
          "--valid-until",
          "2030-01-01",
          "--report-hash",
          hashOf("report"),
          "--declaration",
          "no conflict of interest",
        ],
        PARTY_KEYS.evaluator,
      );
      expect(evaluated).to.include({ index: 0, evaluator: DID(m.evaluator.did), status: "Evaluated" });
      expect(await govledgerJson(["achievement", "by-status", "evaluated"])).to.deep.equal([number]);

      const pledged = await govledgerJsonWith(
        ["achievement", "pledge", number, "--lender", DID(m.bank.did), "--amount", "200000000"],
        [
          "--until",
          "2030-01-01",
          "--contract-hash",
          hashOf("pledge contract"),
          "--sign-key-env",
          "TEAM_KEY",
          "BANK_KEY",
        ],
        PARTY_KEYS.university,
      );
      expect(pledged).to.include({ lender: DID(m.bank.did), actor: DID(m.university.did), securedAmount: "200000000" });
      expect((await govledgerJson(["achievement", "show", number])).pledged).to.equal(true);

      const released = await govledgerJson(["achievement", "release", number], PARTY_KEYS.bank);
      expect(released).to.include({ actor: DID(m.bank.did), byOrder: false });

      const transferred = await govledgerJsonWith(
        ["achievement", "transfer", number, "--owner", `${m.team.did}:10000`, "--holder", m.team.address],
        ["--sign-key-env", "TEAM_KEY"],
        PARTY_KEYS.university,
      );
      expect(transferred).to.include({ right: "Ownership", status: "Transferred" });
      expect(await govledgerJson(["achievement", "by-owner", DID(m.team.did)])).to.deep.equal([
        { id: number, shares: { Ownership: 10_000, Use: 10_000, Disposal: 10_000, Income: 10_000 } },
      ]);

      const frozen = await govledgerJson(
        ["achievement", "freeze", number, "--case", "case 2026-017"],
        PARTY_KEYS.arbitrator,
      );
      expect(frozen).to.include({
        lock: "Frozen",
        on: true,
        actor: DID(m.arbitrator.did),
        caseRef: hashOf("case 2026-017"),
      });
      expect(await succeeds(["achievement", "show", number])).to.match(/^locks\s+frozen$/m);
      const unfrozen = await govledgerJson(
        ["achievement", "unfreeze", number, "--case", "case 2026-017"],
        PARTY_KEYS.arbitrator,
      );
      expect(unfrozen).to.include({ lock: "Frozen", on: false });
    });

    it("refuses a freeze by someone who is not an arbitrator, and one without a case", async function () {
      const number = await registered();
      await refuses(
        () => govledger(["achievement", "freeze", number, "--case", "x"], KEYS.councillor2),
        /^govledger: AccessManagedUnauthorized: 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC is not authorised/,
      );
      await refuses(
        () => govledger(["achievement", "freeze", number], PARTY_KEYS.arbitrator),
        /^govledger: missing case reference: pass --case <text> or --case-hash <hash>$/,
      );
    });
  });

  describe("enrolment", function () {
    it("drops an evaluator whose claim was revoked and enrols it again once it qualifies", async function () {
      const claim = (m.evaluator.did << 64n) | (m.evaluatorTopic << 32n);
      await (await m.identity.revokeClaim(claim, hashOf("accreditation withdrawn"))).wait();
      const dropped = await govledgerJson(["achievement", "drop-evaluator", m.evaluator.address], KEYS.councillor1);
      expect(dropped).to.include({ account: m.evaluator.address, did: DID(m.evaluator.did) });
      await refuses(
        () =>
          govledger(
            ["achievement", "enrol-evaluator", m.evaluator.address, "--evaluator", String(m.evaluator.did)],
            KEYS.councillor1,
          ),
        /does not qualify as evaluator DID/,
      );
    });

    it("refuses to enrol a registrar twice, or to drop one that still qualifies", async function () {
      await refuses(
        () => govledger(["achievement", "enrol-registrar", m.registrar.address], KEYS.councillor1),
        /is enrolled for DID \d+ and still qualifies/,
      );
      await refuses(
        () => govledger(["achievement", "drop-registrar", m.registrar.address], KEYS.councillor1),
        /still qualifies/,
      );
    });

    it("refuses a malformed account before sending anything", async function () {
      await refuses(() => govledger(["achievement", "enrol-registrar", "0x1234"], KEYS.councillor1), /account/);
    });
  });
});

/** Runs `args` then `more` with --json, with the party keys of SIGNERS in the environment. */
async function govledgerJsonWith(args: string[], more: string[], key: string): Promise<Record<string, any>> {
  const run = await govledger(["--json", ...args, ...more], key, { env: SIGNERS });
  expect(run.stderr, run.stderr.join("\n")).to.deep.equal([]);
  expect(run.code).to.equal(0);
  return JSON.parse(run.stdout.join("\n")) as Record<string, any>;
}
