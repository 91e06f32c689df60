// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/**
 * @title StandInCurrency
 * @notice Test and demo stand-in for the consortium's digital-currency settlement token: a plain
 * ERC-20 with EIP-2612 permit and 2 decimals (fen), minted by its owner. Deployed only on local
 * networks; production uses the real settlement token, any standard ERC-20.
 */
contract StandInCurrency is ERC20, ERC20Permit, Ownable {
    constructor(
        address owner
    ) ERC20("Stand-in digital yuan", "e-CNY(test)") ERC20Permit("Stand-in digital yuan") Ownable(owner) {}

    /// @notice Two decimals: one unit is one fen.
    function decimals() public pure override returns (uint8) {
        return 2;
    }

    /// @notice Mints `amount` to `to`. Owner only.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
