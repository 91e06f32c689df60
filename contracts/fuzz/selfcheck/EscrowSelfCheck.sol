// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {EscrowFuzz} from "../EscrowFuzz.sol";
import {LeakyCurrency} from "./LeakyCurrency.sol";

/**
 * @title EscrowSelfCheck
 * @notice Fuzzing self-check only (`npm run fuzz -- --self-check`): {EscrowFuzz} settling in
 * {LeakyCurrency}, whose planted bug breaks escrow conservation after open, fund, confirm and withdraw.
 * Medusa must find that sequence and fail `property_escrowHoldsWhatItOwes`: proof that the harness
 * reaches deep states and that a broken rule fails the run with its call sequence.
 */
contract EscrowSelfCheck is EscrowFuzz {
    function _newToken() internal override returns (IERC20) {
        return new LeakyCurrency(address(this));
    }
}
