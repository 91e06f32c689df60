// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title ICouncil
 * @notice A k-of-n council of the consortium. Councillors propose calls to suite contracts; a call
 * runs only after `threshold` councillors approved it. Calls the authority delays (upgrades, changes
 * of who governs) are scheduled when the threshold is reached and run after the delay, unless a
 * guardian cancels them first.
 */
interface ICouncil {
    /// @notice Where a proposal stands.
    enum ProposalState {
        Unknown,
        /// Waiting for approvals.
        Pending,
        /// Approved and scheduled; the authority's delay has not passed yet.
        Queued,
        /// Approved and executable now.
        Ready,
        Executed,
        /// Withdrawn by its proposer or cancelled by a guardian.
        Cancelled,
        /// Scheduled but not executed within the authority's expiration window.
        Expired
    }

    /// @notice A proposed call, as stored.
    struct Proposal {
        address target;
        /// @dev The function selector of `data`, kept beside `target` to ask the authority cheaply.
        bytes4 selector;
        address proposer;
        uint48 createdAt;
        /// @dev 0 until the threshold is reached; then the earliest time it may run.
        uint48 readyAt;
        /// @dev Whether the authority holds a schedule for this call (the call is delayed).
        bool scheduled;
        /// @dev The authority's nonce of that schedule: tells this proposal's schedule from a later one of the same call.
        uint32 scheduleNonce;
        bool executed;
        bool cancelled;
        bytes data;
        string description;
    }

    /// @notice Emitted when `proposer` proposes call `data` to `target`.
    event ProposalCreated(
        uint256 indexed id,
        address indexed proposer,
        address indexed target,
        bytes data,
        string description
    );
    /// @notice Emitted when `councillor` approves proposal `id`; `approvals` counts current councillors.
    event ProposalApproved(uint256 indexed id, address indexed councillor, uint256 approvals);
    /// @notice Emitted when `councillor` withdraws an approval of proposal `id`.
    event ApprovalRevoked(uint256 indexed id, address indexed councillor, uint256 approvals);
    /// @notice Emitted when proposal `id` reached the threshold; it may run from `readyAt`.
    event ProposalQueued(uint256 indexed id, uint48 readyAt, bool scheduled);
    /// @notice Emitted when proposal `id` ran.
    event ProposalExecuted(uint256 indexed id, address indexed executor);
    /// @notice Emitted when proposal `id` was withdrawn or cancelled by `by`.
    event ProposalCancelled(uint256 indexed id, address indexed by);
    /// @notice Emitted when `councillor` joined the council.
    event CouncillorAdded(address indexed councillor);
    /// @notice Emitted when `councillor` left the council.
    event CouncillorRemoved(address indexed councillor);
    /// @notice Emitted when the number of approvals a proposal needs changed.
    event ThresholdChanged(uint256 oldThreshold, uint256 newThreshold);

    /// @notice Thrown when `account` acts as a councillor but is not one.
    error CouncilNotCouncillor(address account);
    /// @notice Thrown when no proposal has id `id`.
    error CouncilUnknownProposal(uint256 id);
    /// @notice Thrown when `councillor` approves proposal `id` a second time.
    error CouncilAlreadyApproved(uint256 id, address councillor);
    /// @notice Thrown when `councillor` revokes an approval of `id` it never gave.
    error CouncilNotApproved(uint256 id, address councillor);
    /// @notice Thrown when proposal `id` is in `state` but the action needs another state.
    error CouncilUnexpectedState(uint256 id, ProposalState state);
    /// @notice Thrown when proposal `id` is executed with `approvals` of the `threshold` it needs.
    error CouncilQuorumNotReached(uint256 id, uint256 approvals, uint256 threshold);
    /// @notice Thrown when proposal `id` is executed before `readyAt`.
    error CouncilProposalNotReady(uint256 id, uint48 readyAt);
    /// @notice Thrown when `caller` may not cancel proposal `id` (only its proposer while pending, or a guardian).
    error CouncilCancelNotAllowed(uint256 id, address caller);
    /// @notice Thrown when a proposal has no target or a call without a function selector.
    error CouncilInvalidCall(address target, uint256 dataLength);
    /// @notice Thrown when `threshold` cannot work with `councillors` councillors (need 1 <= threshold <= councillors).
    error CouncilInvalidThreshold(uint256 threshold, uint256 councillors);
    /// @notice Thrown when `account` is already a councillor (or is the zero address).
    error CouncilInvalidCouncillor(address account);
    /// @notice Thrown when the council would exceed `max` councillors.
    error CouncilTooManyCouncillors(uint256 max);

    /**
     * @notice Proposes that the council call `target` with `data`; the proposer's approval is counted.
     * @dev Requirements: caller is a councillor; `target` is not zero and `data` holds a selector.
     * Emits {ProposalCreated} and {ProposalApproved}, and {ProposalQueued} when one approval suffices.
     * @return id The new proposal's id (ids start at 1).
     */
    function propose(address target, bytes calldata data, string calldata description) external returns (uint256 id);

    /**
     * @notice Approves proposal `id`. The approval that reaches the threshold queues the proposal,
     * scheduling it with the authority when the call is delayed.
     * @dev Requirements: caller is a councillor who has not approved `id`; `id` is pending.
     * Emits {ProposalApproved}, and {ProposalQueued} on reaching the threshold.
     */
    function approve(uint256 id) external;

    /**
     * @notice Withdraws the caller's approval of pending proposal `id`.
     * @dev Emits {ApprovalRevoked}.
     */
    function revokeApproval(uint256 id) external;

    /**
     * @notice Runs proposal `id` through the authority. A pending proposal with enough approvals
     * (e.g. after the threshold was lowered) is queued first; a delayed call then only gets queued,
     * and runs by a later {execute} once the delay has passed.
     * @dev Requirements: caller is a councillor; the threshold is reached; the delay has passed and
     * no guardian cancelled it. Reverts with the target's own error if the call fails.
     * Emits {ProposalExecuted}, or only {ProposalQueued} when it queued a delayed call.
     */
    function execute(uint256 id) external;

    /**
     * @notice Withdraws (proposer, while pending) or cancels (guardian, pending or queued) proposal `id`.
     * A scheduled call is cancelled with the authority too.
     * @dev Emits {ProposalCancelled}.
     */
    function cancel(uint256 id) external;

    /// @notice Adds `councillor`. Restricted: a change of who governs, so it waits the governance delay.
    function addCouncillor(address councillor) external;

    /// @notice Removes `councillor`; their approvals of pending proposals stop counting. Restricted.
    function removeCouncillor(address councillor) external;

    /// @notice Sets how many approvals a proposal needs. Restricted.
    function setThreshold(uint256 threshold) external;

    /// @notice The stored proposal `id`.
    function getProposal(uint256 id) external view returns (Proposal memory);

    /// @notice Where proposal `id` stands now.
    function state(uint256 id) external view returns (ProposalState);

    /// @notice How many current councillors approved proposal `id`.
    function approvals(uint256 id) external view returns (uint256);

    /// @notice Whether `councillor`, in its current council seat, approved proposal `id`.
    function hasApproved(uint256 id, address councillor) external view returns (bool);

    /// @notice The number of proposals made; ids run from 1 to this.
    function proposalCount() external view returns (uint256);

    /// @notice The current councillors.
    function councillors() external view returns (address[] memory);

    /// @notice Whether `account` is a councillor.
    function isCouncillor(address account) external view returns (bool);

    /// @notice How many approvals a proposal needs.
    function threshold() external view returns (uint256);
}
