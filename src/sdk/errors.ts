import { Interface, type ErrorDescription, type InterfaceAbi, type Result } from "ethers";
import { MEMBER_STATUSES, PROPOSAL_STATES } from "./states";
import { Council__factory, GovAuthority__factory, MemberRegistry__factory } from "../../typechain-types";

/** What a contract error means to a person: why it happened and how to fix it. */
export interface ErrorDoc {
  /** Contract (or library) that declares it. */
  source: string;
  why: string;
  fix: string;
  /** One-line human message built from the error's arguments. */
  say?: (a: Result) => string;
}

/**
 * Every custom error a suite contract can raise. docs/errors.md is generated from this table and a
 * test fails when a contract error is missing from it.
 */
export const ERROR_DOCS: Record<string, ErrorDoc> = {
  CouncilNotCouncillor: {
    source: "Council",
    why: "The account acted as a councillor but does not hold a council seat.",
    fix: "Sign with a councillor's key, or have the council add the account (a delayed governance change).",
    say: (a) => `${a.account} is not a councillor`,
  },
  CouncilUnknownProposal: {
    source: "Council",
    why: "No proposal has this id.",
    fix: "List proposals (`govledger council proposals`) and use an existing id.",
    say: (a) => `proposal ${a.id} does not exist`,
  },
  CouncilAlreadyApproved: {
    source: "Council",
    why: "The councillor approved this proposal before; each councillor counts once.",
    fix: "Nothing to do; another councillor must approve.",
    say: (a) => `${a.councillor} already approved proposal ${a.id}`,
  },
  CouncilNotApproved: {
    source: "Council",
    why: "The councillor tried to withdraw an approval it never gave.",
    fix: "Only withdraw approvals you gave; check `govledger council show <id>`.",
    say: (a) => `${a.councillor} has not approved proposal ${a.id}`,
  },
  CouncilUnexpectedState: {
    source: "Council",
    why: "The proposal is not in a state that allows this action (e.g. approving an executed proposal).",
    fix: "Check the proposal's state; make a new proposal if it was cancelled or expired.",
    say: (a) => `proposal ${a.id} is ${PROPOSAL_STATES[Number(a.state)] ?? a.state}`,
  },
  CouncilQuorumNotReached: {
    source: "Council",
    why: "The proposal has fewer approvals than the council's threshold; fewer than k approvals do nothing.",
    fix: "Collect approvals from more councillors, then execute.",
    say: (a) => `proposal ${a.id} has ${a.approvals} of ${a.threshold} approvals needed`,
  },
  CouncilProposalNotReady: {
    source: "Council",
    why: "The proposal is approved but its governance delay has not passed.",
    fix: "Wait until the time shown, then execute. A guardian may cancel it meanwhile.",
    say: (a) => `proposal ${a.id} may run from ${new Date(Number(a.readyAt) * 1000).toISOString()}`,
  },
  CouncilCancelNotAllowed: {
    source: "Council",
    why: "Only the proposer (while pending) or a guardian (until executed) may cancel a proposal.",
    fix: "Ask a guardian member to cancel it.",
    say: (a) => `${a.caller} may not cancel proposal ${a.id}`,
  },
  CouncilInvalidCall: {
    source: "Council",
    why: "A proposal needs a non-zero target and calldata that starts with a function selector.",
    fix: "Build the call with the SDK's proposal builders.",
    say: (a) => `invalid call to ${a.target} with ${a.dataLength} bytes of data`,
  },
  CouncilInvalidThreshold: {
    source: "Council",
    why: "The threshold must be between 1 and the number of councillors.",
    fix: "Choose a threshold in range, or add councillors first.",
    say: (a) => `threshold ${a.threshold} is impossible with ${a.councillors} councillors`,
  },
  CouncilInvalidCouncillor: {
    source: "Council",
    why: "The account is the zero address or already a councillor.",
    fix: "Propose a different account.",
    say: (a) => `${a.account} cannot be added as councillor`,
  },
  CouncilTooManyCouncillors: {
    source: "Council",
    why: "The council has a fixed maximum size so approval counting stays bounded.",
    fix: "Remove a councillor before adding another.",
    say: (a) => `the council is full (${a.max} seats)`,
  },
  GovAuthorityUpgradeNotScheduled: {
    source: "GovAuthority",
    why: "The authority upgrades only through its own execute, after the council's delay.",
    fix: "Propose the upgrade through the council.",
    say: (a) => `${a.caller} cannot upgrade the authority directly`,
  },
  MemberRegistryUnknownMember: {
    source: "MemberRegistry",
    why: "No member has this id.",
    fix: "List members (`govledger members list`) and use an existing id.",
    say: (a) => `member ${a.memberId} does not exist`,
  },
  MemberRegistryUnexpectedStatus: {
    source: "MemberRegistry",
    why: "The member's status does not allow this action (e.g. reinstating an active member).",
    fix: "Check the member's status with `govledger members show <id>`.",
    say: (a) => `member ${a.memberId} is ${MEMBER_STATUSES[Number(a.status)] ?? a.status}`,
  },
  MemberRegistryAccountTaken: {
    source: "MemberRegistry",
    why: "An account acts for at most one member.",
    fix: "Remove the account from its current member first, or use another account.",
    say: (a) => `${a.account} already acts for member ${a.memberId}`,
  },
  MemberRegistryNotMemberAccount: {
    source: "MemberRegistry",
    why: "The account does not act for this member.",
    fix: "Check the member's accounts with `govledger members show <id>`.",
    say: (a) => `${a.account} does not act for member ${a.memberId}`,
  },
  MemberRegistryInvalidAccount: {
    source: "MemberRegistry",
    why: "The zero address cannot act for a member.",
    fix: "Give a real account address.",
    say: () => "the zero address cannot be a member account",
  },
  MemberRegistryNotMemberRole: {
    source: "MemberRegistry",
    why: "Only member roles (guardian, registrar, credential issuer, notary, evaluator, trading centre, arbitrator, auditor) can be granted to members; governance roles belong to contracts.",
    fix: "Use a member role name.",
    say: (a) => `role ${a.role} is not a member role`,
  },
  MemberRegistryRoleAlreadyGranted: {
    source: "MemberRegistry",
    why: "The member already holds the role.",
    fix: "Nothing to do.",
    say: (a) => `member ${a.memberId} already holds role ${a.role}`,
  },
  MemberRegistryRoleNotGranted: {
    source: "MemberRegistry",
    why: "The member does not hold the role it should lose.",
    fix: "Check the member's roles with `govledger members show <id>`.",
    say: (a) => `member ${a.memberId} does not hold role ${a.role}`,
  },
  MemberRegistryTooManyAccounts: {
    source: "MemberRegistry",
    why: "A member has a bounded number of accounts so role changes stay within gas limits.",
    fix: "Remove an unused account first.",
    say: (a) => `member ${a.memberId} already has the maximum of ${a.max} accounts`,
  },
  MemberRegistryEmptyName: {
    source: "MemberRegistry",
    why: "A member must have a name.",
    fix: "Give the organisation's name.",
    say: () => "the member name is empty",
  },
  AccessManagedUnauthorized: {
    source: "OpenZeppelin AccessManaged",
    why: "The caller does not hold the role the authority requires for this function (or is suspended).",
    fix: "Sign with an account of an active member holding the role, or go through the council.",
    say: (a) => `${a.caller} is not authorised for this call`,
  },
  AccessManagedRequiredDelay: {
    source: "OpenZeppelin AccessManaged",
    why: "The caller holds the role only with an execution delay, so the call must be scheduled first.",
    fix: "Propose it through the council, which schedules and waits the delay.",
    say: (a) => `${a.caller} must schedule this call and wait ${a.delay}s`,
  },
  AccessManagedInvalidAuthority: {
    source: "OpenZeppelin AccessManaged",
    why: "The new authority is not a contract.",
    fix: "Point the contract at a deployed GovAuthority.",
  },
  AccessManagerAlreadyScheduled: {
    source: "OpenZeppelin AccessManager",
    why: "An identical call by the same caller is already scheduled.",
    fix: "Execute or cancel the scheduled one first.",
  },
  AccessManagerBadConfirmation: {
    source: "OpenZeppelin AccessManager",
    why: "renounceRole must be called with the caller's own address as confirmation.",
    fix: "Pass your own address.",
  },
  AccessManagerExpired: {
    source: "OpenZeppelin AccessManager",
    why: "The scheduled call was not executed within the authority's expiration window.",
    fix: "Propose it again.",
  },
  AccessManagerInvalidInitialAdmin: {
    source: "OpenZeppelin AccessManager",
    why: "The authority needs a non-zero initial admin.",
    fix: "Deploy with a deployer account.",
  },
  AccessManagerLockedRole: {
    source: "OpenZeppelin AccessManager",
    why: "ADMIN and PUBLIC roles cannot be relabelled, re-administered or given a guardian.",
    fix: "Use another role id.",
  },
  AccessManagerNotReady: {
    source: "OpenZeppelin AccessManager",
    why: "The scheduled call's delay has not passed.",
    fix: "Wait until it is ready.",
  },
  AccessManagerNotScheduled: {
    source: "OpenZeppelin AccessManager",
    why: "The call needs a schedule but none exists (never scheduled, cancelled by a guardian, or expired).",
    fix: "Propose it again through the council.",
  },
  AccessManagerUnauthorizedAccount: {
    source: "OpenZeppelin AccessManager",
    why: "The account lacks the role this authority function needs.",
    fix: "Go through the council.",
    say: (a) => `${a.msgsender} lacks role ${a.roleId}`,
  },
  AccessManagerUnauthorizedCall: {
    source: "OpenZeppelin AccessManager",
    why: "The caller may not make this call through the authority.",
    fix: "Check the permission table (src/deploy/permissions.ts) and who holds the role.",
    say: (a) => `${a.caller} may not call ${a.selector} on ${a.target}`,
  },
  AccessManagerUnauthorizedCancel: {
    source: "OpenZeppelin AccessManager",
    why: "Only the scheduler, an admin or a guardian of the role may cancel a scheduled call.",
    fix: "Ask a guardian member.",
  },
  AccessManagerUnauthorizedConsume: {
    source: "OpenZeppelin AccessManager",
    why: "Only the targeted contract can consume its scheduled operation.",
    fix: "Execute through the authority.",
  },
  EnforcedPause: {
    source: "OpenZeppelin Pausable",
    why: "The module is paused by a guardian; reads still work, writes wait.",
    fix: "Wait for the council to unpause it.",
    say: () => "the module is paused",
  },
  ExpectedPause: {
    source: "OpenZeppelin Pausable",
    why: "The module is not paused, so it cannot be unpaused.",
    fix: "Nothing to do.",
  },
  InvalidInitialization: {
    source: "OpenZeppelin Initializable",
    why: "The contract was already initialised (or is an implementation, which is never initialised).",
    fix: "Use the proxy address from deployments/<network>/.",
  },
  NotInitializing: {
    source: "OpenZeppelin Initializable",
    why: "An initialiser step ran outside initialisation.",
    fix: "A contract bug: report it.",
  },
  UUPSUnauthorizedCallContext: {
    source: "OpenZeppelin UUPSUpgradeable",
    why: "Upgrade functions must be called through the proxy, not on the implementation.",
    fix: "Use the proxy address.",
  },
  UUPSUnsupportedProxiableUUID: {
    source: "OpenZeppelin UUPSUpgradeable",
    why: "The new implementation is not a UUPS implementation.",
    fix: "Deploy a UUPS implementation of the same contract.",
  },
  ERC1967InvalidImplementation: {
    source: "OpenZeppelin ERC1967Utils",
    why: "The new implementation address has no code.",
    fix: "Deploy the implementation first.",
  },
  ERC1967NonPayable: {
    source: "OpenZeppelin ERC1967Utils",
    why: "Upgrades never carry native value in this suite.",
    fix: "Send no value.",
  },
  AddressEmptyCode: {
    source: "OpenZeppelin Address",
    why: "A call went to an address without code.",
    fix: "Check the target address.",
  },
  FailedCall: {
    source: "OpenZeppelin Address",
    why: "A low-level call failed without a reason.",
    fix: "Check the target contract and call data.",
  },
  InsufficientBalance: {
    source: "OpenZeppelin Address",
    why: "A call asked to send more native value than the contract holds.",
    fix: "Send no value: the suite settles in ERC-20 only.",
  },
  SafeCastOverflowedUintDowncast: {
    source: "OpenZeppelin SafeCast",
    why: "A number is too large for its field (e.g. a delay or a time).",
    fix: "Use a smaller value.",
  },
};

