import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Signer } from "ethers";
import { EMBEDDED_DELAYS, remoteNetworks } from "../../config/networks";
import { GovAuthority__factory, type GovAuthority } from "../../typechain-types";

/** What every deploy step needs: the deployer, its signer, the network's governance delays. */
export interface DeployContext {
  deployer: string;
  signer: Signer;
  delays: { upgradeDelay: number; governanceDelay: number; recoveryDelay: number };
  log: (message: string) => void;
}

export async function deployContext(hre: HardhatRuntimeEnvironment): Promise<DeployContext> {
  const { deployer } = await hre.getNamedAccounts();
  if (!deployer) throw new Error(`no deployer account for network ${hre.network.name}: set GOVLEDGER_DEPLOYER_KEY`);
  const remote = remoteNetworks()[hre.network.name];
  const quiet = hre.network.name === "hardhat" && process.env.GOVLEDGER_DEPLOY_LOG !== "1";
  return {
    deployer,
    signer: await hre.ethers.getSigner(deployer),
    delays: remote ?? EMBEDDED_DELAYS,
    log: quiet ? () => undefined : (message) => console.log(message),
  };
}

export async function authorityOf(hre: HardhatRuntimeEnvironment, signer: Signer): Promise<GovAuthority> {
  const { address } = await hre.deployments.get("GovAuthority");
  return GovAuthority__factory.connect(address, signer);
}

/** Sends a transaction and waits for it, logging what it did. */
export async function send(ctx: DeployContext, what: string, tx: Promise<{ wait(): Promise<unknown> }>): Promise<void> {
  await (await tx).wait();
  ctx.log(`  ${what}`);
}
