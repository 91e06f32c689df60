// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// Medusa finds property tests by their `property_` prefix, which is not mixedCase.
// solhint-disable func-name-mixedcase

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {PausableModule} from "../common/PausableModule.sol";
import {IMemberRegistry} from "../consortium/IMemberRegistry.sol";
import {Council} from "../governance/Council.sol";
import {ICouncil} from "../governance/ICouncil.sol";
import {Roles} from "../governance/Roles.sol";
import {FuzzActor} from "./FuzzActor.sol";
import {FuzzSuite} from "./FuzzSuite.sol";

/**
 * @title ConsortiumFuzz
 * @notice Medusa harness of the consortium layer (DESIGN §3: only the roles named can act; no master key):
 * the real Council (2 of 3) behind its proxy, holding COUNCIL, UPGRADER and ADMIN with the embedded delays,
 * after the handover (the harness keeps no governance role), over the MemberRegistry and GovAuthority.
 * Councillors propose, approve, revoke, execute and cancel random member decisions; every actor tries the
 * registry, the authority and the council directly.
 * @dev Ghost approvals are kept per proposal; when a proposal leaves Pending (queued or run), at least the
 * threshold of distinct councillors must have approved it.
 */
contract ConsortiumFuzz is FuzzSuite {
    uint256 private constant COUNCILLORS = 3;
    uint256 private constant MAX_MEMBERS = 8;
    uint32 private constant UPGRADE_DELAY = 1 days;
    uint32 private constant GOVERNANCE_DELAY = 2 days;

    Council internal immutable COUNCIL;
    FuzzActor internal immutable GUARDIAN;

    FuzzActor[COUNCILLORS] private _councillors;
    mapping(uint256 id => mapping(address councillor => bool)) private _approved;
    mapping(uint256 id => uint256) private _approvals;
    mapping(uint256 id => bool) private _queued;
    bool private _loneDecision;

    constructor() {
        address[] memory seats = new address[](COUNCILLORS);
        for (uint256 i = 0; i < COUNCILLORS; ++i) seats[i] = address(_councillors[i] = _newActor());
        COUNCIL = Council(
            _proxy(address(new Council()), abi.encodeCall(Council.initialize, (address(AUTHORITY), seats, 2)))
        );
        _allowUpgrade(address(COUNCIL));
        _deployed("Council", address(COUNCIL));
        GUARDIAN = _newActor();
        _admit("guardian agency", address(GUARDIAN), Roles.GUARDIAN);
        _admit("notary office", address(_newActor()), Roles.NOTARY);
        _admit("technology exchange centre", address(_newActor()), Roles.TRADING_CENTRE);
        _newActor();
        _newActor();
        AUTHORITY.grantRole(Roles.COUNCIL, address(COUNCIL), 0);
        AUTHORITY.grantRole(Roles.UPGRADER, address(COUNCIL), UPGRADE_DELAY);
        AUTHORITY.grantRole(Roles.ADMIN, address(COUNCIL), GOVERNANCE_DELAY);
        // The handover: from here on only the council governs.
        AUTHORITY.renounceRole(Roles.COUNCIL, address(this));
        AUTHORITY.renounceRole(Roles.ADMIN, address(this));
    }

    // ---- properties ----

    /// @notice The member registry and the authority never disagree on who holds which member role (every
    /// account the harness made, and its own).
    function property_registryAndAuthorityAgree() external view returns (bool) {
        for (uint256 i = 0; i <= _actors.length; ++i) {
            address account = i == _actors.length ? address(this) : address(_actors[i]);
            for (uint64 role = Roles.FIRST_MEMBER_ROLE; role <= Roles.LAST_MEMBER_ROLE; ++role) {
                // Granted at all (`since` set), not "in effect at this block's time": Medusa evaluates properties
                // against the last sealed block, whose time may precede the grant. Member roles have no grant delay.
                (uint48 since, , , ) = AUTHORITY.getAccess(role, account);
                if ((since != 0) != MEMBERS.hasMemberRole(account, role)) return false;
            }
        }
        return true;
    }

    /// @notice DESIGN §1/§3: no key decides alone: every proposal queued or run had the approval of at least
    /// the threshold of distinct councillors.
    function property_noLoneCouncilDecision() external view returns (bool) {
        return !_loneDecision;
    }

    // ---- handlers: the council ----

    /// @notice A councillor (or any actor) proposes the member decision drawn from the seeds.
    function propose(uint8 caller, uint8 action, uint8 member, uint8 role, uint8 account) external {
        FuzzActor actor = caller < 128 ? _councillors[caller % COUNCILLORS] : _actor(caller);
        (address target, bytes memory data) = _decision(action, member, role, account);
        bytes memory call = abi.encodeCall(ICouncil.propose, (target, data, "decision"));
        if (_try(actor, address(COUNCIL), call, _isCouncillor(actor))) _approvedBy(COUNCIL.proposalCount(), actor);
    }

    /// @notice A councillor (or any actor) approves, or revokes its approval of, a proposal.
    function approve(uint8 caller, uint8 proposal, bool revoking) external {
        FuzzActor actor = caller < 128 ? _councillors[caller % COUNCILLORS] : _actor(caller);
        uint256 id = _proposal(proposal);
        bytes memory call =
            revoking ? abi.encodeCall(ICouncil.revokeApproval, (id)) : abi.encodeCall(ICouncil.approve, (id));
        if (!_try(actor, address(COUNCIL), call, _isCouncillor(actor))) return;
        if (!revoking) return _approvedBy(id, actor);
        if (!_approved[id][address(actor)]) return;
        _approved[id][address(actor)] = false;
        --_approvals[id];
    }

    /// @notice A councillor (or any actor) executes a proposal.
    function execute(uint8 caller, uint8 proposal) external {
        FuzzActor actor = caller < 128 ? _councillors[caller % COUNCILLORS] : _actor(caller);
        uint256 id = _proposal(proposal);
        if (_try(actor, address(COUNCIL), abi.encodeCall(ICouncil.execute, (id)), _isCouncillor(actor))) {
            _checkQuorum(id);
        }
    }

    /// @notice The proposer or a guardian (or any actor) cancels a proposal.
    function cancel(uint8 caller, uint8 proposal) external {
        FuzzActor actor = caller < 32 ? GUARDIAN : _actor(caller);
        uint256 id = _proposal(proposal);
        if (id == 0) return;
        bool pending = COUNCIL.state(id) == ICouncil.ProposalState.Pending;
        bool allowed =
            (COUNCIL.getProposal(id).proposer == address(actor) && pending) ||
                MEMBERS.hasMemberRole(address(actor), Roles.GUARDIAN);
        _try(actor, address(COUNCIL), abi.encodeCall(ICouncil.cancel, (id)), allowed);
    }

    // ---- handlers: everyone else ----

    /// @notice A guardian (or any actor) pauses the member registry.
    function pause(uint8 caller) external {
        FuzzActor actor = caller < 32 ? GUARDIAN : _actor(caller);
        bool allowed = MEMBERS.hasMemberRole(address(actor), Roles.GUARDIAN);
        _try(actor, address(MEMBERS), abi.encodeCall(PausableModule.pause, ()), allowed);
    }

    /// @notice Any actor, councillors and guardian included, tries alone what only the council decides:
    /// a member decision at the registry, a role or a permission at the authority, a seat or the threshold.
    function bypass(uint8 caller, uint8 action, uint8 member, uint8 role, uint8 account) external {
        FuzzActor actor = _actor(caller);
        (address target, bytes memory data) = _decision(action, member, role, account);
        uint64 memberRole = Roles.FIRST_MEMBER_ROLE + (role % 8);
        if (action % 16 == 10) {
            (target, data) = (address(AUTHORITY), abi.encodeCall(IAccessManager.execute, (target, data)));
        } else if (action % 16 == 11) {
            data = abi.encodeCall(IAccessManager.grantRole, (memberRole, address(actor), 0));
            target = address(AUTHORITY);
        } else if (action % 16 == 12) {
            data = abi.encodeCall(IAccessManager.grantRole, (Roles.COUNCIL, address(actor), 0));
            target = address(AUTHORITY);
        } else if (action % 16 == 13) {
            data = abi.encodeCall(IAccessManager.setTargetFunctionRole, (address(MEMBERS), _sel(bytes4(data)), 0));
            target = address(AUTHORITY);
        } else if (action % 16 == 14) {
            (target, data) = (address(COUNCIL), abi.encodeCall(ICouncil.addCouncillor, (address(actor))));
        } else if (action % 16 == 15) {
            (target, data) = (address(AUTHORITY), abi.encodeCall(IAccessManager.schedule, (target, data, 0)));
        }
        _try(actor, target, data, false);
    }

    // ---- internals ----

    /// @dev A council decision: a member decision at the registry, an unpause, or a new threshold.
    function _decision(
        uint8 action,
        uint8 member,
        uint8 role,
        uint8 account
    ) private view returns (address target, bytes memory data) {
        uint256 id = 1 + (member % MEMBERS.memberCount());
        uint64 r = Roles.FIRST_MEMBER_ROLE + (role % 9);
        address who = address(_actor(account));
        target = address(MEMBERS);
        uint256 kind = action % 10;
        if (kind == 0) data = abi.encodeCall(IMemberRegistry.suspendMember, (id, "audit"));
        else if (kind == 1) data = abi.encodeCall(IMemberRegistry.reinstateMember, (_suspended(member)));
        else if (kind == 2) data = abi.encodeCall(IMemberRegistry.removeMember, (id, "dissolved"));
        else if (kind == 3) data = abi.encodeCall(IMemberRegistry.grantMemberRole, (id, r));
        else if (kind == 4) data = abi.encodeCall(IMemberRegistry.revokeMemberRole, (id, r));
        else if (kind == 5) data = abi.encodeCall(IMemberRegistry.addAccount, (id, who));
        else if (kind == 6) data = abi.encodeCall(IMemberRegistry.removeAccount, (id, _accountOf(id, account)));
        else if (kind == 7 && MEMBERS.memberCount() < MAX_MEMBERS) data = _admission(who, r);
        else if (kind == 8 || kind == 7) data = abi.encodeCall(PausableModule.unpause, ());
        else (target, data) = (address(COUNCIL), abi.encodeCall(ICouncil.setThreshold, (1 + (role % COUNCILLORS))));
    }

    /// @dev The first suspended member from `seed` on (or the member `seed` picks, if none is).
    function _suspended(uint8 seed) private view returns (uint256) {
        uint256 count = MEMBERS.memberCount();
        for (uint256 i = 0; i < count; ++i) {
            uint256 id = 1 + ((seed + i) % count);
            if (MEMBERS.getMember(id).status == IMemberRegistry.MemberStatus.Suspended) return id;
        }
        return 1 + (seed % count);
    }

    /// @dev An account of member `id` (or any actor, if it has none).
    function _accountOf(uint256 id, uint8 seed) private view returns (address) {
        address[] memory accounts = MEMBERS.accountsOf(id);
        return accounts.length == 0 ? address(_actor(seed)) : accounts[seed % accounts.length];
    }

    function _admission(address account, uint64 role) private pure returns (bytes memory) {
        address[] memory accounts = new address[](1);
        accounts[0] = account;
        uint64[] memory roles = new uint64[](1);
        roles[0] = role;
        return abi.encodeCall(IMemberRegistry.admitMember, ("new member", "documents", accounts, roles));
    }

    /// @dev Records `councillor`'s approval of `id`, then checks the quorum if it left Pending.
    function _approvedBy(uint256 id, FuzzActor councillor) private {
        if (!_approved[id][address(councillor)]) {
            _approved[id][address(councillor)] = true;
            ++_approvals[id];
        }
        _checkQuorum(id);
    }

    /// @dev Once `id` has left Pending for a queue or a run, it must have had the threshold of approvals.
    function _checkQuorum(uint256 id) private {
        if (_queued[id]) return;
        ICouncil.ProposalState state = COUNCIL.state(id);
        if (state == ICouncil.ProposalState.Pending || state == ICouncil.ProposalState.Cancelled) return;
        _queued[id] = true;
        if (_approvals[id] < COUNCIL.threshold()) _loneDecision = true;
    }

    /// @dev A proposal made so far (0 when none).
    function _proposal(uint8 seed) private view returns (uint256) {
        uint256 count = COUNCIL.proposalCount();
        return count == 0 ? 0 : 1 + (seed % count);
    }

    function _isCouncillor(FuzzActor actor) private view returns (bool) {
        for (uint256 i = 0; i < COUNCILLORS; ++i) if (_councillors[i] == actor) return true;
        return false;
    }
}
