/**
 * Off-chain evidence throughput: digests -> Merkle tree -> root -> one JSON proof line per document, then offline
 * proof verification and streaming file hashing beside the system tools.
 * Usage: npx ts-node --transpile-only bench/evidence-offchain.ts [--docs N] [--file-mb M] [--files K]
 * Writes out/evidence-proofs.jsonl and bench/evidence-offchain.json.
 */
import { execFileSync, spawnSync } from "child_process";
import { randomBytes } from "crypto";
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from "fs";
import { join } from "path";
import { DigestAlgorithm, digestFile } from "../src/evidence/digest";
import { EvidenceMerkleTree, verifyProof } from "../src/evidence/merkle";

const TARGET_DOCS_PER_S = 100_000;
const TARGET_VERIFICATIONS_PER_S = 100_000;
const VERIFY_SAMPLE = 100_000;
const OUT_DIR = "out";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} needs a positive integer`);
  return value;
}

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

/**
 * Streams `{"index":i,"digest":"0x..","proof":["0x..",...]}` lines through one preallocated buffer. Node hex is
 * computed once for the whole tree, so a line is byte copies only: JSON.stringify per line cost more than the
 * hashing.
 */
function writeProofLines(tree: EvidenceMerkleTree, packedDigests: Uint8Array, path: string): number {
  const nodeHex = Buffer.from(Buffer.from(tree.nodeBytes()).toString("hex"), "latin1");
  const digestHex = Buffer.from(Buffer.from(packedDigests).toString("hex"), "latin1");
  const chunk = Buffer.allocUnsafe(8 << 20);
  const fd = openSync(path, "w");
  let used = 0;
  let written = 0;
  const copyHex = (source: Buffer, at: number): void => {
    chunk[used++] = 0x22; // "
    chunk[used++] = 0x30; // 0
    chunk[used++] = 0x78; // x
    for (let i = at * 64, end = i + 64; i < end; i++) chunk[used++] = source[i];
    chunk[used++] = 0x22;
  };
  for (let index = 0; index < tree.length; index++) {
    if (used > chunk.length - 4096) {
      written += writeSync(fd, chunk, 0, used);
      used = 0;
    }
    used += chunk.write(`{"index":${index},"digest":`, used, "latin1");
    copyHex(digestHex, index);
    used += chunk.write(`,"proof":[`, used, "latin1");
    const nodes = tree.proofNodes(index);
    for (let k = 0; k < nodes.length; k++) {
      if (k > 0) chunk[used++] = 0x2c; // ,
      copyHex(nodeHex, nodes[k]);
    }
    used += chunk.write("]}\n", used, "latin1");
  }
  written += writeSync(fd, chunk, 0, used);
  closeSync(fd);
  return written;
}

function benchBatch(docs: number) {
  const packed = randomBytes(docs * 32);
  const start = process.hrtime.bigint();
  const tree = EvidenceMerkleTree.ofPacked(packed);
  const treeSeconds = seconds(start);
  const bytes = writeProofLines(tree, packed, join(OUT_DIR, "evidence-proofs.jsonl"));
  const totalSeconds = seconds(start);

  const sample = Math.min(docs, VERIFY_SAMPLE);
  const step = Math.max(1, Math.floor(docs / sample));
  const cases = Array.from({ length: sample }, (_, k) => {
    const i = k * step;
    return { digest: "0x" + Buffer.from(packed.subarray(i * 32, i * 32 + 32)).toString("hex"), proof: tree.proof(i) };
  });
  const root = tree.root;
  const verifyStart = process.hrtime.bigint();
  let failures = 0;
  for (const c of cases) if (!verifyProof(root, c.digest, c.proof)) failures++;
  const verifySeconds = seconds(verifyStart);
  if (failures > 0) throw new Error(`${failures} proofs failed to verify`);
  return {
    docs,
    root,
    treeSeconds,
    totalSeconds,
    docsPerSecond: docs / totalSeconds,
    proofFileMB: bytes / 2 ** 20,
    verified: sample,
    verificationsPerSecond: sample / verifySeconds,
  };
}

function toolAvailable(tool: string, args: string[]): boolean {
  return spawnSync(tool, args, { stdio: "ignore" }).status === 0;
}

async function benchFileHashing(fileMB: number, files: number) {
  const dir = join(OUT_DIR, "evidence-bench-files");
  mkdirSync(dir, { recursive: true });
  const paths = Array.from({ length: files }, (_, i) => join(dir, `file-${i}.bin`));
  for (const path of paths) writeFileSync(path, randomBytes(fileMB << 20));
  const totalMB = fileMB * files;
  const rate = (s: number) => totalMB / s;
  const results: Record<string, number | string> = {};
  const time = async (name: string, run: () => Promise<unknown> | unknown) => {
    const start = process.hrtime.bigint();
    await run();
    results[name] = rate(seconds(start));
  };
  await time("govledger sha256 (streaming)", async () => {
    for (const p of paths) await digestFile(p, DigestAlgorithm.SHA256);
  });
  await time("govledger sm3 (streaming)", async () => {
    for (const p of paths) await digestFile(p, DigestAlgorithm.SM3);
  });
  await time("govledger keccak256 (streaming, @noble/hashes)", async () => {
    for (const p of paths) await digestFile(p, DigestAlgorithm.KECCAK256);
  });
  if (toolAvailable("sha256sum", ["--version"])) {
    await time("sha256sum", () => execFileSync("sha256sum", paths));
  } else results["sha256sum"] = "not installed";
  if (toolAvailable("openssl", ["dgst", "-sm3", "/dev/null"])) {
    await time("openssl dgst -sm3", () => execFileSync("openssl", ["dgst", "-sm3", ...paths]));
    await time("openssl dgst -sha256", () => execFileSync("openssl", ["dgst", "-sha256", ...paths]));
  } else results["openssl dgst -sm3"] = "openssl missing or without SM3";
  rmSync(dir, { recursive: true, force: true });
  return { files, fileMB, mbPerSecond: results };
}

async function main(): Promise<void> {
  const docs = option("docs", 1_000_000);
  mkdirSync(OUT_DIR, { recursive: true });
  const batch = benchBatch(docs);
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  const hashing = await benchFileHashing(option("file-mb", 64), option("files", 4));
  const report = {
    machine: { node: process.version, cpus: (await import("os")).cpus()[0]?.model ?? "unknown" },
    batch: { ...batch, peakRssMB },
    targets: {
      docsPerSecond: { target: TARGET_DOCS_PER_S, met: batch.docsPerSecond >= TARGET_DOCS_PER_S },
      verificationsPerSecond: {
        target: TARGET_VERIFICATIONS_PER_S,
        met: batch.verificationsPerSecond >= TARGET_VERIFICATIONS_PER_S,
      },
    },
    hashing,
  };
  writeFileSync(join("bench", "evidence-offchain.json"), JSON.stringify(report, null, 2) + "\n");
  const row = (k: string, v: string) => console.log(`${k.padEnd(48)} ${v}`);
  row("documents", String(docs));
  row("tree build (s)", batch.treeSeconds.toFixed(2));
  row("end to end: digests -> root -> proof lines (s)", batch.totalSeconds.toFixed(2));
  row("documents/s end to end", `${Math.round(batch.docsPerSecond)} (target ${TARGET_DOCS_PER_S})`);
  row("proof file (MB)", batch.proofFileMB.toFixed(0));
  row(
    `proof verifications/s (${batch.verified} sampled)`,
    `${Math.round(batch.verificationsPerSecond)} (target ${TARGET_VERIFICATIONS_PER_S})`,
  );
  row("peak RSS (MB)", peakRssMB.toFixed(0));
  for (const [tool, mbps] of Object.entries(hashing.mbPerSecond)) {
    row(`${tool} MB/s`, typeof mbps === "number" ? mbps.toFixed(0) : mbps);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
