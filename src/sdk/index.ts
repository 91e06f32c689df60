export { Call, type Submitted } from "./call";
export {
  CouncilClient,
  PROPOSAL_STATES,
  type ProposalStateName,
  type ProposalView,
  type ProposedCall,
} from "./council";
export { CORE_CONTRACTS, DeploymentError, deploymentFromRecords, loadDeployment, type Deployment } from "./deployment";
export { ERROR_DOCS, GovLedgerError, decodeRevert, toGovLedgerError } from "./errors";
export { decodeEvents, type SuiteEvent } from "./events";
export { GovLedger, PAUSABLE_MODULES } from "./govledger";
export { MembersClient, MEMBER_STATUSES, type Admission, type MemberView } from "./members";
export * from "./roles";
