// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title Scopes
 * @notice What a mandate lets a representative do for an organisation; one bit each.
 */
library Scopes {
    /// @dev Manage the organisation's DID: keys, guardians, mandates, recovery objections.
    uint32 internal constant IDENTITY = 1 << 0;
    /// @dev Grant and revoke consents, and look up others' data under a consent.
    uint32 internal constant CONSENT = 1 << 1;
    /// @dev Notarize evidence for the organisation.
    uint32 internal constant EVIDENCE = 1 << 2;
    /// @dev Register and manage the organisation's achievements and rights.
    uint32 internal constant ACHIEVEMENT = 1 << 3;
    /// @dev List, bid, negotiate and sign deals.
    uint32 internal constant TRADE = 1 << 4;
    /// @dev Fund escrow, confirm milestones, withdraw.
    uint32 internal constant PAYMENT = 1 << 5;
    /// @dev Every scope defined so far.
    uint32 internal constant ALL = (1 << 6) - 1;
}
