// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {GovernedUpgradeable} from "../common/GovernedUpgradeable.sol";
import {RelayedModule} from "../common/RelayedModule.sol";
import {IAchievementRegistry} from "../achievement/IAchievementRegistry.sol";
import {IIdentityRegistry} from "../identity/IIdentityRegistry.sol";
import {ILicenceRegister} from "./ILicenceRegister.sol";
import {ITechContractRegister} from "./ITechContractRegister.sol";
import {TechContractNumber} from "./TechContractNumber.sol";

/**
 * @title TechContractRegister
 * @notice The register of technology contracts and their transaction certificates. See {ITechContractRegister}.
 * @dev A contract is never deleted: annulment changes its status and keeps the record. The register reads
 * the achievement registry and the licence register, and changes neither: an assignment's change of
 * ownership goes through the achievement registry's consent rules, and the certificate only checks that it
 * did.
 */
contract TechContractRegister is ITechContractRegister, RelayedModule {
    /// @custom:storage-location erc7201:govledger.storage.TechContractRegister
    struct TechContractStorage {
        uint256 count;
        mapping(uint256 id => TechContract) contracts;
        mapping(uint64 registrationNumber => uint256 id) byNumber;
        mapping(bytes32 contractHash => uint256 id) byHash;
    }

    // keccak256(abi.encode(uint256(keccak256("govledger.storage.TechContractRegister")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0xf74d089c2d78522e067f39008add4ca0b667ef7c840872aad3655053d9fad900;

    /// @notice The identity module, whose DIDs are the parties, centres and arbitrators.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IIdentityRegistry public immutable IDENTITY;
    /// @notice The achievement registry whose achievements contracts assign or license.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IAchievementRegistry public immutable ACHIEVEMENTS;
    /// @notice The licence register whose licences licence contracts record.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    ILicenceRegister public immutable LICENCES;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(
        address forwarder,
        IIdentityRegistry identityRegistry,
        IAchievementRegistry achievementRegistry,
        ILicenceRegister licenceRegister
    ) RelayedModule(forwarder) {
        IDENTITY = identityRegistry;
        ACHIEVEMENTS = achievementRegistry;
        LICENCES = licenceRegister;
    }

    /// @notice Sets up the register under `authority`.
    function initialize(address authority) external initializer {
        __PausableModule_init(authority);
    }

    /// @inheritdoc GovernedUpgradeable
    function version() external pure virtual override returns (string memory) {
        return "1.0.0";
    }

    /// @inheritdoc ITechContractRegister
    function registerContract(Registration calldata r) external restricted whenNotPaused returns (uint256 id) {
        uint64 centre = _activeDidOf(_msgSender());
        TechContractStorage storage $ = _storage();
        _checkIdentifiers($, r);
        _checkTerms(r);
        _checkSubject(r);
        id = ++$.count;
        $.byNumber[r.registrationNumber] = id;
        $.byHash[r.contractHash] = id;
        // Achievements and licences that exist fit in 64 bits (see {TechContract}); both were read above.
        $.contracts[id] = TechContract({
            registrationNumber: r.registrationNumber,
            centre: centre,
            seller: r.seller,
            buyer: r.buyer,
            amount: r.amount,
            signedAt: r.signedAt,
            validFrom: r.validFrom,
            kind: r.kind,
            status: ContractStatus.Registered,
            validUntil: r.validUntil,
            achievement: uint64(r.achievement),
            licence: uint64(r.licence),
            contractHash: r.contractHash,
            dealRef: r.dealRef,
            certificateHash: bytes32(0)
        });
        emit ContractRegistered(id, r.registrationNumber, r.achievement, centre, r);
    }

    /// @inheritdoc ITechContractRegister
    function issueCertificate(uint256 id, bytes32 certificateHash) external restricted whenNotPaused {
        uint64 centre = _activeDidOf(_msgSender());
        TechContract storage c = _contract(id);
        if (c.centre != centre) revert TechContractNotCentre(id, centre);
        if (c.status != ContractStatus.Registered) revert TechContractUnexpectedStatus(id, c.status);
        if (certificateHash == bytes32(0)) revert TechContractMissingReference(id);
        if (c.kind == ContractType.Transfer) {
            if (ACHIEVEMENTS.shareOf(c.achievement, IAchievementRegistry.Right.Ownership, c.buyer) == 0) {
                revert TechContractTransferPending(c.achievement, c.buyer);
            }
        } else if (c.kind == ContractType.Licence && c.licence != 0) {
            ILicenceRegister.Licence memory licence = LICENCES.licenceOf(c.licence);
            if (licence.status != ILicenceRegister.LicenceStatus.Active || licence.terms.end <= _now()) {
                revert TechContractLicenceNotActive(c.licence);
            }
        }
        c.status = ContractStatus.Certified;
        c.certificateHash = certificateHash;
        emit CertificateIssued(id, centre, certificateHash);
    }

    /// @inheritdoc ITechContractRegister
    function annul(uint256 id, bytes32 caseRef) external restricted whenNotPaused {
        uint64 actor = _activeDidOf(_msgSender());
        TechContract storage c = _contract(id);
        if (c.status == ContractStatus.Annulled) revert TechContractUnexpectedStatus(id, c.status);
        if (caseRef == bytes32(0)) revert TechContractMissingReference(id);
        c.status = ContractStatus.Annulled;
        emit ContractAnnulled(id, actor, caseRef);
    }

    /// @inheritdoc ITechContractRegister
    function contractOf(uint256 id) external view returns (TechContract memory) {
        return _contract(id);
    }

    /// @inheritdoc ITechContractRegister
    function contractIdOf(uint64 registrationNumber) external view returns (uint256) {
        return _storage().byNumber[registrationNumber];
    }

    /// @inheritdoc ITechContractRegister
    function contractIdOfHash(bytes32 contractHash) external view returns (uint256) {
        return _storage().byHash[contractHash];
    }

    /// @inheritdoc ITechContractRegister
    function contractCount() external view returns (uint256) {
        return _storage().count;
    }

    // ---- internals ----

    /// @dev The registration number and the contract hash: well formed and registered once each.
    function _checkIdentifiers(TechContractStorage storage $, Registration calldata r) private view {
        if (!TechContractNumber.isValid(r.registrationNumber)) revert TechContractInvalidNumber(r.registrationNumber);
        uint256 existing = $.byNumber[r.registrationNumber];
        if (existing != 0) revert TechContractNumberTaken(r.registrationNumber, existing);
        if (r.contractHash == bytes32(0)) revert TechContractMissingHash(r.registrationNumber);
        existing = $.byHash[r.contractHash];
        if (existing != 0) revert TechContractHashTaken(r.contractHash, existing);
    }

    /// @dev The parties, the amount and the dates.
    function _checkTerms(Registration calldata r) private view {
        if (r.seller == r.buyer) revert TechContractSameParty(r.seller);
        _checkActive(r.seller);
        _checkActive(r.buyer);
        if (r.amount == 0) revert TechContractZeroAmount(r.registrationNumber);
        uint48 at = _now();
        if (r.signedAt == 0 || r.signedAt > at) revert TechContractInvalidSigningDate(r.signedAt, at);
        if (r.validUntil <= r.validFrom) revert TechContractInvalidValidity(r.validFrom, r.validUntil);
    }

    /// @dev The achievement and the licence the contract concerns, if any.
    function _checkSubject(Registration calldata r) private view {
        bool licensing = r.kind == ContractType.Licence;
        if (r.achievement == 0) {
            if (licensing || r.kind == ContractType.Transfer) revert TechContractMissingAchievement(r.kind);
        } else {
            // Reverts with the registry's AchievementUnknown for an unknown achievement.
            ACHIEVEMENTS.getAchievement(r.achievement);
            if (!ACHIEVEMENTS.isParty(r.achievement, r.seller)) {
                revert TechContractSellerNotParty(r.achievement, r.seller);
            }
        }
        if (r.licence == 0) return;
        if (!licensing) revert TechContractUnexpectedLicence(r.kind, r.licence);
        // Reverts with the register's LicenceUnknown for an unknown licence.
        ILicenceRegister.Licence memory licence = LICENCES.licenceOf(r.licence);
        if (licence.achievement != r.achievement || licence.licensee != r.buyer) {
            revert TechContractLicenceMismatch(r.licence, licence.achievement, licence.licensee);
        }
    }

    function _contract(uint256 id) private view returns (TechContract storage c) {
        c = _storage().contracts[id];
        if (c.status == ContractStatus.None) revert TechContractUnknown(id);
    }

    function _activeDidOf(address account) private view returns (uint64 did) {
        (did, ) = IDENTITY.didOf(account);
        _checkActive(did);
    }

    function _checkActive(uint64 did) private view {
        if (did == 0 || IDENTITY.statusOf(did) != IIdentityRegistry.DidStatus.Active) {
            revert TechContractInactiveParty(did);
        }
    }

    function _storage() private pure returns (TechContractStorage storage $) {
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
