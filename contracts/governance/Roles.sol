// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title Roles
 * @notice The role ids of the consortium, as known to the one {GovAuthority} of the suite.
 * @dev Ids 0..9 are governance roles held by contracts (the council and the member registry);
 * ids 10..63 are member roles, granted to member organisations' accounts only through the
 * {MemberRegistry}. A member's role set is a bitmap with bit `id` set for each role it holds.
 */
library Roles {
    /// @dev AccessManager's ADMIN_ROLE: changes of who governs. Held by the council, with a delay.
    uint64 internal constant ADMIN = 0;
    /// @dev k-of-n council decisions that take effect at once: members, member roles, unpause.
    uint64 internal constant COUNCIL = 1;
    /// @dev Upgrades of suite contracts. Held by the council, with a delay.
    uint64 internal constant UPGRADER = 2;
    /// @dev The member registry contract: admin of every member role.
    uint64 internal constant MEMBER_REGISTRY = 3;
    /// @dev The identity recovery contract: replaces a recovered DID's keys.
    uint64 internal constant IDENTITY_RECOVERY = 4;
    /// @dev The achievement rights contract: applies consented changes, pledges, disputes, freezes
    /// and orders in the achievement registry.
    uint64 internal constant ACHIEVEMENT_RIGHTS = 5;
    /// @dev The trading module: marks achievements listed, delisted and licensed.
    uint64 internal constant ACHIEVEMENT_MARKET = 6;

    /// @dev Pauses modules in an emergency and cancels scheduled governance operations.
    uint64 internal constant GUARDIAN = 10;
    /// @dev Registers digital identities (DIDs) and technology achievements (the registration agency).
    uint64 internal constant REGISTRAR = 11;
    /// @dev Issues verifiable claims (credentials).
    uint64 internal constant CREDENTIAL_ISSUER = 12;
    /// @dev Notarizes evidence.
    uint64 internal constant NOTARY = 13;
    /// @dev Publishes evaluations of technology achievements.
    uint64 internal constant EVALUATOR = 14;
    /// @dev Runs listings, auctions and settlement as a technology trading centre.
    uint64 internal constant TRADING_CENTRE = 15;
    /// @dev Rules on disputes, freezes and orders transfers.
    uint64 internal constant ARBITRATOR = 16;
    /// @dev Reads and verifies records for audits.
    uint64 internal constant AUDITOR = 17;

    /// @dev Lowest and highest member role id.
    uint64 internal constant FIRST_MEMBER_ROLE = GUARDIAN;
    uint64 internal constant LAST_MEMBER_ROLE = AUDITOR;

    /// @dev Whether `role` is a member role (grantable to organisations through the registry).
    function isMemberRole(uint64 role) internal pure returns (bool) {
        return role >= FIRST_MEMBER_ROLE && role <= LAST_MEMBER_ROLE;
    }
}
