import type { EvidenceRecordView, RevocationView, SubmitterView } from "../../src/sdk";
import { formatDid } from "../../src/sdk/did";
import { translate, valueName, type Key, type Lang } from "./i18n";
import { byteSize, didLabel, isoTime, percent } from "./format";
import type { AchievementResult, DocumentResult, LicenceAnswer, ProofResult } from "./ledger";
import type { Problem } from "./problems";

/**
 * The page's views: each builds DOM from an answer, in the language of `tr`. The page keeps the
 * answer and builds again when the language changes.
 */

export interface Tr {
  lang: Lang;
  t(key: Key, params?: Record<string, string | number | bigint>): string;
  /** The name of a value read from the chain. */
  v(value: string): string;
}

export function translator(lang: Lang): Tr {
  return { lang, t: (key, params) => translate(lang, key, params), v: (value) => valueName(lang, value) };
}

type Child = Node | string | null | undefined | false | Child[];

/** An element with attributes and children (strings become text, never HTML). */
export function h(
  tag: string,
  attrs: Record<string, string | undefined> | null = null,
  ...children: Child[]
): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) if (value !== undefined) el.setAttribute(name, value);
  const add = (c: Child): void => {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) c.forEach(add);
    else el.append(c);
  };
  children.forEach(add);
  return el;
}

type Row = [Key, Child];

/** A definition list of label / value rows; values that are hashes or addresses are set in code. */
function fields(tr: Tr, rows: Row[]): HTMLElement {
  return h(
    "dl",
    { class: "fields" },
    rows.map(([key, value]) => [
      h("dt", { "data-field": key.replace(/^\w+\./, "") }, tr.t(key)),
      h(
        "dd",
        { "data-field": key.replace(/^\w+\./, "") },
        typeof value === "string" && /^0x[0-9a-fA-F]+/.test(value) ? h("code", null, value) : value,
      ),
    ]),
  );
}

function table(headers: string[], rows: Child[][], attrs: Record<string, string> = {}): HTMLElement {
  return h(
    "table",
    attrs,
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        headers.map((x) => h("th", null, x)),
      ),
    ),
    h(
      "tbody",
      null,
      rows.map((r) =>
        h(
          "tr",
          null,
          r.map((c) => h("td", null, typeof c === "string" && c.startsWith("0x") ? h("code", null, c) : c)),
        ),
      ),
    ),
  );
}

/** A problem on the page: translated headline, the SDK's words, and a hint. */
export function problemView(tr: Tr, p: Problem): HTMLElement {
  return h(
    "div",
    { class: "message error", role: "alert", "data-problem": p.kind },
    h("strong", { class: "headline" }, tr.t(p.key, p.params)),
    p.details.length > 0
      ? h(
          "ul",
          { class: "details" },
          p.details.map((d) => h("li", null, d)),
        )
      : null,
    p.hint ? h("p", { class: "hint" }, tr.t(p.hint)) : null,
  );
}

export function infoView(text: string, kind = "info"): HTMLElement {
  return h("div", { class: `message ${kind}`, role: "status" }, text);
}

function submitterText(tr: Tr, s: SubmitterView | undefined): string {
  if (!s) return "-";
  return s.organisation ? `${s.organisation.name} — ${s.did}` : `${s.did} (${tr.t("verdict.unknownOrg")})`;
}

function revocationRows(tr: Tr, r: RevocationView | undefined, chainId: bigint, names: Map<bigint, string>): Row[] {
  if (!r) return [];
  const by =
    r.by === 0n
      ? tr.t("field.byOrder")
      : didLabel(chainId, r.by, names) + (r.byOrder ? `, ${tr.t("field.byOrder")}` : "");
  return [
    ["field.revoked", isoTime(r.at)],
    ["field.revokedBy", by],
    ["field.reason", r.reasonHash],
  ];
}

function recordRows(tr: Tr, r: EvidenceRecordView): Row[] {
  const rows: Row[] = [
    ["field.kind", tr.v(r.kind)],
    ["field.status", tr.v(r.status)],
    ["field.category", r.category.toString()],
  ];
  if (r.batchId !== undefined) rows.push(["field.batch", r.batchId.toString()]);
  if (r.size !== undefined) rows.push(["field.documents", r.size.toString()]);
  if (r.event) {
    rows.push(
      ["field.account", r.event.account],
      ["field.businessRef", r.event.businessRef],
      ["field.metadata", r.event.metadata],
    );
  }
  if (r.supersedes) rows.push(["field.supersedes", r.supersedes]);
  return rows;
}

