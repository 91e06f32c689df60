// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {GovernedUpgradeable} from "../common/GovernedUpgradeable.sol";
import {Roles} from "../governance/Roles.sol";
import {RelayedModule} from "../common/RelayedModule.sol";
import {IIdentityRegistry} from "../identity/IIdentityRegistry.sol";
import {Scopes} from "../identity/Scopes.sol";
import {IAchievementRegistry} from "./IAchievementRegistry.sol";
import {IAchievementRights} from "./IAchievementRights.sol";

/**
 * @title AchievementRights
 * @notice Consents to changes of achievements' rights and to pledges, and the pledges themselves.
 * See {IAchievementRights}.
 * @dev Applies what was agreed through the registry's {IAchievementRegistry.applyRightsChange} and
 * {IAchievementRegistry.setLock}, which only this contract's ACHIEVEMENT_RIGHTS role may call.
 */
contract AchievementRights is IAchievementRights, RelayedModule, EIP712Upgradeable {
    bytes32 private constant HOLDING_TYPEHASH = keccak256("Holding(uint64 did,uint16 bps)");
    bytes32 private constant RIGHTS_CHANGE_TYPEHASH = keccak256(
        "RightsChange(uint256 achievement,uint8 right,Holding[] holdings,uint48 until,address holder,uint32 version,uint48 deadline)Holding(uint64 did,uint16 bps)"
    );
    bytes32 private constant PLEDGE_TYPEHASH = keccak256(
        "PledgeTerms(uint256 achievement,uint64 lender,uint96 securedAmount,uint48 until,bytes32 contractHash,uint32 version,uint48 deadline)"
    );

    /// @custom:storage-location erc7201:govledger.storage.AchievementRights
    struct RightsStorage {
        IAchievementRegistry registry;
        IIdentityRegistry identity;
        uint32 evaluatorTopic;
        mapping(uint256 id => Pledge) pledges;
        mapping(bytes32 actionHash => mapping(uint64 did => bool)) approvals;
    }

    // keccak256(abi.encode(uint256(keccak256("govledger.storage.AchievementRights")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0x78d826950f3def5f82b1400cecf4749a2bea237878ecd8167eee44c2a1aa3000;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(address forwarder) RelayedModule(forwarder) {}

    /// @notice Sets up consents for the achievements of `registry`, whose parties are DIDs of `identity`.
    function initialize(
        address authority,
        IAchievementRegistry achievementRegistry,
        IIdentityRegistry identityRegistry
    ) external initializer {
        __PausableModule_init(authority);
        __EIP712_init("govledger-achievement", "1");
        RightsStorage storage $ = _storage();
        $.registry = achievementRegistry;
        $.identity = identityRegistry;
    }

    /// @inheritdoc GovernedUpgradeable
    function version() external pure virtual override returns (string memory) {
        return "1.0.0";
    }

    /// @notice The achievement registry whose rights this contract changes.
    function registry() external view returns (IAchievementRegistry) {
        return _storage().registry;
    }

    /// @inheritdoc IAchievementRights
    function approveRightsChange(IAchievementRegistry.RightsChange calldata c, uint64 did) external whenNotPaused {
        _checkCurrent(c.achievement, c.version, c.deadline);
        _approve(c.achievement, _rightsChangeHash(c), did, _changeParties(c));
    }

    /// @inheritdoc IAchievementRights
    function changeRights(
        IAchievementRegistry.RightsChange calldata c,
        Consent[] calldata consents,
        uint64 asDid
    ) external whenNotPaused {
        uint64 actor = _actingFor(asDid);
        _checkCurrent(c.achievement, c.version, c.deadline);
        bytes32 actionHash = _rightsChangeHash(c);
        _checkConsents(c.achievement, actionHash, _changeParties(c), consents, asDid);
        _storage().registry.applyRightsChange(c, actor, actionHash, bytes32(0));
    }

    /// @inheritdoc IAchievementRights
    function approvePledge(PledgeTerms calldata p, uint64 did) external whenNotPaused {
        _checkCurrent(p.achievement, p.version, p.deadline);
        _approve(p.achievement, _pledgeHash(p), did, _pledgeParties(p));
    }

    /// @inheritdoc IAchievementRights
    function pledge(PledgeTerms calldata p, Consent[] calldata consents, uint64 asDid) external whenNotPaused {
        uint64 actor = _actingFor(asDid);
        uint256 id = p.achievement;
        _checkCurrent(id, p.version, p.deadline);
        if (p.until <= _now()) revert IAchievementRegistry.AchievementInvalidTerm(p.until);
        RightsStorage storage $ = _storage();
        if ($.identity.statusOf(p.lender) != IIdentityRegistry.DidStatus.Active) {
            revert IAchievementRegistry.AchievementInactiveParty(p.lender);
        }
        _checkConsents(id, _pledgeHash(p), _pledgeParties(p), consents, asDid);
        $.registry.setLock(id, IAchievementRegistry.Lock.Pledged, true);
        $.pledges[id] = Pledge(p.lender, _now(), p.until, p.securedAmount, p.contractHash);
        emit Pledged(id, p.lender, actor, p.securedAmount, p.until, p.contractHash);
    }

    /// @inheritdoc IAchievementRights
    function releasePledge(uint256 id, uint64 asDid) external whenNotPaused {
        uint64 actor = _actingFor(asDid);
        uint64 lender = _storage().pledges[id].lender;
        if (lender == 0) revert IAchievementRegistry.AchievementNotPledged(id);
        if (lender != asDid) revert AchievementNotLender(id, asDid);
        _release(id, actor, bytes32(0));
    }

    /// @inheritdoc IAchievementRights
    function releasePledgeByOrder(uint256 id, bytes32 caseRef) external restricted {
        uint64 actor = _arbitrator(caseRef);
        if (_storage().pledges[id].lender == 0) revert IAchievementRegistry.AchievementNotPledged(id);
        _release(id, actor, caseRef);
    }

    // ---- disputes, freezes, orders ----

    /// @inheritdoc IAchievementRights
    function openDispute(uint256 id, uint64 asDid, bytes32 caseRef) external whenNotPaused {
        uint64 actor = _actingFor(asDid);
        IAchievementRegistry reg = _storage().registry;
        if (!reg.isParty(id, asDid)) revert IAchievementRegistry.AchievementNotParty(id, asDid);
        reg.setLock(id, IAchievementRegistry.Lock.Disputed, true);
        emit DisputeOpened(id, actor, caseRef);
    }

    /// @inheritdoc IAchievementRights
    function closeDispute(uint256 id, bytes32 caseRef) external restricted {
        uint64 actor = _arbitrator(caseRef);
        _storage().registry.setLock(id, IAchievementRegistry.Lock.Disputed, false);
        emit DisputeClosed(id, actor, caseRef);
    }

    /// @inheritdoc IAchievementRights
    function freeze(uint256 id, bytes32 caseRef) external restricted {
        uint64 actor = _arbitrator(caseRef);
        _storage().registry.setLock(id, IAchievementRegistry.Lock.Frozen, true);
        emit Frozen(id, actor, caseRef);
    }

    /// @inheritdoc IAchievementRights
    function unfreeze(uint256 id, bytes32 caseRef) external restricted {
        uint64 actor = _arbitrator(caseRef);
        _storage().registry.setLock(id, IAchievementRegistry.Lock.Frozen, false);
        emit Unfrozen(id, actor, caseRef);
    }

    /// @inheritdoc IAchievementRights
    function orderRightsChange(IAchievementRegistry.RightsChange calldata c, bytes32 caseRef) external restricted {
        uint64 actor = _arbitrator(caseRef);
        _storage().registry.applyRightsChange(c, actor, bytes32(0), caseRef);
    }

    // ---- enrolment ----

    /// @inheritdoc IAchievementRights
    function enrolRegistrar(address account) external whenNotPaused {
        uint64 did = _qualifiedRegistrar(account);
        if (did == 0) revert AchievementNotQualified(account, 0);
        _enrol(IAchievementRegistry.Enrolment.Registrar, account, did);
        emit RegistrarEnrolled(account, did);
    }

    /// @inheritdoc IAchievementRights
    function enrolEvaluator(address account, uint64 evaluator) external whenNotPaused {
        if (!_qualifiedEvaluator(account, evaluator)) revert AchievementNotQualified(account, evaluator);
        _enrol(IAchievementRegistry.Enrolment.Evaluator, account, evaluator);
        emit EvaluatorEnrolled(account, evaluator);
    }

    /// @inheritdoc IAchievementRights
    function dropRegistrar(address account) external whenNotPaused {
        uint64 did = _storage().registry.registrarOf(account);
        if (did == 0) revert IAchievementRegistry.AchievementNotEnrolled(account, 0);
        if (_qualifiedRegistrar(account) == did) revert AchievementStillQualified(account, did);
        _storage().registry.setEnrolment(IAchievementRegistry.Enrolment.Registrar, account, 0);
        emit RegistrarDropped(account, did);
    }

    /// @inheritdoc IAchievementRights
    function dropEvaluator(address account) external whenNotPaused {
        uint64 did = _storage().registry.evaluatorOf(account);
        if (did == 0) revert IAchievementRegistry.AchievementNotEnrolled(account, 0);
        if (_qualifiedEvaluator(account, did)) revert AchievementStillQualified(account, did);
        _storage().registry.setEnrolment(IAchievementRegistry.Enrolment.Evaluator, account, 0);
        emit EvaluatorDropped(account, did);
    }

    /// @inheritdoc IAchievementRights
    function setEvaluatorTopic(uint32 topic) external restricted {
        _storage().evaluatorTopic = topic;
        emit EvaluatorTopicSet(topic);
    }

    // ---- reads ----

    /// @inheritdoc IAchievementRights
    function evaluatorTopic() external view returns (uint32) {
        return _storage().evaluatorTopic;
    }

    /// @inheritdoc IAchievementRights
    function pledgeOf(uint256 id) external view returns (Pledge memory) {
        return _storage().pledges[id];
    }

    /// @inheritdoc IAchievementRights
    function consentsNeeded(IAchievementRegistry.RightsChange calldata c) external view returns (uint64[] memory) {
        return _changeParties(c);
    }

    /// @inheritdoc IAchievementRights
    function pledgeParties(PledgeTerms calldata p) external view returns (uint64[] memory) {
        return _pledgeParties(p);
    }

    /// @inheritdoc IAchievementRights
    function hasConsented(bytes32 actionHash, uint64 did) external view returns (bool) {
        return _storage().approvals[actionHash][did];
    }

    /// @inheritdoc IAchievementRights
    function rightsChangeHash(IAchievementRegistry.RightsChange calldata c) external view returns (bytes32) {
        return _rightsChangeHash(c);
    }

    /// @inheritdoc IAchievementRights
    function pledgeHash(PledgeTerms calldata p) external view returns (bytes32) {
        return _pledgeHash(p);
    }

    // ---- internals ----

    /// @dev `given` is the achievement's current version and `deadline` has not passed.
    function _checkCurrent(uint256 id, uint32 given, uint48 deadline) private view {
        uint32 current = _storage().registry.getAchievement(id).version;
        if (given != current) revert IAchievementRegistry.AchievementStaleVersion(id, given, current);
        if (deadline < _now()) revert AchievementConsentExpired(deadline);
    }

    /// @dev Checks the caller acts for `did` (ACHIEVEMENT scope) and returns the caller's own DID.
    function _actingFor(uint64 did) private view returns (uint64) {
        return _storage().identity.requireActingFor(_msgSender(), did, Scopes.ACHIEVEMENT, 0);
    }

    /// @dev The arbitrator's active DID; an order must name its case.
    function _arbitrator(bytes32 caseRef) private view returns (uint64 actor) {
        if (caseRef == bytes32(0)) revert AchievementNoCase();
        RightsStorage storage $ = _storage();
        (actor, ) = $.identity.didOf(_msgSender());
        if (actor == 0 || $.identity.statusOf(actor) != IIdentityRegistry.DidStatus.Active) {
            revert IAchievementRegistry.AchievementInactiveParty(actor);
        }
    }

    /// @dev The active DID of `account` if it holds the REGISTRAR role at the authority now, else 0.
    function _qualifiedRegistrar(address account) private view returns (uint64 did) {
        (bool isRegistrar, ) = IAccessManager(authority()).hasRole(Roles.REGISTRAR, account);
        if (!isRegistrar) return 0;
        IIdentityRegistry identity = _storage().identity;
        (did, ) = identity.didOf(account);
        if (did == 0 || identity.statusOf(did) != IIdentityRegistry.DidStatus.Active) return 0;
    }

    /// @dev Whether `account` acts for `evaluator`, which holds a valid claim of the evaluator topic now.
    function _qualifiedEvaluator(address account, uint64 evaluator) private view returns (bool) {
        RightsStorage storage $ = _storage();
        uint32 topic = $.evaluatorTopic;
        if (topic == 0) revert AchievementNoEvaluatorTopic();
        return
            $.identity.isActingFor(account, evaluator, Scopes.ACHIEVEMENT) &&
            $.identity.hasValidClaim(evaluator, topic);
    }

    function _enrol(IAchievementRegistry.Enrolment kind, address account, uint64 did) private {
        IAchievementRegistry registry_ = _storage().registry;
        uint64 current =
            kind == IAchievementRegistry.Enrolment.Registrar
                ? registry_.registrarOf(account)
                : registry_.evaluatorOf(account);
        if (current == did) revert AchievementStillQualified(account, did);
        registry_.setEnrolment(kind, account, did);
    }

    function _approve(uint256 id, bytes32 actionHash, uint64 did, uint64[] memory needed) private {
        uint64 actor = _actingFor(did);
        bool isNeeded;
        for (uint256 i = 0; i < needed.length && !isNeeded; ++i) isNeeded = needed[i] == did;
        if (!isNeeded) revert AchievementConsentNotNeeded(actionHash, did);
        mapping(uint64 => bool) storage given = _storage().approvals[actionHash];
        if (given[did]) revert AchievementAlreadyConsented(actionHash, did);
        given[did] = true;
        emit ConsentGiven(id, did, actionHash, actor);
    }

    /// @dev Every DID in `needed` is `asDid` (checked by the caller), approved on chain, or signed.
    function _checkConsents(
        uint256 id,
        bytes32 actionHash,
        uint64[] memory needed,
        Consent[] calldata consents,
        uint64 asDid
    ) private view {
        RightsStorage storage $ = _storage();
        for (uint256 i = 0; i < needed.length; ++i) {
            uint64 did = needed[i];
            if (did == asDid || $.approvals[actionHash][did]) continue;
            bool signed;
            for (uint256 j = 0; j < consents.length && !signed; ++j) {
                if (consents[j].did != did) continue;
                address signer = consents[j].signer;
                if (
                    !$.identity.isActingFor(signer, did, Scopes.ACHIEVEMENT) ||
                    !SignatureChecker.isValidSignatureNow(signer, actionHash, consents[j].signature)
                ) revert AchievementInvalidSignature(did, signer);
                signed = true;
            }
            if (!signed) revert AchievementConsentMissing(id, did);
        }
    }

    /// @dev A change needs every holder of the right now or once the grants in force end, and every
    /// new holder.
    function _changeParties(IAchievementRegistry.RightsChange calldata c) private view returns (uint64[] memory out) {
        uint64[] memory holders = _storage().registry.partiesOf(c.achievement, c.right);
        out = new uint64[](holders.length + c.holdings.length);
        uint256 n;
        for (uint256 i = 0; i < holders.length; ++i) out[n++] = holders[i];
        for (uint256 i = 0; i < c.holdings.length; ++i) n = _add(out, n, c.holdings[i].did);
        assembly ("memory-safe") {
            mstore(out, n)
        }
    }

    /// @dev Appends `did` to `out[0..n)` unless present; returns the new length.
    function _add(uint64[] memory out, uint256 n, uint64 did) private pure returns (uint256) {
        for (uint256 i = 0; i < n; ++i) if (out[i] == did) return n;
        out[n] = did;
        return n + 1;
    }

    /// @dev A pledge needs every disposal-right holder now or once the grants in force end (the pledge
    /// may outlast them), and the lender.
    function _pledgeParties(PledgeTerms calldata p) private view returns (uint64[] memory out) {
        uint64[] memory holders = _storage().registry.partiesOf(p.achievement, IAchievementRegistry.Right.Disposal);
        out = new uint64[](holders.length + 1);
        uint256 n;
        for (uint256 i = 0; i < holders.length; ++i) out[n++] = holders[i];
        n = _add(out, n, p.lender);
        assembly ("memory-safe") {
            mstore(out, n)
        }
    }

    function _release(uint256 id, uint64 actor, bytes32 caseRef) private {
        delete _storage().pledges[id];
        _storage().registry.setLock(id, IAchievementRegistry.Lock.Pledged, false);
        emit PledgeReleased(id, actor, caseRef);
    }

    function _rightsChangeHash(IAchievementRegistry.RightsChange calldata c) private view returns (bytes32) {
        bytes32[] memory hashes = new bytes32[](c.holdings.length);
        for (uint256 i = 0; i < hashes.length; ++i) {
            hashes[i] = keccak256(abi.encode(HOLDING_TYPEHASH, c.holdings[i].did, c.holdings[i].bps));
        }
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(
                        RIGHTS_CHANGE_TYPEHASH,
                        c.achievement,
                        c.right,
                        keccak256(abi.encodePacked(hashes)),
                        c.until,
                        c.holder,
                        c.version,
                        c.deadline
                    )
                )
            );
    }

    function _pledgeHash(PledgeTerms calldata p) private view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(
                        PLEDGE_TYPEHASH,
                        p.achievement,
                        p.lender,
                        p.securedAmount,
                        p.until,
                        p.contractHash,
                        p.version,
                        p.deadline
                    )
                )
            );
    }

    function _storage() private pure returns (RightsStorage storage $) {
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
