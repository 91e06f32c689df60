// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/**
 * @title ConsentWallet
 * @notice Test-only: an ERC-1271 contract wallet keyed as a DID's key. It accepts a signature of a
 * hash when its owner signed that hash, and forwards its owner's calls, so a test can show that a
 * contract wallet consents (by signature or by calling) like an externally owned key.
 */
contract ConsentWallet is IERC1271 {
    address public immutable OWNER;

    /// @notice Thrown when anyone but the owner asks the wallet to call.
    error ConsentWalletNotOwner(address caller);

    constructor(address owner) {
        OWNER = owner;
    }

    /// @notice Calls `target` with `data` as the wallet; reverts with the callee's reason.
    function execute(address target, bytes calldata data) external returns (bytes memory result) {
        if (msg.sender != OWNER) revert ConsentWalletNotOwner(msg.sender);
        bool ok;
        // A wallet forwards arbitrary calls of its owner: that is its purpose.
        // solhint-disable-next-line avoid-low-level-calls
        (ok, result) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError error, ) = ECDSA.tryRecover(hash, signature);
        return error == ECDSA.RecoverError.NoError && signer == OWNER ? this.isValidSignature.selector : bytes4(0);
    }
}
