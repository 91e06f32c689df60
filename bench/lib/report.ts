import type {
  ChainThroughputReport,
  BenchReport,
  Measurement,
  OffchainReport,
  ResolvedRow,
  ResolvedTarget,
  RowSpec,
  TargetSpec,
} from "./types";

/** Shown where a row has no value: no peer yet, or no floor. */
export const NONE = "—";

/** Whole gas with thousands separators ("43,210"), independent of the machine's locale. */
export function formatGas(gas: number | undefined): string {
  if (gas === undefined) return NONE;
  return Math.round(gas)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A ratio as "1.23×", with fewer decimals as it grows (the noise is in the last digits anyway). */
export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return NONE;
  const digits = ratio >= 100 ? 0 : ratio >= 10 ? 1 : 2;
  return `${ratio.toFixed(digits)}×`;
}

/** Operations per second, whole above 100 and with one decimal below. */
export function formatRate(rate: number | undefined): string {
  if (rate === undefined) return NONE;
  return rate >= 100 ? Math.round(rate).toString() : rate.toFixed(1);
}

/** "EAS multiTimestamp" for a peer, "ours" style labels unchanged; a quoted figure says so. */
export function describe(m: Measurement | undefined): string {
  if (!m) return NONE;
  return m.quoted ? `${m.quoted.source} (quoted, not measured)` : `${m.project} ${m.label}`;
}

function ratio(a: Measurement | undefined, b: Measurement | undefined): number | undefined {
  return a && b ? a.gasPerItem / b.gasPerItem : undefined;
}

/** Looks up each row's measurements by id and computes its per-item ratios. */
export function resolveRows(specs: readonly RowSpec[], measurements: readonly Measurement[]): ResolvedRow[] {
  const byId = new Map(measurements.map((m) => [m.id, m]));
  const find = (id: string | undefined): Measurement | undefined => {
    if (id === undefined) return undefined;
    const m = byId.get(id);
    if (!m) throw new Error(`benchmark row names unknown measurement "${id}"`);
    return m;
  };
  return specs.map((spec) => {
    const ours = find(spec.ours);
    const peer = find(spec.peer);
    const floor = find(spec.floor);
    const present = [ours, peer, floor].filter((m): m is Measurement => m !== undefined);
    const views = present.filter((m) => m.kind === "view").length;
    if (views !== 0 && views !== present.length) {
      throw new Error(`benchmark row "${spec.operation}" compares a view with a transaction`);
    }
    return {
      kind: views === 0 ? "tx" : "view",
      module: spec.module,
      operation: spec.operation,
      items: (ours ?? peer ?? floor)?.items ?? 1,
      ours,
      peer,
      floor,
      oursPerPeer: ratio(ours, peer),
      oursPerFloor: ratio(ours, floor),
      peerPerFloor: ratio(peer, floor),
    };
  });
}

/** A table column: its title and which side its cells hug. */
export interface Column {
  title: string;
  align: "left" | "right";
}

const left = (title: string): Column => ({ title, align: "left" });
const right = (title: string): Column => ({ title, align: "right" });

/** Renders a Markdown table padded to aligned columns, so the same text reads well in a terminal. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(3, c.title.length, ...rows.map((r) => (r[i] ?? "").length)));
  const pad = (text: string, i: number): string =>
    columns[i].align === "right" ? text.padStart(widths[i]) : text.padEnd(widths[i]);
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => pad(c, i)).join(" | ")} |`;
  // The separator spans each cell's padding too; a trailing colon right-aligns the column.
  const rule = columns.map((c, i) =>
    c.align === "right" ? `${"-".repeat(widths[i] + 1)}:` : "-".repeat(widths[i] + 2),
  );
  return [line(columns.map((c) => c.title)), `|${rule.join("|")}|`, ...rows.map((r) => line(r))].join("\n");
}

/** Holds each target's figure, derived from the medians of `measurements`, against its limit. */
export function resolveTargets(specs: readonly TargetSpec[], measurements: readonly Measurement[]): ResolvedTarget[] {
  const byId = new Map(measurements.map((m) => [m.id, m.gasPerItem]));
  return specs.map((t) => {
    const figure = t.figure((id) => byId.get(id));
    const rounded = figure === undefined ? undefined : Math.round(figure);
    return {
      module: t.module,
      what: t.what,
      how: t.how,
      limit: t.limit,
      ...(rounded === undefined ? {} : { figure: rounded, met: rounded <= t.limit }),
    };
  });
}

