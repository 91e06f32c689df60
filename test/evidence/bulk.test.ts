import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { deployments, ethers } from "hardhat";
import { parseBundle, verifyBundleOffline } from "../../src/evidence/bundle";
import {
  BulkError,
  BulkInterruptedError,
  notarizeBulk,
  type BulkOptions,
  type BulkProgress,
} from "../../src/evidence/bulk";
import { DigestAlgorithm, DigestError, digestBytes } from "../../src/evidence/digest";
import { JournalError, parseJournal } from "../../src/evidence/journal";
import { GovLedger, deploymentFromRecords } from "../../src/sdk";
import { KEYS, govledger, refuses, writeDeploymentsRoot } from "../cli/harness";
import { evidenceFixture } from "../helpers/evidence";

const FIVE_MB = 5 * 1024 * 1024;

/**
 * A tree of 50 files: 45 distinct small documents in nested folders, 3 copies of some of them, an
 * empty file and a 5 MB file. Returns the files' paths relative to `root`.
 */
function writeTree(root: string, label = "doc"): string[] {
  const files: string[] = [];
  const put = (relative: string, content: string | Buffer) => {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), content);
    files.push(relative);
  };
  for (let i = 0; i < 45; i++) {
    const folder = ["", "2025/", "2025/q4/", "cases/42/"][i % 4];
    put(`${folder}${label}-${i}.txt`, `${label} ${i}: the contract text, version ${i}`);
  }
  put("copies/doc-3-copy.txt", `${label} 3: the contract text, version 3`);
  put("copies/doc-4-copy.txt", `${label} 4: the contract text, version 4`);
  put("2025/q4/doc-3-again.txt", `${label} 3: the contract text, version 3`);
  put("empty.txt", "");
  const big = Buffer.alloc(FIVE_MB, 7);
  big.write(`${label}: a large scan`);
  put("scans/large.tif", big);
  return files;
}

