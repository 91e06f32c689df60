// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IAchievementRegistry
 * @notice Technology achievements (科技成果登记): one ERC-721 token per achievement, whose id is the
 * official 12-digit registration number. Four rights are held separately, each by DIDs with shares
 * in basis points that always sum to 10,000: ownership, use (使用权), disposal (处置权) and income
 * (收益权). A right follows ownership until it is changed on its own; a change may be permanent or a
 * grant with a term (赋权), after which the right returns to its previous holders. Every change of a
 * right, and every pledge, needs the consent of every current holder of the right and of every new
 * party (on-chain approvals or EIP-712 signatures), never one party alone; only an arbitrator's
 * order changes rights without consent. Pledges (知识产权质押), disputes and freezes lock an
 * achievement. Evaluations by accredited evaluators are kept beside it.
 * @dev The registration form, metadata and evaluation reports are emitted, not stored: the events
 * of an achievement (all indexed by its id) are its history. The token carries no authority of its
 * own: it sits at an account of the first owner and moves only in the registry's flows.
 */
interface IAchievementRegistry {
    enum Kind {
        None,
        Patent,
        SoftwareCopyright,
        IntegratedCircuitLayout,
        PlantVariety,
        TechnicalSecret,
        Standard,
        Other
    }

    enum Classification {
        None,
        BasicResearch,
        AppliedResearch,
        TechnologyDevelopment,
        Industrialisation
    }

    /// @notice Secrecy level of the registration form (密级): 非密, 秘密, 机密, 绝密.
    enum Secrecy {
        Open,
        Secret,
        Confidential,
        TopSecret
    }

    /// @notice Lifecycle stage; locks (pledged, disputed, frozen) are kept apart from it.
    enum Status {
        None,
        Registered,
        Evaluated,
        Listed,
        Licensed,
        Transferred
    }

    /// @notice What locks an achievement against changes of its rights.
    enum Lock {
        Pledged,
        Disputed,
        Frozen
    }

    /// @notice What an account is enrolled as.
    enum Enrolment {
        Registrar,
        Evaluator
    }

    enum Right {
        Ownership,
        Use,
        Disposal,
        Income
    }

    /// @notice A holder of a right and its share in basis points.
    struct Holding {
        uint64 did;
        uint16 bps;
    }

    /// @notice The descriptive fields of the registration form (科技成果登记表); emitted, not stored.
    struct Form {
        string name;
        /// @dev DID of the first completing organisation (第一完成单位).
        uint64 firstOrganisation;
        /// @dev DID of the recommending body (推荐单位), 0 if none.
        uint64 recommender;
        uint48 researchStart;
        uint48 researchEnd;
        /// @dev Field code (学科 / 行业分类) of the registration agency's code list.
        uint32 field;
        /// @dev Form of the achievement (成果形式) code.
        uint8 form;
        /// @dev Stage of the achievement (成果所处阶段) code.
        uint8 stage;
        /// @dev At most {MAX_KEYWORDS}.
        string[] keywords;
    }

    /// @notice What a registrar submits to register an achievement (calldata only, never stored).
    // solhint-disable-next-line gas-struct-packing
    struct Registration {
        /// @dev 12 digits: region or department (2), year (4), type (1), serial (5).
        uint64 registrationNumber;
        Kind kind;
        Classification classification;
        Secrecy secrecy;
        /// @dev Hash of the full registration form and its attachments (evaluation certificate,
        /// patent or software certificates, test reports, user attestations).
        bytes32 metadata;
        string metadataURI;
        /// @dev Hashes of external identifiers (patent number etc.); each can be registered once.
        bytes32[] externalIds;
        Holding[] owners;
        uint64[] inventors;
        /// @dev The account the token is minted to; it must act for `owners[0].did`.
        address holder;
        Form form;
    }

    /// @notice An achievement's state, as {getAchievement} returns it.
    struct Achievement {
        Kind kind;
        Classification classification;
        Secrecy secrecy;
        Status status;
        bool pledged;
        bool disputed;
        bool frozen;
        uint16 evaluationCount;
        /// @dev Bumped by every change; consents name the version they were given for.
        uint32 version;
        address holder;
    }

