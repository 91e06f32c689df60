// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ILicenceRegister} from "./ILicenceRegister.sol";

/**
 * @title ILicenceMarket
 * @notice The licence market of a technology trading centre, as the exchange runs it: a listing (挂牌)
 * submitted by a disposal-right holder or its broker and approved by every disposal-right party, reviewed
 * and published by the centre; a sale at a fixed price, at a negotiated price (both sides sign an EIP-712
 * offer; the agreed price is published for a notice period, 15 days by default, before the deal), or at
 * auction (registered bidders pay a deposit (交易保证金); bids at or above the reserve, each by at least the
 * increment, until the deadline); then the deal confirmation (成交确认书) by the centre, which opens the
 * settlement escrow, records the licence and marks the achievement licensed, in one transaction.
 * @dev The market holds only bidders' deposits: a deposit is refunded to a losing or rejected bidder (pull
 * payment), and the winner's counts toward the price as the escrow's first milestone, prefunded at the deal.
 * For every token, the market's balance equals the deposits it holds. An award that no deal follows within
 * {DEAL_WINDOW} lapses, so no deposit is held for ever. One listing of an achievement is published at a
 * time (the registry's Listed stage).
 */
interface ILicenceMarket {
    enum Mode {
        Fixed,
        Negotiated,
        Auction
    }

    enum ListingStatus {
        None,
        /// Submitted by the seller side; awaits the disposal-right parties' approvals and the centre.
        Submitted,
        /// Published by the centre: open for a purchase, an offer or bids.
        Published,
        /// A buyer and a price are set; the deal awaits the centre's confirmation (after the notice period
        /// for a negotiated price).
        Awarded,
        /// The deal is confirmed: escrow opened, licence recorded.
        Dealt,
        /// Withdrawn by the seller side or cancelled by the centre.
        Withdrawn,
        /// Ended without a deal: an auction without bids, or an award not confirmed in time.
        Lapsed
    }

    /// @notice One instalment of the price: its share in basis points and its due time, in seconds after
    /// the deal.
    struct Instalment {
        uint16 bps;
        uint32 dueAfter;
    }

    /// @notice The licence offered.
    struct LicenceOffer {
        ILicenceRegister.LicenceKind kind;
        /// @dev Field code; 0: every field.
        uint32 field;
        /// @dev Territory code; 0: everywhere.
        uint32 territory;
        /// @dev When the licence starts; 0: at the deal.
        uint48 start;
        /// @dev How long it runs, in seconds.
        uint48 term;
        bool sublicensable;
    }

    /// @notice What the seller side submits (calldata only).
    // solhint-disable-next-line gas-struct-packing
    struct ListingTerms {
        uint256 achievement;
        /// @dev The trading centre's DID asked to publish it.
        uint64 centre;
        Mode mode;
        IERC20 token;
        /// @dev The fixed price, the asking price (negotiated) or the reserve price (auction), in token units.
        uint128 price;
        /// @dev Auction only: the least a bid must exceed the highest by.
        uint128 minIncrement;
        /// @dev Auction only: what each bidder pays to register; not above the reserve.
        uint128 deposit;
        /// @dev Auction only: bids are taken until this time.
        uint48 biddingEnds;
        /// @dev The broker's commission, if a broker lists for the holder.
        uint16 brokerBps;
        /// @dev The inventors' reward share; at least the escrow's floor when the achievement has inventors.
        uint16 inventorBps;
        LicenceOffer licence;
        /// @dev 1..MAX_INSTALMENTS instalments; shares sum to 10,000; due times increase.
        Instalment[] schedule;
        /// @dev Hash of the listing document (挂牌文件).
        bytes32 termsHash;
    }

    /// @notice A listing as stored: seven slots (the nested licence offer takes one of its own).
    // solhint-disable-next-line gas-struct-packing
    struct Listing {
        uint256 achievement;
        IERC20 token;
        uint64 lister;
        Mode mode;
        uint64 centre;
        /// @dev The broker's DID, or 0 when the holder lists itself.
        uint64 broker;
        uint16 brokerBps;
        uint16 inventorBps;
        /// @dev Set by the centre when it publishes.
        uint16 centreFeeBps;
        uint48 biddingEnds;
        uint128 price;
        uint128 minIncrement;
        uint128 deposit;
        LicenceOffer licence;
        bytes32 termsHash;
    }

    /// @notice Where a listing's sale stands.
    struct Sale {
        ListingStatus status;
        /// @dev Offers name the round they are made in; a cancelled agreement starts no new one (the
        /// listing is withdrawn), so an offer is accepted at most once.
        uint32 round;
        /// @dev The buyer once awarded; during an auction, the highest bidder.
        uint64 buyer;
        /// @dev When the award may be confirmed (the notice period's end for a negotiated price).
        uint48 dealableAt;
        uint48 handover;
        /// @dev The price once awarded; during an auction, the highest bid.
        uint128 price;
        uint64 escrow;
        uint64 licence;
        bytes32 dealRef;
    }

