import type { DeployFunction } from "hardhat-deploy/types";
import { deployContext } from "../src/deploy/context";

/**
 * The evidence store: deliberately not behind a proxy, so no governance decision can change the
 * code that holds the records. Permissions still come from the authority.
 */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  const { get, getOrNull, deploy } = hre.deployments;
  if (await getOrNull("EvidenceRegistry")) return;
  ctx.log("Evidence");
  const args = [
    (await get("GovAuthority")).address,
    (await get("IdentityRegistry")).address,
    (await get("GovForwarder")).address,
  ];
  const evidence = await deploy("EvidenceRegistry", { from: ctx.deployer, args, log: false });
  ctx.log(`  EvidenceRegistry at ${evidence.address}`);
};
func.tags = ["Evidence", "evidence"];
func.dependencies = ["GovAuthority", "Identity", "GovForwarder"];
export default func;
