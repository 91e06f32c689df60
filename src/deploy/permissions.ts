import type { Interface } from "ethers";
import { Council__factory, MemberRegistry__factory } from "../../typechain-types";
import { type RoleName } from "../sdk/roles";

/**
 * Who may call which restricted function of each suite contract: the single table the deployment
 * writes into the authority. A function not listed here falls to ADMIN (the council after the
 * governance delay), the safe default of AccessManager.
 */
export interface Permission {
  role: RoleName;
  functions: string[];
}

export interface SuiteContract {
  /** Deployment name (deployments/<network>/<name>.json). */
  name: string;
  iface: Interface;
  permissions: Permission[];
}

const UPGRADE: Permission = { role: "UPGRADER", functions: ["upgradeToAndCall"] };

export const SUITE_CONTRACTS: SuiteContract[] = [
  {
    name: "Council",
    iface: Council__factory.createInterface(),
    permissions: [UPGRADE, { role: "ADMIN", functions: ["addCouncillor", "removeCouncillor", "setThreshold"] }],
  },
  {
    name: "MemberRegistry",
    iface: MemberRegistry__factory.createInterface(),
    permissions: [
      UPGRADE,
      { role: "GUARDIAN", functions: ["pause"] },
      {
        role: "COUNCIL",
        functions: [
          "admitMember",
          "suspendMember",
          "reinstateMember",
          "removeMember",
          "updateDocuments",
          "grantMemberRole",
          "revokeMemberRole",
          "addAccount",
          "removeAccount",
          "unpause",
        ],
      },
    ],
  },
];

export function selectorsOf(iface: Interface, functions: string[]): string[] {
  return functions.map((fn) => {
    const f = iface.getFunction(fn);
    if (!f) throw new Error(`no function ${fn} in the ABI`);
    return f.selector;
  });
}
