// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title ILicenceRegister
 * @notice One record per licence of a technology achievement: licensee DID, achievement, terms (kind,
 * field, territory, start, end, sublicensable) and status, so anyone can ask "is C licensed for field F
 * in territory T at time t?" in one call. Exclusive (独占) and sole (排他) licences cannot overlap any
 * other licence of the same achievement in field, territory and time; non-exclusive (普通) ones may
 * overlap each other. A licence ends at its end time, or earlier when an arbitrator terminates it.
 * @dev Field and territory are codes of the consortium's lists; 0 means every field / everywhere, and
 * overlaps every code.
 */
interface ILicenceRegister {
    enum LicenceKind {
        Exclusive,
        Sole,
        NonExclusive
    }

    enum LicenceStatus {
        None,
        Active,
        Terminated
    }

    /// @notice What a licence allows.
    struct LicenceTerms {
        LicenceKind kind;
        /// @dev Field code; 0: every field.
        uint32 field;
        /// @dev Territory code; 0: everywhere.
        uint32 territory;
        uint48 start;
        /// @dev The licence ends at `end` (exclusive).
        uint48 end;
        bool sublicensable;
    }

    /// @notice A licence as stored.
    struct Licence {
        uint256 achievement;
        uint64 licensee;
        /// @dev The trading centre's DID that recorded it.
        uint64 recordedBy;
        LicenceStatus status;
        LicenceTerms terms;
        /// @dev The deal confirmation (成交确认书) it comes from.
        bytes32 dealRef;
    }

    /// @notice Emitted when licence `id` of `achievement` to `licensee` is recorded by centre DID `recordedBy`.
    event LicenceRecorded(
        uint256 indexed id,
        uint256 indexed achievement,
        uint64 indexed licensee,
        uint64 recordedBy,
        LicenceTerms terms,
        bytes32 dealRef
    );
    /// @notice Emitted when an arbitrator terminates licence `id` in case `caseRef`.
    event LicenceTerminated(uint256 indexed id, uint256 indexed achievement, uint64 indexed actor, bytes32 caseRef);

    /// @notice Thrown when no licence has id `id`.
    error LicenceUnknown(uint256 id);
    /// @notice Thrown when `did` is not an active DID.
    error LicenceInactiveParty(uint64 did);
    /// @notice Thrown when the term is empty (`end` not after `start`) or already over.
    error LicenceInvalidTerm(uint48 start, uint48 end);
    /// @notice Thrown when the licence would overlap licence `existing` (the oldest such) of the same
    /// achievement and either is exclusive or sole.
    error LicenceOverlap(uint256 existing);
    /// @notice Thrown when achievement `achievement` is locked (pledged, disputed or frozen).
    error LicenceAchievementLocked(uint256 achievement);
    /// @notice Thrown when `max` licences of the achievement are already running (neither ended nor terminated).
    error LicenceTooMany(uint256 achievement, uint256 max);
    /// @notice Thrown when licence `id` is not active.
    error LicenceNotActive(uint256 id);
    /// @notice Thrown when an order names no case, or a licence no deal.
    error LicenceMissingReference();

    /**
     * @notice Records a licence of `achievement` to `licensee` on `terms`, from deal `dealRef`. Trading
     * centres only; the caller's active DID is recorded. Requirements: a known, unlocked achievement; an
     * active licensee; a term that ends after it starts and after now; no overlap with an exclusive or sole
     * licence, nor, for an exclusive or sole licence, with any licence. Emits {LicenceRecorded}.
     */
    function record(
        uint256 achievement,
        uint64 licensee,
        LicenceTerms calldata terms,
        bytes32 dealRef
    ) external returns (uint256 id);

    /// @notice Like {record}, for the licence market, which names the trading centre `centre` (an active
    /// DID) that confirmed the deal. The market only ({Roles-ACHIEVEMENT_MARKET}).
    function recordFor(
        uint256 achievement,
        uint64 licensee,
        LicenceTerms calldata terms,
        bytes32 dealRef,
        uint64 centre
    ) external returns (uint256 id);

    /// @notice Terminates active licence `id` by order of case `caseRef`. Arbitrators only.
    function terminate(uint256 id, bytes32 caseRef) external;

    /// @notice Whether `licensee` holds a licence of `achievement` covering `field` in `territory` at `at`:
    /// active (not terminated), started, not ended, and of that field and territory or of all.
    function isLicensed(
        uint64 licensee,
        uint256 achievement,
        uint32 field,
        uint32 territory,
        uint48 at
    ) external view returns (bool);

    /// @notice Licence `id`.
    function licenceOf(uint256 id) external view returns (Licence memory);

    /// @notice The ids of every licence recorded for `achievement`.
    function licencesOf(uint256 achievement) external view returns (uint256[] memory);

    /// @notice How many licences were recorded.
    function licenceCount() external view returns (uint256);
}
