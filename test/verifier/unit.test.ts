import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import http from "http";
import net from "net";
import os from "os";
import path from "path";
import { randomBytes } from "crypto";
import { expect } from "chai";
import { createKeccak, createSHA256, createSM3, type IHasher } from "hash-wasm";
import { remoteNetworks } from "../../config/networks";
import { BundleError } from "../../src/evidence/bundle";
import { DigestAlgorithm, DigestError, digestBytes } from "../../src/evidence/digest";
import { DeploymentError, EvidenceProofError, GovLedgerError, RpcUnreachableError } from "../../src/sdk";
import { writeVerifier } from "../../scripts/verifier/build";
import { readDeployment, resolveSetup } from "../../scripts/verifier/options";
import { READ_METHODS, startVerifierServer, type VerifierServer } from "../../scripts/verifier/serve";
import {
  ConfigError,
  absoluteRpcUrls,
  deploymentJson,
  parseConfig,
  parseDeployment,
  type DeploymentJson,
} from "../../verifier/src/config";
import {
  LANGUAGES,
  STRINGS,
  initialLanguage,
  placeholders,
  translate,
  valueNames,
  type Key,
} from "../../verifier/src/i18n";
import { PageProblem, problemOf } from "../../verifier/src/problems";

/**
 * The verifier page's parts that run without a browser: its translations, the hashing library
 * against Node's OpenSSL, the configuration and deployment files, how failures become messages,
 * the build, and the server's read-only RPC proxy. Fast; run by `npm test` and `npm run test:verifier`.
 */

const ADDRESS = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;
const CORE = { GovAuthority: ADDRESS(1), Council: ADDRESS(2), MemberRegistry: ADDRESS(3) };

