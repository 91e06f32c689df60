import { expect } from "chai";
import { newerOpcodes, requiredHardfork, stripMetadata, txGasCap } from "../../bench/lib/hardfork";
import { INTRINSIC_GAS, Sequence, calldataGas, measureOperation, median } from "../../bench/lib/measure";
import {
  EVIDENCE_NOTE,
  chainSection,
  formatGas,
  formatRatio,
  offchainSection,
  oursTable,
  peerTable,
  renderMarkdown,
  renderTable,
  resolveRows,
  resolveTargets,
  targetsTable,
  viewTable,
} from "../../bench/lib/report";
import type {
  BenchReport,
  ChainLoad,
  ChainThroughputReport,
  Measurement,
  OffchainReport,
  TargetSpec,
  ViewOperation,
} from "../../bench/lib/types";

function measurement(id: string, system: Measurement["system"], project: string, gas: number, items = 1): Measurement {
  return { id, system, project, label: id, items, gasRuns: [gas], gas, gasPerItem: gas / items };
}

function viewMeasurement(id: string, system: Measurement["system"], project: string, gas: number, calldata: number) {
  return { ...measurement(id, system, project, gas), kind: "view", calldataGas: calldata } satisfies Measurement;
}

/** The cells of line `line` of a rendered table, trimmed, without the outer pipes' empty cells. */
function cellsOf(table: string, line: number): string[] {
  return table
    .split("\n")
    [line].split("|")
    .map((c) => c.trim())
    .slice(1, -1);
}

