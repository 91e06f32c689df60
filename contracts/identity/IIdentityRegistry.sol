// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IIdentityGate} from "./IIdentityGate.sol";

/**
 * @title IIdentityRegistry
 * @notice Digital identities (DIDs) of persons and organisations, their keys,
 * organisations' mandates to representatives, and the verifiable claims that accredited issuers
 * make about them. Nothing personal is kept: a DID holds a salted commitment to the off-chain
 * identity record, a claim holds the hash of the off-chain credential. DIDs read
 * `did:govledger:<chainId>:<id>`.
 */
interface IIdentityRegistry is IIdentityGate {
    enum DidKind {
        Person,
        Organisation
    }

    enum DidStatus {
        None,
        /// Self-registered; a registrar has not verified it yet.
        Pending,
        Active,
        /// Frozen by a registrar: its keys cannot act until it is reinstated.
        Suspended,
        /// Closed for good (death, dissolution): keys removed, record and claims kept.
        Deactivated
    }

    enum ClaimStatus {
        None,
        Active,
        /// Paused by its issuer; can be reinstated.
        Suspended,
        /// Withdrawn by its issuer for good.
        Revoked
    }

    /// @notice A key of a DID and what it may be used for ({KeyPurposes} bits).
    struct Key {
        address account;
        uint8 purposes;
    }

    /// @notice A resolved DID document.
    // Returned in memory, never stored: field order follows the document, not slots.
    // solhint-disable-next-line gas-struct-packing
    struct DidDocument {
        uint64 did;
        DidKind kind;
        DidStatus status;
        /// @dev Member id (in the MemberRegistry) of the agency that registered or verified it; 0 while pending.
        uint32 registrar;
        uint48 createdAt;
        uint48 updatedAt;
        /// @dev Counts changes of the document: keys, status, commitment.
        uint32 version;
        /// @dev Salted hash of the off-chain identity record.
        bytes32 commitment;
        Key[] keys;
    }

    /// @notice What an organisation lets a representative do for it, and until when.
    struct Mandate {
        /// @dev {Scopes} bits; 0 when there is no mandate.
        uint32 scopes;
        uint48 grantedAt;
        uint48 validUntil;
    }

    /// @notice A claim topic (credential schema).
    struct Topic {
        string name;
        /// @dev Hash of the schema document that says what a claim of this topic asserts.
        bytes32 schemaHash;
        uint48 registeredAt;
    }

    /// @notice An issuer's accreditation for a topic.
    struct Accreditation {
        bool active;
        uint40 validUntil;
    }

    /// @notice One claim to issue in a batch; the issuer is the caller's DID.
    // Calldata only, never stored: field order follows issueClaim's parameters.
    // solhint-disable-next-line gas-struct-packing
    struct ClaimRequest {
        uint64 subject;
        uint32 topic;
        bytes32 dataHash;
        uint40 validFrom;
        uint40 validUntil;
    }

    /// @notice A claim, as read.
    struct Claim {
        /// @dev `subject << 64 | topic << 32 | n`: the n-th claim of `topic` about `subject`.
        uint256 id;
        uint64 subject;
        uint64 issuer;
        uint32 topic;
        bytes32 dataHash;
        uint40 validFrom;
        uint40 validUntil;
        uint40 issuedAt;
        ClaimStatus status;
    }

