// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IEvidenceRegistry
 * @notice Evidence notarization (电子存证): digests of documents, anchored singly, in indexed batches
 * (each digest looked up directly) or as Merkle roots (one root for any number of documents, each
 * proven by a path; leaves follow the OpenZeppelin standard tree: keccak256(keccak256(abi.encode(digest)))).
 * A record is never deleted or overwritten: a correction is a new record that supersedes the old
 * one; a revocation keeps the record and sets its status with a reason.
 * @dev Business references and metadata are emitted, not stored: the record's block and batch lead
 * to the event that holds them. Digests are opaque bytes32 computed off chain with the named algorithm.
 */
interface IEvidenceRegistry {
    enum Algorithm {
        None,
        SHA256,
        /// GB/T 32905-2016.
        SM3,
        KECCAK256
    }

    /// @notice How a record was made.
    enum RecordKind {
        None,
        Single,
        /// One of an indexed batch.
        Indexed,
        /// A Merkle root; its documents are proven by paths.
        Root
    }

    enum RecordStatus {
        None,
        Valid,
        /// Corrected by a later record ({supersededBy}).
        Superseded,
        Revoked
    }

    /// @notice A notarized digest, or an anchored Merkle root.
    // 256 bits: one slot (the linter counts the enums as full words).
    // solhint-disable-next-line gas-struct-packing
    struct Record {
        /// @dev DID of the notary organisation that submitted it.
        uint64 submitter;
        uint40 notarizedAt;
        uint40 blockNumber;
        Algorithm algorithm;
        RecordStatus status;
        uint32 category;
        RecordKind kind;
        /// @dev Indexed: the batch id; Root: the number of documents; Single: 0.
        uint56 batchOrSize;
    }

    /// @notice Why and by whom a record was revoked.
    struct Revocation {
        uint64 by;
        uint40 at;
        /// @dev True when revoked by order (an arbitrator or court), not by the submitter.
        bool byOrder;
        bytes32 reasonHash;
    }

    /// @notice A co-signature: party `did` endorsed the record at `at`, with a note.
    struct Endorsement {
        uint64 did;
        uint40 at;
        bytes32 noteHash;
    }

    /// @notice Emitted when `digest` was notarized by `submitter` (through key `account`).
    event Notarized(
        bytes32 indexed digest,
        uint64 indexed submitter,
        bytes32 indexed businessRef,
        address account,
        Algorithm algorithm,
        uint32 category,
        bytes32 metadata
    );
    /// @notice Emitted when indexed batch `batchId` of `count` digests was notarized (the digests are in the call).
    event BatchNotarized(
        uint64 indexed batchId,
        uint64 indexed submitter,
        bytes32 indexed businessRef,
        address account,
        Algorithm algorithm,
        uint32 category,
        bytes32 metadata,
        uint256 count
    );
    /// @notice Emitted when Merkle root `root` of `size` documents was anchored.
    event RootAnchored(
        bytes32 indexed root,
        uint64 indexed submitter,
        bytes32 indexed businessRef,
        address account,
        Algorithm algorithm,
        uint32 category,
        bytes32 metadata,
        uint64 size
    );
    /// @notice Emitted when `oldDigest` was corrected by `newDigest`.
    event Superseded(bytes32 indexed oldDigest, bytes32 indexed newDigest);
    /// @notice Emitted when record or root `key` was revoked by DID `by` for the reason documented by `reasonHash`.
    event Revoked(bytes32 indexed key, uint64 indexed by, bool byOrder, bytes32 reasonHash);
    /// @notice Emitted when DID `did` endorsed record or root `key`.
    event Endorsed(bytes32 indexed key, uint64 indexed did, bytes32 noteHash);
    /// @notice Emitted when `account` started notarizing for DID `did`.
    event NotaryEnrolled(address indexed account, uint64 indexed did);
    /// @notice Emitted when `account` stopped notarizing.
    event NotaryDropped(address indexed account);
    /// @notice Emitted when a guardian paused (true) or the council resumed (false) notarization.
    event PauseSet(bool paused);

    /// @notice Thrown when `account` is not an enrolled notary (or notarization is paused).
    error EvidenceNotNotary(address account);
    /// @notice Thrown when `account` cannot be enrolled: it lacks the NOTARY role or an active DID.
    error EvidenceNotQualified(address account);
    /// @notice Thrown when `account` is already enrolled.
    error EvidenceAlreadyEnrolled(address account);
    /// @notice Thrown when `account` still qualifies as a notary, so anyone may not drop it.
    error EvidenceStillQualified(address account);
    /// @notice Thrown when `digest` was already notarized by `submitter` at `notarizedAt`, as a record of `kind`.
    error EvidenceAlreadyNotarized(bytes32 digest, uint64 submitter, uint40 notarizedAt, RecordKind kind);
    /// @notice Thrown when no record or root `key` exists.
    error EvidenceUnknown(bytes32 key);
    /// @notice Thrown when a digest or root is zero.
    error EvidenceEmptyDigest();
    /// @notice Thrown when `algorithm` is not a known hash algorithm.
    error EvidenceUnknownAlgorithm(uint8 algorithm);
    /// @notice Thrown when a batch is empty.
    error EvidenceEmptyBatch();
    /// @notice Thrown when a Merkle root is anchored for 0 documents.
    error EvidenceEmptyRoot();
    /// @notice Thrown when `key` is in `status`, which does not allow the action.
    error EvidenceUnexpectedStatus(bytes32 key, RecordStatus status);
    /// @notice Thrown when `key` is a record of `kind`, which does not allow the action.
    error EvidenceUnexpectedKind(bytes32 key, RecordKind kind);
    /// @notice Thrown when `key` (a record, a root, or a Merkle batch's document) was already revoked.
    error EvidenceAlreadyRevoked(bytes32 key);
    /// @notice Thrown when DID `caller` did not submit `key`.
    error EvidenceNotSubmitter(bytes32 key, uint64 caller);
    /// @notice Thrown when `digest` is not proven to be in root `root` by the given proof.
    error EvidenceInvalidProof(bytes32 root, bytes32 digest);
    /// @notice Thrown when `account` is not an authentication key of an active DID, which revoking and
    /// endorsing need (a key that may only assert claims does not act as its DID).
    error EvidenceNoActiveDid(address account);
    /// @notice Thrown when DID `did` already endorsed `key`.
    error EvidenceAlreadyEndorsed(bytes32 key, uint64 did);
    /// @notice Thrown when notarization is paused, or not paused, contrary to what the action needs.
    error EvidencePaused(bool paused);
    /// @notice Thrown when more than `max` notaries would be enrolled.
    error EvidenceTooManyNotaries(uint256 max);

