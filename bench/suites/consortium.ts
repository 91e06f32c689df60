import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import { Council__factory, MemberRegistry__factory, type Council } from "../../typechain-types";
import { addressFor, check, digestFor } from "../lib/chain";
import { gasOf } from "../lib/measure";
import type { BenchContext, Operation, Suite } from "../lib/types";
import { FLOOR_SINGLE } from "./peers";

/** The role a newly admitted bench member gets, and the one the grant rows add afterwards. */
const ADMIT_ROLE = MEMBER_ROLES.NOTARY;
const GRANT_ROLE = MEMBER_ROLES.EVALUATOR;
/** ICouncil.ProposalState.Ready: approved, needing no delay, executable now. */
const READY = 3n;

/** The council as the bench drives it: a proposer and the councillors whose approvals follow. */
interface CouncilSeats {
  council: Council;
  registry: string;
  /** Councillors in order: [0] proposes, [1..threshold-1] approve; the last of those reaches the threshold. */
  seats: HardhatEthersSigner[];
  threshold: number;
}

/** Seats the council of the deployed suite with Hardhat signers (the local config: #1-#3, 2 of 3). */
async function seatCouncil(ctx: BenchContext): Promise<CouncilSeats> {
  const { hre } = ctx;
  const council = Council__factory.connect((await hre.deployments.get("Council")).address, hre.ethers.provider);
  const registry = (await hre.deployments.get("MemberRegistry")).address;
  const threshold = Number(await council.threshold());
  if (threshold < 2) throw new Error(`council threshold ${threshold}: the approve row needs at least 2`);
  const signers = await hre.ethers.getSigners();
  const byAddress = new Map(signers.map((s) => [s.address, s]));
  const seats = (await council.councillors()).map((c) => {
    const signer = byAddress.get(c);
    if (!signer) throw new Error(`councillor ${c} is not a Hardhat account: bench needs the local consortium file`);
    return signer;
  });
  return { council, registry, seats, threshold };
}

/** Fixed-width sequence numbers, so names and descriptions (calldata, storage) cost the same every run. */
function pad(seq: number): string {
  return String(seq).padStart(6, "0");
}

function admitDescription(seq: number): string {
  return `Admit bench member ${pad(seq)}`;
}

/** The calls the bench proposes: admitting a fresh member, granting it one more role. */
function admitCall(seq: number): string {
  const account = addressFor("member.account", seq);
  return MemberRegistry__factory.createInterface().encodeFunctionData("admitMember", [
    `Bench member ${pad(seq)}`,
    digestFor("member.documents", seq),
    [account],
    [ADMIT_ROLE],
  ]);
}

function grantCall(memberId: bigint): string {
  return MemberRegistry__factory.createInterface().encodeFunctionData("grantMemberRole", [memberId, GRANT_ROLE]);
}

/** Untimed set-up steps of the council flow. */
async function propose(c: CouncilSeats, data: string, description: string): Promise<bigint> {
  await gasOf(() => c.council.connect(c.seats[0]).propose(c.registry, data, description));
  return c.council.proposalCount();
}

/** Approves up to, but not including, the approval that reaches the threshold. */
async function approveBelowThreshold(c: CouncilSeats, id: bigint): Promise<void> {
  for (let i = 1; i < c.threshold - 1; ++i) await gasOf(() => c.council.connect(c.seats[i]).approve(id));
}

async function approveToThreshold(c: CouncilSeats, id: bigint): Promise<void> {
  await approveBelowThreshold(c, id);
  await gasOf(() => c.council.connect(c.seats[c.threshold - 1]).approve(id));
}

function executor(c: CouncilSeats): HardhatEthersSigner {
  return c.seats[c.seats.length - 1];
}

function councilOperations(c: CouncilSeats, ctx: BenchContext): Operation[] {
  const registry = MemberRegistry__factory.connect(c.registry, ctx.hre.ethers.provider);
  const base = { system: "ours", project: "govledger", items: 1, throughput: true } as const;
  const admitted = async (seq: number) =>
    check((await registry.memberOf(addressFor("member.account", seq))) !== 0n, "member admitted");
  // Proposal ids by input, for the checks after the timed transaction.
  const approved = new Map<number, bigint>();
  return [
    {
      ...base,
      id: "council.propose",
      label: "council propose (admitMember)",
      prepare: async (seq) => () =>
        c.council.connect(c.seats[0]).propose(c.registry, admitCall(seq), admitDescription(seq)),
      verify: async (seq) => {
        const latest = await c.council.getProposal(await c.council.proposalCount());
        check(latest.description === admitDescription(seq) && latest.target === c.registry, "proposal stored");
      },
    },
    {
      ...base,
      id: "council.approve",
      label: "council approve reaching threshold (queues)",
      prepare: async (seq) => {
        const id = await propose(c, admitCall(seq), admitDescription(seq));
        await approveBelowThreshold(c, id);
        approved.set(seq, id);
        return () => c.council.connect(c.seats[c.threshold - 1]).approve(id);
      },
      verify: async (seq) => check((await c.council.state(approved.get(seq) ?? 0n)) === READY, "proposal ready"),
    },
    {
      ...base,
      id: "council.execute.admitMember",
      label: "council execute: admitMember",
      prepare: async (seq) => {
        const id = await propose(c, admitCall(seq), admitDescription(seq));
        await approveToThreshold(c, id);
        return () => c.council.connect(executor(c)).execute(id);
      },
      verify: admitted,
    },
    {
      ...base,
      id: "council.execute.grantMemberRole",
      label: "council execute: grantMemberRole",
      // A freshly admitted member each time, so every grant is its first of GRANT_ROLE.
      prepare: async (seq) => {
        const admit = await propose(c, admitCall(seq), admitDescription(seq));
        await approveToThreshold(c, admit);
        await gasOf(() => c.council.connect(executor(c)).execute(admit));
        const memberId = await registry.memberOf(addressFor("member.account", seq));
        const id = await propose(c, grantCall(memberId), `Grant evaluator to bench member ${pad(seq)}`);
        await approveToThreshold(c, id);
        return () => c.council.connect(executor(c)).execute(id);
      },
      verify: async (seq) =>
        check(await registry.hasMemberRole(addressFor("member.account", seq), GRANT_ROLE), "member role granted"),
    },
  ];
}

/** Our consortium layer, deployed by the project's own deploy scripts (hardhat-deploy fixture). */
export const consortiumSuite: Suite = {
  name: "consortium",
  async setup(ctx) {
    await ctx.hre.deployments.fixture();
    const seats = await seatCouncil(ctx);
    // Warm-up, left pending: the council's first proposal ever also writes its proposal counter
    // from zero, a one-off cost no later proposal pays. Measured proposals are steady-state ones.
    await propose(seats, admitCall(-1), "Bench warm-up (never approved)");
    return councilOperations(seats, ctx);
  },
  rows: [
    { module: "consortium", operation: "council propose (admitMember)", ours: "council.propose", floor: FLOOR_SINGLE },
    {
      module: "consortium",
      operation: "council approve reaching threshold (queues)",
      ours: "council.approve",
      floor: FLOOR_SINGLE,
    },
    {
      module: "consortium",
      operation: "council execute: admitMember",
      ours: "council.execute.admitMember",
      floor: FLOOR_SINGLE,
    },
    {
      module: "consortium",
      operation: "council execute: grantMemberRole",
      ours: "council.execute.grantMemberRole",
      floor: FLOOR_SINGLE,
    },
  ],
};
