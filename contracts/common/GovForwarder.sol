// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";

/**
 * @title GovForwarder
 * @notice Relays EIP-712 signed requests to the suite's modules, so that a citizen or an agency
 * clerk with no funds can act and a relayer pays. A request binds the chain id and this contract
 * (EIP-712 domain "govledger", version "1"), the target, the signer's nonce and a deadline; a
 * signature is usable once, before its deadline, on this chain only, and never in its malleable form.
 * @dev OpenZeppelin's ERC-2771 forwarder, unchanged. It holds no state but nonces and has no admin.
 */
contract GovForwarder is ERC2771Forwarder {
    constructor() ERC2771Forwarder("govledger") {}
}
