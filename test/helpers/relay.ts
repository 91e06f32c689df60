import { ethers } from "hardhat";
import { FORWARD_REQUEST_TYPES } from "../../src/sdk/relay";
import {
  concat,
  type BaseContract,
  type ContractTransactionResponse,
  type ErrorDescription,
  type Interface,
  type Signer,
  type TypedDataDomain,
} from "ethers";
import type { GovForwarder } from "../../typechain-types";

/** The EIP-712 type of a forward request: the SDK's, so the tests sign exactly what the SDK signs. */
export { FORWARD_REQUEST_TYPES };

/** Gas the relayed call gets unless told otherwise. */
export const DEFAULT_RELAY_GAS = 1_000_000n;
/** How long a request stays valid unless told otherwise, in seconds. */
export const DEFAULT_RELAY_TTL = 3600n;

/** What the signer signs. */
export interface ForwardRequest {
  from: string;
  to: string;
  value: bigint;
  gas: bigint;
  nonce: bigint;
  deadline: bigint;
  data: string;
}

/** A signed request, as `execute` takes it (the nonce is kept for the tests' own checks). */
export interface SignedRequest extends ForwardRequest {
  signature: string;
}

export interface SignOptions {
  gas?: bigint;
  value?: bigint;
  /** Defaults to the forwarder's current nonce of the signer. */
  nonce?: bigint;
  /** Defaults to the latest block's time + {DEFAULT_RELAY_TTL}. */
  deadline?: bigint;
  /** Overrides fields of the forwarder's own domain (to sign for another chain or contract). */
  domain?: Partial<TypedDataDomain>;
}

/** The forwarder's EIP-712 domain, as it reports it (ERC-5267). */
export async function forwarderDomain(forwarder: GovForwarder): Promise<TypedDataDomain> {
  const d = await forwarder.eip712Domain();
  return { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
}

async function addressOf(target: BaseContract | string): Promise<string> {
  return typeof target === "string" ? target : target.getAddress();
}

/** Builds the request for `signer` to call `target` with `data`, and signs it (EIP-712). */
export async function signRequest(
  forwarder: GovForwarder,
  signer: Signer,
  target: BaseContract | string,
  data: string,
  options: SignOptions = {},
): Promise<SignedRequest> {
  const from = await signer.getAddress();
  const latest = await ethers.provider.getBlock("latest");
  if (!latest) throw new Error("no latest block");
  const request: ForwardRequest = {
    from,
    to: await addressOf(target),
    value: options.value ?? 0n,
    gas: options.gas ?? DEFAULT_RELAY_GAS,
    nonce: options.nonce ?? (await forwarder.nonces(from)),
    deadline: options.deadline ?? BigInt(latest.timestamp) + DEFAULT_RELAY_TTL,
    data,
  };
  const domain = { ...(await forwarderDomain(forwarder)), ...options.domain };
  const signature = await signer.signTypedData(domain, FORWARD_REQUEST_TYPES, request);
  return { ...request, signature };
}

/** The struct `execute` and `verify` take (the nonce is not part of it: the forwarder reads its own). */
export function requestData(request: SignedRequest) {
  const { from, to, value, gas, deadline, data, signature } = request;
  return { from, to, value, gas, deadline, data, signature };
}

/** Has `relayer` submit the signed request; it pays the gas. */
export async function relay(
  forwarder: GovForwarder,
  relayer: Signer,
  request: SignedRequest,
): Promise<ContractTransactionResponse> {
  return forwarder.connect(relayer).execute(requestData(request), { value: request.value });
}

/** Signs the call of `data` on `target` by `signer` and has `relayer` submit it. */
export async function signAndRelay(
  forwarder: GovForwarder,
  signer: Signer,
  relayer: Signer,
  target: BaseContract | string,
  data: string,
  options: SignOptions = {},
): Promise<ContractTransactionResponse> {
  return relay(forwarder, relayer, await signRequest(forwarder, signer, target, data, options));
}

/**
 * Simulates the inner call the forwarder would make for `from`: `data` with `from` appended, sent
 * by the forwarder. Rejects with the module's own revert data (which `execute` hides behind
 * `FailedCall()`), so `revertedWithCustomError` can assert on it.
 */
export async function simulateRelayed(
  forwarder: GovForwarder,
  target: BaseContract | string,
  from: string,
  data: string,
): Promise<string> {
  return ethers.provider.call({
    from: await forwarder.getAddress(),
    to: await addressOf(target),
    data: concat([data, from]),
  });
}

/** The revert data found in an error thrown by a call, if any. */
function revertDataOf(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const data = (e as { data?: unknown }).data;
    if (typeof data === "string" && data.startsWith("0x")) return data;
    if (data && typeof data === "object" && typeof (data as { data?: unknown }).data === "string") {
      return (data as { data: string }).data;
    }
    e = (e as { error?: unknown; cause?: unknown }).error ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Why the inner call of a relayed request reverts, decoded with the given interfaces (the target's
 * first, then e.g. the identity registry's for the errors of its gate); null when it does not revert.
 */
export async function innerRevertOf(
  forwarder: GovForwarder,
  target: BaseContract,
  from: string,
  data: string,
  ...more: Interface[]
): Promise<ErrorDescription | null> {
  try {
    await simulateRelayed(forwarder, target, from, data);
    return null;
  } catch (error) {
    const revertData = revertDataOf(error);
    if (!revertData) throw error;
    for (const iface of [target.interface, ...more]) {
      const parsed = iface.parseError(revertData);
      if (parsed) return parsed;
    }
    throw new Error(`undecodable revert data ${revertData}`);
  }
}
