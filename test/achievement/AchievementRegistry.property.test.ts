import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { TypedDataEncoder, ZeroHash, type BaseContract, type ContractTransactionResponse } from "ethers";
import { envInt } from "../../config/env";
import {
  AchievementStatus,
  consentDomain,
  MAX_HOLDERS,
  PLEDGE_TYPES,
  Right,
  RIGHTS_CHANGE_TYPES,
  WHOLE_BPS,
} from "../../src/sdk/achievement-types";
import {
  achievementFixture,
  registrationOf,
  signChange,
  signPledge,
  type AchievementModule,
  type Party,
  type PledgeTerms,
  type RightsChange,
} from "../helpers/achievement";
import { DidKind, hashOf, registerDid } from "../helpers/identity";
import { nextBlockTimestamp } from "../helpers/proposals";
import {
  AchievementModel,
  holdingsRefusal,
  RIGHTS,
  ZERO_ADDRESS,
  type ConsentsGiven,
  type ModelChange,
  type ModelHolding,
  type ModelPledge,
  type Outcome,
} from "./model";

/**
 * fast-check parameters: GOVLEDGER_PROPERTY_RUNS runs, or `fallback` (the defaults keep this file well
 * under two minutes). The test gets 10 s a run (90 s at least); a run or shrink past that fails the
 * test with the smallest counterexample found so far.
 */
function params(test: Mocha.Context, fallback: number): fc.Parameters<unknown> {
  const numRuns = envInt("GOVLEDGER_PROPERTY_RUNS", fallback);
  const limit = Math.max(90_000, numRuns * 10_000);
  test.timeout(limit + 30_000);
  return { numRuns, interruptAfterTimeLimit: limit, markInterruptAsFailure: true };
}

const POOL_SIZE = 6;
const INDICES = Array.from({ length: POOL_SIZE }, (_, i) => i);
/** A DID nobody registered. */
const UNKNOWN_DID = 999_999n;
const CASE = hashOf("case 2026-仲裁-017");
const PLEDGE_CONTRACT = hashOf("pledge contract");
const SECURED = 5_000_000n;
const DAY = 86_400;

interface PropertyModule extends AchievementModule {
  /** The parties steps choose from: co-owners are drawn among them, the others stay outsiders. */
  pool: Party[];
  /** Active DIDs whose keys never sign, to fill lists of up to 16 holders. */
  extras: bigint[];
  chainId: bigint;
}

async function propertyFixture(): Promise<PropertyModule> {
  const m = await achievementFixture();
  const extras: bigint[] = [];
  for (let i = 0; i < MAX_HOLDERS - 1; i++) {
    const account = ethers.getAddress(ethers.dataSlice(hashOf(`property holder ${i}`), 12));
    extras.push(await registerDid(m, DidKind.Person, [{ account }], hashOf(`did:holder ${i}`)));
  }
  const pool = [m.university, m.team, m.inventor, m.bank, m.evaluator, m.outsider];
  return { ...m, pool, extras, chainId: (await ethers.provider.getNetwork()).chainId };
}

// ---- arbitraries ----

/** `n` non-zero shares summing to 10,000 bps. */
function split(n: number): fc.Arbitrary<number[]> {
  return fc
    .uniqueArray(fc.integer({ min: 1, max: WHOLE_BPS - 1 }), { minLength: n - 1, maxLength: n - 1 })
    .map((cuts) => {
      const points = [0, ...cuts.sort((a, b) => a - b), WHOLE_BPS];
      return points.slice(1).map((p, i) => p - points[i]);
    });
}

/** How a list of holdings is spoiled, if at all. */
type Flaw = "none" | "sumOff" | "zeroShare" | "duplicate" | "unknown" | "empty";
const FLAWS: Flaw[] = ["sumOff", "zeroShare", "duplicate", "unknown", "empty"];

interface HoldingsSpec {
  /** Pool indices of the holders. */
  parties: number[];
  shares: number[];
  flaw: Flaw;
  delta: number;
}

const flaw: fc.Arbitrary<Flaw> = fc.oneof(
  { weight: 6, arbitrary: fc.constant("none" as const) },
  { weight: 1, arbitrary: fc.constantFrom(...FLAWS) },
);

function holdingsSpec(parties: fc.Arbitrary<number[]>): fc.Arbitrary<HoldingsSpec> {
  return parties.chain((ps) =>
    fc.record({
      parties: fc.constant(ps),
      shares: split(ps.length),
      flaw,
      delta: fc.integer({ min: 1, max: 500 }),
    }),
  );
}

