import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { ethers } from "hardhat";
import { concat, dataSlice, getBytes, toBeHex, ZeroAddress, ZeroHash, type TypedDataDomain } from "ethers";
import { consentDomain, Right, RIGHTS_CHANGE_TYPES, WHOLE_BPS } from "../../src/sdk/achievement-types";
import {
  ConsentWallet__factory,
  ReentrantSigner__factory,
  type ConsentWallet,
  type ReentrantSigner,
} from "../../typechain-types";
import {
  achievementFixture,
  register,
  registrationOf,
  signChange,
  signPledge,
  type AchievementModule,
  type Party,
  type PledgeTerms,
  type RightsChange,
} from "../helpers/achievement";
import { DidKind, hashOf, registerDid, Scope, unfundedWallet } from "../helpers/identity";
import { innerRevertOf, signAndRelay } from "../helpers/relay";

const DAY = 86_400;
const YEAR = 365 * DAY;
/** The order of secp256k1. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

type Consent = Awaited<ReturnType<typeof signChange>>;

/** The same signature in its malleable form: s replaced by n - s and the parity of v flipped. */
function malleable(signature: string): string {
  const r = dataSlice(signature, 0, 32);
  const s = BigInt(dataSlice(signature, 32, 64));
  const v = getBytes(signature)[64];
  return concat([r, toBeHex(SECP256K1_N - s, 32), toBeHex(v === 27 ? 28 : 27, 1)]);
}

