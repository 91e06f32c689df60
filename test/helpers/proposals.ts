import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { BaseContract, ContractTransactionResponse } from "ethers";
import type { Consortium } from "./consortium";
import { ProposalState } from "./consortium";

export interface ProposalOptions {
  description?: string;
  /** The councillor who proposes; the first one by default. */
  proposer?: HardhatEthersSigner;
}

async function addressOf(target: BaseContract | string): Promise<string> {
  return typeof target === "string" ? target : target.getAddress();
}

/** Proposes `data` to `target` and returns the new proposal's id. */
export async function propose(
  { council, councillors }: Consortium,
  target: BaseContract | string,
  data: string,
  { description = "", proposer = councillors[0] }: ProposalOptions = {},
): Promise<bigint> {
  await council.connect(proposer).propose(await addressOf(target), data, description);
  return council.proposalCount();
}

/**
 * Proposes a call and has the other councillors approve it until the threshold is reached: the
 * proposal is then ready (council decisions) or queued behind the authority's delay.
 */
export async function approveProposal(
  c: Consortium,
  target: BaseContract | string,
  data: string,
  options: ProposalOptions = {},
): Promise<bigint> {
  const proposer = options.proposer ?? c.councillors[0];
  const id = await propose(c, target, data, { ...options, proposer });
  const others = c.councillors.filter((s) => s.address !== proposer.address);
  for (const councillor of others) {
    if ((await c.council.state(id)) !== BigInt(ProposalState.Pending)) break;
    await c.council.connect(councillor).approve(id);
  }
  return id;
}

/** Moves the clock to the moment proposal `id` may run. */
export async function waitUntilReady({ council }: Consortium, id: bigint): Promise<void> {
  const { readyAt } = await council.getProposal(id);
  if (readyAt > BigInt(await time.latest())) await time.increaseTo(readyAt);
}

/**
 * Runs a council decision end to end: proposal by the first councillor, approvals up to the
 * threshold, the authority's delay waited when there is one, execution by the proposer.
 * Returns the id and the execution transaction (for event assertions).
 */
export async function runProposal(
  c: Consortium,
  target: BaseContract | string,
  data: string,
  options: ProposalOptions = {},
): Promise<{ id: bigint; tx: ContractTransactionResponse }> {
  const id = await approveProposal(c, target, data, options);
  await waitUntilReady(c, id);
  const tx = await c.council.connect(options.proposer ?? c.councillors[0]).execute(id);
  return { id, tx };
}

/** Fixes the timestamp of the next block (one second after the latest) and returns it. */
export async function nextBlockTimestamp(): Promise<number> {
  const at = (await time.latest()) + 1;
  await time.setNextBlockTimestamp(at);
  return at;
}
