// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// Medusa finds property tests by their `property_` prefix, which is not mixedCase.
// solhint-disable func-name-mixedcase

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {PausableModule} from "../common/PausableModule.sol";
import {Roles} from "../governance/Roles.sol";
import {IIdentityRegistry} from "../identity/IIdentityRegistry.sol";
import {StandInCurrency} from "../mocks/trade/StandInCurrency.sol";
import {ISettlementEscrow} from "../trade/ISettlementEscrow.sol";
import {SettlementEscrow} from "../trade/SettlementEscrow.sol";
import {FuzzActor} from "./FuzzActor.sol";
import {FuzzSuite} from "./FuzzSuite.sol";

/**
 * @title EscrowFuzz
 * @notice Medusa harness of the settlement escrow (DESIGN §3, money): the real SettlementEscrow, wired
 * as deploy/ wires it, with a trading centre, an arbitrator, a guardian, four parties and an outsider.
 * The fuzzer opens escrows with bounded random terms and drives every entry point, each tried by the
 * actor the design names or by any other.
 * @dev A ghost ledger counts what the escrow must hold and owe from the calls that went through, apart
 * from the escrow's own accounting; the properties compare the two and the token balance.
 */
contract EscrowFuzz is FuzzSuite {
    uint256 private constant MAX_ESCROWS = 12;
    uint256 private constant MAX_DIDS = 24;
    uint256 private constant MAX_AMOUNT = 1e9;
    uint256 private constant FUNDS = 1e15;
    uint16 private constant FLOOR = 1000;
    uint16 private constant WHOLE = 10_000;

    SettlementEscrow internal immutable ESCROW;
    IERC20 internal immutable TOKEN;
    FuzzActor internal immutable CENTRE;
    FuzzActor internal immutable ARBITRATOR;
    FuzzActor internal immutable GUARDIAN;

    uint256[] private _escrowIds;
    mapping(uint64 did => FuzzActor) private _actorOf;
    /// @dev Ghost ledger: what the escrow holds (funded or disputed) and owes (balances).
    uint256 private _held;
    uint256 private _owed;
    mapping(uint256 id => mapping(uint8 milestone => bool)) private _paidOut;
    bool private _conservationBroken;
    bool private _releasedTwice;
    bool private _splitLost;

    constructor() {
        ESCROW = new SettlementEscrow(address(AUTHORITY), IDENTITY, address(0), FLOOR);
        TOKEN = _newToken();
        _wireEscrow();
        _deployed("SettlementEscrow", address(ESCROW));
        CENTRE = _member("technology exchange centre", Roles.TRADING_CENTRE);
        ARBITRATOR = _member("arbitration commission", Roles.ARBITRATOR);
        GUARDIAN = _member("guardian agency", Roles.GUARDIAN);
        for (uint256 i = 0; i < 4; ++i) _fund(_newParty());
        _fund(_newActor());
    }

    // ---- properties ----

    /// @notice DESIGN §3: the escrow's token balance always equals what it still owes (held + withdrawable),
    /// as its own books say and as the ghost ledger of the calls that went through says.
    function property_escrowHoldsWhatItOwes() external view returns (bool) {
        (uint256 held, uint256 owed) = ESCROW.liabilities(TOKEN);
        return
            !_conservationBroken &&
            held == _held &&
            owed == _owed &&
            _sumOfBalances() == owed &&
            TOKEN.balanceOf(address(ESCROW)) == held + owed;
    }

    /// @notice DESIGN §3: no payment is released twice; a release credits exactly its amount (the dust
    /// has an owner); a milestone is paid out exactly when its status says so.
    function property_noPaymentReleasedTwice() external view returns (bool) {
        if (_releasedTwice || _splitLost) return false;
        for (uint256 i = 0; i < _escrowIds.length; ++i) {
            uint256 id = _escrowIds[i];
            uint8 count = ESCROW.escrowOf(id).milestoneCount;
            for (uint8 m = 0; m < count; ++m) {
                (, ISettlementEscrow.MilestoneStatus status) = ESCROW.milestoneOf(id, m);
                if (_paidOut[id][m] != _isPaidOut(status)) return false;
            }
        }
        return true;
    }

    /// @notice DESIGN §3: the income-right holders' shares of every escrow sum to exactly 10,000 bps.
    function property_payeeSharesSumToWhole() external view returns (bool) {
        for (uint256 i = 0; i < _escrowIds.length; ++i) {
            (ISettlementEscrow.Share[] memory holders, ) = ESCROW.payeesOf(_escrowIds[i]);
            uint256 sum;
            for (uint256 j = 0; j < holders.length; ++j) sum += holders[j].bps;
            if (sum != WHOLE) return false;
        }
        return true;
    }

    // ---- handlers: the trading centre and the market ----

    /// @notice An actor opens an escrow (as the centre, or as the market with `openFor`) with terms drawn
    /// from `parties` and `terms`; a few terms are malformed on purpose (`terms` low bits).
    function open(uint8 caller, uint256 parties, uint256 terms, uint256 amounts) external {
        if (_escrowIds.length >= MAX_ESCROWS) return;
        FuzzActor actor = caller < 128 ? CENTRE : _actor(caller);
        ISettlementEscrow.Terms memory t = _terms(parties, terms, amounts);
        bool asMarket = terms % 16 == 15;
        bytes memory call =
            asMarket
                ? abi.encodeCall(ISettlementEscrow.openFor, (t, _didOf[address(CENTRE)], 0))
                : abi.encodeCall(ISettlementEscrow.open, (t));
        // Only trading centres open escrows, and only the market (no actor here) opens them for a centre.
        bool allowed = !asMarket && actor == CENTRE;
        if (_try(actor, address(ESCROW), call, allowed)) _escrowIds.push(ESCROW.escrowCount());
    }

    // ---- handlers: the parties ----

    /// @notice The buyer (or any actor, for any DID) funds a milestone.
    function fund(uint8 caller, uint8 escrowSeed, uint8 milestone, uint8 asDidSeed) external {
        (uint256 id, ISettlementEscrow.Escrow memory e) = _escrow(escrowSeed);
        if (id == 0) return;
        FuzzActor actor = _party(caller, e.buyer);
        uint64 asDid = _asDid(actor, asDidSeed);
        milestone = _milestone(e, milestone);
        (ISettlementEscrow.Milestone memory terms, ) = ESCROW.milestoneOf(id, milestone);
        uint256 before = TOKEN.balanceOf(address(ESCROW));
        bool allowed = _actsFor(actor, asDid) && asDid == e.buyer;
        if (!_try(actor, address(ESCROW), abi.encodeCall(ISettlementEscrow.fund, (id, milestone, asDid)), allowed)) {
            return;
        }
        _held += terms.amount;
        if (TOKEN.balanceOf(address(ESCROW)) != before + terms.amount) _conservationBroken = true;
    }

    /// @notice The buyer or the centre (or any actor) confirms a funded milestone, which splits it.
    function confirm(uint8 caller, uint8 escrowSeed, uint8 milestone, uint8 asDidSeed) external {
        (uint256 id, ISettlementEscrow.Escrow memory e) = _escrow(escrowSeed);
        if (id == 0) return;
        FuzzActor actor = _party(caller, caller % 2 == 0 ? e.buyer : e.centre);
        uint64 asDid = _asDid(actor, asDidSeed);
        bool allowed = _actsFor(actor, asDid) && (asDid == e.buyer || asDid == e.centre);
        milestone = _milestone(e, milestone);
        _payOut(id, milestone, actor, abi.encodeCall(ISettlementEscrow.confirm, (id, milestone, asDid)), allowed);
    }

    /// @notice The buyer (or any actor) reclaims a funded milestone; only after its due time.
    function reclaim(uint8 caller, uint8 escrowSeed, uint8 milestone, uint8 asDidSeed) external {
        (uint256 id, ISettlementEscrow.Escrow memory e) = _escrow(escrowSeed);
        if (id == 0) return;
        FuzzActor actor = _party(caller, e.buyer);
        uint64 asDid = _asDid(actor, asDidSeed);
        milestone = _milestone(e, milestone);
        (ISettlementEscrow.Milestone memory terms, ) = ESCROW.milestoneOf(id, milestone);
        bool allowed = _actsFor(actor, asDid) && asDid == e.buyer && block.timestamp > terms.due;
        _payOut(id, milestone, actor, abi.encodeCall(ISettlementEscrow.reclaim, (id, milestone, asDid)), allowed);
    }

    /// @notice The buyer or the seller (or any actor) disputes a funded milestone.
    function dispute(uint8 caller, uint8 escrowSeed, uint8 milestone, uint8 asDidSeed) external {
        (uint256 id, ISettlementEscrow.Escrow memory e) = _escrow(escrowSeed);
        if (id == 0) return;
        FuzzActor actor = _party(caller, caller % 2 == 0 ? e.buyer : e.seller);
        uint64 asDid = _asDid(actor, asDidSeed);
        bool allowed = _actsFor(actor, asDid) && (asDid == e.buyer || asDid == e.seller);
        milestone = _milestone(e, milestone);
        bytes memory call = abi.encodeCall(ISettlementEscrow.dispute, (id, milestone, asDid, bytes32("reason")));
        _try(actor, address(ESCROW), call, allowed);
    }

    /// @notice Both sides settle a disputed milestone by signatures, which each side gives now or not
    /// (`signatures` bits); the signers are the sides' keys or any actors (`caller` seeds).
    function settle(uint8 caller, uint8 escrowSeed, uint8 milestone, uint128 toBuyer, uint8 signatures) external {
        (uint256 id, ISettlementEscrow.Escrow memory e) = _escrow(escrowSeed);
        if (id == 0) return;
        milestone = _milestone(e, milestone);
        toBuyer = _toBuyer(id, milestone, toBuyer);
        FuzzActor buyerSigner = _party(caller, e.buyer);
        FuzzActor sellerSigner = _party(caller % 2 == 0 ? 0 : caller, e.seller);
        bytes32 digest = ESCROW.settlementHash(id, milestone, toBuyer, type(uint48).max);
        if (signatures & 1 != 0) buyerSigner.sign(digest);
        if (signatures & 2 != 0) sellerSigner.sign(digest);
        // A signature once given stays valid until its deadline: count every one given so far.
        bool allowed =
            _signedBy(buyerSigner, digest) &&
                _signedBy(sellerSigner, digest) &&
                _actsFor(buyerSigner, e.buyer) &&
                _actsFor(sellerSigner, e.seller);
        bytes memory call = abi.encodeCall(
            ISettlementEscrow.settle,
            (id, milestone, toBuyer, type(uint48).max, address(buyerSigner), "", address(sellerSigner), "")
        );
        _payOut(id, milestone, _actor(caller), call, allowed);
    }

    /// @notice The key of a DID with a balance (for seeds below 128) or any actor withdraws a balance to an actor.
    function withdraw(uint8 caller, uint8 didSeed, uint8 to) external {
        FuzzActor actor = caller < 128 ? _creditor(didSeed) : _actor(caller);
        uint64 did = _asDid(actor, didSeed);
        address recipient = address(_actor(to));
        uint256 owedBefore = ESCROW.balanceOf(TOKEN, did);
        uint256 escrowBefore = TOKEN.balanceOf(address(ESCROW));
        uint256 recipientBefore = TOKEN.balanceOf(recipient);
        bytes memory call = abi.encodeCall(ISettlementEscrow.withdraw, (TOKEN, did, recipient));
        if (!_try(actor, address(ESCROW), call, _actsFor(actor, did))) return;
        _owed = _less(_owed, owedBefore);
        if (
            ESCROW.balanceOf(TOKEN, did) != 0 ||
            TOKEN.balanceOf(address(ESCROW)) != escrowBefore - owedBefore ||
            (recipient != address(ESCROW) && TOKEN.balanceOf(recipient) != recipientBefore + owedBefore)
        ) _conservationBroken = true;
    }

    // ---- handlers: the arbitrator ----

    /// @notice The arbitrator (or any actor) rules a split of a disputed milestone.
    function rule(uint8 caller, uint8 escrowSeed, uint8 milestone, uint128 toBuyer) external {
        (uint256 id, ISettlementEscrow.Escrow memory e) = _escrow(escrowSeed);
        if (id == 0) return;
        FuzzActor actor = caller < 128 ? ARBITRATOR : _actor(caller);
        milestone = _milestone(e, milestone);
        toBuyer = _toBuyer(id, milestone, toBuyer);
        bytes memory call = abi.encodeCall(ISettlementEscrow.rule, (id, milestone, toBuyer, keccak256("case")));
        _payOut(id, milestone, actor, call, actor == ARBITRATOR);
    }

    /// @notice The arbitrator (or any actor) moves a deactivated DID's balance to an active one.
    function reassignBalance(uint8 caller, uint8 fromSeed, uint8 toSeed) external {
        FuzzActor actor = caller < 128 ? ARBITRATOR : _actor(caller);
        uint64 from = _anyDid(fromSeed);
        uint256 total = _sumOfBalances();
        bytes memory call = abi.encodeCall(
            ISettlementEscrow.reassignBalance,
            (TOKEN, from, _anyDid(toSeed), keccak256("case"))
        );
        bool allowed = actor == ARBITRATOR && from != 0 && !_isActive(from);
        if (_try(actor, address(ESCROW), call, allowed) && _sumOfBalances() != total) _conservationBroken = true;
    }

    // ---- handlers: governance and the registration agency ----

    /// @notice The guardian (for seeds below 16: a pause stops every flow) or any actor pauses the escrow.
    function pause(uint8 caller) external {
        FuzzActor actor = caller < 16 ? GUARDIAN : _actor(caller);
        _try(actor, address(ESCROW), abi.encodeCall(PausableModule.pause, ()), actor == GUARDIAN);
    }

    /// @notice The council unpauses the escrow; any actor's try, or change of the floor, is refused.
    function unpause(uint8 caller, uint16 floor) external {
        if (caller < 128) {
            try ESCROW.unpause() {} catch {} // solhint-disable-line no-empty-blocks
            return;
        }
        FuzzActor actor = _actor(caller);
        _try(actor, address(ESCROW), abi.encodeCall(PausableModule.unpause, ()), false);
        _try(actor, address(ESCROW), abi.encodeCall(ISettlementEscrow.setInventorFloor, (floor)), false);
    }

    /// @notice The registration agency deactivates an actor's DID (its balance can then only be reassigned)
    /// or, if it has none active, registers a new one for it.
    function cycleDid(uint8 who) external {
        FuzzActor actor = _actor(who);
        uint64 did = _didOf[address(actor)];
        if (did != 0 && IDENTITY.statusOf(did) != IIdentityRegistry.DidStatus.Deactivated) {
            IDENTITY.deactivate(did, bytes32("merged"));
        } else if (did != 0 && _dids.length < MAX_DIDS) {
            _actorOf[_register(actor)] = actor;
        }
    }

    // ---- internals ----

    /// @dev The self-check harness replaces the settlement token.
    function _newToken() internal virtual returns (IERC20) {
        return new StandInCurrency(address(this));
    }

    function _wireEscrow() private {
        address escrow = address(ESCROW);
        _allow(escrow, Roles.GUARDIAN, _sel(PausableModule.pause.selector));
        _allow(
            escrow,
            Roles.COUNCIL,
            _sel(PausableModule.unpause.selector, ISettlementEscrow.setInventorFloor.selector)
        );
        _allow(escrow, Roles.TRADING_CENTRE, _sel(ISettlementEscrow.open.selector));
        _allow(escrow, Roles.ACHIEVEMENT_MARKET, _sel(ISettlementEscrow.openFor.selector));
        _allow(
            escrow,
            Roles.ARBITRATOR,
            _sel(ISettlementEscrow.rule.selector, ISettlementEscrow.reassignBalance.selector)
        );
    }

    function _member(string memory name, uint64 role) private returns (FuzzActor actor) {
        actor = _newParty();
        _admit(name, address(actor), role);
        _fund(actor);
    }

    /// @dev Gives `actor` tokens and lets the escrow take them; remembers whose DID it holds.
    function _fund(FuzzActor actor) private {
        StandInCurrency(address(TOKEN)).mint(address(actor), FUNDS);
        actor.act(address(TOKEN), abi.encodeCall(IERC20.approve, (address(ESCROW), type(uint256).max)));
        uint64 did = _didOf[address(actor)];
        if (did != 0) _actorOf[did] = actor;
    }

    /// @dev Terms of an escrow: buyer, seller, broker, 1-3 holders and 0-2 inventors among the DIDs;
    /// fees and shares that usually pass; 1-3 milestones.
    function _terms(
        uint256 parties,
        uint256 terms,
        uint256 amounts
    ) private view returns (ISettlementEscrow.Terms memory t) {
        t.token = TOKEN;
        t.dealRef = keccak256(abi.encode("deal", _escrowIds.length));
        t.buyer = _anyDid(parties);
        t.seller = _anyDid(parties >> 8);
        if ((parties >> 16) % 3 == 0) {
            t.broker = _anyDid(parties >> 24);
            t.brokerBps = uint16((terms >> 16) % 1000);
        }
        t.centreFeeBps = uint16((terms >> 4) % 1500);
        t.holders = _holders(parties >> 32, terms >> 32);
        uint256 inventors = (parties >> 56) % 3;
        t.inventors = new uint64[](inventors);
        for (uint256 i = 0; i < inventors; ++i) t.inventors[i] = _anyDid(parties >> (64 + 8 * i));
        if (inventors != 0) t.inventorBps = uint16(FLOOR + ((terms >> 48) % 1000));
        t.milestones = _schedule(terms >> 64, amounts);
    }

    /// @dev 1-3 holders whose shares sum to 10,000 bps, except one time in sixteen (`terms` % 16 == 0).
    function _holders(uint256 parties, uint256 terms) private view returns (ISettlementEscrow.Share[] memory h) {
        h = new ISettlementEscrow.Share[](1 + (parties % 3));
        uint256 rest = WHOLE;
        for (uint256 i = 1; i < h.length; ++i) {
            uint256 bps = 1 + ((terms >> (16 * i)) % (rest / 2));
            h[i] = ISettlementEscrow.Share(_anyDid(parties >> (8 * i)), uint16(bps));
            rest -= bps;
        }
        if (terms % 16 == 0) rest += 1 + ((terms >> 4) % 3);
        h[0] = ISettlementEscrow.Share(_anyDid(parties >> 4), uint16(rest));
    }

    /// @dev 1-3 milestones of 1..MAX_AMOUNT units, due one to three weeks apart.
    function _schedule(uint256 terms, uint256 amounts) private view returns (ISettlementEscrow.Milestone[] memory s) {
        s = new ISettlementEscrow.Milestone[](1 + (terms % 3));
        uint256 due = block.timestamp;
        for (uint256 i = 0; i < s.length; ++i) {
            due += 1 days + ((terms >> (8 * (i + 1))) % 14 days);
            s[i] = ISettlementEscrow.Milestone(uint128(1 + ((amounts >> (40 * i)) % MAX_AMOUNT)), uint48(due));
        }
    }

    /// @dev Makes `actor` make `call`, which pays out milestone `milestone` of `id` when it goes through:
    /// the ghost ledger moves it from held to owed, and the balances of all DIDs must grow by exactly it.
    function _payOut(uint256 id, uint8 milestone, FuzzActor actor, bytes memory call, bool allowed) private {
        (ISettlementEscrow.Milestone memory terms, ) = ESCROW.milestoneOf(id, milestone);
        uint256 before = _sumOfBalances();
        if (!_try(actor, address(ESCROW), call, allowed)) return;
        if (_paidOut[id][milestone]) _releasedTwice = true;
        _paidOut[id][milestone] = true;
        _held = _less(_held, terms.amount);
        _owed += terms.amount;
        if (_sumOfBalances() != before + terms.amount) _splitLost = true;
    }

    /// @dev What every DID the harness registered may withdraw, in total.
    function _sumOfBalances() private view returns (uint256 sum) {
        for (uint256 i = 0; i < _dids.length; ++i) sum += ESCROW.balanceOf(TOKEN, _dids[i]);
    }

    /// @dev The key of the first DID from `seed` on with something to withdraw (any actor if none).
    function _creditor(uint8 seed) private view returns (FuzzActor) {
        for (uint256 i = 0; i < _dids.length; ++i) {
            uint64 did = _dids[(seed + i) % _dids.length];
            FuzzActor key = _actorOf[did];
            if (ESCROW.balanceOf(TOKEN, did) != 0 && _didOf[address(key)] == did) return key;
        }
        return _actor(seed);
    }

    /// @dev The escrow a seed picks (0 when none is open yet), with its record.
    function _escrow(uint8 seed) private view returns (uint256 id, ISettlementEscrow.Escrow memory e) {
        if (_escrowIds.length == 0) return (0, e);
        id = _escrowIds[seed % _escrowIds.length];
        e = ESCROW.escrowOf(id);
    }

    /// @dev A milestone of `e`.
    function _milestone(ISettlementEscrow.Escrow memory e, uint8 seed) private pure returns (uint8) {
        return seed % e.milestoneCount;
    }

    /// @dev `a - b`, or 0 with the conservation rule marked broken when the ledger would go negative: the
    /// ghost ledger never reverts, or a handler would undo the very call that broke a rule.
    function _less(uint256 a, uint256 b) private returns (uint256) {
        if (b <= a) return a - b;
        _conservationBroken = true;
        return 0;
    }

    /// @dev What a split returns to the buyer: up to the whole amount, or one more (refused).
    function _toBuyer(uint256 id, uint8 milestone, uint128 seed) private view returns (uint128) {
        (ISettlementEscrow.Milestone memory terms, ) = ESCROW.milestoneOf(id, milestone);
        return uint128(seed % (uint256(terms.amount) + 2));
    }

    /// @dev The key of `did` for seeds below 128 (the party the design names), else any actor.
    function _party(uint8 seed, uint64 did) private view returns (FuzzActor) {
        FuzzActor key = _actorOf[did];
        return seed < 128 && address(key) != address(0) && _didOf[address(key)] == did ? key : _actor(seed);
    }

    /// @dev The DID `actor` holds for even seeds, else any DID.
    function _asDid(FuzzActor actor, uint8 seed) private view returns (uint64) {
        return seed % 2 == 0 ? _didOf[address(actor)] : _anyDid(seed >> 1);
    }

    function _signedBy(FuzzActor signer, bytes32 digest) private view returns (bool) {
        return signer.isValidSignature(digest, "") == FuzzActor.isValidSignature.selector;
    }

    function _isPaidOut(ISettlementEscrow.MilestoneStatus status) private pure returns (bool) {
        return
            status == ISettlementEscrow.MilestoneStatus.Released ||
            status == ISettlementEscrow.MilestoneStatus.Refunded ||
            status == ISettlementEscrow.MilestoneStatus.Resolved;
    }
}
