import { csvField } from "./escape";
import { MODULES, type Amount, type AuditReport, type HolderLedger } from "./types";

/** The columns of report.csv: one figure per row, so any spreadsheet pivots it. */
export const CSV_COLUMNS = ["section", "subject", "metric", "value", "display", "block", "tx", "note"] as const;

interface Row {
  section: string;
  subject: string;
  metric: string;
  /** An exact integer (a count, or an amount in the token's smallest unit); empty for a text figure. */
  value?: bigint | number;
  /** The amount with the token's decimals and symbol, or a text figure (a status, a name). */
  display?: string;
  block?: number;
  tx?: string;
  note?: string;
}

/**
 * The report as one tidy CSV: every figure of report.json on its own row (section, subject, metric),
 * with its exact integer value and its display form. RFC 4180 quoting; names that a spreadsheet would
 * run as formulas are defused.
 */
export function renderCsv(r: AuditReport): string {
  const rows: Row[] = [
    ...rangeRows(r),
    ...r.organisations.flatMap((o) => [
      ...MODULES.map((m) => ({
        section: "organisation",
        subject: o.name,
        metric: `acts.${m}`,
        value: o.byModule[m],
        note: o.key,
      })),
      {
        section: "organisation",
        subject: o.name,
        metric: "acts.total",
        value: o.total,
        note: `${o.key}; DIDs ${o.dids.join(" ") || "-"}`,
      },
      ...Object.entries(o.byAction).map(([action, n]) => ({
        section: "organisation",
        subject: o.name,
        metric: `action.${action}`,
        value: n,
        note: o.key,
      })),
    ]),
    ...counts("consortium", r.consortium as unknown as Record<string, number>),
    ...counts("identity", r.identity as unknown as Record<string, number>),
    ...r.identity.claimTopics.flatMap((t) => [
      { section: "claim-topic", subject: `${t.topic}`, metric: "issued", value: t.issued, note: t.name },
      { section: "claim-topic", subject: `${t.topic}`, metric: "revoked", value: t.revoked, note: t.name },
    ]),
    ...counts("evidence", r.evidence as unknown as Record<string, number>),
    ...counts("evidence-status", r.evidence.status),
    ...counts("achievement", r.achievements as unknown as Record<string, number>),
    ...r.achievements.items.flatMap((a) =>
      (["evaluations", "pledges", "listings", "licences"] as const).map((k) => ({
        section: "achievement-item",
        subject: `${a.id}`,
        metric: k,
        value: a[k],
        note: a.registeredBy ? `registered by ${a.registeredBy}` : undefined,
      })),
    ),
    ...counts("market", r.market as unknown as Record<string, number>),
    ...r.market.listings.flatMap((l) => [
      {
        section: "listing",
        subject: `${l.id}`,
        metric: "price",
        value: l.price,
        display: l.priceDisplay,
        note: `achievement ${l.achievement}`,
      },
      ...(["mode", "status", "lister", "centre"] as const).map((k) => ({
        section: "listing",
        subject: `${l.id}`,
        metric: k,
        display: l[k],
      })),
    ]),
    ...r.market.dealRows.flatMap((d) => [
      {
        section: "deal",
        subject: `${d.listing}`,
        metric: "price",
        value: d.price,
        display: d.priceDisplay,
        block: d.block,
        tx: d.tx,
      },
      { section: "deal", subject: `${d.listing}`, metric: "escrow", value: d.escrow },
      { section: "deal", subject: `${d.listing}`, metric: "licence", value: d.licence },
      ...(["mode", "buyer", "seller", "centre"] as const).map((k) => ({
        section: "deal",
        subject: `${d.listing}`,
        metric: k,
        display: d[k],
      })),
    ]),
    ...counts("licence", r.licences as unknown as Record<string, number>),
    ...r.licences.items.map((l) => ({
      section: "licence-item",
      subject: `${l.id}`,
      metric: l.terminated ? "terminated" : "active",
      display: l.kind,
      note: `achievement ${l.achievement}; licensee ${l.licensee}; recorded by ${l.recordedBy}`,
    })),
    ...counts("tech-contract", r.techContracts as unknown as Record<string, number>),
    ...settlementRows(r),
  ];
  const lines = [CSV_COLUMNS.join(","), ...rows.map(line)];
  return lines.join("\r\n") + "\r\n";
}

