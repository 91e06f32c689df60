import { BUNDLE_FORMAT } from "../../src/evidence/bundle";
import { parseDigest } from "../../src/evidence/digest";
import type { Deployment } from "../../src/sdk";
import { absoluteRpcUrls, parseConfig, parseDeployment, type VerifierConfig } from "./config";
import { HASH_ALGORITHMS } from "./hash-protocol";
import { FileHasher, HashCancelled } from "./hashing";
import { initialLanguage, type Key, type Lang } from "./i18n";
import {
  achievementNumber,
  askLicence,
  bundleAlgorithm,
  connect,
  showAchievement,
  verifyBundle,
  verifyDocument,
  type Connection,
  type DocumentInput,
} from "./ledger";
import { PageProblem, problemOf } from "./problems";
import {
  achievementView,
  documentView,
  h,
  infoView,
  licenceAnswerView,
  problemView,
  progressText,
  proofView,
  translator,
  type Tr,
} from "./view";

/**
 * The verifier page: wires the forms to the chain queries (ledger.ts) and the views (view.ts).
 * Every failure ends as a message in the area of the page it concerns (or at the top for the
 * unexpected), never only in the console.
 */

const LANGUAGE_KEY = "govledger-verifier-language";
const DIGEST = /^0x[0-9a-fA-F]{64}$/;
/** A .json file up to this size is read whole to see whether it is a proof bundle. */
const BUNDLE_MAX_BYTES = 4 * 1024 * 1024;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page lacks #${id}`);
  return el as T;
}

const ui = {
  globalError: byId<HTMLDivElement>("global-error"),
  chainForm: byId<HTMLFormElement>("chain-form"),
  rpcUrl: byId<HTMLInputElement>("rpc-url"),
  deploymentFile: byId<HTMLInputElement>("deployment-file"),
  chainStatus: byId<HTMLDivElement>("chain-status"),
  dropZone: byId<HTMLDivElement>("drop-zone"),
  fileInput: byId<HTMLInputElement>("file-input"),
  paste: byId<HTMLTextAreaElement>("paste"),
  bundleDocument: byId<HTMLInputElement>("bundle-document"),
  verify: byId<HTMLButtonElement>("verify-paste"),
  progress: byId<HTMLDivElement>("progress"),
  progressBar: byId<HTMLProgressElement>("progress-bar"),
  progressText: byId<HTMLSpanElement>("progress-text"),
  cancel: byId<HTMLButtonElement>("cancel-hash"),
  evidenceResult: byId<HTMLDivElement>("evidence-result"),
  achievementForm: byId<HTMLFormElement>("achievement-form"),
  number: byId<HTMLInputElement>("achievement-number"),
  licensee: byId<HTMLInputElement>("licensee"),
  field: byId<HTMLInputElement>("field"),
  territory: byId<HTMLInputElement>("territory"),
  date: byId<HTMLInputElement>("date"),
  ask: byId<HTMLButtonElement>("ask-licence"),
  show: byId<HTMLButtonElement>("show-achievement"),
  licenceResult: byId<HTMLDivElement>("licence-result"),
  achievementResult: byId<HTMLDivElement>("achievement-result"),
};

const state: {
  tr: Tr;
  config: VerifierConfig;
  connection?: Connection;
  connecting?: Promise<Connection | undefined>;
  /** Increases with each evidence check: answers of an older one are dropped. */
  evidenceRun: number;
  progress?: { file: string; done: number; total: number };
} = { tr: translator("en"), config: {}, evidenceRun: 0 };

const hasher = new FileHasher(new URL("hash-worker.js", document.baseURI).href);

/** What each result area shows, kept so a change of language can build it again. */
const areas = new Map<HTMLElement, () => Node | null>();

function show(area: HTMLElement, render: () => Node | null): void {
  areas.set(area, render);
  const node = render();
  area.replaceChildren(...(node ? [node] : []));
}

function showProblem(area: HTMLElement, error: unknown): void {
  const problem = problemOf(error);
  show(area, () => problemView(state.tr, problem));
}

function showInfo(area: HTMLElement, key: Key, params?: Record<string, string | number | bigint>): void {
  show(area, () => infoView(state.tr.t(key, params)));
}

// ---- language ----

