// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title FalseReturningToken
 * @notice Test-only: an ERC-20 that, once told to fail, answers every transfer with `false` instead
 * of reverting, and moves nothing. A test shows that the escrow treats `false` as a failure.
 */
contract FalseReturningToken is ERC20 {
    bool public failing;

    constructor() ERC20("False-returning token", "NOPE") {}

    /// @notice Mints `amount` to `to`; anyone may (test-only).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice From now on, transfers return false (`on`) or work (`!on`).
    function setFailing(bool on) external {
        failing = on;
    }

    /// @inheritdoc ERC20
    function transfer(address to, uint256 value) public override returns (bool) {
        return failing ? false : super.transfer(to, value);
    }

    /// @inheritdoc ERC20
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        return failing ? false : super.transferFrom(from, to, value);
    }
}
