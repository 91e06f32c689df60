import type { MemberView, ProposalView, SuiteEvent } from "../sdk";
import type { Queued } from "../sdk/council";

/** A value made JSON-safe: bigints become decimal strings, ethers Results plain arrays. */
export function toJson(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return Array.from(value, toJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

/** A value for a human: bigints in decimal, arrays comma-separated. */
export function show(value: unknown): string {
  if (Array.isArray(value)) return `[${Array.from(value, show).join(", ")}]`;
  if (typeof value === "string" && !value.startsWith("0x")) return JSON.stringify(value);
  return String(value);
}

/** A chain time (seconds) as ISO 8601; "-" for 0 (never). */
export function isoTime(seconds: bigint): string {
  return seconds === 0n ? "-" : new Date(Number(seconds) * 1000).toISOString();
}

/** Role names as the CLI spells them ("CREDENTIAL_ISSUER" → "credential-issuer"). */
export function roleLabel(name: string): string {
  return name.toLowerCase().replace(/_/g, "-");
}

/** Left-aligned columns under a header. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** "key  value" lines with the keys aligned. */
export function fields(pairs: [string, string][]): string[] {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
}

export function memberJson(m: MemberView): unknown {
  return toJson({ ...m, roles: m.roles.map(roleLabel) });
}

export function memberLines(m: MemberView): string[] {
  return fields([
    ["member", m.id.toString()],
    ["name", m.name],
    ["status", m.status],
    ["roles", m.roles.map(roleLabel).join(", ") || "-"],
    ["accounts", m.accounts.join(", ") || "-"],
    ["documents", m.documentsHash],
    ["admitted", isoTime(m.admittedAt)],
    ["updated", isoTime(m.updatedAt)],
  ]);
}

export function callText(p: ProposalView): string {
  if (!p.call) return p.data;
  const args = Object.entries(p.call.args).map(([k, v]) => `${k}=${show(v)}`);
  return `${p.call.function}(${args.join(", ")})`;
}

export function readyText(p: ProposalView): string {
  if (p.readyAt === 0n) return `not yet (needs ${p.threshold} approvals)`;
  return `${isoTime(p.readyAt)}${p.scheduled ? " (delayed by the authority)" : ""}`;
}

export function proposalLines(p: ProposalView): string[] {
  const target = p.targetName ? `${p.targetName} (${p.target})` : p.target;
  return fields([
    ["proposal", p.id.toString()],
    ["description", p.description],
    ["state", p.state],
    ["target", target],
    ["call", callText(p)],
    ["approvals", `${p.approvals}/${p.threshold}`],
    ["approvers", p.approvers.join(", ") || "-"],
    ["proposer", p.proposer],
    ["created", isoTime(p.createdAt)],
    ["ready at", readyText(p)],
  ]);
}

export function eventLine(e: SuiteEvent): string {
  const args = Object.entries(e.args).map(([k, v]) => `${k}=${show(v)}`);
  return `${e.contract}.${e.name}(${args.join(", ")})`;
}

/** What a queued proposal waits for, in words. */
export function queuedLines(queued: Queued | undefined): string[] {
  if (!queued) return [];
  const delayed = queued.scheduled ? " (delayed by the authority; a guardian may cancel it until then)" : "";
  return [`queued: may run from ${isoTime(queued.readyAt)}${delayed}`];
}
