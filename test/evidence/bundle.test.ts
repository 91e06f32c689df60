import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import {
  BundleError,
  createBundle,
  parseBundle,
  verifyBundleOffline,
  type ProofBundle,
} from "../../src/evidence/bundle";
import { DigestAlgorithm, digestBytes } from "../../src/evidence/digest";
import { EvidenceMerkleTree } from "../../src/evidence/merkle";

const CONTENTS = ["contract A", "evaluation report", "patent certificate"];

function merkleBundle(): ProofBundle {
  const digests = CONTENTS.map((c) => digestBytes(c, DigestAlgorithm.SM3));
  const tree = EvidenceMerkleTree.of(digests);
  return createBundle({
    fileName: "evaluation-report.pdf",
    digest: digests[1],
    algorithm: DigestAlgorithm.SM3,
    anchor: "merkle-root",
    proof: tree.proof(1),
    root: tree.root,
    batchId: "7",
    chainId: 31337,
    contract: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    txHash: `0x${"ab".repeat(32)}`,
    blockNumber: 42,
    blockTime: 1_700_000_000,
  });
}

const withField = (bundle: ProofBundle, field: string, value: unknown): unknown => ({ ...bundle, [field]: value });

function problemsOf(input: unknown): string[] {
  try {
    parseBundle(input);
  } catch (error) {
    expect(error).to.be.instanceOf(BundleError);
    return (error as BundleError).problems;
  }
  throw new Error("expected parseBundle to refuse the bundle");
}

describe("evidence proof bundles", function () {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "govledger-bundle-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe("round trip", function () {
    it("survives JSON serialisation unchanged", function () {
      const bundle = merkleBundle();
      expect(parseBundle(JSON.stringify(bundle))).to.deep.equal(bundle);
      expect(bundle.format).to.equal("govledger-evidence-proof");
      expect(bundle.version).to.equal(1);
      expect(bundle.algorithm).to.deep.equal({ name: "sm3", id: 2 });
      expect(bundle.leafEncoding).to.equal("oz-standard-v1: keccak256(keccak256(abi.encode(bytes32)))");
    });

    it("verifies offline against the original file and against its digest", async function () {
      const bundle = merkleBundle();
      const path = join(dir, "evaluation-report.pdf");
      writeFileSync(path, CONTENTS[1]);
      expect(await verifyBundleOffline(bundle, path)).to.deep.equal({
        valid: true,
        digestMatches: true,
        proofReachesRoot: true,
      });
      expect(await verifyBundleOffline(bundle, bundle.digest.toUpperCase().replace("0X", "0x"))).to.include({
        valid: true,
      });
      expect(await verifyBundleOffline(bundle)).to.deep.equal({ valid: true, proofReachesRoot: true });
    });

    it("reports a different file as not matching", async function () {
      const path = join(dir, "forged.pdf");
      writeFileSync(path, "evaluation report, edited");
      expect(await verifyBundleOffline(merkleBundle(), path)).to.deep.equal({
        valid: false,
        digestMatches: false,
        proofReachesRoot: true,
      });
    });

    it("holds a single record without proof or root", async function () {
      const bundle = createBundle({
        digest: digestBytes("x", DigestAlgorithm.SHA256),
        algorithm: DigestAlgorithm.SHA256,
        anchor: "record",
        chainId: 1,
        contract: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        txHash: `0x${"cd".repeat(32)}`,
        blockNumber: 1,
        blockTime: 2,
        record: { recordId: "3", category: "contract", status: "valid" },
      });
      expect(bundle).to.not.have.property("leafEncoding");
      expect(await verifyBundleOffline(bundle, digestBytes("x", DigestAlgorithm.SHA256))).to.deep.equal({
        valid: true,
        digestMatches: true,
      });
    });
  });

  describe("strict parsing", function () {
    it("refuses text that is not JSON or not an object", function () {
      expect(problemsOf("{")[0]).to.match(/^not valid JSON/);
      expect(problemsOf("[]")).to.deep.equal(["a bundle must be a JSON object"]);
    });

    it("names every missing field at once", function () {
      const { digest: _d, chainId: _c, ...rest } = merkleBundle();
      expect(problemsOf(rest)).to.deep.equal([
        'missing field "digest" (0x + 64 lower-case hex digits)',
        'missing field "chainId" (a positive integer)',
      ]);
    });

    it("refuses another format or version", function () {
      expect(problemsOf(withField(merkleBundle(), "version", 2))).to.deep.equal([
        'field "version" must be 1 (this software reads version 1 only), got 2',
      ]);
      expect(problemsOf(withField(merkleBundle(), "format", "other"))[0]).to.match(/field "format" must be/);
    });

    it("refuses malformed hex, addresses and numbers", function () {
      const bundle = merkleBundle();
      expect(problemsOf(withField(bundle, "txHash", "0x1234"))).to.deep.equal([
        'field "txHash" must be 0x + 64 lower-case hex digits, got "0x1234"',
      ]);
      expect(problemsOf(withField(bundle, "contract", "0xnothex"))[0]).to.match(/field "contract" must be a 0x \+ 40/);
      expect(problemsOf(withField(bundle, "blockNumber", -1))[0]).to.match(
        /field "blockNumber" must be a non-negative/,
      );
      expect(problemsOf(withField(bundle, "proof", ["0x12"]))[0]).to.match(/field "proof" must be an array of/);
    });

    it("refuses an algorithm whose name and id disagree", function () {
      expect(problemsOf(withField(merkleBundle(), "algorithm", { name: "sm3", id: 1 }))[0]).to.match(
        /field "algorithm" must be/,
      );
    });

    it("refuses a proof that does not lead to the root", function () {
      const bundle = merkleBundle();
      const root = `0x${bundle.root!.slice(2, 65)}${bundle.root!.endsWith("0") ? "1" : "0"}`;
      expect(problemsOf(withField(bundle, "root", root))).to.deep.equal([
        "the proof does not lead from the digest's leaf to the root: digest, proof or root is wrong",
      ]);
    });
  });
});
