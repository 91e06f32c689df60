import type { DeployFunction } from "hardhat-deploy/types";
import { deployContext } from "../src/deploy/context";
import { deployProxy } from "../src/deploy/proxy";

/** The one access authority of the suite. The deployer is its admin until the handover step. */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  ctx.log("GovAuthority");
  await deployProxy(hre, ctx, "GovAuthority", [ctx.deployer]);
};
func.tags = ["GovAuthority", "consortium"];
export default func;