    /// @notice Emitted when `did` was created; `registrar` is 0 for a self-registration awaiting verification.
    event DidRegistered(uint64 indexed did, DidKind kind, uint32 indexed registrar, bytes32 commitment);
    /// @notice Emitted when registrar member `registrar` verified self-registered `did`.
    event DidVerified(uint64 indexed did, uint32 indexed registrar);
    /// @notice Emitted when `did` was suspended for the reason documented by `reasonHash`.
    event DidSuspended(uint64 indexed did, bytes32 reasonHash);
    /// @notice Emitted when suspended `did` was reinstated.
    event DidReinstated(uint64 indexed did);
    /// @notice Emitted when `did` was deactivated for the reason documented by `reasonHash`.
    event DidDeactivated(uint64 indexed did, bytes32 reasonHash);
    /// @notice Emitted when the commitment to `did`'s off-chain record changed.
    event CommitmentUpdated(uint64 indexed did, bytes32 commitment);
    /// @notice Emitted when `key` became a key of `did` with `purposes`.
    event KeyAdded(uint64 indexed did, address indexed key, uint8 purposes);
    /// @notice Emitted when `key` stopped being a key of `did`.
    event KeyRemoved(uint64 indexed did, address indexed key);
    /// @notice Emitted when `oldKey` of `did` was replaced by `newKey`, with the same purposes.
    event KeyRotated(uint64 indexed did, address indexed oldKey, address indexed newKey);
    /// @notice Emitted when organisation `org` gave `representative` a mandate.
    event MandateGranted(uint64 indexed org, uint64 indexed representative, uint32 scopes, uint48 validUntil);
    /// @notice Emitted when organisation `org` withdrew `representative`'s mandate.
    event MandateRevoked(uint64 indexed org, uint64 indexed representative);
    /// @notice Emitted when claim topic `topic` was registered.
    event TopicRegistered(uint32 indexed topic, string name, bytes32 schemaHash);
    /// @notice Emitted when `issuer` was accredited for `topic` until `validUntil`.
    event IssuerAccredited(uint64 indexed issuer, uint32 indexed topic, uint40 validUntil);
    /// @notice Emitted when `issuer`'s accreditation for `topic` was withdrawn: its claims of the topic stop counting.
    event AccreditationWithdrawn(uint64 indexed issuer, uint32 indexed topic);
    /// @notice Emitted when `issuer` issued claim `claimId` of `topic` about `subject`.
    event ClaimIssued(
        uint256 indexed claimId,
        uint64 indexed subject,
        uint64 indexed issuer,
        bytes32 dataHash,
        uint40 validFrom,
        uint40 validUntil
    );
    /// @notice Emitted when claim `claimId` was revoked for the reason documented by `reasonHash`.
    event ClaimRevoked(uint256 indexed claimId, bytes32 reasonHash);
    /// @notice Emitted when claim `claimId` was suspended.
    event ClaimSuspended(uint256 indexed claimId);
    /// @notice Emitted when suspended claim `claimId` was reinstated.
    event ClaimReinstated(uint256 indexed claimId);

    /// @notice Thrown when no DID has id `did`.
    error IdentityUnknownDid(uint64 did);
    /// @notice Thrown when `did` is in `status`, which does not allow the action.
    error IdentityUnexpectedStatus(uint64 did, DidStatus status);
    /// @notice Thrown when a DID is registered with an empty commitment.
    error IdentityEmptyCommitment();
    /// @notice Thrown when a key is the zero address.
    error IdentityInvalidKey(address key);
    /// @notice Thrown when `key` is already a key of `did`.
    error IdentityKeyTaken(address key, uint64 did);
    /// @notice Thrown when `key` is not a key of `did`.
    error IdentityNotKeyOf(uint64 did, address key);
    /// @notice Thrown when `key` is not a key of any DID.
    error IdentityUnknownKey(address key);
    /// @notice Thrown when a key's purposes `purposes` are empty or unknown.
    error IdentityInvalidPurposes(uint8 purposes);
    /// @notice Thrown when `key` has purposes `held` but the action needs `needed`.
    error IdentityKeyLacksPurpose(address key, uint8 held, uint8 needed);
    /// @notice Thrown when `did` would have more than `max` keys.
    error IdentityTooManyKeys(uint64 did, uint256 max);
    /// @notice Thrown when removing a key would leave `did` without an authentication key.
    error IdentityLastAuthenticationKey(uint64 did);
    /// @notice Thrown when `did` is not an organisation, which the action needs.
    error IdentityNotOrganisation(uint64 did);
    /// @notice Thrown when a mandate of `org` to `representative` has no scope, a past end, or names `org` itself.
    error IdentityInvalidMandate(uint64 org, uint64 representative);
    /// @notice Thrown when `org` has no mandate for `representative`.
    error IdentityUnknownMandate(uint64 org, uint64 representative);
    /// @notice Thrown when a topic is registered without a name.
    error IdentityEmptyTopicName();
    /// @notice Thrown when no topic has id `topic`.
    error IdentityUnknownTopic(uint32 topic);
    /// @notice Thrown when an accreditation of `issuer` for `topic` would end at `validUntil`, which is past.
    error IdentityInvalidAccreditation(uint64 issuer, uint32 topic, uint40 validUntil);
    /// @notice Thrown when `issuer` is not accredited for `topic` now.
    error IdentityNotAccredited(uint64 issuer, uint32 topic);
    /// @notice Thrown when a claim's data hash is zero.
    error IdentityEmptyDataHash();
    /// @notice Thrown when a claim's validity window [`validFrom`, `validUntil`] is empty.
    error IdentityInvalidValidity(uint40 validFrom, uint40 validUntil);
    /// @notice Thrown when no claim has id `claimId`.
    error IdentityUnknownClaim(uint256 claimId);
    /// @notice Thrown when DID `caller` did not issue claim `claimId`.
    error IdentityNotIssuer(uint256 claimId, uint64 caller);
    /// @notice Thrown when claim `claimId` is in `status`, which does not allow the action.
    error IdentityUnexpectedClaimStatus(uint256 claimId, ClaimStatus status);
    /// @notice Thrown when a batch is empty.
    error IdentityEmptyBatch();

