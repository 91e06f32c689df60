// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/**
 * @title ERC721Floor
 * @notice The floor of the achievement benchmarks: OpenZeppelin's ERC-721 minting a token, and
 * nothing else. Benchmarks only; never deployed with the suite.
 * @dev Deliberately no access control, no metadata and no check beyond ERC-721's own (the token is
 * new and the receiver not zero): a registered achievement is an ERC-721 token too, and the ratio
 * to this contract shows what registering adds to the mint.
 */
contract ERC721Floor is ERC721 {
    constructor() ERC721("ERC-721 floor", "FLOOR") {}

    /// @notice Mints token `tokenId` to `to`: two storage writes (owner, balance) and a {Transfer}.
    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }
}
