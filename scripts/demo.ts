import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Narrator } from "../src/demo/narrator";
import {
  GovLedger,
  GovLedgerError,
  deploymentFromRecords,
  type Call,
  type Deployment,
  toGovLedgerError,
} from "../src/sdk";
import { MemberRegistry__factory } from "../typechain-types";

/**
 * The main job on the embedded chain: the consortium is formed and governed, end to end, through
 * the SDK. Each module issue adds its chapter. Prints the story and writes out/demo-report.json.
 */
const story = new Narrator();

async function main(): Promise<void> {
  const { ethers, deployments } = hre;
  const signers = await ethers.getSigners();
  const [deployer, scienceDept, ipOffice, exchange, security] = signers;
  const [evaluator, arbitration, auditBureau, notaryOffice] = signers.slice(5, 9);

  story.begin(
    "1. The consortium is formed",
    "Four founding organisations deploy the suite on the embedded chain; a council of three (2 of 3 must agree) takes over.",
  );
  await deployments.fixture();
  const { chainId } = await ethers.provider.getNetwork();
  const deployment = deploymentFromRecords("hardhat", chainId, await deployments.all());
  const as = (s: HardhatEthersSigner) => GovLedger.connect(s, deployment);
  const sci = await as(scienceDept);
  const status = await sci.council.status();
  for (const [name, address] of Object.entries(deployment.contracts)) story.note(`${name.padEnd(15)} ${address}`);
  story.done("deployer", "deployed the suite and admitted the founders", { contracts: deployment.contracts });
  for (const m of await sci.members.members()) story.note(`member ${m.id}: ${m.name} [${m.roles.join(", ")}]`);
  const [deployerAdmin] = await sci.authority.hasRole(0n, deployer.address);
  story.done(
    "deployer",
    `handed over: holds the admin role = ${deployerAdmin}; council ${status.threshold} of ${status.councillors.length}`,
    {
      councillors: status.councillors,
      threshold: status.threshold,
    },
  );

  story.begin("2. Members join by council decision", "No single key admits a member: two councillors must agree.");
  const admitEvaluator = sci.members.admit({
    name: "Zhongguancun Technology Evaluation Institute (科技评估中心)",
    accounts: [evaluator.address],
    roles: ["evaluator"],
  });
  const first = await sci.council.propose(admitEvaluator).wait();
  story.done("Science Dept", `proposed #${first.id}: ${admitEvaluator.description}`, { proposal: first.id });
  await refusal("Science Dept", `executes #${first.id} with 1 of 2 approvals`, sci.council.execute(first.id));
  await decide(first.id, [ipOffice], scienceDept, deployment);
  for (const [who, signer, role] of [
    ["Provincial Arbitration Commission (仲裁委员会)", arbitration, "arbitrator"],
    ["Municipal Audit Bureau (审计局)", auditBureau, "auditor"],
    ["Public Notary Office (公证处)", notaryOffice, "notary"],
  ] as const) {
    const call = sci.members.admit({ name: who, accounts: [signer.address], roles: [role] });
    const { id } = await sci.council.propose(call).wait();
    await decide(id, [exchange], scienceDept, deployment);
  }
  story.note(`the consortium now has ${(await sci.members.members()).length} members`);

  story.begin("3. Nobody governs alone", "Direct calls that skip the council are refused by the authority.");
  const registryAsDeployer = MemberRegistry__factory.connect(deployment.contracts.MemberRegistry, deployer);
  await refusal(
    "former deployer",
    "grants itself the notary role directly",
    sci.members.contract.connect(deployer).grantMemberRole.staticCall(1n, 13n),
  );
  await refusal(
    "Science Dept",
    "admits a member without the council",
    registryAsDeployer.connect(scienceDept).admitMember.staticCall("Shadow Org", ethers.ZeroHash, [], []),
  );

  story.begin("4. Emergency pause", "The guardian stops the member registry; reads go on; the council resumes it.");
  const guard = await as(security);
  await guard.pause("MemberRegistry").wait();
  story.done("Security Office (guardian)", "paused MemberRegistry");
  story.note(`read while paused: member 1 is ${(await sci.members.member(1n)).name}`);
  const grant = await sci.council.propose(sci.members.grantRole(5n, "auditor")).wait();
  await (await as(ipOffice)).council.approve(grant.id).wait();
  await refusal("Science Dept", `executes #${grant.id} (grant a role) while paused`, sci.council.execute(grant.id));
  await refusal("Security Office (guardian)", "unpauses on its own", guard.members.contract.unpause.staticCall());
  const resume = await sci.council.propose(sci.unpause("MemberRegistry")).wait();
  await decide(resume.id, [ipOffice], scienceDept, deployment);
  await sci.council.execute(grant.id).wait();
  story.done("Science Dept", `executed #${grant.id} after the resume: member 5 also audits`);

  story.begin(
    "5. Upgrades wait, and a guardian can stop them",
    "An upgrade waits one day after approval; during that day the guardian can cancel it.",
  );
  const newImplementation = await (await new MemberRegistry__factory(deployer).deploy()).getAddress();
  const upgrade = sci.upgrade("MemberRegistry", newImplementation);
  const bad = await sci.council.propose(upgrade).wait();
  const queued = await (await as(ipOffice)).council.approve(bad.id).wait();
  story.done("IP Office", `approved #${bad.id}; scheduled, ready at ${iso(queued.queued?.readyAt)}`, {
    readyAt: queued.queued?.readyAt,
  });
  await refusal("Science Dept", `executes #${bad.id} before the delay`, sci.council.execute(bad.id));
  await guard.council.cancel(bad.id).wait();
  story.done(
    "Security Office (guardian)",
    `cancelled upgrade #${bad.id}; state ${(await sci.council.proposal(bad.id)).state}`,
  );
  const good = await sci.council.propose(upgrade).wait();
  await (await as(exchange)).council.approve(good.id).wait();
  await time.increase(86_400);
  story.note("one day passes");
  const before = (await sci.members.members()).length;
  await sci.council.execute(good.id).wait();
  const implementation = await hre.upgrades.erc1967.getImplementationAddress(deployment.contracts.MemberRegistry);
  story.done("Science Dept", `executed upgrade #${good.id}: implementation is now ${implementation}`, {
    implementation,
  });
  story.note(`members before ${before}, after ${(await sci.members.members()).length}: no record lost`);

  story.begin("6. Changing who governs waits longer", "Seating a fourth councillor waits two days.");
  const seat = await sci.council.propose(sci.council.addCouncillor(auditBureau.address)).wait();
  const seatQueued = await (await as(ipOffice)).council.approve(seat.id).wait();
  story.done("IP Office", `approved #${seat.id}; ready at ${iso(seatQueued.queued?.readyAt)}`);
  await time.increase(2 * 86_400);
  story.note("two days pass");
  await sci.council.execute(seat.id).wait();
  const after = await sci.council.status();
  story.done(
    "Science Dept",
    `seated the Audit Bureau: council is now ${after.threshold} of ${after.councillors.length}`,
    {
      councillors: after.councillors,
    },
  );

  const file = story.write("out/demo-report.json", {
    network: hre.network.name,
    chainId,
    contracts: deployment.contracts,
    generatedAt: new Date().toISOString(),
  });
  console.log(`\nReport written to ${file}`);
}

