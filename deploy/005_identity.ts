import type { DeployFunction } from "hardhat-deploy/types";
import { deployContext } from "../src/deploy/context";
import { deployProxy } from "../src/deploy/proxy";

/** The identity module: DIDs and claims, their recovery, and consents. All accept relayed calls. */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  const { get } = hre.deployments;
  const authority = (await get("GovAuthority")).address;
  const forwarder = (await get("GovForwarder")).address;
  ctx.log("Identity");
  const identity = await deployProxy(
    hre,
    ctx,
    "IdentityRegistry",
    [authority, (await get("MemberRegistry")).address],
    [forwarder],
  );
  await deployProxy(hre, ctx, "IdentityRecovery", [authority, identity, ctx.delays.recoveryDelay], [forwarder]);
  await deployProxy(hre, ctx, "ConsentRegistry", [authority, identity], [forwarder]);
};
func.tags = ["Identity", "identity"];
func.dependencies = ["GovAuthority", "MemberRegistry", "GovForwarder"];
export default func;
