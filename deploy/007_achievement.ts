import type { DeployFunction } from "hardhat-deploy/types";
import { deployContext } from "../src/deploy/context";
import { deployProxy } from "../src/deploy/proxy";

/**
 * The achievement registry (tokens, rights, evaluations) and its rights contract (consents, pledges,
 * disputes, freezes, orders). Both accept relayed calls; the wiring gives the rights contract the
 * ACHIEVEMENT_RIGHTS role at the registry.
 */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  const { get } = hre.deployments;
  const authority = (await get("GovAuthority")).address;
  const forwarder = (await get("GovForwarder")).address;
  const identity = (await get("IdentityRegistry")).address;
  ctx.log("Achievements");
  const registry = await deployProxy(hre, ctx, "AchievementRegistry", [authority], [forwarder, identity]);
  await deployProxy(hre, ctx, "AchievementRights", [authority, registry, identity], [forwarder]);
};
func.tags = ["Achievement", "achievement"];
func.dependencies = ["GovAuthority", "Identity", "GovForwarder"];
export default func;
