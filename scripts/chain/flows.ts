import { JsonRpcProvider, Network, Wallet, id } from "ethers";
import { GovLedger, formatRegistrationNumber, type Deployment, type LedgerOptions } from "../../src/sdk";
import { DigestAlgorithm, digestBytes } from "../../src/evidence/digest";
import { StandInCurrency__factory } from "../../typechain-types";
import { sentOf, waitForReceipt } from "../../src/sdk/transactions";
import { ChainError } from "./geth";
import { rpc } from "./chain";
import { testAccounts, type KeyPair } from "./genesis";

/**
 * The modules' demo flows (scripts/demo.ts, without time travel) on a real chain, through the SDK:
 * each flow writes through `writeUrl` and checks what it wrote by reading through `readUrl`, another
 * node. Each returns the records it made, which {@link checkRecords} re-reads later on any node.
 */

/** The Hardhat test accounts the genesis funds, in the roles of scripts/demo.ts. */
export interface Cast {
  deployer: KeyPair;
  science: KeyPair;
  ipOffice: KeyPair;
  exchange: KeyPair;
  evaluator: KeyPair;
  university: KeyPair;
  company: KeyPair;
  teamLead: KeyPair;
  inventor: KeyPair;
}

export function cast(): Cast {
  const a = testAccounts();
  return {
    deployer: a[0],
    science: a[1],
    ipOffice: a[2],
    exchange: a[3],
    evaluator: a[5],
    university: a[10],
    company: a[11],
    teamLead: a[12],
    inventor: a[13],
  };
}

export interface FlowContext {
  deployment: Deployment;
  /** The node the flow writes through. */
  writeUrl: string;
  /** Another node, where the flow checks its results. */
  readUrl: string;
  cast: Cast;
  log: (line: string) => void;
  options?: LedgerOptions;
}

export interface Records {
  consortium?: { proposal: bigint; account: string };
  identity?: { university: Did; company: Did; ipOffice: Did; exchange: Did };
  evidence?: { digests: string[] };
  achievement?: { patent: bigint; registrar: bigint; teamLead: bigint; inventor: bigint };
  trade?: { listing: bigint; escrow: bigint; licence: bigint; buyer: bigint; patent: bigint };
}

interface Did {
  id: bigint;
  did: string;
}

const FIELD = 48_020;
const SHANGHAI = 310_000;

/** Ledgers opened by the flows; {@link closeAll} stops their providers. */
const opened: GovLedger[] = [];
const providers: JsonRpcProvider[] = [];

export function closeAll(): void {
  for (const l of opened.splice(0)) l.close();
  for (const p of providers.splice(0)) p.destroy();
}

async function as(ctx: FlowContext, key: KeyPair, url = ctx.writeUrl): Promise<GovLedger> {
  const l = await GovLedger.connectRpc(url, ctx.deployment, key.privateKey, ctx.options);
  opened.push(l);
  return l;
}

/** A read-only ledger on `url`. */
export async function reader(deployment: Deployment, url: string): Promise<GovLedger> {
  const l = await GovLedger.connectRpc(url, deployment);
  opened.push(l);
  return l;
}

