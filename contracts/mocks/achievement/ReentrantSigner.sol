// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title ReentrantSigner
 * @notice Test-only: a contract key that tries to re-enter whatever asks it something. Asked to
 * check a signature (ERC-1271) or handed a token (ERC-721 receiver hook), it first replays the
 * call it was armed with against the module, and accepts only if that re-entry succeeded. A test
 * shows that no such question is asked in a way that lets the re-entry change anything.
 */
contract ReentrantSigner {
    address private _target;
    bytes private _payload;

    /// @notice Thrown when the re-entry attempt failed (with its revert data).
    error ReentrantSignerReentryFailed(bytes reason);

    /// @notice Arms the signer: it will call `target` with `payload` when asked.
    function arm(address target, bytes calldata payload) external {
        _target = target;
        _payload = payload;
    }

    /// @notice ERC-1271: re-enters first, then accepts any hash.
    function isValidSignature(bytes32, bytes calldata) external returns (bytes4) {
        _reenter();
        return this.isValidSignature.selector;
    }

    /// @notice ERC-721 receiver hook: re-enters first, then accepts the token.
    function onERC721Received(address, address, uint256, bytes calldata) external returns (bytes4) {
        _reenter();
        return this.onERC721Received.selector;
    }

    function _reenter() private {
        // Replaying an arbitrary armed call is the point of this attacker.
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory reason) = _target.call(_payload);
        if (!ok) revert ReentrantSignerReentryFailed(reason);
    }
}