describe("Verifier page: translations, hashing, configuration, messages, build and server", function () {
  describe("translations", function () {
    const keys = (lang: (typeof LANGUAGES)[number]) => Object.keys(STRINGS[lang]).sort();

    it("has every string in Chinese and English, with the same placeholders", function () {
      expect(keys("zh")).to.deep.equal(keys("en"));
      for (const key of keys("en") as Key[]) {
        for (const lang of LANGUAGES) expect(STRINGS[lang][key].trim(), `${lang} ${key}`).not.to.equal("");
        expect(placeholders(STRINGS.zh[key]), key).to.deep.equal(placeholders(STRINGS.en[key]));
      }
      expect(valueNames("zh").sort()).to.deep.equal(valueNames("en").sort());
    });

    it("writes Chinese in Chinese: every string but the shared DID label has Chinese characters", function () {
      const untranslated = (keys("en") as Key[]).filter((k) => !/[\u4e00-\u9fff]/.test(STRINGS.zh[k]));
      expect(untranslated).to.deep.equal(["endorsements.did"]);
    });

    it("fills placeholders and picks the starting language: chosen, configured, then the browser's", function () {
      expect(translate("en", "verdict.leadSuperseded", { by: "0xab" })).to.equal(
        "Corrected: the record was superseded by 0xab.",
      );
      expect(translate("zh", "chain.connected", { chainId: 7n, network: "n", block: 3 })).to.equal(
        "已只读连接到链 7（部署“n”），最新区块 3。",
      );
      expect(initialLanguage("en", "zh", ["zh-CN"])).to.equal("en");
      expect(initialLanguage(null, "zh", ["en-US"])).to.equal("zh");
      expect(initialLanguage(null, undefined, ["zh-TW", "en"])).to.equal("zh");
      expect(initialLanguage(null, undefined, ["en-GB", "zh-CN"])).to.equal("en");
      expect(initialLanguage("fr", undefined, [])).to.equal("en");
    });
  });

  describe("hash-wasm, the page's hashing, against Node's OpenSSL", function () {
    async function streamed(create: () => Promise<IHasher>, bytes: Uint8Array, chunk: number): Promise<string> {
      const h = await create();
      h.init();
      for (let i = 0; i < bytes.length; i += chunk) h.update(bytes.subarray(i, i + chunk));
      return `0x${h.digest("hex")}`;
    }

    it("gives the SM3 test vectors of GB/T 32905-2016, as OpenSSL does", async function () {
      const abc = "0x66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0";
      const abcd16 = "0xdebe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732";
      expect(await streamed(createSM3, Buffer.from("abc"), 1)).to.equal(abc);
      expect(digestBytes("abc", DigestAlgorithm.SM3)).to.equal(abc);
      expect(await streamed(createSM3, Buffer.from("abcd".repeat(16)), 7)).to.equal(abcd16);
      expect(digestBytes("abcd".repeat(16), DigestAlgorithm.SM3)).to.equal(abcd16);
    });

    it("streams SHA-256, SM3 and Keccak-256 in chunks to the digests the SDK computes in one piece", async function () {
      const keccak = () => createKeccak(256);
      for (const size of [0, 1, 63, 64, 65, 4093 * 3, 9 * 1024 * 1024 + 3]) {
        const bytes = randomBytes(size);
        for (const chunk of size > 100_000 ? [4 << 20] : [1, 64, 4093]) {
          expect(await streamed(createSHA256, bytes, chunk)).to.equal(digestBytes(bytes, DigestAlgorithm.SHA256));
          expect(await streamed(createSM3, bytes, chunk)).to.equal(digestBytes(bytes, DigestAlgorithm.SM3));
          expect(await streamed(keccak, bytes, chunk)).to.equal(digestBytes(bytes, DigestAlgorithm.KECCAK256));
        }
      }
    });
  });

  describe("configuration and deployment files", function () {
    const cli: DeploymentJson = {
      network: "consortium",
      chainId: "31338",
      contracts: { ...CORE, EvidenceRegistry: ADDRESS(4) },
    };

    it("reads `govledger deployment --json` and a hardhat-deploy export alike", function () {
      const d = parseDeployment(JSON.stringify(cli), "f");
      expect(d).to.deep.equal({
        network: "consortium",
        chainId: 31338n,
        contracts: Object.fromEntries(Object.entries(cli.contracts).map(([n, a]) => [n, a.toLowerCase()])),
      });
      expect(deploymentJson(d)).to.deep.equal(cli);
      const exported = {
        name: "localhost",
        chainId: "0x7a69",
        contracts: Object.fromEntries(Object.entries(CORE).map(([n, address]) => [n, { address, abi: [] }])),
      };
      expect(parseDeployment(exported, "export")).to.include({ network: "localhost", chainId: 31337n });
    });

    it("says what is wrong with a deployment file", function () {
      const wrong = (input: unknown, message: string, type: new (message: string) => Error = ConfigError) =>
        expect(() => parseDeployment(input, "the file d.json")).to.throw(type, message);
      wrong("{ nope", "the file d.json is not JSON: ");
      wrong("[]", 'the file d.json must be a JSON object with "chainId" and "contracts"');
      wrong({ contracts: CORE }, 'the file d.json has no valid "chainId" (a positive whole number)');
      wrong({ chainId: 0, contracts: CORE }, 'has no valid "chainId"');
      wrong({ chainId: 5 }, 'the file d.json has no "contracts" object');
      wrong({ chainId: 5, contracts: { ...CORE, Council: "0x12" } }, 'contract "Council" has no valid address');
      wrong(
        { chainId: 5, contracts: { GovAuthority: ADDRESS(1) } },
        "the file d.json lacks Council, MemberRegistry: re-run the deploy",
        DeploymentError,
      );
    });

    it("reads config.json: RPC URL, deployment (inline or a file's URL), language", function () {
      expect(parseConfig("{}")).to.deep.equal({});
      const c = parseConfig(JSON.stringify({ rpcUrl: "/rpc", deployment: cli, language: "zh" }));
      expect(c).to.deep.include({ rpcUrl: "/rpc", language: "zh" });
      expect(c.deployment?.chainId).to.equal(31338n);
      expect(parseConfig(JSON.stringify({ deployment: "deployment.json" }))).to.deep.equal({
        deploymentUrl: "deployment.json",
      });
      expect(() => parseConfig("nope")).to.throw(ConfigError, "config.json is not JSON");
      expect(() => parseConfig('{"language": "fr"}')).to.throw('config.json: "language" must be "zh" or "en"');
      expect(() => parseConfig('{"rpcUrl": 8545}')).to.throw('config.json: "rpcUrl" must be a string');
    });

    it("resolves relative RPC URLs against the page", function () {
      expect(absoluteRpcUrls("/rpc", "http://127.0.0.1:8600/verifier/index.html")).to.equal(
        "http://127.0.0.1:8600/rpc",
      );
      expect(absoluteRpcUrls("rpc", "https://agency.example/verifier/")).to.equal(
        "https://agency.example/verifier/rpc",
      );
      expect(absoluteRpcUrls(" http://a:1 , https://b ", "http://x/")).to.equal("http://a:1,https://b");
    });

    it("points the server and the build at a network, a deployment file or folder", function () {
      const dir = mkdtempSync(path.join(os.tmpdir(), "govledger-verifier-setup-"));
      try {
        const folder = path.join(dir, "deployments", "consortium");
        mkdirSync(folder, { recursive: true });
        writeFileSync(path.join(folder, ".chainId"), "31338\n");
        for (const [name, address] of Object.entries(CORE)) {
          writeFileSync(path.join(folder, `${name}.json`), JSON.stringify({ address, abi: [] }));
        }
        writeFileSync(path.join(folder, "Council_Implementation.json"), JSON.stringify({ address: ADDRESS(9) }));
        expect(readDeployment(folder)).to.deep.include({ network: "consortium", chainId: 31338n });
        expect(resolveSetup({ network: "consortium" }, dir)).to.deep.equal({
          deployment: {
            network: "consortium",
            chainId: "31338",
            contracts: deploymentJson(readDeployment(folder)).contracts,
          },
          rpcUrl: remoteNetworks().consortium.url,
        });
        writeFileSync(path.join(dir, "d.json"), JSON.stringify(cli));
        expect(resolveSetup({ deployment: "d.json", rpc: "http://n:1" }, dir)).to.deep.equal({
          deployment: cli,
          rpcUrl: "http://n:1",
        });
        expect(() => resolveSetup({ network: "hardhat" }, dir)).to.throw(
          "the in-process hardhat network has no RPC endpoint",
        );
        expect(() => resolveSetup({ network: "consortium", deployment: "d.json" }, dir)).to.throw(
          "give --network or --deployment, not both",
        );
        expect(() => resolveSetup({ deployment: "missing.json" }, dir)).to.throw("no deployment file or folder at");
        expect(() => readDeployment(dir)).to.throw("is not a hardhat-deploy folder: it has no .chainId");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("messages for failures", function () {
    const kind = (e: unknown) => problemOf(e).kind;

    it("names each kind of failure with a translated headline and the SDK's words", function () {
      const malformed = problemOf(new BundleError(['missing field "digest"', "bad root"]));
      expect(malformed).to.deep.equal({
        kind: "bundleMalformed",
        key: "error.bundleMalformed",
        details: ['missing field "digest"', "bad root"],
      });
      expect(kind(new EvidenceProofError("the proof is for chain id 1, but this network is chain id 5"))).to.equal(
        "bundleOtherChain",
      );
      expect(kind(new EvidenceProofError("the proof is for evidence contract 0x1"))).to.equal("bundleOtherContract");
      const down = problemOf(new RpcUnreachableError("no RPC endpoint answered: http://x (Failed to fetch)", []));
      expect(down).to.deep.include({ kind: "rpcDown", hint: "error.rpcDownHint" });
      expect(kind(new DeploymentError("wrong network: the node reports chain id 1"))).to.equal("wrongChain");
      expect(kind(new DeploymentError("the x deployment has no trade module (A, B): deploy it"))).to.equal("module");
      expect(kind(new DeploymentError("the x deployment lacks Council"))).to.equal("deployment");
      expect(kind(new ConfigError("config.json is not JSON"))).to.equal("config");
      expect(kind(new ConfigError("the deployment file d.json is not JSON"))).to.equal("deploymentJson");
      expect(kind(new DigestError("digest must be 0x followed by 64 hex digits"))).to.equal("input");
      expect(kind(new GovLedgerError("AchievementUnknown", {}, "AchievementUnknown: no achievement 1"))).to.equal(
        "chainRefused",
      );
      expect(kind(Object.assign(new Error("could not decode result data"), { code: "BAD_DATA" }))).to.equal(
        "noContract",
      );
      expect(kind(Object.assign(new Error("timeout"), { code: "TIMEOUT" }))).to.equal("rpcDown");
      expect(kind(new PageProblem("error.fileUnreadable", ["NotFoundError: gone"], { file: "a.pdf" }))).to.equal(
        "fileUnreadable",
      );
      expect(problemOf("a string thrown")).to.deep.equal({
        kind: "unexpected",
        key: "error.unexpected",
        details: ["a string thrown"],
      });
    });
  });

  describe("build and server", function () {
    let upstream: http.Server;
    let upstreamUrl: string;
    const seen: string[] = [];
    let server: VerifierServer;

    before(async function () {
      upstream = http.createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        seen.push(body.method);
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ jsonrpc: "2.0", id: body.id, result: "0x7a6a" }));
      });
      await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
      upstreamUrl = `http://127.0.0.1:${(upstream.address() as net.AddressInfo).port}`;
      const deployment: DeploymentJson = { network: "consortium", chainId: "31338", contracts: CORE };
      server = await startVerifierServer({ port: 0, rpcUrl: upstreamUrl, deployment, language: "zh" });
    });

    after(async function () {
      await server?.close();
      upstream?.closeAllConnections();
      await new Promise((resolve) => upstream?.close(resolve));
    });

    const rpc = (body: unknown, url = `${server.url}rpc`) =>
      fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

    it("builds the page into a folder any web server can host", async function () {
      const dir = mkdtempSync(path.join(os.tmpdir(), "govledger-verifier-build-"));
      try {
        const files = await writeVerifier(dir, { rpcUrl: "https://rpc.agency.example" });
        for (const name of ["index.html", "style.css", "main.js", "hash-worker.js", "config.json"]) {
          expect(files, name).to.include(name);
        }
        expect(JSON.parse(readFileSync(path.join(dir, "config.json"), "utf8"))).to.deep.equal({
          rpcUrl: "https://rpc.agency.example",
        });
        expect(readFileSync(path.join(dir, "index.html"), "utf8")).to.contain('<script defer src="main.js"></script>');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("serves the page and a config.json that sends the page through its read-only proxy", async function () {
      const page = await fetch(server.url);
      expect(page.headers.get("content-type")).to.equal("text/html; charset=utf-8");
      expect(await page.text()).to.contain('<div id="drop-zone"');
      expect((await fetch(`${server.url}hash-worker.js`)).status).to.equal(200);
      expect(await (await fetch(`${server.url}config.json`)).json()).to.deep.equal({
        rpcUrl: "/rpc",
        deployment: { network: "consortium", chainId: "31338", contracts: CORE },
        language: "zh",
      });
      expect((await fetch(`${server.url}../package.json`)).status).to.equal(404);
      expect((await fetch(server.url, { method: "PUT" })).status).to.equal(405);
      expect((await fetch(`${server.url}rpc`)).status).to.equal(405);
    });

    it("forwards reads to the node and refuses writes without forwarding them", async function () {
      seen.length = 0;
      const read = await (await rpc({ jsonrpc: "2.0", id: 4, method: "eth_chainId", params: [] })).json();
      expect(read).to.deep.equal({ jsonrpc: "2.0", id: 4, result: "0x7a6a" });
      for (const method of ["eth_sendRawTransaction", "eth_sendTransaction", "personal_sign", "eth_accounts"]) {
        expect(READ_METHODS.has(method), method).to.equal(false);
        const refused = await (await rpc({ jsonrpc: "2.0", id: 5, method, params: [] })).json();
        expect(refused).to.deep.equal({
          jsonrpc: "2.0",
          id: 5,
          error: { code: -32601, message: `the verifier's proxy is read-only: ${method} is not forwarded` },
        });
      }
      const batch = (await (
        await rpc([
          { jsonrpc: "2.0", id: 1, method: "eth_blockNumber" },
          { jsonrpc: "2.0", id: 2, method: "eth_sendRawTransaction", params: ["0x00"] },
        ])
      ).json()) as { id: number; error?: { code: number } }[];
      expect(batch.map((a) => [a.id, a.error?.code])).to.deep.equal([
        [1, -32601],
        [2, -32601],
      ]);
      expect(seen).to.deep.equal(["eth_chainId"]);
      const bad = await fetch(`${server.url}rpc`, { method: "POST", body: "nope" });
      expect(bad.status).to.equal(400);
    });

    it("answers 502 with the reason when no node answers, and leaves the RPC to the page with --direct", async function () {
      const port = await new Promise<number>((resolve) => {
        const s = net.createServer().listen(0, "127.0.0.1", () => {
          const p = (s.address() as net.AddressInfo).port;
          s.close(() => resolve(p));
        });
      });
      const orphan = await startVerifierServer({ port: 0, rpcUrl: `http://127.0.0.1:${port}` });
      try {
        const down = await rpc({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }, `${orphan.url}rpc`);
        expect(down.status).to.equal(502);
        expect(await down.text()).to.equal(`the chain's RPC does not answer: http://127.0.0.1:${port} (ECONNREFUSED)`);
      } finally {
        await orphan.close();
      }
      const direct = await startVerifierServer({ port: 0, rpcUrl: upstreamUrl, direct: true });
      try {
        expect(await (await fetch(`${direct.url}config.json`)).json()).to.deep.equal({ rpcUrl: upstreamUrl });
        expect((await rpc({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }, `${direct.url}rpc`)).status).to.equal(404);
      } finally {
        await direct.close();
      }
    });
  });
});
