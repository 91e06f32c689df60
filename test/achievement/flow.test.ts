import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { deployments } from "hardhat";
import { ZeroAddress, ZeroHash, id } from "ethers";
import {
  AchievementStatus,
  GovLedger,
  GovLedgerError,
  Right,
  deploymentFromRecords,
  formatRegistrationNumber,
  type Call,
  type Deployment,
  type GovLedger as Gov,
  type PledgeTerms,
} from "../../src/sdk";
import { achievementFixture, type AchievementModule } from "../helpers/achievement";

const YEAR = 365n * 86_400n;
const PATENT = formatRegistrationNumber({ region: 31, year: 2026, type: 2, serial: 42 });
const PATENT_NUMBER = id("ZL202610123456.7");
const SCORES = { scientific: 88, technical: 92, economic: 85, social: 80, cultural: 60 };

/** Sends `call`, which must be refused by the chain with `errorName` and exactly `args`. */
async function expectRefused(call: Call<unknown>, errorName: string, args: Record<string, unknown>): Promise<void> {
  const error = await call.wait().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${errorName}`).to.be.instanceOf(GovLedgerError);
  expect((error as GovLedgerError).errorName).to.equal(errorName);
  expect((error as GovLedgerError).args).to.deep.equal(args);
}

/**
 * The demo's achievement chapter as a user journey through the SDK, checking the chain at every
 * step (the steps run in order and build on each other): a patent co-owned 70/30 by a university
 * and its team lead, a ten-year use right granted to the team with its signature, an evaluation by
 * an accredited agency (after the university, a party, is refused), a pledge to a bank by both
 * disposal holders and the bank, a sale refused while pledged, the bank's release, and the history.
 */
describe("Achievement flow: co-own, grant a use right, evaluate, pledge and release", function () {
  let m: AchievementModule;
  let deployment: Deployment;
  let sci: Gov;
  let uni: Gov;
  let bank: Gov;
  let start: bigint;
  let version: bigint;
  let terms: PledgeTerms;

  before(async function () {
    m = await achievementFixture();
    deployment = deploymentFromRecords("hardhat", 31337n, await deployments.all());
    sci = await GovLedger.connect(m.registrar, deployment);
    uni = await GovLedger.connect(m.university.account, deployment);
    bank = await GovLedger.connect(m.bank.account, deployment);
    start = BigInt(await time.latest());
  });

  it("registers the patent co-owned 70/30 by the university and the team lead", async function () {
    expect(await sci.achievement.evaluatorTopic()).to.equal(m.evaluatorTopic);
    const sent = sci.achievement
      .register({
        registrationNumber: PATENT.toString(),
        kind: "patent",
        classification: "applied-research",
        metadata: id("registration form 312026200042"),
        metadataURI: "https://registry.sci.example/forms/312026200042",
        externalIds: [PATENT_NUMBER],
        owners: [
          { did: m.university.did, bps: 7_000 },
          { did: m.team.did, bps: 3_000 },
        ],
        inventors: [m.team.did, m.inventor.did],
        holder: m.university.address,
        form: {
          name: "一种高安全性固态锂电池电解质及其制备方法",
          researchStart: 1_630_454_400,
          researchEnd: 1_767_139_200,
          field: 48_020,
          form: 1,
          stage: 2,
          keywords: ["固态电池 solid-state battery", "电解质 electrolyte", "锂离子 lithium-ion"],
        },
      })
      .send();
    await expect(sent)
      .to.emit(m.achievements, "AchievementRegistered")
      .withArgs(PATENT, m.registrarDid, anyValue)
      .and.to.emit(m.achievements, "ShareAssigned")
      .withArgs(PATENT, m.university.did, Right.Ownership, 7_000, 0)
      .and.to.emit(m.achievements, "ShareAssigned")
      .withArgs(PATENT, m.team.did, Right.Ownership, 3_000, 0)
      .and.to.emit(m.achievements, "StatusChanged")
      .withArgs(PATENT, AchievementStatus.Registered, m.registrarDid)
      .and.to.emit(m.achievements, "Transfer")
      .withArgs(ZeroAddress, m.university.address, PATENT);
    const registered = await (await sent).wait();
    expect(registered).to.deep.include({ id: PATENT, registrationNumber: "312026200042", status: "Registered" });

    const view = await sci.achievement.show(PATENT);
    expect(view).to.deep.include({
      status: "Registered",
      kind: "Patent",
      pledged: false,
      holder: m.university.address,
    });
    const coOwners = [
      { did: m.university.did, bps: 7_000 },
      { did: m.team.did, bps: 3_000 },
    ];
    for (const right of ["Ownership", "Use", "Disposal", "Income"] as const) {
      expect(view.rights[right].holdings, right).to.deep.equal(coOwners);
    }
    expect(view.inventors).to.deep.equal([m.team.did, m.inventor.did]);
    expect(view.registration?.form.keywords).to.have.length(3);
    expect(view.registration?.externalIds).to.deep.equal([PATENT_NUMBER]);
    expect(await m.achievements.achievementOfExternalId(PATENT_NUMBER)).to.equal(PATENT);
    expect(await sci.achievement.byOwner(m.team.did)).to.deep.equal([
      { id: PATENT, shares: { Ownership: 3_000, Use: 3_000, Disposal: 3_000, Income: 3_000 } },
    ]);
    version = view.version;
  });

  it("grants the team a ten-year use right with the team lead's signature (赋权)", async function () {
    const until = start + 10n * YEAR;
    const sent = uni.achievement
      .grantRight({
        id: PATENT,
        right: "use",
        holdings: [{ did: m.team.did, bps: 10_000 }],
        until,
        asDid: m.university.did,
        signers: [m.team.account],
      })
      .send();
    await expect(sent)
      .to.emit(m.achievements, "RightsChanged")
      .withArgs(PATENT, m.university.did, Right.Use, until, anyValue, ZeroHash)
      .and.to.emit(m.achievements, "ShareAssigned")
      .withArgs(PATENT, m.team.did, Right.Use, 10_000, until);
    expect(await (await sent).wait()).to.deep.include({ right: "Use", until, actor: m.university.did });

    const view = await sci.achievement.show(PATENT);
    expect(view.rights.Use.holdings).to.deep.equal([{ did: m.team.did, bps: 10_000 }]);
    expect(view.rights.Use.grant).to.deep.equal({ holdings: [{ did: m.team.did, bps: 10_000 }], until });
    expect(view.rights.Ownership.holdings).to.deep.equal([
      { did: m.university.did, bps: 7_000 },
      { did: m.team.did, bps: 3_000 },
    ]);
    expect(await m.achievements.shareOf(PATENT, Right.Use, m.university.did)).to.equal(0);
    expect(view.version).to.equal(version + 1n);
  });

  it("refuses the university taking the whole patent without the team's consent", async function () {
    const grab = await uni.achievement.buildChange({
      id: PATENT,
      right: "ownership",
      holdings: [{ did: m.university.did, bps: 10_000 }],
      holder: m.university.address,
    });
    expect(await uni.achievement.consentsNeeded(grab)).to.deep.equal([m.university.did, m.team.did]);
    await expect(uni.achievement.changeRights(grab, { asDid: m.university.did }).check()).to.be.rejectedWith(
      `consent missing from DID ${m.team.did}`,
    );
    await expect(uni.achievement.rights.changeRights(grab, [], m.university.did))
      .to.be.revertedWithCustomError(m.rights, "AchievementConsentMissing")
      .withArgs(PATENT, m.team.did);
    expect(await m.achievements.shareOf(PATENT, Right.Ownership, m.university.did)).to.equal(7_000);
  });

  it("refuses an evaluation by the university, a party, even when accredited", async function () {
    await sci.identity
      .issueClaim({
        subject: m.university.did,
        topic: m.evaluatorTopic,
        dataHash: id("accreditation: university evaluation centre"),
        validUntil: start + 3n * YEAR,
      })
      .wait();
    expect(await sci.identity.hasValidClaim(m.university.did, m.evaluatorTopic)).to.equal(true);
    const enrolment = await sci.achievement.enrolEvaluator(m.university.address, m.university.did).wait();
    expect(enrolment.did).to.equal(m.university.did);
    await expectRefused(
      uni.achievement.evaluate({
        id: PATENT,
        evaluator: m.university.did,
        scores: { scientific: 100, technical: 100, economic: 100, social: 100, cultural: 100 },
        suggestedValue: 9_000_000_000n,
        validUntil: start + 2n * YEAR,
        reportHash: id("self-evaluation"),
        declarationHash: id("no conflict (untrue)"),
      }),
      "AchievementConflictOfInterest",
      { id: PATENT, evaluator: m.university.did },
    );
  });

  it("publishes the accredited evaluator's evaluation and moves the patent to Evaluated", async function () {
    const evaluator = await GovLedger.connect(m.evaluator.account, deployment);
    const [validUntil, report, declaration] = [start + 2n * YEAR, id("report ZGC-PJ-2026-0412"), id("no conflict")];
    const sent = evaluator.achievement
      .evaluate({
        id: PATENT,
        evaluator: m.evaluator.did,
        scores: SCORES,
        suggestedValue: 1_200_000_000n,
        validUntil,
        reportHash: report,
        declarationHash: declaration,
      })
      .send();
    await expect(sent)
      .to.emit(m.achievements, "Evaluated")
      .withArgs(PATENT, m.evaluator.did, 0, [88, 92, 85, 80, 60], 1_200_000_000n, validUntil, report, declaration)
      .and.to.emit(m.achievements, "StatusChanged")
      .withArgs(PATENT, AchievementStatus.Evaluated, m.evaluator.did);
    expect(await (await sent).wait()).to.deep.include({ index: 0, status: "Evaluated", scores: SCORES });

    const view = await sci.achievement.show(PATENT);
    expect(view.status).to.equal("Evaluated");
    expect(view.evaluations).to.have.length(1);
    expect(view.evaluations[0]).to.deep.include({
      evaluator: m.evaluator.did,
      scores: SCORES,
      suggestedValue: 1_200_000_000n,
      validUntil,
      reportHash: report,
      declarationHash: declaration,
    });
    expect(await sci.achievement.byStatus("evaluated")).to.deep.equal([PATENT]);
  });

  it("pledges the patent to the bank with both disposal holders' and the bank's consent", async function () {
    terms = await bank.achievement.buildPledge({
      id: PATENT,
      lender: m.bank.did,
      securedAmount: 500_000_000n,
      until: start + YEAR,
      contractHash: id("pledge contract PCB-ZY-2026-0088"),
    });
    expect(await bank.achievement.pledgeParties(terms)).to.deep.equal([m.university.did, m.team.did, m.bank.did]);
    const actionHash = await m.rights.pledgeHash(terms);
    await expect(bank.achievement.approve(terms, m.bank.did).send())
      .to.emit(m.rights, "ConsentGiven")
      .withArgs(PATENT, m.bank.did, actionHash, m.bank.did);
    expect(await bank.achievement.hasConsented(actionHash, m.bank.did)).to.equal(true);

    const sent = uni.achievement.pledgeWith(terms, { asDid: m.university.did, signers: [m.team.account] }).send();
    await expect(sent)
      .to.emit(m.rights, "Pledged")
      .withArgs(PATENT, m.bank.did, m.university.did, 500_000_000n, start + YEAR, terms.contractHash);
    const pledgedAt = BigInt(await time.latest());
    const view = await sci.achievement.show(PATENT);
    expect(view.pledged).to.equal(true);
    expect(view.pledge).to.deep.equal({
      lender: m.bank.did,
      since: pledgedAt,
      until: start + YEAR,
      securedAmount: 500_000_000n,
      contractHash: terms.contractHash,
    });
  });

  it("refuses a sale of the pledged patent although every party consents", async function () {
    await expectRefused(
      uni.achievement.transfer({
        id: PATENT,
        owners: [{ did: m.outsider.did, bps: 10_000 }],
        holder: m.outsider.address,
        asDid: m.university.did,
        signers: [m.team.account, m.outsider.account],
      }),
      "AchievementLocked",
      { id: PATENT, pledged: true, disputed: false, frozen: false },
    );
    expect(await m.achievements.ownerOf(PATENT)).to.equal(m.university.address);
  });

  it("lets only the bank release the pledge", async function () {
    await expectRefused(uni.achievement.release(PATENT, m.university.did), "AchievementNotLender", {
      id: PATENT,
      did: m.university.did,
    });
    const sent = bank.achievement.release(PATENT, m.bank.did).send();
    await expect(sent).to.emit(m.rights, "PledgeReleased").withArgs(PATENT, m.bank.did, ZeroHash);
    expect(await (await sent).wait()).to.deep.include({ byOrder: false, actor: m.bank.did });
    const view = await sci.achievement.show(PATENT);
    expect(view).to.deep.include({ pledged: false, status: "Evaluated" });
    expect(view.pledge).to.equal(undefined);
    expect(await sci.achievement.pledgeOf(PATENT)).to.equal(undefined);
  });

  it("tells the whole story in the history, each event naming the DID that acted", async function () {
    const history = await sci.achievement.history(PATENT);
    const { registrarDid: registrar, university, evaluator } = m;
    expect(history.map((e) => [e.name, e.actor])).to.deep.equal([
      ["ShareAssigned", registrar],
      ["ShareAssigned", registrar],
      ["AchievementRegistered", registrar],
      ["StatusChanged", registrar],
      ["ShareAssigned", university.did],
      ["RightsChanged", university.did],
      ["StatusChanged", evaluator.did],
      ["Evaluated", evaluator.did],
      ["ConsentGiven", m.bank.did],
      ["Pledged", university.did],
      ["PledgeReleased", m.bank.did],
    ]);
  });
});
