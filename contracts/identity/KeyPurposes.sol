// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title KeyPurposes
 * @notice What a DID's key may be used for; one bit each.
 */
library KeyPurposes {
    /// @dev Act as the DID: control it, sign requests, consent.
    uint8 internal constant AUTHENTICATION = 1 << 0;
    /// @dev Issue and manage claims in the DID's name.
    uint8 internal constant ASSERTION = 1 << 1;
    uint8 internal constant ALL = AUTHENTICATION | ASSERTION;
}
