// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {GovernedUpgradeable} from "../common/GovernedUpgradeable.sol";
import {ICouncil} from "./ICouncil.sol";
import {Roles} from "./Roles.sol";

/**
 * @title Council
 * @notice The k-of-n council that holds the governance roles of the suite's {GovAuthority}. It adds
 * what the authority lacks: no single key decides; `threshold` councillors must approve each call.
 * @dev Every call runs through {IAccessManager-execute}, so the authority enforces the role and delay
 * of the target function; a guardian of that role can cancel a scheduled call at the authority. The
 * council is deliberately not pausable: unpausing the suite needs it.
 */
contract Council is ICouncil, GovernedUpgradeable {
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @notice The most councillors the council can have (approvals are counted over all of them).
    uint256 public constant MAX_COUNCILLORS = 32;

    /// @custom:storage-location erc7201:govledger.storage.Council
    struct CouncilStorage {
        EnumerableSet.AddressSet councillors;
        uint256 threshold;
        uint256 proposalCount;
        mapping(uint256 id => Proposal) proposals;
        /// @dev Seat number of each councillor at approval time; an approval counts only for the same seat, so a
        /// councillor removed and seated again does not bring back old approvals.
        mapping(uint256 id => mapping(address councillor => uint256 seat)) approvedInSeat;
        mapping(address councillor => uint256) seat;
        uint256 seatCount;
    }

    // keccak256(abi.encode(uint256(keccak256("govledger.storage.Council")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0xe302d7b90cdbb777da49e5dacb919366137b714e6119a575d53c4266145e1100;

    modifier onlyCouncillor() {
        _checkCouncillor(msg.sender);
        _;
    }

    /**
     * @notice Sets up the council under `authority` with `initialCouncillors`, needing `initialThreshold`
     * approvals per proposal.
     */
    function initialize(
        address authority,
        address[] calldata initialCouncillors,
        uint256 initialThreshold
    ) external initializer {
        __Governed_init(authority);
        for (uint256 i = 0; i < initialCouncillors.length; ++i) {
            _addCouncillor(initialCouncillors[i]);
        }
        _setThreshold(initialThreshold);
    }

    /// @inheritdoc GovernedUpgradeable
    function version() external pure override returns (string memory) {
        return "1.0.0";
    }

    /// @inheritdoc ICouncil
    function propose(
        address target,
        bytes calldata data,
        string calldata description
    ) external onlyCouncillor returns (uint256 id) {
        if (target == address(0) || data.length < 4) revert CouncilInvalidCall(target, data.length);
        CouncilStorage storage $ = _storage();
        id = ++$.proposalCount;
        Proposal storage p = $.proposals[id];
        p.target = target;
        p.selector = bytes4(data);
        p.proposer = msg.sender;
        p.createdAt = _now();
        p.data = data;
        p.description = description;
        emit ProposalCreated(id, msg.sender, target, data, description);
        _approve(id, msg.sender);
    }

    /// @inheritdoc ICouncil
    function approve(uint256 id) external onlyCouncillor {
        _requireState(id, ProposalState.Pending);
        if (hasApproved(id, msg.sender)) revert CouncilAlreadyApproved(id, msg.sender);
        _approve(id, msg.sender);
    }

    /// @inheritdoc ICouncil
    function revokeApproval(uint256 id) external onlyCouncillor {
        _requireState(id, ProposalState.Pending);
        CouncilStorage storage $ = _storage();
        if (!hasApproved(id, msg.sender)) revert CouncilNotApproved(id, msg.sender);
        delete $.approvedInSeat[id][msg.sender];
        emit ApprovalRevoked(id, msg.sender, approvals(id));
    }

    /// @inheritdoc ICouncil
    function execute(uint256 id) external onlyCouncillor {
        ProposalState current = state(id);
        if (current == ProposalState.Pending) {
            uint256 count = approvals(id);
            uint256 needed = _storage().threshold;
            if (count < needed) revert CouncilQuorumNotReached(id, count, needed);
            _queue(id);
            current = state(id);
            // A delayed call was scheduled just now: keep the schedule (a revert would undo it).
            if (current == ProposalState.Queued) return;
        }
        Proposal storage p = _storage().proposals[id];
        if (current == ProposalState.Queued) revert CouncilProposalNotReady(id, p.readyAt);
        if (current != ProposalState.Ready) revert CouncilUnexpectedState(id, current);
        p.executed = true;
        IAccessManager(authority()).execute(p.target, p.data);
        emit ProposalExecuted(id, msg.sender);
    }

    /// @inheritdoc ICouncil
    function cancel(uint256 id) external {
        ProposalState current = state(id);
        Proposal storage p = _storage().proposals[id];
        bool byProposer = msg.sender == p.proposer && current == ProposalState.Pending;
        bool byGuardian =
            _isGuardian(msg.sender) &&
                (current == ProposalState.Pending || current == ProposalState.Queued || current == ProposalState.Ready);
        if (!byProposer && !byGuardian) revert CouncilCancelNotAllowed(id, msg.sender);
        p.cancelled = true;
        if (p.scheduled) IAccessManager(authority()).cancel(address(this), p.target, p.data);
        emit ProposalCancelled(id, msg.sender);
    }

    /// @inheritdoc ICouncil
    function addCouncillor(address councillor) external restricted {
        _addCouncillor(councillor);
    }

    /// @inheritdoc ICouncil
    function removeCouncillor(address councillor) external restricted {
        CouncilStorage storage $ = _storage();
        if (!$.councillors.remove(councillor)) revert CouncilNotCouncillor(councillor);
        if ($.threshold > $.councillors.length()) {
            revert CouncilInvalidThreshold($.threshold, $.councillors.length());
        }
        emit CouncillorRemoved(councillor);
    }

    /// @inheritdoc ICouncil
    function setThreshold(uint256 newThreshold) external restricted {
        _setThreshold(newThreshold);
    }

    /// @inheritdoc ICouncil
    function getProposal(uint256 id) external view returns (Proposal memory) {
        _requireExists(id);
        return _storage().proposals[id];
    }

    /// @inheritdoc ICouncil
    function state(uint256 id) public view returns (ProposalState) {
        _requireExists(id);
        Proposal storage p = _storage().proposals[id];
        if (p.executed) return ProposalState.Executed;
        if (p.cancelled) return ProposalState.Cancelled;
        if (p.readyAt == 0) return ProposalState.Pending;
        if (p.scheduled) {
            IAccessManager manager = IAccessManager(authority());
            bytes32 operationId = manager.hashOperation(address(this), p.target, p.data);
            if (manager.getNonce(operationId) != p.scheduleNonce || manager.getSchedule(operationId) == 0) {
                // The authority forgets a schedule when a guardian cancels it or when it expires; a later
                // schedule of the same call (a new nonce) belongs to another proposal.
                return _now() >= p.readyAt + manager.expiration() ? ProposalState.Expired : ProposalState.Cancelled;
            }
        }
        return _now() < p.readyAt ? ProposalState.Queued : ProposalState.Ready;
    }

    /// @inheritdoc ICouncil
    function approvals(uint256 id) public view returns (uint256 count) {
        CouncilStorage storage $ = _storage();
        uint256 n = $.councillors.length();
        for (uint256 i = 0; i < n; ++i) {
            if (hasApproved(id, $.councillors.at(i))) ++count;
        }
    }

    /// @inheritdoc ICouncil
    function hasApproved(uint256 id, address councillor) public view returns (bool) {
        CouncilStorage storage $ = _storage();
        uint256 seat = $.seat[councillor];
        return seat != 0 && $.approvedInSeat[id][councillor] == seat && $.councillors.contains(councillor);
    }

    /// @inheritdoc ICouncil
    function proposalCount() external view returns (uint256) {
        return _storage().proposalCount;
    }

    /// @inheritdoc ICouncil
    function councillors() external view returns (address[] memory) {
        return _storage().councillors.values();
    }

    /// @inheritdoc ICouncil
    function isCouncillor(address account) public view returns (bool) {
        return _storage().councillors.contains(account);
    }

    /// @inheritdoc ICouncil
    function threshold() external view returns (uint256) {
        return _storage().threshold;
    }

    function _approve(uint256 id, address councillor) private {
        CouncilStorage storage $ = _storage();
        $.approvedInSeat[id][councillor] = $.seat[councillor];
        uint256 count = approvals(id);
        emit ProposalApproved(id, councillor, count);
        if (count >= $.threshold) _queue(id);
    }

    /// @dev Starts the delay clock: a delayed call is scheduled with the authority now. A call the
    /// authority lets the council make at once needs no schedule. The authority's own functions are not
    /// described by `canCall`; for them, its refusal to schedule an undelayed call tells them apart.
    function _queue(uint256 id) private {
        Proposal storage p = _storage().proposals[id];
        IAccessManager manager = IAccessManager(authority());
        (bool immediate, ) = manager.canCall(address(this), p.target, p.selector);
        if (immediate) {
            p.readyAt = _now();
            emit ProposalQueued(id, p.readyAt, false);
            return;
        }
        try manager.schedule(p.target, p.data, 0) returns (bytes32 operationId, uint32 nonce) {
            p.scheduled = true;
            p.scheduleNonce = nonce;
            p.readyAt = manager.getSchedule(operationId);
        } catch (bytes memory reason) {
            if (bytes4(reason) != IAccessManager.AccessManagerUnauthorizedCall.selector) _bubble(reason);
            p.readyAt = _now();
        }
        emit ProposalQueued(id, p.readyAt, p.scheduled);
    }

    function _addCouncillor(address councillor) private {
        CouncilStorage storage $ = _storage();
        if (councillor == address(0) || !$.councillors.add(councillor)) revert CouncilInvalidCouncillor(councillor);
        $.seat[councillor] = ++$.seatCount;
        if ($.councillors.length() > MAX_COUNCILLORS) revert CouncilTooManyCouncillors(MAX_COUNCILLORS);
        emit CouncillorAdded(councillor);
    }

    function _setThreshold(uint256 newThreshold) private {
        CouncilStorage storage $ = _storage();
        uint256 n = $.councillors.length();
        if (newThreshold == 0 || newThreshold > n) revert CouncilInvalidThreshold(newThreshold, n);
        emit ThresholdChanged($.threshold, newThreshold);
        $.threshold = newThreshold;
    }

    function _isGuardian(address account) private view returns (bool isGuardian) {
        (isGuardian, ) = IAccessManager(authority()).hasRole(Roles.GUARDIAN, account);
    }

    function _checkCouncillor(address account) private view {
        if (!isCouncillor(account)) revert CouncilNotCouncillor(account);
    }

    function _requireState(uint256 id, ProposalState expected) private view {
        ProposalState current = state(id);
        if (current != expected) revert CouncilUnexpectedState(id, current);
    }

    function _requireExists(uint256 id) private view {
        if (id == 0 || id > _storage().proposalCount) revert CouncilUnknownProposal(id);
    }

    function _bubble(bytes memory reason) private pure {
        /// @solidity memory-safe-assembly
        assembly {
            revert(add(reason, 0x20), mload(reason))
        }
    }

    function _storage() private pure returns (CouncilStorage storage $) {
        /// @solidity memory-safe-assembly
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
