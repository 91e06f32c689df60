import type { AuditEvent } from "./decode";
import type { Parties } from "./parties";
import { MODULES, type ModuleName, type Organisation, type OrganisationActivity } from "./types";

/**
 * Who acted in an event: a DID, a member, an account, the council, a claim's issuer (looked up), or
 * the sender of the transaction (when the event names DID 0: the caller had no DID then).
 */
type Actor =
  | { did: bigint }
  | { member: bigint }
  | { account: string }
  | { council: true }
  | { claim: bigint }
  | { sender: string };

/** What the chain is asked to attribute an act the event alone does not. */
export interface Lookups {
  /** The issuer of a claim revoked, suspended or reinstated. */
  issuerOf(claimId: bigint): Promise<bigint | undefined>;
  /** The account that sent a transaction. */
  senderOf(tx: string): Promise<string | undefined>;
}
type Args = Record<string, unknown>;

const did =
  (field: string) =>
  (a: Args): Actor | undefined =>
    BigInt(a[field] as bigint) === 0n ? undefined : { did: BigInt(a[field] as bigint) };
const member = (field: string) => (a: Args) => ({ member: BigInt(a[field] as bigint) });
const account = (field: string) => (a: Args) => ({ account: a[field] as string });
const council = () => ({ council: true as const });
const claim = (a: Args) => ({ claim: BigInt(a.claimId as bigint) });

/**
 * The acts counted per organisation: event → module and who acted. Events not listed (status changes,
 * credits, shares assigned, configuration) describe an effect of an act already counted.
 */
const ACTS: Record<string, [ModuleName, (a: Args) => Actor | undefined]> = {
  "Council.ProposalCreated": ["governance", account("proposer")],
  "Council.ProposalApproved": ["governance", account("councillor")],
  "Council.ApprovalRevoked": ["governance", account("councillor")],
  "Council.ProposalExecuted": ["governance", account("executor")],
  "Council.ProposalCancelled": ["governance", account("by")],
  "MemberRegistry.MemberAdmitted": ["governance", council],
  "MemberRegistry.MemberSuspended": ["governance", council],
  "MemberRegistry.MemberReinstated": ["governance", council],
  "MemberRegistry.MemberRemoved": ["governance", council],
  "MemberRegistry.MemberRoleGranted": ["governance", council],
  "MemberRegistry.MemberRoleRevoked": ["governance", council],
  "IdentityRegistry.DidRegistered": [
    "identity",
    (a) => (BigInt(a.registrar as bigint) === 0n ? did("did")(a) : member("registrar")(a)),
  ],
  "IdentityRegistry.DidVerified": ["identity", member("registrar")],
  "IdentityRegistry.KeyAdded": ["identity", did("did")],
  "IdentityRegistry.KeyRemoved": ["identity", did("did")],
  "IdentityRegistry.KeyRotated": ["identity", did("did")],
  "IdentityRegistry.MandateGranted": ["identity", did("org")],
  "IdentityRegistry.MandateRevoked": ["identity", did("org")],
  "IdentityRegistry.TopicRegistered": ["identity", council],
  "IdentityRegistry.IssuerAccredited": ["identity", council],
  "IdentityRegistry.AccreditationWithdrawn": ["identity", council],
  "IdentityRegistry.ClaimIssued": ["identity", did("issuer")],
  "IdentityRegistry.ClaimRevoked": ["identity", claim],
  "IdentityRegistry.ClaimSuspended": ["identity", claim],
  "IdentityRegistry.ClaimReinstated": ["identity", claim],
  "IdentityRecovery.GuardiansSet": ["identity", did("did")],
  "IdentityRecovery.RecoveryInitiated": ["identity", did("initiator")],
  "IdentityRecovery.RecoveryApproved": ["identity", did("guardian")],
  "ConsentRegistry.ConsentGranted": ["identity", did("subject")],
  "ConsentRegistry.AccessRecorded": ["identity", did("accessor")],
  "EvidenceRegistry.Notarized": ["evidence", did("submitter")],
  "EvidenceRegistry.BatchNotarized": ["evidence", did("submitter")],
  "EvidenceRegistry.RootAnchored": ["evidence", did("submitter")],
  "EvidenceRegistry.Revoked": ["evidence", did("by")],
  "EvidenceRegistry.Endorsed": ["evidence", did("did")],
  "EvidenceRegistry.NotaryEnrolled": ["evidence", did("did")],
  "AchievementRegistry.AchievementRegistered": ["achievement", did("registrar")],
  "AchievementRegistry.Evaluated": ["achievement", did("evaluator")],
  "AchievementRegistry.RightsChanged": ["achievement", did("actor")],
  "AchievementRegistry.MetadataUpdated": ["achievement", did("actor")],
  "AchievementRights.ConsentGiven": ["achievement", did("did")],
  "AchievementRights.Pledged": ["achievement", did("actor")],
  "AchievementRights.PledgeReleased": ["achievement", did("actor")],
  "AchievementRights.DisputeOpened": ["achievement", did("actor")],
  "AchievementRights.DisputeClosed": ["achievement", did("actor")],
  "AchievementRights.Frozen": ["achievement", did("actor")],
  "AchievementRights.Unfrozen": ["achievement", did("actor")],
  "AchievementRights.RegistrarEnrolled": ["achievement", did("did")],
  "AchievementRights.EvaluatorEnrolled": ["achievement", did("did")],
  "LicenceMarket.ListingSubmitted": ["trade", did("lister")],
  "LicenceMarket.ListingApproved": ["trade", did("did")],
  "LicenceMarket.ListingPublished": ["trade", did("centre")],
  "LicenceMarket.ListingWithdrawn": ["trade", did("actor")],
  "LicenceMarket.BidderRegistered": ["trade", did("did")],
  "LicenceMarket.BidderRejected": ["trade", did("actor")],
  "LicenceMarket.BidPlaced": ["trade", did("bidder")],
  "LicenceMarket.DealConfirmed": ["trade", did("centre")],
  "LicenceMarket.DepositWithdrawn": ["trade", did("did")],
  "LicenceRegister.LicenceRecorded": ["trade", did("recordedBy")],
  "LicenceRegister.LicenceTerminated": ["trade", did("actor")],
  "TechContractRegister.ContractRegistered": ["trade", did("centre")],
  "TechContractRegister.CertificateIssued": ["trade", did("centre")],
  "TechContractRegister.ContractAnnulled": ["trade", did("actor")],
  "SettlementEscrow.EscrowOpened": ["settlement", did("centre")],
  "SettlementEscrow.MilestoneFunded": ["settlement", did("actor")],
  "SettlementEscrow.MilestoneReleased": ["settlement", did("actor")],
  "SettlementEscrow.MilestoneReclaimed": ["settlement", did("actor")],
  "SettlementEscrow.MilestoneDisputed": ["settlement", did("actor")],
  "SettlementEscrow.MilestoneResolved": ["settlement", did("actor")],
  "SettlementEscrow.Withdrawn": ["settlement", did("did")],
  "SettlementEscrow.BalanceReassigned": ["settlement", did("actor")],
};

