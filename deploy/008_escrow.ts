import type { DeployFunction } from "hardhat-deploy/types";
import { envInt } from "../config/env";
import { deployContext } from "../src/deploy/context";

/**
 * The settlement escrow: deliberately not behind a proxy, so no governance decision can change the
 * code that holds the parties' money. The inventors' reward floor (basis points of each release)
 * comes from GOVLEDGER_INVENTOR_FLOOR_BPS, 10 % by default; the council may change it later.
 */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  const { get, getOrNull, deploy } = hre.deployments;
  if (await getOrNull("SettlementEscrow")) return;
  ctx.log("Settlement escrow");
  const args = [
    (await get("GovAuthority")).address,
    (await get("IdentityRegistry")).address,
    (await get("GovForwarder")).address,
    envInt("GOVLEDGER_INVENTOR_FLOOR_BPS", 1000),
  ];
  const escrow = await deploy("SettlementEscrow", { from: ctx.deployer, args, log: false });
  ctx.log(`  SettlementEscrow at ${escrow.address}`);
};
func.tags = ["Escrow", "trade"];
func.dependencies = ["GovAuthority", "Identity", "GovForwarder"];
export default func;