function rangeRows(r: AuditReport): Row[] {
  const range = (metric: string, value: number) => ({ section: "range", subject: "blocks", metric, value });
  return [
    { section: "range", subject: r.network, metric: "chainId", value: r.chainId, note: `generated ${r.generatedAt}` },
    range("from", r.range.from),
    range("to", r.range.to),
    range("fromTime", r.range.fromTime),
    range("toTime", r.range.toTime),
    range("pageSize", r.range.pageSize),
    range("pages", r.range.pages),
    { section: "range", subject: "events", metric: "total", value: r.events.total },
    {
      section: "range",
      subject: "ledger",
      metric: "reconciled",
      value: r.reconciled ? 1 : 0,
      display: String(r.reconciled),
    },
    { section: "range", subject: "ledger", metric: "mismatches", value: r.mismatches.length },
  ];
}

function settlementRows(r: AuditReport): Row[] {
  const s = r.settlement;
  const amount = (section: string, subject: string, metric: string, a: Amount, note?: string): Row => ({
    section,
    subject,
    metric,
    value: a.value,
    display: a.display,
    note,
  });
  const holder = (subject: string, prefix: string, h: HolderLedger) =>
    (["opening", "in", "out", "expected", "actual", "difference"] as const).map((k) =>
      amount("token-ledger", subject, `${prefix}.${k}`, h[k], h.address || undefined),
    );
  return [
    ...s.tokens.flatMap((t) => {
      const subject = `${t.token.symbol} ${t.token.address}`;
      const e = t.escrow;
      const m = t.market;
      return [
        ...holder(subject, "escrow", e),
        ...(
          [
            "fundedByBuyers",
            "depositsMoved",
            "released",
            "refunded",
            "credited",
            "withdrawn",
            "heldExpected",
            "heldActual",
            "owedExpected",
            "owedActual",
          ] as const
        ).map((k) => amount("token-ledger", subject, `escrow.${k}`, e[k])),
        ...holder(subject, "market", m),
        ...(["depositsPaid", "depositsRefunded", "depositsMoved", "heldActual"] as const).map((k) =>
          amount("token-ledger", subject, `market.${k}`, m[k]),
        ),
        ...holder(subject, "total", t.total),
      ];
    }),
    ...s.escrows.flatMap((e) =>
      (
        [
          "total",
          "openingHeld",
          "funded",
          "depositsMoved",
          "released",
          "refunded",
          "credited",
          "withdrawn",
          "owed",
          "heldExpected",
          "heldActual",
          "difference",
        ] as const
      ).map((k) =>
        amount(
          "escrow",
          `${e.id}`,
          k,
          e[k],
          `${e.symbol}; buyer ${e.buyer}; seller ${e.seller}; centre ${e.centre}${e.listing === undefined ? "" : `; listing ${e.listing}`}`,
        ),
      ),
    ),
    ...s.payees.flatMap((p) =>
      (
        [
          "opening",
          "credited",
          "reassignedIn",
          "reassignedOut",
          "withdrawn",
          "expected",
          "actual",
          "difference",
        ] as const
      ).map((k) => amount("payee", `${p.did}`, k, p[k], `${p.organisation}; ${p.symbol}`)),
    ),
    ...s.entries.map((e) => ({
      section: "entry",
      subject: e.escrow !== undefined ? `escrow ${e.escrow}` : e.listing !== undefined ? `listing ${e.listing}` : "",
      metric: e.kind,
      value: e.amount.value,
      display: e.amount.display,
      block: e.block,
      tx: e.tx,
      note:
        [e.milestone === undefined ? "" : `milestone ${e.milestone}`, e.party ?? ""].filter((x) => x).join("; ") ||
        undefined,
    })),
    ...s.strays.map((x) => ({
      section: "stray-transfer",
      subject: x.holder,
      metric: x.direction,
      value: x.amount.value,
      display: x.amount.display,
      block: x.block,
      tx: x.tx,
      note: x.counterparties.join(" "),
    })),
    ...r.mismatches.map((m) => ({
      section: "mismatch",
      subject: m.where,
      metric: "difference",
      value: m.difference.value,
      display: m.difference.display,
      block: m.block,
      tx: m.tx,
      note: `${m.what}: expected ${m.expected.display}, actual ${m.actual.display}`,
    })),
  ];
}

/** The numeric fields of a summary object, one row each (lists and nested objects are rendered apart). */
function counts(section: string, summary: Record<string, unknown>): Row[] {
  return Object.entries(summary)
    .filter(([, v]) => typeof v === "number")
    .map(([metric, value]) => ({ section, subject: section, metric, value: value as number }));
}

function line(r: Row): string {
  return [
    csvField(r.section),
    csvField(r.subject),
    csvField(r.metric),
    r.value === undefined ? "" : String(r.value),
    csvField(r.display ?? ""),
    r.block === undefined ? "" : String(r.block),
    r.tx ?? "",
    csvField(r.note ?? ""),
  ].join(",");
}
