import type { DeployFunction } from "hardhat-deploy/types";
import { deployContext } from "../src/deploy/context";
import { deployProxy } from "../src/deploy/proxy";

/** The licence register: one record per licence of an achievement, checked for overlaps. */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  const { get } = hre.deployments;
  ctx.log("Licence register");
  const constructorArgs = [
    (await get("GovForwarder")).address,
    (await get("IdentityRegistry")).address,
    (await get("AchievementRegistry")).address,
  ];
  await deployProxy(hre, ctx, "LicenceRegister", [(await get("GovAuthority")).address], constructorArgs);
};
func.tags = ["Licences", "trade"];
func.dependencies = ["GovAuthority", "Identity", "GovForwarder", "Achievement"];
export default func;
