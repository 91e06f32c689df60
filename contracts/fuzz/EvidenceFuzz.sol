// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// Medusa finds property tests by their `property_` prefix, which is not mixedCase.
// solhint-disable func-name-mixedcase

import {Roles} from "../governance/Roles.sol";
import {IEvidenceRegistry} from "../evidence/IEvidenceRegistry.sol";
import {EvidenceRegistry} from "../evidence/EvidenceRegistry.sol";
import {FuzzActor} from "./FuzzActor.sol";
import {FuzzSuite} from "./FuzzSuite.sol";

/**
 * @title EvidenceFuzz
 * @notice Medusa harness of evidence notarization (DESIGN §3: evidence never overwritten, roles): the real
 * EvidenceRegistry, wired as deploy/ wires it, with two notary agencies, an arbitrator, a guardian, two
 * parties and an outsider. Digests come from a small pool, so the fuzzer keeps trying to notarize,
 * anchor or supersede what already exists.
 * @dev Every record, revocation and supersession link is snapshotted when it is written; the property
 * compares them all with the registry afterwards: only the status may move, and only as the calls that
 * went through moved it.
 */
contract EvidenceFuzz is FuzzSuite {
    uint256 private constant POOL = 32;
    uint256 private constant MAX_KEYS = 96;
    bytes32 private constant CASE = keccak256("case");

    EvidenceRegistry internal immutable EVIDENCE;
    FuzzActor internal immutable NOTARY_A;
    FuzzActor internal immutable NOTARY_B;
    FuzzActor internal immutable ARBITRATOR;
    FuzzActor internal immutable GUARDIAN;
    uint256 private immutable NOTARY_A_MEMBER;
    uint256 private immutable NOTARY_B_MEMBER;

    /// @dev Ghost: every record and root written, as written (status: as the calls moved it).
    bytes32[] private _keys;
    mapping(bytes32 key => IEvidenceRegistry.Record) private _records;
    /// @dev Ghost: every revocation written (records' and Merkle documents'), as written.
    bytes32[] private _revokedKeys;
    mapping(bytes32 key => IEvidenceRegistry.Revocation) private _revocations;
    mapping(bytes32 key => uint256) private _endorsements;
    mapping(address notary => bool) private _suspended;
    bool private _overwritten;

    constructor() {
        EVIDENCE = new EvidenceRegistry(address(AUTHORITY), IDENTITY, address(0));
        address evidence = address(EVIDENCE);
        _allow(evidence, Roles.GUARDIAN, _sel(IEvidenceRegistry.pause.selector));
        _allow(evidence, Roles.COUNCIL, _sel(IEvidenceRegistry.unpause.selector));
        _allow(
            evidence,
            Roles.ARBITRATOR,
            _sel(IEvidenceRegistry.revokeByOrder.selector, IEvidenceRegistry.revokeDocumentByOrder.selector)
        );
        _deployed("EvidenceRegistry", evidence);
        NOTARY_A = _newParty();
        NOTARY_A_MEMBER = _admit("notary office A", address(NOTARY_A), Roles.NOTARY);
        NOTARY_B = _newParty();
        NOTARY_B_MEMBER = _admit("notary office B", address(NOTARY_B), Roles.NOTARY);
        EVIDENCE.enrolNotary(address(NOTARY_A));
        EVIDENCE.enrolNotary(address(NOTARY_B));
        ARBITRATOR = _newParty();
        _admit("court", address(ARBITRATOR), Roles.ARBITRATOR);
        GUARDIAN = _newParty();
        _admit("guardian agency", address(GUARDIAN), Roles.GUARDIAN);
        _newParty();
        _newParty();
        _newActor();
    }

    // ---- properties ----

    /// @notice DESIGN §2.2/§3: a record is never deleted or overwritten: every record and root keeps what
    /// it was notarized with, its status moves only as supersessions and revocations moved it, and no
    /// revocation, supersession link or endorsement is ever replaced or lost.
    function property_evidenceNeverOverwritten() external view returns (bool) {
        if (_overwritten) return false;
        for (uint256 i = 0; i < _keys.length; ++i) {
            bytes32 key = _keys[i];
            if (keccak256(abi.encode(EVIDENCE.recordOf(key))) != keccak256(abi.encode(_records[key]))) return false;
            if (EVIDENCE.endorsementsOf(key).length != _endorsements[key]) return false;
        }
        for (uint256 i = 0; i < _revokedKeys.length; ++i) {
            bytes32 key = _revokedKeys[i];
            IEvidenceRegistry.Revocation memory r = EVIDENCE.revocationOf(key);
            if (keccak256(abi.encode(r)) != keccak256(abi.encode(_revocations[key]))) return false;
        }
        return true;
    }

    // ---- handlers: notaries ----

    /// @notice A notary (or any actor) notarizes a digest of the pool.
    function notarize(uint8 caller, uint8 digestSeed, uint8 algorithm, uint32 category) external {
        if (_keys.length >= MAX_KEYS) return;
        FuzzActor actor = _notaryOr(caller);
        bytes32 digest = _digest(digestSeed);
        bytes memory call = abi.encodeCall(
            IEvidenceRegistry.notarize,
            (digest, IEvidenceRegistry.Algorithm(algorithm % 4), category, "ref", "meta")
        );
        if (_try(actor, address(EVIDENCE), call, _mayNotarize(actor))) _written(digest);
    }

    /// @notice A notary (or any actor) notarizes an indexed batch of one to four digests of the pool.
    function notarizeBatch(uint8 caller, uint32 seeds, uint8 count) external {
        if (_keys.length >= MAX_KEYS) return;
        FuzzActor actor = _notaryOr(caller);
        bytes32[] memory digests = new bytes32[](1 + (count % 4));
        for (uint256 i = 0; i < digests.length; ++i) digests[i] = _digest(uint8(seeds >> (8 * i)));
        bytes memory call = abi.encodeCall(
            IEvidenceRegistry.notarizeBatch,
            (digests, IEvidenceRegistry.Algorithm.SM3, 7, "ref", "meta")
        );
        if (!_try(actor, address(EVIDENCE), call, _mayNotarize(actor))) return;
        for (uint256 i = 0; i < digests.length; ++i) _written(digests[i]);
    }

    /// @notice A notary (or any actor) anchors the Merkle root of two digests of the pool.
    function anchorRoot(uint8 caller, uint8 a, uint8 b, uint64 size) external {
        if (_keys.length >= MAX_KEYS) return;
        FuzzActor actor = _notaryOr(caller);
        (bytes32 root, ) = _root(a, b, true);
        bytes memory call = abi.encodeCall(
            IEvidenceRegistry.anchorRoot,
            (root, size % 4, IEvidenceRegistry.Algorithm.SHA256, 7, "ref", "meta")
        );
        if (_try(actor, address(EVIDENCE), call, _mayNotarize(actor))) _written(root);
    }

    /// @notice A notary (or any actor) corrects a record with a new digest of the pool.
    function supersede(uint8 caller, uint8 oldSeed, uint8 newSeed) external {
        if (_keys.length >= MAX_KEYS) return;
        FuzzActor actor = _notaryOr(caller);
        bytes32 old = _key(oldSeed);
        bytes32 replacement = _digest(newSeed);
        bytes memory call = abi.encodeCall(
            IEvidenceRegistry.supersede,
            (old, replacement, IEvidenceRegistry.Algorithm.SM3, 7, "ref", "meta")
        );
        bool allowed = _mayNotarize(actor) && _isSubmitter(actor, old);
        if (!_try(actor, address(EVIDENCE), call, allowed)) return;
        _records[old].status = IEvidenceRegistry.RecordStatus.Superseded;
        _written(replacement);
    }

    // ---- handlers: revocations and endorsements ----

    /// @notice The submitter (or any actor) revokes a record or root; the arbitrator (or any actor, for odd
    /// `how`) revokes it by order.
    function revoke(uint8 caller, uint8 keySeed, uint8 how) external {
        bytes32 key = _key(keySeed);
        FuzzActor actor = _actor(caller);
        bool byOrder = how % 2 == 1;
        if (byOrder && caller < 128) actor = ARBITRATOR;
        bytes memory call =
            byOrder
                ? abi.encodeCall(IEvidenceRegistry.revokeByOrder, (key, "order"))
                : abi.encodeCall(IEvidenceRegistry.revoke, (key, "reason"));
        bool allowed = byOrder ? actor == ARBITRATOR : _isSubmitter(actor, key) && _hasActiveDid(actor);
        if (!_try(actor, address(EVIDENCE), call, allowed)) return;
        _records[key].status = IEvidenceRegistry.RecordStatus.Revoked;
        _revoked(key);
    }

    /// @notice The submitter of a root (or any actor) revokes one of its two documents by proof; the
    /// arbitrator (or any actor, for odd `how`) revokes it by order.
    function revokeDocument(uint8 caller, uint8 a, uint8 b, uint8 how) external {
        (bytes32 root, bytes32 proof) = _root(a, b, how < 128);
        bytes32 digest = _digest(how < 128 ? a : b);
        FuzzActor actor = _actor(caller);
        bool byOrder = how % 2 == 1;
        if (byOrder && caller < 128) actor = ARBITRATOR;
        bytes32[] memory path = new bytes32[](1);
        path[0] = proof;
        bytes memory call =
            byOrder
                ? abi.encodeCall(IEvidenceRegistry.revokeDocumentByOrder, (root, digest, "order"))
                : abi.encodeCall(IEvidenceRegistry.revokeDocument, (root, digest, path, "reason"));
        bool allowed = byOrder ? actor == ARBITRATOR : _isSubmitter(actor, root) && _hasActiveDid(actor);
        if (_try(actor, address(EVIDENCE), call, allowed)) _revoked(EVIDENCE.documentKey(root, digest));
    }

    /// @notice An actor with an active DID (or any actor) endorses a record or root.
    function endorse(uint8 caller, uint8 keySeed) external {
        bytes32 key = _key(keySeed);
        FuzzActor actor = _actor(caller);
        bytes memory call = abi.encodeCall(IEvidenceRegistry.endorse, (key, "note"));
        if (_try(actor, address(EVIDENCE), call, _hasActiveDid(actor))) ++_endorsements[key];
    }

    // ---- handlers: the notary cache, pauses and the council ----

    /// @notice Any actor enrols (even `how`) or drops an account as a notary: only a qualified one may be
    /// enrolled, only one no longer qualified dropped.
    function enrolOrDrop(uint8 caller, uint8 account, uint8 how) external {
        FuzzActor actor = _actor(caller);
        FuzzActor target = _actor(account);
        bool qualified = _qualifies(target);
        bytes memory call =
            how % 2 == 0
                ? abi.encodeCall(IEvidenceRegistry.enrolNotary, (address(target)))
                : abi.encodeCall(IEvidenceRegistry.dropNotary, (address(target)));
        _try(actor, address(EVIDENCE), call, how % 2 == 0 ? qualified && !EVIDENCE.paused() : !qualified);
    }

    /// @notice The guardian (for seeds below 16: a pause stops notarization) or any actor pauses; the council
    /// (or, refused, any actor) unpauses.
    function pauseOrUnpause(uint8 caller, bool pausing) external {
        FuzzActor actor = caller < 16 ? GUARDIAN : _actor(caller);
        if (pausing) {
            _try(actor, address(EVIDENCE), abi.encodeCall(IEvidenceRegistry.pause, ()), actor == GUARDIAN);
        } else if (caller < 16) {
            try EVIDENCE.unpause() {} catch {} // solhint-disable-line no-empty-blocks
        } else {
            _try(actor, address(EVIDENCE), abi.encodeCall(IEvidenceRegistry.unpause, ()), false);
        }
    }

    /// @notice The council suspends a notary office (its role is revoked at once) or reinstates it.
    function suspendOrReinstate(bool officeA) external {
        FuzzActor notary = officeA ? NOTARY_A : NOTARY_B;
        uint256 member = officeA ? NOTARY_A_MEMBER : NOTARY_B_MEMBER;
        if (_suspended[address(notary)]) MEMBERS.reinstateMember(member);
        else MEMBERS.suspendMember(member, "audit");
        _suspended[address(notary)] = !_suspended[address(notary)];
    }

    // ---- internals ----

    /// @dev Snapshots the record `key` just written; a key written before was overwritten.
    function _written(bytes32 key) private {
        if (_records[key].status != IEvidenceRegistry.RecordStatus.None) _overwritten = true;
        _records[key] = EVIDENCE.recordOf(key);
        _keys.push(key);
    }

    /// @dev Snapshots the revocation of `key` just written; a key revoked before had its revocation replaced.
    function _revoked(bytes32 key) private {
        if (_revocations[key].at != 0) _overwritten = true;
        _revocations[key] = EVIDENCE.revocationOf(key);
        _revokedKeys.push(key);
    }

    /// @dev A notary office for seeds below 128 (either one), else any actor.
    function _notaryOr(uint8 seed) private view returns (FuzzActor) {
        if (seed < 128) return seed % 2 == 0 ? NOTARY_A : NOTARY_B;
        return _actor(seed);
    }

    /// @dev Who may notarize: the two notary offices (enrolled at set-up, whose cache a suspension does not
    /// clear until someone drops them), never while paused.
    function _mayNotarize(FuzzActor actor) private view returns (bool) {
        return (actor == NOTARY_A || actor == NOTARY_B) && !EVIDENCE.paused();
    }

    /// @dev Whether `actor` qualifies as a notary now: a notary office not suspended, with an active DID.
    function _qualifies(FuzzActor actor) private view returns (bool) {
        return (actor == NOTARY_A || actor == NOTARY_B) && !_suspended[address(actor)] && _hasActiveDid(actor);
    }

    function _isSubmitter(FuzzActor actor, bytes32 key) private view returns (bool) {
        uint64 did = _didOf[address(actor)];
        return did != 0 && _records[key].submitter == did;
    }

    function _hasActiveDid(FuzzActor actor) private view returns (bool) {
        uint64 did = _didOf[address(actor)];
        return did != 0 && _isActive(did);
    }

    /// @dev A digest of the pool.
    function _digest(uint8 seed) private pure returns (bytes32) {
        return keccak256(abi.encode("document", seed % POOL));
    }

    /// @dev A key written so far for low seeds, else a digest of the pool (which may not exist).
    function _key(uint8 seed) private view returns (bytes32) {
        if (seed < 192 && _keys.length != 0) return _keys[seed % _keys.length];
        return _digest(seed);
    }

    /// @dev The Merkle root (OpenZeppelin standard tree) of the documents `a` and `b`, and the proof of
    /// `a` (`ofA`) or of `b`: the other leaf.
    function _root(uint8 a, uint8 b, bool ofA) private pure returns (bytes32 root, bytes32 proof) {
        bytes32 leafA = keccak256(bytes.concat(keccak256(abi.encode(_digest(a)))));
        bytes32 leafB = keccak256(bytes.concat(keccak256(abi.encode(_digest(b)))));
        root = leafA < leafB ? keccak256(abi.encode(leafA, leafB)) : keccak256(abi.encode(leafB, leafA));
        proof = ofA ? leafB : leafA;
    }
}