/** The targets table: figure, limit and whether it holds. */
export function targetsTable(targets: readonly ResolvedTarget[]): string {
  return renderTable(
    [left("module"), left("target"), right("figure (gas)"), right("limit"), left("met"), left("derived from")],
    targets.map((t) => [
      t.module,
      t.what,
      formatGas(t.figure),
      formatGas(t.limit),
      t.met === undefined ? NONE : t.met ? "yes" : "**no**",
      t.how,
    ]),
  );
}

/** "propose" for a single operation, "multiTimestamp (per item, batch of 100)" for a batch. */
function operationLabel(row: ResolvedRow): string {
  return row.items > 1 ? `${row.operation} (per item, batch of ${row.items})` : row.operation;
}

/** The ours-vs-peer table: rows that measure one of our operations. Gas is per item. */
export function oursTable(rows: readonly ResolvedRow[]): string {
  const columns = [
    left("module"),
    left("operation"),
    right("ours (gas)"),
    left("peer"),
    right("peer (gas)"),
    right("ours/peer"),
    right("floor (gas)"),
    right("ours/floor"),
  ];
  const cells = rows
    .filter((r) => r.kind === "tx" && r.ours)
    .map((r) => [
      r.module,
      operationLabel(r),
      formatGas(r.ours?.gasPerItem),
      describe(r.peer),
      formatGas(r.peer?.gasPerItem),
      formatRatio(r.oursPerPeer),
      formatGas(r.floor?.gasPerItem),
      formatRatio(r.oursPerFloor),
    ]);
  return renderTable(columns, cells);
}

/** The peer table: rows of a peer against the floor, with batches broken down per item. */
export function peerTable(rows: readonly ResolvedRow[]): string {
  const columns = [
    left("module"),
    left("peer"),
    left("operation"),
    right("items/tx"),
    right("gas/tx"),
    right("gas/item"),
    right("floor (gas/item)"),
    right("peer/floor"),
  ];
  const cells = rows
    .filter((r) => r.kind === "tx" && !r.ours && r.peer)
    .map((r) => [
      r.module,
      r.peer?.project ?? NONE,
      r.operation,
      String(r.items),
      formatGas(r.peer?.gas),
      formatGas(r.peer?.gasPerItem),
      formatGas(r.floor?.gasPerItem),
      formatRatio(r.peerPerFloor),
    ]);
  return renderTable(columns, cells);
}

/**
 * The views table: rows of views, by execution gas (eth_estimateGas minus 21,000), with how much of
 * it is calldata, since a view's arguments (a signature and the claim's data, say) weigh on it.
 */
export function viewTable(rows: readonly ResolvedRow[]): string {
  const columns = [
    left("module"),
    left("view"),
    right("ours (exec gas)"),
    right("of which calldata"),
    left("peer"),
    right("peer (exec gas)"),
    right("of which calldata"),
    right("ours/peer"),
  ];
  const cells = rows
    .filter((r) => r.kind === "view")
    .map((r) => [
      r.module,
      r.operation,
      formatGas(r.ours?.gasPerItem),
      formatGas(r.ours?.calldataGas),
      describe(r.peer),
      formatGas(r.peer?.gasPerItem),
      formatGas(r.peer?.calldataGas),
      formatRatio(r.oursPerPeer),
    ]);
  return renderTable(columns, cells);
}

/**
 * The throughput table. "vs floor" is the median of per-round ratios to a floor round run just
 * before (see measureOperation), not a ratio of the two medians: the machines here are noisy.
 */
export function throughputTable(measurements: readonly Measurement[]): string {
  const timed = measurements.filter((m) => m.txPerSecond !== undefined);
  const columns = [left("project"), left("operation"), right("tx/s"), right("vs floor")];
  const cells = timed.map((m) => [
    m.project,
    m.label,
    formatRate(m.txPerSecond),
    formatRatio(m.system === "floor" ? 1 : m.txPerSecondVsFloor),
  ]);
  return renderTable(columns, cells);
}

