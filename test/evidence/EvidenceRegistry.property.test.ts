import { expect } from "chai";
import fc from "fast-check";
import type { ContractTransactionResponse, Signer } from "ethers";
import type { EvidenceRegistry } from "../../typechain-types";
import { Algorithm, RecordKind, RecordStatus, digestOf, evidenceFixture, newNotary } from "../helpers/evidence";
import { hashOf } from "../helpers/identity";
import { nextBlockTimestamp } from "../helpers/proposals";

/** A small pool of digests, so that duplicates, corrections of corrections and double revocations happen. */
const POOL = Array.from({ length: 8 }, (_, i) => digestOf(`property pool ${i}`));
const ZERO = "0x" + "00".repeat(32);
const REF = hashOf("property ref");
const META = hashOf("property metadata");
const REASON = hashOf("property reason");

type Step =
  | { kind: "notarize"; who: number; d: number; algorithm: Algorithm; category: number }
  | { kind: "notarizeBatch"; who: number; ds: number[]; algorithm: Algorithm; category: number }
  | { kind: "anchorRoot"; who: number; d: number; size: number }
  | { kind: "supersede"; who: number; old: number; d: number; algorithm: Algorithm; category: number; aim: boolean }
  | { kind: "revoke"; who: number; d: number; aim: boolean };

/** Index into the two enrolled notaries: mostly the IP Office, so that it meets its own records again. */
const who = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) });
/** Most steps draw from the first half of the pool (duplicates); corrections' new digests from all of it. */
const d = fc.integer({ min: 0, max: POOL.length / 2 - 1 });
const anyD = fc.integer({ min: 0, max: POOL.length - 1 });
/**
 * Whether a correction or revocation aims at a record its notary submitted (and a correction's new
 * digest at one that has none), rather than at any digest of the pool: mostly, so that they succeed often.
 */
const aim = fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
const algorithm = fc.constantFrom(Algorithm.SHA256, Algorithm.SM3, Algorithm.KECCAK256);
const category = fc.integer({ min: 0, max: 3 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("notarize" as const), who, d, algorithm, category }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("notarizeBatch" as const),
      who,
      ds: fc.array(d, { minLength: 0, maxLength: 3 }),
      algorithm,
      category,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("anchorRoot" as const), who, d, size: fc.integer({ min: 1, max: 9 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("supersede" as const),
      who,
      old: anyD,
      d: anyD,
      algorithm,
      category,
      aim,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("revoke" as const), who, d: anyD, aim }) },
);

/** Sequences open with a notarization or two, so that corrections and revocations find records. */
const steps: fc.Arbitrary<Step[]> = fc
  .tuple(
    fc.array(fc.record({ kind: fc.constant("notarize" as const), who, d, algorithm, category }), {
      minLength: 1,
      maxLength: 2,
    }),
    fc.array(step, { minLength: 1, maxLength: 18 }),
  )
  .map(([opening, rest]) => [...opening, ...rest]);

interface ModelRecord {
  submitter: bigint;
  notarizedAt: bigint;
  blockNumber: bigint;
  algorithm: bigint;
  status: bigint;
  category: bigint;
  kind: bigint;
  batchOrSize: bigint;
}

type Refusal = [string, unknown[]];

/** What the registry should hold for the pool. */
class Model {
  records = new Map<number, ModelRecord>();
  supersededBy = new Map<number, number>();
  supersedes = new Map<number, number>();
  revocations = new Map<number, { by: bigint; at: bigint }>();
  batchCount = 0n;

  constructor(readonly dids: bigint[]) {}

  private exists(i: number): Refusal | undefined {
    const r = this.records.get(i);
    if (r) return ["EvidenceAlreadyNotarized", [POOL[i], r.submitter, r.notarizedAt, r.kind]];
    return undefined;
  }

  /** `s` with its aimed digests chosen: the n-th one its notary submitted (or, for a new digest, one with no record). */
  aimed(s: Step): Step {
    if (s.kind !== "supersede" && s.kind !== "revoke") return s;
    if (!s.aim) return s;
    const did = this.dids[s.who];
    const known = POOL.map((_, i) => i).filter((i) => this.records.get(i)?.submitter === did);
    const unknown = POOL.map((_, i) => i).filter((i) => !this.records.has(i));
    const pick = (list: number[], n: number) => (list.length > 0 ? list[n % list.length] : n);
    if (s.kind === "revoke") return { ...s, d: pick(known, s.d) };
    return { ...s, old: pick(known, s.old), d: pick(unknown, s.d) };
  }

