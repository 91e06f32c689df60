import { expect } from "chai";
import { randomBytes } from "crypto";
import fc from "fast-check";
import { keccak_256 } from "@noble/hashes/sha3";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256Into } from "../../src/evidence/keccak";
import {
  EvidenceMerkleTree,
  MerkleError,
  leafOf,
  verifyProof,
  verifyProofWithOpenZeppelin,
} from "../../src/evidence/merkle";

const randomDigest = (): string => "0x" + randomBytes(32).toString("hex");
const flipBit = (hex: string, bit = 0): string => {
  const bytes = Buffer.from(hex.slice(2), "hex");
  bytes[31 - (bit >> 3)] ^= 1 << (bit & 7);
  return "0x" + bytes.toString("hex");
};
const ozTree = (digests: string[]) =>
  StandardMerkleTree.of(
    digests.map((d) => [d]),
    ["bytes32"],
  );

describe("evidence Merkle trees", function () {
  describe("keccak256Into", function () {
    it("equals @noble/hashes keccak_256 for every length it accepts", function () {
      const out = new Uint8Array(32);
      for (let length = 0; length < 136; length++) {
        const message = randomBytes(length + 5);
        keccak256Into(message, 2, length, out, 0);
        expect(Buffer.from(out).toString("hex")).to.equal(
          Buffer.from(keccak_256(message.subarray(2, 2 + length))).toString("hex"),
        );
      }
    });

    it("refuses messages longer than one block", function () {
      expect(() => keccak256Into(new Uint8Array(136), 0, 136, new Uint8Array(32), 0)).to.throw(RangeError);
    });
  });

  describe("interop with @openzeppelin/merkle-tree", function () {
    for (const size of [1, 2, 3, 4, 5, 7, 8, 100, 1000]) {
      it(`gives the same root and proofs for ${size} digest(s), each side verifying the other's`, function () {
        const digests = Array.from({ length: size }, randomDigest);
        const ours = EvidenceMerkleTree.of(digests);
        const theirs = ozTree(digests);
        expect(ours.root).to.equal(theirs.root);
        expect(ours.length).to.equal(size);
        for (let i = 0; i < size; i++) {
          const proof = ours.proof(i);
          expect(proof).to.deep.equal(theirs.getProof(i));
          expect(StandardMerkleTree.verify(ours.root, ["bytes32"], [digests[i]], proof)).to.equal(true);
          expect(verifyProof(theirs.root, digests[i], theirs.getProof(i))).to.equal(true);
          expect(verifyProofWithOpenZeppelin(ours.root, digests[i], proof)).to.equal(true);
        }
      });
    }

    it("agrees with OZ on any set of distinct digests (property)", function () {
      const digestSets = fc.uniqueArray(
        fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => "0x" + Buffer.from(b).toString("hex")),
        { minLength: 1, maxLength: 40 },
      );
      fc.assert(
        fc.property(digestSets, fc.nat(), (digests, pick) => {
          const ours = EvidenceMerkleTree.of(digests);
          const theirs = ozTree(digests);
          const i = pick % digests.length;
          expect(ours.root).to.equal(theirs.root);
          expect(ours.proof(i)).to.deep.equal(theirs.getProof(i));
        }),
        { numRuns: 100 },
      );
    });

    it("computes the leaf as OZ's leaf hash of a bytes32", function () {
      const digest = randomDigest();
      expect(leafOf(digest)).to.equal(ozTree([digest]).root);
    });

    it("accepts upper-case hex the same as lower-case", function () {
      const digests = [randomDigest(), randomDigest()];
      expect(EvidenceMerkleTree.of(digests.map((d) => "0x" + d.slice(2).toUpperCase())).root).to.equal(
        EvidenceMerkleTree.of(digests).root,
      );
    });
  });

  describe("refusals", function () {
    it("refuses duplicate digests, naming both positions", function () {
      const [a, b] = [randomDigest(), randomDigest()];
      expect(() => EvidenceMerkleTree.of([a, b, a.toUpperCase().replace("0X", "0x")])).to.throw(
        MerkleError,
        new RegExp(`digest ${a} appears twice in the batch \\(positions 0 and 2\\)`),
      );
    });

    it("refuses an empty batch and malformed digests", function () {
      expect(() => EvidenceMerkleTree.of([])).to.throw(MerkleError, /at least one 32-byte digest/);
      expect(() => EvidenceMerkleTree.of([randomDigest(), "0x1234"])).to.throw(/digest #1 must be 0x followed by 64/);
    });

    it("refuses a proof for a position outside the batch", function () {
      const tree = EvidenceMerkleTree.of([randomDigest(), randomDigest()]);
      expect(() => tree.proof(2)).to.throw(MerkleError, /no document #2 in this batch: positions run from 0 to 1/);
    });
  });

  describe("tampering", function () {
    const digests = Array.from({ length: 37 }, randomDigest);
    const tree = EvidenceMerkleTree.of(digests);
    const proof = tree.proof(11);

    it("verifies the untouched proof", function () {
      expect(verifyProof(tree.root, digests[11], proof)).to.equal(true);
    });

    for (const bit of [0, 7, 100, 255]) {
      it(`fails when bit ${bit} of the digest, of a proof node or of the root flips`, function () {
        expect(verifyProof(tree.root, flipBit(digests[11], bit), proof)).to.equal(false);
        expect(
          verifyProof(tree.root, digests[11], [...proof.slice(0, 2), flipBit(proof[2], bit), ...proof.slice(3)]),
        ).to.equal(false);
        expect(verifyProof(flipBit(tree.root, bit), digests[11], proof)).to.equal(false);
      });
    }

    it("fails with a proof node missing or another document's proof", function () {
      expect(verifyProof(tree.root, digests[11], proof.slice(1))).to.equal(false);
      expect(verifyProof(tree.root, digests[11], tree.proof(12))).to.equal(false);
    });
  });
});