    /// @notice A registered bidder of an auction.
    struct Bidder {
        uint128 deposit;
        bool registered;
        bool rejected;
        bool hasBid;
    }

    /// @notice An offer of a negotiated price, signed by the buyer's side and the seller's side alike
    /// (EIP-712, domain "govledger-market" version 1).
    struct Offer {
        uint256 listing;
        uint32 round;
        uint64 buyer;
        uint128 price;
        uint48 expiry;
    }

    /// @notice Emitted when `lister` (through `actor`, its broker when different) submits listing `id`.
    event ListingSubmitted(
        uint256 indexed id,
        uint256 indexed achievement,
        uint64 indexed lister,
        uint64 actor,
        uint64 centre,
        Mode mode,
        IERC20 token,
        uint128 price,
        bytes32 termsHash
    );
    /// @notice Emitted when disposal-right party `did` approves listing `id`.
    event ListingApproved(uint256 indexed id, uint64 indexed did, uint64 actor);
    /// @notice Emitted when centre DID `centre` publishes listing `id` with its fee.
    event ListingPublished(uint256 indexed id, uint64 indexed centre, uint16 centreFeeBps);
    /// @notice Emitted when listing `id` is withdrawn by the seller side or cancelled by the centre.
    event ListingWithdrawn(uint256 indexed id, uint64 indexed actor, bytes32 reasonHash);
    /// @notice Emitted when listing `id` is awarded to `buyer` at `price`; the deal may be confirmed from
    /// `dealableAt` (after the notice period of a negotiated price).
    event ListingAwarded(uint256 indexed id, uint64 indexed buyer, uint128 price, uint48 dealableAt);
    /// @notice Emitted when listing `id` ends without a deal.
    event ListingLapsed(uint256 indexed id);
    /// @notice Emitted when `did` registers as a bidder of listing `id`, paying `deposit`.
    event BidderRegistered(uint256 indexed id, uint64 indexed did, uint64 actor, uint128 deposit);
    /// @notice Emitted when the centre rejects bidder `did` of listing `id` (its qualification check).
    event BidderRejected(uint256 indexed id, uint64 indexed did, uint64 actor, bytes32 reasonHash);
    /// @notice Emitted when `bidder` bids `amount` on listing `id`.
    event BidPlaced(uint256 indexed id, uint64 indexed bidder, uint64 actor, uint128 amount);
    /// @notice Emitted when the auction of listing `id` closes: won by `winner` at `price`, or (0, 0) unsold.
    event AuctionClosed(uint256 indexed id, uint64 indexed winner, uint128 price);
    /// @notice Emitted when the centre confirms the deal of listing `id` (成交确认书 `dealRef`): escrow
    /// `escrow` is opened and licence `licence` recorded.
    event DealConfirmed(
        uint256 indexed id,
        bytes32 indexed dealRef,
        uint64 indexed buyer,
        uint64 seller,
        uint64 centre,
        Mode mode,
        uint128 price,
        uint256 escrow,
        uint256 licence,
        uint48 handover
    );
    /// @notice Emitted when bidder `did` of listing `id` withdraws its deposit to `to`.
    event DepositWithdrawn(uint256 indexed id, uint64 indexed did, address indexed to, uint128 amount);
    /// @notice Emitted when the council sets the notice period of negotiated prices.
    event NoticePeriodSet(uint48 period);

