import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { deployments, ethers, upgrades } from "hardhat";
import { ZeroHash, type Result } from "ethers";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import { LicenceRegister__factory, type ILicenceRegister, type LicenceRegister } from "../../typechain-types";
import { register, registrationOf, signPledge, type Party } from "../helpers/achievement";
import { admitOrganisation } from "../helpers/evidence";
import { hashOf } from "../helpers/identity";
import { runProposal } from "../helpers/proposals";
import { tradeFixture, type TradeModule } from "../helpers/trade";

type LicenceTerms = ILicenceRegister.LicenceTermsStruct;

/** Mirrors ILicenceRegister.LicenceKind. */
enum LicenceKind {
  Exclusive,
  Sole,
  NonExclusive,
}

/** Mirrors ILicenceRegister.LicenceStatus. */
enum LicenceStatus {
  None,
  Active,
  Terminated,
}

const DAY = 86_400;
const YEAR = 365 * DAY;
const MAX_LICENCES = 64n;
const DEAL = hashOf("deal confirmation (成交确认书) 2026-技-0117");
const CASE = hashOf("case: arbitration 2026-仲-0042");
/** Field code of batteries, territory code of the province. */
const FIELD = 1;
const TERRITORY = 1;

/** `terms` as the tuple the contract emits and returns. */
function tuple(t: LicenceTerms): unknown[] {
  return [t.kind, t.field, t.territory, t.start, t.end, t.sublicensable].map((v) =>
    typeof v === "boolean" ? v : BigInt(v),
  );
}

/** A struct read from the contract as a plain nested array, to compare deeply. */
function plain(value: unknown): unknown {
  return (value as Result).toArray(true);
}