/** What the identity rows measure, printed under the ours-vs-peers table. */
export const IDENTITY_NOTE = `Identity rows: every claim goes to a DID registered for its run (untimed), so "issue a claim" is the first claim of its topic about a new subject; a renewal (a later claim of the same topic) has its own row. The batch rows issue each claim to a different new subject too, so their per-item figure is the honest per-claim cost, not that of one subject's storage re-used; the renewal batch is the other case. The issuer is an organisation DID accredited for the topic by the council (the Council contract, impersonated in set-up), as in production. Revoking takes a claim issued for the run; a key rotation is sent by a new DID's own key and hands over to a never-used key, like ethr-did's changeOwner of a new DID. Consent rows: a new subject grants each consent, and each receipt cites a consent granted for it. Our contracts run behind their ERC-1967 proxies, as deployed; the peers run bare, so each of our calls also pays the proxy's DELEGATECALL and its cold reads (about 4,900 gas: a cold read of the implementation slot and a cold call to it).`;

/** What the evidence rows measure, printed under the ours-vs-peers table. */
export const EVIDENCE_NOTE = `Evidence rows: the notary is the founding member holding the NOTARY role (the IP Office), given an organisation DID by the registrar and enrolled in set-up, as in production; a warm-up notarization and batch are left in place, so the measured batches do not write the batch counter from zero. Each run notarizes fresh digests with realistic inputs: algorithm SHA-256, a category, a non-zero business reference and a non-zero metadata hash (both emitted in the event, not stored); a second row passes zero metadata. EAS \`timestamp\` records the digest alone. An indexed batch stores one record per digest, each looked up directly afterwards, against EAS \`multiTimestamp\` of as many digests. A Merkle batch stores only its root: \`anchorRoot\` writes one record whatever the number of documents, so its gas does not depend on the size (per document, divide by the size). The 1,000-document row anchors the root of a real OpenZeppelin standard tree built for the run; the 1,000,000-document row anchors a random root with size 1,000,000, as no tree is built (the contract stores the root and the number, nothing per document). Supersede, revoke, revokeDocument and endorse act on a record or root made for the run, untimed. Revoking and endorsing read the caller's DID and its status from the identity module (two calls through its proxy), and each writes a revocation or an endorsement of two slots; a correction writes the new record and both links. The proof-check views call \`verifyInRoot(root, digest, proof)\` with a valid hand-built path of 20 siblings (a tree of about a million documents) or 10, to a root anchored for the run: the leaf is keccak256(keccak256(abi.encode(digest))) and each level the sorted-pair keccak256 of OpenZeppelin's MerkleProof, so the view costs one read of the root's record and one hash per level, plus the proof's calldata (32 bytes per level), shown apart; \`recordOf\` reads one record. The EvidenceRegistry is deliberately not upgradeable and runs without a proxy, so its rows pay no DELEGATECALL.`;

/** What the views table measures, printed above it. */
export const VIEWS_NOTE = `Execution gas of read-only calls, what a contract pays to ask: \`eth_estimateGas\` minus the 21,000 intrinsic gas of a transaction, median of the runs, each on inputs made for that run (a claim issued, a root anchored). It includes the calldata gas of the arguments, shown apart, and for ours the margin the proxy's DELEGATECALL needs under the 63/64 rule (a few hundred gas). ONCHAINID's \`isClaimValid(identity, topic, signature, data)\` checks the issuer's signature (one ecrecover) and that it is not revoked, on a signature and data the caller passes (read from the identity first, with \`getClaim\`); ours read the claim's status, validity window and the issuer's current accreditation from storage, given only the DID and topic, or the claim id. Our evidence views have no peer row: EAS keeps no Merkle roots and checks no proofs on chain. Ours/peer below 1 means we are cheaper.`;

/** The evidence module's off-chain figures: one Merkle batch end to end, proof checks, file hashing. */
export const ACHIEVEMENT_NOTE = `Achievement rows: every registration row gives its first owner a new DID and a new account, so ours and the ERC-721 floor both mint to an account holding no token (the first token of a holder writes its balance from zero); the "already holding" rows mint to a holder of tokens. The registrar (the Science Dept, REGISTRAR role) and the evaluator (accredited through a claim of the council-named evaluator topic) are enrolled once in set-up, as in production, so each call checks its caller with one storage read. A registration stores one core slot (the token's owner with the achievement's state), the owners three to a word, the inventors four to a word and one slot per external id, and emits the registration as submitted. Molecule's IP-NFT publishes no npm package with its bytecode, so its reserve+mint is quoted from the issue (about 153,000 gas), not measured. Consented changes and pledges carry EIP-712 signatures checked on chain; the ERC-721 transfer floor is OpenZeppelin 5.1's transferFrom.`;

