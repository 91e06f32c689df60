import { expect } from "chai";
import fc from "fast-check";
import { deployments } from "hardhat";
import { takeSnapshot, time, type SnapshotRestorer } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import type { ContractTransactionResponse, Result } from "ethers";
import { envInt } from "../../config/env";
import { LicenceRegister__factory, type LicenceRegister } from "../../typechain-types";
import { register, registrationOf, type Party } from "../helpers/achievement";
import { hashOf } from "../helpers/identity";
import { tradeFixture } from "../helpers/trade";

/**
 * fast-check parameters: GOVLEDGER_LICENCE_PROPERTY_RUNS runs, or `fallback`. The test gets 1 s a run
 * (60 s at least); a run or shrink past that fails the test with the smallest counterexample so far.
 */
function params(test: Mocha.Context, fallback: number): fc.Parameters<unknown> {
  const numRuns = envInt("GOVLEDGER_LICENCE_PROPERTY_RUNS", fallback);
  const limit = Math.max(60_000, numRuns * 1_000);
  test.timeout(limit + 30_000);
  return { numRuns, interruptAfterTimeLimit: limit, markInterruptAsFailure: true };
}

/** Mirrors ILicenceRegister.LicenceKind. */
enum Kind {
  Exclusive,
  Sole,
  NonExclusive,
}

/** Mirrors ILicenceRegister.LicenceStatus. */
enum Status {
  None,
  Active,
  Terminated,
}

/** The grid of the scenario's clock: terms start and end on multiples of UNIT after the scenario's origin. */
const UNIT = 100;
const GRID = 12;
const DEAL = hashOf("deal confirmation (成交确认书)");
const CASE = hashOf("case 2026-仲裁-042");
/** Calls are sent with a fixed gas limit, so that every call, refused or not, is mined at the time set for it. */
const GAS = { gasLimit: 1_000_000 };

// ---- model ----

interface ModelLicence {
  id: number;
  licensee: number;
  kind: Kind;
  field: number;
  territory: number;
  start: number;
  end: number;
  sublicensable: boolean;
  terminated: boolean;
}

type Outcome =
  | { ok: true; id: number }
  | { ok: false; error: "LicenceInvalidTerm"; args: [number, number] }
  | { ok: false; error: "LicenceOverlap" | "LicenceUnknown" | "LicenceNotActive"; args: [number] };

const overlaps = (a: number, b: number) => a === 0 || b === 0 || a === b;
const covers = (granted: number, asked: number) => granted === 0 || granted === asked;

/** What decides whether two licences clash. */
type Scope = Pick<ModelLicence, "kind" | "field" | "territory" | "start" | "end">;

/** Whether licences `a` and `b` may not both run: either is exclusive or sole and they overlap in everything. */
function clash(a: Scope, b: Scope): boolean {
  if (a.kind === Kind.NonExclusive && b.kind === Kind.NonExclusive) return false;
  return a.start < b.end && b.start < a.end && overlaps(a.field, b.field) && overlaps(a.territory, b.territory);
}

class LicenceModel {
  readonly licences: ModelLicence[] = [];

  running(l: ModelLicence, now: number): boolean {
    return !l.terminated && now < l.end;
  }

  record(l: Omit<ModelLicence, "id" | "terminated">, now: number): Outcome {
    if (l.end <= l.start || l.end <= now) return { ok: false, error: "LicenceInvalidTerm", args: [l.start, l.end] };
    const other = this.licences.find((o) => this.running(o, now) && clash(o, l));
    if (other) return { ok: false, error: "LicenceOverlap", args: [other.id] };
    const id = this.licences.length + 1;
    this.licences.push({ ...l, id, terminated: false });
    return { ok: true, id };
  }

  terminate(id: number, now: number): Outcome {
    const l = this.licences[id - 1];
    if (!l) return { ok: false, error: "LicenceUnknown", args: [id] };
    if (!this.running(l, now)) return { ok: false, error: "LicenceNotActive", args: [id] };
    l.terminated = true;
    return { ok: true, id };
  }

