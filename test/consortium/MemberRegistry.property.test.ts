import { expect } from "chai";
import fc from "fast-check";
import { id as keccakText } from "ethers";
import { GOVERNANCE_ROLES, MEMBER_ROLES } from "../../src/sdk/roles";
import { consortiumFixture, MemberStatus, roleBitmap, type Consortium } from "../helpers/consortium";
import { approveProposal } from "../helpers/proposals";

const MEMBER_ROLE_IDS = Object.values(MEMBER_ROLES);
const MEMBERS = 4; // the founding members of config/consortium.local.json
const REASON = keccakText("property run");

type Step =
  | { kind: "grantMemberRole" | "revokeMemberRole"; member: number; role: bigint }
  | { kind: "suspendMember" | "reinstateMember" | "removeMember"; member: number }
  | { kind: "addAccount" | "removeAccount"; member: number; account: number };

const member = fc.integer({ min: 1, max: MEMBERS });
/** Indexes into the account pool: the founding accounts and three outsiders. */
const account = fc.integer({ min: 0, max: MEMBERS + 2 });
const role = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom(...MEMBER_ROLE_IDS) },
  { weight: 1, arbitrary: fc.constant(GOVERNANCE_ROLES.COUNCIL) },
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("grantMemberRole" as const), member, role }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("revokeMemberRole" as const), member, role }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("suspendMember" as const), member }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("reinstateMember" as const), member }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("removeMember" as const), member }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("addAccount" as const), member, account }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("removeAccount" as const), member, account }) },
);

/** What the registry should hold: status and roles per member, and who each account acts for. */
class Model {
  status = new Map<number, MemberStatus>();
  roles = new Map<number, Set<bigint>>();
  holder = new Map<string, number>();

  constructor(c: Consortium) {
    c.config.members.forEach((m, i) => {
      this.status.set(i + 1, MemberStatus.Active);
      this.roles.set(i + 1, new Set(m.roles));
      for (const a of m.accounts) this.holder.set(a, i + 1);
    });
  }

  /** Applies `s` to the model; returns the error the registry must refuse it with, if any. */
  apply(s: Step, accountAddress: string): [string, unknown[]] | undefined {
    const status = this.status.get(s.member) as MemberStatus;
    const roles = this.roles.get(s.member) as Set<bigint>;
    const unexpected = (): [string, unknown[]] => ["MemberRegistryUnexpectedStatus", [s.member, status]];
    switch (s.kind) {
      case "grantMemberRole":
        if (status !== MemberStatus.Active) return unexpected();
        if (!MEMBER_ROLE_IDS.includes(s.role as never)) return ["MemberRegistryNotMemberRole", [s.role]];
        if (roles.has(s.role)) return ["MemberRegistryRoleAlreadyGranted", [s.member, s.role]];
        roles.add(s.role);
        return undefined;
      case "revokeMemberRole":
        if (status === MemberStatus.Removed) return unexpected();
        if (!roles.has(s.role)) return ["MemberRegistryRoleNotGranted", [s.member, s.role]];
        roles.delete(s.role);
        return undefined;
      case "suspendMember":
        if (status !== MemberStatus.Active) return unexpected();
        this.status.set(s.member, MemberStatus.Suspended);
        return undefined;
      case "reinstateMember":
        if (status !== MemberStatus.Suspended) return unexpected();
        this.status.set(s.member, MemberStatus.Active);
        return undefined;
      case "removeMember":
        if (status === MemberStatus.Removed) return unexpected();
        this.status.set(s.member, MemberStatus.Removed);
        return undefined;
      case "addAccount": {
        if (status === MemberStatus.Removed) return unexpected();
        const holder = this.holder.get(accountAddress);
        if (holder !== undefined) return ["MemberRegistryAccountTaken", [accountAddress, holder]];
        this.holder.set(accountAddress, s.member);
        return undefined;
      }
      case "removeAccount":
        if (this.holder.get(accountAddress) !== s.member) {
          return ["MemberRegistryNotMemberAccount", [s.member, accountAddress]];
        }
        this.holder.delete(accountAddress);
        return undefined;
    }
  }

  /** Whether `account` should hold `role` at the authority. */
  holds(account: string, role: bigint): boolean {
    const id = this.holder.get(account);
    if (id === undefined || this.status.get(id) !== MemberStatus.Active) return false;
    return (this.roles.get(id) as Set<bigint>).has(role);
  }
}

function encode(c: Consortium, s: Step, accountAddress: string): string {
  const iface = c.registry.interface;
  switch (s.kind) {
    case "grantMemberRole":
      return iface.encodeFunctionData("grantMemberRole", [s.member, s.role]);
    case "revokeMemberRole":
      return iface.encodeFunctionData("revokeMemberRole", [s.member, s.role]);
    case "suspendMember":
      return iface.encodeFunctionData("suspendMember", [s.member, REASON]);
    case "removeMember":
      return iface.encodeFunctionData("removeMember", [s.member, REASON]);
    case "reinstateMember":
      return iface.encodeFunctionData("reinstateMember", [s.member]);
    case "addAccount":
      return iface.encodeFunctionData("addAccount", [s.member, accountAddress]);
    case "removeAccount":
      return iface.encodeFunctionData("removeAccount", [s.member, accountAddress]);
  }
}

describe("MemberRegistry (properties)", function () {
  describe("member roles at the authority", function () {
    it("always equal the roles of the account's member while it is active", async function () {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
          const c = await consortiumFixture();
          const pool = [
            ...c.config.members.flatMap((m) => m.accounts),
            ...c.outsiders.slice(0, 3).map((s) => s.address),
          ];
          const model = new Model(c);

          for (const s of steps) {
            const accountAddress = "account" in s ? pool[s.account] : "";
            const refusal = model.apply(s, accountAddress);
            const id = await approveProposal(c, c.registry, encode(c, s, accountAddress));
            const execution = c.council.connect(c.councillors[0]).execute(id);
            if (refusal) {
              const [error, args] = refusal;
              await expect(execution)
                .to.be.revertedWithCustomError(c.registry, error)
                .withArgs(...args);
            } else {
              await expect(execution).not.to.be.reverted;
            }
            const m = await c.registry.getMember(s.member);
            expect(m.status).to.equal(model.status.get(s.member));
            expect(m.roles).to.equal(roleBitmap([...(model.roles.get(s.member) as Set<bigint>)]));
          }

          for (const a of pool) {
            expect(await c.registry.memberOf(a)).to.equal(model.holder.get(a) ?? 0);
            const [atAuthority, inRegistry] = await Promise.all([
              Promise.all(MEMBER_ROLE_IDS.map(async (r) => (await c.authority.hasRole(r, a))[0])),
              Promise.all(MEMBER_ROLE_IDS.map((r) => c.registry.hasMemberRole(a, r))),
            ]);
            const expected = MEMBER_ROLE_IDS.map((r) => model.holds(a, r));
            expect(atAuthority, `authority roles of ${a}`).to.deep.equal(expected);
            expect(inRegistry, `hasMemberRole of ${a}`).to.deep.equal(expected);
          }
        }),
        { numRuns: 25 },
      );
    });
  });
});
