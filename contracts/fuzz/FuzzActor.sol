// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/**
 * @title FuzzActor
 * @notice Fuzzing only: one account of the system under test (an agency's key, a party, an outsider),
 * driven by the harness that created it. The harness makes it call any suite contract and reads
 * whether the call went through; it signs an EIP-712 digest (ERC-1271) only when told to.
 */
contract FuzzActor is IERC1271 {
    /// @notice Thrown when anyone but the harness that created this actor drives it.
    error FuzzActorNotDriver(address caller);

    address private immutable DRIVER;
    mapping(bytes32 digest => bool) private _signed;

    constructor() {
        DRIVER = msg.sender;
    }

    /// @notice Calls `target` with `data` from this account; never reverts, returns the outcome.
    function act(address target, bytes calldata data) external returns (bool ok, bytes memory result) {
        _checkDriver();
        // The harness records refusals instead of stopping on them: a low-level call is the point.
        // solhint-disable-next-line avoid-low-level-calls
        (ok, result) = target.call(data);
    }

    /// @notice Signs `digest`: {isValidSignature} accepts it from now on.
    function sign(bytes32 digest) external {
        _checkDriver();
        _signed[digest] = true;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 digest, bytes calldata) external view returns (bytes4) {
        return _signed[digest] ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }

    function _checkDriver() private view {
        if (msg.sender != DRIVER) revert FuzzActorNotDriver(msg.sender);
    }
}