    // ---- DIDs ----

    /**
     * @notice Registers a DID with its keys, active at once. Registrar agencies only.
     * @dev Requirements: non-zero commitment; 1..MAX_KEYS distinct unused keys, one with authentication.
     * Emits {DidRegistered} and a {KeyAdded} per key.
     */
    function register(DidKind kind, bytes32 commitment, Key[] calldata keys) external returns (uint64 did);

    /**
     * @notice Registers a DID controlled by the caller (all purposes), pending a registrar's {verify}.
     * Works relayed, so a citizen with no funds can sign it. Emits {DidRegistered} with registrar 0.
     */
    function selfRegister(DidKind kind, bytes32 commitment) external returns (uint64 did);

    /// @notice Activates a self-registered DID after checking the person or organisation. Registrars only.
    /// @dev Emits {DidVerified}.
    function verify(uint64 did) external;

    /// @notice Freezes an active or pending DID: its keys cannot act. Registrars only; works while paused.
    /// @dev Emits {DidSuspended}.
    function suspend(uint64 did, bytes32 reasonHash) external;

    /// @notice Unfreezes a suspended DID: active again, or pending if no registrar has verified it yet.
    /// Registrars only. Emits {DidReinstated}.
    function reinstate(uint64 did) external;

    /// @notice Closes a DID for good: its keys are removed; its record and claims stay. Registrars only.
    /// @dev Emits {KeyRemoved} per key and {DidDeactivated}.
    function deactivate(uint64 did, bytes32 reasonHash) external;

    /// @notice Replaces the commitment to `did`'s off-chain record. Registrars only. Emits {CommitmentUpdated}.
    function updateCommitment(uint64 did, bytes32 commitment) external;

    // ---- keys (the DID's controller: its authentication keys, or a representative with IDENTITY scope) ----

    /// @notice Adds `key` to `did` with `purposes`. Emits {KeyAdded}.
    function addKey(uint64 did, address key, uint8 purposes) external;

    /// @notice Removes `key` from `did`; an authentication key must remain. Emits {KeyRemoved}.
    function removeKey(uint64 did, address key) external;

    /**
     * @notice Replaces `oldKey` of `did` by `newKey`, which takes its purposes. Anything later signed
     * with `oldKey` is refused. Claims, mandates and consents stay: they belong to the DID.
     * @dev Emits {KeyRotated}.
     */
    function rotateKey(uint64 did, address oldKey, address newKey) external;

    /**
     * @notice Replaces every key of `did` by `newKey` with all purposes: the end of a recovery.
     * The recovery module only (it holds the IDENTITY_RECOVERY role).
     * @dev Emits {KeyRemoved} per key and {KeyAdded}.
     */
    function resetKeys(uint64 did, address newKey) external;

