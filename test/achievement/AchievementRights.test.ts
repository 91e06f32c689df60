import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { ethers } from "hardhat";
import { TypedDataEncoder, ZeroAddress, ZeroHash } from "ethers";
import {
  AchievementStatus,
  consentDomain,
  PLEDGE_TYPES,
  Right,
  RIGHTS_CHANGE_TYPES,
  WHOLE_BPS,
} from "../../src/sdk/achievement-types";
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
import { claimIdOf, hashOf, Scope } from "../helpers/identity";
import { admitOrganisation } from "../helpers/evidence";
import { MEMBER_ROLES } from "../../src/sdk/roles";

const DAY = 86_400;
const YEAR = 365 * DAY;
const CASE = hashOf("case: arbitration 2026-仲-0042");
const PLEDGE_CONTRACT = hashOf("pledge contract (知识产权质押合同) no. 2026-118");
const SECURED = 5_000_000n;
const ALL_RIGHTS = [Right.Ownership, Right.Use, Right.Disposal, Right.Income];

/** A holding list as plain pairs, for deep comparisons. */
function pairs(list: readonly { did: bigint; bps: bigint }[]): [bigint, bigint][] {
  return list.map((h) => [h.did, h.bps]);
}

/** The expected pairs of `holdings`. */
function expected(...holdings: [Party, number][]): [bigint, bigint][] {
  return holdings.map(([p, bps]) => [p.did, BigInt(bps)]);
}

