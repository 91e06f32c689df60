// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MemberRegistry} from "../consortium/MemberRegistry.sol";

/**
 * @title MemberRegistryV2
 * @notice Test-only upgrade target: adds a function and a new namespaced field, keeps every record.
 * @dev It is only ever reached by upgrading an initialised V1 proxy, so it needs no initializer of its own.
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract MemberRegistryV2 is MemberRegistry {
    /// @custom:storage-location erc7201:govledger.storage.MemberRegistryV2
    struct V2Storage {
        string motto;
    }

    // keccak256(abi.encode(uint256(keccak256("govledger.storage.MemberRegistryV2")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant V2_SLOT = 0x4b0616fcd8152739cbcdbff3e0f32296b6931f08a90265570f0f0fb4031d9d00;

    function version() external pure override returns (string memory) {
        return "2.0.0";
    }

    /// @notice A field V1 did not have, to show new storage coexists with the old.
    function setMotto(string calldata newMotto) external restricted {
        _v2().motto = newMotto;
    }

    function motto() external view returns (string memory) {
        return _v2().motto;
    }

    function _v2() private pure returns (V2Storage storage $) {
        /// @solidity memory-safe-assembly
        assembly {
            $.slot := V2_SLOT
        }
    }
}
