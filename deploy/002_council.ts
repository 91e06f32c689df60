import type { DeployFunction } from "hardhat-deploy/types";
import { consortiumFor } from "../src/deploy/consortium";
import { deployContext } from "../src/deploy/context";
import { deployProxy } from "../src/deploy/proxy";

/** The k-of-n council, seated from the consortium file. */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  const { council } = consortiumFor(hre.network.name);
  const authority = await hre.deployments.get("GovAuthority");
  ctx.log(`Council (${council.threshold} of ${council.councillors.length})`);
  await deployProxy(hre, ctx, "Council", [authority.address, council.councillors, council.threshold]);
};
func.tags = ["Council", "consortium"];
func.dependencies = ["GovAuthority"];
export default func;