const newHolders = holdingsSpec(fc.shuffledSubarray(INDICES, { minLength: 1, maxLength: 3 }));

type Term = { kind: "permanent" } | { kind: "grant"; seconds: number } | { kind: "past" };
const term: fc.Arbitrary<Term> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: "permanent" as const }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("grant" as const), seconds: fc.integer({ min: 30, max: 3_000 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "past" as const }) },
);

/**
 * Who consents, among the parties a change or pledge needs (other than the DID the caller acts for):
 * all, all but one, some, nobody, or everybody by signatures the caller forges with its own key.
 * `onChain[i]` makes the i-th consenting party approve on chain rather than sign; `approveAs` are
 * further on-chain approvals the caller's account attempts, for those pool DIDs.
 */
interface ConsentPlan {
  mode: "all" | "allButOne" | "some" | "none" | "forged";
  onChain: boolean[];
  pick: boolean[];
  omit: number;
  approveAs: number[];
}

const flags = fc.array(fc.boolean(), { minLength: 8, maxLength: 8 });

function consentPlan(modes: fc.Arbitrary<ConsentPlan["mode"]>, approveAs: fc.Arbitrary<number[]>) {
  return fc.record({ mode: modes, onChain: flags, pick: flags, omit: fc.nat(7), approveAs });
}

const anyPlan = consentPlan(
  fc.oneof(
    { weight: 4, arbitrary: fc.constant("all" as const) },
    { weight: 2, arbitrary: fc.constant("allButOne" as const) },
    { weight: 2, arbitrary: fc.constant("some" as const) },
    { weight: 1, arbitrary: fc.constantFrom("none" as const, "forged" as const) },
  ),
  fc.oneof(
    { weight: 4, arbitrary: fc.constant<number[]>([]) },
    { weight: 1, arbitrary: fc.nat(POOL_SIZE - 1).map((p) => [p]) },
  ),
);

type Step =
  | {
      kind: "change";
      right: Right;
      holdings: HoldingsSpec;
      term: Term;
      caller: number;
      asDid: number;
      plan: ConsentPlan;
      stale: boolean;
      expired: boolean;
    }
  | { kind: "order"; right: Right; holdings: HoldingsSpec; term: Term; stale: boolean }
  | { kind: "replay" }
  | { kind: "pledge"; lender: number; term: Term; caller: number; asDid: number; plan: ConsentPlan; stale: boolean }
  | { kind: "release"; by: number | "lender" }
  | { kind: "dispute"; by: number }
  | { kind: "releaseByOrder" | "closeDispute" | "freeze" | "unfreeze" | "list" | "delist" }
  | { kind: "advance"; seconds: number };

const party = fc.nat(POOL_SIZE - 1);
const rare = fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

const anyStep: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({
        right: fc.constantFrom(...RIGHTS),
        holdings: newHolders,
        term,
        caller: party,
        plan: anyPlan,
        stale: rare,
        expired: rare,
      })
      .map((s) => ({ kind: "change" as const, asDid: s.caller, ...s })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("order" as const),
      right: fc.constantFrom(...RIGHTS),
      holdings: newHolders,
      term,
      stale: rare,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "replay" as const }) },
  {
    weight: 2,
    arbitrary: fc
      .record({ lender: party, term, caller: party, plan: anyPlan, stale: rare })
      .map((s) => ({ kind: "pledge" as const, asDid: s.caller, ...s })),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("release" as const),
      by: fc.oneof(fc.constant("lender" as const), party),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dispute" as const), by: party }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        "releaseByOrder" as const,
        "closeDispute" as const,
        "freeze" as const,
        "unfreeze" as const,
        "list" as const,
        "delist" as const,
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("advance" as const), seconds: fc.integer({ min: 1, max: 4_000 }) }),
  },
);

/** Co-owners (pool indices) with their shares, inventors, and spoiled registrations tried first. */
interface Setup {
  owners: number[];
  shares: number[];
  inventors: number[];
  refused: Flaw[];
  delta: number;
}

const setup: fc.Arbitrary<Setup> = fc.shuffledSubarray(INDICES, { minLength: 2, maxLength: 4 }).chain((owners) =>
  fc.record({
    owners: fc.constant(owners),
    shares: split(owners.length),
    inventors: fc.shuffledSubarray(INDICES, { maxLength: 2 }),
    refused: fc.array(fc.constantFrom(...FLAWS), { maxLength: 2 }),
    delta: fc.integer({ min: 1, max: 500 }),
  }),
);

