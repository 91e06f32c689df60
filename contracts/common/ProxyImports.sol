// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// Compiles OpenZeppelin's ERC-1967 proxy with the suite's settings (london), so the deployment
// uses a proxy built for consortium chains rather than a prebuilt artifact.
// solhint-disable-next-line no-unused-import
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
