import { getAddress, type Interface, type Log } from "ethers";
import { suiteInterfaces } from "../sdk/events";

/** A suite event with where it happened. */
export interface AuditEvent {
  contract: string;
  name: string;
  args: Record<string, unknown>;
  block: number;
  tx: string;
  logIndex: number;
}

/** An ERC-20 transfer of `token`. */
export interface TokenTransfer {
  token: string;
  from: string;
  to: string;
  amount: bigint;
  block: number;
  tx: string;
  logIndex: number;
}

/** The deployment's contracts that have a suite interface, by address: what the scan reads. */
export function auditedContracts(contracts: Record<string, string>): Map<string, { name: string; iface: Interface }> {
  const interfaces = suiteInterfaces();
  const audited = new Map<string, { name: string; iface: Interface }>();
  for (const [name, address] of Object.entries(contracts)) {
    if (interfaces[name]) audited.set(getAddress(address), { name, iface: interfaces[name] });
  }
  return audited;
}

/** Decodes each log with its contract's own interface; logs of events no interface knows are dropped. */
export function decodeSuiteLogs(logs: Log[], audited: Map<string, { name: string; iface: Interface }>): AuditEvent[] {
  return logs.flatMap((log) => {
    const contract = audited.get(getAddress(log.address));
    if (!contract) return [];
    let parsed;
    try {
      parsed = contract.iface.parseLog({ topics: [...log.topics], data: log.data });
    } catch {
      // The achievement registry's ERC-721 events share topics with ERC-20's; nothing of ours.
      return [];
    }
    if (!parsed) return [];
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((input, i) => (args[input.name || String(i)] = parsed.args[i]));
    return [
      {
        contract: contract.name,
        name: parsed.name,
        args,
        block: log.blockNumber,
        tx: log.transactionHash,
        logIndex: log.index,
      },
    ];
  });
}

export function decodeTransfers(logs: Log[]): TokenTransfer[] {
  return logs.map((log) => ({
    token: getAddress(log.address),
    from: getAddress(`0x${log.topics[1].slice(26)}`),
    to: getAddress(`0x${log.topics[2].slice(26)}`),
    amount: BigInt(log.data),
    block: log.blockNumber,
    tx: log.transactionHash,
    logIndex: log.index,
  }));
}