describe("achievement consents under attack", function () {
  let m: AchievementModule;
  /** Funded accounts with no role and no DID. */
  let spare: HardhatEthersSigner[];
  /** A patent co-owned by the university (60 %, holds the token) and the team (40 %). */
  let id: bigint;

  beforeEach(async function () {
    m = await achievementFixture();
    spare = (await ethers.getSigners()).slice(13);
    id = await register(m, coOwnedBy(m.university, m.team));
  });

  function coOwnedBy(first: Party, second: Party) {
    return registrationOf(
      [
        { party: first, bps: 6000 },
        { party: second, bps: 4000 },
      ],
      [],
    );
  }

  /** The permanent change of the use right of `achievement` to the university alone, for its current version. */
  async function useToUniversity(achievement = id, overrides: Partial<RightsChange> = {}): Promise<RightsChange> {
    const { version } = await m.achievements.getAchievement(achievement);
    return {
      achievement,
      right: Right.Use,
      holdings: [{ did: m.university.did, bps: WHOLE_BPS }],
      until: 0,
      holder: ZeroAddress,
      version,
      deadline: (await time.latest()) + DAY,
      ...overrides,
    };
  }

  function applyAsUniversity(c: RightsChange, consents: Consent[]) {
    return m.rights.connect(m.university.account).changeRights(c, consents, m.university.did);
  }

  async function domain(): Promise<TypedDataDomain> {
    const { chainId } = await ethers.provider.getNetwork();
    return consentDomain(chainId, await m.rights.getAddress());
  }

  describe("replayed consents", function () {
    context("when a signature is replayed after its change was applied", function () {
      it("reverts with AchievementStaleVersion", async function () {
        const c = await useToUniversity();
        const consent = await signChange(m, m.team, c);
        await (await applyAsUniversity(c, [consent])).wait();
        await expect(applyAsUniversity(c, [consent]))
          .to.be.revertedWithCustomError(m.achievements, "AchievementStaleVersion")
          .withArgs(id, 1, 2);
      });
    });

    context("when an on-chain approval is reused for the same change at a later version", function () {
      it("reverts with AchievementConsentMissing", async function () {
        const first = await useToUniversity();
        await (await m.rights.connect(m.team.account).approveRightsChange(first, m.team.did)).wait();
        await (await m.achievements.updateMetadata(id, hashOf("form v2"), "")).wait();
        const again = await useToUniversity();
        expect(again.version).to.equal(2n);
        await expect(applyAsUniversity(again, []))
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentMissing")
          .withArgs(id, m.team.did);
      });
    });

    context("when a signature is replayed on another achievement of the same parties", function () {
      it("reverts with AchievementInvalidSignature", async function () {
        const other = await register(m, coOwnedBy(m.university, m.team));
        const c = await useToUniversity(id);
        const consent = await signChange(m, m.team, c);
        const elsewhere = await useToUniversity(other, { deadline: c.deadline });
        expect(elsewhere.version).to.equal(c.version);
        await expect(applyAsUniversity(elsewhere, [consent]))
          .to.be.revertedWithCustomError(m.rights, "AchievementInvalidSignature")
          .withArgs(m.team.did, m.team.address);
      });
    });

    context("when a pledge consent is replayed after the pledge was released", function () {
      it("reverts with AchievementStaleVersion", async function () {
        const { version } = await m.achievements.getAchievement(id);
        const now = await time.latest();
        const p: PledgeTerms = {
          achievement: id,
          lender: m.bank.did,
          securedAmount: 5_000_000n,
          until: now + YEAR,
          contractHash: hashOf("pledge contract"),
          version,
          deadline: now + DAY,
        };
        const consents = [await signPledge(m, m.university, p), await signPledge(m, m.team, p)];
        await (await m.rights.connect(m.bank.account).pledge(p, consents, m.bank.did)).wait();
        await (await m.rights.connect(m.bank.account).releasePledge(id, m.bank.did)).wait();
        await expect(m.rights.connect(m.bank.account).pledge(p, consents, m.bank.did))
          .to.be.revertedWithCustomError(m.achievements, "AchievementStaleVersion")
          .withArgs(id, 1, 3);
      });
    });

    const foreignDomains: [string, (d: TypedDataDomain) => Promise<TypedDataDomain>][] = [
      ["another chain id", async (d) => ({ ...d, chainId: BigInt(d.chainId!) + 1n })],
      [
        "another verifying contract (the registry)",
        async (d) => ({ ...d, verifyingContract: await m.achievements.getAddress() }),
      ],
      ["another domain name", async (d) => ({ ...d, name: "govledger" })],
      ["another domain version", async (d) => ({ ...d, version: "2" })],
    ];
    for (const [what, alter] of foreignDomains) {
      context(`when the consent was signed for ${what}`, function () {
        it("reverts with AchievementInvalidSignature", async function () {
          const c = await useToUniversity();
          const signature = await m.team.account.signTypedData(await alter(await domain()), RIGHTS_CHANGE_TYPES, c);
          await expect(applyAsUniversity(c, [{ did: m.team.did, signer: m.team.address, signature }]))
            .to.be.revertedWithCustomError(m.rights, "AchievementInvalidSignature")
            .withArgs(m.team.did, m.team.address);
        });
      });
    }
  });

  describe("malleable signatures", function () {
    context("when a consent is submitted in its high-s form", function () {
      it("reverts with AchievementInvalidSignature, and the canonical form still works", async function () {
        const c = await useToUniversity();
        const consent = await signChange(m, m.team, c);
        await expect(applyAsUniversity(c, [{ ...consent, signature: malleable(consent.signature) }]))
          .to.be.revertedWithCustomError(m.rights, "AchievementInvalidSignature")
          .withArgs(m.team.did, m.team.address);
        await expect(applyAsUniversity(c, [consent])).to.emit(m.achievements, "RightsChanged");
      });
    });
  });

  describe("rotated keys", function () {
    context("when the signing key was rotated out before the consent is used", function () {
      it("reverts with AchievementInvalidSignature; the new key's signature is accepted", async function () {
        const c = await useToUniversity();
        const old = await signChange(m, m.team, c);
        const newKey = unfundedWallet();
        await expect(m.identity.connect(m.team.account).rotateKey(m.team.did, m.team.address, newKey.address))
          .to.emit(m.identity, "KeyRotated")
          .withArgs(m.team.did, m.team.address, newKey.address);
        await expect(applyAsUniversity(c, [old]))
          .to.be.revertedWithCustomError(m.rights, "AchievementInvalidSignature")
          .withArgs(m.team.did, m.team.address);
        const rotated: Party = { did: m.team.did, account: newKey, address: newKey.address };
        await expect(applyAsUniversity(c, [await signChange(m, rotated, c)])).to.emit(m.achievements, "RightsChanged");
      });
    });

    context("when the signer's DID is suspended", function () {
      it("reverts with AchievementInvalidSignature", async function () {
        const c = await useToUniversity();
        const consent = await signChange(m, m.team, c);
        await (await m.identity.suspend(m.team.did, hashOf("reason: dispute over identity"))).wait();
        await expect(applyAsUniversity(c, [consent]))
          .to.be.revertedWithCustomError(m.rights, "AchievementInvalidSignature")
          .withArgs(m.team.did, m.team.address);
      });
    });
  });

  describe("ERC-1271 contract wallets", function () {
    let owner: HardhatEthersSigner;
    let wallet: ConsentWallet;
    let walletParty: Party;
    let shared: bigint;

    beforeEach(async function () {
      owner = spare[0];
      wallet = await new ConsentWallet__factory(owner).deploy(owner.address);
      const address = await wallet.getAddress();
      const did = await registerDid(m, DidKind.Organisation, [{ account: address }], hashOf("did:wallet-org"));
      walletParty = { did, account: owner, address };
      shared = await register(m, coOwnedBy(m.university, walletParty));
    });

    context("when the wallet's owner signs the consent", function () {
      it("accepts the wallet's ERC-1271 answer as the DID's consent", async function () {
        const c = await useToUniversity(shared);
        const signature = await owner.signTypedData(await domain(), RIGHTS_CHANGE_TYPES, c);
        await expect(applyAsUniversity(c, [{ did: walletParty.did, signer: walletParty.address, signature }]))
          .to.emit(m.achievements, "RightsChanged")
          .withArgs(shared, m.university.did, Right.Use, 0, await m.rights.rightsChangeHash(c), ZeroHash);
      });
    });

    context("when anyone else signs in the wallet's name", function () {
      it("reverts with AchievementInvalidSignature", async function () {
        const c = await useToUniversity(shared);
        const signature = await spare[1].signTypedData(await domain(), RIGHTS_CHANGE_TYPES, c);
        await expect(applyAsUniversity(c, [{ did: walletParty.did, signer: walletParty.address, signature }]))
          .to.be.revertedWithCustomError(m.rights, "AchievementInvalidSignature")
          .withArgs(walletParty.did, walletParty.address);
      });
    });

    context("when the wallet calls for its DID", function () {
      it("approves on chain and applies changes like any key", async function () {
        const c = await useToUniversity(shared);
        const hash = await m.rights.rightsChangeHash(c);
        const rights = await m.rights.getAddress();
        await expect(
          wallet.execute(rights, m.rights.interface.encodeFunctionData("approveRightsChange", [c, walletParty.did])),
        )
          .to.emit(m.rights, "ConsentGiven")
          .withArgs(shared, walletParty.did, hash, walletParty.did);
        const grant = await useToUniversity(shared, {
          holdings: [{ did: walletParty.did, bps: WHOLE_BPS }],
          until: (await time.latest()) + YEAR,
        });
        const consent = await signChange(m, m.university, grant);
        const data = m.rights.interface.encodeFunctionData("changeRights", [grant, [consent], walletParty.did]);
        await expect(wallet.execute(rights, data))
          .to.emit(m.achievements, "RightsChanged")
          .withArgs(shared, walletParty.did, Right.Use, grant.until, await m.rights.rightsChangeHash(grant), ZeroHash);
      });
    });

    context("when the wallet is the first owner", function () {
      it("holds the token", async function () {
        const r = registrationOf([{ party: walletParty, bps: WHOLE_BPS }]);
        const held = await register(m, r);
        expect(await m.achievements.ownerOf(held)).to.equal(walletParty.address);
      });
    });
  });

  describe("re-entrant contract keys", function () {
    let reentrant: ReentrantSigner;
    let party: Party;

    beforeEach(async function () {
      reentrant = await new ReentrantSigner__factory(spare[0]).deploy();
      const address = await reentrant.getAddress();
      const did = await registerDid(m, DidKind.Organisation, [{ account: address }], hashOf("did:reentrant"));
      party = { did, account: spare[0], address };
    });

    context("when asked to check a signature, it tries to approve on chain from inside", function () {
      it("reverts with AchievementInvalidSignature and records no approval", async function () {
        const shared = await register(m, coOwnedBy(m.university, party));
        const c = await useToUniversity(shared);
        const approve = m.rights.interface.encodeFunctionData("approveRightsChange", [c, party.did]);
        await (await reentrant.arm(await m.rights.getAddress(), approve)).wait();
        await expect(applyAsUniversity(c, [{ did: party.did, signer: party.address, signature: "0x" }]))
          .to.be.revertedWithCustomError(m.rights, "AchievementInvalidSignature")
          .withArgs(party.did, party.address);
        expect(await m.rights.hasConsented(await m.rights.rightsChangeHash(c), party.did)).to.equal(false);
      });

      it("is accepted once its call changes nothing (the control)", async function () {
        const shared = await register(m, coOwnedBy(m.university, party));
        const c = await useToUniversity(shared);
        await (
          await reentrant.arm(await m.rights.getAddress(), m.rights.interface.encodeFunctionData("registry"))
        ).wait();
        await expect(applyAsUniversity(c, [{ did: party.did, signer: party.address, signature: "0x" }])).to.emit(
          m.achievements,
          "RightsChanged",
        );
      });
    });

    context("when the token is minted or moved to it", function () {
      it("is never called back, so its re-entry never runs", async function () {
        const r = registrationOf([{ party, bps: WHOLE_BPS }]);
        const again = m.achievements.interface.encodeFunctionData("register", [r]);
        await (await reentrant.arm(await m.achievements.getAddress(), again)).wait();
        const held = await register(m, r);
        expect(await m.achievements.ownerOf(held)).to.equal(party.address);

        const c = await useToUniversity(id, {
          right: Right.Ownership,
          holdings: [{ did: party.did, bps: WHOLE_BPS }],
          holder: party.address,
        });
        await expect(m.rights.connect(m.arbitrator.account).orderRightsChange(c, hashOf("case: 2026-17")))
          .to.emit(m.achievements, "Transfer")
          .withArgs(m.university.address, party.address, id);
      });
    });
  });

  describe("relayed calls", function () {
    let relayer: HardhatEthersSigner;

    beforeEach(async function () {
      relayer = spare[2];
    });

    context("when a co-owner with no funds approves through the forwarder", function () {
      it("emits ConsentGiven naming the signer's DID, not the relayer", async function () {
        const key = unfundedWallet();
        const did = await registerDid(m, DidKind.Person, [{ account: key.address }], hashOf("did:unfunded"));
        const keyParty: Party = { did, account: key, address: key.address };
        const shared = await register(
          m,
          registrationOf([
            { party: m.university, bps: 5000 },
            { party: keyParty, bps: 5000 },
          ]),
        );
        const c = await useToUniversity(shared);
        const hash = await m.rights.rightsChangeHash(c);
        const data = m.rights.interface.encodeFunctionData("approveRightsChange", [c, did]);
        await expect(signAndRelay(m.forwarder, key, relayer, m.rights, data))
          .to.emit(m.rights, "ConsentGiven")
          .withArgs(shared, did, hash, did);
        expect(await ethers.provider.getBalance(key.address)).to.equal(0n);
        await expect(applyAsUniversity(c, [])).to.emit(m.achievements, "RightsChanged");
      });
    });

    context("when a co-owner applies a change through the forwarder", function () {
      it("emits RightsChanged naming the signer's DID", async function () {
        const c = await useToUniversity(id, { holdings: [{ did: m.team.did, bps: WHOLE_BPS }] });
        const consent = await signChange(m, m.university, c);
        const data = m.rights.interface.encodeFunctionData("changeRights", [c, [consent], m.team.did]);
        await expect(signAndRelay(m.forwarder, m.team.account, relayer, m.rights, data))
          .to.emit(m.achievements, "RightsChanged")
          .withArgs(id, m.team.did, Right.Use, 0, await m.rights.rightsChangeHash(c), ZeroHash);
      });
    });

    context("when the registrar registers through the forwarder", function () {
      it("emits AchievementRegistered with the registration as submitted, without the relay suffix", async function () {
        const r = coOwnedBy(m.university, m.team);
        const data = m.achievements.interface.encodeFunctionData("register", [r]);
        await expect(signAndRelay(m.forwarder, m.registrar, relayer, m.achievements, data))
          .to.emit(m.achievements, "AchievementRegistered")
          .withArgs(r.registrationNumber, m.registrarDid, "0x" + data.slice(10));
      });
    });

    context("when the signer does not act for the DID it names", function () {
      it("reverts inside with IdentityNotActingFor naming the signer, not the relayer", async function () {
        const c = await useToUniversity();
        const data = m.rights.interface.encodeFunctionData("changeRights", [c, [], m.university.did]);
        const inner = await innerRevertOf(m.forwarder, m.rights, m.outsider.address, data, m.identity.interface);
        expect(inner?.name).to.equal("IdentityNotActingFor");
        expect(inner?.args).to.deep.equal([m.outsider.address, m.university.did, BigInt(Scope.ACHIEVEMENT)]);
        await expect(
          signAndRelay(m.forwarder, m.outsider.account, m.university.account, m.rights, data),
        ).to.be.revertedWithCustomError(m.forwarder, "FailedCall");
      });
    });
  });
});
