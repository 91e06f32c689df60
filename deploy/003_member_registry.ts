import type { DeployFunction } from "hardhat-deploy/types";
import { deployContext } from "../src/deploy/context";
import { deployProxy } from "../src/deploy/proxy";

/** The registry of member organisations and their roles. */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  const authority = await hre.deployments.get("GovAuthority");
  ctx.log("MemberRegistry");
  await deployProxy(hre, ctx, "MemberRegistry", [authority.address]);
};
func.tags = ["MemberRegistry", "consortium"];
func.dependencies = ["GovAuthority"];
export default func;
