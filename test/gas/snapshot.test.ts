import { expect } from "chai";
import { existsSync, readFileSync, writeFileSync } from "fs";
import { deployments, ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import { Council__factory, MemberRegistry__factory } from "../../typechain-types";

/**
 * Gas of the consortium's operations, from receipts, compared with the committed snapshot
 * gas/consortium.json. A change that moves gas must update the snapshot in the same commit
 * (run `GOVLEDGER_UPDATE_GAS=1 npx hardhat test test/gas/snapshot.test.ts`) and say so.
 */
const FILE = "gas/consortium.json";

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

describe("gas snapshot: consortium", function () {
  it("matches gas/consortium.json", async function () {
    await deployments.fixture();
    const [, a, b, , guardian, newcomer] = await ethers.getSigners();
    const council = Council__factory.connect((await deployments.get("Council")).address, a);
    const registry = MemberRegistry__factory.connect((await deployments.get("MemberRegistry")).address, a);
    const target = await registry.getAddress();
    const admit = registry.interface.encodeFunctionData("admitMember", [
      "Audit Bureau",
      ethers.ZeroHash,
      [newcomer.address],
      [17n],
    ]);
    const grant = registry.interface.encodeFunctionData("grantMemberRole", [5n, 13n]);

    const measured: Record<string, number> = {};
    measured["council.propose (admit member)"] = await gasOf(council.propose(target, admit, "admit"));
    measured["council.approve (reaches threshold, immediate)"] = await gasOf(council.connect(b).approve(1n));
    measured["council.execute (admit member, 1 account, 1 role)"] = await gasOf(council.execute(1n));
    await council.propose(target, grant, "grant");
    await council.connect(b).approve(2n);
    measured["council.execute (grant member role)"] = await gasOf(council.execute(2n));
    measured["registry.pause (guardian)"] = await gasOf(registry.connect(guardian).pause());

    if (process.env.GOVLEDGER_UPDATE_GAS === "1") writeFileSync(FILE, JSON.stringify(measured, null, 2) + "\n");
    expect(existsSync(FILE), `${FILE} is missing: run with GOVLEDGER_UPDATE_GAS=1`).to.equal(true);
    expect(measured).to.deep.equal(JSON.parse(readFileSync(FILE, "utf8")));
  });
});