/** Approves proposal `id` by `approvers`, then executes it as `executor`; narrates both. */
async function decide(
  id: bigint,
  approvers: HardhatEthersSigner[],
  executor: HardhatEthersSigner,
  deployment: Deployment,
) {
  for (const a of approvers) {
    const r = await (await GovLedger.connect(a, deployment)).council.approve(id).wait();
    story.done(label(a), `approved #${id} (${r.approvals} approvals)`);
  }
  const exec = await (await GovLedger.connect(executor, deployment)).council.execute(id).wait();
  const effects = exec.events
    .filter((e) => e.contract !== "Council" && e.contract !== "GovAuthority")
    .map((e) => e.name);
  story.done(label(executor), `executed #${id}: ${effects.join(", ") || "done"}`, {
    events: exec.events.map((e) => e.name),
  });
}

/** Runs something that must be refused and narrates the decoded reason; a success is a broken rule. */
async function refusal(actor: string, action: string, attempt: Call<unknown> | Promise<unknown>): Promise<void> {
  try {
    await ("wait" in attempt ? attempt.wait() : attempt);
  } catch (e) {
    const decoded = toGovLedgerError(e);
    const reason = decoded instanceof GovLedgerError ? decoded.message : (decoded as Error).message;
    story.refused(actor, action, reason);
    return;
  }
  throw new Error(`rule broken: "${actor} ${action}" was not refused`);
}

const labels = new Map<string, string>();
function label(s: HardhatEthersSigner): string {
  return labels.get(s.address) ?? s.address.slice(0, 10);
}

function iso(seconds?: bigint): string {
  return seconds === undefined ? "?" : new Date(Number(seconds) * 1000).toISOString();
}

async function nameActors(): Promise<void> {
  const s = await hre.ethers.getSigners();
  ["deployer", "Science Dept", "IP Office", "Exchange Centre", "Security Office"].forEach((n, i) =>
    labels.set(s[i].address, n),
  );
}

nameActors()
  .then(main)
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