  /**
   * The refusal of `s` sent at time `at` (undefined when it must succeed), and the effects to apply
   * once the transaction's block is known.
   */
  predict(s: Step, at: bigint): { refusal?: Refusal; apply?: (block: bigint) => void } {
    const did = this.dids[s.who];
    const create = (i: number, kind: RecordKind, alg: Algorithm, cat: number, batchOrSize: bigint) => (block: bigint) =>
      this.records.set(i, {
        submitter: did,
        notarizedAt: at,
        blockNumber: block,
        algorithm: BigInt(alg),
        status: BigInt(RecordStatus.Valid),
        category: BigInt(cat),
        kind: BigInt(kind),
        batchOrSize,
      });
    switch (s.kind) {
      case "notarize": {
        const refusal = this.exists(s.d);
        if (refusal) return { refusal };
        return { apply: create(s.d, RecordKind.Single, s.algorithm, s.category, 0n) };
      }
      case "anchorRoot": {
        const refusal = this.exists(s.d);
        if (refusal) return { refusal };
        return { apply: create(s.d, RecordKind.Root, Algorithm.KECCAK256, 0, BigInt(s.size)) };
      }
      case "notarizeBatch": {
        if (s.ds.length === 0) return { refusal: ["EvidenceEmptyBatch", []] };
        const seen = new Set<number>();
        for (const i of s.ds) {
          const refusal = this.exists(i);
          if (refusal) return { refusal };
          if (seen.has(i)) {
            // The batch's own record of it, written earlier in the same (reverted) transaction.
            return { refusal: ["EvidenceAlreadyNotarized", [POOL[i], did, at, RecordKind.Indexed]] };
          }
          seen.add(i);
        }
        const batchId = this.batchCount + 1n;
        return {
          apply: (block) => {
            this.batchCount = batchId;
            for (const i of s.ds) create(i, RecordKind.Indexed, s.algorithm, s.category, batchId)(block);
          },
        };
      }
      case "supersede": {
        const old = this.records.get(s.old);
        if (!old) return { refusal: ["EvidenceUnknown", [POOL[s.old]]] };
        if (old.submitter !== did) return { refusal: ["EvidenceNotSubmitter", [POOL[s.old], did]] };
        if (old.kind === BigInt(RecordKind.Root)) {
          return { refusal: ["EvidenceUnexpectedKind", [POOL[s.old], RecordKind.Root]] };
        }
        if (old.status !== BigInt(RecordStatus.Valid)) {
          return { refusal: ["EvidenceUnexpectedStatus", [POOL[s.old], old.status]] };
        }
        const refusal = this.exists(s.d);
        if (refusal) return { refusal };
        return {
          apply: (block) => {
            create(s.d, RecordKind.Single, s.algorithm, s.category, 0n)(block);
            old.status = BigInt(RecordStatus.Superseded);
            this.supersededBy.set(s.old, s.d);
            this.supersedes.set(s.d, s.old);
          },
        };
      }
      case "revoke": {
        const r = this.records.get(s.d);
        if (!r) return { refusal: ["EvidenceUnknown", [POOL[s.d]]] };
        if (r.submitter !== did) return { refusal: ["EvidenceNotSubmitter", [POOL[s.d], did]] };
        if (r.status === BigInt(RecordStatus.Revoked)) {
          return { refusal: ["EvidenceUnexpectedStatus", [POOL[s.d], RecordStatus.Revoked]] };
        }
        return {
          apply: () => {
            r.status = BigInt(RecordStatus.Revoked);
            this.revocations.set(s.d, { by: did, at });
          },
        };
      }
    }
  }

  /** Every version of `i`'s chain, oldest first. */
  history(i: number): string[] {
    let first = i;
    while (this.supersedes.has(first)) first = this.supersedes.get(first) as number;
    const versions = [POOL[first]];
    for (let v = first; this.supersededBy.has(v);) {
      v = this.supersededBy.get(v) as number;
      versions.push(POOL[v]);
    }
    return versions;
  }
}