/** The ABIs whose errors the SDK can decode. Modules add theirs here. */
const SUITE_ABIS: InterfaceAbi[] = [Council__factory.abi, MemberRegistry__factory.abi, GovAuthority__factory.abi];

let suiteInterface: Interface | undefined;

/** One interface holding every error (and event) of the suite, deduplicated by signature. */
export function suiteErrorsInterface(): Interface {
  if (!suiteInterface) {
    const seen = new Set<string>();
    const fragments = SUITE_ABIS.flatMap((abi) => new Interface(abi).fragments).filter((f) => {
      if (f.type !== "error") return false;
      const key = f.format("sighash");
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    suiteInterface = new Interface(fragments);
  }
  return suiteInterface;
}

/** A refusal by a suite contract, decoded: its Solidity name, its arguments and what it means. */
export class GovLedgerError extends Error {
  constructor(
    /** Solidity error name, e.g. "CouncilQuorumNotReached"; "Revert" for a reason string, "Unknown" otherwise. */
    readonly errorName: string,
    readonly args: Record<string, unknown>,
    message: string,
    readonly fix?: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = "GovLedgerError";
  }
}

function argsOf(decoded: ErrorDescription): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  decoded.fragment.inputs.forEach((input, i) => (out[input.name || String(i)] = decoded.args[i]));
  return out;
}

/** Finds revert data in the many shapes ethers and providers give it. */
export function revertDataOf(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length > 0) {
    const e = stack.pop();
    if (!e || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const o = e as Record<string, unknown>;
    if (typeof o.data === "string" && /^0x[0-9a-fA-F]{8}/.test(o.data)) return o.data;
    for (const key of ["error", "info", "cause", "data", "receipt"]) stack.push(o[key]);
  }
  return undefined;
}

/** Decodes revert data of a suite contract into a {@link GovLedgerError}, or undefined if it is not one. */
export function decodeRevert(data: string, cause?: unknown): GovLedgerError | undefined {
  let decoded: ErrorDescription | null = null;
  try {
    decoded = suiteErrorsInterface().parseError(data);
  } catch {
    decoded = null;
  }
  if (!decoded) return undefined;
  if (decoded.name === "Error") {
    return new GovLedgerError("Revert", { reason: decoded.args[0] }, `reverted: ${decoded.args[0]}`, undefined, cause);
  }
  const doc = ERROR_DOCS[decoded.name];
  const detail = doc?.say ? doc.say(decoded.args) : doc?.why;
  const message = `${decoded.name}: ${detail ?? "refused by the contract"}`;
  return new GovLedgerError(decoded.name, argsOf(decoded), message, doc?.fix, cause);
}

/** Turns anything thrown by a contract call into a {@link GovLedgerError} when it carries a suite error. */
export function toGovLedgerError(error: unknown): unknown {
  if (error instanceof GovLedgerError) return error;
  const data = revertDataOf(error);
  return (data && decodeRevert(data, error)) ?? error;
}