    /// @notice A change of one right, as consented to (EIP-712 `RightsChange`).
    struct RightsChange {
        uint256 achievement;
        Right right;
        Holding[] holdings;
        /// @dev 0: permanent; otherwise the end of a grant, after which the right returns.
        uint48 until;
        /// @dev Permanent ownership changes: the account the token moves to (acting for the
        /// first new owner). Otherwise the zero address.
        address holder;
        /// @dev The achievement's {Achievement.version} the consent was given for.
        uint32 version;
        uint48 deadline;
    }

    /// @notice The five values of an evaluation (五元价值), each 0..100.
    struct Scores {
        uint8 scientific;
        uint8 technical;
        uint8 economic;
        uint8 social;
        uint8 cultural;
    }

    /// @notice An evaluation, as {evaluationOf} returns it; its report and no-conflict declaration
    /// are in {Evaluated}.
    // solhint-disable-next-line gas-struct-packing
    struct Evaluation {
        uint64 evaluator;
        Scores scores;
        uint40 evaluatedAt;
        uint40 validUntil;
        /// @dev Suggested value, in the minor unit of the settlement currency.
        uint64 suggestedValue;
    }

    /// @notice Emitted when achievement `id` is registered by registrar DID `registrar`, with the
    /// registration as submitted: `registration` is `abi.encode(Registration)` (form, metadata,
    /// external ids, owners, inventors, holder).
    event AchievementRegistered(uint256 indexed id, uint64 indexed registrar, bytes registration);
    /// @notice Emitted for each holding written: at registration, by a change or by an order
    /// (`until` 0: permanent; otherwise a grant ending then).
    event ShareAssigned(uint256 indexed id, uint64 indexed did, Right indexed right, uint16 bps, uint48 until);
    /// @notice Emitted when a right of `id` changed by consent (`caseRef` 0) or by order.
    event RightsChanged(
        uint256 indexed id,
        uint64 indexed actor,
        Right right,
        uint48 until,
        bytes32 changeHash,
        bytes32 caseRef
    );
    /// @notice Emitted when the lifecycle stage of `id` changes; `actor` is the acting DID.
    event StatusChanged(uint256 indexed id, Status indexed status, uint64 indexed actor);
    /// @notice Emitted when the registration form of `id` is corrected.
    event MetadataUpdated(uint256 indexed id, uint64 indexed actor, bytes32 metadata, string metadataURI);
    /// @notice Emitted when evaluator DID `evaluator` publishes evaluation `index` of `id`.
    event Evaluated(
        uint256 indexed id,
        uint64 indexed evaluator,
        uint16 index,
        Scores scores,
        uint64 suggestedValue,
        uint40 validUntil,
        bytes32 reportHash,
        bytes32 declarationHash
    );
    /// @notice Emitted when the council sets the base of token URIs.
    event BaseURISet(string baseURI);

