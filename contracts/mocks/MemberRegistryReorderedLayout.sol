// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {PausableModule} from "../common/PausableModule.sol";
import {IMemberRegistry} from "../consortium/IMemberRegistry.sol";

/**
 * @title MemberRegistryReorderedLayout
 * @notice Test-only and deliberately unsafe: it declares the registry's ERC-7201 namespace with the
 * fields in another order, so after an upgrade the member count would be read from the slot where
 * the registry keeps its members mapping. The storage-layout check must refuse it; never deploy it.
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract MemberRegistryReorderedLayout is PausableModule {
    /// @custom:storage-location erc7201:govledger.storage.MemberRegistry
    struct MemberRegistryStorage {
        mapping(uint256 memberId => IMemberRegistry.Member) members;
        uint256 memberCount;
        mapping(uint256 memberId => EnumerableSet.AddressSet) accounts;
        mapping(address account => uint256 memberId) memberOf;
    }

    function version() external pure override returns (string memory) {
        return "2.0.0-reordered";
    }
}