describe("LicenceRegister", function () {
  let m: TradeModule;
  let licences: LicenceRegister;
  /** A patent of the university, invented by the inventor. */
  let achievement: bigint;
  let spare: HardhatEthersSigner[];

  beforeEach(async function () {
    m = await tradeFixture();
    licences = LicenceRegister__factory.connect((await deployments.get("LicenceRegister")).address, m.centre.account);
    spare = (await ethers.getSigners()).slice(16);
    achievement = await register(m, registrationOf([{ party: m.university, bps: 10_000 }], [m.inventor]));
  });

  /** Exclusive terms for field 1 in territory 1 from now for a year, not sublicensable. */
  async function termsOf(overrides: Partial<LicenceTerms> = {}): Promise<LicenceTerms> {
    const now = await time.latest();
    return {
      kind: LicenceKind.Exclusive,
      field: FIELD,
      territory: TERRITORY,
      start: now,
      end: now + YEAR,
      sublicensable: false,
      ...overrides,
    };
  }

  /** Records `terms` as the centre for `licensee` (the buyer by default). */
  function recordAs(terms: LicenceTerms, licensee: Party = m.buyer, dealRef = DEAL, of = achievement) {
    return licences.connect(m.centre.account).record(of, licensee.did, terms, dealRef);
  }

  /** Records `terms` and returns the new licence's id. */
  async function recorded(terms: LicenceTerms, licensee: Party = m.buyer): Promise<bigint> {
    await (await recordAs(terms, licensee)).wait();
    return licences.licenceCount();
  }

  function terminateAs(id: bigint, caseRef = CASE) {
    return licences.connect(m.arbitrator.account).terminate(id, caseRef);
  }

  describe("record", function () {
    context("when a trading centre records a licence", function () {
      it("emits LicenceRecorded with the terms and stores the licence", async function () {
        const terms = await termsOf({ sublicensable: true, field: 7, territory: 3 });
        await expect(recordAs(terms))
          .to.emit(licences, "LicenceRecorded")
          .withArgs(1n, achievement, m.buyer.did, m.centre.did, tuple(terms), DEAL);
        expect(plain(await licences.licenceOf(1n))).to.deep.equal([
          achievement,
          m.buyer.did,
          m.centre.did,
          BigInt(LicenceStatus.Active),
          tuple(terms),
          DEAL,
        ]);
        expect(await licences.licencesOf(achievement)).to.deep.equal([1n]);
        expect(await licences.licenceCount()).to.equal(1n);
      });

      it("numbers licences across achievements and lists them per achievement", async function () {
        const other = await register(m, registrationOf([{ party: m.team, bps: 10_000 }]));
        const a = await recorded(await termsOf());
        await (await recordAs(await termsOf(), m.bank, DEAL, other)).wait();
        const c = await recorded(await termsOf({ field: 2 }));
        expect([a, c]).to.deep.equal([1n, 3n]);
        expect(await licences.licencesOf(achievement)).to.deep.equal([1n, 3n]);
        expect(await licences.licencesOf(other)).to.deep.equal([2n]);
        expect(await licences.licencesOf(other + 1n)).to.deep.equal([]);
        expect(await licences.licenceCount()).to.equal(3n);
      });

      it("accepts a term that started in the past but has not ended", async function () {
        const now = await time.latest();
        const terms = await termsOf({ start: now - YEAR, end: now + DAY });
        await expect(recordAs(terms)).to.emit(licences, "LicenceRecorded");
      });
    });

    context("when the caller is not a trading centre", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        const terms = await termsOf();
        for (const caller of [m.buyer.account, m.arbitrator.account, m.guardian, m.councilSigner]) {
          await expect(licences.connect(caller).record(achievement, m.buyer.did, terms, DEAL))
            .to.be.revertedWithCustomError(licences, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
      });
    });

    context("when the trading centre has no DID", function () {
      it("reverts with LicenceInactiveParty(0)", async function () {
        const centre = await admitOrganisation(m, [spare[0]], [MEMBER_ROLES.TRADING_CENTRE], {
          name: "DID-less Exchange",
          withDid: false,
        });
        await expect(licences.connect(centre.account).record(achievement, m.buyer.did, await termsOf(), DEAL))
          .to.be.revertedWithCustomError(licences, "LicenceInactiveParty")
          .withArgs(0n);
      });
    });

    context("when the trading centre's DID is suspended", function () {
      it("reverts with LicenceInactiveParty naming the centre", async function () {
        await (await m.identity.suspend(m.centre.did, hashOf("reason: audit"))).wait();
        await expect(recordAs(await termsOf()))
          .to.be.revertedWithCustomError(licences, "LicenceInactiveParty")
          .withArgs(m.centre.did);
      });
    });

    context("when the licence names no deal", function () {
      it("reverts with LicenceMissingReference", async function () {
        await expect(recordAs(await termsOf(), m.buyer, ZeroHash)).to.be.revertedWithCustomError(
          licences,
          "LicenceMissingReference",
        );
      });
    });

    context("when the achievement is unknown", function () {
      it("reverts with the registry's AchievementUnknown", async function () {
        const unknown = achievement + 1n;
        await expect(recordAs(await termsOf(), m.buyer, DEAL, unknown))
          .to.be.revertedWithCustomError(m.achievements, "AchievementUnknown")
          .withArgs(unknown);
      });
    });

    context("when the achievement is locked", function () {
      it("reverts with LicenceAchievementLocked while pledged", async function () {
        const now = await time.latest();
        const p = {
          achievement,
          lender: m.bank.did,
          securedAmount: 5_000_000n,
          until: now + YEAR,
          contractHash: hashOf("pledge contract (知识产权质押合同) no. 2026-118"),
          version: (await m.achievements.getAchievement(achievement)).version,
          deadline: now + DAY,
        };
        await (
          await m.rights.connect(m.university.account).pledge(p, [await signPledge(m, m.bank, p)], m.university.did)
        ).wait();
        await expect(recordAs(await termsOf()))
          .to.be.revertedWithCustomError(licences, "LicenceAchievementLocked")
          .withArgs(achievement);
      });

      it("reverts with LicenceAchievementLocked while disputed", async function () {
        await (await m.rights.connect(m.inventor.account).openDispute(achievement, m.inventor.did, CASE)).wait();
        await expect(recordAs(await termsOf()))
          .to.be.revertedWithCustomError(licences, "LicenceAchievementLocked")
          .withArgs(achievement);
      });

      it("reverts with LicenceAchievementLocked while frozen", async function () {
        await (await m.rights.connect(m.arbitrator.account).freeze(achievement, CASE)).wait();
        await expect(recordAs(await termsOf()))
          .to.be.revertedWithCustomError(licences, "LicenceAchievementLocked")
          .withArgs(achievement);
      });
    });

    context("when the licensee is not active", function () {
      it("reverts with LicenceInactiveParty for a suspended licensee", async function () {
        await (await m.identity.suspend(m.buyer.did, hashOf("reason: licence withdrawn"))).wait();
        await expect(recordAs(await termsOf()))
          .to.be.revertedWithCustomError(licences, "LicenceInactiveParty")
          .withArgs(m.buyer.did);
      });

      it("reverts with LicenceInactiveParty for an unknown or zero licensee", async function () {
        const terms = await termsOf();
        for (const did of [(await m.identity.didCount()) + 1n, 0n]) {
          await expect(licences.connect(m.centre.account).record(achievement, did, terms, DEAL))
            .to.be.revertedWithCustomError(licences, "LicenceInactiveParty")
            .withArgs(did);
        }
      });
    });

    context("when the term is empty or over", function () {
      it("reverts with LicenceInvalidTerm when the end is not after the start", async function () {
        const now = await time.latest();
        for (const [start, end] of [
          [now + DAY, now + DAY],
          [now + 2 * DAY, now + DAY],
        ]) {
          await expect(recordAs(await termsOf({ start, end })))
            .to.be.revertedWithCustomError(licences, "LicenceInvalidTerm")
            .withArgs(start, end);
        }
      });

      it("reverts with LicenceInvalidTerm when the end is not after now", async function () {
        const start = (await time.latest()) - YEAR;
        const end = (await time.latest()) + 10;
        const terms = await termsOf({ start, end });
        await time.setNextBlockTimestamp(end);
        await expect(recordAs(terms))
          .to.be.revertedWithCustomError(licences, "LicenceInvalidTerm")
          .withArgs(start, end);
        await expect(recordAs(await termsOf({ start, end: end - 5 })))
          .to.be.revertedWithCustomError(licences, "LicenceInvalidTerm")
          .withArgs(start, end - 5);
      });
    });

    context(`when ${MAX_LICENCES} licences of the achievement are running`, function () {
      it("reverts with LicenceTooMany until one ends or is terminated, and keeps every record", async function () {
        this.timeout(120_000);
        const now = await time.latest();
        for (let i = 0; i < Number(MAX_LICENCES); i++) {
          const start = now + i * DAY;
          await (
            await recordAs(await termsOf({ kind: LicenceKind.NonExclusive, start, end: start + YEAR }), m.buyer)
          ).wait();
        }
        expect(await licences.licencesOf(achievement)).to.have.length(Number(MAX_LICENCES));
        const next = await termsOf({ kind: LicenceKind.NonExclusive, start: now + YEAR, end: now + 2 * YEAR });
        await expect(recordAs(next))
          .to.be.revertedWithCustomError(licences, "LicenceTooMany")
          .withArgs(achievement, MAX_LICENCES);
        const other = await register(m, registrationOf([{ party: m.team, bps: 10_000 }]));
        await expect(recordAs(next, m.buyer, DEAL, other)).to.emit(licences, "LicenceRecorded");

        await (await terminateAs(1n)).wait();
        await expect(recordAs(next)).to.emit(licences, "LicenceRecorded");
        await expect(recordAs(next))
          .to.be.revertedWithCustomError(licences, "LicenceTooMany")
          .withArgs(achievement, MAX_LICENCES);
        await time.increaseTo(now + YEAR + 2 * DAY);
        await expect(recordAs(next)).to.emit(licences, "LicenceRecorded");
        expect(await licences.licencesOf(achievement)).to.have.length(Number(MAX_LICENCES) + 2);
        expect((await licences.licenceOf(1n)).status).to.equal(2n);
      });
    });

    context("when the register is paused", function () {
      it("reverts with EnforcedPause, and records again after the council unpauses", async function () {
        await (await licences.connect(m.guardian).pause()).wait();
        await expect(recordAs(await termsOf())).to.be.revertedWithCustomError(licences, "EnforcedPause");
        await (await licences.connect(m.councilSigner).unpause()).wait();
        await expect(recordAs(await termsOf())).to.emit(licences, "LicenceRecorded");
      });
    });
  });

  describe("record (overlaps)", function () {
    const clashing: [string, LicenceKind, LicenceKind][] = [
      ["an exclusive licence overlaps an exclusive one", LicenceKind.Exclusive, LicenceKind.Exclusive],
      ["an exclusive licence overlaps a sole one", LicenceKind.Exclusive, LicenceKind.Sole],
      ["an exclusive licence overlaps a non-exclusive one", LicenceKind.Exclusive, LicenceKind.NonExclusive],
      ["a sole licence overlaps an exclusive one", LicenceKind.Sole, LicenceKind.Exclusive],
      ["a sole licence overlaps a sole one", LicenceKind.Sole, LicenceKind.Sole],
      ["a sole licence overlaps a non-exclusive one", LicenceKind.Sole, LicenceKind.NonExclusive],
      ["a non-exclusive licence overlaps an exclusive one", LicenceKind.NonExclusive, LicenceKind.Exclusive],
      ["a non-exclusive licence overlaps a sole one", LicenceKind.NonExclusive, LicenceKind.Sole],
    ];
    for (const [what, kind, existingKind] of clashing) {
      context(`when ${what}`, function () {
        it("reverts with LicenceOverlap naming the existing licence", async function () {
          await recorded(await termsOf({ kind: LicenceKind.NonExclusive, field: 9 }), m.bank);
          const existing = await recorded(await termsOf({ kind: existingKind }), m.bank);
          const now = await time.latest();
          await expect(recordAs(await termsOf({ kind, start: now + DAY, end: now + 2 * YEAR })))
            .to.be.revertedWithCustomError(licences, "LicenceOverlap")
            .withArgs(existing);
        });
      });
    }

    context("when the same licensee asks for an overlapping exclusive licence", function () {
      it("reverts with LicenceOverlap too", async function () {
        const existing = await recorded(await termsOf());
        await expect(recordAs(await termsOf()))
          .to.be.revertedWithCustomError(licences, "LicenceOverlap")
          .withArgs(existing);
      });
    });

    context("when two non-exclusive licences overlap", function () {
      it("records both", async function () {
        await recorded(await termsOf({ kind: LicenceKind.NonExclusive, field: 0, territory: 0 }), m.bank);
        await expect(recordAs(await termsOf({ kind: LicenceKind.NonExclusive })))
          .to.emit(licences, "LicenceRecorded")
          .withArgs(
            2n,
            achievement,
            m.buyer.did,
            m.centre.did,
            tuple(await termsOf({ kind: LicenceKind.NonExclusive })),
            DEAL,
          );
      });
    });

    context("when an exclusive licence differs in field, territory or time", function () {
      it("records it beside the existing exclusive licence", async function () {
        const now = await time.latest();
        const [start, end] = [now + DAY, now + YEAR];
        await recorded(await termsOf({ start, end }), m.bank);
        const apart = [{ field: 2 }, { territory: 2 }, { start: end, end: end + YEAR }, { start: now, end: start }];
        for (const overrides of apart) {
          await expect(recordAs(await termsOf({ kind: LicenceKind.Sole, start, end, ...overrides }))).to.emit(
            licences,
            "LicenceRecorded",
          );
        }
        expect(await licences.licenceCount()).to.equal(5n);
      });
    });

    context("when a licence is of every field or everywhere (code 0)", function () {
      it("overlaps every code", async function () {
        const now = await time.latest();
        const first = { start: now, end: now + YEAR };
        const second = { start: now + YEAR, end: now + 2 * YEAR };
        const field = await recorded(await termsOf({ field: 0, territory: 5, ...first }), m.bank);
        const territory = await recorded(await termsOf({ field: 6, territory: 0, ...second }), m.bank);
        await expect(recordAs(await termsOf({ field: 42, territory: 5, ...first })))
          .to.be.revertedWithCustomError(licences, "LicenceOverlap")
          .withArgs(field);
        await expect(recordAs(await termsOf({ field: 6, territory: 42, ...second })))
          .to.be.revertedWithCustomError(licences, "LicenceOverlap")
          .withArgs(territory);
        await expect(recordAs(await termsOf({ kind: LicenceKind.NonExclusive, field: 0, territory: 0, ...first })))
          .to.be.revertedWithCustomError(licences, "LicenceOverlap")
          .withArgs(field);
        await expect(recordAs(await termsOf({ field: 42, territory: 6, ...first }))).to.emit(
          licences,
          "LicenceRecorded",
        );
        await expect(recordAs(await termsOf({ field: 7, territory: 42, ...second }))).to.emit(
          licences,
          "LicenceRecorded",
        );
      });
    });

    context("when the blocking licence was terminated", function () {
      it("no longer blocks", async function () {
        const existing = await recorded(await termsOf(), m.bank);
        await (await terminateAs(existing)).wait();
        await expect(recordAs(await termsOf())).to.emit(licences, "LicenceRecorded");
      });
    });

    context("when the blocking licence has ended", function () {
      it("no longer blocks, even a term reaching back before its end", async function () {
        const now = await time.latest();
        const existing = await recorded(await termsOf({ start: now, end: now + DAY }), m.bank);
        const terms = await termsOf({ start: now - DAY, end: now + YEAR });
        await time.setNextBlockTimestamp(now + DAY - 1);
        await expect(recordAs(terms)).to.be.revertedWithCustomError(licences, "LicenceOverlap").withArgs(existing);
        await time.setNextBlockTimestamp(now + DAY);
        await expect(recordAs(terms)).to.emit(licences, "LicenceRecorded");
      });
    });
  });

  describe("terminate", function () {
    let id: bigint;

    beforeEach(async function () {
      id = await recorded(await termsOf());
    });

    context("when an arbitrator terminates an active licence", function () {
      it("emits LicenceTerminated, marks it terminated and stops licensing", async function () {
        const now = await time.latest();
        expect(await licences.isLicensed(m.buyer.did, achievement, FIELD, TERRITORY, now + 2)).to.equal(true);
        await expect(terminateAs(id))
          .to.emit(licences, "LicenceTerminated")
          .withArgs(id, achievement, m.arbitrator.did, CASE);
        const licence = await licences.licenceOf(id);
        expect(licence.status).to.equal(LicenceStatus.Terminated);
        expect([licence.licensee, licence.recordedBy, licence.dealRef]).to.deep.equal([
          m.buyer.did,
          m.centre.did,
          DEAL,
        ]);
        expect(await licences.isLicensed(m.buyer.did, achievement, FIELD, TERRITORY, now + 2)).to.equal(false);
        expect(await licences.licencesOf(achievement)).to.deep.equal([id]);
      });
    });

    context("when the caller is not an arbitrator", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        for (const caller of [m.centre.account, m.buyer.account, m.guardian, m.councilSigner]) {
          await expect(licences.connect(caller).terminate(id, CASE))
            .to.be.revertedWithCustomError(licences, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
      });
    });

    context("when the order names no case", function () {
      it("reverts with LicenceMissingReference", async function () {
        await expect(terminateAs(id, ZeroHash)).to.be.revertedWithCustomError(licences, "LicenceMissingReference");
      });
    });

    context("when the licence is unknown", function () {
      it("reverts with LicenceUnknown", async function () {
        for (const unknown of [0n, id + 1n]) {
          await expect(terminateAs(unknown))
            .to.be.revertedWithCustomError(licences, "LicenceUnknown")
            .withArgs(unknown);
        }
      });
    });

    context("when the licence is already terminated", function () {
      it("reverts with LicenceNotActive", async function () {
        await (await terminateAs(id)).wait();
        await expect(terminateAs(id, hashOf("another case")))
          .to.be.revertedWithCustomError(licences, "LicenceNotActive")
          .withArgs(id);
      });
    });

    context("when the licence has ended", function () {
      it("reverts with LicenceNotActive from its end on", async function () {
        const { end } = (await licences.licenceOf(id)).terms;
        await time.setNextBlockTimestamp(end - 1n);
        await expect(terminateAs(id)).to.emit(licences, "LicenceTerminated");
        const next = await recorded(await termsOf(), m.bank);
        const nextEnd = (await licences.licenceOf(next)).terms.end;
        await time.setNextBlockTimestamp(nextEnd);
        await expect(terminateAs(next)).to.be.revertedWithCustomError(licences, "LicenceNotActive").withArgs(next);
      });
    });

    context("when the register is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await (await licences.connect(m.guardian).pause()).wait();
        await expect(terminateAs(id)).to.be.revertedWithCustomError(licences, "EnforcedPause");
      });
    });
  });

  describe("isLicensed", function () {
    let start: number;
    let end: number;

    beforeEach(async function () {
      start = (await time.latest()) + DAY;
      end = start + YEAR;
      await recorded(await termsOf({ kind: LicenceKind.NonExclusive, field: FIELD, territory: TERRITORY, start, end }));
      await recorded(await termsOf({ kind: LicenceKind.NonExclusive, field: 0, territory: 2, start, end }), m.bank);
      await recorded(await termsOf({ kind: LicenceKind.NonExclusive, field: 2, territory: 0, start, end }), m.bank);
    });

    context("when the licence is of one field in one territory", function () {
      it("covers exactly that field and territory", async function () {
        const at = start + DAY;
        const cases: [number, number, boolean][] = [
          [FIELD, TERRITORY, true],
          [FIELD, 2, false],
          [2, TERRITORY, false],
          [0, TERRITORY, false],
          [FIELD, 0, false],
        ];
        for (const [field, territory, expected] of cases) {
          expect(
            await licences.isLicensed(m.buyer.did, achievement, field, territory, at),
            `${field}/${territory}`,
          ).to.equal(expected);
        }
      });
    });

    context("when the licence is of every field or everywhere", function () {
      it("covers every field, respectively every territory", async function () {
        const at = start + DAY;
        const cases: [number, number, boolean][] = [
          [1, 2, true],
          [99, 2, true],
          [0, 2, true],
          [2, 99, true],
          [2, 0, true],
          [1, 1, false],
          [3, 3, false],
        ];
        for (const [field, territory, expected] of cases) {
          expect(
            await licences.isLicensed(m.bank.did, achievement, field, territory, at),
            `${field}/${territory}`,
          ).to.equal(expected);
        }
      });
    });

    context("when asked about the edges of the term", function () {
      it("includes the start and excludes the end", async function () {
        const cases: [number, boolean][] = [
          [start - 1, false],
          [start, true],
          [end - 1, true],
          [end, false],
        ];
        for (const [at, expected] of cases) {
          expect(await licences.isLicensed(m.buyer.did, achievement, FIELD, TERRITORY, at), `at ${at}`).to.equal(
            expected,
          );
        }
      });
    });

    context("when asked about another licensee or achievement", function () {
      it("returns false", async function () {
        const at = start + DAY;
        expect(await licences.isLicensed(m.team.did, achievement, FIELD, TERRITORY, at)).to.equal(false);
        expect(await licences.isLicensed(m.bank.did, achievement, FIELD, TERRITORY, at)).to.equal(false);
        expect(await licences.isLicensed(m.buyer.did, achievement + 1n, FIELD, TERRITORY, at)).to.equal(false);
      });
    });
  });

  describe("licenceOf", function () {
    context("when the licence is unknown", function () {
      it("reverts with LicenceUnknown", async function () {
        await expect(licences.licenceOf(1n)).to.be.revertedWithCustomError(licences, "LicenceUnknown").withArgs(1n);
      });
    });
  });

  describe("pause", function () {
    context("when the caller is not the guardian", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        for (const caller of [m.centre.account, m.arbitrator.account, m.councilSigner]) {
          await expect(licences.connect(caller).pause())
            .to.be.revertedWithCustomError(licences, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
      });
    });
  });

  describe("unpause", function () {
    context("when the caller is not the council", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        await (await licences.connect(m.guardian).pause()).wait();
        for (const caller of [m.guardian, m.centre.account]) {
          await expect(licences.connect(caller).unpause())
            .to.be.revertedWithCustomError(licences, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
      });
    });
  });

  describe("upgradeToAndCall", function () {
    context("when the council upgrades the register", function () {
      it("keeps every licence, list and count", async function () {
        const constructorArgs = [
          (await deployments.get("GovForwarder")).address,
          await m.identity.getAddress(),
          await m.achievements.getAddress(),
        ];
        const factory = await ethers.getContractFactory("LicenceRegister");
        await upgrades.validateImplementation(factory, { kind: "uups", constructorArgs } as Parameters<
          typeof upgrades.validateImplementation
        >[1]);
        const a = await recorded(await termsOf());
        const b = await recorded(await termsOf({ kind: LicenceKind.NonExclusive, field: 2 }), m.bank);
        await (await terminateAs(b)).wait();
        const read = async () => ({
          licences: [plain(await licences.licenceOf(a)), plain(await licences.licenceOf(b))],
          ids: await licences.licencesOf(achievement),
          count: await licences.licenceCount(),
        });
        const before = await read();
        const proxy = await licences.getAddress();
        const oldImplementation = await upgrades.erc1967.getImplementationAddress(proxy);
        const next = await new LicenceRegister__factory(m.deployer).deploy(
          constructorArgs[0],
          constructorArgs[1],
          constructorArgs[2],
        );
        await runProposal(
          m,
          licences,
          licences.interface.encodeFunctionData("upgradeToAndCall", [await next.getAddress(), "0x"]),
        );
        const implementation = await upgrades.erc1967.getImplementationAddress(proxy);
        expect(implementation).to.not.equal(oldImplementation);
        expect(implementation).to.equal(await next.getAddress());
        expect(await read()).to.deep.equal(before);
        const at = (await time.latest()) + 1;
        expect(await licences.isLicensed(m.buyer.did, achievement, FIELD, TERRITORY, at)).to.equal(true);
        await expect(recordAs(await termsOf()))
          .to.be.revertedWithCustomError(licences, "LicenceOverlap")
          .withArgs(a);
      });
    });

    context("when someone else upgrades", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        const next = await new LicenceRegister__factory(m.deployer).deploy(
          (await deployments.get("GovForwarder")).address,
          await m.identity.getAddress(),
          await m.achievements.getAddress(),
        );
        await expect(licences.connect(m.centre.account).upgradeToAndCall(await next.getAddress(), "0x"))
          .to.be.revertedWithCustomError(licences, "AccessManagedUnauthorized")
          .withArgs(m.centre.address);
      });
    });
  });
});