/**
 * Steps of one co-owner (pool index `lone`) acting alone: it sends every call and signs every
 * consent with its own key, for itself or forged for others; it grants rights to itself, approves,
 * pledges, disputes, releases and waits.
 */
function loneSteps(lone: number, owners: number[]): fc.Arbitrary<Step[]> {
  const others = owners.filter((p) => p !== lone);
  const asDid = fc.oneof(
    { weight: 4, arbitrary: fc.constant(lone) },
    { weight: 1, arbitrary: fc.constantFrom(...others) },
  );
  const plan = consentPlan(
    fc.constantFrom("none" as const, "forged" as const),
    fc.shuffledSubarray(owners, { maxLength: 2 }),
  );
  const itself = fc.constant<HoldingsSpec>({ parties: [lone], shares: [WHOLE_BPS], flaw: "none", delta: 1 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant("change" as const),
        right: fc.constantFrom(...RIGHTS),
        holdings: fc.oneof(itself, newHolders),
        term,
        caller: fc.constant(lone),
        asDid,
        plan,
        stale: fc.constant(false),
        expired: fc.constant(false),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("pledge" as const),
        lender: fc.oneof(fc.constant(lone), party),
        term,
        caller: fc.constant(lone),
        asDid,
        plan,
        stale: fc.constant(false),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: "dispute" as const, by: lone }) },
    { weight: 1, arbitrary: fc.constant({ kind: "release" as const, by: lone }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("advance" as const), seconds: fc.integer({ min: 1, max: 2_000 }) }),
    },
  );
  return fc.array(step, { minLength: 3, maxLength: 12 });
}

/** A setup with one of its co-owners picked to act alone (`lone`, a pool index). */
const loneSetup = setup.chain((s) =>
  fc.record({ setup: fc.constant(s), lone: fc.constantFrom(...s.owners) }).chain(({ setup, lone }) =>
    fc.record({
      setup: fc.constant(setup),
      lone: fc.constant(lone),
      steps: loneSteps(lone, setup.owners),
      /** The right all co-owners grant the lone co-owner first, and for how long. */
      grant: fc.record({ right: fc.constantFrom(...RIGHTS), seconds: fc.integer({ min: 500, max: 3_000 }) }),
    }),
  ),
);

/** Signatures of every party needed. */
const EVERYONE: ConsentPlan = { mode: "all", onChain: [false], pick: [true], omit: 0, approveAs: [] };

/**
 * A use right granted to the bank for 1,000 s, then ownership granted to an outsider for 3,000 s:
 * when the use grant ends, the use right returns to the outsider until the ownership grant ends, so
 * a permanent change of the use right needs the outsider's consent, and fails without it.
 */
const GRANTS_OVER_GRANTS: { setup: Setup; steps: Step[] } = {
  setup: { owners: [0, 1], shares: [5_000, 5_000], inventors: [], refused: [], delta: 1 },
  steps: (
    [
      [Right.Use, 3, { kind: "grant", seconds: 1_000 }, EVERYONE],
      [Right.Ownership, 5, { kind: "grant", seconds: 3_000 }, EVERYONE],
      // Needed: bank, outsider, university (the caller), team, evaluator; all but the outsider sign.
      [Right.Use, 4, { kind: "permanent" }, { ...EVERYONE, mode: "allButOne", omit: 1 }],
    ] as const
  ).map(([right, to, term, plan]) => ({
    kind: "change",
    right,
    holdings: { parties: [to], shares: [WHOLE_BPS], flaw: "none", delta: 1 },
    term,
    caller: 0,
    asDid: 0,
    plan,
    stale: false,
    expired: false,
  })),
};

// ---- running steps against the chain and the model ----

const show = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));

/** The holdings `spec` names, spoiled as it says. */
function holdingsFrom(spec: HoldingsSpec, dids: bigint[]): ModelHolding[] {
  const list = spec.parties.map((p, i) => ({ did: dids[p], bps: spec.shares[i] }));
  const first = list[0];
  switch (spec.flaw) {
    case "none":
      return list;
    case "sumOff":
      list[0] = { ...first, bps: first.bps > spec.delta ? first.bps - spec.delta : first.bps + spec.delta };
      return list;
    case "zeroShare":
      return [...list, { did: dids.find((d) => !list.some((h) => h.did === d)) as bigint, bps: 0 }];
    case "duplicate":
      return [...list, { did: first.did, bps: spec.delta }];
    case "unknown":
      return [...list.slice(0, -1), { did: UNKNOWN_DID, bps: list[list.length - 1].bps }];
    case "empty":
      return [];
  }
}

