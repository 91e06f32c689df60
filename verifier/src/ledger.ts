import { FailoverProvider, GovLedger, hasModule, registrationNumberProblem, toGovLedgerError } from "../../src/sdk";
import type {
  AchievementEvent,
  AchievementView,
  Deployment,
  EndorsementView,
  EvidenceRecordView,
  EvidenceVerdict,
  LicenceView,
  ProofVerdict,
} from "../../src/sdk";
import { parseBundle } from "../../src/evidence/bundle";
import type { HashAlgorithm } from "./hash-protocol";
import { PageProblem } from "./problems";

/**
 * What the page asks the chain, through the SDK, read-only: the answers as plain data for the
 * views. No DOM here.
 */

export interface Connection {
  ledger: GovLedger;
  provider: FailoverProvider;
  deployment: Deployment;
  urls: string;
  block: number;
  /** The optional modules the deployment has. */
  modules: string[];
  names: Names;
}

/** Connects read-only (no signer) and checks the deployment's contracts exist on that chain. */
export async function connect(urls: string, deployment: Deployment): Promise<Connection> {
  const provider = await FailoverProvider.connect(urls, { chainId: deployment.chainId, requestTimeoutMs: 15_000 });
  try {
    const ledger = await GovLedger.connect(provider, deployment);
    const names = ["MemberRegistry", "EvidenceRegistry", "AchievementRegistry", "LicenceRegister"].filter(
      (n) => deployment.contracts[n],
    );
    const codes = await Promise.all(names.map((n) => provider.getCode(deployment.contracts[n])));
    const empty = names.filter((_, i) => codes[i] === "0x");
    if (empty.length > 0) {
      throw new PageProblem(
        "error.noContract",
        empty.map((n) => `no contract at ${deployment.contracts[n]} (${n}) on chain ${deployment.chainId} at ${urls}`),
      );
    }
    const modules = (["identity", "evidence", "achievement", "trade"] as const).filter((m) => hasModule(deployment, m));
    const block = await provider.getBlockNumber();
    return { ledger, provider, deployment, urls, block, modules, names: new Names(ledger) };
  } catch (e) {
    provider.destroy();
    throw e;
  }
}

/** Organisation names of DIDs: a DID whose key is a consortium member's account is named after the member. */
export class Names {
  private readonly cache = new Map<bigint, Promise<string | undefined>>();

  constructor(private readonly ledger: GovLedger) {}

  /** The member organisation acting through DID `id`; undefined for DIDs of non-members. */
  of(id: bigint): Promise<string | undefined> {
    let name = this.cache.get(id);
    if (!name) {
      name = this.lookup(id);
      this.cache.set(id, name);
    }
    return name;
  }

  /** Names of all `ids` at once. */
  async all(ids: Iterable<bigint>): Promise<Map<bigint, string>> {
    const list = [...new Set(ids)].filter((id) => id > 0n);
    const names = await Promise.all(list.map((id) => this.of(id)));
    const out = new Map<bigint, string>();
    list.forEach((id, i) => names[i] !== undefined && out.set(id, names[i]!));
    return out;
  }

  private async lookup(id: bigint): Promise<string | undefined> {
    if (!this.ledger.hasIdentity) return undefined;
    try {
      const doc = await this.ledger.identity.resolve(id);
      for (const key of doc.keys) {
        const member = await this.ledger.members.memberOf(key.account);
        if (member) return member.name;
      }
      return undefined;
    } catch (e) {
      // A DID the registry refuses to resolve is shown without a name; a node that fails is an error.
      if ((e as { code?: string }).code === "CALL_EXCEPTION") return undefined;
      throw e;
    }
  }
}

/** What a dropped file hashed to, or a digest given as such. */
export interface DocumentInput {
  /** The file's name and size; undefined for a pasted digest. */
  file?: { name: string; size: number; ms: number };
  candidates: { digest: string; algorithm?: HashAlgorithm }[];
}

