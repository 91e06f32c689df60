// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";

/**
 * @title GovernedUpgradeable
 * @notice Base of every suite contract: a UUPS proxy implementation whose restricted functions,
 * upgrades included, are authorised by the suite's {GovAuthority}.
 * @dev `upgradeToAndCall` is `restricted`, so the authority decides who upgrades (the council,
 * after the upgrade delay). Time is read through {_now} only, the seam for chains whose clock
 * differs (some consortium chains report milliseconds).
 */
abstract contract GovernedUpgradeable is Initializable, AccessManagedUpgradeable, UUPSUpgradeable {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    // solhint-disable-next-line func-name-mixedcase
    function __Governed_init(address authority) internal onlyInitializing {
        __AccessManaged_init(authority);
        __UUPSUpgradeable_init();
    }

    /// @notice Version of this implementation, e.g. "1.0.0".
    function version() external pure virtual returns (string memory);

    // solhint-disable-next-line no-empty-blocks
    function _authorizeUpgrade(address) internal override restricted {}

    /// @dev The current time in seconds. Override on chains that report time differently.
    function _now() internal view virtual returns (uint48) {
        return uint48(block.timestamp);
    }
}