function untilOf(t: Term, latest: number): number {
  if (t.kind === "permanent") return 0;
  return t.kind === "grant" ? latest + t.seconds : latest;
}

const pairs = (list: { did: bigint; bps: bigint | number }[]) => list.map((h) => [BigInt(h.did), BigInt(h.bps)]);

interface Signed {
  did: bigint;
  signer: string;
  signature: string;
}

/** One achievement under test: the chain, the model, and the last change applied by consent. */
class Run {
  readonly dids: bigint[];
  lastChange?: { c: RightsChange; consents: Signed[]; caller: number; asDid: number; actionHash: string };

  constructor(
    readonly m: PropertyModule,
    readonly model: AchievementModel,
  ) {
    this.dids = m.pool.map((p) => p.did);
  }

  get id(): bigint {
    return this.model.id;
  }

  /** Expects `sending` to be refused as `outcome` says, or to emit `event` and then applies it. */
  async settle(
    sending: Promise<ContractTransactionResponse>,
    outcome: Outcome,
    label: string,
    event?: [BaseContract, string, unknown[]],
  ): Promise<void> {
    if (outcome.refusal) {
      const { error, args } = outcome.refusal;
      const declaring = [this.m.achievements, this.m.rights, this.m.identity].find((c) => c.interface.getError(error));
      await expect(sending, `${label}: expected ${error}(${show(args)})`)
        .to.be.revertedWithCustomError(declaring as BaseContract, error)
        .withArgs(...args);
      return;
    }
    if (!event) throw new Error(`${label}: the model lets it succeed`);
    const [contract, name, args] = event;
    await expect(sending, `${label}: expected ${name}`)
      .to.emit(contract, name)
      .withArgs(...args);
    outcome.apply?.();
  }

  /**
   * Collects the consents `plan` gives to an action needing `needed`: signatures (in the order of
   * `needed`) and on-chain approvals, which it sends, each checked against the model.
   */
  async consent(
    plan: ConsentPlan,
    needed: bigint[],
    caller: Party,
    asDid: bigint,
    sign: (p: Party) => Promise<Signed>,
    approve: (
      p: Party,
      did: bigint,
    ) => { send: () => Promise<ContractTransactionResponse>; outcome: (at: number) => Outcome },
    actionHash: string,
    label: string,
  ): Promise<Signed[]> {
    const others = needed.filter((did) => did !== asDid);
    let consenting = others;
    if (plan.mode === "allButOne" && others.length > 0)
      consenting = others.filter((_, i) => i !== plan.omit % others.length);
    if (plan.mode === "some") consenting = others.filter((_, i) => plan.pick[i % plan.pick.length]);
    if (plan.mode === "none") consenting = [];
    const signed: Signed[] = [];
    const approvals: [Party, bigint][] = plan.approveAs.map((p) => [caller, this.dids[p]]);
    for (const [i, did] of consenting.entries()) {
      const p = this.m.pool.find((q) => q.did === did);
      if (!p) continue;
      if (plan.mode === "forged") signed.push({ ...(await sign(caller)), did });
      else if (plan.onChain[i % plan.onChain.length]) approvals.push([p, did]);
      else signed.push(await sign(p));
    }
    for (const [from, did] of approvals) {
      const { send, outcome } = approve(from, did);
      const at = await nextBlockTimestamp();
      await this.settle(send(), outcome(at), `${label} approval by ${from.address} for ${did}`, [
        this.m.rights,
        "ConsentGiven",
        [this.id, did, actionHash, from.did],
      ]);
    }
    return signed;
  }