export interface DocumentResult {
  type: "document";
  input: DocumentInput;
  verdict: EvidenceVerdict;
  endorsements: EndorsementView[];
  history: EvidenceRecordView[];
  /** Organisation names of the DIDs shown. */
  names: Map<bigint, string>;
}

export interface ProofResult {
  type: "proof";
  verdict: ProofVerdict;
  endorsements: EndorsementView[];
  /** The document given with the bundle: its name and digest. */
  document?: { name: string; digest: string };
  names: Map<bigint, string>;
}

/** The evidence client; the SDK's getter throws a clear DeploymentError when the module is missing. */
function evidenceOf(c: Connection) {
  return c.ledger.evidence;
}

/**
 * The verdict on a document, as `govledger evidence verify` gives it: the first candidate digest
 * on record with the algorithm it was hashed with (a file is hashed with each algorithm), then
 * the record's endorsements and versions.
 */
export async function verifyDocument(c: Connection, input: DocumentInput): Promise<DocumentResult> {
  const evidence = evidenceOf(c);
  let found: EvidenceRecordView | undefined;
  for (const candidate of input.candidates) {
    const record = await evidence.record(candidate.digest);
    if (record && (candidate.algorithm === undefined || record.algorithm === candidate.algorithm)) {
      found = record;
      break;
    }
  }
  const verdict = await evidence.verify(found?.key ?? input.candidates[0].digest);
  const [endorsements, history] = verdict.record
    ? await Promise.all([evidence.endorsements(verdict.digest), evidence.history(verdict.digest)])
    : [[], []];
  const names = await c.names.all([
    ...endorsements.map((e) => e.did),
    ...(verdict.revocation ? [verdict.revocation.by] : []),
    ...history.map((h) => h.submitter),
  ]);
  return { type: "document", input, verdict, endorsements, history, names };
}

/** The verdict on a proof bundle (JSON text), checked by the SDK against the anchored root or record. */
export async function verifyBundle(
  c: Connection,
  text: string,
  document?: { name: string; digest: string },
): Promise<ProofResult> {
  const evidence = evidenceOf(c);
  const verdict = await evidence.verifyProof(text, document?.digest);
  const key = verdict.bundle.anchor === "merkle-root" ? verdict.bundle.root! : verdict.bundle.digest;
  const endorsements = verdict.record ? await evidence.endorsements(key) : [];
  const names = await c.names.all([
    ...endorsements.map((e) => e.did),
    ...(verdict.revocation ? [verdict.revocation.by] : []),
  ]);
  return { type: "proof", verdict, endorsements, ...(document ? { document } : {}), names };
}

/** The bundle in `text`, parsed and checked offline (for the algorithm of a document to compare). */
export function bundleAlgorithm(text: string): HashAlgorithm {
  return parseBundle(text).algorithm.name as HashAlgorithm;
}

export interface AchievementResult {
  view: AchievementView;
  /** Undefined when the deployment has no trading module. */
  licences?: LicenceView[];
  history: AchievementEvent[];
  names: Map<bigint, string>;
}

/** A registration number as typed: 12 digits, or a clear problem. */
export function achievementNumber(input: string): bigint {
  const text = input.trim();
  const problem = registrationNumberProblem(text);
  if (problem) throw new PageProblem("error.number", [problem]);
  return BigInt(text);
}

/** An achievement's registration, rights, evaluations, licences and history. */
export async function showAchievement(c: Connection, number: bigint): Promise<AchievementResult> {
  const achievement = c.ledger.achievement;
  const trade = hasModule(c.deployment, "trade");
  const [view, history, licences] = await Promise.all([
    achievement.show(number),
    achievement.history(number),
    trade ? c.ledger.licences.licencesOf(number) : Promise.resolve(undefined),
  ]);
  const dids = [
    view.registrar,
    ...Object.values(view.rights).flatMap((r) => r.holdings.map((h) => h.did)),
    ...view.evaluations.map((e) => e.evaluator),
    ...(view.pledge ? [view.pledge.lender] : []),
    ...(licences ?? []).flatMap((l) => [l.licensee, l.recordedBy]),
    ...history.flatMap((e) => (e.actor === undefined ? [] : [e.actor])),
  ];
  return { view, history, ...(licences ? { licences } : {}), names: await c.names.all(dids) };
}

