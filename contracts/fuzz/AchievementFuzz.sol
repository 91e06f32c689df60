// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// Medusa finds property tests by their `property_` prefix, which is not mixedCase.
// solhint-disable func-name-mixedcase

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {AchievementRegistry} from "../achievement/AchievementRegistry.sol";
import {AchievementRights} from "../achievement/AchievementRights.sol";
import {IAchievementRegistry} from "../achievement/IAchievementRegistry.sol";
import {IAchievementRights} from "../achievement/IAchievementRights.sol";
import {PausableModule} from "../common/PausableModule.sol";
import {Roles} from "../governance/Roles.sol";
import {FuzzActor} from "./FuzzActor.sol";
import {FuzzSuite} from "./FuzzSuite.sol";

/**
 * @title AchievementFuzz
 * @notice Medusa harness of technology achievements (DESIGN §3: shares, consent, roles): the real
 * AchievementRegistry and AchievementRights behind proxies, wired as deploy/ wires them, with an enrolled
 * registrar, an arbitrator, the market (ACHIEVEMENT_MARKET), five parties and an outsider. The fuzzer
 * registers achievements owned by random parties with random shares, and changes, grants and pledges
 * their rights with random subsets of the parties' consents.
 * @dev The harness records every consent it gives (on-chain approval or ERC-1271 signature) as a ghost; a
 * change or pledge that goes through is checked against it: every DID holding the right now, every DID it
 * returns to and every new party must have consented, or be the DID the caller acts for.
 */
