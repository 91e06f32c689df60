import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import os from "os";
import path from "path";
import { ethers } from "hardhat";
import { CSV_COLUMNS } from "../../src/audit";
import { StandInCurrency__factory } from "../../typechain-types";
import { govledger, refuses, writeDeploymentsRoot } from "../cli/harness";
import { demoChain, type DemoChain } from "./demo-run";

describe("govledger audit report", function () {
  let demo: DemoChain;
  let root: string;
  let tmp: string;
  const run = (args: string[], options: { root?: string } = {}) =>
    govledger(["audit", "report", ...args], undefined, { root: options.root ?? root });

  before(async function () {
    demo = await demoChain();
    root = await writeDeploymentsRoot();
    tmp = mkdtempSync(path.join(os.tmpdir(), "govledger-audit-"));
  });

  after(function () {
    rmSync(tmp, { recursive: true, force: true });
  });

  context("on the demo's blocks", function () {
    it("writes report.html, report.csv and report.json and prints the verdict as one JSON document", async function () {
      const out = path.join(tmp, "demo");
      const r = await run(["--json", "--from", "0", "--to", String(demo.head), "--out", out, "--page", "100"]);
      expect(r.stderr).to.deep.equal([]);
      expect(r.code).to.equal(0);
      const files = { html: "report.html", csv: "report.csv", json: "report.json" };
      const summary = JSON.parse(r.stdout.join("\n"));
      expect(summary).to.deep.include({
        network: "testnet",
        chainId: "31337",
        reconciled: true,
        mismatches: [],
        files: Object.fromEntries(Object.entries(files).map(([k, f]) => [k, path.join(out, f)])),
        evidence: { documents: 203, superseded: 1, revoked: 1 },
        claims: { issued: 5, revoked: 0 },
        achievements: { registered: 1, evaluated: 1, pledged: 1 },
        market: { listings: 1, deals: 1, licences: 1 },
      });
      expect(summary.range).to.deep.include({
        from: 0,
        to: demo.head,
        pageSize: 100,
        pages: Math.ceil((demo.head + 1) / 100),
      });
      const [token] = summary.settlement;
      expect(token.token.symbol).to.equal("e-CNY(test)");
      expect(token.escrow).to.deep.equal({
        in: { value: "90000000", display: "900000.00 e-CNY(test)" },
        out: { value: "90000000", display: "900000.00 e-CNY(test)" },
        balance: { value: "0", display: "0.00 e-CNY(test)" },
        difference: { value: "0", display: "0.00 e-CNY(test)" },
      });

      const report = JSON.parse(readFileSync(path.join(out, files.json), "utf8"));
      expect(report).to.include({ format: 1, network: "testnet", chainId: "31337", reconciled: true });
      expect(Object.keys(report)).to.include.members([
        "organisations",
        "evidence",
        "identity",
        "achievements",
        "market",
        "licences",
        "settlement",
        "mismatches",
      ]);
      expect(report.settlement.escrows[0].funded).to.deep.equal({
        value: "90000000",
        display: "900000.00 e-CNY(test)",
      });
      const csv = readFileSync(path.join(out, files.csv), "utf8").split("\r\n");
      expect(csv[0]).to.equal(CSV_COLUMNS.join(","));
      expect(csv).to.include("range,ledger,reconciled,1,true,,,");
      expect(csv).to.include(
        "token-ledger,e-CNY(test) " +
          demo.deployment.contracts.StandInCurrency +
          ",escrow.withdrawn,90000000,900000.00 e-CNY(test),,,",
      );
      expect(csv.filter((l) => l.startsWith("entry,")).length).to.equal(report.settlement.entries.length);
      const html = readFileSync(path.join(out, files.html), "utf8");
      expect(html).to.match(/^<!DOCTYPE html>/);
      expect(html).to.include("Reconciled: every token paid in is accounted for");
    });

    it("prints the figures and the verdict for people", async function () {
      const out = path.join(tmp, "text");
      const r = await run(["--from", "0", "--to", String(demo.head), "--out", out]);
      expect(r.stderr).to.deep.equal([]);
      expect(r.code).to.equal(0);
      expect(r.stdout[0]).to.match(
        new RegExp(
          `^audit report of testnet blocks 0–${demo.head} \\(${demo.head + 1} blocks in 1 page\\): \\d+ events by \\d+ organisations$`,
        ),
      );
      expect(r.stdout).to.include(
        "evidence      203 documents notarized (3 records, 1 roots, 0 batches), 1 superseded, 1 revoked",
      );
      expect(r.stdout).to.include("reconciled: every token paid in is accounted for, zero difference");
      expect(r.stdout.at(-1)).to.equal(
        `wrote ${path.join(out, "report.html")}, ${path.join(out, "report.csv")}, ${path.join(out, "report.json")}`,
      );
    });
  });

  context("when the ledger does not reconcile", function () {
    it("still writes the report, names each mismatch, and exits 1", async function () {
      const [deployer] = await ethers.getSigners();
      const currency = StandInCurrency__factory.connect(demo.deployment.contracts.StandInCurrency, deployer);
      await (await currency.mint(demo.deployment.contracts.SettlementEscrow, 50n)).wait();
      const block = await ethers.provider.getBlockNumber();
      const out = path.join(tmp, "mismatch");
      const r = await run(["--from", String(block), "--to", "latest", "--out", out]);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.deep.equal([]);
      expect(r.stdout).to.include("NOT RECONCILED: 2 mismatches");
      expect(
        r.stdout.some(
          (l) => l.includes(`SettlementEscrow balance of e-CNY(test)`) && l.endsWith("difference 0.50 e-CNY(test)"),
        ),
      ).to.equal(true);
      expect(
        r.stdout.some((l) =>
          /^ {2}tx 0x[0-9a-f]{64} \(block \d+\): .* into SettlementEscrow from 0x0{40} .*difference 0\.50 e-CNY\(test\)$/.test(
            l,
          ),
        ),
      ).to.equal(true);
      expect(JSON.parse(readFileSync(path.join(out, "report.json"), "utf8")).reconciled).to.equal(false);
      expect(readFileSync(path.join(out, "report.html"), "utf8")).to.include(
        '<p class="verdict bad">Not reconciled: 2 mismatches',
      );
    });
  });

  context("with bad input it prints one line, exits 1 and writes nothing", function () {
    const out = () => path.join(tmp, "refused");
    const refused = async (args: string[], problem: RegExp, options: { root?: string } = {}) => {
      await refuses(() => run([...args, "--out", out()], options), problem);
      expect(existsSync(out()), "the --out directory").to.equal(false);
    };

    it("refuses --from after --to", async function () {
      await refused(["--from", "10", "--to", "5"], /--from 10 is after --to 5: the range must run forwards/);
    });

    it("refuses a block beyond the chain's head", async function () {
      const head = await ethers.provider.getBlockNumber();
      await refused(
        ["--from", "0", "--to", String(head + 1000)],
        new RegExp(`to block ${head + 1000} is beyond the chain's head, block ${head}`),
      );
    });

    it("refuses block numbers and page sizes that are not whole numbers", async function () {
      await refused(["--from", "first", "--to", "5"], /--from "first" is not a block number/);
      await refused(["--from", "0", "--to", "-5"], /--to "-5" is not a block number/);
      await refused(
        ["--from", "0", "--to", "5", "--page", "0"],
        /--page "0" is not valid: expected a whole number of blocks from 1 to 1000000/,
      );
    });

    it("refuses a missing --from", async function () {
      await refused(["--to", "5"], /audit report: required option '--from <block>' not specified/);
    });

    it("refuses an --out it cannot write to", async function () {
      const file = path.join(tmp, "a-file");
      writeFileSync(file, "not a directory");
      await refuses(
        () => run(["--from", "0", "--to", "5", "--out", path.join(file, "report")]),
        /cannot write the report to ".*a-file\/report" \(.*a-file is not a directory\)/,
      );
      expect(readFileSync(file, "utf8")).to.equal("not a directory");
    });

    it("refuses a network without a deployment", async function () {
      const empty = mkdtempSync(path.join(os.tmpdir(), "govledger-audit-empty-"));
      try {
        await refused(["--from", "0", "--to", "5"], /no deployment for network "testnet"/, { root: empty });
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });

    it("refuses a --names file that is not a map of DIDs to names", async function () {
      const names = path.join(tmp, "names.json");
      writeFileSync(names, JSON.stringify({ "did:govledger:1:5": "Greenvolt" }));
      await refused(
        ["--from", "0", "--to", "5", "--names", names],
        /the --names file ".*names\.json" has key "did:govledger:1:5": /,
      );
      writeFileSync(names, "[1, 2]");
      await refused(["--from", "0", "--to", "5", "--names", names], /is not a JSON object of DID → name/);
    });
  });
});
