// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IIdentityGate
 * @notice What the other modules ask the identity module: "is this address acting for an active
 * DID, within this scope?" and "does this DID hold a valid claim of this topic from a trusted
 * issuer now?". An address acts for a DID when it is one of the DID's authentication keys, or an
 * authentication key of a representative holding a live mandate of the organisation for the scope.
 */
interface IIdentityGate {
    /// @notice Thrown when `account` does not act for `did` within `scope`.
    error IdentityNotActingFor(address account, uint64 did, uint32 scope);
    /// @notice Thrown when the mandate of `representative` for organisation `org` ended at `validUntil`.
    error IdentityMandateExpired(uint64 org, uint64 representative, uint48 validUntil);
    /// @notice Thrown when the mandate of `representative` for `org` covers `held` but `needed` was asked.
    error IdentityMandateOutOfScope(uint64 org, uint64 representative, uint32 held, uint32 needed);
    /// @notice Thrown when `did` holds no valid claim of `topic` from a trusted issuer now.
    error IdentityClaimMissing(uint64 did, uint32 topic);

    /// @notice The DID `account` is a key of (0 if none) and the key's purposes bitmap.
    function didOf(address account) external view returns (uint64 did, uint8 purposes);

    /// @notice Whether `account` acts for the active DID `did` within `scope` now.
    function isActingFor(address account, uint64 did, uint32 scope) external view returns (bool);

    /**
     * @notice Like {isActingFor}, but reverts with the reason: {IdentityNotActingFor},
     * {IdentityMandateExpired} or {IdentityMandateOutOfScope}; and, when `topic` is not 0, with
     * {IdentityClaimMissing} unless `did` holds a valid claim of `topic`.
     * @return actor The DID of `account` itself (equal to `did`, or the representative's DID).
     */
    function requireActingFor(
        address account,
        uint64 did,
        uint32 scope,
        uint32 topic
    ) external view returns (uint64 actor);

    /// @notice Whether active DID `did` holds a claim of `topic` that is active, within its validity
    /// window, and issued by an issuer accredited for `topic` now.
    function hasValidClaim(uint64 did, uint32 topic) external view returns (bool);
}
