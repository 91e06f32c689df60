#!/usr/bin/env node
"use strict";
// The govledger CLI: compiles the TypeScript sources on the fly (transpile only, no type check).
const path = require("path");

const root = path.resolve(__dirname, "..");
require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });

let cli;
try {
  cli = require(path.join(root, "src", "cli", "main.ts"));
} catch (e) {
  const hint = /typechain-types/.test(String(e && e.message)) ? " (run `npx hardhat compile` first)" : "";
  process.stderr.write(`govledger: cannot load the CLI: ${String(e && e.message).split("\n")[0]}${hint}\n`);
  process.exitCode = 1;
}

if (cli) {
  cli.main().then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`govledger: ${String(e && e.message).split("\n")[0]}\n`);
      process.exitCode = 1;
    },
  );
}
