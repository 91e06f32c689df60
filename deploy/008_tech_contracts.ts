import type { DeployFunction } from "hardhat-deploy/types";
import { deployContext } from "../src/deploy/context";
import { deployProxy } from "../src/deploy/proxy";

/** The technology-contract register (技术合同认定登记) and its transaction certificates (交易凭证). */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  const { get } = hre.deployments;
  ctx.log("Technology-contract register");
  const constructorArgs = [
    (await get("GovForwarder")).address,
    (await get("IdentityRegistry")).address,
    (await get("AchievementRegistry")).address,
    (await get("LicenceRegister")).address,
  ];
  await deployProxy(hre, ctx, "TechContractRegister", [(await get("GovAuthority")).address], constructorArgs);
};
func.tags = ["TechContracts", "trade"];
func.dependencies = ["GovAuthority", "Identity", "GovForwarder", "Achievement", "Licences"];
export default func;
