// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {Roles} from "../governance/Roles.sol";
import {IIdentityRegistry} from "../identity/IIdentityRegistry.sol";
import {KeyPurposes} from "../identity/KeyPurposes.sol";
import {IEvidenceRegistry} from "./IEvidenceRegistry.sol";

/**
 * @title EvidenceRegistry
 * @notice The suite's evidence store. Deliberately not upgradeable: no governance decision can
 * change the code that holds the records, which is what a court relies on. Who may notarize, pause
 * and revoke by order is still decided by the suite's authority.
 * @dev Notaries are cached here (NOTARY role at the authority + an active DID in the identity
 * module), so a notarization reads one slot to check its caller; the cache is refreshed by anyone
 * through {enrolNotary} / {dropNotary}, and a pause disables every cached notary.
 */
contract EvidenceRegistry is IEvidenceRegistry, AccessManaged, ERC2771Context {
    using EnumerableSet for EnumerableSet.AddressSet;

    uint256 public constant MAX_NOTARIES = 64;

    struct Notary {
        uint64 did;
        bool enabled;
    }

    /// @notice The identity module, which names notaries', submitters' and endorsers' DIDs.
    IIdentityRegistry public immutable IDENTITY;

    mapping(bytes32 key => Record) private _records;
    mapping(bytes32 digest => bytes32) private _supersededBy;
    mapping(bytes32 digest => bytes32) private _supersedes;
    mapping(bytes32 key => Revocation) private _revocations;
    /// @dev Revocations of documents of Merkle batches, by {documentKey}: apart from records', so
    /// neither can ever overwrite the other.
    mapping(bytes32 documentKey => Revocation) private _documentRevocations;
    mapping(bytes32 key => Endorsement[]) private _endorsements;
    mapping(bytes32 key => mapping(uint64 did => bool)) private _endorsed;
    mapping(address account => Notary) private _notaries;
    EnumerableSet.AddressSet private _enrolled;
    uint64 private _batchCount;
    bool private _paused;

    constructor(
        address authority,
        IIdentityRegistry identity,
        address forwarder
    ) AccessManaged(authority) ERC2771Context(forwarder) {
        IDENTITY = identity;
    }

    /// @notice Version of this contract.
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    /// @inheritdoc IEvidenceRegistry
    function notarize(
        bytes32 digest,
        Algorithm algorithm,
        uint32 category,
        bytes32 businessRef,
        bytes32 metadata
    ) external {
        uint64 did = _notary();
        _record(digest, _pack(did, algorithm, category, RecordKind.Single, 0));
        emit Notarized(digest, did, businessRef, _msgSender(), algorithm, category, metadata);
    }

    /// @inheritdoc IEvidenceRegistry
    function notarizeBatch(
        bytes32[] calldata digests,
        Algorithm algorithm,
        uint32 category,
        bytes32 businessRef,
        bytes32 metadata
    ) external returns (uint64 batchId) {
        uint64 did = _notary();
        batchId = _recordBatch(digests, did, algorithm, category);
        emit BatchNotarized(batchId, did, businessRef, _msgSender(), algorithm, category, metadata, digests.length);
    }

    /// @inheritdoc IEvidenceRegistry
    function anchorRoot(
        bytes32 root,
        uint64 size,
        Algorithm algorithm,
        uint32 category,
        bytes32 businessRef,
        bytes32 metadata
    ) external {
        uint64 did = _notary();
        if (size == 0) revert EvidenceEmptyRoot();
        _record(root, _pack(did, algorithm, category, RecordKind.Root, SafeCast.toUint56(size)));
        emit RootAnchored(root, did, businessRef, _msgSender(), algorithm, category, metadata, size);
    }

    /// @inheritdoc IEvidenceRegistry
    function supersede(
        bytes32 oldDigest,
        bytes32 newDigest,
        Algorithm algorithm,
        uint32 category,
        bytes32 businessRef,
        bytes32 metadata
    ) external {
        uint64 did = _notary();
        Record storage old = _submitted(oldDigest, did);
        if (old.kind == RecordKind.Root) revert EvidenceUnexpectedKind(oldDigest, old.kind);
        if (old.status != RecordStatus.Valid) revert EvidenceUnexpectedStatus(oldDigest, old.status);
        _record(newDigest, _pack(did, algorithm, category, RecordKind.Single, 0));
        old.status = RecordStatus.Superseded;
        _supersededBy[oldDigest] = newDigest;
        _supersedes[newDigest] = oldDigest;
        emit Notarized(newDigest, did, businessRef, _msgSender(), algorithm, category, metadata);
        emit Superseded(oldDigest, newDigest);
    }

    /// @inheritdoc IEvidenceRegistry
    function revoke(bytes32 key, bytes32 reasonHash) external {
        uint64 did = _activeDidOf(_msgSender());
        Record storage r = _submitted(key, did);
        if (r.status == RecordStatus.Revoked) revert EvidenceUnexpectedStatus(key, r.status);
        r.status = RecordStatus.Revoked;
        _revoked(_revocations, key, did, false, reasonHash);
    }

    /// @inheritdoc IEvidenceRegistry
    function revokeDocument(bytes32 root, bytes32 digest, bytes32[] calldata proof, bytes32 reasonHash) external {
        uint64 did = _activeDidOf(_msgSender());
        Record storage r = _submitted(root, did);
        if (r.kind != RecordKind.Root) revert EvidenceUnexpectedKind(root, r.kind);
        if (!_inRoot(root, digest, proof)) revert EvidenceInvalidProof(root, digest);
        _revoked(_documentRevocations, _documentKey(root, digest), did, false, reasonHash);
    }

    /// @inheritdoc IEvidenceRegistry
    function revokeByOrder(bytes32 key, bytes32 reasonHash) external restricted {
        Record storage r = _existing(key);
        if (r.status == RecordStatus.Revoked) revert EvidenceUnexpectedStatus(key, r.status);
        r.status = RecordStatus.Revoked;
        (uint64 by, ) = IDENTITY.didOf(_msgSender());
        _revoked(_revocations, key, by, true, reasonHash);
    }

    /// @inheritdoc IEvidenceRegistry
    function revokeDocumentByOrder(bytes32 root, bytes32 digest, bytes32 reasonHash) external restricted {
        Record storage r = _existing(root);
        if (r.kind != RecordKind.Root) revert EvidenceUnexpectedKind(root, r.kind);
        (uint64 by, ) = IDENTITY.didOf(_msgSender());
        _revoked(_documentRevocations, _documentKey(root, digest), by, true, reasonHash);
    }

    /// @inheritdoc IEvidenceRegistry
    function endorse(bytes32 key, bytes32 noteHash) external {
        uint64 did = _activeDidOf(_msgSender());
        _existing(key);
        if (_endorsed[key][did]) revert EvidenceAlreadyEndorsed(key, did);
        _endorsed[key][did] = true;
        _endorsements[key].push(Endorsement(did, uint40(_now()), noteHash));
        emit Endorsed(key, did, noteHash);
    }

    /// @inheritdoc IEvidenceRegistry
    function enrolNotary(address account) external {
        if (_paused) revert EvidencePaused(true);
        uint64 did = _qualifiedDid(account);
        if (did == 0) revert EvidenceNotQualified(account);
        if (_enrolled.contains(account)) {
            // Enrolled but disabled (it did not qualify when notarization resumed): enable it again.
            Notary memory n = _notaries[account];
            if (n.enabled && n.did == did) revert EvidenceAlreadyEnrolled(account);
        } else {
            if (_enrolled.length() >= MAX_NOTARIES) revert EvidenceTooManyNotaries(MAX_NOTARIES);
            _enrolled.add(account);
        }
        _notaries[account] = Notary(did, true);
        emit NotaryEnrolled(account, did);
    }

    /// @inheritdoc IEvidenceRegistry
    function dropNotary(address account) external {
        if (!_enrolled.contains(account)) revert EvidenceNotNotary(account);
        if (_qualifiedDid(account) == _notaries[account].did) revert EvidenceStillQualified(account);
        _enrolled.remove(account);
        delete _notaries[account];
        emit NotaryDropped(account);
    }

    /// @inheritdoc IEvidenceRegistry
    function pause() external restricted {
        if (_paused) revert EvidencePaused(true);
        _paused = true;
        uint256 n = _enrolled.length();
        for (uint256 i = 0; i < n; ++i) {
            _notaries[_enrolled.at(i)].enabled = false;
        }
        emit PauseSet(true);
    }

    /// @inheritdoc IEvidenceRegistry
    function unpause() external restricted {
        if (!_paused) revert EvidencePaused(false);
        _paused = false;
        uint256 n = _enrolled.length();
        for (uint256 i = 0; i < n; ++i) {
            address account = _enrolled.at(i);
            Notary storage notary = _notaries[account];
            notary.enabled = _qualifiedDid(account) == notary.did;
        }
        emit PauseSet(false);
    }

    /// @inheritdoc IEvidenceRegistry
    function recordOf(bytes32 key) external view returns (Record memory) {
        return _records[key];
    }

    /// @inheritdoc IEvidenceRegistry
    function verifyInRoot(bytes32 root, bytes32 digest, bytes32[] calldata proof) external view returns (bool) {
        return _records[root].kind == RecordKind.Root && _inRoot(root, digest, proof);
    }

    /// @inheritdoc IEvidenceRegistry
    function linksOf(bytes32 digest) external view returns (bytes32 supersededBy, bytes32 supersedes) {
        return (_supersededBy[digest], _supersedes[digest]);
    }

    /// @inheritdoc IEvidenceRegistry
    function documentKey(bytes32 root, bytes32 digest) external pure returns (bytes32) {
        return _documentKey(root, digest);
    }

    /// @inheritdoc IEvidenceRegistry
    function revocationOf(bytes32 key) external view returns (Revocation memory r) {
        r = _revocations[key];
        if (r.at == 0) r = _documentRevocations[key];
    }

    /// @inheritdoc IEvidenceRegistry
    function endorsementsOf(bytes32 key) external view returns (Endorsement[] memory) {
        return _endorsements[key];
    }

    /// @inheritdoc IEvidenceRegistry
    function historyOf(bytes32 digest) external view returns (bytes32[] memory versions) {
        _existing(digest);
        bytes32 first = digest;
        uint256 n = 1;
        while (_supersedes[first] != bytes32(0)) {
            first = _supersedes[first];
            ++n;
        }
        for (bytes32 d = digest; _supersededBy[d] != bytes32(0); d = _supersededBy[d]) ++n;
        versions = new bytes32[](n);
        versions[0] = first;
        for (uint256 i = 1; i < n; ++i) versions[i] = _supersededBy[versions[i - 1]];
    }

    /// @inheritdoc IEvidenceRegistry
    function notaryOf(address account) external view returns (uint64 did, bool enabled) {
        Notary memory n = _notaries[account];
        return (n.did, n.enabled);
    }

    /// @inheritdoc IEvidenceRegistry
    function notaries() external view returns (address[] memory) {
        return _enrolled.values();
    }

    /// @inheritdoc IEvidenceRegistry
    function paused() external view returns (bool) {
        return _paused;
    }

    /// @inheritdoc IEvidenceRegistry
    function batchCount() external view returns (uint64) {
        return _batchCount;
    }

    /// @dev The caller's notary DID: one storage read, the whole permission check of a notarization.
    function _notary() private view returns (uint64) {
        Notary memory n = _notaries[_msgSender()];
        if (!n.enabled) revert EvidenceNotNotary(_msgSender());
        return n.did;
    }

    /// @dev Creates the record `key` with its fields packed in `packed` (see {_pack}).
    function _record(bytes32 key, uint256 packed) private {
        if (key == bytes32(0)) revert EvidenceEmptyDigest();
        Record storage r = _records[key];
        if (r.status != RecordStatus.None) revert EvidenceAlreadyNotarized(key, r.submitter, r.notarizedAt, r.kind);
        /// @solidity memory-safe-assembly
        assembly {
            sstore(r.slot, packed)
        }
    }

    /**
     * @dev A new valid record, packed as {Record} lays it out in its slot (lowest bits first), so
     * that creating it is one SSTORE: assigning the struct would write the fresh slot once per field.
     */
    function _pack(
        uint64 did,
        Algorithm algorithm,
        uint32 category,
        RecordKind kind,
        uint56 batchOrSize
    ) private view returns (uint256) {
        if (algorithm == Algorithm.None) revert EvidenceUnknownAlgorithm(uint8(algorithm));
        return
            uint256(did) |
            (uint256(uint40(_now())) << 64) |
            (uint256(uint40(block.number)) << 104) |
            (uint256(uint8(algorithm)) << 144) |
            (uint256(uint8(RecordStatus.Valid)) << 152) |
            (uint256(category) << 160) |
            (uint256(uint8(kind)) << 192) |
            (uint256(batchOrSize) << 200);
    }

    function _recordBatch(
        bytes32[] calldata digests,
        uint64 did,
        Algorithm algorithm,
        uint32 category
    ) private returns (uint64 batchId) {
        if (digests.length == 0) revert EvidenceEmptyBatch();
        batchId = ++_batchCount;
        uint256 packed = _pack(did, algorithm, category, RecordKind.Indexed, SafeCast.toUint56(batchId));
        for (uint256 i = 0; i < digests.length; ++i) {
            _record(digests[i], packed);
        }
    }

    /// @dev The one place where a revocation is written; a revocation is never replaced.
    function _revoked(
        mapping(bytes32 => Revocation) storage revocations,
        bytes32 key,
        uint64 by,
        bool byOrder,
        bytes32 reasonHash
    ) private {
        if (revocations[key].at != 0) revert EvidenceAlreadyRevoked(key);
        revocations[key] = Revocation(by, uint40(_now()), byOrder, reasonHash);
        emit Revoked(key, by, byOrder, reasonHash);
    }

    function _existing(bytes32 key) private view returns (Record storage r) {
        r = _records[key];
        if (r.status == RecordStatus.None) revert EvidenceUnknown(key);
    }

    function _submitted(bytes32 key, uint64 did) private view returns (Record storage r) {
        r = _existing(key);
        if (r.submitter != did) revert EvidenceNotSubmitter(key, did);
    }

    /// @dev The active DID that `account` authenticates for (submitters revoking, parties endorsing): a key
    /// that may only assert claims does not act as its DID, here as everywhere in the suite.
    function _activeDidOf(address account) private view returns (uint64 did) {
        uint8 purposes;
        (did, purposes) = IDENTITY.didOf(account);
        if (
            did == 0 ||
            purposes & KeyPurposes.AUTHENTICATION == 0 ||
            IDENTITY.statusOf(did) != IIdentityRegistry.DidStatus.Active
        ) revert EvidenceNoActiveDid(account);
    }

    /// @dev `account`'s DID if it holds the NOTARY role and an active DID now, else 0.
    function _qualifiedDid(address account) private view returns (uint64) {
        (bool notary, ) = IAccessManager(authority()).hasRole(Roles.NOTARY, account);
        (uint64 did, ) = IDENTITY.didOf(account);
        if (!notary || did == 0 || IDENTITY.statusOf(did) != IIdentityRegistry.DidStatus.Active) return 0;
        return did;
    }

    function _inRoot(bytes32 root, bytes32 digest, bytes32[] calldata proof) private pure returns (bool) {
        // The OpenZeppelin standard tree's leaf: a double hash, so no leaf can pass for an inner node.
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(digest))));
        return MerkleProof.verifyCalldata(proof, root, leaf);
    }

    function _documentKey(bytes32 root, bytes32 digest) private pure returns (bytes32) {
        return keccak256(abi.encode(root, digest));
    }

    /// @dev The current time in seconds: the seam for chains whose clock differs.
    function _now() internal view virtual returns (uint48) {
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
