// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IConsentRegistry
 * @notice Informed consent (知情同意) for cross-agency look-ups: a subject lets an organisation see
 * one category of its data for a purpose until a time, and can revoke that at once. An organisation
 * that looks up another's data first records an access receipt citing a live consent; without one
 * the look-up is refused. Receipts are kept for audit. Only ids, times and hashes are stored.
 */
interface IConsentRegistry {
    /// @notice A consent, as stored.
    struct Consent {
        uint64 subject;
        /// @dev The organisation DID allowed to look up.
        uint64 grantee;
        /// @dev Data category id (e.g. 1 basic identity, 2 education; named off chain).
        uint32 category;
        uint48 grantedAt;
        uint48 validUntil;
        /// @dev 0 while not revoked.
        uint48 revokedAt;
        /// @dev Receipts recorded under this consent.
        uint32 accessCount;
        /// @dev Hash of the purpose statement the subject agreed to.
        bytes32 purposeHash;
    }

    /// @notice An access receipt: who looked up what, under which consent, when.
    struct AccessReceipt {
        uint64 consentId;
        /// @dev DID of the person or organisation that looked up (the grantee or its representative).
        uint64 accessor;
        uint48 accessedAt;
        /// @dev The key that recorded the receipt.
        address account;
        /// @dev Hash of the request made to the data holder.
        bytes32 requestHash;
    }

    /// @notice Emitted when `subject` let `grantee` see `category` for `purposeHash` until `validUntil`.
    event ConsentGranted(
        uint256 indexed consentId,
        uint64 indexed subject,
        uint64 indexed grantee,
        uint32 category,
        bytes32 purposeHash,
        uint48 validUntil
    );
    /// @notice Emitted when consent `consentId` was revoked.
    event ConsentRevoked(uint256 indexed consentId);
    /// @notice Emitted when `accessor` looked up data under consent `consentId`.
    event AccessRecorded(
        uint256 indexed receiptId,
        uint256 indexed consentId,
        uint64 indexed accessor,
        bytes32 requestHash
    );

    /// @notice Thrown when no consent has id `consentId`.
    error ConsentUnknown(uint256 consentId);
    /// @notice Thrown when consent `consentId` was revoked at `revokedAt`.
    error ConsentWasRevoked(uint256 consentId, uint48 revokedAt);
    /// @notice Thrown when consent `consentId` ended at `validUntil`.
    error ConsentExpired(uint256 consentId, uint48 validUntil);
    /// @notice Thrown when `grantee` is not an active DID other than the subject.
    error ConsentInvalidGrantee(uint64 grantee);
    /// @notice Thrown when a consent names category 0, an empty purpose or an end `validUntil` not in the future.
    error ConsentInvalidTerms(uint32 category, uint48 validUntil);
    /// @notice Thrown when no receipt has id `receiptId`.
    error ConsentUnknownReceipt(uint256 receiptId);

    /**
     * @notice Lets `grantee` look up `category` of `subject`'s data for `purposeHash` until `validUntil`.
     * @dev The caller acts for `subject` with the CONSENT scope (its own key, or a representative).
     * Emits {ConsentGranted}.
     */
    function grantConsent(
        uint64 subject,
        uint64 grantee,
        uint32 category,
        bytes32 purposeHash,
        uint48 validUntil
    ) external returns (uint256 consentId);

    /// @notice Ends consent `consentId` at once. Its subject only; works while paused. Emits {ConsentRevoked}.
    function revokeConsent(uint256 consentId) external;

    /**
     * @notice Records that the caller, acting for the grantee of `consentId`, looks up the data it
     * covers with the request `requestHash`. Refused unless the consent is live.
     * @dev Emits {AccessRecorded}.
     */
    function recordAccess(uint256 consentId, bytes32 requestHash) external returns (uint256 receiptId);

    /// @notice Whether consent `consentId` exists, is not revoked and has not ended.
    function isConsentLive(uint256 consentId) external view returns (bool);

    /// @notice Consent `consentId`.
    function getConsent(uint256 consentId) external view returns (Consent memory);

    /// @notice Access receipt `receiptId`.
    function getReceipt(uint256 receiptId) external view returns (AccessReceipt memory);

    /// @notice The number of consents; ids run from 1 to this.
    function consentCount() external view returns (uint256);

    /// @notice The number of receipts; ids run from 1 to this.
    function receiptCount() external view returns (uint256);
}
