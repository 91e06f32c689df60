import { expect } from "chai";
import { deployments, ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HDNodeWallet } from "ethers";
import { EMBEDDED_DELAYS } from "../../config/networks";
import {
  DeploymentError,
  GovLedger,
  GovLedgerError,
  NEVER,
  composeClaimId,
  decomposeClaimId,
  deploymentFromRecords,
  formatDid,
  parseDid,
  parsePurposes,
  parseScopes,
  type Deployment,
} from "../../src/sdk";
import {
  FOREVER,
  accreditedTopic,
  claimIdOf,
  fundedWallet,
  hashOf,
  identityFixture,
  now,
  unfundedWallet,
  type IdentityModule,
} from "../helpers/identity";

describe("GovLedger SDK: identity", function () {
  let m: IdentityModule;
  let deployment: Deployment;

  beforeEach(async function () {
    m = await identityFixture();
    deployment = deploymentFromRecords("hardhat", 31337n, await deployments.all());
  });

  const as = (signer: Parameters<typeof GovLedger.connect>[0]) => GovLedger.connect(signer, deployment);

  /** Registers a DID with one fresh funded key (all purposes); returns its id and key. */
  async function newDid(kind: "person" | "organisation", label: string) {
    const key = await fundedWallet(m.deployer);
    const gov = await as(m.registrar);
    const { id, did } = await gov.identity
      .register({ kind, commitment: hashOf(label), keys: [{ account: key.address }] })
      .wait();
    return { id, did, key };
  }

  describe("DIDs and claim ids", function () {
    it("formats and parses DIDs, refusing malformed ones and other chains' DIDs", function () {
      expect(formatDid(31337n, 5n)).to.equal("did:govledger:31337:5");
      expect(parseDid("did:govledger:31337:5", 31337n)).to.equal(5n);
      expect(parseDid(" 7 ", 31337n)).to.equal(7n);
      expect(() => parseDid("did:govledger:1:5", 31337n)).to.throw(
        "did:govledger:1:5 is a DID of chain 1, but this network is chain 31337",
      );
      expect(() => parseDid("did:web:example.org", 31337n)).to.throw(/is not a govledger DID: expected did:govledger:/);
      expect(() => parseDid("did:govledger:31337:x", 31337n)).to.throw(/is not a govledger DID/);
      expect(() => parseDid("did:govledger:31337:0", 31337n)).to.throw(/out of range/);
      expect(() => parseDid(`${2n ** 64n}`, 31337n)).to.throw(/out of range/);
      expect(() => parseDid("", 31337n)).to.throw(/is not a govledger DID/);
    });

    it("composes and decomposes claim ids as subject << 64 | topic << 32 | n", function () {
      const id = composeClaimId({ subject: 5n, topic: 2n, n: 3n });
      expect(id).to.equal(claimIdOf(5n, 2n, 3n));
      expect(decomposeClaimId(id)).to.deep.equal({ subject: 5n, topic: 2n, n: 3n });
    });

    it("parses purposes and scopes by name or bitmap", function () {
      expect(parsePurposes("authentication,assertion")).to.equal(3n);
      expect(parsePurposes(["Assertion"])).to.equal(2n);
      expect(parseScopes("consent, trade")).to.equal(18n);
      expect(parseScopes("63")).to.equal(63n);
      expect(() => parseScopes("consent,teleport")).to.throw(
        /unknown scope "teleport" \(expected one of: identity, consent/,
      );
      expect(() => parsePurposes(4)).to.throw(/not valid/);
    });
  });

  describe("register, resolve, keys", function () {
    it("registers a DID and resolves its document with guardians", async function () {
      const alice = await newDid("person", "alice");
      expect(alice).to.deep.include({ id: 1n, did: "did:govledger:31337:1" });
      const g1 = await newDid("person", "guardian 1");
      const g2 = await newDid("person", "guardian 2");
      const set = await (await as(alice.key)).identity.setGuardians(alice.did, [g1.id, g2.did], 2).wait();
      expect(set).to.deep.equal({ id: 1n, guardians: [2n, 3n], threshold: 2n });

      const doc = await (await as(m.outsiders[0])).identity.resolve("did:govledger:31337:1");
      expect(doc).to.deep.include({ id: 1n, did: alice.did, kind: "Person", status: "Active", registrar: 1n });
      expect(doc.keys).to.deep.equal([{ account: alice.key.address, purposes: ["AUTHENTICATION", "ASSERTION"] }]);
      expect(doc.guardians).to.deep.equal([2n, 3n]);
      expect(doc.guardianThreshold).to.equal(2n);
      expect(doc.recovery).to.equal(undefined);
      expect(doc.commitment).to.equal(hashOf("alice"));
    });

    it("rotates a key: the old key is refused afterwards", async function () {
      const alice = await newDid("person", "alice");
      const next = await fundedWallet(m.deployer);
      const rotated = await (await as(alice.key)).identity.rotateKey(alice.id, alice.key.address, next.address).wait();
      expect(rotated).to.deep.equal({ id: 1n, oldKey: alice.key.address, newKey: next.address });
      const stale = (await as(alice.key)).identity.addKey(alice.id, m.outsiders[0].address, "authentication");
      await expect(stale.check()).to.be.rejectedWith(GovLedgerError, /^IdentityNotActingFor: /);
      expect((await (await as(next)).identity.didOf(next.address))?.id).to.equal(1n);
    });

    it("recovers a DID by a registrar after the delay", async function () {
      const alice = await newDid("person", "alice");
      const fresh = await fundedWallet(m.deployer);
      const gov = await as(m.registrar);
      const step = await gov.identity.recoverByRegistrar(alice.did, fresh.address).wait();
      expect(step.newKey).to.equal(fresh.address);
      expect(step.readyAt).to.equal((await now()) + BigInt(EMBEDDED_DELAYS.recoveryDelay));
      await expect(gov.identity.completeRecovery(alice.id).wait()).to.be.rejectedWith(
        GovLedgerError,
        /^RecoveryNotReady: the recovery of DID 1 may complete from /,
      );
      await time.increase(EMBEDDED_DELAYS.recoveryDelay);
      expect(await gov.identity.completeRecovery(alice.id).wait()).to.deep.equal({ id: 1n, newKey: fresh.address });
      expect((await gov.identity.resolve(alice.id)).keys.map((k) => k.account)).to.deep.equal([fresh.address]);
    });

    it("refuses malformed input before anything is sent", async function () {
      const gov = await as(m.registrar);
      expect(() => gov.identity.register({ kind: "robot", commitment: hashOf("x"), keys: [] })).to.throw(
        /unknown DID kind "robot"/,
      );
      expect(() => gov.identity.verify("did:govledger:1:5")).to.throw(/a DID of chain 1/);
      expect(() => gov.identity.suspend(1n, "0x12")).to.throw(/not a 32-byte hash/);
      expect(() =>
        gov.identity.issueClaim({ subject: 1n, topic: 1n, dataHash: hashOf("d"), validFrom: 10n, validUntil: 5n }),
      ).to.throw(/validity window is empty/);
    });

    it("says clearly when a deployment has no identity module", async function () {
      const older = { ...deployment, contracts: { ...deployment.contracts } };
      for (const name of ["GovForwarder", "IdentityRegistry", "IdentityRecovery", "ConsentRegistry"])
        delete older.contracts[name];
      const gov = await GovLedger.connect(m.registrar, older);
      expect(gov.hasIdentity).to.equal(false);
      expect(() => gov.identity).to.throw(DeploymentError, /has no identity module/);
      const records = await deployments.all();
      delete records.ConsentRegistry;
      expect(() => deploymentFromRecords("hardhat", 31337n, records)).to.throw(
        /part of the identity module but lacks ConsentRegistry/,
      );
    });
  });

  describe("claims", function () {
    let issuer: Awaited<ReturnType<typeof newDid>>;
    let subject: Awaited<ReturnType<typeof newDid>>;
    let topic: bigint;

    beforeEach(async function () {
      issuer = await newDid("organisation", "issuer");
      subject = await newDid("organisation", "enterprise");
      topic = await accreditedTopic(m, issuer.id);
    });

    it("issues claims, returning ids from the events, and verifies them", async function () {
      const gov = await as(issuer.key);
      const issued = await gov.identity.issueClaim({ subject: subject.did, topic, dataHash: hashOf("cert 1") }).wait();
      expect(issued).to.deep.equal({
        id: claimIdOf(subject.id, topic),
        subject: subject.id,
        topic,
        n: 0n,
        issuer: issuer.id,
      });

      const batch = await gov.identity
        .issueClaims([
          { subject: subject.id, topic, dataHash: hashOf("cert 2") },
          { subject: issuer.id, topic, dataHash: hashOf("cert 3"), validUntil: FOREVER },
        ])
        .wait();
      expect(batch.map((c) => c.id)).to.deep.equal([claimIdOf(subject.id, topic, 1n), claimIdOf(issuer.id, topic, 0n)]);

      const v = await gov.identity.verifyClaim(issued.id);
      expect(v.valid).to.equal(true);
      expect(v.problems).to.deep.equal([]);
      expect(v.claim).to.deep.include({ subject: subject.id, issuer: issuer.id, status: "Active", validUntil: NEVER });
      expect(await gov.identity.hasValidClaim(subject.did, topic)).to.equal(true);
      expect((await gov.identity.claimsOf(subject.id)).map((c) => c.n)).to.deep.equal([0n, 1n]);
      expect((await gov.identity.topics())[0]).to.deep.include({
        id: topic,
        name: "high-tech enterprise (高新技术企业)",
      });
      expect(await gov.identity.accreditation(issuer.id, topic)).to.deep.include({ active: true, current: true });
    });

    it("says why a claim is not valid: revoked with its reason, suspended, expired, not yet valid", async function () {
      const gov = await as(issuer.key);
      const t = await now();
      const [a, b, c, d] = await gov.identity
        .issueClaims([
          { subject: subject.id, topic, dataHash: hashOf("a") },
          { subject: subject.id, topic, dataHash: hashOf("b") },
          { subject: subject.id, topic, dataHash: hashOf("c"), validUntil: t + 100n },
          { subject: subject.id, topic, dataHash: hashOf("d"), validFrom: t + 10_000n },
        ])
        .wait();
      expect(await gov.identity.revokeClaim(a.id, hashOf("fraud")).wait()).to.deep.equal({
        id: a.id,
        reasonHash: hashOf("fraud"),
      });
      await gov.identity.suspendClaim(b.id).wait();
      await time.increase(200);

      const revoked = await gov.identity.verifyClaim(a.id);
      expect(revoked).to.deep.include({ valid: false, revocationReason: hashOf("fraud") });
      expect(revoked.problems).to.deep.equal(["revoked"]);
      expect((await gov.identity.verifyClaim(b.id)).problems).to.deep.equal(["suspended"]);
      expect((await gov.identity.verifyClaim(c.id)).problems).to.deep.equal(["expired"]);
      expect((await gov.identity.verifyClaim(d.id)).problems).to.deep.equal(["not-yet-valid"]);

      await gov.identity.reinstateClaim(b.id).wait();
      expect((await gov.identity.verifyClaim(b.id)).valid).to.equal(true);
      await (await as(m.registrar)).identity.suspend(subject.id, hashOf("inquiry")).wait();
      expect((await gov.identity.verifyClaim(b.id)).problems).to.deep.equal(["subject-not-active"]);
      await m.identity.connect(m.councilSigner).withdrawAccreditation(issuer.id, topic);
      expect((await gov.identity.verifyClaim(b.id)).problems).to.deep.equal([
        "issuer-not-accredited",
        "subject-not-active",
      ]);
    });

    it("decodes a refusal by another issuer", async function () {
      const gov = await as(issuer.key);
      const { id } = await gov.identity.issueClaim({ subject: subject.id, topic, dataHash: hashOf("x") }).wait();
      const other = await as(subject.key);
      await expect(other.identity.revokeClaim(id, hashOf("no")).wait()).to.be.rejectedWith(
        GovLedgerError,
        `IdentityNotIssuer: DID ${subject.id} did not issue claim ${id}`,
      );
    });
  });

  describe("consents", function () {
    it("grants a consent, records an access, revokes it, refuses a later access", async function () {
      const alice = await newDid("person", "alice");
      const bureau = await newDid("organisation", "bureau");
      const until = (await now()) + 86400n;
      const a = await as(alice.key);
      const granted = await a.identity
        .grantConsent({
          subject: alice.did,
          grantee: bureau.did,
          category: "education",
          purposeHash: hashOf("hiring"),
          validUntil: until,
        })
        .wait();
      expect(granted).to.deep.equal({ consentId: 1n });
      const b = await as(bureau.key);
      expect(await b.identity.recordAccess(1n, hashOf("request 1")).wait()).to.deep.equal({
        receiptId: 1n,
        consentId: 1n,
        accessor: bureau.id,
      });
      expect(await b.identity.receipt(1n)).to.deep.include({
        consentId: 1n,
        accessor: bureau.id,
        account: bureau.key.address,
      });
      expect(await a.identity.revokeConsent(1n).wait()).to.deep.equal({ consentId: 1n });
      expect(await a.identity.consentOf(1n)).to.deep.include({ live: false, accessCount: 1n, category: 2n });
      await expect(b.identity.recordAccess(1n, hashOf("request 2")).wait()).to.be.rejectedWith(
        GovLedgerError,
        /^ConsentWasRevoked: consent 1 was revoked at /,
      );
    });

    it("refuses a representative whose mandate expired", async function () {
      const org = await newDid("organisation", "org");
      const rep = await newDid("person", "clerk");
      const other = await newDid("organisation", "other");
      const until = (await now()) + 100n;
      const mandate = await (await as(org.key)).identity.grantMandate(org.id, rep.id, "consent", until).wait();
      expect(mandate).to.deep.equal({ org: org.id, representative: rep.id, scopes: ["CONSENT"], validUntil: until });
      await time.increase(200);
      const call = (await as(rep.key)).identity.grantConsent({
        subject: org.id,
        grantee: other.id,
        category: 1,
        purposeHash: hashOf("audit"),
        validUntil: NEVER,
      });
      await expect(call.check()).to.be.rejectedWith(
        GovLedgerError,
        new RegExp(`^IdentityMandateExpired: the mandate of DID ${rep.id} for organisation ${org.id} ended at `),
      );
      expect((await (await as(rep.key)).identity.mandateOf(org.id, rep.id)).live).to.equal(false);
    });
  });

  describe("relayed calls", function () {
    let citizen: HDNodeWallet;
    let relayer: Awaited<ReturnType<typeof ethers.getSigner>>;

    beforeEach(async function () {
      citizen = unfundedWallet();
      relayer = m.outsiders[0];
    });

    it("lets an unfunded wallet self-register; the relayer pays", async function () {
      const gov = await as(relayer);
      const relayed = gov.identity.relayed(citizen, relayer);
      expect(await relayed.selfRegister("person", hashOf("citizen")).estimateGas()).to.be.greaterThan(0n);
      const registered = await relayed.selfRegister("person", hashOf("citizen")).wait();
      expect(registered).to.deep.equal({ id: 1n, did: "did:govledger:31337:1" });
      expect(await ethers.provider.getBalance(citizen.address)).to.equal(0n);
      expect(await m.forwarder.nonces(citizen.address)).to.equal(1n);

      const doc = await gov.identity.resolve(1n);
      expect(doc).to.deep.include({ status: "Pending", registrar: 0n });
      expect(doc.keys).to.deep.equal([{ account: citizen.address, purposes: ["AUTHENTICATION", "ASSERTION"] }]);

      await (await as(m.registrar)).identity.verify(1n).wait();
      const consent = await relayed.grantConsent({
        subject: 1n,
        grantee: (await newDid("organisation", "bureau")).id,
        category: "basic-identity",
        purposeHash: hashOf("benefit claim"),
        validUntil: NEVER - 1n,
      });
      expect(await consent.wait()).to.deep.equal({ consentId: 1n });
    });

    it("decodes a relayed refusal into the module's error, and relays nothing", async function () {
      const alice = await newDid("person", "alice");
      const relayed = (await as(relayer)).identity.relayed(citizen, relayer);
      const nonce = await ethers.provider.getTransactionCount(relayer.address);
      const error = await relayed
        .addKey(alice.id, citizen.address, "authentication")
        .send()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).to.be.instanceOf(GovLedgerError);
      expect((error as GovLedgerError).errorName).to.equal("IdentityNotActingFor");
      expect((error as GovLedgerError).args).to.deep.equal({ account: citizen.address, did: alice.id, scope: 1n });
      expect(await ethers.provider.getTransactionCount(relayer.address)).to.equal(nonce);
      expect(await m.forwarder.nonces(citizen.address)).to.equal(0n);
    });
  });
});
