import type { Interface } from "ethers";
import {
  AchievementRegistry__factory,
  AchievementRights__factory,
  ConsentRegistry__factory,
  LicenceMarket__factory,
  LicenceRegister__factory,
  Council__factory,
  EvidenceRegistry__factory,
  IdentityRecovery__factory,
  IdentityRegistry__factory,
  MemberRegistry__factory,
  SettlementEscrow__factory,
  TechContractRegister__factory,
} from "../../typechain-types";
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
const PAUSE: Permission = { role: "GUARDIAN", functions: ["pause"] };

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
      PAUSE,
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
  {
    name: "IdentityRegistry",
    iface: IdentityRegistry__factory.createInterface(),
    permissions: [
      UPGRADE,
      PAUSE,
      {
        role: "REGISTRAR",
        functions: ["register", "verify", "suspend", "reinstate", "deactivate", "updateCommitment"],
      },
      { role: "COUNCIL", functions: ["registerTopic", "accreditIssuer", "withdrawAccreditation", "unpause"] },
      { role: "IDENTITY_RECOVERY", functions: ["resetKeys"] },
    ],
  },
  {
    name: "IdentityRecovery",
    iface: IdentityRecovery__factory.createInterface(),
    permissions: [
      UPGRADE,
      PAUSE,
      { role: "REGISTRAR", functions: ["recoverByRegistrar", "cancelRecovery"] },
      { role: "COUNCIL", functions: ["setRecoveryDelay", "unpause"] },
    ],
  },
  {
    name: "ConsentRegistry",
    iface: ConsentRegistry__factory.createInterface(),
    permissions: [UPGRADE, PAUSE, { role: "COUNCIL", functions: ["unpause"] }],
  },
  {
    // Not upgradeable by design (records a court relies on): no UPGRADE entry.
    name: "EvidenceRegistry",
    iface: EvidenceRegistry__factory.createInterface(),
    permissions: [
      PAUSE,
      { role: "COUNCIL", functions: ["unpause"] },
      { role: "ARBITRATOR", functions: ["revokeByOrder", "revokeDocumentByOrder"] },
    ],
  },
  {
    name: "AchievementRegistry",
    iface: AchievementRegistry__factory.createInterface(),
    permissions: [
      UPGRADE,
      PAUSE,
      // Registrars and evaluators are enrolled through AchievementRights, which checks their role or
      // claim once; the registry reads its one-slot cache instead of asking the authority each time.
      { role: "COUNCIL", functions: ["setBaseURI", "unpause"] },
      { role: "ACHIEVEMENT_RIGHTS", functions: ["applyRightsChange", "setLock", "setEnrolment"] },
      { role: "ACHIEVEMENT_MARKET", functions: ["markListed", "markDelisted", "markLicensed"] },
    ],
  },
  {
    name: "AchievementRights",
    iface: AchievementRights__factory.createInterface(),
    permissions: [
      UPGRADE,
      PAUSE,
      { role: "COUNCIL", functions: ["setEvaluatorTopic", "unpause"] },
      {
        role: "ARBITRATOR",
        functions: ["releasePledgeByOrder", "closeDispute", "freeze", "unfreeze", "orderRightsChange"],
      },
    ],
  },
  {
    name: "LicenceRegister",
    iface: LicenceRegister__factory.createInterface(),
    permissions: [
      UPGRADE,
      PAUSE,
      { role: "COUNCIL", functions: ["unpause"] },
      { role: "TRADING_CENTRE", functions: ["record"] },
      { role: "ACHIEVEMENT_MARKET", functions: ["recordFor"] },
      { role: "ARBITRATOR", functions: ["terminate"] },
    ],
  },
  {
    name: "TechContractRegister",
    iface: TechContractRegister__factory.createInterface(),
    permissions: [
      UPGRADE,
      PAUSE,
      { role: "COUNCIL", functions: ["unpause"] },
      { role: "TRADING_CENTRE", functions: ["registerContract", "issueCertificate"] },
      { role: "ARBITRATOR", functions: ["annul"] },
    ],
  },
  {
    // Not upgradeable by design (it holds the parties' money): no UPGRADE entry.
    name: "SettlementEscrow",
    iface: SettlementEscrow__factory.createInterface(),
    permissions: [
      PAUSE,
      { role: "COUNCIL", functions: ["unpause", "setInventorFloor"] },
      { role: "TRADING_CENTRE", functions: ["open"] },
      { role: "ACHIEVEMENT_MARKET", functions: ["openFor"] },
      { role: "ARBITRATOR", functions: ["rule", "reassignBalance"] },
    ],
  },
  {
    // Not upgradeable by design (it holds bidders' deposits): no UPGRADE entry.
    name: "LicenceMarket",
    iface: LicenceMarket__factory.createInterface(),
    permissions: [
      PAUSE,
      { role: "COUNCIL", functions: ["unpause", "setNoticePeriod"] },
      { role: "TRADING_CENTRE", functions: ["publish", "cancel", "rejectBidder", "confirmDeal"] },
    ],
  },
];

/**
 * Governance roles held by suite contracts rather than people: the contract named acts with the
 * role, without delay (the member registry grants member roles; identity recovery resets keys; the
 * achievement rights contract applies consented changes and locks). ACHIEVEMENT_MARKET goes to the
 * trading module when it lands.
 */
export const CONTRACT_ROLES: {
  role: "MEMBER_REGISTRY" | "IDENTITY_RECOVERY" | "ACHIEVEMENT_RIGHTS" | "ACHIEVEMENT_MARKET";
  contract: string;
}[] = [
  { role: "MEMBER_REGISTRY", contract: "MemberRegistry" },
  { role: "IDENTITY_RECOVERY", contract: "IdentityRecovery" },
  { role: "ACHIEVEMENT_RIGHTS", contract: "AchievementRights" },
  { role: "ACHIEVEMENT_MARKET", contract: "LicenceMarket" },
];

export function selectorsOf(iface: Interface, functions: string[]): string[] {
  return functions.map((fn) => {
    const f = iface.getFunction(fn);
    if (!f) throw new Error(`no function ${fn} in the ABI`);
    return f.selector;
  });
}