  isLicensed(licensee: number, field: number, territory: number, at: number): boolean {
    return this.licences.some(
      (l) =>
        l.licensee === licensee &&
        !l.terminated &&
        l.start <= at &&
        at < l.end &&
        covers(l.field, field) &&
        covers(l.territory, territory),
    );
  }
}

// ---- arbitraries ----

const code = fc.integer({ min: 0, max: 2 });
const gridPoint = fc.integer({ min: 0, max: GRID });

type Step =
  | {
      kind: "record";
      licensee: number;
      licenceKind: Kind;
      field: number;
      territory: number;
      start: number;
      /** Grid units from start to end; 0 or less makes an empty term. */
      length: number;
      sublicensable: boolean;
    }
  | { kind: "terminate"; pick: number; unknown: boolean }
  | { kind: "wait"; seconds: number }
  /** Waits so that the next call lands on the end of a licence, give or take a second (if that is still ahead). */
  | { kind: "waitForEnd"; pick: number; nudge: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("record" as const),
      licensee: fc.integer({ min: 0, max: 1 }),
      licenceKind: fc.constantFrom(Kind.Exclusive, Kind.Sole, Kind.NonExclusive),
      field: code,
      territory: code,
      start: gridPoint,
      length: fc.integer({ min: -1, max: 8 }),
      sublicensable: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("terminate" as const),
      pick: fc.nat(),
      unknown: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("wait" as const),
      seconds: fc.oneof(fc.integer({ min: 1, max: 3 * UNIT }), fc.constantFrom(UNIT - 1, UNIT, UNIT + 1)),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("waitForEnd" as const),
      pick: fc.nat(),
      nudge: fc.integer({ min: -1, max: 1 }),
    }),
  },
);

interface Query {
  licensee: number;
  field: number;
  territory: number;
  /** A grid point, then -1, 0 or +1 second from it. */
  point: number;
  nudge: number;
}

const query: fc.Arbitrary<Query> = fc.record({
  licensee: fc.integer({ min: 0, max: 1 }),
  field: fc.integer({ min: 0, max: 3 }),
  territory: fc.integer({ min: 0, max: 3 }),
  point: gridPoint,
  nudge: fc.integer({ min: -1, max: 1 }),
});

const scenario = fc.record({
  steps: fc.array(fc.record({ step, queries: fc.array(query, { minLength: 1, maxLength: 3 }) }), {
    minLength: 1,
    maxLength: 16,
  }),
});

// ---- the property ----

