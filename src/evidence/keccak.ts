/**
 * Keccak-256 (Ethereum's pre-standard padding, not SHA3-256) for messages shorter than one rate block.
 *
 * Why a second Keccak beside @noble/hashes: a Merkle batch of N documents costs 3N - 1 permutations (two per
 * leaf, one per inner node) and checking one proof about 22. @noble/hashes keeps its state in typed arrays and
 * allocates per call, which measured about 4x slower than this version on the benchmark machine; with it we
 * could not meet the 100,000 documents/s target. This version keeps the 25 lanes in 50 local 32-bit variables
 * (lo, hi) with the round body unrolled, reads from and writes into caller-owned buffers and allocates nothing.
 * It is checked against @noble/hashes for every length it accepts (test/evidence/merkle.test.ts).
 */

/** Bytes absorbed per permutation for Keccak-256 (1600 - 2 * 256 bits). */
export const KECCAK256_RATE = 136;

/** Iota constants, two 32-bit halves (lo, hi) per round. */
const ROUND_CONSTANTS = new Uint32Array([
  0x1, 0x0, 0x8082, 0x0, 0x808a, 0x80000000, 0x80008000, 0x80000000, 0x808b, 0x0, 0x80000001, 0x0, 0x80008081,
  0x80000000, 0x8009, 0x80000000, 0x8a, 0x0, 0x88, 0x0, 0x80008009, 0x0, 0x8000000a, 0x0, 0x8000808b, 0x0, 0x8b,
  0x80000000, 0x8089, 0x80000000, 0x8003, 0x80000000, 0x8002, 0x80000000, 0x80, 0x80000000, 0x800a, 0x0, 0x8000000a,
  0x80000000, 0x80008081, 0x80000000, 0x8080, 0x80000000, 0x80000001, 0x0, 0x80008008, 0x80000000,
]);

/** The block being absorbed, as 34 little-endian 32-bit halves of lanes; permute() starts from it. */
const block = new Uint32Array(KECCAK256_RATE / 4);
const blockBytes = new Uint8Array(block.buffer);
const digestWords = new Uint32Array(8);
const digestBytes = new Uint8Array(digestWords.buffer);
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error("keccak: this implementation reads lanes as little-endian words and needs a little-endian CPU");
}

/**
 * Writes keccak256(input[offset, offset + length)) into output[outputOffset, outputOffset + 32).
 * Requirements: length < 136 (one block), so the whole message and its padding fit in one permutation.
 */
export function keccak256Into(
  input: Uint8Array,
  offset: number,
  length: number,
  output: Uint8Array,
  outputOffset: number,
): void {
  if (length >= KECCAK256_RATE) {
    throw new RangeError(`keccak256Into hashes at most ${KECCAK256_RATE - 1} bytes, got ${length}`);
  }
  blockBytes.fill(0);
  blockBytes.set(input.subarray(offset, offset + length));
  blockBytes[length] ^= 0x01;
  blockBytes[KECCAK256_RATE - 1] ^= 0x80;
  permute(digestWords, 0);
  output.set(digestBytes, outputOffset);
}

/*
 * The Merkle hot path works on Uint32Array views of 32-byte EVM words (8 halves each, 4-byte aligned), so a
 * message is copied in as 8 or 16 numbers instead of 32 or 64 bytes. Offsets below count 32-bit halves.
 */

/** keccak256 of the 32-byte word at words[at, at + 8), into out[outAt, outAt + 8). */
export function keccak256OfWord(words: Uint32Array, at: number, out: Uint32Array, outAt: number): void {
  block.fill(0);
  for (let i = 0; i < 8; i++) block[i] = words[at + i];
  block[8] = 0x01;
  block[33] = 0x80000000;
  permute(out, outAt);
}

/** keccak256 of the 64 bytes words[first, first + 8) ++ words[second, second + 8), into out[outAt, outAt + 8). */
export function keccak256OfWordPair(
  words: Uint32Array,
  first: number,
  second: number,
  out: Uint32Array,
  outAt: number,
): void {
  block.fill(0);
  for (let i = 0; i < 8; i++) {
    block[i] = words[first + i];
    block[8 + i] = words[second + i];
  }
  block[16] = 0x01;
  block[33] = 0x80000000;
  permute(out, outAt);
}

