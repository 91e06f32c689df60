import type { DeployFunction } from "hardhat-deploy/types";
import { authorityOf, deployContext, send } from "../src/deploy/context";
import { GOVERNANCE_ROLES } from "../src/sdk/roles";

/**
 * The deployer gives up the authority's admin role. From here on no single key governs: every
 * change goes through the council. Runs last, after every module has been wired.
 */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  const authority = await authorityOf(hre, ctx.signer);
  const council = (await hre.deployments.get("Council")).address;
  const [councilIsAdmin] = await authority.hasRole(GOVERNANCE_ROLES.ADMIN, council);
  if (!councilIsAdmin) throw new Error("refusing to hand over: the council does not hold the admin role");
  const [deployerIsAdmin] = await authority.hasRole(GOVERNANCE_ROLES.ADMIN, ctx.deployer);
  if (!deployerIsAdmin) return;
  ctx.log("Handover");
  await send(ctx, "deployer renounced the admin role", authority.renounceRole(GOVERNANCE_ROLES.ADMIN, ctx.deployer));
};
func.tags = ["Handover", "consortium"];
func.dependencies = ["WireConsortium", "LabelRoles", "FoundingMembers"];
export default func;
