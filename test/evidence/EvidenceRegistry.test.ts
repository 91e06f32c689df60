import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { AbiCoder, getAddress, keccak256, type ContractTransactionResponse, type Signer } from "ethers";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import type { EvidenceRegistry } from "../../typechain-types";
import {
  Algorithm,
  RecordKind,
  RecordStatus,
  admitOrganisation,
  digestOf,
  evidenceFixture,
  merkleTreeOf,
  newArbitrator,
  newNotary,
  proofOf,
  type EvidenceModule,
  type Organisation,
} from "../helpers/evidence";
import { DidKind, DidStatus, Purpose, hashOf, registerDid, unfundedWallet } from "../helpers/identity";
import { nextBlockTimestamp } from "../helpers/proposals";
import { innerRevertOf, signAndRelay } from "../helpers/relay";

const { NOTARY, AUDITOR } = MEMBER_ROLES;
const REF = hashOf("business reference: patent application CN2024-0001");
const META = hashOf("metadata: application form, 12 pages");
const REASON = hashOf("reason: forged signature");
const NOTE = hashOf("note: the applicant confirms the filing");
const CATEGORY = 7;
const ZERO = "0x" + "00".repeat(32);

/** A record's fields, as plain bigints. */
interface RecordFields {
  submitter: bigint;
  notarizedAt: bigint;
  blockNumber: bigint;
  algorithm: bigint;
  status: bigint;
  category: bigint;
  kind: bigint;
  batchOrSize: bigint;
}

/** What a transaction sent at a fixed time left: its time and block. */
interface Sent {
  tx: ContractTransactionResponse;
  at: bigint;
  block: bigint;
}

