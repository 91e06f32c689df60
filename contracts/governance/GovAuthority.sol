// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManagerUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagerUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";

/**
 * @title GovAuthority
 * @notice The one access authority of the suite: every suite contract asks it who may call what,
 * and which calls must wait a delay. It is OpenZeppelin's AccessManager behind a UUPS proxy.
 * @dev The authority upgrades only itself, through its own {execute}: that path has already checked
 * that the caller holds the role of `upgradeToAndCall` (ADMIN unless configured) and waited its delay.
 */
contract GovAuthority is Initializable, AccessManagerUpgradeable, UUPSUpgradeable {
    /// @notice Thrown when the authority is upgraded other than through its own {execute}.
    error GovAuthorityUpgradeNotScheduled(address caller);

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the authority with `initialAdmin` as the only holder of ADMIN_ROLE.
    function initialize(address initialAdmin) public override initializer {
        __AccessManager_init(initialAdmin);
        __UUPSUpgradeable_init();
    }

    /// @notice Version of this implementation.
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    function _authorizeUpgrade(address) internal view override {
        if (msg.sender != address(this)) revert GovAuthorityUpgradeNotScheduled(msg.sender);
    }
}