function permute(out: Uint32Array, outAt: number): void {
  const w = block;
  let a0 = w[0],
    a1 = w[1],
    a2 = w[2],
    a3 = w[3],
    a4 = w[4],
    a5 = w[5],
    a6 = w[6],
    a7 = w[7],
    a8 = w[8],
    a9 = w[9],
    a10 = w[10],
    a11 = w[11],
    a12 = w[12],
    a13 = w[13],
    a14 = w[14],
    a15 = w[15],
    a16 = w[16],
    a17 = w[17],
    a18 = w[18],
    a19 = w[19],
    a20 = w[20],
    a21 = w[21],
    a22 = w[22],
    a23 = w[23],
    a24 = w[24],
    a25 = w[25],
    a26 = w[26],
    a27 = w[27],
    a28 = w[28],
    a29 = w[29],
    a30 = w[30],
    a31 = w[31],
    a32 = w[32],
    a33 = w[33];
  let a34 = 0,
    a35 = 0,
    a36 = 0,
    a37 = 0,
    a38 = 0,
    a39 = 0,
    a40 = 0,
    a41 = 0,
    a42 = 0,
    a43 = 0,
    a44 = 0,
    a45 = 0,
    a46 = 0,
    a47 = 0,
    a48 = 0,
    a49 = 0;
  let b0 = 0,
    b1 = 0,
    b2 = 0,
    b3 = 0,
    b4 = 0,
    b5 = 0,
    b6 = 0,
    b7 = 0,
    b8 = 0,
    b9 = 0,
    b10 = 0,
    b11 = 0,
    b12 = 0,
    b13 = 0,
    b14 = 0,
    b15 = 0,
    b16 = 0,
    b17 = 0,
    b18 = 0,
    b19 = 0,
    b20 = 0,
    b21 = 0,
    b22 = 0,
    b23 = 0,
    b24 = 0,
    b25 = 0,
    b26 = 0,
    b27 = 0,
    b28 = 0,
    b29 = 0,
    b30 = 0,
    b31 = 0,
    b32 = 0,
    b33 = 0,
    b34 = 0,
    b35 = 0,
    b36 = 0,
    b37 = 0,
    b38 = 0,
    b39 = 0,
    b40 = 0,
    b41 = 0,
    b42 = 0,
    b43 = 0,
    b44 = 0,
    b45 = 0,
    b46 = 0,
    b47 = 0,
    b48 = 0,
    b49 = 0;
  let c0 = 0,
    c1 = 0,
    c2 = 0,
    c3 = 0,
    c4 = 0,
    c5 = 0,
    c6 = 0,
    c7 = 0,
    c8 = 0,
    c9 = 0,
    dl = 0,
    dh = 0;
  for (let r = 0; r < 48; r += 2) {
    c0 = a0 ^ a10 ^ a20 ^ a30 ^ a40;
    c1 = a1 ^ a11 ^ a21 ^ a31 ^ a41;
    c2 = a2 ^ a12 ^ a22 ^ a32 ^ a42;
    c3 = a3 ^ a13 ^ a23 ^ a33 ^ a43;
    c4 = a4 ^ a14 ^ a24 ^ a34 ^ a44;
    c5 = a5 ^ a15 ^ a25 ^ a35 ^ a45;
    c6 = a6 ^ a16 ^ a26 ^ a36 ^ a46;
    c7 = a7 ^ a17 ^ a27 ^ a37 ^ a47;
    c8 = a8 ^ a18 ^ a28 ^ a38 ^ a48;
    c9 = a9 ^ a19 ^ a29 ^ a39 ^ a49;
    dl = c8 ^ ((c2 << 1) | (c3 >>> 31));
    dh = c9 ^ ((c3 << 1) | (c2 >>> 31));
    a0 ^= dl;
    a1 ^= dh;
    a10 ^= dl;
    a11 ^= dh;
    a20 ^= dl;
    a21 ^= dh;
    a30 ^= dl;
    a31 ^= dh;
    a40 ^= dl;
    a41 ^= dh;
    dl = c0 ^ ((c4 << 1) | (c5 >>> 31));
    dh = c1 ^ ((c5 << 1) | (c4 >>> 31));
    a2 ^= dl;
    a3 ^= dh;
    a12 ^= dl;
    a13 ^= dh;
    a22 ^= dl;
    a23 ^= dh;
    a32 ^= dl;
    a33 ^= dh;
    a42 ^= dl;
    a43 ^= dh;
    dl = c2 ^ ((c6 << 1) | (c7 >>> 31));
    dh = c3 ^ ((c7 << 1) | (c6 >>> 31));
    a4 ^= dl;
    a5 ^= dh;
    a14 ^= dl;
    a15 ^= dh;
    a24 ^= dl;
    a25 ^= dh;
    a34 ^= dl;
    a35 ^= dh;
    a44 ^= dl;
    a45 ^= dh;
    dl = c4 ^ ((c8 << 1) | (c9 >>> 31));
    dh = c5 ^ ((c9 << 1) | (c8 >>> 31));
    a6 ^= dl;
    a7 ^= dh;
    a16 ^= dl;
    a17 ^= dh;
    a26 ^= dl;
    a27 ^= dh;
    a36 ^= dl;
    a37 ^= dh;
    a46 ^= dl;
    a47 ^= dh;
    dl = c6 ^ ((c0 << 1) | (c1 >>> 31));
    dh = c7 ^ ((c1 << 1) | (c0 >>> 31));
    a8 ^= dl;
    a9 ^= dh;
    a18 ^= dl;
    a19 ^= dh;
    a28 ^= dl;
    a29 ^= dh;
    a38 ^= dl;
    a39 ^= dh;
    a48 ^= dl;
    a49 ^= dh;
    b0 = a0;
    b1 = a1;
    b32 = (a11 << 4) | (a10 >>> 28);
    b33 = (a10 << 4) | (a11 >>> 28);
    b14 = (a20 << 3) | (a21 >>> 29);
    b15 = (a21 << 3) | (a20 >>> 29);
    b46 = (a31 << 9) | (a30 >>> 23);
    b47 = (a30 << 9) | (a31 >>> 23);
    b28 = (a40 << 18) | (a41 >>> 14);
    b29 = (a41 << 18) | (a40 >>> 14);
    b20 = (a2 << 1) | (a3 >>> 31);
    b21 = (a3 << 1) | (a2 >>> 31);
    b2 = (a13 << 12) | (a12 >>> 20);
    b3 = (a12 << 12) | (a13 >>> 20);
    b34 = (a22 << 10) | (a23 >>> 22);
    b35 = (a23 << 10) | (a22 >>> 22);
    b16 = (a33 << 13) | (a32 >>> 19);
    b17 = (a32 << 13) | (a33 >>> 19);
    b48 = (a42 << 2) | (a43 >>> 30);
    b49 = (a43 << 2) | (a42 >>> 30);
    b40 = (a5 << 30) | (a4 >>> 2);
    b41 = (a4 << 30) | (a5 >>> 2);
    b22 = (a14 << 6) | (a15 >>> 26);
    b23 = (a15 << 6) | (a14 >>> 26);
    b4 = (a25 << 11) | (a24 >>> 21);
    b5 = (a24 << 11) | (a25 >>> 21);
    b36 = (a34 << 15) | (a35 >>> 17);
    b37 = (a35 << 15) | (a34 >>> 17);
    b18 = (a45 << 29) | (a44 >>> 3);
    b19 = (a44 << 29) | (a45 >>> 3);
    b10 = (a6 << 28) | (a7 >>> 4);
    b11 = (a7 << 28) | (a6 >>> 4);
    b42 = (a17 << 23) | (a16 >>> 9);
    b43 = (a16 << 23) | (a17 >>> 9);
    b24 = (a26 << 25) | (a27 >>> 7);
    b25 = (a27 << 25) | (a26 >>> 7);
    b6 = (a36 << 21) | (a37 >>> 11);
    b7 = (a37 << 21) | (a36 >>> 11);
    b38 = (a47 << 24) | (a46 >>> 8);
    b39 = (a46 << 24) | (a47 >>> 8);
    b30 = (a8 << 27) | (a9 >>> 5);
    b31 = (a9 << 27) | (a8 >>> 5);
    b12 = (a18 << 20) | (a19 >>> 12);
    b13 = (a19 << 20) | (a18 >>> 12);
    b44 = (a29 << 7) | (a28 >>> 25);
    b45 = (a28 << 7) | (a29 >>> 25);
    b26 = (a38 << 8) | (a39 >>> 24);
    b27 = (a39 << 8) | (a38 >>> 24);
    b8 = (a48 << 14) | (a49 >>> 18);
    b9 = (a49 << 14) | (a48 >>> 18);
    a0 = b0 ^ (~b2 & b4);
    a1 = b1 ^ (~b3 & b5);
    a2 = b2 ^ (~b4 & b6);
    a3 = b3 ^ (~b5 & b7);
    a4 = b4 ^ (~b6 & b8);
    a5 = b5 ^ (~b7 & b9);
    a6 = b6 ^ (~b8 & b0);
    a7 = b7 ^ (~b9 & b1);
    a8 = b8 ^ (~b0 & b2);
    a9 = b9 ^ (~b1 & b3);
    a10 = b10 ^ (~b12 & b14);
    a11 = b11 ^ (~b13 & b15);
    a12 = b12 ^ (~b14 & b16);
    a13 = b13 ^ (~b15 & b17);
    a14 = b14 ^ (~b16 & b18);
    a15 = b15 ^ (~b17 & b19);
    a16 = b16 ^ (~b18 & b10);
    a17 = b17 ^ (~b19 & b11);
    a18 = b18 ^ (~b10 & b12);
    a19 = b19 ^ (~b11 & b13);
    a20 = b20 ^ (~b22 & b24);
    a21 = b21 ^ (~b23 & b25);
    a22 = b22 ^ (~b24 & b26);
    a23 = b23 ^ (~b25 & b27);
    a24 = b24 ^ (~b26 & b28);
    a25 = b25 ^ (~b27 & b29);
    a26 = b26 ^ (~b28 & b20);
    a27 = b27 ^ (~b29 & b21);
    a28 = b28 ^ (~b20 & b22);
    a29 = b29 ^ (~b21 & b23);
    a30 = b30 ^ (~b32 & b34);
    a31 = b31 ^ (~b33 & b35);
    a32 = b32 ^ (~b34 & b36);
    a33 = b33 ^ (~b35 & b37);
    a34 = b34 ^ (~b36 & b38);
    a35 = b35 ^ (~b37 & b39);
    a36 = b36 ^ (~b38 & b30);
    a37 = b37 ^ (~b39 & b31);
    a38 = b38 ^ (~b30 & b32);
    a39 = b39 ^ (~b31 & b33);
    a40 = b40 ^ (~b42 & b44);
    a41 = b41 ^ (~b43 & b45);
    a42 = b42 ^ (~b44 & b46);
    a43 = b43 ^ (~b45 & b47);
    a44 = b44 ^ (~b46 & b48);
    a45 = b45 ^ (~b47 & b49);
    a46 = b46 ^ (~b48 & b40);
    a47 = b47 ^ (~b49 & b41);
    a48 = b48 ^ (~b40 & b42);
    a49 = b49 ^ (~b41 & b43);
    a0 ^= ROUND_CONSTANTS[r];
    a1 ^= ROUND_CONSTANTS[r + 1];
  }
  out[outAt] = a0;
  out[outAt + 1] = a1;
  out[outAt + 2] = a2;
  out[outAt + 3] = a3;
  out[outAt + 4] = a4;
  out[outAt + 5] = a5;
  out[outAt + 6] = a6;
  out[outAt + 7] = a7;
}
