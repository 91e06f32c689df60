import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { ethers, upgrades } from "hardhat";
import { ZeroAddress, type Result } from "ethers";
import { Right } from "../../src/sdk/achievement-types";
import { AchievementRegistryV2__factory, AchievementRightsV2__factory } from "../../typechain-types";
import {
  achievementFixture,
  register,
  registrationOf,
  signChange,
  signPledge,
  type AchievementModule,
} from "../helpers/achievement";
import { hashOf } from "../helpers/identity";
import { runProposal } from "../helpers/proposals";

const YEAR = 365 * 86_400;

/** A struct read from a contract as a plain object, to compare deeply. */
function plain(value: unknown): unknown {
  return (value as Result).toObject(true);
}

/** Everything both achievement contracts say about `ids`, to compare across an upgrade. */
async function records(m: AchievementModule, ids: bigint[]) {
  const out = [];
  for (const id of ids) {
    const a = await m.achievements.getAchievement(id);
    const rights = [];
    for (const right of [Right.Ownership, Right.Use, Right.Disposal, Right.Income]) {
      const [base, grant, until] = await m.achievements.rightOf(id, right);
      rights.push({ base: base.map(plain), grant: grant.map(plain), until });
    }
    const evaluations = [];
    for (let i = 0n; i < a.evaluationCount; i++) evaluations.push(plain(await m.achievements.evaluationOf(id, i)));
    out.push({
      achievement: plain(a),
      owner: await m.achievements.ownerOf(id),
      rights,
      inventors: [...(await m.achievements.inventorsOf(id))],
      evaluations,
      pledge: plain(await m.rights.pledgeOf(id)),
    });
  }
  return {
    out,
    balance: await m.achievements.balanceOf(m.university.address),
    registrar: await m.achievements.registrarOf(m.registrar.address),
    evaluator: await m.achievements.evaluatorOf(m.evaluator.address),
    topic: await m.rights.evaluatorTopic(),
  };
}

describe("Upgrades: AchievementRegistry and AchievementRights", function () {
  let m: AchievementModule;

  beforeEach(async function () {
    m = await achievementFixture();
  });

  it("accepts both V2s as storage-compatible upgrades", async function () {
    const forwarder = await m.forwarder.getAddress();
    const checks: [string, string, unknown[]][] = [
      ["AchievementRegistry", "AchievementRegistryV2", [forwarder, await m.identity.getAddress()]],
      ["AchievementRights", "AchievementRightsV2", [forwarder]],
    ];
    for (const [v1, v2, constructorArgs] of checks) {
      // The validator deploys nothing here but reads the constructor arguments all the same.
      const options: Parameters<typeof upgrades.validateUpgrade>[2] & { constructorArgs: unknown[] } = {
        kind: "uups",
        constructorArgs,
      };
      await upgrades.validateUpgrade(await ethers.getContractFactory(v1), await ethers.getContractFactory(v2), options);
    }
  });

  it("keeps every token, right, grant, lock, evaluation and pledge through paused council upgrades", async function () {
    const coOwned = registrationOf(
      [
        { party: m.university, bps: 7000 },
        { party: m.team, bps: 3000 },
      ],
      [m.inventor],
    );
    const sole = registrationOf([{ party: m.university, bps: 10_000 }]);
    const [a, b] = [await register(m, coOwned), await register(m, sole)];
    const scores = { scientific: 90, technical: 80, economic: 70, social: 60, cultural: 50 };
    const until = (await time.latest()) + 5 * YEAR;
    await m.achievements
      .connect(m.evaluator.account)
      .evaluate(a, m.evaluator.did, scores, 12_000_000n, until, hashOf("report"), hashOf("declaration"));
    const grant = {
      achievement: a,
      right: Right.Use,
      holdings: [{ did: m.team.did, bps: 10_000 }],
      until,
      holder: ZeroAddress,
      version: (await m.achievements.getAchievement(a)).version,
      deadline: until,
    };
    await m.rights
      .connect(m.university.account)
      .changeRights(grant, [await signChange(m, m.team, grant)], m.university.did);
    const terms = {
      achievement: b,
      lender: m.bank.did,
      securedAmount: 5_000_000n,
      until,
      contractHash: hashOf("pledge contract"),
      version: (await m.achievements.getAchievement(b)).version,
      deadline: until,
    };
    await m.rights.connect(m.university.account).pledge(terms, [await signPledge(m, m.bank, terms)], m.university.did);
    await m.achievements.connect(m.guardian).pause();
    await m.rights.connect(m.guardian).pause();
    const before = await records(m, [a, b]);

    const forwarder = await m.forwarder.getAddress();
    const registryV2 = await new AchievementRegistryV2__factory(m.deployer).deploy(
      forwarder,
      await m.identity.getAddress(),
    );
    const rightsV2 = await new AchievementRightsV2__factory(m.deployer).deploy(forwarder);
    await runProposal(
      m,
      m.achievements,
      m.achievements.interface.encodeFunctionData("upgradeToAndCall", [await registryV2.getAddress(), "0x"]),
    );
    await runProposal(
      m,
      m.rights,
      m.rights.interface.encodeFunctionData("upgradeToAndCall", [await rightsV2.getAddress(), "0x"]),
    );

    expect(await m.achievements.version()).to.equal("2.0.0");
    expect(await m.rights.version()).to.equal("2.0.0");
    expect([await m.achievements.paused(), await m.rights.paused()]).to.deep.equal([true, true]);
    expect(await records(m, [a, b])).to.deep.equal(before);
    expect(await m.achievements.shareOf(a, Right.Use, m.team.did)).to.equal(10_000n);
    expect((await m.achievements.getAchievement(b)).pledged).to.equal(true);
  });
});