describe("LicenceRegister recordFor (the licence market)", function () {
  let m: TradeModule;
  let licences: LicenceRegister;
  let achievement: bigint;
  /** The fixture's account holding ACHIEVEMENT_MARKET: it stands for the market. */
  let market: HardhatEthersSigner;

  beforeEach(async function () {
    m = await tradeFixture();
    licences = m.licences;
    market = m.marketAccount;
    achievement = await register(m, registrationOf([{ party: m.university, bps: 10_000 }], [m.inventor]));
  });

  async function termsOf(overrides: Partial<LicenceTerms> = {}): Promise<LicenceTerms> {
    const now = await time.latest();
    return {
      kind: LicenceKind.Exclusive,
      field: FIELD,
      territory: TERRITORY,
      start: now,
      end: now + YEAR,
      sublicensable: false,
      ...overrides,
    };
  }

  function recordFor(terms: LicenceTerms, centre: bigint = m.centre.did, dealRef = DEAL, caller = market) {
    return licences.connect(caller).recordFor(achievement, m.buyer.did, terms, dealRef, centre);
  }

  context("when the market records a licence for a centre's deal", function () {
    it("emits LicenceRecorded naming the centre, not the caller, and stores it so", async function () {
      const terms = await termsOf({ field: 9, sublicensable: true });
      await expect(recordFor(terms))
        .to.emit(licences, "LicenceRecorded")
        .withArgs(1n, achievement, m.buyer.did, m.centre.did, tuple(terms), DEAL);
      expect(plain(await licences.licenceOf(1n))).to.deep.equal([
        achievement,
        m.buyer.did,
        m.centre.did,
        BigInt(LicenceStatus.Active),
        tuple(terms),
        DEAL,
      ]);
      expect(await licences.isLicensed(m.buyer.did, achievement, 9, TERRITORY, await time.latest())).to.equal(true);
    });

    it("checks overlaps against licences recorded by centres directly", async function () {
      await (await licences.connect(m.centre.account).record(achievement, m.bank.did, await termsOf(), DEAL)).wait();
      await expect(recordFor(await termsOf()))
        .to.be.revertedWithCustomError(licences, "LicenceOverlap")
        .withArgs(1n);
      await expect(recordFor(await termsOf({ field: FIELD + 1 }))).to.emit(licences, "LicenceRecorded");
    });
  });

  context("when the caller is not the market", function () {
    it("reverts with AccessManagedUnauthorized, a trading centre included", async function () {
      for (const caller of [m.centre.account, m.buyer.account, m.councilSigner]) {
        await expect(recordFor(await termsOf(), m.centre.did, DEAL, caller as HardhatEthersSigner))
          .to.be.revertedWithCustomError(licences, "AccessManagedUnauthorized")
          .withArgs(await caller.getAddress());
      }
    });
  });

  context("when the centre named is not an active DID", function () {
    it("reverts with LicenceInactiveParty for none and for a suspended one", async function () {
      await expect(recordFor(await termsOf(), 0n))
        .to.be.revertedWithCustomError(licences, "LicenceInactiveParty")
        .withArgs(0n);
      await (await m.identity.connect(m.registrar).suspend(m.centre.did, hashOf("suspension"))).wait();
      await expect(recordFor(await termsOf()))
        .to.be.revertedWithCustomError(licences, "LicenceInactiveParty")
        .withArgs(m.centre.did);
    });
  });

  context("when the deal, the achievement or the term is not right", function () {
    it("reverts as record does: LicenceMissingReference, LicenceInvalidTerm, LicenceAchievementLocked", async function () {
      await expect(recordFor(await termsOf(), m.centre.did, ZeroHash)).to.be.revertedWithCustomError(
        licences,
        "LicenceMissingReference",
      );
      const now = await time.latest();
      await expect(recordFor(await termsOf({ start: now - YEAR, end: now - 1 })))
        .to.be.revertedWithCustomError(licences, "LicenceInvalidTerm")
        .withArgs(now - YEAR, now - 1);
      await (await m.rights.connect(m.arbitrator.account).freeze(achievement, CASE)).wait();
      await expect(recordFor(await termsOf()))
        .to.be.revertedWithCustomError(licences, "LicenceAchievementLocked")
        .withArgs(achievement);
    });
  });

  context("when the register is paused", function () {
    it("reverts with EnforcedPause", async function () {
      await (await licences.connect(m.guardian).pause()).wait();
      await expect(recordFor(await termsOf())).to.be.revertedWithCustomError(licences, "EnforcedPause");
    });
  });
});