/** Counts every act in `events` under the organisation that did it, per module and per event name. */
export async function activityOf(
  events: AuditEvent[],
  parties: Parties,
  lookups: Lookups,
): Promise<OrganisationActivity[]> {
  const rows = new Map<string, OrganisationActivity>();
  for (const e of events) {
    const act = ACTS[`${e.contract}.${e.name}`];
    if (!act) continue;
    const [module, who] = act;
    const actor = who(e.args) ?? { sender: e.tx };
    const org = await organisationOf(actor, parties, lookups);
    if (!org) continue;
    const row = rows.get(org.key) ?? { ...org, dids: [], total: 0, byModule: noActs(), byAction: {} };
    rows.set(org.key, row);
    row.total++;
    row.byModule[module]++;
    row.byAction[e.name] = (row.byAction[e.name] ?? 0) + 1;
  }
  // DIDs resolved after a row was made are on the organisation: copy them in.
  for (const row of rows.values()) row.dids = [...(parties.known.get(row.key)?.dids ?? [])].sort(compare);
  return [...rows.values()].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
}

async function organisationOf(actor: Actor, parties: Parties, lookups: Lookups): Promise<Organisation | undefined> {
  if ("did" in actor) return parties.ofDid(actor.did);
  if ("member" in actor) return parties.ofMember(actor.member);
  if ("account" in actor) return parties.ofAccount(actor.account);
  if ("council" in actor) return parties.council();
  if ("claim" in actor) {
    const issuer = await lookups.issuerOf(actor.claim);
    return issuer === undefined ? undefined : parties.ofDid(issuer);
  }
  const sender = await lookups.senderOf(actor.sender);
  return sender === undefined ? undefined : parties.ofAccount(sender);
}

function noActs(): Record<ModuleName, number> {
  return Object.fromEntries(MODULES.map((m) => [m, 0])) as Record<ModuleName, number>;
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
