import { expect } from "chai";
import { deployments, ethers } from "hardhat";
import { ZeroHash } from "ethers";
import {
  GovLedger,
  GovLedgerError,
  deploymentFromRecords,
  type AchievementRegistration,
  type Call,
  type Deployment,
} from "../../src/sdk";
import { achievementFixture, nextRegistrationNumber, type AchievementModule } from "../helpers/achievement";
import { hashOf, now } from "../helpers/identity";

const YEAR = 365n * 86_400n;

describe("GovLedger SDK: achievement", function () {
  let m: AchievementModule;
  let deployment: Deployment;

  beforeEach(async function () {
    m = await achievementFixture();
    deployment = deploymentFromRecords("hardhat", 31337n, await deployments.all());
  });

  const as = (signer: Parameters<typeof GovLedger.connect>[0]) => GovLedger.connect(signer, deployment);

  /** A patent co-owned 60/40 by the university and the team, the inventor named, the university holding the token. */
  function registration(overrides: Partial<AchievementRegistration> = {}): AchievementRegistration {
    const number = nextRegistrationNumber();
    return {
      registrationNumber: number,
      kind: "patent",
      classification: "applied-research",
      metadata: hashOf(`form:${number}`),
      metadataURI: `ipfs://form-${number}`,
      externalIds: [hashOf(`patent:ZL${number}`)],
      owners: [
        { did: m.university.did, bps: 6000 },
        { did: `did:govledger:31337:${m.team.did}`, bps: 4000 },
      ],
      inventors: [m.inventor.did],
      holder: m.university.address,
      form: {
        name: "一种高效固态电池电解质 (solid-state electrolyte)",
        researchStart: 1_700_000_000,
        researchEnd: 1_760_000_000,
        field: 48020,
        form: 1,
        stage: 2,
        keywords: ["battery", "electrolyte", "solid-state"],
      },
      ...overrides,
    };
  }

  async function registered(overrides: Partial<AchievementRegistration> = {}): Promise<bigint> {
    return (await (await as(m.registrar)).achievement.register(registration(overrides)).wait()).id;
  }

  /** Asserts `build()` (or its call) is refused with `message` and nothing is mined. */
  async function refusedBeforeSending(build: () => Call<unknown>, message: RegExp): Promise<void> {
    const block = await ethers.provider.getBlockNumber();
    await expect((async () => build().wait())()).to.be.rejectedWith(message);
    expect(await ethers.provider.getBlockNumber(), "block number").to.equal(block);
  }

  const until = async () => (await now()) + YEAR;

  describe("register", function () {
    it("resolves to the id, registrar, owners and status, and show decodes the registration form", async function () {
      const r = registration();
      const result = await (await as(m.registrar)).achievement.register(r).wait();
      const id = BigInt(r.registrationNumber);
      expect(result).to.deep.include({
        id,
        registrationNumber: id.toString(),
        registrar: m.registrarDid,
        holder: m.university.address,
        status: "Registered",
      });
      expect(result.owners).to.deep.equal([
        { did: m.university.did, bps: 6000 },
        { did: m.team.did, bps: 4000 },
      ]);
      expect(result.transactionHash).to.match(/^0x[0-9a-f]{64}$/);

      const view = await (await as(m.outsider.account)).achievement.show(id);
      expect(view).to.deep.include({
        id,
        kind: "Patent",
        classification: "AppliedResearch",
        secrecy: "Open",
        status: "Registered",
        pledged: false,
        disputed: false,
        frozen: false,
        version: 1n,
        registrar: m.registrarDid,
        holder: m.university.address,
      });
      expect(view.inventors).to.deep.equal([m.inventor.did]);
      expect(view.rights.Use.holdings).to.deep.equal(result.owners);
      expect(view.rights.Ownership.grant).to.equal(undefined);
      expect(view.evaluations).to.deep.equal([]);
      expect(view.pledge).to.equal(undefined);
      expect(view.metadata).to.deep.equal({
        hash: r.metadata,
        uri: r.metadataURI,
        updatedInBlock: result.blockNumber,
      });
      expect(view.registration).to.deep.equal({
        registrationNumber: id.toString(),
        kind: "Patent",
        classification: "AppliedResearch",
        secrecy: "Open",
        metadata: r.metadata,
        metadataURI: r.metadataURI,
        externalIds: r.externalIds,
        owners: result.owners,
        inventors: [m.inventor.did],
        holder: m.university.address,
        form: {
          name: r.form.name,
          firstOrganisation: m.university.did,
          recommender: 0n,
          researchStart: 1_700_000_000n,
          researchEnd: 1_760_000_000n,
          field: 48020,
          form: 1,
          stage: 2,
          keywords: ["battery", "electrolyte", "solid-state"],
        },
      });
      expect(await (await as(m.outsider.account)).achievement.byRegistrationNumber(id.toString())).to.deep.equal(view);
    });

    context("when the input is bad", function () {
      it("refuses shares that do not sum to 10,000, naming the sum", async function () {
        const gov = await as(m.registrar);
        const owners = [
          { did: m.university.did, bps: 6000 },
          { did: m.team.did, bps: 3000 },
        ];
        await refusedBeforeSending(
          () => gov.achievement.register(registration({ owners })),
          /^the owners' shares sum to 9000 bps \(6000 \+ 3000\), not 10000$/,
        );
      });

      it("refuses a malformed registration number", async function () {
        const gov = await as(m.registrar);
        await refusedBeforeSending(
          () => gov.achievement.register(registration({ registrationNumber: "3120262" })),
          /^malformed registration number: "3120262" is not 12 digits$/,
        );
        await refusedBeforeSending(
          () => gov.achievement.register(registration({ registrationNumber: 311970200001n })),
          /^malformed registration number: year 1970 in "311970200001" is outside 1978–2099$/,
        );
      });

      it("refuses an unknown owner DID and an unknown inventor DID", async function () {
        const gov = await as(m.registrar);
        const owners = [
          { did: m.university.did, bps: 6000 },
          { did: 999n, bps: 4000 },
        ];
        await refusedBeforeSending(
          () => gov.achievement.register(registration({ owners })),
          /^owner DID 999 is unknown: no DID did:govledger:31337:999 on this chain$/,
        );
        await refusedBeforeSending(
          () => gov.achievement.register(registration({ inventors: [998n] })),
          /^inventor DID 998 is unknown/,
        );
      });

      it("refuses an inactive owner DID", async function () {
        await (await m.identity.connect(m.registrar).suspend(m.team.did, hashOf("fraud"))).wait();
        const gov = await as(m.registrar);
        await refusedBeforeSending(
          () => gov.achievement.register(registration()),
          new RegExp(`^owner DID ${m.team.did} is suspended, not active$`),
        );
      });

      it("refuses more than 3 keywords, a zero metadata hash and a holder that does not act for the first owner", async function () {
        const gov = await as(m.registrar);
        const r = registration();
        await refusedBeforeSending(
          () => gov.achievement.register({ ...r, form: { ...r.form, keywords: ["a", "b", "c", "d"] } }),
          /^4 keywords given \(a, b, c, d\), at most 3 allowed$/,
        );
        await refusedBeforeSending(
          () => gov.achievement.register(registration({ metadata: ZeroHash })),
          /^metadata hash is zero/,
        );
        await refusedBeforeSending(
          () => gov.achievement.register(registration({ holder: m.team.address })),
          new RegExp(`^the holder ${m.team.address} does not act for the first owner DID ${m.university.did}`),
        );
      });

      it("refuses an unknown kind and a registration number already registered (decoded)", async function () {
        const gov = await as(m.registrar);
        await refusedBeforeSending(
          () => gov.achievement.register(registration({ kind: "poem" })),
          /^unknown kind "poem": expected one of patent, software-copyright, integrated-circuit-layout/,
        );
        const id = await registered();
        const again = gov.achievement.register(registration({ registrationNumber: id, externalIds: [] }));
        const block = await ethers.provider.getBlockNumber();
        await expect(again.wait()).to.be.rejectedWith(
          GovLedgerError,
          new RegExp(`^AchievementAlreadyRegistered: achievement ${id} is already registered$`),
        );
        expect(await ethers.provider.getBlockNumber()).to.equal(block);
      });
    });
  });

  describe("grantRight", function () {
    it("grants the team the use right for a term with the team's signature", async function () {
      const id = await registered();
      const end = await until();
      const uni = await as(m.university.account);
      const result = await uni.achievement
        .grantRight({
          id,
          right: "use",
          holdings: [{ did: m.team.did, bps: 10_000 }],
          until: end,
          asDid: m.university.did,
          signers: [m.team.account],
        })
        .wait();
      expect(result).to.deep.include({
        id,
        right: "Use",
        until: end,
        actor: m.university.did,
        caseRef: ZeroHash,
        status: "Registered",
      });
      expect(result.holdings).to.deep.equal([{ did: m.team.did, bps: 10_000 }]);
      const view = await uni.achievement.show(id);
      expect(view.version).to.equal(2n);
      expect(view.rights.Use.holdings).to.deep.equal([{ did: m.team.did, bps: 10_000 }]);
      expect(view.rights.Use.grant).to.deep.equal({ holdings: [{ did: m.team.did, bps: 10_000 }], until: end });
      expect(view.rights.Use.base).to.deep.equal(view.rights.Ownership.holdings);
    });

    it("applies a change the team approved on chain", async function () {
      const id = await registered();
      const uni = await as(m.university.account);
      const change = await uni.achievement.buildChange({
        id,
        right: "income",
        holdings: [
          { did: m.university.did, bps: 3000 },
          { did: m.team.did, bps: 7000 },
        ],
      });
      expect(await uni.achievement.consentsNeeded(change)).to.deep.equal([m.university.did, m.team.did]);
      const approval = await (await as(m.team.account)).achievement.approve(change, m.team.did).wait();
      expect(approval).to.deep.include({ id, did: m.team.did, actor: m.team.did });
      expect(approval.actionHash).to.equal(await m.rights.rightsChangeHash(change));
      const result = await uni.achievement.changeRights(change, { asDid: m.university.did }).wait();
      expect(result).to.deep.include({ right: "Income", until: 0n, actor: m.university.did });
      expect(result.changeHash).to.equal(approval.actionHash);
      expect((await uni.achievement.show(id)).rights.Income.holdings).to.deep.equal(change.holdings);
    });

    context("when a party has not consented", function () {
      it("names the party and sends nothing", async function () {
        const id = await registered();
        const uni = await as(m.university.account);
        await refusedBeforeSending(
          () =>
            uni.achievement.grantRight({
              id,
              right: "use",
              holdings: [{ did: m.team.did, bps: 10_000 }],
              until: 4_000_000_000,
              asDid: m.university.did,
            }),
          new RegExp(`^consent missing from DID ${m.team.did}: each must approve on chain`),
        );
      });
    });

    context("when the new holders' shares do not sum to 10,000", function () {
      it("throws before building anything", async function () {
        const uni = await as(m.university.account);
        expect(() =>
          uni.achievement.grantRight({
            id: nextRegistrationNumber(),
            right: "use",
            holdings: [{ did: m.team.did, bps: 9_999 }],
            asDid: m.university.did,
          }),
        ).to.throw(/^the holders' shares sum to 9999 bps \(9999\), not 10000$/);
      });
    });
  });

  describe("transfer", function () {
    it("moves ownership and the token with every co-owner's consent", async function () {
      const id = await registered();
      const uni = await as(m.university.account);
      const result = await uni.achievement
        .transfer({
          id,
          owners: [{ did: m.team.did, bps: 10_000 }],
          holder: m.team.address,
          asDid: m.university.did,
          signers: [m.team.account],
        })
        .wait();
      expect(result).to.deep.include({ right: "Ownership", until: 0n, status: "Transferred" });
      const view = await uni.achievement.show(id);
      expect(view).to.deep.include({ holder: m.team.address, status: "Transferred" });
      expect(await uni.achievement.byOwner(m.team.did)).to.deep.equal([
        { id, shares: { Ownership: 10_000, Use: 10_000, Disposal: 10_000, Income: 10_000 } },
      ]);
      expect(await uni.achievement.byOwner(m.university.did)).to.deep.equal([]);
      expect(await uni.achievement.byStatus("transferred")).to.deep.equal([id]);
      expect(await uni.achievement.byStatus("Registered")).to.deep.equal([]);
    });

    it("refuses a permanent ownership change without a holder account", function () {
      return as(m.university.account).then((uni) =>
        expect(() =>
          uni.achievement.grantRight({
            id: nextRegistrationNumber(),
            right: "ownership",
            holdings: [{ did: m.team.did, bps: 10_000 }],
            asDid: m.university.did,
          }),
        ).to.throw(/^a permanent change of ownership names the account the token moves to \(holder\)$/),
      );
    });
  });

  describe("evaluate", function () {
    const scores = { scientific: 90, technical: 85, economic: 70, social: 60, cultural: 40 };

    it("publishes an evaluation that moves the achievement to Evaluated", async function () {
      const id = await registered();
      const validUntil = await until();
      const gov = await as(m.evaluator.account);
      const input = {
        id,
        evaluator: m.evaluator.did,
        scores,
        suggestedValue: 5_000_000_00n,
        validUntil,
        reportHash: hashOf("report"),
        declarationHash: hashOf("no conflict"),
      };
      const result = await gov.achievement.evaluate(input).wait();
      expect(result).to.deep.include({
        id,
        index: 0,
        evaluator: m.evaluator.did,
        suggestedValue: 5_000_000_00n,
        validUntil,
        reportHash: hashOf("report"),
        declarationHash: hashOf("no conflict"),
        status: "Evaluated",
      });
      expect(result.scores).to.deep.equal(scores);
      const [evaluation] = (await gov.achievement.show(id)).evaluations;
      expect(evaluation).to.deep.include({
        index: 0,
        evaluator: m.evaluator.did,
        scores,
        validUntil,
        reportHash: hashOf("report"),
      });
      expect(await gov.achievement.byStatus("evaluated")).to.deep.equal([id]);
    });

    it("refuses a score above 100 before sending", async function () {
      const gov = await as(m.evaluator.account);
      expect(() =>
        gov.achievement.evaluate({
          id: nextRegistrationNumber(),
          evaluator: m.evaluator.did,
          scores: { ...scores, economic: 101 },
          suggestedValue: 0,
          validUntil: 4_000_000_000,
          reportHash: hashOf("report"),
          declarationHash: hashOf("no conflict"),
        }),
      ).to.throw(/^the economic score 101 is not valid: scores run from 0 to 100$/);
    });
  });

  describe("pledge and release", function () {
    it("pledges to the bank with the disposal holders' and lender's signatures; the bank releases it", async function () {
      const id = await registered();
      const end = await until();
      const uni = await as(m.university.account);
      const pledged = await uni.achievement
        .pledge({
          id,
          lender: m.bank.did,
          securedAmount: 2_000_000_00n,
          until: end,
          contractHash: hashOf("pledge contract"),
          asDid: m.university.did,
          signers: [m.team.account, m.bank.account],
        })
        .wait();
      expect(pledged).to.deep.include({
        id,
        lender: m.bank.did,
        actor: m.university.did,
        securedAmount: 2_000_000_00n,
        until: end,
        contractHash: hashOf("pledge contract"),
      });
      const view = await uni.achievement.show(id);
      expect(view.pledged).to.equal(true);
      expect(view.pledge).to.deep.include({ lender: m.bank.did, until: end, securedAmount: 2_000_000_00n });

      // The bank's key pays nothing: the deployer relays its release.
      const bank = (await as(m.bank.account)).achievement.relayed(m.bank.account, m.deployer);
      const released = await bank.release(id, m.bank.did).wait();
      expect(released).to.deep.include({ id, actor: m.bank.did, byOrder: false, caseRef: ZeroHash });
      expect(await uni.achievement.pledgeOf(id)).to.equal(undefined);
    });

    it("refuses an unknown lender before sending", async function () {
      const id = await registered();
      const uni = await as(m.university.account);
      await refusedBeforeSending(
        () =>
          uni.achievement.pledge({
            id,
            lender: 777n,
            securedAmount: 1,
            until: 4_000_000_000,
            contractHash: hashOf("pledge contract"),
            asDid: m.university.did,
          }),
        /^lender DID 777 is unknown/,
      );
    });
  });

  describe("freeze, unfreeze, disputes", function () {
    it("lets an arbitrator freeze and unfreeze, and a party open a dispute", async function () {
      const id = await registered();
      const court = await as(m.arbitrator.account);
      const caseRef = hashOf("case 2026-017");
      expect(await court.achievement.freeze(id, caseRef).wait()).to.deep.include({
        id,
        lock: "Frozen",
        on: true,
        actor: m.arbitrator.did,
        caseRef,
      });
      expect((await court.achievement.show(id)).frozen).to.equal(true);
      expect(await court.achievement.unfreeze(id, caseRef).wait()).to.deep.include({ lock: "Frozen", on: false });
      const opened = await (await as(m.team.account)).achievement.openDispute(id, m.team.did, caseRef).wait();
      expect(opened).to.deep.include({ lock: "Disputed", on: true, actor: m.team.did });
      expect(await court.achievement.closeDispute(id, caseRef).wait()).to.deep.include({ lock: "Disputed", on: false });
    });

    it("refuses an order without a case before sending", async function () {
      const court = await as(m.arbitrator.account);
      expect(() => court.achievement.freeze(nextRegistrationNumber(), ZeroHash)).to.throw(/^case reference is zero/);
    });

    it("lets an arbitrator order a transfer without consents, whatever the locks", async function () {
      const id = await registered();
      const court = await as(m.arbitrator.account);
      const caseRef = hashOf("case 2026-018");
      await court.achievement.freeze(id, caseRef).wait();
      const ordered = await court.achievement
        .orderTransfer(
          { id, right: "ownership", holdings: [{ did: m.team.did, bps: 10_000 }], holder: m.team.address },
          caseRef,
        )
        .wait();
      expect(ordered).to.deep.include({ right: "Ownership", actor: m.arbitrator.did, caseRef, status: "Transferred" });
      expect((await court.achievement.show(id)).holder).to.equal(m.team.address);
    });
  });

  describe("history", function () {
    it("lists every event of both contracts in block order with the acting DID, in pages of blocks", async function () {
      const id = await registered();
      await registered(); // another achievement's events stay out
      const uni = await as(m.university.account);
      await uni.achievement
        .grantRight({
          id,
          right: "use",
          holdings: [{ did: m.team.did, bps: 10_000 }],
          until: await until(),
          asDid: m.university.did,
          signers: [m.team.account],
        })
        .wait();
      await (await as(m.registrar)).achievement.updateMetadata(id, hashOf("corrected form"), "ipfs://v2").wait();
      await (await as(m.arbitrator.account)).achievement.freeze(id, hashOf("case")).wait();

      const history = await uni.achievement.history(id);
      expect(history.map((e) => e.name)).to.deep.equal([
        "ShareAssigned",
        "ShareAssigned",
        "AchievementRegistered",
        "StatusChanged",
        "ShareAssigned",
        "RightsChanged",
        "MetadataUpdated",
        "Frozen",
      ]);
      expect(history.map((e) => e.actor)).to.deep.equal([
        m.registrarDid,
        m.registrarDid,
        m.registrarDid,
        m.registrarDid,
        m.university.did,
        m.university.did,
        m.registrarDid,
        m.arbitrator.did,
      ]);
      expect(history[2].args.registration).to.deep.include({ registrationNumber: id.toString(), kind: "Patent" });
      expect(history[4].args).to.deep.include({ id, did: m.team.did, right: 1n, bps: 10_000n });
      expect(history[7]).to.deep.include({ contract: "AchievementRights", name: "Frozen" });
      const blocks = history.map((e) => e.blockNumber);
      expect(blocks).to.deep.equal([...blocks].sort((a, b) => a - b));

      const paged = await uni.achievement.withScan({ maxBlockRange: 2 }).history(id);
      expect(paged).to.deep.equal(history);
      const show = await uni.achievement.show(id);
      expect(show.metadata).to.deep.equal({
        hash: hashOf("corrected form"),
        uri: "ipfs://v2",
        updatedInBlock: history[6].blockNumber,
      });
    });

    it("refuses an unknown achievement with the decoded error", async function () {
      const gov = await as(m.outsider.account);
      const id = nextRegistrationNumber();
      await expect(gov.achievement.history(id)).to.be.rejectedWith(
        GovLedgerError,
        new RegExp(`^AchievementUnknown: achievement ${id} is not registered$`),
      );
    });
  });
});