/** Waits until the node at `url` has block `height` (the reading node may be a block behind the writer). */
export async function reach(url: string, height: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const head = Number(BigInt(await rpc<string>(url, "eth_blockNumber")));
    if (head >= height) return;
    if (Date.now() > deadline)
      throw new ChainError(`${url} is at #${head}, not at #${height} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the reading node has every block the writing node had when called. */
export async function settle(ctx: FlowContext): Promise<void> {
  await reach(ctx.readUrl, Number(BigInt(await rpc<string>(ctx.writeUrl, "eth_blockNumber"))));
}

/** A write that must land within `ms`. */
export async function bounded<T>(what: string, work: Promise<T>, ms = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChainError(`${what}: no receipt within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function expect(ok: boolean, what: string): void {
  if (!ok) throw new ChainError(what);
}

const sameAddress = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Chapter 2: a council proposal admits the Evaluation Institute; a second councillor approves; it is executed. */
export async function consortiumFlow(ctx: FlowContext): Promise<Records["consortium"] & object> {
  const { science, ipOffice, evaluator } = ctx.cast;
  const sci = await as(ctx, science);
  const ip = await as(ctx, ipOffice);
  const admit = sci.members.admit({
    name: "Zhongguancun Technology Evaluation Institute (科技评估中心)",
    accounts: [evaluator.address],
    roles: ["evaluator"],
  });
  const proposed = await bounded("propose", sci.council.propose(admit).wait());
  ctx.log(`  Science Dept proposed #${proposed.id}: ${admit.description}`);
  const approved = await bounded("approve", ip.council.approve(proposed.id).wait());
  ctx.log(`  IP Office approved #${proposed.id} (${approved.approvals} approvals)`);
  const executed = await bounded("execute", sci.council.execute(proposed.id).wait());
  ctx.log(`  Science Dept executed #${proposed.id}: ${executed.events.map((e) => e.name).join(", ")}`);
  await settle(ctx);
  const record = { proposal: proposed.id, account: evaluator.address };
  await checkConsortium(await reader(ctx.deployment, ctx.readUrl), record);
  return record;
}

async function checkConsortium(r: GovLedger, rec: NonNullable<Records["consortium"]>): Promise<string> {
  const p = await r.council.proposal(rec.proposal);
  expect(p.state === "Executed", `proposal #${rec.proposal} is ${p.state}, expected Executed`);
  const members = await r.members.members();
  const m = members.find((x) => x.accounts.some((a) => sameAddress(a, rec.account)));
  expect(m !== undefined && m.roles.includes("EVALUATOR"), `no member with ${rec.account} as evaluator`);
  return `proposal #${rec.proposal} Executed, member ${m!.id} "${m!.name.slice(0, 30)}…"`;
}

/** Chapter 7, in short: the Science Dept registers DIDs for the IP Office, the Exchange Centre, a university, a company. */
export async function identityFlow(ctx: FlowContext): Promise<NonNullable<Records["identity"]>> {
  const { science, ipOffice, exchange, university, company } = ctx.cast;
  const sci = await as(ctx, science);
  const register = async (who: string, account: string): Promise<Did> => {
    const r = await bounded(
      `register ${who}`,
      sci.identity
        .register({
          kind: "organisation",
          commitment: id(`salted record of ${who}`),
          keys: [{ account, purposes: "authentication,assertion" }],
        })
        .wait(),
    );
    ctx.log(`  Science Dept registered ${who} as ${r.did}`);
    return { id: r.id, did: r.did };
  };
  const record = {
    ipOffice: await register("the IP Office", ipOffice.address),
    exchange: await register("the Exchange Centre", exchange.address),
    university: await register("Provincial University of Technology (省理工大学)", university.address),
    company: await register("Greenvolt Battery Co. (绿伏电池公司)", company.address),
  };
  await settle(ctx);
  await checkIdentity(await reader(ctx.deployment, ctx.readUrl), record);
  return record;
}

async function checkIdentity(r: GovLedger, rec: NonNullable<Records["identity"]>): Promise<string> {
  for (const d of Object.values(rec)) {
    const doc = await r.identity.resolve(d.did);
    expect(doc.status === "Active", `${d.did} is ${doc.status}, expected Active`);
  }
  return `${Object.keys(rec).length} DIDs Active`;
}

/** Chapter 8, in short: the IP Office enrols as a notary, notarizes two documents; both verify as notarized. */
export async function evidenceFlow(ctx: FlowContext): Promise<NonNullable<Records["evidence"]>> {
  const { ipOffice } = ctx.cast;
  const ip = await as(ctx, ipOffice);
  await bounded("enrol a notary", ip.evidence.enrolNotary(ipOffice.address).wait());
  ctx.log("  IP Office enrolled as a notary");
  const contract = digestBytes("sales contract between Greenvolt and the university, signed scan", DigestAlgorithm.SM3);
  const transcript = digestBytes("hearing transcript", DigestAlgorithm.SHA256);
  await bounded(
    "notarize (SM3)",
    ip.evidence.notarize(contract, { algorithm: "sm3", category: 2, businessRef: id("contract 2026-TC-88") }).wait(),
  );
  const n = await bounded(
    "notarize (SHA-256)",
    ip.evidence.notarize(transcript, { algorithm: "sha256", category: 3, businessRef: id("case 2026-ZJ-7") }).wait(),
  );
  ctx.log(`  IP Office notarized a contract (SM3) and a transcript (SHA-256), last in block ${n.blockNumber}`);
  await reach(ctx.readUrl, n.blockNumber);
  const record = { digests: [contract, transcript] };
  await checkEvidence(await reader(ctx.deployment, ctx.readUrl), record);
  return record;
}

async function checkEvidence(r: GovLedger, rec: NonNullable<Records["evidence"]>): Promise<string> {
  for (const d of rec.digests) {
    const v = await r.evidence.verify(d);
    expect(v.verdict === "notarized", `${d} is ${v.verdict}, expected notarized`);
  }
  return `${rec.digests.length} digests notarized`;
}

/**
 * Chapter 9, in short: a patent co-owned 70/30 by the university and its team lead; the university
 * grants the team lead a ten-year use right, with the team lead's signature (no funds needed).
 */
export async function achievementFlow(
  ctx: FlowContext,
  identity: NonNullable<Records["identity"]>,
): Promise<NonNullable<Records["achievement"]>> {
  const { science, university, teamLead, inventor } = ctx.cast;
  const sci = await as(ctx, science);
  const register = async (who: string, kind: string, account: string) => {
    const r = await bounded(
      `register ${who}`,
      sci.identity
        .register({ kind, commitment: id(`salted record of ${who}`), keys: [{ account, purposes: 3 }] })
        .wait(),
    );
    ctx.log(`  Science Dept registered ${who} as ${r.did}`);
    return r.id;
  };
  const registrar = await register("itself, the registration agency", "organisation", science.address);
  const lead = await register("the battery team's lead", "person", teamLead.address);
  const coInventor = await register("a co-inventor", "person", inventor.address);
  await bounded("enrol the registrar", sci.achievement.enrolRegistrar(science.address).wait());
  const number = formatRegistrationNumber({ region: 31, year: 2026, type: 2, serial: 42 });
  const form = {
    name: "一种高安全性固态锂电池电解质及其制备方法 (A high-safety solid-state lithium battery electrolyte)",
    researchStart: Date.UTC(2021, 8, 1) / 1000,
    researchEnd: Date.UTC(2025, 11, 31) / 1000,
    field: FIELD,
    form: 1,
    stage: 2,
    keywords: ["固态电池 solid-state battery", "电解质 electrolyte"],
  };
  const registered = await bounded(
    "register the patent",
    sci.achievement
      .register({
        registrationNumber: number,
        kind: "patent",
        classification: "applied-research",
        secrecy: "open",
        metadata: id(JSON.stringify({ number: number.toString(), ...form })),
        metadataURI: `https://registry.sci.example/forms/${number}`,
        externalIds: [id("ZL202610123456.7")],
        owners: [
          { did: identity.university.id, bps: 7_000 },
          { did: lead, bps: 3_000 },
        ],
        inventors: [lead, coInventor],
        holder: university.address,
        form,
      })
      .wait(),
  );
  const patent = registered.id;
  ctx.log(
    `  Science Dept registered patent ${registered.registrationNumber} (#${patent}): university 70%, team lead 30%`,
  );
  const uni = await as(ctx, university);
  const now = BigInt(Math.floor(Date.now() / 1000));
  const granted = await bounded(
    "grant the use right",
    uni.achievement
      .grantRight({
        id: patent,
        right: "use",
        holdings: [{ did: lead, bps: 10_000 }],
        until: now + 10n * 365n * 86_400n,
        asDid: identity.university.id,
        signers: [new Wallet(teamLead.privateKey)],
      })
      .wait(),
  );
  ctx.log(`  the university, with the team lead's signature, granted the use right in block ${granted.blockNumber}`);
  await reach(ctx.readUrl, granted.blockNumber);
  const record = { patent, registrar, teamLead: lead, inventor: coInventor };
  await checkAchievement(await reader(ctx.deployment, ctx.readUrl), record, identity);
  return record;
}

async function checkAchievement(
  r: GovLedger,
  rec: NonNullable<Records["achievement"]>,
  identity: NonNullable<Records["identity"]>,
): Promise<string> {
  const view = await r.achievement.show(rec.patent);
  const shares = (right: "Ownership" | "Use") =>
    view.rights[right].holdings.map((h) => `${BigInt(h.did)}:${h.bps}`).join(",");
  const ownership = shares("Ownership");
  expect(
    ownership === `${identity.university.id}:7000,${rec.teamLead}:3000`,
    `patent #${rec.patent}: ownership ${ownership}, expected 70/30`,
  );
  expect(shares("Use") === `${rec.teamLead}:10000`, `patent #${rec.patent}: use right ${shares("Use")}`);
  return `patent #${rec.patent} ${view.status}: ownership ${ownership}; use ${shares("Use")}`;
}

/**
 * Chapter 10, at a fixed price: the university lists a licence; the co-owner approves; the centre
 * publishes; Greenvolt buys; the centre confirms the deal; Greenvolt funds and confirms the payment;
 * the university withdraws its share. The escrow balances and Greenvolt is licensed.
 */
export async function tradeFlow(
  ctx: FlowContext,
  identity: NonNullable<Records["identity"]>,
  achievement: NonNullable<Records["achievement"]>,
): Promise<NonNullable<Records["trade"]>> {
  const { deployer, exchange, university, company, teamLead } = ctx.cast;
  const provider = new JsonRpcProvider(ctx.writeUrl, ctx.deployment.chainId, {
    staticNetwork: Network.from(ctx.deployment.chainId),
    pollingInterval: 500,
    cacheTimeout: -1,
  });
  providers.push(provider);
  const currency = StandInCurrency__factory.connect(
    ctx.deployment.contracts.StandInCurrency,
    new Wallet(deployer.privateKey, provider),
  );
  const minted = await bounded(
    "mint",
    currency.mint(company.address, 200_000_000n).then((tx) => waitForReceipt(provider, sentOf(tx), 120_000)),
  );
  ctx.log(`  deployer minted ¥2,000,000.00 of the stand-in currency to Greenvolt (block ${minted.blockNumber})`);
  const [uni, lead, centre, green] = await Promise.all([
    as(ctx, university),
    as(ctx, teamLead),
    as(ctx, exchange),
    as(ctx, company),
  ]);
  const patent = achievement.patent;
  const listed = await bounded(
    "list",
    uni.market
      .list(
        {
          achievement: patent,
          centre: identity.exchange.id,
          mode: "fixed",
          price: "900000.00",
          licence: { kind: "exclusive", field: FIELD, territory: SHANGHAI, term: { years: 5 } },
          schedule: [{ percent: 100, dueAfterDays: 30 }],
          inventorBps: 1_000,
          termsHash: id("listing document SH-TEC-2026-0918 (挂牌文件)"),
        },
        identity.university.id,
      )
      .wait(),
  );
  const listing = listed.id;
  ctx.log(`  the university listed #${listing}: a 5-year exclusive licence at a fixed ¥900,000.00`);
  await bounded("co-owner approves", lead.market.approve(listing, achievement.teamLead).wait());
  ctx.log("  the team lead (co-owner) approved the listing");
  await bounded("publish", centre.market.publish(listing, 300).wait());
  ctx.log("  the Exchange Centre published it with a 3% fee");
  await bounded("buy", green.market.buy(listing, identity.company.id).wait());
  ctx.log("  Greenvolt bought it");
  const deal = await bounded(
    "confirm the deal",
    centre.market.confirmDeal(listing, id("deal confirmation SH-TEC-2026-0918-CJ (成交确认书)")).wait(),
  );
  ctx.log(`  the Exchange Centre confirmed the deal: licence #${deal.licence}, escrow #${deal.escrow}`);
  const escrowView = await centre.escrow.show(deal.escrow);
  for (let i = 0; i < escrowView.milestones.length; i++) {
    const m = escrowView.milestones[i];
    if (m.status !== "Awaiting") continue;
    await bounded("approve funding", green.escrow.approveFunding(deal.escrow, i + 1).wait());
    await bounded("fund", green.escrow.fund(deal.escrow, i + 1, identity.company.id).wait());
    await bounded("confirm", green.escrow.confirm(deal.escrow, i + 1, identity.company.id).wait());
    ctx.log(`  Greenvolt funded and confirmed milestone ${i + 1} (${m.amount} fen)`);
  }
  const paid = escrowView.milestones.filter((m) => m.status === "Awaiting").length;
  expect(paid > 0, `escrow #${deal.escrow} has no milestone awaiting payment`);
  const w = await bounded("withdraw", uni.escrow.withdraw(identity.university.id).wait());
  ctx.log(`  the university withdrew ${w.amount} fen in block ${w.blockNumber}`);
  await reach(ctx.readUrl, w.blockNumber);
  const record = {
    listing,
    escrow: deal.escrow,
    licence: deal.licence,
    buyer: identity.company.id,
    patent,
  };
  await checkTrade(await reader(ctx.deployment, ctx.readUrl), record);
  return record;
}

async function checkTrade(r: GovLedger, rec: NonNullable<Records["trade"]>): Promise<string> {
  const ledger = await r.escrow.liabilities();
  expect(ledger.balanced, `escrow unbalanced: held ${ledger.held}, owed ${ledger.owed}, balance ${ledger.balance}`);
  const licensed = await r.licences.isLicensed(rec.buyer, rec.patent, { field: FIELD, territory: SHANGHAI });
  expect(licensed, `DID ${rec.buyer} is not licensed for patent #${rec.patent}`);
  return `escrow balanced (held ${ledger.held}, owed ${ledger.owed}); licensed ${licensed}`;
}

/** Re-reads every module's records through `url`; throws on the first difference. */
export async function checkRecords(deployment: Deployment, url: string, rec: Records): Promise<string[]> {
  const r = await reader(deployment, url);
  const out: string[] = [];
  if (rec.consortium) out.push(`consortium: ${await checkConsortium(r, rec.consortium)}`);
  if (rec.identity) out.push(`identity: ${await checkIdentity(r, rec.identity)}`);
  if (rec.evidence) out.push(`evidence: ${await checkEvidence(r, rec.evidence)}`);
  if (rec.achievement && rec.identity) {
    out.push(`achievement: ${await checkAchievement(r, rec.achievement, rec.identity)}`);
  }
  if (rec.trade) out.push(`trade: ${await checkTrade(r, rec.trade)}`);
  return out;
}
