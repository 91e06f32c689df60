// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title Floor
 * @notice The physical floor of the benchmarks: the least an on-chain record can cost, one storage
 * write per item and nothing else. Benchmarks only; never deployed with the suite.
 * @dev Deliberately no access control, no event, no duplicate check: each of those is a cost that
 * real contracts (ours and the peers) pay, and the ratio to this contract shows how much they add.
 */
contract Floor {
    /// @notice When each digest was recorded (block timestamp), or 0.
    mapping(bytes32 digest => uint256 time) public recordedAt;

    /// @notice Records `digest`: one storage write.
    function record(bytes32 digest) external {
        recordedAt[digest] = block.timestamp;
    }

    /// @notice Records every digest of `digests`: one storage write per item, the floor of a batch.
    function recordBatch(bytes32[] calldata digests) external {
        uint256 time = block.timestamp;
        for (uint256 i = 0; i < digests.length; ++i) {
            recordedAt[digests[i]] = time;
        }
    }
}
