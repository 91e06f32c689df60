// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAchievementRegistry} from "./IAchievementRegistry.sol";

/**
 * @title IAchievementRights
 * @notice Who agreed: the consents behind every change of an achievement's rights and every pledge
 * (知识产权质押). A change needs every current holder of the right (and, while a grant runs, every
 * holder the right returns to) and every new holder; a pledge needs every disposal-right holder (now,
 * and after a running grant) and the lender. A party consents on chain ({approveRightsChange}, {approvePledge}), by an EIP-712
 * signature handed to the call that applies the action, or by being the DID the caller acts for.
 * Disputes, freezes and arbitrators' orders also pass here, and so does the enrolment of registrars
 * and evaluators, whose qualification (a role at the authority; a claim in the identity module) is
 * checked here once and cached in the registry. The registry ({IAchievementRegistry})
 * holds what is; this contract checks who agreed or who ordered, and holds the pledges.
 * @dev An action hash is the EIP-712 digest of the action (domain "govledger-achievement", "1", this
 * contract). It names the achievement's version, so no consent outlives a change of the achievement.
 */
interface IAchievementRights {
    /// @notice Pledge terms, as consented to by the disposal-right holders and the lender.
    struct PledgeTerms {
        uint256 achievement;
        /// @dev DID of the lender (质权人).
        uint64 lender;
        /// @dev Amount secured, in the minor unit of the loan contract's currency.
        uint96 securedAmount;
        uint48 until;
        /// @dev Hash of the pledge contract.
        bytes32 contractHash;
        uint32 version;
        uint48 deadline;
    }

    /// @notice A live pledge.
    struct Pledge {
        uint64 lender;
        uint48 since;
        uint48 until;
        uint96 securedAmount;
        bytes32 contractHash;
    }

    /// @notice One party's consent given by signature: `signer` acts for `did`.
    struct Consent {
        uint64 did;
        address signer;
        bytes signature;
    }

    /// @notice Emitted when `did` approves on chain the action `actionHash` (a change or a pledge);
    /// `actor` is the caller's own DID.
    event ConsentGiven(uint256 indexed id, uint64 indexed did, bytes32 indexed actionHash, uint64 actor);
    /// @notice Emitted when `id` is pledged to `lender`; `actor` applied it.
    event Pledged(
        uint256 indexed id,
        uint64 indexed lender,
        uint64 indexed actor,
        uint96 securedAmount,
        uint48 until,
        bytes32 contractHash
    );
    /// @notice Emitted when the pledge of `id` is released by its lender (`caseRef` 0) or by order.
    event PledgeReleased(uint256 indexed id, uint64 indexed actor, bytes32 caseRef);

    /// @notice Emitted when a party opens a dispute over `id`.
    event DisputeOpened(uint256 indexed id, uint64 indexed actor, bytes32 caseRef);
    /// @notice Emitted when an arbitrator closes the dispute over `id`.
    event DisputeClosed(uint256 indexed id, uint64 indexed actor, bytes32 caseRef);
    /// @notice Emitted when a court or arbitrator freezes `id`.
    event Frozen(uint256 indexed id, uint64 indexed actor, bytes32 caseRef);
    /// @notice Emitted when a court or arbitrator lifts the freeze of `id`.
    event Unfrozen(uint256 indexed id, uint64 indexed actor, bytes32 caseRef);
    /// @notice Emitted when `account`, a registrar with active DID `did`, is enrolled.
    event RegistrarEnrolled(address indexed account, uint64 indexed did);
    /// @notice Emitted when `account`, acting for accredited evaluator `did`, is enrolled.
    event EvaluatorEnrolled(address indexed account, uint64 indexed did);
    /// @notice Emitted when `account`, no longer a qualified registrar for `did`, is dropped.
    event RegistrarDropped(address indexed account, uint64 indexed did);
    /// @notice Emitted when `account`, no longer acting for an accredited evaluator `did`, is dropped.
    event EvaluatorDropped(address indexed account, uint64 indexed did);
    /// @notice Emitted when the council names the claim topic that accredits evaluators.
    event EvaluatorTopicSet(uint32 topic);
    /// @notice Thrown when `account` does not qualify: a registrar needs the REGISTRAR role and an active
    /// DID; an evaluator account must act for `did`, which holds a valid claim of the evaluator topic.
    error AchievementNotQualified(address account, uint64 did);
    /// @notice Thrown when enrolling `account` changes nothing, or dropping it while it still qualifies.
    error AchievementStillQualified(address account, uint64 did);
    /// @notice Thrown when no claim topic accredits evaluators yet.
    error AchievementNoEvaluatorTopic();
    /// @notice Thrown when a consent's deadline `deadline` has passed.
    error AchievementConsentExpired(uint48 deadline);
    /// @notice Thrown when `did`, whose consent is needed, has not given it.
    error AchievementConsentMissing(uint256 id, uint64 did);
    /// @notice Thrown when `did` already approved the action `actionHash`.
    error AchievementAlreadyConsented(bytes32 actionHash, uint64 did);
    /// @notice Thrown when `did` approves an action whose consent it is not needed for.
    error AchievementConsentNotNeeded(bytes32 actionHash, uint64 did);
    /// @notice Thrown when `signer`'s signature is invalid, or `signer` does not act for `did`.
    error AchievementInvalidSignature(uint64 did, address signer);
    /// @notice Thrown when an order names no case.
    error AchievementNoCase();
    /// @notice Thrown when `did` is not the lender of the pledge of `id`.
    error AchievementNotLender(uint256 id, uint64 did);

