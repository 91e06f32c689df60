import { expect } from "chai";
import fc from "fast-check";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet } from "ethers";
import type { IdentityRegistry } from "../../typechain-types";
import {
  accreditedTopic,
  claimIdOf,
  ClaimStatus,
  DidKind,
  DidStatus,
  FOREVER,
  hashOf,
  identityFixture,
  Purpose,
  registerDid,
  Scope,
  type IdentityModule,
} from "../helpers/identity";

const REASON = hashOf("property run");
const MAX_KEYS = 8;

type Refusal = [string, unknown[]] | undefined;

/** Sends `tx` in a block exactly one second after the latest, so the model knows its time. */
async function nextSecond(): Promise<bigint> {
  const at = BigInt(await time.latest()) + 1n;
  await time.setNextBlockTimestamp(at);
  return at;
}

async function expectOutcome(identity: IdentityRegistry, tx: Promise<unknown>, refusal: Refusal) {
  if (refusal) {
    const [error, args] = refusal;
    await expect(tx)
      .to.be.revertedWithCustomError(identity, error)
      .withArgs(...args);
  } else {
    await expect(tx).not.to.be.reverted;
  }
}

// ---- claims ----

const SUBJECTS = 2;
const TOPICS = 2;
const ISSUERS = 2;
/** Issuer 1's accreditation for topic 1 ends this long after the start: time steps may cross it. */
const SHORT_ACCREDITATION = 400n;

type ClaimStep =
  | { kind: "issue"; issuer: number; subject: number; topic: number; from: number; length: number }
  | { kind: "revoke" | "suspend" | "reinstate"; claim: number }
  | { kind: "withdraw"; issuer: number; topic: number }
  | { kind: "toggleSubject"; subject: number }
  | { kind: "advance"; seconds: number };

const claimStep: fc.Arbitrary<ClaimStep> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("issue" as const),
      issuer: fc.integer({ min: 0, max: ISSUERS - 1 }),
      subject: fc.integer({ min: 0, max: SUBJECTS - 1 }),
      topic: fc.integer({ min: 0, max: TOPICS - 1 }),
      from: fc.integer({ min: -60, max: 60 }),
      length: fc.integer({ min: -5, max: 400 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("revoke" as const), claim: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("suspend" as const), claim: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("reinstate" as const), claim: fc.nat(20) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("withdraw" as const),
      issuer: fc.integer({ min: 0, max: ISSUERS - 1 }),
      topic: fc.integer({ min: 0, max: TOPICS - 1 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("toggleSubject" as const),
      subject: fc.integer({ min: 0, max: SUBJECTS - 1 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("advance" as const), seconds: fc.integer({ min: 1, max: 120 }) }),
  },
);

interface ModelClaim {
  id: bigint;
  issuer: number;
  subject: number;
  topic: number;
  dataHash: string;
  from: bigint;
  until: bigint;
  status: ClaimStatus;
}

/** What the registry should hold about claims: every claim, accreditations and subjects' statuses. */
class ClaimModel {
  claims: ModelClaim[] = [];
  /** accreditation[issuer][topic] */
  accreditation: { active: boolean; until: bigint }[][];
  subjectActive = Array.from({ length: SUBJECTS }, () => true);
  /** Per subject, topics in the order of their first claim. */
  topicOrder: number[][] = Array.from({ length: SUBJECTS }, () => []);

  constructor(start: bigint) {
    this.accreditation = [
      [
        { active: true, until: FOREVER },
        { active: true, until: FOREVER },
      ],
      [
        { active: true, until: start + SHORT_ACCREDITATION },
        { active: false, until: 0n },
      ],
    ];
  }

  accredited(issuer: number, topic: number, at: bigint): boolean {
    const a = this.accreditation[issuer][topic];
    return a.active && at <= a.until;
  }

  /** Whether the claim itself counts at `at` (its subject's status aside). */
  isValid(c: ModelClaim, at: bigint): boolean {
    return c.status === ClaimStatus.Active && c.from <= at && at <= c.until && this.accredited(c.issuer, c.topic, at);
  }

  hasValidClaim(subject: number, topic: number, at: bigint): boolean {
    return (
      this.subjectActive[subject] &&
      this.claims.some((c) => c.subject === subject && c.topic === topic && this.isValid(c, at))
    );
  }

  /** The expected ids of claimsOf(subject): newest topic first, each topic's claims in order. */
  listing(subject: number): ModelClaim[] {
    return [...this.topicOrder[subject]]
      .reverse()
      .flatMap((t) => this.claims.filter((c) => c.subject === subject && c.topic === t));
  }
}

// ---- keys ----

/** Indexes into the key pool: 0..5 fresh addresses, 6 another DID's key, 7 the representative's key. */
const POOL = 8;
type KeyStep =
  | { kind: "add"; key: number; purposes: number }
  | { kind: "remove"; key: number }
  | { kind: "rotate"; key: number; to: number };

const poolIndex = fc.integer({ min: 0, max: POOL - 1 });
const keyStep: fc.Arbitrary<KeyStep> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      key: poolIndex,
      purposes: fc.oneof(
        { weight: 9, arbitrary: fc.integer({ min: 1, max: 3 }) },
        { weight: 1, arbitrary: fc.constantFrom(0, 4) },
      ),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("remove" as const), key: poolIndex }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("rotate" as const), key: poolIndex, to: poolIndex }) },
);

