// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title ITechContractRegister
 * @notice Technology-contract registration (技术合同认定登记) and the transaction certificate (交易凭证). A
 * trading centre registers a signed technology contract under its official 16-digit registration number:
 * the contract's hash, type, seller and buyer DIDs, amount, signing date, validity and, for an assignment or
 * a licence, the achievement (and licence) it concerns. Once the deal is carried out, the same centre issues
 * the transaction certificate; an assignment is certified only when the buyer holds the achievement's
 * ownership (the change went through the achievement registry's consent rules), a licence only while the
 * licence runs. An arbitrator annuls a registration by court or arbitration order; the record is kept.
 * @dev The contract documents themselves stay off chain: the register keeps their hashes, and each contract
 * hash and each registration number is registered once.
 */
interface ITechContractRegister {
    /// @notice The type of a technology contract: 技术开发, 技术转让 (assignment of rights), 技术许可,
    /// 技术咨询, 技术服务, 作价投资 (contribution of technology as capital).
    enum ContractType {
        Development,
        Transfer,
        Licence,
        Consulting,
        Service,
        Investment
    }

    enum ContractStatus {
        None,
        Registered,
        Certified,
        Annulled
    }

    /// @notice What a trading centre submits to register a technology contract.
    // solhint-disable-next-line gas-struct-packing
    struct Registration {
        /// @dev 16 digits: year (4), administrative-division code (6), serial (6).
        uint64 registrationNumber;
        ContractType kind;
        /// @dev Hash of the signed contract document; each hash is registered once.
        bytes32 contractHash;
        uint64 seller;
        uint64 buyer;
        /// @dev The contract amount, in the minor unit of the currency (fen for CNY).
        uint128 amount;
        uint48 signedAt;
        uint48 validFrom;
        /// @dev The contract is valid until `validUntil` (exclusive).
        uint48 validUntil;
        /// @dev The achievement (12-digit registration number) it concerns; 0: none. Required for an
        /// assignment (Transfer) and a licence.
        uint256 achievement;
        /// @dev The licence of the licence register it records; 0: none. Licence contracts only.
        uint256 licence;
        /// @dev The deal confirmation (成交确认书) it comes from; 0: none (a contract signed off the exchange).
        bytes32 dealRef;
    }

    /// @notice A registered technology contract, as stored.
    /// @dev Achievement ids are 12-digit registration numbers and licence ids a count: both fit in 64 bits.
    struct TechContract {
        uint64 registrationNumber;
        /// @dev The trading centre's DID that registered it (and alone may certify it).
        uint64 centre;
        uint64 seller;
        uint64 buyer;
        uint128 amount;
        uint48 signedAt;
        uint48 validFrom;
        ContractType kind;
        ContractStatus status;
        uint48 validUntil;
        uint64 achievement;
        uint64 licence;
        bytes32 contractHash;
        bytes32 dealRef;
        /// @dev The transaction certificate's hash; 0 until it is issued.
        bytes32 certificateHash;
    }

    /// @notice Emitted when centre DID `centre` registers contract `id` under `registrationNumber`,
    /// concerning `achievement` (0: none); `registration` is the registration as submitted.
    event ContractRegistered(
        uint256 indexed id,
        uint64 indexed registrationNumber,
        uint256 indexed achievement,
        uint64 centre,
        Registration registration
    );
    /// @notice Emitted when centre DID `centre` issues the transaction certificate of contract `id`.
    event CertificateIssued(uint256 indexed id, uint64 indexed centre, bytes32 certificateHash);
    /// @notice Emitted when arbitrator DID `actor` annuls contract `id` by order of case `caseRef`.
    event ContractAnnulled(uint256 indexed id, uint64 indexed actor, bytes32 caseRef);

    /// @notice Thrown when no contract has id `id`.
    error TechContractUnknown(uint256 id);
    /// @notice Thrown when `did` (the caller's, a seller or a buyer) is not an active DID; 0: the caller has none.
    error TechContractInactiveParty(uint64 did);
    /// @notice Thrown when `registrationNumber` is not a 16-digit registration number: year 1985..2200,
    /// division code starting 1..8, serial from 000001.
    error TechContractInvalidNumber(uint64 registrationNumber);
    /// @notice Thrown when `registrationNumber` is already registered, as contract `id`.
    error TechContractNumberTaken(uint64 registrationNumber, uint256 id);
    /// @notice Thrown when registration `registrationNumber` names no contract hash.
    error TechContractMissingHash(uint64 registrationNumber);
    /// @notice Thrown when contract hash `contractHash` is already registered, as contract `id`.
    error TechContractHashTaken(bytes32 contractHash, uint256 id);
    /// @notice Thrown when the seller and the buyer are the same DID `did`.
    error TechContractSameParty(uint64 did);
    /// @notice Thrown when registration `registrationNumber` gives a zero contract amount.
    error TechContractZeroAmount(uint64 registrationNumber);
    /// @notice Thrown when the signing date `signedAt` is zero or after now (`at`).
    error TechContractInvalidSigningDate(uint48 signedAt, uint48 at);
    /// @notice Thrown when the validity is empty: `validUntil` is not after `validFrom`.
    error TechContractInvalidValidity(uint48 validFrom, uint48 validUntil);
    /// @notice Thrown when a contract of type `kind` (an assignment or a licence) names no achievement.
    error TechContractMissingAchievement(ContractType kind);
    /// @notice Thrown when the seller `seller` holds no right in `achievement` and is not one of its inventors.
    error TechContractSellerNotParty(uint256 achievement, uint64 seller);
    /// @notice Thrown when a contract of type `kind`, not a licence contract, names licence `licence`.
    error TechContractUnexpectedLicence(ContractType kind, uint256 licence);
    /// @notice Thrown when licence `licence` is of achievement `achievement` to licensee `licensee`, not of
    /// the contract's achievement to its buyer.
    error TechContractLicenceMismatch(uint256 licence, uint256 achievement, uint64 licensee);
    /// @notice Thrown when centre DID `centre` did not register contract `id`: only the registering centre certifies.
    error TechContractNotCentre(uint256 id, uint64 centre);
    /// @notice Thrown when contract `id` is in status `status`, where the call is not allowed.
    error TechContractUnexpectedStatus(uint256 id, ContractStatus status);
    /// @notice Thrown when a certificate hash, or an annulment's case, is zero, for contract `id`.
    error TechContractMissingReference(uint256 id);
    /// @notice Thrown when an assignment of `achievement` is certified before `buyer` holds its ownership.
    error TechContractTransferPending(uint256 achievement, uint64 buyer);
    /// @notice Thrown when a licence contract is certified while its licence `licence` is terminated or ended.
    error TechContractLicenceNotActive(uint256 licence);

    /**
     * @notice Registers technology contract `r`; returns its id (numbered from 1). Trading centres only:
     * the caller's active DID is the registering centre.
     * @dev Requirements: a valid, unregistered 16-digit number; a non-zero, unregistered contract hash;
     * distinct, active seller and buyer; a non-zero amount; a signing date neither zero nor in the future;
     * `validUntil` after `validFrom`; an achievement for an assignment or a licence, which must exist and
     * count the seller among its parties (rights holders or inventors) whenever one is named; a licence only
     * on a licence contract, of that achievement to the buyer. Emits {ContractRegistered}.
     */
    function registerContract(Registration calldata r) external returns (uint256 id);

    /**
     * @notice Records the transaction certificate (交易凭证) `certificateHash` of registered contract `id`.
     * Trading centres only, and only the centre that registered it.
     * @dev Requirements: status Registered; a non-zero hash; for an assignment, the buyer holds ownership of
     * the achievement; for a licence contract naming a licence, the licence is active and not ended.
     * Emits {CertificateIssued}.
     */
    function issueCertificate(uint256 id, bytes32 certificateHash) external;

    /**
     * @notice Annuls contract `id` (registered or certified) by order of case `caseRef`. Arbitrators only,
     * with an active DID. The record is kept, in status Annulled. Emits {ContractAnnulled}.
     */
    function annul(uint256 id, bytes32 caseRef) external;

    /// @notice Contract `id`. Reverts with {TechContractUnknown}.
    function contractOf(uint256 id) external view returns (TechContract memory);

    /// @notice The id of the contract registered under `registrationNumber` (0: none).
    function contractIdOf(uint64 registrationNumber) external view returns (uint256);

    /// @notice The id of the contract whose document hashes to `contractHash` (0: none).
    function contractIdOfHash(bytes32 contractHash) external view returns (uint256);

    /// @notice How many contracts were registered.
    function contractCount() external view returns (uint256);
}
