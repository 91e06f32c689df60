import { mkdtempSync, writeFileSync } from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { keccak256, toUtf8Bytes, type HDNodeWallet } from "ethers";
import { EMBEDDED_DELAYS } from "../../config/networks";
import {
  DidKind,
  accreditedTopic,
  claimIdOf,
  fundedWallet,
  hashOf,
  identityFixture,
  now,
  registerDid,
  unfundedWallet,
  type IdentityModule,
} from "../helpers/identity";
import { KEYS, consortium, govledger, govledgerJson, refuses, succeeds } from "./harness";

const DID = (id: bigint | number) => `did:govledger:31337:${id}`;

describe("govledger identity (CLI)", function () {
  let m: IdentityModule;
  let dir: string;

  beforeEach(async function () {
    await consortium();
    m = await identityFixture();
    dir = mkdtempSync(path.join(os.tmpdir(), "govledger-identity-"));
  });

  /** A fresh funded key and the DID it controls (all purposes). */
  async function didWithKey(kind: DidKind, label: string): Promise<{ id: bigint; key: HDNodeWallet }> {
    const key = await fundedWallet(m.deployer);
    return { id: await registerDid(m, kind, [{ account: key.address }], hashOf(label)), key };
  }

  describe("DIDs", function () {
    it("registers a DID as a registrar and resolves it", async function () {
      const alice = ethers.Wallet.createRandom();
      const registered = await govledgerJson(
        ["identity", "register", "--kind", "person", "--commitment", hashOf("alice"), "--key", alice.address],
        KEYS.councillor1,
      );
      expect(registered).to.include({ id: "1", did: DID(1) });
      expect(registered.transactionHash).to.match(/^0x[0-9a-f]{64}$/);

      const doc = await govledgerJson(["identity", "resolve", DID(1)]);
      expect(doc).to.include({ id: "1", did: DID(1), kind: "person", status: "Active", registrar: "1" });
      expect(doc.keys).to.deep.equal([{ account: alice.address, purposes: ["authentication", "assertion"] }]);
      expect(doc.recovery).to.equal(null);

      const text = await succeeds(["identity", "resolve", "1"]);
      expect(text).to.match(/^status\s+Active$/m);
      expect(text).to.match(new RegExp(`^keys\\s+${alice.address} \\(authentication, assertion\\)$`, "m"));
    });

    it("rotates a key, then recovers the DID by a registrar after the delay", async function () {
      const alice = await didWithKey(DidKind.Person, "alice");
      const next = await fundedWallet(m.deployer);
      const rotated = await govledgerJson(
        ["identity", "rotate-key", DID(alice.id), alice.key.address, next.address],
        alice.key.privateKey,
      );
      expect(rotated).to.include({ did: DID(alice.id), oldKey: alice.key.address, newKey: next.address });

      const fresh = ethers.Wallet.createRandom();
      const started = await succeeds(
        ["identity", "recover", DID(alice.id), "--new-key", fresh.address, "--registrar"],
        KEYS.councillor1,
      );
      expect(started).to.match(/may complete from \d{4}-.*a current key may object until then/);
      await refuses(
        () => govledger(["identity", "complete-recovery", DID(alice.id)], KEYS.councillor2),
        /^govledger: RecoveryNotReady: the recovery of DID 1 may complete from .* — Collect guardian approvals/,
      );
      await time.increase(EMBEDDED_DELAYS.recoveryDelay);
      const done = await govledgerJson(["identity", "complete-recovery", "1"], KEYS.councillor2);
      expect(done).to.include({ newKey: fresh.address });
      const doc = await govledgerJson<{ keys: { account: string }[] }>(["identity", "resolve", "1"]);
      expect(doc.keys.map((k) => k.account)).to.deep.equal([fresh.address]);
    });

    it("lets a key with no funds self-register through a relayer", async function () {
      const citizen = unfundedWallet();
      const run = await govledger(
        ["--json", "identity", "--relay", "self-register", "--kind", "person", "--commitment", hashOf("citizen")],
        citizen.privateKey,
        { env: { GOVLEDGER_RELAYER_KEY: KEYS.deployer } },
      );
      expect(run.stderr).to.deep.equal([]);
      expect(run.code).to.equal(0);
      expect(JSON.parse(run.stdout.join("\n"))).to.include({ id: "1", did: DID(1) });
      expect(await ethers.provider.getBalance(citizen.address)).to.equal(0n);
      expect((await govledgerJson(["identity", "resolve", "1"])).status).to.equal("Pending");
    });
    it("decodes a relayed refusal into the module's error and relays nothing", async function () {
      const alice = await didWithKey(DidKind.Person, "alice");
      const stranger = unfundedWallet();
      await refuses(
        () =>
          govledger(["identity", "add-key", DID(alice.id), stranger.address, "--relay"], stranger.privateKey, {
            env: { GOVLEDGER_RELAYER_KEY: KEYS.deployer },
          }),
        new RegExp(
          `^govledger: IdentityNotActingFor: ${stranger.address} does not act for DID ${alice.id} \\(scope 1\\)`,
        ),
      );
      await refuses(
        () => govledger(["identity", "--relay", "verify", "1"], KEYS.councillor1),
        /^govledger: no signing key: set GOVLEDGER_RELAYER_KEY in \.env or pass --relayer-key-env <VAR>$/,
      );
    });
  });

  describe("claims", function () {
    let issuer: { id: bigint; key: HDNodeWallet };
    let subject: { id: bigint; key: HDNodeWallet };
    let topic: bigint;

    beforeEach(async function () {
      issuer = await didWithKey(DidKind.Organisation, "issuer");
      subject = await didWithKey(DidKind.Organisation, "enterprise");
      topic = await accreditedTopic(m, issuer.id);
    });

    it("issues a claim from a file, verifies it (exit 0), revokes it with a reason, verifies it (exit 1)", async function () {
      const file = path.join(dir, "certificate.pdf");
      writeFileSync(file, "high-tech enterprise certificate no. 42");
      const issued = await govledgerJson(
        [
          "identity",
          "issue-claim",
          "--subject",
          DID(subject.id),
          "--topic",
          topic.toString(),
          "--data-file",
          file,
          "--valid-until",
          "2099-12-31",
        ],
        issuer.key.privateKey,
      );
      const id = claimIdOf(subject.id, topic);
      expect(issued).to.include({ id: id.toString(), subject: DID(subject.id), topic: topic.toString(), n: "0" });

      const valid = await govledgerJson(["identity", "verify-claim", id.toString()]);
      expect(valid).to.include({ valid: true });
      expect(valid.claim).to.include({
        dataHash: keccak256(toUtf8Bytes("high-tech enterprise certificate no. 42")),
        validUntil: String(Date.UTC(2099, 11, 31) / 1000),
        issuer: DID(issuer.id),
        status: "Active",
      });

      const revoked = await govledgerJson(
        ["identity", "revoke-claim", id.toString(), "--reason", "certificate withdrawn"],
        issuer.key.privateKey,
      );
      expect(revoked).to.include({ reasonHash: hashOf("certificate withdrawn") });

      const run = await govledger(["identity", "verify-claim", `0x${id.toString(16)}`]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.deep.equal([]);
      const text = run.stdout.join("\n");
      expect(text).to.match(/^status\s+Revoked$/m);
      expect(text).to.match(new RegExp(`^revocation\\s+${hashOf("certificate withdrawn")}$`, "m"));
      expect(text).to.match(/^valid\s+no: revoked by its issuer$/m);

      const json = await govledger(["--json", "identity", "verify-claim", id.toString()]);
      expect(json.code).to.equal(1);
      expect(JSON.parse(json.stdout.join("\n"))).to.deep.include({ valid: false, problems: ["revoked"] });
    });

    it("issues claims in batch from CSV, by topic name, and lists them", async function () {
      const file = path.join(dir, "claims.csv");
      writeFileSync(
        file,
        [
          "subject,topic,dataHash,validFrom,validUntil",
          `${DID(subject.id)},high-tech enterprise (高新技术企业),${hashOf("a")},,never`,
          `${subject.id},${topic},${hashOf("b")},2020-01-01,2099-01-01T00:00:00Z`,
        ].join("\n"),
      );
      const out = await govledgerJson<{ claims: { id: string }[] }>(
        ["identity", "issue-claims", file],
        issuer.key.privateKey,
      );
      expect(out.claims.map((c) => c.id)).to.deep.equal([
        claimIdOf(subject.id, topic, 0n).toString(),
        claimIdOf(subject.id, topic, 1n).toString(),
      ]);
      const list = await succeeds(["identity", "claims", DID(subject.id)]);
      expect(list.split("\n")).to.have.lengthOf(3);
      expect(list).to.match(/^CLAIM\s+TOPIC\s+STATUS\s+ISSUER\s+VALID UNTIL$/m);
      expect(await succeeds(["identity", "topics"])).to.include("high-tech enterprise");
    });

    it("refuses an unknown topic, a bad date and a bad hash before sending", async function () {
      const base = ["identity", "issue-claim", "--subject", DID(subject.id), "--data-hash", hashOf("x")];
      await refuses(
        () => govledger([...base, "--topic", "99"], issuer.key.privateKey),
        /^govledger: IdentityUnknownTopic: topic 99 does not exist — List the topics with `govledger identity topics`/,
      );
      await refuses(
        () => govledger([...base, "--topic", "astrology"], issuer.key.privateKey),
        /^govledger: unknown topic "astrology": known topics are 1 "high-tech enterprise/,
      );
      await refuses(
        () => govledger([...base, "--topic", "1", "--valid-until", "2024-13-45"], issuer.key.privateKey),
        /^govledger: valid until "2024-13-45" is not a valid time: expected an ISO date such as 2026-12-31/,
      );
      await refuses(
        () => govledger([...base, "--topic", "1", "--valid-until", "2024-02-30"], issuer.key.privateKey),
        /valid until "2024-02-30" is not a valid time/,
      );
      await refuses(
        () =>
          govledger(
            ["identity", "issue-claim", "--subject", "1", "--topic", "1", "--data-hash", "0x1234"],
            issuer.key.privateKey,
          ),
        /^govledger: data hash "0x1234" is not valid: expected a 32-byte hash/,
      );
      await refuses(
        () => govledger(["identity", "issue-claim", "--subject", "1", "--topic", "1"], issuer.key.privateKey),
        /^govledger: missing data hash: pass --data-hash or --data-file$/,
      );
      await refuses(
        () => govledger(["identity", "revoke-claim", "12abc", "--reason", "x"], issuer.key.privateKey),
        /claim id "12abc" is not valid/,
      );
    });
  });

  describe("consents and mandates", function () {
    it("grants a consent, records an access and revokes the consent", async function () {
      const alice = await didWithKey(DidKind.Person, "alice");
      const bureau = await didWithKey(DidKind.Organisation, "bureau");
      const granted = await govledgerJson(
        [
          "identity",
          "grant-consent",
          "--subject",
          DID(alice.id),
          "--grantee",
          DID(bureau.id),
          "--category",
          "education",
          "--purpose",
          "employment check",
          "--until",
          "never",
        ],
        alice.key.privateKey,
      );
      expect(granted).to.include({ consentId: "1", category: "2", purposeHash: hashOf("employment check") });

      const access = await govledgerJson(
        ["identity", "access", "1", "--request", "diploma of alice"],
        bureau.key.privateKey,
      );
      expect(access).to.include({ receiptId: "1", consentId: "1", accessor: DID(bureau.id) });

      expect(await succeeds(["identity", "revoke-consent", "1"], alice.key.privateKey)).to.match(
        /^revoked consent 1$/m,
      );
      expect(await govledgerJson(["identity", "consent", "1"])).to.include({ live: false, accessCount: "1" });
      await refuses(
        () => govledger(["identity", "access", "1", "--request", "again"], bureau.key.privateKey),
        /^govledger: ConsentWasRevoked: consent 1 was revoked at /,
      );
    });

    it("refuses a representative whose mandate expired, with the decoded error", async function () {
      const org = await didWithKey(DidKind.Organisation, "org");
      const clerk = await didWithKey(DidKind.Person, "clerk");
      const other = await didWithKey(DidKind.Organisation, "other");
      const until = (await now()) + 100n;
      const granted = await govledgerJson(
        [
          "identity",
          "grant-mandate",
          "--org",
          DID(org.id),
          "--representative",
          DID(clerk.id),
          "--scopes",
          "consent,trade",
          "--until",
          until.toString(),
        ],
        org.key.privateKey,
      );
      expect(granted).to.deep.include({ scopes: ["consent", "trade"], validUntil: until.toString() });
      await time.increase(200);
      await refuses(
        () =>
          govledger(
            [
              "identity",
              "grant-consent",
              "--subject",
              DID(org.id),
              "--grantee",
              DID(other.id),
              "--category",
              "1",
              "--purpose-hash",
              hashOf("audit"),
              "--until",
              "2099-01-01",
            ],
            clerk.key.privateKey,
          ),
        new RegExp(
          `^govledger: IdentityMandateExpired: the mandate of DID ${clerk.id} for organisation ${org.id} ended at .* — Have the organisation grant a new mandate`,
        ),
      );
    });
  });

  describe("the trusted-issuers registry (council proposals)", function () {
    it("registers a topic and accredits an issuer through two councillors", async function () {
      const issuer = await didWithKey(DidKind.Organisation, "issuer");
      const topic = await govledgerJson(
        ["council", "propose", "register-topic", "research institution", "--schema-hash", hashOf("schema")],
        KEYS.councillor1,
      );
      expect(topic).to.include({ id: "1", description: 'Register claim topic "research institution"' });
      await succeeds(["council", "approve", "1"], KEYS.councillor2);
      await succeeds(["council", "execute", "1"], KEYS.councillor1);
      expect((await m.identity.getTopic(1)).name).to.equal("research institution");

      await govledgerJson(
        ["council", "propose", "accredit-issuer", DID(issuer.id), "1", "--until", "2030-01-01"],
        KEYS.councillor1,
      );
      await succeeds(["council", "approve", "2"], KEYS.councillor2);
      await succeeds(["council", "execute", "2"], KEYS.councillor1);
      const accreditation = await m.identity.accreditationOf(issuer.id, 1);
      expect([accreditation.active, accreditation.validUntil]).to.deep.equal([true, 1893456000n]);
    });

    it("refuses an empty topic name, a malformed issuer DID and a bad end date before proposing", async function () {
      await refuses(
        () => govledger(["council", "propose", "register-topic", " ", "--schema-hash", hashOf("s")], KEYS.councillor1),
        /^govledger: the topic name is empty/,
      );
      await refuses(
        () => govledger(["council", "propose", "accredit-issuer", "did:govledger:1:3", "1"], KEYS.councillor1),
        /^govledger: issuer DID: did:govledger:1:3 is a DID of chain 1/,
      );
      await refuses(
        () => govledger(["council", "propose", "accredit-issuer", "3", "1", "--until", "2030-02-30"], KEYS.councillor1),
        /^govledger: accreditation end "2030-02-30" is not a valid time/,
      );
    });
  });

  describe("malformed DIDs", function () {
    it("refuses another chain's DID, another method and a zero id", async function () {
      await refuses(
        () => govledger(["identity", "resolve", "did:govledger:1:5"]),
        /^govledger: DID: did:govledger:1:5 is a DID of chain 1, but this network is chain 31337$/,
      );
      await refuses(
        () => govledger(["identity", "verify", "did:web:example.org"], KEYS.councillor1),
        /^govledger: DID: "did:web:example.org" is not a govledger DID: expected did:govledger:<chainId>:<id>/,
      );
      await refuses(
        () =>
          govledger(
            [
              "identity",
              "grant-consent",
              "--subject",
              "0",
              "--grantee",
              "2",
              "--category",
              "1",
              "--purpose",
              "x",
              "--until",
              "never",
            ],
            KEYS.councillor1,
          ),
        /^govledger: subject: DID "0" is out of range/,
      );
      await refuses(
        () => govledger(["identity", "suspend", "1"], KEYS.councillor1),
        /^govledger: missing reason hash: pass --reason-hash or --reason$/,
      );
      await refuses(
        () => govledger(["identity", "resolve", "7"]),
        /^govledger: IdentityUnknownDid: DID 7 does not exist/,
      );
    });
  });
});
