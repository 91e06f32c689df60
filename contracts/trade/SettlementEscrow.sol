// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IIdentityRegistry} from "../identity/IIdentityRegistry.sol";
import {Scopes} from "../identity/Scopes.sol";
import {ISettlementEscrow} from "./ISettlementEscrow.sol";

/**
 * @title SettlementEscrow
 * @notice Milestone escrow with split releases and pull payments. See {ISettlementEscrow}.
 * @dev Deliberately not upgradeable: no governance decision can change the code that holds the
 * parties' money. Who opens escrows, rules disputes and pauses still comes from the authority.
 * Every entry point that moves tokens is `nonReentrant` and changes state before it calls the token;
 * a payment in is measured by the escrow's balance, so a token taking a fee on transfer is refused
 * rather than leaving the escrow short.
 */
contract SettlementEscrow is ISettlementEscrow, AccessManaged, ERC2771Context, Pausable, ReentrancyGuard, EIP712 {
    using SafeERC20 for IERC20;

    uint256 public constant MAX_MILESTONES = 12;
    uint256 public constant MAX_PAYEES = 16;
    uint16 private constant WHOLE = 10_000;
    bytes32 private constant SETTLEMENT_TYPEHASH = keccak256(
        "Settlement(uint256 escrow,uint8 milestone,uint128 toBuyer,uint48 deadline)"
    );

    /// @dev A milestone's terms and status in one slot.
    struct MilestoneRecord {
        uint128 amount;
        uint48 due;
        MilestoneStatus status;
    }

    /// @notice The identity module, whose DIDs are the parties.
    IIdentityRegistry public immutable IDENTITY;

    mapping(uint256 id => Escrow) private _escrows;
    mapping(uint256 id => mapping(uint256 index => MilestoneRecord)) private _milestones;
    mapping(uint256 id => mapping(uint256 index => Share)) private _holders;
    mapping(uint256 id => mapping(uint256 index => uint64)) private _inventors;
    mapping(IERC20 token => mapping(uint64 did => uint256)) private _balances;
    mapping(IERC20 token => uint256) private _held;
    mapping(IERC20 token => uint256) private _owed;
    uint256 private _count;
    uint16 private _inventorFloor;

    constructor(
        address authority,
        IIdentityRegistry identity,
        address forwarder,
        uint16 floor
    ) AccessManaged(authority) ERC2771Context(forwarder) EIP712("govledger-escrow", "1") {
        IDENTITY = identity;
        _setInventorFloor(floor);
    }

    /// @notice Version of this contract.
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    /// @inheritdoc ISettlementEscrow
    function open(Terms calldata t) external restricted whenNotPaused returns (uint256 id) {
        return _open(t, _activeDidOf(_msgSender()));
    }

    /// @inheritdoc ISettlementEscrow
    function openFor(
        Terms calldata t,
        uint64 centre,
        uint128 prefunded
    ) external restricted nonReentrant whenNotPaused returns (uint256 id) {
        _checkActive(centre);
        id = _open(t, centre);
        if (prefunded == 0) return id;
        MilestoneRecord storage m = _milestones[id][0];
        if (m.amount != prefunded) revert EscrowInvalidPrefund(prefunded, m.amount);
        m.status = MilestoneStatus.Funded;
        _pay(t.token, prefunded);
        emit MilestoneFunded(id, 0, t.buyer, prefunded);
    }

    /// @inheritdoc ISettlementEscrow
    function fund(uint256 id, uint8 milestone, uint64 asDid) external nonReentrant whenNotPaused {
        _fund(id, milestone, asDid);
    }

    /// @inheritdoc ISettlementEscrow
    function fundWithPermit(
        uint256 id,
        uint8 milestone,
        uint64 asDid,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant whenNotPaused {
        Escrow storage e = _escrow(id);
        uint128 amount = _milestone(id, e, milestone).amount;
        // A permit front-run by someone else still leaves the allowance: go on and let the transfer decide.
        try IERC20Permit(address(e.token)).permit(_msgSender(), address(this), amount, deadline, v, r, s) {} catch {} // solhint-disable-line no-empty-blocks
        _fund(id, milestone, asDid);
    }

    /// @inheritdoc ISettlementEscrow
    function confirm(uint256 id, uint8 milestone, uint64 asDid) external nonReentrant whenNotPaused {
        uint64 actor = _actingFor(asDid);
        Escrow storage e = _escrow(id);
        if (asDid != e.buyer && asDid != e.centre) revert EscrowNotParty(id, asDid);
        MilestoneRecord storage m = _inStatus(id, e, milestone, MilestoneStatus.Funded);
        m.status = MilestoneStatus.Released;
        _held[e.token] -= m.amount;
        _split(id, e, m.amount);
        emit MilestoneReleased(id, milestone, actor, m.amount);
    }

    /// @inheritdoc ISettlementEscrow
    function reclaim(uint256 id, uint8 milestone, uint64 asDid) external nonReentrant whenNotPaused {
        uint64 actor = _actingFor(asDid);
        Escrow storage e = _escrow(id);
        if (asDid != e.buyer) revert EscrowNotParty(id, asDid);
        MilestoneRecord storage m = _inStatus(id, e, milestone, MilestoneStatus.Funded);
        if (_now() <= m.due) revert EscrowNotDue(id, milestone, m.due);
        m.status = MilestoneStatus.Refunded;
        _held[e.token] -= m.amount;
        _credit(id, e.token, e.buyer, m.amount);
        emit MilestoneReclaimed(id, milestone, actor, m.amount);
    }

    /// @inheritdoc ISettlementEscrow
    function dispute(
        uint256 id,
        uint8 milestone,
        uint64 asDid,
        bytes32 reasonHash
    ) external nonReentrant whenNotPaused {
        uint64 actor = _actingFor(asDid);
        Escrow storage e = _escrow(id);
        if (asDid != e.buyer && asDid != e.seller) revert EscrowNotParty(id, asDid);
        _inStatus(id, e, milestone, MilestoneStatus.Funded).status = MilestoneStatus.Disputed;
        emit MilestoneDisputed(id, milestone, actor, reasonHash);
    }

    /// @inheritdoc ISettlementEscrow
    function rule(
        uint256 id,
        uint8 milestone,
        uint128 toBuyer,
        bytes32 caseRef
    ) external restricted nonReentrant whenNotPaused {
        if (caseRef == bytes32(0)) revert EscrowNoCase();
        _resolve(id, milestone, toBuyer, _activeDidOf(_msgSender()), caseRef);
    }

    /// @inheritdoc ISettlementEscrow
    function settle(
        uint256 id,
        uint8 milestone,
        uint128 toBuyer,
        uint48 deadline,
        address buyerSigner,
        bytes calldata buyerSignature,
        address sellerSigner,
        bytes calldata sellerSignature
    ) external nonReentrant whenNotPaused {
        if (deadline < _now()) revert EscrowSettlementExpired(deadline);
        Escrow storage e = _escrow(id);
        bytes32 digest = _settlementHash(id, milestone, toBuyer, deadline);
        _checkSignature(e.buyer, buyerSigner, digest, buyerSignature);
        _checkSignature(e.seller, sellerSigner, digest, sellerSignature);
        (uint64 actor, ) = IDENTITY.didOf(_msgSender());
        _resolve(id, milestone, toBuyer, actor, bytes32(0));
    }

    /// @inheritdoc ISettlementEscrow
    function withdraw(
        IERC20 token,
        uint64 did,
        address to
    ) external nonReentrant whenNotPaused returns (uint256 amount) {
        _actingFor(did);
        amount = _balances[token][did];
        if (amount == 0) revert EscrowNothingToWithdraw(did, token);
        _balances[token][did] = 0;
        _owed[token] -= amount;
        emit Withdrawn(did, token, to, amount);
        token.safeTransfer(to, amount);
    }

    /// @inheritdoc ISettlementEscrow
    function reassignBalance(
        IERC20 token,
        uint64 from,
        uint64 to,
        bytes32 caseRef
    ) external restricted nonReentrant whenNotPaused returns (uint256 amount) {
        if (caseRef == bytes32(0)) revert EscrowNoCase();
        uint64 actor = _activeDidOf(_msgSender());
        IIdentityRegistry.DidStatus status = IDENTITY.statusOf(from);
        if (status != IIdentityRegistry.DidStatus.Deactivated) revert EscrowNotDeactivated(from, status);
        _checkActive(to);
        amount = _balances[token][from];
        if (amount == 0) revert EscrowNothingToWithdraw(from, token);
        _balances[token][from] = 0;
        _balances[token][to] += amount;
        emit BalanceReassigned(from, to, token, actor, amount, caseRef);
    }

    /// @inheritdoc ISettlementEscrow
    function setInventorFloor(uint16 bps) external restricted {
        _setInventorFloor(bps);
    }

    /// @notice Stops every state change until {unpause}. Guardian only.
    function pause() external restricted {
        _pause();
    }

    /// @notice Resumes state changes. Council only.
    function unpause() external restricted {
        _unpause();
    }

    // ---- reads ----

    /// @inheritdoc ISettlementEscrow
    function escrowOf(uint256 id) external view returns (Escrow memory) {
        return _escrow(id);
    }

    /// @inheritdoc ISettlementEscrow
    function milestoneOf(
        uint256 id,
        uint8 milestone
    ) external view returns (Milestone memory terms, MilestoneStatus status) {
        MilestoneRecord storage m = _milestone(id, _escrow(id), milestone);
        return (Milestone(m.amount, m.due), m.status);
    }

    /// @inheritdoc ISettlementEscrow
    function payeesOf(uint256 id) external view returns (Share[] memory holders, uint64[] memory inventors) {
        Escrow storage e = _escrow(id);
        holders = new Share[](e.holderCount);
        for (uint256 i = 0; i < holders.length; ++i) holders[i] = _holders[id][i];
        inventors = new uint64[](e.inventorCount);
        for (uint256 i = 0; i < inventors.length; ++i) inventors[i] = _inventors[id][i];
    }

    /// @inheritdoc ISettlementEscrow
    function balanceOf(IERC20 token, uint64 did) external view returns (uint256) {
        return _balances[token][did];
    }

    /// @inheritdoc ISettlementEscrow
    function liabilities(IERC20 token) external view returns (uint256 held, uint256 owed) {
        return (_held[token], _owed[token]);
    }

    /// @inheritdoc ISettlementEscrow
    function inventorFloor() external view returns (uint16) {
        return _inventorFloor;
    }

    /// @inheritdoc ISettlementEscrow
    function escrowCount() external view returns (uint256) {
        return _count;
    }

    /// @inheritdoc ISettlementEscrow
    function settlementHash(
        uint256 id,
        uint8 milestone,
        uint128 toBuyer,
        uint48 deadline
    ) external view returns (bytes32) {
        return _settlementHash(id, milestone, toBuyer, deadline);
    }

    // ---- internals ----

    function _open(Terms calldata t, uint64 centre) private returns (uint256 id) {
        if (address(t.token) == address(0) || t.dealRef == bytes32(0) || t.buyer == t.seller) {
            revert EscrowInvalidTerms();
        }
        _checkActive(t.buyer);
        _checkActive(t.seller);
        if (t.broker != 0) _checkActive(t.broker);
        _checkSplit(t);
        id = ++_count;
        uint256 total = _storeSchedule(id, t.milestones);
        _storePayees(id, t.holders, t.inventors);
        _escrows[id] = Escrow({
            token: t.token,
            buyer: t.buyer,
            centreFeeBps: t.centreFeeBps,
            brokerBps: t.brokerBps,
            seller: t.seller,
            centre: centre,
            broker: t.broker,
            inventorBps: t.inventorBps,
            milestoneCount: uint8(t.milestones.length),
            holderCount: uint8(t.holders.length),
            inventorCount: uint8(t.inventors.length),
            dealRef: t.dealRef
        });
        emit EscrowOpened(id, t.dealRef, centre, t.buyer, t.seller, t.token, total);
    }

    function _fund(uint256 id, uint8 milestone, uint64 asDid) private {
        uint64 actor = _actingFor(asDid);
        Escrow storage e = _escrow(id);
        if (asDid != e.buyer) revert EscrowNotParty(id, asDid);
        MilestoneRecord storage m = _inStatus(id, e, milestone, MilestoneStatus.Awaiting);
        uint128 amount = m.amount;
        m.status = MilestoneStatus.Funded;
        _pay(e.token, amount);
        emit MilestoneFunded(id, milestone, actor, amount);
    }

    /// @dev Takes `amount` of `token` from the caller into the held funds; refuses a short payment.
    function _pay(IERC20 token, uint128 amount) private {
        _held[token] += amount;
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(_msgSender(), address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received != amount) revert EscrowShortPayment(amount, received);
    }

    function _resolve(uint256 id, uint8 milestone, uint128 toBuyer, uint64 actor, bytes32 caseRef) private {
        Escrow storage e = _escrow(id);
        MilestoneRecord storage m = _inStatus(id, e, milestone, MilestoneStatus.Disputed);
        uint128 amount = m.amount;
        if (toBuyer > amount) revert EscrowInvalidResolution(toBuyer, amount);
        m.status = MilestoneStatus.Resolved;
        _held[e.token] -= amount;
        if (toBuyer != 0) _credit(id, e.token, e.buyer, toBuyer);
        uint128 released = amount - toBuyer;
        if (released != 0) _split(id, e, released);
        emit MilestoneResolved(id, milestone, actor, toBuyer, released, caseRef);
    }

    /// @dev Splits `amount`: centre fee, broker commission, inventors' pool (equal parts, dust to the
    /// first inventor), the rest to the holders by share (dust to the first holder). Credits exactly `amount`.
    function _split(uint256 id, Escrow storage e, uint256 amount) private {
        IERC20 token = e.token;
        uint256 centreFee = (amount * e.centreFeeBps) / WHOLE;
        uint256 brokerFee = (amount * e.brokerBps) / WHOLE;
        uint256 pool = (amount * e.inventorBps) / WHOLE;
        _credit(id, token, e.centre, centreFee);
        if (e.broker != 0) _credit(id, token, e.broker, brokerFee);
        uint256 inventors = e.inventorCount;
        if (pool != 0) {
            uint256 each = pool / inventors;
            for (uint256 i = 1; i < inventors; ++i) _credit(id, token, _inventors[id][i], each);
            _credit(id, token, _inventors[id][0], pool - each * (inventors - 1));
        }
        uint256 rest = amount - centreFee - brokerFee - pool;
        uint256 paid;
        uint256 holders = e.holderCount;
        for (uint256 i = 1; i < holders; ++i) {
            Share memory h = _holders[id][i];
            uint256 part = (rest * h.bps) / WHOLE;
            paid += part;
            _credit(id, token, h.did, part);
        }
        _credit(id, token, _holders[id][0].did, rest - paid);
    }

    function _credit(uint256 id, IERC20 token, uint64 did, uint256 amount) private {
        if (amount == 0) return;
        _balances[token][did] += amount;
        _owed[token] += amount;
        emit Credited(id, did, token, amount);
    }

    function _checkSplit(Terms calldata t) private view {
        uint16 floor = _inventorFloor;
        bool inventorsOk = t.inventors.length == 0 ? t.inventorBps == 0 : t.inventorBps >= floor;
        if (
            uint256(t.centreFeeBps) + t.brokerBps + t.inventorBps >= WHOLE ||
            (t.broker == 0 && t.brokerBps != 0) ||
            !inventorsOk
        ) revert EscrowInvalidSplit(t.centreFeeBps, t.brokerBps, t.inventorBps, floor);
    }

    function _storeSchedule(uint256 id, Milestone[] calldata schedule) private returns (uint256 total) {
        if (schedule.length == 0 || schedule.length > MAX_MILESTONES) {
            revert EscrowInvalidSchedule(schedule.length, MAX_MILESTONES);
        }
        // The first due time is in the future; each next one is not earlier than the one before.
        uint48 previous = _now() + 1;
        for (uint256 i = 0; i < schedule.length; ++i) {
            Milestone calldata m = schedule[i];
            if (m.amount == 0 || m.due < previous) revert EscrowInvalidSchedule(schedule.length, MAX_MILESTONES);
            previous = m.due;
            total += m.amount;
            _milestones[id][i] = MilestoneRecord(m.amount, m.due, MilestoneStatus.Awaiting);
        }
    }

    function _storePayees(uint256 id, Share[] calldata holders, uint64[] calldata inventors) private {
        if (holders.length == 0 || holders.length > MAX_PAYEES || inventors.length > MAX_PAYEES) {
            revert EscrowInvalidShares(0);
        }
        uint256 sum;
        for (uint256 i = 0; i < holders.length; ++i) {
            uint64 did = holders[i].did;
            if (holders[i].bps == 0) revert EscrowInvalidShares(sum);
            for (uint256 j = 0; j < i; ++j) if (holders[j].did == did) revert EscrowInvalidShares(sum);
            _checkActive(did);
            sum += holders[i].bps;
            _holders[id][i] = holders[i];
        }
        if (sum != WHOLE) revert EscrowInvalidShares(sum);
        for (uint256 i = 0; i < inventors.length; ++i) {
            for (uint256 j = 0; j < i; ++j) if (inventors[j] == inventors[i]) revert EscrowInvalidShares(WHOLE);
            _checkActive(inventors[i]);
            _inventors[id][i] = inventors[i];
        }
    }

    function _checkSignature(uint64 did, address signer, bytes32 digest, bytes calldata signature) private view {
        if (
            !IDENTITY.isActingFor(signer, did, Scopes.PAYMENT) ||
            !SignatureChecker.isValidSignatureNow(signer, digest, signature)
        ) revert EscrowInvalidSignature(did, signer);
    }

    function _setInventorFloor(uint16 bps) private {
        if (bps >= WHOLE) revert EscrowInvalidFloor(bps);
        _inventorFloor = bps;
        emit InventorFloorSet(bps);
    }

    function _escrow(uint256 id) private view returns (Escrow storage e) {
        e = _escrows[id];
        if (e.buyer == 0) revert EscrowUnknown(id);
    }

    function _milestone(uint256 id, Escrow storage e, uint8 milestone) private view returns (MilestoneRecord storage) {
        if (milestone >= e.milestoneCount) revert EscrowUnknownMilestone(id, milestone);
        return _milestones[id][milestone];
    }

    function _inStatus(
        uint256 id,
        Escrow storage e,
        uint8 milestone,
        MilestoneStatus expected
    ) private view returns (MilestoneRecord storage m) {
        m = _milestone(id, e, milestone);
        if (m.status != expected) revert EscrowUnexpectedStatus(id, milestone, m.status);
    }

    function _settlementHash(
        uint256 id,
        uint8 milestone,
        uint128 toBuyer,
        uint48 deadline
    ) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(SETTLEMENT_TYPEHASH, id, milestone, toBuyer, deadline)));
    }

    /// @dev The caller's own DID, after checking it acts for `did` (PAYMENT scope).
    function _actingFor(uint64 did) private view returns (uint64) {
        return IDENTITY.requireActingFor(_msgSender(), did, Scopes.PAYMENT, 0);
    }

    function _activeDidOf(address account) private view returns (uint64 did) {
        (did, ) = IDENTITY.didOf(account);
        _checkActive(did);
    }

    function _checkActive(uint64 did) private view {
        if (did == 0 || IDENTITY.statusOf(did) != IIdentityRegistry.DidStatus.Active) revert EscrowInactiveParty(did);
    }

    /// @dev The current time in seconds: the seam for chains whose clock differs.
    function _now() private view returns (uint48) {
        return uint48(block.timestamp);
    }

    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