function send(evidence: EvidenceRegistry, signer: Signer, s: Step): Promise<ContractTransactionResponse> {
  const e = evidence.connect(signer);
  switch (s.kind) {
    case "notarize":
      return e.notarize(POOL[s.d], s.algorithm, s.category, REF, META);
    case "notarizeBatch":
      return e.notarizeBatch(
        s.ds.map((i) => POOL[i]),
        s.algorithm,
        s.category,
        REF,
        META,
      );
    case "anchorRoot":
      return e.anchorRoot(POOL[s.d], s.size, Algorithm.KECCAK256, 0, REF, META);
    case "supersede":
      return e.supersede(POOL[s.old], POOL[s.d], s.algorithm, s.category, REF, META);
    case "revoke":
      return e.revoke(POOL[s.d], REASON);
  }
}

async function recordOf(evidence: EvidenceRegistry, key: string): Promise<ModelRecord> {
  const r = await evidence.recordOf(key);
  return {
    submitter: r.submitter,
    notarizedAt: r.notarizedAt,
    blockNumber: r.blockNumber,
    algorithm: r.algorithm,
    status: r.status,
    category: r.category,
    kind: r.kind,
    batchOrSize: r.batchOrSize,
  };
}

describe("EvidenceRegistry (properties)", function () {
  describe("notarize, notarizeBatch, anchorRoot, supersede and revoke over a small pool of digests", function () {
    it("are refused exactly as the model predicts; statuses and links follow it; nothing is ever overwritten", async function () {
      await fc.assert(
        fc.asyncProperty(steps, async (sequence) => {
          const m = await evidenceFixture();
          const second = await newNotary(m, m.outsiders[0]);
          const signers: Signer[] = [m.notary, second.account];
          const model = new Model([m.notaryDid, second.did]);
          /** The fields of each record as first seen on chain, which must never change. */
          const firstSeen = new Map<number, Omit<ModelRecord, "status">>();

          for (const raw of sequence) {
            const s = model.aimed(raw);
            const at = BigInt(await nextBlockTimestamp());
            const { refusal, apply } = model.predict(s, at);
            const sending = send(m.evidence, signers[s.who], s);
            if (refusal) {
              const [error, args] = refusal;
              await expect(sending, `${JSON.stringify(s)}`)
                .to.be.revertedWithCustomError(m.evidence, error)
                .withArgs(...args);
            } else {
              const receipt = await (await sending).wait();
              apply?.(BigInt(receipt!.blockNumber));
            }

            expect(await m.evidence.batchCount()).to.equal(model.batchCount);
            for (let i = 0; i < POOL.length; i++) {
              const [onChain, links, revocation] = await Promise.all([
                recordOf(m.evidence, POOL[i]),
                m.evidence.linksOf(POOL[i]),
                m.evidence.revocationOf(POOL[i]),
              ]);
              const expected = model.records.get(i);
              if (!expected) {
                expect(onChain.status, `status of pool ${i}`).to.equal(BigInt(RecordStatus.None));
                continue;
              }
              expect(onChain, `record of pool ${i} after ${JSON.stringify(s)}`).to.deep.equal(expected);
              // Never deleted or overwritten: once there, the submitter, time, block, algorithm, kind stay.
              const { status: _status, ...fixed } = onChain;
              void _status;
              const first = firstSeen.get(i);
              if (first) expect(fixed, `fixed fields of pool ${i}`).to.deep.equal(first);
              else firstSeen.set(i, fixed);
              const by = model.supersededBy.get(i);
              const of = model.supersedes.get(i);
              expect(links, `links of pool ${i}`).to.deep.equal([
                by === undefined ? ZERO : POOL[by],
                of === undefined ? ZERO : POOL[of],
              ]);
              const rev = model.revocations.get(i);
              expect(revocation, `revocation of pool ${i}`).to.deep.equal(
                rev ? [rev.by, rev.at, false, REASON] : [0n, 0n, false, ZERO],
              );
            }
          }

          for (const i of model.records.keys()) {
            expect(await m.evidence.historyOf(POOL[i]), `history of pool ${i}`).to.deep.equal(model.history(i));
          }
          // Every record the model knows of is still there.
          expect(firstSeen.size).to.equal(model.records.size);
        }),
        { numRuns: 25 },
      );
    });
  });
});