    /// @notice Thrown when no achievement has id `id`.
    error AchievementUnknown(uint256 id);
    /// @notice Thrown when registration number `id` is already registered.
    error AchievementAlreadyRegistered(uint256 id);
    /// @notice Thrown when `number` is not a 12-digit registration number of a plausible year.
    error AchievementInvalidRegistrationNumber(uint64 number);
    /// @notice Thrown when the registration names no kind or no classification.
    error AchievementIncompleteForm();
    /// @notice Thrown when the registration form has no name.
    error AchievementEmptyName();
    /// @notice Thrown when the metadata hash is zero.
    error AchievementEmptyMetadata();
    /// @notice Thrown when the research period ends before it starts.
    error AchievementInvalidResearchPeriod(uint48 start, uint48 end);
    /// @notice Thrown when more than `max` keywords are given.
    error AchievementTooManyKeywords(uint256 count, uint256 max);
    /// @notice Thrown when external identifier hash `externalId` is zero or registered for `id`.
    error AchievementExternalIdTaken(bytes32 externalId, uint256 id);
    /// @notice Thrown when a right is given no holders, or more than `max`.
    error AchievementInvalidHolderCount(uint256 count, uint256 max);
    /// @notice Thrown when shares sum to `sum`, not 10,000 bps.
    error AchievementSharesNotWhole(uint256 sum);
    /// @notice Thrown when `did` is given a zero share.
    error AchievementZeroShare(uint64 did);
    /// @notice Thrown when `did` is named twice in one list.
    error AchievementDuplicateParty(uint64 did);
    /// @notice Thrown when `did` is not an active DID.
    error AchievementInactiveParty(uint64 did);
    /// @notice Thrown when more than `max` inventors are named.
    error AchievementTooManyInventors(uint256 count, uint256 max);
    /// @notice Thrown when `holder` does not act for `did`, or is given where none is expected.
    error AchievementInvalidHolder(address holder, uint64 did);
    /// @notice Thrown when `id` is locked (pledged, disputed or frozen).
    error AchievementLocked(uint256 id, bool pledged, bool disputed, bool frozen);
    /// @notice Thrown when `id` is at stage `status`, where the call is not allowed.
    error AchievementUnexpectedStatus(uint256 id, Status status);
    /// @notice Thrown when a consent was given for version `given` of `id`, which is at `current`.
    error AchievementStaleVersion(uint256 id, uint32 given, uint32 current);
    /// @notice Thrown when a grant's end `until` is not in the future.
    error AchievementInvalidTerm(uint48 until);
    /// @notice Thrown when `id` is not pledged.
    error AchievementNotPledged(uint256 id);
    /// @notice Thrown when the lock asked to be set is already set, or the one to lift is not.
    error AchievementLockUnchanged(uint256 id);
    /// @notice Thrown when `did` holds no right in `id` and is not one of its inventors.
    error AchievementNotParty(uint256 id, uint64 did);
    /// @notice Thrown on a bare ERC-721 transfer or approval: tokens move only in the registry's flows.
    error AchievementTransferDisabled();
    /// @notice Thrown when evaluator `evaluator` is a party of `id` (holder of a right or inventor).
    error AchievementConflictOfInterest(uint256 id, uint64 evaluator);
    /// @notice Thrown when an evaluation has a score above 100, no report or no declaration.
    error AchievementInvalidEvaluation();
    /// @notice Thrown when an evaluation's validity `validUntil` is not in the future.
    error AchievementInvalidValidity(uint40 validUntil);
    /// @notice Thrown when `account` is not enrolled (as registrar, or as evaluator for `did`).
    error AchievementNotEnrolled(address account, uint64 did);

    // ---- registration ----

    /**
     * @notice Registers an achievement; its token id is `r.registrationNumber`, minted to `r.holder`.
     * Every right follows ownership, held by `r.owners`.
     * @dev Registrar only (REGISTRAR role, with an active DID). Requirements: a valid registration
     * number not yet registered; kind and classification; a name; a metadata hash; at most 3
     * keywords; a research period that does not end before it starts; unregistered external ids;
     * owners with non-zero shares summing to 10,000, all active and distinct; active distinct
     * inventors; `holder` acting for the first owner.
     * Emits {AchievementRegistered}, {ShareAssigned} per owner, {StatusChanged} and ERC-721 {Transfer}.
     */
    function register(Registration calldata r) external;

    /// @notice Corrects the registration form's hash and URI. Registrar only. Emits {MetadataUpdated}.
    function updateMetadata(uint256 id, bytes32 metadata, string calldata metadataURI) external;

    // ---- rights and locks (called by the AchievementRights contract) ----

    /**
     * @notice Applies change `c`, consented to (`caseRef` 0; its consents checked by
     * {IAchievementRights}) or ordered by an arbitrator in case `caseRef`; `actor` is the DID that
     * applied it. A permanent change replaces the right's own holders (and ends its grant); a grant
     * layers over them until `c.until`. A permanent ownership change moves the token to `c.holder`
     * and sets the stage to Transferred. Requirements: `c.version` current; valid holdings; for a
     * consented change, not locked and not listed. Emits {ShareAssigned} per holding and {RightsChanged}.
     */
    function applyRightsChange(RightsChange calldata c, uint64 actor, bytes32 actionHash, bytes32 caseRef) external;