describe("EvidenceRegistry", function () {
  let m: EvidenceModule;
  let evidence: EvidenceRegistry;
  let notary: HardhatEthersSigner;
  let outsiders: HardhatEthersSigner[];

  beforeEach(async function () {
    m = await evidenceFixture();
    evidence = m.evidence;
    notary = m.notary;
    outsiders = m.outsiders;
  });

  async function recordOf(key: string): Promise<RecordFields> {
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

  /** Sends `send()` in the next block at a known time. */
  async function sent(send: () => Promise<ContractTransactionResponse>): Promise<Sent> {
    const at = BigInt(await nextBlockTimestamp());
    const tx = await send();
    const receipt = await tx.wait();
    if (!receipt) throw new Error("no receipt");
    return { tx, at, block: BigInt(receipt.blockNumber) };
  }

  function notarize(
    digest: string,
    { by = notary as Signer, algorithm = Algorithm.SHA256, category = CATEGORY, ref = REF, meta = META } = {},
  ): Promise<Sent> {
    return sent(() => evidence.connect(by).notarize(digest, algorithm, category, ref, meta));
  }

  function notarizeBatch(
    digests: string[],
    { by = notary as Signer, algorithm = Algorithm.SM3, category = CATEGORY } = {},
  ): Promise<Sent> {
    return sent(() => evidence.connect(by).notarizeBatch(digests, algorithm, category, REF, META));
  }

  function anchorRoot(
    root: string,
    size: bigint,
    { by = notary as Signer, algorithm = Algorithm.KECCAK256, category = CATEGORY } = {},
  ): Promise<Sent> {
    return sent(() => evidence.connect(by).anchorRoot(root, size, algorithm, category, REF, META));
  }

  function supersede(
    oldDigest: string,
    newDigest: string,
    { by = notary as Signer, algorithm = Algorithm.SHA256, category = CATEGORY } = {},
  ): Promise<Sent> {
    return sent(() => evidence.connect(by).supersede(oldDigest, newDigest, algorithm, category, REF, META));
  }

  function single(did: bigint, s: Sent, algorithm = Algorithm.SHA256, category = CATEGORY): RecordFields {
    return {
      submitter: did,
      notarizedAt: s.at,
      blockNumber: s.block,
      algorithm: BigInt(algorithm),
      status: BigInt(RecordStatus.Valid),
      category: BigInt(category),
      kind: BigInt(RecordKind.Single),
      batchOrSize: 0n,
    };
  }

  function documentKeyOf(root: string, digest: string): string {
    return keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "bytes32"], [root, digest]));
  }

  /** An account with a person DID and no role (an endorsing party, a submitter's stranger). */
  async function person(account: Signer): Promise<bigint> {
    return registerDid(m, DidKind.Person, [{ account: await account.getAddress() }]);
  }

  async function pause() {
    await (await evidence.connect(m.guardian).pause()).wait();
  }

  async function unpause() {
    await (await evidence.connect(m.councilSigner).unpause()).wait();
  }

  async function revokeNotaryRole(org: Organisation | bigint) {
    const id = typeof org === "bigint" ? org : org.memberId;
    await (await m.registry.connect(m.councilSigner).revokeMemberRole(id, NOTARY)).wait();
  }

  async function grantNotaryRole(org: Organisation | bigint) {
    const id = typeof org === "bigint" ? org : org.memberId;
    await (await m.registry.connect(m.councilSigner).grantMemberRole(id, NOTARY)).wait();
  }

  describe("deployment", function () {
    it("reports version 1.0.0", async function () {
      expect(await evidence.version()).to.equal("1.0.0");
    });

    it("names the identity module, the suite's authority and the forwarder", async function () {
      expect(await evidence.IDENTITY()).to.equal(await m.identity.getAddress());
      expect(await evidence.authority()).to.equal(await m.authority.getAddress());
      expect(await evidence.trustedForwarder()).to.equal(await m.forwarder.getAddress());
      expect(await evidence.isTrustedForwarder(await m.forwarder.getAddress())).to.equal(true);
    });

    it("starts unpaused with no batch, at most 64 notaries, the fixture's notary enrolled", async function () {
      expect(await evidence.paused()).to.equal(false);
      expect(await evidence.batchCount()).to.equal(0n);
      expect(await evidence.MAX_NOTARIES()).to.equal(64n);
      expect(await evidence.notaries()).to.deep.equal([notary.address]);
      expect(await evidence.notaryOf(notary.address)).to.deep.equal([m.notaryDid, true]);
    });

    it("knows no record and no revocation before any notarization", async function () {
      const d = digestOf("never notarized");
      expect(await recordOf(d)).to.deep.equal({
        submitter: 0n,
        notarizedAt: 0n,
        blockNumber: 0n,
        algorithm: 0n,
        status: 0n,
        category: 0n,
        kind: 0n,
        batchOrSize: 0n,
      });
      expect(await evidence.revocationOf(d)).to.deep.equal([0n, 0n, false, ZERO]);
      expect(await evidence.endorsementsOf(d)).to.deep.equal([]);
      expect(await evidence.linksOf(d)).to.deep.equal([ZERO, ZERO]);
    });
  });

  describe("notarize", function () {
    context("when an enrolled notary notarizes a new digest", function () {
      const d = digestOf("patent application CN2024-0001");

      it("emits Notarized with the digest, its DID, the business reference, the account and the data", async function () {
        const { tx } = await notarize(d, { algorithm: Algorithm.SM3, category: 42 });
        await expect(tx)
          .to.emit(evidence, "Notarized")
          .withArgs(d, m.notaryDid, REF, notary.address, Algorithm.SM3, 42, META);
      });

      it("indexes the business reference as a topic", async function () {
        const { tx } = await notarize(d);
        const receipt = await tx.wait();
        const log = receipt!.logs.find((l) => l.topics[0] === evidence.interface.getEvent("Notarized").topicHash);
        expect(log!.topics[1]).to.equal(d);
        expect(BigInt(log!.topics[2])).to.equal(m.notaryDid);
        expect(log!.topics[3]).to.equal(REF);
      });

      it("records the submitter's DID, the time, the block, the algorithm, the category, kind Single", async function () {
        const s = await notarize(d, { algorithm: Algorithm.SM3, category: 42 });
        expect(await recordOf(d)).to.deep.equal(single(m.notaryDid, s, Algorithm.SM3, 42));
      });

      it("has no links, no revocation and a history of itself", async function () {
        await notarize(d);
        expect(await evidence.linksOf(d)).to.deep.equal([ZERO, ZERO]);
        expect(await evidence.revocationOf(d)).to.deep.equal([0n, 0n, false, ZERO]);
        expect(await evidence.historyOf(d)).to.deep.equal([d]);
      });

      it("accepts every known algorithm and the widest category", async function () {
        for (const algorithm of [Algorithm.SHA256, Algorithm.SM3, Algorithm.KECCAK256]) {
          const digest = digestOf(`algorithm ${algorithm}`);
          const s = await notarize(digest, { algorithm, category: 2 ** 32 - 1 });
          expect(await recordOf(digest)).to.deep.equal(single(m.notaryDid, s, algorithm, 2 ** 32 - 1));
        }
      });
    });

    context("when the caller is not an enrolled notary", function () {
      it("reverts with EvidenceNotNotary for an account with no role", async function () {
        await expect(evidence.connect(outsiders[0]).notarize(digestOf("x"), Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotNotary")
          .withArgs(outsiders[0].address);
      });

      it("reverts with EvidenceNotNotary for a qualified notary that did not enrol", async function () {
        const org = await newNotary(m, outsiders[0], { enrol: false });
        await expect(evidence.connect(org.account).notarize(digestOf("x"), Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotNotary")
          .withArgs(org.address);
      });
    });

    context("when the digest is zero", function () {
      it("reverts with EvidenceEmptyDigest", async function () {
        await expect(evidence.notarize(ZERO, Algorithm.SHA256, CATEGORY, REF, META)).to.be.revertedWithCustomError(
          evidence,
          "EvidenceEmptyDigest",
        );
      });
    });

    context("when the algorithm is None", function () {
      it("reverts with EvidenceUnknownAlgorithm(0)", async function () {
        await expect(evidence.notarize(digestOf("x"), Algorithm.None, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnknownAlgorithm")
          .withArgs(0);
      });
    });

    context("when the algorithm is out of the enum's range", function () {
      it("reverts", async function () {
        await expect(evidence.notarize(digestOf("x"), 4, CATEGORY, REF, META)).to.be.reverted;
      });
    });

    context("when the digest was already notarized", function () {
      const d = digestOf("duplicate");

      it("reverts with EvidenceAlreadyNotarized naming the existing single record", async function () {
        const s = await notarize(d);
        await expect(evidence.notarize(d, Algorithm.SM3, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyNotarized")
          .withArgs(d, m.notaryDid, s.at, RecordKind.Single);
      });

      it("reverts for another notary too, naming the first submitter", async function () {
        const s = await notarize(d);
        const other = await newNotary(m, outsiders[0]);
        await expect(evidence.connect(other.account).notarize(d, Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyNotarized")
          .withArgs(d, m.notaryDid, s.at, RecordKind.Single);
      });

      it("reverts naming the root when the digest is an anchored root", async function () {
        const s = await anchorRoot(d, 3n);
        await expect(evidence.notarize(d, Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyNotarized")
          .withArgs(d, m.notaryDid, s.at, RecordKind.Root);
      });

      it("reverts naming the indexed record when the digest is in a batch", async function () {
        const s = await notarizeBatch([digestOf("a"), d]);
        await expect(evidence.notarize(d, Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyNotarized")
          .withArgs(d, m.notaryDid, s.at, RecordKind.Indexed);
      });

      it("reverts when the digest was revoked, and keeps the record as it was", async function () {
        const s = await notarize(d);
        await (await evidence.revoke(d, REASON)).wait();
        await expect(evidence.notarize(d, Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyNotarized")
          .withArgs(d, m.notaryDid, s.at, RecordKind.Single);
        expect(await recordOf(d)).to.deep.equal({ ...single(m.notaryDid, s), status: BigInt(RecordStatus.Revoked) });
      });
    });
  });

  describe("notarize through the forwarder", function () {
    context("when an enrolled notary's key signs the request and a relayer submits it", function () {
      it("records the signer's DID and emits Notarized naming the signer as the account", async function () {
        const signer = unfundedWallet();
        const org = await newNotary(m, signer);
        const d = digestOf("relayed");
        const data = evidence.interface.encodeFunctionData("notarize", [d, Algorithm.SM3, CATEGORY, REF, META]);
        const at = BigInt(await nextBlockTimestamp());
        const tx = await signAndRelay(m.forwarder, signer, outsiders[5], evidence, data);
        const receipt = await tx.wait();
        await expect(tx)
          .to.emit(evidence, "Notarized")
          .withArgs(d, org.did, REF, signer.address, Algorithm.SM3, CATEGORY, META);
        expect(await recordOf(d)).to.deep.equal({
          ...single(org.did, { tx, at, block: BigInt(receipt!.blockNumber) }, Algorithm.SM3),
        });
      });
    });

    context("when the signer is not a notary", function () {
      it("fails with FailedCall; the inner call reverts with EvidenceNotNotary naming the signer", async function () {
        const signer = unfundedWallet();
        const d = digestOf("relayed by a stranger");
        const data = evidence.interface.encodeFunctionData("notarize", [d, Algorithm.SM3, CATEGORY, REF, META]);
        const inner = await innerRevertOf(m.forwarder, evidence, signer.address, data);
        expect(inner?.name).to.equal("EvidenceNotNotary");
        expect(inner?.args[0]).to.equal(signer.address);
        await expect(signAndRelay(m.forwarder, signer, outsiders[5], evidence, data)).to.be.revertedWithCustomError(
          m.forwarder,
          "FailedCall",
        );
        expect((await recordOf(d)).status).to.equal(BigInt(RecordStatus.None));
      });

      it("does not let the relayer's own notary rights leak into the call", async function () {
        // The relayer is the enrolled IP Office; the signer is a stranger.
        const signer = unfundedWallet();
        const data = evidence.interface.encodeFunctionData("notarize", [
          digestOf("leak"),
          Algorithm.SM3,
          CATEGORY,
          REF,
          META,
        ]);
        await expect(signAndRelay(m.forwarder, signer, notary, evidence, data)).to.be.revertedWithCustomError(
          m.forwarder,
          "FailedCall",
        );
      });
    });

    context("when the guardian signs a pause", function () {
      it("pauses: the authority checks the signer, not the forwarder", async function () {
        const data = evidence.interface.encodeFunctionData("pause");
        await expect(signAndRelay(m.forwarder, m.guardian, outsiders[5], evidence, data))
          .to.emit(evidence, "PauseSet")
          .withArgs(true);
        expect(await evidence.paused()).to.equal(true);
      });
    });
  });

  describe("notarizeBatch", function () {
    const digests = [digestOf("b1"), digestOf("b2"), digestOf("b3")];

    context("when an enrolled notary notarizes a batch", function () {
      it("emits BatchNotarized with the batch id, its DID, the reference, the account, the data and the count", async function () {
        const { tx } = await notarizeBatch(digests, { algorithm: Algorithm.SHA256, category: 9 });
        await expect(tx)
          .to.emit(evidence, "BatchNotarized")
          .withArgs(1n, m.notaryDid, REF, notary.address, Algorithm.SHA256, 9, META, 3n);
      });

      it("emits no Notarized per digest", async function () {
        const { tx } = await notarizeBatch(digests);
        await expect(tx).not.to.emit(evidence, "Notarized");
      });

      it("returns the batch id, numbering batches 1, 2, …", async function () {
        expect(await evidence.notarizeBatch.staticCall(digests, Algorithm.SM3, CATEGORY, REF, META)).to.equal(1n);
        await notarizeBatch(digests);
        expect(await evidence.batchCount()).to.equal(1n);
        const more = [digestOf("b4")];
        expect(await evidence.notarizeBatch.staticCall(more, Algorithm.SM3, CATEGORY, REF, META)).to.equal(2n);
        const { tx } = await notarizeBatch(more);
        await expect(tx)
          .to.emit(evidence, "BatchNotarized")
          .withArgs(2n, m.notaryDid, REF, notary.address, Algorithm.SM3, CATEGORY, META, 1n);
        expect(await evidence.batchCount()).to.equal(2n);
      });

      it("records every digest as kind Indexed with its batch id, time and block", async function () {
        await notarizeBatch([digestOf("first batch")]);
        const s = await notarizeBatch(digests, { algorithm: Algorithm.SM3, category: 11 });
        for (const d of digests) {
          expect(await recordOf(d)).to.deep.equal({
            ...single(m.notaryDid, s, Algorithm.SM3, 11),
            kind: BigInt(RecordKind.Indexed),
            batchOrSize: 2n,
          });
          expect(await evidence.historyOf(d)).to.deep.equal([d]);
        }
      });

      it("numbers batches across notaries", async function () {
        const other = await newNotary(m, outsiders[0]);
        await notarizeBatch([digestOf("x")]);
        const { tx } = await notarizeBatch([digestOf("y")], { by: other.account });
        await expect(tx)
          .to.emit(evidence, "BatchNotarized")
          .withArgs(2n, other.did, REF, other.address, Algorithm.SM3, CATEGORY, META, 1n);
        expect((await recordOf(digestOf("y"))).submitter).to.equal(other.did);
      });
    });

    context("when the batch is empty", function () {
      it("reverts with EvidenceEmptyBatch", async function () {
        await expect(evidence.notarizeBatch([], Algorithm.SM3, CATEGORY, REF, META)).to.be.revertedWithCustomError(
          evidence,
          "EvidenceEmptyBatch",
        );
      });
    });

    context("when a digest appears twice in the batch", function () {
      it("reverts with EvidenceAlreadyNotarized naming the batch's own record; nothing is stored", async function () {
        const d = digestOf("twice");
        const batch = [digestOf("fine"), d, d];
        const at = BigInt(await nextBlockTimestamp());
        await expect(evidence.notarizeBatch(batch, Algorithm.SM3, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyNotarized")
          .withArgs(d, m.notaryDid, at, RecordKind.Indexed);
        for (const x of batch) expect((await recordOf(x)).status).to.equal(BigInt(RecordStatus.None));
        expect(await evidence.batchCount()).to.equal(0n);
      });
    });

    context("when a digest was notarized earlier", function () {
      it("reverts with EvidenceAlreadyNotarized naming the earlier record; nothing is stored", async function () {
        const d = digestOf("earlier");
        const s = await notarize(d);
        const batch = [digestOf("new 1"), digestOf("new 2"), d];
        await expect(evidence.notarizeBatch(batch, Algorithm.SM3, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyNotarized")
          .withArgs(d, m.notaryDid, s.at, RecordKind.Single);
        expect((await recordOf(batch[0])).status).to.equal(BigInt(RecordStatus.None));
        expect((await recordOf(batch[1])).status).to.equal(BigInt(RecordStatus.None));
        expect(await recordOf(d)).to.deep.equal(single(m.notaryDid, s));
        expect(await evidence.batchCount()).to.equal(0n);
      });

      it("refuses a digest of an earlier batch, naming that batch's record", async function () {
        const s = await notarizeBatch(digests);
        await expect(evidence.notarizeBatch([digestOf("b9"), digests[1]], Algorithm.SM3, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyNotarized")
          .withArgs(digests[1], m.notaryDid, s.at, RecordKind.Indexed);
        expect(await evidence.batchCount()).to.equal(1n);
      });
    });

    context("when a digest is zero", function () {
      it("reverts with EvidenceEmptyDigest", async function () {
        await expect(
          evidence.notarizeBatch([digestOf("ok"), ZERO], Algorithm.SM3, CATEGORY, REF, META),
        ).to.be.revertedWithCustomError(evidence, "EvidenceEmptyDigest");
      });
    });

    context("when the algorithm is None", function () {
      it("reverts with EvidenceUnknownAlgorithm(0)", async function () {
        await expect(evidence.notarizeBatch(digests, Algorithm.None, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnknownAlgorithm")
          .withArgs(0);
      });
    });

    context("when the caller is not an enrolled notary", function () {
      it("reverts with EvidenceNotNotary", async function () {
        await expect(evidence.connect(outsiders[0]).notarizeBatch(digests, Algorithm.SM3, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotNotary")
          .withArgs(outsiders[0].address);
      });
    });
  });

  describe("anchorRoot", function () {
    const documents = Array.from({ length: 5 }, (_, i) => digestOf(`contract page ${i}`));
    const tree = merkleTreeOf(documents);

    context("when an enrolled notary anchors a root", function () {
      it("emits RootAnchored with the root, its DID, the reference, the account, the data and the size", async function () {
        const { tx } = await anchorRoot(tree.root, 5n);
        await expect(tx)
          .to.emit(evidence, "RootAnchored")
          .withArgs(tree.root, m.notaryDid, REF, notary.address, Algorithm.KECCAK256, CATEGORY, META, 5n);
      });

      it("records the root as kind Root with its size", async function () {
        const s = await anchorRoot(tree.root, 5n);
        expect(await recordOf(tree.root)).to.deep.equal({
          ...single(m.notaryDid, s, Algorithm.KECCAK256),
          kind: BigInt(RecordKind.Root),
          batchOrSize: 5n,
        });
        expect(await evidence.batchCount()).to.equal(0n);
      });

      it("accepts the largest size a record holds (2^56 - 1)", async function () {
        await anchorRoot(tree.root, 2n ** 56n - 1n);
        expect((await recordOf(tree.root)).batchOrSize).to.equal(2n ** 56n - 1n);
      });
    });

    context("when the size is 0", function () {
      it("reverts with EvidenceEmptyRoot", async function () {
        await expect(
          evidence.anchorRoot(tree.root, 0, Algorithm.KECCAK256, CATEGORY, REF, META),
        ).to.be.revertedWithCustomError(evidence, "EvidenceEmptyRoot");
      });
    });

    context("when the size does not fit 56 bits", function () {
      it("reverts with SafeCastOverflowedUintDowncast", async function () {
        await expect(evidence.anchorRoot(tree.root, 2n ** 56n, Algorithm.KECCAK256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "SafeCastOverflowedUintDowncast")
          .withArgs(56, 2n ** 56n);
      });
    });

    context("when the root is zero", function () {
      it("reverts with EvidenceEmptyDigest", async function () {
        await expect(
          evidence.anchorRoot(ZERO, 5, Algorithm.KECCAK256, CATEGORY, REF, META),
        ).to.be.revertedWithCustomError(evidence, "EvidenceEmptyDigest");
      });
    });

    context("when the algorithm is None", function () {
      it("reverts with EvidenceUnknownAlgorithm(0)", async function () {
        await expect(evidence.anchorRoot(tree.root, 5, Algorithm.None, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnknownAlgorithm")
          .withArgs(0);
      });
    });

    context("when the root already has a record", function () {
      it("reverts with EvidenceAlreadyNotarized naming the earlier root", async function () {
        const s = await anchorRoot(tree.root, 5n);
        await expect(evidence.anchorRoot(tree.root, 6, Algorithm.KECCAK256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyNotarized")
          .withArgs(tree.root, m.notaryDid, s.at, RecordKind.Root);
      });

      it("reverts naming a single record under the same value", async function () {
        const s = await notarize(tree.root);
        await expect(evidence.anchorRoot(tree.root, 5, Algorithm.KECCAK256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyNotarized")
          .withArgs(tree.root, m.notaryDid, s.at, RecordKind.Single);
      });
    });

    context("when the caller is not an enrolled notary", function () {
      it("reverts with EvidenceNotNotary", async function () {
        await expect(evidence.connect(outsiders[0]).anchorRoot(tree.root, 5, Algorithm.KECCAK256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotNotary")
          .withArgs(outsiders[0].address);
      });
    });
  });

  describe("verifyInRoot", function () {
    const documents = Array.from({ length: 7 }, (_, i) => digestOf(`ledger entry ${i}`));
    const tree = merkleTreeOf(documents);

    context("when the root is anchored", function () {
      beforeEach(async function () {
        await anchorRoot(tree.root, 7n);
      });

      it("is true for every document with the proof @openzeppelin/merkle-tree produces", async function () {
        for (const [i, [d]] of tree.entries()) {
          expect(await evidence.verifyInRoot(tree.root, d, tree.getProof(i))).to.equal(true);
        }
      });

      it("is false for a digest not in the tree", async function () {
        expect(await evidence.verifyInRoot(tree.root, digestOf("stranger"), proofOf(tree, documents[0]))).to.equal(
          false,
        );
      });

      it("is false for a document with another document's proof", async function () {
        expect(await evidence.verifyInRoot(tree.root, documents[0], proofOf(tree, documents[1]))).to.equal(false);
      });

      it("is false for a tampered proof", async function () {
        const proof = proofOf(tree, documents[2]);
        const tampered = [...proof];
        tampered[0] = digestOf("tampered");
        expect(await evidence.verifyInRoot(tree.root, documents[2], tampered)).to.equal(false);
        expect(await evidence.verifyInRoot(tree.root, documents[2], proof.slice(1))).to.equal(false);
        expect(await evidence.verifyInRoot(tree.root, documents[2], [])).to.equal(false);
      });

      it("is false for an inner node passed off as a document (leaves are double-hashed)", async function () {
        // The single-hash leaf of document 0 and its sibling form a node; neither passes for a document.
        const leaf0 = tree.leafHash([documents[0]]);
        const proof = proofOf(tree, documents[0]);
        expect(await evidence.verifyInRoot(tree.root, leaf0, proof)).to.equal(false);
      });
    });

    context("when the root is not anchored", function () {
      it("is false even for a correct proof", async function () {
        expect(await evidence.verifyInRoot(tree.root, documents[0], proofOf(tree, documents[0]))).to.equal(false);
      });
    });

    context("when the key is a record of another kind", function () {
      it("is false for a correct proof of a root notarized as a single digest", async function () {
        await notarize(tree.root);
        expect(await evidence.verifyInRoot(tree.root, documents[0], proofOf(tree, documents[0]))).to.equal(false);
      });

      it("is false for a root notarized in an indexed batch", async function () {
        await notarizeBatch([tree.root]);
        expect(await evidence.verifyInRoot(tree.root, documents[0], proofOf(tree, documents[0]))).to.equal(false);
      });
    });

    context("when the tree has a single document", function () {
      it("is true with the empty proof", async function () {
        const one = merkleTreeOf([documents[0]]);
        await anchorRoot(one.root, 1n);
        expect(await evidence.verifyInRoot(one.root, documents[0], [])).to.equal(true);
        expect(await evidence.verifyInRoot(one.root, documents[1], [])).to.equal(false);
      });
    });
  });

  describe("supersede", function () {
    const v1 = digestOf("contract v1");
    const v2 = digestOf("contract v2");
    const v3 = digestOf("contract v3");

    context("when the submitter's notary corrects a valid record", function () {
      it("emits Notarized for the new digest and Superseded", async function () {
        await notarize(v1);
        const { tx } = await supersede(v1, v2, { algorithm: Algorithm.SM3, category: 3 });
        await expect(tx)
          .to.emit(evidence, "Notarized")
          .withArgs(v2, m.notaryDid, REF, notary.address, Algorithm.SM3, 3, META);
        await expect(tx).to.emit(evidence, "Superseded").withArgs(v1, v2);
      });

      it("marks the old record Superseded, keeps its fields, and records the new one as Single", async function () {
        const s1 = await notarize(v1);
        const s2 = await supersede(v1, v2, { algorithm: Algorithm.SM3, category: 3 });
        expect(await recordOf(v1)).to.deep.equal({
          ...single(m.notaryDid, s1),
          status: BigInt(RecordStatus.Superseded),
        });
        expect(await recordOf(v2)).to.deep.equal(single(m.notaryDid, s2, Algorithm.SM3, 3));
      });

      it("links both ways", async function () {
        await notarize(v1);
        await supersede(v1, v2);
        expect(await evidence.linksOf(v1)).to.deep.equal([v2, ZERO]);
        expect(await evidence.linksOf(v2)).to.deep.equal([ZERO, v1]);
      });

      it("corrects a record of an indexed batch with a single record", async function () {
        const s1 = await notarizeBatch([v1, digestOf("sibling")]);
        const s2 = await supersede(v1, v2);
        expect((await recordOf(v1)).status).to.equal(BigInt(RecordStatus.Superseded));
        expect((await recordOf(v1)).kind).to.equal(BigInt(RecordKind.Indexed));
        expect((await recordOf(v1)).notarizedAt).to.equal(s1.at);
        expect(await recordOf(v2)).to.deep.equal(single(m.notaryDid, s2));
        expect((await recordOf(digestOf("sibling"))).status).to.equal(BigInt(RecordStatus.Valid));
      });

      it("gives the whole 3-version history, oldest first, from any version", async function () {
        await notarize(v1);
        await supersede(v1, v2);
        await supersede(v2, v3);
        for (const v of [v1, v2, v3]) expect(await evidence.historyOf(v)).to.deep.equal([v1, v2, v3]);
        expect(await evidence.linksOf(v2)).to.deep.equal([v3, v1]);
        expect((await recordOf(v1)).status).to.equal(BigInt(RecordStatus.Superseded));
        expect((await recordOf(v2)).status).to.equal(BigInt(RecordStatus.Superseded));
        expect((await recordOf(v3)).status).to.equal(BigInt(RecordStatus.Valid));
      });

      it("lets another enrolled account of the submitter's DID correct it", async function () {
        await notarize(v1);
        const second = outsiders[0];
        await (await m.registry.connect(m.councilSigner).addAccount(m.notaryMemberId, second.address)).wait();
        await (await m.identity.connect(notary).addKey(m.notaryDid, second.address, Purpose.ALL)).wait();
        await (await evidence.enrolNotary(second.address)).wait();
        const { tx } = await supersede(v1, v2, { by: second });
        await expect(tx)
          .to.emit(evidence, "Notarized")
          .withArgs(v2, m.notaryDid, REF, second.address, Algorithm.SHA256, CATEGORY, META);
        expect((await recordOf(v2)).submitter).to.equal(m.notaryDid);
      });
    });

    context("when another notary tries to correct the record", function () {
      it("reverts with EvidenceNotSubmitter naming its DID", async function () {
        await notarize(v1);
        const other = await newNotary(m, outsiders[0]);
        await expect(evidence.connect(other.account).supersede(v1, v2, Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotSubmitter")
          .withArgs(v1, other.did);
      });
    });

    context("when the caller is not an enrolled notary", function () {
      it("reverts with EvidenceNotNotary, even for a key of the submitter's DID", async function () {
        await notarize(v1);
        const key = outsiders[0];
        await (await m.identity.connect(notary).addKey(m.notaryDid, key.address, Purpose.ALL)).wait();
        await expect(evidence.connect(key).supersede(v1, v2, Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotNotary")
          .withArgs(key.address);
      });
    });

    context("when the old digest has no record", function () {
      it("reverts with EvidenceUnknown", async function () {
        await expect(evidence.supersede(v1, v2, Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnknown")
          .withArgs(v1);
      });
    });

    context("when the old record is a Merkle root", function () {
      it("reverts with EvidenceUnexpectedKind(root, Root)", async function () {
        await anchorRoot(v1, 4n);
        await expect(evidence.supersede(v1, v2, Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnexpectedKind")
          .withArgs(v1, RecordKind.Root);
      });
    });

    context("when the old record is no longer valid", function () {
      it("reverts with EvidenceUnexpectedStatus(old, Superseded) when it was already corrected", async function () {
        await notarize(v1);
        await supersede(v1, v2);
        await expect(evidence.supersede(v1, v3, Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnexpectedStatus")
          .withArgs(v1, RecordStatus.Superseded);
      });

      it("reverts with EvidenceUnexpectedStatus(old, Revoked) when it was revoked", async function () {
        await notarize(v1);
        await (await evidence.revoke(v1, REASON)).wait();
        await expect(evidence.supersede(v1, v2, Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnexpectedStatus")
          .withArgs(v1, RecordStatus.Revoked);
      });
    });

    context("when the new digest already has a record", function () {
      it("reverts with EvidenceAlreadyNotarized naming it; the old record stays valid and unlinked", async function () {
        await notarize(v1);
        const s2 = await notarize(v2);
        await expect(evidence.supersede(v1, v2, Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyNotarized")
          .withArgs(v2, m.notaryDid, s2.at, RecordKind.Single);
        expect((await recordOf(v1)).status).to.equal(BigInt(RecordStatus.Valid));
        expect(await evidence.linksOf(v1)).to.deep.equal([ZERO, ZERO]);
      });

      it("reverts with EvidenceAlreadyNotarized when the new digest is the old one", async function () {
        const s1 = await notarize(v1);
        await expect(evidence.supersede(v1, v1, Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyNotarized")
          .withArgs(v1, m.notaryDid, s1.at, RecordKind.Single);
      });
    });

    context("when the new digest is zero", function () {
      it("reverts with EvidenceEmptyDigest", async function () {
        await notarize(v1);
        await expect(evidence.supersede(v1, ZERO, Algorithm.SHA256, CATEGORY, REF, META)).to.be.revertedWithCustomError(
          evidence,
          "EvidenceEmptyDigest",
        );
      });
    });

    context("when the algorithm is None", function () {
      it("reverts with EvidenceUnknownAlgorithm(0)", async function () {
        await notarize(v1);
        await expect(evidence.supersede(v1, v2, Algorithm.None, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnknownAlgorithm")
          .withArgs(0);
      });
    });
  });

  describe("historyOf", function () {
    context("when the digest has no record", function () {
      it("reverts with EvidenceUnknown", async function () {
        await expect(evidence.historyOf(digestOf("nothing")))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnknown")
          .withArgs(digestOf("nothing"));
      });
    });
  });

  describe("revoke", function () {
    const d = digestOf("certificate to revoke");

    context("when a key of the submitter's active DID revokes a record", function () {
      it("emits Revoked with the key, the DID, byOrder false and the reason", async function () {
        await notarize(d);
        await expect(evidence.revoke(d, REASON)).to.emit(evidence, "Revoked").withArgs(d, m.notaryDid, false, REASON);
      });

      it("sets the status to Revoked, keeps every other field, and records the revocation", async function () {
        const s = await notarize(d);
        const r = await sent(() => evidence.revoke(d, REASON));
        expect(await recordOf(d)).to.deep.equal({ ...single(m.notaryDid, s), status: BigInt(RecordStatus.Revoked) });
        expect(await evidence.revocationOf(d)).to.deep.equal([m.notaryDid, r.at, false, REASON]);
      });

      it("revokes an indexed record alone, leaving its batch", async function () {
        await notarizeBatch([d, digestOf("sibling")]);
        await (await evidence.revoke(d, REASON)).wait();
        expect((await recordOf(d)).status).to.equal(BigInt(RecordStatus.Revoked));
        expect((await recordOf(d)).kind).to.equal(BigInt(RecordKind.Indexed));
        expect((await recordOf(digestOf("sibling"))).status).to.equal(BigInt(RecordStatus.Valid));
      });

      it("revokes a root", async function () {
        await anchorRoot(d, 10n);
        await expect(evidence.revoke(d, REASON)).to.emit(evidence, "Revoked").withArgs(d, m.notaryDid, false, REASON);
        expect((await recordOf(d)).status).to.equal(BigInt(RecordStatus.Revoked));
        expect((await recordOf(d)).kind).to.equal(BigInt(RecordKind.Root));
      });

      it("revokes a superseded record, keeping its links", async function () {
        const v2 = digestOf("v2");
        await notarize(d);
        await supersede(d, v2);
        await (await evidence.revoke(d, REASON)).wait();
        expect((await recordOf(d)).status).to.equal(BigInt(RecordStatus.Revoked));
        expect(await evidence.linksOf(d)).to.deep.equal([v2, ZERO]);
        expect(await evidence.historyOf(v2)).to.deep.equal([d, v2]);
      });

      it("accepts any key of the DID, enrolled or not", async function () {
        await notarize(d);
        const clerk = outsiders[0];
        await (await m.identity.connect(notary).addKey(m.notaryDid, clerk.address, Purpose.ALL)).wait();
        await expect(evidence.connect(clerk).revoke(d, REASON))
          .to.emit(evidence, "Revoked")
          .withArgs(d, m.notaryDid, false, REASON);
      });

      it("works once the notary lost its NOTARY role and was dropped", async function () {
        await notarize(d);
        await revokeNotaryRole(m.notaryMemberId);
        await (await evidence.dropNotary(notary.address)).wait();
        await expect(evidence.revoke(d, REASON)).to.emit(evidence, "Revoked");
      });

      it("works while notarization is paused", async function () {
        await notarize(d);
        await pause();
        await expect(evidence.revoke(d, REASON)).to.emit(evidence, "Revoked").withArgs(d, m.notaryDid, false, REASON);
      });
    });

    context("when the caller's DID did not submit the record", function () {
      it("reverts with EvidenceNotSubmitter naming the caller's DID", async function () {
        await notarize(d);
        const other = await newNotary(m, outsiders[0]);
        await expect(evidence.connect(other.account).revoke(d, REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotSubmitter")
          .withArgs(d, other.did);
      });
    });

    context("when the caller has no active DID", function () {
      it("reverts with EvidenceNoActiveDid for an account with no DID", async function () {
        await notarize(d);
        await expect(evidence.connect(outsiders[0]).revoke(d, REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceNoActiveDid")
          .withArgs(outsiders[0].address);
      });

      it("reverts with EvidenceNoActiveDid when the submitter's DID is suspended", async function () {
        await notarize(d);
        await (await m.identity.connect(m.registrar).suspend(m.notaryDid, REASON)).wait();
        await expect(evidence.revoke(d, REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceNoActiveDid")
          .withArgs(notary.address);
      });

      it("reverts with EvidenceNoActiveDid for a key of the submitter's DID that may only assert claims", async function () {
        // Regression (Slither unused-return on didOf's purposes): an assertion-only key does not act as its DID.
        await notarize(d);
        const claimsService = outsiders[0];
        await (await m.identity.connect(notary).addKey(m.notaryDid, claimsService.address, Purpose.ASSERTION)).wait();
        await expect(evidence.connect(claimsService).revoke(d, REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceNoActiveDid")
          .withArgs(claimsService.address);
        expect((await recordOf(d)).status).to.equal(BigInt(RecordStatus.Valid));
      });
    });

    context("when the record was already revoked", function () {
      it("reverts with EvidenceUnexpectedStatus(key, Revoked), keeping the first revocation", async function () {
        await notarize(d);
        const r = await sent(() => evidence.revoke(d, REASON));
        await expect(evidence.revoke(d, hashOf("another reason")))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnexpectedStatus")
          .withArgs(d, RecordStatus.Revoked);
        expect(await evidence.revocationOf(d)).to.deep.equal([m.notaryDid, r.at, false, REASON]);
      });
    });

    context("when the key has no record", function () {
      it("reverts with EvidenceUnknown", async function () {
        await expect(evidence.revoke(d, REASON)).to.be.revertedWithCustomError(evidence, "EvidenceUnknown").withArgs(d);
      });
    });
  });

  describe("revokeDocument", function () {
    const documents = Array.from({ length: 4 }, (_, i) => digestOf(`diploma ${i}`));
    const tree = merkleTreeOf(documents);
    const target = documents[2];

    context("when the submitter revokes a document of its anchored root with a valid proof", function () {
      beforeEach(async function () {
        await anchorRoot(tree.root, 4n);
      });

      it("emits Revoked with the document key", async function () {
        const key = documentKeyOf(tree.root, target);
        await expect(evidence.revokeDocument(tree.root, target, proofOf(tree, target), REASON))
          .to.emit(evidence, "Revoked")
          .withArgs(key, m.notaryDid, false, REASON);
      });

      it("records the revocation under documentKey(root, digest) = keccak256(abi.encode(root, digest))", async function () {
        const key = documentKeyOf(tree.root, target);
        expect(await evidence.documentKey(tree.root, target)).to.equal(key);
        const r = await sent(() => evidence.revokeDocument(tree.root, target, proofOf(tree, target), REASON));
        expect(await evidence.revocationOf(key)).to.deep.equal([m.notaryDid, r.at, false, REASON]);
      });

      it("leaves the root valid, its other documents unrevoked, and the document still provable", async function () {
        await (await evidence.revokeDocument(tree.root, target, proofOf(tree, target), REASON)).wait();
        expect((await recordOf(tree.root)).status).to.equal(BigInt(RecordStatus.Valid));
        expect((await evidence.revocationOf(documentKeyOf(tree.root, documents[1])))[1]).to.equal(0n);
        expect((await evidence.revocationOf(tree.root))[1]).to.equal(0n);
        expect(await evidence.verifyInRoot(tree.root, target, proofOf(tree, target))).to.equal(true);
      });

      it("works while notarization is paused", async function () {
        await pause();
        await expect(evidence.revokeDocument(tree.root, target, proofOf(tree, target), REASON)).to.emit(
          evidence,
          "Revoked",
        );
      });
    });

    context("when the proof is invalid", function () {
      it("reverts with EvidenceInvalidProof", async function () {
        await anchorRoot(tree.root, 4n);
        await expect(evidence.revokeDocument(tree.root, target, proofOf(tree, documents[0]), REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceInvalidProof")
          .withArgs(tree.root, target);
        const stranger = digestOf("not a diploma");
        await expect(evidence.revokeDocument(tree.root, stranger, proofOf(tree, target), REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceInvalidProof")
          .withArgs(tree.root, stranger);
      });
    });

    context("when the key is not a root", function () {
      it("reverts with EvidenceUnexpectedKind(key, Single)", async function () {
        await notarize(tree.root);
        await expect(evidence.revokeDocument(tree.root, target, proofOf(tree, target), REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnexpectedKind")
          .withArgs(tree.root, RecordKind.Single);
      });

      it("reverts with EvidenceUnexpectedKind(key, Indexed)", async function () {
        await notarizeBatch([tree.root]);
        await expect(evidence.revokeDocument(tree.root, target, proofOf(tree, target), REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnexpectedKind")
          .withArgs(tree.root, RecordKind.Indexed);
      });
    });

    context("when the root has no record", function () {
      it("reverts with EvidenceUnknown", async function () {
        await expect(evidence.revokeDocument(tree.root, target, proofOf(tree, target), REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnknown")
          .withArgs(tree.root);
      });
    });

    context("when the document was already revoked", function () {
      it("reverts with EvidenceAlreadyRevoked(documentKey)", async function () {
        await anchorRoot(tree.root, 4n);
        await (await evidence.revokeDocument(tree.root, target, proofOf(tree, target), REASON)).wait();
        await expect(evidence.revokeDocument(tree.root, target, proofOf(tree, target), REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyRevoked")
          .withArgs(documentKeyOf(tree.root, target));
      });

      it("reverts with EvidenceAlreadyRevoked when an arbitrator revoked it by order", async function () {
        await anchorRoot(tree.root, 4n);
        const arbitrator = await newArbitrator(m, outsiders[1]);
        const key = documentKeyOf(tree.root, target);
        await (await evidence.connect(arbitrator.account).revokeDocumentByOrder(tree.root, target, REASON)).wait();
        await expect(evidence.revokeDocument(tree.root, target, proofOf(tree, target), REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyRevoked")
          .withArgs(key);
        expect((await evidence.revocationOf(key)).byOrder).to.equal(true);
      });
    });

    context("when the caller's DID did not anchor the root", function () {
      it("reverts with EvidenceNotSubmitter", async function () {
        await anchorRoot(tree.root, 4n);
        const did = await person(outsiders[0]);
        await expect(evidence.connect(outsiders[0]).revokeDocument(tree.root, target, proofOf(tree, target), REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotSubmitter")
          .withArgs(tree.root, did);
      });
    });

    context("when the caller has no active DID", function () {
      it("reverts with EvidenceNoActiveDid", async function () {
        await anchorRoot(tree.root, 4n);
        await expect(evidence.connect(outsiders[0]).revokeDocument(tree.root, target, proofOf(tree, target), REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceNoActiveDid")
          .withArgs(outsiders[0].address);
      });

      it("reverts with EvidenceNoActiveDid for a key of the anchoring DID that may only assert claims", async function () {
        await anchorRoot(tree.root, 4n);
        const claimsService = outsiders[0];
        await (await m.identity.connect(notary).addKey(m.notaryDid, claimsService.address, Purpose.ASSERTION)).wait();
        await expect(evidence.connect(claimsService).revokeDocument(tree.root, target, proofOf(tree, target), REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceNoActiveDid")
          .withArgs(claimsService.address);
        expect(await evidence.revocationOf(documentKeyOf(tree.root, target))).to.deep.equal([0n, 0n, false, ZERO]);
      });
    });
  });

  describe("revokeByOrder", function () {
    const d = digestOf("judgement subject");
    let arbitrator: Organisation;

    beforeEach(async function () {
      arbitrator = await newArbitrator(m, outsiders[1]);
    });

    context("when the caller is not an arbitrator", function () {
      it("reverts with AccessManagedUnauthorized for the submitter, the guardian, the council and outsiders", async function () {
        await notarize(d);
        for (const caller of [notary, m.guardian, m.councilSigner, outsiders[0]]) {
          await expect(evidence.connect(caller).revokeByOrder(d, REASON))
            .to.be.revertedWithCustomError(evidence, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
      });
    });

    context("when an arbitrator orders a record revoked", function () {
      it("emits Revoked with its DID and byOrder true", async function () {
        await notarize(d);
        await expect(evidence.connect(arbitrator.account).revokeByOrder(d, REASON))
          .to.emit(evidence, "Revoked")
          .withArgs(d, arbitrator.did, true, REASON);
      });

      it("sets the status to Revoked and records the order", async function () {
        const s = await notarize(d);
        const r = await sent(() => evidence.connect(arbitrator.account).revokeByOrder(d, REASON));
        expect(await recordOf(d)).to.deep.equal({ ...single(m.notaryDid, s), status: BigInt(RecordStatus.Revoked) });
        expect(await evidence.revocationOf(d)).to.deep.equal([arbitrator.did, r.at, true, REASON]);
      });

      it("revokes a superseded record", async function () {
        await notarize(d);
        await supersede(d, digestOf("correction"));
        await (await evidence.connect(arbitrator.account).revokeByOrder(d, REASON)).wait();
        expect((await recordOf(d)).status).to.equal(BigInt(RecordStatus.Revoked));
      });

      it("works while notarization is paused", async function () {
        await notarize(d);
        await pause();
        await expect(evidence.connect(arbitrator.account).revokeByOrder(d, REASON)).to.emit(evidence, "Revoked");
      });

      it("works through the forwarder, checking the signer's role", async function () {
        await notarize(d);
        const data = evidence.interface.encodeFunctionData("revokeByOrder", [d, REASON]);
        await expect(signAndRelay(m.forwarder, arbitrator.account, outsiders[5], evidence, data))
          .to.emit(evidence, "Revoked")
          .withArgs(d, arbitrator.did, true, REASON);
      });
    });

    context("when an arbitrator orders a root revoked", function () {
      it("revokes the root", async function () {
        await anchorRoot(d, 3n);
        await expect(evidence.connect(arbitrator.account).revokeByOrder(d, REASON))
          .to.emit(evidence, "Revoked")
          .withArgs(d, arbitrator.did, true, REASON);
        expect((await recordOf(d)).status).to.equal(BigInt(RecordStatus.Revoked));
        expect((await evidence.revocationOf(d)).byOrder).to.equal(true);
      });
    });

    context("when an arbitrator orders a document of a root revoked (revokeDocumentByOrder)", function () {
      it("records the revocation under the document key, leaving the root valid", async function () {
        const documents = [digestOf("p1"), digestOf("p2"), digestOf("p3")];
        const tree = merkleTreeOf(documents);
        await anchorRoot(tree.root, 3n);
        const key = await evidence.documentKey(tree.root, documents[1]);
        const r = await sent(() =>
          evidence.connect(arbitrator.account).revokeDocumentByOrder(tree.root, documents[1], REASON),
        );
        await expect(r.tx).to.emit(evidence, "Revoked").withArgs(key, arbitrator.did, true, REASON);
        expect(await evidence.revocationOf(key)).to.deep.equal([arbitrator.did, r.at, true, REASON]);
        expect((await recordOf(tree.root)).status).to.equal(BigInt(RecordStatus.Valid));
        expect((await recordOf(key)).status).to.equal(BigInt(RecordStatus.None));
      });

      it("reverts with EvidenceAlreadyRevoked the second time", async function () {
        const tree = merkleTreeOf([digestOf("p1"), digestOf("p2")]);
        await anchorRoot(tree.root, 2n);
        const key = documentKeyOf(tree.root, digestOf("p1"));
        await (await evidence.revokeDocument(tree.root, digestOf("p1"), proofOf(tree, digestOf("p1")), REASON)).wait();
        await expect(evidence.connect(arbitrator.account).revokeDocumentByOrder(tree.root, digestOf("p1"), REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyRevoked")
          .withArgs(key);
        expect((await evidence.revocationOf(key)).byOrder).to.equal(false);
      });
    });

    context("when the record was already revoked", function () {
      it("reverts with EvidenceUnexpectedStatus(key, Revoked)", async function () {
        await notarize(d);
        await (await evidence.revoke(d, REASON)).wait();
        await expect(evidence.connect(arbitrator.account).revokeByOrder(d, REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnexpectedStatus")
          .withArgs(d, RecordStatus.Revoked);
        expect((await evidence.revocationOf(d)).byOrder).to.equal(false);
      });
    });

    context("when the key has no record", function () {
      it("reverts with EvidenceUnknown: documents are revoked by order through revokeDocumentByOrder", async function () {
        await expect(evidence.connect(arbitrator.account).revokeByOrder(d, REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnknown")
          .withArgs(d);
      });
    });

    context("when a document is ordered revoked and the same value is later notarized as a digest", function () {
      it("keeps the two revocations apart: the submitter's never overwrites the order's", async function () {
        const tree = merkleTreeOf([digestOf("q1"), digestOf("q2")]);
        await anchorRoot(tree.root, 2n);
        const key = documentKeyOf(tree.root, digestOf("q1"));
        const order = await sent(() =>
          evidence.connect(arbitrator.account).revokeDocumentByOrder(tree.root, digestOf("q1"), REASON),
        );
        await notarize(key);
        await (await evidence.revoke(key, hashOf("submitter's reason"))).wait();
        expect((await recordOf(key)).status).to.equal(BigInt(RecordStatus.Revoked));
        expect((await evidence.revocationOf(key)).byOrder).to.equal(false);
        await expect(evidence.connect(arbitrator.account).revokeDocumentByOrder(tree.root, digestOf("q1"), REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyRevoked")
          .withArgs(key);
        expect(order.at).to.be.greaterThan(0n);
      });
    });

    context("when the root is not a Merkle root", function () {
      it("revokeDocumentByOrder reverts with EvidenceUnexpectedKind", async function () {
        await notarize(d);
        await expect(evidence.connect(arbitrator.account).revokeDocumentByOrder(d, digestOf("x"), REASON))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnexpectedKind")
          .withArgs(d, RecordKind.Single);
      });
    });

    context("when the caller is not an arbitrator", function () {
      it("revokeDocumentByOrder reverts with AccessManagedUnauthorized", async function () {
        const tree = merkleTreeOf([digestOf("r1"), digestOf("r2")]);
        await anchorRoot(tree.root, 2n);
        await expect(evidence.revokeDocumentByOrder(tree.root, digestOf("r1"), REASON))
          .to.be.revertedWithCustomError(evidence, "AccessManagedUnauthorized")
          .withArgs(m.notary.address);
      });
    });
  });

  describe("endorse", function () {
    const d = digestOf("jointly signed agreement");

    context("when a party with an active DID endorses a record", function () {
      it("emits Endorsed and lists the endorsement", async function () {
        await notarize(d);
        const did = await person(outsiders[0]);
        const r = await sent(() => evidence.connect(outsiders[0]).endorse(d, NOTE));
        await expect(r.tx).to.emit(evidence, "Endorsed").withArgs(d, did, NOTE);
        expect(await evidence.endorsementsOf(d)).to.deep.equal([[did, r.at, NOTE]]);
      });

      it("lists several endorsements in order, the submitter's included", async function () {
        await anchorRoot(d, 2n);
        const a = await person(outsiders[0]);
        const ra = await sent(() => evidence.connect(outsiders[0]).endorse(d, NOTE));
        const rb = await sent(() => evidence.connect(notary).endorse(d, hashOf("b")));
        expect(await evidence.endorsementsOf(d)).to.deep.equal([
          [a, ra.at, NOTE],
          [m.notaryDid, rb.at, hashOf("b")],
        ]);
      });

      it("changes nothing in the record", async function () {
        const s = await notarize(d);
        await person(outsiders[0]);
        await (await evidence.connect(outsiders[0]).endorse(d, NOTE)).wait();
        expect(await recordOf(d)).to.deep.equal(single(m.notaryDid, s));
      });
    });

    context("when the key has no record", function () {
      it("reverts with EvidenceUnknown", async function () {
        await person(outsiders[0]);
        await expect(evidence.connect(outsiders[0]).endorse(d, NOTE))
          .to.be.revertedWithCustomError(evidence, "EvidenceUnknown")
          .withArgs(d);
      });
    });

    context("when the DID already endorsed the key", function () {
      it("reverts with EvidenceAlreadyEndorsed, also from another key of the same DID", async function () {
        await notarize(d);
        const did = await registerDid(m, DidKind.Organisation, [
          { account: outsiders[0].address },
          { account: outsiders[2].address },
        ]);
        await (await evidence.connect(outsiders[0]).endorse(d, NOTE)).wait();
        for (const key of [outsiders[0], outsiders[2]]) {
          await expect(evidence.connect(key).endorse(d, NOTE))
            .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyEndorsed")
            .withArgs(d, did);
        }
        expect(await evidence.endorsementsOf(d)).to.have.length(1);
      });
    });

    context("when the caller has no active DID", function () {
      it("reverts with EvidenceNoActiveDid for an account with no DID", async function () {
        await notarize(d);
        await expect(evidence.connect(outsiders[0]).endorse(d, NOTE))
          .to.be.revertedWithCustomError(evidence, "EvidenceNoActiveDid")
          .withArgs(outsiders[0].address);
      });

      it("reverts with EvidenceNoActiveDid for a suspended DID", async function () {
        await notarize(d);
        const did = await person(outsiders[0]);
        await (await m.identity.connect(m.registrar).suspend(did, REASON)).wait();
        await expect(evidence.connect(outsiders[0]).endorse(d, NOTE))
          .to.be.revertedWithCustomError(evidence, "EvidenceNoActiveDid")
          .withArgs(outsiders[0].address);
      });

      it("reverts with EvidenceNoActiveDid for a key that may only assert claims", async function () {
        await notarize(d);
        await registerDid(m, DidKind.Organisation, [
          { account: outsiders[0].address },
          { account: outsiders[2].address, purposes: Purpose.ASSERTION },
        ]);
        await expect(evidence.connect(outsiders[2]).endorse(d, NOTE))
          .to.be.revertedWithCustomError(evidence, "EvidenceNoActiveDid")
          .withArgs(outsiders[2].address);
        expect(await evidence.endorsementsOf(d)).to.have.length(0);
      });
    });
  });

  describe("enrolNotary", function () {
    context("when the account holds the NOTARY role and an active DID", function () {
      it("emits NotaryEnrolled; anyone may call", async function () {
        const org = await newNotary(m, outsiders[0], { enrol: false });
        await expect(evidence.connect(outsiders[5]).enrolNotary(org.address))
          .to.emit(evidence, "NotaryEnrolled")
          .withArgs(org.address, org.did);
      });

      it("enables it for its DID and lists it", async function () {
        const org = await newNotary(m, outsiders[0], { enrol: false });
        expect(await evidence.notaryOf(org.address)).to.deep.equal([0n, false]);
        await (await evidence.connect(outsiders[5]).enrolNotary(org.address)).wait();
        expect(await evidence.notaryOf(org.address)).to.deep.equal([org.did, true]);
        expect(await evidence.notaries()).to.deep.equal([notary.address, org.address]);
        const s = await notarize(digestOf("first"), { by: org.account });
        expect(await recordOf(digestOf("first"))).to.deep.equal(single(org.did, s));
      });
    });

    context("when the account lacks the NOTARY role", function () {
      it("reverts with EvidenceNotQualified for a member with another role and an active DID", async function () {
        const org = await admitOrganisation(m, [outsiders[0]], [AUDITOR]);
        await expect(evidence.enrolNotary(org.address))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotQualified")
          .withArgs(org.address);
      });

      it("reverts with EvidenceNotQualified for a person DID with no role", async function () {
        await person(outsiders[0]);
        await expect(evidence.enrolNotary(outsiders[0].address))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotQualified")
          .withArgs(outsiders[0].address);
      });

      it("reverts with EvidenceNotQualified for a key of the notary's DID that is not a member account", async function () {
        await (await m.identity.connect(notary).addKey(m.notaryDid, outsiders[0].address, Purpose.ALL)).wait();
        await expect(evidence.enrolNotary(outsiders[0].address))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotQualified")
          .withArgs(outsiders[0].address);
      });
    });

    context("when the account lacks an active DID", function () {
      it("reverts with EvidenceNotQualified for a notary member with no DID", async function () {
        const org = await admitOrganisation(m, [outsiders[0]], [NOTARY], { withDid: false });
        await expect(evidence.enrolNotary(org.address))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotQualified")
          .withArgs(org.address);
      });

      it("reverts with EvidenceNotQualified when its DID is suspended", async function () {
        const org = await newNotary(m, outsiders[0], { enrol: false });
        await (await m.identity.connect(m.registrar).suspend(org.did, REASON)).wait();
        await expect(evidence.enrolNotary(org.address))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotQualified")
          .withArgs(org.address);
      });
    });

    context("when the account is already enrolled", function () {
      it("reverts with EvidenceAlreadyEnrolled", async function () {
        await expect(evidence.enrolNotary(notary.address))
          .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyEnrolled")
          .withArgs(notary.address);
      });
    });

    context("when notarization is paused", function () {
      it("reverts with EvidencePaused(true)", async function () {
        const org = await newNotary(m, outsiders[0], { enrol: false });
        await pause();
        await expect(evidence.enrolNotary(org.address))
          .to.be.revertedWithCustomError(evidence, "EvidencePaused")
          .withArgs(true);
      });
    });

    context("when 64 notaries are enrolled", function () {
      it("reverts with EvidenceTooManyNotaries(64)", async function () {
        // 63 more accounts: 4 members of 16 accounts (the registry's maximum), 8 DIDs of 8 keys.
        const accounts = Array.from({ length: 64 }, (_, i) =>
          getAddress("0x" + (0xe71de00000n + BigInt(i)).toString(16).padStart(40, "0")),
        );
        for (let i = 0; i < 4; i++) {
          const slice = accounts.slice(16 * i, 16 * i + 16);
          await (
            await m.registry
              .connect(m.councilSigner)
              .admitMember(`Notary office ${i}`, hashOf(`documents ${i}`), slice, [NOTARY])
          ).wait();
        }
        for (let i = 0; i < 8; i++) {
          const keys = accounts.slice(8 * i, 8 * i + 8).map((account) => ({ account }));
          await registerDid(m, DidKind.Organisation, keys, hashOf(`notary office did ${i}`));
        }
        for (const account of accounts.slice(0, 63)) await (await evidence.enrolNotary(account)).wait();
        expect(await evidence.notaries()).to.have.length(64);
        await expect(evidence.enrolNotary(accounts[63]))
          .to.be.revertedWithCustomError(evidence, "EvidenceTooManyNotaries")
          .withArgs(64);
        await (await evidence.connect(m.guardian).pause()).wait();
        await expect(evidence.connect(m.councilSigner).unpause()).to.emit(evidence, "PauseSet").withArgs(false);
        expect((await evidence.notaryOf(accounts[62]))[1]).to.equal(true);
      });
    });
  });

  describe("dropNotary", function () {
    let org: Organisation;

    beforeEach(async function () {
      org = await newNotary(m, outsiders[0]);
    });

    context("when the notary still qualifies", function () {
      it("reverts with EvidenceStillQualified", async function () {
        await expect(evidence.connect(outsiders[5]).dropNotary(org.address))
          .to.be.revertedWithCustomError(evidence, "EvidenceStillQualified")
          .withArgs(org.address);
      });
    });

    context("when the account is not enrolled", function () {
      it("reverts with EvidenceNotNotary", async function () {
        await expect(evidence.dropNotary(outsiders[3].address))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotNotary")
          .withArgs(outsiders[3].address);
      });
    });

    context("when the council revoked the member's NOTARY role", function () {
      it("keeps the cached notary able to notarize until someone drops it", async function () {
        await revokeNotaryRole(org);
        await notarize(digestOf("before the drop"), { by: org.account });
        expect((await recordOf(digestOf("before the drop"))).submitter).to.equal(org.did);
      });

      it("lets anyone drop it: NotaryDropped, unlisted, no DID, not enabled", async function () {
        await revokeNotaryRole(org);
        await expect(evidence.connect(outsiders[5]).dropNotary(org.address))
          .to.emit(evidence, "NotaryDropped")
          .withArgs(org.address);
        expect(await evidence.notaryOf(org.address)).to.deep.equal([0n, false]);
        expect(await evidence.notaries()).to.deep.equal([notary.address]);
      });

      it("refuses its notarizations once dropped, but keeps its records", async function () {
        const s = await notarize(digestOf("kept"), { by: org.account });
        await revokeNotaryRole(org);
        await (await evidence.dropNotary(org.address)).wait();
        await expect(evidence.connect(org.account).notarize(digestOf("after"), Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotNotary")
          .withArgs(org.address);
        expect(await recordOf(digestOf("kept"))).to.deep.equal(single(org.did, s));
      });

      it("lets it enrol again once the role is granted back", async function () {
        await revokeNotaryRole(org);
        await (await evidence.dropNotary(org.address)).wait();
        await grantNotaryRole(org);
        await expect(evidence.enrolNotary(org.address))
          .to.emit(evidence, "NotaryEnrolled")
          .withArgs(org.address, org.did);
        expect(await evidence.notaryOf(org.address)).to.deep.equal([org.did, true]);
      });

      it("drops it while notarization is paused", async function () {
        await pause();
        await revokeNotaryRole(org);
        await expect(evidence.dropNotary(org.address)).to.emit(evidence, "NotaryDropped").withArgs(org.address);
      });
    });

    context("when the council suspended the member", function () {
      it("lets anyone drop it", async function () {
        await (await m.registry.connect(m.councilSigner).suspendMember(org.memberId, REASON)).wait();
        await expect(evidence.connect(outsiders[5]).dropNotary(org.address))
          .to.emit(evidence, "NotaryDropped")
          .withArgs(org.address);
      });
    });

    context("when the registrar suspended its DID", function () {
      it("lets anyone drop it", async function () {
        await (await m.identity.connect(m.registrar).suspend(org.did, REASON)).wait();
        await expect(evidence.connect(outsiders[5]).dropNotary(org.address))
          .to.emit(evidence, "NotaryDropped")
          .withArgs(org.address);
        expect(await evidence.notaries()).to.deep.equal([notary.address]);
      });
    });

    context("when the registrar deactivated its DID", function () {
      it("lets anyone drop it", async function () {
        await (await m.identity.connect(m.registrar).deactivate(org.did, REASON)).wait();
        await expect(evidence.dropNotary(org.address)).to.emit(evidence, "NotaryDropped").withArgs(org.address);
      });
    });
  });

  describe("pause", function () {
    context("when the guardian pauses", function () {
      it("emits PauseSet(true) and reports paused", async function () {
        await expect(evidence.connect(m.guardian).pause()).to.emit(evidence, "PauseSet").withArgs(true);
        expect(await evidence.paused()).to.equal(true);
      });

      it("disables every notary, keeping them enrolled", async function () {
        const org = await newNotary(m, outsiders[0]);
        await pause();
        expect(await evidence.notaryOf(notary.address)).to.deep.equal([m.notaryDid, false]);
        expect(await evidence.notaryOf(org.address)).to.deep.equal([org.did, false]);
        expect(await evidence.notaries()).to.deep.equal([notary.address, org.address]);
      });

      it("refuses notarize, notarizeBatch, anchorRoot and supersede with EvidenceNotNotary", async function () {
        const v1 = digestOf("v1");
        await notarize(v1);
        await pause();
        const d = digestOf("while paused");
        await expect(evidence.notarize(d, Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotNotary")
          .withArgs(notary.address);
        await expect(evidence.notarizeBatch([d], Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotNotary")
          .withArgs(notary.address);
        await expect(evidence.anchorRoot(d, 2, Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotNotary")
          .withArgs(notary.address);
        await expect(evidence.supersede(v1, d, Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotNotary")
          .withArgs(notary.address);
      });

      it("keeps reads, revoke and endorse working", async function () {
        const v1 = digestOf("v1");
        const s = await notarize(v1);
        await pause();
        expect(await recordOf(v1)).to.deep.equal(single(m.notaryDid, s));
        expect(await evidence.historyOf(v1)).to.deep.equal([v1]);
        expect(await evidence.batchCount()).to.equal(0n);
        await person(outsiders[0]);
        await expect(evidence.connect(outsiders[0]).endorse(v1, NOTE)).to.emit(evidence, "Endorsed");
        await expect(evidence.revoke(v1, REASON)).to.emit(evidence, "Revoked");
      });
    });

    context("when the caller is not a guardian", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        for (const caller of [notary, outsiders[0]]) {
          await expect(evidence.connect(caller).pause())
            .to.be.revertedWithCustomError(evidence, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
      });
    });

    context("when already paused", function () {
      it("reverts with EvidencePaused(true)", async function () {
        await pause();
        await expect(evidence.connect(m.guardian).pause())
          .to.be.revertedWithCustomError(evidence, "EvidencePaused")
          .withArgs(true);
      });
    });
  });

  describe("unpause", function () {
    context("when the council resumes notarization", function () {
      it("emits PauseSet(false) and reports not paused", async function () {
        await pause();
        await expect(evidence.connect(m.councilSigner).unpause()).to.emit(evidence, "PauseSet").withArgs(false);
        expect(await evidence.paused()).to.equal(false);
      });

      it("re-enables the notaries that still qualify", async function () {
        const org = await newNotary(m, outsiders[0]);
        await pause();
        await unpause();
        expect(await evidence.notaryOf(notary.address)).to.deep.equal([m.notaryDid, true]);
        expect(await evidence.notaryOf(org.address)).to.deep.equal([org.did, true]);
        await notarize(digestOf("after the pause"));
      });

      it("leaves disabled a notary that lost its role or whose DID was suspended; they can be dropped", async function () {
        const lostRole = await newNotary(m, outsiders[0]);
        const suspended = await newNotary(m, outsiders[2], { name: "Suspended Notary" });
        await pause();
        await revokeNotaryRole(lostRole);
        await (await m.identity.connect(m.registrar).suspend(suspended.did, REASON)).wait();
        await unpause();
        expect(await evidence.notaryOf(notary.address)).to.deep.equal([m.notaryDid, true]);
        expect(await evidence.notaryOf(lostRole.address)).to.deep.equal([lostRole.did, false]);
        expect(await evidence.notaryOf(suspended.address)).to.deep.equal([suspended.did, false]);
        await expect(evidence.connect(lostRole.account).notarize(digestOf("x"), Algorithm.SHA256, CATEGORY, REF, META))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotNotary")
          .withArgs(lostRole.address);
        await expect(evidence.dropNotary(lostRole.address)).to.emit(evidence, "NotaryDropped");
        await expect(evidence.dropNotary(suspended.address)).to.emit(evidence, "NotaryDropped");
      });

      it("lets a notary left disabled by the resumption notarize again once it qualifies again", async function () {
        // Left disabled at unpause (its DID was suspended), then reinstated: it qualifies again, but
        // dropNotary refuses (still qualified) and enrolNotary refuses (already enrolled).
        const org = await newNotary(m, outsiders[0]);
        await pause();
        await (await m.identity.connect(m.registrar).suspend(org.did, REASON)).wait();
        await unpause();
        await (await m.identity.connect(m.registrar).reinstate(org.did)).wait();
        expect(await m.identity.statusOf(org.did)).to.equal(DidStatus.Active);
        await expect(evidence.enrolNotary(org.address))
          .to.emit(evidence, "NotaryEnrolled")
          .withArgs(org.address, org.did);
        expect(await evidence.notaryOf(org.address)).to.deep.equal([org.did, true]);
      });
    });

    context("when the caller is not the council", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        await pause();
        for (const caller of [m.guardian, notary, outsiders[0]]) {
          await expect(evidence.connect(caller).unpause())
            .to.be.revertedWithCustomError(evidence, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
      });
    });

    context("when not paused", function () {
      it("reverts with EvidencePaused(false)", async function () {
        await expect(evidence.connect(m.councilSigner).unpause())
          .to.be.revertedWithCustomError(evidence, "EvidencePaused")
          .withArgs(false);
      });
    });
  });
});