/** What the trade rows measure, printed under the ours-vs-peers table. */
export const TRADE_NOTE = `Trade rows: the licence market, the settlement escrow and the licence register as deployed (the market and the escrow hold money and run without a proxy; the registry, the identity module and the licence register behind theirs). Every run lists a patent registered for it (untimed) by the university (an organisation DID; a broker lists under its TRADE mandate), published by the Technology Exchange Centre with a 3 % fee and bought by a company, for 1,000,000.00 of the stand-in currency (OpenZeppelin 5.1's ERC20Permit). A step row plays the deal's earlier steps untimed, then times that step alone; a "whole" row sums the gasUsed of all the deal's transactions from the listing to the last withdrawal (median of the runs' sums). The buyer's ERC-20 allowance is given beforehand, untimed, in every whole deal, as Molecule's fulfill needs one too; "fund by approve" shows it. The minimal deal (1 owner, no inventor, 1 instalment: list, publish, buy, confirmDeal, fund, confirm, 2 withdrawals) is the like-for-like comparison with Molecule's IP-NFT marketplace (SchmackoSwap) list + fulfill, which publishes no npm package with its bytecode: its figure (206,000 gas) is quoted as reported upstream, not measured, and has no escrow, milestones, splits, licence record, nor the approvals either side gives first; ours also records the licence, marks the achievement listed and licensed, and pays out by pull. The full deal adds a co-owner (70/30), who approves, two inventors (10 %) and two instalments (30 %, 70 %). Each payee withdraws its whole balance after the last release; before each run every payee's escrow balance is withdrawn (untimed), so credits start from zero as after a payout, and the warm-ups (deals played to the end, an escrow left funded and owing, a permit of the buyer's, an auction deposit left registered) keep every counter and token balance non-zero, as in a working market. Escrow rows open escrows as the centre, each run with new DIDs for the extra holders and inventors. Negotiated deals wait out the 15-day notice and auctions their deadline (the clock moved, untimed). Feature costs in the targets are differences of these rows; issue 6 sets no limit in gas, so the trade targets are set from these measurements, rounded up, to catch a deal grown dearer. The deal's re-checks and its licence record cannot be sent apart from confirmDeal: their rows are the gas the full deal's confirmDeal spends on them, read from its debug trace (the re-checks: from the market's first call to the registry to its first storage write after it; the licence record: the call to recordFor); the licence register's record, sent on its own, has a row too. Floors: an ERC-20 transfer to an account already holding the currency (what a pull payment's withdrawal ends in) and a transferFrom of the whole allowance (what a funding ends in).`;

export function offchainSection(o: OffchainReport | undefined): string {
  if (!o) return "Not measured in this run (GOVLEDGER_BENCH_OFFCHAIN_DOCS=0).";
  const b = o.batch;
  const met = (value: number, target: number) => (value >= target ? "met" : "**not met**");
  const count = (n: number) => Math.round(n).toLocaleString("en-US");
  const batch = renderTable(
    [
      { title: "measure", align: "left" },
      { title: "figure", align: "right" },
      { title: "target", align: "right" },
      { title: "", align: "left" },
    ],
    [
      ["documents in one batch", count(b.docs), "", ""],
      ["tree build (s)", b.treeSeconds.toFixed(2), "", ""],
      ["end to end: digests → tree → root → one JSON proof line per document (s)", b.totalSeconds.toFixed(2), "", ""],
      [
        "documents per second, end to end",
        count(b.docsPerSecond),
        count(o.targets.docsPerSecond.target),
        met(b.docsPerSecond, o.targets.docsPerSecond.target),
      ],
      [
        `offline proof verifications per second (${count(b.verified)} checked)`,
        count(b.verificationsPerSecond),
        count(o.targets.verificationsPerSecond.target),
        met(b.verificationsPerSecond, o.targets.verificationsPerSecond.target),
      ],
      ["proof file (MB)", b.proofFileMB.toFixed(0), "", ""],
      ["peak memory, RSS (MB)", b.peakRssMB.toFixed(0), "", ""],
    ],
  );
  const hashing = renderTable(
    [
      { title: "tool", align: "left" },
      { title: "MB/s", align: "right" },
    ],
    Object.entries(o.hashing.mbPerSecond).map(([tool, rate]) => [
      tool,
      typeof rate === "number" ? rate.toFixed(0) : rate,
    ]),
  );
  return `One core, run as its own process (\`bench/evidence-offchain.ts\`, also runnable alone). The batch is the
bulk notarization's path without the chain: random digests → OpenZeppelin-compatible tree → root → every
document's proof written as one JSON line to a file under out/; then proofs are checked offline against the root.

${batch}

File hashing, ${o.hashing.files} files of ${o.hashing.fileMB} MB, streamed, beside the system's tools on the same files:

${hashing}`;
}

