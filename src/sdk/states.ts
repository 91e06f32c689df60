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
