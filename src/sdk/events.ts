import { Interface, type BaseContract, type Log, type LogDescription, type TransactionReceipt } from "ethers";
import {
  AchievementRegistry__factory,
  AchievementRights__factory,
  ConsentRegistry__factory,
  Council__factory,
  EvidenceRegistry__factory,
  GovAuthority__factory,
  GovForwarder__factory,
  IdentityRecovery__factory,
  IdentityRegistry__factory,
  LicenceMarket__factory,
  LicenceRegister__factory,
  MemberRegistry__factory,
  SettlementEscrow__factory,
  TechContractRegister__factory,
} from "../../typechain-types";

/** An event from a receipt, decoded with the suite's ABIs. */
export interface SuiteEvent {
  contract: string;
  address: string;
  name: string;
  args: Record<string, unknown>;
}

/** Every suite contract's interface: the one list the SDK decodes events, calls and errors with. */
const INTERFACES: [string, Interface][] = [
  ["Council", Council__factory.createInterface()],
  ["MemberRegistry", MemberRegistry__factory.createInterface()],
  ["GovAuthority", GovAuthority__factory.createInterface()],
  ["IdentityRegistry", IdentityRegistry__factory.createInterface()],
  ["IdentityRecovery", IdentityRecovery__factory.createInterface()],
  ["ConsentRegistry", ConsentRegistry__factory.createInterface()],
  ["GovForwarder", GovForwarder__factory.createInterface()],
  ["EvidenceRegistry", EvidenceRegistry__factory.createInterface()],
  ["AchievementRegistry", AchievementRegistry__factory.createInterface()],
  ["AchievementRights", AchievementRights__factory.createInterface()],
  ["SettlementEscrow", SettlementEscrow__factory.createInterface()],
  ["LicenceRegister", LicenceRegister__factory.createInterface()],
  ["TechContractRegister", TechContractRegister__factory.createInterface()],
  ["LicenceMarket", LicenceMarket__factory.createInterface()],
];

/** The suite's interfaces by deployment name (to decode calls and events of each contract). */
export function suiteInterfaces(): Record<string, Interface> {
  return Object.fromEntries(INTERFACES);
}

/** Decodes every log in `receipt` that a suite contract emitted; `names` maps addresses to names. */
export function decodeEvents(receipt: TransactionReceipt, names: Record<string, string> = {}): SuiteEvent[] {
  const byAddress = new Map(Object.entries(names).map(([name, addr]) => [addr.toLowerCase(), name]));
  return receipt.logs.flatMap((log) => decodeLog(log, byAddress.get(log.address.toLowerCase())));
}

function decodeLog(log: Log, knownName?: string): SuiteEvent[] {
  const candidates = knownName ? INTERFACES.filter(([n]) => n === knownName) : INTERFACES;
  for (const [name, iface] of [...candidates, ...INTERFACES]) {
    const parsed = parseOurs(iface, log);
    if (!parsed) continue;
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((input, i) => (args[input.name || String(i)] = parsed.args[i]));
    return [{ contract: knownName ?? name, address: log.address, name: parsed.name, args }];
  }
  return [];
}

/**
 * `log` decoded with `iface`, or null. A log whose topic matches but whose layout does not (an ERC-20
 * `Transfer`, which shares its topic with ERC-721's, has its amount in data, not in a third topic)
 * is not ours: skipped, not thrown.
 */
function parseOurs(iface: Interface, log: Log): LogDescription | null {
  try {
    return iface.parseLog({ topics: [...log.topics], data: log.data });
  } catch {
    return null;
  }
}

/** The first event named `name` in `events`, or an error naming what was expected. */
export function findEvent(events: SuiteEvent[], name: string): SuiteEvent {
  const hit = events.find((e) => e.name === name);
  if (!hit) throw new Error(`expected a ${name} event in the transaction`);
  return hit;
}

/**
 * The events `contract` itself emitted in `receipt`, decoded with its own interface only: a token's
 * ERC-20 `Transfer` shares its topic with the achievement registry's ERC-721 `Transfer`, which a
 * suite-wide decoder would try and fail on.
 */
export function eventsOf(
  contract: BaseContract,
  receipt: TransactionReceipt,
): { name: string; args: Record<string, unknown> }[] {
  const address = (contract.target as string).toLowerCase();
  return receipt.logs
    .filter((log) => log.address.toLowerCase() === address)
    .flatMap((log) => {
      const parsed = contract.interface.parseLog({ topics: [...log.topics], data: log.data });
      if (!parsed) return [];
      const args: Record<string, unknown> = {};
      parsed.fragment.inputs.forEach((input, i) => (args[input.name] = parsed.args[i]));
      return [{ name: parsed.name, args }];
    });
}

/** The arguments of the first `name` event `contract` emitted in `receipt`; throws when there is none. */
export function eventOf(contract: BaseContract, receipt: TransactionReceipt, name: string): Record<string, unknown> {
  const hit = eventsOf(contract, receipt).find((e) => e.name === name);
  if (!hit) throw new Error(`expected a ${name} event in transaction ${receipt.hash}`);
  return hit.args;
}