  async step(s: Step, label: string): Promise<void> {
    const { m, model } = this;
    switch (s.kind) {
      case "change":
        return this.change(s, label);
      case "order": {
        const latest = await time.latest();
        const c = this.rightsChange(s.right, s.holdings, untilOf(s.term, latest), s.stale, latest + DAY);
        const at = await nextBlockTimestamp();
        const outcome = model.change(this.modelChange(c), undefined, at);
        return this.settle(m.rights.connect(m.arbitrator.account).orderRightsChange(c, CASE), outcome, label, [
          m.achievements,
          "RightsChanged",
          [this.id, m.arbitrator.did, s.right, c.until, ZeroHash, CASE],
        ]);
      }
      case "replay": {
        const last = this.lastChange;
        if (!last) return;
        const caller = m.pool[last.caller];
        const at = await nextBlockTimestamp();
        const given = this.given(caller, this.dids[last.asDid], last.consents, last.actionHash);
        const outcome = model.change(this.modelChange(last.c), given, at);
        expect(outcome.refusal?.error, `${label}: the model lets a consent be replayed`).to.equal(
          "AchievementStaleVersion",
        );
        return this.settle(
          m.rights.connect(caller.account).changeRights(last.c, last.consents, this.dids[last.asDid]),
          outcome,
          label,
        );
      }
      case "pledge":
        return this.pledge(s, label);
      case "release": {
        const lender = m.pool.find((p) => p.did === model.lender);
        const by = s.by === "lender" ? (lender ?? m.pool[0]) : m.pool[s.by];
        await nextBlockTimestamp();
        return this.settle(
          m.rights.connect(by.account).releasePledge(this.id, by.did),
          model.release(by.did, by.address),
          label,
          [m.rights, "PledgeReleased", [this.id, by.did, ZeroHash]],
        );
      }
      case "dispute": {
        const by = m.pool[s.by];
        const at = await nextBlockTimestamp();
        return this.settle(
          m.rights.connect(by.account).openDispute(this.id, by.did, CASE),
          model.openDispute(by.did, by.address, at),
          label,
          [m.rights, "DisputeOpened", [this.id, by.did, CASE]],
        );
      }
      case "releaseByOrder":
      case "closeDispute":
      case "freeze":
      case "unfreeze": {
        const rights = m.rights.connect(m.arbitrator.account);
        await nextBlockTimestamp();
        const [sending, outcome, event] =
          s.kind === "releaseByOrder"
            ? [rights.releasePledgeByOrder(this.id, CASE), model.release(undefined, ""), "PledgeReleased"]
            : s.kind === "closeDispute"
              ? [rights.closeDispute(this.id, CASE), model.closeDispute(), "DisputeClosed"]
              : s.kind === "freeze"
                ? [rights.freeze(this.id, CASE), model.setFrozen(true), "Frozen"]
                : [rights.unfreeze(this.id, CASE), model.setFrozen(false), "Unfrozen"];
        return this.settle(sending, outcome, label, [m.rights, event, [this.id, m.arbitrator.did, CASE]]);
      }
      case "list":
      case "delist": {
        const market = m.achievements.connect(m.marketAccount);
        const actor = m.pool[0].did;
        await nextBlockTimestamp();
        const back = model.listedFrom >= AchievementStatus.Licensed ? model.listedFrom : AchievementStatus.Registered;
        const outcome = s.kind === "list" ? model.markListed() : model.markDelisted();
        const status = s.kind === "list" ? AchievementStatus.Listed : back;
        return this.settle(
          s.kind === "list" ? market.markListed(this.id, actor) : market.markDelisted(this.id, actor),
          outcome,
          label,
          [m.achievements, "StatusChanged", [this.id, status, actor]],
        );
      }
      case "advance":
        await time.increase(s.seconds);
        return;
    }
  }

  private async change(s: Extract<Step, { kind: "change" }>, label: string): Promise<void> {
    const { m, model } = this;
    const caller = m.pool[s.caller];
    const asDid = this.dids[s.asDid];
    const latest = await time.latest();
    const deadline = s.expired ? latest : latest + DAY;
    const c = this.rightsChange(s.right, s.holdings, untilOf(s.term, latest), s.stale, deadline);
    const mc = this.modelChange(c);
    const actionHash = TypedDataEncoder.hash(
      consentDomain(m.chainId, await m.rights.getAddress()),
      RIGHTS_CHANGE_TYPES,
      c,
    );
    expect(await m.rights.rightsChangeHash(c), `${label}: rightsChangeHash`).to.equal(actionHash);
    const needed = model.changeParties(mc, latest);
    expect([...(await m.rights.consentsNeeded(c))], `${label}: consentsNeeded`).to.deep.equal(needed);
    const consents = await this.consent(
      s.plan,
      needed,
      caller,
      asDid,
      (p) => signChange(m, p, c),
      (p, did) => ({
        send: () => m.rights.connect(p.account).approveRightsChange(c, did),
        outcome: (at) => model.approveChange(mc, actionHash, did, p.address, at),
      }),
      actionHash,
      label,
    );
    const at = await nextBlockTimestamp();
    const outcome = model.change(mc, this.given(caller, asDid, consents, actionHash), at);
    const applied = !outcome.refusal;
    await this.settle(m.rights.connect(caller.account).changeRights(c, consents, asDid), outcome, label, [
      m.achievements,
      "RightsChanged",
      [this.id, caller.did, s.right, c.until, actionHash, ZeroHash],
    ]);
    if (applied) this.lastChange = { c, consents, caller: s.caller, asDid: s.asDid, actionHash };
  }

