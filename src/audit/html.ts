import { escapeHtml } from "./escape";
import { amountOf, grouped, isoTime } from "./format";
import { PALETTE, stackedBars, type Bar } from "./svg";
import { MODULES, type Amount, type AuditReport, type TokenLedger } from "./types";

/** A table cell: text (escaped here), a number, or an amount (shown grouped, right-aligned; flagged when `bad`). */
type Cell = string | number | bigint | (Amount & { bad?: boolean }) | { code: string } | undefined;

/**
 * The report as one self-contained HTML page: no script, no external style sheet, font or image;
 * charts are inline SVG. Every text from the chain (organisation names, topic names) is escaped.
 */
export function renderHtml(r: AuditReport): string {
  const title = `govledger audit report — ${r.network} blocks ${r.range.from}–${r.range.to}`;
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8" />',
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    header(r, title),
    mismatches(r),
    organisations(r),
    evidence(r),
    identity(r),
    consortium(r),
    achievements(r),
    market(r),
    licences(r),
    settlement(r),
    footer(),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function header(r: AuditReport, title: string): string {
  const verdict = r.reconciled
    ? '<p class="verdict ok">Reconciled: every token paid in is accounted for, with zero difference.</p>'
    : `<p class="verdict bad">Not reconciled: ${r.mismatches.length} mismatch${r.mismatches.length === 1 ? "" : "es"} (listed below).</p>`;
  return [
    `<header><h1>${escapeHtml(title)}</h1>`,
    kv([
      ["network", `${r.network} (chain id ${r.chainId})`],
      ["blocks", `${r.range.from} (${isoTime(r.range.fromTime)}) to ${r.range.to} (${isoTime(r.range.toTime)})`],
      ["read in", `${r.range.pages} page${r.range.pages === 1 ? "" : "s"} of up to ${r.range.pageSize} blocks`],
      ["events", String(r.events.total)],
      ["generated", r.generatedAt],
    ]),
    verdict,
    "</header>",
  ].join("\n");
}

function mismatches(r: AuditReport): string {
  if (r.reconciled) return "";
  return section("mismatches", "Mismatches", [
    table(
      ["where", "what", "expected", "actual", "difference"],
      r.mismatches.map((m) => [m.where, m.what, m.expected, m.actual, diff(m.difference)]),
    ),
  ]);
}

function organisations(r: AuditReport): string {
  const shown = r.organisations.slice(0, 40);
  const series = MODULES.map((m, i) => ({ name: m, colour: PALETTE[i] }));
  const bars: Bar[] = shown.map((o) => ({
    label: o.name,
    values: MODULES.map((m) => o.byModule[m]),
    total: `${o.total} acts`,
  }));
  const more = r.organisations.length - shown.length;
  return section("organisations", "Activity per organisation", [
    '<p class="note">Acts are counted under the organisation that performed them: a DID one of whose keys is a member account counts for that member; other DIDs are shown as themselves.</p>',
    r.organisations.length > 0
      ? stackedBars("Acts per organisation and module", series, bars)
      : "<p>No acts in the range.</p>",
    more > 0 ? `<p class="note">${more} more organisations are in the table.</p>` : "",
    table(
      ["organisation", "kind", "DIDs", ...MODULES, "total"],
      r.organisations.map((o) => [o.name, o.kind, o.dids.join(", "), ...MODULES.map((m) => o.byModule[m]), o.total]),
    ),
  ]);
}

function evidence(r: AuditReport): string {
  const e = r.evidence;
  const series = [
    { name: "valid", colour: PALETTE[2] },
    { name: "superseded", colour: PALETTE[1] },
    { name: "revoked", colour: PALETTE[3] },
  ];
  const status = [e.status.valid, e.status.superseded, e.status.revoked];
  return section("evidence", "Evidence", [
    stackedBars("Documents notarized in the range, by status at its end", series, [
      { label: "documents", values: status, total: `${e.documents} documents` },
    ]),
    counts([
      ["records notarized (single, corrections included)", e.records],
      ["indexed batches", e.batches],
      ["Merkle roots anchored", e.roots],
      ["documents notarized", e.documents],
      ["superseded", e.superseded],
      ["revoked", e.revoked],
      ["revoked by order", e.revokedByOrder],
      ["endorsements", e.endorsed],
    ]),
  ]);
}

function identity(r: AuditReport): string {
  const i = r.identity;
  return section("identity", "Identities and claims", [
    counts([
      ["DIDs registered", i.didsRegistered],
      ["DIDs verified", i.didsVerified],
      ["DIDs suspended", i.didsSuspended],
      ["DIDs deactivated", i.didsDeactivated],
      ["keys rotated", i.keysRotated],
      ["recoveries completed", i.recoveriesCompleted],
      ["mandates granted", i.mandatesGranted],
      ["claims issued", i.claimsIssued],
      ["claims revoked", i.claimsRevoked],
      ["claims suspended", i.claimsSuspended],
      ["claims reinstated", i.claimsReinstated],
      ["consents granted", i.consentsGranted],
      ["consents revoked", i.consentsRevoked],
      ["accesses recorded", i.accessesRecorded],
    ]),
    table(
      ["claim topic", "name", "issued", "revoked"],
      i.claimTopics.map((t) => [t.topic, t.name, t.issued, t.revoked]),
    ),
  ]);
}

function consortium(r: AuditReport): string {
  const c = r.consortium;
  return section("consortium", "Consortium and council", [
    counts([
      ["members admitted", c.membersAdmitted],
      ["members suspended", c.membersSuspended],
      ["members reinstated", c.membersReinstated],
      ["members removed", c.membersRemoved],
      ["member roles granted", c.rolesGranted],
      ["member roles revoked", c.rolesRevoked],
      ["proposals created", c.proposalsCreated],
      ["proposals executed", c.proposalsExecuted],
      ["proposals cancelled", c.proposalsCancelled],
    ]),
  ]);
}

function achievements(r: AuditReport): string {
  const a = r.achievements;
  return section("achievements", "Technology achievements", [
    counts([
      ["registered", a.registered],
      ["evaluated", a.evaluated],
      ["pledged", a.pledged],
      ["pledges released", a.pledgesReleased],
      ["rights changed", a.rightsChanged],
      ["disputes opened", a.disputesOpened],
      ["frozen", a.frozen],
    ]),
    table(
      ["achievement", "registered by", "evaluations", "pledges", "listings", "licences"],
      a.items.map((x) => [
        x.id,
        x.registeredBy ?? "(before the range)",
        x.evaluations,
        x.pledges,
        x.listings,
        x.licences,
      ]),
    ),
  ]);
}

function market(r: AuditReport): string {
  const m = r.market;
  return section("market", "Listings and deals", [
    counts([
      ["listings submitted", m.listingsSubmitted],
      ["listings published", m.listingsPublished],
      ["listings withdrawn", m.listingsWithdrawn],
      ["listings lapsed", m.listingsLapsed],
      ["bidders registered", m.biddersRegistered],
      ["bids", m.bids],
      ["deals confirmed", m.deals],
    ]),
    table(
      ["listing", "achievement", "mode", "lister", "centre", "price (fixed, asking or reserve)", "status at the end"],
      m.listings.map((l) => [
        l.id,
        l.achievement,
        l.mode,
        l.lister,
        l.centre,
        { value: l.price, display: l.priceDisplay },
        l.status,
      ]),
    ),
    table(
      ["deal of listing", "block", "mode", "buyer", "seller", "centre", "price", "escrow", "licence"],
      m.dealRows.map((d) => [
        d.listing,
        d.block,
        d.mode,
        d.buyer,
        d.seller,
        d.centre,
        { value: d.price, display: d.priceDisplay },
        d.escrow,
        d.licence,
      ]),
    ),
  ]);
}

function licences(r: AuditReport): string {
  const t = r.techContracts;
  return section("licences", "Licences and technology contracts", [
    table(
      ["licence", "achievement", "licensee", "kind", "recorded by", "terminated"],
      r.licences.items.map((l) => [l.id, l.achievement, l.licensee, l.kind, l.recordedBy, l.terminated ? "yes" : "no"]),
    ),
    counts([
      ["licences recorded", r.licences.recorded],
      ["licences terminated", r.licences.terminated],
      ["technology contracts registered", t.registered],
      ["transaction certificates issued", t.certified],
      ["technology contracts annulled", t.annulled],
    ]),
  ]);
}

function settlement(r: AuditReport): string {
  const s = r.settlement;
  return section("settlement", "Settlement ledger", [
    '<p class="note">Per token: the opening balance (just before the first block) plus what was paid in, minus what was paid out, must equal the balance the token reports at the last block, for the market (deposits) and the escrow (milestones and payees\' balances); every transfer into or out of either must be accounted for by an event of its transaction.</p>',
    ...s.tokens.map(tokenFlows),
    s.escrows.length > 0 ? escrowFlows(r) : "",
    table(
      ["token", "holder", "opening", "in", "out", "expected", "actual", "difference"],
      s.tokens.flatMap((t) =>
        (["escrow", "market", "total"] as const).map((h) => {
          const l = t[h];
          return [
            t.token.symbol,
            h === "total" ? "market + escrow" : `${h} ${l.address}`,
            l.opening,
            l.in,
            l.out,
            l.expected,
            l.actual,
            diff(l.difference),
          ];
        }),
      ),
    ),
    table(
      [
        "token",
        "escrow funded by buyers",
        "deposits moved to escrow",
        "released",
        "refunded",
        "credited",
        "withdrawn",
        "held (expected / actual)",
        "owed (expected / actual)",
      ],
      s.tokens.map((t) => {
        const e = t.escrow;
        return [
          t.token.symbol,
          e.fundedByBuyers,
          e.depositsMoved,
          e.released,
          e.refunded,
          e.credited,
          e.withdrawn,
          `${grouped(e.heldExpected.display)} / ${grouped(e.heldActual.display)}`,
          `${grouped(e.owedExpected.display)} / ${grouped(e.owedActual.display)}`,
        ];
      }),
    ),
    table(
      [
        "escrow",
        "listing",
        "buyer",
        "seller",
        "centre",
        "total",
        "held before",
        "funded",
        "of which deposit",
        "released",
        "refunded",
        "credited",
        "withdrawn",
        "owed",
        "held (expected)",
        "held (actual)",
        "difference",
      ],
      s.escrows.map((e) => [
        e.id,
        e.listing,
        e.buyer,
        e.seller,
        e.centre,
        e.total,
        e.openingHeld,
        e.funded,
        e.depositsMoved,
        e.released,
        e.refunded,
        e.credited,
        e.withdrawn,
        e.owed,
        e.heldExpected,
        e.heldActual,
        diff(e.difference),
      ]),
    ),
    table(
      [
        "payee DID",
        "organisation",
        "opening",
        "credited",
        "reassigned in",
        "reassigned out",
        "withdrawn",
        "expected",
        "actual",
        "difference",
      ],
      s.payees.map((p) => [
        p.did,
        p.organisation,
        p.opening,
        p.credited,
        p.reassignedIn,
        p.reassignedOut,
        p.withdrawn,
        p.expected,
        p.actual,
        diff(p.difference),
      ]),
    ),
    s.strays.length > 0
      ? table(
          ["block", "transaction", "holder", "direction", "unexplained amount", "counterparties"],
          s.strays.map((x) => [
            x.block,
            { code: x.tx },
            x.holder,
            x.direction,
            diff(x.amount),
            x.counterparties.join(", "),
          ]),
        )
      : "",
    "<h3>Entries</h3>",
    table(
      ["block", "transaction", "kind", "escrow", "milestone", "listing", "party", "amount"],
      s.entries.map((e) => [e.block, { code: e.tx }, e.kind, e.escrow, e.milestone, e.listing, e.party, e.amount]),
    ),
  ]);
}

/** Two bars per token: what came in (with the opening balances) and where it is now; equal when reconciled. */
function tokenFlows(t: TokenLedger): string {
  const e = t.escrow;
  const m = t.market;
  const unexplainedEscrow = e.actual.value - e.heldActual.value - e.owedActual.value;
  const unexplainedMarket = m.actual.value - m.heldActual.value;
  const unexplained = unexplainedEscrow + unexplainedMarket;
  const series = [
    { name: "opening balances", colour: PALETTE[4] },
    { name: "funded by buyers", colour: PALETTE[0] },
    { name: "deposits paid", colour: PALETTE[6] },
    { name: "withdrawn by payees", colour: PALETTE[2] },
    { name: "deposits refunded", colour: PALETTE[5] },
    { name: "held or owed (escrow, market)", colour: PALETTE[1] },
    { name: "unexplained balance", colour: PALETTE[3] },
  ];
  const show = (v: bigint) => grouped(amountOf(v, t.token).display);
  const inBar: Bar = {
    label: "paid in",
    values: [t.total.opening.value, e.fundedByBuyers.value, m.depositsPaid.value, 0n, 0n, 0n, 0n],
    texts: [t.total.opening.value, e.fundedByBuyers.value, m.depositsPaid.value, 0n, 0n, 0n, 0n].map(show),
    total: show(t.total.opening.value + t.total.in.value),
  };
  const held = e.heldActual.value + e.owedActual.value + m.heldActual.value;
  const outValues = [
    0n,
    0n,
    0n,
    e.withdrawn.value,
    m.depositsRefunded.value,
    held,
    unexplained > 0n ? unexplained : 0n,
  ];
  const outBar: Bar = {
    label: "paid out or still there",
    values: outValues,
    texts: outValues.map(show),
    total: show(t.total.out.value + t.total.actual.value),
  };
  return stackedBars(`Where the ${t.token.symbol} paid in went`, series, [inBar, outBar]);
}

function escrowFlows(r: AuditReport): string {
  const series = [
    { name: "released to payees", colour: PALETTE[2] },
    { name: "refunded to the buyer", colour: PALETTE[5] },
    { name: "held", colour: PALETTE[1] },
    { name: "not yet funded (or settled before the range)", colour: "#c8c8c8" },
  ];
  const bars = r.settlement.escrows.map((e) => {
    const rest = e.total.value - e.released.value - e.refunded.value - e.heldActual.value;
    const values = [e.released.value, e.refunded.value, e.heldActual.value, rest > 0n ? rest : 0n];
    return { label: `escrow ${e.id} (${e.buyer})`, values, total: grouped(e.total.display) };
  });
  return stackedBars("Each deal's escrow: released, refunded, held", series, bars);
}

/** A difference: flagged when not zero. */
function diff(a: Amount): Amount & { bad: boolean } {
  return { ...a, bad: a.value !== 0n };
}

function footer(): string {
  return '<footer><p class="note">Made by <code>govledger audit report</code> from the chain alone: events read page by page, balances read at the range\'s last block. report.csv and report.json hold the same figures as exact integers.</p></footer>';
}

function section(id: string, title: string, parts: string[]): string {
  return [`<section id="${id}">`, `<h2>${escapeHtml(title)}</h2>`, ...parts.filter((p) => p !== ""), "</section>"].join(
    "\n",
  );
}

function counts(rows: [string, number][]): string {
  return table(["", "count"], rows);
}

function kv(rows: [string, string][]): string {
  return `<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`;
}

function table(head: string[], rows: Cell[][]): string {
  if (rows.length === 0)
    return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody><tr><td colspan="${head.length}" class="none">none in the range</td></tr></tbody></table>`;
  const body = rows.map((row) => `<tr>${row.map(cell).join("")}</tr>`).join("\n");
  return `<div class="wide"><table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function cell(c: Cell): string {
  if (c === undefined) return "<td></td>";
  if (typeof c === "number" || typeof c === "bigint") return `<td class="n">${c}</td>`;
  if (typeof c === "string") return `<td>${escapeHtml(c)}</td>`;
  if ("code" in c) return `<td class="h">${escapeHtml(c.code)}</td>`;
  return `<td class="n${c.bad ? " bad" : ""}" title="${c.value}">${escapeHtml(grouped(c.display))}</td>`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","PingFang SC","Microsoft YaHei",sans-serif;margin:2rem;color:#222;max-width:1400px}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #ccc}h3{font-size:1rem}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
table{border-collapse:collapse;margin:.8rem 0;font-size:.85rem}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.none{color:#777;font-style:italic}td.bad{background:#fbe3e1;color:#8c1d16;font-weight:600}
.verdict{padding:.6rem 1rem;font-weight:600;border-radius:4px}.ok{background:#e4f4e6;color:#1d5e2a}.bad{background:#fbe3e1;color:#8c1d16}
.note{color:#555;font-size:.85rem}.wide{overflow-x:auto;max-width:100%}td.h{font-family:ui-monospace,monospace;font-size:.75rem}svg{display:block;margin:.8rem 0;max-width:100%;height:auto}
svg .label,svg .total,svg .legend{font-size:12px;fill:#222;dominant-baseline:middle}svg .legend{dominant-baseline:auto}
`;
