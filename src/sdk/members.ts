import { getAddress, isHexString, ZeroHash, type Interface } from "ethers";
import type { MemberRegistry } from "../../typechain-types";
import type { ProposedCall } from "./council";
import { parseMemberRole, roleName, rolesFromBitmap, type MemberRoleName } from "./roles";

import { MEMBER_STATUSES, type MemberStatusName } from "./states";

export { MEMBER_STATUSES, type MemberStatusName };

export interface MemberView {
  id: bigint;
  name: string;
  documentsHash: string;
  status: MemberStatusName;
  roles: MemberRoleName[];
  accounts: string[];
  admittedAt: bigint;
  updatedAt: bigint;
}

export interface Admission {
  name: string;
  accounts: string[];
  /** Role names ("notary", "trading-centre", …) or ids. */
  roles: string[];
  documentsHash?: string;
}

/**
 * The consortium's member organisations. Reads are direct; changes are council decisions, so this
 * client builds {@link ProposedCall}s for {@link CouncilClient.propose}.
 */
export class MembersClient {
  constructor(readonly contract: MemberRegistry) {}

  private get address(): string {
    return this.contract.target as string;
  }

  async member(id: bigint): Promise<MemberView> {
    const [m, accounts] = await Promise.all([this.contract.getMember(id), this.contract.accountsOf(id)]);
    return {
      id,
      name: m.name,
      documentsHash: m.documentsHash,
      status: MEMBER_STATUSES[Number(m.status)],
      roles: rolesFromBitmap(m.roles),
      accounts: [...accounts],
      admittedAt: m.admittedAt,
      updatedAt: m.updatedAt,
    };
  }

  async members(): Promise<MemberView[]> {
    const count = await this.contract.memberCount();
    return Promise.all(Array.from({ length: Number(count) }, (_, i) => this.member(BigInt(i + 1))));
  }

  /** The member `account` acts for, or undefined. */
  async memberOf(account: string): Promise<MemberView | undefined> {
    const id = await this.contract.memberOf(getAddress(account));
    return id === 0n ? undefined : this.member(id);
  }

  async isPaused(): Promise<boolean> {
    return this.contract.paused();
  }

  /** Proposal builder: admit an organisation. Validates everything before anything is sent. */
  admit(a: Admission): ProposedCall {
    if (a.name.trim() === "") throw new Error("the member name is empty");
    const accounts = a.accounts.map((x) => checkedAddress(x));
    const roles = a.roles.map((r) => parseMemberRole(r));
    const documentsHash = a.documentsHash ?? ZeroHash;
    if (!isHexString(documentsHash, 32)) throw new Error(`documents hash "${documentsHash}" is not 32 bytes of hex`);
    const data = this.contract.interface.encodeFunctionData("admitMember", [
      a.name,
      documentsHash,
      accounts,
      roles.map((r) => r.id),
    ]);
    const roleList = roles.map((r) => r.name).join(", ") || "no roles";
    return { target: this.address, data, description: `Admit ${a.name} (${roleList})` };
  }

  grantRole(memberId: bigint, role: string): ProposedCall {
    const r = parseMemberRole(role);
    return this.call("grantMemberRole", [memberId, r.id], `Grant ${r.name} to member ${memberId}`);
  }

  revokeRole(memberId: bigint, role: string): ProposedCall {
    const r = parseMemberRole(role);
    return this.call("revokeMemberRole", [memberId, r.id], `Revoke ${roleName(r.id)} from member ${memberId}`);
  }

  suspend(memberId: bigint, reasonHash: string): ProposedCall {
    return this.call("suspendMember", [memberId, checkedHash(reasonHash)], `Suspend member ${memberId}`);
  }

  reinstate(memberId: bigint): ProposedCall {
    return this.call("reinstateMember", [memberId], `Reinstate member ${memberId}`);
  }

  remove(memberId: bigint, reasonHash: string): ProposedCall {
    return this.call("removeMember", [memberId, checkedHash(reasonHash)], `Remove member ${memberId}`);
  }

  addAccount(memberId: bigint, account: string): ProposedCall {
    const a = checkedAddress(account);
    return this.call("addAccount", [memberId, a], `Let ${a} act for member ${memberId}`);
  }

  removeAccount(memberId: bigint, account: string): ProposedCall {
    const a = checkedAddress(account);
    return this.call("removeAccount", [memberId, a], `Stop ${a} acting for member ${memberId}`);
  }

  unpause(): ProposedCall {
    return this.call("unpause", [], "Resume the member registry");
  }

  private call(
    fn:
      | "grantMemberRole"
      | "revokeMemberRole"
      | "suspendMember"
      | "reinstateMember"
      | "removeMember"
      | "addAccount"
      | "removeAccount"
      | "unpause",
    args: unknown[],
    description: string,
  ): ProposedCall {
    return {
      target: this.address,
      data: (this.contract.interface as Interface).encodeFunctionData(fn, args),
      description,
    };
  }
}

export function checkedAddress(input: string): string {
  try {
    return getAddress(input.trim());
  } catch {
    throw new Error(`"${input}" is not a valid address (expected 0x followed by 40 hex digits)`);
  }
}

export function checkedHash(input: string): string {
  if (!isHexString(input, 32))
    throw new Error(`"${input}" is not a 32-byte hash (expected 0x followed by 64 hex digits)`);
  return input;
}

/** `input` as a 32-byte hash that is not zero; the errors name `what` (e.g. "case reference"). */
export function nonZeroHash(input: string, what: string): string {
  let hash: string;
  try {
    hash = checkedHash(input);
  } catch {
    throw new Error(`${what} "${input}" is not valid: expected a 32-byte hash, 0x followed by 64 hex digits`);
  }
  if (hash === ZeroHash) throw new Error(`${what} is zero: give the hash of the document`);
  return hash;
}