contract AchievementFuzz is FuzzSuite {
    uint256 private constant MAX_ACHIEVEMENTS = 8;
    uint256 private constant PARTIES = 5;
    uint16 private constant WHOLE = 10_000;
    uint48 private constant NO_DEADLINE = type(uint48).max;
    /// @dev 31 (region) 2026 (year) 2 (type) 00000 (serial).
    uint64 private constant FIRST_NUMBER = 312026200000;

    AchievementRegistry internal immutable REGISTRY;
    AchievementRights internal immutable RIGHTS;
    FuzzActor internal immutable REGISTRAR;
    FuzzActor internal immutable ARBITRATOR;
    FuzzActor internal immutable MARKET;

    FuzzActor[PARTIES] private _parties;
    uint256[] private _ids;
    /// @dev Ghost: consents the harness gave, by `keccak256(abi.encode(change or pledge terms))` and DID.
    mapping(bytes32 action => mapping(uint64 did => bool)) private _consented;
    bool private _loneChange;
    bool private _lonePledge;

    constructor() {
        REGISTRY = AchievementRegistry(
            _proxy(
                address(new AchievementRegistry(address(0), IDENTITY)),
                abi.encodeCall(AchievementRegistry.initialize, (address(AUTHORITY)))
            )
        );
        RIGHTS = AchievementRights(
            _proxy(
                address(new AchievementRights(address(0))),
                abi.encodeCall(AchievementRights.initialize, (address(AUTHORITY), REGISTRY, IDENTITY))
            )
        );
        _wireAchievements();
        _deployed("AchievementRegistry", address(REGISTRY));
        _deployed("AchievementRights", address(RIGHTS));
        REGISTRAR = _newParty();
        _admit("registration agency of achievements", address(REGISTRAR), Roles.REGISTRAR);
        RIGHTS.enrolRegistrar(address(REGISTRAR));
        ARBITRATOR = _newParty();
        _admit("arbitration commission", address(ARBITRATOR), Roles.ARBITRATOR);
        MARKET = _newParty();
        AUTHORITY.grantRole(Roles.ACHIEVEMENT_MARKET, address(MARKET), 0);
        for (uint256 i = 0; i < PARTIES; ++i) _parties[i] = _newParty();
        _newActor();
    }

    // ---- properties ----

    /// @notice DESIGN §3: every right of every achievement, now, apart from grants and in a running grant,
    /// is held in distinct non-zero shares summing to exactly 10,000 bps.
    function property_sharesSumToWhole() external view returns (bool) {
        for (uint256 i = 0; i < _ids.length; ++i) {
            for (uint8 r = 0; r < 4; ++r) {
                IAchievementRegistry.Right right = IAchievementRegistry.Right(r);
                (IAchievementRegistry.Holding[] memory base, IAchievementRegistry.Holding[] memory grant, ) = REGISTRY
                    .rightOf(_ids[i], right);
                if (!_whole(REGISTRY.holdingsOf(_ids[i], right)) || !_whole(base)) return false;
                if (grant.length != 0 && !_whole(grant)) return false;
            }
        }
        return true;
    }

    /// @notice DESIGN §2.3/§3: no co-owner disposes alone: every change of a right and every pledge that
    /// went through had the consent of every holder of the right (now and after its grant) and every new party.
    function property_noLoneDisposal() external view returns (bool) {
        return !_loneChange && !_lonePledge;
    }

    // ---- handlers: registration ----

    /// @notice An actor (the enrolled registrar, for seeds below 128) registers an achievement owned by the
    /// parties in `owners` (bits), with shares drawn from `shares` (one time in sixteen not summing to 10,000).
    function register(uint8 caller, uint16 serial, uint8 owners, uint256 shares, uint8 inventors) external {
        if (_ids.length >= MAX_ACHIEVEMENTS) return;
        FuzzActor actor = caller < 128 ? REGISTRAR : _actor(caller);
        IAchievementRegistry.Registration memory r;
        r.registrationNumber = FIRST_NUMBER + 1 + (serial % 99_999);
        r.kind = IAchievementRegistry.Kind.Patent;
        r.classification = IAchievementRegistry.Classification.AppliedResearch;
        r.metadata = keccak256(abi.encode("form", serial));
        r.owners = _holdings(owners, shares);
        r.holder = address(_actorOf(r.owners[0].did));
        r.form.name = "achievement";
        r.form.firstOrganisation = r.owners[0].did;
        r.inventors = new uint64[](inventors % 3);
        for (uint256 i = 0; i < r.inventors.length; ++i) r.inventors[i] = _partyDid(inventors >> (2 + 2 * i));
        bytes memory call = abi.encodeCall(IAchievementRegistry.register, (r));
        if (_try(actor, address(REGISTRY), call, actor == REGISTRAR)) _ids.push(r.registrationNumber);
    }

    // ---- handlers: consents, changes and pledges ----

    /// @notice A party (or any actor, for any DID) approves on chain the change drawn from `change`.
    function approveChange(uint8 caller, uint8 asDidSeed, uint256 change) external {
        (bool exists, IAchievementRegistry.RightsChange memory c) = _change(change);
        if (!exists) return;
        FuzzActor actor = _actor(caller);
        uint64 did = _asDid(actor, asDidSeed);
        bytes memory call = abi.encodeCall(IAchievementRights.approveRightsChange, (c, did));
        if (_try(actor, address(RIGHTS), call, _actsFor(actor, did))) _consented[keccak256(abi.encode(c))][did] = true;
    }

    /// @notice One party whose consent it needs (for seeds below 128: a co-owner trying alone) or any actor
    /// applies the change drawn from `change`, with the signed consents of the parties in `signers` (bits).
    /// It must go through only with everyone's consent.
    function changeRights(uint8 caller, uint8 asDidSeed, uint256 change, uint8 signers) external {
        (bool exists, IAchievementRegistry.RightsChange memory c) = _change(change);
        if (!exists) return;
        uint64[] memory needed = _holdersOf(c.achievement, c.right, c.holdings, 0);
        (FuzzActor actor, uint64 asDid) = _oneOf(needed, caller, asDidSeed);
        bytes32 action = keccak256(abi.encode(c));
        IAchievementRights.Consent[] memory consents = _sign(RIGHTS.rightsChangeHash(c), action, signers);
        bytes memory call = abi.encodeCall(IAchievementRights.changeRights, (c, consents, asDid));
        if (_try(actor, address(RIGHTS), call, _actsFor(actor, asDid)) && !_allConsented(action, needed, asDid)) {
            _loneChange = true;
        }
    }

    /// @notice A party (or any actor, for any DID) approves on chain the pledge drawn from `terms`.
    function approvePledge(uint8 caller, uint8 asDidSeed, uint256 terms) external {
        (bool exists, IAchievementRights.PledgeTerms memory p) = _pledgeTerms(terms);
        if (!exists) return;
        FuzzActor actor = _actor(caller);
        uint64 did = _asDid(actor, asDidSeed);
        bytes memory call = abi.encodeCall(IAchievementRights.approvePledge, (p, did));
        if (_try(actor, address(RIGHTS), call, _actsFor(actor, did))) _consented[keccak256(abi.encode(p))][did] = true;
    }

    /// @notice One party whose consent it needs (for seeds below 128) or any actor pledges an achievement (a
    /// disposal) with the signed consents of the parties in `signers`. It must go through only with every
    /// disposal-right holder's and the lender's consent.
    function pledge(uint8 caller, uint8 asDidSeed, uint256 terms, uint8 signers) external {
        (bool exists, IAchievementRights.PledgeTerms memory p) = _pledgeTerms(terms);
        if (!exists) return;
        IAchievementRegistry.Holding[] memory none;
        uint64[] memory needed = _holdersOf(p.achievement, IAchievementRegistry.Right.Disposal, none, p.lender);
        (FuzzActor actor, uint64 asDid) = _oneOf(needed, caller, asDidSeed);
        bytes32 action = keccak256(abi.encode(p));
        IAchievementRights.Consent[] memory consents = _sign(RIGHTS.pledgeHash(p), action, signers);
        bytes memory call = abi.encodeCall(IAchievementRights.pledge, (p, consents, asDid));
        if (_try(actor, address(RIGHTS), call, _actsFor(actor, asDid)) && !_allConsented(action, needed, asDid)) {
            _lonePledge = true;
        }
    }

    /// @notice The lender (or any actor, for any DID) releases a pledge.
    function releasePledge(uint8 caller, uint8 asDidSeed, uint8 idSeed) external {
        if (_ids.length == 0) return;
        uint256 id = _ids[idSeed % _ids.length];
        uint64 lender = RIGHTS.pledgeOf(id).lender;
        FuzzActor actor = caller < 128 && lender != 0 ? _actorOf(lender) : _actor(caller);
        uint64 asDid = _asDid(actor, asDidSeed);
        bytes memory call = abi.encodeCall(IAchievementRights.releasePledge, (id, asDid));
        _try(actor, address(RIGHTS), call, _actsFor(actor, asDid) && asDid == lender);
    }

    /// @notice An actor opens a dispute for its own DID (one time in eight: a dispute locks the achievement
    /// until the arbitrator closes it) or for any DID.
    function openDispute(uint8 caller, uint8 asDidSeed, uint8 idSeed) external {
        if (_ids.length == 0) return;
        uint256 id = _ids[idSeed % _ids.length];
        FuzzActor actor = _actor(caller);
        uint64 asDid = asDidSeed % 8 == 0 ? _didOf[address(actor)] : _anyDid(asDidSeed >> 3);
        bytes memory call = abi.encodeCall(IAchievementRights.openDispute, (id, asDid, bytes32("case")));
        _try(actor, address(RIGHTS), call, _actsFor(actor, asDid) && REGISTRY.isParty(id, asDid));
    }

    // ---- handlers: the arbitrator, the market, and calls that no actor may make ----

    /// @notice The arbitrator (or any actor) closes a dispute, freezes, unfreezes, releases a pledge or
    /// orders the change drawn from `change` (`action` picks which).
    function order(uint8 caller, uint8 action, uint256 change) external {
        (bool exists, IAchievementRegistry.RightsChange memory c) = _change(change);
        if (!exists) return;
        FuzzActor actor = caller < 128 ? ARBITRATOR : _actor(caller);
        uint256 id = c.achievement;
        bytes32 caseRef = keccak256("case");
        bytes memory call;
        if (action % 5 == 0) call = abi.encodeCall(IAchievementRights.closeDispute, (id, caseRef));
        else if (action % 5 == 1) call = abi.encodeCall(IAchievementRights.freeze, (id, caseRef));
        else if (action % 5 == 2) call = abi.encodeCall(IAchievementRights.unfreeze, (id, caseRef));
        else if (action % 5 == 3) call = abi.encodeCall(IAchievementRights.releasePledgeByOrder, (id, caseRef));
        else call = abi.encodeCall(IAchievementRights.orderRightsChange, (c, caseRef));
        _try(actor, address(RIGHTS), call, actor == ARBITRATOR);
    }

    /// @notice The market (or any actor) marks an achievement listed, delisted or licensed.
    function market(uint8 caller, uint8 action, uint8 idSeed) external {
        if (_ids.length == 0) return;
        uint256 id = _ids[idSeed % _ids.length];
        FuzzActor actor = caller < 128 ? MARKET : _actor(caller);
        uint64 did = _didOf[address(actor)];
        bytes memory call;
        if (action % 3 == 0) call = abi.encodeCall(IAchievementRegistry.markListed, (id, did));
        else if (action % 3 == 1) call = abi.encodeCall(IAchievementRegistry.markDelisted, (id, did));
        else call = abi.encodeCall(IAchievementRegistry.markLicensed, (id, did));
        _try(actor, address(REGISTRY), call, actor == MARKET);
    }

    /// @notice Any actor tries what only the rights contract, the council or the registry's own flows may
    /// do: apply a change or set a lock in the registry directly, enrol itself, move or approve a token.
    function bypass(uint8 caller, uint8 action, uint256 change) external {
        (bool exists, IAchievementRegistry.RightsChange memory c) = _change(change);
        if (!exists) return;
        FuzzActor actor = _actor(caller);
        uint256 id = c.achievement;
        uint64 did = _didOf[address(actor)];
        bytes memory call;
        if (action % 7 == 0) call = abi.encodeCall(IAchievementRegistry.applyRightsChange, (c, did, 0, 0));
        else if (action % 7 == 1)
            call = abi.encodeCall(IAchievementRegistry.setLock, (id, IAchievementRegistry.Lock.Frozen, action > 128));
        else if (action % 7 == 2)
            call = abi.encodeCall(
                IAchievementRegistry.setEnrolment,
                (IAchievementRegistry.Enrolment.Registrar, address(actor), did)
            );
        else if (action % 7 == 3)
            call = abi.encodeCall(IERC721.transferFrom, (REGISTRY.ownerOf(id), address(actor), id));
        else if (action % 7 == 4) call = abi.encodeCall(IERC721.approve, (address(actor), id));
        else if (action % 7 == 5) call = abi.encodeCall(IAchievementRights.setEvaluatorTopic, (uint32(action)));
        else call = abi.encodeCall(PausableModule.unpause, ());
        _try(actor, action % 7 == 5 ? address(RIGHTS) : address(REGISTRY), call, false);
    }

    // ---- internals ----

    function _wireAchievements() private {
        address registry = address(REGISTRY);
        _allowUpgradeAndPause(registry);
        _allow(registry, Roles.COUNCIL, _sel(AchievementRegistry.setBaseURI.selector, PausableModule.unpause.selector));
        _allow(
            registry,
            Roles.ACHIEVEMENT_RIGHTS,
            _sel(
                IAchievementRegistry.applyRightsChange.selector,
                IAchievementRegistry.setLock.selector,
                IAchievementRegistry.setEnrolment.selector
            )
        );
        _allow(
            registry,
            Roles.ACHIEVEMENT_MARKET,
            _sel(
                IAchievementRegistry.markListed.selector,
                IAchievementRegistry.markDelisted.selector,
                IAchievementRegistry.markLicensed.selector
            )
        );
        address rights = address(RIGHTS);
        _allowUpgradeAndPause(rights);
        _allow(
            rights,
            Roles.COUNCIL,
            _sel(IAchievementRights.setEvaluatorTopic.selector, PausableModule.unpause.selector)
        );
        _allow(
            rights,
            Roles.ARBITRATOR,
            _sel(
                IAchievementRights.releasePledgeByOrder.selector,
                IAchievementRights.closeDispute.selector,
                IAchievementRights.freeze.selector,
                IAchievementRights.unfreeze.selector,
                IAchievementRights.orderRightsChange.selector
            )
        );
        AUTHORITY.grantRole(Roles.ACHIEVEMENT_RIGHTS, rights, 0);
    }

    /// @dev The change `seed` draws: an achievement, a right, 1-3 new holders among the parties with shares
    /// that usually sum to 10,000, permanent or granted until the end of one of the next weeks. Its version
    /// is the achievement's current one; its deadline never passes, so an approval and the change it
    /// approves, drawn from the same seed in the same week, are the same change.
    function _change(uint256 seed) private view returns (bool, IAchievementRegistry.RightsChange memory c) {
        if (_ids.length == 0) return (false, c);
        c.achievement = _ids[seed % _ids.length];
        c.right = IAchievementRegistry.Right((seed >> 8) % 4);
        c.holdings = _holdings(uint8(seed >> 16), seed >> 24);
        uint256 term = (seed >> 10) % 4;
        if (term != 0) c.until = uint48((block.timestamp / 1 weeks + term) * 1 weeks);
        else if (c.right == IAchievementRegistry.Right.Ownership) c.holder = address(_actorOf(c.holdings[0].did));
        c.version = REGISTRY.getAchievement(c.achievement).version;
        c.deadline = NO_DEADLINE;
        return (true, c);
    }

    /// @dev The pledge terms `seed` draws: an achievement, a lender among all DIDs, until one of the next weeks.
    function _pledgeTerms(uint256 seed) private view returns (bool, IAchievementRights.PledgeTerms memory p) {
        if (_ids.length == 0) return (false, p);
        p.achievement = _ids[seed % _ids.length];
        p.lender = _anyDid(seed >> 8);
        p.securedAmount = 1e6;
        p.until = uint48((block.timestamp / 1 weeks + 1 + ((seed >> 16) % 4)) * 1 weeks);
        p.contractHash = keccak256("loan contract");
        p.version = REGISTRY.getAchievement(p.achievement).version;
        p.deadline = NO_DEADLINE;
        return (true, p);
    }

    /// @dev The parties in `mask` (the first party if none) with shares drawn from `shares`, summing to
    /// 10,000 except one time in sixteen.
    function _holdings(uint8 mask, uint256 shares) private view returns (IAchievementRegistry.Holding[] memory h) {
        uint256 count;
        for (uint256 i = 0; i < PARTIES; ++i) if (mask & (1 << i) != 0) ++count;
        if (count == 0) (mask, count) = (1, 1);
        h = new IAchievementRegistry.Holding[](count);
        uint256 rest = WHOLE;
        uint256 n;
        for (uint256 i = 0; i < PARTIES; ++i) {
            if (mask & (1 << i) == 0) continue;
            uint256 bps = n + 1 == count ? rest : 1 + ((shares >> (16 * n)) % (rest - (count - n - 1)));
            h[n++] = IAchievementRegistry.Holding(_didOf[address(_parties[i])], uint16(bps));
            rest -= bps;
        }
        if (shares % 16 == 0) h[0].bps += 1;
    }

    /// @dev Makes the parties in `signers` sign `digest` (ERC-1271) and returns their consents; records them.
    function _sign(
        bytes32 digest,
        bytes32 action,
        uint8 signers
    ) private returns (IAchievementRights.Consent[] memory consents) {
        consents = new IAchievementRights.Consent[](PARTIES);
        uint256 n;
        for (uint256 i = 0; i < PARTIES; ++i) {
            if (signers & (1 << i) == 0) continue;
            FuzzActor party = _parties[i];
            party.sign(digest);
            uint64 did = _didOf[address(party)];
            consents[n++] = IAchievementRights.Consent(did, address(party), "");
            if (_actsFor(party, did)) _consented[action][did] = true;
        }
        assembly ("memory-safe") {
            mstore(consents, n)
        }
    }

    /// @dev The DIDs whose consent a change of `right` of `id` needs at least: its holders now, the holders
    /// it returns to after a grant, the new `holdings`, and `extra` (a lender) if not 0.
    function _holdersOf(
        uint256 id,
        IAchievementRegistry.Right right,
        IAchievementRegistry.Holding[] memory holdings,
        uint64 extra
    ) private view returns (uint64[] memory out) {
        IAchievementRegistry.Holding[] memory current = REGISTRY.holdingsOf(id, right);
        (IAchievementRegistry.Holding[] memory base, , ) = REGISTRY.rightOf(id, right);
        out = new uint64[](current.length + base.length + holdings.length + 1);
        uint256 n;
        for (uint256 i = 0; i < current.length; ++i) out[n++] = current[i].did;
        for (uint256 i = 0; i < base.length; ++i) out[n++] = base[i].did;
        for (uint256 i = 0; i < holdings.length; ++i) out[n++] = holdings[i].did;
        out[n] = extra;
    }

    /// @dev For seeds below 128, the key of one of the DIDs in `needed`, acting for it; else any actor, acting for
    /// its own DID or any DID.
    function _oneOf(
        uint64[] memory needed,
        uint8 caller,
        uint8 asDidSeed
    ) private view returns (FuzzActor actor, uint64 asDid) {
        uint64 did = needed[caller % needed.length];
        if (caller < 128 && did != 0) return (_actorOf(did), did);
        actor = _actor(caller);
        asDid = _asDid(actor, asDidSeed);
    }

    function _allConsented(bytes32 action, uint64[] memory needed, uint64 asDid) private view returns (bool) {
        for (uint256 i = 0; i < needed.length; ++i) {
            uint64 did = needed[i];
            if (did != 0 && did != asDid && !_consented[action][did]) return false;
        }
        return true;
    }

    function _whole(IAchievementRegistry.Holding[] memory list) private pure returns (bool) {
        uint256 sum;
        for (uint256 i = 0; i < list.length; ++i) {
            if (list[i].bps == 0) return false;
            for (uint256 j = 0; j < i; ++j) if (list[j].did == list[i].did) return false;
            sum += list[i].bps;
        }
        return sum == WHOLE;
    }

    /// @dev The actor whose key `did` holds (parties and the three agencies).
    function _actorOf(uint64 did) private view returns (FuzzActor) {
        for (uint256 i = 0; i < _actors.length; ++i) if (_didOf[address(_actors[i])] == did) return _actors[i];
        return _actors[_actors.length - 1];
    }

    function _partyDid(uint256 seed) private view returns (uint64) {
        return _didOf[address(_parties[seed % PARTIES])];
    }

    /// @dev The DID `actor` holds for even seeds, else any DID.
    function _asDid(FuzzActor actor, uint8 seed) private view returns (uint64) {
        return seed % 2 == 0 ? _didOf[address(actor)] : _anyDid(seed >> 1);
    }
}
