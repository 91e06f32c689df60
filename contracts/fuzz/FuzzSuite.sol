// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// Medusa finds property tests by their `property_` prefix, which is not mixedCase.
// solhint-disable func-name-mixedcase

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {MemberRegistry} from "../consortium/MemberRegistry.sol";
import {PausableModule} from "../common/PausableModule.sol";
import {GovAuthority} from "../governance/GovAuthority.sol";
import {Roles} from "../governance/Roles.sol";
import {IIdentityRegistry} from "../identity/IIdentityRegistry.sol";
import {IdentityRegistry} from "../identity/IdentityRegistry.sol";
import {KeyPurposes} from "../identity/KeyPurposes.sol";
import {FuzzActor} from "./FuzzActor.sol";

/**
 * @title FuzzSuite
 * @notice Fuzzing only: the base of every Medusa harness. Deploys the real consortium layer the way
 * deploy/ does (GovAuthority, MemberRegistry and IdentityRegistry behind ERC-1967 proxies, the
 * permission table of src/deploy/permissions.ts, member roles administered by the registry) and
 * creates the actors the fuzzer drives. The harness itself is the council (ADMIN and COUNCIL, as the
 * Council contract is after the handover) and the registration agency (a REGISTRAR member account).
 * @dev The rule "only the roles named in the design can do what they do" is checked the same way in
 * every harness: each handler lets a fuzzer-chosen actor try the call, and a call that goes through
 * although the actor lacks the role or the mandate the design names sets {_unauthorised}.
 * test/fuzz/harness-wiring.test.ts holds the permission table here to src/deploy/permissions.ts.
 */