  private async pledge(s: Extract<Step, { kind: "pledge" }>, label: string): Promise<void> {
    const { m, model } = this;
    const caller = m.pool[s.caller];
    const asDid = this.dids[s.asDid];
    const latest = await time.latest();
    const p: PledgeTerms = {
      achievement: this.id,
      lender: this.dids[s.lender],
      securedAmount: SECURED,
      until: s.term.kind === "permanent" ? latest + DAY : untilOf(s.term, latest),
      contractHash: PLEDGE_CONTRACT,
      version: s.stale ? model.version + 1 : model.version,
      deadline: latest + DAY,
    };
    const mp: ModelPledge = {
      lender: this.dids[s.lender],
      until: Number(p.until),
      version: Number(p.version),
      deadline: Number(p.deadline),
    };
    const actionHash = TypedDataEncoder.hash(consentDomain(m.chainId, await m.rights.getAddress()), PLEDGE_TYPES, p);
    expect(await m.rights.pledgeHash(p), `${label}: pledgeHash`).to.equal(actionHash);
    const needed = model.pledgeParties(mp.lender, latest);
    expect([...(await m.rights.pledgeParties(p))], `${label}: pledgeParties`).to.deep.equal(needed);
    const consents = await this.consent(
      s.plan,
      needed,
      caller,
      asDid,
      (q) => signPledge(m, q, p),
      (q, did) => ({
        send: () => m.rights.connect(q.account).approvePledge(p, did),
        outcome: (at) => model.approvePledge(mp, actionHash, did, q.address, at),
      }),
      actionHash,
      label,
    );
    const at = await nextBlockTimestamp();
    await this.settle(
      m.rights.connect(caller.account).pledge(p, consents, asDid),
      model.pledge(mp, this.given(caller, asDid, consents, actionHash), at),
      label,
      [m.rights, "Pledged", [this.id, mp.lender, caller.did, SECURED, mp.until, PLEDGE_CONTRACT]],
    );
  }

  private rightsChange(right: Right, spec: HoldingsSpec, until: number, stale: boolean, deadline: number) {
    const holdings = holdingsFrom(spec, this.dids);
    const heir = this.m.pool.find((p) => p.did === holdings[0]?.did);
    const holder = until === 0 && right === Right.Ownership && heir ? heir.address : ZERO_ADDRESS;
    const version = stale ? (this.model.version > 1 ? this.model.version - 1 : 2) : this.model.version;
    return { achievement: this.id, right, holdings, until, holder, version, deadline } satisfies RightsChange;
  }

  private modelChange(c: RightsChange): ModelChange {
    return {
      right: Number(c.right) as Right,
      holdings: (c.holdings as ModelHolding[]).map((h) => ({ did: BigInt(h.did), bps: Number(h.bps) })),
      until: Number(c.until),
      holder: String(c.holder),
      version: Number(c.version),
      deadline: Number(c.deadline),
    };
  }

  private given(caller: Party, asDid: bigint, consents: Signed[], actionHash: string): ConsentsGiven {
    return {
      caller: caller.address,
      asDid,
      signed: consents.map((s) => ({ did: s.did, signer: s.signer })),
      actionHash,
    };
  }

  /** Compares everything the chain says about the achievement with the model, and checks rule (1). */
  async check(label: string): Promise<void> {
    const { m, model, id } = this;
    const now = await time.latest();
    for (const r of RIGHTS) {
      const [held, [base, grant, until]] = await Promise.all([
        m.achievements.holdingsOf(id, r),
        m.achievements.rightOf(id, r),
      ]);
      const where = `${label}: right ${Right[r]} at ${now}`;
      // Rule (1), on the chain alone: distinct non-zero holders with non-zero shares summing to exactly 10,000.
      expect(
        held.reduce((sum, h) => sum + h.bps, 0n),
        `${where}: sum`,
      ).to.equal(BigInt(WHOLE_BPS));
      expect(new Set(held.map((h) => h.did)).size, `${where}: distinct holders`).to.equal(held.length);
      expect(
        held.every((h) => h.did !== 0n && h.bps > 0n),
        `${where}: non-zero holders and shares`,
      ).to.equal(true);
      expect(pairs(held), `${where}: holdingsOf`).to.deep.equal(pairs(model.holdings(r, now)));
      const running = model.runningGrant(r, now);
      expect([pairs(base), pairs(grant), until], `${where}: rightOf`).to.deep.equal([
        pairs(model.base(r)),
        pairs(running?.holdings ?? []),
        BigInt(running?.until ?? 0),
      ]);
    }
    const a = await m.achievements.getAchievement(id);
    expect([a.status, a.pledged, a.disputed, a.frozen, a.version, a.holder], `${label}: getAchievement`).to.deep.equal([
      BigInt(model.status),
      model.pledged,
      model.disputed,
      model.frozen,
      BigInt(model.version),
      model.holder,
    ]);
    expect((await m.rights.pledgeOf(id)).lender, `${label}: pledgeOf`).to.equal(model.lender);
    for (const p of m.pool) {
      expect(await m.achievements.isParty(id, p.did), `${label}: isParty(${p.did})`).to.equal(
        model.isParty(p.did, now),
      );
    }
  }
}

