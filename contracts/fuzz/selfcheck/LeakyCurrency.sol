// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {StandInCurrency} from "../../mocks/trade/StandInCurrency.sol";

/**
 * @title LeakyCurrency
 * @notice Fuzzing self-check only: a deliberately broken settlement token. Every `transfer` moves one
 * unit less than asked, so a payer's balance drops by less than it paid out: paid from the escrow, it
 * leaves the escrow holding more than it owes.
 */
contract LeakyCurrency is StandInCurrency {
    constructor(address owner) StandInCurrency(owner) {}

    /// @notice Moves `value - 1` (the planted bug) to `to`.
    function transfer(address to, uint256 value) public override returns (bool) {
        return super.transfer(to, value > 1 ? value - 1 : value);
    }
}
