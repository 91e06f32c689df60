import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { impersonateAccount, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { Wallet, ZeroAddress } from "ethers";
import type { IdentityRegistry } from "../../typechain-types";
import {
  accreditedTopic,
  claimIdOf,
  ClaimStatus,
  DidKind,
  DidStatus,
  FOREVER,
  hashOf,
  identityFixture,
  now,
  Purpose,
  registerDid,
  Scope,
  type IdentityModule,
} from "../helpers/identity";
import { nextBlockTimestamp } from "../helpers/proposals";

const REASON = hashOf("registrar decision 2024-031");
const COMMITMENT = hashOf("salted identity record of a citizen");
const DATA = hashOf("credential: high-tech enterprise certificate GR202433000123");
const SCHEMA = hashOf("schema: high-tech enterprise");
const TOPIC_NAME = "high-tech enterprise (高新技术企业)";
/** Member id of the founding registrar agency (the first member of config/consortium.local.json). */
const REGISTRAR_MEMBER = 1n;
const MAX_KEYS = 8;

function randomAddress(): string {
  return Wallet.createRandom().address;
}

describe("IdentityRegistry", function () {
  let m: IdentityModule;
  let identity: IdentityRegistry;
  /** Outsiders used as keys: alice, bob and carol are persons' keys, org the organisation's, issuerKey an issuer's. */
  let alice: HardhatEthersSigner;
  let bob: HardhatEthersSigner;
  let carol: HardhatEthersSigner;
  let orgKey: HardhatEthersSigner;
  let issuerKey: HardhatEthersSigner;
  let stranger: HardhatEthersSigner;
  let spare: HardhatEthersSigner;

  beforeEach(async function () {
    m = await identityFixture();
    identity = m.identity;
    [alice, bob, carol, orgKey, issuerKey, stranger, spare] = m.outsiders;
  });

  const as = (signer: HardhatEthersSigner | Wallet) => identity.connect(signer);

  async function person(account: string, purposes: number = Purpose.ALL): Promise<bigint> {
    return registerDid(m, DidKind.Person, [{ account, purposes }]);
  }

  async function organisation(account: string): Promise<bigint> {
    return registerDid(m, DidKind.Organisation, [{ account }]);
  }

  async function pause() {
    await identity.connect(m.guardian).pause();
  }

  /** The keys of `did` as [address, purposes] pairs, in index order. */
  async function keysOf(did: bigint): Promise<[string, number][]> {
    // ethers' Result is an Array: `.keys` is Array.prototype.keys, so read the field by position.
    const keys = (await identity.resolve(did))[8];
    return keys.map((k) => [k.account, Number(k.purposes)]);
  }

  async function expectNoKey(account: string) {
    const [did, purposes] = await identity.didOf(account);
    expect(did, `did of ${account}`).to.equal(0n);
    expect(purposes).to.equal(0n);
  }

  /** An organisation (key orgKey) giving person alice a mandate; returns both ids. */
  async function mandated(scopes: number = Scope.IDENTITY, validFor = 3600) {
    const org = await organisation(orgKey.address);
    const rep = await person(alice.address);
    const validUntil = (await now()) + BigInt(validFor);
    await as(orgKey).grantMandate(org, rep, scopes, validUntil);
    return { org, rep, validUntil };
  }

  interface ClaimWorld {
    issuer: bigint;
    subject: bigint;
    topic: bigint;
  }

  /** An accredited issuer (key issuerKey), a person subject (key alice) and a topic. */
  async function claimWorld(accreditedUntil: bigint = FOREVER): Promise<ClaimWorld> {
    const issuer = await organisation(issuerKey.address);
    const subject = await person(alice.address);
    const topic = await accreditedTopic(m, issuer, TOPIC_NAME, accreditedUntil);
    return { issuer, subject, topic };
  }

  /** Issues a claim as issuerKey; returns its id. */
  async function issue(
    w: ClaimWorld,
    { subject = w.subject, topic = w.topic, data = DATA, from = 0n, until = FOREVER } = {},
  ): Promise<bigint> {
    const id = await as(issuerKey).issueClaim.staticCall(subject, topic, data, from, until);
    await (await as(issuerKey).issueClaim(subject, topic, data, from, until)).wait();
    return id;
  }

  describe("initialize", function () {
    it("reports version 1.0.0 under the suite's authority, empty and unpaused", async function () {
      expect(await identity.version()).to.equal("1.0.0");
      expect(await identity.authority()).to.equal(await m.authority.getAddress());
      expect(await identity.paused()).to.equal(false);
      expect(await identity.didCount()).to.equal(0n);
      expect(await identity.topicCount()).to.equal(0n);
      expect(await identity.MAX_KEYS()).to.equal(BigInt(MAX_KEYS));
    });

    it("reverts with InvalidInitialization when called again", async function () {
      await expect(
        identity.initialize(m.deployer.address, await m.registry.getAddress()),
      ).to.be.revertedWithCustomError(identity, "InvalidInitialization");
    });
  });

  describe("pause and unpause", function () {
    context("when an outsider pauses", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        await expect(as(stranger).pause())
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(stranger.address);
      });
    });

    context("when the guardian pauses and the council unpauses", function () {
      it("stops and resumes registrations", async function () {
        await pause();
        expect(await identity.paused()).to.equal(true);
        await expect(as(m.guardian).unpause())
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(m.guardian.address);
        await as(m.councilSigner).unpause();
        expect(await identity.paused()).to.equal(false);
        await expect(as(alice).selfRegister(DidKind.Person, COMMITMENT)).not.to.be.reverted;
      });
    });
  });

  describe("register", function () {
    context("when a registrar registers a person with two keys", function () {
      it("emits DidRegistered with its member id, then KeyAdded per key", async function () {
        const keys = [
          { account: alice.address, purposes: Purpose.ALL },
          { account: bob.address, purposes: Purpose.ASSERTION },
        ];
        const tx = identity.register(DidKind.Person, COMMITMENT, keys);
        await expect(tx).to.emit(identity, "DidRegistered").withArgs(1n, DidKind.Person, REGISTRAR_MEMBER, COMMITMENT);
        await expect(tx).to.emit(identity, "KeyAdded").withArgs(1n, alice.address, Purpose.ALL);
        await expect(tx).to.emit(identity, "KeyAdded").withArgs(1n, bob.address, Purpose.ASSERTION);
      });

      it("records an active document resolving to its commitment and keys", async function () {
        const at = await nextBlockTimestamp();
        await identity.register(DidKind.Person, COMMITMENT, [
          { account: alice.address, purposes: Purpose.ALL },
          { account: bob.address, purposes: Purpose.ASSERTION },
        ]);
        expect(await identity.didCount()).to.equal(1n);
        const doc = await identity.resolve(1n);
        expect(doc.did).to.equal(1n);
        expect(doc.kind).to.equal(DidKind.Person);
        expect(doc.status).to.equal(DidStatus.Active);
        expect(doc.registrar).to.equal(REGISTRAR_MEMBER);
        expect(doc.createdAt).to.equal(at);
        expect(doc.updatedAt).to.equal(at);
        expect(doc.version).to.equal(1n);
        expect(doc.commitment).to.equal(COMMITMENT);
        expect(await keysOf(1n)).to.deep.equal([
          [alice.address, Purpose.ALL],
          [bob.address, Purpose.ASSERTION],
        ]);
        expect(await identity.didOf(alice.address)).to.deep.equal([1n, BigInt(Purpose.ALL)]);
        expect(await identity.didOf(bob.address)).to.deep.equal([1n, BigInt(Purpose.ASSERTION)]);
        expect(await identity.statusOf(1n)).to.equal(DidStatus.Active);
      });

      it("returns the new id, counting from 1", async function () {
        const first = await person(alice.address);
        expect(
          await identity.register.staticCall(DidKind.Organisation, COMMITMENT, [{ account: bob.address, purposes: 1 }]),
        ).to.equal(first + 1n);
      });
    });

    context("when a registrar registers an organisation", function () {
      it("records its kind", async function () {
        const org = await organisation(orgKey.address);
        expect((await identity.resolve(org)).kind).to.equal(DidKind.Organisation);
      });
    });

    context("when the caller is not a registrar", function () {
      it("reverts with AccessManagedUnauthorized naming the caller", async function () {
        await expect(as(stranger).register(DidKind.Person, COMMITMENT, [{ account: alice.address, purposes: 3 }]))
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(stranger.address);
      });

      it("reverts with AccessManagedUnauthorized for the council too", async function () {
        await expect(
          as(m.councilSigner).register(DidKind.Person, COMMITMENT, [{ account: alice.address, purposes: 3 }]),
        )
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(m.councilSigner.address);
      });
    });

    context("when the commitment is empty", function () {
      it("reverts with IdentityEmptyCommitment", async function () {
        await expect(
          identity.register(DidKind.Person, ethers.ZeroHash, [{ account: alice.address, purposes: 3 }]),
        ).to.be.revertedWithCustomError(identity, "IdentityEmptyCommitment");
      });
    });

    context("when a key is the zero address", function () {
      it("reverts with IdentityInvalidKey", async function () {
        await expect(identity.register(DidKind.Person, COMMITMENT, [{ account: ZeroAddress, purposes: 3 }]))
          .to.be.revertedWithCustomError(identity, "IdentityInvalidKey")
          .withArgs(ZeroAddress);
      });
    });

    context("when a key is already another DID's key", function () {
      it("reverts with IdentityKeyTaken naming the holder", async function () {
        const holder = await person(alice.address);
        await expect(
          identity.register(DidKind.Person, COMMITMENT, [
            { account: bob.address, purposes: 3 },
            { account: alice.address, purposes: 3 },
          ]),
        )
          .to.be.revertedWithCustomError(identity, "IdentityKeyTaken")
          .withArgs(alice.address, holder);
      });
    });

    context("when a key is listed twice", function () {
      it("reverts with IdentityKeyTaken naming the new DID", async function () {
        await expect(
          identity.register(DidKind.Person, COMMITMENT, [
            { account: alice.address, purposes: 3 },
            { account: alice.address, purposes: 1 },
          ]),
        )
          .to.be.revertedWithCustomError(identity, "IdentityKeyTaken")
          .withArgs(alice.address, 1n);
      });
    });

    context("when a key's purposes are empty or unknown", function () {
      for (const purposes of [0, 4, 0x83]) {
        it(`reverts with IdentityInvalidPurposes for ${purposes}`, async function () {
          await expect(identity.register(DidKind.Person, COMMITMENT, [{ account: alice.address, purposes }]))
            .to.be.revertedWithCustomError(identity, "IdentityInvalidPurposes")
            .withArgs(purposes);
        });
      }
    });

    context("when no key has the authentication purpose", function () {
      it("reverts with IdentityLastAuthenticationKey", async function () {
        await expect(
          identity.register(DidKind.Person, COMMITMENT, [
            { account: alice.address, purposes: Purpose.ASSERTION },
            { account: bob.address, purposes: Purpose.ASSERTION },
          ]),
        )
          .to.be.revertedWithCustomError(identity, "IdentityLastAuthenticationKey")
          .withArgs(1n);
      });

      it("reverts with IdentityLastAuthenticationKey when there are no keys at all", async function () {
        await expect(identity.register(DidKind.Person, COMMITMENT, []))
          .to.be.revertedWithCustomError(identity, "IdentityLastAuthenticationKey")
          .withArgs(1n);
        expect(await identity.didCount()).to.equal(0n);
      });
    });

    context("when there are more keys than MAX_KEYS", function () {
      it("reverts with IdentityTooManyKeys", async function () {
        const keys = Array.from({ length: MAX_KEYS + 1 }, () => ({ account: randomAddress(), purposes: 3 }));
        await expect(identity.register(DidKind.Person, COMMITMENT, keys))
          .to.be.revertedWithCustomError(identity, "IdentityTooManyKeys")
          .withArgs(1n, MAX_KEYS);
      });

      it("accepts exactly MAX_KEYS keys", async function () {
        const keys = Array.from({ length: MAX_KEYS }, () => ({ account: randomAddress(), purposes: 3 }));
        await identity.register(DidKind.Person, COMMITMENT, keys);
        expect((await keysOf(1n)).map(([a]) => a)).to.deep.equal(keys.map((k) => k.account));
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await pause();
        await expect(
          identity.register(DidKind.Person, COMMITMENT, [{ account: alice.address, purposes: 3 }]),
        ).to.be.revertedWithCustomError(identity, "EnforcedPause");
      });
    });
  });

  describe("selfRegister", function () {
    context("when a citizen registers herself", function () {
      it("emits DidRegistered with registrar 0 and KeyAdded for the caller with all purposes", async function () {
        const tx = as(alice).selfRegister(DidKind.Person, COMMITMENT);
        await expect(tx).to.emit(identity, "DidRegistered").withArgs(1n, DidKind.Person, 0n, COMMITMENT);
        await expect(tx).to.emit(identity, "KeyAdded").withArgs(1n, alice.address, Purpose.ALL);
      });

      it("records a pending document with no registrar, controlled by the caller", async function () {
        const at = await nextBlockTimestamp();
        await as(alice).selfRegister(DidKind.Organisation, COMMITMENT);
        const doc = await identity.resolve(1n);
        expect(doc.status).to.equal(DidStatus.Pending);
        expect(doc.kind).to.equal(DidKind.Organisation);
        expect(doc.registrar).to.equal(0n);
        expect(doc.version).to.equal(1n);
        expect(doc.createdAt).to.equal(at);
        expect(doc.commitment).to.equal(COMMITMENT);
        expect(await keysOf(1n)).to.deep.equal([[alice.address, Purpose.ALL]]);
      });

      it("does not let the pending DID's key act yet", async function () {
        await as(alice).selfRegister(DidKind.Person, COMMITMENT);
        expect(await identity.isActingFor(alice.address, 1n, Scope.IDENTITY)).to.equal(false);
        await expect(as(alice).addKey(1n, bob.address, Purpose.ALL))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(alice.address, 1n, Scope.IDENTITY);
      });
    });

    context("when the commitment is empty", function () {
      it("reverts with IdentityEmptyCommitment", async function () {
        await expect(as(alice).selfRegister(DidKind.Person, ethers.ZeroHash)).to.be.revertedWithCustomError(
          identity,
          "IdentityEmptyCommitment",
        );
      });
    });

    context("when the caller is already a DID's key", function () {
      it("reverts with IdentityKeyTaken", async function () {
        const did = await person(alice.address);
        await expect(as(alice).selfRegister(DidKind.Person, COMMITMENT))
          .to.be.revertedWithCustomError(identity, "IdentityKeyTaken")
          .withArgs(alice.address, did);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await pause();
        await expect(as(alice).selfRegister(DidKind.Person, COMMITMENT)).to.be.revertedWithCustomError(
          identity,
          "EnforcedPause",
        );
      });
    });
  });

  describe("verify", function () {
    let did: bigint;
    beforeEach(async function () {
      await as(alice).selfRegister(DidKind.Person, COMMITMENT);
      did = await identity.didCount();
    });

    context("when a registrar verifies a pending DID", function () {
      it("emits DidVerified with the registrar's member id", async function () {
        expect(await m.registry.memberOf(m.registrar.address)).to.equal(REGISTRAR_MEMBER);
        await expect(identity.verify(did)).to.emit(identity, "DidVerified").withArgs(did, REGISTRAR_MEMBER);
      });

      it("activates it, records the registrar and bumps the version", async function () {
        const at = await nextBlockTimestamp();
        await identity.verify(did);
        const doc = await identity.resolve(did);
        expect(doc.status).to.equal(DidStatus.Active);
        expect(doc.registrar).to.equal(REGISTRAR_MEMBER);
        expect(doc.version).to.equal(2n);
        expect(doc.updatedAt).to.equal(at);
        expect(await identity.isActingFor(alice.address, did, Scope.IDENTITY)).to.equal(true);
      });
    });

    context("when the DID is already active", function () {
      it("reverts with IdentityUnexpectedStatus", async function () {
        await identity.verify(did);
        await expect(identity.verify(did))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedStatus")
          .withArgs(did, DidStatus.Active);
      });
    });

    context("when the DID is suspended", function () {
      it("reverts with IdentityUnexpectedStatus", async function () {
        await identity.suspend(did, REASON);
        await expect(identity.verify(did))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedStatus")
          .withArgs(did, DidStatus.Suspended);
      });
    });

    context("when the DID does not exist", function () {
      it("reverts with IdentityUnknownDid", async function () {
        await expect(identity.verify(99n)).to.be.revertedWithCustomError(identity, "IdentityUnknownDid").withArgs(99n);
      });
    });

    context("when the caller is not a registrar", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        await expect(as(stranger).verify(did))
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(stranger.address);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await pause();
        await expect(identity.verify(did)).to.be.revertedWithCustomError(identity, "EnforcedPause");
      });
    });
  });

  describe("suspend", function () {
    context("when a registrar suspends an active DID", function () {
      it("emits DidSuspended with the reason", async function () {
        const did = await person(alice.address);
        await expect(identity.suspend(did, REASON)).to.emit(identity, "DidSuspended").withArgs(did, REASON);
      });

      it("freezes it: status Suspended, version bumped, its keys no longer act", async function () {
        const did = await person(alice.address);
        const at = await nextBlockTimestamp();
        await identity.suspend(did, REASON);
        const doc = await identity.resolve(did);
        expect(doc.status).to.equal(DidStatus.Suspended);
        expect(doc.version).to.equal(2n);
        expect(doc.updatedAt).to.equal(at);
        expect(await keysOf(did)).to.deep.equal([[alice.address, Purpose.ALL]]);
        expect(await identity.isActingFor(alice.address, did, Scope.IDENTITY)).to.equal(false);
        await expect(identity.requireActingFor(alice.address, did, Scope.CONSENT, 0))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(alice.address, did, Scope.CONSENT);
      });
    });

    context("when the DID is pending", function () {
      it("suspends it", async function () {
        await as(alice).selfRegister(DidKind.Person, COMMITMENT);
        await expect(identity.suspend(1n, REASON)).to.emit(identity, "DidSuspended").withArgs(1n, REASON);
        expect(await identity.statusOf(1n)).to.equal(DidStatus.Suspended);
      });
    });

    context("when the registry is paused", function () {
      it("still suspends, so a compromised identity can be frozen in an emergency", async function () {
        const did = await person(alice.address);
        await pause();
        await expect(identity.suspend(did, REASON)).to.emit(identity, "DidSuspended").withArgs(did, REASON);
        expect(await identity.statusOf(did)).to.equal(DidStatus.Suspended);
      });
    });

    context("when the DID is already suspended or deactivated", function () {
      it("reverts with IdentityUnexpectedStatus for a suspended DID", async function () {
        const did = await person(alice.address);
        await identity.suspend(did, REASON);
        await expect(identity.suspend(did, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedStatus")
          .withArgs(did, DidStatus.Suspended);
      });

      it("reverts with IdentityUnexpectedStatus for a deactivated DID", async function () {
        const did = await person(alice.address);
        await identity.deactivate(did, REASON);
        await expect(identity.suspend(did, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedStatus")
          .withArgs(did, DidStatus.Deactivated);
      });
    });

    context("when the DID does not exist", function () {
      it("reverts with IdentityUnknownDid", async function () {
        await expect(identity.suspend(7n, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownDid")
          .withArgs(7n);
      });
    });

    context("when the caller is not a registrar", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        const did = await person(alice.address);
        await expect(as(alice).suspend(did, REASON))
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(alice.address);
      });
    });
  });

  describe("reinstate", function () {
    context("when a registrar reinstates a suspended DID", function () {
      it("emits DidReinstated and lets its keys act again", async function () {
        const did = await person(alice.address);
        await identity.suspend(did, REASON);
        await expect(identity.reinstate(did)).to.emit(identity, "DidReinstated").withArgs(did);
        const doc = await identity.resolve(did);
        expect(doc.status).to.equal(DidStatus.Active);
        expect(doc.version).to.equal(3n);
        expect(await identity.isActingFor(alice.address, did, Scope.IDENTITY)).to.equal(true);
      });
    });

    context("when the DID was suspended while pending", function () {
      // DidDocument.registrar is documented as "0 while pending": an active DID always names the
      // agency that registered or verified it. Reinstating must not activate an unverified DID.
      it("does not activate it without verification", async function () {
        await as(alice).selfRegister(DidKind.Person, COMMITMENT);
        await identity.suspend(1n, REASON);
        await identity.reinstate(1n);
        const doc = await identity.resolve(1n);
        expect(doc.status, "a never-verified DID became Active with registrar 0").to.equal(DidStatus.Pending);
        expect(await identity.isActingFor(alice.address, 1n, Scope.IDENTITY)).to.equal(false);
      });
    });

    context("when the DID is not suspended", function () {
      it("reverts with IdentityUnexpectedStatus", async function () {
        const did = await person(alice.address);
        await expect(identity.reinstate(did))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedStatus")
          .withArgs(did, DidStatus.Active);
      });
    });

    context("when the DID does not exist", function () {
      it("reverts with IdentityUnknownDid", async function () {
        await expect(identity.reinstate(3n)).to.be.revertedWithCustomError(identity, "IdentityUnknownDid").withArgs(3n);
      });
    });

    context("when the caller is not a registrar", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        const did = await person(alice.address);
        await identity.suspend(did, REASON);
        await expect(as(stranger).reinstate(did))
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(stranger.address);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const did = await person(alice.address);
        await identity.suspend(did, REASON);
        await pause();
        await expect(identity.reinstate(did)).to.be.revertedWithCustomError(identity, "EnforcedPause");
      });
    });
  });

  describe("deactivate", function () {
    context("when a registrar deactivates a DID with three keys and a claim", function () {
      let w: ClaimWorld;
      let claim: bigint;
      beforeEach(async function () {
        w = await claimWorld();
        await as(alice).addKey(w.subject, bob.address, Purpose.AUTHENTICATION);
        await as(alice).addKey(w.subject, carol.address, Purpose.ASSERTION);
        claim = await issue(w);
      });

      it("emits KeyRemoved for every key and DidDeactivated", async function () {
        const tx = identity.deactivate(w.subject, REASON);
        for (const key of [alice.address, bob.address, carol.address]) {
          await expect(tx).to.emit(identity, "KeyRemoved").withArgs(w.subject, key);
        }
        await expect(tx).to.emit(identity, "DidDeactivated").withArgs(w.subject, REASON);
      });

      it("leaves a keyless deactivated document and frees the keys", async function () {
        const before = await identity.resolve(w.subject);
        await identity.deactivate(w.subject, REASON);
        const doc = await identity.resolve(w.subject);
        expect(doc.status).to.equal(DidStatus.Deactivated);
        expect(doc[8]).to.deep.equal([]);
        expect(doc.commitment).to.equal(before.commitment);
        expect(doc.version).to.equal(before.version + 1n);
        for (const key of [alice.address, bob.address, carol.address]) {
          await expectNoKey(key);
          await identity.requireFreeKey(key);
        }
        const again = await person(alice.address);
        expect(await identity.didOf(alice.address)).to.deep.equal([again, BigInt(Purpose.ALL)]);
      });

      it("keeps its claims on record, though they no longer count for the DID", async function () {
        await identity.deactivate(w.subject, REASON);
        const c = await identity.getClaim(claim);
        expect(c.status).to.equal(ClaimStatus.Active);
        expect((await identity.claimsOf(w.subject)).map((x) => x.id)).to.deep.equal([claim]);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false);
      });
    });

    context("when the DID is suspended", function () {
      it("deactivates it", async function () {
        const did = await person(alice.address);
        await identity.suspend(did, REASON);
        await expect(identity.deactivate(did, REASON)).to.emit(identity, "DidDeactivated").withArgs(did, REASON);
        expect(await identity.statusOf(did)).to.equal(DidStatus.Deactivated);
      });
    });

    context("when the DID is already deactivated", function () {
      it("reverts with IdentityUnexpectedStatus", async function () {
        const did = await person(alice.address);
        await identity.deactivate(did, REASON);
        await expect(identity.deactivate(did, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedStatus")
          .withArgs(did, DidStatus.Deactivated);
      });
    });

    context("when the DID does not exist", function () {
      it("reverts with IdentityUnknownDid", async function () {
        await expect(identity.deactivate(5n, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownDid")
          .withArgs(5n);
      });
    });

    context("when the caller is not a registrar", function () {
      it("reverts with AccessManagedUnauthorized, even for the DID's own key", async function () {
        const did = await person(alice.address);
        await expect(as(alice).deactivate(did, REASON))
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(alice.address);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const did = await person(alice.address);
        await pause();
        await expect(identity.deactivate(did, REASON)).to.be.revertedWithCustomError(identity, "EnforcedPause");
      });
    });
  });

  describe("updateCommitment", function () {
    const NEW = hashOf("re-salted identity record after a name change");

    context("when a registrar replaces the commitment", function () {
      it("emits CommitmentUpdated and records it with a new version", async function () {
        const did = await person(alice.address);
        const at = await nextBlockTimestamp();
        await expect(identity.updateCommitment(did, NEW)).to.emit(identity, "CommitmentUpdated").withArgs(did, NEW);
        const doc = await identity.resolve(did);
        expect(doc.commitment).to.equal(NEW);
        expect(doc.version).to.equal(2n);
        expect(doc.updatedAt).to.equal(at);
      });

      it("works on a suspended DID", async function () {
        const did = await person(alice.address);
        await identity.suspend(did, REASON);
        await identity.updateCommitment(did, NEW);
        expect((await identity.resolve(did)).commitment).to.equal(NEW);
      });
    });

    context("when the commitment is empty", function () {
      it("reverts with IdentityEmptyCommitment", async function () {
        const did = await person(alice.address);
        await expect(identity.updateCommitment(did, ethers.ZeroHash)).to.be.revertedWithCustomError(
          identity,
          "IdentityEmptyCommitment",
        );
      });
    });

    context("when the DID is deactivated", function () {
      it("reverts with IdentityUnexpectedStatus", async function () {
        const did = await person(alice.address);
        await identity.deactivate(did, REASON);
        await expect(identity.updateCommitment(did, NEW))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedStatus")
          .withArgs(did, DidStatus.Deactivated);
      });
    });

    context("when the DID does not exist", function () {
      it("reverts with IdentityUnknownDid", async function () {
        await expect(identity.updateCommitment(4n, NEW))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownDid")
          .withArgs(4n);
      });
    });

    context("when the caller is not a registrar", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        const did = await person(alice.address);
        await expect(as(alice).updateCommitment(did, NEW))
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(alice.address);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const did = await person(alice.address);
        await pause();
        await expect(identity.updateCommitment(did, NEW)).to.be.revertedWithCustomError(identity, "EnforcedPause");
      });
    });
  });

  describe("addKey", function () {
    context("when the DID's authentication key adds a key", function () {
      it("emits KeyAdded and lists the key with its purposes", async function () {
        const did = await person(alice.address);
        await expect(as(alice).addKey(did, bob.address, Purpose.ASSERTION))
          .to.emit(identity, "KeyAdded")
          .withArgs(did, bob.address, Purpose.ASSERTION);
        expect(await keysOf(did)).to.deep.equal([
          [alice.address, Purpose.ALL],
          [bob.address, Purpose.ASSERTION],
        ]);
        expect(await identity.didOf(bob.address)).to.deep.equal([did, BigInt(Purpose.ASSERTION)]);
      });

      it("bumps the version and updatedAt", async function () {
        const did = await person(alice.address);
        const at = await nextBlockTimestamp();
        await as(alice).addKey(did, bob.address, Purpose.ALL);
        const doc = await identity.resolve(did);
        expect(doc.version).to.equal(2n);
        expect(doc.updatedAt).to.equal(at);
      });

      it("lets a new authentication key act, but not an assertion-only key", async function () {
        const did = await person(alice.address);
        await as(alice).addKey(did, bob.address, Purpose.AUTHENTICATION);
        await as(alice).addKey(did, carol.address, Purpose.ASSERTION);
        expect(await identity.isActingFor(bob.address, did, Scope.IDENTITY)).to.equal(true);
        expect(await identity.isActingFor(carol.address, did, Scope.IDENTITY)).to.equal(false);
        await expect(as(bob).addKey(did, spare.address, Purpose.ALL)).not.to.be.reverted;
        await expect(as(carol).addKey(did, randomAddress(), Purpose.ALL))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(carol.address, did, Scope.IDENTITY);
      });
    });

    context("when a representative with an IDENTITY mandate adds a key to the organisation", function () {
      it("adds it", async function () {
        const { org } = await mandated(Scope.IDENTITY | Scope.TRADE);
        await expect(as(alice).addKey(org, bob.address, Purpose.ASSERTION))
          .to.emit(identity, "KeyAdded")
          .withArgs(org, bob.address, Purpose.ASSERTION);
        expect(await identity.didOf(bob.address)).to.deep.equal([org, BigInt(Purpose.ASSERTION)]);
      });
    });

    context("when the caller does not act for the DID", function () {
      it("reverts with IdentityNotActingFor for an outsider", async function () {
        const did = await person(alice.address);
        await expect(as(stranger).addKey(did, stranger.address, Purpose.ALL))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(stranger.address, did, Scope.IDENTITY);
      });

      it("reverts with IdentityNotActingFor for another DID's key", async function () {
        const did = await person(alice.address);
        await person(bob.address);
        await expect(as(bob).addKey(did, carol.address, Purpose.ALL))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(bob.address, did, Scope.IDENTITY);
      });

      it("reverts with IdentityNotActingFor once the DID is suspended", async function () {
        const did = await person(alice.address);
        await identity.suspend(did, REASON);
        await expect(as(alice).addKey(did, bob.address, Purpose.ALL))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(alice.address, did, Scope.IDENTITY);
      });

      it("reverts with IdentityNotActingFor for a representative whose mandate was revoked", async function () {
        const { org, rep } = await mandated();
        await as(orgKey).revokeMandate(org, rep);
        await expect(as(alice).addKey(org, bob.address, Purpose.ALL))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(alice.address, org, Scope.IDENTITY);
      });
    });

    context("when the representative's mandate has expired", function () {
      it("reverts with IdentityMandateExpired", async function () {
        const { org, rep, validUntil } = await mandated(Scope.IDENTITY, 100);
        await time.increaseTo(validUntil + 1n);
        await expect(as(alice).addKey(org, bob.address, Purpose.ALL))
          .to.be.revertedWithCustomError(identity, "IdentityMandateExpired")
          .withArgs(org, rep, validUntil);
      });
    });

    context("when the representative's mandate lacks the IDENTITY scope", function () {
      it("reverts with IdentityMandateOutOfScope", async function () {
        const { org, rep } = await mandated(Scope.CONSENT | Scope.TRADE);
        await expect(as(alice).addKey(org, bob.address, Purpose.ALL))
          .to.be.revertedWithCustomError(identity, "IdentityMandateOutOfScope")
          .withArgs(org, rep, Scope.CONSENT | Scope.TRADE, Scope.IDENTITY);
      });
    });

    context("when the key is invalid", function () {
      it("reverts with IdentityInvalidKey for the zero address", async function () {
        const did = await person(alice.address);
        await expect(as(alice).addKey(did, ZeroAddress, Purpose.ALL))
          .to.be.revertedWithCustomError(identity, "IdentityInvalidKey")
          .withArgs(ZeroAddress);
      });

      it("reverts with IdentityKeyTaken for a key of any DID", async function () {
        const did = await person(alice.address);
        const other = await person(bob.address);
        await expect(as(alice).addKey(did, bob.address, Purpose.ALL))
          .to.be.revertedWithCustomError(identity, "IdentityKeyTaken")
          .withArgs(bob.address, other);
        await expect(as(alice).addKey(did, alice.address, Purpose.ALL))
          .to.be.revertedWithCustomError(identity, "IdentityKeyTaken")
          .withArgs(alice.address, did);
      });

      for (const purposes of [0, 4, 7]) {
        it(`reverts with IdentityInvalidPurposes for purposes ${purposes}`, async function () {
          const did = await person(alice.address);
          await expect(as(alice).addKey(did, bob.address, purposes))
            .to.be.revertedWithCustomError(identity, "IdentityInvalidPurposes")
            .withArgs(purposes);
        });
      }
    });

    context("when the DID already has MAX_KEYS keys", function () {
      it("reverts with IdentityTooManyKeys", async function () {
        const did = await person(alice.address);
        for (let i = 1; i < MAX_KEYS; i++) await as(alice).addKey(did, randomAddress(), Purpose.ASSERTION);
        expect(await keysOf(did)).to.have.length(MAX_KEYS);
        await expect(as(alice).addKey(did, bob.address, Purpose.ALL))
          .to.be.revertedWithCustomError(identity, "IdentityTooManyKeys")
          .withArgs(did, MAX_KEYS);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const did = await person(alice.address);
        await pause();
        await expect(as(alice).addKey(did, bob.address, Purpose.ALL)).to.be.revertedWithCustomError(
          identity,
          "EnforcedPause",
        );
      });
    });
  });

  describe("removeKey", function () {
    context("when the DID's key removes another key", function () {
      it("emits KeyRemoved, unlists the key and bumps the version", async function () {
        const did = await person(alice.address);
        await as(alice).addKey(did, bob.address, Purpose.ALL);
        const at = await nextBlockTimestamp();
        await expect(as(alice).removeKey(did, bob.address)).to.emit(identity, "KeyRemoved").withArgs(did, bob.address);
        expect(await keysOf(did)).to.deep.equal([[alice.address, Purpose.ALL]]);
        await expectNoKey(bob.address);
        const doc = await identity.resolve(did);
        expect(doc.version).to.equal(3n);
        expect(doc.updatedAt).to.equal(at);
        expect(await identity.isActingFor(bob.address, did, Scope.IDENTITY)).to.equal(false);
      });

      it("lets a key remove itself while another authentication key remains", async function () {
        const did = await person(alice.address);
        await as(alice).addKey(did, bob.address, Purpose.AUTHENTICATION);
        await as(alice).removeKey(did, alice.address);
        expect(await keysOf(did)).to.deep.equal([[bob.address, Purpose.AUTHENTICATION]]);
        await expect(as(alice).addKey(did, carol.address, Purpose.ALL))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(alice.address, did, Scope.IDENTITY);
      });

      it("removes an assertion-only key", async function () {
        const did = await person(alice.address, Purpose.AUTHENTICATION);
        await as(alice).addKey(did, bob.address, Purpose.ASSERTION);
        await as(alice).removeKey(did, bob.address);
        expect(await keysOf(did)).to.deep.equal([[alice.address, Purpose.AUTHENTICATION]]);
      });
    });

    context("when a key in the middle is removed", function () {
      it("moves the last key into its place and keeps every index right", async function () {
        const [k1, k2, k3] = [randomAddress(), randomAddress(), randomAddress()];
        const did = await person(alice.address);
        await as(alice).addKey(did, k1, Purpose.ASSERTION);
        await as(alice).addKey(did, k2, Purpose.AUTHENTICATION);
        await as(alice).addKey(did, k3, Purpose.ALL);
        await as(alice).removeKey(did, k1);
        expect(await keysOf(did)).to.deep.equal([
          [alice.address, Purpose.ALL],
          [k3, Purpose.ALL],
          [k2, Purpose.AUTHENTICATION],
        ]);
        // k3 now sits at index 1: removing and rotating it must use its new index.
        await as(alice).rotateKey(did, k3, bob.address);
        expect(await keysOf(did)).to.deep.equal([
          [alice.address, Purpose.ALL],
          [bob.address, Purpose.ALL],
          [k2, Purpose.AUTHENTICATION],
        ]);
        await as(alice).removeKey(did, bob.address);
        expect(await keysOf(did)).to.deep.equal([
          [alice.address, Purpose.ALL],
          [k2, Purpose.AUTHENTICATION],
        ]);
        await as(alice).removeKey(did, alice.address);
        expect(await keysOf(did)).to.deep.equal([[k2, Purpose.AUTHENTICATION]]);
        for (const gone of [k1, k3, bob.address, alice.address]) await expectNoKey(gone);
        expect(await identity.didOf(k2)).to.deep.equal([did, BigInt(Purpose.AUTHENTICATION)]);
      });
    });

    context("when the last authentication key would go", function () {
      it("reverts with IdentityLastAuthenticationKey, even if an assertion key remains", async function () {
        const did = await person(alice.address);
        await as(alice).addKey(did, bob.address, Purpose.ASSERTION);
        await expect(as(alice).removeKey(did, alice.address))
          .to.be.revertedWithCustomError(identity, "IdentityLastAuthenticationKey")
          .withArgs(did);
      });
    });

    context("when the key is not the DID's", function () {
      it("reverts with IdentityNotKeyOf for another DID's key", async function () {
        const did = await person(alice.address);
        await person(bob.address);
        await expect(as(alice).removeKey(did, bob.address))
          .to.be.revertedWithCustomError(identity, "IdentityNotKeyOf")
          .withArgs(did, bob.address);
        expect(await keysOf(2n)).to.deep.equal([[bob.address, Purpose.ALL]]);
      });

      it("reverts with IdentityNotKeyOf for an unknown key", async function () {
        const did = await person(alice.address);
        await expect(as(alice).removeKey(did, carol.address))
          .to.be.revertedWithCustomError(identity, "IdentityNotKeyOf")
          .withArgs(did, carol.address);
      });
    });

    context("when the caller does not act for the DID", function () {
      it("reverts with IdentityNotActingFor", async function () {
        const did = await person(alice.address);
        await as(alice).addKey(did, bob.address, Purpose.ALL);
        await expect(as(stranger).removeKey(did, bob.address))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(stranger.address, did, Scope.IDENTITY);
      });
    });

    context("when the representative's mandate is out of scope", function () {
      it("reverts with IdentityMandateOutOfScope", async function () {
        const { org, rep } = await mandated(Scope.EVIDENCE);
        await expect(as(alice).removeKey(org, orgKey.address))
          .to.be.revertedWithCustomError(identity, "IdentityMandateOutOfScope")
          .withArgs(org, rep, Scope.EVIDENCE, Scope.IDENTITY);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const did = await person(alice.address);
        await as(alice).addKey(did, bob.address, Purpose.ALL);
        await pause();
        await expect(as(alice).removeKey(did, bob.address)).to.be.revertedWithCustomError(identity, "EnforcedPause");
      });
    });
  });

  describe("rotateKey", function () {
    context("when the DID's key rotates itself", function () {
      it("emits KeyRotated and puts the new key in its place with the same purposes", async function () {
        const did = await person(alice.address, Purpose.AUTHENTICATION);
        await as(alice).addKey(did, carol.address, Purpose.ASSERTION);
        await expect(as(alice).rotateKey(did, alice.address, bob.address))
          .to.emit(identity, "KeyRotated")
          .withArgs(did, alice.address, bob.address);
        expect(await keysOf(did)).to.deep.equal([
          [bob.address, Purpose.AUTHENTICATION],
          [carol.address, Purpose.ASSERTION],
        ]);
        expect(await identity.didOf(bob.address)).to.deep.equal([did, BigInt(Purpose.AUTHENTICATION)]);
        await expectNoKey(alice.address);
      });

      it("bumps the version and updatedAt", async function () {
        const did = await person(alice.address);
        const at = await nextBlockTimestamp();
        await as(alice).rotateKey(did, alice.address, bob.address);
        const doc = await identity.resolve(did);
        expect(doc.version).to.equal(2n);
        expect(doc.updatedAt).to.equal(at);
      });

      it("refuses anything later signed with the old key, and accepts the new one", async function () {
        const did = await person(alice.address);
        await as(alice).rotateKey(did, alice.address, bob.address);
        expect(await identity.isActingFor(alice.address, did, Scope.IDENTITY)).to.equal(false);
        await expect(as(alice).addKey(did, carol.address, Purpose.ALL))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(alice.address, did, Scope.IDENTITY);
        await expect(as(bob).addKey(did, carol.address, Purpose.ALL)).not.to.be.reverted;
        await identity.requireFreeKey(alice.address);
      });
    });

    context("when the subject of claims rotates its key", function () {
      it("keeps its claims valid: they belong to the DID", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await as(alice).rotateKey(w.subject, alice.address, bob.address);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(true);
        expect(await identity.isClaimValid(claim)).to.equal(true);
        expect(await identity.requireActingFor(bob.address, w.subject, Scope.CONSENT, w.topic)).to.equal(w.subject);
      });
    });

    context("when an issuer rotates its key", function () {
      it("lets the new key manage the claims issued under the old one, and not the old key", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await as(issuerKey).rotateKey(w.issuer, issuerKey.address, spare.address);
        await expect(as(issuerKey).suspendClaim(claim))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownKey")
          .withArgs(issuerKey.address);
        await expect(as(spare).revokeClaim(claim, REASON)).to.emit(identity, "ClaimRevoked").withArgs(claim, REASON);
      });
    });

    context("when a representative rotates its own key", function () {
      it("keeps the mandate: the new key acts for the organisation", async function () {
        const { org, rep } = await mandated();
        await as(alice).rotateKey(rep, alice.address, bob.address);
        expect(await identity.requireActingFor(bob.address, org, Scope.IDENTITY, 0)).to.equal(rep);
        expect(await identity.isActingFor(alice.address, org, Scope.IDENTITY)).to.equal(false);
      });
    });

    context("when a representative rotates the organisation's key", function () {
      it("rotates it", async function () {
        const { org } = await mandated();
        await as(alice).rotateKey(org, orgKey.address, bob.address);
        expect(await keysOf(org)).to.deep.equal([[bob.address, Purpose.ALL]]);
      });
    });

    context("when the new key is taken or invalid", function () {
      it("reverts with IdentityKeyTaken for another DID's key", async function () {
        const did = await person(alice.address);
        const other = await person(bob.address);
        await expect(as(alice).rotateKey(did, alice.address, bob.address))
          .to.be.revertedWithCustomError(identity, "IdentityKeyTaken")
          .withArgs(bob.address, other);
      });

      it("reverts with IdentityKeyTaken when rotating a key into itself", async function () {
        const did = await person(alice.address);
        await expect(as(alice).rotateKey(did, alice.address, alice.address))
          .to.be.revertedWithCustomError(identity, "IdentityKeyTaken")
          .withArgs(alice.address, did);
      });

      it("reverts with IdentityInvalidKey for the zero address", async function () {
        const did = await person(alice.address);
        await expect(as(alice).rotateKey(did, alice.address, ZeroAddress))
          .to.be.revertedWithCustomError(identity, "IdentityInvalidKey")
          .withArgs(ZeroAddress);
      });
    });

    context("when the old key is not the DID's", function () {
      it("reverts with IdentityNotKeyOf", async function () {
        const did = await person(alice.address);
        await person(carol.address);
        await expect(as(alice).rotateKey(did, carol.address, bob.address))
          .to.be.revertedWithCustomError(identity, "IdentityNotKeyOf")
          .withArgs(did, carol.address);
      });
    });

    context("when the caller does not act for the DID", function () {
      it("reverts with IdentityNotActingFor", async function () {
        const did = await person(alice.address);
        await expect(as(stranger).rotateKey(did, alice.address, stranger.address))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(stranger.address, did, Scope.IDENTITY);
      });
    });

    context("when the representative's mandate has expired", function () {
      it("reverts with IdentityMandateExpired", async function () {
        const { org, rep, validUntil } = await mandated(Scope.ALL, 50);
        await time.increaseTo(validUntil + 1n);
        await expect(as(alice).rotateKey(org, orgKey.address, bob.address))
          .to.be.revertedWithCustomError(identity, "IdentityMandateExpired")
          .withArgs(org, rep, validUntil);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const did = await person(alice.address);
        await pause();
        await expect(as(alice).rotateKey(did, alice.address, bob.address)).to.be.revertedWithCustomError(
          identity,
          "EnforcedPause",
        );
      });
    });
  });

  describe("resetKeys", function () {
    async function recoverySigner(): Promise<HardhatEthersSigner> {
      const address = await m.recovery.getAddress();
      await impersonateAccount(address);
      await setBalance(address, ethers.parseEther("10"));
      return ethers.getSigner(address);
    }

    context("when the holder of IDENTITY_RECOVERY resets a DID's keys", function () {
      it("emits KeyRemoved per key and KeyAdded for the new key with all purposes", async function () {
        const did = await person(alice.address);
        await as(alice).addKey(did, bob.address, Purpose.ASSERTION);
        const tx = as(await recoverySigner()).resetKeys(did, carol.address);
        await expect(tx).to.emit(identity, "KeyRemoved").withArgs(did, alice.address);
        await expect(tx).to.emit(identity, "KeyRemoved").withArgs(did, bob.address);
        await expect(tx).to.emit(identity, "KeyAdded").withArgs(did, carol.address, Purpose.ALL);
      });

      it("leaves only the new key, bumps the version once, and keeps claims and mandates", async function () {
        const w = await claimWorld();
        await issue(w);
        const org = await organisation(orgKey.address);
        await as(orgKey).grantMandate(org, w.subject, Scope.TRADE, (await now()) + 1000n);
        await as(alice).addKey(w.subject, bob.address, Purpose.AUTHENTICATION);
        const before = await identity.resolve(w.subject);
        await as(await recoverySigner()).resetKeys(w.subject, carol.address);
        expect(await keysOf(w.subject)).to.deep.equal([[carol.address, Purpose.ALL]]);
        expect((await identity.resolve(w.subject)).version).to.equal(before.version + 1n);
        await expectNoKey(alice.address);
        await expectNoKey(bob.address);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(true);
        expect(await identity.isActingFor(carol.address, org, Scope.TRADE)).to.equal(true);
      });
    });

    context("when the DID is deactivated", function () {
      it("reverts with IdentityUnexpectedStatus", async function () {
        const did = await person(alice.address);
        await identity.deactivate(did, REASON);
        await expect(as(await recoverySigner()).resetKeys(did, carol.address))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedStatus")
          .withArgs(did, DidStatus.Deactivated);
      });
    });

    context("when the DID does not exist", function () {
      it("reverts with IdentityUnknownDid", async function () {
        await expect(as(await recoverySigner()).resetKeys(9n, carol.address))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownDid")
          .withArgs(9n);
      });
    });

    context("when the new key is another DID's key", function () {
      it("reverts with IdentityKeyTaken", async function () {
        const did = await person(alice.address);
        const other = await person(bob.address);
        await expect(as(await recoverySigner()).resetKeys(did, bob.address))
          .to.be.revertedWithCustomError(identity, "IdentityKeyTaken")
          .withArgs(bob.address, other);
      });
    });

    context("when the caller does not hold IDENTITY_RECOVERY", function () {
      it("reverts with AccessManagedUnauthorized for an outsider", async function () {
        const did = await person(alice.address);
        await expect(as(stranger).resetKeys(did, stranger.address))
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(stranger.address);
      });

      it("reverts with AccessManagedUnauthorized for the DID's own key and for a registrar", async function () {
        const did = await person(alice.address);
        await expect(as(alice).resetKeys(did, bob.address))
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(alice.address);
        await expect(identity.resetKeys(did, bob.address))
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(m.registrar.address);
      });
    });
  });

  describe("requireFreeKey", function () {
    it("passes for an unused key", async function () {
      await expect(identity.requireFreeKey(bob.address)).not.to.be.reverted;
    });

    it("reverts with IdentityInvalidKey for the zero address", async function () {
      await expect(identity.requireFreeKey(ZeroAddress))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidKey")
        .withArgs(ZeroAddress);
    });

    it("reverts with IdentityKeyTaken for a DID's key, and passes again once removed", async function () {
      const did = await person(alice.address);
      await as(alice).addKey(did, bob.address, Purpose.ALL);
      await expect(identity.requireFreeKey(bob.address))
        .to.be.revertedWithCustomError(identity, "IdentityKeyTaken")
        .withArgs(bob.address, did);
      await as(alice).removeKey(did, bob.address);
      await expect(identity.requireFreeKey(bob.address)).not.to.be.reverted;
    });

    it("reverts with IdentityKeyTaken for a pending DID's key", async function () {
      await as(alice).selfRegister(DidKind.Person, COMMITMENT);
      await expect(identity.requireFreeKey(alice.address))
        .to.be.revertedWithCustomError(identity, "IdentityKeyTaken")
        .withArgs(alice.address, 1n);
    });
  });

  describe("statusOf", function () {
    it("follows a DID through its life: None, Pending, Active, Suspended, Active, Deactivated", async function () {
      expect(await identity.statusOf(1n)).to.equal(DidStatus.None);
      expect(await identity.statusOf(0n)).to.equal(DidStatus.None);
      await as(alice).selfRegister(DidKind.Person, COMMITMENT);
      expect(await identity.statusOf(1n)).to.equal(DidStatus.Pending);
      await identity.verify(1n);
      expect(await identity.statusOf(1n)).to.equal(DidStatus.Active);
      await identity.suspend(1n, REASON);
      expect(await identity.statusOf(1n)).to.equal(DidStatus.Suspended);
      await identity.reinstate(1n);
      expect(await identity.statusOf(1n)).to.equal(DidStatus.Active);
      await identity.deactivate(1n, REASON);
      expect(await identity.statusOf(1n)).to.equal(DidStatus.Deactivated);
      expect(await identity.statusOf(2n)).to.equal(DidStatus.None);
    });
  });

  describe("grantMandate", function () {
    context("when an organisation's key gives a person a mandate", function () {
      it("emits MandateGranted and records scopes, grant time and end", async function () {
        const org = await organisation(orgKey.address);
        const rep = await person(alice.address);
        const until = (await now()) + 86_400n;
        const at = await nextBlockTimestamp();
        await expect(as(orgKey).grantMandate(org, rep, Scope.TRADE | Scope.PAYMENT, until))
          .to.emit(identity, "MandateGranted")
          .withArgs(org, rep, Scope.TRADE | Scope.PAYMENT, until);
        const mandate = await identity.mandateOf(org, rep);
        expect(mandate.scopes).to.equal(BigInt(Scope.TRADE | Scope.PAYMENT));
        expect(mandate.grantedAt).to.equal(at);
        expect(mandate.validUntil).to.equal(until);
      });

      it("lets the representative's key act for the organisation within those scopes only", async function () {
        const { org, rep } = await mandated(Scope.TRADE | Scope.PAYMENT);
        expect(await identity.isActingFor(alice.address, org, Scope.TRADE)).to.equal(true);
        expect(await identity.isActingFor(alice.address, org, Scope.TRADE | Scope.PAYMENT)).to.equal(true);
        expect(await identity.isActingFor(alice.address, org, Scope.CONSENT)).to.equal(false);
        expect(await identity.isActingFor(alice.address, org, Scope.TRADE | Scope.CONSENT)).to.equal(false);
        expect(await identity.requireActingFor(alice.address, org, Scope.PAYMENT, 0)).to.equal(rep);
      });

      it("replaces an earlier mandate", async function () {
        const { org, rep } = await mandated(Scope.ALL);
        const until = (await now()) + 10n;
        await as(orgKey).grantMandate(org, rep, Scope.EVIDENCE, until);
        const mandate = await identity.mandateOf(org, rep);
        expect(mandate.scopes).to.equal(BigInt(Scope.EVIDENCE));
        expect(mandate.validUntil).to.equal(until);
        expect(await identity.isActingFor(alice.address, org, Scope.TRADE)).to.equal(false);
      });
    });

    context("when a representative with an IDENTITY mandate grants a mandate", function () {
      it("grants it for the organisation", async function () {
        const { org } = await mandated(Scope.IDENTITY);
        const other = await person(bob.address);
        const until = (await now()) + 100n;
        await expect(as(alice).grantMandate(org, other, Scope.CONSENT, until))
          .to.emit(identity, "MandateGranted")
          .withArgs(org, other, Scope.CONSENT, until);
      });
    });

    context("when the granting DID is a person", function () {
      it("reverts with IdentityNotOrganisation", async function () {
        const p = await person(alice.address);
        const other = await person(bob.address);
        await expect(as(alice).grantMandate(p, other, Scope.TRADE, (await now()) + 100n))
          .to.be.revertedWithCustomError(identity, "IdentityNotOrganisation")
          .withArgs(p);
      });
    });

    context("when the mandate is invalid", function () {
      let org: bigint;
      let rep: bigint;
      beforeEach(async function () {
        org = await organisation(orgKey.address);
        rep = await person(alice.address);
      });

      it("reverts with IdentityInvalidMandate for no scope", async function () {
        await expect(as(orgKey).grantMandate(org, rep, 0, (await now()) + 100n))
          .to.be.revertedWithCustomError(identity, "IdentityInvalidMandate")
          .withArgs(org, rep);
      });

      it("reverts with IdentityInvalidMandate for an unknown scope bit", async function () {
        await expect(as(orgKey).grantMandate(org, rep, Scope.TRADE | 64, (await now()) + 100n))
          .to.be.revertedWithCustomError(identity, "IdentityInvalidMandate")
          .withArgs(org, rep);
      });

      it("reverts with IdentityInvalidMandate for an end that is not in the future", async function () {
        const at = await nextBlockTimestamp();
        await expect(as(orgKey).grantMandate(org, rep, Scope.TRADE, at))
          .to.be.revertedWithCustomError(identity, "IdentityInvalidMandate")
          .withArgs(org, rep);
        await expect(as(orgKey).grantMandate(org, rep, Scope.TRADE, 1000n))
          .to.be.revertedWithCustomError(identity, "IdentityInvalidMandate")
          .withArgs(org, rep);
      });

      it("reverts with IdentityInvalidMandate for a mandate to the organisation itself", async function () {
        await expect(as(orgKey).grantMandate(org, org, Scope.TRADE, (await now()) + 100n))
          .to.be.revertedWithCustomError(identity, "IdentityInvalidMandate")
          .withArgs(org, org);
      });

      it("reverts with IdentityUnknownDid for an unknown representative", async function () {
        await expect(as(orgKey).grantMandate(org, 77n, Scope.TRADE, (await now()) + 100n))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownDid")
          .withArgs(77n);
      });
    });

    context("when the caller does not act for the organisation", function () {
      it("reverts with IdentityNotActingFor", async function () {
        const org = await organisation(orgKey.address);
        const rep = await person(alice.address);
        await expect(as(alice).grantMandate(org, rep, Scope.TRADE, (await now()) + 100n))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(alice.address, org, Scope.IDENTITY);
      });

      it("reverts with IdentityMandateOutOfScope for a representative without IDENTITY", async function () {
        const { org, rep } = await mandated(Scope.TRADE);
        await expect(as(alice).grantMandate(org, rep, Scope.ALL, (await now()) + 100n))
          .to.be.revertedWithCustomError(identity, "IdentityMandateOutOfScope")
          .withArgs(org, rep, Scope.TRADE, Scope.IDENTITY);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const org = await organisation(orgKey.address);
        const rep = await person(alice.address);
        await pause();
        await expect(
          as(orgKey).grantMandate(org, rep, Scope.TRADE, (await now()) + 100n),
        ).to.be.revertedWithCustomError(identity, "EnforcedPause");
      });
    });
  });

  describe("revokeMandate", function () {
    context("when the organisation revokes a mandate", function () {
      it("emits MandateRevoked, clears it and stops the representative at once", async function () {
        const { org, rep } = await mandated(Scope.TRADE);
        await expect(as(orgKey).revokeMandate(org, rep)).to.emit(identity, "MandateRevoked").withArgs(org, rep);
        const mandate = await identity.mandateOf(org, rep);
        expect(mandate.scopes).to.equal(0n);
        expect(mandate.validUntil).to.equal(0n);
        expect(await identity.isActingFor(alice.address, org, Scope.TRADE)).to.equal(false);
        await expect(identity.requireActingFor(alice.address, org, Scope.TRADE, 0))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(alice.address, org, Scope.TRADE);
      });

      it("revokes an expired mandate too", async function () {
        const { org, rep, validUntil } = await mandated(Scope.TRADE, 10);
        await time.increaseTo(validUntil + 5n);
        await expect(as(orgKey).revokeMandate(org, rep)).to.emit(identity, "MandateRevoked").withArgs(org, rep);
      });
    });

    context("when there is no such mandate", function () {
      it("reverts with IdentityUnknownMandate, also for a second revocation", async function () {
        const { org, rep } = await mandated(Scope.TRADE);
        const other = await person(bob.address);
        await expect(as(orgKey).revokeMandate(org, other))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownMandate")
          .withArgs(org, other);
        await as(orgKey).revokeMandate(org, rep);
        await expect(as(orgKey).revokeMandate(org, rep))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownMandate")
          .withArgs(org, rep);
      });
    });

    context("when the caller does not act for the organisation", function () {
      it("reverts with IdentityNotActingFor, even for the representative itself", async function () {
        const { org, rep } = await mandated(Scope.TRADE);
        await expect(as(stranger).revokeMandate(org, rep))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(stranger.address, org, Scope.IDENTITY);
        await expect(as(alice).revokeMandate(org, rep))
          .to.be.revertedWithCustomError(identity, "IdentityMandateOutOfScope")
          .withArgs(org, rep, Scope.TRADE, Scope.IDENTITY);
      });
    });
  });

  describe("the mandate's end", function () {
    it("lets the representative act up to validUntil inclusive, and reports IdentityMandateExpired after", async function () {
      const { org, rep, validUntil } = await mandated(Scope.CONSENT, 1000);
      await time.increaseTo(validUntil);
      expect(await identity.isActingFor(alice.address, org, Scope.CONSENT)).to.equal(true);
      await time.increaseTo(validUntil + 1n);
      expect(await identity.isActingFor(alice.address, org, Scope.CONSENT)).to.equal(false);
      await expect(identity.requireActingFor(alice.address, org, Scope.CONSENT, 0))
        .to.be.revertedWithCustomError(identity, "IdentityMandateExpired")
        .withArgs(org, rep, validUntil);
    });
  });

  describe("registerTopic", function () {
    context("when the council registers topics", function () {
      it("emits TopicRegistered with the name and schema hash", async function () {
        await expect(as(m.councilSigner).registerTopic(TOPIC_NAME, SCHEMA))
          .to.emit(identity, "TopicRegistered")
          .withArgs(1n, TOPIC_NAME, SCHEMA);
      });

      it("records them with ids from 1", async function () {
        const at = await nextBlockTimestamp();
        await as(m.councilSigner).registerTopic(TOPIC_NAME, SCHEMA);
        expect(await as(m.councilSigner).registerTopic.staticCall("patent holder", SCHEMA)).to.equal(2n);
        await as(m.councilSigner).registerTopic("patent holder", hashOf("schema: patent"));
        expect(await identity.topicCount()).to.equal(2n);
        const t = await identity.getTopic(1n);
        expect(t.name).to.equal(TOPIC_NAME);
        expect(t.schemaHash).to.equal(SCHEMA);
        expect(t.registeredAt).to.equal(at);
        expect((await identity.getTopic(2n)).name).to.equal("patent holder");
      });
    });

    context("when the name is empty", function () {
      it("reverts with IdentityEmptyTopicName", async function () {
        await expect(as(m.councilSigner).registerTopic("", SCHEMA)).to.be.revertedWithCustomError(
          identity,
          "IdentityEmptyTopicName",
        );
      });
    });

    context("when the caller is not the council", function () {
      it("reverts with AccessManagedUnauthorized for an outsider and for a registrar", async function () {
        await expect(as(stranger).registerTopic(TOPIC_NAME, SCHEMA))
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(stranger.address);
        await expect(identity.registerTopic(TOPIC_NAME, SCHEMA))
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(m.registrar.address);
      });
    });
  });

  describe("getTopic", function () {
    it("reverts with IdentityUnknownTopic for an unregistered topic", async function () {
      await expect(identity.getTopic(0n)).to.be.revertedWithCustomError(identity, "IdentityUnknownTopic").withArgs(0n);
      await expect(identity.getTopic(3n)).to.be.revertedWithCustomError(identity, "IdentityUnknownTopic").withArgs(3n);
    });
  });

  describe("accreditIssuer", function () {
    let issuer: bigint;
    let council: IdentityRegistry;
    beforeEach(async function () {
      issuer = await organisation(issuerKey.address);
      council = as(m.councilSigner);
      await council.registerTopic(TOPIC_NAME, SCHEMA);
    });

    context("when the council accredits an issuer", function () {
      it("emits IssuerAccredited and records the accreditation", async function () {
        const until = (await now()) + 1000n;
        await expect(council.accreditIssuer(issuer, 1n, until))
          .to.emit(identity, "IssuerAccredited")
          .withArgs(issuer, 1n, until);
        const a = await identity.accreditationOf(issuer, 1n);
        expect(a.active).to.equal(true);
        expect(a.validUntil).to.equal(until);
      });

      it("reactivates a withdrawn accreditation", async function () {
        await council.accreditIssuer(issuer, 1n, FOREVER);
        await council.withdrawAccreditation(issuer, 1n);
        await council.accreditIssuer(issuer, 1n, FOREVER);
        expect((await identity.accreditationOf(issuer, 1n)).active).to.equal(true);
      });
    });

    context("when the topic does not exist", function () {
      it("reverts with IdentityUnknownTopic", async function () {
        await expect(council.accreditIssuer(issuer, 2n, FOREVER))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownTopic")
          .withArgs(2n);
      });
    });

    context("when the issuer does not exist", function () {
      it("reverts with IdentityUnknownDid", async function () {
        await expect(council.accreditIssuer(42n, 1n, FOREVER))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownDid")
          .withArgs(42n);
      });
    });

    context("when the end is not in the future", function () {
      it("reverts with IdentityInvalidAccreditation", async function () {
        const at = await nextBlockTimestamp();
        await expect(council.accreditIssuer(issuer, 1n, at))
          .to.be.revertedWithCustomError(identity, "IdentityInvalidAccreditation")
          .withArgs(issuer, 1n, at);
      });
    });

    context("when the caller is not the council", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        await expect(as(issuerKey).accreditIssuer(issuer, 1n, FOREVER))
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(issuerKey.address);
      });
    });
  });

  describe("withdrawAccreditation", function () {
    context("when the council withdraws an accreditation", function () {
      it("emits AccreditationWithdrawn, deactivates it and stops its claims counting", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await expect(as(m.councilSigner).withdrawAccreditation(w.issuer, w.topic))
          .to.emit(identity, "AccreditationWithdrawn")
          .withArgs(w.issuer, w.topic);
        const a = await identity.accreditationOf(w.issuer, w.topic);
        expect(a.active).to.equal(false);
        expect(a.validUntil).to.equal(FOREVER);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false);
        expect(await identity.isClaimValid(claim)).to.equal(false);
        expect((await identity.getClaim(claim)).status).to.equal(ClaimStatus.Active);
      });
    });

    context("when the issuer is not accredited", function () {
      it("reverts with IdentityNotAccredited, also for a second withdrawal", async function () {
        const w = await claimWorld();
        const other = await person(bob.address);
        await expect(as(m.councilSigner).withdrawAccreditation(other, w.topic))
          .to.be.revertedWithCustomError(identity, "IdentityNotAccredited")
          .withArgs(other, w.topic);
        await as(m.councilSigner).withdrawAccreditation(w.issuer, w.topic);
        await expect(as(m.councilSigner).withdrawAccreditation(w.issuer, w.topic))
          .to.be.revertedWithCustomError(identity, "IdentityNotAccredited")
          .withArgs(w.issuer, w.topic);
      });
    });

    context("when the caller is not the council", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        const w = await claimWorld();
        await expect(as(stranger).withdrawAccreditation(w.issuer, w.topic))
          .to.be.revertedWithCustomError(identity, "AccessManagedUnauthorized")
          .withArgs(stranger.address);
      });
    });
  });

  describe("issueClaim", function () {
    context("when an accredited issuer's assertion key issues a claim", function () {
      it("emits ClaimIssued and returns the id subject<<64 | topic<<32 | 0", async function () {
        const w = await claimWorld();
        const id = claimIdOf(w.subject, w.topic);
        expect(await as(issuerKey).issueClaim.staticCall(w.subject, w.topic, DATA, 10n, FOREVER)).to.equal(id);
        await expect(as(issuerKey).issueClaim(w.subject, w.topic, DATA, 10n, FOREVER))
          .to.emit(identity, "ClaimIssued")
          .withArgs(id, w.subject, w.issuer, DATA, 10n, FOREVER);
      });

      it("records the claim", async function () {
        const w = await claimWorld();
        const until = (await now()) + 365n * 86_400n;
        const at = await nextBlockTimestamp();
        await as(issuerKey).issueClaim(w.subject, w.topic, DATA, 10n, until);
        const c = await identity.getClaim(claimIdOf(w.subject, w.topic));
        expect(c.id).to.equal(claimIdOf(w.subject, w.topic));
        expect(c.subject).to.equal(w.subject);
        expect(c.issuer).to.equal(w.issuer);
        expect(c.topic).to.equal(w.topic);
        expect(c.dataHash).to.equal(DATA);
        expect(c.validFrom).to.equal(10n);
        expect(c.validUntil).to.equal(until);
        expect(c.issuedAt).to.equal(at);
        expect(c.status).to.equal(ClaimStatus.Active);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(true);
      });

      it("numbers further claims of the same topic and subject 1, 2, …, and others from 0", async function () {
        const w = await claimWorld();
        const other = await person(bob.address);
        const second = await accreditedTopic(m, w.issuer, "patent holder");
        expect(await issue(w)).to.equal(claimIdOf(w.subject, w.topic, 0n));
        expect(await issue(w, { data: hashOf("renewal") })).to.equal(claimIdOf(w.subject, w.topic, 1n));
        expect(await issue(w, { data: hashOf("renewal 2") })).to.equal(claimIdOf(w.subject, w.topic, 2n));
        expect(await issue(w, { subject: other })).to.equal(claimIdOf(other, w.topic, 0n));
        expect(await issue(w, { topic: second })).to.equal(claimIdOf(w.subject, second, 0n));
        expect((await identity.getClaim(claimIdOf(w.subject, w.topic, 1n))).dataHash).to.equal(hashOf("renewal"));
        expect(claimIdOf(w.subject, second, 0n)).to.equal((w.subject << 64n) | (second << 32n));
      });

      it("lets an issuer issue a claim about itself", async function () {
        const w = await claimWorld();
        expect(await issue(w, { subject: w.issuer })).to.equal(claimIdOf(w.issuer, w.topic));
      });
    });

    context("when the caller's key lacks the assertion purpose", function () {
      it("reverts with IdentityKeyLacksPurpose", async function () {
        const w = await claimWorld();
        await as(issuerKey).addKey(w.issuer, bob.address, Purpose.AUTHENTICATION);
        await expect(as(bob).issueClaim(w.subject, w.topic, DATA, 0n, FOREVER))
          .to.be.revertedWithCustomError(identity, "IdentityKeyLacksPurpose")
          .withArgs(bob.address, Purpose.AUTHENTICATION, Purpose.ASSERTION);
      });
    });

    context("when the caller is no DID's key", function () {
      it("reverts with IdentityUnknownKey", async function () {
        const w = await claimWorld();
        await expect(as(stranger).issueClaim(w.subject, w.topic, DATA, 0n, FOREVER))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownKey")
          .withArgs(stranger.address);
      });
    });

    context("when the issuer's DID is not active", function () {
      it("reverts with IdentityUnexpectedStatus for a suspended issuer", async function () {
        const w = await claimWorld();
        await identity.suspend(w.issuer, REASON);
        await expect(as(issuerKey).issueClaim(w.subject, w.topic, DATA, 0n, FOREVER))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedStatus")
          .withArgs(w.issuer, DidStatus.Suspended);
      });

      it("reverts with IdentityUnexpectedStatus for a pending (self-registered) issuer", async function () {
        const subject = await person(alice.address);
        await as(bob).selfRegister(DidKind.Organisation, COMMITMENT);
        const issuer = await identity.didCount();
        const topic = await accreditedTopic(m, issuer);
        await expect(as(bob).issueClaim(subject, topic, DATA, 0n, FOREVER))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedStatus")
          .withArgs(issuer, DidStatus.Pending);
      });
    });

    context("when the issuer is not accredited for the topic now", function () {
      it("reverts with IdentityNotAccredited for a topic it was never accredited for", async function () {
        const w = await claimWorld();
        await as(m.councilSigner).registerTopic("patent holder", SCHEMA);
        await expect(as(issuerKey).issueClaim(w.subject, 2n, DATA, 0n, FOREVER))
          .to.be.revertedWithCustomError(identity, "IdentityNotAccredited")
          .withArgs(w.issuer, 2n);
      });

      it("reverts with IdentityNotAccredited for topic 0 and for an unregistered topic", async function () {
        const w = await claimWorld();
        for (const topic of [0n, 99n]) {
          await expect(as(issuerKey).issueClaim(w.subject, topic, DATA, 0n, FOREVER))
            .to.be.revertedWithCustomError(identity, "IdentityNotAccredited")
            .withArgs(w.issuer, topic);
        }
      });

      it("reverts with IdentityNotAccredited once the accreditation has expired", async function () {
        const until = (await now()) + 1000n;
        const w = await claimWorld(until);
        await time.increaseTo(until);
        await expect(as(issuerKey).issueClaim(w.subject, w.topic, DATA, 0n, FOREVER))
          .to.be.revertedWithCustomError(identity, "IdentityNotAccredited")
          .withArgs(w.issuer, w.topic);
      });

      it("reverts with IdentityNotAccredited once the accreditation was withdrawn", async function () {
        const w = await claimWorld();
        await as(m.councilSigner).withdrawAccreditation(w.issuer, w.topic);
        await expect(as(issuerKey).issueClaim(w.subject, w.topic, DATA, 0n, FOREVER))
          .to.be.revertedWithCustomError(identity, "IdentityNotAccredited")
          .withArgs(w.issuer, w.topic);
      });
    });

    context("when the subject is unknown or not active", function () {
      it("reverts with IdentityUnknownDid for an unknown subject", async function () {
        const w = await claimWorld();
        await expect(as(issuerKey).issueClaim(99n, w.topic, DATA, 0n, FOREVER))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownDid")
          .withArgs(99n);
      });

      it("reverts with IdentityUnexpectedStatus for a suspended subject", async function () {
        const w = await claimWorld();
        await identity.suspend(w.subject, REASON);
        await expect(as(issuerKey).issueClaim(w.subject, w.topic, DATA, 0n, FOREVER))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedStatus")
          .withArgs(w.subject, DidStatus.Suspended);
      });

      it("reverts with IdentityUnexpectedStatus for a pending or deactivated subject", async function () {
        const w = await claimWorld();
        await as(bob).selfRegister(DidKind.Person, COMMITMENT);
        const pending = await identity.didCount();
        await expect(as(issuerKey).issueClaim(pending, w.topic, DATA, 0n, FOREVER))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedStatus")
          .withArgs(pending, DidStatus.Pending);
        await identity.deactivate(w.subject, REASON);
        await expect(as(issuerKey).issueClaim(w.subject, w.topic, DATA, 0n, FOREVER))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedStatus")
          .withArgs(w.subject, DidStatus.Deactivated);
      });
    });

    context("when the data hash is zero", function () {
      it("reverts with IdentityEmptyDataHash", async function () {
        const w = await claimWorld();
        await expect(
          as(issuerKey).issueClaim(w.subject, w.topic, ethers.ZeroHash, 0n, FOREVER),
        ).to.be.revertedWithCustomError(identity, "IdentityEmptyDataHash");
      });
    });

    context("when the validity window is empty", function () {
      it("reverts with IdentityInvalidValidity for an end equal to or before the start", async function () {
        const w = await claimWorld();
        await expect(as(issuerKey).issueClaim(w.subject, w.topic, DATA, 500n, 500n))
          .to.be.revertedWithCustomError(identity, "IdentityInvalidValidity")
          .withArgs(500n, 500n);
        await expect(as(issuerKey).issueClaim(w.subject, w.topic, DATA, 500n, 499n))
          .to.be.revertedWithCustomError(identity, "IdentityInvalidValidity")
          .withArgs(500n, 499n);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const w = await claimWorld();
        await pause();
        await expect(as(issuerKey).issueClaim(w.subject, w.topic, DATA, 0n, FOREVER)).to.be.revertedWithCustomError(
          identity,
          "EnforcedPause",
        );
      });
    });
  });

  describe("issueClaims", function () {
    context("when an issuer issues a batch across subjects and topics", function () {
      it("returns the ids, emits ClaimIssued per claim and records each", async function () {
        const w = await claimWorld();
        const other = await person(bob.address);
        const second = await accreditedTopic(m, w.issuer, "patent holder");
        const requests = [
          { subject: w.subject, topic: w.topic, dataHash: hashOf("a"), validFrom: 0n, validUntil: FOREVER },
          { subject: other, topic: w.topic, dataHash: hashOf("b"), validFrom: 5n, validUntil: FOREVER },
          { subject: w.subject, topic: second, dataHash: hashOf("c"), validFrom: 0n, validUntil: 10n ** 10n },
          { subject: w.subject, topic: w.topic, dataHash: hashOf("d"), validFrom: 0n, validUntil: FOREVER },
        ];
        const ids = [
          claimIdOf(w.subject, w.topic, 0n),
          claimIdOf(other, w.topic, 0n),
          claimIdOf(w.subject, second, 0n),
          claimIdOf(w.subject, w.topic, 1n),
        ];
        expect(await as(issuerKey).issueClaims.staticCall(requests)).to.deep.equal(ids);
        const tx = as(issuerKey).issueClaims(requests);
        for (let i = 0; i < requests.length; i++) {
          const r = requests[i];
          await expect(tx)
            .to.emit(identity, "ClaimIssued")
            .withArgs(ids[i], r.subject, w.issuer, r.dataHash, r.validFrom, r.validUntil);
        }
        for (let i = 0; i < requests.length; i++) {
          const c = await identity.getClaim(ids[i]);
          expect(c.subject).to.equal(requests[i].subject);
          expect(c.topic).to.equal(requests[i].topic);
          expect(c.dataHash).to.equal(requests[i].dataHash);
          expect(c.issuer).to.equal(w.issuer);
        }
      });
    });

    context("when the batch is empty", function () {
      it("reverts with IdentityEmptyBatch", async function () {
        await claimWorld();
        await expect(as(issuerKey).issueClaims([])).to.be.revertedWithCustomError(identity, "IdentityEmptyBatch");
      });
    });

    context("when one request's topic is not accredited", function () {
      it("reverts with IdentityNotAccredited and issues nothing, also after switching topics back", async function () {
        const w = await claimWorld();
        await as(m.councilSigner).registerTopic("patent holder", SCHEMA);
        const ok = { subject: w.subject, topic: w.topic, dataHash: DATA, validFrom: 0n, validUntil: FOREVER };
        await expect(as(issuerKey).issueClaims([ok, { ...ok, topic: 2n }, ok]))
          .to.be.revertedWithCustomError(identity, "IdentityNotAccredited")
          .withArgs(w.issuer, 2n);
        await expect(identity.getClaim(claimIdOf(w.subject, w.topic)))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownClaim")
          .withArgs(claimIdOf(w.subject, w.topic));
      });

      it("reverts with IdentityNotAccredited for topic 0, like issueClaim", async function () {
        const w = await claimWorld();
        const request = { subject: w.subject, topic: 0n, dataHash: DATA, validFrom: 0n, validUntil: FOREVER };
        await expect(as(issuerKey).issueClaims([request]))
          .to.be.revertedWithCustomError(identity, "IdentityNotAccredited")
          .withArgs(w.issuer, 0n);
      });
    });

    context("when one request is invalid", function () {
      it("reverts with that request's error", async function () {
        const w = await claimWorld();
        const ok = { subject: w.subject, topic: w.topic, dataHash: DATA, validFrom: 0n, validUntil: FOREVER };
        await expect(as(issuerKey).issueClaims([ok, { ...ok, subject: 50n }]))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownDid")
          .withArgs(50n);
        await expect(
          as(issuerKey).issueClaims([ok, { ...ok, dataHash: ethers.ZeroHash }]),
        ).to.be.revertedWithCustomError(identity, "IdentityEmptyDataHash");
      });
    });

    context("when the caller cannot issue", function () {
      it("reverts with IdentityUnknownKey for an outsider", async function () {
        const w = await claimWorld();
        const ok = { subject: w.subject, topic: w.topic, dataHash: DATA, validFrom: 0n, validUntil: FOREVER };
        await expect(as(stranger).issueClaims([ok]))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownKey")
          .withArgs(stranger.address);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const w = await claimWorld();
        await pause();
        const ok = { subject: w.subject, topic: w.topic, dataHash: DATA, validFrom: 0n, validUntil: FOREVER };
        await expect(as(issuerKey).issueClaims([ok])).to.be.revertedWithCustomError(identity, "EnforcedPause");
      });
    });
  });

  describe("revokeClaim", function () {
    context("when the issuer revokes its claim", function () {
      it("emits ClaimRevoked and makes the claim invalid for good", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await expect(as(issuerKey).revokeClaim(claim, REASON))
          .to.emit(identity, "ClaimRevoked")
          .withArgs(claim, REASON);
        expect((await identity.getClaim(claim)).status).to.equal(ClaimStatus.Revoked);
        expect(await identity.isClaimValid(claim)).to.equal(false);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false);
      });

      it("accepts another assertion key of the issuer's DID", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await as(issuerKey).addKey(w.issuer, bob.address, Purpose.ASSERTION);
        await expect(as(bob).revokeClaim(claim, REASON)).to.emit(identity, "ClaimRevoked").withArgs(claim, REASON);
      });

      it("revokes a suspended claim", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await as(issuerKey).suspendClaim(claim);
        await as(issuerKey).revokeClaim(claim, REASON);
        expect((await identity.getClaim(claim)).status).to.equal(ClaimStatus.Revoked);
      });

      it("works while the issuer's DID is suspended", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await identity.suspend(w.issuer, REASON);
        await expect(as(issuerKey).revokeClaim(claim, REASON))
          .to.emit(identity, "ClaimRevoked")
          .withArgs(claim, REASON);
      });
    });

    context("when the registry is paused", function () {
      it("still revokes, so a wrong credential can be withdrawn in an emergency", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await pause();
        await expect(as(issuerKey).revokeClaim(claim, REASON))
          .to.emit(identity, "ClaimRevoked")
          .withArgs(claim, REASON);
      });
    });

    context("when the caller's DID did not issue the claim", function () {
      it("reverts with IdentityNotIssuer naming the caller's DID", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        const rival = await organisation(bob.address);
        await expect(as(bob).revokeClaim(claim, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityNotIssuer")
          .withArgs(claim, rival);
        await expect(as(alice).revokeClaim(claim, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityNotIssuer")
          .withArgs(claim, w.subject);
      });
    });

    context("when the caller's key cannot assert", function () {
      it("reverts with IdentityKeyLacksPurpose for an authentication-only key of the issuer", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await as(issuerKey).addKey(w.issuer, bob.address, Purpose.AUTHENTICATION);
        await expect(as(bob).revokeClaim(claim, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityKeyLacksPurpose")
          .withArgs(bob.address, Purpose.AUTHENTICATION, Purpose.ASSERTION);
      });

      it("reverts with IdentityUnknownKey for an outsider", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await expect(as(stranger).revokeClaim(claim, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownKey")
          .withArgs(stranger.address);
      });
    });

    context("when the claim does not exist", function () {
      it("reverts with IdentityUnknownClaim", async function () {
        const w = await claimWorld();
        const id = claimIdOf(w.subject, w.topic, 3n);
        await expect(as(issuerKey).revokeClaim(id, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownClaim")
          .withArgs(id);
      });
    });

    context("when the claim is already revoked", function () {
      it("reverts with IdentityUnexpectedClaimStatus", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await as(issuerKey).revokeClaim(claim, REASON);
        await expect(as(issuerKey).revokeClaim(claim, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedClaimStatus")
          .withArgs(claim, ClaimStatus.Revoked);
      });
    });
  });

  describe("revokeClaims", function () {
    context("when the issuer revokes several claims", function () {
      it("emits ClaimRevoked for each and revokes them all", async function () {
        const w = await claimWorld();
        const a = await issue(w);
        const b = await issue(w, { data: hashOf("second") });
        const tx = as(issuerKey).revokeClaims([a, b], REASON);
        await expect(tx).to.emit(identity, "ClaimRevoked").withArgs(a, REASON);
        await expect(tx).to.emit(identity, "ClaimRevoked").withArgs(b, REASON);
        expect((await identity.getClaim(a)).status).to.equal(ClaimStatus.Revoked);
        expect((await identity.getClaim(b)).status).to.equal(ClaimStatus.Revoked);
      });

      it("works while paused", async function () {
        const w = await claimWorld();
        const a = await issue(w);
        await pause();
        await expect(as(issuerKey).revokeClaims([a], REASON))
          .to.emit(identity, "ClaimRevoked")
          .withArgs(a, REASON);
      });
    });

    context("when the batch is empty", function () {
      it("reverts with IdentityEmptyBatch", async function () {
        await claimWorld();
        await expect(as(issuerKey).revokeClaims([], REASON)).to.be.revertedWithCustomError(
          identity,
          "IdentityEmptyBatch",
        );
      });
    });

    context("when one claim is someone else's", function () {
      it("reverts with IdentityNotIssuer and revokes none", async function () {
        const w = await claimWorld();
        const mine = await issue(w);
        const rival = await organisation(bob.address);
        await as(m.councilSigner).accreditIssuer(rival, w.topic, FOREVER);
        const other = await person(carol.address);
        await as(bob).issueClaim(other, w.topic, DATA, 0n, FOREVER);
        const theirs = claimIdOf(other, w.topic);
        await expect(as(issuerKey).revokeClaims([mine, theirs], REASON))
          .to.be.revertedWithCustomError(identity, "IdentityNotIssuer")
          .withArgs(theirs, w.issuer);
        expect((await identity.getClaim(mine)).status).to.equal(ClaimStatus.Active);
      });
    });

    context("when a claim is listed twice", function () {
      it("reverts with IdentityUnexpectedClaimStatus", async function () {
        const w = await claimWorld();
        const a = await issue(w);
        await expect(as(issuerKey).revokeClaims([a, a], REASON))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedClaimStatus")
          .withArgs(a, ClaimStatus.Revoked);
      });
    });

    context("when a claim does not exist", function () {
      it("reverts with IdentityUnknownClaim", async function () {
        const w = await claimWorld();
        const a = await issue(w);
        await expect(as(issuerKey).revokeClaims([a, a + 1n], REASON))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownClaim")
          .withArgs(a + 1n);
      });
    });
  });

  describe("suspendClaim", function () {
    context("when the issuer suspends an active claim", function () {
      it("emits ClaimSuspended and makes it invalid while suspended", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await expect(as(issuerKey).suspendClaim(claim)).to.emit(identity, "ClaimSuspended").withArgs(claim);
        expect((await identity.getClaim(claim)).status).to.equal(ClaimStatus.Suspended);
        expect(await identity.isClaimValid(claim)).to.equal(false);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false);
      });

      it("works while paused", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await pause();
        await expect(as(issuerKey).suspendClaim(claim)).to.emit(identity, "ClaimSuspended").withArgs(claim);
      });
    });

    context("when the claim is not active", function () {
      it("reverts with IdentityUnexpectedClaimStatus for a suspended or revoked claim", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await as(issuerKey).suspendClaim(claim);
        await expect(as(issuerKey).suspendClaim(claim))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedClaimStatus")
          .withArgs(claim, ClaimStatus.Suspended);
        await as(issuerKey).revokeClaim(claim, REASON);
        await expect(as(issuerKey).suspendClaim(claim))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedClaimStatus")
          .withArgs(claim, ClaimStatus.Revoked);
      });
    });

    context("when the caller did not issue it", function () {
      it("reverts with IdentityNotIssuer", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await expect(as(alice).suspendClaim(claim))
          .to.be.revertedWithCustomError(identity, "IdentityNotIssuer")
          .withArgs(claim, w.subject);
      });
    });

    context("when the claim does not exist", function () {
      it("reverts with IdentityUnknownClaim", async function () {
        await claimWorld();
        await expect(as(issuerKey).suspendClaim(12345n))
          .to.be.revertedWithCustomError(identity, "IdentityUnknownClaim")
          .withArgs(12345n);
      });
    });
  });

  describe("reinstateClaim", function () {
    context("when the issuer reinstates a suspended claim", function () {
      it("emits ClaimReinstated and makes it valid again", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await as(issuerKey).suspendClaim(claim);
        await expect(as(issuerKey).reinstateClaim(claim)).to.emit(identity, "ClaimReinstated").withArgs(claim);
        expect((await identity.getClaim(claim)).status).to.equal(ClaimStatus.Active);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(true);
      });
    });

    context("when the claim is not suspended", function () {
      it("reverts with IdentityUnexpectedClaimStatus for an active or revoked claim", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await expect(as(issuerKey).reinstateClaim(claim))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedClaimStatus")
          .withArgs(claim, ClaimStatus.Active);
        await as(issuerKey).revokeClaim(claim, REASON);
        await expect(as(issuerKey).reinstateClaim(claim))
          .to.be.revertedWithCustomError(identity, "IdentityUnexpectedClaimStatus")
          .withArgs(claim, ClaimStatus.Revoked);
      });
    });

    context("when the caller did not issue it", function () {
      it("reverts with IdentityNotIssuer", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await as(issuerKey).suspendClaim(claim);
        const rival = await organisation(bob.address);
        await expect(as(bob).reinstateClaim(claim))
          .to.be.revertedWithCustomError(identity, "IdentityNotIssuer")
          .withArgs(claim, rival);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await as(issuerKey).suspendClaim(claim);
        await pause();
        await expect(as(issuerKey).reinstateClaim(claim)).to.be.revertedWithCustomError(identity, "EnforcedPause");
      });
    });
  });

  describe("didOf", function () {
    it("returns 0 and no purposes for an account that is no key", async function () {
      expect(await identity.didOf(stranger.address)).to.deep.equal([0n, 0n]);
    });

    it("returns the DID and purposes of each key", async function () {
      const a = await person(alice.address, Purpose.AUTHENTICATION);
      const b = await person(bob.address);
      await as(alice).addKey(a, carol.address, Purpose.ASSERTION);
      expect(await identity.didOf(alice.address)).to.deep.equal([a, BigInt(Purpose.AUTHENTICATION)]);
      expect(await identity.didOf(bob.address)).to.deep.equal([b, BigInt(Purpose.ALL)]);
      expect(await identity.didOf(carol.address)).to.deep.equal([a, BigInt(Purpose.ASSERTION)]);
    });
  });

  describe("isActingFor", function () {
    it("is true for the DID's own authentication key, whatever the scope", async function () {
      const did = await person(alice.address);
      for (const scope of [Scope.IDENTITY, Scope.CONSENT, Scope.ALL]) {
        expect(await identity.isActingFor(alice.address, did, scope)).to.equal(true);
      }
    });

    it("is false for an assertion-only key, another DID's key, an outsider and an unknown DID", async function () {
      const did = await person(alice.address);
      await as(alice).addKey(did, carol.address, Purpose.ASSERTION);
      await person(bob.address);
      expect(await identity.isActingFor(carol.address, did, Scope.IDENTITY)).to.equal(false);
      expect(await identity.isActingFor(bob.address, did, Scope.IDENTITY)).to.equal(false);
      expect(await identity.isActingFor(stranger.address, did, Scope.IDENTITY)).to.equal(false);
      expect(await identity.isActingFor(alice.address, 99n, Scope.IDENTITY)).to.equal(false);
      expect(await identity.isActingFor(stranger.address, 0n, Scope.IDENTITY)).to.equal(false);
    });

    it("is false for a representative once either DID is suspended", async function () {
      const { org, rep } = await mandated(Scope.TRADE);
      await identity.suspend(rep, REASON);
      expect(await identity.isActingFor(alice.address, org, Scope.TRADE)).to.equal(false);
      await identity.reinstate(rep);
      expect(await identity.isActingFor(alice.address, org, Scope.TRADE)).to.equal(true);
      await identity.suspend(org, REASON);
      expect(await identity.isActingFor(alice.address, org, Scope.TRADE)).to.equal(false);
    });
  });

  describe("requireActingFor", function () {
    context("when the account acts for the DID", function () {
      it("returns the DID itself for its own key", async function () {
        const did = await person(alice.address);
        expect(await identity.requireActingFor(alice.address, did, Scope.CONSENT, 0)).to.equal(did);
      });

      it("returns the representative's DID for a mandated key", async function () {
        const { org, rep } = await mandated(Scope.EVIDENCE);
        expect(await identity.requireActingFor(alice.address, org, Scope.EVIDENCE, 0)).to.equal(rep);
      });
    });

    context("when the account does not act for the DID", function () {
      it("reverts with IdentityNotActingFor", async function () {
        const did = await person(alice.address);
        await expect(identity.requireActingFor(stranger.address, did, Scope.TRADE, 0))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(stranger.address, did, Scope.TRADE);
      });

      it("reverts with IdentityMandateOutOfScope for a scope the mandate lacks", async function () {
        const { org, rep } = await mandated(Scope.EVIDENCE);
        await expect(identity.requireActingFor(alice.address, org, Scope.EVIDENCE | Scope.PAYMENT, 0))
          .to.be.revertedWithCustomError(identity, "IdentityMandateOutOfScope")
          .withArgs(org, rep, Scope.EVIDENCE, Scope.EVIDENCE | Scope.PAYMENT);
      });
    });

    context("when a topic is asked", function () {
      it("returns when the DID holds a valid claim of the topic", async function () {
        const w = await claimWorld();
        await issue(w);
        expect(await identity.requireActingFor(alice.address, w.subject, Scope.TRADE, w.topic)).to.equal(w.subject);
      });

      it("reverts with IdentityClaimMissing when it does not", async function () {
        const w = await claimWorld();
        await expect(identity.requireActingFor(alice.address, w.subject, Scope.TRADE, w.topic))
          .to.be.revertedWithCustomError(identity, "IdentityClaimMissing")
          .withArgs(w.subject, w.topic);
      });

      it("checks the organisation's claim, not the representative's", async function () {
        const w = await claimWorld();
        const org = await organisation(orgKey.address);
        await as(orgKey).grantMandate(org, w.subject, Scope.TRADE, (await now()) + 1000n);
        await issue(w); // a claim about the representative only
        await expect(identity.requireActingFor(alice.address, org, Scope.TRADE, w.topic))
          .to.be.revertedWithCustomError(identity, "IdentityClaimMissing")
          .withArgs(org, w.topic);
        await issue(w, { subject: org });
        expect(await identity.requireActingFor(alice.address, org, Scope.TRADE, w.topic)).to.equal(w.subject);
      });

      it("reports IdentityNotActingFor before a missing claim", async function () {
        const w = await claimWorld();
        await expect(identity.requireActingFor(stranger.address, w.subject, Scope.TRADE, w.topic))
          .to.be.revertedWithCustomError(identity, "IdentityNotActingFor")
          .withArgs(stranger.address, w.subject, Scope.TRADE);
      });
    });
  });

  describe("hasValidClaim and isClaimValid", function () {
    context("across the validity window", function () {
      it("are false before validFrom, true from validFrom to validUntil inclusive, false after", async function () {
        const w = await claimWorld();
        const start = (await now()) + 1000n;
        const end = start + 1000n;
        const claim = await issue(w, { from: start, until: end });
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false);
        expect(await identity.isClaimValid(claim)).to.equal(false);
        await time.increaseTo(start - 1n);
        expect(await identity.isClaimValid(claim)).to.equal(false);
        await time.increaseTo(start);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(true);
        expect(await identity.isClaimValid(claim)).to.equal(true);
        await time.increaseTo(end);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(true);
        await time.increaseTo(end + 1n);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false);
        expect(await identity.isClaimValid(claim)).to.equal(false);
      });
    });

    context("when the claim is suspended, reinstated or revoked", function () {
      it("follow its status", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await as(issuerKey).suspendClaim(claim);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false);
        await as(issuerKey).reinstateClaim(claim);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(true);
        await as(issuerKey).revokeClaim(claim, REASON);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false);
        expect(await identity.isClaimValid(claim)).to.equal(false);
      });
    });

    context("when the issuer's accreditation is withdrawn, expires, or is renewed", function () {
      it("follow the accreditation now, not at issuance", async function () {
        const until = (await now()) + 500n;
        const w = await claimWorld(until);
        const claim = await issue(w);
        expect(await identity.isClaimValid(claim)).to.equal(true);
        await time.increaseTo(until);
        expect(await identity.isClaimValid(claim)).to.equal(true);
        await time.increaseTo(until + 1n);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false);
        expect(await identity.isClaimValid(claim)).to.equal(false);
        await as(m.councilSigner).accreditIssuer(w.issuer, w.topic, FOREVER);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(true);
        await as(m.councilSigner).withdrawAccreditation(w.issuer, w.topic);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false);
        expect(await identity.isClaimValid(claim)).to.equal(false);
      });

      it("are not affected by the issuer's accreditation for another topic", async function () {
        const w = await claimWorld();
        const second = await accreditedTopic(m, w.issuer, "patent holder");
        await issue(w);
        await as(m.councilSigner).withdrawAccreditation(w.issuer, second);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(true);
        expect(await identity.hasValidClaim(w.subject, second)).to.equal(false);
      });
    });

    context("when the subject is suspended or deactivated", function () {
      it("are false while the subject is suspended, for every topic and every claim, and true once reinstated", async function () {
        const w = await claimWorld();
        const second = await accreditedTopic(m, w.issuer, "patent holder");
        const first = await issue(w);
        const renewal = await issue(w, { data: hashOf("renewal") });
        const other = await issue(w, { topic: second });
        const all = [first, renewal, other];
        await identity.suspend(w.subject, REASON);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false);
        expect(await identity.hasValidClaim(w.subject, second)).to.equal(false);
        for (const id of all) expect(await identity.isClaimValid(id), `isClaimValid(${id})`).to.equal(false);
        await identity.reinstate(w.subject);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(true);
        expect(await identity.hasValidClaim(w.subject, second)).to.equal(true);
        for (const id of all) expect(await identity.isClaimValid(id), `isClaimValid(${id})`).to.equal(true);
      });

      it("are false for good once the subject is deactivated", async function () {
        const w = await claimWorld();
        const claim = await issue(w);
        await identity.suspend(w.subject, REASON);
        await identity.deactivate(w.subject, REASON);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false);
        expect(await identity.isClaimValid(claim)).to.equal(false);
      });

      it("do not depend on another subject's status", async function () {
        const w = await claimWorld();
        const other = await person(bob.address);
        await issue(w);
        const theirs = await issue(w, { subject: other });
        await identity.suspend(w.subject, REASON);
        expect(await identity.hasValidClaim(other, w.topic)).to.equal(true);
        expect(await identity.isClaimValid(theirs)).to.equal(true);
      });

      it("stay false for a suspended subject even after a batch request with topic 0 about it", async function () {
        // A citizen's own key has the assertion purpose: if a topic-0 claim about herself is recorded,
        // it heads her topic list and suspension no longer reaches her earlier claims.
        const w = await claimWorld();
        const claim = await issue(w);
        const bogus = { subject: w.subject, topic: 0n, dataHash: DATA, validFrom: 0n, validUntil: FOREVER };
        await as(alice)
          .issueClaims([bogus])
          .then((tx) => tx.wait())
          .catch(() => undefined);
        await identity.suspend(w.subject, REASON);
        expect(await identity.hasValidClaim(w.subject, w.topic), "hasValidClaim of a suspended DID").to.equal(false);
        expect(await identity.isClaimValid(claim), "isClaimValid about a suspended DID").to.equal(false);
      });
    });

    context("when a claim is renewed", function () {
      it("hasValidClaim holds while any claim of the topic is valid", async function () {
        const w = await claimWorld();
        const t = await now();
        const first = await issue(w, { from: 0n, until: t + 1000n });
        const renewal = await issue(w, { data: hashOf("renewal"), from: t + 900n, until: t + 5000n });
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(true); // first only
        await as(issuerKey).revokeClaim(first, REASON);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false); // renewal not yet valid
        await time.increaseTo(t + 900n);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(true);
        expect(await identity.isClaimValid(first)).to.equal(false);
        expect(await identity.isClaimValid(renewal)).to.equal(true);
        await time.increaseTo(t + 5001n);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false);
      });

      it("finds the older valid claim when the newest is revoked", async function () {
        const w = await claimWorld();
        await issue(w);
        const second = await issue(w, { data: hashOf("2") });
        const third = await issue(w, { data: hashOf("3") });
        await as(issuerKey).revokeClaims([second, third], REASON);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(true);
      });

      it("counts a later claim from another accredited issuer", async function () {
        const w = await claimWorld();
        const first = await issue(w);
        const other = await organisation(bob.address);
        await as(m.councilSigner).accreditIssuer(other, w.topic, FOREVER);
        await as(bob).issueClaim(w.subject, w.topic, hashOf("other"), 0n, FOREVER);
        await as(issuerKey).revokeClaim(first, REASON);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(true);
        expect((await identity.getClaim(claimIdOf(w.subject, w.topic, 1n))).issuer).to.equal(other);
        await as(m.councilSigner).withdrawAccreditation(other, w.topic);
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false);
      });
    });

    context("when nothing was issued", function () {
      it("are false", async function () {
        const w = await claimWorld();
        expect(await identity.hasValidClaim(w.subject, w.topic)).to.equal(false);
        expect(await identity.hasValidClaim(99n, w.topic)).to.equal(false);
        expect(await identity.isClaimValid(claimIdOf(w.subject, w.topic))).to.equal(false);
        expect(await identity.isClaimValid(0n)).to.equal(false);
      });
    });
  });

  describe("getClaim", function () {
    it("reverts with IdentityUnknownClaim for an id never issued", async function () {
      await expect(identity.getClaim(0n)).to.be.revertedWithCustomError(identity, "IdentityUnknownClaim").withArgs(0n);
    });
  });

  describe("claimsOf", function () {
    it("is empty for a DID without claims", async function () {
      const did = await person(alice.address);
      expect(await identity.claimsOf(did)).to.deep.equal([]);
    });

    it("reverts with IdentityUnknownDid for an unknown DID", async function () {
      await expect(identity.claimsOf(8n)).to.be.revertedWithCustomError(identity, "IdentityUnknownDid").withArgs(8n);
    });

    it("lists every claim of the subject, newest topic first, each topic's claims in order", async function () {
      const w = await claimWorld();
      const second = await accreditedTopic(m, w.issuer, "patent holder");
      const third = await accreditedTopic(m, w.issuer, "technology broker");
      const other = await person(bob.address);
      const a0 = await issue(w, { data: hashOf("a0") });
      const b0 = await issue(w, { topic: second, data: hashOf("b0") });
      await issue(w, { subject: other, data: hashOf("someone else's") });
      const a1 = await issue(w, { data: hashOf("a1") });
      const c0 = await issue(w, { topic: third, data: hashOf("c0"), from: 7n, until: 9_999_999_999n });
      const b1 = await issue(w, { topic: second, data: hashOf("b1") });
      await as(issuerKey).revokeClaim(a0, REASON);
      await as(issuerKey).suspendClaim(b1);

      const list = await identity.claimsOf(w.subject);
      expect(list.map((c) => c.id)).to.deep.equal([c0, b0, b1, a0, a1]);
      const expected: Record<string, [bigint, string, ClaimStatus]> = {
        [a0.toString()]: [w.topic, hashOf("a0"), ClaimStatus.Revoked],
        [a1.toString()]: [w.topic, hashOf("a1"), ClaimStatus.Active],
        [b0.toString()]: [second, hashOf("b0"), ClaimStatus.Active],
        [b1.toString()]: [second, hashOf("b1"), ClaimStatus.Suspended],
        [c0.toString()]: [third, hashOf("c0"), ClaimStatus.Active],
      };
      for (const c of list) {
        const [topic, dataHash, status] = expected[c.id.toString()];
        expect(c.subject).to.equal(w.subject);
        expect(c.issuer).to.equal(w.issuer);
        expect(c.topic).to.equal(topic);
        expect(c.dataHash).to.equal(dataHash);
        expect(c.status).to.equal(status);
      }
      expect(list[0].validFrom).to.equal(7n);
      expect(list[0].validUntil).to.equal(9_999_999_999n);
      expect((await identity.claimsOf(other)).map((c) => c.dataHash)).to.deep.equal([hashOf("someone else's")]);
    });

    it("still lists the subject's claims after anyone sends a batch request with topic 0", async function () {
      // Topic 0 is no topic and nobody is accredited for it: a claim of it must never be recorded.
      // If it were, it would become the head of the subject's topic list (lastTopic = 0) and hide
      // every earlier claim from claimsOf. Here the sender is a verified citizen, accredited for nothing.
      const w = await claimWorld();
      const genuine = await issue(w);
      await as(bob).selfRegister(DidKind.Person, COMMITMENT);
      await identity.verify(await identity.didCount());
      const bogus = { subject: w.subject, topic: 0n, dataHash: DATA, validFrom: 0n, validUntil: FOREVER };
      await as(bob)
        .issueClaims([bogus])
        .then((tx) => tx.wait())
        .catch(() => undefined);
      expect((await identity.claimsOf(w.subject)).map((c) => c.id)).to.deep.equal([genuine]);
    });
  });

  describe("resolve", function () {
    it("reverts with IdentityUnknownDid for an unknown DID and for 0", async function () {
      await expect(identity.resolve(0n)).to.be.revertedWithCustomError(identity, "IdentityUnknownDid").withArgs(0n);
      await person(alice.address);
      await expect(identity.resolve(2n)).to.be.revertedWithCustomError(identity, "IdentityUnknownDid").withArgs(2n);
    });

    it("keeps createdAt and moves updatedAt and version with each change", async function () {
      const created = await nextBlockTimestamp();
      const did = await person(alice.address);
      await time.increase(100);
      await as(alice).addKey(did, bob.address, Purpose.ASSERTION);
      await identity.updateCommitment(did, hashOf("new record"));
      const changed = await nextBlockTimestamp();
      await as(alice).removeKey(did, bob.address);
      const doc = await identity.resolve(did);
      expect(doc.createdAt).to.equal(created);
      expect(doc.updatedAt).to.equal(changed);
      expect(doc.version).to.equal(4n);
      expect(doc.registrar).to.equal(REGISTRAR_MEMBER);
    });

    it("does not bump the version for mandates", async function () {
      const { org } = await mandated();
      expect((await identity.resolve(org)).version).to.equal(1n);
    });
  });
});
