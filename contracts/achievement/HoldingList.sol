// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAchievementRegistry} from "./IAchievementRegistry.sol";

/**
 * @title HoldingList
 * @notice A list of holdings (DID and share) packed three to a storage word: entry `i` sits in word
 * `i / 3` at bit `80 * (i % 3)` (DID in the low 64 bits, share in the next 16), and the length sits
 * in the top 16 bits of word 0. A sole owner costs one word; each third co-owner another.
 */
library HoldingList {
    uint256 private constant PER_WORD = 3;
    uint256 private constant ENTRY_BITS = 80;
    uint256 private constant LENGTH_SHIFT = 240;

    /// @dev The list stored in `words`.
    function load(
        mapping(uint256 => uint256) storage words
    ) internal view returns (IAchievementRegistry.Holding[] memory list) {
        uint256 word = words[0];
        uint256 length = word >> LENGTH_SHIFT;
        list = new IAchievementRegistry.Holding[](length);
        for (uint256 i = 0; i < length; ++i) {
            if (i != 0 && i % PER_WORD == 0) word = words[i / PER_WORD];
            uint256 entry = word >> (ENTRY_BITS * (i % PER_WORD));
            list[i] = IAchievementRegistry.Holding(uint64(entry), uint16(entry >> 64));
        }
    }

    /// @dev Replaces the list in `words` with `list` (at most 65,535 entries; callers cap it lower).
    function store(mapping(uint256 => uint256) storage words, IAchievementRegistry.Holding[] calldata list) internal {
        uint256 word = list.length << LENGTH_SHIFT;
        for (uint256 i = 0; i < list.length; ++i) {
            uint256 slot = i % PER_WORD;
            if (i != 0 && slot == 0) {
                words[i / PER_WORD - 1] = word;
                word = 0;
            }
            word |= (uint256(list[i].did) | (uint256(list[i].bps) << 64)) << (ENTRY_BITS * slot);
        }
        words[list.length == 0 ? 0 : (list.length - 1) / PER_WORD] = word;
    }
}
