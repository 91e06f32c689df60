import { mkdtempSync, writeFileSync } from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { deployments, ethers } from "hardhat";
import { keccak256, toUtf8Bytes } from "ethers";
import { createBundle, type ProofBundle } from "../../src/evidence/bundle";
import { DigestAlgorithm, digestBytes } from "../../src/evidence/digest";
import { EvidenceMerkleTree } from "../../src/evidence/merkle";
import { GovLedger, deploymentFromRecords } from "../../src/sdk";
import { KEYS, consortium, govledger, govledgerJson, refuses, succeeds, writeDeploymentsRoot } from "./harness";

const DID = (id: bigint | number) => `did:govledger:31337:${id}`;
const IP_OFFICE = "Municipal Intellectual Property Office (市知识产权局)";
const IP_OFFICE_ACCOUNT = new ethers.Wallet(KEYS.councillor2).address;

describe("govledger evidence (CLI)", function () {
  let dir: string;

  /** A temp file with `text`; its path. */
  function file(name: string, text: string): string {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  }

  beforeEach(async function () {
    await consortium();
    dir = mkdtempSync(path.join(os.tmpdir(), "govledger-evidence-"));
    // The IP Office holds NOTARY: the registrar gives it an organisation DID (1), then anyone enrols it.
    await succeeds(
      ["identity", "register", "--kind", "organisation", "--commitment", keccak256(toUtf8Bytes("ip office"))].concat([
        "--key",
        IP_OFFICE_ACCOUNT,
      ]),
      KEYS.councillor1,
    );
    const enrolled = await govledgerJson(["evidence", "enrol", IP_OFFICE_ACCOUNT], KEYS.deployer);
    expect(enrolled).to.include({ account: IP_OFFICE_ACCOUNT, did: "1", didString: DID(1) });
  });

  it("notarizes a file with sha256 and sm3, shows and verifies it with its organisation", async function () {
    const contract = file("contract.pdf", "the contract, version 1");
    const sha = digestBytes("the contract, version 1", DigestAlgorithm.SHA256);
    const n = await govledgerJson(
      ["evidence", "notarize", contract, "--category", "7", "--ref", "case 42", "--metadata", "ipfs://contract"],
      KEYS.councillor2,
    );
    expect(n).to.include({
      digest: sha,
      did: DID(1),
      account: IP_OFFICE_ACCOUNT,
      algorithm: "sha256",
      category: "7",
      businessRef: keccak256(toUtf8Bytes("case 42")),
      metadata: keccak256(toUtf8Bytes("ipfs://contract")),
    });

    const other = file("annex.txt", "annex A");
    const sm3 = digestBytes("annex A", DigestAlgorithm.SM3);
    const text = await succeeds(["evidence", "notarize", other, "--algorithm", "SM3"], KEYS.councillor2);
    expect(text).to.match(new RegExp(`^notarized ${sm3} \\(sm3\\) by ${DID(1)} in block \\d+$`, "m"));

    const shown = await succeeds(["evidence", "show", contract]);
    expect(shown).to.match(new RegExp(`^digest\\s+${sha}$`, "m"));
    expect(shown).to.match(/^status\s+Valid$/m);
    expect(shown).to.match(new RegExp(`^tx\\s+${n.transactionHash}$`, "m"));
    expect(shown).to.match(new RegExp(`^business ref\\s+${keccak256(toUtf8Bytes("case 42"))}$`, "m"));

    const verified = await govledger(["evidence", "verify", contract]);
    expect(verified.code).to.equal(0);
    const out = verified.stdout.join("\n");
    expect(out).to.match(/^verdict\s+notarized \(valid\)$/m);
    expect(out).to.match(new RegExp(`^submitter\\s+${DID(1)} \\(${escape(IP_OFFICE)}\\)$`, "m"));
    expect(out).to.match(new RegExp(`^tx\\s+${n.transactionHash}$`, "m"));

    const json = await govledgerJson(["evidence", "verify", other]);
    expect(json).to.include({ verdict: "notarized", valid: true, digest: sm3, algorithm: "sm3" });
    expect(json.submitter).to.deep.include({ did: DID(1), organisation: { id: "2", name: IP_OFFICE } });
  });

  it("answers 1 for a tampered file: not found", async function () {
    const original = file("deed.txt", "deed of transfer");
    await succeeds(["evidence", "notarize", original], KEYS.councillor2);
    const tampered = file("deed-tampered.txt", "deed of transfer!");
    const run = await govledger(["evidence", "verify", tampered]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.deep.equal([]);
    expect(run.stdout.join("\n")).to.match(/^not found: no record of 0x[0-9a-f]{64} \(sha256\), .* on this chain$/);
  });

  it("supersedes a record: the old one verifies as superseded by the new (exit 1)", async function () {
    const v1 = file("v1.txt", "version 1");
    const v2 = file("v2.txt", "version 2");
    const [d1, d2] = [digestBytes("version 1", 1), digestBytes("version 2", 1)];
    await succeeds(["evidence", "notarize", v1], KEYS.councillor2);
    const s = await govledgerJson(["evidence", "supersede", d1, v2], KEYS.councillor2);
    expect(s).to.include({ oldDigest: d1, newDigest: d2, did: DID(1) });

    const run = await govledger(["evidence", "verify", d1]);
    expect(run.code).to.equal(1);
    expect(run.stdout.join("\n")).to.match(new RegExp(`^verdict\\s+superseded by ${d2}$`, "m"));
    expect((await govledger(["evidence", "verify", v2])).code).to.equal(0);

    const history = await govledgerJson<{ key: string; status: string }[]>(["evidence", "history", d2]);
    expect(history.map((h) => [h.key, h.status])).to.deep.equal([
      [d1, "Superseded"],
      [d2, "Valid"],
    ]);
  });

  it("revokes a record with a reason: verify says why (exit 1)", async function () {
    const doc = file("permit.txt", "permit 7");
    const digest = digestBytes("permit 7", 1);
    await succeeds(["evidence", "notarize", doc], KEYS.councillor2);
    const reason = keccak256(toUtf8Bytes("issued in error"));
    const r = await govledgerJson(["evidence", "revoke", digest, "--reason", "issued in error"], KEYS.councillor2);
    expect(r).to.include({ key: digest, byOrder: false, reasonHash: reason });

    const run = await govledger(["evidence", "verify", doc]);
    expect(run.code).to.equal(1);
    const out = run.stdout.join("\n");
    expect(out).to.match(/^verdict\s+revoked$/m);
    expect(out).to.match(new RegExp(`^revoked\\s+\\d{4}-.* by ${DID(1)}$`, "m"));
    expect(out).to.match(new RegExp(`^reason\\s+${reason}$`, "m"));
    const json = await govledger(["--json", "evidence", "verify", digest]);
    expect(json.code).to.equal(1);
    expect(JSON.parse(json.stdout.join("\n")).revocation).to.include({ byDid: DID(1), reasonHash: reason });
  });

  it("endorses a record with another DID", async function () {
    const digest = digestBytes("agreement", 1);
    await succeeds(["evidence", "notarize", digest], KEYS.councillor2);
    const registrar = new ethers.Wallet(KEYS.councillor1).address;
    const commitment = keccak256(toUtf8Bytes("science dept"));
    await succeeds(
      ["identity", "register", "--kind", "organisation", "--commitment", commitment, "--key", registrar],
      KEYS.councillor1,
    );
    const e = await govledgerJson(["evidence", "endorse", digest, "--note", "we agree"], KEYS.councillor1);
    expect(e).to.include({ key: digest, did: "2", didString: DID(2), noteHash: keccak256(toUtf8Bytes("we agree")) });
    const shown = await succeeds(["evidence", "show", digest]);
    expect(shown).to.match(new RegExp(`^endorsed by ${DID(2)} at \\d{4}-`, "m"));
  });

  describe("proof bundles", function () {
    let bundle: ProofBundle;
    let proof: string;

    beforeEach(async function () {
      const digests = ["p1", "p2", "p3"].map((p) => digestBytes(p, DigestAlgorithm.SHA256));
      const tree = EvidenceMerkleTree.of(digests);
      const deployment = deploymentFromRecords("testnet", 31337n, await deployments.all());
      const signer = new ethers.Wallet(KEYS.councillor2, ethers.provider);
      const gov = await GovLedger.connect(signer, deployment);
      const anchored = await gov.evidence.anchorRoot(tree.root, tree.length, { algorithm: "sha256" }).wait();
      const block = await ethers.provider.getBlock(anchored.blockNumber);
      bundle = createBundle({
        fileName: "p2.txt",
        digest: digests[1],
        algorithm: DigestAlgorithm.SHA256,
        anchor: "merkle-root",
        root: tree.root,
        proof: tree.proof(1),
        chainId: 31337,
        contract: gov.evidence.address,
        txHash: anchored.transactionHash as `0x${string}`,
        blockNumber: anchored.blockNumber,
        blockTime: block!.timestamp,
      });
      proof = file("p2.proof.json", JSON.stringify(bundle, null, 2));
    });

    it("verifies a bundle for a root anchored through the SDK (exit 0)", async function () {
      const run = await govledger(["evidence", "verify", proof]);
      expect(run.stderr).to.deep.equal([]);
      expect(run.code).to.equal(0);
      const out = run.stdout.join("\n");
      expect(out).to.match(/^verdict\s+notarized \(valid\)$/m);
      expect(out).to.match(new RegExp(`^anchor\\s+Merkle root ${bundle.root}$`, "m"));
      expect(out).to.match(new RegExp(`^submitter\\s+${DID(1)} \\(${escape(IP_OFFICE)}\\)$`, "m"));
      expect(out).to.match(new RegExp(`^tx\\s+${bundle.txHash}$`, "m"));

      const doc = file("p2.txt", "p2");
      const json = await govledgerJson(["evidence", "verify", proof, "--file", doc]);
      expect(json).to.include({ verdict: "notarized", valid: true, inRoot: true, digestMatches: true });
      const wrong = await govledger(["evidence", "verify", proof, "--file", file("p9.txt", "p9")]);
      expect(wrong.code).to.equal(1);
      expect(wrong.stdout.join("\n")).to.match(/^problems\s+the document does not hash to the bundle's digest$/m);
    });

    it("exits 2 for a bundle of another chain or contract", async function () {
      const otherChain = file("chain.json", JSON.stringify({ ...bundle, chainId: 5 }));
      await refuses(
        () => govledger(["evidence", "verify", otherChain]),
        /^govledger: the proof is for chain id 5, but this network is chain id 31337/,
        2,
      );
      const contract = "0x" + "12".repeat(20);
      const otherContract = file("contract.json", JSON.stringify({ ...bundle, contract }));
      await refuses(
        () => govledger(["evidence", "verify", otherContract]),
        new RegExp(`^govledger: the proof is for evidence contract ${contract}, but this deployment's`),
        2,
      );
    });

    it("exits 2 for a malformed proof, an unreadable file or a wrong network", async function () {
      const broken = file("broken.json", JSON.stringify({ ...bundle, chainId: "31337", proof: "none" }));
      await refuses(
        () => govledger(["evidence", "verify", broken]),
        /^govledger: invalid evidence proof bundle: - field "chainId" must be a positive integer.* - field "proof" must be/,
        2,
      );
      const truncated = file("truncated.json", JSON.stringify(bundle).slice(0, 80));
      await refuses(
        () => govledger(["evidence", "verify", truncated]),
        /^govledger: invalid evidence proof bundle: - not valid JSON/,
        2,
      );
      await refuses(
        () => govledger(["evidence", "verify", path.join(dir, "missing.pdf")]),
        /^govledger: ".*missing\.pdf" is neither a digest \(0x followed by 64 hex digits\) nor a readable file: no such file$/,
        2,
      );
      await refuses(() => govledger(["evidence", "verify", "0x1234"]), /^govledger: "0x1234" is neither a digest/, 2);
      await refuses(
        () => govledger(["evidence", "verify", file("doc.txt", "doc"), "--algorithm", "md5"]),
        /^govledger: unknown digest algorithm "md5"/,
        2,
      );
      await refuses(
        () => govledger(["evidence", "verify", proof, "--algorithm", "sm3"]),
        /^govledger: --algorithm goes with a document: a proof bundle names its own$/,
        2,
      );
      await refuses(
        () => govledger(["evidence", "verify"]),
        /^govledger: evidence verify: missing required argument/,
        2,
      );
      const wrongChain = await writeDeploymentsRoot("testnet", "1");
      await refuses(
        () => govledger(["evidence", "verify", proof], undefined, { root: wrongChain }),
        /wrong network: the node reports chain id 31337, the "testnet" deployment is on chain id 1/,
        2,
      );
    });
  });

  describe("refusals: one line, nothing sent", function () {
    it("refuses an unknown algorithm", async function () {
      const doc = file("a.txt", "a");
      await refuses(
        () => govledger(["evidence", "notarize", doc, "--algorithm", "md5"], KEYS.councillor2),
        /^govledger: unknown digest algorithm "md5"; known algorithms: sha256 \(1\), sm3 \(2\), keccak256 \(3\)$/,
      );
    });

    it("refuses an empty directory in bulk mode, sending nothing", async function () {
      const empty = mkdtempSync(path.join(os.tmpdir(), "govledger-empty-"));
      await refuses(
        () => govledger(["evidence", "notarize", empty], KEYS.councillor2),
        /^govledger: no files to notarize in ".*": the directories are empty$/,
      );
    });

    it("refuses a digest notarized twice, a non-notary, a bad category and a missing reason", async function () {
      const digest = digestBytes("once", 1);
      await succeeds(["evidence", "notarize", digest], KEYS.councillor2);
      await refuses(
        () => govledger(["evidence", "notarize", digest], KEYS.councillor2),
        new RegExp(`^govledger: EvidenceAlreadyNotarized: ${digest} was already notarized by DID 1 at .* — Verify`),
      );
      await refuses(
        () => govledger(["evidence", "notarize", digestBytes("x", 1)], KEYS.councillor3),
        /^govledger: EvidenceNotNotary: 0x90F79bf6EB2c4f870365E785982E1f101E93b906 may not notarize/,
      );
      await refuses(
        () => govledger(["evidence", "notarize", digest, "--category", "4294967296"], KEYS.councillor2),
        /^govledger: category "4294967296" is not valid: expected a whole number from 0 to 4294967295$/,
      );
      await refuses(
        () => govledger(["evidence", "revoke", digest], KEYS.councillor2),
        /^govledger: missing reason: pass --reason <text> or --reason-hash <hash>$/,
      );
      await refuses(
        () => govledger(["evidence", "show", digestBytes("nothing", 1)]),
        /^govledger: no evidence record of 0x[0-9a-f]{64}$/,
      );
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