describe("IdentityRegistry (properties)", function () {
  describe("claims", function () {
    it("hasValidClaim and isClaimValid always agree with a model; claimsOf lists exactly the issued claims", async function () {
      await fc.assert(
        fc.asyncProperty(fc.array(claimStep, { minLength: 6, maxLength: 16 }), async (steps) => {
          const m = await identityFixture();
          const identity = m.identity;
          const issuerKeys: HardhatEthersSigner[] = m.outsiders.slice(0, ISSUERS);
          const issuers: bigint[] = [];
          for (const k of issuerKeys)
            issuers.push(await registerDid(m, DidKind.Organisation, [{ account: k.address }]));
          const subjects: bigint[] = [];
          for (const k of m.outsiders.slice(ISSUERS, ISSUERS + SUBJECTS)) {
            subjects.push(await registerDid(m, DidKind.Person, [{ account: k.address }]));
          }
          const start = BigInt(await time.latest());
          const topics = [
            await accreditedTopic(m, issuers[0], "topic A"),
            await accreditedTopic(m, issuers[0], "topic B"),
          ];
          await identity.connect(m.councilSigner).accreditIssuer(issuers[1], topics[0], start + SHORT_ACCREDITATION);
          const model = new ClaimModel(start);

          for (const s of steps) {
            let refusal: Refusal;
            let tx: Promise<unknown>;
            switch (s.kind) {
              case "issue": {
                const at = await nextSecond();
                const from = at + BigInt(s.from);
                const until = from + BigInt(s.length);
                const subject = subjects[s.subject];
                const dataHash = hashOf(`claim ${model.claims.length}`);
                if (!model.accredited(s.issuer, s.topic, at)) {
                  refusal = ["IdentityNotAccredited", [issuers[s.issuer], topics[s.topic]]];
                } else if (until <= from) refusal = ["IdentityInvalidValidity", [from, until]];
                else if (!model.subjectActive[s.subject]) {
                  refusal = ["IdentityUnexpectedStatus", [subject, DidStatus.Suspended]];
                }
                if (!refusal) {
                  const n = model.claims.filter((c) => c.subject === s.subject && c.topic === s.topic).length;
                  if (n === 0) model.topicOrder[s.subject].push(s.topic);
                  model.claims.push({
                    id: claimIdOf(subject, topics[s.topic], BigInt(n)),
                    issuer: s.issuer,
                    subject: s.subject,
                    topic: s.topic,
                    dataHash,
                    from,
                    until,
                    status: ClaimStatus.Active,
                  });
                }
                tx = identity.connect(issuerKeys[s.issuer]).issueClaim(subject, topics[s.topic], dataHash, from, until);
                break;
              }
              case "revoke":
              case "suspend":
              case "reinstate": {
                if (model.claims.length === 0) continue;
                const c = model.claims[s.claim % model.claims.length];
                const as = identity.connect(issuerKeys[c.issuer]);
                await nextSecond();
                const unexpected: Refusal = ["IdentityUnexpectedClaimStatus", [c.id, c.status]];
                if (s.kind === "revoke") {
                  if (c.status === ClaimStatus.Revoked) refusal = unexpected;
                  else c.status = ClaimStatus.Revoked;
                  tx = as.revokeClaim(c.id, REASON);
                } else if (s.kind === "suspend") {
                  if (c.status !== ClaimStatus.Active) refusal = unexpected;
                  else c.status = ClaimStatus.Suspended;
                  tx = as.suspendClaim(c.id);
                } else {
                  if (c.status !== ClaimStatus.Suspended) refusal = unexpected;
                  else c.status = ClaimStatus.Active;
                  tx = as.reinstateClaim(c.id);
                }
                break;
              }
              case "withdraw": {
                await nextSecond();
                const a = model.accreditation[s.issuer][s.topic];
                if (!a.active) refusal = ["IdentityNotAccredited", [issuers[s.issuer], topics[s.topic]]];
                a.active = false;
                tx = identity.connect(m.councilSigner).withdrawAccreditation(issuers[s.issuer], topics[s.topic]);
                break;
              }
              case "toggleSubject": {
                await nextSecond();
                const active = model.subjectActive[s.subject];
                model.subjectActive[s.subject] = !active;
                const registrar = identity.connect(m.registrar);
                tx = active ? registrar.suspend(subjects[s.subject], REASON) : registrar.reinstate(subjects[s.subject]);
                break;
              }
              case "advance":
                await time.increase(s.seconds);
                continue;
            }
            await expectOutcome(identity, tx, refusal);

            const at = BigInt(await time.latest());
            for (let si = 0; si < SUBJECTS; si++) {
              for (let ti = 0; ti < TOPICS; ti++) {
                expect(
                  await identity.hasValidClaim(subjects[si], topics[ti]),
                  `hasValidClaim(subject ${si}, topic ${ti}) at ${at} after ${JSON.stringify(s)}`,
                ).to.equal(model.hasValidClaim(si, ti, at));
              }
            }
          }

          const at = BigInt(await time.latest());
          for (const c of model.claims) {
            expect(await identity.isClaimValid(c.id), `isClaimValid(${c.id})`).to.equal(
              model.subjectActive[c.subject] && model.isValid(c, at),
            );
          }
          for (let si = 0; si < SUBJECTS; si++) {
            const listed = await identity.claimsOf(subjects[si]);
            const expected = model.listing(si);
            expect(listed.map((c) => c.id)).to.deep.equal(expected.map((c) => c.id));
            listed.forEach((c, i) => {
              expect(c.issuer).to.equal(issuers[expected[i].issuer]);
              expect(c.topic).to.equal(topics[expected[i].topic]);
              expect(c.dataHash).to.equal(expected[i].dataHash);
              expect(c.validFrom).to.equal(expected[i].from);
              expect(c.validUntil).to.equal(expected[i].until);
              expect(c.status).to.equal(expected[i].status);
            });
          }
        }),
        { numRuns: 20 },
      );
    });
  });

  describe("keys", function () {
    it("resolve().keys always equals the model (swap-last removal) and didOf agrees for every key", async function () {
      await fc.assert(
        fc.asyncProperty(fc.array(keyStep, { minLength: 8, maxLength: 24 }), async (steps) => {
          const m: IdentityModule = await identityFixture();
          const identity = m.identity;
          const [orgSigner, repSigner, otherSigner] = m.outsiders;
          const org = await registerDid(m, DidKind.Organisation, [{ account: orgSigner.address }]);
          const rep = await registerDid(m, DidKind.Person, [{ account: repSigner.address }]);
          const other = await registerDid(m, DidKind.Person, [{ account: otherSigner.address }]);
          await identity.connect(orgSigner).grantMandate(org, rep, Scope.IDENTITY, 2n ** 47n);
          const controller = identity.connect(repSigner);

          const pool = [
            ...Array.from({ length: POOL - 2 }, () => Wallet.createRandom().address),
            otherSigner.address,
            repSigner.address,
          ];
          /** Keys held outside the organisation, which stay put. */
          const foreign = new Map<string, [bigint, number]>([
            [otherSigner.address, [other, Purpose.ALL]],
            [repSigner.address, [rep, Purpose.ALL]],
          ]);
          let keys: [string, number][] = [[orgSigner.address, Purpose.ALL]];
          const indexOf = (a: string) => keys.findIndex(([k]) => k === a);
          const taken = (a: string): Refusal => {
            if (indexOf(a) >= 0) return ["IdentityKeyTaken", [a, org]];
            const f = foreign.get(a);
            return f ? ["IdentityKeyTaken", [a, f[0]]] : undefined;
          };

          for (const s of steps) {
            let refusal: Refusal;
            let tx: Promise<unknown>;
            const key = pool[s.key];
            switch (s.kind) {
              case "add":
                if (s.purposes === 0 || s.purposes > Purpose.ALL) refusal = ["IdentityInvalidPurposes", [s.purposes]];
                else
                  refusal =
                    taken(key) ?? (keys.length >= MAX_KEYS ? ["IdentityTooManyKeys", [org, MAX_KEYS]] : undefined);
                if (!refusal) keys.push([key, s.purposes]);
                tx = controller.addKey(org, key, s.purposes);
                break;
              case "remove": {
                const i = indexOf(key);
                if (i < 0) refusal = ["IdentityNotKeyOf", [org, key]];
                else {
                  const next = [...keys];
                  next[i] = next[next.length - 1];
                  next.pop();
                  if (!next.some(([, p]) => p & Purpose.AUTHENTICATION)) {
                    refusal = ["IdentityLastAuthenticationKey", [org]];
                  } else keys = next;
                }
                tx = controller.removeKey(org, key);
                break;
              }
              case "rotate": {
                const to = pool[s.to];
                const i = indexOf(key);
                if (i < 0) refusal = ["IdentityNotKeyOf", [org, key]];
                else refusal = taken(to);
                if (!refusal) keys[i] = [to, keys[i][1]];
                tx = controller.rotateKey(org, key, to);
                break;
              }
            }
            await expectOutcome(identity, tx, refusal);
            const listed = (await identity.resolve(org))[8].map((k) => [k.account, Number(k.purposes)]);
            expect(listed, `keys after ${JSON.stringify(s)}`).to.deep.equal(keys);
          }

          for (const a of [...pool, orgSigner.address]) {
            const i = indexOf(a);
            const f = foreign.get(a);
            const expected = i >= 0 ? [org, BigInt(keys[i][1])] : f ? [f[0], BigInt(f[1])] : [0n, 0n];
            expect(await identity.didOf(a), `didOf(${a})`).to.deep.equal(expected);
            if (i >= 0) {
              expect(await identity.isActingFor(a, org, Scope.IDENTITY)).to.equal(
                (keys[i][1] & Purpose.AUTHENTICATION) !== 0,
              );
            }
          }
        }),
        { numRuns: 20 },
      );
    });
  });
});
