import http from "http";
import net from "net";
import { expect } from "chai";
import { HDNodeWallet, Wallet } from "ethers";
import { deployments, ethers, network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HardhatNetworkHDAccountsConfig } from "hardhat/types";
import { JsonRpcServer } from "hardhat/internal/hardhat-network/jsonrpc/server";
import {
  DeploymentError,
  FailoverProvider,
  GovLedger,
  GovLedgerError,
  RpcUnreachableError,
  TransactionInDoubtError,
  TransactionReplacedError,
  deploymentFromRecords,
  type Deployment,
} from "../../src/sdk";

/** The private key of Hardhat account #`index`. */
function hardhatKey(index: number): string {
  const accounts = network.config.accounts as HardhatNetworkHDAccountsConfig;
  return HDNodeWallet.fromPhrase(accounts.mnemonic, accounts.passphrase, `${accounts.path}/${index}`).privateKey;
}

const rpc = (method: string, params: unknown[] = []) => network.provider.send(method, params);

/** Mined and pending transaction counts of `address`: a re-send would show in either. */
async function counts(address: string): Promise<{ mined: number; pending: number }> {
  return {
    mined: await ethers.provider.getTransactionCount(address, "latest"),
    pending: await ethers.provider.getTransactionCount(address, "pending"),
  };
}

