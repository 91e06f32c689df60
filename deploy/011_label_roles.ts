import type { DeployFunction } from "hardhat-deploy/types";
import { authorityOf, deployContext, send } from "../src/deploy/context";
import { ROLES } from "../src/sdk/roles";

/**
 * Names every role at the authority, so any tool reading its events sees "NOTARY", not "13".
 * The authority keeps labels only in events, so the step reads them back and sends only the labels
 * missing there: a re-run after the handover (when the deployer may no longer label) sends nothing.
 */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  const authority = await authorityOf(hre, ctx.signer);
  const { receipt } = await hre.deployments.get("GovAuthority");
  const events = await authority.queryFilter(authority.filters.RoleLabel(), receipt?.blockNumber ?? 0);
  const labels = new Map(events.map((e) => [e.args.roleId, e.args.label]));
  // ADMIN_ROLE is locked and cannot be labelled
  const missing = Object.entries(ROLES).filter(([name, id]) => id !== 0n && labels.get(id) !== name);
  if (missing.length === 0) return true;
  ctx.log("Labelling roles");
  for (const [name, id] of missing) {
    await send(ctx, `role ${id} = ${name}`, authority.labelRole(id, name));
  }
  return true;
};
func.id = "label-roles-v1";
func.tags = ["LabelRoles", "consortium"];
func.dependencies = ["GovAuthority"];
export default func;
