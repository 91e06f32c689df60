import { formatDid } from "../../src/sdk/did";

/** Formatting of chain values for the page, the same in both languages (as the CLI writes them). */

/** A chain time (seconds) as ISO 8601 in UTC, as the CLI shows it; "-" for 0 (never). */
export function isoTime(seconds: bigint | number): string {
  const s = BigInt(seconds);
  return s === 0n ? "-" : new Date(Number(s) * 1000).toISOString();
}

/** A byte count in B, KB, MB or GB (powers of 1024), one decimal. */
export function byteSize(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Basis points as a percentage: 7000 → "70 %", 3333 → "33.33 %". */
export function percent(bps: number | bigint): string {
  const n = Number(bps) / 100;
  return `${Number.isInteger(n) ? n : n.toFixed(2)} %`;
}

/** A DID with the organisation acting through it, when known: "did:govledger:1:3 (Exchange Centre)". */
export function didLabel(chainId: bigint, id: bigint, names: Map<bigint, string>): string {
  if (id === 0n) return "-";
  const name = names.get(id);
  const did = formatDid(chainId, id);
  return name ? `${did} (${name})` : did;
}