    /// @notice Thrown when no listing has id `id`.
    error MarketUnknownListing(uint256 id);
    /// @notice Thrown when listing `id` is `status`, where the call is not allowed.
    error MarketUnexpectedStatus(uint256 id, ListingStatus status);
    /// @notice Thrown when listing `id` is sold by `mode`, not the way the call needs.
    error MarketWrongMode(uint256 id, Mode mode);
    /// @notice Thrown when `did` is not an active DID.
    error MarketInactiveParty(uint64 did);
    /// @notice Thrown when `did` is not a party of achievement `achievement`'s disposal right.
    error MarketNotDisposalParty(uint256 achievement, uint64 did);
    /// @notice Thrown when disposal-right party `did` has not approved listing `id`.
    error MarketApprovalMissing(uint256 id, uint64 did);
    /// @notice Thrown when `did` is not the centre of listing `id`.
    error MarketNotCentre(uint256 id, uint64 did);
    /// @notice Thrown when `did` is not the lister of listing `id`.
    error MarketNotLister(uint256 id, uint64 did);
    /// @notice Thrown when there is no token, the price is 0, a deposit exceeds the reserve, an auction's deadline is not in
    /// the future, or a fixed or negotiated listing sets a deposit, increment or deadline.
    error MarketInvalidPricing(Mode mode, uint128 price, uint128 deposit, uint48 biddingEnds);
    /// @notice Thrown when a schedule has no instalment or more than `max`, a zero share, shares not
    /// summing to 10,000, or due times that do not increase from above 0.
    error MarketInvalidSchedule(uint256 count, uint256 max);
    /// @notice Thrown when the licence offered has no term or starts in the past.
    error MarketInvalidLicence(uint48 start, uint48 term);
    /// @notice Thrown when fees leave the holders nothing, or a broker's commission names no broker.
    error MarketInvalidSplit(uint16 centreFeeBps, uint16 brokerBps, uint16 inventorBps);
    /// @notice Thrown when the seller side (`did` is the lister or its broker) tries to buy or bid.
    error MarketSellerCannotBuy(uint256 id, uint64 did);
    /// @notice Thrown when the achievement of a listing is `status` in the registry at the deal, not Listed
    /// by this listing (an arbitrator's order moved it, or another listing was published since).
    error MarketAchievementNotListed(uint256 achievement, uint8 status);
    /// @notice Thrown when the deal of listing `id` is confirmed before `dealableAt` (the notice period).
    error MarketNoticeRunning(uint256 id, uint48 dealableAt);
    /// @notice Thrown when an award of listing `id` is lapsed before `lapsesAt`.
    error MarketAwardRunning(uint256 id, uint48 lapsesAt);
    /// @notice Thrown when an offer expired at `expiry`, or names another listing or round.
    error MarketOfferInvalid(uint256 listing, uint32 round, uint48 expiry);
    /// @notice Thrown when `signer`'s offer signature is invalid or it does not act for `did`.
    error MarketInvalidSignature(uint64 did, address signer);
    /// @notice Thrown when bidding on listing `id` ended at `biddingEnds`.
    error MarketBiddingClosed(uint256 id, uint48 biddingEnds);
    /// @notice Thrown when the auction of listing `id` is closed before `biddingEnds`.
    error MarketBiddingOpen(uint256 id, uint48 biddingEnds);
    /// @notice Thrown when `did` is already registered for listing `id`.
    error MarketAlreadyRegistered(uint256 id, uint64 did);
    /// @notice Thrown when `did` is not a registered (or is a rejected) bidder of listing `id`.
    error MarketNotBidder(uint256 id, uint64 did);
    /// @notice Thrown when bidder `did` of listing `id` is rejected after it has bid.
    error MarketBidderHasBid(uint256 id, uint64 did);
    /// @notice Thrown when a bid of `amount` is below `minimum` (the reserve, or the highest plus the increment).
    error MarketBidTooLow(uint256 id, uint128 amount, uint128 minimum);
    /// @notice Thrown when the seller side withdraws listing `id` after bids.
    error MarketHasBids(uint256 id);
    /// @notice Thrown when the market received `received` for a deposit of `expected`.
    error MarketShortPayment(uint256 expected, uint256 received);
    /// @notice Thrown when `did` has no deposit to withdraw from listing `id`.
    error MarketNothingToWithdraw(uint256 id, uint64 did);
    /// @notice Thrown when the deposit of `did` on listing `id` is still needed (a running auction, or
    /// the winner's before the deal or lapse).
    error MarketDepositLocked(uint256 id, uint64 did);
    /// @notice Thrown when a deal, a cancellation or a bidder's rejection names no reference.
    error MarketMissingReference();
    /// @notice Thrown when the notice period `period` exceeds {MAX_NOTICE_PERIOD}.
    error MarketInvalidNoticePeriod(uint48 period);

    /**
     * @notice Submits a listing of `terms.achievement`; the caller acts for `asDid` (TRADE scope), the
     * lister, which must be a party of the achievement's disposal right. A caller acting under a mandate
     * is the broker. The lister's approval is recorded. Emits {ListingSubmitted} and {ListingApproved}.
     */
    function list(ListingTerms calldata terms, uint64 asDid) external returns (uint256 id);

    /// @notice Approves listing `id` for disposal-right party `asDid` (the caller acts for it, TRADE
    /// scope); before the deal. Emits {ListingApproved}.
    function approve(uint256 id, uint64 asDid) external;

    /**
     * @notice Publishes submitted listing `id` with the centre's fee. Trading centres only; the caller's
     * active DID must be the listing's centre. Requirements: every disposal-right party approved; the
     * achievement can be listed (not locked, not already listed); an auction's deadline ahead.
     * Emits {ListingPublished}.
     */
    function publish(uint256 id, uint16 centreFeeBps) external;