function setLanguage(lang: Lang): void {
  state.tr = translator(lang);
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = state.tr.t("page.title");
  for (const el of document.querySelectorAll<HTMLElement>("[data-i18n]")) {
    el.textContent = state.tr.t(el.dataset.i18n as Key);
  }
  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
  }
  for (const [area, render] of areas) {
    const node = render();
    area.replaceChildren(...(node ? [node] : []));
  }
  if (state.progress) updateProgress();
}

for (const button of document.querySelectorAll<HTMLButtonElement>("[data-lang]")) {
  button.addEventListener("click", () => {
    const lang = button.dataset.lang as Lang;
    try {
      localStorage.setItem(LANGUAGE_KEY, lang);
    } catch {
      // Storage may be off (private mode): the choice then lasts for this page only.
    }
    setLanguage(lang);
  });
}

// ---- chain ----

async function loadConfig(): Promise<VerifierConfig> {
  const response = await fetch("config.json", { cache: "no-store" });
  if (response.status === 404) return {};
  if (!response.ok) throw new PageProblem("error.config", [`config.json: HTTP ${response.status}`]);
  const config = parseConfig(await response.text());
  if (config.deploymentUrl) {
    const file = await fetch(config.deploymentUrl, { cache: "no-store" });
    if (!file.ok) {
      throw new PageProblem("error.config", [`the deployment file ${config.deploymentUrl}: HTTP ${file.status}`]);
    }
    config.deployment = parseDeployment(await file.text(), `the deployment file ${config.deploymentUrl}`);
  }
  return config;
}

/** The deployment to use: the file chosen in the form, else the configured one. */
async function chosenDeployment(): Promise<{ deployment: Deployment; source: Key; file?: string }> {
  const file = ui.deploymentFile.files?.[0];
  if (file) {
    let text: string;
    try {
      text = await file.text();
    } catch (e) {
      throw new PageProblem(
        "error.fileUnreadable",
        [(e as Error).message],
        { file: file.name },
        "error.fileUnreadableHint",
      );
    }
    return {
      deployment: parseDeployment(text, `the deployment file ${file.name}`),
      source: "chain.fromFile",
      file: file.name,
    };
  }
  if (state.config.deployment) return { deployment: state.config.deployment, source: "chain.configured" };
  throw new PageProblem("error.deployment", ["no deployment: choose a deployment file"], {}, "chain.notConnected");
}

/** Increases with each connection attempt: an older attempt that finishes late is dropped. */
let connectRun = 0;

async function connectChain(): Promise<Connection | undefined> {
  state.connection?.provider.destroy();
  state.connection = undefined;
  const attempt = ++connectRun;
  const run = (async () => {
    try {
      const { deployment, source, file } = await chosenDeployment();
      const text = ui.rpcUrl.value.trim();
      if (text === "") throw new PageProblem("error.noRpc", [], {}, "chain.notConnected");
      const urls = absoluteRpcUrls(text, document.baseURI);
      showInfo(ui.chainStatus, "chain.connecting", { url: urls });
      const c = await connect(urls, deployment);
      if (attempt !== connectRun) {
        c.provider.destroy();
        return undefined;
      }
      state.connection = c;
      show(ui.chainStatus, () => {
        const tr = state.tr;
        const modules = c.modules.length > 0 ? c.modules.join(", ") : tr.t("chain.noModules");
        return h(
          "div",
          {
            class: "message ok",
            role: "status",
            "data-connected": "true",
            "data-chain-id": c.deployment.chainId.toString(),
          },
          h(
            "p",
            null,
            tr.t("chain.connected", { chainId: c.deployment.chainId, network: c.deployment.network, block: c.block }),
          ),
          h(
            "p",
            { class: "hint" },
            tr.t(source, { file: file ?? "", network: c.deployment.network, chainId: c.deployment.chainId }),
            " ",
            tr.t("chain.contracts", { evidence: c.deployment.contracts.EvidenceRegistry ?? "-", modules }),
          ),
        );
      });
      return c;
    } catch (e) {
      if (attempt === connectRun) showProblem(ui.chainStatus, e);
      return undefined;
    }
  })();
  state.connecting = run;
  return run;
}