function endorsementsView(
  tr: Tr,
  list: DocumentResult["endorsements"],
  chainId: bigint,
  names: Map<bigint, string>,
): HTMLElement {
  return h(
    "section",
    { class: "endorsements" },
    h("h4", null, tr.t("endorsements.heading")),
    list.length === 0
      ? h("p", { class: "empty" }, tr.t("endorsements.none"))
      : table(
          [tr.t("endorsements.did"), tr.t("endorsements.at"), tr.t("endorsements.note")],
          list.map((e) => [didLabel(chainId, e.did, names), isoTime(e.at), e.noteHash]),
        ),
  );
}

function verdictHeadline(tr: Tr, verdict: string, valid: boolean, proof: boolean): string {
  if (proof && valid) return tr.t("verdict.proofValid");
  return tr.t(`verdict.${verdict}` as Key);
}

/**
 * The verdict a proof bundle gets on the page: "proof-valid", or the SDK's verdict, where a record
 * that is on chain but does not match the bundle (another document, block or transaction) is an
 * invalid proof, not a valid notarization.
 */
function proofVerdict(v: ProofResult["verdict"]): string {
  if (v.valid) return "proof-valid";
  return v.verdict === "notarized" ? "invalid-proof" : v.verdict;
}

/** The verdict on a document or a digest: as `govledger evidence verify` prints it, plus endorsements and history. */
export function documentView(tr: Tr, r: DocumentResult, chainId: bigint): HTMLElement {
  const v = r.verdict;
  const rec = v.record;
  const lead = (() => {
    switch (v.verdict) {
      case "notarized":
        return tr.t("verdict.leadNotarized", {
          who: submitterText(tr, v.submitter),
          time: isoTime(rec!.notarizedAt),
          block: rec!.blockNumber,
        });
      case "superseded":
        return tr.t("verdict.leadSuperseded", { by: v.supersededBy ?? "-" });
      case "revoked":
        return tr.t("verdict.leadRevoked", {
          time: isoTime(v.revocation?.at ?? 0n),
          by: v.revocation
            ? v.revocation.by === 0n
              ? tr.t("field.byOrder")
              : didLabel(chainId, v.revocation.by, r.names)
            : "-",
        });
      default:
        return tr.t("verdict.leadNotFound", { digests: r.input.candidates.map((c) => c.digest).join(", ") });
    }
  })();
  const rows: Row[] = [];
  if (r.input.file) rows.push(["field.file", `${r.input.file.name} (${byteSize(r.input.file.size)})`]);
  if (r.input.file) {
    rows.push([
      "field.computed",
      h(
        "ul",
        { class: "digests" },
        r.input.candidates.map((c) =>
          h("li", { "data-algorithm": c.algorithm }, `${c.algorithm}: `, h("code", null, c.digest)),
        ),
      ),
    ]);
  }
  if (rec) {
    rows.push(
      ["field.digest", h("span", null, h("code", null, v.digest), ` (${rec.algorithm})`)],
      ["field.submitter", submitterText(tr, v.submitter)],
      ["field.notarized", isoTime(rec.notarizedAt)],
      ["field.block", rec.blockNumber.toString()],
      ["field.tx", rec.event?.transactionHash ?? tr.t("field.noEvent")],
      ...recordRows(tr, rec),
    );
    if (v.supersededBy) rows.push(["field.supersededBy", v.supersededBy]);
    if (v.latest && v.latest !== v.supersededBy) rows.push(["field.latest", v.latest]);
    rows.push(...revocationRows(tr, v.revocation, chainId, r.names));
  } else if (!r.input.file) {
    rows.push(["field.digest", v.digest]);
  }
  return h(
    "article",
    { class: `verdict verdict-${v.verdict}`, "data-verdict": v.verdict, "data-valid": String(v.valid) },
    h("h3", { class: "headline" }, verdictHeadline(tr, v.verdict, v.valid, false)),
    h("p", { class: "lead" }, lead),
    fields(tr, rows),
    rec ? endorsementsView(tr, r.endorsements, chainId, r.names) : null,
    rec ? historyView(tr, r.history, v.digest, chainId, r.names) : null,
  );
}

function historyView(
  tr: Tr,
  history: EvidenceRecordView[],
  current: string,
  chainId: bigint,
  names: Map<bigint, string>,
): HTMLElement {
  return h(
    "section",
    { class: "history" },
    h("h4", null, tr.t("history.heading")),
    history.length <= 1
      ? h("p", { class: "empty" }, tr.t("history.none"))
      : table(
          [
            tr.t("history.version"),
            tr.t("field.digest"),
            tr.t("field.status"),
            tr.t("field.notarized"),
            tr.t("field.block"),
            tr.t("field.submitter"),
          ],
          history.map((x, i) => [
            `${i + 1}${x.key === current ? " ◀" : ""}`,
            x.key,
            tr.v(x.status),
            isoTime(x.notarizedAt),
            x.blockNumber.toString(),
            didLabel(chainId, x.submitter, names),
          ]),
        ),
  );
}

