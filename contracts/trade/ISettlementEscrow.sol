// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IIdentityRegistry} from "../identity/IIdentityRegistry.sol";

/**
 * @title ISettlementEscrow
 * @notice Escrowed settlement of a confirmed technology deal (成交确认书), milestone by milestone, in an
 * ERC-20 settlement token (no native value). The trading centre opens an escrow with the deal's
 * payment schedule and split; the buyer funds each milestone (approve or EIP-2612 permit); the buyer
 * or the centre confirms it and its funds are split into balances; after a missed due time the buyer
 * may reclaim it; either side may dispute it, which freezes it until an arbitrator rules a split or
 * both sides sign a settlement. Every party withdraws its own balance (pull payments).
 * @dev The split of every release: the centre's fee, the broker's commission and the inventors'
 * reward share (at least the council's floor) come off the top; the rest goes to the income-right
 * holders by share. Rounding dust of the inventors' pool goes to the first inventor, of the holders'
 * part to the first holder. Balances are kept per DID, so a rotated key strands nothing.
 * Invariant: for every token, the escrow's balance equals what it holds (funded or disputed
 * milestones) plus what it owes (balances).
 */
interface ISettlementEscrow {
    enum MilestoneStatus {
        None,
        /// Not funded yet.
        Awaiting,
        Funded,
        /// Confirmed: split into balances.
        Released,
        /// Reclaimed by the buyer after its due time.
        Refunded,
        /// Frozen until a ruling or a settlement.
        Disputed,
        /// Split by a ruling or a settlement.
        Resolved
    }

    /// @notice A payment due: amount in token units, and the time after which an unconfirmed,
    /// undisputed funded milestone may be reclaimed by the buyer.
    struct Milestone {
        uint128 amount;
        uint48 due;
    }

    /// @notice A payee of the holders' part and its share in basis points.
    struct Share {
        uint64 did;
        uint16 bps;
    }

    /// @notice What the trading centre opens an escrow with.
    struct Terms {
        IERC20 token;
        /// @dev Hash of the deal confirmation (成交确认书).
        bytes32 dealRef;
        uint64 buyer;
        /// @dev The seller side's DID (the lister: disposal-right holder or its broker's principal):
        /// it may dispute and sign settlements.
        uint64 seller;
        /// @dev A broker's DID, or 0.
        uint64 broker;
        uint16 centreFeeBps;
        uint16 brokerBps;
        uint16 inventorBps;
        /// @dev The income-right holders; shares sum to 10,000.
        Share[] holders;
        uint64[] inventors;
        Milestone[] milestones;
    }

    /// @notice An escrow as stored.
    struct Escrow {
        IERC20 token;
        uint64 buyer;
        uint16 centreFeeBps;
        uint16 brokerBps;
        uint64 seller;
        uint64 centre;
        uint64 broker;
        uint16 inventorBps;
        uint8 milestoneCount;
        uint8 holderCount;
        uint8 inventorCount;
        bytes32 dealRef;
    }

    /// @notice Emitted when centre DID `centre` opens escrow `id` for deal `dealRef`.
    event EscrowOpened(
        uint256 indexed id,
        bytes32 indexed dealRef,
        uint64 indexed centre,
        uint64 buyer,
        uint64 seller,
        IERC20 token,
        uint256 total
    );
    /// @notice Emitted when milestone `milestone` of `id` is funded with `amount`; `actor` acts for the buyer.
    event MilestoneFunded(uint256 indexed id, uint8 indexed milestone, uint64 indexed actor, uint128 amount);
    /// @notice Emitted when milestone `milestone` of `id` is confirmed and split.
    event MilestoneReleased(uint256 indexed id, uint8 indexed milestone, uint64 indexed actor, uint128 amount);
    /// @notice Emitted when the buyer reclaims milestone `milestone` of `id` after its due time.
    event MilestoneReclaimed(uint256 indexed id, uint8 indexed milestone, uint64 indexed actor, uint128 amount);
    /// @notice Emitted when a side disputes milestone `milestone` of `id`.
    event MilestoneDisputed(uint256 indexed id, uint8 indexed milestone, uint64 indexed actor, bytes32 reasonHash);
    /// @notice Emitted when a disputed milestone is split: `toBuyer` back to the buyer, the rest released;
    /// by an arbitrator's ruling (`caseRef`) or both sides' settlement (`caseRef` 0; `actor` is then the
    /// sender's DID, 0 if it has none: the signatures carry the authority).
    event MilestoneResolved(
        uint256 indexed id,
        uint8 indexed milestone,
        uint64 indexed actor,
        uint128 toBuyer,
        uint128 released,
        bytes32 caseRef
    );
    /// @notice Emitted for each balance credited: `did` may withdraw `amount` more of `token`.
    event Credited(uint256 indexed id, uint64 indexed did, IERC20 indexed token, uint256 amount);
    /// @notice Emitted when `did`'s whole balance of `token` is paid to `to`.
    event Withdrawn(uint64 indexed did, IERC20 indexed token, address indexed to, uint256 amount);
    /// @notice Emitted when an arbitrator, in case `caseRef`, moves the balance of deactivated DID `from`
    /// (whose keys can never withdraw again) to its successor `to`.
    event BalanceReassigned(
        uint64 indexed from,
        uint64 indexed to,
        IERC20 indexed token,
        uint64 actor,
        uint256 amount,
        bytes32 caseRef
    );
    /// @notice Emitted when the council sets the inventors' reward floor.
    event InventorFloorSet(uint16 bps);

