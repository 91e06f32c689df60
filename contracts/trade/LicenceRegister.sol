// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {GovernedUpgradeable} from "../common/GovernedUpgradeable.sol";
import {RelayedModule} from "../common/RelayedModule.sol";
import {IAchievementRegistry} from "../achievement/IAchievementRegistry.sol";
import {IIdentityRegistry} from "../identity/IIdentityRegistry.sol";
import {ILicenceRegister} from "./ILicenceRegister.sol";

/**
 * @title LicenceRegister
 * @notice The register of technology licences. See {ILicenceRegister}.
 * @dev A licence is never deleted: it ends by time or by an arbitrator's termination, which keeps
 * the record. Beside the full list of an achievement's licences, a list of those that may still run
 * is pruned of ended and terminated ones whenever a licence is recorded; overlaps are checked against
 * that list only, and at most {MAX_LICENCES} may run at once, so recording stays bounded however many
 * licences an achievement has over its life. `isLicensed` reads the full list, since it may be asked
 * about a past time.
 */
contract LicenceRegister is ILicenceRegister, RelayedModule {
    uint256 public constant MAX_LICENCES = 64;

    /// @custom:storage-location erc7201:govledger.storage.LicenceRegister
    struct LicenceStorage {
        uint256 count;
        mapping(uint256 id => Licence) licences;
        mapping(uint256 achievement => uint256[]) byAchievement;
        /// @dev The achievement's licences that may still run (pruned when one is recorded).
        mapping(uint256 achievement => uint256[]) running;
    }

    // keccak256(abi.encode(uint256(keccak256("govledger.storage.LicenceRegister")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0x81041b734f3b60d9adacb63fa0ce4df948133ceb25bbbd229855cdbfbcdf5000;

    /// @notice The identity module, whose DIDs are licensees and centres.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IIdentityRegistry public immutable IDENTITY;
    /// @notice The achievement registry whose achievements are licensed.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IAchievementRegistry public immutable ACHIEVEMENTS;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(
        address forwarder,
        IIdentityRegistry identityRegistry,
        IAchievementRegistry achievementRegistry
    ) RelayedModule(forwarder) {
        IDENTITY = identityRegistry;
        ACHIEVEMENTS = achievementRegistry;
    }

    /// @notice Sets up the register under `authority`.
    function initialize(address authority) external initializer {
        __PausableModule_init(authority);
    }

    /// @inheritdoc GovernedUpgradeable
    function version() external pure virtual override returns (string memory) {
        return "1.0.0";
    }

    /// @inheritdoc ILicenceRegister
    function record(
        uint256 achievement,
        uint64 licensee,
        LicenceTerms calldata terms,
        bytes32 dealRef
    ) external restricted whenNotPaused returns (uint256 id) {
        return _record(achievement, licensee, terms, dealRef, _activeDidOf(_msgSender()));
    }

    /// @inheritdoc ILicenceRegister
    function recordFor(
        uint256 achievement,
        uint64 licensee,
        LicenceTerms calldata terms,
        bytes32 dealRef,
        uint64 centre
    ) external restricted whenNotPaused returns (uint256 id) {
        _checkActive(centre);
        return _record(achievement, licensee, terms, dealRef, centre);
    }

    /// @inheritdoc ILicenceRegister
    function terminate(uint256 id, bytes32 caseRef) external restricted whenNotPaused {
        if (caseRef == bytes32(0)) revert LicenceMissingReference();
        uint64 actor = _activeDidOf(_msgSender());
        Licence storage licence = _licence(id);
        if (licence.status != LicenceStatus.Active || licence.terms.end <= _now()) revert LicenceNotActive(id);
        licence.status = LicenceStatus.Terminated;
        emit LicenceTerminated(id, licence.achievement, actor, caseRef);
    }

    /// @inheritdoc ILicenceRegister
    function isLicensed(
        uint64 licensee,
        uint256 achievement,
        uint32 field,
        uint32 territory,
        uint48 at
    ) external view returns (bool) {
        LicenceStorage storage $ = _storage();
        // Every licence, not only those running now: `at` may be in the past.
        uint256[] storage ids = $.byAchievement[achievement];
        for (uint256 i = 0; i < ids.length; ++i) {
            Licence storage licence = $.licences[ids[i]];
            LicenceTerms storage t = licence.terms;
            if (
                licence.licensee == licensee &&
                licence.status == LicenceStatus.Active &&
                t.start <= at &&
                at < t.end &&
                _covers(t.field, field) &&
                _covers(t.territory, territory)
            ) return true;
        }
        return false;
    }

    /// @inheritdoc ILicenceRegister
    function licenceOf(uint256 id) external view returns (Licence memory) {
        return _licence(id);
    }

    /// @inheritdoc ILicenceRegister
    function licencesOf(uint256 achievement) external view returns (uint256[] memory) {
        return _storage().byAchievement[achievement];
    }

    /// @inheritdoc ILicenceRegister
    function licenceCount() external view returns (uint256) {
        return _storage().count;
    }

    // ---- internals ----

    function _record(
        uint256 achievement,
        uint64 licensee,
        LicenceTerms calldata terms,
        bytes32 dealRef,
        uint64 centre
    ) private returns (uint256 id) {
        if (dealRef == bytes32(0)) revert LicenceMissingReference();
        IAchievementRegistry.Achievement memory a = ACHIEVEMENTS.getAchievement(achievement);
        if (a.pledged || a.disputed || a.frozen) revert LicenceAchievementLocked(achievement);
        _checkActive(licensee);
        if (terms.end <= terms.start || terms.end <= _now()) revert LicenceInvalidTerm(terms.start, terms.end);
        LicenceStorage storage $ = _storage();
        uint256[] storage running = $.running[achievement];
        // Prunes ended and terminated licences (swapping, so the list loses its order) and names the
        // oldest clashing one, whatever the list's order.
        uint256 clash;
        for (uint256 i = running.length; i > 0; --i) {
            uint256 otherId = running[i - 1];
            Licence storage other = $.licences[otherId];
            if (!_runs(other)) {
                running[i - 1] = running[running.length - 1];
                running.pop();
            } else if (_clash(other.terms, terms) && (clash == 0 || otherId < clash)) {
                clash = otherId;
            }
        }
        if (clash != 0) revert LicenceOverlap(clash);
        if (running.length >= MAX_LICENCES) revert LicenceTooMany(achievement, MAX_LICENCES);
        id = ++$.count;
        $.licences[id] = Licence(achievement, licensee, centre, LicenceStatus.Active, terms, dealRef);
        $.byAchievement[achievement].push(id);
        running.push(id);
        emit LicenceRecorded(id, achievement, licensee, centre, terms, dealRef);
    }

    /// @dev Whether `licence` is neither terminated nor ended.
    function _runs(Licence storage licence) private view returns (bool) {
        return licence.status == LicenceStatus.Active && licence.terms.end > _now();
    }

    /// @dev Whether a new licence on `terms` clashes with a running one on `o`: they overlap in time,
    /// field and territory, and either is exclusive or sole.
    function _clash(LicenceTerms storage o, LicenceTerms calldata terms) private view returns (bool) {
        if (terms.kind == LicenceKind.NonExclusive && o.kind == LicenceKind.NonExclusive) return false;
        return
            terms.start < o.end &&
            o.start < terms.end &&
            _overlaps(terms.field, o.field) &&
            _overlaps(terms.territory, o.territory);
    }

    /// @dev Codes overlap when equal or when either is 0 (all).
    function _overlaps(uint32 a, uint32 b) private pure returns (bool) {
        return a == 0 || b == 0 || a == b;
    }

    /// @dev A licence of code `granted` covers `asked` when it is of all (0) or of that code.
    function _covers(uint32 granted, uint32 asked) private pure returns (bool) {
        return granted == 0 || granted == asked;
    }

    function _licence(uint256 id) private view returns (Licence storage licence) {
        licence = _storage().licences[id];
        if (licence.status == LicenceStatus.None) revert LicenceUnknown(id);
    }

    function _activeDidOf(address account) private view returns (uint64 did) {
        (did, ) = IDENTITY.didOf(account);
        _checkActive(did);
    }

    function _checkActive(uint64 did) private view {
        if (did == 0 || IDENTITY.statusOf(did) != IIdentityRegistry.DidStatus.Active) revert LicenceInactiveParty(did);
    }

    function _storage() private pure returns (LicenceStorage storage $) {
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
