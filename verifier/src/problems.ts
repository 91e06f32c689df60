import { toGovLedgerError } from "../../src/sdk/errors";
import type { Key } from "./i18n";

/**
 * What went wrong, for the page: a translated headline (`key`, with `params`), an optional
 * translated hint, and the technical detail in the SDK's words (one line each). Every failure the
 * page meets becomes one of these and is shown on the page, never only in the console.
 */
export interface Problem {
  /** Names the kind of problem for tests and styles (the key without "error."). */
  kind: string;
  key: Key;
  params?: Record<string, string>;
  hint?: Key;
  details: string[];
}

/** A problem the page found itself (input checks), carried as an error. */
export class PageProblem extends Error {
  constructor(
    readonly key: Key,
    readonly details: string[] = [],
    readonly params: Record<string, string> = {},
    readonly hint?: Key,
  ) {
    super(details.join("; ") || key);
    this.name = "PageProblem";
  }
}

const RPC_CODES = new Set(["NETWORK_ERROR", "TIMEOUT", "SERVER_ERROR"]);

/** The problem `error` stands for. */
export function problemOf(error: unknown): Problem {
  if (error instanceof PageProblem) {
    return {
      kind: kindOf(error.key),
      key: error.key,
      params: error.params,
      ...(error.hint ? { hint: error.hint } : {}),
      details: error.details,
    };
  }
  const e = toGovLedgerError(error) as { name?: string; message?: string; code?: string; problems?: string[] };
  const message = e?.message ?? String(error);
  const make = (key: Key, details: string[] = [message], hint?: Key): Problem => ({
    kind: kindOf(key),
    key,
    details,
    ...(hint ? { hint } : {}),
  });
  switch (e?.name) {
    case "BundleError":
      return make("error.bundleMalformed", e.problems ?? [message]);
    case "EvidenceProofError":
      return make(/chain id/.test(message) ? "error.bundleOtherChain" : "error.bundleOtherContract");
    case "RpcUnreachableError":
      return make("error.rpcDown", [message], "error.rpcDownHint");
    case "DeploymentError":
      if (/wrong network/.test(message)) return make("error.wrongChain");
      if (/has no \w+ module/.test(message)) return make("error.module");
      return make("error.deployment");
    case "ConfigError":
      return make(/^config\.json/.test(message) ? "error.config" : "error.deploymentJson");
    case "DigestError":
      return make("error.input", [message], "error.inputHint");
    case "GovLedgerError":
      return make("error.chainRefused");
  }
  if (e?.code === "BAD_DATA") {
    return make("error.noContract", [`${message} (the address holds no contract of the expected kind)`]);
  }
  if (e?.code && RPC_CODES.has(e.code)) return make("error.rpcDown", [message], "error.rpcDownHint");
  return make("error.unexpected");
}

function kindOf(key: Key): string {
  return key.replace(/^error\./, "");
}