    /// @notice Thrown when no escrow has id `id`.
    error EscrowUnknown(uint256 id);
    /// @notice Thrown when escrow `id` has no milestone `milestone`.
    error EscrowUnknownMilestone(uint256 id, uint8 milestone);
    /// @notice Thrown when milestone `milestone` of `id` is `status`, where the call is not allowed.
    error EscrowUnexpectedStatus(uint256 id, uint8 milestone, MilestoneStatus status);
    /// @notice Thrown when the terms name no token, no deal, or a party that is not an active DID.
    error EscrowInvalidTerms();
    /// @notice Thrown when `did` is not an active DID.
    error EscrowInactiveParty(uint64 did);
    /// @notice Thrown when a schedule has no milestone, more than `max`, a zero amount, a due time
    /// earlier than the one before, or a first due time not after now.
    error EscrowInvalidSchedule(uint256 count, uint256 max);
    /// @notice Thrown when fees leave nothing to the holders, a broker's commission names no broker,
    /// or the inventors' share is below the floor `floor` (or set without inventors).
    error EscrowInvalidSplit(uint16 centreFeeBps, uint16 brokerBps, uint16 inventorBps, uint16 floor);
    /// @notice Thrown when holders' shares sum to `sum`, not 10,000, or a list is empty, too long or repeats a DID.
    error EscrowInvalidShares(uint256 sum);
    /// @notice Thrown when the escrow received `received` of `token` for a payment of `expected`
    /// (a token that takes a fee on transfer).
    error EscrowShortPayment(uint256 expected, uint256 received);
    /// @notice Thrown when `did` may not do this on escrow `id` (not its buyer, centre or seller side).
    error EscrowNotParty(uint256 id, uint64 did);
    /// @notice Thrown when milestone `milestone` of `id` is reclaimed before its due time `due`.
    error EscrowNotDue(uint256 id, uint8 milestone, uint48 due);
    /// @notice Thrown when a ruling or settlement returns `toBuyer`, more than the milestone's `amount`.
    error EscrowInvalidResolution(uint128 toBuyer, uint128 amount);
    /// @notice Thrown when a settlement's deadline `deadline` has passed.
    error EscrowSettlementExpired(uint48 deadline);
    /// @notice Thrown when `signer`'s settlement signature is invalid or it does not act for `did`.
    error EscrowInvalidSignature(uint64 did, address signer);
    /// @notice Thrown when `did` has nothing of `token` to withdraw.
    error EscrowNothingToWithdraw(uint64 did, IERC20 token);
    /// @notice Thrown when an order names no case.
    error EscrowNoCase();
    /// @notice Thrown when a balance is reassigned away from `did`, which is `status`, not deactivated.
    error EscrowNotDeactivated(uint64 did, IIdentityRegistry.DidStatus status);
    /// @notice Thrown when the market prefunds `prefunded`, not the first milestone's `amount`.
    error EscrowInvalidPrefund(uint128 prefunded, uint128 amount);
    /// @notice Thrown when the inventors' floor `bps` is above 10,000.
    error EscrowInvalidFloor(uint16 bps);

    /**
     * @notice Opens an escrow for a confirmed deal. Trading centres only; the caller's active DID is the
     * centre. Requirements: a token and a deal reference; active buyer, seller, broker (if any),
     * holders and inventors; 1..MAX_MILESTONES milestones with non-zero amounts and future due times,
     * none earlier than the one before; holders' shares summing to 10,000; fees that leave the holders something; the
     * inventors' share at least the floor when there are inventors, 0 when there are none.
     * Emits {EscrowOpened}.
     */
    function open(Terms calldata terms) external returns (uint256 id);

