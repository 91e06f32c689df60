import { spawnSync } from "child_process";
import path from "path";
import { expect } from "chai";
import { consortium, writeDeploymentsRoot } from "./harness";

const BIN = path.resolve(__dirname, "..", "..", "bin", "govledger.js");

/** Runs the real binary in `cwd` with no GOVLEDGER_* variables from the test's environment. */
function spawnGovledger(args: string[], cwd: string, vars: Record<string, string> = {}) {
  const inherited = Object.entries(process.env).filter(([k]) => !k.startsWith("GOVLEDGER_"));
  const env = { ...Object.fromEntries(inherited), ...vars };
  return spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: "utf8", timeout: 120_000 });
}

describe("bin/govledger.js", function () {
  let root: string;

  before(async function () {
    root = await consortium();
  });

  it("fails with one line and exit status 1 on an unknown network", function () {
    const run = spawnGovledger(["--network", "nosuchnet", "deployment"], root);
    expect(run.stdout).to.equal("");
    expect(run.stderr).to.match(
      /^govledger: unknown network "nosuchnet": known networks are localhost, consortium, remote .*\n$/,
    );
    expect(run.status).to.equal(1);
  });

  it("fails with one line and exit status 1 when the network has no deployment, without a chain", function () {
    const run = spawnGovledger(["--network", "localhost", "members", "list"], root);
    expect(run.stdout).to.equal("");
    expect(run.stderr).to.match(/^govledger: no deployment for network "localhost" in .*\n$/);
    expect(run.stderr.trimEnd().split("\n")).to.have.lengthOf(1);
    expect(run.status).to.equal(1);
  });

  it("fails with one line when the node cannot be reached", async function () {
    const withLocalhost = await writeDeploymentsRoot("localhost");
    const run = spawnGovledger(["--network", "localhost", "council", "status"], withLocalhost, {
      GOVLEDGER_LOCALHOST_URL: "http://127.0.0.1:9",
    });
    expect(run.stdout).to.equal("");
    expect(run.stderr).to.match(
      /^govledger: cannot reach the "localhost" node at http:\/\/127\.0\.0\.1:9 .*fix GOVLEDGER_LOCALHOST_URL in \.env\n$/,
    );
    expect(run.status).to.equal(1);
  });

  it("fails with one line when the remote network has no URL", async function () {
    const withRemote = await writeDeploymentsRoot("remote");
    const run = spawnGovledger(["--network", "remote", "members", "list"], withRemote);
    expect(run.stderr).to.equal('govledger: network "remote" has no RPC URL: set GOVLEDGER_RPC_URL in .env\n');
    expect(run.status).to.equal(1);
  });

  it("prints help on stdout with exit status 0", function () {
    const run = spawnGovledger(["--help"], root);
    expect(run.stderr).to.equal("");
    expect(run.stdout).to.match(/^Usage: govledger \[options\] \[command\]/);
    expect(run.status).to.equal(0);
  });
});
