// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IAchievementRegistry} from "../achievement/IAchievementRegistry.sol";
import {IIdentityRegistry} from "../identity/IIdentityRegistry.sol";
import {Scopes} from "../identity/Scopes.sol";
import {ILicenceMarket} from "./ILicenceMarket.sol";
import {ILicenceRegister} from "./ILicenceRegister.sol";
import {ISettlementEscrow} from "./ISettlementEscrow.sol";

/**
 * @title LicenceMarket
 * @notice Listings, pricing, auctions and deal confirmation of technology licences. See {ILicenceMarket}.
 * @dev Deliberately not upgradeable, like the escrow: it holds bidders' deposits. It acts in the
 * registry (ACHIEVEMENT_MARKET role: listed, delisted, licensed), the licence register and the escrow
 * (`recordFor`, `openFor`, same role) for the centre that confirms a deal. Every entry point is
 * `nonReentrant`, and state changes before any token call; a deposit in is measured, not trusted.
 */
contract LicenceMarket is ILicenceMarket, AccessManaged, ERC2771Context, Pausable, ReentrancyGuard, EIP712 {
    using SafeERC20 for IERC20;

    /// @notice At most this many instalments: the escrow's 12 milestones, one kept for a deposit.
    uint256 public constant MAX_INSTALMENTS = 11;
    /// @notice How long an award waits for the centre's deal confirmation before anyone may lapse it.
    uint48 public constant DEAL_WINDOW = 30 days;
    /// @notice The longest notice period the council may set.
    uint48 public constant MAX_NOTICE_PERIOD = 90 days;
    uint16 private constant WHOLE = 10_000;
    bytes32 private constant OFFER_TYPEHASH = keccak256(
        "Offer(uint256 listing,uint32 round,uint64 buyer,uint128 price,uint48 expiry)"
    );

    /// @notice The identity module, whose DIDs are the parties.
    IIdentityRegistry public immutable IDENTITY;
    /// @notice The achievement registry whose achievements are listed.
    IAchievementRegistry public immutable ACHIEVEMENTS;
    /// @notice The licence register a deal records its licence in.
    ILicenceRegister public immutable LICENCES;
    /// @notice The escrow a deal's payments are settled through.
    ISettlementEscrow public immutable ESCROW;

    mapping(uint256 id => Listing) private _listings;
    mapping(uint256 id => Sale) private _sales;
    mapping(uint256 id => Instalment[]) private _schedules;
    mapping(uint256 id => mapping(uint64 did => Bidder)) private _bidders;
    mapping(uint256 id => mapping(uint64 did => bool)) private _approvals;
    mapping(IERC20 token => uint256) private _held;
    /// @dev The listing that last put each achievement in the registry's Listed stage.
    mapping(uint256 achievement => uint256 id) private _publishedOf;
    uint256 private _count;
    uint48 private _noticePeriod;

    constructor(
        address authority,
        address forwarder,
        IIdentityRegistry identity,
        IAchievementRegistry achievements,
        ILicenceRegister licences,
        ISettlementEscrow escrow,
        uint48 period
    ) AccessManaged(authority) ERC2771Context(forwarder) EIP712("govledger-market", "1") {
        IDENTITY = identity;
        ACHIEVEMENTS = achievements;
        LICENCES = licences;
        ESCROW = escrow;
        _setNoticePeriod(period);
    }

    /// @notice Version of this contract.
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    // ---- the seller side ----

    /// @inheritdoc ILicenceMarket
    function list(ListingTerms calldata t, uint64 asDid) external nonReentrant whenNotPaused returns (uint256 id) {
        uint64 actor = _actingFor(asDid, Scopes.TRADE);
        uint64 broker = actor == asDid ? 0 : actor;
        _checkTerms(t, asDid, broker);
        id = ++_count;
        _store(id, t, asDid, broker);
        _sales[id].status = ListingStatus.Submitted;
        _approvals[id][asDid] = true;
        emit ListingSubmitted(id, t.achievement, asDid, actor, t.centre, t.mode, t.token, t.price, t.termsHash);
        emit ListingApproved(id, asDid, actor);
    }

    /// @inheritdoc ILicenceMarket
    function approve(uint256 id, uint64 asDid) external nonReentrant whenNotPaused {
        uint64 actor = _actingFor(asDid, Scopes.TRADE);
        Listing storage listing = _listing(id);
        ListingStatus status = _sales[id].status;
        if (status > ListingStatus.Awarded) revert MarketUnexpectedStatus(id, status);
        if (!_isDisposalParty(listing.achievement, asDid)) revert MarketNotDisposalParty(listing.achievement, asDid);
        _approvals[id][asDid] = true;
        emit ListingApproved(id, asDid, actor);
    }

    /// @inheritdoc ILicenceMarket
    function withdrawListing(uint256 id, uint64 asDid, bytes32 reasonHash) external nonReentrant whenNotPaused {
        uint64 actor = _actingFor(asDid, Scopes.TRADE);
        Listing storage listing = _listing(id);
        if (asDid != listing.lister) revert MarketNotLister(id, asDid);
        Sale storage s = _sales[id];
        if (s.status != ListingStatus.Submitted && s.status != ListingStatus.Published) {
            revert MarketUnexpectedStatus(id, s.status);
        }
        if (s.buyer != 0) revert MarketHasBids(id);
        _end(id, listing, s, ListingStatus.Withdrawn, actor);
        emit ListingWithdrawn(id, actor, reasonHash);
    }

    // ---- the centre ----

    /// @inheritdoc ILicenceMarket
    function publish(uint256 id, uint16 centreFeeBps) external restricted nonReentrant whenNotPaused {
        Listing storage listing = _listing(id);
        uint64 centre = _checkCentre(id, listing);
        Sale storage s = _inStatus(id, ListingStatus.Submitted);
        if (uint256(centreFeeBps) + listing.brokerBps + listing.inventorBps >= WHOLE) {
            revert MarketInvalidSplit(centreFeeBps, listing.brokerBps, listing.inventorBps);
        }
        if (listing.mode == Mode.Auction && listing.biddingEnds <= _now()) {
            revert MarketInvalidPricing(listing.mode, listing.price, listing.deposit, listing.biddingEnds);
        }
        _checkApprovals(id, listing);
        listing.centreFeeBps = centreFeeBps;
        s.status = ListingStatus.Published;
        _publishedOf[listing.achievement] = id;
        ACHIEVEMENTS.markListed(listing.achievement, centre);
        emit ListingPublished(id, centre, centreFeeBps);
    }

    /// @inheritdoc ILicenceMarket
    function cancel(uint256 id, bytes32 reasonHash) external restricted nonReentrant whenNotPaused {
        if (reasonHash == bytes32(0)) revert MarketMissingReference();
        Listing storage listing = _listing(id);
        uint64 centre = _checkCentre(id, listing);
        Sale storage s = _sales[id];
        if (s.status > ListingStatus.Awarded) revert MarketUnexpectedStatus(id, s.status);
        _end(id, listing, s, ListingStatus.Withdrawn, centre);
        emit ListingWithdrawn(id, centre, reasonHash);
    }

    /// @inheritdoc ILicenceMarket
    function rejectBidder(uint256 id, uint64 did, bytes32 reasonHash) external restricted nonReentrant whenNotPaused {
        if (reasonHash == bytes32(0)) revert MarketMissingReference();
        Listing storage listing = _listing(id);
        uint64 centre = _checkCentre(id, listing);
        _inStatus(id, ListingStatus.Published);
        Bidder storage b = _bidders[id][did];
        if (!b.registered || b.rejected) revert MarketNotBidder(id, did);
        if (b.hasBid) revert MarketBidderHasBid(id, did);
        b.rejected = true;
        emit BidderRejected(id, did, centre, reasonHash);
    }

    /// @inheritdoc ILicenceMarket
    function confirmDeal(
        uint256 id,
        bytes32 dealRef,
        uint48 handover
    ) external restricted nonReentrant whenNotPaused returns (uint256 escrow, uint256 licence) {
        if (dealRef == bytes32(0)) revert MarketMissingReference();
        Listing storage listing = _listing(id);
        uint64 centre = _checkCentre(id, listing);
        Sale storage s = _inStatus(id, ListingStatus.Awarded);
        if (_now() < s.dealableAt) revert MarketNoticeRunning(id, s.dealableAt);
        _checkStillListed(id, listing);
        s.status = ListingStatus.Dealt;
        s.handover = handover;
        s.dealRef = dealRef;
        licence = LICENCES.recordFor(listing.achievement, s.buyer, _licenceTerms(listing), dealRef, centre);
        escrow = _openEscrow(id, listing, s, centre);
        s.escrow = uint64(escrow);
        s.licence = uint64(licence);
        ACHIEVEMENTS.markLicensed(listing.achievement, centre);
        emit DealConfirmed(
            id,
            dealRef,
            s.buyer,
            listing.lister,
            centre,
            listing.mode,
            s.price,
            escrow,
            licence,
            handover
        );
    }

    // ---- buyers ----

    /// @inheritdoc ILicenceMarket
    function buy(uint256 id, uint64 asDid) external nonReentrant whenNotPaused {
        _actingFor(asDid, Scopes.TRADE);
        Listing storage listing = _listing(id);
        if (listing.mode != Mode.Fixed) revert MarketWrongMode(id, listing.mode);
        Sale storage s = _inStatus(id, ListingStatus.Published);
        _checkBuyer(id, listing, asDid);
        _award(id, s, asDid, listing.price, _now());
    }

    /// @inheritdoc ILicenceMarket
    function accept(
        Offer calldata o,
        address buyerSigner,
        bytes calldata buyerSignature,
        address sellerSigner,
        bytes calldata sellerSignature
    ) external nonReentrant whenNotPaused {
        uint256 id = o.listing;
        Listing storage listing = _listing(id);
        if (listing.mode != Mode.Negotiated) revert MarketWrongMode(id, listing.mode);
        Sale storage s = _inStatus(id, ListingStatus.Published);
        if (o.round != s.round || o.expiry < _now() || o.price == 0) revert MarketOfferInvalid(id, o.round, o.expiry);
        _checkBuyer(id, listing, o.buyer);
        bytes32 digest = _offerHash(o);
        _checkSignature(o.buyer, buyerSigner, digest, buyerSignature);
        _checkSignature(listing.lister, sellerSigner, digest, sellerSignature);
        ++s.round;
        _award(id, s, o.buyer, o.price, _now() + _noticePeriod);
    }

    /// @inheritdoc ILicenceMarket
    function registerBidder(uint256 id, uint64 asDid) external nonReentrant whenNotPaused {
        uint64 actor = _actingFor(asDid, Scopes.TRADE);
        Listing storage listing = _listing(id);
        if (listing.mode != Mode.Auction) revert MarketWrongMode(id, listing.mode);
        _inStatus(id, ListingStatus.Published);
        if (_now() >= listing.biddingEnds) revert MarketBiddingClosed(id, listing.biddingEnds);
        _checkBuyer(id, listing, asDid);
        Bidder storage b = _bidders[id][asDid];
        if (b.registered) revert MarketAlreadyRegistered(id, asDid);
        uint128 deposit = listing.deposit;
        b.registered = true;
        b.deposit = deposit;
        if (deposit != 0) {
            IERC20 token = listing.token;
            _held[token] += deposit;
            uint256 before = token.balanceOf(address(this));
            token.safeTransferFrom(_msgSender(), address(this), deposit);
            uint256 received = token.balanceOf(address(this)) - before;
            if (received != deposit) revert MarketShortPayment(deposit, received);
        }
        emit BidderRegistered(id, asDid, actor, deposit);
    }

    /// @inheritdoc ILicenceMarket
    function bid(uint256 id, uint128 amount, uint64 asDid) external nonReentrant whenNotPaused {
        uint64 actor = _actingFor(asDid, Scopes.TRADE);
        Listing storage listing = _listing(id);
        if (listing.mode != Mode.Auction) revert MarketWrongMode(id, listing.mode);
        Sale storage s = _inStatus(id, ListingStatus.Published);
        if (_now() >= listing.biddingEnds) revert MarketBiddingClosed(id, listing.biddingEnds);
        Bidder storage b = _bidders[id][asDid];
        if (!b.registered || b.rejected) revert MarketNotBidder(id, asDid);
        // Each bid beats the highest by the increment, and by at least one unit.
        uint128 minimum =
            s.buyer == 0 ? listing.price : s.price + (listing.minIncrement == 0 ? 1 : listing.minIncrement);
        if (amount < minimum) revert MarketBidTooLow(id, amount, minimum);
        b.hasBid = true;
        s.buyer = asDid;
        s.price = amount;
        emit BidPlaced(id, asDid, actor, amount);
    }

    /// @inheritdoc ILicenceMarket
    function closeAuction(uint256 id) external nonReentrant whenNotPaused {
        Listing storage listing = _listing(id);
        if (listing.mode != Mode.Auction) revert MarketWrongMode(id, listing.mode);
        Sale storage s = _inStatus(id, ListingStatus.Published);
        if (_now() < listing.biddingEnds) revert MarketBiddingOpen(id, listing.biddingEnds);
        emit AuctionClosed(id, s.buyer, s.price);
        if (s.buyer == 0) {
            _end(id, listing, s, ListingStatus.Lapsed, 0);
            emit ListingLapsed(id);
        } else {
            _award(id, s, s.buyer, s.price, _now());
        }
    }

    /// @inheritdoc ILicenceMarket
    function lapse(uint256 id) external nonReentrant whenNotPaused {
        Listing storage listing = _listing(id);
        Sale storage s = _inStatus(id, ListingStatus.Awarded);
        uint48 lapsesAt = s.dealableAt + DEAL_WINDOW;
        if (_now() < lapsesAt) revert MarketAwardRunning(id, lapsesAt);
        _end(id, listing, s, ListingStatus.Lapsed, 0);
        emit ListingLapsed(id);
    }

    /// @inheritdoc ILicenceMarket
    function withdrawDeposit(
        uint256 id,
        uint64 did,
        address to
    ) external nonReentrant whenNotPaused returns (uint128 amount) {
        _actingFor(did, Scopes.PAYMENT);
        Listing storage listing = _listing(id);
        Bidder storage b = _bidders[id][did];
        amount = b.deposit;
        if (amount == 0) revert MarketNothingToWithdraw(id, did);
        Sale storage s = _sales[id];
        ListingStatus status = s.status;
        bool locked = status == ListingStatus.Published || (status == ListingStatus.Awarded && s.buyer == did);
        if (locked && !b.rejected) revert MarketDepositLocked(id, did);
        b.deposit = 0;
        _held[listing.token] -= amount;
        emit DepositWithdrawn(id, did, to, amount);
        listing.token.safeTransfer(to, amount);
    }

    // ---- governance ----

    /// @inheritdoc ILicenceMarket
    function setNoticePeriod(uint48 period) external restricted {
        _setNoticePeriod(period);
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

    /// @inheritdoc ILicenceMarket
    function listingOf(uint256 id) external view returns (Listing memory) {
        return _listing(id);
    }

    /// @inheritdoc ILicenceMarket
    function saleOf(uint256 id) external view returns (Sale memory) {
        _listing(id);
        return _sales[id];
    }

    /// @inheritdoc ILicenceMarket
    function scheduleOf(uint256 id) external view returns (Instalment[] memory) {
        _listing(id);
        return _schedules[id];
    }

    /// @inheritdoc ILicenceMarket
    function bidderOf(uint256 id, uint64 did) external view returns (Bidder memory) {
        return _bidders[id][did];
    }

    /// @inheritdoc ILicenceMarket
    function hasApproved(uint256 id, uint64 did) external view returns (bool) {
        return _approvals[id][did];
    }

    /// @inheritdoc ILicenceMarket
    function liabilities(IERC20 token) external view returns (uint256 held) {
        return _held[token];
    }

    /// @inheritdoc ILicenceMarket
    function noticePeriod() external view returns (uint48) {
        return _noticePeriod;
    }

    /// @inheritdoc ILicenceMarket
    function listingCount() external view returns (uint256) {
        return _count;
    }

    /// @inheritdoc ILicenceMarket
    function offerHash(Offer calldata offer) external view returns (bytes32) {
        return _offerHash(offer);
    }

    // ---- internals ----

    function _award(uint256 id, Sale storage s, uint64 buyer, uint128 price, uint48 dealableAt) private {
        s.status = ListingStatus.Awarded;
        s.buyer = buyer;
        s.price = price;
        s.dealableAt = dealableAt;
        emit ListingAwarded(id, buyer, price, dealableAt);
    }

    /// @dev Ends listing `id` (not yet dealt) without a deal; the achievement leaves the Listed stage if
    /// this listing put it there and nothing moved it since: an arbitrator's order may have, after which
    /// another listing may have been published, whose Listed stage is not this one's to end.
    function _end(uint256 id, Listing storage listing, Sale storage s, ListingStatus status, uint64 actor) private {
        s.status = status;
        uint256 achievement = listing.achievement;
        if (
            _publishedOf[achievement] == id &&
            ACHIEVEMENTS.getAchievement(achievement).status == IAchievementRegistry.Status.Listed
        ) ACHIEVEMENTS.markDelisted(achievement, actor);
    }

    /// @dev At the deal: an arbitrator's order may have moved the achievement since it was published (and
    /// another listing may have been published since), or changed who holds its disposal right.
    function _checkStillListed(uint256 id, Listing storage listing) private view {
        uint256 achievement = listing.achievement;
        IAchievementRegistry.Status stage = ACHIEVEMENTS.getAchievement(achievement).status;
        if (stage != IAchievementRegistry.Status.Listed || _publishedOf[achievement] != id) {
            revert MarketAchievementNotListed(achievement, uint8(stage));
        }
        if (!_isDisposalParty(achievement, listing.lister)) revert MarketNotDisposalParty(achievement, listing.lister);
        _checkApprovals(id, listing);
    }

    /// @dev Opens the deal's escrow, handing it the winner's deposit as the prefunded first milestone.
    function _openEscrow(uint256 id, Listing storage listing, Sale storage s, uint64 centre) private returns (uint256) {
        Bidder storage b = _bidders[id][s.buyer];
        uint128 deposit = b.deposit;
        if (deposit != 0) {
            b.deposit = 0;
            _held[listing.token] -= deposit;
            listing.token.forceApprove(address(ESCROW), deposit);
        }
        return ESCROW.openFor(_escrowTerms(id, listing, s, s.dealRef, deposit), centre, deposit);
    }

    /// @dev The escrow's terms: the winner's deposit (if any) as the first milestone, then the rest of the
    /// price by the schedule's shares (the last takes the rounding; an instalment rounded to 0 is left out).
    function _escrowTerms(
        uint256 id,
        Listing storage listing,
        Sale storage s,
        bytes32 dealRef,
        uint128 deposit
    ) private view returns (ISettlementEscrow.Terms memory t) {
        uint256 achievement = listing.achievement;
        IAchievementRegistry.Holding[] memory income = ACHIEVEMENTS.holdingsOf(
            achievement,
            IAchievementRegistry.Right.Income
        );
        t.holders = new ISettlementEscrow.Share[](income.length);
        for (uint256 i = 0; i < income.length; ++i)
            t.holders[i] = ISettlementEscrow.Share(income[i].did, income[i].bps);
        t.inventors = ACHIEVEMENTS.inventorsOf(achievement);
        t.token = listing.token;
        t.dealRef = dealRef;
        t.buyer = s.buyer;
        t.seller = listing.lister;
        t.broker = listing.broker;
        t.centreFeeBps = listing.centreFeeBps;
        t.brokerBps = listing.brokerBps;
        t.inventorBps = t.inventors.length == 0 ? 0 : listing.inventorBps;
        Instalment[] storage schedule = _schedules[id];
        uint256 n = schedule.length;
        ISettlementEscrow.Milestone[] memory milestones = new ISettlementEscrow.Milestone[](n + 1);
        uint48 now_ = _now();
        uint256 k;
        if (deposit != 0) milestones[k++] = ISettlementEscrow.Milestone(deposit, now_ + schedule[0].dueAfter);
        uint128 rest = s.price - deposit;
        uint128 paid;
        for (uint256 i = 0; i < n; ++i) {
            Instalment storage inst = schedule[i];
            uint128 amount = i + 1 == n ? rest - paid : uint128((uint256(rest) * inst.bps) / WHOLE);
            paid += amount;
            if (amount != 0) milestones[k++] = ISettlementEscrow.Milestone(amount, now_ + inst.dueAfter);
        }
        assembly {
            mstore(milestones, k)
        }
        t.milestones = milestones;
    }

    function _licenceTerms(Listing storage listing) private view returns (ILicenceRegister.LicenceTerms memory) {
        LicenceOffer storage o = listing.licence;
        uint48 start = o.start == 0 ? _now() : o.start;
        return ILicenceRegister.LicenceTerms(o.kind, o.field, o.territory, start, start + o.term, o.sublicensable);
    }

    function _checkTerms(ListingTerms calldata t, uint64 lister, uint64 broker) private view {
        _checkActive(lister);
        _checkActive(t.centre);
        if (!_isDisposalParty(t.achievement, lister)) revert MarketNotDisposalParty(t.achievement, lister);
        _checkPricing(t);
        _checkSchedule(t.schedule);
        uint48 start = t.licence.start;
        if (t.licence.term == 0 || (start != 0 && start < _now())) revert MarketInvalidLicence(start, t.licence.term);
        bool inventors = ACHIEVEMENTS.inventorsOf(t.achievement).length != 0;
        if (
            (broker == 0 && t.brokerBps != 0) ||
            uint256(t.brokerBps) + t.inventorBps >= WHOLE ||
            (inventors && t.inventorBps < ESCROW.inventorFloor())
        ) revert MarketInvalidSplit(0, t.brokerBps, t.inventorBps);
    }

    function _store(uint256 id, ListingTerms calldata t, uint64 lister, uint64 broker) private {
        _listings[id] = Listing({
            achievement: t.achievement,
            token: t.token,
            lister: lister,
            mode: t.mode,
            centre: t.centre,
            broker: broker,
            brokerBps: t.brokerBps,
            inventorBps: t.inventorBps,
            centreFeeBps: 0,
            biddingEnds: t.biddingEnds,
            price: t.price,
            minIncrement: t.minIncrement,
            deposit: t.deposit,
            licence: t.licence,
            termsHash: t.termsHash
        });
        Instalment[] storage schedule = _schedules[id];
        for (uint256 i = 0; i < t.schedule.length; ++i) schedule.push(t.schedule[i]);
    }

    function _checkPricing(ListingTerms calldata t) private view {
        bool ok = t.price != 0 && address(t.token) != address(0);
        if (t.mode == Mode.Auction) {
            ok = ok && t.deposit <= t.price && t.biddingEnds > _now();
        } else {
            ok = ok && t.deposit == 0 && t.minIncrement == 0 && t.biddingEnds == 0;
        }
        if (!ok) revert MarketInvalidPricing(t.mode, t.price, t.deposit, t.biddingEnds);
    }

    function _checkSchedule(Instalment[] calldata schedule) private pure {
        uint256 n = schedule.length;
        uint256 sum;
        uint32 previous;
        bool ok = n != 0 && n <= MAX_INSTALMENTS;
        for (uint256 i = 0; ok && i < n; ++i) {
            Instalment calldata inst = schedule[i];
            ok = inst.bps != 0 && inst.dueAfter > previous;
            previous = inst.dueAfter;
            sum += inst.bps;
        }
        if (!ok || sum != WHOLE) revert MarketInvalidSchedule(n, MAX_INSTALMENTS);
    }

    /// @dev Every party of the achievement's disposal right (its holders now and those it returns to) has
    /// approved listing `id`: no co-owner disposes alone.
    function _checkApprovals(uint256 id, Listing storage listing) private view {
        uint64[] memory parties = ACHIEVEMENTS.partiesOf(listing.achievement, IAchievementRegistry.Right.Disposal);
        for (uint256 i = 0; i < parties.length; ++i) {
            if (!_approvals[id][parties[i]]) revert MarketApprovalMissing(id, parties[i]);
        }
    }

    function _isDisposalParty(uint256 achievement, uint64 did) private view returns (bool) {
        uint64[] memory parties = ACHIEVEMENTS.partiesOf(achievement, IAchievementRegistry.Right.Disposal);
        for (uint256 i = 0; i < parties.length; ++i) if (parties[i] == did) return true;
        return false;
    }

    function _checkBuyer(uint256 id, Listing storage listing, uint64 did) private view {
        _checkActive(did);
        if (did == listing.lister || did == listing.broker) revert MarketSellerCannotBuy(id, did);
    }

    /// @dev The caller's active DID, which must be listing `id`'s centre.
    function _checkCentre(uint256 id, Listing storage listing) private view returns (uint64 did) {
        (did, ) = IDENTITY.didOf(_msgSender());
        _checkActive(did);
        if (did != listing.centre) revert MarketNotCentre(id, did);
    }

    function _checkSignature(uint64 did, address signer, bytes32 digest, bytes calldata signature) private view {
        if (
            !IDENTITY.isActingFor(signer, did, Scopes.TRADE) ||
            !SignatureChecker.isValidSignatureNow(signer, digest, signature)
        ) revert MarketInvalidSignature(did, signer);
    }

    function _setNoticePeriod(uint48 period) private {
        if (period > MAX_NOTICE_PERIOD) revert MarketInvalidNoticePeriod(period);
        _noticePeriod = period;
        emit NoticePeriodSet(period);
    }

    function _listing(uint256 id) private view returns (Listing storage listing) {
        if (id == 0 || id > _count) revert MarketUnknownListing(id);
        return _listings[id];
    }

    function _inStatus(uint256 id, ListingStatus status) private view returns (Sale storage s) {
        s = _sales[id];
        if (s.status != status) revert MarketUnexpectedStatus(id, s.status);
    }

    function _offerHash(Offer calldata o) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(OFFER_TYPEHASH, o.listing, o.round, o.buyer, o.price, o.expiry)));
    }

    function _actingFor(uint64 did, uint32 scope) private view returns (uint64) {
        return IDENTITY.requireActingFor(_msgSender(), did, scope, 0);
    }

    function _checkActive(uint64 did) private view {
        if (did == 0 || IDENTITY.statusOf(did) != IIdentityRegistry.DidStatus.Active) revert MarketInactiveParty(did);
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
