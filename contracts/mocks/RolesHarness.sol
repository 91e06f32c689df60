// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Roles} from "../governance/Roles.sol";

/**
 * @title RolesHarness
 * @notice Test-only: exposes the {Roles} library, whose constants are internal, so a test can hold
 * the TypeScript role table (src/sdk/roles.ts) to the Solidity one.
 */
contract RolesHarness {
    uint64 public constant ADMIN = Roles.ADMIN;
    uint64 public constant COUNCIL = Roles.COUNCIL;
    uint64 public constant UPGRADER = Roles.UPGRADER;
    uint64 public constant MEMBER_REGISTRY = Roles.MEMBER_REGISTRY;
    uint64 public constant IDENTITY_RECOVERY = Roles.IDENTITY_RECOVERY;
    uint64 public constant ACHIEVEMENT_RIGHTS = Roles.ACHIEVEMENT_RIGHTS;
    uint64 public constant ACHIEVEMENT_MARKET = Roles.ACHIEVEMENT_MARKET;
    uint64 public constant GUARDIAN = Roles.GUARDIAN;
    uint64 public constant REGISTRAR = Roles.REGISTRAR;
    uint64 public constant CREDENTIAL_ISSUER = Roles.CREDENTIAL_ISSUER;
    uint64 public constant NOTARY = Roles.NOTARY;
    uint64 public constant EVALUATOR = Roles.EVALUATOR;
    uint64 public constant TRADING_CENTRE = Roles.TRADING_CENTRE;
    uint64 public constant ARBITRATOR = Roles.ARBITRATOR;
    uint64 public constant AUDITOR = Roles.AUDITOR;
    uint64 public constant FIRST_MEMBER_ROLE = Roles.FIRST_MEMBER_ROLE;
    uint64 public constant LAST_MEMBER_ROLE = Roles.LAST_MEMBER_ROLE;

    function isMemberRole(uint64 role) external pure returns (bool) {
        return Roles.isMemberRole(role);
    }
}
