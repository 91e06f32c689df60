import { LICENCE_KINDS, LISTING_MODES, LISTING_STATUSES, type TokenInfo } from "../sdk";
import type { AuditEvent } from "./decode";
import { amountOf } from "./format";
import type { Holdings } from "./holdings";
import type { Parties } from "./parties";
import type {
  AchievementRow,
  AchievementSummary,
  ConsortiumSummary,
  DealRow,
  EvidenceSummary,
  IdentitySummary,
  LicenceSummary,
  ListingRow,
  MarketSummary,
  TechContractSummary,
} from "./types";

/** Counts events by `Contract.Event`. */
export class Tally {
  private readonly counts = new Map<string, number>();

  constructor(readonly events: AuditEvent[]) {
    for (const e of events)
      this.counts.set(`${e.contract}.${e.name}`, (this.counts.get(`${e.contract}.${e.name}`) ?? 0) + 1);
  }

  of(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  named(key: string): AuditEvent[] {
    const [contract, name] = key.split(".");
    return this.events.filter((e) => e.contract === contract && e.name === name);
  }
}

export function consortiumSummary(t: Tally): ConsortiumSummary {
  return {
    membersAdmitted: t.of("MemberRegistry.MemberAdmitted"),
    membersSuspended: t.of("MemberRegistry.MemberSuspended"),
    membersReinstated: t.of("MemberRegistry.MemberReinstated"),
    membersRemoved: t.of("MemberRegistry.MemberRemoved"),
    rolesGranted: t.of("MemberRegistry.MemberRoleGranted"),
    rolesRevoked: t.of("MemberRegistry.MemberRoleRevoked"),
    proposalsCreated: t.of("Council.ProposalCreated"),
    proposalsExecuted: t.of("Council.ProposalExecuted"),
    proposalsCancelled: t.of("Council.ProposalCancelled"),
  };
}

/** The topic of a claim id (`subject << 64 | topic << 32 | n`). */
export function topicOfClaim(claimId: bigint): number {
  return Number((claimId >> 32n) & 0xffffffffn);
}

export async function identitySummary(
  t: Tally,
  topicName: (topic: number) => Promise<string>,
): Promise<IdentitySummary> {
  const topics = new Map<number, { issued: number; revoked: number }>();
  const topic = (claimId: unknown) => {
    const n = topicOfClaim(BigInt(claimId as bigint));
    const row = topics.get(n) ?? { issued: 0, revoked: 0 };
    topics.set(n, row);
    return row;
  };
  for (const e of t.named("IdentityRegistry.ClaimIssued")) topic(e.args.claimId).issued++;
  for (const e of t.named("IdentityRegistry.ClaimRevoked")) topic(e.args.claimId).revoked++;
  const claimTopics = [];
  for (const [n, row] of [...topics].sort((a, b) => a[0] - b[0]))
    claimTopics.push({ topic: n, name: await topicName(n), ...row });
  return {
    didsRegistered: t.of("IdentityRegistry.DidRegistered"),
    didsVerified: t.of("IdentityRegistry.DidVerified"),
    didsSuspended: t.of("IdentityRegistry.DidSuspended"),
    didsDeactivated: t.of("IdentityRegistry.DidDeactivated"),
    keysRotated: t.of("IdentityRegistry.KeyRotated"),
    recoveriesCompleted: t.of("IdentityRecovery.RecoveryCompleted"),
    mandatesGranted: t.of("IdentityRegistry.MandateGranted"),
    claimsIssued: t.of("IdentityRegistry.ClaimIssued"),
    claimsRevoked: t.of("IdentityRegistry.ClaimRevoked"),
    claimsSuspended: t.of("IdentityRegistry.ClaimSuspended"),
    claimsReinstated: t.of("IdentityRegistry.ClaimReinstated"),
    claimTopics,
    consentsGranted: t.of("ConsentRegistry.ConsentGranted"),
    consentsRevoked: t.of("ConsentRegistry.ConsentRevoked"),
    accessesRecorded: t.of("ConsentRegistry.AccessRecorded"),
  };
}

/**
 * Evidence counts, and where the documents notarized in the range stand at its end: a record or root
 * revoked in the range is revoked, one superseded is superseded, the rest valid.
 */
export function evidenceSummary(t: Tally): EvidenceSummary {
  const revoked = new Set(t.named("EvidenceRegistry.Revoked").map((e) => e.args.key as string));
  const superseded = new Set(t.named("EvidenceRegistry.Superseded").map((e) => e.args.oldDigest as string));
  const status = { valid: 0, superseded: 0, revoked: 0 };
  const place = (key: string, documents: number) => {
    const where = revoked.has(key) ? "revoked" : superseded.has(key) ? "superseded" : "valid";
    status[where] += documents;
  };
  for (const e of t.named("EvidenceRegistry.Notarized")) place(e.args.digest as string, 1);
  for (const e of t.named("EvidenceRegistry.RootAnchored")) place(e.args.root as string, Number(e.args.size));
  // An indexed batch's digests are in its calldata, not its event: its documents count as valid.
  const batches = t.named("EvidenceRegistry.BatchNotarized");
  for (const e of batches) status.valid += Number(e.args.count);
  return {
    records: t.of("EvidenceRegistry.Notarized"),
    batches: batches.length,
    roots: t.of("EvidenceRegistry.RootAnchored"),
    documents: status.valid + status.superseded + status.revoked,
    superseded: superseded.size,
    revoked: revoked.size,
    revokedByOrder: t.named("EvidenceRegistry.Revoked").filter((e) => e.args.byOrder === true).length,
    endorsed: t.of("EvidenceRegistry.Endorsed"),
    status,
  };
}

export async function achievementSummary(t: Tally, parties: Parties): Promise<AchievementSummary> {
  const rows = new Map<bigint, AchievementRow>();
  const row = (id: unknown) => {
    const key = BigInt(id as bigint);
    const r = rows.get(key) ?? { id: key, evaluations: 0, pledges: 0, listings: 0, licences: 0 };
    rows.set(key, r);
    return r;
  };
  for (const e of t.named("AchievementRegistry.AchievementRegistered")) {
    row(e.args.id).registeredBy = (await parties.ofDid(BigInt(e.args.registrar as bigint))).name;
  }
  for (const e of t.named("AchievementRegistry.Evaluated")) row(e.args.id).evaluations++;
  for (const e of t.named("AchievementRights.Pledged")) row(e.args.id).pledges++;
  for (const e of t.named("LicenceMarket.ListingSubmitted")) row(e.args.achievement).listings++;
  for (const e of t.named("LicenceRegister.LicenceRecorded")) row(e.args.achievement).licences++;
  return {
    registered: t.of("AchievementRegistry.AchievementRegistered"),
    evaluated: t.of("AchievementRegistry.Evaluated"),
    pledged: t.of("AchievementRights.Pledged"),
    pledgesReleased: t.of("AchievementRights.PledgeReleased"),
    rightsChanged: t.of("AchievementRegistry.RightsChanged"),
    disputesOpened: t.of("AchievementRights.DisputeOpened"),
    frozen: t.of("AchievementRights.Frozen"),
    items: [...rows.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}

/** Market counts, every listing the range touched (as it stands at the end), and every deal. */
export async function marketSummary(
  t: Tally,
  parties: Parties,
  holdings: Holdings | undefined,
  tokenInfo: (address: string) => Promise<TokenInfo>,
): Promise<MarketSummary> {
  const ids = new Set<bigint>();
  for (const e of t.events)
    if (e.contract === "LicenceMarket" && e.args.id !== undefined) ids.add(BigInt(e.args.id as bigint));
  const listings: ListingRow[] = [];
  for (const id of [...ids].sort((a, b) => (a < b ? -1 : 1))) {
    const { listing, status } = await holdings!.listingOf(id);
    const token = await tokenInfo(listing.token);
    listings.push({
      id,
      achievement: listing.achievement,
      mode: LISTING_MODES[Number(listing.mode)],
      lister: (await parties.ofDid(listing.lister)).name,
      centre: (await parties.ofDid(listing.centre)).name,
      token: token.address,
      price: listing.price,
      priceDisplay: amountOf(listing.price, token).display,
      status: LISTING_STATUSES[status],
    });
  }
  const dealRows: DealRow[] = [];
  for (const e of t.named("LicenceMarket.DealConfirmed")) {
    const a = e.args;
    const token = listings.find((l) => l.id === BigInt(a.id as bigint))!.token;
    const price = BigInt(a.price as bigint);
    dealRows.push({
      listing: BigInt(a.id as bigint),
      block: e.block,
      tx: e.tx,
      mode: LISTING_MODES[Number(a.mode)],
      buyer: (await parties.ofDid(BigInt(a.buyer as bigint))).name,
      seller: (await parties.ofDid(BigInt(a.seller as bigint))).name,
      centre: (await parties.ofDid(BigInt(a.centre as bigint))).name,
      price,
      priceDisplay: amountOf(price, await tokenInfo(token)).display,
      escrow: BigInt(a.escrow as bigint),
      licence: BigInt(a.licence as bigint),
    });
  }
  return {
    listingsSubmitted: t.of("LicenceMarket.ListingSubmitted"),
    listingsPublished: t.of("LicenceMarket.ListingPublished"),
    listingsWithdrawn: t.of("LicenceMarket.ListingWithdrawn"),
    listingsLapsed: t.of("LicenceMarket.ListingLapsed"),
    biddersRegistered: t.of("LicenceMarket.BidderRegistered"),
    bids: t.of("LicenceMarket.BidPlaced"),
    deals: dealRows.length,
    listings,
    dealRows,
  };
}

export async function licenceSummary(t: Tally, parties: Parties): Promise<LicenceSummary> {
  const terminated = new Set(t.named("LicenceRegister.LicenceTerminated").map((e) => BigInt(e.args.id as bigint)));
  const items = [];
  for (const e of t.named("LicenceRegister.LicenceRecorded")) {
    const id = BigInt(e.args.id as bigint);
    const terms = e.args.terms as { kind: bigint };
    items.push({
      id,
      achievement: BigInt(e.args.achievement as bigint),
      licensee: (await parties.ofDid(BigInt(e.args.licensee as bigint))).name,
      recordedBy: (await parties.ofDid(BigInt(e.args.recordedBy as bigint))).name,
      kind: LICENCE_KINDS[Number(terms.kind)],
      terminated: terminated.has(id),
    });
  }
  return { recorded: items.length, terminated: terminated.size, items };
}

export function techContractSummary(t: Tally): TechContractSummary {
  return {
    registered: t.of("TechContractRegister.ContractRegistered"),
    certified: t.of("TechContractRegister.CertificateIssued"),
    annulled: t.of("TechContractRegister.ContractAnnulled"),
  };
}
