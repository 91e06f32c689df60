// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {GovernedUpgradeable} from "../common/GovernedUpgradeable.sol";
import {RelayedModule} from "../common/RelayedModule.sol";
import {IMemberRegistry} from "../consortium/IMemberRegistry.sol";
import {IIdentityGate} from "./IIdentityGate.sol";
import {KeyPurposes} from "./KeyPurposes.sol";
import {Scopes} from "./Scopes.sol";
import {IIdentityRegistry} from "./IIdentityRegistry.sol";

/**
 * @title IdentityRegistry
 * @notice DIDs, keys, recovery, mandates, claim topics, trusted issuers and claims.
 * @dev Claims are kept per (subject, topic): claim id `subject << 64 | topic << 32 | n`. The record of
 * the first claim (n = 0) of a topic also holds how many claims the topic has and the previous topic
 * of the subject, and the DID record holds the subject's last topic. So "has a valid claim" reads one
 * record in the common case, the subject's claims can be listed, and a first claim writes two slots.
 */
contract IdentityRegistry is IIdentityRegistry, RelayedModule {
    uint256 public constant MAX_KEYS = 8;

    /// @dev Slot 0 of a DID: everything but the commitment, read by every check.
    struct DidRecord {
        DidKind kind;
        DidStatus status;
        uint8 keyCount;
        uint32 version;
        /// @dev The topic of the subject's latest first-of-topic claim (head of its topic list).
        uint32 lastTopic;
        uint32 registrar;
        uint48 createdAt;
        uint48 updatedAt;
    }

    struct KeyRecord {
        uint64 did;
        uint8 purposes;
        uint8 index;
    }

    // 256 bits: one slot (the linter counts the enum and the bool as full words).
    // solhint-disable-next-line gas-struct-packing
    struct ClaimRecord {
        uint64 issuer;
        uint40 validFrom;
        uint40 validUntil;
        uint40 issuedAt;
        ClaimStatus status;
        /// @dev In the topic's first claim only: how many claims of the topic the subject has.
        uint24 count;
        /// @dev In the topic's first claim only: the subject's previous topic.
        uint32 prevTopic;
        /// @dev In the topic's first claim only: the subject is not active (mirrors its status, so
        /// that a claim check reads no DID record).
        bool subjectInactive;
    }

    /// @custom:storage-location erc7201:govledger.storage.IdentityRegistry
    struct IdentityStorage {
        IMemberRegistry members;
        uint64 didCount;
        uint32 topicCount;
        mapping(uint64 did => DidRecord) dids;
        mapping(uint64 did => bytes32) commitments;
        mapping(address key => KeyRecord) keys;
        mapping(uint64 did => mapping(uint256 index => address)) keyAt;
        mapping(uint64 org => mapping(uint64 representative => Mandate)) mandates;
        mapping(uint32 topic => Topic) topics;
        mapping(uint64 issuer => mapping(uint32 topic => Accreditation)) accreditations;
        mapping(uint256 claimId => ClaimRecord) claims;
        mapping(uint256 claimId => bytes32) claimData;
    }

    // keccak256(abi.encode(uint256(keccak256("govledger.storage.IdentityRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0x2d48026693091925c83337c953ef0eb2fe654114ec84fde7c55522e6969a4000;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(address forwarder) RelayedModule(forwarder) {}

    /// @notice Sets up the registry under `authority`; registrars are named by `members`.
    function initialize(address authority, IMemberRegistry members) external initializer {
        __PausableModule_init(authority);
        _storage().members = members;
    }

    /// @inheritdoc GovernedUpgradeable
    function version() external pure virtual override returns (string memory) {
        return "1.0.0";
    }

    // ---- DIDs ----

    /// @inheritdoc IIdentityRegistry
    function register(
        DidKind kind,
        bytes32 commitment,
        Key[] calldata keys
    ) external restricted whenNotPaused returns (uint64 did) {
        uint32 registrar = _registrarMember();
        did = _create(kind, commitment, DidStatus.Active, registrar);
        bool authenticates;
        for (uint256 i = 0; i < keys.length; ++i) {
            _addKey(did, keys[i].account, keys[i].purposes);
            authenticates = authenticates || keys[i].purposes & KeyPurposes.AUTHENTICATION != 0;
        }
        if (!authenticates) revert IdentityLastAuthenticationKey(did);
    }

    /// @inheritdoc IIdentityRegistry
    function selfRegister(DidKind kind, bytes32 commitment) external whenNotPaused returns (uint64 did) {
        did = _create(kind, commitment, DidStatus.Pending, 0);
        _addKey(did, _msgSender(), KeyPurposes.ALL);
    }

    /// @inheritdoc IIdentityRegistry
    function verify(uint64 did) external restricted whenNotPaused {
        DidRecord storage d = _didIn(did, DidStatus.Pending);
        uint32 registrar = _registrarMember();
        d.registrar = registrar;
        _setStatus(did, d, DidStatus.Active);
        emit DidVerified(did, registrar);
    }

    /// @inheritdoc IIdentityRegistry
    function suspend(uint64 did, bytes32 reasonHash) external restricted {
        DidRecord storage d = _existingDid(did);
        if (d.status != DidStatus.Active && d.status != DidStatus.Pending) {
            revert IdentityUnexpectedStatus(did, d.status);
        }
        _setStatus(did, d, DidStatus.Suspended);
        emit DidSuspended(did, reasonHash);
    }

    /// @inheritdoc IIdentityRegistry
    function reinstate(uint64 did) external restricted whenNotPaused {
        DidRecord storage d = _didIn(did, DidStatus.Suspended);
        // A DID suspended before any registrar verified it goes back to waiting for verification.
        _setStatus(did, d, d.registrar == 0 ? DidStatus.Pending : DidStatus.Active);
        emit DidReinstated(did);
    }

    /// @inheritdoc IIdentityRegistry
    function deactivate(uint64 did, bytes32 reasonHash) external restricted whenNotPaused {
        DidRecord storage d = _openDid(did);
        _removeAllKeys(did);
        _setStatus(did, d, DidStatus.Deactivated);
        emit DidDeactivated(did, reasonHash);
    }

    /// @inheritdoc IIdentityRegistry
    function updateCommitment(uint64 did, bytes32 commitment) external restricted whenNotPaused {
        DidRecord storage d = _openDid(did);
        if (commitment == bytes32(0)) revert IdentityEmptyCommitment();
        _storage().commitments[did] = commitment;
        _touch(d);
        emit CommitmentUpdated(did, commitment);
    }

    // ---- keys ----

    /// @inheritdoc IIdentityRegistry
    function addKey(uint64 did, address key, uint8 purposes) external whenNotPaused {
        _requireActor(_msgSender(), did, Scopes.IDENTITY);
        _addKey(did, key, purposes);
        _touch(_storage().dids[did]);
    }

    /// @inheritdoc IIdentityRegistry
    function removeKey(uint64 did, address key) external whenNotPaused {
        _requireActor(_msgSender(), did, Scopes.IDENTITY);
        IdentityStorage storage $ = _storage();
        KeyRecord memory k = _keyOf(did, key);
        _removeKeyAt(did, k.index, key);
        if (k.purposes & KeyPurposes.AUTHENTICATION != 0 && !_hasAuthenticationKey(did)) {
            revert IdentityLastAuthenticationKey(did);
        }
        _touch($.dids[did]);
    }

    /// @inheritdoc IIdentityRegistry
    function rotateKey(uint64 did, address oldKey, address newKey) external whenNotPaused {
        _requireActor(_msgSender(), did, Scopes.IDENTITY);
        IdentityStorage storage $ = _storage();
        KeyRecord memory k = _keyOf(did, oldKey);
        _claimKey(newKey);
        delete $.keys[oldKey];
        $.keys[newKey] = k;
        $.keyAt[did][k.index] = newKey;
        _touch($.dids[did]);
        emit KeyRotated(did, oldKey, newKey);
    }

    /// @inheritdoc IIdentityRegistry
    function resetKeys(uint64 did, address newKey) external restricted whenNotPaused {
        DidRecord storage d = _openDid(did);
        _removeAllKeys(did);
        _addKey(did, newKey, KeyPurposes.ALL);
        _touch(d);
    }

    /// @inheritdoc IIdentityRegistry
    function requireFreeKey(address newKey) external view {
        _claimKey(newKey);
    }

    /// @inheritdoc IIdentityRegistry
    function statusOf(uint64 did) external view returns (DidStatus) {
        return _storage().dids[did].status;
    }

    // ---- mandates ----

    /// @inheritdoc IIdentityRegistry
    function grantMandate(uint64 org, uint64 representative, uint32 scopes, uint48 validUntil) external whenNotPaused {
        _requireActor(_msgSender(), org, Scopes.IDENTITY);
        if (_storage().dids[org].kind != DidKind.Organisation) revert IdentityNotOrganisation(org);
        _existingDid(representative);
        if (scopes == 0 || scopes & ~Scopes.ALL != 0 || validUntil <= _now() || representative == org) {
            revert IdentityInvalidMandate(org, representative);
        }
        _storage().mandates[org][representative] = Mandate(scopes, _now(), validUntil);
        emit MandateGranted(org, representative, scopes, validUntil);
    }

    /// @inheritdoc IIdentityRegistry
    function revokeMandate(uint64 org, uint64 representative) external {
        _requireActor(_msgSender(), org, Scopes.IDENTITY);
        IdentityStorage storage $ = _storage();
        if ($.mandates[org][representative].scopes == 0) revert IdentityUnknownMandate(org, representative);
        delete $.mandates[org][representative];
        emit MandateRevoked(org, representative);
    }

    // ---- topics and trusted issuers ----

    /// @inheritdoc IIdentityRegistry
    function registerTopic(string calldata name, bytes32 schemaHash) external restricted returns (uint32 topic) {
        if (bytes(name).length == 0) revert IdentityEmptyTopicName();
        IdentityStorage storage $ = _storage();
        topic = ++$.topicCount;
        $.topics[topic] = Topic(name, schemaHash, _now());
        emit TopicRegistered(topic, name, schemaHash);
    }

    /// @inheritdoc IIdentityRegistry
    function accreditIssuer(uint64 issuer, uint32 topic, uint40 validUntil) external restricted {
        _existingDid(issuer);
        _existingTopic(topic);
        if (validUntil <= _now()) revert IdentityInvalidAccreditation(issuer, topic, validUntil);
        _storage().accreditations[issuer][topic] = Accreditation(true, validUntil);
        emit IssuerAccredited(issuer, topic, validUntil);
    }

    /// @inheritdoc IIdentityRegistry
    function withdrawAccreditation(uint64 issuer, uint32 topic) external restricted {
        IdentityStorage storage $ = _storage();
        if (!$.accreditations[issuer][topic].active) revert IdentityNotAccredited(issuer, topic);
        $.accreditations[issuer][topic].active = false;
        emit AccreditationWithdrawn(issuer, topic);
    }

    // ---- claims ----

    /// @inheritdoc IIdentityRegistry
    function issueClaim(
        uint64 subject,
        uint32 topic,
        bytes32 dataHash,
        uint40 validFrom,
        uint40 validUntil
    ) external whenNotPaused returns (uint256) {
        uint64 issuer = _assertingDid();
        _requireAccredited(issuer, topic);
        return _issue(issuer, subject, topic, dataHash, validFrom, validUntil);
    }

    /// @inheritdoc IIdentityRegistry
    function issueClaims(ClaimRequest[] calldata requests) external whenNotPaused returns (uint256[] memory claimIds) {
        if (requests.length == 0) revert IdentityEmptyBatch();
        uint64 issuer = _assertingDid();
        claimIds = new uint256[](requests.length);
        uint32 checkedTopic;
        for (uint256 i = 0; i < requests.length; ++i) {
            ClaimRequest calldata r = requests[i];
            // Topic ids start at 1, so the first request is always checked.
            if (i == 0 || r.topic != checkedTopic) {
                _requireAccredited(issuer, r.topic);
                checkedTopic = r.topic;
            }
            claimIds[i] = _issue(issuer, r.subject, r.topic, r.dataHash, r.validFrom, r.validUntil);
        }
    }

    /// @inheritdoc IIdentityRegistry
    function revokeClaim(uint256 claimId, bytes32 reasonHash) external {
        _revoke(_issuerKeyDid(), claimId, reasonHash);
    }

    /// @inheritdoc IIdentityRegistry
    function revokeClaims(uint256[] calldata claimIds, bytes32 reasonHash) external {
        if (claimIds.length == 0) revert IdentityEmptyBatch();
        uint64 caller = _issuerKeyDid();
        for (uint256 i = 0; i < claimIds.length; ++i) {
            _revoke(caller, claimIds[i], reasonHash);
        }
    }

    /// @inheritdoc IIdentityRegistry
    function suspendClaim(uint256 claimId) external {
        ClaimRecord storage c = _issuedClaim(_issuerKeyDid(), claimId);
        if (c.status != ClaimStatus.Active) revert IdentityUnexpectedClaimStatus(claimId, c.status);
        c.status = ClaimStatus.Suspended;
        emit ClaimSuspended(claimId);
    }

    /// @inheritdoc IIdentityRegistry
    function reinstateClaim(uint256 claimId) external whenNotPaused {
        ClaimRecord storage c = _issuedClaim(_issuerKeyDid(), claimId);
        if (c.status != ClaimStatus.Suspended) revert IdentityUnexpectedClaimStatus(claimId, c.status);
        c.status = ClaimStatus.Active;
        emit ClaimReinstated(claimId);
    }

    // ---- the gate ----

    /// @inheritdoc IIdentityGate
    function didOf(address account) external view returns (uint64 did, uint8 purposes) {
        KeyRecord memory k = _storage().keys[account];
        return (k.did, k.purposes);
    }

    /// @inheritdoc IIdentityGate
    function isActingFor(address account, uint64 did, uint32 scope) external view returns (bool) {
        (Refusal refusal, , ) = _actor(account, did, scope);
        return refusal == Refusal.None;
    }

    /// @inheritdoc IIdentityGate
    function requireActingFor(
        address account,
        uint64 did,
        uint32 scope,
        uint32 topic
    ) external view returns (uint64 actor) {
        actor = _requireActor(account, did, scope);
        if (topic != 0 && !_hasValidClaim(did, topic)) revert IdentityClaimMissing(did, topic);
    }

    /// @inheritdoc IIdentityGate
    function hasValidClaim(uint64 did, uint32 topic) external view returns (bool) {
        return _hasValidClaim(did, topic);
    }

    // ---- reads ----

    /// @inheritdoc IIdentityRegistry
    function resolve(uint64 did) external view returns (DidDocument memory doc) {
        IdentityStorage storage $ = _storage();
        DidRecord memory d = _existingDid(did);
        Key[] memory keys = new Key[](d.keyCount);
        for (uint256 i = 0; i < keys.length; ++i) {
            address account = $.keyAt[did][i];
            keys[i] = Key(account, $.keys[account].purposes);
        }
        doc = DidDocument({
            did: did,
            kind: d.kind,
            status: d.status,
            registrar: d.registrar,
            createdAt: d.createdAt,
            updatedAt: d.updatedAt,
            version: d.version,
            commitment: $.commitments[did],
            keys: keys
        });
    }

    /// @inheritdoc IIdentityRegistry
    function didCount() external view returns (uint64) {
        return _storage().didCount;
    }

    /// @inheritdoc IIdentityRegistry
    function mandateOf(uint64 org, uint64 representative) external view returns (Mandate memory) {
        return _storage().mandates[org][representative];
    }

    /// @inheritdoc IIdentityRegistry
    function getTopic(uint32 topic) external view returns (Topic memory) {
        return _existingTopic(topic);
    }

    /// @inheritdoc IIdentityRegistry
    function topicCount() external view returns (uint32) {
        return _storage().topicCount;
    }

    /// @inheritdoc IIdentityRegistry
    function accreditationOf(uint64 issuer, uint32 topic) external view returns (Accreditation memory) {
        return _storage().accreditations[issuer][topic];
    }

    /// @inheritdoc IIdentityRegistry
    function getClaim(uint256 claimId) external view returns (Claim memory) {
        ClaimRecord storage c = _storage().claims[claimId];
        if (c.status == ClaimStatus.None) revert IdentityUnknownClaim(claimId);
        return _claimView(claimId, c);
    }

    /// @inheritdoc IIdentityRegistry
    function isClaimValid(uint256 claimId) external view returns (bool) {
        IdentityStorage storage $ = _storage();
        ClaimRecord storage c = $.claims[claimId];
        uint256 first = claimId & ~uint256(type(uint32).max);
        bool subjectInactive = first == claimId ? c.subjectInactive : $.claims[first].subjectInactive;
        return !subjectInactive && _isValid(c, uint32(claimId >> 32));
    }

    /// @inheritdoc IIdentityRegistry
    function claimsOf(uint64 subject) external view returns (Claim[] memory list) {
        IdentityStorage storage $ = _storage();
        uint256 total;
        for (uint32 t = _existingDid(subject).lastTopic; t != 0; t = $.claims[_claimId(subject, t, 0)].prevTopic) {
            total += $.claims[_claimId(subject, t, 0)].count;
        }
        list = new Claim[](total);
        uint256 at;
        for (uint32 t = $.dids[subject].lastTopic; t != 0; t = $.claims[_claimId(subject, t, 0)].prevTopic) {
            uint256 count = $.claims[_claimId(subject, t, 0)].count;
            for (uint256 n = 0; n < count; ++n) {
                uint256 id = _claimId(subject, t, n);
                list[at++] = _claimView(id, $.claims[id]);
            }
        }
    }

    // ---- internals ----

    /// @dev Why an account does not act for a DID, if it does not.
    enum Refusal {
        None,
        NotActing,
        MandateExpired,
        OutOfScope
    }

    function _create(
        DidKind kind,
        bytes32 commitment,
        DidStatus status,
        uint32 registrar
    ) private returns (uint64 did) {
        if (commitment == bytes32(0)) revert IdentityEmptyCommitment();
        IdentityStorage storage $ = _storage();
        did = ++$.didCount;
        $.dids[did] = DidRecord({
            kind: kind,
            status: status,
            keyCount: 0,
            version: 1,
            lastTopic: 0,
            registrar: registrar,
            createdAt: _now(),
            updatedAt: _now()
        });
        $.commitments[did] = commitment;
        emit DidRegistered(did, kind, registrar, commitment);
    }

    /// @dev The member id of the calling registrar agency (the authority already checked its role).
    function _registrarMember() private view returns (uint32) {
        return uint32(_storage().members.memberOf(_msgSender()));
    }

    /// @dev The one place where a DID's status changes. When it starts or stops being active, the
    /// first claim of each of its topics is marked, so claim checks need not read the DID.
    function _setStatus(uint64 did, DidRecord storage d, DidStatus status) private {
        bool inactive = status != DidStatus.Active;
        if (inactive != (d.status != DidStatus.Active)) {
            IdentityStorage storage $ = _storage();
            for (uint32 t = d.lastTopic; t != 0;) {
                ClaimRecord storage head = $.claims[_claimId(did, t, 0)];
                head.subjectInactive = inactive;
                t = head.prevTopic;
            }
        }
        d.status = status;
        _touch(d);
    }

    function _touch(DidRecord storage d) private {
        d.version += 1;
        d.updatedAt = _now();
    }

    function _addKey(uint64 did, address key, uint8 purposes) private {
        if (purposes == 0 || purposes & ~KeyPurposes.ALL != 0) revert IdentityInvalidPurposes(purposes);
        _claimKey(key);
        IdentityStorage storage $ = _storage();
        DidRecord storage d = $.dids[did];
        uint8 index = d.keyCount;
        if (index >= MAX_KEYS) revert IdentityTooManyKeys(did, MAX_KEYS);
        d.keyCount = index + 1;
        $.keys[key] = KeyRecord(did, purposes, index);
        $.keyAt[did][index] = key;
        emit KeyAdded(did, key, purposes);
    }

    /// @dev Checks that `key` can become a key: non-zero and no DID's key yet.
    function _claimKey(address key) private view {
        if (key == address(0)) revert IdentityInvalidKey(key);
        uint64 holder = _storage().keys[key].did;
        if (holder != 0) revert IdentityKeyTaken(key, holder);
    }

    /// @dev Removes the key at `index` of `did`, moving the last key into its place.
    function _removeKeyAt(uint64 did, uint256 index, address key) private {
        IdentityStorage storage $ = _storage();
        DidRecord storage d = $.dids[did];
        uint8 last = d.keyCount - 1;
        if (index != last) {
            address moved = $.keyAt[did][last];
            $.keyAt[did][index] = moved;
            $.keys[moved].index = uint8(index);
        }
        delete $.keyAt[did][last];
        delete $.keys[key];
        d.keyCount = last;
        emit KeyRemoved(did, key);
    }

    /// @dev Removes every key of `did`, the last first (so no key moves).
    function _removeAllKeys(uint64 did) private {
        IdentityStorage storage $ = _storage();
        for (uint256 i = $.dids[did].keyCount; i > 0; --i) {
            _removeKeyAt(did, i - 1, $.keyAt[did][i - 1]);
        }
    }

    function _hasAuthenticationKey(uint64 did) private view returns (bool) {
        IdentityStorage storage $ = _storage();
        uint256 n = $.dids[did].keyCount;
        for (uint256 i = 0; i < n; ++i) {
            if ($.keys[$.keyAt[did][i]].purposes & KeyPurposes.AUTHENTICATION != 0) return true;
        }
        return false;
    }

    function _keyOf(uint64 did, address key) private view returns (KeyRecord memory k) {
        k = _storage().keys[key];
        if (k.did != did || did == 0) revert IdentityNotKeyOf(did, key);
    }

    /// @dev Whether `account` acts for `did` within `scope`: see {IIdentityGate}.
    function _actor(
        address account,
        uint64 did,
        uint32 scope
    ) private view returns (Refusal refusal, uint64 actor, Mandate memory mandate) {
        IdentityStorage storage $ = _storage();
        KeyRecord memory k = $.keys[account];
        actor = k.did;
        if (
            actor == 0 ||
            k.purposes & KeyPurposes.AUTHENTICATION == 0 ||
            $.dids[actor].status != DidStatus.Active ||
            $.dids[did].status != DidStatus.Active
        ) return (Refusal.NotActing, actor, mandate);
        if (actor == did) return (Refusal.None, actor, mandate);
        mandate = $.mandates[did][actor];
        if (mandate.scopes == 0) return (Refusal.NotActing, actor, mandate);
        if (mandate.validUntil < _now()) return (Refusal.MandateExpired, actor, mandate);
        if (mandate.scopes & scope != scope) return (Refusal.OutOfScope, actor, mandate);
        return (Refusal.None, actor, mandate);
    }

    function _requireActor(address account, uint64 did, uint32 scope) private view returns (uint64) {
        (Refusal refusal, uint64 actor, Mandate memory m) = _actor(account, did, scope);
        if (refusal == Refusal.NotActing) revert IdentityNotActingFor(account, did, scope);
        if (refusal == Refusal.MandateExpired) revert IdentityMandateExpired(did, actor, m.validUntil);
        if (refusal == Refusal.OutOfScope) revert IdentityMandateOutOfScope(did, actor, m.scopes, scope);
        return actor;
    }

    /// @dev The caller's DID, which must be active, through a key with the assertion purpose.
    function _assertingDid() private view returns (uint64 did) {
        did = _issuerKeyDid();
        DidStatus status = _storage().dids[did].status;
        if (status != DidStatus.Active) revert IdentityUnexpectedStatus(did, status);
    }

    /// @dev The caller's DID through a key with the assertion purpose, whatever the DID's status:
    /// an issuer whose DID is suspended can still revoke and suspend what it issued.
    function _issuerKeyDid() private view returns (uint64) {
        KeyRecord memory k = _storage().keys[_msgSender()];
        if (k.did == 0) revert IdentityUnknownKey(_msgSender());
        if (k.purposes & KeyPurposes.ASSERTION == 0) {
            revert IdentityKeyLacksPurpose(_msgSender(), k.purposes, KeyPurposes.ASSERTION);
        }
        return k.did;
    }

    function _requireAccredited(uint64 issuer, uint32 topic) private view {
        if (!_accredited(issuer, topic)) revert IdentityNotAccredited(issuer, topic);
    }

    function _accredited(uint64 issuer, uint32 topic) private view returns (bool) {
        Accreditation memory a = _storage().accreditations[issuer][topic];
        return a.active && _now() <= a.validUntil;
    }

    function _issue(
        uint64 issuer,
        uint64 subject,
        uint32 topic,
        bytes32 dataHash,
        uint40 validFrom,
        uint40 validUntil
    ) private returns (uint256 claimId) {
        if (dataHash == bytes32(0)) revert IdentityEmptyDataHash();
        if (validUntil <= validFrom) revert IdentityInvalidValidity(validFrom, validUntil);
        IdentityStorage storage $ = _storage();
        DidRecord storage s = $.dids[subject];
        if (s.status != DidStatus.Active) {
            if (s.status == DidStatus.None) revert IdentityUnknownDid(subject);
            revert IdentityUnexpectedStatus(subject, s.status);
        }
        uint256 first = _claimId(subject, topic, 0);
        ClaimRecord storage head = $.claims[first];
        uint24 n = head.count;
        claimId = first | n;
        if (n == 0) {
            $.claims[first] = ClaimRecord(
                issuer,
                validFrom,
                validUntil,
                uint40(_now()),
                ClaimStatus.Active,
                1,
                s.lastTopic,
                false
            );
            s.lastTopic = topic;
        } else {
            head.count = n + 1;
            $.claims[claimId] = ClaimRecord(
                issuer,
                validFrom,
                validUntil,
                uint40(_now()),
                ClaimStatus.Active,
                0,
                0,
                false
            );
        }
        $.claimData[claimId] = dataHash;
        emit ClaimIssued(claimId, subject, issuer, dataHash, validFrom, validUntil);
    }

    function _revoke(uint64 caller, uint256 claimId, bytes32 reasonHash) private {
        ClaimRecord storage c = _issuedClaim(caller, claimId);
        ClaimStatus status = c.status;
        if (status == ClaimStatus.Revoked) revert IdentityUnexpectedClaimStatus(claimId, status);
        c.status = ClaimStatus.Revoked;
        emit ClaimRevoked(claimId, reasonHash);
    }

    function _issuedClaim(uint64 caller, uint256 claimId) private view returns (ClaimRecord storage c) {
        c = _storage().claims[claimId];
        (ClaimStatus status, uint64 issuer) = (c.status, c.issuer);
        if (status == ClaimStatus.None) revert IdentityUnknownClaim(claimId);
        if (issuer != caller) revert IdentityNotIssuer(claimId, caller);
    }

    function _hasValidClaim(uint64 did, uint32 topic) private view returns (bool) {
        IdentityStorage storage $ = _storage();
        uint256 first = _claimId(did, topic, 0);
        ClaimRecord storage head = $.claims[first];
        (bool subjectInactive, uint256 count) = (head.subjectInactive, head.count);
        if (subjectInactive) return false;
        // Newest first: a renewal is likelier valid than what it renewed.
        for (uint256 n = count; n > 1; --n) {
            if (_isValid($.claims[first | (n - 1)], topic)) return true;
        }
        return _isValid(head, topic);
    }

    /// @dev Whether `c`, a claim of `topic` about an active subject, counts now.
    function _isValid(ClaimRecord storage c, uint32 topic) private view returns (bool) {
        (ClaimStatus status, uint40 validFrom, uint40 validUntil, uint64 issuer) = (
            c.status,
            c.validFrom,
            c.validUntil,
            c.issuer
        );
        uint48 time = _now();
        return status == ClaimStatus.Active && validFrom <= time && time <= validUntil && _accredited(issuer, topic);
    }

    function _claimView(uint256 claimId, ClaimRecord storage c) private view returns (Claim memory) {
        return
            Claim({
                id: claimId,
                subject: uint64(claimId >> 64),
                issuer: c.issuer,
                topic: uint32(claimId >> 32),
                dataHash: _storage().claimData[claimId],
                validFrom: c.validFrom,
                validUntil: c.validUntil,
                issuedAt: c.issuedAt,
                status: c.status
            });
    }

    function _claimId(uint64 subject, uint32 topic, uint256 n) private pure returns (uint256) {
        return (uint256(subject) << 64) | (uint256(topic) << 32) | n;
    }

    function _existingDid(uint64 did) private view returns (DidRecord storage d) {
        d = _storage().dids[did];
        if (d.status == DidStatus.None) revert IdentityUnknownDid(did);
    }

    /// @dev An existing DID that is not deactivated (deactivation is final).
    function _openDid(uint64 did) private view returns (DidRecord storage d) {
        d = _existingDid(did);
        if (d.status == DidStatus.Deactivated) revert IdentityUnexpectedStatus(did, d.status);
    }

    function _didIn(uint64 did, DidStatus expected) private view returns (DidRecord storage d) {
        d = _existingDid(did);
        if (d.status != expected) revert IdentityUnexpectedStatus(did, d.status);
    }

    function _existingTopic(uint32 topic) private view returns (Topic storage t) {
        t = _storage().topics[topic];
        if (t.registeredAt == 0) revert IdentityUnknownTopic(topic);
    }

    function _storage() private pure returns (IdentityStorage storage $) {
        /// @solidity memory-safe-assembly
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
