/**
 * Injected into the browser bundle wherever the SDK names the global `Buffer` (hex conversions of
 * Merkle nodes in src/evidence/merkle.ts): the `buffer` package, the browser port of Node's Buffer.
 */
export { Buffer } from "buffer";