describe("SDK on a real chain: timeouts, recovery, failover, zero gas", function () {
  let deployment: Deployment;
  let councillor: HardhatEthersSigner;
  let other: HardhatEthersSigner;

  beforeEach(async function () {
    await deployments.fixture();
    deployment = deploymentFromRecords("hardhat", 31337n, await deployments.all());
    [councillor, other] = (await ethers.getSigners()).slice(1, 3);
  });

  afterEach(async function () {
    await rpc("evm_setAutomine", [true]);
  });

  /** A council write that succeeds: propose granting member 4 the notary role. */
  const proposal = (gl: GovLedger) => gl.council.propose(gl.members.grantRole(4n, "notary"));

  /** With automine off: a proposal sent, dropped from the pool, and another sent with its nonce (pending). */
  async function replacedWrite() {
    const gl = await GovLedger.connect(councillor, deployment);
    await rpc("evm_setAutomine", [false]);
    const first = await proposal(gl).send();
    await rpc("hardhat_dropTransaction", [first.hash]);
    const second = await gl.council.propose(gl.members.grantRole(4n, "auditor")).send();
    expect(second.sent.nonce).to.equal(first.sent.nonce);
    return { gl, first, second };
  }

  describe("receipts awaited with a timeout", function () {
    it("throws TransactionInDoubtError with the hash, sends nothing more, and the recovery finds the receipt once mined", async function () {
      const gl = await GovLedger.connect(councillor, deployment);
      await rpc("evm_setAutomine", [false]);
      const call = proposal(gl);
      const submitted = await call.send();
      expect(submitted.sent).to.deep.include({ hash: submitted.hash, from: councillor.address });
      expect(submitted.sent.raw, "the signed bytes are kept").to.match(/^0x[0-9a-f]+$/);
      const before = await counts(councillor.address);
      expect(before.pending - before.mined).to.equal(1);

      const error = await submitted.wait({ timeoutMs: 300 }).then(
        () => expect.fail("a pending transaction cannot have a receipt"),
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(TransactionInDoubtError);
      const doubt = error as TransactionInDoubtError;
      expect(doubt.hash).to.equal(submitted.hash);
      expect(doubt.reason).to.equal("receipt-timeout");
      expect(doubt.sent).to.deep.equal(submitted.sent);
      expect(doubt.message).to.equal(
        `transaction ${submitted.hash} (nonce ${submitted.sent.nonce} of ${councillor.address}) has no receipt after 300 ms: it may still land, so it was not sent again`,
      );
      expect(doubt.fix).to.include(`gl.transactions.status("${submitted.hash}")`);
      expect(await counts(councillor.address), "nothing was re-sent").to.deep.equal(before);

      const pending = await gl.transactions.status(doubt.sent);
      expect(pending).to.deep.include({ state: "pending", hash: submitted.hash, nonce: submitted.sent.nonce });

      await rpc("evm_mine");
      const resumed = await gl.transactions.resumeOrResend(doubt.sent);
      expect(resumed.outcome).to.equal("mined");
      expect(resumed.hash).to.equal(submitted.hash);
      expect(call.resultOf(resumed.receipt)).to.deep.equal({ id: 1n, queued: undefined });
      expect(await counts(councillor.address)).to.deep.equal({ mined: before.pending, pending: before.pending });
      expect((await gl.transactions.status(submitted.hash)).state).to.equal("mined");
    });

    it("takes the ledger's receiptTimeoutMs for every write, and waits for a pending one when resumed", async function () {
      const gl = await GovLedger.connect(councillor, deployment, { receiptTimeoutMs: 200 });
      await rpc("evm_setAutomine", [false]);
      const error = await proposal(gl)
        .wait()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TransactionInDoubtError);
      expect((error as Error).message).to.match(/has no receipt after 200 ms: it may still land/);

      const resuming = gl.transactions.resumeOrResend((error as TransactionInDoubtError).sent, { timeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, 100));
      await rpc("evm_mine");
      const resumed = await resuming;
      expect(resumed.outcome).to.equal("waited");
      expect(resumed.receipt.status).to.equal(1);
      expect((await gl.council.status()).proposals).to.equal(1n);
    });

    it("waits with the default timeout without changing a write that lands at once", async function () {
      const gl = await GovLedger.connect(councillor, deployment);
      expect(await proposal(gl).wait()).to.deep.equal({ id: 1n, queued: undefined });
    });

    it("detects, while waiting, that another transaction took the nonce, instead of waiting out the timeout", async function () {
      const { first, second } = await replacedWrite();
      await rpc("evm_mine");

      const error = await first.wait({ timeoutMs: 60_000 }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TransactionReplacedError);
      expect((error as TransactionReplacedError).status).to.deep.include({
        state: "replaced",
        hash: first.hash,
        nonce: first.sent.nonce,
        confirmedNonce: first.sent.nonce! + 1,
      });
      expect((error as Error).message).to.match(/is used by a mined transaction other than .*: it will never land/);
      expect(await second.wait()).to.deep.equal({ id: 1n, queued: undefined });
    });

    it("reports a transaction that reverted when mined as the contract's error, though its dry run passed", async function () {
      const gl = await GovLedger.connect(councillor, deployment);
      const { id } = await proposal(gl).wait();
      const approver = await GovLedger.connect(other, deployment);
      await rpc("evm_setAutomine", [false]);
      // Both dry runs pass on the same state; once mined, the first approval reaches the quorum of 2.
      const once = await approver.council.approve(id).send();
      const twice = await approver.council.approve(id).send();
      await rpc("evm_mine");
      expect((await once.wait()).approvals).to.equal(2n);
      const error = await twice.wait().catch((e: unknown) => e);
      expect(error, "a reverted receipt is never a result").to.be.instanceOf(Error);
      expect((await gl.transactions.status(twice.hash)).reverted).to.equal(true);
      expect(error).to.be.instanceOf(GovLedgerError);
      const e = error as GovLedgerError;
      expect(e.errorName).to.equal("CouncilUnexpectedState");
      expect(e.args.id).to.equal(id);
      const block = (await ethers.provider.getTransactionReceipt(twice.hash))!.blockNumber;
      expect(
        e.message.endsWith(`(transaction ${twice.hash} reverted in block ${block}; its dry run had passed)`),
      ).to.equal(true);
    });
  });

  describe("a prepared call, populated for signing elsewhere", function () {
    it("gives the unsigned transaction, sends nothing, and signed offline it lands with the call's result", async function () {
      const gl = await GovLedger.connect(councillor, deployment);
      const before = await counts(councillor.address);
      const tx = await proposal(gl).populate();
      expect(tx.to).to.equal(deployment.contracts.Council);
      const council = await ethers.getContractAt("Council", deployment.contracts.Council);
      const decoded = council.interface.parseTransaction({ data: tx.data });
      expect(decoded?.name).to.equal("propose");
      expect(await counts(councillor.address), "nothing was sent").to.deep.equal(before);

      const signer = new Wallet(hardhatKey(1), ethers.provider);
      const sent = await signer.sendTransaction(tx);
      const receipt = await ethers.provider.getTransactionReceipt(sent.hash);
      expect(receipt?.status).to.equal(1);
      expect((await gl.council.status()).proposals).to.equal(1n);
    });
  });

  describe("resumeOrResend checks receipt, pool and nonce before any re-send", function () {
    it("re-sends a dropped transaction as the same signed bytes, once", async function () {
      const gl = await GovLedger.connect(councillor, deployment);
      await rpc("evm_setAutomine", [false]);
      const submitted = await proposal(gl).send();
      await rpc("hardhat_dropTransaction", [submitted.hash]);
      const before = await counts(councillor.address);
      expect(before.pending, "dropped from the pool").to.equal(before.mined);

      const status = await gl.transactions.status(submitted.sent);
      expect(status).to.deep.include({ state: "dropped", nonce: submitted.sent.nonce, confirmedNonce: before.mined });

      // Only the hash and the nonce, without the signed bytes: nothing can be re-sent.
      const { hash, from, nonce } = submitted.sent;
      await expect(gl.transactions.resumeOrResend({ hash, from, nonce })).to.be.rejectedWith(
        /it was dropped or never arrived.*nothing was re-sent/,
      );
      expect(await counts(councillor.address)).to.deep.equal(before);

      await rpc("evm_setAutomine", [true]);
      const resumed = await gl.transactions.resumeOrResend(submitted.sent);
      expect(resumed).to.deep.include({ outcome: "resent", hash: submitted.hash });
      expect(await counts(councillor.address)).to.deep.equal({ mined: before.mined + 1, pending: before.mined + 1 });
      expect((await gl.council.status()).proposals).to.equal(1n);

      // Asked again, it is mined: nothing is sent.
      expect((await gl.transactions.resumeOrResend(submitted.sent)).outcome).to.equal("mined");
      expect(await counts(councillor.address)).to.deep.equal({ mined: before.mined + 1, pending: before.mined + 1 });
    });

    it("returns the receipt of a transaction that landed and sends nothing", async function () {
      const gl = await GovLedger.connect(councillor, deployment);
      const submitted = await proposal(gl).send();
      await submitted.wait();
      const before = await counts(councillor.address);
      const resumed = await gl.transactions.resumeOrResend(submitted.sent);
      expect(resumed).to.deep.include({ outcome: "mined", hash: submitted.hash });
      expect(await counts(councillor.address)).to.deep.equal(before);
      const byHash = await gl.transactions.status(submitted.hash);
      expect(byHash).to.deep.include({ state: "mined", reverted: false, from: councillor.address });
    });

    it("refuses to re-send a transaction whose nonce another transaction took", async function () {
      const { gl, first } = await replacedWrite();

      const whilePending = await gl.transactions.status(first.sent);
      expect(whilePending.state).to.equal("replaced");
      expect(whilePending.says).to.match(/is used by a pending transaction other than/);

      await rpc("evm_mine");
      const before = await counts(councillor.address);
      const status = await gl.transactions.status(first.sent);
      expect(status.state).to.equal("replaced");
      expect(status.says).to.match(/is used by a mined transaction other than .*: it will never land/);
      await expect(gl.transactions.resumeOrResend(first.sent)).to.be.rejectedWith(
        TransactionReplacedError,
        /nothing was re-sent/,
      );
      expect(await counts(councillor.address)).to.deep.equal(before);
      expect((await gl.council.status()).proposals).to.equal(1n);
    });

    it("tells what a sender and nonce alone can tell, and what a hash alone cannot", async function () {
      const gl = await GovLedger.connect(councillor, deployment);
      const next = await ethers.provider.getTransactionCount(councillor.address);
      expect((await gl.transactions.status({ from: councillor.address, nonce: next })).state).to.equal("dropped");
      await proposal(gl).wait();
      expect((await gl.transactions.status({ from: councillor.address, nonce: next })).state).to.equal("used");

      const unknown = `0x${"ab".repeat(32)}`;
      const status = await gl.transactions.status(unknown);
      expect(status.state).to.equal("unknown");
      await expect(gl.transactions.resumeOrResend(unknown)).to.be.rejectedWith(/nothing was re-sent/);
      await expect(gl.transactions.status("0x1234")).to.be.rejectedWith(/is not a transaction hash/);
    });
  });

  describe("zero gas price", function () {
    beforeEach(async function () {
      await rpc("hardhat_setNextBlockBaseFeePerGas", ["0x0"]);
      await rpc("hardhat_setBalance", [councillor.address, "0x0"]);
    });

    it("fails from an account without balance at the node's fee, and works with { gasPrice: 0n }", async function () {
      const wallet = new Wallet(hardhatKey(1), ethers.provider);
      expect(wallet.address).to.equal(councillor.address);
      const nonce = await ethers.provider.getTransactionCount(wallet.address);

      const priced = await GovLedger.connect(wallet, deployment);
      await expect(proposal(priced).wait()).to.be.rejectedWith(/enough funds|insufficient funds/i);
      expect(await ethers.provider.getTransactionCount(wallet.address)).to.equal(nonce);

      const free = await GovLedger.connect(wallet, deployment, { gasPrice: 0n });
      const submitted = await proposal(free).send();
      expect(await submitted.wait()).to.deep.equal({ id: 1n, queued: undefined });
      const tx = await ethers.provider.getTransaction(submitted.hash);
      expect(tx).to.deep.include({ type: 0, gasPrice: 0n });
      expect(await ethers.provider.getBalance(wallet.address)).to.equal(0n);
    });

    it("applies to a JSON-RPC signer (eth_sendTransaction) and to relayers of a read-only ledger", async function () {
      const free = await GovLedger.connect(councillor, deployment, { gasPrice: 0 });
      const submitted = await proposal(free).send();
      await submitted.wait();
      expect(await ethers.provider.getTransaction(submitted.hash)).to.deep.include({ type: 0, gasPrice: 0n });

      await rpc("hardhat_setNextBlockBaseFeePerGas", ["0x0"]);
      await rpc("hardhat_setBalance", [other.address, "0x0"]);
      const reader = await GovLedger.connect(ethers.provider, deployment, { gasPrice: 0n });
      const citizen = Wallet.createRandom().connect(ethers.provider);
      const relayed = reader.identity.relayed(citizen, other);
      const registered = await relayed.selfRegister("person", ethers.id("citizen")).wait();
      expect(registered.did).to.match(/^did:govledger:31337:\d+$/);
      expect(await ethers.provider.getBalance(other.address)).to.equal(0n);
      expect(await ethers.provider.getBalance(citizen.address)).to.equal(0n);

      // The options belong to that ledger: another one on the same provider pays the node's fee.
      const plain = await GovLedger.connect(ethers.provider, deployment);
      const again = plain.identity.relayed(Wallet.createRandom().connect(ethers.provider), other);
      await expect(again.selfRegister("person", ethers.id("other")).wait()).to.be.rejectedWith(
        /enough funds|insufficient funds/i,
      );
    });

    it("refuses a negative or fractional gas price", async function () {
      await expect(GovLedger.connect(councillor, deployment, { gasPrice: -1n })).to.be.rejectedWith(/negative/);
      await expect(GovLedger.connect(councillor, deployment, { gasPrice: 0.5 })).to.be.rejectedWith(/whole number/);
    });
  });

  describe("failover over several RPC endpoints", function () {
    let server: JsonRpcServer;
    let live: string;
    let dead: string;
    const extra: http.Server[] = [];
    const ledgers: GovLedger[] = [];

    before(async function () {
      server = new JsonRpcServer({ hostname: "127.0.0.1", port: 0, provider: network.provider });
      const { port } = await server.listen();
      live = `http://127.0.0.1:${port}`;
      dead = `http://127.0.0.1:${await closedPort()}`;
    });

    afterEach(function () {
      ledgers.splice(0).forEach((gl) => gl.close());
    });

    after(async function () {
      // Kept-alive and never-answered connections would hold the servers open.
      for (const s of extra) s.closeAllConnections();
      await Promise.all(extra.map((s) => new Promise((r) => s.close(r))));
      (server as unknown as { _httpServer: http.Server })._httpServer.closeAllConnections();
      await server.close();
    });

    async function connectRpc(urls: string[], key?: string, options = {}): Promise<GovLedger> {
      const gl = await GovLedger.connectRpc(urls, deployment, key, { retryAfterMs: 60_000, ...options });
      ledgers.push(gl);
      return gl;
    }

    /** An HTTP server that accepts requests and never answers. */
    async function silent(): Promise<string> {
      const s = http.createServer(() => undefined);
      extra.push(s);
      return `http://127.0.0.1:${await listen(s)}`;
    }

    /** An HTTP proxy to `live` that counts methods and, when `loseAnswer` says so, drops the answer. */
    async function proxy(loseAnswer: (method: string) => boolean = () => false) {
      const seen: string[] = [];
      const s = http.createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = Buffer.concat(chunks).toString();
        const method = (JSON.parse(body) as { method: string }).method;
        seen.push(method);
        const answer = await fetch(live, { method: "POST", headers: { "content-type": "application/json" }, body });
        const text = await answer.text();
        if (loseAnswer(method)) {
          req.socket.destroy();
          return;
        }
        res.writeHead(200, { "content-type": "application/json" }).end(text);
      });
      extra.push(s);
      return { url: `http://127.0.0.1:${await listen(s)}`, seen };
    }

    it("reads through the second endpoint when the first is dead; writes and reverts work as on one node", async function () {
      const gl = await connectRpc([dead, live], hardhatKey(1));
      const provider = gl.transactions.provider as FailoverProvider;
      expect(provider.urls).to.deep.equal([dead, live]);
      const [first, second] = provider.health();
      expect(first).to.deep.include({ url: dead, verified: false });
      expect(first.lastError).to.match(/ECONNREFUSED/);
      expect(second).to.deep.include({ url: live, verified: true, downUntil: 0 });

      expect(await provider.getBlockNumber()).to.equal(await ethers.provider.getBlockNumber());
      expect((await gl.members.member(1n)).status).to.equal("Active");
      expect(await proposal(gl).wait()).to.deep.equal({ id: 1n, queued: undefined });

      // A revert is the node's answer, not a network failure: decoded, and no endpoint is blamed.
      await expect(gl.council.execute(1n).check()).to.be.rejectedWith(GovLedgerError, /^CouncilQuorumNotReached/);
      expect(provider.health()[1]).to.deep.include({ downUntil: 0 });
      expect(provider.health()[1].lastError).to.equal(undefined);
    });

    it("moves on from an endpoint that does not answer in time, and passes it over afterwards", async function () {
      const stuck = await silent();
      const gl = await connectRpc([stuck, live], undefined, { requestTimeoutMs: 300 });
      const provider = gl.transactions.provider as FailoverProvider;
      expect(provider.health()[0].lastError).to.match(/timeout/i);

      const started = Date.now();
      expect((await gl.members.member(1n)).status).to.equal("Active");
      expect(Date.now() - started, "the stuck endpoint is passed over, not waited for").to.be.lessThan(250);
    });

    it("tries the first endpoint again after retryAfterMs, and falls over again within one request", async function () {
      const stuck = await silent();
      const gl = await connectRpc([stuck, live], undefined, { requestTimeoutMs: 300, retryAfterMs: 1 });
      await new Promise((r) => setTimeout(r, 5));
      expect((await gl.members.member(1n)).status).to.equal("Active");
      const [first] = (gl.transactions.provider as FailoverProvider).health();
      expect(first.downUntil).to.be.greaterThan(0);
      expect(first.lastError).to.match(/timeout/i);
    });

    it("verifies the chain id of an endpoint that was down at connect before using it", async function () {
      const wrongChain = http.createServer((_req, res) => {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: "0x1" }));
      });
      extra.push(wrongChain);
      const port = await closedPort();
      const gl = await connectRpc([`http://127.0.0.1:${port}`, live], undefined, { retryAfterMs: 1 });
      const provider = gl.transactions.provider as FailoverProvider;
      // The first endpoint comes up, on another chain: it is refused, reads stay on the live node.
      await listen(wrongChain, port);
      await new Promise((r) => setTimeout(r, 5));
      expect(await provider.getBlockNumber()).to.equal(await ethers.provider.getBlockNumber());
      expect(provider.health()[0].refused).to.equal("reports chain id 1, not 31337");
    });

    it("refuses endpoints on different chains and a list where nothing answers", async function () {
      const wrongChain = http.createServer((_req, res) => {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ jsonrpc: "2.0", id: 0, result: "0x4e74" }));
      });
      extra.push(wrongChain);
      const other = `http://127.0.0.1:${await listen(wrongChain)}`;
      await expect(connectRpc([live, other])).to.be.rejectedWith(
        DeploymentError,
        `wrong network: ${other} reports chain id 20084, the chain id expected is 31337; every RPC URL must be a node of the same chain`,
      );
      await expect(FailoverProvider.connect([live, other])).to.be.rejectedWith(
        DeploymentError,
        `wrong network: ${other} reports chain id 20084, ${live} reports chain id 31337`,
      );
      await expect(connectRpc([dead])).to.be.rejectedWith(
        RpcUnreachableError,
        new RegExp(`^no RPC endpoint answered: ${dead} \\(.*ECONNREFUSED`),
      );
      await expect(connectRpc(["ftp://x"])).to.be.rejectedWith(/"ftp:\/\/x" is not an http\(s\) RPC URL/);
    });

    it("never sends a transaction to a second endpoint when the first may have received it", async function () {
      const flaky = await proxy((method) => method === "eth_sendRawTransaction");
      const counting = await proxy();
      const gl = await connectRpc([flaky.url, counting.url], hardhatKey(1));
      const before = await counts(councillor.address);

      const error = await proposal(gl)
        .send()
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TransactionInDoubtError);
      const doubt = error as TransactionInDoubtError;
      expect(doubt.reason).to.equal("send-unconfirmed");
      expect(doubt.message).to.match(
        new RegExp(
          `^transaction ${doubt.hash} \\(nonce ${before.mined} of ${councillor.address}\\) was sent to ${flaky.url}, which did not answer`,
        ),
      );
      expect(counting.seen, "the second endpoint got no transaction").to.not.include("eth_sendRawTransaction");
      expect(flaky.seen.filter((m) => m === "eth_sendRawTransaction")).to.have.lengthOf(1);

      // It did arrive (automine mined it): the recovery finds it and sends nothing.
      const resumed = await gl.transactions.resumeOrResend(doubt.sent);
      expect(resumed).to.deep.include({ outcome: "mined", hash: doubt.hash });
      expect(await counts(councillor.address)).to.deep.equal({ mined: before.mined + 1, pending: before.mined + 1 });
      expect((await gl.council.status()).proposals).to.equal(1n);
    });

    it("keeps waiting for a receipt through failed reads, needs no block number, and closes cleanly", async function () {
      // Once the write is sent: the first two receipt answers and every block-number answer are lost.
      let receipts = 0;
      const p = await proxy((method) => {
        if (method === "eth_getTransactionReceipt") return ++receipts <= 2;
        return method === "eth_blockNumber" && receipts > 0;
      });
      const unhandled: unknown[] = [];
      const record = (reason: unknown) => unhandled.push(reason);
      process.on("unhandledRejection", record);
      try {
        const gl = await connectRpc([p.url], hardhatKey(1), { retryAfterMs: 0 });
        expect(await proposal(gl).wait({ timeoutMs: 20_000 })).to.deep.equal({ id: 1n, queued: undefined });
        expect(p.seen.filter((m) => m === "eth_getTransactionReceipt").length, "two answers lost, then found").to.equal(
          3,
        );
        const waiting = p.seen.slice(p.seen.indexOf("eth_getTransactionReceipt"));
        expect(waiting, "the wait reads receipts only").to.deep.equal(Array(3).fill("eth_getTransactionReceipt"));
        gl.close();
        await new Promise((r) => setTimeout(r, 1500));
        expect(unhandled, "nothing left polling a closed provider").to.deep.equal([]);
      } finally {
        process.off("unhandledRejection", record);
      }
    });

    it("sends a transaction to the next endpoint when the first refused the connection", async function () {
      const gl = await connectRpc([dead, live], hardhatKey(1), { retryAfterMs: 1 });
      const before = await counts(councillor.address);
      await new Promise((r) => setTimeout(r, 5)); // the dead endpoint is first in line again
      expect(await proposal(gl).wait()).to.deep.equal({ id: 1n, queued: undefined });
      expect(await counts(councillor.address)).to.deep.equal({ mined: before.mined + 1, pending: before.mined + 1 });
      expect((gl.transactions.provider as FailoverProvider).health()[0].lastError).to.match(/ECONNREFUSED/);
    });
  });
});

async function listen(server: net.Server, port = 0): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}