describe("bench helpers", () => {
  describe("median", () => {
    it("takes the middle value of an odd count, whatever the order", () => {
      expect(median([300, 100, 200])).to.equal(200);
      expect(median([7])).to.equal(7);
    });

    it("averages the two middle values of an even count", () => {
      expect(median([4, 1, 3, 2])).to.equal(2.5);
      expect(median([10, 20])).to.equal(15);
    });

    it("leaves its input unsorted and refuses an empty list", () => {
      const runs = [3, 1, 2];
      median(runs);
      expect(runs).to.deep.equal([3, 1, 2]);
      expect(() => median([])).to.throw("median of no values");
    });
  });

  describe("formatting", () => {
    it("groups gas by thousands and rounds half-gas medians", () => {
      expect(formatGas(1_234_567)).to.equal("1,234,567");
      expect(formatGas(999)).to.equal("999");
      expect(formatGas(43_939.5)).to.equal("43,940");
      expect(formatGas(undefined)).to.equal("—");
    });

    it("prints ratios with fewer decimals as they grow", () => {
      expect(formatRatio(1.2345)).to.equal("1.23×");
      expect(formatRatio(0.5)).to.equal("0.50×");
      expect(formatRatio(12.345)).to.equal("12.3×");
      expect(formatRatio(123.4)).to.equal("123×");
      expect(formatRatio(undefined)).to.equal("—");
      expect(formatRatio(Infinity)).to.equal("—");
    });
  });

  describe("tables", () => {
    const floor = measurement("floor.record", "floor", "floor", 40_000);
    const eas = measurement("eas.timestamp", "peer", "EAS", 50_000);
    const ours = measurement("ours.notarize", "ours", "govledger", 25_000);
    const council = measurement("council.propose", "ours", "govledger", 400_000);
    const measurements = [floor, eas, ours, council];

    it("renders an aligned Markdown table, right-aligning numeric columns", () => {
      const table = renderTable(
        [
          { title: "name", align: "left" },
          { title: "gas", align: "right" },
        ],
        [["x", "12,345"]],
      );
      expect(table).to.equal(["| name |    gas |", "|------|-------:|", "| x    | 12,345 |"].join("\n"));
    });

    it("shows a row with a peer with both ratios", () => {
      const rows = resolveRows(
        [
          {
            module: "notarization",
            operation: "notarize",
            ours: "ours.notarize",
            peer: "eas.timestamp",
            floor: "floor.record",
          },
        ],
        measurements,
      );
      expect(rows[0].oursPerPeer).to.equal(0.5);
      const line = oursTable(rows).split("\n")[2];
      expect(line).to.match(
        /^\| notarization \| notarize +\| +25,000 \| EAS eas\.timestamp \| +50,000 \| +0\.50× \| +40,000 \| +0\.63× \|$/,
      );
    });

    it("shows a row without a peer with dashes in the peer columns", () => {
      const rows = resolveRows(
        [{ module: "consortium", operation: "propose", ours: "council.propose", floor: "floor.record" }],
        measurements,
      );
      expect(rows[0].oursPerPeer).to.equal(undefined);
      const cells = oursTable(rows)
        .split("\n")[2]
        .split("|")
        .map((c) => c.trim());
      expect(cells.slice(1, -1)).to.deep.equal(["consortium", "propose", "400,000", "—", "—", "—", "40,000", "10.0×"]);
    });

    it("compares batches per item and keeps peer rows out of the ours table", () => {
      const batch = measurement("eas.multi.10", "peer", "EAS", 270_000, 10);
      const floorBatch = measurement("floor.batch.10", "floor", "floor", 250_000, 10);
      const rows = resolveRows(
        [{ module: "notarization", operation: "multiTimestamp ×10", peer: "eas.multi.10", floor: "floor.batch.10" }],
        [batch, floorBatch],
      );
      expect(rows[0].items).to.equal(10);
      expect(rows[0].peerPerFloor).to.be.closeTo(1.08, 1e-9);
      expect(oursTable(rows).split("\n")).to.have.length(2);
      const cells = peerTable(rows)
        .split("\n")[2]
        .split("|")
        .map((c) => c.trim());
      expect(cells.slice(1, -1)).to.deep.equal([
        "notarization",
        "EAS",
        "multiTimestamp ×10",
        "10",
        "270,000",
        "27,000",
        "25,000",
        "1.08×",
      ]);
    });

    it("refuses a row that names an unknown measurement", () => {
      expect(() => resolveRows([{ module: "m", operation: "o", ours: "missing" }], measurements)).to.throw(
        'unknown measurement "missing"',
      );
    });
  });

  describe("views", () => {
    const floor = measurement("floor.record", "floor", "floor", 40_000);
    const issue = measurement("ours.issue", "ours", "govledger", 90_000);
    const ours = viewMeasurement("ours.hasValidClaim", "ours", "govledger", 12_000, 344);
    const peer = viewMeasurement("onchainid.isClaimValid", "peer", "ONCHAINID", 24_000, 2_808);
    const measurements = [floor, issue, ours, peer];
    const rows = resolveRows(
      [
        { module: "identity", operation: "issue", ours: "ours.issue", floor: "floor.record" },
        { module: "identity", operation: "hasValidClaim", ours: "ours.hasValidClaim", peer: "onchainid.isClaimValid" },
      ],
      measurements,
    );

    it("puts view rows in the views table only, with calldata and the ratio", () => {
      expect(rows.map((r) => r.kind)).to.deep.equal(["tx", "view"]);
      expect(rows[1].oursPerPeer).to.equal(0.5);
      expect(viewTable(rows).split("\n")).to.have.length(3);
      expect(cellsOf(viewTable(rows), 2)).to.deep.equal([
        "identity",
        "hasValidClaim",
        "12,000",
        "344",
        "ONCHAINID onchainid.isClaimValid",
        "24,000",
        "2,808",
        "0.50×",
      ]);
      expect(oursTable(rows).split("\n")).to.have.length(3);
      expect(cellsOf(oursTable(rows), 2)[1]).to.equal("issue");
      expect(
        peerTable(resolveRows([{ module: "m", operation: "o", peer: "onchainid.isClaimValid" }], measurements)),
      ).to.not.contain("onchainid");
    });

    it("renders the views table in BENCHMARKS.md under its own heading", () => {
      const report: BenchReport = {
        generatedAt: "2026-01-01T00:00:00.000Z",
        machine: "test machine",
        runs: 5,
        throughputOps: 50,
        compiler: "solc 0.8.28",
        evmVersion: "london",
        hardfork: "london",
        hardforkReason: "test",
        blockGasLimit: 30_000_000,
        txGasCap: 30_000_000,
        peers: [],
        measurements,
        rows,
      };
      const md = renderMarkdown(report);
      const views = md.slice(md.indexOf("## Views"), md.indexOf("## Peers vs the floor"));
      expect(views).to.contain("eth_estimateGas").and.to.contain("| identity | hasValidClaim |");
      expect(md.slice(0, md.indexOf("## Views"))).to.not.contain("| identity | hasValidClaim |");
    });

    it("explains the evidence rows under the ours-vs-peers table", () => {
      const md = renderMarkdown({
        generatedAt: "2026-01-01T00:00:00.000Z",
        machine: "test machine",
        runs: 5,
        throughputOps: 50,
        compiler: "solc 0.8.28",
        evmVersion: "london",
        hardfork: "london",
        hardforkReason: "test",
        blockGasLimit: 30_000_000,
        txGasCap: 30_000_000,
        peers: [],
        measurements,
        rows,
      });
      const ours = md.slice(md.indexOf("## Ours vs peers"), md.indexOf("## Views"));
      expect(ours).to.contain(EVIDENCE_NOTE);
      expect(EVIDENCE_NOTE).to.contain("anchorRoot").and.to.contain("verifyInRoot").and.to.contain("1,000,000");
    });

    it("refuses a row comparing a view with a transaction", () => {
      expect(() =>
        resolveRows(
          [{ module: "m", operation: "mixed", ours: "ours.hasValidClaim", peer: "ours.issue" }],
          measurements,
        ),
      ).to.throw('"mixed" compares a view with a transaction');
    });

    it("counts calldata gas per EIP-2028", () => {
      expect(calldataGas("0x")).to.equal(0);
      expect(calldataGas("0x00ff0001")).to.equal(4 + 16 + 4 + 16);
    });

    it("measures a view's estimateGas minus 21,000, median of fresh runs, and verifies each", async () => {
      const estimates = [30_000, 36_000, 33_000];
      const prepared: number[] = [];
      const verified: number[] = [];
      const op: ViewOperation = {
        id: "v",
        kind: "view",
        system: "ours",
        project: "govledger",
        label: "v",
        items: 1,
        throughput: false,
        prepare: async (seq) => {
          prepared.push(seq);
          const estimate = BigInt(estimates[prepared.length - 1]);
          return { data: "0x0000ffff", estimateGas: async () => estimate };
        },
        verify: async (seq) => {
          verified.push(seq);
        },
      };
      const seq = new Sequence();
      seq.take();
      const m = await measureOperation(op, { runs: 3, throughputOps: 10 }, seq);
      expect(prepared).to.deep.equal([1, 2, 3]);
      expect(verified).to.deep.equal([1, 2, 3]);
      expect(m.kind).to.equal("view");
      expect(m.gasRuns).to.deep.equal(estimates.map((e) => e - INTRINSIC_GAS));
      expect(m.gas).to.equal(33_000 - INTRINSIC_GAS);
      expect(m.calldataGas).to.equal(40);
      expect(m.txPerSecond).to.equal(undefined);
    });
  });

  describe("evidence off chain", () => {
    const offchain: OffchainReport = {
      batch: {
        docs: 1_000_000,
        treeSeconds: 7.9,
        totalSeconds: 8.5,
        docsPerSecond: 117_647,
        proofFileMB: 1413,
        verified: 100_000,
        verificationsPerSecond: 10_248,
        peakRssMB: 672,
      },
      targets: { docsPerSecond: { target: 100_000 }, verificationsPerSecond: { target: 100_000 } },
      hashing: { files: 4, fileMB: 64, mbPerSecond: { "govledger sm3 (streaming)": 315.2, sha256sum: "missing" } },
    };

    it("shows each figure beside its target and says which targets are not met", () => {
      const text = offchainSection(offchain);
      expect(text).to.match(/documents per second, end to end\s*\|\s*117,647 \|\s*100,000 \| met\s*\|/);
      expect(text).to.match(
        /offline proof verifications per second \(100,000 checked\)\s*\|\s*10,248 \|\s*100,000 \| \*\*not met\*\*/,
      );
      expect(text).to.match(/peak memory, RSS \(MB\)\s*\|\s*672 \|/);
      expect(text).to.match(/govledger sm3 \(streaming\)\s*\|\s*315 \|/);
      expect(text).to.match(/sha256sum\s*\|\s*missing \|/);
    });

    it("says when the off-chain figures were not measured", () => {
      expect(offchainSection(undefined)).to.equal("Not measured in this run (GOVLEDGER_BENCH_OFFCHAIN_DOCS=0).");
    });
  });

  describe("multi-node chain throughput", () => {
    const load = (name: string, sealed: number, docs: number, gas: number): ChainLoad => ({
      name,
      transactions: 2000,
      docsPerTransaction: docs,
      gasPerTransaction: gas,
      acceptedPerSecond: 900,
      sealedPerSecond: sealed,
      sustainedPerSecond: sealed + 100,
      docsPerSecond: sealed * docs,
      seconds: 2000 / sealed,
      blocks: 9,
      maxPerBlock: 480,
      medianPerBlock: 301,
      latencyMedianMs: 1420.5,
      latencyP95Ms: 2710,
      gasCeilingPerSecond: Math.floor(30_000_000 / gas),
      nodes: [0, 1, 2].map((node) => ({ node, cpuPercentOfOneCore: 40 + node, peakRssMB: 310 + node })),
    });
    const chain: ChainThroughputReport = {
      generatedAt: "2026-11-22T15:00:00.000Z",
      machine: "2 × cpu, 24 GiB, shared with other work",
      engine: "geth v1.13.15, Clique proof of authority",
      validators: 3,
      blockPeriodSeconds: 1,
      blockGasLimit: 30_000_000,
      gasPrice: 100,
      batch: 100,
      latency: { samples: 50, medianMs: 1210, p95Ms: 1980 },
      loads: [load("single notarizations", 233.4, 1, 63_210), load("Merkle batches", 20, 10_000, 64_000)],
      anchor: { name: "Hyperledger Besu, QBFT, 4 validators", tps: "750–1,200", workload: "a simple contract call" },
    };

    it("tabulates each load's rates, ceiling, block fill and latency, and each node's CPU and memory", () => {
      const text = chainSection(chain);
      expect(text).to.match(
        /\| single notarizations \|\s+2,000 \|\s+63,210 \|\s+900 \|\s+233\.4 \|\s+333\.4 \|\s+233\.4 \|\s+474 \|\s+301, 480 \|\s+1,420\.5 \/ 2,710 \|/,
      );
      expect(text).to.match(
        /\| Merkle batches\s+\|\s+2,000 \|\s+64,000 \|\s+900 \|\s+20 \|\s+120 \|\s+200,000 \|\s+468 \|/,
      );
      expect(text).to.match(/\| single notarizations\s+\|\s+40 %, 310 \|\s+41 %, 311 \|\s+42 %, 312 \|/);
      expect(text).to.include("median **1,210 ms**, p95 1,980 ms over 50 samples");
      expect(text).to.include("Hyperledger Besu, QBFT, 4 validators, 750–1,200 TPS for a simple contract call");
      expect(text).to.include("Ours reached 333.4 tx/s for single notarizations");
      expect(text).to.include("on 2026-11-22");
      expect(text).to.include(
        "the median block carried 301 of the 474 that fit its gas limit, and the busiest node used 42 % of a core.",
      );
      const full = { ...chain, loads: [{ ...chain.loads[0], medianPerBlock: 474 }, chain.loads[1]] };
      expect(chainSection(full)).to.include(
        "the median block carried 474 of the 474 that fit its gas limit, while no node used more than 42 % of a core: the block gas limit, not the engine, bounded it.",
      );
    });

    it("says how to measure it when it was never measured", () => {
      expect(chainSection(undefined)).to.equal("Not measured yet: run `npm run bench:chain`.");
    });
  });

  describe("hardfork detection", () => {
    it("finds PUSH0 as an opcode but not as PUSH data", () => {
      expect(newerOpcodes("0x5f")).to.deep.equal(["PUSH0"]);
      expect(newerOpcodes("0x605f00")).to.deep.equal([]);
      expect(newerOpcodes(`0x7f${"5f".repeat(32)}00`)).to.deep.equal([]);
      expect(newerOpcodes(`0x7f${"5f".repeat(32)}5e`)).to.deep.equal(["MCOPY"]);
    });

    it("ignores the CBOR metadata solc appends", () => {
      // Runtime `STOP`, then metadata {"solc": 0x00081c} (10 bytes) and its length 0x000a.
      const code = Buffer.from("00a164736f6c634300081c000a", "hex");
      expect(Buffer.from(stripMetadata(code)).toString("hex")).to.equal("00");
      // Metadata bytes a1 5f 5f would read as LOG1 PUSH0 PUSH0 if walked as code.
      expect(newerOpcodes("0x00a15f5f0003")).to.deep.equal([]);
      expect(newerOpcodes("0x00a15f5f")).to.deep.equal(["PUSH0"]);
    });

    it("names the oldest hardfork that runs all codes", () => {
      expect(requiredHardfork(["0x6001", "0x00"])).to.equal("london");
      expect(requiredHardfork(["0x5f", "0x00"])).to.equal("shanghai");
      expect(requiredHardfork(["0x5f", "0x5d"])).to.equal("cancun");
    });

    it("caps one transaction at 2^24 gas from osaka only", () => {
      expect(txGasCap("london", 30_000_000)).to.equal(30_000_000);
      expect(txGasCap("cancun", 60_000_000)).to.equal(60_000_000);
      expect(txGasCap("osaka", 60_000_000)).to.equal(16_777_216);
    });
  });

  describe("targets", function () {
    const specs: TargetSpec[] = [
      { module: "m", what: "single", how: "row a", limit: 100, figure: (gasOf) => gasOf("a") },
      {
        module: "m",
        what: "per extra item",
        how: "(b - a) / 3",
        limit: 10,
        figure: (gasOf) => ((gasOf("b") ?? NaN) - (gasOf("a") ?? NaN)) / 3,
      },
      { module: "m", what: "missing", how: "row z", limit: 5, figure: (gasOf) => gasOf("z") },
    ];
    const measurements = [measurement("a", "ours", "p", 90), measurement("b", "ours", "p", 130)];

    it("derives each figure from the medians and says whether it holds", function () {
      const targets = resolveTargets(specs, measurements);
      expect(targets.map((t) => [t.figure, t.met])).to.deep.equal([
        [90, true],
        [13, false],
        [undefined, undefined],
      ]);
    });

    it("renders the figure, the limit and a bold no for a missed target", function () {
      const table = targetsTable(resolveTargets(specs, measurements));
      expect(cellsOf(table, 0)).to.deep.equal(["module", "target", "figure (gas)", "limit", "met", "derived from"]);
      expect(cellsOf(table, 2)).to.deep.equal(["m", "single", "90", "100", "yes", "row a"]);
      expect(cellsOf(table, 3)).to.deep.equal(["m", "per extra item", "13", "10", "**no**", "(b - a) / 3"]);
      expect(cellsOf(table, 4)).to.deep.equal(["m", "missing", "—", "5", "—", "row z"]);
    });
  });
});