    /// @notice Checks that `newKey` could become a key (non-zero, no DID's key yet); reverts otherwise.
    function requireFreeKey(address newKey) external view;

    /// @notice The status of `did` (None when unknown).
    function statusOf(uint64 did) external view returns (DidStatus);

    // ---- mandates ----

    /// @notice Lets `representative` act for organisation `org` within `scopes` until `validUntil`.
    /// @dev Replaces an earlier mandate. Emits {MandateGranted}.
    function grantMandate(uint64 org, uint64 representative, uint32 scopes, uint48 validUntil) external;

    /// @notice Ends `representative`'s mandate for `org` at once. Emits {MandateRevoked}.
    function revokeMandate(uint64 org, uint64 representative) external;

    // ---- topics and trusted issuers (the council) ----

    /// @notice Registers a claim topic. Council only. Emits {TopicRegistered}.
    function registerTopic(string calldata name, bytes32 schemaHash) external returns (uint32 topic);

    /// @notice Accredits `issuer` for `topic` until `validUntil`. Council only. Emits {IssuerAccredited}.
    function accreditIssuer(uint64 issuer, uint32 topic, uint40 validUntil) external;

    /// @notice Withdraws `issuer`'s accreditation for `topic`. Council only. Emits {AccreditationWithdrawn}.
    function withdrawAccreditation(uint64 issuer, uint32 topic) external;

    // ---- claims (the issuer: a key of an accredited DID with the assertion purpose) ----

    /**
     * @notice Issues a claim of `topic` about `subject`, valid from `validFrom` to `validUntil`
     * (seconds), committing to the off-chain credential by `dataHash`.
     * @dev Requirements: caller's DID active and accredited for `topic`; `subject` active.
     * Emits {ClaimIssued}.
     */
    function issueClaim(
        uint64 subject,
        uint32 topic,
        bytes32 dataHash,
        uint40 validFrom,
        uint40 validUntil
    ) external returns (uint256 claimId);

    /// @notice Issues several claims in one transaction. Emits {ClaimIssued} per claim.
    function issueClaims(ClaimRequest[] calldata requests) external returns (uint256[] memory claimIds);

    /// @notice Revokes claim `claimId` for good. Its issuer only; works while paused. Emits {ClaimRevoked}.
    function revokeClaim(uint256 claimId, bytes32 reasonHash) external;

    /// @notice Revokes several claims. Emits {ClaimRevoked} per claim.
    function revokeClaims(uint256[] calldata claimIds, bytes32 reasonHash) external;

    /// @notice Suspends active claim `claimId`. Its issuer only; works while paused. Emits {ClaimSuspended}.
    function suspendClaim(uint256 claimId) external;

    /// @notice Reinstates suspended claim `claimId`. Its issuer only. Emits {ClaimReinstated}.
    function reinstateClaim(uint256 claimId) external;

    // ---- reads ----

    /// @notice The DID document of `did`.
    function resolve(uint64 did) external view returns (DidDocument memory);

    /// @notice The number of DIDs ever registered; ids run from 1 to this.
    function didCount() external view returns (uint64);

    /// @notice `org`'s mandate for `representative` (scopes 0 when none).
    function mandateOf(uint64 org, uint64 representative) external view returns (Mandate memory);

    /// @notice Claim topic `topic`.
    function getTopic(uint32 topic) external view returns (Topic memory);

    /// @notice The number of topics; ids run from 1 to this.
    function topicCount() external view returns (uint32);

    /// @notice `issuer`'s accreditation for `topic`.
    function accreditationOf(uint64 issuer, uint32 topic) external view returns (Accreditation memory);

    /// @notice Claim `claimId`.
    function getClaim(uint256 claimId) external view returns (Claim memory);

    /// @notice Whether claim `claimId` is active, within its window, from an issuer accredited now,
    /// and about a subject whose DID is active.
    function isClaimValid(uint256 claimId) external view returns (bool);

    /// @notice Every claim about `subject`, grouped by topic, newest topic first.
    function claimsOf(uint64 subject) external view returns (Claim[] memory);
}
