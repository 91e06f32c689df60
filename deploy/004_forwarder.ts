import type { DeployFunction } from "hardhat-deploy/types";
import { deployContext } from "../src/deploy/context";

/** The ERC-2771 forwarder that relays users' signed requests to the modules (no admin, no proxy). */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  if (await hre.deployments.getOrNull("GovForwarder")) return;
  ctx.log("GovForwarder");
  const forwarder = await hre.deployments.deploy("GovForwarder", { from: ctx.deployer, log: false });
  ctx.log(`  GovForwarder at ${forwarder.address}`);
};
func.tags = ["GovForwarder", "identity"];
export default func;
