import { mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import path from "path";
import { build, type Plugin } from "esbuild";
import type { VerifierConfigJson } from "../../verifier/src/config";
import { parseArgs, resolveSetup, usageError } from "./options";

/**
 * Builds the verifier page (verifier/) into static files: index.html, style.css, main.js (the page
 * with the SDK), hash-worker.js (hashing off the page's thread) and config.json (where the chain is).
 * Any static web server can host the folder. `npm run verifier:build -- --out <dir>`.
 */

const ROOT = path.resolve(__dirname, "../..");
const PAGE = path.join(ROOT, "verifier");
const STATIC_FILES = ["index.html", "style.css"];

/** The SDK's Node-only imports, replaced in the browser by stand-ins (verifier/src/shims/). */
const nodeShims: Plugin = {
  name: "govledger-node-shims",
  setup(b) {
    b.onResolve({ filter: /^(node:)?(fs|path|crypto)$/ }, () => ({
      path: path.join(PAGE, "src/shims/node-builtin.ts"),
    }));
    b.onResolve({ filter: /^(node:)?async_hooks$/ }, () => ({ path: path.join(PAGE, "src/shims/async-hooks.ts") }));
  },
};

/** The page's files by name (config.json excepted), built in memory. */
export async function bundleVerifier(options: { minify?: boolean } = {}): Promise<Map<string, Uint8Array>> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: path.join(PAGE, "src/main.ts"), "hash-worker": path.join(PAGE, "src/hash-worker.ts") },
    bundle: true,
    platform: "browser",
    format: "iife",
    target: ["es2022", "chrome109", "firefox115", "safari16"],
    outdir: "/",
    write: false,
    minify: options.minify ?? true,
    sourcemap: "linked",
    legalComments: "linked",
    plugins: [nodeShims],
    inject: [path.join(PAGE, "src/shims/buffer.ts")],
    // The SDK's Node-only paths are never taken in the browser; nothing else should reach for Node.
    define: { "process.env.NODE_DEBUG": "undefined" },
    logLevel: "silent",
  });
  const files = new Map<string, Uint8Array>();
  for (const file of result.outputFiles) files.set(path.basename(file.path), file.contents);
  for (const name of STATIC_FILES) files.set(name, readFileSync(path.join(PAGE, name)));
  return files;
}

/** Writes the page and its config.json into `outDir` (emptied first). */
export async function writeVerifier(outDir: string, config: VerifierConfigJson): Promise<string[]> {
  const files = await bundleVerifier();
  files.set("config.json", Buffer.from(JSON.stringify(config, null, 2) + "\n"));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const [name, contents] of files) writeFileSync(path.join(outDir, name), contents);
  return [...files.keys()].sort();
}

const USAGE = `usage: npm run verifier:build -- [--out <dir>] [--network <name> | --deployment <file|dir>] [--rpc <url>] [--language zh|en]

Builds the verifier page into <dir> (default out/verifier/site) with a config.json naming the chain.
  --out <dir>            where to write the page (emptied first)
  --network <name>       read the deployment from deployments/<name>/ (and the RPC URL from the network's config)
  --deployment <path>    a deployment file (govledger deployment --json, or a hardhat-deploy export) or a
                         deployments/<name>/ folder
  --rpc <url>            the RPC URL(s) the page connects to, comma-separated; the node must allow the page's
                         origin (CORS), or put a proxy in front of it
  --language zh|en       the language the page starts in (default: the browser's)`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ["out", "network", "deployment", "rpc", "language"], USAGE);
  const setup = resolveSetup(args);
  const outDir = path.resolve(args.out ?? path.join(ROOT, "out/verifier/site"));
  if (args.language !== undefined && args.language !== "zh" && args.language !== "en") {
    throw usageError(`--language must be zh or en, got "${args.language}"`);
  }
  const config: VerifierConfigJson = {
    ...(setup.rpcUrl ? { rpcUrl: setup.rpcUrl } : {}),
    ...(setup.deployment ? { deployment: setup.deployment } : {}),
    ...(args.language ? { language: args.language as "zh" | "en" } : {}),
  };
  const started = Date.now();
  const files = await writeVerifier(outDir, config);
  console.log(
    `built the verifier page into ${outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${files.join(", ")}`,
  );
  if (!config.rpcUrl || !config.deployment) {
    console.log("config.json names no chain yet: edit it, or users enter the RPC URL and deployment file on the page");
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(`verifier:build: ${(e as Error).message}`);
    process.exit(1);
  });
}
