// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title RegistrationNumber
 * @notice The 12-digit registration number of the 科技成果登记表: region or department code (2 digits,
 * 10..99), year (4 digits, 1978..2099), type (1 digit, 1..9) and serial (5 digits, from 00001).
 * Example: 31 2026 2 00042 is 312026200042.
 */
library RegistrationNumber {
    uint256 private constant FIRST = 1e11;
    uint256 private constant BOUND = 1e12;

    /// @dev Whether `number` has 12 digits, a plausible year, a non-zero type and a non-zero serial.
    function isValid(uint64 number) internal pure returns (bool) {
        if (number < FIRST || number >= BOUND) return false;
        uint256 year = (number / 1e6) % 1e4;
        uint256 kind = (number / 1e5) % 10;
        uint256 serial = number % 1e5;
        return year >= 1978 && year <= 2099 && kind != 0 && serial != 0;
    }
}
