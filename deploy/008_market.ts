import type { DeployFunction } from "hardhat-deploy/types";
import { envInt } from "../config/env";
import { deployContext } from "../src/deploy/context";

/**
 * The licence market: listings, pricing, auctions and deal confirmation. Deliberately not behind a
 * proxy, like the escrow, since it holds bidders' deposits. The notice period of negotiated prices
 * comes from GOVLEDGER_NOTICE_PERIOD_DAYS, 15 days by default; the council may change it later.
 */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  const { get, getOrNull, deploy } = hre.deployments;
  if (await getOrNull("LicenceMarket")) return;
  ctx.log("Licence market");
  const args = [
    (await get("GovAuthority")).address,
    (await get("GovForwarder")).address,
    (await get("IdentityRegistry")).address,
    (await get("AchievementRegistry")).address,
    (await get("LicenceRegister")).address,
    (await get("SettlementEscrow")).address,
    envInt("GOVLEDGER_NOTICE_PERIOD_DAYS", 15) * 86_400,
  ];
  const market = await deploy("LicenceMarket", { from: ctx.deployer, args, log: false });
  ctx.log(`  LicenceMarket at ${market.address}`);
};
func.tags = ["Market", "trade"];
func.dependencies = ["GovAuthority", "Identity", "GovForwarder", "Achievement", "Licences", "Escrow"];
export default func;
