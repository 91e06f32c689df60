import { spawnSync } from "child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { Journal, JournalError, parseJournal, type RunInputs } from "../../src/evidence/journal";

const D1 = `0x${"11".repeat(32)}` as const;
const D2 = `0x${"22".repeat(32)}` as const;
const ROOT = `0x${"33".repeat(32)}` as const;
const TX = `0x${"44".repeat(32)}` as const;

const INPUTS: RunInputs = {
  paths: ["/data/contracts"],
  algorithm: "sha256",
  batchSize: 7,
  chainId: "31337",
  contract: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
  category: "0",
  businessRef: `0x${"00".repeat(32)}`,
  metadata: `0x${"00".repeat(32)}`,
};

describe("evidence journal (write-ahead, JSON lines)", function () {
  let dir: string;
  let file: string;

  beforeEach(function () {
    dir = mkdtempSync(path.join(os.tmpdir(), "govledger-journal-"));
    file = path.join(dir, "sub", ".journal.jsonl");
  });

  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  /** A journal with a whole run: two files hashed, one batch planned, anchored and bundled. */
  function writeRun(): void {
    const journal = Journal.open(file, INPUTS);
    journal.append({ type: "hashed", file: "/data/contracts/a.pdf", size: 3, mtimeMs: 1, digest: D1 });
    journal.append({ type: "hashed", file: "/data/contracts/b.pdf", size: 4, mtimeMs: 2, digest: D2 });
    journal.append({ type: "planned", batch: 0, root: ROOT, digests: [D1, D2] });
    journal.append({ type: "anchored", batch: 0, root: ROOT, txHash: TX, blockNumber: 9, blockTime: 1700000000 });
    journal.append({ type: "bundled", batch: 0 });
    journal.close();
  }

  it("creates its directory, records the run first, one JSON object per line", function () {
    writeRun();
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines.pop()).to.equal("");
    expect(lines.map((l) => JSON.parse(l).type)).to.deep.equal([
      "run",
      "hashed",
      "hashed",
      "planned",
      "anchored",
      "bundled",
    ]);
    expect(JSON.parse(lines[0])).to.deep.include({ type: "run", version: 1, inputs: INPUTS });
  });

  it("replays what was done: hashed files, planned, anchored and bundled batches", function () {
    writeRun();
    const journal = Journal.open(file, INPUTS);
    const s = journal.state;
    journal.close();
    expect(s.run).to.deep.equal(INPUTS);
    expect([...s.hashed.keys()]).to.deep.equal(["/data/contracts/a.pdf", "/data/contracts/b.pdf"]);
    expect(s.hashed.get("/data/contracts/b.pdf")).to.include({ size: 4, mtimeMs: 2, digest: D2 });
    expect(s.planned.get(0)).to.deep.include({ root: ROOT, digests: [D1, D2] });
    expect(s.batchOf.get(D2)).to.equal(0);
    expect(s.anchored.get(0)).to.include({ txHash: TX, blockNumber: 9 });
    expect([...s.bundled]).to.deep.equal([0]);
    expect(s.nextBatch).to.equal(1);
    expect(s.tornTail).to.equal(false);
    // Reopening a journal appends nothing: the run is recorded once.
    expect(readFileSync(file, "utf8").match(/"type":"run"/g)).to.have.lengthOf(1);
  });

  it("ignores a torn last line and cuts it off before the next append", function () {
    writeRun();
    const whole = readFileSync(file, "utf8");
    appendFileSync(file, '{"type":"planned","batch":1,"root":"0x12');
    const journal = Journal.open(file, INPUTS);
    expect(journal.state.tornTail).to.equal(true);
    expect(journal.state.planned.size).to.equal(1);
    journal.append({ type: "bundled", batch: 0 });
    journal.close();
    expect(readFileSync(file, "utf8")).to.equal(`${whole}${JSON.stringify({ type: "bundled", batch: 0 })}\n`);
    const reread = parseJournal(readFileSync(file, "utf8"));
    expect(reread.tornTail).to.equal(false);
    expect(reread.entries).to.have.lengthOf(7);
  });

  it("keeps a whole last entry that lost only its newline, and ends the line before appending", function () {
    writeRun();
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.slice(0, -1));
    const journal = Journal.open(file, INPUTS);
    expect(journal.state.bundled.has(0)).to.equal(true);
    journal.append({ type: "bundled", batch: 1 });
    journal.close();
    expect(parseJournal(readFileSync(file, "utf8")).entries).to.have.lengthOf(7);
  });

  it("refuses a journal broken before its last line", function () {
    writeRun();
    const lines = readFileSync(file, "utf8").split("\n");
    lines[2] = lines[2].slice(0, 10);
    writeFileSync(file, lines.join("\n"));
    expect(() => Journal.open(file, INPUTS)).to.throw(JournalError, /is corrupt at line 3 .*move it aside/);
  });

  it("refuses a run with other inputs, naming each difference", function () {
    writeRun();
    const other = { ...INPUTS, algorithm: "sm3", batchSize: 100, paths: ["/data/other"] };
    expect(() => Journal.open(file, other)).to.throw(
      JournalError,
      /belongs to another run \(paths \/data\/contracts then, \/data\/other now; algorithm sha256 then, sm3 now; batchSize 7 then, 100 now\): re-run with the same arguments/,
    );
    expect(() => Journal.open(file, { ...INPUTS, chainId: "1" })).to.throw(JournalError, /chainId 31337 then, 1 now/);
    // Nothing was appended by the refused opens.
    expect(parseJournal(readFileSync(file, "utf8")).entries).to.have.lengthOf(6);
  });

  it("is used by one run at a time; a lock left by a killed run is taken over", function () {
    const journal = Journal.open(file, INPUTS);
    expect(readFileSync(`${file}.lock`, "utf8")).to.equal(String(process.pid));
    expect(() => Journal.open(file, INPUTS)).to.throw(
      JournalError,
      new RegExp(`is in use by another run \\(process ${process.pid}\\): wait for it to finish`),
    );
    journal.close();
    expect(existsSync(`${file}.lock`)).to.equal(false);
    const gone = spawnSync(process.execPath, ["-e", ""]).pid!;
    writeFileSync(`${file}.lock`, String(gone));
    const resumed = Journal.open(file, INPUTS);
    expect(resumed.state.run).to.deep.equal(INPUTS);
    resumed.close();
    expect(existsSync(`${file}.lock`)).to.equal(false);
  });

  it("refuses entries without their run", function () {
    const orphan = path.join(dir, "orphan.jsonl");
    writeFileSync(orphan, JSON.stringify({ type: "bundled", batch: 0 }) + "\n");
    expect(() => Journal.open(orphan, INPUTS)).to.throw(JournalError, /does not start with its run/);
  });
});
