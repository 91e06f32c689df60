import type { TypedDataDomain } from "ethers";

/**
 * Enums, limits, registration numbers and EIP-712 consent types of the achievement module,
 * mirroring contracts/achievement/IAchievementRegistry.sol (a test keeps them equal).
 */

export enum AchievementKind {
  None,
  Patent,
  SoftwareCopyright,
  IntegratedCircuitLayout,
  PlantVariety,
  TechnicalSecret,
  Standard,
  Other,
}

export enum Classification {
  None,
  BasicResearch,
  AppliedResearch,
  TechnologyDevelopment,
  Industrialisation,
}

/** 密级: 非密, 秘密, 机密, 绝密. */
export enum Secrecy {
  Open,
  Secret,
  Confidential,
  TopSecret,
}

export enum AchievementStatus {
  None,
  Registered,
  Evaluated,
  Listed,
  Licensed,
  Transferred,
}

export enum Right {
  Ownership,
  Use,
  Disposal,
  Income,
}

export enum Lock {
  Pledged,
  Disputed,
  Frozen,
}

/** Shares are basis points: the holders of a right always hold exactly this many. */
export const WHOLE_BPS = 10_000;
export const MAX_HOLDERS = 16;
export const MAX_INVENTORS = 16;
export const MAX_KEYWORDS = 3;
export const MAX_SCORE = 100;

/** The parts of a 12-digit registration number: region or department, year, type, serial. */
export interface RegistrationNumberParts {
  region: number;
  year: number;
  type: number;
  serial: number;
}

/**
 * Why `input` is not a registration number (12 digits: region 10–99, year 1978–2099, type 1–9,
 * serial 00001–99999), or undefined when it is one. Mirrors RegistrationNumber.sol.
 */
export function registrationNumberProblem(input: string | bigint): string | undefined {
  const text = typeof input === "bigint" ? input.toString() : input.trim();
  if (!/^\d{12}$/.test(text)) return `"${text}" is not 12 digits`;
  const { year, type, serial } = parseRegistrationNumber(text);
  if (text.startsWith("0")) return `"${text}" starts with 0 (region codes are 10–99)`;
  if (year < 1978 || year > 2099) return `year ${year} in "${text}" is outside 1978–2099`;
  if (type === 0) return `type digit of "${text}" is 0 (expected 1–9)`;
  if (serial === 0) return `serial of "${text}" is 00000`;
  return undefined;
}

/** Splits a 12-digit registration number into its parts (no validation). */
export function parseRegistrationNumber(input: string | bigint): RegistrationNumberParts {
  const text = typeof input === "bigint" ? input.toString().padStart(12, "0") : input.trim();
  return {
    region: Number(text.slice(0, 2)),
    year: Number(text.slice(2, 6)),
    type: Number(text.slice(6, 7)),
    serial: Number(text.slice(7, 12)),
  };
}

/** Builds a registration number from its parts. */
export function formatRegistrationNumber(p: RegistrationNumberParts): bigint {
  const text =
    String(p.region).padStart(2, "0") +
    String(p.year).padStart(4, "0") +
    String(p.type) +
    String(p.serial).padStart(5, "0");
  return BigInt(text);
}

/** The EIP-712 domain of consents: the AchievementRights contract on `chainId`. */
export function consentDomain(chainId: bigint, rights: string): TypedDataDomain {
  return { name: "govledger-achievement", version: "1", chainId, verifyingContract: rights };
}

/** EIP-712 type of a change of one right (IAchievementRegistry.RightsChange). */
export const RIGHTS_CHANGE_TYPES = {
  RightsChange: [
    { name: "achievement", type: "uint256" },
    { name: "right", type: "uint8" },
    { name: "holdings", type: "Holding[]" },
    { name: "until", type: "uint48" },
    { name: "holder", type: "address" },
    { name: "version", type: "uint32" },
    { name: "deadline", type: "uint48" },
  ],
  Holding: [
    { name: "did", type: "uint64" },
    { name: "bps", type: "uint16" },
  ],
};

/** EIP-712 type of pledge terms (IAchievementRights.PledgeTerms). */
export const PLEDGE_TYPES = {
  PledgeTerms: [
    { name: "achievement", type: "uint256" },
    { name: "lender", type: "uint64" },
    { name: "securedAmount", type: "uint96" },
    { name: "until", type: "uint48" },
    { name: "contractHash", type: "bytes32" },
    { name: "version", type: "uint32" },
    { name: "deadline", type: "uint48" },
  ],
};