/** The verdict on a proof bundle, checked against the anchored root (or the record). */
export function proofView(tr: Tr, r: ProofResult, chainId: bigint): HTMLElement {
  const v = r.verdict;
  const b = v.bundle;
  const rec = v.record;
  const yesNo = (x: boolean | undefined) => (x === undefined ? "-" : x ? tr.t("yes") : tr.t("no"));
  const rows: Row[] = [
    ["field.digest", h("span", null, h("code", null, b.digest), ` (${b.algorithm.name})`)],
    [
      "field.anchor",
      b.anchor === "merkle-root" ? tr.t("field.anchorRoot", { root: b.root! }) : tr.t("field.anchorRecord"),
    ],
    ["field.chain", String(b.chainId)],
    ["field.contract", b.contract],
    ["field.submitter", submitterText(tr, v.submitter)],
    ["field.notarized", rec ? isoTime(rec.notarizedAt) : "-"],
    ["field.block", rec ? rec.blockNumber.toString() : "-"],
    ["field.tx", rec?.event?.transactionHash ?? "-"],
  ];
  if (b.anchor === "merkle-root") rows.push(["field.inRoot", yesNo(v.inRoot)]);
  if (r.document) rows.push(["field.file", r.document.name], ["field.documentMatches", yesNo(v.digestMatches)]);
  if (v.supersededBy) rows.push(["field.supersededBy", v.supersededBy]);
  rows.push(...revocationRows(tr, v.revocation, chainId, r.names));
  if (v.problems.length > 0) {
    rows.push([
      "field.problems",
      h(
        "ul",
        { class: "problems" },
        v.problems.map((p) => h("li", null, p)),
      ),
    ]);
  }
  const lead =
    v.valid && rec
      ? tr.t("verdict.leadNotarized", {
          who: submitterText(tr, v.submitter),
          time: isoTime(rec.notarizedAt),
          block: rec.blockNumber,
        })
      : null;
  const verdict = proofVerdict(v);
  return h(
    "article",
    {
      class: `verdict verdict-${v.valid ? "notarized" : verdict}`,
      "data-verdict": verdict,
      "data-valid": String(v.valid),
    },
    h("h3", { class: "headline" }, verdictHeadline(tr, verdict, v.valid, true)),
    lead ? h("p", { class: "lead" }, lead) : null,
    fields(tr, rows),
    rec ? endorsementsView(tr, r.endorsements, chainId, r.names) : null,
  );
}

/** The answer to "is C licensed for F in T (today)?". */
export function licenceAnswerView(tr: Tr, a: LicenceAnswer, chainId: bigint): HTMLElement {
  const when = a.now ? tr.t("licence.now", { time: isoTime(a.at) }) : tr.t("licence.at", { time: isoTime(a.at) });
  const params = { number: a.number, field: a.field, territory: a.territory, when };
  const lead = a.licensee
    ? tr.t(a.licensed ? "licence.leadLicensee" : "licence.leadLicenseeNo", {
        ...params,
        licensee: didLabel(chainId, a.licensee.id, a.names),
      })
    : tr.t(a.licensed ? "licence.leadAny" : "licence.leadAnyNo", params);
  return h(
    "article",
    { class: `answer ${a.licensed ? "answer-yes" : "answer-no"}`, "data-licensed": String(a.licensed) },
    h("h3", { class: "headline" }, tr.t(a.licensed ? "licence.yes" : "licence.no")),
    h("p", { class: "lead" }, lead),
    a.covering.length > 0 ? licencesTable(tr, a.covering, chainId, a.names) : null,
  );
}

function licencesTable(
  tr: Tr,
  list: LicenceAnswer["covering"],
  chainId: bigint,
  names: Map<bigint, string>,
): HTMLElement {
  return table(
    [
      tr.t("lic.id"),
      tr.t("lic.licensee"),
      tr.t("lic.kind"),
      tr.t("lic.field"),
      tr.t("lic.territory"),
      tr.t("lic.period"),
      tr.t("lic.status"),
      tr.t("lic.sublicensable"),
      tr.t("lic.recordedBy"),
    ],
    list.map((l) => [
      l.id.toString(),
      didLabel(chainId, l.licensee, names),
      tr.v(l.kind),
      l.field.toString(),
      l.territory.toString(),
      `${isoTime(l.start)} – ${isoTime(l.end)}`,
      tr.v(l.status),
      l.sublicensable ? tr.t("yes") : tr.t("no"),
      didLabel(chainId, l.recordedBy, names),
    ]),
    { class: "licences" },
  );
}