/** Tries the spoiled registrations of `s` (each refused), registers the valid one, and starts a run. */
async function registered(m: PropertyModule, s: Setup): Promise<Run> {
  const owners = s.owners.map((p, i) => ({ party: m.pool[p], bps: s.shares[i] }));
  const inventors = s.inventors.map((p) => m.pool[p]);
  const valid = registrationOf(owners, inventors);
  const isActive = (did: bigint) => m.pool.some((p) => p.did === did);
  const dids = m.pool.map((p) => p.did);
  for (const f of s.refused) {
    const spec = { parties: s.owners, shares: s.shares, flaw: f, delta: s.delta };
    const refusal = holdingsRefusal(holdingsFrom(spec, dids), isActive);
    expect(refusal, `registration spoiled by ${f}`).to.not.equal(undefined);
    const spoiled = { ...valid, owners: holdingsFrom(spec, dids) };
    await expect(m.achievements.connect(m.registrar).register(spoiled), `registration spoiled by ${f}`)
      .to.be.revertedWithCustomError(m.achievements, refusal!.error)
      .withArgs(...refusal!.args);
  }
  const id = BigInt(valid.registrationNumber);
  await expect(m.achievements.connect(m.registrar).register(valid))
    .to.emit(m.achievements, "StatusChanged")
    .withArgs(id, AchievementStatus.Registered, m.registrarDid);
  const accountOf = new Map(m.pool.map((p) => [p.did, p.address]));
  const model = new AchievementModel(
    id,
    owners.map((o) => ({ did: o.party.did, bps: o.bps })),
    owners[0].party.address,
    inventors.map((p) => p.did),
    accountOf,
  );
  return new Run(m, model);
}