    /// @notice Notarizes one digest. Enrolled notaries only. Emits {Notarized}.
    function notarize(
        bytes32 digest,
        Algorithm algorithm,
        uint32 category,
        bytes32 businessRef,
        bytes32 metadata
    ) external;

    /// @notice Notarizes `digests`, each looked up directly afterwards. Enrolled notaries only.
    /// @dev All or nothing: one digest already notarized refuses the batch. Emits {BatchNotarized}.
    function notarizeBatch(
        bytes32[] calldata digests,
        Algorithm algorithm,
        uint32 category,
        bytes32 businessRef,
        bytes32 metadata
    ) external returns (uint64 batchId);

    /// @notice Anchors the Merkle root of `size` documents' digests. Enrolled notaries only. Emits {RootAnchored}.
    function anchorRoot(
        bytes32 root,
        uint64 size,
        Algorithm algorithm,
        uint32 category,
        bytes32 businessRef,
        bytes32 metadata
    ) external;

    /// @notice Records `newDigest` as the correction of `oldDigest`, a valid record the caller's DID submitted.
    /// @dev Emits {Notarized} and {Superseded}.
    function supersede(
        bytes32 oldDigest,
        bytes32 newDigest,
        Algorithm algorithm,
        uint32 category,
        bytes32 businessRef,
        bytes32 metadata
    ) external;

    /// @notice Revokes record or root `key`, submitted by the caller's DID; the record stays. Emits {Revoked}.
    function revoke(bytes32 key, bytes32 reasonHash) external;

    /// @notice Revokes document `digest` of the Merkle batch `root`, proven by `proof`; submitter only.
    /// @dev Emits {Revoked} with {documentKey}(root, digest) as key.
    function revokeDocument(bytes32 root, bytes32 digest, bytes32[] calldata proof, bytes32 reasonHash) external;

    /// @notice Revokes record or root `key` by order of an arbitrator or court. Arbitrators only.
    /// @dev Emits {Revoked}.
    function revokeByOrder(bytes32 key, bytes32 reasonHash) external;

    /// @notice Revokes document `digest` of Merkle batch `root` by order of an arbitrator or court.
    /// Arbitrators only.
    /// @dev Emits {Revoked} with {documentKey}(root, digest) as key.
    function revokeDocumentByOrder(bytes32 root, bytes32 digest, bytes32 reasonHash) external;

    /// @notice Adds the caller's DID's endorsement (co-signature) to record or root `key`. Emits {Endorsed}.
    function endorse(bytes32 key, bytes32 noteHash) external;

    /// @notice Lets `account`, which holds the NOTARY role and an active DID, notarize. Anyone may call;
    /// it also re-enables an enrolled notary that was disabled when notarization resumed.
    /// @dev Emits {NotaryEnrolled}.
    function enrolNotary(address account) external;

    /// @notice Stops `account` notarizing once it lost the NOTARY role or its DID is no longer active.
    /// Anyone may call. Emits {NotaryDropped}.
    function dropNotary(address account) external;

    /// @notice Stops all notarization: every notary is disabled. Guardians only. Emits {PauseSet}.
    function pause() external;

    /// @notice Resumes notarization for the notaries that still qualify. Council only. Emits {PauseSet}.
    function unpause() external;

    /// @notice Record `key`: a digest or an anchored root (status None when unknown).
    function recordOf(bytes32 key) external view returns (Record memory);

    /// @notice Whether `digest` is proven by `proof` to be a document of anchored root `root`.
    function verifyInRoot(bytes32 root, bytes32 digest, bytes32[] calldata proof) external view returns (bool);

    /// @notice The correction of `digest` (0 if none) and the record it corrects (0 if none).
    function linksOf(bytes32 digest) external view returns (bytes32 supersededBy, bytes32 supersedes);

    /// @notice The key under which document `digest` of Merkle batch `root` is revoked.
    function documentKey(bytes32 root, bytes32 digest) external pure returns (bytes32);

    /// @notice The revocation of record, root or document `key` (at 0 if none).
    function revocationOf(bytes32 key) external view returns (Revocation memory);

    /// @notice The endorsements of record or root `key`.
    function endorsementsOf(bytes32 key) external view returns (Endorsement[] memory);

    /// @notice Every version of the record `digest` belongs to, oldest first.
    function historyOf(bytes32 digest) external view returns (bytes32[] memory versions);

    /// @notice The DID `account` notarizes for, and whether it may notarize now.
    function notaryOf(address account) external view returns (uint64 did, bool enabled);

    /// @notice The enrolled notary accounts.
    function notaries() external view returns (address[] memory);

    /// @notice Whether notarization is paused.
    function paused() external view returns (bool);

    /// @notice The number of indexed batches; ids run from 1 to this.
    function batchCount() external view returns (uint64);
}