    /**
     * @notice Like {open}, for the licence market, which names the trading centre `centre` (an active
     * DID) that confirmed the deal. When `prefunded` is not 0, the market pays it from its own tokens as
     * the first milestone, whose amount it must be: the winning bidder's deposit, which counts toward
     * the price. The market only ({Roles-ACHIEVEMENT_MARKET}). Emits {EscrowOpened}, and
     * {MilestoneFunded} for milestone 0 with the buyer as actor when prefunded.
     */
    function openFor(Terms calldata terms, uint64 centre, uint128 prefunded) external returns (uint256 id);

    /**
     * @notice Funds milestone `milestone` of `id` from the caller's tokens (approved beforehand); the
     * caller acts for the buyer DID `asDid` (PAYMENT scope). Requirements: the milestone awaits
     * funding; the escrow receives the whole amount. Emits {MilestoneFunded}.
     */
    function fund(uint256 id, uint8 milestone, uint64 asDid) external;

    /// @notice Like {fund}, approving the escrow first with the caller's EIP-2612 permit signature.
    function fundWithPermit(
        uint256 id,
        uint8 milestone,
        uint64 asDid,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice Confirms funded milestone `milestone` of `id` and splits it into balances; the caller acts
    /// for the buyer or the centre. Emits {MilestoneReleased} and {Credited} per payee.
    function confirm(uint256 id, uint8 milestone, uint64 asDid) external;

    /// @notice Credits the buyer back with funded milestone `milestone` of `id`, once its due time has
    /// passed unconfirmed and undisputed; the caller acts for the buyer. Emits {MilestoneReclaimed}.
    function reclaim(uint256 id, uint8 milestone, uint64 asDid) external;

    /// @notice Freezes funded milestone `milestone` of `id`; the caller acts for the buyer or the seller.
    /// Emits {MilestoneDisputed}.
    function dispute(uint256 id, uint8 milestone, uint64 asDid, bytes32 reasonHash) external;

    /// @notice Splits disputed milestone `milestone` of `id`: `toBuyer` back to the buyer, the rest
    /// released as a confirmation would. Arbitrators only; `caseRef` names the case.
    function rule(uint256 id, uint8 milestone, uint128 toBuyer, bytes32 caseRef) external;

    /**
     * @notice Splits disputed milestone `milestone` of `id` as both sides agreed: EIP-712
     * `Settlement(id, milestone, toBuyer, deadline)` signed by an account acting for the buyer and one
     * acting for the seller. Anyone may send it.
     */
    function settle(
        uint256 id,
        uint8 milestone,
        uint128 toBuyer,
        uint48 deadline,
        address buyerSigner,
        bytes calldata buyerSignature,
        address sellerSigner,
        bytes calldata sellerSignature
    ) external;

    /// @notice Pays `did`'s whole balance of `token` to `to`; the caller acts for `did` (PAYMENT scope).
    /// Emits {Withdrawn}.
    function withdraw(IERC20 token, uint64 did, address to) external returns (uint256 amount);

    /**
     * @notice Moves the whole balance of `token` of deactivated DID `from` to active DID `to`, its
     * successor (a merged agency, an heir), by order of case `caseRef`. Arbitrators only. A deactivated
     * DID has no keys and never will, so without this its balance would be stuck for ever.
     * Emits {BalanceReassigned}.
     */
    function reassignBalance(IERC20 token, uint64 from, uint64 to, bytes32 caseRef) external returns (uint256 amount);

    /// @notice Sets the inventors' reward floor, in basis points of each release. Council only.
    function setInventorFloor(uint16 bps) external;

    /// @notice Escrow `id`. Reverts with {EscrowUnknown}.
    function escrowOf(uint256 id) external view returns (Escrow memory);

    /// @notice Milestone `milestone` of `id`: its terms and status.
    function milestoneOf(
        uint256 id,
        uint8 milestone
    ) external view returns (Milestone memory terms, MilestoneStatus status);

    /// @notice The income-right holders and inventors escrow `id` pays.
    function payeesOf(uint256 id) external view returns (Share[] memory holders, uint64[] memory inventors);

    /// @notice What `did` may withdraw of `token`.
    function balanceOf(IERC20 token, uint64 did) external view returns (uint256);

    /// @notice What the escrow holds (funded or disputed milestones) and owes (balances) of `token`:
    /// always equal to its token balance.
    function liabilities(IERC20 token) external view returns (uint256 held, uint256 owed);

    /// @notice The inventors' reward floor in basis points.
    function inventorFloor() external view returns (uint16);

    /// @notice How many escrows were opened.
    function escrowCount() external view returns (uint256);

    /// @notice The EIP-712 digest both sides sign to settle a disputed milestone.
    function settlementHash(
        uint256 id,
        uint8 milestone,
        uint128 toBuyer,
        uint48 deadline
    ) external view returns (bytes32);
}
