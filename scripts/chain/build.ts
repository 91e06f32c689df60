import { ChainError, GETH_PATH, GETH_VERSION, buildGeth, gethVersion } from "./geth";

/** `npm run chain:build`: builds bin/geth (v1.13.15) from the Go module proxy, or says it is there. */
async function main(): Promise<void> {
  const force = process.argv.includes("--force");
  const version = gethVersion();
  if (!force && version?.startsWith(GETH_VERSION)) {
    console.log(`${GETH_PATH} is geth ${version} already (pass --force to rebuild)`);
    return;
  }
  await buildGeth();
}

main().catch((e: unknown) => {
  console.error(e instanceof ChainError ? `error: ${e.message}` : e);
  process.exit(1);
});
