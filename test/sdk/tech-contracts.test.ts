import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { deployments, ethers } from "hardhat";
import { ZeroHash } from "ethers";
import { GovLedger } from "../../src/sdk/govledger";
import { deploymentFromRecords, type Deployment } from "../../src/sdk/deployment";
import {
  formatTechContractNumber,
  parseContractAmount,
  parseTechContractNumber,
  techContractNumberProblem,
  type TechContractInput,
} from "../../src/sdk/tech-contracts";
import { register, registrationOf, signChange, type RightsChange } from "../helpers/achievement";
import { hashOf } from "../helpers/identity";
import { tradeFixture, type TradeModule } from "../helpers/trade";

const DAY = 86_400n;
const YEAR = 365n * DAY;
const NUMBER = 2026310104000117n;

describe("GovLedger SDK: technology contracts", function () {
  let m: TradeModule;
  let deployment: Deployment;
  let patent: bigint;

  beforeEach(async function () {
    m = await tradeFixture();
    deployment = deploymentFromRecords("hardhat", 31337n, await deployments.all());
    patent = await register(m, registrationOf([{ party: m.university, bps: 10_000 }]));
  });

  const as = (signer: Parameters<typeof GovLedger.connect>[0]) => GovLedger.connect(signer, deployment);

  /** The assignment of the patent by the university to the buyer, signed a day ago, valid for a year. */
  async function assignment(overrides: Partial<TechContractInput> = {}): Promise<TechContractInput> {
    const now = BigInt(await time.latest());
    return {
      number: NUMBER,
      type: "transfer",
      contractHash: hashOf("technology contract 2026-0117"),
      seller: m.university.did,
      buyer: `did:govledger:31337:${m.buyer.did}`,
      amount: "300000.00",
      signedAt: now - DAY,
      validFrom: now,
      validUntil: now + YEAR,
      achievement: patent,
      dealRef: hashOf("deal"),
      ...overrides,
    };
  }

  /** Moves ownership of the patent to the buyer, as the university and the buyer consent. */
  async function assignToBuyer(): Promise<void> {
    const { version } = await m.achievements.getAchievement(patent);
    const c: RightsChange = {
      achievement: patent,
      right: 0,
      holdings: [{ did: m.buyer.did, bps: 10_000 }],
      until: 0,
      holder: m.buyer.address,
      version,
      deadline: (await time.latest()) + 86_400,
    };
    const consents = [await signChange(m, m.buyer, c)];
    await (await m.rights.connect(m.university.account).changeRights(c, consents, m.university.did)).wait();
  }

  it("registers an assignment as the centre, certifies it once ownership moved, and an arbitrator annuls it", async function () {
    const centre = await as(m.centre.account);
    const input = await assignment();
    const registered = await centre.techContracts.register(input).wait();
    expect(registered).to.deep.include({
      id: 1n,
      number: NUMBER,
      type: "transfer",
      centre: m.centre.did,
      seller: m.university.did,
      buyer: m.buyer.did,
      amount: 30_000_000n,
      achievement: patent,
      contractHash: input.contractHash,
    });

    await expect(centre.techContracts.certify(NUMBER, hashOf("certificate")).wait()).to.be.rejectedWith(
      `buyer DID ${m.buyer.did} does not yet own achievement ${patent}`,
    );
    await assignToBuyer();
    const certified = await centre.techContracts.certify(NUMBER.toString(), hashOf("certificate")).wait();
    expect(certified).to.deep.include({ id: 1n, centre: m.centre.did, certificateHash: hashOf("certificate") });

    const reader = await as(m.outsider.account);
    const byNumber = await reader.techContracts.show(NUMBER);
    expect(byNumber).to.deep.equal(await reader.techContracts.show(1));
    expect(byNumber).to.deep.include({
      id: 1n,
      number: NUMBER,
      type: "transfer",
      status: "Certified",
      amount: 30_000_000n,
      achievement: patent,
      dealRef: hashOf("deal"),
      certificateHash: hashOf("certificate"),
    });
    expect(byNumber.licence).to.equal(undefined);
    expect(await reader.techContracts.idOfNumber(NUMBER)).to.equal(1n);
    expect(await reader.techContracts.idOfNumber(NUMBER + 1n)).to.equal(undefined);
    expect(await reader.techContracts.count()).to.equal(1n);

    const arbitrator = await as(m.arbitrator.account as Parameters<typeof GovLedger.connect>[0]);
    const annulled = await arbitrator.techContracts.annul(1, hashOf("case 2026-法-7")).wait();
    expect(annulled).to.deep.include({ id: 1n, actor: m.arbitrator.did, caseRef: hashOf("case 2026-法-7") });
    expect((await reader.techContracts.show(1)).status).to.equal("Annulled");
  });

  it("registers a development contract without achievement or deal, and shows it without them", async function () {
    const centre = await as(m.centre.account);
    const input = await assignment({
      type: "development",
      achievement: undefined,
      dealRef: undefined,
      amount: 1_234_567n,
    });
    const { id } = await centre.techContracts.register(input).wait();
    const view = await centre.techContracts.show(id);
    expect(view).to.deep.include({ type: "development", status: "Registered", amount: 1_234_567n });
    expect([view.achievement, view.licence, view.dealRef, view.certificateHash]).to.deep.equal([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("refuses bad input before sending anything", async function () {
    const centre = await as(m.centre.account);
    const block = await ethers.provider.getBlockNumber();
    const refusals: [Partial<TechContractInput>, string][] = [
      [{ number: "2026-310104-000117" }, 'technology-contract number "2026-310104-000117" is not 16 digits'],
      [{ number: 1984310104000117n }, 'year 1984 in "1984310104000117" is outside 1985–2200'],
      [{ number: "2026910104000117" }, "administrative-division code 910104"],
      [{ number: "2026310104000000" }, 'serial of "2026310104000000" is 000000'],
      [{ type: "sale" as never }, 'contract type "sale" is not one of: development, transfer, licence'],
      [{ contractHash: ZeroHash }, "the contract hash is zero"],
      [{ contractHash: "0x1234" }, '"0x1234" is not a 32-byte hash'],
      [{ buyer: m.university.did }, `the seller and the buyer are the same DID ${m.university.did}`],
      [{ buyer: 0 }, "DID id 0 is out of range"],
      [{ amount: "300,000.00" }, 'contract amount "300,000.00" is not valid: expected yuan with at most 2 decimals'],
      [{ amount: "1.005" }, 'contract amount "1.005" is not valid'],
      [{ amount: "0.00" }, "contract amount 0.00 is not valid: it must be above zero"],
      [{ signedAt: 0 }, "the signing date is 0"],
      [{ signedAt: 1.5 }, "signing date 1.5 is not a valid time"],
      [{ validFrom: 2_000_000_000, validUntil: 1_000_000_000 }, "the contract's validity ends"],
      [{ achievement: undefined }, "a transfer contract must name the achievement it concerns"],
      [{ achievement: "31202620000" }, 'achievement "31202620000" is not 12 digits'],
      [{ type: "service", licence: 1 }, "a service contract cannot name a licence"],
      [{ type: "licence", licence: -1 }, 'licence "-1" is not valid'],
      [{ dealRef: "deal" }, '"deal" is not a 32-byte hash'],
    ];
    for (const [overrides, message] of refusals) {
      const input = await assignment(overrides);
      expect(() => centre.techContracts.register(input), message).to.throw(message);
    }
    expect(() => centre.techContracts.certify("12345678901234", hashOf("c"))).to.throw(
      'technology contract "12345678901234" is not valid',
    );
    expect(() => centre.techContracts.certify(0, hashOf("c"))).to.throw('technology contract "0" is not valid');
    expect(() => centre.techContracts.certify(1, ZeroHash)).to.throw("the certificate hash is zero");
    expect(() => centre.techContracts.annul(1, ZeroHash)).to.throw("the case reference is zero");
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
  });

  it("refuses, reading the chain, an unknown party, a taken number or document and a future signing date", async function () {
    const centre = await as(m.centre.account);
    const unknown = (await m.identity.didCount()) + 1n;
    await expect(centre.techContracts.register(await assignment({ buyer: unknown })).wait()).to.be.rejectedWith(
      `buyer DID ${unknown} is unknown: no such DID on this chain`,
    );
    await (await m.identity.suspend(m.university.did, hashOf("reason: audit"))).wait();
    await expect(centre.techContracts.register(await assignment()).wait()).to.be.rejectedWith(
      `seller DID ${m.university.did} is suspended, not active`,
    );
    await (await m.identity.reinstate(m.university.did)).wait();
    const future = BigInt(await time.latest()) + DAY;
    await expect(centre.techContracts.register(await assignment({ signedAt: future })).wait()).to.be.rejectedWith(
      "the contract is signed",
    );
    const block = await ethers.provider.getBlockNumber();
    await expect(centre.techContracts.certify(NUMBER, hashOf("c")).wait()).to.be.rejectedWith(
      `no technology contract is registered under number ${NUMBER}`,
    );
    await expect(centre.techContracts.show(NUMBER)).to.be.rejectedWith(
      `no technology contract is registered under number ${NUMBER}`,
    );
    await expect(centre.techContracts.show(1)).to.be.rejectedWith("no technology contract 1");
    expect(await ethers.provider.getBlockNumber()).to.equal(block);

    const first = await assignment();
    await centre.techContracts.register(first).wait();
    await expect(
      centre.techContracts.register(await assignment({ contractHash: hashOf("other") })).wait(),
    ).to.be.rejectedWith(`number ${NUMBER} is already registered, as contract 1`);
    await expect(centre.techContracts.register(await assignment({ number: NUMBER + 1n })).wait()).to.be.rejectedWith(
      `contract document ${first.contractHash} is already registered, as contract 1`,
    );
  });

  it("decodes the register's refusals", async function () {
    const centre = await as(m.centre.account);
    await expect(centre.techContracts.register(await assignment({ seller: m.bank.did })).wait()).to.be.rejectedWith(
      `seller DID ${m.bank.did} is no party of achievement ${patent}`,
    );
    const { id } = await centre.techContracts
      .register(await assignment({ type: "service", achievement: undefined }))
      .wait();
    await centre.techContracts.certify(id, hashOf("c")).wait();
    await expect(centre.techContracts.certify(id, hashOf("c2")).wait()).to.be.rejectedWith(
      `contract ${id} is Certified`,
    );
  });

  describe("registration numbers and amounts", function () {
    it("formats, parses and explains 16-digit numbers as TechContractNumber.sol does", function () {
      expect(formatTechContractNumber({ year: 2026, division: 310104, serial: 117 })).to.equal(NUMBER);
      expect(parseTechContractNumber(" 2026310104000117 ")).to.equal(NUMBER);
      expect(techContractNumberProblem(1985110000000001n)).to.equal(undefined);
      expect(techContractNumberProblem(2200899999999999n)).to.equal(undefined);
      expect(techContractNumberProblem("2201310104000117")).to.equal(
        'year 2201 in "2201310104000117" is outside 1985–2200',
      );
      expect(techContractNumberProblem("2026010104000117")).to.match(/division code 010104 .* does not start with 1–8/);
      expect(() => parseTechContractNumber("123")).to.throw(
        'technology-contract number "123" is not 16 digits (a registration number is a year 1985–2200',
      );
    });

    it("reads amounts in yuan with at most 2 decimals, or fen as a bigint", function () {
      expect(parseContractAmount("300000")).to.equal(30_000_000n);
      expect(parseContractAmount("300000.5")).to.equal(30_000_050n);
      expect(parseContractAmount("0.01")).to.equal(1n);
      expect(parseContractAmount(7n)).to.equal(7n);
      expect(() => parseContractAmount(0n)).to.throw("must be above zero");
      expect(() => parseContractAmount(2n ** 128n)).to.throw("is too large");
    });
  });
});
