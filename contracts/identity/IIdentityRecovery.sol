// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IIdentityRecovery
 * @notice Getting a DID back when its key is lost or compromised: k of the m guardian DIDs the
 * subject chose, or a registrar agency, name a new key; after a delay, during which a current key
 * of the DID can object, every old key is removed and the new key takes over. Anything signed with
 * an old key afterwards is refused, because the old key no longer belongs to the DID.
 * @dev If the key is compromised, a registrar first suspends the DID: a suspended DID's keys can
 * neither act nor object, so the thief cannot block the recovery.
 */
interface IIdentityRecovery {
    /// @notice A recovery in progress.
    struct Recovery {
        address newKey;
        /// @dev When it can complete; 0 while guardians' approvals are short of the threshold.
        uint48 readyAt;
        /// @dev Bit i set when guardian i approved.
        uint8 approvals;
        bool byRegistrar;
    }

    /// @notice Emitted when `did` chose `guardians`, `threshold` of whom can recover it.
    event GuardiansSet(uint64 indexed did, uint64[] guardians, uint8 threshold);
    /// @notice Emitted when a recovery of `did` to `newKey` began; `initiator` is a guardian DID, or 0 for a registrar.
    event RecoveryInitiated(uint64 indexed did, address newKey, uint64 indexed initiator);
    /// @notice Emitted when guardian `guardian` approved the pending recovery of `did`.
    event RecoveryApproved(uint64 indexed did, uint64 indexed guardian, uint8 approvals);
    /// @notice Emitted when the recovery of `did` was approved; it can complete at `readyAt`.
    event RecoveryScheduled(uint64 indexed did, address newKey, uint48 readyAt);
    /// @notice Emitted when current key `key` of `did` objected, cancelling the pending recovery.
    event RecoveryObjected(uint64 indexed did, address indexed key);
    /// @notice Emitted when a registrar cancelled the pending recovery of `did`.
    event RecoveryCancelled(uint64 indexed did);
    /// @notice Emitted when `did`'s keys were replaced by `newKey`.
    event RecoveryCompleted(uint64 indexed did, address indexed newKey);
    /// @notice Emitted when the delay between a recovery's approval and its completion changed.
    event RecoveryDelaySet(uint48 delay);

    /// @notice Thrown when guardians are more than `max`, repeated, unknown, or include the DID itself.
    error RecoveryInvalidGuardians(uint64 did, uint256 max);
    /// @notice Thrown when `threshold` is 0 or more than the `guardians` count (or not 0 for no guardians).
    error RecoveryInvalidThreshold(uint8 threshold, uint256 guardians);
    /// @notice Thrown when `guardian` is not a guardian of `did`.
    error RecoveryNotGuardian(uint64 did, uint64 guardian);
    /// @notice Thrown when `did` is unknown or deactivated, so it cannot be recovered.
    error RecoveryUnrecoverable(uint64 did);
    /// @notice Thrown when `did` already has a recovery (to `newKey`) in progress.
    error RecoveryPending(uint64 did, address newKey);
    /// @notice Thrown when `did` has no recovery in progress.
    error RecoveryNotPending(uint64 did);
    /// @notice Thrown when the recovery of `did` cannot complete before `readyAt` (0: not yet approved).
    error RecoveryNotReady(uint64 did, uint48 readyAt);
    /// @notice Thrown when `guardian` already approved the recovery of `did`.
    error RecoveryAlreadyApproved(uint64 did, uint64 guardian);

    /// @notice Chooses the guardian DIDs (at most MAX_GUARDIANS), `threshold` of whom can recover `did`.
    /// The DID's controller only; not while a recovery is pending. Emits {GuardiansSet}.
    function setGuardians(uint64 did, uint64[] calldata guardians, uint8 threshold) external;

    /**
     * @notice Starts recovering `did` to `newKey` as one of its guardians; counts as that guardian's
     * approval. Emits {RecoveryInitiated}, {RecoveryApproved} and, at the threshold, {RecoveryScheduled}.
     */
    function initiateRecovery(uint64 did, address newKey) external;

    /// @notice Approves the pending recovery of `did` as one of its guardians. Emits {RecoveryApproved}
    /// and, at the threshold, {RecoveryScheduled}.
    function approveRecovery(uint64 did) external;

    /// @notice Starts recovering `did` to `newKey`, approved at once. Registrars only.
    /// @dev Emits {RecoveryInitiated} and {RecoveryScheduled}.
    function recoverByRegistrar(uint64 did, address newKey) external;

    /// @notice Cancels the pending recovery of active `did`, as its controller. Emits {RecoveryObjected}.
    function objectRecovery(uint64 did) external;

    /// @notice Cancels the pending recovery of `did`. Registrars only. Emits {RecoveryCancelled}.
    function cancelRecovery(uint64 did) external;

    /// @notice Completes a ready recovery; anyone may call. Emits {RecoveryCompleted}.
    function completeRecovery(uint64 did) external;

    /// @notice Sets the delay between a recovery's approval and its completion. Council only.
    /// @dev Emits {RecoveryDelaySet}.
    function setRecoveryDelay(uint48 delay) external;

    /// @notice The guardians of `did` and how many of them must approve a recovery.
    function guardiansOf(uint64 did) external view returns (uint64[] memory guardians, uint8 threshold);

    /// @notice The pending recovery of `did` (newKey 0 when none).
    function recoveryOf(uint64 did) external view returns (Recovery memory);

    /// @notice The delay between a recovery's approval and its completion, in seconds.
    function recoveryDelay() external view returns (uint48);
}
