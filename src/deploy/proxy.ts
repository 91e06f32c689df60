import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { DeployContext } from "./context";

/**
 * Deploys `contract` behind an ERC-1967 proxy, initialised with `initArgs`, and records it under
 * `name` with the implementation's ABI. A proxy already recorded is left alone: its upgrades go
 * through the council. Each piece is recorded as it lands, so an interrupted run resumes.
 */
export async function deployProxy(
  hre: HardhatRuntimeEnvironment,
  ctx: DeployContext,
  name: string,
  initArgs: unknown[],
  constructorArgs: unknown[] = [],
): Promise<string> {
  const { deployments, ethers, upgrades } = hre;
  const existing = await deployments.getOrNull(name);
  if (existing) return existing.address;

  const factory = await ethers.getContractFactory(name);
  // The validator encodes a deployment to check it, so it needs the constructor arguments too
  // (its option type omits them, its code reads them).
  const validation: Parameters<typeof upgrades.validateImplementation>[1] & { constructorArgs: unknown[] } = {
    kind: "uups",
    constructorArgs,
  };
  await upgrades.validateImplementation(factory, validation);
  const implementation = await deployments.deploy(`${name}_Implementation`, {
    contract: name,
    from: ctx.deployer,
    args: constructorArgs,
    log: false,
  });
  const initData = factory.interface.encodeFunctionData("initialize", initArgs);
  const proxy = await deployments.deploy(`${name}_Proxy`, {
    contract: "ERC1967Proxy",
    from: ctx.deployer,
    args: [implementation.address, initData],
    log: false,
  });
  await deployments.save(name, {
    abi: implementation.abi,
    address: proxy.address,
    implementation: implementation.address,
    transactionHash: proxy.transactionHash,
    receipt: proxy.receipt,
    args: initArgs,
  });
  ctx.log(`  ${name} at ${proxy.address} (implementation ${implementation.address})`);
  return proxy.address;
}
