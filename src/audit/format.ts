import { formatAmount, type TokenInfo } from "../sdk";
import type { Amount } from "./types";

/** An exact amount with its display form: 90000000n of a 2-decimal token → "900000.00 e-CNY(test)". */
export function amountOf(value: bigint, token: Pick<TokenInfo, "symbol" | "decimals">): Amount {
  return { value, display: `${formatAmount(value, token.decimals)} ${token.symbol}` };
}

/** A display amount with thousands grouped, for people: "900000.00 e-CNY(test)" → "900,000.00 e-CNY(test)". */
export function grouped(display: string): string {
  return display.replace(
    /^(-?)(\d+)/,
    (_, sign: string, whole: string) => sign + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ","),
  );
}

/** The report as JSON text: bigints as decimal strings, so no amount loses a unit. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n";
}

/** Unix seconds as ISO 8601 (UTC). */
export function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