/** An achievement: registration, rights, evaluations, pledge, licences and history. */
export function achievementView(tr: Tr, r: AchievementResult, chainId: bigint): HTMLElement {
  const a = r.view;
  const did = (id: bigint) => didLabel(chainId, id, r.names);
  const locks = [
    a.pledged && tr.t("ach.pledged"),
    a.disputed && tr.t("ach.disputed"),
    a.frozen && tr.t("ach.frozen"),
  ].filter(Boolean);
  const rows: Row[] = [
    ["ach.name", a.registration?.form.name ?? "-"],
    ["ach.kind", tr.v(a.kind)],
    ["ach.classification", tr.v(a.classification)],
    ["ach.secrecy", tr.v(a.secrecy)],
    ["ach.status", tr.v(a.status)],
    ["ach.locks", locks.length > 0 ? locks.join(", ") : tr.t("none")],
    ["ach.registeredAt", isoTime(a.registeredAt)],
    ["ach.registrar", did(a.registrar)],
    ["ach.holder", a.holder],
    ["ach.version", a.version.toString()],
  ];
  if (a.metadata) rows.push(["ach.metadata", `${a.metadata.uri} (${a.metadata.hash})`]);
  if (a.registration?.form.keywords.length) rows.push(["ach.keywords", a.registration.form.keywords.join(", ")]);
  rows.push([
    "ach.inventors",
    a.inventors.length > 0 ? a.inventors.map((i) => formatDid(chainId, i)).join(", ") : tr.t("none"),
  ]);
  if (a.pledge) {
    rows.push([
      "ach.pledge",
      tr.t("ach.pledgeText", {
        lender: did(a.pledge.lender),
        since: isoTime(a.pledge.since),
        until: isoTime(a.pledge.until),
        amount: a.pledge.securedAmount.toString(),
      }),
    ]);
  }
  const holdings = (list: { did: bigint; bps: number }[]) =>
    list.map((x) => `${did(x.did)} ${percent(x.bps)}`).join("; ");
  return h(
    "article",
    { class: "achievement", "data-achievement": a.registrationNumber },
    h("h3", { class: "headline" }, `${a.registrationNumber} — ${a.registration?.form.name ?? ""}`),
    h("section", null, h("h4", null, tr.t("ach.registration")), fields(tr, rows)),
    h(
      "section",
      null,
      h("h4", null, tr.t("ach.rights")),
      table(
        [tr.t("ach.right"), tr.t("ach.holders"), tr.t("ach.grant")],
        Object.entries(a.rights).map(([name, right]) => [
          tr.v(name),
          holdings(right.holdings),
          right.grant
            ? `${holdings(right.grant.holdings)} ${tr.t("ach.until", { time: isoTime(right.grant.until) })}`
            : "-",
        ]),
        { class: "rights" },
      ),
    ),
    h(
      "section",
      null,
      h("h4", null, tr.t("ach.evaluations")),
      a.evaluations.length === 0
        ? h("p", { class: "empty" }, tr.t("ach.noEvaluations"))
        : table(
            [
              tr.t("ach.evaluator"),
              tr.t("ach.scores"),
              tr.t("ach.evaluatedAt"),
              tr.t("ach.validUntil"),
              tr.t("ach.suggestedValue"),
            ],
            a.evaluations.map((e) => [
              did(e.evaluator),
              [e.scores.scientific, e.scores.technical, e.scores.economic, e.scores.social, e.scores.cultural].join(
                " / ",
              ),
              isoTime(e.evaluatedAt),
              isoTime(e.validUntil),
              e.suggestedValue.toString(),
            ]),
            { class: "evaluations" },
          ),
    ),
    h(
      "section",
      null,
      h("h4", null, tr.t("ach.licences")),
      r.licences === undefined
        ? h("p", { class: "empty" }, tr.t("ach.noTrade"))
        : r.licences.length === 0
          ? h("p", { class: "empty" }, tr.t("ach.noLicences"))
          : licencesTable(tr, r.licences, chainId, r.names),
    ),
    h(
      "section",
      null,
      h("h4", null, tr.t("ach.history")),
      table(
        [tr.t("event.block"), tr.t("event.name"), tr.t("event.actor")],
        r.history.map((e) => [String(e.blockNumber), e.name, e.actor === undefined ? "-" : did(e.actor)]),
        { class: "events" },
      ),
    ),
  );
}

/** Progress of hashing a file. */
export function progressText(tr: Tr, file: string, done: number, total: number): string {
  const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
  return tr.t("evidence.hashing", { file, done: byteSize(done), total: byteSize(total), percent: pct });
}
