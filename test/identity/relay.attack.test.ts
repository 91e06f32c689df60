import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import {
  concat,
  dataSlice,
  getAddress,
  Signature,
  toBeHex,
  TypedDataEncoder,
  verifyTypedData,
  zeroPadValue,
  ZeroAddress,
  type HDNodeWallet,
} from "ethers";
import { EMBEDDED_DELAYS } from "../../config/networks";
import { GovForwarder__factory, type GovForwarder } from "../../typechain-types";
import {
  accreditedTopic,
  claimIdOf,
  DidKind,
  DidStatus,
  FOREVER,
  hashOf,
  identityFixture,
  now,
  Purpose,
  registerDid,
  Scope,
  unfundedWallet,
  type IdentityModule,
} from "../helpers/identity";
import {
  forwarderDomain,
  FORWARD_REQUEST_TYPES,
  innerRevertOf,
  relay,
  requestData,
  signAndRelay,
  signRequest,
  simulateRelayed,
  type SignedRequest,
} from "../helpers/relay";

const DELAY = BigInt(EMBEDDED_DELAYS.recoveryDelay);
/** The order of secp256k1. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const EDUCATION = 2;
const PURPOSE = hashOf("admission to the provincial talent programme (人才引进)");
const REQUEST = hashOf("GET /records/education");

describe("relayed requests under attack", function () {
  let m: IdentityModule;
  /** Pays the gas of relayed requests. */
  let relayer: HardhatEthersSigner;
  let hospitalKey: HardhatEthersSigner;
  let hospital: bigint;
  let university: bigint;
  /** A citizen with no funds, whose DID the registrar registered. */
  let citizen: HDNodeWallet;
  let subject: bigint;
  let until: bigint;

  beforeEach(async function () {
    m = await identityFixture();
    relayer = m.outsiders[10];
    hospitalKey = m.outsiders[1];
    hospital = await registerDid(m, DidKind.Organisation, [{ account: hospitalKey.address }]);
    university = await registerDid(m, DidKind.Organisation, [{ account: m.outsiders[2].address }]);
    citizen = unfundedWallet();
    subject = await registerDid(m, DidKind.Person, [{ account: citizen.address }]);
    until = (await now()) + 30n * 86400n;
  });

  function grantData(did = subject, grantee = hospital, validUntil = until): string {
    return m.consent.interface.encodeFunctionData("grantConsent", [did, grantee, EDUCATION, PURPOSE, validUntil]);
  }

  function addKeyData(did: bigint, key: string, purposes: number = Purpose.AUTHENTICATION): string {
    return m.identity.interface.encodeFunctionData("addKey", [did, key, purposes]);
  }

  /** The address an ethers recovery of `request`'s signature yields over the fields given. */
  async function recoveredFrom(request: SignedRequest, fields: Partial<SignedRequest> = {}): Promise<string> {
    const { signature, ...signed } = { ...request, ...fields };
    return verifyTypedData(await forwarderDomain(m.forwarder), FORWARD_REQUEST_TYPES, signed, signature);
  }

  async function balanceOf(account: string): Promise<bigint> {
    return ethers.provider.getBalance(account);
  }

  describe("a subject with no funds", function () {
    context("when it signs and a relayer submits", function () {
      it("self-registers and grants a consent: the records name the signer, the relayer pays", async function () {
        const newcomer = unfundedWallet();
        expect(await balanceOf(newcomer.address)).to.equal(0n);
        const relayerBefore = await balanceOf(relayer.address);
        const commitment = hashOf("salted identity record of a newcomer");

        const registration = await signAndRelay(
          m.forwarder,
          newcomer,
          relayer,
          m.identity,
          m.identity.interface.encodeFunctionData("selfRegister", [DidKind.Person, commitment]),
        );
        const did = await m.identity.didCount();
        await expect(registration).to.emit(m.identity, "DidRegistered").withArgs(did, DidKind.Person, 0, commitment);
        await expect(registration).to.emit(m.identity, "KeyAdded").withArgs(did, newcomer.address, Purpose.ALL);
        await expect(registration).to.emit(m.forwarder, "ExecutedForwardRequest").withArgs(newcomer.address, 0, true);
        expect(registration.from).to.equal(relayer.address);
        expect(await m.identity.didOf(newcomer.address)).to.deep.equal([did, BigInt(Purpose.ALL)]);
        expect(await m.identity.didOf(relayer.address)).to.deep.equal([0n, 0n]);
        expect(await m.identity.statusOf(did)).to.equal(DidStatus.Pending);

        await m.identity.connect(m.registrar).verify(did);
        const consent = await signAndRelay(m.forwarder, newcomer, relayer, m.consent, grantData(did));
        await expect(consent)
          .to.emit(m.consent, "ConsentGranted")
          .withArgs(1n, did, hospital, EDUCATION, PURPOSE, until);
        expect((await m.consent.getConsent(1n)).subject).to.equal(did);
        expect((await m.identity.resolve(did))[8].map((k) => k.account)).to.deep.equal([newcomer.address]);

        const fees = (await registration.wait())!.fee + (await consent.wait())!.fee;
        expect(await balanceOf(relayer.address)).to.equal(relayerBefore - fees);
        expect(await balanceOf(newcomer.address)).to.equal(0n);
        expect(await m.forwarder.nonces(newcomer.address)).to.equal(2n);
      });

      it("cannot send the same call itself: it has no gas money", async function () {
        const newcomer = unfundedWallet();
        await expect(m.identity.connect(newcomer).selfRegister(DidKind.Person, hashOf("x"))).to.be.rejectedWith(
          /insufficient funds|doesn't have enough funds/i,
        );
      });
    });
  });

  describe("replay", function () {
    context("when the same signed request is submitted twice", function () {
      it("refuses the second with ERC2771ForwarderInvalidSigner, as the nonce moved; state changed once", async function () {
        const request = await signRequest(m.forwarder, citizen, m.consent, grantData());
        await relay(m.forwarder, relayer, request);
        expect(await m.forwarder.nonces(citizen.address)).to.equal(1n);
        const recovered = await recoveredFrom(request, { nonce: request.nonce + 1n });
        expect(recovered).not.to.equal(citizen.address);

        expect(await m.forwarder.verify(requestData(request))).to.equal(false);
        await expect(relay(m.forwarder, relayer, request))
          .to.be.revertedWithCustomError(m.forwarder, "ERC2771ForwarderInvalidSigner")
          .withArgs(recovered, citizen.address);
        await expect(relay(m.forwarder, m.outsiders[11], request))
          .to.be.revertedWithCustomError(m.forwarder, "ERC2771ForwarderInvalidSigner")
          .withArgs(recovered, citizen.address);
        expect(await m.consent.consentCount()).to.equal(1n);
        expect(await m.forwarder.nonces(citizen.address)).to.equal(1n);
      });

      it("needs a fresh signature over the next nonce for the same call", async function () {
        await signAndRelay(m.forwarder, citizen, relayer, m.consent, grantData());
        const again = await signRequest(m.forwarder, citizen, m.consent, grantData());
        expect(again.nonce).to.equal(1n);
        await expect(relay(m.forwarder, relayer, again))
          .to.emit(m.consent, "ConsentGranted")
          .withArgs(2n, subject, hospital, EDUCATION, PURPOSE, until);
      });
    });

    context("when a request signed for a future nonce is submitted early", function () {
      it("refuses it with ERC2771ForwarderInvalidSigner", async function () {
        const request = await signRequest(m.forwarder, citizen, m.consent, grantData(), { nonce: 1n });
        await expect(relay(m.forwarder, relayer, request))
          .to.be.revertedWithCustomError(m.forwarder, "ERC2771ForwarderInvalidSigner")
          .withArgs(await recoveredFrom(request, { nonce: 0n }), citizen.address);
        expect(await m.consent.consentCount()).to.equal(0n);
      });
    });
  });

  describe("signature malleability", function () {
    let request: SignedRequest;
    let malleable: string;

    beforeEach(async function () {
      request = await signRequest(m.forwarder, citizen, m.consent, grantData());
      const sig = Signature.from(request.signature);
      const highS = SECP256K1_N - BigInt(sig.s);
      const flippedV = sig.v === 27 ? 28 : 27;
      malleable = concat([sig.r, toBeHex(highS, 32), toBeHex(flippedV, 1)]);
    });

    context("when s is replaced by n − s and v flipped", function () {
      it("is still the signer's signature to raw ecrecover", async function () {
        const digest = TypedDataEncoder.hash(await forwarderDomain(m.forwarder), FORWARD_REQUEST_TYPES, {
          ...request,
        });
        const ecrecover = async (signature: string) => {
          const out = await ethers.provider.call({
            to: "0x0000000000000000000000000000000000000001",
            data: concat([
              digest,
              zeroPadValue(dataSlice(signature, 64, 65), 32),
              dataSlice(signature, 0, 32),
              dataSlice(signature, 32, 64),
            ]),
          });
          return getAddress(dataSlice(out, 12));
        };
        expect(malleable).not.to.equal(request.signature);
        expect(await ecrecover(request.signature)).to.equal(citizen.address);
        expect(await ecrecover(malleable)).to.equal(citizen.address);
      });

      it("is refused: verify() is false and execute reverts with ERC2771ForwarderInvalidSigner(0, from)", async function () {
        expect(await m.forwarder.verify(requestData(request))).to.equal(true);
        const forged = { ...request, signature: malleable };
        expect(await m.forwarder.verify(requestData(forged))).to.equal(false);
        await expect(relay(m.forwarder, relayer, forged))
          .to.be.revertedWithCustomError(m.forwarder, "ERC2771ForwarderInvalidSigner")
          .withArgs(ZeroAddress, citizen.address);
        expect(await m.consent.consentCount()).to.equal(0n);
        expect(await m.forwarder.nonces(citizen.address)).to.equal(0n);
      });

      it("does not burn the genuine signature, which still works once", async function () {
        await expect(relay(m.forwarder, relayer, { ...request, signature: malleable })).to.be.reverted;
        await expect(relay(m.forwarder, relayer, request)).to.emit(m.consent, "ConsentGranted");
        await expect(relay(m.forwarder, relayer, { ...request, signature: malleable }))
          .to.be.revertedWithCustomError(m.forwarder, "ERC2771ForwarderInvalidSigner")
          .withArgs(ZeroAddress, citizen.address);
        expect(await m.consent.consentCount()).to.equal(1n);
      });
    });

    context("when the signature is sent in its 64-byte EIP-2098 form", function () {
      it("is refused with ERC2771ForwarderInvalidSigner(0, from)", async function () {
        const compact = Signature.from(request.signature).compactSerialized;
        const forged = { ...request, signature: compact };
        expect(await m.forwarder.verify(requestData(forged))).to.equal(false);
        await expect(relay(m.forwarder, relayer, forged))
          .to.be.revertedWithCustomError(m.forwarder, "ERC2771ForwarderInvalidSigner")
          .withArgs(ZeroAddress, citizen.address);
      });
    });
  });

  describe("expiry", function () {
    context("when the request is submitted after its deadline", function () {
      it("reverts with ERC2771ForwarderExpiredRequest(deadline); nothing changes", async function () {
        const deadline = (await now()) + 60n;
        const request = await signRequest(m.forwarder, citizen, m.consent, grantData(), { deadline });
        await time.increaseTo(deadline + 1n);
        expect(await m.forwarder.verify(requestData(request))).to.equal(false);
        await expect(relay(m.forwarder, relayer, request))
          .to.be.revertedWithCustomError(m.forwarder, "ERC2771ForwarderExpiredRequest")
          .withArgs(deadline);
        expect(await m.consent.consentCount()).to.equal(0n);
        expect(await m.forwarder.nonces(citizen.address)).to.equal(0n);
      });
    });

    context("when the request is submitted at its deadline", function () {
      it("is still executed", async function () {
        const deadline = (await now()) + 60n;
        const request = await signRequest(m.forwarder, citizen, m.consent, grantData(), { deadline });
        await time.setNextBlockTimestamp(deadline);
        await expect(relay(m.forwarder, relayer, request)).to.emit(m.consent, "ConsentGranted");
      });
    });

    context("when the deadline is moved after signing", function () {
      it("reverts with ERC2771ForwarderInvalidSigner", async function () {
        const deadline = (await now()) + 60n;
        const request = await signRequest(m.forwarder, citizen, m.consent, grantData(), { deadline });
        await time.increaseTo(deadline + 1n);
        const extended = { ...request, deadline: deadline + 3600n };
        await expect(relay(m.forwarder, relayer, extended))
          .to.be.revertedWithCustomError(m.forwarder, "ERC2771ForwarderInvalidSigner")
          .withArgs(await recoveredFrom(request, { deadline: extended.deadline }), citizen.address);
      });
    });
  });

  describe("domain binding", function () {
    context("when the request was signed for another chain", function () {
      it("reverts with ERC2771ForwarderInvalidSigner", async function () {
        const { chainId } = await ethers.provider.getNetwork();
        const request = await signRequest(m.forwarder, citizen, m.consent, grantData(), {
          domain: { chainId: chainId + 1n },
        });
        const recovered = await recoveredFrom(request);
        expect(recovered).not.to.equal(citizen.address);
        expect(await m.forwarder.verify(requestData(request))).to.equal(false);
        await expect(relay(m.forwarder, relayer, request))
          .to.be.revertedWithCustomError(m.forwarder, "ERC2771ForwarderInvalidSigner")
          .withArgs(recovered, citizen.address);
        expect(await m.consent.consentCount()).to.equal(0n);
      });
    });

    context("when the request was signed for another forwarder", function () {
      let other: GovForwarder;

      beforeEach(async function () {
        other = await new GovForwarder__factory(m.deployer).deploy();
      });

      it("is refused by the suite's forwarder with ERC2771ForwarderInvalidSigner", async function () {
        const request = await signRequest(m.forwarder, citizen, m.consent, grantData(), {
          domain: { verifyingContract: await other.getAddress() },
        });
        const recovered = await recoveredFrom(request);
        expect(recovered).not.to.equal(citizen.address);
        await expect(relay(m.forwarder, relayer, request))
          .to.be.revertedWithCustomError(m.forwarder, "ERC2771ForwarderInvalidSigner")
          .withArgs(recovered, citizen.address);
        expect(await m.consent.consentCount()).to.equal(0n);
      });

      it("cannot be used through that forwarder either: the modules do not trust it", async function () {
        const request = await signRequest(other, citizen, m.consent, grantData());
        expect(await other.verify(requestData(request))).to.equal(false);
        await expect(relay(other, relayer, request))
          .to.be.revertedWithCustomError(other, "ERC2771UntrustfulTarget")
          .withArgs(await m.consent.getAddress(), await other.getAddress());
        expect(await m.consent.consentCount()).to.equal(0n);
      });
    });

    context("when the request was signed under another name or version", function () {
      it("reverts with ERC2771ForwarderInvalidSigner", async function () {
        for (const domain of [{ name: "govledger-test" }, { version: "2" }]) {
          const request = await signRequest(m.forwarder, citizen, m.consent, grantData(), { domain });
          await expect(relay(m.forwarder, relayer, request))
            .to.be.revertedWithCustomError(m.forwarder, "ERC2771ForwarderInvalidSigner")
            .withArgs(await recoveredFrom(request), citizen.address);
        }
      });
    });
  });

  describe("tampering", function () {
    let request: SignedRequest;

    beforeEach(async function () {
      request = await signRequest(m.forwarder, citizen, m.consent, grantData());
    });

    for (const field of ["data", "to", "gas"] as const) {
      context(`when \`${field}\` is changed after signing`, function () {
        it("reverts with ERC2771ForwarderInvalidSigner and changes nothing", async function () {
          const changes: Partial<SignedRequest> = {
            data: { data: grantData(subject, university) },
            to: { to: await m.recovery.getAddress() },
            gas: { gas: request.gas + 1n },
          }[field];
          const tampered = { ...request, ...changes };
          const recovered = await recoveredFrom(request, changes);
          expect(recovered).not.to.equal(citizen.address);
          expect(await m.forwarder.verify(requestData(tampered))).to.equal(false);
          await expect(relay(m.forwarder, relayer, tampered))
            .to.be.revertedWithCustomError(m.forwarder, "ERC2771ForwarderInvalidSigner")
            .withArgs(recovered, citizen.address);
          expect(await m.consent.consentCount()).to.equal(0n);
          expect(await m.forwarder.nonces(citizen.address)).to.equal(0n);
          await expect(relay(m.forwarder, relayer, request))
            .to.emit(m.consent, "ConsentGranted")
            .withArgs(1n, subject, hospital, EDUCATION, PURPOSE, until);
        });
      });
    }

    context("when someone signs a request in another's name (`from` set to the victim)", function () {
      it("reverts with ERC2771ForwarderInvalidSigner(signer, victim)", async function () {
        const attacker = unfundedWallet();
        const signed = await signRequest(m.forwarder, attacker, m.consent, grantData());
        const forged = { ...signed, from: citizen.address };
        await expect(relay(m.forwarder, relayer, forged))
          .to.be.revertedWithCustomError(m.forwarder, "ERC2771ForwarderInvalidSigner")
          .withArgs(await recoveredFrom(forged), citizen.address);
        expect(await m.consent.consentCount()).to.equal(0n);
      });

      it("is refused by the module when the attacker signs as itself", async function () {
        const attacker = unfundedWallet();
        const data = grantData();
        await expect(signAndRelay(m.forwarder, attacker, relayer, m.consent, data)).to.be.revertedWithCustomError(
          m.forwarder,
          "FailedCall",
        );
        await expect(simulateRelayed(m.forwarder, m.consent, attacker.address, data))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(attacker.address, subject, Scope.CONSENT);
      });
    });
  });

  describe("the relayer's own rights", function () {
    context("when a registrar relays an outsider's request to a registrar-only function", function () {
      it("does not lend its role: the inner call reverts with AccessManagedUnauthorized(signer)", async function () {
        const attacker = unfundedWallet();
        const data = m.recovery.interface.encodeFunctionData("recoverByRegistrar", [subject, attacker.address]);
        await expect(signAndRelay(m.forwarder, attacker, m.registrar, m.recovery, data)).to.be.revertedWithCustomError(
          m.forwarder,
          "FailedCall",
        );
        await expect(simulateRelayed(m.forwarder, m.recovery, attacker.address, data))
          .to.be.revertedWithCustomError(m.recovery, "AccessManagedUnauthorized")
          .withArgs(attacker.address);
        expect((await m.recovery.recoveryOf(subject)).newKey).to.equal(ZeroAddress);
      });
    });

    context("when an outsider relays a registrar's signed request", function () {
      it("runs it with the registrar's role", async function () {
        const newKey = unfundedWallet().address;
        const data = m.recovery.interface.encodeFunctionData("recoverByRegistrar", [subject, newKey]);
        await expect(signAndRelay(m.forwarder, m.registrar, relayer, m.recovery, data))
          .to.emit(m.recovery, "RecoveryInitiated")
          .withArgs(subject, newKey, 0);
      });
    });
  });

  describe("a key rotated out after signing", function () {
    /** The subject's second key, which rotates the first one out. */
    let second: HDNodeWallet;
    /** The key the first one is rotated to. */
    let replacement: HDNodeWallet;

    beforeEach(async function () {
      second = unfundedWallet();
      replacement = unfundedWallet();
      await signAndRelay(m.forwarder, citizen, relayer, m.identity, addKeyData(subject, second.address));
    });

    async function rotateOut(oldKey: string, newKey: string, by: HDNodeWallet = second) {
      const data = m.identity.interface.encodeFunctionData("rotateKey", [subject, oldKey, newKey]);
      await expect(signAndRelay(m.forwarder, by, relayer, m.identity, data))
        .to.emit(m.identity, "KeyRotated")
        .withArgs(subject, oldKey, newKey);
    }

    context("when the old key had signed addKey", function () {
      it("fails with FailedCall; the inner call reverts with IdentityNotActingFor; nothing changes", async function () {
        const extra = unfundedWallet().address;
        const data = addKeyData(subject, extra);
        const request = await signRequest(m.forwarder, citizen, m.identity, data);
        // Valid before the rotation.
        expect(await m.forwarder.verify(requestData(request))).to.equal(true);
        await simulateRelayed(m.forwarder, m.identity, citizen.address, data);

        await rotateOut(citizen.address, replacement.address);
        const nonce = await m.forwarder.nonces(citizen.address);
        const version = (await m.identity.resolve(subject)).version;

        // The signature is still sound to the forwarder; the module refuses the signer.
        expect(await m.forwarder.verify(requestData(request))).to.equal(true);
        await expect(relay(m.forwarder, relayer, request)).to.be.revertedWithCustomError(m.forwarder, "FailedCall");
        await expect(simulateRelayed(m.forwarder, m.identity, citizen.address, data))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(citizen.address, subject, Scope.IDENTITY);
        const reason = await innerRevertOf(m.forwarder, m.identity, citizen.address, data);
        expect(reason?.name).to.equal("IdentityNotActingFor");
        expect(reason?.args.toArray()).to.deep.equal([citizen.address, subject, BigInt(Scope.IDENTITY)]);

        expect(await m.identity.didOf(extra)).to.deep.equal([0n, 0n]);
        expect(await m.identity.didOf(citizen.address)).to.deep.equal([0n, 0n]);
        expect((await m.identity.resolve(subject))[8].map((k) => k.account)).to.deep.equal([
          replacement.address,
          second.address,
        ]);
        expect((await m.identity.resolve(subject)).version).to.equal(version);
        expect(await m.forwarder.nonces(citizen.address)).to.equal(nonce);
      });

      it("works when the new key signs the same call", async function () {
        const extra = unfundedWallet().address;
        const data = addKeyData(subject, extra);
        await rotateOut(citizen.address, replacement.address);
        await expect(signAndRelay(m.forwarder, replacement, relayer, m.identity, data))
          .to.emit(m.identity, "KeyAdded")
          .withArgs(subject, extra, Purpose.AUTHENTICATION);
      });
    });

    context("when the old key had signed grantConsent", function () {
      it("fails with FailedCall; the inner call reverts with IdentityNotActingFor; no consent", async function () {
        const data = grantData();
        const request = await signRequest(m.forwarder, citizen, m.consent, data);
        await simulateRelayed(m.forwarder, m.consent, citizen.address, data);
        await rotateOut(citizen.address, replacement.address);
        await expect(relay(m.forwarder, relayer, request)).to.be.revertedWithCustomError(m.forwarder, "FailedCall");
        const reason = await innerRevertOf(m.forwarder, m.consent, citizen.address, data, m.identity.interface);
        expect(reason?.name).to.equal("IdentityNotActingFor");
        expect(reason?.args.toArray()).to.deep.equal([citizen.address, subject, BigInt(Scope.CONSENT)]);
        expect(await m.consent.consentCount()).to.equal(0n);

        await expect(signAndRelay(m.forwarder, replacement, relayer, m.consent, data))
          .to.emit(m.consent, "ConsentGranted")
          .withArgs(1n, subject, hospital, EDUCATION, PURPOSE, until);
      });
    });

    context("when an issuer's old key had signed issueClaim", function () {
      it("fails with FailedCall; the inner call reverts with IdentityUnknownKey; no claim", async function () {
        const issuerKey = unfundedWallet();
        const issuerAdmin = m.outsiders[3];
        const issuer = await registerDid(m, DidKind.Organisation, [
          { account: issuerKey.address, purposes: Purpose.ASSERTION },
          { account: issuerAdmin.address, purposes: Purpose.AUTHENTICATION },
        ]);
        const topic = await accreditedTopic(m, issuer);
        const data = m.identity.interface.encodeFunctionData("issueClaim", [
          subject,
          topic,
          hashOf("diploma"),
          0,
          FOREVER,
        ]);
        const request = await signRequest(m.forwarder, issuerKey, m.identity, data);
        await simulateRelayed(m.forwarder, m.identity, issuerKey.address, data);

        const newIssuerKey = unfundedWallet();
        await m.identity.connect(issuerAdmin).rotateKey(issuer, issuerKey.address, newIssuerKey.address);
        await expect(relay(m.forwarder, relayer, request)).to.be.revertedWithCustomError(m.forwarder, "FailedCall");
        await expect(simulateRelayed(m.forwarder, m.identity, issuerKey.address, data))
          .to.be.revertedWithCustomError(m.identity, "IdentityUnknownKey")
          .withArgs(issuerKey.address);
        expect(await m.identity.hasValidClaim(subject, topic)).to.equal(false);
        expect(await m.identity.claimsOf(subject)).to.deep.equal([]);

        await expect(signAndRelay(m.forwarder, newIssuerKey, relayer, m.identity, data))
          .to.emit(m.identity, "ClaimIssued")
          .withArgs(claimIdOf(subject, topic), subject, issuer, hashOf("diploma"), 0, FOREVER);
        expect(await m.identity.hasValidClaim(subject, topic)).to.equal(true);
      });
    });

    context("when the keys were replaced by a recovery", function () {
      it("refuses requests signed by any pre-recovery key and accepts the new key's", async function () {
        const consentData = grantData();
        const addKeyBySecond = addKeyData(subject, unfundedWallet().address);
        // Long-lived requests, so that only the key change can stop them.
        const deadline = (await now()) + 2n * DELAY;
        const fromCitizen = await signRequest(m.forwarder, citizen, m.consent, consentData, { deadline });
        const fromSecond = await signRequest(m.forwarder, second, m.identity, addKeyBySecond, { deadline });
        expect(await m.forwarder.verify(requestData(fromCitizen))).to.equal(true);
        expect(await m.forwarder.verify(requestData(fromSecond))).to.equal(true);
        await simulateRelayed(m.forwarder, m.consent, citizen.address, consentData);
        await simulateRelayed(m.forwarder, m.identity, second.address, addKeyBySecond);

        const recovered = unfundedWallet();
        await m.recovery.connect(m.registrar).recoverByRegistrar(subject, recovered.address);
        await time.increase(DELAY);
        await expect(m.recovery.connect(relayer).completeRecovery(subject))
          .to.emit(m.recovery, "RecoveryCompleted")
          .withArgs(subject, recovered.address);
        const version = (await m.identity.resolve(subject)).version;
        expect(await m.forwarder.verify(requestData(fromCitizen))).to.equal(true);

        await expect(relay(m.forwarder, relayer, fromCitizen)).to.be.revertedWithCustomError(m.forwarder, "FailedCall");
        await expect(simulateRelayed(m.forwarder, m.consent, citizen.address, consentData))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(citizen.address, subject, Scope.CONSENT);
        await expect(relay(m.forwarder, relayer, fromSecond)).to.be.revertedWithCustomError(m.forwarder, "FailedCall");
        await expect(simulateRelayed(m.forwarder, m.identity, second.address, addKeyBySecond))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(second.address, subject, Scope.IDENTITY);
        expect(await m.consent.consentCount()).to.equal(0n);
        expect((await m.identity.resolve(subject)).version).to.equal(version);
        expect((await m.identity.resolve(subject))[8].map((k) => k.account)).to.deep.equal([recovered.address]);

        await expect(signAndRelay(m.forwarder, recovered, relayer, m.consent, consentData))
          .to.emit(m.consent, "ConsentGranted")
          .withArgs(1n, subject, hospital, EDUCATION, PURPOSE, until);
        expect(await balanceOf(recovered.address)).to.equal(0n);
      });

      it("refuses a pre-recovery key's objection signed during the delay, once the recovery completed", async function () {
        const objection = m.recovery.interface.encodeFunctionData("objectRecovery", [subject]);
        const recovered = unfundedWallet();
        await m.recovery.connect(m.registrar).recoverByRegistrar(subject, recovered.address);
        const request = await signRequest(m.forwarder, citizen, m.recovery, objection, {
          deadline: (await now()) + 2n * DELAY,
        });
        await simulateRelayed(m.forwarder, m.recovery, citizen.address, objection);
        await time.increase(DELAY);
        await m.recovery.completeRecovery(subject);
        await expect(relay(m.forwarder, relayer, request)).to.be.revertedWithCustomError(m.forwarder, "FailedCall");
        const reason = await innerRevertOf(m.forwarder, m.recovery, citizen.address, objection, m.identity.interface);
        expect(reason?.name).to.equal("IdentityNotActingFor");
        expect(reason?.args.toArray()).to.deep.equal([citizen.address, subject, BigInt(Scope.IDENTITY)]);
      });
    });
  });

  describe("what belongs to the DID", function () {
    let issuer: bigint;
    let topic: bigint;

    beforeEach(async function () {
      const issuerKey = m.outsiders[4];
      issuer = await registerDid(m, DidKind.Organisation, [{ account: issuerKey.address }]);
      topic = await accreditedTopic(m, issuer);
      await m.identity.connect(issuerKey).issueClaim(subject, topic, hashOf("diploma"), 0, FOREVER);
      await signAndRelay(m.forwarder, citizen, relayer, m.consent, grantData());
    });

    context("when the subject rotates its key", function () {
      it("keeps its claims valid and its consents live", async function () {
        const replacement = unfundedWallet();
        const data = m.identity.interface.encodeFunctionData("rotateKey", [
          subject,
          citizen.address,
          replacement.address,
        ]);
        await expect(signAndRelay(m.forwarder, citizen, relayer, m.identity, data))
          .to.emit(m.identity, "KeyRotated")
          .withArgs(subject, citizen.address, replacement.address);
        expect(await m.identity.hasValidClaim(subject, topic)).to.equal(true);
        expect(await m.identity.isClaimValid(claimIdOf(subject, topic))).to.equal(true);
        expect((await m.identity.claimsOf(subject)).map((c) => c.id)).to.deep.equal([claimIdOf(subject, topic)]);
        expect(await m.consent.isConsentLive(1n)).to.equal(true);
        await expect(m.consent.connect(hospitalKey).recordAccess(1n, REQUEST))
          .to.emit(m.consent, "AccessRecorded")
          .withArgs(1n, 1n, hospital, REQUEST);
        // The new key revokes what the old key granted.
        await expect(
          signAndRelay(
            m.forwarder,
            replacement,
            relayer,
            m.consent,
            m.consent.interface.encodeFunctionData("revokeConsent", [1n]),
          ),
        )
          .to.emit(m.consent, "ConsentRevoked")
          .withArgs(1n);
      });
    });

    context("when the subject's keys are replaced by a recovery", function () {
      it("keeps its claims valid and its consents live", async function () {
        const recovered = unfundedWallet();
        await m.recovery.connect(m.registrar).recoverByRegistrar(subject, recovered.address);
        await time.increase(DELAY);
        await m.recovery.completeRecovery(subject);
        expect(await m.identity.didOf(citizen.address)).to.deep.equal([0n, 0n]);
        expect(await m.identity.hasValidClaim(subject, topic)).to.equal(true);
        expect(await m.identity.isClaimValid(claimIdOf(subject, topic))).to.equal(true);
        expect(await m.consent.isConsentLive(1n)).to.equal(true);
        expect((await m.consent.getConsent(1n)).subject).to.equal(subject);
        expect(await m.identity.isActingFor(recovered.address, subject, Scope.CONSENT)).to.equal(true);
      });
    });
  });
});
