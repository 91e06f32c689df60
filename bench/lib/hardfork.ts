/**
 * Which hardfork a bytecode needs. Peers ship bytecode compiled by someone else, possibly for
 * shanghai (PUSH0) or cancun (MCOPY, TLOAD/TSTORE); our in-process chain defaults to london, our
 * production target, where those opcodes are invalid.
 */

/** Hardhat's hardfork names, oldest first. */
export const HARDFORKS = [
  "chainstart",
  "homestead",
  "dao",
  "tangerineWhistle",
  "spuriousDragon",
  "byzantium",
  "constantinople",
  "petersburg",
  "istanbul",
  "muirGlacier",
  "berlin",
  "london",
  "arrowGlacier",
  "grayGlacier",
  "merge",
  "shanghai",
  "cancun",
  "prague",
  "osaka",
] as const;
export type Hardfork = (typeof HARDFORKS)[number];

/** Opcodes that a london chain rejects, with the hardfork that introduced each. */
const NEWER_OPCODES: ReadonlyMap<number, { name: string; since: Hardfork }> = new Map([
  [0x5f, { name: "PUSH0", since: "shanghai" }],
  [0x5c, { name: "TLOAD", since: "cancun" }],
  [0x5d, { name: "TSTORE", since: "cancun" }],
  [0x5e, { name: "MCOPY", since: "cancun" }],
]);

/** EIP-7825 (osaka) caps one transaction's gas at 2^24, whatever the block gas limit. */
const OSAKA_TX_GAS_CAP = 2 ** 24;

export function isHardfork(name: string): name is Hardfork {
  return (HARDFORKS as readonly string[]).includes(name);
}

/** Whether hardfork `a` includes every change of hardfork `b`. */
export function hardforkAtLeast(a: Hardfork, b: Hardfork): boolean {
  return HARDFORKS.indexOf(a) >= HARDFORKS.indexOf(b);
}

/** The later of two hardforks. */
export function laterHardfork(a: Hardfork, b: Hardfork): Hardfork {
  return hardforkAtLeast(a, b) ? a : b;
}

/**
 * Drops the CBOR metadata solc appends to runtime code (its last two bytes give its length): the
 * metadata is data, and an IPFS hash byte equal to 0x5f would otherwise read as PUSH0.
 */
export function stripMetadata(code: Uint8Array): Uint8Array {
  if (code.length < 2) return code;
  const length = (code[code.length - 2] << 8) | code[code.length - 1];
  const start = code.length - 2 - length;
  // A CBOR map of one to three entries starts with 0xa1..0xa3; anything else is not metadata.
  if (length === 0 || start < 0 || code[start] < 0xa1 || code[start] > 0xa3) return code;
  return code.subarray(0, start);
}

/**
 * The newer-than-london opcodes in `hex`, by name. Walks opcode by opcode and skips PUSH1..PUSH32
 * immediates, so a data byte 0x5f (e.g. `PUSH1 0x5f`) is not mistaken for PUSH0.
 */
export function newerOpcodes(hex: string): string[] {
  const code = stripMetadata(Buffer.from(hex.replace(/^0x/, ""), "hex"));
  const found = new Set<string>();
  for (let i = 0; i < code.length; ++i) {
    const op = code[i];
    if (op >= 0x60 && op <= 0x7f) {
      i += op - 0x5f; // PUSHn carries n bytes of data
      continue;
    }
    const newer = NEWER_OPCODES.get(op);
    if (newer) found.add(newer.name);
  }
  return [...found].sort();
}

/** The oldest hardfork on which all of `runtimeCodes` run (london at least: our target). */
export function requiredHardfork(runtimeCodes: readonly string[]): Hardfork {
  let needed: Hardfork = "london";
  for (const hex of runtimeCodes) {
    for (const name of newerOpcodes(hex)) {
      const since = [...NEWER_OPCODES.values()].find((o) => o.name === name)?.since ?? "london";
      needed = laterHardfork(needed, since);
    }
  }
  return needed;
}

/** The most gas one transaction may use on `hardfork` with this block gas limit. */
export function txGasCap(hardfork: Hardfork, blockGasLimit: number): number {
  return hardforkAtLeast(hardfork, "osaka") ? Math.min(blockGasLimit, OSAKA_TX_GAS_CAP) : blockGasLimit;
}