    /// @notice Withdraws listing `id`, for its lister `asDid` (TRADE scope): before an award, and for an
    /// auction before any bid. Emits {ListingWithdrawn}.
    function withdrawListing(uint256 id, uint64 asDid, bytes32 reasonHash) external;

    /// @notice Cancels listing `id` before its deal (an objection in the notice period, a failed check).
    /// Trading centres only; the listing's centre. Every deposit becomes withdrawable. Emits {ListingWithdrawn}.
    function cancel(uint256 id, bytes32 reasonHash) external;

    /// @notice Buys published fixed-price listing `id` for `asDid` (the caller acts for it, TRADE scope).
    /// Emits {ListingAwarded}.
    function buy(uint256 id, uint64 asDid) external;

    /**
     * @notice Accepts negotiated offer `offer` on its listing: signed by an account acting for the buyer
     * (`buyerSigner`) and one acting for the lister (`sellerSigner`), both TRADE scope; anyone may send
     * it. The price is published until the notice period ends. Emits {ListingAwarded}.
     */
    function accept(
        Offer calldata offer,
        address buyerSigner,
        bytes calldata buyerSignature,
        address sellerSigner,
        bytes calldata sellerSignature
    ) external;

    /// @notice Registers `asDid` (the caller acts for it, TRADE scope) as a bidder of auction `id`,
    /// taking the deposit from the caller's tokens (approved beforehand). Emits {BidderRegistered}.
    function registerBidder(uint256 id, uint64 asDid) external;

    /// @notice Rejects bidder `did` of auction `id` that failed the qualification check, before its first
    /// bid; its deposit becomes withdrawable. Trading centres only; the listing's centre. Emits {BidderRejected}.
    function rejectBidder(uint256 id, uint64 did, bytes32 reasonHash) external;

    /// @notice Bids `amount` on auction `id` for registered bidder `asDid` (TRADE scope). Emits {BidPlaced}.
    function bid(uint256 id, uint128 amount, uint64 asDid) external;

    /// @notice Closes auction `id` after its deadline: awarded to the highest bidder, or lapsed without
    /// bids. Anyone may call it. Emits {AuctionClosed} and {ListingAwarded} or {ListingLapsed}.
    function closeAuction(uint256 id) external;

    /**
     * @notice Confirms the deal of awarded listing `id` (成交确认书 `dealRef`, handover date `handover`).
     * Trading centres only; the listing's centre. Re-checks that the achievement is still listed and
     * every disposal-right party approved; opens the escrow (the winner's deposit as its prefunded first
     * milestone), records the licence, marks the achievement licensed. Emits {DealConfirmed}.
     */
    function confirmDeal(
        uint256 id,
        bytes32 dealRef,
        uint48 handover
    ) external returns (uint256 escrow, uint256 licence);

    /// @notice Lapses award `id` that no deal confirmed within {DEAL_WINDOW} of `dealableAt`; the winner's
    /// deposit becomes withdrawable. Anyone may call it. Emits {ListingLapsed}.
    function lapse(uint256 id) external;

    /// @notice Pays bidder `did`'s deposit of listing `id` to `to`; the caller acts for `did` (PAYMENT
    /// scope). Emits {DepositWithdrawn}.
    function withdrawDeposit(uint256 id, uint64 did, address to) external returns (uint128 amount);

    /// @notice Sets the notice period of negotiated prices. Council only.
    function setNoticePeriod(uint48 period) external;

    /// @notice Listing `id`. Reverts with {MarketUnknownListing}.
    function listingOf(uint256 id) external view returns (Listing memory);

    /// @notice Where listing `id`'s sale stands.
    function saleOf(uint256 id) external view returns (Sale memory);

    /// @notice The payment schedule of listing `id`.
    function scheduleOf(uint256 id) external view returns (Instalment[] memory);

    /// @notice Bidder `did` of listing `id`.
    function bidderOf(uint256 id, uint64 did) external view returns (Bidder memory);

    /// @notice Whether disposal-right party `did` approved listing `id`.
    function hasApproved(uint256 id, uint64 did) external view returns (bool);

    /// @notice The deposits the market holds of `token`: always its balance of it.
    function liabilities(IERC20 token) external view returns (uint256 held);

    /// @notice The notice period of negotiated prices, in seconds.
    function noticePeriod() external view returns (uint48);

    /// @notice How many listings were submitted.
    function listingCount() external view returns (uint256);

    /// @notice The EIP-712 digest both sides sign for `offer`.
    function offerHash(Offer calldata offer) external view returns (bytes32);
}
