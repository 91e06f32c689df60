import { existsSync, readFileSync } from "fs";
import path from "path";
import { ContractFactory, type InterfaceAbi, type Signer } from "ethers";

/** The compiled contracts a peer's npm package ships, by package and path inside it. */
export const PEER_ARTIFACTS = {
  SchemaRegistry: {
    pkg: "@ethereum-attestation-service/eas-contracts",
    file: "artifacts/contracts/SchemaRegistry.sol/SchemaRegistry.json",
  },
  EAS: { pkg: "@ethereum-attestation-service/eas-contracts", file: "artifacts/contracts/EAS.sol/EAS.json" },
  EthereumDIDRegistry: {
    pkg: "ethr-did-registry",
    file: "artifacts/contracts/EthereumDIDRegistry.sol/EthereumDIDRegistry.json",
  },
  Identity: { pkg: "@onchain-id/solidity", file: "artifacts/contracts/Identity.sol/Identity.json" },
  ClaimIssuer: { pkg: "@onchain-id/solidity", file: "artifacts/contracts/ClaimIssuer.sol/ClaimIssuer.json" },
} as const;
export type PeerContract = keyof typeof PEER_ARTIFACTS;

export interface PeerArtifact {
  abi: InterfaceAbi;
  bytecode: string;
  deployedBytecode: string;
}

/**
 * The directory of installed package `pkg`. Found by searching Node's module paths for its
 * package.json rather than by require.resolve, because some packages (ethr-did-registry) declare
 * `exports` that hide their artifacts directory from deep imports.
 */
export function packageDir(pkg: string): string {
  for (const base of require.resolve.paths(pkg) ?? []) {
    const dir = path.join(base, pkg);
    if (existsSync(path.join(dir, "package.json"))) return dir;
  }
  throw new Error(`peer package ${pkg} is not installed (npm install)`);
}

export function packageVersion(pkg: string): string {
  const json = JSON.parse(readFileSync(path.join(packageDir(pkg), "package.json"), "utf8")) as { version: string };
  return json.version;
}

/** The ABI and bytecode of `name`, exactly as its npm package ships them. */
export function loadPeerArtifact(name: PeerContract): PeerArtifact {
  const { pkg, file } = PEER_ARTIFACTS[name];
  const json = JSON.parse(readFileSync(path.join(packageDir(pkg), file), "utf8")) as Partial<PeerArtifact>;
  if (!json.abi || !json.bytecode || !json.deployedBytecode || json.bytecode === "0x") {
    throw new Error(`${pkg}/${file} has no deployable bytecode`);
  }
  return { abi: json.abi, bytecode: json.bytecode, deployedBytecode: json.deployedBytecode };
}

/** The distinct peer packages with their installed versions, for the report. */
export function peerPackages(): { name: string; version: string }[] {
  const names = [...new Set(Object.values(PEER_ARTIFACTS).map((a) => a.pkg))];
  return names.map((name) => ({ name, version: packageVersion(name) }));
}

/** Deploys peer contract `name` from its shipped bytecode and returns its address. */
export async function deployPeer(name: PeerContract, signer: Signer, args: unknown[] = []): Promise<string> {
  const { abi, bytecode } = loadPeerArtifact(name);
  const contract = await new ContractFactory(abi, bytecode, signer).deploy(...args);
  await contract.waitForDeployment();
  return contract.getAddress();
}
