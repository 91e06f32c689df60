export * from "./achievement";
export * from "./achievement-types";
export { Call, type Submitted } from "./call";
export { LedgerSigner, type LedgerOptions } from "./policy";
export {
  FailoverProvider,
  RpcUnreachableError,
  parseRpcUrls,
  type EndpointHealth,
  type FailoverOptions,
} from "./provider";
export {
  DEFAULT_RECEIPT_TIMEOUT_MS,
  TransactionInDoubtError,
  TransactionReplacedError,
  TransactionsClient,
  type Resumed,
  type SentTransaction,
  type TransactionState,
  type TransactionStatus,
  type WaitOptions,
} from "./transactions";
export {
  CouncilClient,
  PROPOSAL_STATES,
  type ProposalStateName,
  type ProposalView,
  type ProposedCall,
} from "./council";
export {
  CORE_CONTRACTS,
  DeploymentError,
  OPTIONAL_MODULES,
  deploymentFromRecords,
  hasModule,
  loadDeployment,
  type Deployment,
  type OptionalModule,
} from "./deployment";
export * from "./did";
export * from "./escrow";
export { ERROR_DOCS, GovLedgerError, decodeRevert, toGovLedgerError } from "./errors";
export { decodeEvents, type SuiteEvent } from "./events";
export * from "./evidence";
export { GovLedger, PAUSABLE_MODULES } from "./govledger";
export * from "./identity";
export { MembersClient, MEMBER_STATUSES, type Admission, type MemberView } from "./members";
export { FORWARD_REQUEST_TYPES, Relay, type RelayOptions, type SignedRequest } from "./relay";
export * from "./roles";
export {
  ACHIEVEMENT_KINDS,
  ACHIEVEMENT_STATUSES,
  CLASSIFICATIONS,
  CLAIM_STATUSES,
  RIGHTS,
  SECRECY_LEVELS,
  type AchievementKindName,
  type AchievementStatusName,
  type ClassificationName,
  type RightName,
  type SecrecyName,
  DID_KINDS,
  DID_STATUSES,
  EVIDENCE_KINDS,
  EVIDENCE_STATUSES,
  MILESTONE_STATUSES,
  type MilestoneStatusName,
  type ClaimStatusName,
  type DidKindName,
  type DidStatusName,
  type EvidenceKindName,
  type EvidenceStatusName,
} from "./states";
export {
  LICENCE_KINDS,
  LICENCE_STATUSES,
  LicenceClient,
  type LicenceKindName,
  type LicenceRecorded,
  type LicenceTerminated,
  type LicenceTermsInput,
  type LicenceView,
} from "./licences";
export {
  TECH_CONTRACT_STATUSES,
  TECH_CONTRACT_TYPES,
  TechContractClient,
  formatTechContractNumber,
  parseContractAmount,
  parseTechContractNumber,
  techContractNumberProblem,
  type CertificateIssued,
  type ContractAmountInput,
  type ContractAnnulled,
  type ContractRegistered,
  type TechContractInput,
  type TechContractRef,
  type TechContractStatusName,
  type TechContractTypeName,
  type TechContractView,
} from "./tech-contracts";
export {
  LISTING_MODES,
  LISTING_STATUSES,
  MarketClient,
  OFFER_TYPES,
  offerDomain,
  parseSignedOffer,
  type AuctionClosed,
  type BidPlaced,
  type BidderRegistered,
  type BidderRejected,
  type BidderView,
  type DealConfirmed,
  type DepositWithdrawn,
  type InstalmentInput,
  type InstalmentView,
  type LicenceOfferInput,
  type ListingApproved,
  type ListingAwarded,
  type ListingInput,
  type ListingLapsed,
  type ListingModeName,
  type ListingPublished,
  type ListingStatusName,
  type ListingSubmitted,
  type ListingView,
  type ListingWithdrawn,
  type MarketTimeInput,
  type MarketLiabilities,
  type Offer,
  type OfferInput,
  type OfferSignature,
  type SaleView,
  type SignedOffer,
} from "./market";
