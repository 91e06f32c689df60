import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { deployments, ethers, network } from "hardhat";
import { loadConsortium, type ConsortiumConfig } from "../../src/deploy/consortium";
import { EMBEDDED_DELAYS } from "../../config/networks";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import {
  Council__factory,
  GovAuthority__factory,
  MemberRegistry__factory,
  type Council,
  type GovAuthority,
  type MemberRegistry,
} from "../../typechain-types";

/** Mirrors ICouncil.ProposalState. */
export enum ProposalState {
  Unknown,
  Pending,
  Queued,
  Ready,
  Executed,
  Cancelled,
  Expired,
}

/** Mirrors IMemberRegistry.MemberStatus. */
export enum MemberStatus {
  None,
  Active,
  Suspended,
  Removed,
}

/** The deployed consortium, as the deploy scripts leave it, with the accounts that act in it. */
export interface Consortium {
  authority: GovAuthority;
  council: Council;
  registry: MemberRegistry;
  config: ConsortiumConfig;
  delays: { upgradeDelay: number; governanceDelay: number };
  deployer: HardhatEthersSigner;
  /** The councillors, in the order of the consortium file. */
  councillors: HardhatEthersSigner[];
  /** The founding member holding the guardian role. */
  guardian: HardhatEthersSigner;
  /** Accounts with no role anywhere. */
  outsiders: HardhatEthersSigner[];
}

/**
 * Mines one block so the latest block's time is the chain's time now. After a revert to a snapshot
 * taken minutes earlier (in wall-clock time), the latest block is that old, while the next block
 * Hardhat mines jumps to now: a test reading `latest + 100` as a deadline would find it passed.
 */
export async function syncClock(): Promise<void> {
  await network.provider.send("evm_mine", []);
}

/** Reverts the chain to the snapshot of the full deployment (taking it on first use). */
export async function consortiumFixture(): Promise<Consortium> {
  await deployments.fixture();
  await syncClock();
  const signers = await ethers.getSigners();
  const deployer = signers[0];
  const config = loadConsortium();
  const signer = (address: string) => {
    const found = signers.find((s) => s.address === address);
    if (!found) throw new Error(`no Hardhat signer for ${address}`);
    return found;
  };
  const guardianMember = config.members.find((m) => m.roles.includes(MEMBER_ROLES.GUARDIAN));
  if (!guardianMember) throw new Error("the consortium file names no guardian");
  const busy = new Set([deployer.address, ...config.council.councillors, ...config.members.flatMap((m) => m.accounts)]);
  return {
    authority: GovAuthority__factory.connect((await deployments.get("GovAuthority")).address, deployer),
    council: Council__factory.connect((await deployments.get("Council")).address, deployer),
    registry: MemberRegistry__factory.connect((await deployments.get("MemberRegistry")).address, deployer),
    config,
    delays: EMBEDDED_DELAYS,
    deployer,
    councillors: config.council.councillors.map(signer),
    guardian: signer(guardianMember.accounts[0]),
    outsiders: signers.filter((s) => !busy.has(s.address)),
  };
}

/** The bitmap of a member role set, as the registry stores it. */
export function roleBitmap(roles: bigint[]): bigint {
  return roles.reduce((bits, role) => bits | (1n << role), 0n);
}