    /**
     * @notice Records on chain the consent of `did` (for which the caller acts, ACHIEVEMENT scope) to
     * change `c`. Requirements: `did`'s consent is needed; not given yet; `c` is for the current
     * version and before its deadline. Emits {ConsentGiven}.
     */
    function approveRightsChange(IAchievementRegistry.RightsChange calldata c, uint64 did) external;

    /**
     * @notice Applies change `c` through the registry once every party whose consent it needs has
     * given it. The caller acts for `asDid`, whose consent counts; `consents` carry signatures of
     * others. Requirements: before `c.deadline`, and the registry's (see
     * {IAchievementRegistry.applyRightsChange}).
     */
    function changeRights(
        IAchievementRegistry.RightsChange calldata c,
        Consent[] calldata consents,
        uint64 asDid
    ) external;

    /// @notice Records on chain the consent of `did` to pledge terms `p` (see {approveRightsChange}).
    function approvePledge(PledgeTerms calldata p, uint64 did) external;

    /**
     * @notice Pledges `p.achievement` to `p.lender` once every disposal-right holder and the lender
     * consented; locks it until the lender or an arbitrator releases it. Requirements: not locked,
     * not listed, `p.until` in the future, an active lender. Emits {Pledged}.
     */
    function pledge(PledgeTerms calldata p, Consent[] calldata consents, uint64 asDid) external;

    /// @notice Releases the pledge of `id`; the caller acts for the lender. Emits {PledgeReleased}.
    function releasePledge(uint256 id, uint64 asDid) external;

    /// @notice Releases the pledge of `id` by order of case `caseRef`. Arbitrator only.
    function releasePledgeByOrder(uint256 id, bytes32 caseRef) external;

    /// @notice Opens a dispute over `id`; the caller acts for `asDid`, a party of `id`. Locks it.
    /// Emits {DisputeOpened}.
    function openDispute(uint256 id, uint64 asDid, bytes32 caseRef) external;

    /// @notice Closes the dispute over `id`. Arbitrator only. Emits {DisputeClosed}.
    function closeDispute(uint256 id, bytes32 caseRef) external;

    /// @notice Freezes `id` for case `caseRef`. Arbitrator only. Emits {Frozen}.
    function freeze(uint256 id, bytes32 caseRef) external;

    /// @notice Lifts the freeze of `id`. Arbitrator only. Emits {Unfrozen}.
    function unfreeze(uint256 id, bytes32 caseRef) external;

    /**
     * @notice Applies change `c` by order of case `caseRef` (non-zero), without consents and whatever
     * the locks (`c.deadline` is not checked; `c.version` must be current). Arbitrator only.
     */
    function orderRightsChange(IAchievementRegistry.RightsChange calldata c, bytes32 caseRef) external;

    // ---- enrolment: who registers and who evaluates ----

    /**
     * @notice Enrols `account` as a registrar: it holds the REGISTRAR role at the authority and is a key of
     * an active DID, which names it in registrations. Anyone may call it. Registrations read this cache,
     * one slot, instead of asking the authority and the identity module each time.
     * Emits {RegistrarEnrolled}.
     */
    function enrolRegistrar(address account) external;

    /**
     * @notice Enrols `account` as acting for evaluator `evaluator`, which holds a valid claim of the
     * evaluator topic. Anyone may call it. Emits {EvaluatorEnrolled}.
     */
    function enrolEvaluator(address account, uint64 evaluator) external;

    /// @notice Drops registrar `account`, which no longer qualifies (role, DID or key lost). Anyone may
    /// call it. Emits {RegistrarDropped}.
    function dropRegistrar(address account) external;

    /// @notice Drops evaluator `account`, which no longer qualifies (claim revoked or expired, key or
    /// mandate lost, topic changed). Anyone may call it. Emits {EvaluatorDropped}.
    function dropEvaluator(address account) external;

    /// @notice Names the claim topic that accredits evaluators. Council only. Evaluators enrolled
    /// under another topic can then be dropped. Emits {EvaluatorTopicSet}.
    function setEvaluatorTopic(uint32 topic) external;

    /// @notice The claim topic that accredits evaluators (0 until the council names one).
    function evaluatorTopic() external view returns (uint32);

    /// @notice The pledge of `id` (lender 0 if none).
    function pledgeOf(uint256 id) external view returns (Pledge memory);

    /// @notice The parties whose consent change `c` needs now.
    function consentsNeeded(IAchievementRegistry.RightsChange calldata c) external view returns (uint64[] memory);

    /// @notice The parties whose consent pledge terms `p` need now.
    function pledgeParties(PledgeTerms calldata p) external view returns (uint64[] memory);

    /// @notice Whether `did` has approved the action `actionHash` on chain.
    function hasConsented(bytes32 actionHash, uint64 did) external view returns (bool);

    /// @notice The EIP-712 digest a party signs to consent to change `c` (its action hash).
    function rightsChangeHash(IAchievementRegistry.RightsChange calldata c) external view returns (bytes32);

    /// @notice The EIP-712 digest a party signs to consent to pledge terms `p` (its action hash).
    function pledgeHash(PledgeTerms calldata p) external view returns (bytes32);
}
