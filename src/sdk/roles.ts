/**
 * Role ids of the consortium, mirroring contracts/governance/Roles.sol (a test keeps them equal).
 */
export const GOVERNANCE_ROLES = {
  ADMIN: 0n,
  COUNCIL: 1n,
  UPGRADER: 2n,
  MEMBER_REGISTRY: 3n,
  IDENTITY_RECOVERY: 4n,
  ACHIEVEMENT_RIGHTS: 5n,
  ACHIEVEMENT_MARKET: 6n,
} as const;

export const MEMBER_ROLES = {
  GUARDIAN: 10n,
  REGISTRAR: 11n,
  CREDENTIAL_ISSUER: 12n,
  NOTARY: 13n,
  EVALUATOR: 14n,
  TRADING_CENTRE: 15n,
  ARBITRATOR: 16n,
  AUDITOR: 17n,
} as const;

export type GovernanceRoleName = keyof typeof GOVERNANCE_ROLES;
export type MemberRoleName = keyof typeof MEMBER_ROLES;
export type RoleName = GovernanceRoleName | MemberRoleName;

export const ROLES: Record<RoleName, bigint> = { ...GOVERNANCE_ROLES, ...MEMBER_ROLES };

/** Parses a member role given by name (any case, dashes or underscores) or by id. */
export function parseMemberRole(input: string): { name: MemberRoleName; id: bigint } {
  const key = input.trim().toUpperCase().replace(/-/g, "_");
  for (const [name, id] of Object.entries(MEMBER_ROLES) as [MemberRoleName, bigint][]) {
    if (name === key || id.toString() === key) return { name, id };
  }
  throw new Error(`unknown role "${input}" (expected one of: ${memberRoleNames().join(", ")})`);
}

export function memberRoleNames(): string[] {
  return Object.keys(MEMBER_ROLES).map((n) => n.toLowerCase().replace(/_/g, "-"));
}

/** The role names in a member's role bitmap. */
export function rolesFromBitmap(bitmap: bigint): MemberRoleName[] {
  return (Object.entries(MEMBER_ROLES) as [MemberRoleName, bigint][])
    .filter(([, id]) => (bitmap >> id) & 1n)
    .map(([name]) => name);
}

export function roleName(id: bigint): string {
  const hit = (Object.entries(ROLES) as [RoleName, bigint][]).find(([, v]) => v === id);
  return hit ? hit[0] : `role#${id}`;
}
