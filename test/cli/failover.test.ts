import http from "http";
import net from "net";
import { expect } from "chai";
import { network } from "hardhat";
import { JsonRpcServer } from "hardhat/internal/hardhat-network/jsonrpc/server";
import { describeFailure } from "../../src/cli/errors";
import { TransactionInDoubtError } from "../../src/sdk";
import { KEYS, consortium, govledger, writeDeploymentsRoot } from "./harness";

/** The CLI against real HTTP endpoints (Hardhat's chain served over JSON-RPC), without the test provider. */
describe("CLI: several RPC endpoints (--rpc, GOVLEDGER_RPC_URLS) and tx status", function () {
  let server: JsonRpcServer;
  let live: string;
  let dead: string;
  let root: string;

  before(async function () {
    server = new JsonRpcServer({ hostname: "127.0.0.1", port: 0, provider: network.provider });
    live = `http://127.0.0.1:${(await server.listen()).port}`;
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    dead = `http://127.0.0.1:${(s.address() as net.AddressInfo).port}`;
    await new Promise((r) => s.close(r));
  });

  beforeEach(async function () {
    await consortium();
    root ??= await writeDeploymentsRoot("localhost", "31337");
  });

  after(async function () {
    (server as unknown as { _httpServer: http.Server })._httpServer.closeAllConnections();
    await server.close();
  });

  /** `govledger --network localhost` over real HTTP, as the binary runs. */
  const run = (args: string[], key?: string, env: Record<string, string> = {}) =>
    govledger(["--network", "localhost", "--deployments", root, ...args], key, { bare: true, noProvider: true, env });

  it("reads and writes through the live node when the first URL is dead, then says the write is mined", async function () {
    const list = await run(["--rpc", `${dead},${live}`, "members", "list"]);
    expect(list.stderr).to.deep.equal([]);
    expect(list.stdout.join("\n")).to.include("Consortium Security Office");

    const proposed = await run(
      ["--json", "--rpc", `${dead},${live}`, "council", "propose", "set-threshold", "3"],
      KEYS.councillor1,
    );
    expect(proposed.stderr).to.deep.equal([]);
    const { transactionHash } = JSON.parse(proposed.stdout.join("\n")) as { transactionHash: string };

    const status = await run(["tx", "status", transactionHash], undefined, { GOVLEDGER_RPC_URLS: `${dead},${live}` });
    expect(status.code).to.equal(0);
    expect(status.stdout[0]).to.match(/^state\s+mined$/);
    expect(status.stdout.at(-1)).to.match(/is in block \d+: nothing to send$/);
  });

  it("says which nodes it could not reach, and refuses a node of another chain", async function () {
    const none = await run(["--rpc", `${dead},${dead.replace(/\d+$/, "9")}`, "members", "list"]);
    expect(none.code).to.equal(1);
    expect(none.stderr).to.have.lengthOf(1);
    expect(none.stderr[0]).to.match(
      /^govledger: cannot reach any "localhost" node: http:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\): start a node or fix --rpc \(or GOVLEDGER_RPC_URLS\)$/,
    );

    const other = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end('{"jsonrpc":"2.0","id":0,"result":"0x1"}');
    });
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(other.address() as net.AddressInfo).port}`;
      const wrong = await run(["--rpc", `${live},${url}`, "members", "list"]);
      expect(wrong.code).to.equal(1);
      expect(wrong.stderr).to.deep.equal([
        `govledger: wrong network: ${url} reports chain id 1, the chain id expected is 31337; every RPC URL must be a node of the same chain (fix the URL list)`,
      ]);
    } finally {
      other.closeAllConnections();
      await new Promise((r) => other.close(r));
    }

    const bad = await run(["--rpc", "localhost:8545", "members", "list"]);
    expect(bad.stderr[0]).to.match(/^govledger: --rpc: "localhost:8545" is not an http\(s\) RPC URL/);
  });

  it("refuses a malformed hash and half of --from/--nonce before connecting", async function () {
    const badHash = await run(["tx", "status", "0x12"]);
    expect(badHash.stderr[0]).to.match(/transaction hash "0x12" is not valid/);
    const half = await run(["tx", "status", `0x${"ab".repeat(32)}`, "--from", KEYS.deployer.slice(0, 42)]);
    expect(half.stderr[0]).to.match(/give --from and --nonce together/);
  });

  it("tells a user whose write timed out to check it, not to run the command again", function () {
    const hash = `0x${"cd".repeat(32)}`;
    const error = new TransactionInDoubtError({ hash }, "receipt-timeout", `transaction ${hash} has no receipt`, "…");
    expect(describeFailure(error)).to.equal(
      `transaction ${hash} has no receipt — do not run the command again before \`govledger tx status ${hash}\` says it was dropped or replaced`,
    );
  });
});
