import { getAddress, type Provider } from "ethers";
import { formatDid, hasModule, type Deployment } from "../sdk";
import { IdentityRegistry__factory, MemberRegistry__factory } from "../../typechain-types";
import type { Organisation } from "./types";

/**
 * Says which organisation a DID, member id or account is, as the chain said at one block: a DID one
 * of whose keys is a member's account is that member (by its registered name); another DID is
 * itself, named by `names` (an auditor's off-chain list) or by its DID string; an account with
 * neither is its address.
 */
export class Parties {
  private readonly members;
  private readonly identity;
  private readonly cache = new Map<string, Promise<Organisation>>();
  private readonly organisations = new Map<string, Organisation>();

  constructor(
    provider: Provider,
    private readonly deployment: Deployment,
    private readonly blockTag: number,
    private readonly names: Map<bigint, string> = new Map(),
  ) {
    this.members = MemberRegistry__factory.connect(deployment.contracts.MemberRegistry, provider);
    this.identity = hasModule(deployment, "identity")
      ? IdentityRegistry__factory.connect(deployment.contracts.IdentityRegistry, provider)
      : undefined;
  }

  /** Every organisation resolved so far, by key. */
  get known(): Map<string, Organisation> {
    return this.organisations;
  }

  ofDid(did: bigint): Promise<Organisation> {
    return this.memo(`did:${did}`, async () => {
      const member = await this.memberOfDid(did);
      const org =
        member ?? this.own(`did:${did}`, "did", this.names.get(did) ?? formatDid(this.deployment.chainId, did));
      if (!org.dids.includes(did)) org.dids.push(did);
      return org;
    });
  }

  ofMember(id: bigint): Promise<Organisation> {
    return this.memo(`member:${id}`, async () => {
      const m = await this.members.getMember(id, { blockTag: this.blockTag });
      return this.own(`member:${id}`, "member", m.name || `member ${id}`);
    });
  }

  ofAccount(account: string): Promise<Organisation> {
    const address = getAddress(account);
    return this.memo(`account:${address}`, async () => {
      const id = await this.members.memberOf(address, { blockTag: this.blockTag });
      if (id !== 0n) return this.ofMember(id);
      const did = this.identity ? (await this.identity.didOf(address, { blockTag: this.blockTag }))[0] : 0n;
      if (did !== 0n) return this.ofDid(did);
      return this.own(`account:${address}`, "account", address);
    });
  }

  council(): Organisation {
    return this.own("council", "council", "the council");
  }

  /** The member one of `did`'s keys acts for at the block, if any. */
  private async memberOfDid(did: bigint): Promise<Organisation | undefined> {
    if (!this.identity) return undefined;
    let accounts: string[];
    try {
      const doc = await this.identity.resolve(did, { blockTag: this.blockTag });
      // By position: on an ethers Result, `.keys` is Array.prototype.keys.
      accounts = doc[8].map((k) => k.account);
    } catch {
      return undefined; // no such DID at the block
    }
    for (const account of accounts) {
      const id = await this.members.memberOf(account, { blockTag: this.blockTag });
      if (id !== 0n) return this.ofMember(id);
    }
    return undefined;
  }

  private own(key: string, kind: Organisation["kind"], name: string): Organisation {
    let org = this.organisations.get(key);
    if (!org) {
      org = { key, kind, name, dids: [] };
      this.organisations.set(key, org);
    }
    return org;
  }

  private memo(key: string, resolve: () => Promise<Organisation>): Promise<Organisation> {
    let hit = this.cache.get(key);
    if (!hit) {
      hit = resolve();
      this.cache.set(key, hit);
    }
    return hit;
  }
}
