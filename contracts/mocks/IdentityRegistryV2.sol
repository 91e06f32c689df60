// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IdentityRegistry} from "../identity/IdentityRegistry.sol";

/**
 * @title IdentityRegistryV2
 * @notice Test-only upgrade target: a new version number over the same storage, to show that an
 * upgrade keeps every DID, key, mandate and claim.
 * @dev Reached only by upgrading an initialised V1 proxy, so it needs no initializer of its own.
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract IdentityRegistryV2 is IdentityRegistry {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(address forwarder) IdentityRegistry(forwarder) {}

    function version() external pure override returns (string memory) {
        return "2.0.0";
    }
}
