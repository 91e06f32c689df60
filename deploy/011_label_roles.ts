import type { DeployFunction } from "hardhat-deploy/types";
import { authorityOf, deployContext, send } from "../src/deploy/context";
import { ROLES } from "../src/sdk/roles";

/**
 * Names every role at the authority, so any tool reading its events sees "NOTARY", not "13".
 * The authority keeps labels only in events, so this step runs once per network (recorded by id).
 */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  const authority = await authorityOf(hre, ctx.signer);
  ctx.log("Labelling roles");
  for (const [name, id] of Object.entries(ROLES)) {
    if (id === 0n) continue; // ADMIN_ROLE is locked and cannot be labelled
    await send(ctx, `role ${id} = ${name}`, authority.labelRole(id, name));
  }
  return true;
};
func.id = "label-roles-v1";
func.tags = ["LabelRoles", "consortium"];
func.dependencies = ["GovAuthority"];
export default func;