/** The multi-node chain's figures (bench/chain-throughput.ts), beside a published anchor of another engine. */
export function chainSection(c: ChainThroughputReport | undefined): string {
  if (!c) return "Not measured yet: run `npm run bench:chain`.";
  const n = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 1 });
  const loads = renderTable(
    [
      { title: "load", align: "left" },
      { title: "transactions", align: "right" },
      { title: "gas / tx", align: "right" },
      { title: "accepted tx/s", align: "right" },
      { title: "sealed tx/s", align: "right" },
      { title: "sustained tx/s", align: "right" },
      { title: "documents/s", align: "right" },
      { title: "gas ceiling tx/s", align: "right" },
      { title: "tx / block (median, max)", align: "right" },
      { title: "send → sealed, median / p95 (ms)", align: "right" },
    ],
    c.loads.map((l) => [
      l.name,
      n(l.transactions),
      n(l.gasPerTransaction),
      n(l.acceptedPerSecond),
      n(l.sealedPerSecond),
      n(l.sustainedPerSecond),
      n(l.docsPerSecond),
      n(l.gasCeilingPerSecond),
      `${n(l.medianPerBlock)}, ${n(l.maxPerBlock)}`,
      `${n(l.latencyMedianMs)} / ${n(l.latencyP95Ms)}`,
    ]),
  );
  const nodes = renderTable(
    [
      { title: "load", align: "left" },
      ...c.loads[0].nodes.map((x) => ({
        title: `node ${x.node}: CPU % of a core, peak RSS MB`,
        align: "right" as const,
      })),
    ],
    c.loads.map((l) => [l.name, ...l.nodes.map((x) => `${n(x.cpuPercentOfOneCore)} %, ${n(x.peakRssMB)}`)]),
  );
  const best = Math.max(c.loads[0].sustainedPerSecond, c.loads[0].sealedPerSecond);
  const single = c.loads[0];
  const cpu = Math.max(...single.nodes.map((x) => x.cpuPercentOfOneCore));
  const bound =
    single.medianPerBlock >= single.gasCeilingPerSecond * c.blockPeriodSeconds * 0.95
      ? `Under the single-notarization load the median block carried ${n(single.medianPerBlock)} of the ${n(single.gasCeilingPerSecond * c.blockPeriodSeconds)} that fit its gas limit, while no node used more than ${n(cpu)} % of a core: the block gas limit, not the engine, bounded it.`
      : `Under the single-notarization load the median block carried ${n(single.medianPerBlock)} of the ${n(single.gasCeilingPerSecond * c.blockPeriodSeconds)} that fit its gas limit, and the busiest node used ${n(cpu)} % of a core.`;
  return `Measured by \`npm run bench:chain\` (bench/chain-throughput.ts) on ${c.generatedAt.slice(0, 10)}: a fresh ${c.engine} network of ${c.validators} validators on loopback (\`npm run chain\`'s genesis: ${c.blockPeriodSeconds} s blocks, block gas limit ${formatGas(c.blockGasLimit)}, london rules), the whole suite deployed, one notary account sending transactions signed beforehand (a Merkle batch's tree is built and signed inside the timed window) at gas price ${c.gasPrice} wei to node 0, in JSON-RPC batches of ${c.batch}, one batch at a time so the nonces arrive in order; blocks are watched on node 1. Machine: ${c.machine}; all three nodes and the load generator share it, so these are a floor for a real consortium, where each organisation runs its node on its own server.

Closed loop, one notarization at a time, send → receipt on the node sent to: median **${n(c.latency.medianMs)} ms**, p95 ${n(c.latency.p95Ms)} ms over ${c.latency.samples} samples (a transaction waits for the next block: about one block period, plus up to one more when it arrives while a block is being sealed).

${loads}

"sealed tx/s" runs from the first transaction sent to the last one seen in a block, so it includes the wait for the first block; "sustained tx/s" divides by the block time from the first block carrying the load to the last. "gas ceiling tx/s" is how many such transactions one block's gas limit holds, per second of block period: the chain's bound for that operation, whatever the engine's speed. Documents per second through Merkle batches include building each batch's tree.

${nodes}

${bound}

Beside a published anchor: ${c.anchor.name}, ${c.anchor.tps} TPS for ${c.anchor.workload}. Ours reached ${n(best)} tx/s for single notarizations, each a real record (about ${n(c.loads[0].gasPerTransaction)} gas: a DID check, a storage record, an event), on ${c.validators} validators sharing ${c.machine.split(",")[0]}; a simple-contract call is cheaper, and Besu there ran each validator on its own machine. A higher block gas limit or a shorter period raises the ceiling; Merkle batches make documents per second independent of it.`;
}

