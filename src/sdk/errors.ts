import { Interface, type ErrorDescription, type Result } from "ethers";
import { suiteInterfaces } from "./events";
import {
  ACHIEVEMENT_STATUSES,
  CLAIM_STATUSES,
  DID_STATUSES,
  EVIDENCE_KINDS,
  EVIDENCE_STATUSES,
  MEMBER_STATUSES,
  MILESTONE_STATUSES,
  PROPOSAL_STATES,
  TECH_CONTRACT_STATUSES,
  TECH_CONTRACT_TYPES,
} from "./states";

/** What a contract error means to a person: why it happened and how to fix it. */
export interface ErrorDoc {
  /** Contract (or library) that declares it. */
  source: string;
  why: string;
  fix: string;
  /** One-line human message built from the error's arguments. */
  say?: (a: Result) => string;
}

/** A chain time (seconds) as ISO 8601. */
function isoSeconds(seconds: unknown): string {
  return new Date(Number(seconds) * 1000).toISOString();
}

/** A milestone as people number it (from 1, as the deal confirmation does): the contract's index + 1. */
function milestoneNumber(index: unknown): number {
  return Number(index) + 1;
}

/** ILicenceMarket.ListingStatus and Mode by name (as the market client names them). */
const LISTING_STATUS_NAMES = ["None", "Submitted", "Published", "Awarded", "Dealt", "Withdrawn", "Lapsed"];
const LISTING_MODE_NAMES = ["at a fixed price", "at a negotiated price", "at auction"];

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
  IdentityUnknownDid: {
    source: "IdentityRegistry",
    why: "No DID has this id.",
    fix: "Check the DID (`govledger identity resolve <did>`); DIDs read did:govledger:<chainId>:<id>.",
    say: (a) => `DID ${a.did} does not exist`,
  },
  IdentityUnexpectedStatus: {
    source: "IdentityRegistry",
    why: "The DID's status does not allow the action (e.g. verifying an active DID, issuing a claim about a suspended one, acting with a suspended issuer).",
    fix: "Check the DID's status with `govledger identity resolve <did>`; a registrar reinstates suspended DIDs.",
    say: (a) => `DID ${a.did} is ${DID_STATUSES[Number(a.status)] ?? a.status}`,
  },
  IdentityEmptyCommitment: {
    source: "IdentityRegistry",
    why: "A DID must commit to its off-chain identity record; the commitment was zero.",
    fix: "Pass the salted keccak256 hash of the identity record as the commitment.",
    say: () => "the identity commitment is empty",
  },
  IdentityInvalidKey: {
    source: "IdentityRegistry",
    why: "The zero address cannot be a key.",
    fix: "Give the address of a real key.",
    say: (a) => `${a.key} cannot be a key`,
  },
  IdentityKeyTaken: {
    source: "IdentityRegistry",
    why: "An address is a key of at most one DID.",
    fix: "Use a fresh key, or remove it from the DID that holds it first.",
    say: (a) => `${a.key} is already a key of DID ${a.did}`,
  },
  IdentityNotKeyOf: {
    source: "IdentityRegistry",
    why: "The address is not a key of this DID, so it cannot be removed or rotated.",
    fix: "List the DID's keys with `govledger identity resolve <did>`.",
    say: (a) => `${a.key} is not a key of DID ${a.did}`,
  },
  IdentityUnknownKey: {
    source: "IdentityRegistry",
    why: "The signing address is not a key of any DID, so it cannot act as an issuer.",
    fix: "Sign with a key of the issuing DID (one with the assertion purpose).",
    say: (a) => `${a.key} is not a key of any DID`,
  },
  IdentityInvalidPurposes: {
    source: "IdentityRegistry",
    why: "A key needs at least one known purpose: authentication (1), assertion (2).",
    fix: "Pass purposes such as `authentication,assertion`.",
    say: (a) => `key purposes ${a.purposes} are empty or unknown`,
  },
  IdentityKeyLacksPurpose: {
    source: "IdentityRegistry",
    why: "The key lacks the purpose this action needs (issuing and managing claims needs assertion).",
    fix: "Sign with a key that has the purpose, or add it to the DID with `identity add-key --purposes assertion`.",
    say: (a) => `${a.key} has purposes ${a.held}, the action needs ${a.needed}`,
  },
  IdentityTooManyKeys: {
    source: "IdentityRegistry",
    why: "A DID has a bounded number of keys so every check stays within gas limits.",
    fix: "Remove an unused key first.",
    say: (a) => `DID ${a.did} already has the maximum of ${a.max} keys`,
  },
  IdentityLastAuthenticationKey: {
    source: "IdentityRegistry",
    why: "A DID must keep at least one authentication key, or nobody could act for it.",
    fix: "Add another authentication key before removing this one, or rotate the key instead.",
    say: (a) => `DID ${a.did} would be left without an authentication key`,
  },
  IdentityNotOrganisation: {
    source: "IdentityRegistry",
    why: "Only organisations give mandates to representatives.",
    fix: "Grant the mandate from the organisation's DID.",
    say: (a) => `DID ${a.did} is not an organisation`,
  },
  IdentityInvalidMandate: {
    source: "IdentityRegistry",
    why: "A mandate needs at least one known scope, an end in the future, and a representative other than the organisation.",
    fix: "Pass scopes such as `consent,trade`, a future --until, and another DID as representative.",
    say: (a) => `invalid mandate of organisation ${a.org} to DID ${a.representative}`,
  },
  IdentityUnknownMandate: {
    source: "IdentityRegistry",
    why: "The organisation has no mandate for this representative, so there is nothing to revoke.",
    fix: "Check the representative's DID.",
    say: (a) => `organisation ${a.org} has no mandate for DID ${a.representative}`,
  },
  IdentityEmptyTopicName: {
    source: "IdentityRegistry",
    why: "A claim topic needs a name.",
    fix: "Give the topic a name.",
    say: () => "the topic name is empty",
  },
  IdentityUnknownTopic: {
    source: "IdentityRegistry",
    why: "No claim topic has this id.",
    fix: "List the topics with `govledger identity topics`; the council registers new ones.",
    say: (a) => `topic ${a.topic} does not exist`,
  },
  IdentityInvalidAccreditation: {
    source: "IdentityRegistry",
    why: "An accreditation must end in the future.",
    fix: "Propose an end time after now.",
    say: (a) => `an accreditation of DID ${a.issuer} for topic ${a.topic} cannot end at ${a.validUntil}`,
  },
  IdentityNotAccredited: {
    source: "IdentityRegistry",
    why: "The issuer is not accredited for the topic now (never accredited, withdrawn, or ended).",
    fix: "Have the council accredit the issuer's DID for the topic, or use an accredited issuer.",
    say: (a) => `DID ${a.issuer} is not accredited for topic ${a.topic}`,
  },
  IdentityEmptyDataHash: {
    source: "IdentityRegistry",
    why: "A claim must commit to its off-chain credential; the data hash was zero.",
    fix: "Pass the keccak256 hash of the credential (`--data-hash` or `--data-file`).",
    say: () => "the claim's data hash is empty",
  },
  IdentityInvalidValidity: {
    source: "IdentityRegistry",
    why: "A claim's validity window is empty: it must end after it starts.",
    fix: "Pass a --valid-until after --valid-from.",
    say: (a) => `validity window [${a.validFrom}, ${a.validUntil}] is empty`,
  },
  IdentityUnknownClaim: {
    source: "IdentityRegistry",
    why: "No claim has this id.",
    fix: "List the subject's claims with `govledger identity claims <did>`.",
    say: (a) => `claim ${a.claimId} does not exist`,
  },
  IdentityNotIssuer: {
    source: "IdentityRegistry",
    why: "Only the DID that issued a claim may revoke, suspend or reinstate it.",
    fix: "Sign with a key (assertion purpose) of the issuing DID.",
    say: (a) => `DID ${a.caller} did not issue claim ${a.claimId}`,
  },
  IdentityUnexpectedClaimStatus: {
    source: "IdentityRegistry",
    why: "The claim's status does not allow the action (e.g. reinstating an active claim, revoking a revoked one).",
    fix: "Check the claim with `govledger identity verify-claim <id>`.",
    say: (a) => `claim ${a.claimId} is ${CLAIM_STATUSES[Number(a.status)] ?? a.status}`,
  },
  IdentityEmptyBatch: {
    source: "IdentityRegistry",
    why: "A batch call was given no items.",
    fix: "Pass at least one claim.",
    say: () => "the batch is empty",
  },
  IdentityNotActingFor: {
    source: "IdentityRegistry",
    why: "The signing key is not an authentication key of the DID (or of a representative with a mandate), or one of the DIDs is not active.",
    fix: "Sign with an authentication key of the DID, or have the organisation grant a mandate; check both DIDs are active.",
    say: (a) => `${a.account} does not act for DID ${a.did} (scope ${a.scope})`,
  },
  IdentityMandateExpired: {
    source: "IdentityRegistry",
    why: "The representative's mandate for the organisation has ended.",
    fix: "Have the organisation grant a new mandate (`govledger identity grant-mandate`).",
    say: (a) => `the mandate of DID ${a.representative} for organisation ${a.org} ended at ${isoSeconds(a.validUntil)}`,
  },
  IdentityMandateOutOfScope: {
    source: "IdentityRegistry",
    why: "The representative's mandate does not cover the scope this action needs.",
    fix: "Have the organisation grant a mandate with the needed scope.",
    say: (a) =>
      `the mandate of DID ${a.representative} for organisation ${a.org} covers scopes ${a.held}, not ${a.needed}`,
  },
  IdentityClaimMissing: {
    source: "IdentityRegistry",
    why: "The DID holds no valid claim of the topic from an accredited issuer, which the action needs.",
    fix: "Obtain the credential from an accredited issuer, or renew an expired one.",
    say: (a) => `DID ${a.did} holds no valid claim of topic ${a.topic}`,
  },
  RecoveryInvalidGuardians: {
    source: "IdentityRecovery",
    why: "Guardians must be existing DIDs other than the DID itself, without repeats, and at most the maximum.",
    fix: "Choose distinct existing guardian DIDs, not the DID itself.",
    say: (a) => `invalid guardians for DID ${a.did} (at most ${a.max}, distinct, existing, not itself)`,
  },
  RecoveryInvalidThreshold: {
    source: "IdentityRecovery",
    why: "The threshold must be between 1 and the number of guardians (0 only with no guardians).",
    fix: "Choose a threshold in range.",
    say: (a) => `threshold ${a.threshold} is impossible with ${a.guardians} guardians`,
  },
  RecoveryNotGuardian: {
    source: "IdentityRecovery",
    why: "The signer's DID is not one of the DID's guardians.",
    fix: "Sign with a key of a guardian DID (`govledger identity resolve <did>` lists them).",
    say: (a) => `DID ${a.guardian} is not a guardian of DID ${a.did}`,
  },
  RecoveryUnrecoverable: {
    source: "IdentityRecovery",
    why: "The DID is unknown or deactivated, so it cannot be recovered.",
    fix: "Check the DID; a deactivated DID stays closed.",
    say: (a) => `DID ${a.did} cannot be recovered`,
  },
  RecoveryPending: {
    source: "IdentityRecovery",
    why: "The DID already has a recovery in progress.",
    fix: "Approve or complete it, or have a current key object (or a registrar cancel) first.",
    say: (a) => `DID ${a.did} already has a recovery to ${a.newKey} in progress`,
  },
  RecoveryNotPending: {
    source: "IdentityRecovery",
    why: "The DID has no recovery in progress.",
    fix: "Start one with `govledger identity recover`.",
    say: (a) => `DID ${a.did} has no recovery in progress`,
  },
  RecoveryNotReady: {
    source: "IdentityRecovery",
    why: "The recovery is not approved by enough guardians yet, or its objection delay has not passed.",
    fix: "Collect guardian approvals, then wait until the time shown.",
    say: (a) =>
      a.readyAt === 0n
        ? `the recovery of DID ${a.did} is not approved yet`
        : `the recovery of DID ${a.did} may complete from ${isoSeconds(a.readyAt)}`,
  },
  RecoveryAlreadyApproved: {
    source: "IdentityRecovery",
    why: "This guardian approved the recovery before; each guardian counts once.",
    fix: "Nothing to do; another guardian must approve.",
    say: (a) => `guardian ${a.guardian} already approved the recovery of DID ${a.did}`,
  },
  ConsentUnknown: {
    source: "ConsentRegistry",
    why: "No consent has this id.",
    fix: "Check the consent id.",
    say: (a) => `consent ${a.consentId} does not exist`,
  },
  ConsentWasRevoked: {
    source: "ConsentRegistry",
    why: "The subject revoked this consent; it no longer allows look-ups.",
    fix: "Ask the subject for a new consent.",
    say: (a) => `consent ${a.consentId} was revoked at ${isoSeconds(a.revokedAt)}`,
  },
  ConsentExpired: {
    source: "ConsentRegistry",
    why: "The consent's end time has passed.",
    fix: "Ask the subject for a new consent.",
    say: (a) => `consent ${a.consentId} ended at ${isoSeconds(a.validUntil)}`,
  },
  ConsentInvalidGrantee: {
    source: "ConsentRegistry",
    why: "The grantee must be an active DID other than the subject.",
    fix: "Name the organisation's active DID as grantee.",
    say: (a) => `DID ${a.grantee} cannot be granted consent`,
  },
  ConsentInvalidTerms: {
    source: "ConsentRegistry",
    why: "A consent needs a category other than 0, a purpose hash, and an end in the future.",
    fix: "Pass --category, --purpose-hash and a future --until.",
    say: (a) => `invalid consent terms: category ${a.category}, until ${a.validUntil}`,
  },
  ConsentUnknownReceipt: {
    source: "ConsentRegistry",
    why: "No access receipt has this id.",
    fix: "Check the receipt id.",
    say: (a) => `receipt ${a.receiptId} does not exist`,
  },
  EvidenceNotNotary: {
    source: "EvidenceRegistry",
    why: "The account is not an enrolled notary, or it is but notarization is paused (a pause disables every notary).",
    fix: "Enrol the account (`govledger evidence enrol <account>`: it needs the NOTARY role and an active DID); while paused, wait for the council to resume notarization.",
    say: (a) => `${a.account} may not notarize (not an enrolled notary, or notarization is paused)`,
  },
  EvidenceNotQualified: {
    source: "EvidenceRegistry",
    why: "Only an account holding the NOTARY member role and a key of an active DID can be enrolled as a notary.",
    fix: "Have the council grant the member the notary role, and a registrar register (or reinstate) the organisation's DID with this account as a key; then enrol again.",
    say: (a) => `${a.account} lacks the NOTARY role or an active DID`,
  },
  EvidenceAlreadyEnrolled: {
    source: "EvidenceRegistry",
    why: "The account is already an enrolled notary.",
    fix: "Nothing to do; `govledger evidence notarize` works for it now.",
    say: (a) => `${a.account} is already an enrolled notary`,
  },
  EvidenceStillQualified: {
    source: "EvidenceRegistry",
    why: "A notary can be dropped only once it lost the NOTARY role or its DID is no longer active (or changed).",
    fix: "Revoke the member's notary role (a council decision) or suspend its DID first; then drop it.",
    say: (a) => `${a.account} still holds the NOTARY role and an active DID`,
  },
  EvidenceAlreadyNotarized: {
    source: "EvidenceRegistry",
    why: "This digest (or root) is already on record: a digest is notarized once, and a record is never overwritten.",
    fix: "Verify the existing record (`govledger evidence verify <digest>`); to correct a document, supersede the old record with the new digest.",
    say: (a) =>
      `${a.digest} was already notarized by DID ${a.submitter} at ${isoSeconds(a.notarizedAt)} (${EVIDENCE_KINDS[Number(a.kind)] ?? a.kind} record)`,
  },
  EvidenceUnknown: {
    source: "EvidenceRegistry",
    why: "No record or Merkle root has this key.",
    fix: "Check the digest (and the algorithm it was computed with): `govledger evidence verify <file or digest>`.",
    say: (a) => `no evidence record ${a.key}`,
  },
  EvidenceEmptyDigest: {
    source: "EvidenceRegistry",
    why: "A digest or root of zero cannot be notarized.",
    fix: "Pass the document's real digest (0x followed by 64 hex digits, not all zero).",
    say: () => "the digest is zero",
  },
  EvidenceUnknownAlgorithm: {
    source: "EvidenceRegistry",
    why: "The algorithm id is not a known hash algorithm (1 sha256, 2 sm3, 3 keccak256).",
    fix: "Name the algorithm the digest was computed with: sha256, sm3 or keccak256.",
    say: (a) => `unknown digest algorithm id ${a.algorithm}`,
  },
  EvidenceEmptyBatch: {
    source: "EvidenceRegistry",
    why: "An indexed batch must hold at least one digest.",
    fix: "Pass the batch's digests.",
    say: () => "the batch is empty",
  },
  EvidenceEmptyRoot: {
    source: "EvidenceRegistry",
    why: "A Merkle root must stand for at least one document.",
    fix: "Pass the number of documents in the tree as the size.",
    say: () => "the root is anchored for 0 documents",
  },
  EvidenceUnexpectedStatus: {
    source: "EvidenceRegistry",
    why: "The record's status does not allow the action: only a valid record can be superseded, and a revoked one cannot be revoked again.",
    fix: "Check the record (`govledger evidence show <digest>`); supersede the latest version instead (`govledger evidence history <digest>`).",
    say: (a) => `record ${a.key} is ${EVIDENCE_STATUSES[Number(a.status)] ?? a.status}`,
  },
  EvidenceUnexpectedKind: {
    source: "EvidenceRegistry",
    why: "The record's kind does not allow the action: a Merkle root cannot be superseded, and only a root has documents to revoke one by one.",
    fix: "Anchor a new root for a corrected batch; revoke a single or indexed record with `revoke`, a root's document with its proof.",
    say: (a) => `record ${a.key} is a ${EVIDENCE_KINDS[Number(a.kind)] ?? a.kind} record`,
  },
  EvidenceAlreadyRevoked: {
    source: "EvidenceRegistry",
    why: "This document of a Merkle batch was revoked before.",
    fix: "Nothing to do; `govledger evidence verify` shows the revocation.",
    say: (a) => `document ${a.key} is already revoked`,
  },
  EvidenceNotSubmitter: {
    source: "EvidenceRegistry",
    why: "Only the DID that submitted a record may supersede or revoke it.",
    fix: "Sign with a key of the submitting organisation's DID; an arbitrator may revoke any record by order.",
    say: (a) => `DID ${a.caller} did not submit ${a.key}`,
  },
  EvidenceInvalidProof: {
    source: "EvidenceRegistry",
    why: "The Merkle proof does not lead from the digest's leaf to the root.",
    fix: "Use the proof of this digest from the batch's proof bundle (the tree the root was built from).",
    say: (a) => `${a.digest} is not proven to be in root ${a.root}`,
  },
  EvidenceNoActiveDid: {
    source: "EvidenceRegistry",
    why: "Revoking and endorsing act for the caller's DID, which must be active, through a key with the authentication purpose.",
    fix: "Sign with an authentication key of an active DID (`govledger identity resolve <did>` lists keys and their purposes); a registrar reinstates a suspended one.",
    say: (a) => `${a.account} is not an authentication key of an active DID`,
  },
  EvidenceAlreadyEndorsed: {
    source: "EvidenceRegistry",
    why: "Each DID endorses a record once.",
    fix: "Nothing to do; `govledger evidence show <digest>` lists the endorsements.",
    say: (a) => `DID ${a.did} already endorsed ${a.key}`,
  },
  EvidencePaused: {
    source: "EvidenceRegistry",
    why: "Notarization is paused (a guardian stopped it), or it is not paused when resuming.",
    fix: "While paused, wait for the council to resume notarization; do not resume what is not paused.",
    say: (a) => (a.paused ? "notarization is paused" : "notarization is not paused"),
  },
  EvidenceTooManyNotaries: {
    source: "EvidenceRegistry",
    why: "The registry keeps at most a fixed number of enrolled notaries (pausing walks them all).",
    fix: "Drop notaries that no longer qualify (`dropNotary`) before enrolling another.",
    say: (a) => `at most ${a.max} notaries can be enrolled`,
  },
  AchievementUnknown: {
    source: "AchievementRegistry",
    why: "No achievement has this id (its 12-digit registration number).",
    fix: "Check the registration number (`govledger achievement show <number>`); register the achievement first.",
    say: (a) => `achievement ${a.id} is not registered`,
  },
  AchievementAlreadyRegistered: {
    source: "AchievementRegistry",
    why: "A registration number identifies one achievement; this one is already registered.",
    fix: "Show the existing achievement (`govledger achievement show <number>`), or register under the next serial number.",
    say: (a) => `achievement ${a.id} is already registered`,
  },
  AchievementInvalidRegistrationNumber: {
    source: "AchievementRegistry",
    why: "A registration number has 12 digits: region or department 10–99, year 1978–2099, type 1–9, serial 00001–99999.",
    fix: "Copy the number from the registration certificate (科技成果登记证书), e.g. 312026200001.",
    say: (a) => `${a.number} is not a 12-digit registration number of a plausible year`,
  },
  AchievementIncompleteForm: {
    source: "AchievementRegistry",
    why: "The registration names no kind (patent, software copyright, …) or no classification (basic research, …).",
    fix: "Give both the kind and the classification of the achievement.",
    say: () => "the registration names no kind or no classification",
  },
  AchievementEmptyName: {
    source: "AchievementRegistry",
    why: "The registration form must name the achievement.",
    fix: "Fill in the form's name.",
    say: () => "the registration form has no name",
  },
  AchievementEmptyMetadata: {
    source: "AchievementRegistry",
    why: "The registration (or its correction) must carry the hash of the full form and its attachments.",
    fix: "Pass the keccak256 of the registration form document, not zero.",
    say: () => "the metadata hash is zero",
  },
  AchievementInvalidResearchPeriod: {
    source: "AchievementRegistry",
    why: "The research period ends before it starts.",
    fix: "Check the research start and end dates of the form.",
    say: (a) => `the research period ends ${isoSeconds(a.end)}, before it starts ${isoSeconds(a.start)}`,
  },
  AchievementTooManyKeywords: {
    source: "AchievementRegistry",
    why: "The registration form takes at most 3 keywords.",
    fix: "Keep the 3 most telling keywords.",
    say: (a) => `${a.count} keywords given, at most ${a.max} allowed`,
  },
  AchievementExternalIdTaken: {
    source: "AchievementRegistry",
    why: "An external identifier (the hash of a patent number etc.) is zero or already registered for an achievement; each is registered once.",
    fix: "Leave out the zero hash; show the achievement it belongs to (`achievementOfExternalId`) instead of registering it twice.",
    say: (a) =>
      a.id === 0n
        ? `external id ${a.externalId} is zero`
        : `external id ${a.externalId} is registered for achievement ${a.id}`,
  },
  AchievementInvalidHolderCount: {
    source: "AchievementRegistry",
    why: "A right needs at least one holder and at most 16.",
    fix: "Name between 1 and 16 holders.",
    say: (a) => `${a.count} holders given, 1 to ${a.max} allowed`,
  },
  AchievementSharesNotWhole: {
    source: "AchievementRegistry",
    why: "The holders' shares of a right must sum to exactly 10,000 basis points (100%).",
    fix: "Adjust the shares so that they sum to 10,000, e.g. 6000 + 4000.",
    say: (a) => `shares sum to ${a.sum} bps, not 10000`,
  },
  AchievementZeroShare: {
    source: "AchievementRegistry",
    why: "Every holder of a right holds a share above zero.",
    fix: "Leave the DID out, or give it a share.",
    say: (a) => `DID ${a.did} is given a zero share`,
  },
  AchievementDuplicateParty: {
    source: "AchievementRegistry",
    why: "A DID is named twice among the holders of a right, or among the inventors.",
    fix: "Name each DID once (add its shares together).",
    say: (a) => `DID ${a.did} is named twice`,
  },
  AchievementInactiveParty: {
    source: "AchievementRegistry",
    why: "Holders, inventors, lenders, registrars and arbitrators must be active DIDs.",
    fix: "Check the DID (`govledger identity resolve <did>`); a registrar registers, verifies or reinstates it.",
    say: (a) => (a.did === 0n ? "the caller has no DID" : `DID ${a.did} is not active`),
  },
  AchievementTooManyInventors: {
    source: "AchievementRegistry",
    why: "An achievement names at most 16 inventors.",
    fix: "Name at most 16 inventors on chain; list the others in the registration form.",
    say: (a) => `${a.count} inventors given, at most ${a.max} allowed`,
  },
  AchievementInvalidHolder: {
    source: "AchievementRegistry",
    why: "The token's account must act for the first owner (a key of its DID, or a representative with the achievement scope); only a permanent change of ownership names one.",
    fix: "Name an account of the first owner's DID as holder; leave it zero for other rights and for grants.",
    say: (a) =>
      a.did === 0n
        ? `no holder account is expected, ${a.holder} was given`
        : `${a.holder} does not act for DID ${a.did}`,
  },
  AchievementLocked: {
    source: "AchievementRegistry",
    why: "The achievement is pledged, disputed or frozen: its rights cannot change by consent and it cannot be pledged.",
    fix: "Wait for the lender to release the pledge, or for an arbitrator to close the dispute or lift the freeze.",
    say: (a) => {
      const locks = [a.pledged && "pledged", a.disputed && "disputed", a.frozen && "frozen"].filter(Boolean);
      return `achievement ${a.id} is ${locks.join(" and ")}`;
    },
  },
  AchievementUnexpectedStatus: {
    source: "AchievementRegistry",
    why: "The achievement's lifecycle stage does not allow the call (e.g. changing rights while it is listed).",
    fix: "Check its status (`govledger achievement show <number>`); withdraw the listing first.",
    say: (a) => `achievement ${a.id} is ${ACHIEVEMENT_STATUSES[Number(a.status)] ?? a.status}`,
  },
  AchievementStaleVersion: {
    source: "AchievementRegistry",
    why: "The consent or change names an earlier version of the achievement; every change bumps it, so old consents cannot be replayed.",
    fix: "Build the change again at the current version and collect the consents again.",
    say: (a) => `the consent is for version ${a.given} of achievement ${a.id}, which is at version ${a.current}`,
  },
  AchievementInvalidTerm: {
    source: "AchievementRegistry",
    why: "A grant or pledge must end in the future.",
    fix: "Give an end date after now, or 0 for a permanent change.",
    say: (a) => `the term ends ${isoSeconds(a.until)}, which is not in the future`,
  },
  AchievementNotPledged: {
    source: "AchievementRegistry",
    why: "The achievement has no pledge to release.",
    fix: "Check `govledger achievement show <number>`.",
    say: (a) => `achievement ${a.id} is not pledged`,
  },
  AchievementLockUnchanged: {
    source: "AchievementRegistry",
    why: "The lock is already set (freezing a frozen achievement, opening a second dispute) or not set (lifting it).",
    fix: "Check the achievement's locks with `govledger achievement show <number>`.",
    say: (a) => `the lock of achievement ${a.id} is already in that state`,
  },
  AchievementNotParty: {
    source: "AchievementRegistry",
    why: "Only a holder of a right or an inventor may open a dispute over an achievement.",
    fix: "Act for a DID that holds a right in the achievement or is one of its inventors.",
    say: (a) => `DID ${a.did} has no part in achievement ${a.id}`,
  },
  AchievementTransferDisabled: {
    source: "AchievementRegistry",
    why: "An achievement token moves only through the registry's own flows: bare ERC-721 transfers and approvals are refused.",
    fix: "Transfer ownership with every co-owner's consent (`govledger achievement transfer`).",
    say: () => "achievement tokens move only through consented changes of ownership",
  },
  AchievementConflictOfInterest: {
    source: "AchievementRegistry",
    why: "An evaluator may not evaluate an achievement in which it holds a right or is an inventor.",
    fix: "Have an independent accredited evaluator evaluate it.",
    say: (a) => `evaluator DID ${a.evaluator} is a party of achievement ${a.id}`,
  },
  AchievementInvalidEvaluation: {
    source: "AchievementRegistry",
    why: "An evaluation needs five scores of at most 100, a report hash and a no-conflict declaration hash (or the evaluation index does not exist).",
    fix: "Give scores 0–100, the report's hash and the declaration's hash.",
    say: () => "the evaluation has a score above 100, no report or no declaration (or no such evaluation)",
  },
  AchievementInvalidValidity: {
    source: "AchievementRegistry",
    why: "An evaluation must be valid until a time in the future.",
    fix: "Give a validity end after now.",
    say: (a) => `the evaluation's validity ends ${isoSeconds(a.validUntil)}, which is not in the future`,
  },
  AchievementNoEvaluatorTopic: {
    source: "AchievementRights",
    why: "The council has not yet named the claim topic that accredits evaluators, so none can be enrolled.",
    fix: "Have the council propose AchievementRights.setEvaluatorTopic with the evaluator accreditation topic.",
    say: () => "no claim topic accredits evaluators yet",
  },
  AchievementNotEnrolled: {
    source: "AchievementRegistry",
    why: "The account is not enrolled as a registrar (did 0) or as acting for the evaluator named; the registry reads its enrolment cache instead of asking the authority and the identity module.",
    fix: "Enrol it first (AchievementRights.enrolRegistrar / enrolEvaluator, anyone may send it), or sign with an enrolled account.",
    say: (a) =>
      a.did === 0n
        ? `${a.account} is not an enrolled registrar: enrol it with enrolRegistrar`
        : `${a.account} is not enrolled for evaluator DID ${a.did}: enrol it with enrolEvaluator`,
  },
  AchievementNotQualified: {
    source: "AchievementRights",
    why: "A registrar needs the REGISTRAR role and to be a key of an active DID; an evaluator account must act for the DID, which must hold a valid claim of the evaluator topic.",
    fix: "Have the council grant the role, the registrar register or reinstate the DID, or an accredited issuer issue the evaluator claim; then enrol again.",
    say: (a) =>
      a.did === 0n
        ? `${a.account} does not qualify as a registrar (REGISTRAR role and an active DID needed)`
        : `${a.account} does not qualify as evaluator DID ${a.did} (it must act for it, and the DID hold a valid evaluator claim)`,
  },
  AchievementStillQualified: {
    source: "AchievementRights",
    why: "Enrolling would change nothing (already enrolled for this DID), or the account being dropped still qualifies.",
    fix: "Nothing to do: an enrolment is dropped only once its role, DID, key or claim is gone.",
    say: (a) => `${a.account} is enrolled for DID ${a.did} and still qualifies`,
  },
  AchievementConsentExpired: {
    source: "AchievementRights",
    why: "The consent's deadline has passed.",
    fix: "Build the change or pledge again with a later deadline and collect the consents again.",
    say: (a) => `the consent expired at ${isoSeconds(a.deadline)}`,
  },
  AchievementConsentMissing: {
    source: "AchievementRights",
    why: "A change of a right needs every current holder, every holder it returns to and every new holder; a pledge every disposal-right holder and the lender. One of them has not consented.",
    fix: "Collect the party's consent: an on-chain approval (`govledger achievement approve`) or its EIP-712 signature.",
    say: (a) => `DID ${a.did} has not consented to the change of achievement ${a.id}`,
  },
  AchievementAlreadyConsented: {
    source: "AchievementRights",
    why: "The party approved this action on chain before.",
    fix: "Nothing to do; apply the action once every party consented.",
    say: (a) => `DID ${a.did} already approved action ${a.actionHash}`,
  },
  AchievementConsentNotNeeded: {
    source: "AchievementRights",
    why: "The DID is not one of the parties whose consent the action needs.",
    fix: "List the parties with `consentsNeeded`; approve only as one of them.",
    say: (a) => `DID ${a.did}'s consent is not needed for action ${a.actionHash}`,
  },
  AchievementInvalidSignature: {
    source: "AchievementRights",
    why: "The consent's signature does not match the action at this version, chain and contract, or its signer does not act for the DID (achievement scope).",
    fix: "Have a key of the DID sign the exact change or pledge terms again.",
    say: (a) => `the signature by ${a.signer} is not a valid consent of DID ${a.did}`,
  },
  AchievementNoCase: {
    source: "AchievementRights",
    why: "An arbitrator's order must name its case.",
    fix: "Pass the case reference (a hash of the case number).",
    say: () => "the order names no case",
  },
  AchievementNotLender: {
    source: "AchievementRights",
    why: "Only the lender (or an arbitrator's order) releases a pledge.",
    fix: "Act for the lender's DID, or ask an arbitrator for an order.",
    say: (a) => `DID ${a.did} is not the lender of the pledge of achievement ${a.id}`,
  },
  EscrowUnknown: {
    source: "SettlementEscrow",
    why: "No escrow has this id.",
    fix: "Check the id (`govledger trade show <id>`); escrows are numbered from 1 in the order they were opened.",
    say: (a) => `escrow ${a.id} does not exist`,
  },
  EscrowUnknownMilestone: {
    source: "SettlementEscrow",
    why: "The escrow has fewer milestones than the number given. Messages number milestones from 1, as the deal confirmation does (the contract's index plus one).",
    fix: "List the escrow's milestones with `govledger trade show <id>`.",
    say: (a) => `escrow ${a.id} has no milestone ${milestoneNumber(a.milestone)}`,
  },
  EscrowUnexpectedStatus: {
    source: "SettlementEscrow",
    why: "The milestone's status does not allow this step: funding needs Awaiting; confirming, reclaiming and disputing need Funded; a ruling or a settlement needs Disputed. Released, Refunded and Resolved milestones are final.",
    fix: "Check the milestone's status with `govledger trade show <id>` and take the step its status allows.",
    say: (a) =>
      `milestone ${milestoneNumber(a.milestone)} of escrow ${a.id} is ${MILESTONE_STATUSES[Number(a.status)] ?? a.status}`,
  },
  EscrowInvalidTerms: {
    source: "SettlementEscrow",
    why: "The terms name no settlement token or no deal reference, or the buyer and the seller are the same DID.",
    fix: "Name the token, the hash of the deal confirmation (成交确认书) and two different parties.",
    say: () => "the terms name no token or no deal, or the buyer is the seller",
  },
  EscrowInactiveParty: {
    source: "SettlementEscrow",
    why: "A party (buyer, seller, broker, holder, inventor, or the centre opening the escrow or the arbitrator ruling) is not an active DID.",
    fix: "Register or reinstate the DID first; the centre and the arbitrator sign with a key of their active DID.",
    say: (a) => (a.did === 0n ? "the caller's account is not a key of any DID" : `DID ${a.did} is not active`),
  },
  EscrowInvalidSchedule: {
    source: "SettlementEscrow",
    why: "A payment schedule has 1 to 12 milestones, each with a non-zero amount and a due time after now and after the previous milestone's.",
    fix: "Fix the schedule: amounts above zero, due times in the future and in increasing order.",
    say: (a) =>
      `the schedule of ${a.count} milestones is not valid (1 to ${a.max}, non-zero amounts, increasing future due times)`,
  },
  EscrowInvalidSplit: {
    source: "SettlementEscrow",
    why: "The centre's fee, the broker's commission and the inventors' share must leave the holders something; a commission needs a broker; the inventors' share must reach the council's floor when inventors are named, and be 0 when none are.",
    fix: "Lower the fees, name the broker, or raise the inventors' share to the floor (read it with `inventorFloor`).",
    say: (a) =>
      `fee ${a.centreFeeBps} bps, commission ${a.brokerBps} bps and inventors' share ${a.inventorBps} bps are not a valid split (inventors' floor ${a.floor} bps)`,
  },
  EscrowInvalidShares: {
    source: "SettlementEscrow",
    why: "The income-right holders' shares must sum to exactly 10,000 bps, each above 0, 1 to 16 holders and at most 16 inventors, no DID named twice.",
    fix: "Fix the shares so they sum to 10,000 and name each holder and inventor once.",
    say: (a) => `the holders' shares sum to ${a.sum} bps, or a list is empty, too long or repeats a DID`,
  },
  EscrowShortPayment: {
    source: "SettlementEscrow",
    why: "The escrow received less than the milestone's amount: the token takes a fee on transfer, which would leave the escrow short of what it owes.",
    fix: "Settle in a standard ERC-20 without transfer fees (the consortium's settlement token).",
    say: (a) => `the escrow received ${a.received} of the ${a.expected} units paid`,
  },
  EscrowNotParty: {
    source: "SettlementEscrow",
    why: "The DID acted for is not the party this step needs: the buyer funds and reclaims; the buyer or the centre confirms; the buyer or the seller disputes.",
    fix: "Act for the right party's DID (`--as <did>` with a key or mandate of it, payment scope).",
    say: (a) => `DID ${a.did} may not take this step on escrow ${a.id}`,
  },
  EscrowNotDue: {
    source: "SettlementEscrow",
    why: "The buyer reclaims a funded milestone only after its due time has passed unconfirmed and undisputed.",
    fix: "Wait until after the due time, or dispute the milestone instead.",
    say: (a) => `milestone ${milestoneNumber(a.milestone)} of escrow ${a.id} is due ${isoSeconds(a.due)}, not yet`,
  },
  EscrowInvalidResolution: {
    source: "SettlementEscrow",
    why: "A ruling or a settlement cannot return more to the buyer than the disputed milestone holds.",
    fix: "Return at most the milestone's amount to the buyer; the rest is released to the seller side.",
    say: (a) => `cannot return ${a.toBuyer} units to the buyer of a milestone of ${a.amount}`,
  },
  EscrowSettlementExpired: {
    source: "SettlementEscrow",
    why: "Both sides signed a settlement whose deadline has passed.",
    fix: "Sign the settlement again with a later deadline.",
    say: (a) => `the settlement expired at ${isoSeconds(a.deadline)}`,
  },
  EscrowInvalidSignature: {
    source: "SettlementEscrow",
    why: "A settlement signature does not match this escrow, milestone, amount and deadline on this chain and contract, or its signer does not act for the party (payment scope).",
    fix: "Have a key of the buyer and one of the seller sign the exact settlement again.",
    say: (a) => `the signature by ${a.signer} is not a valid settlement of DID ${a.did}`,
  },
  EscrowNothingToWithdraw: {
    source: "SettlementEscrow",
    why: "The DID has no balance of this token in the escrow (nothing released to it yet, or already withdrawn).",
    fix: "Check the balance with `govledger trade balance <did>`.",
    say: (a) => `DID ${a.did} has nothing of ${a.token} to withdraw`,
  },
  LicenceUnknown: {
    source: "LicenceRegister",
    why: "No licence has this id.",
    fix: "Check the id: licencesOf(achievement) lists an achievement's licences.",
    say: (a) => `no licence ${a.id}`,
  },
  LicenceInactiveParty: {
    source: "LicenceRegister",
    why: "The licensee, or the recording centre or arbitrator, is not an active DID.",
    fix: "Register or reinstate the DID, or act with a key of an active one.",
    say: (a) => (a.did === 0n ? "the caller has no DID" : `DID ${a.did} is not active`),
  },
  LicenceInvalidTerm: {
    source: "LicenceRegister",
    why: "The licence's term is empty (its end is not after its start) or already over.",
    fix: "Give an end time after the start and after now.",
    say: (a) => `licence term ${isoSeconds(a.start)} to ${isoSeconds(a.end)} is empty or over`,
  },
  LicenceOverlap: {
    source: "LicenceRegister",
    why: "The licence overlaps an existing one of the same achievement in field, territory and time, and one of them is exclusive or sole.",
    fix: "Choose another field, territory or term, make both non-exclusive, or have the existing licence terminated first.",
    say: (a) => `the licence would overlap licence ${a.existing}, and one of them is exclusive or sole`,
  },
  LicenceAchievementLocked: {
    source: "LicenceRegister",
    why: "The achievement is pledged, disputed or frozen: it cannot be licensed until that lock is lifted.",
    fix: "Have the pledge released, the dispute closed or the freeze lifted first.",
    say: (a) => `achievement ${a.achievement} is pledged, disputed or frozen`,
  },
  LicenceTooMany: {
    source: "LicenceRegister",
    why: "The achievement already has the most licences the register keeps for one achievement.",
    fix: "Record further licences of this achievement in a new register version (a council upgrade).",
    say: (a) => `achievement ${a.achievement} already has ${a.max} licences`,
  },
  LicenceNotActive: {
    source: "LicenceRegister",
    why: "The licence was terminated already or has ended.",
    fix: "Nothing to terminate.",
    say: (a) => `licence ${a.id} is not active`,
  },
  LicenceMissingReference: {
    source: "LicenceRegister",
    why: "A licence must name the deal it comes from, and a termination the case that orders it.",
    fix: "Pass the deal reference (hash of the deal confirmation) or the case reference.",
    say: () => "the deal or case reference is missing",
  },
  TechContractUnknown: {
    source: "TechContractRegister",
    why: "No technology contract has this id.",
    fix: "Check the id, or look the contract up by its 16-digit registration number (`govledger trade contract <number>`).",
    say: (a) => `no technology contract ${a.id}`,
  },
  TechContractInactiveParty: {
    source: "TechContractRegister",
    why: "The seller or the buyer, or the registering centre or annulling arbitrator, is not an active DID.",
    fix: "Register or reinstate the DID, or act with a key of an active one.",
    say: (a) => (a.did === 0n ? "the caller has no DID" : `DID ${a.did} is not active`),
  },
  TechContractInvalidNumber: {
    source: "TechContractRegister",
    why: "A technology-contract registration number has 16 digits: year (1985–2200), a 6-digit administrative-division code starting 1–8, and a serial from 000001.",
    fix: "Copy the number from the registration form, e.g. 2026310104000117.",
    say: (a) => `${a.registrationNumber} is not a 16-digit technology-contract registration number`,
  },
  TechContractNumberTaken: {
    source: "TechContractRegister",
    why: "A contract is already registered under this registration number; each number is registered once.",
    fix: "Check the number; look the existing contract up with `govledger trade contract <number>`.",
    say: (a) => `number ${a.registrationNumber} is already registered, as contract ${a.id}`,
  },
  TechContractMissingHash: {
    source: "TechContractRegister",
    why: "A registration must name the signed contract document by its hash.",
    fix: "Pass the hash of the signed contract (or the document, to hash).",
    say: (a) => `registration ${a.registrationNumber} names no contract document`,
  },
  TechContractHashTaken: {
    source: "TechContractRegister",
    why: "This contract document is already registered; each document is registered once.",
    fix: "Check the document: a changed contract is a new document, with a new hash and a new number.",
    say: (a) => `contract document ${a.contractHash} is already registered, as contract ${a.id}`,
  },
  TechContractSameParty: {
    source: "TechContractRegister",
    why: "The seller and the buyer of a technology contract are the same DID.",
    fix: "Name the two distinct parties of the contract.",
    say: (a) => `DID ${a.did} is both seller and buyer`,
  },
  TechContractZeroAmount: {
    source: "TechContractRegister",
    why: "A registered technology contract has an amount above zero.",
    fix: "Give the contract amount, in fen (the minor unit).",
    say: (a) => `registration ${a.registrationNumber} gives a zero amount`,
  },
  TechContractInvalidSigningDate: {
    source: "TechContractRegister",
    why: "The contract's signing date is zero or after the chain's time: only signed contracts are registered.",
    fix: "Give the date the contract was signed.",
    say: (a) => `signing date ${isoSeconds(a.signedAt)} is zero or after the chain's time ${isoSeconds(a.at)}`,
  },
  TechContractInvalidValidity: {
    source: "TechContractRegister",
    why: "The contract's validity is empty: it does not end after it starts.",
    fix: "Give a validity end after its start.",
    say: (a) => `validity ${isoSeconds(a.validFrom)} to ${isoSeconds(a.validUntil)} is empty`,
  },
  TechContractMissingAchievement: {
    source: "TechContractRegister",
    why: "A transfer (assignment) or licence contract must name the achievement it concerns.",
    fix: "Pass the achievement's 12-digit registration number.",
    say: (a) => `a ${TECH_CONTRACT_TYPES[Number(a.kind)]} contract names no achievement`,
  },
  TechContractSellerNotParty: {
    source: "TechContractRegister",
    why: "The seller holds no right in the achievement and is not one of its inventors: it cannot sell it.",
    fix: "Check the achievement and the seller; the seller must hold a right in it (or be an inventor).",
    say: (a) => `seller DID ${a.seller} is no party of achievement ${a.achievement}`,
  },
  TechContractUnexpectedLicence: {
    source: "TechContractRegister",
    why: "Only licence contracts record a licence of the licence register.",
    fix: "Leave the licence out, or register the contract as a licence contract.",
    say: (a) => `a ${TECH_CONTRACT_TYPES[Number(a.kind)]} contract cannot name licence ${a.licence}`,
  },
  TechContractLicenceMismatch: {
    source: "TechContractRegister",
    why: "The licence named is of another achievement or to another licensee than the contract's achievement and buyer.",
    fix: "Name the licence the contract's buyer holds of the contract's achievement.",
    say: (a) => `licence ${a.licence} is of achievement ${a.achievement} to DID ${a.licensee}`,
  },
  TechContractNotCentre: {
    source: "TechContractRegister",
    why: "Only the trading centre that registered a contract issues its transaction certificate.",
    fix: "Act with a key of the registering centre (`govledger trade contract <id>` names it).",
    say: (a) => `centre DID ${a.centre} did not register contract ${a.id}`,
  },
  TechContractUnexpectedStatus: {
    source: "TechContractRegister",
    why: "A certificate is issued once, for a registered contract; an annulled contract cannot be annulled again.",
    fix: "Check the contract's status with `govledger trade contract <id>`.",
    say: (a) => `contract ${a.id} is ${TECH_CONTRACT_STATUSES[Number(a.status)]}`,
  },
  TechContractMissingReference: {
    source: "TechContractRegister",
    why: "A transaction certificate must be named by its hash, and an annulment by its case.",
    fix: "Pass the certificate's hash, or the case reference (a hash of the case number).",
    say: (a) => `the certificate or case reference for contract ${a.id} is missing`,
  },
  TechContractTransferPending: {
    source: "TechContractRegister",
    why: "An assignment is certified only once the buyer holds ownership of the achievement: the change of ownership has not gone through the achievement registry yet.",
    fix: "Have every co-owner and the buyer consent to the ownership change (`govledger achievement transfer`), then certify.",
    say: (a) => `buyer DID ${a.buyer} does not yet own achievement ${a.achievement}`,
  },
  TechContractLicenceNotActive: {
    source: "TechContractRegister",
    why: "A licence contract is certified only while its licence runs; this one was terminated or has ended.",
    fix: "Nothing to certify for this licence; register the contract of a running licence.",
    say: (a) => `licence ${a.licence} is terminated or has ended`,
  },
  EscrowNoCase: {
    source: "SettlementEscrow",
    why: "An arbitrator's ruling must name its case.",
    fix: "Pass the case reference (a hash of the case number).",
    say: () => "the ruling names no case",
  },
  EscrowNotDeactivated: {
    source: "SettlementEscrow",
    why: "An arbitrator moves a balance only away from a deactivated DID (which has no keys and never will); any other DID withdraws its balance itself.",
    fix: "Have the DID withdraw its own balance, or have a registrar deactivate it first if it is really gone.",
    say: (a) => `DID ${a.did} is ${DID_STATUSES[Number(a.status)] ?? a.status}, not deactivated`,
  },
  EscrowInvalidFloor: {
    source: "SettlementEscrow",
    why: "The inventors' reward floor is a share of each release in basis points, below 10,000.",
    fix: "Propose a floor below 10,000 bps.",
    say: (a) => `an inventors' floor of ${a.bps} bps is not possible`,
  },
  EscrowInvalidPrefund: {
    source: "SettlementEscrow",
    why: "The market opens a deal's escrow with the winner's deposit as the first milestone, already paid: the deposit handed over must equal that milestone's amount.",
    fix: "A market bug if it happens: report it; the deal is not confirmed and nothing moved.",
    say: (a) => `the market prefunds ${a.prefunded} units for a first milestone of ${a.amount}`,
  },
  MarketUnknownListing: {
    source: "LicenceMarket",
    why: "No listing has this id.",
    fix: "Check the id (`govledger trade listing <id>`); listings are numbered from 1 in the order they were submitted.",
    say: (a) => `listing ${a.id} does not exist`,
  },
  MarketUnexpectedStatus: {
    source: "LicenceMarket",
    why: "The listing's status does not allow this step: approvals until the award; publishing needs Submitted; buying, offers, bids and closing need Published; the deal and a lapse need Awarded; withdrawing needs Submitted or Published. Dealt, Withdrawn and Lapsed listings are final.",
    fix: "Check the listing's status with `govledger trade listing <id>` and take the step its status allows.",
    say: (a) => `listing ${a.id} is ${LISTING_STATUS_NAMES[Number(a.status)] ?? a.status}`,
  },
  MarketWrongMode: {
    source: "LicenceMarket",
    why: "The listing is sold another way: buy a fixed-price listing, sign an offer on a negotiated one, register and bid on an auction.",
    fix: "Check the listing's mode with `govledger trade listing <id>`.",
    say: (a) => `listing ${a.id} is sold ${LISTING_MODE_NAMES[Number(a.mode)] ?? a.mode}`,
  },
  MarketInactiveParty: {
    source: "LicenceMarket",
    why: "The lister, the centre, the buyer or the bidder is not an active DID (or the caller's key belongs to none).",
    fix: "Register or reinstate the DID, or act with a key of an active one.",
    say: (a) => (a.did === 0n ? "the caller has no DID" : `DID ${a.did} is not active`),
  },
  MarketNotDisposalParty: {
    source: "LicenceMarket",
    why: "Only a party of the achievement's disposal right lists or approves it; at the deal, the lister must still be one.",
    fix: "Act for a disposal-right holder of the achievement (`govledger achievement show <number>` lists them).",
    say: (a) => `DID ${a.did} is not a party of achievement ${a.achievement}'s disposal right`,
  },
  MarketApprovalMissing: {
    source: "LicenceMarket",
    why: "Every party of the achievement's disposal right must approve a listing before it is published and at the deal: no co-owner disposes alone.",
    fix: "Have the party approve (`govledger trade approve <id> --as <did>`).",
    say: (a) => `DID ${a.did} has not approved listing ${a.id}`,
  },
  MarketNotCentre: {
    source: "LicenceMarket",
    why: "Only the trading centre a listing names publishes it, cancels it, rejects its bidders and confirms its deal.",
    fix: "Act with a key of the listing's centre (`govledger trade listing <id>` names it).",
    say: (a) => (a.did === 0n ? "the caller has no DID" : `DID ${a.did} is not the centre of listing ${a.id}`),
  },
  MarketNotLister: {
    source: "LicenceMarket",
    why: "Only the lister (or its broker, acting for it) withdraws a listing.",
    fix: "Act for the lister's DID (`--as <did>`).",
    say: (a) => `DID ${a.did} is not the lister of listing ${a.id}`,
  },
  MarketInvalidPricing: {
    source: "LicenceMarket",
    why: "A listing needs a token and a price above zero; an auction's deposit is at most its reserve and its deadline in the future; a fixed or negotiated listing takes no deposit, increment or deadline.",
    fix: "Fix the price, the deposit or the bidding deadline.",
    say: (a) =>
      `a ${LISTING_MODE_NAMES[Number(a.mode)] ?? a.mode} listing at ${a.price} units with deposit ${a.deposit} and deadline ${Number(a.biddingEnds) === 0 ? "none" : isoSeconds(a.biddingEnds)} is not valid`,
  },
  MarketInvalidSchedule: {
    source: "LicenceMarket",
    why: "A payment schedule has 1 to 11 instalments (the escrow's 12 milestones, one kept for a deposit), shares above zero summing to 100 %, due after increasing numbers of days from 1.",
    fix: "Fix the instalments: shares summing to 100 %, due days increasing.",
    say: (a) =>
      `a schedule of ${a.count} instalments is not valid (1 to ${a.max}, shares summing to 10,000 bps, increasing due times)`,
  },
  MarketInvalidLicence: {
    source: "LicenceMarket",
    why: "The licence offered must run for some time and may not start in the past.",
    fix: "Give a term, and a start in the future or none (at the deal).",
    say: (a) =>
      `a licence starting ${Number(a.start) === 0 ? "at the deal" : isoSeconds(a.start)} for ${a.term} seconds is not valid`,
  },
  MarketInvalidSplit: {
    source: "LicenceMarket",
    why: "The centre's fee, the broker's commission and the inventors' share must leave the holders something; a commission needs a broker listing under a mandate; the inventors' share must reach the escrow's floor when the achievement has inventors.",
    fix: "Lower the fee or the commission, list through the broker, or raise the inventors' share to the floor.",
    say: (a) =>
      `fee ${a.centreFeeBps} bps, commission ${a.brokerBps} bps and inventors' share ${a.inventorBps} bps are not a valid split`,
  },
  MarketSellerCannotBuy: {
    source: "LicenceMarket",
    why: "The lister and its broker are the seller side: they cannot buy, make an offer or bid on their own listing.",
    fix: "Buy or bid for another DID.",
    say: (a) => `DID ${a.did} is the seller side of listing ${a.id}`,
  },
  MarketAchievementNotListed: {
    source: "LicenceMarket",
    why: "At the deal the achievement must still be Listed in the registry; an arbitrator's order (a freeze, a dispute) moved it since it was published.",
    fix: "Wait for the order to be lifted, or cancel the listing.",
    say: (a) => `achievement ${a.achievement} is ${ACHIEVEMENT_STATUSES[Number(a.status)] ?? a.status}, not Listed`,
  },
  MarketNoticeRunning: {
    source: "LicenceMarket",
    why: "A negotiated price is published for the notice period (15 days by default) before the centre may confirm the deal.",
    fix: "Confirm the deal after the time shown, or cancel the listing on an objection.",
    say: (a) => `the notice period of listing ${a.id} runs until ${isoSeconds(a.dealableAt)}`,
  },
  MarketAwardRunning: {
    source: "LicenceMarket",
    why: "An award lapses only when no deal followed within 30 days of the time it could be confirmed.",
    fix: "Wait until the time shown, or ask the centre to confirm the deal or cancel the listing.",
    say: (a) => `the award of listing ${a.id} may be lapsed from ${isoSeconds(a.lapsesAt)}`,
  },
  MarketOfferInvalid: {
    source: "LicenceMarket",
    why: "The offer has expired, is of another round (an earlier offer was accepted) or names a price of zero.",
    fix: "Have the buyer sign a new offer (`govledger trade offer <id>`).",
    say: (a) =>
      `the offer on listing ${a.listing}, round ${a.round}, expiring ${isoSeconds(a.expiry)} cannot be accepted`,
  },
  MarketInvalidSignature: {
    source: "LicenceMarket",
    why: "An offer signature does not match this offer on this chain and market, or its signer does not act for the buyer or the lister (trade scope).",
    fix: "Have a key of the buyer and one of the lister sign the exact offer.",
    say: (a) => `the signature by ${a.signer} is not a valid offer of DID ${a.did}`,
  },
  MarketBiddingClosed: {
    source: "LicenceMarket",
    why: "Bidders register and bid only before the auction's deadline.",
    fix: "Nothing to do for this auction; close it (`govledger trade close-auction <id>`).",
    say: (a) => `bidding on listing ${a.id} closed at ${isoSeconds(a.biddingEnds)}`,
  },
  MarketBiddingOpen: {
    source: "LicenceMarket",
    why: "An auction is closed only after its deadline.",
    fix: "Close it after the time shown.",
    say: (a) => `bidding on listing ${a.id} runs until ${isoSeconds(a.biddingEnds)}`,
  },
  MarketAlreadyRegistered: {
    source: "LicenceMarket",
    why: "The DID is already a registered bidder of this auction; its deposit was taken once.",
    fix: "Bid (`govledger trade bid <id> <amount>`).",
    say: (a) => `DID ${a.did} is already registered for listing ${a.id}`,
  },
  MarketNotBidder: {
    source: "LicenceMarket",
    why: "Only a registered bidder the centre has not rejected bids, and only such a bidder is rejected.",
    fix: "Register first (`govledger trade register-bidder <id> --approve`).",
    say: (a) => `DID ${a.did} is not a registered bidder of listing ${a.id}`,
  },
  MarketBidderHasBid: {
    source: "LicenceMarket",
    why: "The centre rejects a bidder only before its first bid.",
    fix: "Cancel the listing if the bidder must be excluded now.",
    say: (a) => `DID ${a.did} has bid on listing ${a.id}`,
  },
  MarketBidTooLow: {
    source: "LicenceMarket",
    why: "A first bid is at least the reserve; each later bid beats the highest by at least the increment (and by one unit).",
    fix: "Bid at least the minimum shown.",
    say: (a) => `a bid of ${a.amount} units on listing ${a.id} is below the minimum ${a.minimum}`,
  },
  MarketHasBids: {
    source: "LicenceMarket",
    why: "The seller side cannot withdraw an auction once someone has bid.",
    fix: "Ask the centre to cancel the listing if it must end.",
    say: (a) => `listing ${a.id} has bids`,
  },
  MarketShortPayment: {
    source: "LicenceMarket",
    why: "The market received less than the deposit: the token takes a fee on transfer.",
    fix: "Settle in a standard ERC-20 without transfer fees (the consortium's settlement token).",
    say: (a) => `the market received ${a.received} of the ${a.expected} units paid`,
  },
  MarketNothingToWithdraw: {
    source: "LicenceMarket",
    why: "The DID holds no deposit on this listing (never registered, already withdrawn, or counted toward the price at the deal).",
    fix: "Check with `govledger trade listing <id>`.",
    say: (a) => `DID ${a.did} has no deposit on listing ${a.id}`,
  },
  MarketDepositLocked: {
    source: "LicenceMarket",
    why: "Deposits are held while the auction runs, and the winner's until the deal (which counts it toward the price) or a lapse.",
    fix: "Withdraw after the auction closes (a losing bidder), or after a lapse or a cancellation (the winner).",
    say: (a) => `the deposit of DID ${a.did} on listing ${a.id} is still held`,
  },
  MarketMissingReference: {
    source: "LicenceMarket",
    why: "A deal must name its deal confirmation, and a cancellation or a bidder's rejection its reason, by hash.",
    fix: "Pass the deal confirmation (成交确认书) or the reason.",
    say: () => "the deal or reason reference is missing",
  },
  MarketInvalidNoticePeriod: {
    source: "LicenceMarket",
    why: "The notice period of negotiated prices is at most 90 days.",
    fix: "Propose a period of at most 90 days.",
    say: (a) => `a notice period of ${a.period} seconds is too long`,
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
  ERC2771ForwarderInvalidSigner: {
    source: "OpenZeppelin ERC2771Forwarder",
    why: "The relayed request's signature does not match its `from` (wrong key, tampered request, wrong chain or forwarder).",
    fix: "Sign the request again with the key named in `from`, for this chain's GovForwarder.",
    say: (a) => `the request was signed by ${a.signer}, not ${a.from}`,
  },
  ERC2771ForwarderExpiredRequest: {
    source: "OpenZeppelin ERC2771Forwarder",
    why: "The relayed request's deadline has passed.",
    fix: "Sign the request again with a later deadline.",
    say: (a) => `the request expired at ${isoSeconds(a.deadline)}`,
  },
  ERC2771ForwarderMismatchedValue: {
    source: "OpenZeppelin ERC2771Forwarder",
    why: "The relayer sent a different native value than the request asks; the suite never sends value.",
    fix: "Relay with value 0.",
    say: (a) => `the request asks ${a.requestedValue} wei, ${a.msgValue} was sent`,
  },
  ERC2771UntrustfulTarget: {
    source: "OpenZeppelin ERC2771Forwarder",
    why: "The target contract does not trust this forwarder, so it would not see the signer as the caller.",
    fix: "Relay only to suite modules that accept relayed calls, through the deployment's GovForwarder.",
    say: (a) => `${a.target} does not trust forwarder ${a.forwarder}`,
  },
  ERC721IncorrectOwner: {
    source: "OpenZeppelin ERC721",
    why: "A token transfer names another owner than the token's.",
    fix: "Achievement tokens move only through consented changes of ownership.",
    say: (a) => `token ${a.tokenId} is owned by ${a.owner}, not ${a.sender}`,
  },
  ERC721InsufficientApproval: {
    source: "OpenZeppelin ERC721",
    why: "The operator is not approved for the token.",
    fix: "Achievement tokens take no approvals: transfer ownership through the registry's flows.",
    say: (a) => `${a.operator} is not approved for token ${a.tokenId}`,
  },
  ERC721InvalidApprover: {
    source: "OpenZeppelin ERC721",
    why: "The approver is not the token's owner or operator.",
    fix: "Achievement tokens take no approvals.",
    say: (a) => `${a.approver} cannot approve`,
  },
  ERC721InvalidOperator: {
    source: "OpenZeppelin ERC721",
    why: "The operator address is not valid.",
    fix: "Achievement tokens take no operators.",
    say: (a) => `${a.operator} cannot be an operator`,
  },
  ERC721InvalidOwner: {
    source: "OpenZeppelin ERC721",
    why: "The zero address owns no tokens.",
    fix: "Ask for the balance of a real account.",
    say: (a) => `${a.owner} cannot own tokens`,
  },
  ERC721InvalidReceiver: {
    source: "OpenZeppelin ERC721",
    why: "The token cannot be minted or moved to the zero address.",
    fix: "Name an account of the first owner's DID as the holder.",
    say: (a) => `${a.receiver} cannot receive a token`,
  },
  ERC721InvalidSender: {
    source: "OpenZeppelin ERC721",
    why: "The token already exists, or a transfer names an invalid sender.",
    fix: "Check the registration number: it may be registered already.",
    say: (a) => `${a.sender} cannot send this token`,
  },
  ERC721NonexistentToken: {
    source: "OpenZeppelin ERC721",
    why: "No token has this id: no achievement is registered under this number.",
    fix: "Check the registration number.",
    say: (a) => `token ${a.tokenId} does not exist`,
  },
  InvalidAccountNonce: {
    source: "OpenZeppelin Nonces",
    why: "The relayed request's nonce is not the signer's current one (already used, or out of order).",
    fix: "Sign the request again with the current nonce.",
    say: (a) => `${a.account}'s current nonce is ${a.currentNonce}`,
  },
  InvalidShortString: {
    source: "OpenZeppelin ShortStrings",
    why: "A short string could not be decoded.",
    fix: "A contract bug: report it.",
  },
  StringTooLong: {
    source: "OpenZeppelin ShortStrings",
    why: "A string given to the EIP-712 domain is too long to store as a short string.",
    fix: "Use a shorter name.",
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
  ReentrancyGuardReentrantCall: {
    source: "OpenZeppelin ReentrancyGuard",
    why: "A token (or a contract it called) tried to call back into the escrow while it was paying or being paid.",
    fix: "Settle in a standard ERC-20 that does not call back into its callers.",
    say: () => "a call re-entered the escrow",
  },
  SafeERC20FailedOperation: {
    source: "OpenZeppelin SafeERC20",
    why: "The settlement token refused a transfer or returned false (no balance, no allowance, or not an ERC-20).",
    fix: "Check the token address and that the payer holds and approved the amount.",
    say: (a) => `the token ${a.token} refused the transfer`,
  },
  SafeCastOverflowedUintDowncast: {
    source: "OpenZeppelin SafeCast",
    why: "A number is too large for its field (e.g. a delay or a time).",
    fix: "Use a smaller value.",
  },
};

/** The ABIs whose errors the SDK can decode. Modules add theirs here. */

let suiteInterface: Interface | undefined;

/** One interface holding every error (and event) of the suite, deduplicated by signature. */
export function suiteErrorsInterface(): Interface {
  if (!suiteInterface) {
    const seen = new Set<string>();
    const fragments = Object.values(suiteInterfaces())
      .flatMap((i) => i.fragments)
      .filter((f) => {
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
