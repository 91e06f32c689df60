// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IMemberRegistry
 * @notice The organisations of the consortium (agencies, trading centres, evaluators, auditors,
 * arbitrators, guardians), their accounts and their roles. The registry is the only path by which
 * member roles reach the suite's authority: granting a role here grants it to each of the member's
 * accounts there, so every suite contract sees the same, current roles.
 */
interface IMemberRegistry {
    enum MemberStatus {
        None,
        Active,
        /// Roles withdrawn from all accounts until reinstated.
        Suspended,
        /// Left the consortium for good; the record stays.
        Removed
    }

    /// @notice A member organisation, as stored.
    struct Member {
        /// @dev Public name of the organisation (organisations are public bodies; persons never appear here).
        string name;
        /// @dev Hash of the organisation's off-chain admission documents.
        bytes32 documentsHash;
        MemberStatus status;
        /// @dev Bitmap of member roles: bit `r` set when the member holds role id `r`.
        uint256 roles;
        uint48 admittedAt;
        uint48 updatedAt;
    }

    /// @notice Emitted when organisation `memberId` joined the consortium.
    event MemberAdmitted(uint256 indexed memberId, string name, bytes32 documentsHash);
    /// @notice Emitted when member `memberId` was suspended for the reason documented by `reasonHash`.
    event MemberSuspended(uint256 indexed memberId, bytes32 reasonHash);
    /// @notice Emitted when suspended member `memberId` was reinstated.
    event MemberReinstated(uint256 indexed memberId);
    /// @notice Emitted when member `memberId` was removed for the reason documented by `reasonHash`.
    event MemberRemoved(uint256 indexed memberId, bytes32 reasonHash);
    /// @notice Emitted when member `memberId`'s admission documents were replaced.
    event MemberDocumentsUpdated(uint256 indexed memberId, bytes32 documentsHash);
    /// @notice Emitted when member `memberId` was granted `role`.
    event MemberRoleGranted(uint256 indexed memberId, uint64 indexed role);
    /// @notice Emitted when member `memberId` lost `role`.
    event MemberRoleRevoked(uint256 indexed memberId, uint64 indexed role);
    /// @notice Emitted when `account` started acting for member `memberId`.
    event AccountAdded(uint256 indexed memberId, address indexed account);
    /// @notice Emitted when `account` stopped acting for member `memberId`.
    event AccountRemoved(uint256 indexed memberId, address indexed account);

    /// @notice Thrown when no member has id `memberId`.
    error MemberRegistryUnknownMember(uint256 memberId);
    /// @notice Thrown when member `memberId` is in `status`, which does not allow the action.
    error MemberRegistryUnexpectedStatus(uint256 memberId, MemberStatus status);
    /// @notice Thrown when `account` already acts for member `memberId`.
    error MemberRegistryAccountTaken(address account, uint256 memberId);
    /// @notice Thrown when `account` does not act for member `memberId`.
    error MemberRegistryNotMemberAccount(uint256 memberId, address account);
    /// @notice Thrown when an account is the zero address.
    error MemberRegistryInvalidAccount(address account);
    /// @notice Thrown when `role` is not a member role (governance roles are never granted to members).
    error MemberRegistryNotMemberRole(uint64 role);
    /// @notice Thrown when member `memberId` already holds `role`.
    error MemberRegistryRoleAlreadyGranted(uint256 memberId, uint64 role);
    /// @notice Thrown when member `memberId` does not hold `role`.
    error MemberRegistryRoleNotGranted(uint256 memberId, uint64 role);
    /// @notice Thrown when member `memberId` would have more than `max` accounts.
    error MemberRegistryTooManyAccounts(uint256 memberId, uint256 max);
    /// @notice Thrown when a member is admitted without a name.
    error MemberRegistryEmptyName();

    /**
     * @notice Admits an organisation with its accounts and roles. Council only.
     * @dev Requirements: non-empty name; accounts non-zero and not already taken; roles are member roles.
     * Emits {MemberAdmitted}, then {AccountAdded} and {MemberRoleGranted} for each account and role.
     * @return memberId The new member's id (ids start at 1).
     */
    function admitMember(
        string calldata name,
        bytes32 documentsHash,
        address[] calldata accounts,
        uint64[] calldata roles
    ) external returns (uint256 memberId);

    /**
     * @notice Suspends an active member: all its roles are withdrawn from its accounts until
     * {reinstateMember}. Council only. Works while the registry is paused, so a compromised member
     * can be stopped during an emergency.
     * @dev Emits {MemberSuspended}.
     */
    function suspendMember(uint256 memberId, bytes32 reasonHash) external;

    /// @notice Gives a suspended member its roles back. Council only. Emits {MemberReinstated}.
    function reinstateMember(uint256 memberId) external;

    /// @notice Removes a member for good; its roles are withdrawn, its record stays. Council only.
    /// @dev Emits {MemberRemoved}.
    function removeMember(uint256 memberId, bytes32 reasonHash) external;

    /// @notice Replaces a member's admission documents hash. Council only. Emits {MemberDocumentsUpdated}.
    function updateDocuments(uint256 memberId, bytes32 documentsHash) external;

    /// @notice Grants `role` to member `memberId` (to all its accounts). Council only. Emits {MemberRoleGranted}.
    function grantMemberRole(uint256 memberId, uint64 role) external;

    /// @notice Revokes `role` from member `memberId`. Council only. Emits {MemberRoleRevoked}.
    function revokeMemberRole(uint256 memberId, uint64 role) external;

    /// @notice Lets `account` act for member `memberId` with the member's roles. Council only.
    /// @dev Emits {AccountAdded}.
    function addAccount(uint256 memberId, address account) external;

    /// @notice Stops `account` acting for member `memberId`; its roles are withdrawn. Council only.
    /// @dev Emits {AccountRemoved}.
    function removeAccount(uint256 memberId, address account) external;

    /// @notice Member `memberId`.
    function getMember(uint256 memberId) external view returns (Member memory);

    /// @notice The accounts acting for member `memberId`.
    function accountsOf(uint256 memberId) external view returns (address[] memory);

    /// @notice The member `account` acts for, or 0.
    function memberOf(address account) external view returns (uint256);

    /// @notice Whether `account` acts for an active member that holds `role`.
    function hasMemberRole(address account, uint64 role) external view returns (bool);

    /// @notice The number of members ever admitted; ids run from 1 to this.
    function memberCount() external view returns (uint256);
}