/** The connection, waiting for one being made; a clear problem when there is none. */
async function connection(): Promise<Connection> {
  const c = state.connection ?? (await state.connecting);
  if (!c) throw new PageProblem("error.notConnected", [], {}, "chain.notConnected");
  return c;
}

ui.chainForm.addEventListener("submit", (event) => {
  event.preventDefault();
  void connectChain();
});

// ---- evidence ----

function updateProgress(): void {
  const p = state.progress;
  if (!p) return;
  ui.progressBar.max = Math.max(p.total, 1);
  ui.progressBar.value = p.total === 0 ? 1 : p.done;
  ui.progressText.textContent = progressText(state.tr, p.file, p.done, p.total);
}

function setProgress(p: { file: string; done: number; total: number } | undefined): void {
  state.progress = p;
  ui.progress.hidden = p === undefined;
  updateProgress();
}

/** Runs one evidence check; its answer (or problem) is shown unless a newer check started meanwhile. */
async function evidenceCheck(work: (run: number) => Promise<Node | (() => Node) | null>): Promise<void> {
  const run = ++state.evidenceRun;
  ui.evidenceResult.setAttribute("aria-busy", "true");
  try {
    const result = await work(run);
    if (run !== state.evidenceRun) return;
    if (result) show(ui.evidenceResult, typeof result === "function" ? result : () => result);
  } catch (e) {
    if (run !== state.evidenceRun) return;
    if (e instanceof HashCancelled) showInfo(ui.evidenceResult, "evidence.cancelled");
    else showProblem(ui.evidenceResult, e);
  } finally {
    if (run === state.evidenceRun) {
      ui.evidenceResult.removeAttribute("aria-busy");
      setProgress(undefined);
    }
  }
}

/** Hashes `file` in the worker with `algorithms`, showing progress. */
async function hashFile(run: number, file: File, algorithms = [...HASH_ALGORITHMS]) {
  setProgress({ file: file.name, done: 0, total: file.size });
  const result = await hasher.hash(file, algorithms, (done, total) => {
    if (run === state.evidenceRun) setProgress({ file: file.name, done, total });
  });
  return result;
}

async function readText(file: File): Promise<string> {
  try {
    return await file.text();
  } catch (e) {
    const error = e as Error;
    throw new PageProblem(
      "error.fileUnreadable",
      [`${error.name}: ${error.message}`],
      { file: file.name },
      "error.fileUnreadableHint",
    );
  }
}

/** A dropped or chosen file: a proof bundle when it is JSON naming the bundle format, else a document. */
function checkFile(file: File): void {
  void evidenceCheck(async (run) => {
    if (file.name.toLowerCase().endsWith(".json") && file.size <= BUNDLE_MAX_BYTES) {
      const text = await readText(file);
      if (text.includes(BUNDLE_FORMAT)) {
        showInfo(ui.evidenceResult, "evidence.checking");
        const c = await connection();
        const r = await verifyBundle(c, text);
        return () => proofView(state.tr, r, c.deployment.chainId);
      }
    }
    const hashed = await hashFile(run, file);
    if (run !== state.evidenceRun) return null;
    setProgress(undefined);
    showInfo(ui.evidenceResult, "evidence.checking");
    const input: DocumentInput = {
      file: { name: file.name, size: file.size, ms: hashed.ms },
      candidates: HASH_ALGORITHMS.map((algorithm) => ({ digest: hashed.digests[algorithm], algorithm })),
    };
    const c = await connection();
    const r = await verifyDocument(c, input);
    return () => documentView(state.tr, r, c.deployment.chainId);
  });
}

/** The pasted text: a digest, or a proof bundle (with the optional document to compare). */
function checkPasted(): void {
  void evidenceCheck(async (run) => {
    const text = ui.paste.value.trim();
    if (text === "") throw new PageProblem("evidence.emptyInput");
    if (DIGEST.test(text) || /^0x/i.test(text)) {
      const digest = parseDigest(text);
      showInfo(ui.evidenceResult, "evidence.checking");
      const c = await connection();
      const r = await verifyDocument(c, { candidates: [{ digest }] });
      return () => documentView(state.tr, r, c.deployment.chainId);
    }
    if (!text.startsWith("{")) {
      const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
      throw new PageProblem("error.input", [`"${shown}"`], {}, "error.inputHint");
    }
    const file = ui.bundleDocument.files?.[0];
    let doc: { name: string; digest: string } | undefined;
    if (file) {
      const algorithm = bundleAlgorithm(text);
      const hashed = await hashFile(run, file, [algorithm]);
      doc = { name: file.name, digest: hashed.digests[algorithm] };
      setProgress(undefined);
    }
    showInfo(ui.evidenceResult, "evidence.checking");
    const c = await connection();
    const r = await verifyBundle(c, text, doc);
    return () => proofView(state.tr, r, c.deployment.chainId);
  });
}

