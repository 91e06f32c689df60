// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AchievementRights} from "../achievement/AchievementRights.sol";

/**
 * @title AchievementRightsV2
 * @notice Test-only upgrade target: a new version number over the same storage, to show that an
 * upgrade keeps every pledge, on-chain consent and the evaluator topic.
 * @dev Reached only by upgrading an initialised V1 proxy, so it needs no initializer of its own.
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract AchievementRightsV2 is AchievementRights {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(address forwarder) AchievementRights(forwarder) {}

    function version() external pure override returns (string memory) {
        return "2.0.0";
    }
}
