import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { deployments, ethers, network } from "hardhat";
import { keccak256, toUtf8Bytes, Wallet, type BigNumberish, type HDNodeWallet } from "ethers";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import {
  ConsentRegistry__factory,
  GovForwarder__factory,
  IdentityRecovery__factory,
  IdentityRegistry__factory,
  type ConsentRegistry,
  type GovForwarder,
  type IdentityRecovery,
  type IdentityRegistry,
} from "../../typechain-types";
import { consortiumFixture, type Consortium } from "./consortium";

/** Mirrors IIdentityRegistry.DidKind. */
export enum DidKind {
  Person,
  Organisation,
}

/** Mirrors IIdentityRegistry.DidStatus. */
export enum DidStatus {
  None,
  Pending,
  Active,
  Suspended,
  Deactivated,
}

/** Mirrors IIdentityRegistry.ClaimStatus. */
export enum ClaimStatus {
  None,
  Active,
  Suspended,
  Revoked,
}

/** Mirrors KeyPurposes. */
export const Purpose = { AUTHENTICATION: 1, ASSERTION: 2, ALL: 3 } as const;

/** Mirrors Scopes. */
export const Scope = { IDENTITY: 1, CONSENT: 2, EVIDENCE: 4, ACHIEVEMENT: 8, TRADE: 16, PAYMENT: 32, ALL: 63 } as const;

/** The end of time for a claim or accreditation (uint40 max). */
export const FOREVER = 2n ** 40n - 1n;

export interface IdentityModule extends Consortium {
  identity: IdentityRegistry;
  recovery: IdentityRecovery;
  consent: ConsentRegistry;
  forwarder: GovForwarder;
  /** A founding member's account holding the registrar role. */
  registrar: HardhatEthersSigner;
  /** The Council contract, impersonated: the holder of the COUNCIL role, for unit tests of council-only functions. */
  councilSigner: HardhatEthersSigner;
}

/** The deployed suite with the identity module, reverted to the deployment snapshot. */
export async function identityFixture(): Promise<IdentityModule> {
  const c = await consortiumFixture();
  const registrarMember = c.config.members.find((m) => m.roles.includes(MEMBER_ROLES.REGISTRAR));
  if (!registrarMember) throw new Error("the consortium file names no registrar");
  const signers = await ethers.getSigners();
  const registrar = signers.find((s) => s.address === registrarMember.accounts[0]);
  if (!registrar) throw new Error("no Hardhat signer for the registrar");
  const at = async (name: string) => (await deployments.get(name)).address;
  const councilAddress = await c.council.getAddress();
  await network.provider.request({ method: "hardhat_impersonateAccount", params: [councilAddress] });
  await network.provider.request({ method: "hardhat_setBalance", params: [councilAddress, "0x56bc75e2d63100000"] });
  return {
    ...c,
    identity: IdentityRegistry__factory.connect(await at("IdentityRegistry"), registrar),
    recovery: IdentityRecovery__factory.connect(await at("IdentityRecovery"), registrar),
    consent: ConsentRegistry__factory.connect(await at("ConsentRegistry"), registrar),
    forwarder: GovForwarder__factory.connect(await at("GovForwarder"), c.deployer),
    registrar,
    councilSigner: await ethers.getSigner(councilAddress),
  };
}

/** A hash standing for an off-chain document or value: keccak256 of `label`. */
export function hashOf(label: string): string {
  return keccak256(toUtf8Bytes(label));
}

/** A new key with some native coin for gas, connected to the in-process chain. */
export async function fundedWallet(funder: HardhatEthersSigner): Promise<HDNodeWallet> {
  const wallet = Wallet.createRandom().connect(ethers.provider);
  await (await funder.sendTransaction({ to: wallet.address, value: ethers.parseEther("10") })).wait();
  return wallet;
}

/** A new key with no funds at all (for relayed calls). */
export function unfundedWallet(): HDNodeWallet {
  return Wallet.createRandom().connect(ethers.provider);
}

/** Registers an active DID controlled by `keys` (all purposes each, unless given) and returns its id. */
export async function registerDid(
  m: IdentityModule,
  kind: DidKind,
  keys: { account: string; purposes?: number }[],
  commitment = hashOf(`commitment:${keys[0]?.account ?? "none"}`),
): Promise<bigint> {
  const list = keys.map((k) => ({ account: k.account, purposes: k.purposes ?? Purpose.ALL }));
  await (await m.identity.connect(m.registrar).register(kind, commitment, list)).wait();
  return m.identity.didCount();
}

/** Registers a topic and accredits `issuer` for it until `until`, as the council; returns the topic id. */
export async function accreditedTopic(
  m: IdentityModule,
  issuer: bigint,
  name = "high-tech enterprise (高新技术企业)",
  until: BigNumberish = FOREVER,
): Promise<bigint> {
  const identity = m.identity.connect(m.councilSigner);
  await (await identity.registerTopic(name, hashOf(`schema:${name}`))).wait();
  const topic = await identity.topicCount();
  await (await identity.accreditIssuer(issuer, topic, until)).wait();
  return topic;
}

/** The id of the n-th claim of `topic` about `subject`. */
export function claimIdOf(subject: bigint, topic: bigint, n = 0n): bigint {
  return (subject << 64n) | (topic << 32n) | n;
}

/** The latest block's timestamp. */
export async function now(): Promise<bigint> {
  const block = await ethers.provider.getBlock("latest");
  if (!block) throw new Error("no latest block");
  return BigInt(block.timestamp);
}
