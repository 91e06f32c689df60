// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title FeeOnTransferToken
 * @notice Test-only: an ERC-20 that burns 1 % of every transfer, so the receiver gets less than was
 * sent. A test shows that the escrow refuses such a payment instead of holding less than it owes.
 */
contract FeeOnTransferToken is ERC20 {
    uint256 public constant FEE_PERCENT = 1;

    constructor() ERC20("Fee-taking token", "FEE") {}

    /// @notice Mints `amount` to `to`; anyone may (test-only).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @dev Transfers between accounts lose 1 %, burnt; mints and burns are exact.
    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) return super._update(from, to, value);
        uint256 fee = (value * FEE_PERCENT) / 100;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