describe("AchievementRegistry and AchievementRights (properties)", function () {
  describe("register, changeRights, approveRightsChange, orderRightsChange, pledge, disputes and freezes", function () {
    it("keep every right at exactly 10,000 bps and apply a change iff every needed party consented or an arbitrator ordered it", async function () {
      await fc.assert(
        fc.asyncProperty(setup, fc.array(anyStep, { minLength: 4, maxLength: 14 }), async (s, steps) => {
          const m = await loadFixture(propertyFixture);
          const run = await registered(m, s);
          await run.check("after registration");
          for (const [i, step] of steps.entries()) {
            const label = `step ${i} ${show(step)}`;
            await run.step(step, label);
            await run.check(label);
          }
        }),
        { ...params(this, 40), examples: [[GRANTS_OVER_GRANTS.setup, GRANTS_OVER_GRANTS.steps]] },
      );
    });
  });

  describe("changeRights, approveRightsChange, pledge, approvePledge, openDispute and releasePledge by one co-owner alone", function () {
    it("never change the ownership or disposal holders, nor pledge, while there are two co-owners or more", async function () {
      await fc.assert(
        fc.asyncProperty(loneSetup, async ({ setup: s, steps }) => {
          const m = await loadFixture(propertyFixture);
          const run = await registered(m, { ...s, refused: [] });
          const owners = pairs(run.model.base(Right.Ownership));
          const holder = run.model.holder;
          for (const [i, step] of steps.entries()) {
            const label = `step ${i} ${show(step)}`;
            await run.step(step, label);
            await run.check(label);
            // Rule (2), on the chain alone.
            for (const r of [Right.Ownership, Right.Disposal]) {
              expect(pairs(await m.achievements.holdingsOf(run.id, r)), `${label}: ${Right[r]}`).to.deep.equal(owners);
            }
            const a = await m.achievements.getAchievement(run.id);
            expect([a.pledged, a.holder], `${label}: pledged, token holder`).to.deep.equal([false, holder]);
          }
        }),
        params(this, 30),
      );
    });

    context("when all co-owners granted the lone co-owner a right for a term", function () {
      it("leave the ownership and disposal holders as registered once the term ends", async function () {
        await fc.assert(
          fc.asyncProperty(loneSetup, async ({ setup: s, lone, steps, grant }) => {
            const m = await loadFixture(propertyFixture);
            const run = await registered(m, { ...s, refused: [] });
            const owners = pairs(run.model.base(Right.Ownership));
            const holder = run.model.holder;
            const granting: Step = {
              kind: "change",
              right: grant.right,
              holdings: { parties: [lone], shares: [WHOLE_BPS], flaw: "none", delta: 1 },
              term: { kind: "grant", seconds: grant.seconds },
              caller: lone,
              asDid: lone,
              plan: EVERYONE,
              stale: false,
              expired: false,
            };
            await run.step(granting, "grant by all co-owners");
            const until = run.model.grants[grant.right]?.until;
            expect(until, "the grant by all co-owners applies").to.not.equal(undefined);
            for (const [i, step] of steps.entries()) {
              const label = `step ${i} ${show(step)}`;
              await run.step(step, label);
              await run.check(label);
            }
            if ((await time.latest()) < until!) await time.increaseTo(until!);
            await run.check("after the grant ended");
            for (const r of [Right.Ownership, Right.Disposal]) {
              expect(pairs(await m.achievements.holdingsOf(run.id, r)), `${Right[r]} after the grant`).to.deep.equal(
                owners,
              );
            }
            expect((await m.achievements.getAchievement(run.id)).holder, "token holder").to.equal(holder);
          }),
          params(this, 30),
        );
      });
    });
  });

  describe("register and orderRightsChange (HoldingList packing)", function () {
    it("read back every list of 1 to 16 holders exactly as written, over shorter and longer lists", async function () {
      const lists = fc.tuple(...Array.from({ length: MAX_HOLDERS }, (_, i) => split(i + 1)));
      const order = fc.shuffledSubarray(
        Array.from({ length: MAX_HOLDERS - 1 }, (_, i) => i),
        { minLength: MAX_HOLDERS - 1, maxLength: MAX_HOLDERS - 1 },
      );
      await fc.assert(
        fc.asyncProperty(lists, lists, order, async (first, second, shuffle) => {
          const m = await loadFixture(propertyFixture);
          const dids = [m.university.did, ...shuffle.map((i) => m.extras[i])];
          const expectList = async (id: bigint, list: ModelHolding[], label: string) => {
            for (const r of RIGHTS) {
              const held = await m.achievements.holdingsOf(id, r);
              expect(pairs(held), `${label}: holdingsOf ${Right[r]}`).to.deep.equal(pairs(list));
            }
            const last = list[list.length - 1];
            expect(await m.achievements.shareOf(id, Right.Income, last.did), `${label}: shareOf last`).to.equal(
              last.bps,
            );
          };
          for (const [i, shares] of first.entries()) {
            const owners = shares.map((bps, j) => ({ did: dids[j], bps }));
            const r = { ...registrationOf([{ party: m.university, bps: WHOLE_BPS }]), owners };
            const id = BigInt(r.registrationNumber);
            const last = owners[owners.length - 1];
            await expect(m.achievements.connect(m.registrar).register(r), `${owners.length} owners`)
              .to.emit(m.achievements, "ShareAssigned")
              .withArgs(id, last.did, Right.Ownership, last.bps, 0);
            await expectList(id, owners, `registered with ${owners.length} owners`);
            // Rewrite the same list with another length (16 - i holders): stale words must not show.
            const next = second[MAX_HOLDERS - 1 - i].map((bps, j) => ({ did: dids[j], bps }));
            const c = {
              achievement: id,
              right: Right.Ownership,
              holdings: next,
              until: 0,
              holder: m.university.address,
              version: 1,
              deadline: 0,
            };
            await expect(m.rights.connect(m.arbitrator.account).orderRightsChange(c, CASE), `${next.length} holders`)
              .to.emit(m.achievements, "RightsChanged")
              .withArgs(id, m.arbitrator.did, Right.Ownership, 0, ZeroHash, CASE);
            await expectList(id, next, `${owners.length} owners rewritten as ${next.length}`);
          }
        }),
        params(this, 5),
      );
    });
  });
});
