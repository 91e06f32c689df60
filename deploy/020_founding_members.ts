import type { DeployFunction } from "hardhat-deploy/types";
import { consortiumFor } from "../src/deploy/consortium";
import { authorityOf, deployContext, send } from "../src/deploy/context";
import { GOVERNANCE_ROLES } from "../src/sdk/roles";
import { MemberRegistry__factory } from "../typechain-types";

/**
 * Admits the founding members named in the consortium file. The deployer holds the council role
 * only for the length of this step; later members are admitted by the council itself.
 */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  const { members } = consortiumFor(hre.network.name);
  const authority = await authorityOf(hre, ctx.signer);
  const registry = MemberRegistry__factory.connect((await hre.deployments.get("MemberRegistry")).address, ctx.signer);

  const pending = [];
  for (const m of members) {
    const admitted = await Promise.all(m.accounts.map((a) => registry.memberOf(a)));
    if (admitted.every((id) => id === 0n)) pending.push(m);
    else if (admitted.some((id) => id === 0n)) throw new Error(`founding member "${m.name}" is half admitted`);
  }
  const [hasCouncil] = await authority.hasRole(GOVERNANCE_ROLES.COUNCIL, ctx.deployer);
  if (pending.length > 0) {
    ctx.log("Admitting founding members");
    if (!hasCouncil)
      await send(
        ctx,
        "deployer acts as council for the founding",
        authority.grantRole(GOVERNANCE_ROLES.COUNCIL, ctx.deployer, 0),
      );
    for (const m of pending) {
      await send(ctx, m.name, registry.admitMember(m.name, m.documentsHash, m.accounts, m.roles));
    }
  } else if (!hasCouncil) return;
  // Also when a run stopped after the last admission: the deployer must not keep the council role
  // (renounced, not revoked, so it works after the handover too).
  await send(ctx, "deployer no longer acts as council", authority.renounceRole(GOVERNANCE_ROLES.COUNCIL, ctx.deployer));
};
func.tags = ["FoundingMembers", "consortium"];
func.dependencies = ["WireConsortium"];
export default func;
