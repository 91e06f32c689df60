import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { deployments, ethers } from "hardhat";
import { GovLedger } from "../../src/sdk/govledger";
import { deploymentFromRecords, type Deployment } from "../../src/sdk/deployment";
import { register, registrationOf } from "../helpers/achievement";
import { hashOf } from "../helpers/identity";
import { tradeFixture, type TradeModule } from "../helpers/trade";

const YEAR = 365n * 86_400n;

describe("GovLedger SDK: licences", function () {
  let m: TradeModule;
  let deployment: Deployment;
  let patent: bigint;

  beforeEach(async function () {
    m = await tradeFixture();
    deployment = deploymentFromRecords("hardhat", 31337n, await deployments.all());
    patent = await register(m, registrationOf([{ party: m.university, bps: 10_000 }]));
  });

  const as = (signer: Parameters<typeof GovLedger.connect>[0]) => GovLedger.connect(signer, deployment);

  it("records a licence as the centre, answers isLicensed, and an arbitrator terminates it", async function () {
    const start = BigInt(await time.latest());
    const centre = await as(m.centre.account);
    const recorded = await centre.licences
      .record(
        patent,
        m.buyer.did,
        { kind: "exclusive", field: 7, territory: 31, start, end: start + YEAR },
        hashOf("deal"),
      )
      .wait();
    expect(recorded).to.deep.include({ achievement: patent, licensee: m.buyer.did, recordedBy: m.centre.did });
    const reader = await as(m.outsider.account);
    expect(await reader.licences.isLicensed(m.buyer.did, patent, { field: 7, territory: 31 })).to.equal(true);
    expect(await reader.licences.isLicensed(m.buyer.did, patent, { field: 8, territory: 31 })).to.equal(false);
    expect(
      await reader.licences.isLicensed(m.buyer.did, patent, { field: 7, territory: 31, at: start + YEAR }),
    ).to.equal(false);
    const [view] = await reader.licences.licencesOf(patent);
    expect(view).to.deep.include({ id: recorded.id, status: "Active", kind: "exclusive", field: 7n, territory: 31n });

    const arbitrator = await as(m.arbitrator.account as Parameters<typeof GovLedger.connect>[0]);
    const ended = await arbitrator.licences.terminate(recorded.id, hashOf("case 2026-仲-9")).wait();
    expect(ended).to.deep.include({ id: recorded.id, actor: m.arbitrator.did });
    expect((await reader.licences.licence(recorded.id)).status).to.equal("Terminated");
    expect(await reader.licences.isLicensed(m.buyer.did, patent, { field: 7, territory: 31 })).to.equal(false);
  });

  it("refuses bad input before sending anything", async function () {
    const centre = await as(m.centre.account);
    const block = await ethers.provider.getBlockNumber();
    const start = BigInt(await time.latest());
    expect(() =>
      centre.licences.record(patent, m.buyer.did, { kind: "exclusive", start, end: start }, hashOf("deal")),
    ).to.throw("the licence ends");
    expect(() =>
      centre.licences.record(patent, m.buyer.did, { kind: "sublicence" as never, start, end: start + 1n }, hashOf("d")),
    ).to.throw('licence kind "sublicence" is not one of: exclusive, sole, non-exclusive');
    expect(() =>
      centre.licences.record(
        patent,
        m.buyer.did,
        { kind: "sole", field: 2 ** 32, start, end: start + 1n },
        hashOf("d"),
      ),
    ).to.throw("field code 4294967296 is not valid");
    expect(() => centre.licences.terminate(1, ethers.ZeroHash)).to.throw("the case reference is zero");
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
  });

  it("decodes the register's refusal of an overlapping exclusive licence", async function () {
    const start = BigInt(await time.latest());
    const centre = await as(m.centre.account);
    const terms = { kind: "exclusive" as const, start, end: start + YEAR };
    const first = await centre.licences.record(patent, m.buyer.did, terms, hashOf("deal 1")).wait();
    await expect(centre.licences.record(patent, m.bank.did, terms, hashOf("deal 2")).wait()).to.be.rejectedWith(
      `the licence would overlap licence ${first.id}, and one of them is exclusive or sole`,
    );
  });
});
