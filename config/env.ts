import { config as loadDotenv } from "dotenv";

loadDotenv({ quiet: true });

/** Reads an environment variable, treating an empty value as unset. */
export function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** Reads a non-negative integer environment variable, or the fallback when unset. */
export function envInt(name: string, fallback: number): number {
  const raw = env(name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}