/** The whole of BENCHMARKS.md, regenerated by every `npm run bench`. */
export function renderMarkdown(report: BenchReport): string {
  const peers = report.peers.map((p) => `\`${p.name}\` ${p.version}`).join(", ");
  return `# Benchmarks

<!-- Generated by \`npm run bench\` (scripts/bench.ts). Do not edit: the command rewrites this file. -->

- Date: ${report.generatedAt}
- Machine: shared, noisy: medians of ${report.runs} runs (gas) and of ${report.runs} rounds of ${report.throughputOps} transactions (throughput). ${report.machine}
- Compiler (ours): ${report.compiler}, evmVersion ${report.evmVersion}. Peers run the bytecode their npm packages ship: ${peers}.
- Chain: Hardhat in-process network, hardfork **${report.hardfork}**: ${report.hardforkReason}. Every contract, ours and the peers', runs on that one chain.
- Gas is \`gasUsed\` from the transaction receipts: it includes the 21,000 intrinsic gas and the calldata. Each run uses fresh inputs (a new digest, a new proposal, a new identity), so no run benefits from a storage slot an earlier run warmed.

## Ours vs peers

Gas per item; ratios per item. Ours/peer below 1 means we are cheaper. Rows without a peer have none yet: module issues add them.

${oursTable(report.rows)}

${IDENTITY_NOTE}

${EVIDENCE_NOTE}

${ACHIEVEMENT_NOTE}

${TRADE_NOTE}

## Targets

Limits the issues set, each held against a figure derived from the medians above.

${targetsTable(report.targets ?? [])}

## Views

${VIEWS_NOTE}

${viewTable(report.rows)}

## Peers vs the floor

The floor is one storage write per item (\`contracts/bench/Floor.sol\`): what any on-chain record costs at least.

${peerTable(report.rows)}

Batch rows: one transaction may use at most ${formatGas(report.txGasCap)} gas here (hardfork ${report.hardfork}, block gas limit ${formatGas(report.blockGasLimit)}). From osaka on, EIP-7825 caps a single transaction at 2^24 = 16,777,216 gas whatever the block gas limit, which bounds the largest batch.

## Evidence off chain

${offchainSection(report.offchain)}

## Consortium chain throughput

${chainSection(report.chain)}

## Throughput

End to end on the in-process chain: send, mine (automine, one transaction per block), read the receipt; each transaction is sent after the previous one's receipt. tx/s is the median of ${report.runs} rounds of ${report.throughputOps} transactions; set-up (proposals, funded identities) is not timed. Each round runs right after a round of the floor, and "vs floor" is the median of those per-round ratios (above 1: faster than the floor). Read that column, not the absolute rates: the machines are shared.

${throughputTable(report.measurements)}
`;
}
