import type { DeployFunction } from "hardhat-deploy/types";
import { deployContext } from "../src/deploy/context";

/**
 * A stand-in digital-currency token (ERC-20 with EIP-2612 permit) for the embedded chain and the local
 * test chains (a Hardhat node, `npm run chain`) only: tests and the demo settle in it. Other networks
 * settle in their real token.
 */
const func: DeployFunction = async (hre) => {
  const ctx = await deployContext(hre);
  const { getOrNull, deploy } = hre.deployments;
  if (await getOrNull("StandInCurrency")) return;
  ctx.log("Stand-in settlement token");
  const token = await deploy("StandInCurrency", { from: ctx.deployer, args: [ctx.deployer], log: false });
  ctx.log(`  StandInCurrency at ${token.address}`);
};
func.tags = ["SettlementToken", "trade"];
func.skip = async (hre) => !["hardhat", "localhost", "consortium"].includes(hre.network.name);
export default func;
