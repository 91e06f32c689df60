import { existsSync, mkdirSync, mkdtempSync, rmSync, truncateSync, unlinkSync, writeFileSync } from "fs";
import http from "http";
import net from "net";
import os from "os";
import path from "path";
import { expect } from "chai";
import { deployments, ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { JsonRpcServer } from "hardhat/internal/hardhat-network/jsonrpc/server";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { createBundle, type ProofBundle } from "../../src/evidence/bundle";
import { DigestAlgorithm, digestBytes } from "../../src/evidence/digest";
import { EvidenceMerkleTree } from "../../src/evidence/merkle";
import { GovLedger, deploymentFromRecords, type Deployment } from "../../src/sdk";
import { startVerifierServer, type VerifierServer } from "../../scripts/verifier/serve";
import { deploymentJson } from "../../verifier/src/config";
import { DidKind, hashOf, registerDid } from "../helpers/identity";
import { registerPatent, tradeFixture, type TradeModule } from "../helpers/trade";

/**
 * The verifier page in a real browser: Debian's Chromium, driven by playwright-core, against the
 * suite deployed on the in-process chain served over HTTP. Run by `npm run test:verifier` (or
 * `npx hardhat test test/verifier/browser.test.ts`); a bare `hardhat test` (so `npm test`) leaves it
 * out, since it needs Chromium (hardhat.config.ts, OWN_COMMAND_TESTS). Screenshots go to
 * out/verifier/screenshots/.
 */

const ROOT = path.resolve(__dirname, "../..");
const CHROMIUM = process.env.GOVLEDGER_CHROMIUM ?? "/usr/bin/chromium";
/** The flags of the machine guide: headless, no sandbox as root, nothing reaching for the network. */
const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const SCREENSHOTS = path.join(ROOT, "out/verifier/screenshots");
const IP_OFFICE = "Municipal Intellectual Property Office (市知识产权局)";
const CENTRE = "Technology Exchange Centre (技术交易中心)";
const YEAR = 365n * 86_400n;
/** How long a verdict may take to appear (hashing, then a few RPC round trips). */
const VERDICT_MS = 60_000;

/**
 * What the functions run inside the page use of its globals: this file is compiled with the
 * project's Node settings, without the DOM library.
 */
interface PageGlobals {
  ticks: number[];
  shown: number[];
  document: { getElementById(id: string): { value: number; max: number } };
  MutationObserver: new (callback: () => void) => { observe(target: object, options: object): void };
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** Bytes of a document standing for a real one: deterministic text, a few tens of KB. */
function documentBytes(title: string): Buffer {
  const lines = [`${title}`, "科技成果评价报告 / Evaluation report", ""];
  for (let i = 0; i < 600; i++) lines.push(`${i.toString().padStart(4, "0")} ${title} — clause ${i * 7919} 第${i}条`);
  return Buffer.from(lines.join("\n"), "utf8");
}

describe("Verifier page in Chromium (read-only, against the in-process chain)", function () {
  this.timeout(240_000);

  let m: TradeModule;
  let deployment: Deployment;
  let dir: string;
  let rpcServer: JsonRpcServer;
  let rpcUrl: string;
  let verifier: VerifierServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  const files: Record<string, string> = {};
  const digests: Record<string, string> = {};
  let genuine: { blockNumber: number; transactionHash: string };
  let bundle: ProofBundle;
  let patent: bigint;
  let licenceId: bigint;
  let notaryDid: bigint;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`no Chromium at ${CHROMIUM}: install Debian's with \`apt-get install -y chromium\``);
    }
    m = await tradeFixture();
    deployment = deploymentFromRecords("hardhat", 31337n, await deployments.all());
    const as = (signer: Parameters<typeof GovLedger.connect>[0]) => GovLedger.connect(signer, deployment);

    // The IP Office (founding member with NOTARY) gets an organisation DID and is enrolled.
    const notary = m.councillors[1];
    notaryDid = await registerDid(m, DidKind.Organisation, [{ account: notary.address }], hashOf("did:ip-office"));
    const gov = await as(notary);
    await gov.evidence.enrolNotary(notary.address).wait();

    dir = mkdtempSync(path.join(os.tmpdir(), "govledger-verifier-"));
    const write = (name: string, bytes: Buffer) => {
      files[name] = path.join(dir, name);
      writeFileSync(files[name], bytes);
      return bytes;
    };

    // A genuine report, notarized by its SM3 digest and endorsed by the exchange centre; a tampered copy.
    const report = write("evaluation-report.txt", documentBytes("Evaluation report 2026-031"));
    const tampered = Buffer.from(report);
    tampered[100] ^= 0x01;
    write("evaluation-report-tampered.txt", tampered);
    for (const [name, bytes] of [
      ["genuine", report],
      ["tampered", tampered],
    ] as const) {
      digests[`${name}.sha256`] = digestBytes(bytes, DigestAlgorithm.SHA256);
      digests[`${name}.sm3`] = digestBytes(bytes, DigestAlgorithm.SM3);
      digests[`${name}.keccak256`] = digestBytes(bytes, DigestAlgorithm.KECCAK256);
    }
    genuine = await gov.evidence
      .notarize(digests["genuine.sm3"], { algorithm: "sm3", category: 7, businessRef: hashOf("case 2026-031") })
      .wait();
    await (await as(m.centre.account)).evidence.endorse(digests["genuine.sm3"], hashOf("seen and agreed")).wait();

    // A contract corrected by a second version; a record revoked as filed in error.
    digests.v1 = digestBytes("technology contract v1", DigestAlgorithm.SHA256);
    digests.v2 = digestBytes("technology contract v2", DigestAlgorithm.SHA256);
    await gov.evidence.notarize(digests.v1, { algorithm: "sha256" }).wait();
    await gov.evidence.supersede(digests.v1, digests.v2, { algorithm: "sha256" }).wait();
    digests.revoked = digestBytes("filed in error", DigestAlgorithm.SHA256);
    await gov.evidence.notarize(digests.revoked, { algorithm: "sha256" }).wait();
    await gov.evidence.revoke(digests.revoked, hashOf("filed in error")).wait();

    // A Merkle batch of four pages and the proof bundle of page 2.
    const pages = [1, 2, 3, 4].map((i) => write(`page-${i}.txt`, documentBytes(`Court file page ${i}`)));
    const pageDigests = pages.map((p) => digestBytes(p, DigestAlgorithm.SHA256));
    const tree = EvidenceMerkleTree.of(pageDigests);
    const anchored = await gov.evidence.anchorRoot(tree.root, tree.length, { algorithm: "sha256" }).wait();
    digests.root = tree.root;
    bundle = createBundle({
      fileName: "page-2.txt",
      digest: pageDigests[1] as `0x${string}`,
      algorithm: DigestAlgorithm.SHA256,
      anchor: "merkle-root",
      root: tree.root,
      proof: tree.proof(1),
      chainId: 31337,
      contract: gov.evidence.address,
      txHash: anchored.transactionHash as `0x${string}`,
      blockNumber: anchored.blockNumber,
      blockTime: (await ethers.provider.getBlock(anchored.blockNumber))!.timestamp,
    });
    write("page-2.proof.json", Buffer.from(JSON.stringify(bundle, null, 2)));

    // A patent of the university and the team, evaluated, licensed exclusively to the buyer in field 480, territory 310000.
    patent = await registerPatent(m);
    await (
      await as(m.evaluator.account)
    ).achievement
      .evaluate({
        id: patent,
        evaluator: m.evaluator.did,
        scores: { scientific: 90, technical: 85, economic: 70, social: 60, cultural: 40 },
        suggestedValue: 500_000_000n,
        validUntil: BigInt(await time.latest()) + YEAR,
        reportHash: hashOf("evaluation report"),
        declarationHash: hashOf("no conflict of interest"),
      })
      .wait();
    const start = BigInt(await time.latest());
    const licence = await (
      await as(m.centre.account)
    ).licences
      .record(
        patent,
        m.buyer.did,
        { kind: "exclusive", field: 480, territory: 310000, start, end: start + 5n * YEAR },
        hashOf("deal confirmation 2026-17"),
      )
      .wait();
    licenceId = licence.id;

    rpcServer = new JsonRpcServer({ hostname: "127.0.0.1", port: 0, provider: network.provider });
    const { port } = await rpcServer.listen();
    rpcUrl = `http://127.0.0.1:${port}`;
    verifier = await startVerifierServer({ port: 0, rpcUrl, deployment: deploymentJson(deployment) });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async function () {
    await browser?.close();
    await verifier?.close();
    if (rpcServer) {
      (rpcServer as unknown as { _httpServer: http.Server })._httpServer.closeAllConnections();
      await rpcServer.close();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh page (English, empty storage) on `url`, connected to the configured chain. */
  async function open(url = verifier.url, connected = true): Promise<Page> {
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(url);
    if (connected) await waitFor(page.locator("#chain-status [data-connected=true]"), "#chain-status");
    return page;
  }

  afterEach(async function () {
    const errors = pageErrors ?? [];
    await page?.context().close();
    expect(errors, "uncaught errors on the page").to.deep.equal([]);
  });

  /** Waits for `locator`; on timeout, fails with what the page shows in `area` instead. */
  async function waitFor(locator: Locator, area: string, timeout = VERDICT_MS): Promise<Locator> {
    try {
      await locator.first().waitFor({ timeout });
    } catch {
      const shown = await page.locator(area).innerText();
      throw new Error(`waited ${timeout} ms for ${locator} in ${area}; the page shows: ${shown || "(nothing)"}`);
    }
    return locator.first();
  }

  /** Empties a result area, so the next answer cannot be mistaken for the last. */
  async function clear(area: string): Promise<void> {
    await page.locator(area).evaluate((el) => el.replaceChildren());
  }

  async function screenshot(name: string, selector = "main"): Promise<void> {
    await page.locator(selector).screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  }

  async function paste(text: string): Promise<void> {
    await clear("#evidence-result");
    await page.fill("#paste", text);
    await page.click("#verify-paste");
  }

  const verdict = (kind: string) =>
    waitFor(page.locator(`#evidence-result [data-verdict="${kind}"]`), "#evidence-result");
  const problem = (area: string, kind: string) => waitFor(page.locator(`${area} [data-problem="${kind}"]`), area);

  it("connects read-only to the configured chain; its RPC proxy refuses any write", async function () {
    await open();
    const status = await page.locator("#chain-status").innerText();
    expect(status).to.contain("Connected read-only to chain 31337 (deployment “hardhat”)");
    expect(status).to.contain(`Evidence registry ${deployment.contracts.EvidenceRegistry}`);
    expect(status).to.contain("modules: identity, evidence, achievement, trade");
    const refused = (await page.evaluate(async () => {
      const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: ["0x00"] });
      const r = await fetch("rpc", { method: "POST", headers: { "Content-Type": "application/json" }, body });
      return r.json();
    })) as { error: { message: string } };
    expect(refused.error.message).to.equal(
      "the verifier's proxy is read-only: eth_sendRawTransaction is not forwarded",
    );
    await screenshot("01-connected", "#chain");
  });

  it("hashes the genuine file in the browser and shows it notarized by the IP Office, with block, tx, endorsement and history", async function () {
    await open();
    await page.setInputFiles("#file-input", files["evaluation-report.txt"]);
    const v = await verdict("notarized");
    expect(await v.locator("h3").innerText()).to.equal("Notarized — valid");
    const computed = v.locator('dd[data-field="computed"]');
    // The browser's SHA-256, SM3 and Keccak-256 equal Node's (OpenSSL's SM3).
    expect(await computed.locator('[data-algorithm="sha256"] code').innerText()).to.equal(digests["genuine.sha256"]);
    expect(await computed.locator('[data-algorithm="sm3"] code').innerText()).to.equal(digests["genuine.sm3"]);
    expect(await computed.locator('[data-algorithm="keccak256"] code').innerText()).to.equal(
      digests["genuine.keccak256"],
    );
    expect(await v.locator('dd[data-field="digest"]').innerText()).to.equal(`${digests["genuine.sm3"]} (sm3)`);
    expect(await v.locator('dd[data-field="block"]').innerText()).to.equal(String(genuine.blockNumber));
    expect(await v.locator('dd[data-field="tx"]').innerText()).to.equal(genuine.transactionHash);
    expect(await v.locator('dd[data-field="category"]').innerText()).to.equal("7");
    expect(await v.locator('dd[data-field="businessRef"]').innerText()).to.equal(hashOf("case 2026-031"));
    const notarizedAt = new Date((await ethers.provider.getBlock(genuine.blockNumber))!.timestamp * 1000).toISOString();
    expect(await v.locator('dd[data-field="notarized"]').innerText()).to.equal(notarizedAt);
    expect(await v.locator(".lead").innerText()).to.equal(
      `Notarized by ${IP_OFFICE} — did:govledger:31337:${notaryDid} at ${notarizedAt}, in block ${genuine.blockNumber}.`,
    );
    const endorsements = await v.locator(".endorsements tbody tr").allInnerTexts();
    expect(endorsements).to.have.length(1);
    expect(endorsements[0]).to.contain(`did:govledger:31337:${m.centre.did} (${CENTRE})`);
    expect(endorsements[0]).to.contain(hashOf("seen and agreed"));
    expect(await v.locator(".history").innerText()).to.contain("No earlier or later versions.");
    await screenshot("02-genuine-notarized", "#evidence");
  });

  it("shows a tampered copy as not found, naming the digests it looked for", async function () {
    await open();
    await page.setInputFiles("#file-input", files["evaluation-report-tampered.txt"]);
    const v = await verdict("not-found");
    expect(await v.locator("h3").innerText()).to.equal("Not found on this chain");
    const lead = await v.locator(".lead").innerText();
    for (const a of ["sha256", "sm3", "keccak256"]) expect(lead).to.contain(digests[`tampered.${a}`]);
    expect(lead).not.to.contain(digests["genuine.sm3"]);
    await screenshot("03-tampered-not-found", "#evidence");
  });

  it("shows a pasted digest superseded (by what, with its history) and one revoked (when, by whom, why)", async function () {
    await open();
    await paste(digests.v1);
    let v = await verdict("superseded");
    expect(await v.locator(".lead").innerText()).to.equal(`Corrected: the record was superseded by ${digests.v2}.`);
    expect(await v.locator('dd[data-field="supersededBy"]').innerText()).to.equal(digests.v2);
    const versions = await v.locator(".history tbody tr").allInnerTexts();
    expect(versions).to.have.length(2);
    expect(versions[0]).to.contain(digests.v1).and.to.contain("superseded");
    expect(versions[1]).to.contain(digests.v2).and.to.contain("valid");
    await screenshot("04-superseded", "#evidence");

    await paste(digests.revoked);
    v = await verdict("revoked");
    expect(await v.locator("h3").innerText()).to.equal("Revoked");
    expect(await v.locator('dd[data-field="reason"]').innerText()).to.equal(hashOf("filed in error"));
    expect(await v.locator('dd[data-field="revokedBy"]').innerText()).to.contain(IP_OFFICE);
    expect(await v.locator('dd[data-field="revoked"]').innerText()).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    await screenshot("05-revoked", "#evidence");

    await paste(digests.v2);
    v = await verdict("notarized");
    expect(await v.locator('dd[data-field="supersedes"]').innerText()).to.equal(digests.v1);
  });

  it("checks a dropped proof bundle against the anchored root, and a pasted one with its document", async function () {
    await open();
    await page.setInputFiles("#file-input", files["page-2.proof.json"]);
    let v = await verdict("proof-valid");
    expect(await v.locator("h3").innerText()).to.equal("Proof valid: the document is in the anchored batch");
    expect(await v.locator('dd[data-field="anchor"]').innerText()).to.equal(`Merkle root ${digests.root}`);
    expect(await v.locator('dd[data-field="inRoot"]').innerText()).to.equal("yes");
    expect(await v.locator('dd[data-field="submitter"]').innerText()).to.contain(IP_OFFICE);
    expect(await v.locator('dd[data-field="tx"]').innerText()).to.equal(bundle.txHash);
    expect(await v.locator('dd[data-field="block"]').innerText()).to.equal(String(bundle.blockNumber));
    await screenshot("06-proof-valid", "#evidence");

    await page.setInputFiles("#bundle-document", files["page-2.txt"]);
    await paste(JSON.stringify(bundle));
    v = await verdict("proof-valid");
    expect(await v.locator('dd[data-field="documentMatches"]').innerText()).to.equal("yes");

    await page.setInputFiles("#bundle-document", files["page-3.txt"]);
    await paste(JSON.stringify(bundle));
    v = await verdict("invalid-proof");
    expect(await v.locator('dd[data-field="documentMatches"]').innerText()).to.equal("no");
    expect(await v.locator('dd[data-field="problems"]').innerText()).to.equal(
      "the document does not hash to the bundle's digest",
    );
    await screenshot("07-proof-wrong-document", "#evidence");
  });

  it("explains a malformed bundle, a bundle for another chain, and input that is neither digest nor bundle", async function () {
    await open();
    await paste(JSON.stringify({ ...bundle, digest: "0x1234", proof: "not a list" }));
    let p = await problem("#evidence-result", "bundleMalformed");
    expect(await p.locator(".headline").innerText()).to.equal("The proof bundle is malformed");
    const details = await p.locator(".details li").allInnerTexts();
    expect(details).to.deep.equal([
      'field "digest" must be 0x + 64 lower-case hex digits, got "0x1234"',
      'field "proof" must be an array of 0x + 64 lower-case hex digit nodes, got "not a list"',
    ]);
    await screenshot("08-bundle-malformed", "#evidence");

    await paste(JSON.stringify({ ...bundle, chainId: 1 }));
    p = await problem("#evidence-result", "bundleOtherChain");
    expect(await p.locator(".headline").innerText()).to.equal("The proof bundle was made for another chain");
    expect(await p.locator(".details").innerText()).to.contain(
      "the proof is for chain id 1, but this network is chain id 31337",
    );
    await screenshot("09-bundle-other-chain", "#evidence");

    await paste("{ this is not json");
    p = await problem("#evidence-result", "bundleMalformed");
    expect(await p.locator(".details").innerText()).to.match(/^not valid JSON: /);

    await paste("hello, is this notarized?");
    p = await problem("#evidence-result", "input");
    expect(await p.locator(".headline").innerText()).to.equal("This is neither a digest nor a proof bundle");

    await paste("0x1234");
    p = await problem("#evidence-result", "input");
    expect(await p.locator(".details").innerText()).to.equal(
      'digest must be 0x followed by 64 hex digits (32 bytes), got "0x1234"',
    );
  });

  it("hashes a large file in a worker with a progress bar while the page keeps responding", async function () {
    const size = 96 * 1024 * 1024;
    const big = path.join(dir, "large-scan.bin");
    writeFileSync(big, Buffer.alloc(0));
    // Sparse: 96 MiB of zeros without writing them.
    truncateSync(big, size);
    const zeros = Buffer.alloc(size);
    const expected = {
      sha256: digestBytes(zeros, DigestAlgorithm.SHA256),
      sm3: digestBytes(zeros, DigestAlgorithm.SM3),
    };
    await open();
    // Runs in the page: a timer that must keep ticking, and every progress value shown.
    await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      g.ticks = [];
      g.shown = [];
      setInterval(() => g.ticks.push(performance.now()), 20);
      const bar = g.document.getElementById("progress-bar");
      const record = () => g.shown.push(bar.value / bar.max);
      new g.MutationObserver(record).observe(bar, { attributes: true });
      new g.MutationObserver(record).observe(g.document.getElementById("progress-text"), {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await page.setInputFiles("#file-input", big);
    await page.waitForFunction(() => {
      const bar = (globalThis as unknown as PageGlobals).document.getElementById("progress-bar");
      return bar.value > 0 && bar.value < bar.max;
    });
    expect(await page.locator("#progress-text").innerText()).to.match(
      /^Hashing large-scan\.bin in this browser: \d+\.\d MB of 96\.0 MB \(\d+ %\)$/,
    );
    await screenshot("10-hashing-progress", "#evidence");
    const v = await verdict("not-found");
    const computed = v.locator('dd[data-field="computed"]');
    expect(await computed.locator('[data-algorithm="sha256"] code').innerText()).to.equal(expected.sha256);
    expect(await computed.locator('[data-algorithm="sm3"] code').innerText()).to.equal(expected.sm3);
    const { ticks, shown } = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return { ticks: g.ticks, shown: g.shown };
    });
    const partial = [...new Set(shown.filter((x) => x > 0 && x < 1))];
    expect(partial.length, `progress shown: ${shown.join(", ")}`).to.be.greaterThan(2);
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]);
    expect(Math.max(...gaps), "longest stall of the page's thread (ms)").to.be.lessThan(500);
    expect(await page.locator("#progress").isHidden()).to.equal(true);
  });

  it("cancels hashing, and says so on the page when a chosen file cannot be read", async function () {
    const size = 2 * 1024 * 1024 * 1024;
    const big = path.join(dir, "vanishing.bin");
    writeFileSync(big, Buffer.alloc(0));
    truncateSync(big, size);
    await open();
    await page.setInputFiles("#file-input", big);
    await waitFor(page.locator("#progress:not([hidden])"), "#evidence");
    await page.click("#cancel-hash");
    const cancelled = await waitFor(page.locator("#evidence-result .message"), "#evidence-result");
    expect(await cancelled.innerText()).to.equal("Hashing cancelled.");
    expect(await page.locator("#progress").isHidden()).to.equal(true);

    await page.setInputFiles("#file-input", big);
    await waitFor(page.locator("#progress:not([hidden])"), "#evidence");
    unlinkSync(big);
    const p = await problem("#evidence-result", "fileUnreadable");
    expect(await p.locator(".headline").innerText()).to.equal("The file vanishing.bin cannot be read");
    expect(await p.locator(".hint").innerText()).to.contain("moved, changed or deleted after it was chosen");
    expect(await page.locator("#progress").isHidden()).to.equal(true);
    await screenshot("11-file-unreadable", "#evidence");
  });

  it("explains an RPC that is down, a node of another chain and a deployment of another chain", async function () {
    await open();
    await page.fill("#rpc-url", `http://127.0.0.1:${await closedPort()}`);
    await clear("#chain-status");
    await page.click("#connect");
    let p = await problem("#chain-status", "rpcDown");
    expect(await p.locator(".headline").innerText()).to.equal("The chain's RPC endpoint does not answer");
    expect(await p.locator(".details").innerText()).to.match(/^no RPC endpoint answered: http:\/\/127\.0\.0\.1:\d+ /);
    await screenshot("12-rpc-down", "#chain");
    // Nothing can be checked without a chain: said where the check was asked for.
    await paste(digests["genuine.sm3"]);
    p = await problem("#evidence-result", "notConnected");
    expect(await p.locator(".hint").innerText()).to.contain("enter the RPC URL and the deployment");

    await page.fill("#rpc-url", rpcUrl);
    const write = (name: string, text: string) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const json = deploymentJson(deployment);
    await page.setInputFiles("#deployment-file", write("chain-1.json", JSON.stringify({ ...json, chainId: "1" })));
    await clear("#chain-status");
    await page.click("#connect");
    p = await problem("#chain-status", "wrongChain");
    expect(await p.locator(".details").innerText()).to.contain("reports chain id 31337");
    await screenshot("13-wrong-chain", "#chain");

    const elsewhere = Object.fromEntries(Object.keys(json.contracts).map((n) => [n, m.outsiders[0].address]));
    await page.setInputFiles(
      "#deployment-file",
      write("elsewhere.json", JSON.stringify({ ...json, contracts: elsewhere })),
    );
    await clear("#chain-status");
    await page.click("#connect");
    p = await problem("#chain-status", "noContract");
    expect(await p.locator(".headline").innerText()).to.equal(
      "No contract where the deployment says: the deployment file is not this chain's",
    );
    expect(await p.locator(".details").innerText()).to.contain(
      `no contract at ${m.outsiders[0].address} (MemberRegistry)`,
    );
    await screenshot("14-wrong-deployment", "#chain");

    await page.setInputFiles("#deployment-file", write("broken.json", "{ not json"));
    await clear("#chain-status");
    await page.click("#connect");
    p = await problem("#chain-status", "deploymentJson");
    expect(await p.locator(".details").innerText()).to.match(/^the deployment file broken\.json is not JSON: /);

    await page.setInputFiles("#deployment-file", []);
    await clear("#chain-status");
    await page.click("#connect");
    await waitFor(page.locator("#chain-status [data-connected=true]"), "#chain-status");
  });

  it("explains a configured chain whose RPC is down (the server's proxy finds no node)", async function () {
    const orphan = await startVerifierServer({
      port: 0,
      rpcUrl: `http://127.0.0.1:${await closedPort()}`,
      deployment: deploymentJson(deployment),
    });
    try {
      await open(orphan.url, false);
      const p = await problem("#chain-status", "rpcDown");
      expect(await p.locator(".details").innerText()).to.contain("/rpc");
      await screenshot("15-configured-rpc-down", "#chain");
    } finally {
      await orphan.close();
    }
  });

  it("answers whether the patent is licensed for a field and territory today, and shows it in full", async function () {
    await open();
    const ask = async (licensee: string, field: string, territory: string, date = "") => {
      await clear("#licence-result");
      await page.fill("#achievement-number", patent.toString());
      await page.fill("#licensee", licensee);
      await page.fill("#field", field);
      await page.fill("#territory", territory);
      await page.fill("#date", date);
      await page.click("#ask-licence");
      return waitFor(page.locator("#licence-result [data-licensed]"), "#licence-result");
    };
    const buyer = `did:govledger:31337:${m.buyer.did}`;
    let a = await ask(buyer, "480", "310000");
    expect(await a.getAttribute("data-licensed")).to.equal("true");
    expect(await a.locator("h3").innerText()).to.equal("Yes — licensed");
    expect(await a.locator(".lead").innerText()).to.match(
      new RegExp(`^${buyer} is licensed for achievement ${patent} in field 480, territory 310000, now \\(chain time `),
    );
    await screenshot("16-licensed-yes", "#achievements");
    a = await ask(buyer, "481", "310000");
    expect(await a.getAttribute("data-licensed")).to.equal("false");
    expect(await a.locator("h3").innerText()).to.equal("No — not licensed");
    await screenshot("17-licensed-no", "#achievements");
    a = await ask("", "480", "0");
    expect(await a.getAttribute("data-licensed")).to.equal("false");
    a = await ask("", "480", "310000");
    expect(await a.getAttribute("data-licensed")).to.equal("true");
    const rows = await a.locator("tbody tr").allInnerTexts();
    expect(rows).to.have.length(1);
    expect(rows[0]).to.contain(licenceId.toString()).and.to.contain(buyer).and.to.contain("exclusive");
    expect(rows[0]).to.contain(`did:govledger:31337:${m.centre.did} (${CENTRE})`);
    a = await ask(buyer, "480", "310000", "2020-01-01");
    expect(await a.getAttribute("data-licensed")).to.equal("false");
    expect(await a.locator(".lead").innerText()).to.contain("at 2020-01-01T00:00:00.000Z");

    await clear("#achievement-result");
    await page.click("#show-achievement");
    const view = await waitFor(
      page.locator(`#achievement-result [data-achievement="${patent}"]`),
      "#achievement-result",
    );
    expect(await view.locator("h3").innerText()).to.equal(
      `${patent} — 一种高效固态电池电解质 (solid-state electrolyte)`,
    );
    const ownership = await view.locator(".rights tbody tr").first().innerText();
    expect(ownership).to.contain("ownership");
    expect(ownership).to.contain(`did:govledger:31337:${m.university.did} 70 %`);
    expect(ownership).to.contain(`did:govledger:31337:${m.team.did} 30 %`);
    const evaluation = await view.locator(".evaluations tbody tr").innerText();
    expect(evaluation).to.contain(`did:govledger:31337:${m.evaluator.did}`).and.to.contain("90 / 85 / 70 / 60 / 40");
    expect(await view.locator(".licences tbody tr").innerText()).to.contain(buyer);
    const events = await view.locator(".events tbody tr").allInnerTexts();
    expect(events.some((e) => e.includes("AchievementRegistered"))).to.equal(true);
    expect(events.some((e) => e.includes("Evaluated"))).to.equal(true);
    expect(await view.locator('dd[data-field="status"]').innerText()).to.equal("evaluated");
    await screenshot("18-achievement", "#achievements");

    await page.fill("#achievement-number", "123");
    await clear("#licence-result");
    await page.click("#ask-licence");
    let p = await problem("#licence-result", "number");
    expect(await p.locator(".details").innerText()).to.equal('"123" is not 12 digits');
    await page.fill("#achievement-number", "312026299999");
    await clear("#achievement-result");
    await page.click("#show-achievement");
    p = await problem("#achievement-result", "chainRefused");
    expect(await p.locator(".details").innerText()).to.contain("312026299999");
    await page.fill("#achievement-number", patent.toString());
    await page.fill("#licensee", "did:govledger:1:5");
    await clear("#licence-result");
    await page.click("#ask-licence");
    p = await problem("#licence-result", "did");
    expect(await p.locator(".details").innerText()).to.equal(
      "did:govledger:1:5 is a DID of chain 1, but this network is chain 31337",
    );
  });

  it("switches to Chinese: every label, the verdict and the messages, kept on reload", async function () {
    await open();
    await page.setInputFiles("#file-input", files["evaluation-report.txt"]);
    await verdict("notarized");
    await page.click('[data-lang="zh"]');
    expect(await page.getAttribute("html", "lang")).to.equal("zh-CN");
    expect(await page.locator("h1").innerText()).to.equal("GovLedger 链上核验");
    expect(await page.locator("#evidence h2").innerText()).to.equal("核验电子存证");
    expect(await page.locator("#achievements h2").innerText()).to.equal("科技成果与许可");
    const v = page.locator('#evidence-result [data-verdict="notarized"]');
    expect(await v.locator("h3").innerText()).to.equal("已存证 — 有效");
    expect(await v.locator(".lead").innerText()).to.match(
      new RegExp(`^由 ${escapeRegExp(IP_OFFICE)} — did:govledger:31337:\\d+ 于 `),
    );
    expect(await v.locator('dt[data-field="submitter"]').innerText()).to.equal("存证机构");
    expect(await v.locator(".endorsements h4").innerText()).to.equal("背书");
    expect(await page.locator("#chain-status").innerText()).to.contain("已只读连接到链 31337");
    await screenshot("19-chinese-verdict", "body");

    await paste(JSON.stringify({ ...bundle, chainId: 1 }));
    const p = await problem("#evidence-result", "bundleOtherChain");
    expect(await p.locator(".headline").innerText()).to.equal("该证明包属于另一条链");

    await page.reload();
    await waitFor(page.locator("#chain-status [data-connected=true]"), "#chain-status");
    expect(await page.locator("h1").innerText()).to.equal("GovLedger 链上核验");
    await page.click('[data-lang="en"]');
    expect(await page.locator("h1").innerText()).to.equal("GovLedger verifier");
  });
});

/** `text` with the characters of a regular expression escaped. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
