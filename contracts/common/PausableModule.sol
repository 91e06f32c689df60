// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {GovernedUpgradeable} from "./GovernedUpgradeable.sol";

/**
 * @title PausableModule
 * @notice A governed suite module that a guardian can pause in an emergency. Pausing stops
 * state changes marked `whenNotPaused`; reads never stop.
 * @dev The authority maps {pause} to the guardian role and {unpause} to the council.
 */
abstract contract PausableModule is GovernedUpgradeable, PausableUpgradeable {
    // solhint-disable-next-line func-name-mixedcase
    function __PausableModule_init(address authority) internal onlyInitializing {
        __Governed_init(authority);
        __Pausable_init();
    }

    /// @notice Stops every state change of this module until {unpause}. Guardian only.
    function pause() external restricted {
        _pause();
    }

    /// @notice Resumes state changes. Council only.
    function unpause() external restricted {
        _unpause();
    }
}
