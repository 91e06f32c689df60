// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {GovernedUpgradeable} from "../common/GovernedUpgradeable.sol";
import {RelayedModule} from "../common/RelayedModule.sol";
import {IConsentRegistry} from "./IConsentRegistry.sol";
import {Scopes} from "./Scopes.sol";
import {IIdentityRegistry} from "./IIdentityRegistry.sol";

/**
 * @title ConsentRegistry
 * @notice Consents and access receipts between the DIDs of the {IdentityRegistry}.
 */
contract ConsentRegistry is IConsentRegistry, RelayedModule {
    /// @custom:storage-location erc7201:govledger.storage.ConsentRegistry
    struct ConsentStorage {
        IIdentityRegistry identity;
        uint256 consentCount;
        uint256 receiptCount;
        mapping(uint256 consentId => Consent) consents;
        mapping(uint256 receiptId => AccessReceipt) receipts;
    }

    // keccak256(abi.encode(uint256(keccak256("govledger.storage.ConsentRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0x6b58d3e6c96b797c2888239c974fe5af3c0777a80fca4e098ba5173d08eb3300;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(address forwarder) RelayedModule(forwarder) {}

    /// @notice Sets up consents between the DIDs of `identity`, under `authority`.
    function initialize(address authority, IIdentityRegistry identity) external initializer {
        __PausableModule_init(authority);
        _storage().identity = identity;
    }

    /// @inheritdoc GovernedUpgradeable
    function version() external pure virtual override returns (string memory) {
        return "1.0.0";
    }

    /// @inheritdoc IConsentRegistry
    function grantConsent(
        uint64 subject,
        uint64 grantee,
        uint32 category,
        bytes32 purposeHash,
        uint48 validUntil
    ) external whenNotPaused returns (uint256 consentId) {
        ConsentStorage storage $ = _storage();
        $.identity.requireActingFor(_msgSender(), subject, Scopes.CONSENT, 0);
        if (grantee == subject || $.identity.statusOf(grantee) != IIdentityRegistry.DidStatus.Active) {
            revert ConsentInvalidGrantee(grantee);
        }
        if (category == 0 || purposeHash == bytes32(0) || validUntil <= _now()) {
            revert ConsentInvalidTerms(category, validUntil);
        }
        consentId = ++$.consentCount;
        $.consents[consentId] = Consent(subject, grantee, category, _now(), validUntil, 0, 0, purposeHash);
        emit ConsentGranted(consentId, subject, grantee, category, purposeHash, validUntil);
    }

    /// @inheritdoc IConsentRegistry
    function revokeConsent(uint256 consentId) external {
        ConsentStorage storage $ = _storage();
        Consent storage c = _existing(consentId);
        $.identity.requireActingFor(_msgSender(), c.subject, Scopes.CONSENT, 0);
        if (c.revokedAt != 0) revert ConsentWasRevoked(consentId, c.revokedAt);
        c.revokedAt = _now();
        emit ConsentRevoked(consentId);
    }

    /// @inheritdoc IConsentRegistry
    function recordAccess(uint256 consentId, bytes32 requestHash) external whenNotPaused returns (uint256 receiptId) {
        ConsentStorage storage $ = _storage();
        Consent storage c = _existing(consentId);
        uint64 accessor = $.identity.requireActingFor(_msgSender(), c.grantee, Scopes.CONSENT, 0);
        if (c.revokedAt != 0) revert ConsentWasRevoked(consentId, c.revokedAt);
        if (c.validUntil < _now()) revert ConsentExpired(consentId, c.validUntil);
        c.accessCount += 1;
        receiptId = ++$.receiptCount;
        // Consent ids count up from 1, one per transaction: they never reach 2^64.
        $.receipts[receiptId] = AccessReceipt(uint64(consentId), accessor, _now(), _msgSender(), requestHash);
        emit AccessRecorded(receiptId, consentId, accessor, requestHash);
    }

    /// @inheritdoc IConsentRegistry
    function isConsentLive(uint256 consentId) external view returns (bool) {
        Consent storage c = _storage().consents[consentId];
        return c.grantedAt != 0 && c.revokedAt == 0 && _now() <= c.validUntil;
    }

    /// @inheritdoc IConsentRegistry
    function getConsent(uint256 consentId) external view returns (Consent memory) {
        return _existing(consentId);
    }

    /// @inheritdoc IConsentRegistry
    function getReceipt(uint256 receiptId) external view returns (AccessReceipt memory r) {
        r = _storage().receipts[receiptId];
        if (r.consentId == 0) revert ConsentUnknownReceipt(receiptId);
    }

    /// @inheritdoc IConsentRegistry
    function consentCount() external view returns (uint256) {
        return _storage().consentCount;
    }

    /// @inheritdoc IConsentRegistry
    function receiptCount() external view returns (uint256) {
        return _storage().receiptCount;
    }

    function _existing(uint256 consentId) private view returns (Consent storage c) {
        c = _storage().consents[consentId];
        if (c.grantedAt == 0) revert ConsentUnknown(consentId);
    }

    function _storage() private pure returns (ConsentStorage storage $) {
        /// @solidity memory-safe-assembly
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