abstract contract FuzzSuite {
    /// @notice Emitted when a call went through that the design says must be refused.
    event FuzzUnauthorised(address actor, address target, bytes4 selector);

    GovAuthority internal immutable AUTHORITY;
    MemberRegistry internal immutable MEMBERS;
    IdentityRegistry internal immutable IDENTITY;

    FuzzActor[] internal _actors;
    /// @dev Ghost: the DID each actor holds a key of now (0: none).
    mapping(address actor => uint64) internal _didOf;
    /// @dev Every DID the harness registered, in order.
    uint64[] internal _dids;
    bool internal _unauthorised;
    /// @dev The suite contracts deployed, by their deployment names (src/deploy/permissions.ts).
    string[] private _names;
    address[] private _targets;

    constructor() {
        AUTHORITY = GovAuthority(
            _proxy(address(new GovAuthority()), abi.encodeCall(GovAuthority.initialize, (address(this))))
        );
        MEMBERS = MemberRegistry(
            _proxy(address(new MemberRegistry()), abi.encodeCall(MemberRegistry.initialize, (address(AUTHORITY))))
        );
        IDENTITY = IdentityRegistry(
            _proxy(
                address(new IdentityRegistry(address(0))),
                abi.encodeCall(IdentityRegistry.initialize, (address(AUTHORITY), MEMBERS))
            )
        );
        _wireConsortium();
        _admit("registration agency", address(this), Roles.REGISTRAR);
        _deployed("MemberRegistry", address(MEMBERS));
        _deployed("IdentityRegistry", address(IDENTITY));
    }

    /// @notice No call went through that the design says must be refused (DESIGN §3: only the roles
    /// named in this design can do what they do).
    function property_onlyAuthorisedRolesChangeState() external view returns (bool) {
        return !_unauthorised;
    }

    /// @notice The authority and the suite contracts deployed, by deployment name (for
    /// test/fuzz/harness-wiring.test.ts).
    function suite() external view returns (GovAuthority authority, string[] memory names, address[] memory targets) {
        return (AUTHORITY, _names, _targets);
    }

    // ---- set-up ----

    /// @dev Records suite contract `target`, deployed as `name`.
    function _deployed(string memory name, address target) internal {
        _names.push(name);
        _targets.push(target);
    }

    function _proxy(address implementation, bytes memory init) internal returns (address) {
        return address(new ERC1967Proxy(implementation, init));
    }

    /// @dev The permission table of src/deploy/permissions.ts for the consortium layer, and the roles' admins.
    function _wireConsortium() private {
        address members = address(MEMBERS);
        _allowUpgradeAndPause(members);
        _allow(
            members,
            Roles.COUNCIL,
            _sel(
                MemberRegistry.admitMember.selector,
                MemberRegistry.suspendMember.selector,
                MemberRegistry.reinstateMember.selector,
                MemberRegistry.removeMember.selector,
                MemberRegistry.updateDocuments.selector
            )
        );
        _allow(
            members,
            Roles.COUNCIL,
            _sel(
                MemberRegistry.grantMemberRole.selector,
                MemberRegistry.revokeMemberRole.selector,
                MemberRegistry.addAccount.selector,
                MemberRegistry.removeAccount.selector,
                PausableModule.unpause.selector
            )
        );
        _wireIdentity();
        for (uint64 role = Roles.FIRST_MEMBER_ROLE; role <= Roles.LAST_MEMBER_ROLE; ++role) {
            AUTHORITY.setRoleAdmin(role, Roles.MEMBER_REGISTRY);
        }
        AUTHORITY.setRoleGuardian(Roles.UPGRADER, Roles.GUARDIAN);
        AUTHORITY.grantRole(Roles.MEMBER_REGISTRY, members, 0);
        AUTHORITY.grantRole(Roles.COUNCIL, address(this), 0);
    }

    function _wireIdentity() private {
        address identity = address(IDENTITY);
        _allowUpgradeAndPause(identity);
        _allow(
            identity,
            Roles.REGISTRAR,
            _sel(
                IdentityRegistry.register.selector,
                IdentityRegistry.verify.selector,
                IdentityRegistry.suspend.selector,
                IdentityRegistry.reinstate.selector,
                IdentityRegistry.deactivate.selector
            )
        );
        _allow(identity, Roles.REGISTRAR, _sel(IdentityRegistry.updateCommitment.selector));
        _allow(
            identity,
            Roles.COUNCIL,
            _sel(
                IdentityRegistry.registerTopic.selector,
                IdentityRegistry.accreditIssuer.selector,
                IdentityRegistry.withdrawAccreditation.selector,
                PausableModule.unpause.selector
            )
        );
        _allow(identity, Roles.IDENTITY_RECOVERY, _sel(IdentityRegistry.resetKeys.selector));
    }

    /// @dev UPGRADER for `upgradeToAndCall`, GUARDIAN for `pause` (every pausable suite proxy).
    function _allowUpgradeAndPause(address target) internal {
        _allowUpgrade(target);
        _allow(target, Roles.GUARDIAN, _sel(PausableModule.pause.selector));
    }

    function _allowUpgrade(address target) internal {
        _allow(target, Roles.UPGRADER, _sel(UUPSUpgradeable.upgradeToAndCall.selector));
    }

    function _allow(address target, uint64 role, bytes4[] memory selectors) internal {
        AUTHORITY.setTargetFunctionRole(target, selectors, role);
    }

    /// @dev Admits a member organisation with one account and one member role; returns its id.
    function _admit(string memory name, address account, uint64 role) internal returns (uint256) {
        address[] memory accounts = new address[](1);
        accounts[0] = account;
        uint64[] memory roles = new uint64[](1);
        roles[0] = role;
        return MEMBERS.admitMember(name, keccak256(bytes(name)), accounts, roles);
    }

    /// @dev A new actor, without DID or role.
    function _newActor() internal returns (FuzzActor actor) {
        actor = new FuzzActor();
        _actors.push(actor);
    }

    /// @dev A new actor holding the only key (all purposes) of a new active organisation DID.
    function _newParty() internal returns (FuzzActor actor) {
        actor = _newActor();
        _register(actor);
    }

    /// @dev Registers an active organisation DID whose only key is `actor`'s; the harness is the registrar.
    function _register(FuzzActor actor) internal returns (uint64 did) {
        IIdentityRegistry.Key[] memory keys = new IIdentityRegistry.Key[](1);
        keys[0] = IIdentityRegistry.Key(address(actor), KeyPurposes.ALL);
        did = IDENTITY.register(
            IIdentityRegistry.DidKind.Organisation,
            keccak256(abi.encode("commitment", actor, _dids.length)),
            keys
        );
        _didOf[address(actor)] = did;
        _dids.push(did);
    }

    // ---- driving actors ----

    /// @dev The actor a fuzzer seed picks.
    function _actor(uint256 seed) internal view returns (FuzzActor) {
        return _actors[seed % _actors.length];
    }

    /// @dev The DID a fuzzer seed picks among those registered, or 0 (no DID) for one seed in eight.
    function _anyDid(uint256 seed) internal view returns (uint64) {
        if (seed % 8 == 7) return 0;
        return _dids[seed % _dids.length];
    }

    /// @dev Whether `actor` acts for `did` now as the design says: its own DID, both active.
    /// (The harnesses grant no mandates: acting for another DID must always be refused.)
    function _actsFor(FuzzActor actor, uint64 did) internal view returns (bool) {
        return did != 0 && _didOf[address(actor)] == did && _isActive(did);
    }

    function _isActive(uint64 did) internal view returns (bool) {
        return IDENTITY.statusOf(did) == IIdentityRegistry.DidStatus.Active;
    }

    /// @dev Makes `actor` call `target`; when the call goes through although `allowed` is false, records
    /// the breach of the permission rule.
    function _try(FuzzActor actor, address target, bytes memory data, bool allowed) internal returns (bool ok) {
        bytes memory result;
        (ok, result) = actor.act(target, data);
        if (ok && !allowed) {
            _unauthorised = true;
            emit FuzzUnauthorised(address(actor), target, bytes4(data));
        }
    }

    // ---- selector lists ----

    function _sel(bytes4 a) internal pure returns (bytes4[] memory s) {
        s = new bytes4[](1);
        s[0] = a;
    }

    function _sel(bytes4 a, bytes4 b) internal pure returns (bytes4[] memory s) {
        s = new bytes4[](2);
        (s[0], s[1]) = (a, b);
    }

    function _sel(bytes4 a, bytes4 b, bytes4 c) internal pure returns (bytes4[] memory s) {
        s = new bytes4[](3);
        (s[0], s[1], s[2]) = (a, b, c);
    }

    function _sel(bytes4 a, bytes4 b, bytes4 c, bytes4 d) internal pure returns (bytes4[] memory s) {
        s = new bytes4[](4);
        (s[0], s[1], s[2], s[3]) = (a, b, c, d);
    }

    function _sel(bytes4 a, bytes4 b, bytes4 c, bytes4 d, bytes4 e) internal pure returns (bytes4[] memory s) {
        s = new bytes4[](5);
        (s[0], s[1], s[2], s[3], s[4]) = (a, b, c, d, e);
    }
}