describe("evidence bulk notarization (in-process)", function () {
  let dir: string;
  let docs: string;
  let out: string;
  let gov: GovLedger;

  beforeEach(async function () {
    const m = await evidenceFixture();
    const deployment = deploymentFromRecords("hardhat", 31337n, await deployments.all());
    gov = await GovLedger.connect(m.notary, deployment);
    dir = mkdtempSync(path.join(os.tmpdir(), "govledger-bulk-"));
    docs = path.join(dir, "docs");
    out = path.join(dir, "proofs");
  });

  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  function options(extra: Partial<BulkOptions> = {}): BulkOptions {
    return {
      paths: [docs],
      out,
      algorithm: "sha256",
      batchSize: 8,
      chainId: 31337n,
      contract: gov.evidence.address,
      evidence: gov.evidence,
      ...extra,
    };
  }

  async function rootAnchoredCount(): Promise<number> {
    return (await gov.evidence.registry.queryFilter(gov.evidence.registry.filters.RootAnchored())).length;
  }

  it("notarizes a tree in batches; every file's bundle verifies offline and on chain; a re-run sends nothing", async function () {
    this.timeout(120_000);
    const files = writeTree(docs);
    const seen: BulkProgress[] = [];
    const r = await notarizeBulk(options({ onProgress: (p) => seen.push(p) }));

    expect(r).to.include({ files: 50, documents: 47, duplicates: 3, bundlesWritten: 50, algorithm: "sha256" });
    expect(r.bytes).to.be.greaterThan(FIVE_MB);
    expect(r.batches.map((b) => b.size)).to.deep.equal([8, 8, 8, 8, 8, 7]);
    expect(r.batches.every((b) => b.how === "sent")).to.equal(true);
    expect(r.skipped).to.deep.equal({ hashed: 0, anchored: 0, bundles: 0 });
    expect(await rootAnchoredCount()).to.equal(6);

    const last = seen[seen.length - 1];
    expect(last).to.include({ phase: "done", filesHashed: 50, filesTotal: 50, documentsAnchored: 47 });
    expect(last.bytesHashed).to.equal(r.bytes);
    expect(seen.some((p) => p.phase === "hash" && p.bytesHashed > 0 && p.bytesHashed < r.bytes)).to.equal(true);

    for (const relative of files) {
      const file = path.join(docs, relative);
      const bundle = parseBundle(readFileSync(path.join(out, `${relative}.proof.json`), "utf8"));
      expect(bundle.fileName).to.equal(path.basename(relative));
      expect(bundle.digest).to.equal(digestBytes(readFileSync(file), DigestAlgorithm.SHA256));
      expect((await verifyBundleOffline(bundle, file)).valid, relative).to.equal(true);
      const verdict = await gov.evidence.verifyProof(bundle, file);
      expect(verdict.problems, relative).to.deep.equal([]);
      expect(verdict).to.include({ valid: true, verdict: "notarized", inRoot: true, digestMatches: true });
    }
    // Copies share their original's leaf, each with its own bundle.
    const copy = parseBundle(readFileSync(path.join(out, "copies/doc-3-copy.txt.proof.json"), "utf8"));
    const original = parseBundle(readFileSync(path.join(out, "cases/42/doc-3.txt.proof.json"), "utf8"));
    expect([copy.digest, copy.root]).to.deep.equal([original.digest, original.root]);

    const height = await ethers.provider.getBlockNumber();
    const again = await notarizeBulk(options());
    expect(await ethers.provider.getBlockNumber()).to.equal(height);
    expect(again).to.include({ files: 50, documents: 47, bundlesWritten: 0 });
    expect(again.skipped).to.deep.equal({ hashed: 50, anchored: 6, bundles: 50 });
    expect(again.batches.map((b) => [b.root, b.txHash, b.how])).to.deep.equal(
      r.batches.map((b) => [b.root, b.txHash, "journaled"]),
    );
  });

  it("takes up new files on a re-run and rewrites a deleted bundle, sending only the new batch", async function () {
    mkdirSync(docs, { recursive: true });
    writeFileSync(path.join(docs, "a.txt"), "a");
    writeFileSync(path.join(docs, "b.txt"), "b");
    const first = await notarizeBulk(options());
    expect(first.batches).to.have.lengthOf(1);
    writeFileSync(path.join(docs, "c.txt"), "c");
    rmSync(path.join(out, "a.txt.proof.json"));
    const second = await notarizeBulk(options());
    expect(second.batches.map((b) => [b.size, b.how])).to.deep.equal([
      [2, "journaled"],
      [1, "sent"],
    ]);
    expect(second).to.include({ bundlesWritten: 2 });
    expect(second.skipped).to.deep.include({ hashed: 2, bundles: 1 });
    expect(await rootAnchoredCount()).to.equal(2);
  });

  it("finds a root an interrupted run sent but did not journal, instead of sending it again", async function () {
    writeTree(docs);
    const first = await notarizeBulk(options({ batchSize: 100 }));
    // The run died after the receipt, before its `anchored` line: drop that line and everything after it.
    const journal = path.join(out, ".journal.jsonl");
    const lines = readFileSync(journal, "utf8").split("\n");
    writeFileSync(
      journal,
      lines
        .slice(
          0,
          lines.findIndex((l) => l.includes('"anchored"')),
        )
        .join("\n") + "\n",
    );
    rmSync(path.join(out, "2025"), { recursive: true });
    const height = await ethers.provider.getBlockNumber();
    const again = await notarizeBulk(options({ batchSize: 100 }));
    expect(await ethers.provider.getBlockNumber()).to.equal(height);
    expect(again.batches.map((b) => [b.txHash, b.blockNumber, b.blockTime, b.how])).to.deep.equal(
      first.batches.map((b) => [b.txHash, b.blockNumber, b.blockTime, "found-on-chain"]),
    );
    expect(again.bundlesWritten).to.be.greaterThan(0);
    const bundle = parseBundle(readFileSync(path.join(out, "2025/doc-1.txt.proof.json"), "utf8"));
    expect((await gov.evidence.verifyProof(bundle, path.join(docs, "2025/doc-1.txt"))).valid).to.equal(true);
    expect(parseJournal(readFileSync(journal, "utf8")).entries.filter((e) => e.type === "anchored")).to.have.lengthOf(
      1,
    );
  });

  it("stops with a re-run message when the chain cannot be reached, then finishes", async function () {
    writeTree(docs);
    const unreachable = new BulkInterruptedError('cannot reach the "localhost" node at http://127.0.0.1:9');
    const stopped = await notarizeBulk(
      options({
        evidence: async () => {
          throw unreachable;
        },
      }),
    ).catch((e: Error) => e);
    expect(stopped).to.be.instanceOf(BulkInterruptedError);
    expect((stopped as Error).message).to.match(
      /^cannot reach the "localhost" node at http:\/\/127\.0\.0\.1:9, after hashing 50 files: nothing is lost, the progress is journaled in ".*\.journal\.jsonl"; re-run the same command to finish$/,
    );
    expect(await rootAnchoredCount()).to.equal(0);
    const r = await notarizeBulk(options());
    expect(r.skipped.hashed).to.equal(50);
    expect(r.bundlesWritten).to.equal(50);
  });

  describe("bad input: a clear error, nothing written, nothing sent", function () {
    async function refused(run: () => Promise<unknown>, type: new (...args: never[]) => Error, message: RegExp) {
      const height = await ethers.provider.getBlockNumber();
      const error = await run().then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error, "an error").to.be.instanceOf(type);
      expect(error!.message).to.match(message);
      expect(await ethers.provider.getBlockNumber(), "nothing sent").to.equal(height);
    }

    it("refuses an empty directory and writes no journal", async function () {
      mkdirSync(path.join(docs, "nothing", "here"), { recursive: true });
      await refused(
        () => notarizeBulk(options()),
        BulkError,
        /^no files to notarize in ".*docs": the directories are empty$/,
      );
      expect(existsSync(out)).to.equal(false);
    });

    it("refuses a tree with a broken link, and a path through a file, naming them", async function () {
      writeTree(docs);
      symlinkSync(path.join(docs, "gone.pdf"), path.join(docs, "2025", "link.pdf"));
      await refused(
        () => notarizeBulk(options()),
        BulkError,
        /^cannot read ".*docs\/2025\/link\.pdf": no such file or directory \(a broken link, or check the path\); nothing was notarized$/,
      );
      rmSync(path.join(docs, "2025", "link.pdf"));
      const through = path.join(docs, "doc-0.txt", "child.pdf");
      await refused(
        () => notarizeBulk(options({ paths: [docs, through] })),
        BulkError,
        /^cannot read ".*doc-0\.txt\/child\.pdf": a part of the path is a file/,
      );
      expect(existsSync(out)).to.equal(false);
    });

    it("refuses an unknown algorithm and a bad batch size", async function () {
      writeTree(docs);
      await refused(() => notarizeBulk(options({ algorithm: "md5" })), DigestError, /^unknown digest algorithm "md5"/);
      await refused(() => notarizeBulk(options({ batchSize: 0 })), BulkError, /^batch size 0 is not valid/);
      expect(existsSync(out)).to.equal(false);
    });

    it("refuses to resume a journal with other inputs", async function () {
      mkdirSync(docs, { recursive: true });
      writeFileSync(path.join(docs, "a.txt"), "a");
      await notarizeBulk(options());
      await refused(
        () => notarizeBulk(options({ algorithm: "sm3" })),
        JournalError,
        /belongs to another run \(algorithm sha256 then, sm3 now\): re-run with the same arguments/,
      );
    });
  });

  describe("CLI: govledger evidence notarize <directory>", function () {
    let root: string;

    beforeEach(async function () {
      root = await writeDeploymentsRoot();
    });

    it("notarizes a directory and prints a summary; --json gives the same result", async function () {
      writeTree(docs);
      const run = await govledger(
        ["evidence", "notarize", docs, "--out", out, "--batch-size", "20", "--category", "3", "--ref", "case 7"],
        KEYS.councillor2,
        { root },
      );
      expect(run.stderr, run.stderr.join("\n")).to.deep.equal([]);
      expect(run.code).to.equal(0);
      const text = run.stdout.join("\n");
      expect(text).to.match(/^notarized 50 files \(47 documents, 3 duplicates, 5\.\d MB, sha256\) in 3 batches$/m);
      expect(text).to.match(
        /^batch 3 {2}root 0x[0-9a-f]{64} {2}7 documents {2}tx 0x[0-9a-f]{64} {2}block \d+ {2}sent$/m,
      );
      expect(text).to.match(/^bundles\s+50 written to .*proofs, 0 already there$/m);
      expect(text).to.match(/^journal\s+.*proofs\/\.journal\.jsonl$/m);
      const record = await gov.evidence.record(run.stdout.join("\n").match(/root (0x[0-9a-f]{64})/)![1]);
      expect(record).to.deep.include({ kind: "Root", category: 3n, size: 20n });

      const again = await govledger(
        ["--json", "evidence", "notarize", docs, "--out", out, "--batch-size", "20"],
        KEYS.councillor2,
        {
          root,
        },
      );
      expect(again.code, again.stderr.join("\n")).to.equal(1);
      expect(again.stderr[0]).to.match(
        /belongs to another run \(category 3 then, 0 now; businessRef 0x[0-9a-f]+ then, 0x0+ now\)/,
      );
      const json = await govledger(
        [
          "--json",
          "evidence",
          "notarize",
          docs,
          "--out",
          out,
          "--batch-size",
          "20",
          "--category",
          "3",
          "--ref",
          "case 7",
        ],
        KEYS.councillor2,
        { root },
      );
      expect(json.code).to.equal(0);
      const summary = JSON.parse(json.stdout.join("\n"));
      expect(summary).to.deep.include({ files: 50, documents: 47, bundlesWritten: 0 });
      expect(summary.skipped).to.deep.equal({ hashed: 50, anchored: 3, bundles: 50 });
      expect(summary.batches).to.have.lengthOf(3);
    });

    it("refuses bad input with one line, sending nothing", async function () {
      mkdirSync(path.join(docs, "empty"), { recursive: true });
      await refuses(
        () => govledger(["evidence", "notarize", docs, "--out", out], KEYS.councillor2, { root }),
        /^govledger: no files to notarize in ".*docs": the directories are empty$/,
      );
      writeFileSync(path.join(docs, "a.txt"), "a");
      await refuses(
        () => govledger(["evidence", "notarize", docs, "--algorithm", "md5"], KEYS.councillor2, { root }),
        /^govledger: unknown digest algorithm "md5"/,
      );
      await refuses(
        () => govledger(["evidence", "notarize", docs, path.join(docs, "missing.pdf")], KEYS.councillor2, { root }),
        /^govledger: cannot read ".*missing\.pdf": no such file or directory/,
      );
      await refuses(
        () => govledger(["evidence", "notarize", docs, "--batch-size", "0"], KEYS.councillor2, { root }),
        /^govledger: batch size "0" is not valid/,
      );
      await refuses(
        () => govledger(["evidence", "notarize", docs], KEYS.councillor3, { root }),
        /^govledger: 0x90F79bf6EB2c4f870365E785982E1f101E93b906 is not an enrolled notary/,
      );
      await refuses(
        () =>
          govledger(["evidence", "notarize", path.join(docs, "a.txt"), "--batch-size", "5"], KEYS.councillor2, {
            root,
          }),
        /^govledger: --batch-size: only for bulk notarization \(several paths or a directory\), not for one document$/,
      );
      const wrongChain = await writeDeploymentsRoot("testnet", "1");
      await refuses(
        () => govledger(["evidence", "notarize", docs, "--out", out], KEYS.councillor2, { root: wrongChain }),
        /wrong network: the node reports chain id 31337, the "testnet" deployment is on chain id 1/,
      );
      await refuses(
        () =>
          govledger(["--network", "nosuch", "evidence", "notarize", docs], KEYS.councillor2, {
            bare: true,
            noProvider: true,
          }),
        /^govledger: unknown network "nosuch"/,
      );
      expect(existsSync(out)).to.equal(false);
    });
  });
});