    /// @notice Sets (`on`) or lifts lock `lock` of `id`. Requirements: the lock changes; to pledge,
    /// not locked and not listed.
    function setLock(uint256 id, Lock lock, bool on) external;

    // ---- evaluations ----

    /**
     * @notice Publishes an evaluation of `id` by `evaluator`, for which the caller acts and which holds
     * a valid claim of the evaluator topic. Requirements: the evaluator is no party of `id`; scores at
     * most 100; a report hash and a no-conflict declaration hash; validity in the future.
     * The first evaluation moves a registered achievement to Evaluated. Emits {Evaluated}.
     */
    function evaluate(
        uint256 id,
        uint64 evaluator,
        Scores calldata scores,
        uint64 suggestedValue,
        uint40 validUntil,
        bytes32 reportHash,
        bytes32 declarationHash
    ) external returns (uint16 index);

    // ---- enrolment (called by the AchievementRights contract) ----

    /// @notice Records that `account` is a registrar (or evaluator) for `did`; 0 drops it. The
    /// registry's own checks read this one slot instead of asking the authority and the identity module.
    function setEnrolment(Enrolment kind, address account, uint64 did) external;

    /// @notice The registrar DID `account` is enrolled for (0: none).
    function registrarOf(address account) external view returns (uint64);

    /// @notice The evaluator DID `account` is enrolled for (0: none).
    function evaluatorOf(address account) external view returns (uint64);

    // ---- the market (the trading module) ----

    /// @notice Marks `id` listed (from Registered, Evaluated, Licensed or Transferred; not locked).
    function markListed(uint256 id, uint64 actor) external;

    /// @notice Withdraws the listing of `id`: back to Licensed or Transferred if it was so when listed,
    /// else to Evaluated if it has an evaluation, else Registered.
    function markDelisted(uint256 id, uint64 actor) external;

    /// @notice Marks listed `id` licensed (not while locked: a freeze or dispute stops the deal).
    function markLicensed(uint256 id, uint64 actor) external;

    /// @notice Sets the base of token URIs (the registration agency's portal). Council only.
    function setBaseURI(string calldata baseURI) external;

    // ---- reads ----

    /// @notice The state of achievement `id`. Reverts with {AchievementUnknown}.
    function getAchievement(uint256 id) external view returns (Achievement memory);

    /// @notice The holdings of right `right` of `id` in effect now (following ownership, or a grant).
    function holdingsOf(uint256 id, Right right) external view returns (Holding[] memory);

    /// @notice The holdings `right` has apart from any grant (its own, or ownership's if it follows
    /// ownership), and the grant in effect over them now (`until` 0 and no holdings: none).
    function rightOf(
        uint256 id,
        Right right
    ) external view returns (Holding[] memory base, Holding[] memory grant, uint48 until);

    /// @notice Every DID that holds `right` of `id` now or will hold it, with no further change, once
    /// the grants in force end (its running grant, then ownership's if it follows ownership and that
    /// grant outlasts it, then its permanent holders), each once: whose consent a change of the right
    /// needs, besides the new holders.
    function partiesOf(uint256 id, Right right) external view returns (uint64[] memory);

    /// @notice The share of `did` in right `right` of `id` now, in basis points.
    function shareOf(uint256 id, Right right, uint64 did) external view returns (uint16);

    /// @notice The inventors of `id`.
    function inventorsOf(uint256 id) external view returns (uint64[] memory);

    /// @notice Whether `did` holds any right in `id` now or permanently, or is an inventor.
    function isParty(uint256 id, uint64 did) external view returns (bool);

    /// @notice Evaluation `index` of `id`.
    function evaluationOf(uint256 id, uint16 index) external view returns (Evaluation memory);

    /// @notice The achievement an external identifier hash was registered for (0 if none).
    function achievementOfExternalId(bytes32 externalId) external view returns (uint256);
}
