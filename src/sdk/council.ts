import { Interface, type Result } from "ethers";
import type { Council } from "../../typechain-types";
import { Call } from "./call";
import { decodeEvents, findEvent, type SuiteEvent } from "./events";

import { PROPOSAL_STATES, type ProposalStateName } from "./states";

export { PROPOSAL_STATES, type ProposalStateName };

/** A call for the council to approve: built by the module clients, sent with {@link CouncilClient.propose}. */
export interface ProposedCall {
  target: string;
  data: string;
  description: string;
}

export interface ProposalView {
  id: bigint;
  target: string;
  /** Deployment name of the target, when it is a suite contract. */
  targetName?: string;
  /** The proposed call, decoded when the target is a suite contract. */
  call?: { function: string; args: Record<string, unknown> };
  data: string;
  description: string;
  proposer: string;
  createdAt: bigint;
  /** 0 until the threshold is reached. */
  readyAt: bigint;
  scheduled: boolean;
  state: ProposalStateName;
  approvals: bigint;
  threshold: bigint;
  approvers: string[];
}

export interface Queued {
  readyAt: bigint;
  /** True when the authority delays the call (upgrades, changes of who governs). */
  scheduled: boolean;
}

/** The k-of-n council: propose, approve, execute, cancel, and read proposals. */
export class CouncilClient {
  constructor(
    readonly contract: Council,
    private readonly names: Record<string, string>,
    private readonly interfaces: Record<string, Interface>,
  ) {}

  /** Proposes a call; the proposer's approval counts. Resolves to the new proposal id. */
  propose(call: ProposedCall): Call<{ id: bigint; queued?: Queued }> {
    return Call.of(this.contract.propose, [call.target, call.data, call.description], (receipt) => {
      const events = decodeEvents(receipt, this.names);
      return { id: findEvent(events, "ProposalCreated").args.id as bigint, queued: queuedIn(events) };
    });
  }

  /** Approves proposal `id`; the approval reaching the threshold queues it. */
  approve(id: bigint): Call<{ id: bigint; approvals: bigint; queued?: Queued }> {
    return Call.of(this.contract.approve, [id], (receipt) => {
      const events = decodeEvents(receipt, this.names);
      return {
        id,
        approvals: findEvent(events, "ProposalApproved").args.approvals as bigint,
        queued: queuedIn(events),
      };
    });
  }

  /** Withdraws the signer's approval of pending proposal `id`. */
  revokeApproval(id: bigint): Call<{ id: bigint; approvals: bigint }> {
    return Call.of(this.contract.revokeApproval, [id], (receipt) => ({
      id,
      approvals: findEvent(decodeEvents(receipt, this.names), "ApprovalRevoked").args.approvals as bigint,
    }));
  }

  /** Runs an approved, ready proposal; resolves to the events the call caused. */
  execute(id: bigint): Call<{ id: bigint; events: SuiteEvent[] }> {
    return Call.of(this.contract.execute, [id], (receipt) => ({ id, events: decodeEvents(receipt, this.names) }));
  }

  /** Withdraws (proposer, while pending) or cancels (guardian) proposal `id`. */
  cancel(id: bigint): Call<{ id: bigint }> {
    return Call.of(this.contract.cancel, [id], () => ({ id }));
  }

  async proposal(id: bigint): Promise<ProposalView> {
    const [p, state, approvals, threshold, councillors] = await Promise.all([
      this.contract.getProposal(id),
      this.contract.state(id),
      this.contract.approvals(id),
      this.contract.threshold(),
      this.contract.councillors(),
    ]);
    const approved = await Promise.all(councillors.map((c) => this.contract.hasApproved(id, c)));
    const targetName = Object.entries(this.names).find(([, a]) => a.toLowerCase() === p.target.toLowerCase())?.[0];
    return {
      id,
      target: p.target,
      targetName,
      call: targetName ? decodeCall(this.interfaces[targetName], p.data) : undefined,
      data: p.data,
      description: p.description,
      proposer: p.proposer,
      createdAt: p.createdAt,
      readyAt: p.readyAt,
      scheduled: p.scheduled,
      state: PROPOSAL_STATES[Number(state)],
      approvals,
      threshold,
      approvers: councillors.filter((_, i) => approved[i]),
    };
  }

  /** Every proposal, newest first. */
  async proposals(): Promise<ProposalView[]> {
    const count = await this.contract.proposalCount();
    const ids = Array.from({ length: Number(count) }, (_, i) => count - BigInt(i));
    return Promise.all(ids.map((id) => this.proposal(id)));
  }

  async status(): Promise<{ councillors: string[]; threshold: bigint; proposals: bigint }> {
    const [councillors, threshold, proposals] = await Promise.all([
      this.contract.councillors(),
      this.contract.threshold(),
      this.contract.proposalCount(),
    ]);
    return { councillors: [...councillors], threshold, proposals };
  }

  /** Proposal builder: seat `account` on the council (waits the governance delay). */
  addCouncillor(account: string): ProposedCall {
    return this.self("addCouncillor", [account], `Seat ${account} on the council`);
  }

  /** Proposal builder: unseat `account` (waits the governance delay). */
  removeCouncillor(account: string): ProposedCall {
    return this.self("removeCouncillor", [account], `Unseat ${account} from the council`);
  }

  /** Proposal builder: change the approvals a proposal needs (waits the governance delay). */
  setThreshold(threshold: bigint): ProposedCall {
    return this.self("setThreshold", [threshold], `Require ${threshold} approvals per proposal`);
  }

  private self(fn: "addCouncillor" | "removeCouncillor" | "setThreshold", args: unknown[], description: string) {
    return {
      target: this.names.Council,
      data: (this.contract.interface as Interface).encodeFunctionData(fn, args),
      description,
    };
  }
}

function queuedIn(events: SuiteEvent[]): Queued | undefined {
  const q = events.find((e) => e.name === "ProposalQueued");
  return q && { readyAt: q.args.readyAt as bigint, scheduled: q.args.scheduled as boolean };
}

function decodeCall(iface: Interface | undefined, data: string): ProposalView["call"] {
  const parsed = iface?.parseTransaction({ data });
  if (!parsed) return undefined;
  return { function: parsed.name, args: namedArgs(parsed.fragment.inputs, parsed.args) };
}

function namedArgs(inputs: readonly { name: string }[], values: Result): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  inputs.forEach((input, i) => (out[input.name || String(i)] = values[i]));
  return out;
}
