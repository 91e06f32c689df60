import { expect } from "chai";
import { randomBytes } from "crypto";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import {
  DigestAlgorithm,
  DigestError,
  digestBytes,
  digestFile,
  parseAlgorithm,
  parseDigest,
} from "../../src/evidence/digest";

const hex = (spaced: string): string => "0x" + spaced.replace(/\s+/g, "");

describe("evidence digests", function () {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "govledger-digest-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe("algorithm ids", function () {
    it("uses the contract's numbers: SHA256 = 1, SM3 = 2, KECCAK256 = 3", function () {
      expect([DigestAlgorithm.SHA256, DigestAlgorithm.SM3, DigestAlgorithm.KECCAK256]).to.deep.equal([1, 2, 3]);
    });

    it("parses names case-insensitively, with aliases, and numeric ids", function () {
      expect(parseAlgorithm("SM3")).to.equal(DigestAlgorithm.SM3);
      expect(parseAlgorithm("sha-256")).to.equal(DigestAlgorithm.SHA256);
      expect(parseAlgorithm("keccak256")).to.equal(DigestAlgorithm.KECCAK256);
      expect(parseAlgorithm(3)).to.equal(DigestAlgorithm.KECCAK256);
      expect(parseAlgorithm("2")).to.equal(DigestAlgorithm.SM3);
    });

    it("names the known algorithms when the input is unknown", function () {
      expect(() => parseAlgorithm("md5")).to.throw(
        DigestError,
        /unknown digest algorithm "md5".*sha256 \(1\), sm3 \(2\), keccak256 \(3\)/,
      );
      expect(() => parseAlgorithm(9)).to.throw(DigestError, /unknown digest algorithm id 9/);
    });
  });

  describe("SM3 (GB/T 32905-2016 examples)", function () {
    it('hashes example 1, "abc"', function () {
      expect(digestBytes("abc", DigestAlgorithm.SM3)).to.equal(
        hex("66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0"),
      );
    });

    it('hashes example 2, "abcd" x 16 (64 bytes)', function () {
      expect(digestBytes("abcd".repeat(16), DigestAlgorithm.SM3)).to.equal(
        hex("debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732"),
      );
    });
  });

  describe("SHA-256 (FIPS 180-2 examples)", function () {
    it('hashes "abc"', function () {
      expect(digestBytes("abc", DigestAlgorithm.SHA256)).to.equal(
        hex("ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad"),
      );
    });

    it("hashes the 448-bit two-block message", function () {
      expect(digestBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", DigestAlgorithm.SHA256)).to.equal(
        hex("248d6a61 d20638b8 e5c02693 0c3e6039 a33ce459 64ff2167 f6ecedd4 19db06c1"),
      );
    });

    it('hashes one million "a"', function () {
      expect(digestBytes("a".repeat(1_000_000), DigestAlgorithm.SHA256)).to.equal(
        hex("cdc76e5c 9914fb92 81a1c7e2 84d73e67 f1809a48 a497200e 046d39cc c7112cd0"),
      );
    });
  });

  describe("Keccak-256 (Ethereum's, not SHA3-256)", function () {
    it("hashes the empty message", function () {
      expect(digestBytes("", DigestAlgorithm.KECCAK256)).to.equal(
        "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
      );
    });

    it('hashes "abc"', function () {
      expect(digestBytes("abc", DigestAlgorithm.KECCAK256)).to.equal(
        "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
      );
    });
  });

  describe("digestFile", function () {
    it("streams a multi-chunk file to the same digest as hashing it at once, reporting progress", async function () {
      // 5 MB plus an odd tail, so chunks do not line up with any block size.
      const content = randomBytes(5 * 1024 * 1024 + 12_345);
      const path = join(dir, "large.bin");
      writeFileSync(path, content);
      for (const algorithm of [DigestAlgorithm.SHA256, DigestAlgorithm.SM3, DigestAlgorithm.KECCAK256]) {
        const progress: number[] = [];
        expect(await digestFile(path, algorithm, (n) => progress.push(n))).to.equal(digestBytes(content, algorithm));
        expect(progress.length).to.be.greaterThan(1);
        expect(progress[progress.length - 1]).to.equal(content.length);
      }
    });

    it("hashes an empty file", async function () {
      const path = join(dir, "empty.bin");
      writeFileSync(path, "");
      expect(await digestFile(path, DigestAlgorithm.KECCAK256)).to.equal(digestBytes("", DigestAlgorithm.KECCAK256));
    });

    it("names the file and the reason when it does not exist", async function () {
      const path = join(dir, "missing.pdf");
      await expectRejection(digestFile(path, DigestAlgorithm.SM3), `cannot read file "${path}"`, /no such file/);
    });

    it("names the file and the reason when it is a directory", async function () {
      await expectRejection(digestFile(dir, DigestAlgorithm.SHA256), `"${dir}"`, /directory/);
    });

    it("names the file and the reason when a part of its path is a file", async function () {
      // Works for any user, root included (root reads files whatever their mode, so a chmod test cannot).
      const parent = join(dir, "plain.txt");
      writeFileSync(parent, "x");
      const path = join(parent, "child.bin");
      await expectRejection(digestFile(path, DigestAlgorithm.SHA256), `"${path}"`, /a part of the path is a file/);
    });
  });

  describe("parseDigest", function () {
    it("accepts 0x + 64 hex digits and lower-cases them", function () {
      expect(parseDigest("0x" + "AB".repeat(32))).to.equal("0x" + "ab".repeat(32));
    });

    it("refuses anything else, saying what a digest must look like", function () {
      for (const bad of ["", "ab".repeat(32), "0x" + "ab".repeat(31), "0x" + "zz".repeat(32), "0x" + "ab".repeat(33)]) {
        expect(() => parseDigest(bad, "file digest")).to.throw(
          DigestError,
          /file digest must be 0x followed by 64 hex digits/,
        );
      }
    });
  });
});

async function expectRejection(promise: Promise<unknown>, ...patterns: (string | RegExp)[]): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(DigestError);
  for (const pattern of patterns) {
    if (typeof pattern === "string") expect((error as Error).message).to.include(pattern);
    else expect((error as Error).message).to.match(pattern);
  }
}
