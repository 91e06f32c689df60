// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title TechContractNumber
 * @notice The 16-digit registration number of a technology contract (技术合同认定登记编号): year (4 digits,
 * 1985..2200), administrative-division code of the registering office (6 digits, first digit 1..8) and
 * serial (6 digits, from 000001). Example: 2026 310104 000117 is 2026310104000117.
 */
library TechContractNumber {
    uint256 private constant SERIALS = 1e6;
    uint256 private constant DIVISIONS = 1e6;
    uint256 private constant YEAR_UNIT = SERIALS * DIVISIONS;

    /// @dev Whether `number` has 16 digits, a year in 1985..2200, a division code starting 1..8 and a
    /// non-zero serial. A year of four digits makes the number exactly 16 digits long.
    function isValid(uint64 number) internal pure returns (bool) {
        uint256 year = number / YEAR_UNIT;
        uint256 province = ((number / SERIALS) % DIVISIONS) / 1e5;
        uint256 serial = number % SERIALS;
        return year >= 1985 && year <= 2200 && province >= 1 && province <= 8 && serial != 0;
    }
}
