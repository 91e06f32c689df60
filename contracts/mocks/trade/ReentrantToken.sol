// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title ReentrantToken
 * @notice Test-only: an ERC-20 that calls back into a target while it moves tokens. Armed with a
 * target and calldata, its next `transfer`, `transferFrom` or `permit` first makes that call (once),
 * records whether it reverted and why, then completes the transfer as usual (a permit grants nothing).
 * A test shows that no entry point of the escrow can be re-entered from inside a payment, nor from
 * the permit call that `fundWithPermit` makes before it changes any state.
 */
contract ReentrantToken is ERC20 {
    address private _target;
    bytes private _payload;
    bool private _armed;

    /// @notice Whether a re-entry was attempted since the token was last armed.
    bool public attempted;
    /// @notice Whether the last attempt reverted.
    bool public reverted;
    /// @notice The revert data of the last attempt (empty if it succeeded).
    bytes public reason;

    constructor() ERC20("Re-entrant token", "BACK") {}

    /// @notice Mints `amount` to `to`; anyone may (test-only).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Lets `spender` take `amount` of the token's own balance, so that the armed call may pay
    /// from it (as an attacker that acts for a payer would).
    function approveFromSelf(address spender, uint256 amount) external {
        _approve(address(this), spender, amount);
    }

    /// @notice Arms the token: its next transfer first calls `target` with `payload`.
    function arm(address target, bytes calldata payload) external {
        _target = target;
        _payload = payload;
        _armed = true;
        attempted = false;
        reverted = false;
        delete reason;
    }

    /// @notice Makes the armed call now, outside any transfer (the control of a test).
    function fire() external {
        _reenter();
    }

    /// @inheritdoc ERC20
    function transfer(address to, uint256 value) public override returns (bool) {
        if (_armed) _reenter();
        return super.transfer(to, value);
    }

    /// @inheritdoc ERC20
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (_armed) _reenter();
        return super.transferFrom(from, to, value);
    }

    /// @notice Re-enters like a transfer, and grants no allowance: the payer's approval must carry the payment.
    function permit(address, address, uint256, uint256, uint8, bytes32, bytes32) external {
        if (_armed) _reenter();
    }

    function _reenter() private {
        _armed = false;
        attempted = true;
        // Replaying an arbitrary armed call is the point of this attacker.
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory data) = _target.call(_payload);
        reverted = !ok;
        reason = ok ? bytes("") : data;
    }
}
