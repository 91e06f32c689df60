import { HDNodeWallet, SigningKey, getAddress, keccak256, toUtf8Bytes } from "ethers";

/**
 * Everything about the local consortium chain that is known before it starts: the validators'
 * keys, each node's P2P identity (so enodes are known in advance), the prefunded test accounts and
 * the Clique genesis. All of it is deterministic and for this loopback test chain only.
 */
export const TEST_MNEMONIC = "test test test test test test test test test test test junk";
/** Validator i signs with the key Hardhat's mnemonic gives at index VALIDATOR_KEY_OFFSET + i. */
export const VALIDATOR_KEY_OFFSET = 100;
export const TEST_ACCOUNT_COUNT = 20;
/** 10^30 wei (a trillion coins) per prefunded account: fees never run out. */
export const TEST_BALANCE = 10n ** 30n;
export const BASE_FEE_WEI = 7n;
export const GAS_LIMIT = 30_000_000n;
export const CLIQUE_EPOCH = 30_000;

export interface KeyPair {
  privateKey: string;
  address: string;
}

function derived(index: number): KeyPair {
  const w = HDNodeWallet.fromPhrase(TEST_MNEMONIC, "", `m/44'/60'/0'/0/${index}`);
  return { privateKey: w.privateKey, address: w.address };
}

/** Hardhat's 20 well-known test accounts (#0 deploys): public keys, never for a real chain. */
export function testAccounts(count = TEST_ACCOUNT_COUNT): KeyPair[] {
  return Array.from({ length: count }, (_, i) => derived(i));
}

/** The signing key of validator i. */
export function validatorKey(i: number): KeyPair {
  return derived(VALIDATOR_KEY_OFFSET + i);
}

/** Node i's P2P identity: its node key and its public id (the enode's user part). */
export function nodeIdentity(i: number): { nodeKey: string; nodeId: string } {
  const nodeKey = keccak256(toUtf8Bytes(`govledger consortium node ${i}`));
  return { nodeKey, nodeId: new SigningKey(nodeKey).publicKey.slice(4) };
}

export function enodeUrl(nodeId: string, port: number): string {
  return `enode://${nodeId}@127.0.0.1:${port}`;
}

/**
 * A Clique genesis: every fork up to London at block 0 (no Shanghai, no Cancun: consortium chains
 * lack PUSH0/MCOPY/TSTORE), `signers` as the first validators, a 7-wei base fee and a 30M gas limit.
 */
export function cliqueGenesis(chainId: number, signers: string[], periodSeconds: number): object {
  const sorted = signers.map((s) => getAddress(s)).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
  const extraData = "0x" + "00".repeat(32) + sorted.map((s) => s.slice(2).toLowerCase()).join("") + "00".repeat(65);
  const alloc: Record<string, { balance: string }> = {};
  for (const { address } of testAccounts()) alloc[address.slice(2).toLowerCase()] = { balance: hex(TEST_BALANCE) };
  return {
    config: {
      chainId,
      homesteadBlock: 0,
      eip150Block: 0,
      eip155Block: 0,
      eip158Block: 0,
      byzantiumBlock: 0,
      constantinopleBlock: 0,
      petersburgBlock: 0,
      istanbulBlock: 0,
      muirGlacierBlock: 0,
      berlinBlock: 0,
      londonBlock: 0,
      arrowGlacierBlock: 0,
      grayGlacierBlock: 0,
      clique: { period: periodSeconds, epoch: CLIQUE_EPOCH },
    },
    nonce: "0x0",
    timestamp: "0x0",
    extraData,
    gasLimit: hex(GAS_LIMIT),
    difficulty: "0x1",
    mixHash: "0x" + "00".repeat(32),
    coinbase: "0x" + "00".repeat(20),
    baseFeePerGas: hex(BASE_FEE_WEI),
    alloc,
    number: "0x0",
    gasUsed: "0x0",
    parentHash: "0x" + "00".repeat(32),
  };
}

const hex = (n: bigint) => "0x" + n.toString(16);
