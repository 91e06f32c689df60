// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ContextUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/ContextUpgradeable.sol";
import {ERC2771ContextUpgradeable} from "@openzeppelin/contracts-upgradeable/metatx/ERC2771ContextUpgradeable.sol";
import {PausableModule} from "./PausableModule.sol";

/**
 * @title RelayedModule
 * @notice A pausable suite module that also accepts calls relayed by the suite's {GovForwarder}:
 * a user who holds no funds signs an EIP-712 request and a relayer submits it; the module sees the
 * signer as the caller, for its own checks and for the authority's role checks alike.
 * @dev The forwarder is fixed in the implementation (immutable); replacing it is an upgrade.
 */
abstract contract RelayedModule is PausableModule, ERC2771ContextUpgradeable {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(address forwarder) ERC2771ContextUpgradeable(forwarder) {}

    function _msgSender()
        internal
        view
        virtual
        override(ContextUpgradeable, ERC2771ContextUpgradeable)
        returns (address)
    {
        return ERC2771ContextUpgradeable._msgSender();
    }

    function _msgData()
        internal
        view
        virtual
        override(ContextUpgradeable, ERC2771ContextUpgradeable)
        returns (bytes calldata)
    {
        return ERC2771ContextUpgradeable._msgData();
    }

    function _contextSuffixLength()
        internal
        view
        virtual
        override(ContextUpgradeable, ERC2771ContextUpgradeable)
        returns (uint256)
    {
        return ERC2771ContextUpgradeable._contextSuffixLength();
    }
}