export interface LicenceQuestion {
  number: bigint;
  /** The licensee's DID as typed; empty for "any licensee". */
  licensee: string;
  field: string;
  territory: string;
  /** yyyy-mm-dd; empty for now. */
  date: string;
}

export interface LicenceAnswer {
  number: bigint;
  licensee?: { id: bigint; did: string };
  field: bigint;
  territory: bigint;
  /** The time asked about: chain time now, or 00:00 UTC of the date given. */
  at: bigint;
  now: boolean;
  licensed: boolean;
  /** The licences that cover the question (of the licensee, when one was named). */
  covering: LicenceView[];
  names: Map<bigint, string>;
}

const UINT32 = 2n ** 32n;

function code(text: string, what: string): bigint {
  const t = text.trim() === "" ? "0" : text.trim();
  if (!/^\d+$/.test(t) || BigInt(t) >= UINT32) {
    throw new PageProblem("error.code", [`${what} code "${text}" is not valid: expected 0 (all) to 4294967295`]);
  }
  return BigInt(t);
}

function dateSeconds(text: string): bigint | undefined {
  if (text.trim() === "") return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).getUTCDate() !== Number(m[3])) {
    throw new PageProblem("error.date", [`"${text}" is not a date (yyyy-mm-dd)`]);
  }
  return BigInt(ms / 1000);
}

/**
 * "Is achievement C licensed for field F in territory T today?" With a licensee, the register's own
 * answer (isLicensed); without, the achievement's licences that cover F and T at that time, by the
 * register's rule: active (not terminated), started, not ended, and of field / territory F / T or 0 (all).
 */
export async function askLicence(c: Connection, q: LicenceQuestion): Promise<LicenceAnswer> {
  const field = code(q.field, "field");
  const territory = code(q.territory, "territory");
  const date = dateSeconds(q.date);
  let licensee: { id: bigint; did: string } | undefined;
  if (q.licensee.trim() !== "") {
    try {
      const id = c.ledger.identity.didId(q.licensee.trim());
      licensee = { id, did: c.ledger.identity.didString(id) };
    } catch (e) {
      throw new PageProblem("error.did", [(e as Error).message]);
    }
  }
  // The achievement must exist: an unknown number is an error, not a "no".
  try {
    await c.ledger.achievement.registry.getAchievement(q.number);
  } catch (e) {
    throw toGovLedgerError(e);
  }
  const latest = await c.provider.getBlock("latest");
  const at = date ?? BigInt(latest?.timestamp ?? Math.floor(Date.now() / 1000));
  const licences = await c.ledger.licences.licencesOf(q.number);
  const covers = (granted: bigint, asked: bigint) => granted === 0n || granted === asked;
  const covering = licences.filter(
    (l) =>
      l.status !== "Terminated" &&
      l.start <= at &&
      at < l.end &&
      covers(l.field, field) &&
      covers(l.territory, territory) &&
      (licensee === undefined || l.licensee === licensee.id),
  );
  const licensed = licensee
    ? await c.ledger.licences.isLicensed(licensee.id, q.number, { field, territory, at })
    : covering.length > 0;
  const names = await c.names.all([
    ...covering.flatMap((l) => [l.licensee, l.recordedBy]),
    ...(licensee ? [licensee.id] : []),
  ]);
  return {
    number: q.number,
    ...(licensee ? { licensee } : {}),
    field,
    territory,
    at,
    now: date === undefined,
    licensed,
    covering,
    names,
  };
}
