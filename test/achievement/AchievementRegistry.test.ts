import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { ethers } from "hardhat";
import { AbiCoder, Wallet, ZeroAddress, ZeroHash, type Interface } from "ethers";
import {
  AchievementKind,
  AchievementStatus,
  Classification,
  MAX_HOLDERS,
  MAX_INVENTORS,
  MAX_KEYWORDS,
  Right,
  Secrecy,
  WHOLE_BPS,
} from "../../src/sdk/achievement-types";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import { IAchievementRegistry__factory } from "../../typechain-types";
import {
  achievementFixture,
  admitOrganisation,
  nextRegistrationNumber,
  register,
  registrationOf,
  signChange,
  type AchievementModule,
  type Party,
  type Registration,
  type RightsChange,
} from "../helpers/achievement";
import { DidKind, hashOf, registerDid } from "../helpers/identity";

const DAY = 86_400;
const YEAR = 365 * DAY;
const REPORT = hashOf("evaluation report (评价报告) no. 2026-017");
const DECLARATION = hashOf("declaration of no conflict of interest (无利益冲突声明)");
const SCORES = { scientific: 80, technical: 85, economic: 70, social: 60, cultural: 50 };
const SUGGESTED_VALUE = 12_000_000n;
const NEW_METADATA = hashOf("form: corrected registration form, v2");
const CASE = hashOf("case: arbitration 2026-仲-0042");

/** A holding list as plain pairs, for deep comparisons. */
function pairs(list: readonly { did: bigint; bps: bigint }[]): [bigint, bigint][] {
  return list.map((h) => [h.did, h.bps]);
}

/** The expected pairs of `holdings`. */
function expected(...holdings: [Party, number][]): [bigint, bigint][] {
  return holdings.map(([p, bps]) => [p.did, BigInt(bps)]);
}

/** The ERC-165 id of an interface: the XOR of its functions' selectors. */
function interfaceIdOf(iface: Interface): string {
  let id = 0n;
  iface.forEachFunction((f) => {
    id ^= BigInt(f.selector);
  });
  return "0x" + id.toString(16).padStart(8, "0");
}

/** `r` with parts of its form replaced. */
function withForm(r: Registration, form: Partial<Registration["form"]>): Registration {
  return { ...r, form: { ...r.form, ...form } };
}

