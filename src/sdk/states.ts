/** Names of ICouncil.ProposalState, by its numeric value. */
export const PROPOSAL_STATES = ["Unknown", "Pending", "Queued", "Ready", "Executed", "Cancelled", "Expired"] as const;
export type ProposalStateName = (typeof PROPOSAL_STATES)[number];

/** Names of IMemberRegistry.MemberStatus, by its numeric value. */
export const MEMBER_STATUSES = ["None", "Active", "Suspended", "Removed"] as const;
export type MemberStatusName = (typeof MEMBER_STATUSES)[number];