describe("AchievementRights", function () {
  let m: AchievementModule;
  /** A patent co-owned by the university (60 %, holds the token) and the team (40 %), invented by the inventor. */
  let id: bigint;
  /** Hardhat accounts no fixture party uses. */
  let spares: HardhatEthersSigner[];
  const spare = () => spares[0];

  beforeEach(async function () {
    m = await achievementFixture();
    spares = (await ethers.getSigners()).slice(13);
    id = await register(
      m,
      registrationOf(
        [
          { party: m.university, bps: 6000 },
          { party: m.team, bps: 4000 },
        ],
        [m.inventor],
      ),
    );
  });

  /** A change of `right` of the achievement to `holdings`, for its current version, valid for a day. */
  async function changeOf(
    right: Right,
    holdings: [Party, number][],
    overrides: Partial<RightsChange> = {},
  ): Promise<RightsChange> {
    const achievement = overrides.achievement ?? id;
    const { version } = await m.achievements.getAchievement(achievement);
    return {
      achievement,
      right,
      holdings: holdings.map(([p, bps]) => ({ did: p.did, bps })),
      until: 0,
      holder: ZeroAddress,
      version,
      deadline: (await time.latest()) + DAY,
      ...overrides,
    };
  }

  /** The permanent transfer of ownership to the bank (the token moves to the bank's account). */
  function toBank(overrides: Partial<RightsChange> = {}): Promise<RightsChange> {
    return changeOf(Right.Ownership, [[m.bank, WHOLE_BPS]], { holder: m.bank.address, ...overrides });
  }

  /** Pledge terms of the achievement to the bank for half a year, for its current version. */
  async function termsOf(overrides: Partial<PledgeTerms> = {}): Promise<PledgeTerms> {
    const { version } = await m.achievements.getAchievement(id);
    const now = await time.latest();
    return {
      achievement: id,
      lender: m.bank.did,
      securedAmount: SECURED,
      until: now + YEAR / 2,
      contractHash: PLEDGE_CONTRACT,
      version,
      deadline: now + DAY,
      ...overrides,
    };
  }

  function changeAs(party: Party, c: RightsChange, consents: Awaited<ReturnType<typeof signChange>>[] = []) {
    return m.rights.connect(party.account).changeRights(c, consents, party.did);
  }

  function approveAs(party: Party, c: RightsChange) {
    return m.rights.connect(party.account).approveRightsChange(c, party.did);
  }

  /** Pledges the achievement to the bank: both co-owners sign, the bank applies. */
  async function pledgeToBank(): Promise<PledgeTerms> {
    const p = await termsOf();
    const consents = [await signPledge(m, m.university, p), await signPledge(m, m.team, p)];
    await (await m.rights.connect(m.bank.account).pledge(p, consents, m.bank.did)).wait();
    return p;
  }

  /** Applies `c` with the university as caller and every other needed party signing. */
  async function applyWithAll(c: RightsChange, parties: Party[]) {
    const consents = await Promise.all(parties.filter((p) => p !== m.university).map((p) => signChange(m, p, c)));
    await (await changeAs(m.university, c, consents)).wait();
  }

  async function holdersOf(right: Right) {
    return pairs(await m.achievements.holdingsOf(id, right));
  }

  describe("changeRights", function () {
    context("when every party signs and someone else applies it", function () {
      it("applies the change, naming the caller's DID", async function () {
        const c = await toBank();
        const consents = [
          await signChange(m, m.university, c),
          await signChange(m, m.team, c),
          await signChange(m, m.bank, c),
        ];
        await expect(changeAs(m.outsider, c, consents))
          .to.emit(m.achievements, "RightsChanged")
          .withArgs(id, m.outsider.did, Right.Ownership, 0, await m.rights.rightsChangeHash(c), ZeroHash);
        expect(await holdersOf(Right.Ownership)).to.deep.equal(expected([m.bank, WHOLE_BPS]));
      });
    });

    context("when every party approves on chain", function () {
      it("emits ConsentGiven for each and applies the change without signatures", async function () {
        const c = await toBank();
        const hash = await m.rights.rightsChangeHash(c);
        for (const p of [m.university, m.team, m.bank]) {
          await expect(approveAs(p, c)).to.emit(m.rights, "ConsentGiven").withArgs(id, p.did, hash, p.did);
          expect(await m.rights.hasConsented(hash, p.did)).to.equal(true);
        }
        expect(await m.rights.hasConsented(hash, m.outsider.did)).to.equal(false);
        await expect(changeAs(m.outsider, c)).to.emit(m.achievements, "RightsChanged");
        expect(await m.achievements.ownerOf(id)).to.equal(m.bank.address);
      });
    });

    context("when some approve on chain, some sign and the caller is a party", function () {
      it("counts all three kinds of consent", async function () {
        const c = await toBank();
        await (await approveAs(m.university, c)).wait();
        await expect(changeAs(m.bank, c, [await signChange(m, m.team, c)]))
          .to.emit(m.achievements, "RightsChanged")
          .withArgs(id, m.bank.did, Right.Ownership, 0, await m.rights.rightsChangeHash(c), ZeroHash);
      });
    });

    context("when the caller acts for a co-owner through a mandate", function () {
      it("counts the co-owner's consent and names the representative as actor", async function () {
        const until = (await time.latest()) + YEAR;
        await (
          await m.identity
            .connect(m.university.account)
            .grantMandate(m.university.did, m.inventor.did, Scope.ACHIEVEMENT, until)
        ).wait();
        const c = await toBank();
        const consents = [await signChange(m, m.team, c), await signChange(m, m.bank, c)];
        await expect(m.rights.connect(m.inventor.account).changeRights(c, consents, m.university.did))
          .to.emit(m.achievements, "RightsChanged")
          .withArgs(id, m.inventor.did, Right.Ownership, 0, await m.rights.rightsChangeHash(c), ZeroHash);
      });
    });

    context("when ownership changes permanently", function () {
      let c: RightsChange;

      beforeEach(async function () {
        c = await toBank();
      });

      async function apply() {
        return changeAs(m.university, c, [await signChange(m, m.team, c), await signChange(m, m.bank, c)]);
      }

      it("moves the token to the new holder", async function () {
        await expect(apply()).to.emit(m.achievements, "Transfer").withArgs(m.university.address, m.bank.address, id);
        expect(await m.achievements.ownerOf(id)).to.equal(m.bank.address);
        expect(await m.achievements.balanceOf(m.university.address)).to.equal(0n);
        expect((await m.achievements.getAchievement(id)).holder).to.equal(m.bank.address);
      });

      it("sets the stage to Transferred and bumps the version", async function () {
        await expect(apply())
          .to.emit(m.achievements, "StatusChanged")
          .withArgs(id, AchievementStatus.Transferred, m.university.did);
        const a = await m.achievements.getAchievement(id);
        expect(a.status).to.equal(BigInt(AchievementStatus.Transferred));
        expect(a.version).to.equal(2n);
      });

      it("emits ShareAssigned and RightsChanged", async function () {
        await expect(apply())
          .to.emit(m.achievements, "ShareAssigned")
          .withArgs(id, m.bank.did, Right.Ownership, WHOLE_BPS, 0)
          .and.to.emit(m.achievements, "RightsChanged")
          .withArgs(id, m.university.did, Right.Ownership, 0, await m.rights.rightsChangeHash(c), ZeroHash);
      });

      it("takes the rights that follow ownership along", async function () {
        await (await apply()).wait();
        for (const right of ALL_RIGHTS) expect(await holdersOf(right)).to.deep.equal(expected([m.bank, WHOLE_BPS]));
        expect(await m.achievements.isParty(id, m.university.did)).to.equal(false);
        expect(await m.achievements.isParty(id, m.inventor.did)).to.equal(true);
      });
    });

    context("when only the use right changes permanently", function () {
      let c: RightsChange;

      beforeEach(async function () {
        c = await changeOf(Right.Use, [[m.team, WHOLE_BPS]]);
      });

      it("separates it from ownership, which stays as it was", async function () {
        const tx = changeAs(m.university, c, [await signChange(m, m.team, c)]);
        await expect(tx).to.emit(m.achievements, "ShareAssigned").withArgs(id, m.team.did, Right.Use, WHOLE_BPS, 0);
        await expect(tx).to.not.emit(m.achievements, "Transfer");
        await expect(tx).to.not.emit(m.achievements, "StatusChanged");
        expect(await holdersOf(Right.Use)).to.deep.equal(expected([m.team, WHOLE_BPS]));
        const owners = expected([m.university, 6000], [m.team, 4000]);
        for (const right of [Right.Ownership, Right.Disposal, Right.Income]) {
          expect(await holdersOf(right)).to.deep.equal(owners);
        }
        const [base, granted, until] = await m.achievements.rightOf(id, Right.Use);
        expect([pairs(base), granted.length, until]).to.deep.equal([expected([m.team, WHOLE_BPS]), 0, 0n]);
        const a = await m.achievements.getAchievement(id);
        expect([a.status, a.holder]).to.deep.equal([BigInt(AchievementStatus.Registered), m.university.address]);
      });

      it("keeps the use right where it is when ownership changes later", async function () {
        await (await changeAs(m.university, c, [await signChange(m, m.team, c)])).wait();
        await applyWithAll(await toBank(), [m.team, m.bank]);
        expect(await holdersOf(Right.Use)).to.deep.equal(expected([m.team, WHOLE_BPS]));
        expect(await holdersOf(Right.Disposal)).to.deep.equal(expected([m.bank, WHOLE_BPS]));
      });
    });

    context("when the use right is granted for a term", function () {
      let c: RightsChange;
      let until: number;

      beforeEach(async function () {
        until = (await time.latest()) + YEAR;
        c = await changeOf(Right.Use, [[m.team, WHOLE_BPS]], { until });
      });

      it("emits ShareAssigned with the term and RightsChanged", async function () {
        await expect(changeAs(m.university, c, [await signChange(m, m.team, c)]))
          .to.emit(m.achievements, "ShareAssigned")
          .withArgs(id, m.team.did, Right.Use, WHOLE_BPS, until)
          .and.to.emit(m.achievements, "RightsChanged")
          .withArgs(id, m.university.did, Right.Use, until, await m.rights.rightsChangeHash(c), ZeroHash);
      });

      it("gives the right to the grantees until the term ends, then back to the base", async function () {
        await (await changeAs(m.university, c, [await signChange(m, m.team, c)])).wait();
        const owners = expected([m.university, 6000], [m.team, 4000]);
        expect(await holdersOf(Right.Use)).to.deep.equal(expected([m.team, WHOLE_BPS]));
        let [base, granted, end] = await m.achievements.rightOf(id, Right.Use);
        expect([pairs(base), pairs(granted), end]).to.deep.equal([
          owners,
          expected([m.team, WHOLE_BPS]),
          BigInt(until),
        ]);
        expect(await holdersOf(Right.Ownership)).to.deep.equal(owners);

        await time.increaseTo(until);
        expect(await holdersOf(Right.Use)).to.deep.equal(owners);
        [base, granted, end] = await m.achievements.rightOf(id, Right.Use);
        expect([pairs(base), pairs(granted), end]).to.deep.equal([owners, [], 0n]);
      });

      it("follows a later change of ownership once the term ended", async function () {
        await (await changeAs(m.university, c, [await signChange(m, m.team, c)])).wait();
        await time.increaseTo(until);
        await applyWithAll(await toBank(), [m.team, m.bank]);
        expect(await holdersOf(Right.Use)).to.deep.equal(expected([m.bank, WHOLE_BPS]));
      });
    });

    context("when ownership is granted for a term", function () {
      it("leaves the token and the stage, and the following rights go to the grantees", async function () {
        const until = (await time.latest()) + YEAR;
        const c = await changeOf(Right.Ownership, [[m.team, WHOLE_BPS]], { until });
        const tx = changeAs(m.university, c, [await signChange(m, m.team, c)]);
        await expect(tx).to.not.emit(m.achievements, "Transfer");
        await expect(tx).to.not.emit(m.achievements, "StatusChanged");
        for (const right of ALL_RIGHTS) expect(await holdersOf(right)).to.deep.equal(expected([m.team, WHOLE_BPS]));
        expect(await m.achievements.ownerOf(id)).to.equal(m.university.address);
        await time.increaseTo(until);
        expect(await holdersOf(Right.Income)).to.deep.equal(expected([m.university, 6000], [m.team, 4000]));
      });
    });

    context("when a party approves a change it has no part in", function () {
      it("reverts with AchievementConsentNotNeeded", async function () {
        const c = await toBank();
        await expect(approveAs(m.outsider, c))
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentNotNeeded")
          .withArgs(await m.rights.rightsChangeHash(c), m.outsider.did);
      });
    });

    context("when a party approves twice", function () {
      it("reverts with AchievementAlreadyConsented", async function () {
        const c = await toBank();
        await (await approveAs(m.team, c)).wait();
        await expect(approveAs(m.team, c))
          .to.be.revertedWithCustomError(m.rights, "AchievementAlreadyConsented")
          .withArgs(await m.rights.rightsChangeHash(c), m.team.did);
      });
    });

    context("when the approver does not act for the DID", function () {
      it("reverts with IdentityNotActingFor", async function () {
        const c = await toBank();
        await expect(m.rights.connect(m.outsider.account).approveRightsChange(c, m.team.did))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.outsider.address, m.team.did, Scope.ACHIEVEMENT);
      });
    });

    context("when the caller does not act for asDid", function () {
      it("reverts with IdentityNotActingFor", async function () {
        const c = await toBank();
        await expect(m.rights.connect(m.outsider.account).changeRights(c, [], m.university.did))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.outsider.address, m.university.did, Scope.ACHIEVEMENT);
      });
    });

    context("when a consent is missing", function () {
      it("reverts with AchievementConsentMissing when one co-owner acts alone", async function () {
        const c = await changeOf(Right.Ownership, [[m.university, WHOLE_BPS]], { holder: m.university.address });
        await expect(changeAs(m.university, c))
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentMissing")
          .withArgs(id, m.team.did);
      });

      it("reverts with AchievementConsentMissing when one co-owner disposes of the disposal right alone", async function () {
        const c = await changeOf(Right.Disposal, [[m.university, WHOLE_BPS]]);
        await expect(changeAs(m.university, c))
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentMissing")
          .withArgs(id, m.team.did);
      });

      it("reverts with AchievementConsentMissing when the new holder did not consent", async function () {
        const c = await toBank();
        await expect(changeAs(m.university, c, [await signChange(m, m.team, c)]))
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentMissing")
          .withArgs(id, m.bank.did);
      });

      it("reverts with AchievementConsentMissing when a consent names another DID", async function () {
        const c = await toBank();
        const consents = [await signChange(m, m.bank, c), await signChange(m, m.outsider, c)];
        await expect(changeAs(m.university, c, consents))
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentMissing")
          .withArgs(id, m.team.did);
      });
    });

    context("when a signature is invalid", function () {
      it("reverts with AchievementInvalidSignature when another key signed", async function () {
        const c = await toBank();
        const forged = { ...(await signChange(m, m.outsider, c)), did: m.team.did, signer: m.team.address };
        await expect(changeAs(m.university, c, [forged, await signChange(m, m.bank, c)]))
          .to.be.revertedWithCustomError(m.rights, "AchievementInvalidSignature")
          .withArgs(m.team.did, m.team.address);
      });

      it("reverts with AchievementInvalidSignature when the signer does not act for the DID", async function () {
        const c = await toBank();
        const stranger = { ...(await signChange(m, m.outsider, c)), did: m.team.did };
        await expect(changeAs(m.university, c, [stranger, await signChange(m, m.bank, c)]))
          .to.be.revertedWithCustomError(m.rights, "AchievementInvalidSignature")
          .withArgs(m.team.did, m.outsider.address);
      });

      it("reverts with AchievementInvalidSignature when the holdings were changed after signing", async function () {
        const signed = await changeOf(Right.Use, [[m.team, WHOLE_BPS]]);
        const consent = await signChange(m, m.team, signed);
        const tampered = {
          ...signed,
          holdings: [
            { did: m.team.did, bps: 9000 },
            { did: m.university.did, bps: 1000 },
          ],
        };
        await expect(changeAs(m.university, tampered, [consent]))
          .to.be.revertedWithCustomError(m.rights, "AchievementInvalidSignature")
          .withArgs(m.team.did, m.team.address);
      });
    });

    context("when the consent's deadline has passed", function () {
      it("reverts changeRights and approveRightsChange with AchievementConsentExpired", async function () {
        const deadline = (await time.latest()) - 1;
        const c = await toBank({ deadline });
        await expect(approveAs(m.team, c))
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentExpired")
          .withArgs(deadline);
        await expect(changeAs(m.university, c, [await signChange(m, m.team, c), await signChange(m, m.bank, c)]))
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentExpired")
          .withArgs(deadline);
      });
    });

    context("when the consent was given before another change", function () {
      it("reverts with AchievementStaleVersion", async function () {
        const c = await toBank();
        const consents = [await signChange(m, m.team, c), await signChange(m, m.bank, c)];
        await (await m.achievements.updateMetadata(id, hashOf("form v2"), "ipfs://form-v2")).wait();
        await expect(changeAs(m.university, c, consents))
          .to.be.revertedWithCustomError(m.achievements, "AchievementStaleVersion")
          .withArgs(id, 1, 2);
        await expect(approveAs(m.team, c))
          .to.be.revertedWithCustomError(m.achievements, "AchievementStaleVersion")
          .withArgs(id, 1, 2);
      });
    });

    context("when the achievement is locked", function () {
      async function applyNow() {
        const c = await changeOf(Right.Use, [[m.team, WHOLE_BPS]]);
        return changeAs(m.university, c, [await signChange(m, m.team, c)]);
      }

      it("reverts with AchievementLocked while pledged", async function () {
        await pledgeToBank();
        await expect(applyNow())
          .to.be.revertedWithCustomError(m.achievements, "AchievementLocked")
          .withArgs(id, true, false, false);
      });

      it("reverts with AchievementLocked while disputed", async function () {
        await (await m.rights.connect(m.inventor.account).openDispute(id, m.inventor.did, CASE)).wait();
        await expect(applyNow())
          .to.be.revertedWithCustomError(m.achievements, "AchievementLocked")
          .withArgs(id, false, true, false);
      });

      it("reverts with AchievementLocked while frozen", async function () {
        await (await m.rights.connect(m.arbitrator.account).freeze(id, CASE)).wait();
        await expect(applyNow())
          .to.be.revertedWithCustomError(m.achievements, "AchievementLocked")
          .withArgs(id, false, false, true);
      });
    });

    context("when the achievement is listed", function () {
      it("reverts with AchievementUnexpectedStatus", async function () {
        await (await m.achievements.connect(m.marketAccount).markListed(id, m.university.did)).wait();
        const c = await changeOf(Right.Use, [[m.team, WHOLE_BPS]]);
        await expect(changeAs(m.university, c, [await signChange(m, m.team, c)]))
          .to.be.revertedWithCustomError(m.achievements, "AchievementUnexpectedStatus")
          .withArgs(id, AchievementStatus.Listed);
      });
    });

    context("when a grant ends in the past", function () {
      it("reverts with AchievementInvalidTerm", async function () {
        const until = (await time.latest()) - 1;
        const c = await changeOf(Right.Use, [[m.team, WHOLE_BPS]], { until });
        await expect(changeAs(m.university, c, [await signChange(m, m.team, c)]))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInvalidTerm")
          .withArgs(until);
      });
    });

    context("when the holder is wrong", function () {
      it("reverts with AchievementInvalidHolder when the account does not act for the new first owner", async function () {
        const c = await toBank({ holder: m.team.address });
        await expect(changeAs(m.university, c, [await signChange(m, m.team, c), await signChange(m, m.bank, c)]))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInvalidHolder")
          .withArgs(m.team.address, m.bank.did);
      });

      it("reverts with AchievementInvalidHolder when a permanent ownership change names no holder", async function () {
        const c = await toBank({ holder: ZeroAddress });
        await expect(changeAs(m.university, c, [await signChange(m, m.team, c), await signChange(m, m.bank, c)]))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInvalidHolder")
          .withArgs(ZeroAddress, m.bank.did);
      });

      it("reverts with AchievementInvalidHolder when a grant names a holder", async function () {
        const until = (await time.latest()) + YEAR;
        const c = await changeOf(Right.Ownership, [[m.team, WHOLE_BPS]], { until, holder: m.team.address });
        await expect(changeAs(m.university, c, [await signChange(m, m.team, c)]))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInvalidHolder")
          .withArgs(m.team.address, 0);
      });

      it("reverts with AchievementInvalidHolder when a change of another right names a holder", async function () {
        const c = await changeOf(Right.Use, [[m.team, WHOLE_BPS]], { holder: m.team.address });
        await expect(changeAs(m.university, c, [await signChange(m, m.team, c)]))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInvalidHolder")
          .withArgs(m.team.address, 0);
      });
    });

    context("when the new shares are not whole", function () {
      it("reverts with AchievementSharesNotWhole", async function () {
        const c = await changeOf(Right.Income, [
          [m.university, 5000],
          [m.team, 4999],
        ]);
        await expect(changeAs(m.university, c, [await signChange(m, m.team, c)]))
          .to.be.revertedWithCustomError(m.achievements, "AchievementSharesNotWhole")
          .withArgs(9999);
      });

      it("reverts with AchievementInvalidHolderCount without holders", async function () {
        const c = await changeOf(Right.Income, []);
        await expect(changeAs(m.university, c, [await signChange(m, m.team, c)]))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInvalidHolderCount")
          .withArgs(0, 16);
      });
    });

    context("when the achievement is unknown", function () {
      it("reverts with AchievementUnknown", async function () {
        const c = await changeOf(Right.Use, [[m.team, WHOLE_BPS]], { version: 1 });
        const unknown = { ...c, achievement: 31_2026_9_99999n };
        await expect(changeAs(m.university, unknown))
          .to.be.revertedWithCustomError(m.achievements, "AchievementUnknown")
          .withArgs(unknown.achievement);
      });
    });

    context("when the rights contract is paused", function () {
      it("reverts changeRights and approveRightsChange with EnforcedPause", async function () {
        const c = await toBank();
        await (await m.rights.connect(m.guardian).pause()).wait();
        await expect(approveAs(m.team, c)).to.be.revertedWithCustomError(m.rights, "EnforcedPause");
        await expect(changeAs(m.university, c)).to.be.revertedWithCustomError(m.rights, "EnforcedPause");
      });
    });

    context("when the registry is paused", function () {
      it("reverts with the registry's EnforcedPause", async function () {
        const c = await toBank();
        const consents = [await signChange(m, m.team, c), await signChange(m, m.bank, c)];
        await (await m.achievements.connect(m.guardian).pause()).wait();
        await expect(changeAs(m.university, c, consents)).to.be.revertedWithCustomError(
          m.achievements,
          "EnforcedPause",
        );
      });
    });
  });

  describe("consentsNeeded", function () {
    context("when ownership changes permanently", function () {
      it("lists the current owners, then the new ones", async function () {
        expect(await m.rights.consentsNeeded(await toBank())).to.deep.equal([m.university.did, m.team.did, m.bank.did]);
      });
    });

    context("when a new holder already holds the right", function () {
      it("lists it once", async function () {
        const c = await changeOf(Right.Use, [[m.team, WHOLE_BPS]]);
        expect(await m.rights.consentsNeeded(c)).to.deep.equal([m.university.did, m.team.did]);
      });
    });

    context("when a grant of the right is running", function () {
      it("lists the grantees, the holders it returns to, and the new holders", async function () {
        const until = (await time.latest()) + YEAR;
        await applyWithAll(await changeOf(Right.Use, [[m.bank, WHOLE_BPS]], { until }), [m.team, m.bank]);
        const c = await changeOf(Right.Use, [[m.outsider, WHOLE_BPS]]);
        expect(await m.rights.consentsNeeded(c)).to.deep.equal([
          m.bank.did,
          m.university.did,
          m.team.did,
          m.outsider.did,
        ]);
        await time.increaseTo(until);
        expect(await m.rights.consentsNeeded(c)).to.deep.equal([m.university.did, m.team.did, m.outsider.did]);
      });
    });

    context("when ownership is granted for a term and a following right changes", function () {
      it("lists the grantees and the permanent owners, so a grantee cannot dispose alone", async function () {
        const until = (await time.latest()) + YEAR;
        await applyWithAll(await changeOf(Right.Ownership, [[m.bank, WHOLE_BPS]], { until }), [m.team, m.bank]);
        const c = await changeOf(Right.Use, [[m.outsider, WHOLE_BPS]]);
        expect(await m.rights.consentsNeeded(c)).to.deep.equal([
          m.bank.did,
          m.university.did,
          m.team.did,
          m.outsider.did,
        ]);
        await expect(changeAs(m.bank, c, [await signChange(m, m.outsider, c)]))
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentMissing")
          .withArgs(id, m.university.did);
      });
    });

    context("when the right's grant ends before a grant of ownership", function () {
      it("lists the ownership grantee too: the right passes to it before returning to the owners", async function () {
        const now = await time.latest();
        await applyWithAll(await changeOf(Right.Use, [[m.bank, WHOLE_BPS]], { until: now + DAY }), [m.team, m.bank]);
        const ownership = await changeOf(Right.Ownership, [[m.outsider, WHOLE_BPS]], { until: now + YEAR });
        await applyWithAll(ownership, [m.team, m.outsider]);
        const c = await changeOf(Right.Use, [[m.evaluator, WHOLE_BPS]]);
        expect(await m.rights.consentsNeeded(c)).to.deep.equal([
          m.bank.did,
          m.outsider.did,
          m.university.did,
          m.team.did,
          m.evaluator.did,
        ]);
        await expect(
          changeAs(m.bank, c, await Promise.all([m.university, m.team, m.evaluator].map((p) => signChange(m, p, c)))),
        )
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentMissing")
          .withArgs(id, m.outsider.did);
      });
    });

    context("when a right was separated from ownership", function () {
      it("lists its own holders, not the owners", async function () {
        await applyWithAll(await changeOf(Right.Disposal, [[m.team, WHOLE_BPS]]), [m.team]);
        const c = await changeOf(Right.Disposal, [[m.bank, WHOLE_BPS]]);
        expect(await m.rights.consentsNeeded(c)).to.deep.equal([m.team.did, m.bank.did]);
      });
    });
  });

  describe("pledge", function () {
    context("when every disposal-right holder and the lender consent", function () {
      it("emits Pledged, records the pledge and locks the achievement", async function () {
        const p = await termsOf();
        expect(await m.rights.pledgeParties(p)).to.deep.equal([m.university.did, m.team.did, m.bank.did]);
        const consents = [await signPledge(m, m.university, p), await signPledge(m, m.team, p)];
        const tx = await m.rights.connect(m.bank.account).pledge(p, consents, m.bank.did);
        await expect(tx)
          .to.emit(m.rights, "Pledged")
          .withArgs(id, m.bank.did, m.bank.did, SECURED, p.until, PLEDGE_CONTRACT);
        const block = await ethers.provider.getBlock((await tx.wait())!.blockNumber);
        const pledge = await m.rights.pledgeOf(id);
        expect([pledge.lender, pledge.since, pledge.until, pledge.securedAmount, pledge.contractHash]).to.deep.equal([
          m.bank.did,
          BigInt(block!.timestamp),
          BigInt(p.until),
          SECURED,
          PLEDGE_CONTRACT,
        ]);
        const a = await m.achievements.getAchievement(id);
        expect([a.pledged, a.disputed, a.frozen, a.version]).to.deep.equal([true, false, false, 2n]);
      });
    });

    context("when the parties approve on chain", function () {
      it("emits ConsentGiven and pledges without signatures", async function () {
        const p = await termsOf();
        const hash = await m.rights.pledgeHash(p);
        for (const party of [m.university, m.team]) {
          await expect(m.rights.connect(party.account).approvePledge(p, party.did))
            .to.emit(m.rights, "ConsentGiven")
            .withArgs(id, party.did, hash, party.did);
        }
        expect(await m.rights.hasConsented(hash, m.team.did)).to.equal(true);
        await expect(m.rights.connect(m.bank.account).pledge(p, [], m.bank.did)).to.emit(m.rights, "Pledged");
      });
    });

    context("when the disposal right was separated to one holder", function () {
      it("needs only that holder and the lender", async function () {
        await applyWithAll(await changeOf(Right.Disposal, [[m.team, WHOLE_BPS]]), [m.team]);
        const p = await termsOf();
        expect(await m.rights.pledgeParties(p)).to.deep.equal([m.team.did, m.bank.did]);
        await expect(m.rights.connect(m.team.account).pledge(p, [await signPledge(m, m.bank, p)], m.team.did))
          .to.emit(m.rights, "Pledged")
          .withArgs(id, m.bank.did, m.team.did, SECURED, p.until, PLEDGE_CONTRACT);
      });
    });

    context("when ownership is granted for a term", function () {
      it("needs the permanent owners too, since the pledge may outlast the grant", async function () {
        const until = (await time.latest()) + YEAR;
        await applyWithAll(await changeOf(Right.Ownership, [[m.outsider, WHOLE_BPS]], { until }), [m.team, m.outsider]);
        const p = await termsOf({ until: until + 10 * YEAR });
        expect(await m.rights.pledgeParties(p)).to.deep.equal([
          m.outsider.did,
          m.university.did,
          m.team.did,
          m.bank.did,
        ]);
        await expect(m.rights.connect(m.outsider.account).pledge(p, [await signPledge(m, m.bank, p)], m.outsider.did))
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentMissing")
          .withArgs(id, m.university.did);
      });
    });

    context("when the lender did not consent", function () {
      it("reverts with AchievementConsentMissing", async function () {
        const p = await termsOf();
        await expect(
          m.rights.connect(m.university.account).pledge(p, [await signPledge(m, m.team, p)], m.university.did),
        )
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentMissing")
          .withArgs(id, m.bank.did);
      });
    });

    context("when a co-owner did not consent", function () {
      it("reverts with AchievementConsentMissing", async function () {
        const p = await termsOf();
        await expect(m.rights.connect(m.bank.account).pledge(p, [await signPledge(m, m.university, p)], m.bank.did))
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentMissing")
          .withArgs(id, m.team.did);
      });
    });

    context("when a pledge signature is forged", function () {
      it("reverts with AchievementInvalidSignature", async function () {
        const p = await termsOf();
        const forged = { ...(await signPledge(m, m.outsider, p)), did: m.team.did, signer: m.team.address };
        await expect(
          m.rights.connect(m.bank.account).pledge(p, [await signPledge(m, m.university, p), forged], m.bank.did),
        )
          .to.be.revertedWithCustomError(m.rights, "AchievementInvalidSignature")
          .withArgs(m.team.did, m.team.address);
      });
    });

    context("when the pledge ends in the past", function () {
      it("reverts with AchievementInvalidTerm", async function () {
        const until = (await time.latest()) - 1;
        const p = await termsOf({ until });
        await expect(m.rights.connect(m.bank.account).pledge(p, [], m.bank.did))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInvalidTerm")
          .withArgs(until);
      });
    });

    context("when the lender is not active", function () {
      it("reverts with AchievementInactiveParty for a suspended lender", async function () {
        await (await m.identity.suspend(m.bank.did, hashOf("reason: licence withdrawn"))).wait();
        const p = await termsOf();
        await expect(m.rights.connect(m.university.account).pledge(p, [], m.university.did))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInactiveParty")
          .withArgs(m.bank.did);
      });

      it("reverts with AchievementInactiveParty for an unknown lender", async function () {
        const unknown = (await m.identity.didCount()) + 1n;
        const p = await termsOf({ lender: unknown });
        await expect(m.rights.connect(m.university.account).pledge(p, [], m.university.did))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInactiveParty")
          .withArgs(unknown);
      });
    });

    context("when the achievement is already pledged or disputed", function () {
      it("reverts with AchievementLocked", async function () {
        await pledgeToBank();
        let p = await termsOf();
        await expect(
          m.rights
            .connect(m.bank.account)
            .pledge(p, [await signPledge(m, m.university, p), await signPledge(m, m.team, p)], m.bank.did),
        )
          .to.be.revertedWithCustomError(m.achievements, "AchievementLocked")
          .withArgs(id, true, false, false);
        await (await m.rights.connect(m.bank.account).releasePledge(id, m.bank.did)).wait();
        await (await m.rights.connect(m.team.account).openDispute(id, m.team.did, CASE)).wait();
        p = await termsOf();
        await expect(
          m.rights
            .connect(m.bank.account)
            .pledge(p, [await signPledge(m, m.university, p), await signPledge(m, m.team, p)], m.bank.did),
        )
          .to.be.revertedWithCustomError(m.achievements, "AchievementLocked")
          .withArgs(id, false, true, false);
      });
    });

    context("when the achievement is listed", function () {
      it("reverts with AchievementUnexpectedStatus", async function () {
        await (await m.achievements.connect(m.marketAccount).markListed(id, m.university.did)).wait();
        const p = await termsOf();
        const consents = [await signPledge(m, m.university, p), await signPledge(m, m.team, p)];
        await expect(m.rights.connect(m.bank.account).pledge(p, consents, m.bank.did))
          .to.be.revertedWithCustomError(m.achievements, "AchievementUnexpectedStatus")
          .withArgs(id, AchievementStatus.Listed);
      });
    });

    context("when the terms are stale or expired", function () {
      it("reverts with AchievementStaleVersion after another change", async function () {
        const p = await termsOf();
        await (await m.achievements.updateMetadata(id, hashOf("form v2"), "")).wait();
        await expect(m.rights.connect(m.bank.account).pledge(p, [], m.bank.did))
          .to.be.revertedWithCustomError(m.achievements, "AchievementStaleVersion")
          .withArgs(id, 1, 2);
      });

      it("reverts pledge and approvePledge with AchievementConsentExpired after the deadline", async function () {
        const deadline = (await time.latest()) - 1;
        const p = await termsOf({ deadline });
        await expect(m.rights.connect(m.team.account).approvePledge(p, m.team.did))
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentExpired")
          .withArgs(deadline);
        await expect(m.rights.connect(m.bank.account).pledge(p, [], m.bank.did))
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentExpired")
          .withArgs(deadline);
      });
    });

    context("when an outsider approves the pledge", function () {
      it("reverts with AchievementConsentNotNeeded", async function () {
        const p = await termsOf();
        await expect(m.rights.connect(m.outsider.account).approvePledge(p, m.outsider.did))
          .to.be.revertedWithCustomError(m.rights, "AchievementConsentNotNeeded")
          .withArgs(await m.rights.pledgeHash(p), m.outsider.did);
      });
    });
  });

  describe("releasePledge", function () {
    context("when the lender releases it", function () {
      it("emits PledgeReleased, clears the pledge and unlocks the achievement", async function () {
        await pledgeToBank();
        await expect(m.rights.connect(m.bank.account).releasePledge(id, m.bank.did))
          .to.emit(m.rights, "PledgeReleased")
          .withArgs(id, m.bank.did, ZeroHash);
        expect((await m.rights.pledgeOf(id)).lender).to.equal(0n);
        const a = await m.achievements.getAchievement(id);
        expect([a.pledged, a.version]).to.deep.equal([false, 3n]);
        await applyWithAll(await changeOf(Right.Use, [[m.team, WHOLE_BPS]]), [m.team]);
        expect(await holdersOf(Right.Use)).to.deep.equal(expected([m.team, WHOLE_BPS]));
      });
    });

    context("when anyone but the lender releases it", function () {
      it("reverts with AchievementNotLender, even for the owners", async function () {
        await pledgeToBank();
        for (const p of [m.university, m.team]) {
          await expect(m.rights.connect(p.account).releasePledge(id, p.did))
            .to.be.revertedWithCustomError(m.rights, "AchievementNotLender")
            .withArgs(id, p.did);
        }
      });
    });

    context("when the caller does not act for the lender", function () {
      it("reverts with IdentityNotActingFor", async function () {
        await pledgeToBank();
        await expect(m.rights.connect(m.university.account).releasePledge(id, m.bank.did))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.university.address, m.bank.did, Scope.ACHIEVEMENT);
      });
    });

    context("when the achievement is not pledged", function () {
      it("reverts with AchievementNotPledged", async function () {
        await expect(m.rights.connect(m.bank.account).releasePledge(id, m.bank.did))
          .to.be.revertedWithCustomError(m.achievements, "AchievementNotPledged")
          .withArgs(id);
      });
    });
  });

  describe("releasePledgeByOrder", function () {
    context("when an arbitrator orders the release", function () {
      it("emits PledgeReleased naming the arbitrator and the case", async function () {
        await pledgeToBank();
        await expect(m.rights.connect(m.arbitrator.account).releasePledgeByOrder(id, CASE))
          .to.emit(m.rights, "PledgeReleased")
          .withArgs(id, m.arbitrator.did, CASE);
        expect((await m.achievements.getAchievement(id)).pledged).to.equal(false);
        expect((await m.rights.pledgeOf(id)).lender).to.equal(0n);
      });
    });

    context("when the caller is not an arbitrator", function () {
      it("reverts with AccessManagedUnauthorized, even for the lender", async function () {
        await pledgeToBank();
        await expect(m.rights.connect(m.bank.account).releasePledgeByOrder(id, CASE))
          .to.be.revertedWithCustomError(m.rights, "AccessManagedUnauthorized")
          .withArgs(m.bank.address);
      });
    });

    context("when the achievement is not pledged", function () {
      it("reverts with AchievementNotPledged", async function () {
        await expect(m.rights.connect(m.arbitrator.account).releasePledgeByOrder(id, CASE))
          .to.be.revertedWithCustomError(m.achievements, "AchievementNotPledged")
          .withArgs(id);
      });
    });

    context("when the order names no case", function () {
      it("reverts with AchievementNoCase", async function () {
        await pledgeToBank();
        await expect(
          m.rights.connect(m.arbitrator.account).releasePledgeByOrder(id, ZeroHash),
        ).to.be.revertedWithCustomError(m.rights, "AchievementNoCase");
      });
    });
  });

  describe("openDispute", function () {
    context("when a party opens a dispute", function () {
      it("emits DisputeOpened and locks the achievement", async function () {
        await expect(m.rights.connect(m.team.account).openDispute(id, m.team.did, CASE))
          .to.emit(m.rights, "DisputeOpened")
          .withArgs(id, m.team.did, CASE);
        const a = await m.achievements.getAchievement(id);
        expect([a.pledged, a.disputed, a.frozen, a.version]).to.deep.equal([false, true, false, 2n]);
      });

      it("accepts an inventor as a party", async function () {
        await expect(m.rights.connect(m.inventor.account).openDispute(id, m.inventor.did, CASE))
          .to.emit(m.rights, "DisputeOpened")
          .withArgs(id, m.inventor.did, CASE);
      });
    });

    context("when a non-party opens a dispute", function () {
      it("reverts with AchievementNotParty", async function () {
        await expect(m.rights.connect(m.outsider.account).openDispute(id, m.outsider.did, CASE))
          .to.be.revertedWithCustomError(m.achievements, "AchievementNotParty")
          .withArgs(id, m.outsider.did);
      });
    });

    context("when the caller does not act for the party", function () {
      it("reverts with IdentityNotActingFor", async function () {
        await expect(m.rights.connect(m.outsider.account).openDispute(id, m.team.did, CASE))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.outsider.address, m.team.did, Scope.ACHIEVEMENT);
      });
    });

    context("when a dispute is already open", function () {
      it("reverts with AchievementLockUnchanged", async function () {
        await (await m.rights.connect(m.team.account).openDispute(id, m.team.did, CASE)).wait();
        await expect(m.rights.connect(m.university.account).openDispute(id, m.university.did, CASE))
          .to.be.revertedWithCustomError(m.achievements, "AchievementLockUnchanged")
          .withArgs(id);
      });
    });

    context("when the achievement is unknown", function () {
      it("reverts with AchievementUnknown", async function () {
        const unknown = 31_2026_9_99999n;
        await expect(m.rights.connect(m.team.account).openDispute(unknown, m.team.did, CASE))
          .to.be.revertedWithCustomError(m.achievements, "AchievementUnknown")
          .withArgs(unknown);
      });
    });
  });

  describe("closeDispute", function () {
    beforeEach(async function () {
      await (await m.rights.connect(m.team.account).openDispute(id, m.team.did, CASE)).wait();
    });

    context("when an arbitrator closes it", function () {
      it("emits DisputeClosed and unlocks the achievement", async function () {
        await expect(m.rights.connect(m.arbitrator.account).closeDispute(id, CASE))
          .to.emit(m.rights, "DisputeClosed")
          .withArgs(id, m.arbitrator.did, CASE);
        expect((await m.achievements.getAchievement(id)).disputed).to.equal(false);
      });
    });

    context("when no dispute is open", function () {
      it("reverts with AchievementLockUnchanged", async function () {
        await (await m.rights.connect(m.arbitrator.account).closeDispute(id, CASE)).wait();
        await expect(m.rights.connect(m.arbitrator.account).closeDispute(id, CASE))
          .to.be.revertedWithCustomError(m.achievements, "AchievementLockUnchanged")
          .withArgs(id);
      });
    });

    context("when the caller is not an arbitrator", function () {
      it("reverts with AccessManagedUnauthorized, even for the party that opened it", async function () {
        for (const caller of [m.team.account, m.registrar, m.councilSigner]) {
          await expect(m.rights.connect(caller).closeDispute(id, CASE))
            .to.be.revertedWithCustomError(m.rights, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
      });
    });

    context("when the order names no case", function () {
      it("reverts with AchievementNoCase", async function () {
        await expect(m.rights.connect(m.arbitrator.account).closeDispute(id, ZeroHash)).to.be.revertedWithCustomError(
          m.rights,
          "AchievementNoCase",
        );
      });
    });
  });

  describe("freeze and unfreeze", function () {
    context("when an arbitrator freezes and unfreezes", function () {
      it("emits Frozen and Unfrozen and sets and lifts the lock", async function () {
        await expect(m.rights.connect(m.arbitrator.account).freeze(id, CASE))
          .to.emit(m.rights, "Frozen")
          .withArgs(id, m.arbitrator.did, CASE);
        expect((await m.achievements.getAchievement(id)).frozen).to.equal(true);
        await expect(m.rights.connect(m.arbitrator.account).unfreeze(id, CASE))
          .to.emit(m.rights, "Unfrozen")
          .withArgs(id, m.arbitrator.did, CASE);
        const a = await m.achievements.getAchievement(id);
        expect([a.frozen, a.version]).to.deep.equal([false, 3n]);
      });
    });

    context("when the lock does not change", function () {
      it("reverts with AchievementLockUnchanged", async function () {
        await expect(m.rights.connect(m.arbitrator.account).unfreeze(id, CASE))
          .to.be.revertedWithCustomError(m.achievements, "AchievementLockUnchanged")
          .withArgs(id);
        await (await m.rights.connect(m.arbitrator.account).freeze(id, CASE)).wait();
        await expect(m.rights.connect(m.arbitrator.account).freeze(id, CASE))
          .to.be.revertedWithCustomError(m.achievements, "AchievementLockUnchanged")
          .withArgs(id);
      });
    });

    context("when the caller is not an arbitrator", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        for (const caller of [m.university.account, m.bank.account, m.guardian]) {
          const rights = m.rights.connect(caller);
          for (const call of [() => rights.freeze(id, CASE), () => rights.unfreeze(id, CASE)]) {
            await expect(call())
              .to.be.revertedWithCustomError(m.rights, "AccessManagedUnauthorized")
              .withArgs(await caller.getAddress());
          }
        }
      });
    });

    context("when the order names no case", function () {
      it("reverts with AchievementNoCase", async function () {
        await expect(m.rights.connect(m.arbitrator.account).freeze(id, ZeroHash)).to.be.revertedWithCustomError(
          m.rights,
          "AchievementNoCase",
        );
        await expect(m.rights.connect(m.arbitrator.account).unfreeze(id, ZeroHash)).to.be.revertedWithCustomError(
          m.rights,
          "AchievementNoCase",
        );
      });
    });

    context("when the arbitrator's DID is suspended", function () {
      it("reverts with AchievementInactiveParty", async function () {
        await (await m.identity.suspend(m.arbitrator.did, hashOf("reason: under review"))).wait();
        await expect(m.rights.connect(m.arbitrator.account).freeze(id, CASE))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInactiveParty")
          .withArgs(m.arbitrator.did);
      });
    });
  });

  describe("orderRightsChange", function () {
    context("when an arbitrator orders a transfer of a frozen, pledged achievement", function () {
      it("applies it without consents, naming the arbitrator and the case", async function () {
        await pledgeToBank();
        await (await m.rights.connect(m.arbitrator.account).freeze(id, CASE)).wait();
        const c = await toBank({ deadline: (await time.latest()) - 1 });
        await expect(m.rights.connect(m.arbitrator.account).orderRightsChange(c, CASE))
          .to.emit(m.achievements, "RightsChanged")
          .withArgs(id, m.arbitrator.did, Right.Ownership, 0, ZeroHash, CASE)
          .and.to.emit(m.achievements, "Transfer")
          .withArgs(m.university.address, m.bank.address, id)
          .and.to.emit(m.achievements, "StatusChanged")
          .withArgs(id, AchievementStatus.Transferred, m.arbitrator.did);
        expect(await holdersOf(Right.Disposal)).to.deep.equal(expected([m.bank, WHOLE_BPS]));
        const a = await m.achievements.getAchievement(id);
        expect([a.pledged, a.frozen]).to.deep.equal([true, true]);
      });
    });

    context("when the achievement is listed", function () {
      it("applies it anyway", async function () {
        await (await m.achievements.connect(m.marketAccount).markListed(id, m.university.did)).wait();
        const c = await changeOf(Right.Income, [[m.inventor, WHOLE_BPS]]);
        await expect(m.rights.connect(m.arbitrator.account).orderRightsChange(c, CASE)).to.emit(
          m.achievements,
          "RightsChanged",
        );
        expect(await holdersOf(Right.Income)).to.deep.equal(expected([m.inventor, WHOLE_BPS]));
      });
    });

    context("when the order names an old version", function () {
      it("reverts with AchievementStaleVersion", async function () {
        const c = await toBank();
        await (await m.rights.connect(m.arbitrator.account).freeze(id, CASE)).wait();
        await expect(m.rights.connect(m.arbitrator.account).orderRightsChange(c, CASE))
          .to.be.revertedWithCustomError(m.achievements, "AchievementStaleVersion")
          .withArgs(id, 1, 2);
      });
    });

    context("when the ordered holdings are invalid", function () {
      it("reverts with AchievementSharesNotWhole", async function () {
        const c = await changeOf(Right.Income, [[m.inventor, 1]]);
        await expect(m.rights.connect(m.arbitrator.account).orderRightsChange(c, CASE))
          .to.be.revertedWithCustomError(m.achievements, "AchievementSharesNotWhole")
          .withArgs(1);
      });
    });

    context("when the order names no case", function () {
      it("reverts with AchievementNoCase", async function () {
        await expect(
          m.rights.connect(m.arbitrator.account).orderRightsChange(await toBank(), ZeroHash),
        ).to.be.revertedWithCustomError(m.rights, "AchievementNoCase");
      });
    });

    context("when the caller is not an arbitrator", function () {
      it("reverts with AccessManagedUnauthorized, even with every consent", async function () {
        const c = await toBank();
        for (const p of [m.university, m.bank]) {
          await expect(m.rights.connect(p.account).orderRightsChange(c, CASE))
            .to.be.revertedWithCustomError(m.rights, "AccessManagedUnauthorized")
            .withArgs(p.address);
        }
      });
    });
  });

  describe("action hashes", function () {
    it("rightsChangeHash and pledgeHash are the EIP-712 digests the parties sign", async function () {
      const { chainId } = await ethers.provider.getNetwork();
      const domain = consentDomain(chainId, await m.rights.getAddress());
      const c = await changeOf(
        Right.Use,
        [
          [m.team, 7000],
          [m.inventor, 3000],
        ],
        { until: (await time.latest()) + YEAR },
      );
      expect(await m.rights.rightsChangeHash(c)).to.equal(TypedDataEncoder.hash(domain, RIGHTS_CHANGE_TYPES, c));
      const p = await termsOf();
      expect(await m.rights.pledgeHash(p)).to.equal(TypedDataEncoder.hash(domain, PLEDGE_TYPES, p));
    });

    it("reports the EIP-712 domain and the registry", async function () {
      const d = await m.rights.eip712Domain();
      expect([d.name, d.version, d.verifyingContract]).to.deep.equal([
        "govledger-achievement",
        "1",
        await m.rights.getAddress(),
      ]);
      expect(await m.rights.registry()).to.equal(await m.achievements.getAddress());
    });
  });

  describe("enrolRegistrar", function () {
    context("when the account holds REGISTRAR and is a key of an active DID", function () {
      it("emits RegistrarEnrolled and the registry names its DID, whoever calls", async function () {
        const org = await admitOrganisation(m, [spare()], [MEMBER_ROLES.REGISTRAR], { name: "County Science Bureau" });
        await expect(m.rights.connect(m.outsider.account).enrolRegistrar(org.address))
          .to.emit(m.rights, "RegistrarEnrolled")
          .withArgs(org.address, org.did);
        expect(await m.achievements.registrarOf(org.address)).to.equal(org.did);
      });
    });

    context("when the account is already enrolled for the same DID", function () {
      it("reverts with AchievementStillQualified", async function () {
        await expect(m.rights.enrolRegistrar(m.registrar.address))
          .to.be.revertedWithCustomError(m.rights, "AchievementStillQualified")
          .withArgs(m.registrar.address, m.registrarDid);
      });
    });

    context("when the account lacks the REGISTRAR role", function () {
      it("reverts with AchievementNotQualified", async function () {
        await expect(m.rights.enrolRegistrar(m.university.address))
          .to.be.revertedWithCustomError(m.rights, "AchievementNotQualified")
          .withArgs(m.university.address, 0);
      });
    });

    context("when the registrar has no DID", function () {
      it("reverts with AchievementNotQualified", async function () {
        const org = await admitOrganisation(m, [spare()], [MEMBER_ROLES.REGISTRAR], {
          name: "County Science Bureau",
          withDid: false,
        });
        await expect(m.rights.enrolRegistrar(org.address))
          .to.be.revertedWithCustomError(m.rights, "AchievementNotQualified")
          .withArgs(org.address, 0);
      });
    });

    context("when the rights contract is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await (await m.rights.connect(m.guardian).pause()).wait();
        await expect(m.rights.enrolRegistrar(m.registrar.address)).to.be.revertedWithCustomError(
          m.rights,
          "EnforcedPause",
        );
      });
    });
  });

  describe("dropRegistrar", function () {
    context("when the registrar's DID was suspended", function () {
      it("emits RegistrarDropped and the registry forgets it, whoever calls", async function () {
        await (await m.identity.suspend(m.registrarDid, hashOf("reason: key compromised"))).wait();
        await expect(m.rights.connect(m.outsider.account).dropRegistrar(m.registrar.address))
          .to.emit(m.rights, "RegistrarDropped")
          .withArgs(m.registrar.address, m.registrarDid);
        expect(await m.achievements.registrarOf(m.registrar.address)).to.equal(0n);
      });
    });

    context("when the registrar lost its role", function () {
      it("emits RegistrarDropped", async function () {
        const memberId = await m.registry.memberOf(m.registrar.address);
        await (await m.registry.connect(m.councilSigner).revokeMemberRole(memberId, MEMBER_ROLES.REGISTRAR)).wait();
        await expect(m.rights.dropRegistrar(m.registrar.address))
          .to.emit(m.rights, "RegistrarDropped")
          .withArgs(m.registrar.address, m.registrarDid);
      });
    });

    context("when the registrar still qualifies", function () {
      it("reverts with AchievementStillQualified", async function () {
        await expect(m.rights.dropRegistrar(m.registrar.address))
          .to.be.revertedWithCustomError(m.rights, "AchievementStillQualified")
          .withArgs(m.registrar.address, m.registrarDid);
      });
    });

    context("when the account is not enrolled", function () {
      it("reverts with AchievementNotEnrolled", async function () {
        await expect(m.rights.dropRegistrar(m.outsider.address))
          .to.be.revertedWithCustomError(m.achievements, "AchievementNotEnrolled")
          .withArgs(m.outsider.address, 0);
      });
    });
  });

  describe("enrolEvaluator", function () {
    context("when the account acts for a DID holding a valid claim of the evaluator topic", function () {
      it("emits EvaluatorEnrolled and the registry names the evaluator", async function () {
        await (await m.rights.connect(m.councilSigner).setEvaluatorTopic(m.evaluatorTopic)).wait();
        const topic = m.evaluatorTopic;
        await (await m.identity.issueClaim(m.bank.did, topic, hashOf("accreditation:bank"), 0, 2n ** 40n - 1n)).wait();
        await expect(m.rights.enrolEvaluator(m.bank.address, m.bank.did))
          .to.emit(m.rights, "EvaluatorEnrolled")
          .withArgs(m.bank.address, m.bank.did);
        expect(await m.achievements.evaluatorOf(m.bank.address)).to.equal(m.bank.did);
      });
    });

    context("when the account does not act for the evaluator", function () {
      it("reverts with AchievementNotQualified", async function () {
        await expect(m.rights.enrolEvaluator(m.outsider.address, m.evaluator.did))
          .to.be.revertedWithCustomError(m.rights, "AchievementNotQualified")
          .withArgs(m.outsider.address, m.evaluator.did);
      });
    });

    context("when no evaluator topic is set", function () {
      it("reverts with AchievementNoEvaluatorTopic", async function () {
        await (await m.rights.connect(m.councilSigner).setEvaluatorTopic(0)).wait();
        await expect(m.rights.enrolEvaluator(m.evaluator.address, m.evaluator.did)).to.be.revertedWithCustomError(
          m.rights,
          "AchievementNoEvaluatorTopic",
        );
      });
    });
  });

  describe("dropEvaluator", function () {
    context("when the evaluator's accreditation claim was revoked", function () {
      it("emits EvaluatorDropped, after which evaluating reverts with AchievementNotEnrolled", async function () {
        await (await m.identity.revokeClaim(claimIdOf(m.evaluator.did, m.evaluatorTopic), hashOf("revoked"))).wait();
        await expect(m.rights.connect(m.outsider.account).dropEvaluator(m.evaluator.address))
          .to.emit(m.rights, "EvaluatorDropped")
          .withArgs(m.evaluator.address, m.evaluator.did);
        const scores = { scientific: 1, technical: 1, economic: 1, social: 1, cultural: 1 };
        await expect(
          m.achievements
            .connect(m.evaluator.account)
            .evaluate(id, m.evaluator.did, scores, 0, (await time.latest()) + YEAR, CASE, CASE),
        )
          .to.be.revertedWithCustomError(m.achievements, "AchievementNotEnrolled")
          .withArgs(m.evaluator.address, m.evaluator.did);
      });
    });

    context("when the council names another topic", function () {
      it("emits EvaluatorDropped for evaluators accredited only under the old one", async function () {
        await (await m.rights.connect(m.councilSigner).setEvaluatorTopic(m.evaluatorTopic + 1n)).wait();
        await expect(m.rights.dropEvaluator(m.evaluator.address))
          .to.emit(m.rights, "EvaluatorDropped")
          .withArgs(m.evaluator.address, m.evaluator.did);
      });
    });

    context("when the evaluator still qualifies", function () {
      it("reverts with AchievementStillQualified", async function () {
        await expect(m.rights.dropEvaluator(m.evaluator.address))
          .to.be.revertedWithCustomError(m.rights, "AchievementStillQualified")
          .withArgs(m.evaluator.address, m.evaluator.did);
      });
    });
  });

  describe("setEvaluatorTopic", function () {
    context("when the council names a topic", function () {
      it("emits EvaluatorTopicSet and reports the topic", async function () {
        await expect(m.rights.connect(m.councilSigner).setEvaluatorTopic(77))
          .to.emit(m.rights, "EvaluatorTopicSet")
          .withArgs(77);
        expect(await m.rights.evaluatorTopic()).to.equal(77n);
      });
    });

    context("when the caller is not the council", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        for (const caller of [m.registrar, m.evaluator.account]) {
          await expect(m.rights.connect(caller).setEvaluatorTopic(77))
            .to.be.revertedWithCustomError(m.rights, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
      });
    });
  });
});
