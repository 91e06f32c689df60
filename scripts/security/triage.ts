import { readFileSync } from "fs";

/**
 * The Slither triage: why each finding Slither reports on the suite is a false positive or accepted, kept as
 * markdown tables in docs/security/slither-triage.md so that people read the reasons where the machine reads
 * the keys. A row names a finding without line numbers (detector, contract, function or variable, and a piece
 * of Slither's description when one function has several), so it survives edits elsewhere in the file.
 */

export type Impact = "High" | "Medium" | "Low" | "Informational" | "Optimization";

/** Impacts from most to least severe; `npm run analyze` fails on untriaged findings at Medium and above. */
export const IMPACTS: readonly Impact[] = ["High", "Medium", "Low", "Informational", "Optimization"];
export const FAIL_AT: Impact = "Medium";

/** One Slither result, reduced to what identifies it across edits. */
export interface Finding {
  detector: string;
  impact: Impact;
  confidence: string;
  /** The contract of the result's first element. */
  contract: string;
  /** `function`, `stateVariable` or `function.localVariable` of the first element ("" for a contract). */
  element: string;
  /** Slither's description with every `(file#lines)` reference removed. */
  text: string;
  /** Where it is now, e.g. `contracts/trade/LicenceMarket.sol#53`: for people, never for matching. */
  location: string;
}

export interface TriageEntry {
  detector: string;
  contract: string;
  element: string;
  /** Text the finding's description must contain ("" when detector, contract and element suffice). */
  match: string;
  /** The impact the row was written for, as the reader sees it (matching does not use it). */
  severity: string;
  verdict: string;
  why: string;
  /** Line of the row in the markdown file, for messages. */
  line: number;
}

export const TRIAGE_HEADER = ["Detector", "Contract", "Element", "Match", "Severity", "Verdict", "Why"];
const WILDCARD = "*";

export const atLeast = (impact: Impact, floor: Impact) => IMPACTS.indexOf(impact) <= IMPACTS.indexOf(floor);

/** A cell without its padding and code quotes; an escaped pipe is a pipe. */
const cell = (raw: string) =>
  raw
    .trim()
    .replace(/^`(.*)`$/, "$1")
    .replace(/\\\|/g, "|");

/** Splits a markdown table row on unescaped pipes. */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, "").replace(/\|$/, "");
  return inner.split(/(?<!\\)\|/).map(cell);
}

/** Every row of every table in `markdown` whose header is {@link TRIAGE_HEADER}. */
export function parseTriage(markdown: string): TriageEntry[] {
  const lines = markdown.split("\n");
  const entries: TriageEntry[] = [];
  for (let i = 0; i < lines.length; ++i) {
    if (!lines[i].trim().startsWith("|")) continue;
    const header = cells(lines[i]);
    const isTriage = header.length === TRIAGE_HEADER.length && header.every((h, k) => h === TRIAGE_HEADER[k]);
    let j = i + 2; // past the header and the |---| line
    for (; j < lines.length && lines[j].trim().startsWith("|"); ++j) {
      if (!isTriage) continue;
      const row = cells(lines[j]);
      if (row.length !== TRIAGE_HEADER.length) {
        throw new Error(`triage row on line ${j + 1} has ${row.length} cells, expected ${TRIAGE_HEADER.length}`);
      }
      const [detector, contract, element, match, severity, verdict, why] = row;
      if (!detector || !contract || !why)
        throw new Error(`triage row on line ${j + 1} lacks a detector, contract or reason`);
      entries.push({
        detector,
        contract,
        element,
        match: match === "-" ? "" : match,
        severity,
        verdict,
        why,
        line: j + 1,
      });
    }
    i = j - 1;
  }
  return entries;
}

export function readTriage(file: string): TriageEntry[] {
  return parseTriage(readFileSync(file, "utf8"));
}

const fits = (pattern: string, value: string) => pattern === WILDCARD || pattern === value;

/**
 * Whether `entry` accounts for `finding`. A finding at {@link FAIL_AT} or above needs a row that names its
 * detector, contract and element exactly: a wildcard row only covers lower impacts.
 */
export function covers(entry: TriageEntry, finding: Finding): boolean {
  const exact = entry.detector !== WILDCARD && entry.contract !== WILDCARD && entry.element !== WILDCARD;
  if (!exact && atLeast(finding.impact, FAIL_AT)) return false;
  return (
    fits(entry.detector, finding.detector) &&
    fits(entry.contract, finding.contract) &&
    fits(entry.element, finding.element) &&
    (entry.match === "" || finding.text.includes(entry.match))
  );
}

export interface TriageResult {
  /** Findings no row covers, most severe first. */
  untriaged: Finding[];
  /** Rows that cover no finding any more: the code changed, the row can go. */
  stale: TriageEntry[];
  /** Each finding with the row that covers it, if any. */
  matched: { finding: Finding; entry?: TriageEntry }[];
}

export function applyTriage(findings: Finding[], entries: TriageEntry[]): TriageResult {
  const used = new Set<TriageEntry>();
  const matched = findings.map((finding) => {
    const entry = entries.find((e) => covers(e, finding));
    if (entry) used.add(entry);
    return { finding, entry };
  });
  return {
    untriaged: matched
      .filter((m) => !m.entry)
      .map((m) => m.finding)
      .sort((a, b) => IMPACTS.indexOf(a.impact) - IMPACTS.indexOf(b.impact)),
    stale: entries.filter((e) => !used.has(e)),
    matched,
  };
}
