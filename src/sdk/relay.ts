import { concat, type BaseContract, type ContractTransactionResponse, type Provider, type Signer } from "ethers";
import type { GovForwarder } from "../../typechain-types";
import type { ERC2771Forwarder } from "../../typechain-types/contracts/common/GovForwarder";
import { toGovLedgerError } from "./errors";
import { sameOptions } from "./policy";

export interface RelayOptions {
  /** Seconds the signed request stays usable; 1 hour by default. */
  ttlSeconds?: number;
}

/** A signed ERC-2771 request, as GovForwarder.execute takes it, with the nonce it was signed with. */
export type SignedRequest = ERC2771Forwarder.ForwardRequestDataStruct & { nonce: bigint };

/** The EIP-712 type of an ERC-2771 forward request, as OpenZeppelin's ERC2771Forwarder hashes it. */
export const FORWARD_REQUEST_TYPES = {
  ForwardRequest: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "gas", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint48" },
    { name: "data", type: "bytes" },
  ],
};

/**
 * Gasless calls through the suite's {@link GovForwarder}: `signer` (who may hold no funds) signs an
 * EIP-712 request and `relayer` submits it with `forwarder.execute`; the module sees `signer` as
 * the caller. Every call is first simulated as the forwarder would make it, so a refusal is thrown
 * as the module's decoded error rather than the forwarder's bare FailedCall.
 */
export class Relay {
  private readonly forwarder: GovForwarder;
  readonly relayer: Signer;

  constructor(
    forwarder: GovForwarder,
    readonly signer: Signer,
    relayer: Signer,
    private readonly options: RelayOptions = {},
  ) {
    // The relayer pays as the ledger the forwarder came from says (e.g. `{ gasPrice: 0n }`).
    this.relayer = sameOptions(relayer, forwarder.runner);
    this.forwarder = forwarder.connect(this.relayer);
  }

  private get provider(): Provider {
    const provider = this.relayer.provider ?? this.signer.provider;
    if (!provider) throw new Error("the relayer has no provider");
    return provider;
  }

  /**
   * The write method `name` of `contract`, relayed: it has the shape of the typechain method
   * (call, staticCall, estimateGas), so {@link Call.of} takes it as it takes a direct one.
   */
  method<C extends BaseContract, K extends keyof C & string>(contract: C, name: K): C[K] {
    const to = contract.target as string;
    const encode = (args: unknown[]) => contract.interface.encodeFunctionData(name, args);
    const invoke = (...args: unknown[]) => this.send(to, encode(args));
    const staticCall = async (...args: unknown[]) =>
      contract.interface.decodeFunctionResult(name, await this.simulate(to, encode(args)));
    const estimateGas = async (...args: unknown[]) => {
      const request = await this.request(to, encode(args));
      return this.forwarder.execute.estimateGas(request);
    };
    return Object.assign(invoke, { staticCall, estimateGas }) as unknown as C[K];
  }

  /** Runs `data` on `to` as the forwarder would for the signer (eth_call); throws the decoded refusal. */
  async simulate(to: string, data: string): Promise<string> {
    const from = await this.signer.getAddress();
    return this.guarded(() =>
      this.provider.call({ from: this.forwarder.target as string, to, data: concat([data, from]) }),
    );
  }

  /** Builds and signs the request for `data` on `to`: nonce from the forwarder, deadline, gas estimate. */
  async request(to: string, data: string): Promise<SignedRequest> {
    const from = await this.signer.getAddress();
    const forwarder = this.forwarder.target as string;
    const [nonce, gas, block, domain] = await Promise.all([
      this.forwarder.nonces(from),
      this.guarded(() => this.provider.estimateGas({ from: forwarder, to, data: concat([data, from]) })),
      this.provider.getBlock("latest"),
      this.forwarder.eip712Domain(),
    ]);
    const now = Math.max(block?.timestamp ?? 0, Math.floor(Date.now() / 1000));
    const deadline = BigInt(now + (this.options.ttlSeconds ?? 3600));
    const message = { from, to, value: 0n, gas, nonce, deadline, data };
    const signature = await this.signer.signTypedData(
      {
        name: domain.name,
        version: domain.version,
        chainId: domain.chainId,
        verifyingContract: domain.verifyingContract,
      },
      FORWARD_REQUEST_TYPES,
      message,
    );
    return { from, to, value: 0n, gas, deadline, data, signature, nonce };
  }

  /** Signs `data` on `to` and has the relayer submit it. */
  async send(to: string, data: string): Promise<ContractTransactionResponse> {
    return this.forwarder.execute(await this.request(to, data));
  }

  private async guarded<R>(fn: () => Promise<R>): Promise<R> {
    try {
      return await fn();
    } catch (e) {
      throw toGovLedgerError(e);
    }
  }
}
