// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AchievementRegistry} from "../achievement/AchievementRegistry.sol";
import {IIdentityRegistry} from "../identity/IIdentityRegistry.sol";

/**
 * @title AchievementRegistryV2
 * @notice Test-only upgrade target: a new version number over the same storage, to show that an
 * upgrade keeps every token, right, grant, lock, enrolment and evaluation.
 * @dev Reached only by upgrading an initialised V1 proxy, so it needs no initializer of its own.
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract AchievementRegistryV2 is AchievementRegistry {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(
        address forwarder,
        IIdentityRegistry identityRegistry
    ) AchievementRegistry(forwarder, identityRegistry) {}

    function version() external pure override returns (string memory) {
        return "2.0.0";
    }
}
