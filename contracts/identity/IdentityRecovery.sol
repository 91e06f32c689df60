// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {GovernedUpgradeable} from "../common/GovernedUpgradeable.sol";
import {RelayedModule} from "../common/RelayedModule.sol";
import {IIdentityRecovery} from "./IIdentityRecovery.sol";
import {IIdentityRegistry} from "./IIdentityRegistry.sol";
import {Scopes} from "./Scopes.sol";

/**
 * @title IdentityRecovery
 * @notice Guardians and key recovery for the DIDs of the {IdentityRegistry}.
 * @dev Holds the IDENTITY_RECOVERY role, the only caller of {IIdentityRegistry-resetKeys}.
 */
contract IdentityRecovery is IIdentityRecovery, RelayedModule {
    uint256 public constant MAX_GUARDIANS = 8;

    struct GuardianSet {
        uint64[] members;
        uint8 threshold;
    }

    /// @custom:storage-location erc7201:govledger.storage.IdentityRecovery
    struct RecoveryStorage {
        IIdentityRegistry identity;
        uint48 delay;
        mapping(uint64 did => GuardianSet) guardians;
        mapping(uint64 did => Recovery) recoveries;
    }

    // keccak256(abi.encode(uint256(keccak256("govledger.storage.IdentityRecovery")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0x824a46fffc7b67232d98be49908d794f54bd25cba76619e26dd0adb14037d700;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(address forwarder) RelayedModule(forwarder) {}

    /// @notice Sets up recovery for the DIDs of `identity` under `authority`, with `delay` seconds.
    function initialize(address authority, IIdentityRegistry identity, uint48 delay) external initializer {
        __PausableModule_init(authority);
        RecoveryStorage storage $ = _storage();
        $.identity = identity;
        $.delay = delay;
        emit RecoveryDelaySet(delay);
    }

    /// @inheritdoc GovernedUpgradeable
    function version() external pure virtual override returns (string memory) {
        return "1.0.0";
    }

    /// @inheritdoc IIdentityRecovery
    function setGuardians(uint64 did, uint64[] calldata guardians, uint8 threshold) external whenNotPaused {
        RecoveryStorage storage $ = _storage();
        $.identity.requireActingFor(_msgSender(), did, Scopes.IDENTITY, 0);
        _requireNoRecovery(did);
        if (guardians.length > MAX_GUARDIANS) revert RecoveryInvalidGuardians(did, MAX_GUARDIANS);
        if (guardians.length == 0 ? threshold != 0 : threshold == 0 || threshold > guardians.length) {
            revert RecoveryInvalidThreshold(threshold, guardians.length);
        }
        for (uint256 i = 0; i < guardians.length; ++i) {
            bool known = $.identity.statusOf(guardians[i]) != IIdentityRegistry.DidStatus.None;
            if (!known || guardians[i] == did) revert RecoveryInvalidGuardians(did, MAX_GUARDIANS);
            for (uint256 j = 0; j < i; ++j) {
                if (guardians[j] == guardians[i]) revert RecoveryInvalidGuardians(did, MAX_GUARDIANS);
            }
        }
        $.guardians[did] = GuardianSet(guardians, threshold);
        emit GuardiansSet(did, guardians, threshold);
    }

    /// @inheritdoc IIdentityRecovery
    function initiateRecovery(uint64 did, address newKey) external whenNotPaused {
        (uint64 guardian, uint256 index) = _guardianCaller(did);
        _start(did, newKey, guardian, false);
        _approve(did, guardian, index);
    }

    /// @inheritdoc IIdentityRecovery
    function approveRecovery(uint64 did) external whenNotPaused {
        (uint64 guardian, uint256 index) = _guardianCaller(did);
        if (_storage().recoveries[did].newKey == address(0)) revert RecoveryNotPending(did);
        _approve(did, guardian, index);
    }

    /// @inheritdoc IIdentityRecovery
    function recoverByRegistrar(uint64 did, address newKey) external restricted whenNotPaused {
        _start(did, newKey, 0, true);
        _schedule(did);
    }

    /// @inheritdoc IIdentityRecovery
    function objectRecovery(uint64 did) external {
        _storage().identity.requireActingFor(_msgSender(), did, Scopes.IDENTITY, 0);
        _clear(did);
        emit RecoveryObjected(did, _msgSender());
    }

    /// @inheritdoc IIdentityRecovery
    function cancelRecovery(uint64 did) external restricted {
        _clear(did);
        emit RecoveryCancelled(did);
    }

    /// @inheritdoc IIdentityRecovery
    function completeRecovery(uint64 did) external whenNotPaused {
        RecoveryStorage storage $ = _storage();
        Recovery memory r = $.recoveries[did];
        if (r.newKey == address(0)) revert RecoveryNotPending(did);
        if (r.readyAt == 0 || _now() < r.readyAt) revert RecoveryNotReady(did, r.readyAt);
        delete $.recoveries[did];
        $.identity.resetKeys(did, r.newKey);
        emit RecoveryCompleted(did, r.newKey);
    }

    /// @inheritdoc IIdentityRecovery
    function setRecoveryDelay(uint48 delay) external restricted {
        _storage().delay = delay;
        emit RecoveryDelaySet(delay);
    }

    /// @inheritdoc IIdentityRecovery
    function guardiansOf(uint64 did) external view returns (uint64[] memory guardians, uint8 threshold) {
        GuardianSet storage g = _storage().guardians[did];
        return (g.members, g.threshold);
    }

    /// @inheritdoc IIdentityRecovery
    function recoveryOf(uint64 did) external view returns (Recovery memory) {
        return _storage().recoveries[did];
    }

    /// @inheritdoc IIdentityRecovery
    function recoveryDelay() external view returns (uint48) {
        return _storage().delay;
    }

    /// @dev The caller's DID, which must be an active guardian of `did`, and its index among them.
    function _guardianCaller(uint64 did) private view returns (uint64 guardian, uint256 index) {
        RecoveryStorage storage $ = _storage();
        (guardian, ) = $.identity.didOf(_msgSender());
        $.identity.requireActingFor(_msgSender(), guardian, Scopes.IDENTITY, 0);
        uint64[] storage members = $.guardians[did].members;
        for (index = 0; index < members.length; ++index) {
            if (members[index] == guardian) return (guardian, index);
        }
        revert RecoveryNotGuardian(did, guardian);
    }

    function _start(uint64 did, address newKey, uint64 initiator, bool byRegistrar) private {
        RecoveryStorage storage $ = _storage();
        IIdentityRegistry.DidStatus status = $.identity.statusOf(did);
        if (status == IIdentityRegistry.DidStatus.None || status == IIdentityRegistry.DidStatus.Deactivated) {
            revert RecoveryUnrecoverable(did);
        }
        $.identity.requireFreeKey(newKey);
        _requireNoRecovery(did);
        $.recoveries[did] = Recovery(newKey, 0, 0, byRegistrar);
        emit RecoveryInitiated(did, newKey, initiator);
    }

    function _approve(uint64 did, uint64 guardian, uint256 index) private {
        RecoveryStorage storage $ = _storage();
        Recovery storage r = $.recoveries[did];
        uint8 bit = uint8(1 << index);
        if (r.approvals & bit != 0) revert RecoveryAlreadyApproved(did, guardian);
        r.approvals |= bit;
        uint8 approvals = _popcount(r.approvals);
        emit RecoveryApproved(did, guardian, approvals);
        if (r.readyAt == 0 && approvals >= $.guardians[did].threshold) _schedule(did);
    }

    function _schedule(uint64 did) private {
        RecoveryStorage storage $ = _storage();
        Recovery storage r = $.recoveries[did];
        r.readyAt = _now() + $.delay;
        emit RecoveryScheduled(did, r.newKey, r.readyAt);
    }

    function _clear(uint64 did) private {
        RecoveryStorage storage $ = _storage();
        if ($.recoveries[did].newKey == address(0)) revert RecoveryNotPending(did);
        delete $.recoveries[did];
    }

    function _requireNoRecovery(uint64 did) private view {
        address pending = _storage().recoveries[did].newKey;
        if (pending != address(0)) revert RecoveryPending(did, pending);
    }

    function _popcount(uint8 bits) private pure returns (uint8 n) {
        for (; bits != 0; bits &= bits - 1) ++n;
    }

    function _storage() private pure returns (RecoveryStorage storage $) {
        /// @solidity memory-safe-assembly
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