describe("LicenceRegister (properties)", function () {
  let licences: LicenceRegister;
  let achievement: bigint;
  let licensees: Party[];
  let centre: bigint;
  let snapshot: SnapshotRestorer;

  before(async function () {
    const m = await tradeFixture();
    licences = LicenceRegister__factory.connect((await deployments.get("LicenceRegister")).address, m.centre.account);
    achievement = await register(m, registrationOf([{ party: m.university, bps: 10_000 }], [m.inventor]));
    licensees = [m.buyer, m.bank];
    centre = m.centre.did;
    const arbitrator = m.arbitrator.account;
    terminateAs = (id, o) => licences.connect(arbitrator).terminate(id, CASE, o);
    snapshot = await takeSnapshot();
  });

  let terminateAs: (id: bigint, o: typeof GAS) => Promise<ContractTransactionResponse>;

  /** Sends `call` at `now` and checks that it succeeds or fails exactly as `expected`. */
  async function sent(call: () => Promise<ContractTransactionResponse>, now: number, expected: Outcome, label: string) {
    await time.setNextBlockTimestamp(now);
    if (expected.ok) {
      const receipt = await (await call()).wait();
      expect(receipt?.status, `${label}: succeeds`).to.equal(1);
      return;
    }
    await expect(call(), `${label}: ${expected.error}`)
      .to.be.revertedWithCustomError(licences, expected.error)
      .withArgs(...expected.args);
  }

  describe("record, terminate and time passing in random sequences", function () {
    it("succeed exactly when the model allows, never let clashing licences run together, and answer isLicensed as the model", async function () {
      await fc.assert(
        fc.asyncProperty(scenario, async ({ steps }) => {
          await snapshot.restore();
          const model = new LicenceModel();
          const origin = (await time.latest()) + 10;
          let now = origin;
          const at = (point: number) => origin + point * UNIT;
          const expectedRecord = (l: ModelLicence) => [
            achievement,
            licensees[l.licensee].did,
            centre,
            BigInt(l.terminated ? Status.Terminated : Status.Active),
            [BigInt(l.kind), BigInt(l.field), BigInt(l.territory), BigInt(l.start), BigInt(l.end), l.sublicensable],
            DEAL,
          ];

          for (const [i, { step: s, queries }] of steps.entries()) {
            const label = `step ${i} ${JSON.stringify(s)} at +${now - origin}`;
            if (s.kind === "wait") {
              now += s.seconds;
            } else if (s.kind === "waitForEnd") {
              const count = model.licences.length;
              if (count > 0) now = Math.max(now, model.licences[s.pick % count].end + s.nudge - 1);
            } else if (s.kind === "record") {
              now += 1;
              const l = {
                licensee: s.licensee,
                kind: s.licenceKind,
                field: s.field,
                territory: s.territory,
                start: at(s.start),
                end: at(s.start + s.length),
                sublicensable: s.sublicensable,
              };
              const expected = model.record(l, now);
              const did = licensees[s.licensee].did;
              await sent(() => licences.record(achievement, did, l, DEAL, GAS), now, expected, label);
            } else {
              now += 1;
              const count = model.licences.length;
              const unknown = s.pick % 2 === 0 ? 0 : count + 1;
              const id = s.unknown || count === 0 ? unknown : 1 + (s.pick % count);
              const expected = model.terminate(id, now);
              await sent(() => terminateAs(BigInt(id), GAS), now, expected, label);
            }

            // The register holds what the model holds.
            expect(await licences.licenceCount(), `${label}: count`).to.equal(BigInt(model.licences.length));
            const ids = await licences.licencesOf(achievement);
            expect(ids, `${label}: ids`).to.deep.equal(model.licences.map((l) => BigInt(l.id)));
            const stored = await Promise.all(ids.map((id) => licences.licenceOf(id)));
            expect(
              stored.map((x) => (x as unknown as Result).toArray(true)),
              `${label}: licences`,
            ).to.deep.equal(model.licences.map((l) => expectedRecord(l)));

            // No two clashing licences of the register run together.
            const live = stored
              .filter((x) => x.status === BigInt(Status.Active) && BigInt(now) < x.terms.end)
              .map((x) => ({
                kind: Number(x.terms.kind) as Kind,
                field: Number(x.terms.field),
                territory: Number(x.terms.territory),
                start: Number(x.terms.start),
                end: Number(x.terms.end),
              }));
            for (const [j, x] of live.entries()) {
              for (const y of live.slice(j + 1)) {
                expect(clash(x, y), `${label}: ${JSON.stringify(x)} and ${JSON.stringify(y)} clash`).to.equal(false);
              }
            }

            // isLicensed agrees with the model.
            const answers = await Promise.all(
              queries.map((q) =>
                licences.isLicensed(
                  licensees[q.licensee].did,
                  achievement,
                  q.field,
                  q.territory,
                  at(q.point) + q.nudge,
                ),
              ),
            );
            for (const [j, q] of queries.entries()) {
              const when = at(q.point) + q.nudge;
              expect(answers[j], `${label}: isLicensed ${JSON.stringify(q)}`).to.equal(
                model.isLicensed(q.licensee, q.field, q.territory, when),
              );
            }
          }
        }),
        params(this, 200),
      );
    });
  });
});
