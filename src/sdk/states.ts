/** Names of ICouncil.ProposalState, by its numeric value. */
export const PROPOSAL_STATES = ["Unknown", "Pending", "Queued", "Ready", "Executed", "Cancelled", "Expired"] as const;
export type ProposalStateName = (typeof PROPOSAL_STATES)[number];

/** Names of IMemberRegistry.MemberStatus, by its numeric value. */
export const MEMBER_STATUSES = ["None", "Active", "Suspended", "Removed"] as const;
export type MemberStatusName = (typeof MEMBER_STATUSES)[number];

/** Names of IIdentityRegistry.DidKind, by its numeric value. */
export const DID_KINDS = ["Person", "Organisation"] as const;
export type DidKindName = (typeof DID_KINDS)[number];

/** Names of IIdentityRegistry.DidStatus, by its numeric value. */
export const DID_STATUSES = ["None", "Pending", "Active", "Suspended", "Deactivated"] as const;
export type DidStatusName = (typeof DID_STATUSES)[number];

/** Names of IIdentityRegistry.ClaimStatus, by its numeric value. */
export const CLAIM_STATUSES = ["None", "Active", "Suspended", "Revoked"] as const;
export type ClaimStatusName = (typeof CLAIM_STATUSES)[number];

/** Names of IEvidenceRegistry.RecordKind, by its numeric value. */
export const EVIDENCE_KINDS = ["None", "Single", "Indexed", "Root"] as const;
export type EvidenceKindName = (typeof EVIDENCE_KINDS)[number];

/** Names of IEvidenceRegistry.RecordStatus, by its numeric value. */
export const EVIDENCE_STATUSES = ["None", "Valid", "Superseded", "Revoked"] as const;
export type EvidenceStatusName = (typeof EVIDENCE_STATUSES)[number];

/** Names of IAchievementRegistry.Kind, by its numeric value. */
export const ACHIEVEMENT_KINDS = [
  "None",
  "Patent",
  "SoftwareCopyright",
  "IntegratedCircuitLayout",
  "PlantVariety",
  "TechnicalSecret",
  "Standard",
  "Other",
] as const;
export type AchievementKindName = (typeof ACHIEVEMENT_KINDS)[number];

/** Names of IAchievementRegistry.Classification, by its numeric value. */
export const CLASSIFICATIONS = [
  "None",
  "BasicResearch",
  "AppliedResearch",
  "TechnologyDevelopment",
  "Industrialisation",
] as const;
export type ClassificationName = (typeof CLASSIFICATIONS)[number];

/** Names of IAchievementRegistry.Secrecy (密级), by its numeric value. */
export const SECRECY_LEVELS = ["Open", "Secret", "Confidential", "TopSecret"] as const;
export type SecrecyName = (typeof SECRECY_LEVELS)[number];

/** Names of IAchievementRegistry.Status, by its numeric value. */
export const ACHIEVEMENT_STATUSES = ["None", "Registered", "Evaluated", "Listed", "Licensed", "Transferred"] as const;
export type AchievementStatusName = (typeof ACHIEVEMENT_STATUSES)[number];

/** Names of IAchievementRegistry.Right, by its numeric value. */
export const RIGHTS = ["Ownership", "Use", "Disposal", "Income"] as const;
export type RightName = (typeof RIGHTS)[number];

/**
 * Names of ISettlementEscrow.MilestoneStatus, by its numeric value: Awaiting (not funded), Funded,
 * Released (confirmed and split), Refunded (reclaimed after its due time), Disputed (frozen),
 * Resolved (split by a ruling or a settlement).
 */
export const MILESTONE_STATUSES = [
  "None",
  "Awaiting",
  "Funded",
  "Released",
  "Refunded",
  "Disputed",
  "Resolved",
] as const;
export type MilestoneStatusName = (typeof MILESTONE_STATUSES)[number];

/**
 * Names of ITechContractRegister.ContractType, by its numeric value: 技术开发, 技术转让 (assignment of
 * rights), 技术许可, 技术咨询, 技术服务, 作价投资.
 */
export const TECH_CONTRACT_TYPES = [
  "development",
  "transfer",
  "licence",
  "consulting",
  "service",
  "investment",
] as const;
export type TechContractTypeName = (typeof TECH_CONTRACT_TYPES)[number];

/** Names of ITechContractRegister.ContractStatus, by its numeric value. */
export const TECH_CONTRACT_STATUSES = ["None", "Registered", "Certified", "Annulled"] as const;
export type TechContractStatusName = (typeof TECH_CONTRACT_STATUSES)[number];