describe("AchievementRegistry", function () {
  let m: AchievementModule;
  /** Hardhat accounts with no role and no DID. */
  let spare: HardhatEthersSigner[];

  beforeEach(async function () {
    m = await achievementFixture();
    spare = (await ethers.getSigners()).slice(13);
  });

  /** A patent co-owned by the university (60 %) and the team (40 %), invented by the inventor. */
  function coOwned(overrides: Partial<Registration> = {}): Registration {
    return registrationOf(
      [
        { party: m.university, bps: 6000 },
        { party: m.team, bps: 4000 },
      ],
      [m.inventor],
      overrides,
    );
  }

  async function registerCoOwned(overrides: Partial<Registration> = {}): Promise<bigint> {
    return register(m, coOwned(overrides));
  }

  function registerAs(r: Registration, signer: HardhatEthersSigner = m.registrar) {
    return m.achievements.connect(signer).register(r);
  }

  async function pause() {
    await (await m.achievements.connect(m.guardian).pause()).wait();
  }

  async function evaluateAs(
    id: bigint,
    evaluator: Party = m.evaluator,
    { scores = SCORES, validUntil = 0, report = REPORT, declaration = DECLARATION } = {},
  ) {
    const until = validUntil || (await time.latest()) + YEAR;
    return m.achievements
      .connect(evaluator.account)
      .evaluate(id, evaluator.did, scores, SUGGESTED_VALUE, until, report, declaration);
  }

  /** A grant of right `right` of `id` to `grantee` for a year, signed by the grantee and applied by the university. */
  async function grant(id: bigint, right: Right, grantee: Party): Promise<RightsChange> {
    const { version } = await m.achievements.getAchievement(id);
    const now = await time.latest();
    const c: RightsChange = {
      achievement: id,
      right,
      holdings: [{ did: grantee.did, bps: WHOLE_BPS }],
      until: now + YEAR,
      holder: ZeroAddress,
      version,
      deadline: now + DAY,
    };
    const consents = [await signChange(m, grantee, c)];
    const owners = await m.achievements.holdingsOf(id, Right.Ownership);
    for (const h of owners) {
      const owner = [m.university, m.team].find((p) => p.did === h.did);
      if (owner && owner !== m.university) consents.push(await signChange(m, owner, c));
    }
    await (await m.rights.connect(m.university.account).changeRights(c, consents, m.university.did)).wait();
    return c;
  }

  describe("register", function () {
    context("when the registrar registers a co-owned patent", function () {
      let r: Registration;
      let id: bigint;

      beforeEach(async function () {
        r = coOwned();
        id = BigInt(r.registrationNumber);
      });

      it("mints the token, whose id is the registration number, to the holder", async function () {
        await expect(registerAs(r)).to.emit(m.achievements, "Transfer").withArgs(ZeroAddress, m.university.address, id);
        expect(await m.achievements.ownerOf(id)).to.equal(m.university.address);
        expect(await m.achievements.balanceOf(m.university.address)).to.equal(1n);
      });

      it("stores the achievement as registered, unlocked, at version 1", async function () {
        await (await registerAs(r)).wait();
        const a = await m.achievements.getAchievement(id);
        expect(a.kind).to.equal(BigInt(AchievementKind.Patent));
        expect(a.classification).to.equal(BigInt(Classification.AppliedResearch));
        expect(a.secrecy).to.equal(BigInt(Secrecy.Open));
        expect(a.status).to.equal(BigInt(AchievementStatus.Registered));
        expect([a.pledged, a.disputed, a.frozen]).to.deep.equal([false, false, false]);
        expect(a.evaluationCount).to.equal(0n);
        expect(a.version).to.equal(1n);
        expect(a.holder).to.equal(m.university.address);
      });

      it("stores kind, classification and secrecy as submitted", async function () {
        const other = coOwned({
          kind: AchievementKind.SoftwareCopyright,
          classification: Classification.Industrialisation,
          secrecy: Secrecy.Confidential,
        });
        const otherId = await register(m, other);
        const a = await m.achievements.getAchievement(otherId);
        expect([a.kind, a.classification, a.secrecy]).to.deep.equal([
          BigInt(AchievementKind.SoftwareCopyright),
          BigInt(Classification.Industrialisation),
          BigInt(Secrecy.Confidential),
        ]);
      });

      it("gives all four rights to the owners, following ownership", async function () {
        await (await registerAs(r)).wait();
        const owners = expected([m.university, 6000], [m.team, 4000]);
        for (const right of [Right.Ownership, Right.Use, Right.Disposal, Right.Income]) {
          expect(pairs(await m.achievements.holdingsOf(id, right))).to.deep.equal(owners);
          const [base, granted, until] = await m.achievements.rightOf(id, right);
          expect(pairs(base)).to.deep.equal(owners);
          expect(granted).to.deep.equal([]);
          expect(until).to.equal(0n);
          expect(await m.achievements.shareOf(id, right, m.university.did)).to.equal(6000n);
          expect(await m.achievements.shareOf(id, right, m.team.did)).to.equal(4000n);
          expect(await m.achievements.shareOf(id, right, m.outsider.did)).to.equal(0n);
        }
      });

      it("records the inventors, the external ids and who is a party", async function () {
        await (await registerAs(r)).wait();
        expect(await m.achievements.inventorsOf(id)).to.deep.equal([m.inventor.did]);
        expect(await m.achievements.achievementOfExternalId(r.externalIds[0])).to.equal(id);
        expect(await m.achievements.achievementOfExternalId(hashOf("patent:unknown"))).to.equal(0n);
        for (const p of [m.university, m.team, m.inventor])
          expect(await m.achievements.isParty(id, p.did)).to.equal(true);
        for (const p of [m.bank, m.evaluator, m.outsider])
          expect(await m.achievements.isParty(id, p.did)).to.equal(false);
      });

      it("emits AchievementRegistered with the registration exactly as submitted", async function () {
        const submitted = "0x" + m.achievements.interface.encodeFunctionData("register", [r]).slice(10);
        const tx = await registerAs(r);
        await expect(tx).to.emit(m.achievements, "AchievementRegistered").withArgs(id, m.registrarDid, submitted);
        const receipt = await tx.wait();
        const log = receipt!.logs
          .map((l) => m.achievements.interface.parseLog(l))
          .find((l) => l?.name === "AchievementRegistered");
        const input = m.achievements.interface.getFunction("register")!.inputs;
        const [decoded] = AbiCoder.defaultAbiCoder().decode(input, log!.args.registration);
        expect(decoded.registrationNumber).to.equal(id);
        expect(decoded.kind).to.equal(BigInt(AchievementKind.Patent));
        expect(decoded.metadata).to.equal(r.metadata);
        expect(decoded.metadataURI).to.equal(r.metadataURI);
        expect(decoded.externalIds).to.deep.equal(r.externalIds);
        expect(pairs(decoded.owners)).to.deep.equal(expected([m.university, 6000], [m.team, 4000]));
        expect(decoded.inventors).to.deep.equal([m.inventor.did]);
        expect(decoded.holder).to.equal(m.university.address);
        expect(decoded.form.name).to.equal(r.form.name);
        expect(decoded.form.firstOrganisation).to.equal(m.university.did);
        expect(decoded.form.researchStart).to.equal(BigInt(r.form.researchStart));
        expect(decoded.form.researchEnd).to.equal(BigInt(r.form.researchEnd));
        expect(decoded.form.field).to.equal(BigInt(r.form.field));
        expect(decoded.form.keywords).to.deep.equal(r.form.keywords);
      });

      it("emits ShareAssigned for each owner (ownership, permanent) and StatusChanged to Registered", async function () {
        await expect(registerAs(r))
          .to.emit(m.achievements, "ShareAssigned")
          .withArgs(id, m.university.did, Right.Ownership, 6000, 0)
          .and.to.emit(m.achievements, "ShareAssigned")
          .withArgs(id, m.team.did, Right.Ownership, 4000, 0)
          .and.to.emit(m.achievements, "StatusChanged")
          .withArgs(id, AchievementStatus.Registered, m.registrarDid);
      });
    });

    context("when the achievement has a sole owner, no inventor and no external id", function () {
      it("registers it", async function () {
        const r = registrationOf([{ party: m.bank, bps: WHOLE_BPS }], [], { externalIds: [] });
        const id = await register(m, r);
        expect(await m.achievements.ownerOf(id)).to.equal(m.bank.address);
        expect(pairs(await m.achievements.holdingsOf(id, Right.Income))).to.deep.equal(expected([m.bank, WHOLE_BPS]));
        expect(await m.achievements.inventorsOf(id)).to.deep.equal([]);
      });
    });

    context(`when the achievement has ${MAX_HOLDERS} owners and ${MAX_INVENTORS} inventors`, function () {
      it("registers them all, in order", async function () {
        const dids: bigint[] = [];
        for (let i = 0; i < MAX_HOLDERS; i++) {
          dids.push(await registerDid(m, DidKind.Person, [{ account: Wallet.createRandom().address }]));
        }
        const owners = dids.map((did, i) => ({ did, bps: i === 0 ? WHOLE_BPS - 625 * 15 : 625 }));
        const r = { ...coOwned(), owners, inventors: [...dids].reverse(), holder: m.university.address };
        r.owners[0] = { did: m.university.did, bps: owners[0].bps };
        r.inventors[MAX_INVENTORS - 1] = m.inventor.did;
        const id = await register(m, r);
        expect(pairs(await m.achievements.holdingsOf(id, Right.Disposal))).to.deep.equal(
          r.owners.map((o) => [o.did, BigInt(o.bps)]),
        );
        expect(await m.achievements.inventorsOf(id)).to.deep.equal(r.inventors);
      });
    });

    context("when the caller is not an enrolled registrar", function () {
      it("reverts with AchievementNotEnrolled for owners, the market, the council and outsiders", async function () {
        const r = coOwned();
        for (const caller of [
          m.university.account,
          m.marketAccount,
          m.councilSigner,
          spare[0],
        ] as HardhatEthersSigner[]) {
          await expect(registerAs(r, caller))
            .to.be.revertedWithCustomError(m.achievements, "AchievementNotEnrolled")
            .withArgs(await caller.getAddress(), 0);
        }
      });
    });

    context("when a registrar holds the role but has not been enrolled", function () {
      it("reverts with AchievementNotEnrolled until anyone enrols it", async function () {
        const org = await admitOrganisation(m, [spare[0]], [MEMBER_ROLES.REGISTRAR], { name: "County Science Bureau" });
        const signer = org.account as HardhatEthersSigner;
        await expect(registerAs(coOwned(), signer))
          .to.be.revertedWithCustomError(m.achievements, "AchievementNotEnrolled")
          .withArgs(org.address, 0);
        await (await m.rights.connect(m.outsider.account).enrolRegistrar(org.address)).wait();
        await expect(registerAs(coOwned(), signer))
          .to.emit(m.achievements, "AchievementRegistered")
          .withArgs(anyValue, org.did, anyValue);
      });
    });

    context("when the registrar's DID is suspended", function () {
      it("lets anyone drop the registrar, after which it reverts with AchievementNotEnrolled", async function () {
        await (await m.identity.suspend(m.registrarDid, hashOf("reason: audit"))).wait();
        await (await m.rights.connect(m.outsider.account).dropRegistrar(m.registrar.address)).wait();
        await expect(registerAs(coOwned()))
          .to.be.revertedWithCustomError(m.achievements, "AchievementNotEnrolled")
          .withArgs(m.registrar.address, 0);
      });
    });

    context("when the registration number is invalid", function () {
      const cases: [string, bigint][] = [
        ["has 11 digits", 31_2026_2_0001n],
        ["has 13 digits", 1_31_2026_2_00001n],
        ["is of the year 1977", 31_1977_2_00001n],
        ["is of the year 2100", 31_2100_2_00001n],
        ["has type 0", 31_2026_0_00001n],
        ["has serial 0", 31_2026_2_00000n],
      ];
      for (const [what, number] of cases) {
        it(`reverts with AchievementInvalidRegistrationNumber when it ${what}`, async function () {
          await expect(registerAs(coOwned({ registrationNumber: number })))
            .to.be.revertedWithCustomError(m.achievements, "AchievementInvalidRegistrationNumber")
            .withArgs(number);
        });
      }

      it("accepts the first and last plausible years", async function () {
        for (const number of [99_1978_9_99999n, 10_2099_1_00001n]) {
          expect(await register(m, coOwned({ registrationNumber: number }))).to.equal(number);
        }
      });
    });

    context("when the registration number is already registered", function () {
      it("reverts with AchievementAlreadyRegistered", async function () {
        const id = await registerCoOwned();
        await expect(registerAs(coOwned({ registrationNumber: id, externalIds: [hashOf("patent:another")] })))
          .to.be.revertedWithCustomError(m.achievements, "AchievementAlreadyRegistered")
          .withArgs(id);
      });
    });

    context("when the form is incomplete", function () {
      it("reverts with AchievementIncompleteForm without a kind", async function () {
        await expect(registerAs(coOwned({ kind: AchievementKind.None }))).to.be.revertedWithCustomError(
          m.achievements,
          "AchievementIncompleteForm",
        );
      });

      it("reverts with AchievementIncompleteForm without a classification", async function () {
        await expect(registerAs(coOwned({ classification: Classification.None }))).to.be.revertedWithCustomError(
          m.achievements,
          "AchievementIncompleteForm",
        );
      });

      it("reverts with AchievementEmptyName without a name", async function () {
        await expect(registerAs(withForm(coOwned(), { name: "" }))).to.be.revertedWithCustomError(
          m.achievements,
          "AchievementEmptyName",
        );
      });

      it("reverts with AchievementEmptyMetadata with a zero metadata hash", async function () {
        await expect(registerAs(coOwned({ metadata: ZeroHash }))).to.be.revertedWithCustomError(
          m.achievements,
          "AchievementEmptyMetadata",
        );
      });

      it(`reverts with AchievementTooManyKeywords with ${MAX_KEYWORDS + 1} keywords`, async function () {
        const keywords = ["battery", "electrolyte", "solid-state", "lithium"];
        await expect(registerAs(withForm(coOwned(), { keywords })))
          .to.be.revertedWithCustomError(m.achievements, "AchievementTooManyKeywords")
          .withArgs(4, MAX_KEYWORDS);
      });

      it("reverts with AchievementInvalidResearchPeriod when research ends before it starts", async function () {
        await expect(registerAs(withForm(coOwned(), { researchStart: 1_760_000_000, researchEnd: 1_759_999_999 })))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInvalidResearchPeriod")
          .withArgs(1_760_000_000, 1_759_999_999);
      });

      it("accepts research that starts and ends the same day", async function () {
        const id = await register(m, withForm(coOwned(), { researchStart: 1_760_000_000, researchEnd: 1_760_000_000 }));
        expect((await m.achievements.getAchievement(id)).status).to.equal(BigInt(AchievementStatus.Registered));
      });
    });

    context("when an external id is zero or taken", function () {
      it("reverts with AchievementExternalIdTaken(0, 0) for a zero id", async function () {
        await expect(registerAs(coOwned({ externalIds: [ZeroHash] })))
          .to.be.revertedWithCustomError(m.achievements, "AchievementExternalIdTaken")
          .withArgs(ZeroHash, 0);
      });

      it("reverts with AchievementExternalIdTaken naming the achievement that holds it", async function () {
        const first = coOwned();
        const id = await register(m, first);
        await expect(registerAs(coOwned({ externalIds: [hashOf("patent:fresh"), first.externalIds[0]] })))
          .to.be.revertedWithCustomError(m.achievements, "AchievementExternalIdTaken")
          .withArgs(first.externalIds[0], id);
      });

      it("reverts with AchievementExternalIdTaken when one registration names it twice", async function () {
        const r = coOwned();
        const ext = hashOf("patent:twice");
        await expect(registerAs({ ...r, externalIds: [ext, ext] }))
          .to.be.revertedWithCustomError(m.achievements, "AchievementExternalIdTaken")
          .withArgs(ext, r.registrationNumber);
      });
    });

    context("when the owners are not a whole of valid holders", function () {
      it("reverts with AchievementInvalidHolderCount without owners", async function () {
        await expect(registerAs(coOwned({ owners: [] })))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInvalidHolderCount")
          .withArgs(0, MAX_HOLDERS);
      });

      it(`reverts with AchievementInvalidHolderCount with ${MAX_HOLDERS + 1} owners`, async function () {
        const owners = Array.from({ length: MAX_HOLDERS + 1 }, (_, i) => ({ did: BigInt(100 + i), bps: 1 }));
        await expect(registerAs(coOwned({ owners })))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInvalidHolderCount")
          .withArgs(MAX_HOLDERS + 1, MAX_HOLDERS);
      });

      for (const [team, sum] of [
        [3999, 9999],
        [4001, 10_001],
      ]) {
        it(`reverts with AchievementSharesNotWhole when shares sum to ${sum}`, async function () {
          const owners = [
            { did: m.university.did, bps: 6000 },
            { did: m.team.did, bps: team },
          ];
          await expect(registerAs(coOwned({ owners })))
            .to.be.revertedWithCustomError(m.achievements, "AchievementSharesNotWhole")
            .withArgs(sum);
        });
      }

      it("reverts with AchievementZeroShare when an owner has no share", async function () {
        const owners = [
          { did: m.university.did, bps: WHOLE_BPS },
          { did: m.team.did, bps: 0 },
        ];
        await expect(registerAs(coOwned({ owners })))
          .to.be.revertedWithCustomError(m.achievements, "AchievementZeroShare")
          .withArgs(m.team.did);
      });

      it("reverts with AchievementDuplicateParty when an owner is named twice", async function () {
        const owners = [
          { did: m.university.did, bps: 5000 },
          { did: m.university.did, bps: 5000 },
        ];
        await expect(registerAs(coOwned({ owners })))
          .to.be.revertedWithCustomError(m.achievements, "AchievementDuplicateParty")
          .withArgs(m.university.did);
      });

      it("reverts with AchievementInactiveParty when an owner's DID is suspended", async function () {
        await (await m.identity.suspend(m.team.did, hashOf("reason: court order"))).wait();
        await expect(registerAs(coOwned()))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInactiveParty")
          .withArgs(m.team.did);
      });

      it("reverts with AchievementInactiveParty when an owner's DID is unknown", async function () {
        const unknown = (await m.identity.didCount()) + 1n;
        const owners = [
          { did: m.university.did, bps: 6000 },
          { did: unknown, bps: 4000 },
        ];
        await expect(registerAs(coOwned({ owners })))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInactiveParty")
          .withArgs(unknown);
      });
    });

    context("when the inventors are invalid", function () {
      it(`reverts with AchievementTooManyInventors with ${MAX_INVENTORS + 1} inventors`, async function () {
        const inventors = Array.from({ length: MAX_INVENTORS + 1 }, (_, i) => BigInt(100 + i));
        await expect(registerAs(coOwned({ inventors })))
          .to.be.revertedWithCustomError(m.achievements, "AchievementTooManyInventors")
          .withArgs(MAX_INVENTORS + 1, MAX_INVENTORS);
      });

      it("reverts with AchievementDuplicateParty when an inventor is named twice", async function () {
        await expect(registerAs(coOwned({ inventors: [m.inventor.did, m.team.did, m.inventor.did] })))
          .to.be.revertedWithCustomError(m.achievements, "AchievementDuplicateParty")
          .withArgs(m.inventor.did);
      });

      it("reverts with AchievementInactiveParty when an inventor's DID is suspended", async function () {
        await (await m.identity.suspend(m.inventor.did, hashOf("reason: deceased"))).wait();
        await expect(registerAs(coOwned()))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInactiveParty")
          .withArgs(m.inventor.did);
      });
    });

    context("when the holder does not act for the first owner", function () {
      it("reverts with AchievementInvalidHolder for the second owner's account", async function () {
        await expect(registerAs(coOwned({ holder: m.team.address })))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInvalidHolder")
          .withArgs(m.team.address, m.university.did);
      });

      it("reverts with AchievementInvalidHolder for the zero address", async function () {
        await expect(registerAs(coOwned({ holder: ZeroAddress })))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInvalidHolder")
          .withArgs(ZeroAddress, m.university.did);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await pause();
        await expect(registerAs(coOwned())).to.be.revertedWithCustomError(m.achievements, "EnforcedPause");
      });
    });
  });

  describe("tokenURI", function () {
    context("when the council has set a base URI", function () {
      it("emits BaseURISet and returns the base followed by the registration number", async function () {
        const id = await registerCoOwned();
        const base = "https://kjcg.example.gov.cn/achievements/";
        await expect(m.achievements.connect(m.councilSigner).setBaseURI(base))
          .to.emit(m.achievements, "BaseURISet")
          .withArgs(base);
        expect(await m.achievements.tokenURI(id)).to.equal(`${base}${id}`);
      });
    });

    context("when no base URI is set", function () {
      it("returns an empty URI", async function () {
        expect(await m.achievements.tokenURI(await registerCoOwned())).to.equal("");
      });
    });

    context("when the token does not exist", function () {
      it("reverts with ERC721NonexistentToken", async function () {
        const id = nextRegistrationNumber();
        await expect(m.achievements.tokenURI(id))
          .to.be.revertedWithCustomError(m.achievements, "ERC721NonexistentToken")
          .withArgs(id);
      });
    });
  });

  describe("setBaseURI", function () {
    context("when the caller is not the council", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        for (const caller of [m.registrar, m.guardian]) {
          await expect(m.achievements.connect(caller).setBaseURI("https://evil.example/"))
            .to.be.revertedWithCustomError(m.achievements, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
      });
    });
  });

  describe("updateMetadata", function () {
    let id: bigint;

    beforeEach(async function () {
      id = await registerCoOwned();
    });

    context("when the registrar corrects the form", function () {
      it("emits MetadataUpdated naming the registrar's DID and bumps the version", async function () {
        await expect(m.achievements.updateMetadata(id, NEW_METADATA, "ipfs://form-v2"))
          .to.emit(m.achievements, "MetadataUpdated")
          .withArgs(id, m.registrarDid, NEW_METADATA, "ipfs://form-v2");
        expect((await m.achievements.getAchievement(id)).version).to.equal(2n);
      });
    });

    context("when the caller is not an enrolled registrar", function () {
      it("reverts with AchievementNotEnrolled, even for an owner", async function () {
        await expect(m.achievements.connect(m.university.account).updateMetadata(id, NEW_METADATA, ""))
          .to.be.revertedWithCustomError(m.achievements, "AchievementNotEnrolled")
          .withArgs(m.university.address, 0);
      });
    });

    context("when the metadata hash is zero", function () {
      it("reverts with AchievementEmptyMetadata", async function () {
        await expect(m.achievements.updateMetadata(id, ZeroHash, "ipfs://x")).to.be.revertedWithCustomError(
          m.achievements,
          "AchievementEmptyMetadata",
        );
      });
    });

    context("when the achievement is unknown", function () {
      it("reverts with AchievementUnknown", async function () {
        const unknown = nextRegistrationNumber();
        await expect(m.achievements.updateMetadata(unknown, NEW_METADATA, ""))
          .to.be.revertedWithCustomError(m.achievements, "AchievementUnknown")
          .withArgs(unknown);
      });
    });

    context("when the registrar was dropped after its DID was suspended", function () {
      it("reverts with AchievementNotEnrolled", async function () {
        await (await m.identity.suspend(m.registrarDid, hashOf("reason: audit"))).wait();
        await (await m.rights.dropRegistrar(m.registrar.address)).wait();
        await expect(m.achievements.updateMetadata(id, NEW_METADATA, ""))
          .to.be.revertedWithCustomError(m.achievements, "AchievementNotEnrolled")
          .withArgs(m.registrar.address, 0);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await pause();
        await expect(m.achievements.updateMetadata(id, NEW_METADATA, "")).to.be.revertedWithCustomError(
          m.achievements,
          "EnforcedPause",
        );
      });
    });
  });

  describe("evaluate", function () {
    let id: bigint;

    beforeEach(async function () {
      id = await registerCoOwned();
    });

    context("when an accredited evaluator evaluates a registered achievement", function () {
      it("emits Evaluated with the scores, value, validity, report and declaration", async function () {
        const validUntil = (await time.latest()) + YEAR;
        await expect(evaluateAs(id, m.evaluator, { validUntil }))
          .to.emit(m.achievements, "Evaluated")
          .withArgs(id, m.evaluator.did, 0, [80, 85, 70, 60, 50], SUGGESTED_VALUE, validUntil, REPORT, DECLARATION);
      });

      it("stores the evaluation", async function () {
        const validUntil = (await time.latest()) + YEAR;
        const receipt = await (await evaluateAs(id, m.evaluator, { validUntil })).wait();
        const block = await ethers.provider.getBlock(receipt!.blockNumber);
        const e = await m.achievements.evaluationOf(id, 0);
        expect(e.evaluator).to.equal(m.evaluator.did);
        expect([...e.scores]).to.deep.equal([80n, 85n, 70n, 60n, 50n]);
        expect(e.evaluatedAt).to.equal(BigInt(block!.timestamp));
        expect(e.validUntil).to.equal(BigInt(validUntil));
        expect(e.suggestedValue).to.equal(SUGGESTED_VALUE);
      });

      it("returns the evaluation's index", async function () {
        const validUntil = (await time.latest()) + YEAR;
        expect(
          await m.achievements
            .connect(m.evaluator.account)
            .evaluate.staticCall(id, m.evaluator.did, SCORES, 0, validUntil, REPORT, DECLARATION),
        ).to.equal(0n);
      });

      it("moves it from Registered to Evaluated, emitting StatusChanged", async function () {
        await expect(evaluateAs(id))
          .to.emit(m.achievements, "StatusChanged")
          .withArgs(id, AchievementStatus.Evaluated, m.evaluator.did);
        const a = await m.achievements.getAchievement(id);
        expect(a.status).to.equal(BigInt(AchievementStatus.Evaluated));
        expect(a.evaluationCount).to.equal(1n);
      });

      it("accepts scores of 0 and 100", async function () {
        const scores = { scientific: 100, technical: 0, economic: 100, social: 0, cultural: 100 };
        await expect(evaluateAs(id, m.evaluator, { scores })).to.emit(m.achievements, "Evaluated");
      });
    });

    context("when the achievement is evaluated a second time", function () {
      it("keeps it Evaluated, counts 2 and emits Evaluated with index 1", async function () {
        await (await evaluateAs(id)).wait();
        const tx = evaluateAs(id, m.evaluator, { scores: { ...SCORES, economic: 90 } });
        await expect(tx).to.not.emit(m.achievements, "StatusChanged");
        await expect(tx).to.emit(m.achievements, "Evaluated");
        const a = await m.achievements.getAchievement(id);
        expect(a.status).to.equal(BigInt(AchievementStatus.Evaluated));
        expect(a.evaluationCount).to.equal(2n);
        expect((await m.achievements.evaluationOf(id, 1)).scores.economic).to.equal(90n);
        expect((await m.achievements.evaluationOf(id, 0)).scores.economic).to.equal(70n);
      });
    });

    context("when the achievement is listed", function () {
      it("keeps it Listed", async function () {
        await (await m.achievements.connect(m.marketAccount).markListed(id, m.university.did)).wait();
        await expect(evaluateAs(id)).to.not.emit(m.achievements, "StatusChanged");
        expect((await m.achievements.getAchievement(id)).status).to.equal(BigInt(AchievementStatus.Listed));
      });
    });

    context("when the caller is not enrolled for the evaluator", function () {
      it("reverts with AchievementNotEnrolled", async function () {
        const until = (await time.latest()) + YEAR;
        await expect(
          m.achievements
            .connect(m.outsider.account)
            .evaluate(id, m.evaluator.did, SCORES, 0, until, REPORT, DECLARATION),
        )
          .to.be.revertedWithCustomError(m.achievements, "AchievementNotEnrolled")
          .withArgs(m.outsider.address, m.evaluator.did);
      });
    });

    context("when the evaluator holds no valid claim of the evaluator topic", function () {
      it("cannot be enrolled, so it reverts with AchievementNotEnrolled", async function () {
        await expect(m.rights.enrolEvaluator(m.outsider.address, m.outsider.did))
          .to.be.revertedWithCustomError(m.rights, "AchievementNotQualified")
          .withArgs(m.outsider.address, m.outsider.did);
        await expect(evaluateAs(id, m.outsider))
          .to.be.revertedWithCustomError(m.achievements, "AchievementNotEnrolled")
          .withArgs(m.outsider.address, m.outsider.did);
      });
    });

    context("when the evaluator is a party of the achievement", function () {
      it("reverts with AchievementConflictOfInterest for an owner", async function () {
        const own = await register(
          m,
          registrationOf([
            { party: m.university, bps: 5000 },
            { party: m.evaluator, bps: 5000 },
          ]),
        );
        await expect(evaluateAs(own))
          .to.be.revertedWithCustomError(m.achievements, "AchievementConflictOfInterest")
          .withArgs(own, m.evaluator.did);
      });

      it("reverts with AchievementConflictOfInterest for an inventor", async function () {
        const invented = await register(m, registrationOf([{ party: m.university, bps: WHOLE_BPS }], [m.evaluator]));
        await expect(evaluateAs(invented))
          .to.be.revertedWithCustomError(m.achievements, "AchievementConflictOfInterest")
          .withArgs(invented, m.evaluator.did);
      });

      it("reverts with AchievementConflictOfInterest for the holder of a running grant, and accepts once it ended", async function () {
        const c = await grant(id, Right.Use, m.evaluator);
        await expect(evaluateAs(id))
          .to.be.revertedWithCustomError(m.achievements, "AchievementConflictOfInterest")
          .withArgs(id, m.evaluator.did);
        await time.increaseTo(BigInt(c.until));
        await expect(evaluateAs(id)).to.emit(m.achievements, "Evaluated");
      });
    });

    context("when the evaluation is malformed", function () {
      for (const field of Object.keys(SCORES) as (keyof typeof SCORES)[]) {
        it(`reverts with AchievementInvalidEvaluation when the ${field} score is 101`, async function () {
          await expect(
            evaluateAs(id, m.evaluator, { scores: { ...SCORES, [field]: 101 } }),
          ).to.be.revertedWithCustomError(m.achievements, "AchievementInvalidEvaluation");
        });
      }

      it("reverts with AchievementInvalidEvaluation without a report hash", async function () {
        await expect(evaluateAs(id, m.evaluator, { report: ZeroHash })).to.be.revertedWithCustomError(
          m.achievements,
          "AchievementInvalidEvaluation",
        );
      });

      it("reverts with AchievementInvalidEvaluation without a declaration", async function () {
        await expect(evaluateAs(id, m.evaluator, { declaration: ZeroHash })).to.be.revertedWithCustomError(
          m.achievements,
          "AchievementInvalidEvaluation",
        );
      });

      it("reverts with AchievementInvalidValidity when its validity has passed", async function () {
        const validUntil = (await time.latest()) - 1;
        await expect(evaluateAs(id, m.evaluator, { validUntil }))
          .to.be.revertedWithCustomError(m.achievements, "AchievementInvalidValidity")
          .withArgs(validUntil);
      });
    });

    context("when the achievement is unknown", function () {
      it("reverts with AchievementUnknown", async function () {
        const unknown = nextRegistrationNumber();
        await expect(evaluateAs(unknown))
          .to.be.revertedWithCustomError(m.achievements, "AchievementUnknown")
          .withArgs(unknown);
      });
    });

    context("when the registry is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await pause();
        await expect(evaluateAs(id)).to.be.revertedWithCustomError(m.achievements, "EnforcedPause");
      });
    });
  });

  describe("the market hooks", function () {
    let id: bigint;

    beforeEach(async function () {
      id = await registerCoOwned();
    });

    const list = (x: bigint) => m.achievements.connect(m.marketAccount).markListed(x, m.university.did);
    const delist = (x: bigint) => m.achievements.connect(m.marketAccount).markDelisted(x, m.university.did);
    const license = (x: bigint) => m.achievements.connect(m.marketAccount).markLicensed(x, m.bank.did);

    describe("markListed", function () {
      context("when the achievement is registered", function () {
        it("emits StatusChanged to Listed naming the actor", async function () {
          await expect(list(id))
            .to.emit(m.achievements, "StatusChanged")
            .withArgs(id, AchievementStatus.Listed, m.university.did);
          expect((await m.achievements.getAchievement(id)).status).to.equal(BigInt(AchievementStatus.Listed));
        });
      });

      context("when the achievement is evaluated, licensed or transferred", function () {
        it("lists it from each of those stages", async function () {
          await (await evaluateAs(id)).wait();
          await expect(list(id))
            .to.emit(m.achievements, "StatusChanged")
            .withArgs(id, AchievementStatus.Listed, m.university.did);
          await (await license(id)).wait();
          await expect(list(id))
            .to.emit(m.achievements, "StatusChanged")
            .withArgs(id, AchievementStatus.Listed, m.university.did);
          await (await delist(id)).wait();
          const { version } = await m.achievements.getAchievement(id);
          const c: RightsChange = {
            achievement: id,
            right: Right.Ownership,
            holdings: [{ did: m.bank.did, bps: WHOLE_BPS }],
            until: 0,
            holder: m.bank.address,
            version,
            deadline: (await time.latest()) + DAY,
          };
          const consents = [await signChange(m, m.team, c), await signChange(m, m.bank, c)];
          await (await m.rights.connect(m.university.account).changeRights(c, consents, m.university.did)).wait();
          expect((await m.achievements.getAchievement(id)).status).to.equal(BigInt(AchievementStatus.Transferred));
          await expect(list(id))
            .to.emit(m.achievements, "StatusChanged")
            .withArgs(id, AchievementStatus.Listed, m.university.did);
        });
      });

      context("when the caller lacks the market role", function () {
        it("reverts with AccessManagedUnauthorized", async function () {
          for (const caller of [m.registrar, m.university.account as HardhatEthersSigner]) {
            await expect(m.achievements.connect(caller).markListed(id, m.university.did))
              .to.be.revertedWithCustomError(m.achievements, "AccessManagedUnauthorized")
              .withArgs(caller.address);
          }
        });
      });

      context("when the achievement is locked", function () {
        it("reverts with AchievementLocked while disputed", async function () {
          await (await m.rights.connect(m.team.account).openDispute(id, m.team.did, CASE)).wait();
          await expect(list(id))
            .to.be.revertedWithCustomError(m.achievements, "AchievementLocked")
            .withArgs(id, false, true, false);
        });

        it("reverts with AchievementLocked while frozen", async function () {
          await (await m.rights.connect(m.arbitrator.account).freeze(id, CASE)).wait();
          await expect(list(id))
            .to.be.revertedWithCustomError(m.achievements, "AchievementLocked")
            .withArgs(id, false, false, true);
        });
      });

      context("when the achievement is already listed", function () {
        it("reverts with AchievementUnexpectedStatus", async function () {
          await (await list(id)).wait();
          await expect(list(id))
            .to.be.revertedWithCustomError(m.achievements, "AchievementUnexpectedStatus")
            .withArgs(id, AchievementStatus.Listed);
        });
      });

      context("when the achievement is unknown", function () {
        it("reverts with AchievementUnknown", async function () {
          const unknown = nextRegistrationNumber();
          await expect(list(unknown))
            .to.be.revertedWithCustomError(m.achievements, "AchievementUnknown")
            .withArgs(unknown);
        });
      });

      context("when the registry is paused", function () {
        it("reverts with EnforcedPause", async function () {
          await pause();
          await expect(list(id)).to.be.revertedWithCustomError(m.achievements, "EnforcedPause");
        });
      });
    });

    describe("markDelisted", function () {
      context("when a listed achievement has no evaluation", function () {
        it("moves it back to Registered", async function () {
          await (await list(id)).wait();
          await expect(delist(id))
            .to.emit(m.achievements, "StatusChanged")
            .withArgs(id, AchievementStatus.Registered, m.university.did);
        });
      });

      context("when a listed achievement has an evaluation", function () {
        it("moves it back to Evaluated", async function () {
          await (await evaluateAs(id)).wait();
          await (await list(id)).wait();
          await expect(delist(id))
            .to.emit(m.achievements, "StatusChanged")
            .withArgs(id, AchievementStatus.Evaluated, m.university.did);
        });
      });

      context("when the achievement was licensed before the listing", function () {
        it("moves it back to Licensed, not Evaluated: its licences may still run", async function () {
          await (await evaluateAs(id)).wait();
          await (await list(id)).wait();
          await (await license(id)).wait();
          await (await list(id)).wait();
          await expect(delist(id))
            .to.emit(m.achievements, "StatusChanged")
            .withArgs(id, AchievementStatus.Licensed, m.university.did);
          expect((await m.achievements.getAchievement(id)).status).to.equal(BigInt(AchievementStatus.Licensed));
        });
      });

      context("when the achievement was evaluated while listed", function () {
        it("moves it back to Evaluated", async function () {
          await (await list(id)).wait();
          await (await evaluateAs(id)).wait();
          await expect(delist(id))
            .to.emit(m.achievements, "StatusChanged")
            .withArgs(id, AchievementStatus.Evaluated, m.university.did);
        });
      });

      context("when the achievement is not listed", function () {
        it("reverts with AchievementUnexpectedStatus", async function () {
          await expect(delist(id))
            .to.be.revertedWithCustomError(m.achievements, "AchievementUnexpectedStatus")
            .withArgs(id, AchievementStatus.Registered);
        });
      });

      context("when the caller lacks the market role", function () {
        it("reverts with AccessManagedUnauthorized", async function () {
          await (await list(id)).wait();
          await expect(m.achievements.connect(m.registrar).markDelisted(id, m.university.did))
            .to.be.revertedWithCustomError(m.achievements, "AccessManagedUnauthorized")
            .withArgs(m.registrar.address);
        });
      });
    });

    describe("markLicensed", function () {
      context("when the achievement is listed", function () {
        it("moves it to Licensed", async function () {
          await (await list(id)).wait();
          await expect(license(id))
            .to.emit(m.achievements, "StatusChanged")
            .withArgs(id, AchievementStatus.Licensed, m.bank.did);
          expect((await m.achievements.getAchievement(id)).status).to.equal(BigInt(AchievementStatus.Licensed));
        });
      });

      context("when the achievement is not listed", function () {
        it("reverts with AchievementUnexpectedStatus", async function () {
          await (await evaluateAs(id)).wait();
          await expect(license(id))
            .to.be.revertedWithCustomError(m.achievements, "AchievementUnexpectedStatus")
            .withArgs(id, AchievementStatus.Evaluated);
        });
      });

      context("when a listed achievement is frozen", function () {
        it("reverts with AchievementLocked: a freeze stops the deal", async function () {
          await (await list(id)).wait();
          await (await m.rights.connect(m.arbitrator.account).freeze(id, hashOf("case: freeze before licence"))).wait();
          await expect(license(id))
            .to.be.revertedWithCustomError(m.achievements, "AchievementLocked")
            .withArgs(id, false, false, true);
        });
      });

      context("when the caller lacks the market role", function () {
        it("reverts with AccessManagedUnauthorized", async function () {
          await (await list(id)).wait();
          await expect(m.achievements.connect(m.bank.account).markLicensed(id, m.bank.did))
            .to.be.revertedWithCustomError(m.achievements, "AccessManagedUnauthorized")
            .withArgs(m.bank.address);
        });
      });
    });
  });

  describe("bare ERC-721 transfers and approvals", function () {
    let id: bigint;

    beforeEach(async function () {
      id = await registerCoOwned();
    });

    context("when the holder moves the token itself", function () {
      it("reverts transferFrom with AchievementTransferDisabled", async function () {
        await expect(
          m.achievements.connect(m.university.account).transferFrom(m.university.address, m.bank.address, id),
        ).to.be.revertedWithCustomError(m.achievements, "AchievementTransferDisabled");
      });

      it("reverts both safeTransferFrom with AchievementTransferDisabled", async function () {
        const holder = m.achievements.connect(m.university.account);
        await expect(
          holder["safeTransferFrom(address,address,uint256)"](m.university.address, m.bank.address, id),
        ).to.be.revertedWithCustomError(m.achievements, "AchievementTransferDisabled");
        await expect(
          holder["safeTransferFrom(address,address,uint256,bytes)"](m.university.address, m.bank.address, id, "0x"),
        ).to.be.revertedWithCustomError(m.achievements, "AchievementTransferDisabled");
        expect(await m.achievements.ownerOf(id)).to.equal(m.university.address);
      });
    });

    context("when anyone approves", function () {
      it("reverts approve and setApprovalForAll with AchievementTransferDisabled", async function () {
        const holder = m.achievements.connect(m.university.account);
        await expect(holder.approve(m.bank.address, id)).to.be.revertedWithCustomError(
          m.achievements,
          "AchievementTransferDisabled",
        );
        await expect(holder.setApprovalForAll(m.bank.address, true)).to.be.revertedWithCustomError(
          m.achievements,
          "AchievementTransferDisabled",
        );
        expect(await m.achievements.getApproved(id)).to.equal(ZeroAddress);
        expect(await m.achievements.isApprovedForAll(m.university.address, m.bank.address)).to.equal(false);
      });
    });
  });

  describe("supportsInterface", function () {
    it("supports ERC-165, ERC-721, ERC-721 metadata and IAchievementRegistry", async function () {
      const registryId = interfaceIdOf(IAchievementRegistry__factory.createInterface());
      for (const id of ["0x01ffc9a7", "0x80ac58cd", "0x5b5e139f", registryId]) {
        expect(await m.achievements.supportsInterface(id)).to.equal(true, id);
      }
    });

    it("does not support ERC-721 enumerable or the invalid id", async function () {
      for (const id of ["0x780e9d63", "0xffffffff"]) {
        expect(await m.achievements.supportsInterface(id)).to.equal(false, id);
      }
    });

    it("names the token", async function () {
      expect(await m.achievements.name()).to.equal("govledger Technology Achievement");
      expect(await m.achievements.symbol()).to.equal("GLTA");
      expect(await m.achievements.IDENTITY()).to.equal(await m.identity.getAddress());
    });
  });

  describe("applyRightsChange and setLock", function () {
    context("when called by anyone but the rights contract", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        const id = await registerCoOwned();
        const c: RightsChange = {
          achievement: id,
          right: Right.Ownership,
          holdings: [{ did: m.outsider.did, bps: WHOLE_BPS }],
          until: 0,
          holder: m.outsider.address,
          version: 1,
          deadline: (await time.latest()) + DAY,
        };
        const callers = [
          m.university.account,
          m.registrar,
          m.marketAccount,
          m.arbitrator.account,
          m.councilSigner,
        ] as HardhatEthersSigner[];
        for (const caller of callers) {
          const registry = m.achievements.connect(caller);
          await expect(registry.applyRightsChange(c, m.outsider.did, ZeroHash, CASE))
            .to.be.revertedWithCustomError(m.achievements, "AccessManagedUnauthorized")
            .withArgs(caller.address);
          await expect(registry.setLock(id, 2, true))
            .to.be.revertedWithCustomError(m.achievements, "AccessManagedUnauthorized")
            .withArgs(caller.address);
          await expect(registry.setEnrolment(0, caller.address, m.outsider.did))
            .to.be.revertedWithCustomError(m.achievements, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
      });
    });
  });

  describe("views", function () {
    context("when the achievement is unknown", function () {
      it("reverts with AchievementUnknown", async function () {
        const id = nextRegistrationNumber();
        const a = m.achievements;
        const calls = [
          () => a.getAchievement(id),
          () => a.holdingsOf(id, Right.Use),
          () => a.rightOf(id, Right.Income),
          () => a.shareOf(id, Right.Ownership, m.university.did),
          () => a.inventorsOf(id),
          () => a.isParty(id, m.university.did),
          () => a.evaluationOf(id, 0),
        ];
        for (const call of calls) {
          await expect(call()).to.be.revertedWithCustomError(a, "AchievementUnknown").withArgs(id);
        }
      });
    });

    context("when the evaluation does not exist", function () {
      it("reverts evaluationOf with AchievementInvalidEvaluation", async function () {
        const id = await registerCoOwned();
        await expect(m.achievements.evaluationOf(id, 0)).to.be.revertedWithCustomError(
          m.achievements,
          "AchievementInvalidEvaluation",
        );
      });
    });
  });
});
