import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { deployments, ethers } from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Signer } from "ethers";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import { EvidenceRegistry__factory, type EvidenceRegistry } from "../../typechain-types";
import { DidKind, hashOf, identityFixture, registerDid, type IdentityModule } from "./identity";

/** Mirrors IEvidenceRegistry.Algorithm. */
export enum Algorithm {
  None,
  SHA256,
  SM3,
  KECCAK256,
}

/** Mirrors IEvidenceRegistry.RecordKind. */
export enum RecordKind {
  None,
  Single,
  Indexed,
  Root,
}

/** Mirrors IEvidenceRegistry.RecordStatus. */
export enum RecordStatus {
  None,
  Valid,
  Superseded,
  Revoked,
}

/** A member organisation made for a test: its id, its account(s) and its active organisation DID. */
export interface Organisation {
  memberId: bigint;
  did: bigint;
  accounts: Signer[];
  /** The first account. */
  account: Signer;
  address: string;
}

export interface EvidenceModule extends IdentityModule {
  evidence: EvidenceRegistry;
  /** The founding notary (Municipal IP Office), with a registered organisation DID, enrolled. */
  notary: HardhatEthersSigner;
  /** The IP Office's organisation DID. */
  notaryDid: bigint;
  /** The IP Office's member id. */
  notaryMemberId: bigint;
}

/**
 * The deployed suite with the evidence module: the IP Office (founding member holding the NOTARY
 * role) gets an organisation DID and is enrolled as a notary.
 */
export async function evidenceFixture(): Promise<EvidenceModule> {
  const m = await identityFixture();
  const notaryMember = m.config.members.find((x) => x.roles.includes(MEMBER_ROLES.NOTARY));
  if (!notaryMember) throw new Error("the consortium file names no notary");
  const signers = await ethers.getSigners();
  const notary = signers.find((s) => s.address === notaryMember.accounts[0]);
  if (!notary) throw new Error("no Hardhat signer for the notary");
  const evidence = EvidenceRegistry__factory.connect((await deployments.get("EvidenceRegistry")).address, notary);
  const notaryDid = await registerDid(m, DidKind.Organisation, [{ account: notary.address }], hashOf("did:ip-office"));
  await (await evidence.enrolNotary(notary.address)).wait();
  return {
    ...m,
    evidence,
    notary,
    notaryDid,
    notaryMemberId: await m.registry.memberOf(notary.address),
  };
}

/**
 * Admits an organisation with `accounts` and member `roles` (the impersonated Council calls the
 * member registry directly) and registers an active organisation DID keyed by all its accounts
 * (unless `withDid` is false, then `did` is 0).
 */
export async function admitOrganisation(
  m: IdentityModule,
  accounts: Signer[],
  roles: bigint[],
  { name = "Test Organisation", withDid = true }: { name?: string; withDid?: boolean } = {},
): Promise<Organisation> {
  const addresses = await Promise.all(accounts.map((a) => a.getAddress()));
  await (
    await m.registry.connect(m.councilSigner).admitMember(name, hashOf(`documents:${name}`), addresses, roles)
  ).wait();
  const memberId = await m.registry.memberCount();
  const did = withDid
    ? await registerDid(
        m,
        DidKind.Organisation,
        addresses.map((account) => ({ account })),
        hashOf(`did:${name}:${addresses[0]}`),
      )
    : 0n;
  return { memberId, did, accounts, account: accounts[0], address: addresses[0] };
}

/** Admits a notary organisation on `account`, with an active DID, and enrols it (unless told not to). */
export async function newNotary(
  m: EvidenceModule,
  account: Signer,
  { enrol = true, name = "Provincial Notary Office (省公证处)" }: { enrol?: boolean; name?: string } = {},
): Promise<Organisation> {
  const org = await admitOrganisation(m, [account], [MEMBER_ROLES.NOTARY], { name });
  if (enrol) await (await m.evidence.enrolNotary(org.address)).wait();
  return org;
}

/** Admits an arbitration commission on `account`, holding the ARBITRATOR role, with an active DID. */
export async function newArbitrator(
  m: IdentityModule,
  account: Signer,
  name = "Municipal Arbitration Commission (仲裁委员会)",
): Promise<Organisation> {
  return admitOrganisation(m, [account], [MEMBER_ROLES.ARBITRATOR], { name });
}

/** The OpenZeppelin standard tree of single `bytes32` digests, as the registry verifies its leaves. */
export function merkleTreeOf(digests: string[]): StandardMerkleTree<[string]> {
  return StandardMerkleTree.of(
    digests.map((d) => [d] as [string]),
    ["bytes32"],
  );
}

/** The proof of `digest` in `tree`. */
export function proofOf(tree: StandardMerkleTree<[string]>, digest: string): string[] {
  for (const [i, [value]] of tree.entries()) {
    if (value.toLowerCase() === digest.toLowerCase()) return tree.getProof(i);
  }
  throw new Error(`${digest} is not a leaf of the tree`);
}

/** A digest standing for a document: keccak256 of `label`. */
export function digestOf(label: string): string {
  return hashOf(`document:${label}`);
}
