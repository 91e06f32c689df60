import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet, ZeroAddress, type ContractTransactionResponse } from "ethers";
import { EMBEDDED_DELAYS } from "../../config/networks";
import {
  accreditedTopic,
  claimIdOf,
  DidKind,
  DidStatus,
  FOREVER,
  fundedWallet,
  hashOf,
  identityFixture,
  now,
  Purpose,
  registerDid,
  Scope,
  type IdentityModule,
} from "../helpers/identity";

const DELAY = BigInt(EMBEDDED_DELAYS.recoveryDelay);
const MAX_GUARDIANS = 8n;
const REASON = hashOf("key reported stolen, case 2024-0117");

describe("IdentityRecovery", function () {
  let m: IdentityModule;
  /** The subject's two authentication keys. */
  let owner: HardhatEthersSigner;
  let owner2: HardhatEthersSigner;
  /** Keys of the three guardian DIDs. */
  let g1: HardhatEthersSigner;
  let g2: HardhatEthersSigner;
  let g3: HardhatEthersSigner;
  /** A key of a DID that is no guardian of the subject. */
  let strangerKey: HardhatEthersSigner;
  /** An account that is no key of any DID. */
  let nobody: HardhatEthersSigner;
  let subject: bigint;
  let guardians: bigint[];
  let stranger: bigint;
  /** A fresh key to recover to. */
  let newKey: string;

  beforeEach(async function () {
    m = await identityFixture();
    [owner, owner2, g1, g2, g3, strangerKey, nobody] = m.outsiders;
    subject = await registerDid(m, DidKind.Person, [{ account: owner.address }, { account: owner2.address }]);
    guardians = [];
    for (const g of [g1, g2, g3]) guardians.push(await registerDid(m, DidKind.Person, [{ account: g.address }]));
    stranger = await registerDid(m, DidKind.Person, [{ account: strangerKey.address }]);
    newKey = Wallet.createRandom().address;
  });

  /** The subject chooses the three guardians with `threshold`. */
  async function withGuardians(threshold = 2) {
    await m.recovery.connect(owner).setGuardians(subject, guardians, threshold);
  }

  /** The first guardian starts a recovery; `approvers` more guardians approve. */
  async function startRecovery(approvers: HardhatEthersSigner[] = []) {
    await m.recovery.connect(g1).initiateRecovery(subject, newKey);
    for (const g of approvers) await m.recovery.connect(g).approveRecovery(subject);
  }

  async function timestampOf(tx: ContractTransactionResponse): Promise<bigint> {
    const receipt = await tx.wait();
    const block = await receipt!.getBlock();
    return BigInt(block.timestamp);
  }

  async function expectNoRecovery(did = subject) {
    const r = await m.recovery.recoveryOf(did);
    expect(r.newKey).to.equal(ZeroAddress);
    expect(r.readyAt).to.equal(0n);
    expect(r.approvals).to.equal(0n);
    expect(r.byRegistrar).to.equal(false);
  }

  /** The keys of `did`'s document (`doc.keys` would be Array.prototype.keys of the ethers Result). */
  async function keysOf(did: bigint) {
    return (await m.identity.resolve(did))[8];
  }

  async function pause() {
    await m.recovery.connect(m.guardian).pause();
  }

  describe("initialize", function () {
    it("reports version 1.0.0, the network's recovery delay and the suite's authority", async function () {
      expect(await m.recovery.version()).to.equal("1.0.0");
      expect(await m.recovery.recoveryDelay()).to.equal(DELAY);
      expect(await m.recovery.MAX_GUARDIANS()).to.equal(MAX_GUARDIANS);
      expect(await m.recovery.authority()).to.equal(await m.authority.getAddress());
      expect(await m.recovery.isTrustedForwarder(await m.forwarder.getAddress())).to.equal(true);
    });

    it("reverts with InvalidInitialization when called again", async function () {
      await expect(
        m.recovery.initialize(m.deployer.address, await m.identity.getAddress(), 1),
      ).to.be.revertedWithCustomError(m.recovery, "InvalidInitialization");
    });
  });

  describe("setGuardians", function () {
    context("when the controller chooses guardians", function () {
      it("emits GuardiansSet and records the guardians and threshold", async function () {
        await expect(m.recovery.connect(owner).setGuardians(subject, guardians, 2))
          .to.emit(m.recovery, "GuardiansSet")
          .withArgs(subject, guardians, 2);
        const [list, threshold] = await m.recovery.guardiansOf(subject);
        expect(list).to.deep.equal(guardians);
        expect(threshold).to.equal(2n);
      });

      it("replaces an earlier set, and an empty set with threshold 0 removes them", async function () {
        await withGuardians(2);
        await m.recovery.connect(owner2).setGuardians(subject, [guardians[2]], 1);
        expect(await m.recovery.guardiansOf(subject)).to.deep.equal([[guardians[2]], 1n]);
        await expect(m.recovery.connect(owner).setGuardians(subject, [], 0))
          .to.emit(m.recovery, "GuardiansSet")
          .withArgs(subject, [], 0);
        expect(await m.recovery.guardiansOf(subject)).to.deep.equal([[], 0n]);
      });

      it("accepts MAX_GUARDIANS (8) guardians with a threshold of 8", async function () {
        const eight = [...guardians, stranger];
        for (let i = 0; i < 4; i++) {
          eight.push(await registerDid(m, DidKind.Person, [{ account: Wallet.createRandom().address }]));
        }
        await m.recovery.connect(owner).setGuardians(subject, eight, 8);
        expect(await m.recovery.guardiansOf(subject)).to.deep.equal([eight, 8n]);
      });
    });

    context("when a representative of an organisation acts for it", function () {
      let org: bigint;
      let orgKey: HardhatEthersSigner;

      beforeEach(async function () {
        orgKey = m.outsiders[7];
        org = await registerDid(m, DidKind.Organisation, [{ account: orgKey.address }]);
      });

      it("sets the organisation's guardians under a mandate with the IDENTITY scope", async function () {
        await m.identity.connect(orgKey).grantMandate(org, stranger, Scope.IDENTITY, (await now()) + 1000n);
        await m.recovery.connect(strangerKey).setGuardians(org, guardians, 2);
        expect(await m.recovery.guardiansOf(org)).to.deep.equal([guardians, 2n]);
      });

      it("reverts with IdentityMandateOutOfScope under a mandate without the IDENTITY scope", async function () {
        await m.identity.connect(orgKey).grantMandate(org, stranger, Scope.CONSENT, (await now()) + 1000n);
        await expect(m.recovery.connect(strangerKey).setGuardians(org, guardians, 2))
          .to.be.revertedWithCustomError(m.identity, "IdentityMandateOutOfScope")
          .withArgs(org, stranger, Scope.CONSENT, Scope.IDENTITY);
      });
    });

    context("when the caller does not control the DID", function () {
      it("reverts with IdentityNotActingFor for another DID's key", async function () {
        await expect(m.recovery.connect(g1).setGuardians(subject, [guardians[1]], 1))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(g1.address, subject, Scope.IDENTITY);
      });

      it("reverts with IdentityNotActingFor for an account that is no key", async function () {
        await expect(m.recovery.connect(nobody).setGuardians(subject, guardians, 2))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(nobody.address, subject, Scope.IDENTITY);
      });

      it("reverts with IdentityNotActingFor for the key of a suspended DID", async function () {
        await m.identity.connect(m.registrar).suspend(subject, REASON);
        await expect(m.recovery.connect(owner).setGuardians(subject, guardians, 2))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(owner.address, subject, Scope.IDENTITY);
      });

      it("reverts with IdentityNotActingFor for a key without the authentication purpose", async function () {
        const assertOnly = m.outsiders[8];
        await m.identity.connect(owner).addKey(subject, assertOnly.address, Purpose.ASSERTION);
        await expect(m.recovery.connect(assertOnly).setGuardians(subject, guardians, 2))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(assertOnly.address, subject, Scope.IDENTITY);
      });
    });

    context("when the guardians are invalid", function () {
      it("reverts with RecoveryInvalidGuardians for more than 8", async function () {
        const nine = [...guardians, stranger];
        for (let i = 0; i < 5; i++) {
          nine.push(await registerDid(m, DidKind.Person, [{ account: Wallet.createRandom().address }]));
        }
        await expect(m.recovery.connect(owner).setGuardians(subject, nine, 2))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryInvalidGuardians")
          .withArgs(subject, MAX_GUARDIANS);
      });

      it("reverts with RecoveryInvalidGuardians for a guardian listed twice", async function () {
        await expect(m.recovery.connect(owner).setGuardians(subject, [guardians[0], guardians[1], guardians[0]], 2))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryInvalidGuardians")
          .withArgs(subject, MAX_GUARDIANS);
      });

      it("reverts with RecoveryInvalidGuardians when the DID names itself", async function () {
        await expect(m.recovery.connect(owner).setGuardians(subject, [guardians[0], subject], 1))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryInvalidGuardians")
          .withArgs(subject, MAX_GUARDIANS);
      });

      it("reverts with RecoveryInvalidGuardians for an unknown DID", async function () {
        const unknown = (await m.identity.didCount()) + 1n;
        await expect(m.recovery.connect(owner).setGuardians(subject, [guardians[0], unknown], 1))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryInvalidGuardians")
          .withArgs(subject, MAX_GUARDIANS);
        await expect(m.recovery.connect(owner).setGuardians(subject, [0n], 1))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryInvalidGuardians")
          .withArgs(subject, MAX_GUARDIANS);
      });
    });

    context("when the threshold is invalid", function () {
      it("reverts with RecoveryInvalidThreshold for 0 with guardians", async function () {
        await expect(m.recovery.connect(owner).setGuardians(subject, guardians, 0))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryInvalidThreshold")
          .withArgs(0, 3);
      });

      it("reverts with RecoveryInvalidThreshold for more than the guardians", async function () {
        await expect(m.recovery.connect(owner).setGuardians(subject, guardians, 4))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryInvalidThreshold")
          .withArgs(4, 3);
      });

      it("reverts with RecoveryInvalidThreshold for a non-zero threshold without guardians", async function () {
        await expect(m.recovery.connect(owner).setGuardians(subject, [], 1))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryInvalidThreshold")
          .withArgs(1, 0);
      });
    });

    context("when a recovery is pending", function () {
      it("reverts with RecoveryPending naming the new key", async function () {
        await withGuardians(2);
        await startRecovery();
        await expect(m.recovery.connect(owner).setGuardians(subject, [guardians[0]], 1))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryPending")
          .withArgs(subject, newKey);
      });
    });

    context("when paused", function () {
      it("reverts with EnforcedPause", async function () {
        await pause();
        await expect(m.recovery.connect(owner).setGuardians(subject, guardians, 2)).to.be.revertedWithCustomError(
          m.recovery,
          "EnforcedPause",
        );
      });
    });
  });

  describe("initiateRecovery", function () {
    context("when a guardian starts a recovery short of the threshold", function () {
      beforeEach(async function () {
        await withGuardians(2);
      });

      it("emits RecoveryInitiated and RecoveryApproved, not RecoveryScheduled", async function () {
        const tx = m.recovery.connect(g1).initiateRecovery(subject, newKey);
        await expect(tx).to.emit(m.recovery, "RecoveryInitiated").withArgs(subject, newKey, guardians[0]);
        await expect(tx).to.emit(m.recovery, "RecoveryApproved").withArgs(subject, guardians[0], 1);
        await expect(tx).not.to.emit(m.recovery, "RecoveryScheduled");
      });

      it("records the pending recovery with the initiator's approval bit and readyAt 0", async function () {
        await m.recovery.connect(g2).initiateRecovery(subject, newKey);
        const r = await m.recovery.recoveryOf(subject);
        expect(r.newKey).to.equal(newKey);
        expect(r.readyAt).to.equal(0n);
        expect(r.approvals).to.equal(0b010n);
        expect(r.byRegistrar).to.equal(false);
      });

      it("leaves the DID's keys alone", async function () {
        await startRecovery();
        expect((await keysOf(subject)).map((k) => k.account)).to.deep.equal([owner.address, owner2.address]);
        expect(await m.identity.isActingFor(owner.address, subject, Scope.IDENTITY)).to.equal(true);
      });
    });

    context("when the threshold is 1", function () {
      it("schedules the recovery at once, ready after the delay", async function () {
        await withGuardians(1);
        const tx = await m.recovery.connect(g3).initiateRecovery(subject, newKey);
        const at = await timestampOf(tx);
        await expect(tx).to.emit(m.recovery, "RecoveryApproved").withArgs(subject, guardians[2], 1);
        await expect(tx)
          .to.emit(m.recovery, "RecoveryScheduled")
          .withArgs(subject, newKey, at + DELAY);
        expect((await m.recovery.recoveryOf(subject)).readyAt).to.equal(at + DELAY);
      });
    });

    context("when the DID is suspended", function () {
      it("can still be recovered by its guardians", async function () {
        await withGuardians(2);
        await m.identity.connect(m.registrar).suspend(subject, REASON);
        await expect(m.recovery.connect(g1).initiateRecovery(subject, newKey))
          .to.emit(m.recovery, "RecoveryInitiated")
          .withArgs(subject, newKey, guardians[0]);
      });
    });

    context("when the caller is no guardian", function () {
      beforeEach(async function () {
        await withGuardians(2);
      });

      it("reverts with RecoveryNotGuardian for another active DID", async function () {
        await expect(m.recovery.connect(strangerKey).initiateRecovery(subject, newKey))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryNotGuardian")
          .withArgs(subject, stranger);
      });

      it("reverts with RecoveryNotGuardian when the DID's own key tries", async function () {
        await expect(m.recovery.connect(owner).initiateRecovery(subject, newKey))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryNotGuardian")
          .withArgs(subject, subject);
      });

      it("reverts with IdentityNotActingFor for an account that is no key", async function () {
        await expect(m.recovery.connect(nobody).initiateRecovery(subject, newKey))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(nobody.address, 0, Scope.IDENTITY);
      });

      it("reverts with IdentityNotActingFor for the key of a suspended guardian", async function () {
        await m.identity.connect(m.registrar).suspend(guardians[0], REASON);
        await expect(m.recovery.connect(g1).initiateRecovery(subject, newKey))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(g1.address, guardians[0], Scope.IDENTITY);
      });

      it("reverts with RecoveryNotGuardian for a DID with no guardians", async function () {
        await expect(m.recovery.connect(g1).initiateRecovery(stranger, newKey))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryNotGuardian")
          .withArgs(stranger, guardians[0]);
      });
    });

    context("when the DID cannot be recovered", function () {
      it("reverts with RecoveryUnrecoverable for a deactivated DID", async function () {
        await withGuardians(2);
        await m.identity.connect(m.registrar).deactivate(subject, REASON);
        await expect(m.recovery.connect(g1).initiateRecovery(subject, newKey))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryUnrecoverable")
          .withArgs(subject);
      });

      it("reverts with RecoveryNotGuardian for an unknown DID (nobody guards it)", async function () {
        await expect(m.recovery.connect(g1).initiateRecovery(999n, newKey))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryNotGuardian")
          .withArgs(999n, guardians[0]);
      });
    });

    context("when the new key cannot become a key", function () {
      beforeEach(async function () {
        await withGuardians(2);
      });

      it("reverts with IdentityKeyTaken when it is a key of a DID", async function () {
        await expect(m.recovery.connect(g1).initiateRecovery(subject, strangerKey.address))
          .to.be.revertedWithCustomError(m.identity, "IdentityKeyTaken")
          .withArgs(strangerKey.address, stranger);
        await expect(m.recovery.connect(g1).initiateRecovery(subject, owner.address))
          .to.be.revertedWithCustomError(m.identity, "IdentityKeyTaken")
          .withArgs(owner.address, subject);
      });

      it("reverts with IdentityInvalidKey for the zero address", async function () {
        await expect(m.recovery.connect(g1).initiateRecovery(subject, ZeroAddress))
          .to.be.revertedWithCustomError(m.identity, "IdentityInvalidKey")
          .withArgs(ZeroAddress);
      });
    });

    context("when a recovery is already pending", function () {
      it("reverts with RecoveryPending naming the pending new key", async function () {
        await withGuardians(2);
        await startRecovery();
        await expect(m.recovery.connect(g2).initiateRecovery(subject, Wallet.createRandom().address))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryPending")
          .withArgs(subject, newKey);
      });
    });

    context("when paused", function () {
      it("reverts with EnforcedPause", async function () {
        await withGuardians(2);
        await pause();
        await expect(m.recovery.connect(g1).initiateRecovery(subject, newKey)).to.be.revertedWithCustomError(
          m.recovery,
          "EnforcedPause",
        );
      });
    });
  });

  describe("approveRecovery", function () {
    beforeEach(async function () {
      await withGuardians(2);
    });

    context("when the approval reaches the threshold", function () {
      it("emits RecoveryApproved and RecoveryScheduled with readyAt = now + delay", async function () {
        await startRecovery();
        const tx = await m.recovery.connect(g2).approveRecovery(subject);
        const at = await timestampOf(tx);
        await expect(tx).to.emit(m.recovery, "RecoveryApproved").withArgs(subject, guardians[1], 2);
        await expect(tx)
          .to.emit(m.recovery, "RecoveryScheduled")
          .withArgs(subject, newKey, at + DELAY);
        const r = await m.recovery.recoveryOf(subject);
        expect(r.readyAt).to.equal(at + DELAY);
        expect(r.approvals).to.equal(0b011n);
      });
    });

    context("when all of MAX_GUARDIANS (8) guardians must approve", function () {
      it("counts the eighth guardian's bit and schedules at the eighth approval", async function () {
        const keys = [g1, g2, g3, strangerKey, ...m.outsiders.slice(9, 13)];
        const eight = [...guardians, stranger];
        for (const key of keys.slice(4)) eight.push(await registerDid(m, DidKind.Person, [{ account: key.address }]));
        await m.recovery.connect(owner).setGuardians(subject, eight, 8);
        await m.recovery.connect(keys[7]).initiateRecovery(subject, newKey);
        for (const key of keys.slice(0, 6)) await m.recovery.connect(key).approveRecovery(subject);
        const before = await m.recovery.recoveryOf(subject);
        expect([before.readyAt, before.approvals]).to.deep.equal([0n, 0b10111111n]);
        const tx = await m.recovery.connect(keys[6]).approveRecovery(subject);
        await expect(tx).to.emit(m.recovery, "RecoveryApproved").withArgs(subject, eight[6], 8);
        await expect(tx)
          .to.emit(m.recovery, "RecoveryScheduled")
          .withArgs(subject, newKey, (await timestampOf(tx)) + DELAY);
        expect((await m.recovery.recoveryOf(subject)).approvals).to.equal(0xffn);
      });
    });

    context("when the threshold was already reached", function () {
      it("counts the approval but does not reschedule", async function () {
        await startRecovery([g2]);
        const { readyAt } = await m.recovery.recoveryOf(subject);
        await time.increase(3600);
        const tx = m.recovery.connect(g3).approveRecovery(subject);
        await expect(tx).to.emit(m.recovery, "RecoveryApproved").withArgs(subject, guardians[2], 3);
        await expect(tx).not.to.emit(m.recovery, "RecoveryScheduled");
        const r = await m.recovery.recoveryOf(subject);
        expect(r.readyAt).to.equal(readyAt);
        expect(r.approvals).to.equal(0b111n);
      });
    });

    context("when the guardian already approved", function () {
      it("reverts with RecoveryAlreadyApproved (the initiator counts as approving)", async function () {
        await startRecovery();
        await expect(m.recovery.connect(g1).approveRecovery(subject))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryAlreadyApproved")
          .withArgs(subject, guardians[0]);
      });
    });

    context("when the caller is no guardian", function () {
      it("reverts with RecoveryNotGuardian", async function () {
        await startRecovery();
        await expect(m.recovery.connect(strangerKey).approveRecovery(subject))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryNotGuardian")
          .withArgs(subject, stranger);
      });
    });

    context("when no recovery is pending", function () {
      it("reverts with RecoveryNotPending", async function () {
        await expect(m.recovery.connect(g1).approveRecovery(subject))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryNotPending")
          .withArgs(subject);
      });
    });

    context("when paused", function () {
      it("reverts with EnforcedPause", async function () {
        await startRecovery();
        await pause();
        await expect(m.recovery.connect(g2).approveRecovery(subject)).to.be.revertedWithCustomError(
          m.recovery,
          "EnforcedPause",
        );
      });
    });
  });

  describe("recoverByRegistrar", function () {
    context("when a registrar starts a recovery", function () {
      it("emits RecoveryInitiated with initiator 0 and RecoveryScheduled at now + delay", async function () {
        const tx = await m.recovery.connect(m.registrar).recoverByRegistrar(subject, newKey);
        const at = await timestampOf(tx);
        await expect(tx).to.emit(m.recovery, "RecoveryInitiated").withArgs(subject, newKey, 0);
        await expect(tx)
          .to.emit(m.recovery, "RecoveryScheduled")
          .withArgs(subject, newKey, at + DELAY);
        await expect(tx).not.to.emit(m.recovery, "RecoveryApproved");
        const r = await m.recovery.recoveryOf(subject);
        expect(r.newKey).to.equal(newKey);
        expect(r.readyAt).to.equal(at + DELAY);
        expect(r.approvals).to.equal(0n);
        expect(r.byRegistrar).to.equal(true);
      });

      it("needs no guardians", async function () {
        expect(await m.recovery.guardiansOf(subject)).to.deep.equal([[], 0n]);
        await m.recovery.connect(m.registrar).recoverByRegistrar(subject, newKey);
        expect((await m.recovery.recoveryOf(subject)).newKey).to.equal(newKey);
      });
    });

    context("when the caller is no registrar", function () {
      it("reverts with AccessManagedUnauthorized for the DID's own key, a guardian or the council", async function () {
        await withGuardians(2);
        for (const caller of [owner, g1, m.guardian, m.councilSigner]) {
          await expect(m.recovery.connect(caller).recoverByRegistrar(subject, newKey))
            .to.be.revertedWithCustomError(m.recovery, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
      });
    });

    context("when the DID cannot be recovered", function () {
      it("reverts with RecoveryUnrecoverable for an unknown DID", async function () {
        await expect(m.recovery.connect(m.registrar).recoverByRegistrar(999n, newKey))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryUnrecoverable")
          .withArgs(999n);
      });

      it("reverts with RecoveryUnrecoverable for a deactivated DID", async function () {
        await m.identity.connect(m.registrar).deactivate(subject, REASON);
        await expect(m.recovery.connect(m.registrar).recoverByRegistrar(subject, newKey))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryUnrecoverable")
          .withArgs(subject);
      });
    });

    context("when the new key is taken or a recovery is pending", function () {
      it("reverts with IdentityKeyTaken", async function () {
        await expect(m.recovery.connect(m.registrar).recoverByRegistrar(subject, g2.address))
          .to.be.revertedWithCustomError(m.identity, "IdentityKeyTaken")
          .withArgs(g2.address, guardians[1]);
      });

      it("reverts with RecoveryPending", async function () {
        await withGuardians(2);
        await startRecovery();
        await expect(m.recovery.connect(m.registrar).recoverByRegistrar(subject, Wallet.createRandom().address))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryPending")
          .withArgs(subject, newKey);
      });
    });

    context("when paused", function () {
      it("reverts with EnforcedPause", async function () {
        await pause();
        await expect(m.recovery.connect(m.registrar).recoverByRegistrar(subject, newKey)).to.be.revertedWithCustomError(
          m.recovery,
          "EnforcedPause",
        );
      });
    });
  });

  describe("objectRecovery", function () {
    beforeEach(async function () {
      await withGuardians(2);
    });

    context("when a current key objects during the delay", function () {
      it("emits RecoveryObjected and cancels the recovery for good", async function () {
        await startRecovery([g2]);
        await time.increase(DELAY / 2n);
        await expect(m.recovery.connect(owner2).objectRecovery(subject))
          .to.emit(m.recovery, "RecoveryObjected")
          .withArgs(subject, owner2.address);
        await expectNoRecovery();
        await time.increase(DELAY);
        await expect(m.recovery.completeRecovery(subject))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryNotPending")
          .withArgs(subject);
        expect((await m.identity.didOf(owner.address)).did).to.equal(subject);
      });

      it("cancels a registrar's recovery too", async function () {
        await m.recovery.connect(m.registrar).recoverByRegistrar(subject, newKey);
        await expect(m.recovery.connect(owner).objectRecovery(subject))
          .to.emit(m.recovery, "RecoveryObjected")
          .withArgs(subject, owner.address);
        await expectNoRecovery();
      });

      it("cancels a recovery still short of the threshold, and a new one can start", async function () {
        await startRecovery();
        await m.recovery.connect(owner).objectRecovery(subject);
        await expectNoRecovery();
        await expect(m.recovery.connect(g2).initiateRecovery(subject, newKey))
          .to.emit(m.recovery, "RecoveryApproved")
          .withArgs(subject, guardians[1], 1);
      });
    });

    context("when the caller is no current key", function () {
      it("reverts with IdentityNotActingFor for a guardian", async function () {
        await startRecovery([g2]);
        await expect(m.recovery.connect(g1).objectRecovery(subject))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(g1.address, subject, Scope.IDENTITY);
      });

      it("reverts with IdentityNotActingFor for an account that is no key", async function () {
        await startRecovery([g2]);
        await expect(m.recovery.connect(nobody).objectRecovery(subject))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(nobody.address, subject, Scope.IDENTITY);
      });
    });

    context("when the DID is suspended", function () {
      it("reverts with IdentityNotActingFor: a suspended DID's key cannot object", async function () {
        await m.identity.connect(m.registrar).suspend(subject, REASON);
        await startRecovery([g2]);
        await expect(m.recovery.connect(owner).objectRecovery(subject))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(owner.address, subject, Scope.IDENTITY);
        expect((await m.recovery.recoveryOf(subject)).newKey).to.equal(newKey);
      });
    });

    context("when no recovery is pending", function () {
      it("reverts with RecoveryNotPending", async function () {
        await expect(m.recovery.connect(owner).objectRecovery(subject))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryNotPending")
          .withArgs(subject);
      });
    });
  });

  describe("cancelRecovery", function () {
    context("when a registrar cancels", function () {
      it("emits RecoveryCancelled and clears the recovery", async function () {
        await withGuardians(2);
        await startRecovery([g2]);
        await expect(m.recovery.connect(m.registrar).cancelRecovery(subject))
          .to.emit(m.recovery, "RecoveryCancelled")
          .withArgs(subject);
        await expectNoRecovery();
        await time.increase(DELAY);
        await expect(m.recovery.completeRecovery(subject))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryNotPending")
          .withArgs(subject);
      });
    });

    context("when the caller is no registrar", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        await m.recovery.connect(m.registrar).recoverByRegistrar(subject, newKey);
        for (const caller of [owner, m.guardian]) {
          await expect(m.recovery.connect(caller).cancelRecovery(subject))
            .to.be.revertedWithCustomError(m.recovery, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
      });
    });

    context("when no recovery is pending", function () {
      it("reverts with RecoveryNotPending", async function () {
        await expect(m.recovery.connect(m.registrar).cancelRecovery(subject))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryNotPending")
          .withArgs(subject);
      });
    });
  });

  describe("completeRecovery", function () {
    beforeEach(async function () {
      await withGuardians(2);
    });

    context("when no recovery is pending", function () {
      it("reverts with RecoveryNotPending", async function () {
        await expect(m.recovery.completeRecovery(subject))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryNotPending")
          .withArgs(subject);
      });
    });

    context("when the recovery is short of the threshold", function () {
      it("reverts with RecoveryNotReady with readyAt 0, even long after", async function () {
        await startRecovery();
        await time.increase(10n * DELAY);
        await expect(m.recovery.completeRecovery(subject))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryNotReady")
          .withArgs(subject, 0);
      });
    });

    context("when the delay has not passed", function () {
      it("reverts with RecoveryNotReady(did, readyAt) up to the last second", async function () {
        await startRecovery([g2]);
        const { readyAt } = await m.recovery.recoveryOf(subject);
        await expect(m.recovery.completeRecovery(subject))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryNotReady")
          .withArgs(subject, readyAt);
        await time.setNextBlockTimestamp(readyAt - 1n);
        await expect(m.recovery.completeRecovery(subject))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryNotReady")
          .withArgs(subject, readyAt);
        await time.setNextBlockTimestamp(readyAt);
        await expect(m.recovery.completeRecovery(subject)).to.emit(m.recovery, "RecoveryCompleted");
      });
    });

    context("when the recovery is ready", function () {
      beforeEach(async function () {
        await startRecovery([g2]);
        await time.increase(DELAY);
      });

      it("lets anyone complete it: RecoveryCompleted, with KeyRemoved per old key and KeyAdded", async function () {
        const tx = m.recovery.connect(nobody).completeRecovery(subject);
        await expect(tx).to.emit(m.recovery, "RecoveryCompleted").withArgs(subject, newKey);
        await expect(tx).to.emit(m.identity, "KeyRemoved").withArgs(subject, owner.address);
        await expect(tx).to.emit(m.identity, "KeyRemoved").withArgs(subject, owner2.address);
        await expect(tx).to.emit(m.identity, "KeyAdded").withArgs(subject, newKey, Purpose.ALL);
      });

      it("removes every old key and gives the new key all purposes", async function () {
        const before = await m.identity.resolve(subject);
        await m.recovery.completeRecovery(subject);
        const doc = await m.identity.resolve(subject);
        expect((await keysOf(subject)).map((k) => [k.account, k.purposes])).to.deep.equal([
          [newKey, BigInt(Purpose.ALL)],
        ]);
        expect(doc.version).to.equal(before.version + 1n);
        expect(doc.status).to.equal(DidStatus.Active);
        expect(await m.identity.didOf(owner.address)).to.deep.equal([0n, 0n]);
        expect(await m.identity.didOf(owner2.address)).to.deep.equal([0n, 0n]);
        expect(await m.identity.didOf(newKey)).to.deep.equal([subject, BigInt(Purpose.ALL)]);
      });

      it("clears the recovery and keeps the guardians", async function () {
        await m.recovery.completeRecovery(subject);
        await expectNoRecovery();
        expect(await m.recovery.guardiansOf(subject)).to.deep.equal([guardians, 2n]);
        await expect(m.recovery.completeRecovery(subject))
          .to.be.revertedWithCustomError(m.recovery, "RecoveryNotPending")
          .withArgs(subject);
      });

      it("stops the old keys from acting and lets the new key act", async function () {
        await m.recovery.completeRecovery(subject);
        const extra = Wallet.createRandom().address;
        await expect(m.identity.connect(owner).addKey(subject, extra, Purpose.AUTHENTICATION))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(owner.address, subject, Scope.IDENTITY);
        await expect(m.recovery.connect(owner2).setGuardians(subject, [], 0))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(owner2.address, subject, Scope.IDENTITY);
        expect(await m.identity.isActingFor(newKey, subject, Scope.ALL)).to.equal(true);
      });

      it("reverts with EnforcedPause while paused", async function () {
        await pause();
        await expect(m.recovery.completeRecovery(subject)).to.be.revertedWithCustomError(m.recovery, "EnforcedPause");
      });
    });

    context("when the new key became another DID's key during the delay", function () {
      it("reverts with IdentityKeyTaken; a registrar can cancel and start again", async function () {
        await startRecovery([g2]);
        await m.identity.connect(strangerKey).addKey(stranger, newKey, Purpose.AUTHENTICATION);
        await time.increase(DELAY);
        await expect(m.recovery.completeRecovery(subject))
          .to.be.revertedWithCustomError(m.identity, "IdentityKeyTaken")
          .withArgs(newKey, stranger);
        await m.recovery.connect(m.registrar).cancelRecovery(subject);
        const other = Wallet.createRandom().address;
        await m.recovery.connect(m.registrar).recoverByRegistrar(subject, other);
        await time.increase(DELAY);
        await expect(m.recovery.completeRecovery(subject))
          .to.emit(m.recovery, "RecoveryCompleted")
          .withArgs(subject, other);
      });
    });

    context("when the DID was deactivated during the delay", function () {
      it("reverts with IdentityUnexpectedStatus from the registry", async function () {
        await startRecovery([g2]);
        await m.identity.connect(m.registrar).deactivate(subject, REASON);
        await time.increase(DELAY);
        await expect(m.recovery.completeRecovery(subject))
          .to.be.revertedWithCustomError(m.identity, "IdentityUnexpectedStatus")
          .withArgs(subject, DidStatus.Deactivated);
      });
    });
  });

  describe("setRecoveryDelay", function () {
    context("when the council sets the delay", function () {
      it("emits RecoveryDelaySet and applies it to recoveries scheduled afterwards", async function () {
        await expect(m.recovery.connect(m.councilSigner).setRecoveryDelay(3600))
          .to.emit(m.recovery, "RecoveryDelaySet")
          .withArgs(3600);
        expect(await m.recovery.recoveryDelay()).to.equal(3600n);
        const tx = await m.recovery.connect(m.registrar).recoverByRegistrar(subject, newKey);
        expect((await m.recovery.recoveryOf(subject)).readyAt).to.equal((await timestampOf(tx)) + 3600n);
      });

      it("with 0, lets a scheduled recovery complete in the next block", async function () {
        await m.recovery.connect(m.councilSigner).setRecoveryDelay(0);
        await m.recovery.connect(m.registrar).recoverByRegistrar(subject, newKey);
        await expect(m.recovery.completeRecovery(subject))
          .to.emit(m.recovery, "RecoveryCompleted")
          .withArgs(subject, newKey);
      });
    });

    context("when the caller is not the council", function () {
      it("reverts with AccessManagedUnauthorized for a registrar, a guardian or a DID key", async function () {
        for (const caller of [m.registrar, m.guardian, owner]) {
          await expect(m.recovery.connect(caller).setRecoveryDelay(1))
            .to.be.revertedWithCustomError(m.recovery, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
        expect(await m.recovery.recoveryDelay()).to.equal(DELAY);
      });
    });
  });

  describe("pause and unpause", function () {
    it("lets the guardian pause and the council unpause", async function () {
      await expect(m.recovery.connect(m.guardian).pause()).to.emit(m.recovery, "Paused").withArgs(m.guardian.address);
      expect(await m.recovery.paused()).to.equal(true);
      await expect(m.recovery.connect(m.councilSigner).unpause())
        .to.emit(m.recovery, "Unpaused")
        .withArgs(m.councilSigner.address);
      expect(await m.recovery.paused()).to.equal(false);
    });

    it("reverts with AccessManagedUnauthorized when others pause", async function () {
      for (const caller of [m.registrar, owner]) {
        await expect(m.recovery.connect(caller).pause())
          .to.be.revertedWithCustomError(m.recovery, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
    });

    it("reverts with AccessManagedUnauthorized when the guardian or a registrar unpauses", async function () {
      await pause();
      for (const caller of [m.guardian, m.registrar]) {
        await expect(m.recovery.connect(caller).unpause())
          .to.be.revertedWithCustomError(m.recovery, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
    });
  });

  describe("a compromised key", function () {
    it("is frozen by a registrar, replaced by the guardians, and cannot block or act; claims survive", async function () {
      // The subject holds a claim from an accredited issuer.
      const issuerKey = m.outsiders[9];
      const issuer = await registerDid(m, DidKind.Organisation, [{ account: issuerKey.address }]);
      const topic = await accreditedTopic(m, issuer);
      await m.identity.connect(issuerKey).issueClaim(subject, topic, hashOf("diploma"), 0, FOREVER);
      const claimId = claimIdOf(subject, topic);
      expect(await m.identity.hasValidClaim(subject, topic)).to.equal(true);
      await withGuardians(2);
      const thief = owner; // the stolen key
      const rightful = await fundedWallet(m.deployer);

      // The owner reports the theft: the registrar freezes the DID.
      await expect(m.identity.connect(m.registrar).suspend(subject, REASON))
        .to.emit(m.identity, "DidSuspended")
        .withArgs(subject, REASON);
      await expect(m.identity.connect(thief).addKey(subject, nobody.address, Purpose.ALL))
        .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
        .withArgs(thief.address, subject, Scope.IDENTITY);

      // The guardians recover to a new key.
      await m.recovery.connect(g1).initiateRecovery(subject, rightful.address);
      await expect(m.recovery.connect(g3).approveRecovery(subject)).to.emit(m.recovery, "RecoveryScheduled");

      // The thief cannot object: the DID is suspended.
      await expect(m.recovery.connect(thief).objectRecovery(subject))
        .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
        .withArgs(thief.address, subject, Scope.IDENTITY);
      await time.increase(DELAY);
      await expect(m.recovery.connect(nobody).completeRecovery(subject))
        .to.emit(m.recovery, "RecoveryCompleted")
        .withArgs(subject, rightful.address);
      expect((await m.identity.resolve(subject)).status).to.equal(DidStatus.Suspended);

      // The registrar reinstates the DID: the new key acts, the thief's does not.
      await expect(m.identity.connect(m.registrar).reinstate(subject))
        .to.emit(m.identity, "DidReinstated")
        .withArgs(subject);
      expect(await m.identity.isActingFor(thief.address, subject, Scope.IDENTITY)).to.equal(false);
      expect(await m.identity.isActingFor(owner2.address, subject, Scope.IDENTITY)).to.equal(false);
      expect(await m.identity.isActingFor(rightful.address, subject, Scope.IDENTITY)).to.equal(true);
      await expect(m.identity.connect(thief).rotateKey(subject, rightful.address, thief.address))
        .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
        .withArgs(thief.address, subject, Scope.IDENTITY);
      await expect(m.recovery.connect(rightful).setGuardians(subject, [guardians[0]], 1))
        .to.emit(m.recovery, "GuardiansSet")
        .withArgs(subject, [guardians[0]], 1);

      // The claims belong to the DID, not to the key.
      expect(await m.identity.hasValidClaim(subject, topic)).to.equal(true);
      expect(await m.identity.isClaimValid(claimId)).to.equal(true);
      expect((await m.identity.getClaim(claimId)).subject).to.equal(subject);
    });
  });
});
