import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash, type ContractTransactionResponse } from "ethers";
import {
  DidKind,
  hashOf,
  identityFixture,
  now,
  Purpose,
  registerDid,
  Scope,
  type IdentityModule,
} from "../helpers/identity";

const BASIC_IDENTITY = 1;
const EDUCATION = 2;
const PURPOSE = hashOf("admission to the provincial talent programme (人才引进)");
const REQUEST = hashOf("GET /records/education?subject=…&nonce=1");
const REASON = hashOf("registrar case 2024-0042");
const DAY = 86400n;

describe("ConsentRegistry", function () {
  let m: IdentityModule;
  /** Key of the person whose data is looked up. */
  let alice: HardhatEthersSigner;
  /** Key of the organisation allowed to look up (a hospital). */
  let hospitalKey: HardhatEthersSigner;
  /** Key of another organisation (a university). */
  let universityKey: HardhatEthersSigner;
  /** Key of a person who represents organisations under mandates. */
  let clerkKey: HardhatEthersSigner;
  /** An account that is no key. */
  let nobody: HardhatEthersSigner;
  let subject: bigint;
  let hospital: bigint;
  let university: bigint;
  let clerk: bigint;
  let until: bigint;

  beforeEach(async function () {
    m = await identityFixture();
    [alice, hospitalKey, universityKey, clerkKey, nobody] = m.outsiders;
    subject = await registerDid(m, DidKind.Person, [{ account: alice.address }]);
    hospital = await registerDid(m, DidKind.Organisation, [{ account: hospitalKey.address }]);
    university = await registerDid(m, DidKind.Organisation, [{ account: universityKey.address }]);
    clerk = await registerDid(m, DidKind.Person, [{ account: clerkKey.address }]);
    until = (await now()) + 30n * DAY;
  });

  async function timestampOf(tx: ContractTransactionResponse): Promise<bigint> {
    const receipt = await tx.wait();
    return BigInt((await receipt!.getBlock()).timestamp);
  }

  /** Alice lets the hospital see her education data until `validUntil`; returns the consent id. */
  async function grant(validUntil = until): Promise<bigint> {
    await m.consent.connect(alice).grantConsent(subject, hospital, EDUCATION, PURPOSE, validUntil);
    return m.consent.consentCount();
  }

  /** `org`'s key gives the clerk a mandate with `scopes` for a day. */
  async function mandate(orgKey: HardhatEthersSigner, org: bigint, scopes: number, validUntil?: bigint) {
    await m.identity.connect(orgKey).grantMandate(org, clerk, scopes, validUntil ?? (await now()) + DAY);
  }

  async function pause() {
    await m.consent.connect(m.guardian).pause();
  }

  describe("initialize", function () {
    it("reports version 1.0.0, no consents and no receipts", async function () {
      expect(await m.consent.version()).to.equal("1.0.0");
      expect(await m.consent.authority()).to.equal(await m.authority.getAddress());
      expect(await m.consent.consentCount()).to.equal(0n);
      expect(await m.consent.receiptCount()).to.equal(0n);
    });

    it("reverts with InvalidInitialization when called again", async function () {
      await expect(
        m.consent.initialize(m.deployer.address, await m.identity.getAddress()),
      ).to.be.revertedWithCustomError(m.consent, "InvalidInitialization");
    });
  });

  describe("grantConsent", function () {
    context("when the subject's key grants", function () {
      it("emits ConsentGranted with the new id and the terms", async function () {
        await expect(m.consent.connect(alice).grantConsent(subject, hospital, EDUCATION, PURPOSE, until))
          .to.emit(m.consent, "ConsentGranted")
          .withArgs(1n, subject, hospital, EDUCATION, PURPOSE, until);
      });

      it("stores the consent, counts it and makes it live", async function () {
        const tx = await m.consent.connect(alice).grantConsent(subject, hospital, EDUCATION, PURPOSE, until);
        const at = await timestampOf(tx);
        const c = await m.consent.getConsent(1n);
        expect(c.subject).to.equal(subject);
        expect(c.grantee).to.equal(hospital);
        expect(c.category).to.equal(BigInt(EDUCATION));
        expect(c.grantedAt).to.equal(at);
        expect(c.validUntil).to.equal(until);
        expect(c.revokedAt).to.equal(0n);
        expect(c.purposeHash).to.equal(PURPOSE);
        expect(c.accessCount).to.equal(0n);
        expect(await m.consent.consentCount()).to.equal(1n);
        expect(await m.consent.isConsentLive(1n)).to.equal(true);
      });

      it("numbers consents from 1 up, also to a person grantee", async function () {
        await grant();
        await m.consent.connect(alice).grantConsent(subject, clerk, BASIC_IDENTITY, PURPOSE, until);
        expect(await m.consent.consentCount()).to.equal(2n);
        expect((await m.consent.getConsent(2n)).grantee).to.equal(clerk);
      });
    });

    context("when a representative grants for an organisation", function () {
      it("works under a mandate with the CONSENT scope", async function () {
        await mandate(universityKey, university, Scope.CONSENT);
        await expect(m.consent.connect(clerkKey).grantConsent(university, hospital, BASIC_IDENTITY, PURPOSE, until))
          .to.emit(m.consent, "ConsentGranted")
          .withArgs(1n, university, hospital, BASIC_IDENTITY, PURPOSE, until);
        expect((await m.consent.getConsent(1n)).subject).to.equal(university);
      });

      it("reverts with IdentityMandateOutOfScope under a mandate without the CONSENT scope", async function () {
        await mandate(universityKey, university, Scope.IDENTITY | Scope.TRADE);
        await expect(m.consent.connect(clerkKey).grantConsent(university, hospital, BASIC_IDENTITY, PURPOSE, until))
          .to.be.revertedWithCustomError(m.identity, "IdentityMandateOutOfScope")
          .withArgs(university, clerk, Scope.IDENTITY | Scope.TRADE, Scope.CONSENT);
      });

      it("reverts with IdentityMandateExpired after the mandate ended", async function () {
        const end = (await now()) + 100n;
        await mandate(universityKey, university, Scope.CONSENT, end);
        await time.increaseTo(end + 1n);
        await expect(m.consent.connect(clerkKey).grantConsent(university, hospital, BASIC_IDENTITY, PURPOSE, until))
          .to.be.revertedWithCustomError(m.identity, "IdentityMandateExpired")
          .withArgs(university, clerk, end);
      });
    });

    context("when the caller does not act for the subject", function () {
      it("reverts with IdentityNotActingFor for the grantee's key", async function () {
        await expect(m.consent.connect(hospitalKey).grantConsent(subject, hospital, EDUCATION, PURPOSE, until))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(hospitalKey.address, subject, Scope.CONSENT);
      });

      it("reverts with IdentityNotActingFor for an account that is no key", async function () {
        await expect(m.consent.connect(nobody).grantConsent(subject, hospital, EDUCATION, PURPOSE, until))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(nobody.address, subject, Scope.CONSENT);
      });

      it("reverts with IdentityNotActingFor for a person acting for another person", async function () {
        await expect(m.consent.connect(clerkKey).grantConsent(subject, hospital, EDUCATION, PURPOSE, until))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(clerkKey.address, subject, Scope.CONSENT);
      });

      it("reverts with IdentityNotActingFor for a key of the subject without the authentication purpose", async function () {
        const assertOnly = m.outsiders[6];
        await m.identity.connect(alice).addKey(subject, assertOnly.address, Purpose.ASSERTION);
        await expect(m.consent.connect(assertOnly).grantConsent(subject, hospital, EDUCATION, PURPOSE, until))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(assertOnly.address, subject, Scope.CONSENT);
      });

      it("reverts with IdentityNotActingFor when the subject is suspended", async function () {
        await m.identity.connect(m.registrar).suspend(subject, REASON);
        await expect(m.consent.connect(alice).grantConsent(subject, hospital, EDUCATION, PURPOSE, until))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(alice.address, subject, Scope.CONSENT);
      });
    });

    context("when the grantee is invalid", function () {
      it("reverts with ConsentInvalidGrantee for the subject itself", async function () {
        await expect(m.consent.connect(alice).grantConsent(subject, subject, EDUCATION, PURPOSE, until))
          .to.be.revertedWithCustomError(m.consent, "ConsentInvalidGrantee")
          .withArgs(subject);
      });

      it("reverts with ConsentInvalidGrantee for an unknown DID", async function () {
        for (const grantee of [0n, 999n]) {
          await expect(m.consent.connect(alice).grantConsent(subject, grantee, EDUCATION, PURPOSE, until))
            .to.be.revertedWithCustomError(m.consent, "ConsentInvalidGrantee")
            .withArgs(grantee);
        }
      });

      it("reverts with ConsentInvalidGrantee for a suspended or deactivated DID", async function () {
        await m.identity.connect(m.registrar).suspend(hospital, REASON);
        await m.identity.connect(m.registrar).deactivate(university, REASON);
        for (const grantee of [hospital, university]) {
          await expect(m.consent.connect(alice).grantConsent(subject, grantee, EDUCATION, PURPOSE, until))
            .to.be.revertedWithCustomError(m.consent, "ConsentInvalidGrantee")
            .withArgs(grantee);
        }
      });

      it("reverts with ConsentInvalidGrantee for a self-registered DID not yet verified", async function () {
        await m.identity.connect(nobody).selfRegister(DidKind.Organisation, hashOf("pending org"));
        const pending = await m.identity.didCount();
        await expect(m.consent.connect(alice).grantConsent(subject, pending, EDUCATION, PURPOSE, until))
          .to.be.revertedWithCustomError(m.consent, "ConsentInvalidGrantee")
          .withArgs(pending);
      });
    });

    context("when the terms are invalid", function () {
      it("reverts with ConsentInvalidTerms for category 0", async function () {
        await expect(m.consent.connect(alice).grantConsent(subject, hospital, 0, PURPOSE, until))
          .to.be.revertedWithCustomError(m.consent, "ConsentInvalidTerms")
          .withArgs(0, until);
      });

      it("reverts with ConsentInvalidTerms for an empty purpose", async function () {
        await expect(m.consent.connect(alice).grantConsent(subject, hospital, EDUCATION, ZeroHash, until))
          .to.be.revertedWithCustomError(m.consent, "ConsentInvalidTerms")
          .withArgs(EDUCATION, until);
      });

      it("reverts with ConsentInvalidTerms for a past end, or an end at the grant's own time", async function () {
        const past = (await now()) - 1n;
        await expect(m.consent.connect(alice).grantConsent(subject, hospital, EDUCATION, PURPOSE, past))
          .to.be.revertedWithCustomError(m.consent, "ConsentInvalidTerms")
          .withArgs(EDUCATION, past);
        const at = (await now()) + 10n;
        await time.setNextBlockTimestamp(at);
        await expect(m.consent.connect(alice).grantConsent(subject, hospital, EDUCATION, PURPOSE, at))
          .to.be.revertedWithCustomError(m.consent, "ConsentInvalidTerms")
          .withArgs(EDUCATION, at);
        expect(await m.consent.consentCount()).to.equal(0n);
      });
    });

    context("when paused", function () {
      it("reverts with EnforcedPause", async function () {
        await pause();
        await expect(
          m.consent.connect(alice).grantConsent(subject, hospital, EDUCATION, PURPOSE, until),
        ).to.be.revertedWithCustomError(m.consent, "EnforcedPause");
      });
    });
  });

  describe("revokeConsent", function () {
    let id: bigint;

    beforeEach(async function () {
      id = await grant();
    });

    context("when the subject revokes", function () {
      it("emits ConsentRevoked, stamps revokedAt and ends the consent", async function () {
        const tx = await m.consent.connect(alice).revokeConsent(id);
        await expect(tx).to.emit(m.consent, "ConsentRevoked").withArgs(id);
        expect((await m.consent.getConsent(id)).revokedAt).to.equal(await timestampOf(tx));
        expect(await m.consent.isConsentLive(id)).to.equal(false);
      });

      it("works while paused", async function () {
        await pause();
        await expect(m.consent.connect(alice).revokeConsent(id)).to.emit(m.consent, "ConsentRevoked").withArgs(id);
        expect(await m.consent.isConsentLive(id)).to.equal(false);
      });

      it("works through a representative of an organisation subject with the CONSENT scope", async function () {
        await m.consent.connect(universityKey).grantConsent(university, hospital, BASIC_IDENTITY, PURPOSE, until);
        await mandate(universityKey, university, Scope.CONSENT);
        await expect(m.consent.connect(clerkKey).revokeConsent(2n)).to.emit(m.consent, "ConsentRevoked").withArgs(2n);
      });
    });

    context("when it was already revoked", function () {
      it("reverts with ConsentWasRevoked naming the first revocation's time", async function () {
        const revokedAt = await timestampOf(await m.consent.connect(alice).revokeConsent(id));
        await time.increase(60);
        await expect(m.consent.connect(alice).revokeConsent(id))
          .to.be.revertedWithCustomError(m.consent, "ConsentWasRevoked")
          .withArgs(id, revokedAt);
      });
    });

    context("when the caller is not the subject", function () {
      it("reverts with IdentityNotActingFor for the grantee and for strangers", async function () {
        for (const caller of [hospitalKey, universityKey, nobody]) {
          await expect(m.consent.connect(caller).revokeConsent(id))
            .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
            .withArgs(caller.address, subject, Scope.CONSENT);
        }
        expect(await m.consent.isConsentLive(id)).to.equal(true);
      });
    });

    context("when the consent is unknown", function () {
      it("reverts with ConsentUnknown", async function () {
        await expect(m.consent.connect(alice).revokeConsent(99n))
          .to.be.revertedWithCustomError(m.consent, "ConsentUnknown")
          .withArgs(99n);
      });
    });
  });

  describe("recordAccess", function () {
    let id: bigint;

    beforeEach(async function () {
      id = await grant();
    });

    context("when the grantee's key records an access", function () {
      it("emits AccessRecorded with the receipt id, the consent and the grantee as accessor", async function () {
        await expect(m.consent.connect(hospitalKey).recordAccess(id, REQUEST))
          .to.emit(m.consent, "AccessRecorded")
          .withArgs(1n, id, hospital, REQUEST);
      });

      it("stores the receipt and counts it on the consent", async function () {
        const tx = await m.consent.connect(hospitalKey).recordAccess(id, REQUEST);
        const at = await timestampOf(tx);
        const r = await m.consent.getReceipt(1n);
        expect(r.consentId).to.equal(id);
        expect(r.accessor).to.equal(hospital);
        expect(r.account).to.equal(hospitalKey.address);
        expect(r.accessedAt).to.equal(at);
        expect(r.requestHash).to.equal(REQUEST);
        expect(await m.consent.receiptCount()).to.equal(1n);
        expect((await m.consent.getConsent(id)).accessCount).to.equal(1n);
        await m.consent.connect(hospitalKey).recordAccess(id, hashOf("second request"));
        expect((await m.consent.getConsent(id)).accessCount).to.equal(2n);
        expect(await m.consent.receiptCount()).to.equal(2n);
        expect((await m.consent.getReceipt(2n)).requestHash).to.equal(hashOf("second request"));
      });

      it("returns the receipt id", async function () {
        await m.consent.connect(hospitalKey).recordAccess(id, REQUEST);
        expect(await m.consent.connect(hospitalKey).recordAccess.staticCall(id, REQUEST)).to.equal(2n);
      });

      it("still works at the consent's last second", async function () {
        await time.setNextBlockTimestamp(until);
        await expect(m.consent.connect(hospitalKey).recordAccess(id, REQUEST))
          .to.emit(m.consent, "AccessRecorded")
          .withArgs(1n, id, hospital, REQUEST);
      });
    });

    context("when a representative of the grantee records an access", function () {
      it("names the representative's DID and key in the receipt under the CONSENT scope", async function () {
        await mandate(hospitalKey, hospital, Scope.CONSENT);
        await expect(m.consent.connect(clerkKey).recordAccess(id, REQUEST))
          .to.emit(m.consent, "AccessRecorded")
          .withArgs(1n, id, clerk, REQUEST);
        const r = await m.consent.getReceipt(1n);
        expect(r.accessor).to.equal(clerk);
        expect(r.account).to.equal(clerkKey.address);
      });

      it("reverts with IdentityMandateOutOfScope without the CONSENT scope", async function () {
        await mandate(hospitalKey, hospital, Scope.EVIDENCE);
        await expect(m.consent.connect(clerkKey).recordAccess(id, REQUEST))
          .to.be.revertedWithCustomError(m.identity, "IdentityMandateOutOfScope")
          .withArgs(hospital, clerk, Scope.EVIDENCE, Scope.CONSENT);
      });

      it("reverts with IdentityNotActingFor after the mandate was revoked", async function () {
        await mandate(hospitalKey, hospital, Scope.CONSENT);
        await m.identity.connect(hospitalKey).revokeMandate(hospital, clerk);
        await expect(m.consent.connect(clerkKey).recordAccess(id, REQUEST))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(clerkKey.address, hospital, Scope.CONSENT);
      });
    });

    context("when someone other than the grantee cites the consent", function () {
      it("reverts with IdentityNotActingFor for another organisation", async function () {
        await expect(m.consent.connect(universityKey).recordAccess(id, REQUEST))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(universityKey.address, hospital, Scope.CONSENT);
      });

      it("reverts with IdentityNotActingFor for another organisation's representative", async function () {
        await mandate(universityKey, university, Scope.ALL);
        await expect(m.consent.connect(clerkKey).recordAccess(id, REQUEST))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(clerkKey.address, hospital, Scope.CONSENT);
      });

      it("reverts with IdentityNotActingFor for the subject itself", async function () {
        await expect(m.consent.connect(alice).recordAccess(id, REQUEST))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(alice.address, hospital, Scope.CONSENT);
        expect(await m.consent.receiptCount()).to.equal(0n);
      });

      it("reverts with IdentityNotActingFor when the grantee is suspended", async function () {
        await m.identity.connect(m.registrar).suspend(hospital, REASON);
        await expect(m.consent.connect(hospitalKey).recordAccess(id, REQUEST))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(hospitalKey.address, hospital, Scope.CONSENT);
      });
    });

    context("when the consent is not live", function () {
      it("reverts with ConsentWasRevoked(id, revokedAt) after revocation", async function () {
        await m.consent.connect(hospitalKey).recordAccess(id, REQUEST);
        const revokedAt = await timestampOf(await m.consent.connect(alice).revokeConsent(id));
        await expect(m.consent.connect(hospitalKey).recordAccess(id, REQUEST))
          .to.be.revertedWithCustomError(m.consent, "ConsentWasRevoked")
          .withArgs(id, revokedAt);
        expect((await m.consent.getConsent(id)).accessCount).to.equal(1n);
        expect(await m.consent.receiptCount()).to.equal(1n);
      });

      it("reverts with ConsentExpired(id, validUntil) after the end", async function () {
        await time.increaseTo(until + 1n);
        await expect(m.consent.connect(hospitalKey).recordAccess(id, REQUEST))
          .to.be.revertedWithCustomError(m.consent, "ConsentExpired")
          .withArgs(id, until);
      });

      it("reverts with ConsentUnknown for an unknown consent", async function () {
        for (const unknown of [0n, 2n]) {
          await expect(m.consent.connect(hospitalKey).recordAccess(unknown, REQUEST))
            .to.be.revertedWithCustomError(m.consent, "ConsentUnknown")
            .withArgs(unknown);
        }
      });
    });

    context("when paused", function () {
      it("reverts with EnforcedPause", async function () {
        await pause();
        await expect(m.consent.connect(hospitalKey).recordAccess(id, REQUEST)).to.be.revertedWithCustomError(
          m.consent,
          "EnforcedPause",
        );
      });
    });
  });

  describe("isConsentLive", function () {
    it("is false for an unknown consent", async function () {
      expect(await m.consent.isConsentLive(0n)).to.equal(false);
      expect(await m.consent.isConsentLive(1n)).to.equal(false);
    });

    it("is true up to and including validUntil, false after", async function () {
      const id = await grant();
      expect(await m.consent.isConsentLive(id)).to.equal(true);
      await time.increaseTo(until);
      expect(await m.consent.isConsentLive(id)).to.equal(true);
      await time.increase(1);
      expect(await m.consent.isConsentLive(id)).to.equal(false);
    });

    it("is false once revoked", async function () {
      const id = await grant();
      await m.consent.connect(alice).revokeConsent(id);
      expect(await m.consent.isConsentLive(id)).to.equal(false);
    });
  });

  describe("getConsent and getReceipt", function () {
    it("getConsent reverts with ConsentUnknown for an unknown id", async function () {
      await expect(m.consent.getConsent(1n)).to.be.revertedWithCustomError(m.consent, "ConsentUnknown").withArgs(1n);
      await grant();
      await expect(m.consent.getConsent(2n)).to.be.revertedWithCustomError(m.consent, "ConsentUnknown").withArgs(2n);
    });

    it("getReceipt reverts with ConsentUnknownReceipt for an unknown id", async function () {
      const id = await grant();
      await m.consent.connect(hospitalKey).recordAccess(id, REQUEST);
      expect((await m.consent.getReceipt(1n)).consentId).to.equal(id);
      for (const unknown of [0n, 2n]) {
        await expect(m.consent.getReceipt(unknown))
          .to.be.revertedWithCustomError(m.consent, "ConsentUnknownReceipt")
          .withArgs(unknown);
      }
    });

    it("keeps receipts readable after the consent was revoked and expired", async function () {
      const id = await grant();
      await m.consent.connect(hospitalKey).recordAccess(id, REQUEST);
      await m.consent.connect(alice).revokeConsent(id);
      await time.increaseTo(until + 1n);
      expect((await m.consent.getReceipt(1n)).requestHash).to.equal(REQUEST);
      expect((await m.consent.getConsent(id)).accessCount).to.equal(1n);
    });
  });

  describe("consentCount and receiptCount", function () {
    it("count consents and receipts across subjects and grantees", async function () {
      await grant();
      await m.consent.connect(clerkKey).grantConsent(clerk, university, BASIC_IDENTITY, PURPOSE, until);
      await m.consent.connect(universityKey).recordAccess(2n, REQUEST);
      await m.consent.connect(hospitalKey).recordAccess(1n, REQUEST);
      await m.consent.connect(universityKey).recordAccess(2n, REQUEST);
      expect(await m.consent.consentCount()).to.equal(2n);
      expect(await m.consent.receiptCount()).to.equal(3n);
      expect((await m.consent.getConsent(1n)).accessCount).to.equal(1n);
      expect((await m.consent.getConsent(2n)).accessCount).to.equal(2n);
      expect((await m.consent.getReceipt(2n)).consentId).to.equal(1n);
    });
  });

  describe("pause and unpause", function () {
    it("lets the guardian pause and the council unpause", async function () {
      await expect(m.consent.connect(m.guardian).pause()).to.emit(m.consent, "Paused").withArgs(m.guardian.address);
      await expect(m.consent.connect(m.councilSigner).unpause())
        .to.emit(m.consent, "Unpaused")
        .withArgs(m.councilSigner.address);
      await expect(grant()).not.to.be.reverted;
    });

    it("reverts with AccessManagedUnauthorized for others", async function () {
      for (const caller of [m.registrar, alice]) {
        await expect(m.consent.connect(caller).pause())
          .to.be.revertedWithCustomError(m.consent, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
      await pause();
      await expect(m.consent.connect(m.guardian).unpause())
        .to.be.revertedWithCustomError(m.consent, "AccessManagedUnauthorized")
        .withArgs(m.guardian.address);
    });
  });
});
