// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {GovernedUpgradeable} from "../common/GovernedUpgradeable.sol";
import {PausableModule} from "../common/PausableModule.sol";
import {Roles} from "../governance/Roles.sol";
import {IMemberRegistry} from "./IMemberRegistry.sol";

/**
 * @title MemberRegistry
 * @notice The consortium's member organisations, their accounts and roles. Every change is made by
 * the council (k-of-n) and mirrored into the suite's authority, which the other contracts consult.
 * @dev The registry holds the MEMBER_REGISTRY role, which administers every member role at the
 * authority; nothing else can grant them. All role changes pass through {_syncRole}.
 */
contract MemberRegistry is IMemberRegistry, PausableModule {
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @notice The most accounts one member can have (role changes loop over them).
    uint256 public constant MAX_ACCOUNTS = 16;

    /// @custom:storage-location erc7201:govledger.storage.MemberRegistry
    struct MemberRegistryStorage {
        uint256 memberCount;
        mapping(uint256 memberId => Member) members;
        mapping(uint256 memberId => EnumerableSet.AddressSet) accounts;
        mapping(address account => uint256 memberId) memberOf;
    }

    // keccak256(abi.encode(uint256(keccak256("govledger.storage.MemberRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0xda0268590cca85c9eaafb8b4d615633beee4804b99063fcc986fb423194c8800;

    /// @notice Sets up the registry under `authority`.
    function initialize(address authority) external initializer {
        __PausableModule_init(authority);
    }

    /// @inheritdoc GovernedUpgradeable
    function version() external pure virtual override returns (string memory) {
        return "1.0.0";
    }

    /// @inheritdoc IMemberRegistry
    function admitMember(
        string calldata name,
        bytes32 documentsHash,
        address[] calldata accounts,
        uint64[] calldata roles
    ) external restricted whenNotPaused returns (uint256 memberId) {
        if (bytes(name).length == 0) revert MemberRegistryEmptyName();
        MemberRegistryStorage storage $ = _storage();
        memberId = ++$.memberCount;
        Member storage m = $.members[memberId];
        m.name = name;
        m.documentsHash = documentsHash;
        m.status = MemberStatus.Active;
        m.admittedAt = _now();
        m.updatedAt = _now();
        emit MemberAdmitted(memberId, name, documentsHash);
        for (uint256 i = 0; i < accounts.length; ++i) {
            _addAccount(memberId, accounts[i]);
        }
        for (uint256 i = 0; i < roles.length; ++i) {
            _grantMemberRole(memberId, roles[i]);
        }
    }

    /// @inheritdoc IMemberRegistry
    function suspendMember(uint256 memberId, bytes32 reasonHash) external restricted {
        Member storage m = _member(memberId, MemberStatus.Active);
        _setStatus(m, MemberStatus.Suspended);
        _syncAllRoles(memberId, m.roles, false);
        emit MemberSuspended(memberId, reasonHash);
    }

    /// @inheritdoc IMemberRegistry
    function reinstateMember(uint256 memberId) external restricted whenNotPaused {
        Member storage m = _member(memberId, MemberStatus.Suspended);
        _setStatus(m, MemberStatus.Active);
        _syncAllRoles(memberId, m.roles, true);
        emit MemberReinstated(memberId);
    }

    /// @inheritdoc IMemberRegistry
    function removeMember(uint256 memberId, bytes32 reasonHash) external restricted whenNotPaused {
        Member storage m = _existingMember(memberId);
        if (m.status == MemberStatus.Removed) revert MemberRegistryUnexpectedStatus(memberId, m.status);
        if (m.status == MemberStatus.Active) _syncAllRoles(memberId, m.roles, false);
        _setStatus(m, MemberStatus.Removed);
        emit MemberRemoved(memberId, reasonHash);
    }

    /// @inheritdoc IMemberRegistry
    function updateDocuments(uint256 memberId, bytes32 documentsHash) external restricted whenNotPaused {
        Member storage m = _existingMember(memberId);
        if (m.status == MemberStatus.Removed) revert MemberRegistryUnexpectedStatus(memberId, m.status);
        m.documentsHash = documentsHash;
        m.updatedAt = _now();
        emit MemberDocumentsUpdated(memberId, documentsHash);
    }

    /// @inheritdoc IMemberRegistry
    function grantMemberRole(uint256 memberId, uint64 role) external restricted whenNotPaused {
        _member(memberId, MemberStatus.Active);
        _grantMemberRole(memberId, role);
    }

    /// @inheritdoc IMemberRegistry
    function revokeMemberRole(uint256 memberId, uint64 role) external restricted whenNotPaused {
        Member storage m = _existingMember(memberId);
        if (m.status == MemberStatus.Removed) revert MemberRegistryUnexpectedStatus(memberId, m.status);
        if (!_holds(m.roles, role)) revert MemberRegistryRoleNotGranted(memberId, role);
        m.roles &= ~_bit(role);
        m.updatedAt = _now();
        if (m.status == MemberStatus.Active) _syncRole(memberId, role, false);
        emit MemberRoleRevoked(memberId, role);
    }

    /// @inheritdoc IMemberRegistry
    function addAccount(uint256 memberId, address account) external restricted whenNotPaused {
        Member storage m = _existingMember(memberId);
        if (m.status == MemberStatus.Removed) revert MemberRegistryUnexpectedStatus(memberId, m.status);
        _addAccount(memberId, account);
        m.updatedAt = _now();
        if (m.status == MemberStatus.Active) _syncAccount(account, m.roles, true);
    }

    /// @inheritdoc IMemberRegistry
    function removeAccount(uint256 memberId, address account) external restricted whenNotPaused {
        MemberRegistryStorage storage $ = _storage();
        Member storage m = _existingMember(memberId);
        if (!$.accounts[memberId].remove(account)) revert MemberRegistryNotMemberAccount(memberId, account);
        delete $.memberOf[account];
        m.updatedAt = _now();
        if (m.status == MemberStatus.Active) _syncAccount(account, m.roles, false);
        emit AccountRemoved(memberId, account);
    }

    /// @inheritdoc IMemberRegistry
    function getMember(uint256 memberId) external view returns (Member memory) {
        return _existingMember(memberId);
    }

    /// @inheritdoc IMemberRegistry
    function accountsOf(uint256 memberId) external view returns (address[] memory) {
        _existingMember(memberId);
        return _storage().accounts[memberId].values();
    }

    /// @inheritdoc IMemberRegistry
    function memberOf(address account) external view returns (uint256) {
        return _storage().memberOf[account];
    }

    /// @inheritdoc IMemberRegistry
    function hasMemberRole(address account, uint64 role) external view returns (bool) {
        MemberRegistryStorage storage $ = _storage();
        Member storage m = $.members[$.memberOf[account]];
        return m.status == MemberStatus.Active && Roles.isMemberRole(role) && _holds(m.roles, role);
    }

    /// @inheritdoc IMemberRegistry
    function memberCount() external view returns (uint256) {
        return _storage().memberCount;
    }

    function _grantMemberRole(uint256 memberId, uint64 role) private {
        if (!Roles.isMemberRole(role)) revert MemberRegistryNotMemberRole(role);
        Member storage m = _storage().members[memberId];
        if (_holds(m.roles, role)) revert MemberRegistryRoleAlreadyGranted(memberId, role);
        m.roles |= _bit(role);
        m.updatedAt = _now();
        _syncRole(memberId, role, true);
        emit MemberRoleGranted(memberId, role);
    }

    function _addAccount(uint256 memberId, address account) private {
        MemberRegistryStorage storage $ = _storage();
        if (account == address(0)) revert MemberRegistryInvalidAccount(account);
        uint256 holder = $.memberOf[account];
        if (holder != 0) revert MemberRegistryAccountTaken(account, holder);
        $.accounts[memberId].add(account);
        if ($.accounts[memberId].length() > MAX_ACCOUNTS) revert MemberRegistryTooManyAccounts(memberId, MAX_ACCOUNTS);
        $.memberOf[account] = memberId;
        emit AccountAdded(memberId, account);
    }

    /// @dev Grants or revokes every role in `roles` for every account of `memberId`.
    function _syncAllRoles(uint256 memberId, uint256 roles, bool granted) private {
        for (uint64 role = Roles.FIRST_MEMBER_ROLE; role <= Roles.LAST_MEMBER_ROLE; ++role) {
            if (_holds(roles, role)) _syncRole(memberId, role, granted);
        }
    }

    /// @dev Grants or revokes `role` for every account of `memberId`.
    function _syncRole(uint256 memberId, uint64 role, bool granted) private {
        EnumerableSet.AddressSet storage accounts = _storage().accounts[memberId];
        uint256 n = accounts.length();
        for (uint256 i = 0; i < n; ++i) {
            _syncAuthority(role, accounts.at(i), granted);
        }
    }

    /// @dev Grants or revokes every role in `roles` for `account`.
    function _syncAccount(address account, uint256 roles, bool granted) private {
        for (uint64 role = Roles.FIRST_MEMBER_ROLE; role <= Roles.LAST_MEMBER_ROLE; ++role) {
            if (_holds(roles, role)) _syncAuthority(role, account, granted);
        }
    }

    /// @dev The one place where member roles reach the authority.
    function _syncAuthority(uint64 role, address account, bool granted) private {
        IAccessManager manager = IAccessManager(authority());
        if (granted) manager.grantRole(role, account, 0);
        else manager.revokeRole(role, account);
    }

    function _setStatus(Member storage m, MemberStatus status) private {
        m.status = status;
        m.updatedAt = _now();
    }

    function _member(uint256 memberId, MemberStatus expected) private view returns (Member storage m) {
        m = _existingMember(memberId);
        if (m.status != expected) revert MemberRegistryUnexpectedStatus(memberId, m.status);
    }

    function _existingMember(uint256 memberId) private view returns (Member storage m) {
        m = _storage().members[memberId];
        if (m.status == MemberStatus.None) revert MemberRegistryUnknownMember(memberId);
    }

    function _holds(uint256 roles, uint64 role) private pure returns (bool) {
        return role < 256 && roles & _bit(role) != 0;
    }

    function _bit(uint64 role) private pure returns (uint256) {
        return uint256(1) << role;
    }

    function _storage() private pure returns (MemberRegistryStorage storage $) {
        /// @solidity memory-safe-assembly
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
