// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC721Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC721/ERC721Upgradeable.sol";
import {ContextUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/ContextUpgradeable.sol";
import {GovernedUpgradeable} from "../common/GovernedUpgradeable.sol";
import {RelayedModule} from "../common/RelayedModule.sol";
import {IIdentityRegistry} from "../identity/IIdentityRegistry.sol";
import {Scopes} from "../identity/Scopes.sol";
import {HoldingList} from "./HoldingList.sol";
import {IAchievementRegistry} from "./IAchievementRegistry.sol";
import {RegistrationNumber} from "./RegistrationNumber.sol";

/**
 * @title AchievementRegistry
 * @notice The technology achievement registry (科技成果登记): tokens, rights, locks and evaluations. See {IAchievementRegistry}.
 * @dev Storage per achievement: one packed core slot; each right's permanent holders (only once the
 * right is changed apart from ownership) and grant holders as {HoldingList}s; inventors four to a
 * word; grant ends in one word. Consents are checked by {AchievementRights}, which applies
 * changes and locks here through {applyRightsChange} and {setLock} (its ACHIEVEMENT_RIGHTS role).
 */
contract AchievementRegistry is IAchievementRegistry, RelayedModule, ERC721Upgradeable {
    uint256 private constant MAX_HOLDERS = 16;
    uint256 private constant MAX_INVENTORS = 16;
    uint256 private constant MAX_KEYWORDS = 3;
    uint16 private constant WHOLE = 10_000;
    uint8 private constant MAX_SCORE = 100;

    /// @dev List ids: 0..3 a right's permanent holders, 4..7 its grant holders.
    uint256 private constant GRANT_LIST = 4;
    uint256 private constant RIGHTS = 4;
    uint256 private constant INVENTORS_PER_WORD = 4;

    /// @dev Bits of {Core.layers}: bit r, right r has permanent holders of its own (else it follows
    /// ownership); bit 4 + r, a grant of right r was written (it runs until `grantsUntil[id][r]`).
    uint8 private constant GRANTED_SHIFT = 4;

    /// @dev Everything about an achievement that is not a list, with the ERC-721 owner: one slot, so a
    /// registration writes the token and its state at once.
    // solhint-disable-next-line gas-struct-packing
    struct Core {
        address holder;
        Kind kind;
        Classification classification;
        Secrecy secrecy;
        Status status;
        /// @dev Bit `uint8(lock)` per {Lock} set.
        uint8 locks;
        uint8 layers;
        uint8 inventorCount;
        uint16 evaluationCount;
        /// @dev Wraps after 2^24 changes of one achievement, which cannot happen.
        uint24 version;
    }

    /// @dev An evaluation in one slot (a nested struct would start slots of its own).
    struct StoredEvaluation {
        uint64 evaluator;
        uint8 scientific;
        uint8 technical;
        uint8 economic;
        uint8 social;
        uint8 cultural;
        uint40 evaluatedAt;
        uint40 validUntil;
        uint64 suggestedValue;
    }

    /// @custom:storage-location erc7201:govledger.storage.AchievementRegistry
    struct AchievementStorage {
        string baseURI;
        mapping(uint256 id => Core) cores;
        mapping(address holder => uint256) balances;
        /// @dev Enrolled registrars' and evaluators' DIDs (0: not enrolled).
        mapping(address account => uint64 did) registrars;
        mapping(address account => uint64 did) evaluators;
        mapping(uint256 id => mapping(uint256 list => mapping(uint256 word => uint256))) lists;
        mapping(uint256 id => mapping(uint256 word => uint256)) inventors;
        mapping(uint256 id => uint48[RIGHTS]) grantsUntil;
        mapping(uint256 id => mapping(uint16 index => StoredEvaluation)) evaluations;
        mapping(bytes32 externalId => uint256 id) externalIds;
        /// @dev The stage a listed achievement had before it was listed, if Licensed or Transferred:
        /// delisting restores it.
        mapping(uint256 id => Status) listedFrom;
    }

    // keccak256(abi.encode(uint256(keccak256("govledger.storage.AchievementRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0xae6dbdbc89f532a12a8f4577ed9c034ecb009b6b651a4f7608816746c2dc3f00;

    /// @notice The identity module, whose DIDs are the parties. Fixed in the implementation, so a check
    /// reads no storage to find it; pointing elsewhere is an upgrade.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IIdentityRegistry public immutable IDENTITY;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(address forwarder, IIdentityRegistry identityRegistry) RelayedModule(forwarder) {
        IDENTITY = identityRegistry;
    }

    /// @notice Sets up the registry under `authority`.
    function initialize(address authority) external initializer {
        __PausableModule_init(authority);
        __ERC721_init("govledger Technology Achievement", "GLTA");
    }

    /// @inheritdoc GovernedUpgradeable
    function version() external pure virtual override returns (string memory) {
        return "1.0.0";
    }

    // ---- registration ----

    /// @inheritdoc IAchievementRegistry
    function register(Registration calldata r) external whenNotPaused {
        uint64 registrar = _registrar();
        uint256 id = r.registrationNumber;
        _checkForm(r);
        if (_ownerOf(id) != address(0)) revert AchievementAlreadyRegistered(id);
        AchievementStorage storage $ = _storage();
        _checkHoldings(r.owners, true);
        _checkHolder(r.holder, r.owners[0].did);
        for (uint256 i = 0; i < r.externalIds.length; ++i) {
            bytes32 ext = r.externalIds[i];
            uint256 taken = $.externalIds[ext];
            if (ext == bytes32(0) || taken != 0) revert AchievementExternalIdTaken(ext, taken);
            $.externalIds[ext] = id;
        }
        _storeInventors(id, r.inventors);
        _storeNewCore($.cores[id], r.kind, r.classification, r.secrecy, r.inventors.length);
        _writeList(id, uint256(Right.Ownership), r.owners, 0);
        _mint(r.holder, id);
        // The registration exactly as submitted: the call's arguments are `abi.encode(r)`, so emitting
        // them spares the contract an encoder for the nested form (and 2 KB of code).
        emit AchievementRegistered(id, registrar, _msgData()[4:]);
        emit StatusChanged(id, Status.Registered, registrar);
    }

    /// @inheritdoc IAchievementRegistry
    function updateMetadata(uint256 id, bytes32 metadata, string calldata metadataURI) external whenNotPaused {
        uint64 actor = _registrar();
        if (metadata == bytes32(0)) revert AchievementEmptyMetadata();
        _bump(_core(id));
        emit MetadataUpdated(id, actor, metadata, metadataURI);
    }

    // ---- rights and locks (through AchievementRights) ----

    /// @inheritdoc IAchievementRegistry
    function applyRightsChange(
        RightsChange calldata c,
        uint64 actor,
        bytes32 actionHash,
        bytes32 caseRef
    ) external restricted whenNotPaused {
        Core storage core = _core(c.achievement);
        if (c.version != core.version) revert AchievementStaleVersion(c.achievement, c.version, core.version);
        if (caseRef == bytes32(0)) _checkChangeable(c.achievement, core);
        _checkHoldings(c.holdings, false);
        _applyChange(core, c, actor, actionHash, caseRef);
    }

    /// @inheritdoc IAchievementRegistry
    function setLock(uint256 id, Lock lock, bool on) external restricted whenNotPaused {
        Core storage core = _core(id);
        uint8 bit = uint8(1 << uint8(lock));
        bool set = core.locks & bit != 0;
        if (on && lock == Lock.Pledged) _checkChangeable(id, core);
        else if (!set && lock == Lock.Pledged) revert AchievementNotPledged(id);
        else if (set == on) revert AchievementLockUnchanged(id);
        core.locks ^= bit;
        _bump(core);
    }

    // ---- evaluations ----

    /// @inheritdoc IAchievementRegistry
    function evaluate(
        uint256 id,
        uint64 evaluator,
        Scores calldata scores,
        uint64 suggestedValue,
        uint40 validUntil,
        bytes32 reportHash,
        bytes32 declarationHash
    ) external whenNotPaused returns (uint16 index) {
        AchievementStorage storage $ = _storage();
        if ($.evaluators[_msgSender()] != evaluator || evaluator == 0) {
            revert AchievementNotEnrolled(_msgSender(), evaluator);
        }
        Core storage core = _core(id);
        if (_isParty(id, core, evaluator)) revert AchievementConflictOfInterest(id, evaluator);
        if (
            reportHash == bytes32(0) ||
            declarationHash == bytes32(0) ||
            scores.scientific > MAX_SCORE ||
            scores.technical > MAX_SCORE ||
            scores.economic > MAX_SCORE ||
            scores.social > MAX_SCORE ||
            scores.cultural > MAX_SCORE
        ) revert AchievementInvalidEvaluation();
        if (validUntil <= _now()) revert AchievementInvalidValidity(validUntil);
        index = core.evaluationCount++;
        $.evaluations[id][index] = StoredEvaluation(
            evaluator,
            scores.scientific,
            scores.technical,
            scores.economic,
            scores.social,
            scores.cultural,
            uint40(_now()),
            validUntil,
            suggestedValue
        );
        if (core.status == Status.Registered) _setStatus(id, core, Status.Evaluated, evaluator);
        emit Evaluated(id, evaluator, index, scores, suggestedValue, validUntil, reportHash, declarationHash);
    }

    // ---- enrolment (through AchievementRights) ----

    /// @inheritdoc IAchievementRegistry
    function setEnrolment(Enrolment kind, address account, uint64 did) external restricted {
        AchievementStorage storage $ = _storage();
        (kind == Enrolment.Registrar ? $.registrars : $.evaluators)[account] = did;
    }

    // ---- the market ----

    /// @inheritdoc IAchievementRegistry
    function markListed(uint256 id, uint64 actor) external restricted whenNotPaused {
        Core storage core = _core(id);
        _checkChangeable(id, core);
        // Only a Licensed or Transferred stage is remembered (below it, evaluations decide). Such an
        // achievement never returns below Licensed, so a remembered stage is never stale when read.
        if (core.status >= Status.Licensed) _storage().listedFrom[id] = core.status;
        _setStatus(id, core, Status.Listed, actor);
    }

    /// @inheritdoc IAchievementRegistry
    function markDelisted(uint256 id, uint64 actor) external restricted whenNotPaused {
        Core storage core = _core(id);
        if (core.status != Status.Listed) revert AchievementUnexpectedStatus(id, core.status);
        Status back = _storage().listedFrom[id];
        // A licensed or transferred achievement stays so; otherwise its evaluations decide (one may have
        // been published while it was listed).
        if (back < Status.Licensed) back = core.evaluationCount == 0 ? Status.Registered : Status.Evaluated;
        _setStatus(id, core, back, actor);
    }

    /// @inheritdoc IAchievementRegistry
    function markLicensed(uint256 id, uint64 actor) external restricted whenNotPaused {
        Core storage core = _core(id);
        _checkUnlocked(id, core);
        if (core.status != Status.Listed) revert AchievementUnexpectedStatus(id, core.status);
        _setStatus(id, core, Status.Licensed, actor);
    }

    /// @inheritdoc IAchievementRegistry
    function setBaseURI(string calldata baseURI) external restricted {
        _storage().baseURI = baseURI;
        emit BaseURISet(baseURI);
    }

    // ---- ERC-721: no bare transfers or approvals ----

    /// @dev Tokens move only in the registry's flows (which pass no `auth`): `transferFrom` and both
    /// `safeTransferFrom`s pass the caller as `auth`, and are refused.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        if (auth != address(0)) revert AchievementTransferDisabled();
        AchievementStorage storage $ = _storage();
        Core storage core = $.cores[tokenId];
        from = core.holder;
        unchecked {
            // A holder's balance counts its tokens: it is at least 1 before a decrement, and fewer
            // than 2^256 tokens exist before an increment.
            if (from != address(0)) --$.balances[from];
            if (to != address(0)) ++$.balances[to];
        }
        core.holder = to;
        emit Transfer(from, to, tokenId);
    }

    /// @dev The token's owner is kept in the achievement's core slot.
    function _ownerOf(uint256 tokenId) internal view override returns (address) {
        return _storage().cores[tokenId].holder;
    }

    /// @inheritdoc ERC721Upgradeable
    function balanceOf(address owner) public view override returns (uint256) {
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _storage().balances[owner];
    }

    /// @dev No approvals: nobody but the registry moves a token.
    function approve(address, uint256) public pure override {
        revert AchievementTransferDisabled();
    }

    /// @dev No operators: nobody but the registry moves a token.
    function setApprovalForAll(address, bool) public pure override {
        revert AchievementTransferDisabled();
    }

    /// @inheritdoc ERC721Upgradeable
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IAchievementRegistry).interfaceId || super.supportsInterface(interfaceId);
    }

    // ---- reads ----

    /// @inheritdoc IAchievementRegistry
    function getAchievement(uint256 id) external view returns (Achievement memory a) {
        Core storage c = _core(id);
        a = Achievement({
            kind: c.kind,
            classification: c.classification,
            secrecy: c.secrecy,
            status: c.status,
            pledged: _locked(c, Lock.Pledged),
            disputed: _locked(c, Lock.Disputed),
            frozen: _locked(c, Lock.Frozen),
            evaluationCount: c.evaluationCount,
            version: c.version,
            holder: c.holder
        });
    }

    /// @inheritdoc IAchievementRegistry
    function holdingsOf(uint256 id, Right right) external view returns (Holding[] memory) {
        return _load(id, _effectiveList(id, _core(id), right));
    }

    /// @inheritdoc IAchievementRegistry
    function rightOf(
        uint256 id,
        Right right
    ) external view returns (Holding[] memory base, Holding[] memory grant, uint48 until) {
        Core storage core = _core(id);
        base = _load(id, _baseList(core, right));
        uint256 list = _effectiveList(id, core, right);
        if (list >= GRANT_LIST) {
            grant = _load(id, list);
            until = _storage().grantsUntil[id][list - GRANT_LIST];
        }
    }

    /// @inheritdoc IAchievementRegistry
    function shareOf(uint256 id, Right right, uint64 did) external view returns (uint16 bps) {
        Holding[] memory list = _load(id, _effectiveList(id, _core(id), right));
        for (uint256 i = 0; i < list.length; ++i) if (list[i].did == did) return list[i].bps;
    }

    /// @inheritdoc IAchievementRegistry
    function partiesOf(uint256 id, Right right) external view returns (uint64[] memory out) {
        Core storage core = _core(id);
        uint48[RIGHTS] storage ends = _storage().grantsUntil[id];
        uint256 r = uint256(right);
        // The layers `right` passes through, in order: its running grant; then, if it follows
        // ownership, ownership's grant if that outlasts it; then its permanent holders.
        uint256[3] memory lists;
        uint256 count;
        uint48 from = _now();
        if (_granted(core, r) && ends[r] > from) {
            lists[count++] = GRANT_LIST + r;
            from = ends[r];
        }
        if (right != Right.Ownership && core.layers & (1 << r) == 0) {
            if (_granted(core, 0) && ends[0] > from) lists[count++] = GRANT_LIST;
            lists[count++] = 0;
        } else {
            lists[count++] = r;
        }
        out = new uint64[](count * MAX_HOLDERS);
        uint256 n;
        for (uint256 i = 0; i < count; ++i) {
            Holding[] memory list = _load(id, lists[i]);
            for (uint256 j = 0; j < list.length; ++j) {
                if (!_contains(out, n, list[j].did)) out[n++] = list[j].did;
            }
        }
        assembly ("memory-safe") {
            mstore(out, n)
        }
    }

    /// @inheritdoc IAchievementRegistry
    function inventorsOf(uint256 id) external view returns (uint64[] memory) {
        return _inventors(id, _core(id));
    }

    /// @inheritdoc IAchievementRegistry
    function isParty(uint256 id, uint64 did) external view returns (bool) {
        return _isParty(id, _core(id), did);
    }

    /// @inheritdoc IAchievementRegistry
    function evaluationOf(uint256 id, uint16 index) external view returns (Evaluation memory) {
        Core storage core = _core(id);
        if (index >= core.evaluationCount) revert AchievementInvalidEvaluation();
        StoredEvaluation memory e = _storage().evaluations[id][index];
        return
            Evaluation(
                e.evaluator,
                Scores(e.scientific, e.technical, e.economic, e.social, e.cultural),
                e.evaluatedAt,
                e.validUntil,
                e.suggestedValue
            );
    }

    /// @inheritdoc IAchievementRegistry
    function achievementOfExternalId(bytes32 externalId) external view returns (uint256) {
        return _storage().externalIds[externalId];
    }

    /// @inheritdoc IAchievementRegistry
    function registrarOf(address account) external view returns (uint64) {
        return _storage().registrars[account];
    }

    /// @inheritdoc IAchievementRegistry
    function evaluatorOf(address account) external view returns (uint64) {
        return _storage().evaluators[account];
    }

    // ---- internals: checks ----

    function _checkForm(Registration calldata r) private pure {
        if (!RegistrationNumber.isValid(r.registrationNumber)) {
            revert AchievementInvalidRegistrationNumber(r.registrationNumber);
        }
        if (r.kind == Kind.None || r.classification == Classification.None) revert AchievementIncompleteForm();
        if (bytes(r.form.name).length == 0) revert AchievementEmptyName();
        if (r.metadata == bytes32(0)) revert AchievementEmptyMetadata();
        if (r.form.keywords.length > MAX_KEYWORDS) {
            revert AchievementTooManyKeywords(r.form.keywords.length, MAX_KEYWORDS);
        }
        if (r.form.researchEnd < r.form.researchStart) {
            revert AchievementInvalidResearchPeriod(r.form.researchStart, r.form.researchEnd);
        }
    }

    /// @dev Holders: 1..MAX_HOLDERS, distinct, active, non-zero shares summing to {WHOLE}.
    function _checkHoldings(Holding[] calldata list, bool firstChecked) private view {
        if (list.length == 0 || list.length > MAX_HOLDERS) {
            revert AchievementInvalidHolderCount(list.length, MAX_HOLDERS);
        }
        uint256 sum;
        for (uint256 i = 0; i < list.length; ++i) {
            uint64 did = list[i].did;
            if (list[i].bps == 0) revert AchievementZeroShare(did);
            for (uint256 j = 0; j < i; ++j) if (list[j].did == did) revert AchievementDuplicateParty(did);
            // The first holder is checked active by {_checkHolder} at registration; elsewhere here.
            if (i != 0 || !firstChecked) _checkActive(did);
            sum += list[i].bps;
        }
        if (sum != WHOLE) revert AchievementSharesNotWhole(sum);
    }

    /// @dev `holder` acts for `did`, which is therefore active (said apart when it is not).
    function _checkHolder(address holder, uint64 did) private view {
        if (holder == address(0) || !IDENTITY.isActingFor(holder, did, Scopes.ACHIEVEMENT)) {
            _checkActive(did);
            revert AchievementInvalidHolder(holder, did);
        }
    }

    function _checkActive(uint64 did) private view {
        if (did == 0 || IDENTITY.statusOf(did) != IIdentityRegistry.DidStatus.Active) {
            revert AchievementInactiveParty(did);
        }
    }

    /// @dev Neither locked nor listed: its rights may change by consent, or it may be pledged.
    function _checkChangeable(uint256 id, Core storage core) private view {
        _checkUnlocked(id, core);
        if (core.status == Status.Listed) revert AchievementUnexpectedStatus(id, core.status);
    }

    function _checkUnlocked(uint256 id, Core storage core) private view {
        if (core.locks != 0) {
            revert AchievementLocked(
                id,
                _locked(core, Lock.Pledged),
                _locked(core, Lock.Disputed),
                _locked(core, Lock.Frozen)
            );
        }
    }

    /// @dev The enrolled registrar DID of the caller.
    function _registrar() private view returns (uint64 did) {
        did = _storage().registrars[_msgSender()];
        if (did == 0) revert AchievementNotEnrolled(_msgSender(), 0);
    }

    function _locked(Core storage core, Lock lock) private view returns (bool) {
        return core.locks & (1 << uint8(lock)) != 0;
    }

    // ---- internals: state changes ----

    /// @dev Writes change `c` (consented or ordered): a permanent change replaces the right's own
    /// holders (and ends its grant); a grant layers over them until `c.until`.
    function _applyChange(
        Core storage core,
        RightsChange calldata c,
        uint64 actor,
        bytes32 actionHash,
        bytes32 caseRef
    ) private {
        uint256 id = c.achievement;
        uint256 r = uint256(c.right);
        if (c.until == 0) {
            _writeList(id, r, c.holdings, 0);
            core.layers = (core.layers | uint8(1 << r)) & ~uint8(1 << (GRANTED_SHIFT + r));
            if (c.right == Right.Ownership) {
                _checkHolder(c.holder, c.holdings[0].did);
                _transfer(_ownerOf(id), c.holder, id);
                _setStatus(id, core, Status.Transferred, actor);
            } else if (c.holder != address(0)) {
                revert AchievementInvalidHolder(c.holder, 0);
            }
        } else {
            if (c.until <= _now()) revert AchievementInvalidTerm(c.until);
            if (c.holder != address(0)) revert AchievementInvalidHolder(c.holder, 0);
            _writeList(id, GRANT_LIST + r, c.holdings, c.until);
            core.layers |= uint8(1 << (GRANTED_SHIFT + r));
            _storage().grantsUntil[id][r] = c.until;
        }
        _bump(core);
        emit RightsChanged(id, actor, c.right, c.until, actionHash, caseRef);
    }

    function _writeList(uint256 id, uint256 list, Holding[] calldata holdings, uint48 until) private {
        HoldingList.store(_storage().lists[id][list], holdings);
        Right right = Right(list % GRANT_LIST);
        for (uint256 i = 0; i < holdings.length; ++i) {
            emit ShareAssigned(id, holdings[i].did, right, holdings[i].bps, until);
        }
    }

    function _storeInventors(uint256 id, uint64[] calldata list) private {
        if (list.length > MAX_INVENTORS) revert AchievementTooManyInventors(list.length, MAX_INVENTORS);
        mapping(uint256 => uint256) storage words = _storage().inventors[id];
        uint256 word;
        for (uint256 i = 0; i < list.length; ++i) {
            uint64 did = list[i];
            for (uint256 j = 0; j < i; ++j) if (list[j] == did) revert AchievementDuplicateParty(did);
            _checkActive(did);
            word |= uint256(did) << (64 * (i % INVENTORS_PER_WORD));
            if (i % INVENTORS_PER_WORD == INVENTORS_PER_WORD - 1 || i == list.length - 1) {
                words[i / INVENTORS_PER_WORD] = word;
                word = 0;
            }
        }
    }

    /// @dev Writes a new achievement's core in one SSTORE (the compiler writes a struct field by field):
    /// no holder yet ({_mint} sets it), stage Registered, no locks or layers, no evaluations, version 1.
    /// The offsets follow {Core}'s declaration order.
    function _storeNewCore(
        Core storage core,
        Kind kind,
        Classification classification,
        Secrecy secrecy,
        uint256 inventorCount
    ) private {
        uint256 packed =
            (uint256(kind) << 160) |
                (uint256(classification) << 168) |
                (uint256(secrecy) << 176) |
                (uint256(Status.Registered) << 184) |
                (inventorCount << 208) |
                (1 << 232);
        assembly ("memory-safe") {
            sstore(core.slot, packed)
        }
    }

    function _setStatus(uint256 id, Core storage core, Status status, uint64 actor) private {
        core.status = status;
        emit StatusChanged(id, status, actor);
    }

    function _bump(Core storage core) private {
        unchecked {
            // 2^32 changes of one achievement cannot happen; wrapping would only reopen old versions.
            ++core.version;
        }
    }

    // ---- internals: reads ----

    function _core(uint256 id) private view returns (Core storage core) {
        core = _storage().cores[id];
        if (core.status == Status.None) revert AchievementUnknown(id);
    }

    /// @dev The list holding `right` now: its running grant, its own holders, or ownership's.
    function _effectiveList(uint256 id, Core storage core, Right right) private view returns (uint256) {
        uint256 r = uint256(right);
        uint8 layers = core.layers;
        if (layers & (1 << (GRANTED_SHIFT + r)) != 0 && _storage().grantsUntil[id][r] > _now()) return GRANT_LIST + r;
        if (right == Right.Ownership || layers & (1 << r) != 0) return r;
        return _effectiveList(id, core, Right.Ownership);
    }

    /// @dev The list `right` returns to when a grant of it ends.
    function _baseList(Core storage core, Right right) private view returns (uint256) {
        uint256 r = uint256(right);
        // A right that follows ownership returns to the permanent owners, even while ownership is granted.
        return right == Right.Ownership || core.layers & (1 << r) != 0 ? r : uint256(Right.Ownership);
    }

    function _load(uint256 id, uint256 list) private view returns (Holding[] memory) {
        return HoldingList.load(_storage().lists[id][list]);
    }

    function _inventors(uint256 id, Core storage core) private view returns (uint64[] memory list) {
        mapping(uint256 => uint256) storage words = _storage().inventors[id];
        list = new uint64[](core.inventorCount);
        for (uint256 i = 0; i < list.length; ++i) {
            list[i] = uint64(words[i / INVENTORS_PER_WORD] >> (64 * (i % INVENTORS_PER_WORD)));
        }
    }

    /// @dev Whether `did` holds any right now or permanently (the list a grant returns to), or is an inventor.
    function _isParty(uint256 id, Core storage core, uint64 did) private view returns (bool) {
        // Each list that holds a right is read once: ownership's, each right's own, each running grant.
        uint8 layers = core.layers;
        uint256 lists = 1 | (layers & 0x0f);
        uint8 granted = layers >> GRANTED_SHIFT;
        if (granted != 0) {
            uint48[RIGHTS] storage ends = _storage().grantsUntil[id];
            for (uint256 r = 0; r < RIGHTS; ++r) {
                if (granted & (1 << r) != 0 && ends[r] > _now()) lists |= 1 << (GRANT_LIST + r);
            }
        }
        for (uint256 list = 0; lists >> list != 0; ++list) {
            if ((lists >> list) & 1 != 0 && _inList(_load(id, list), did)) return true;
        }
        return _contains(_inventors(id, core), did);
    }

    function _inList(Holding[] memory list, uint64 did) private pure returns (bool) {
        for (uint256 i = 0; i < list.length; ++i) if (list[i].did == did) return true;
        return false;
    }

    function _contains(uint64[] memory list, uint64 did) private pure returns (bool) {
        return _contains(list, list.length, did);
    }

    /// @dev Whether `did` is among the first `n` entries of `list`.
    function _contains(uint64[] memory list, uint256 n, uint64 did) private pure returns (bool) {
        for (uint256 i = 0; i < n; ++i) if (list[i] == did) return true;
        return false;
    }

    /// @dev Whether a grant of right `r` was written (it may have ended).
    function _granted(Core storage core, uint256 r) private view returns (bool) {
        return core.layers & (1 << (GRANTED_SHIFT + r)) != 0;
    }

    function _msgSender() internal view override(ContextUpgradeable, RelayedModule) returns (address) {
        return RelayedModule._msgSender();
    }

    function _msgData() internal view override(ContextUpgradeable, RelayedModule) returns (bytes calldata) {
        return RelayedModule._msgData();
    }

    function _contextSuffixLength() internal view override(ContextUpgradeable, RelayedModule) returns (uint256) {
        return RelayedModule._contextSuffixLength();
    }

    function _baseURI() internal view override returns (string memory) {
        return _storage().baseURI;
    }

    function _storage() private pure returns (AchievementStorage storage $) {
        assembly {
            $.slot := STORAGE_SLOT
        }
    }
}