ui.fileInput.addEventListener("change", () => {
  const file = ui.fileInput.files?.[0];
  if (file) checkFile(file);
  // The same file chosen again must fire "change" again.
  ui.fileInput.value = "";
});
ui.dropZone.addEventListener("click", (event) => {
  if (event.target !== ui.fileInput) ui.fileInput.click();
});
ui.dropZone.addEventListener("keydown", (event) => {
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    ui.fileInput.click();
  }
});
ui.dropZone.addEventListener("dragover", (event) => {
  event.preventDefault();
  ui.dropZone.classList.add("over");
});
ui.dropZone.addEventListener("dragleave", () => ui.dropZone.classList.remove("over"));
ui.dropZone.addEventListener("drop", (event) => {
  event.preventDefault();
  ui.dropZone.classList.remove("over");
  const file = event.dataTransfer?.files[0];
  if (file) checkFile(file);
});
// A file dropped outside the zone must not replace the page.
window.addEventListener("dragover", (event) => event.preventDefault());
window.addEventListener("drop", (event) => event.preventDefault());
ui.verify.addEventListener("click", checkPasted);
ui.cancel.addEventListener("click", () => hasher.cancel());

// ---- achievements and licences ----

function achievementQuery(area: HTMLElement, work: () => Promise<() => Node>): void {
  void (async () => {
    area.setAttribute("aria-busy", "true");
    try {
      show(area, await work());
    } catch (e) {
      showProblem(area, e);
    } finally {
      area.removeAttribute("aria-busy");
    }
  })();
}

function askLicenceQuestion(): void {
  achievementQuery(ui.licenceResult, async () => {
    const number = achievementNumber(ui.number.value);
    const c = await connection();
    const answer = await askLicence(c, {
      number,
      licensee: ui.licensee.value,
      field: ui.field.value,
      territory: ui.territory.value,
      date: ui.date.value,
    });
    return () => licenceAnswerView(state.tr, answer, c.deployment.chainId);
  });
}

function showAchievementDetails(): void {
  achievementQuery(ui.achievementResult, async () => {
    const number = achievementNumber(ui.number.value);
    showInfo(ui.achievementResult, "achievement.loading", { number });
    const c = await connection();
    const r = await showAchievement(c, number);
    return () => achievementView(state.tr, r, c.deployment.chainId);
  });
}

ui.achievementForm.addEventListener("submit", (event) => {
  event.preventDefault();
  askLicenceQuestion();
});
ui.show.addEventListener("click", showAchievementDetails);

// ---- anything unexpected: on the page, never only in the console ----

function showUnexpected(error: unknown): void {
  ui.globalError.hidden = false;
  const problem = problemOf(error);
  show(ui.globalError, () => problemView(state.tr, problem));
}

window.addEventListener("error", (event) => showUnexpected(event.error ?? event.message));
window.addEventListener("unhandledrejection", (event) => showUnexpected(event.reason));

// ---- start ----

async function start(): Promise<void> {
  let chosen: string | null = null;
  try {
    chosen = localStorage.getItem(LANGUAGE_KEY);
  } catch {
    chosen = null;
  }
  try {
    state.config = await loadConfig();
  } catch (e) {
    setLanguage(initialLanguage(chosen, undefined, navigator.languages ?? [navigator.language]));
    showProblem(ui.chainStatus, e);
    return;
  }
  setLanguage(initialLanguage(chosen, state.config.language, navigator.languages ?? [navigator.language]));
  if (state.config.rpcUrl) ui.rpcUrl.value = state.config.rpcUrl;
  if (state.config.rpcUrl && state.config.deployment) await connectChain();
  else
    showInfo(ui.chainStatus, state.config.deployment || state.config.rpcUrl ? "chain.notConnected" : "chain.noConfig");
}

void start();
