import { Wallet, type ContractRunner, type Provider, type Signer } from "ethers";
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
  MemberRegistry__factory,
  PausableModule__factory,
  LicenceMarket__factory,
  LicenceRegister__factory,
  SettlementEscrow__factory,
  TechContractRegister__factory,
  UUPSUpgradeable__factory,
  type GovAuthority,
} from "../../typechain-types";
import { AchievementClient } from "./achievement";
import { Call } from "./call";
import { CouncilClient, type ProposedCall } from "./council";
import { DeploymentError, OPTIONAL_MODULES, hasModule, type Deployment, type OptionalModule } from "./deployment";
import { EscrowClient } from "./escrow";
import { LicenceClient } from "./licences";
import { MarketClient } from "./market";
import { TechContractClient } from "./tech-contracts";
import { suiteInterfaces } from "./events";
import { EvidenceClient } from "./evidence";
import { IdentityClient } from "./identity";
import { MembersClient, checkedAddress } from "./members";
import { withOptions, type LedgerOptions } from "./policy";
import { FailoverProvider, type FailoverOptions } from "./provider";
import { TransactionsClient } from "./transactions";

/** Suite contracts a guardian can pause. */
export const PAUSABLE_MODULES = [
  "MemberRegistry",
  "IdentityRegistry",
  "IdentityRecovery",
  "ConsentRegistry",
  "EvidenceRegistry",
  "AchievementRegistry",
  "AchievementRights",
  "SettlementEscrow",
  "LicenceRegister",
  "TechContractRegister",
  "LicenceMarket",
] as const;

/**
 * The entry point of the SDK: one object per network, holding a client per suite contract.
 * Reads need a provider; writes need a signer as runner.
 */
export class GovLedger {
  readonly council: CouncilClient;
  readonly members: MembersClient;
  readonly authority: GovAuthority;
  /** Checks and finishes writes whose outcome is in doubt (a receipt timeout, a node that did not answer). */
  readonly transactions: TransactionsClient;
  private readonly identityClient?: IdentityClient;
  private readonly evidenceClient?: EvidenceClient;
  private readonly achievementClient?: AchievementClient;
  private readonly escrowClient?: EscrowClient;
  private readonly licenceClient?: LicenceClient;
  private readonly techContractClient?: TechContractClient;
  private readonly marketClient?: MarketClient;

  private constructor(
    readonly deployment: Deployment,
    readonly runner: ContractRunner,
    provider: Provider,
    options: LedgerOptions,
    private readonly owned?: FailoverProvider,
  ) {
    const c = deployment.contracts;
    this.transactions = new TransactionsClient(provider, { receiptTimeoutMs: options.receiptTimeoutMs });
    const interfaces = suiteInterfaces();
    this.authority = GovAuthority__factory.connect(c.GovAuthority, runner);
    this.council = new CouncilClient(Council__factory.connect(c.Council, runner), c, interfaces);
    this.members = new MembersClient(MemberRegistry__factory.connect(c.MemberRegistry, runner));
    if (hasModule(deployment, "identity")) {
      const contracts = {
        registry: IdentityRegistry__factory.connect(c.IdentityRegistry, runner),
        recovery: IdentityRecovery__factory.connect(c.IdentityRecovery, runner),
        consent: ConsentRegistry__factory.connect(c.ConsentRegistry, runner),
        forwarder: GovForwarder__factory.connect(c.GovForwarder, runner),
      };
      this.identityClient = new IdentityClient(contracts, deployment.chainId, c);
    }
    if (hasModule(deployment, "evidence")) {
      const registry = EvidenceRegistry__factory.connect(c.EvidenceRegistry, runner);
      const forwarder = c.GovForwarder ? GovForwarder__factory.connect(c.GovForwarder, runner) : undefined;
      this.evidenceClient = new EvidenceClient(registry, deployment.chainId, this.members, c, forwarder);
    }
    if (hasModule(deployment, "achievement") && this.identityClient) {
      const contracts = {
        registry: AchievementRegistry__factory.connect(c.AchievementRegistry, runner),
        rights: AchievementRights__factory.connect(c.AchievementRights, runner),
      };
      const forwarder = this.identityClient.forwarder;
      this.achievementClient = new AchievementClient(contracts, this.identityClient, deployment.chainId, c, forwarder);
    }
    if (hasModule(deployment, "trade") && this.identityClient) {
      const escrow = SettlementEscrow__factory.connect(c.SettlementEscrow, runner);
      this.escrowClient = new EscrowClient(escrow, this.identityClient, deployment.chainId, c.StandInCurrency);
      this.licenceClient = new LicenceClient(
        LicenceRegister__factory.connect(c.LicenceRegister, runner),
        this.identityClient,
      );
      this.techContractClient = new TechContractClient(
        TechContractRegister__factory.connect(c.TechContractRegister, runner),
        this.identityClient,
      );
      this.marketClient = new MarketClient(
        LicenceMarket__factory.connect(c.LicenceMarket, runner),
        this.identityClient,
        this.escrowClient,
        AchievementRegistry__factory.connect(c.AchievementRegistry, runner),
        deployment.chainId,
        c.StandInCurrency,
      );
    }
  }

  /** Whether the deployment has the identity module (deployments made before it lack it). */
  get hasIdentity(): boolean {
    return this.identityClient !== undefined;
  }

  /** The identity module: DIDs, keys, recovery, mandates, claims, consents. */
  get identity(): IdentityClient {
    if (!this.identityClient) throw this.missingModule("identity");
    return this.identityClient;
  }

  /** Whether the deployment has the evidence module (deployments made before it lack it). */
  get hasEvidence(): boolean {
    return this.evidenceClient !== undefined;
  }

  /** The evidence module: notarization, corrections, revocations, endorsements, verification. */
  get evidence(): EvidenceClient {
    if (!this.evidenceClient) throw this.missingModule("evidence");
    return this.evidenceClient;
  }

  /** Whether the deployment has the achievement module (deployments made before it lack it). */
  get hasAchievement(): boolean {
    return this.achievementClient !== undefined;
  }

  /** The achievement module: registration, rights and consents, evaluations, pledges, disputes, history. */
  get achievement(): AchievementClient {
    if (!this.achievementClient) throw this.missingModule("achievement");
    return this.achievementClient;
  }

  /** Whether the deployment has the settlement escrow (deployments made before it lack it). */
  get hasEscrow(): boolean {
    return this.escrowClient !== undefined;
  }

  /** The settlement escrow: open, fund, confirm, reclaim, dispute, rule, settle, withdraw, balances. */
  get escrow(): EscrowClient {
    if (!this.escrowClient) throw this.missingModule("trade");
    return this.escrowClient;
  }

  /** The licence register: record, terminate, and "is C licensed for F in T at t?". */
  get licences(): LicenceClient {
    if (!this.licenceClient) throw this.missingModule("trade");
    return this.licenceClient;
  }

  /** The technology-contract register: register, certify, annul and show technology contracts. */
  get techContracts(): TechContractClient {
    if (!this.techContractClient) throw this.missingModule("trade");
    return this.techContractClient;
  }

  /** The licence market: list, approve, publish, buy, offers, auctions, deal confirmation, deposits. */
  get market(): MarketClient {
    if (!this.marketClient) throw this.missingModule("trade");
    return this.marketClient;
  }

  /**
   * Connects to `deployment` through `runner`, after checking that the runner's chain is the one
   * the deployment was made on (a wrong RPC URL fails here, before anything is sent). `options`
   * apply to every write sent through this ledger, relayed ones too: `{ gasPrice: 0n }` for chains
   * with free gas, `receiptTimeoutMs` for how long writes wait for their receipt.
   */
  static async connect(
    runner: ContractRunner,
    deployment: Deployment,
    options: LedgerOptions = {},
  ): Promise<GovLedger> {
    return GovLedger.open(runner, deployment, options);
  }

  /**
   * Connects to `deployment` over one or more RPC endpoints of its chain (an array, or one
   * comma-separated string), through a {@link FailoverProvider}: each endpoint that answers must be
   * on the deployment's chain; reads move to the next endpoint when one fails; a transaction is
   * never sent twice. Writes are signed with `signer`: a private key (0x + 64 hex digits) or a
   * function making a signer on the provider. {@link close} stops the provider.
   */
  static async connectRpc(
    urls: string | string[],
    deployment: Deployment,
    signer?: string | ((provider: Provider) => Signer),
    options: LedgerOptions & FailoverOptions = {},
  ): Promise<GovLedger> {
    const provider = await FailoverProvider.connect(urls, { ...options, chainId: deployment.chainId });
    try {
      const runner =
        signer === undefined ? provider : typeof signer === "string" ? new Wallet(signer, provider) : signer(provider);
      return await GovLedger.open(runner, deployment, options, provider);
    } catch (e) {
      provider.destroy();
      throw e;
    }
  }

  private static async open(
    runner: ContractRunner,
    deployment: Deployment,
    options: LedgerOptions,
    owned?: FailoverProvider,
  ): Promise<GovLedger> {
    const provider: Provider | null | undefined = runner.provider ?? (runner as Provider);
    if (!provider || typeof provider.getNetwork !== "function") throw new DeploymentError("the runner has no provider");
    const { chainId } = await provider.getNetwork();
    if (chainId !== deployment.chainId) {
      throw new DeploymentError(
        `wrong network: the node reports chain id ${chainId}, the "${deployment.network}" deployment is on chain id ${deployment.chainId}`,
      );
    }
    return new GovLedger(deployment, withOptions(runner, options), provider, options, owned);
  }

  /** Stops the provider {@link connectRpc} made (its polling would keep the process alive); otherwise nothing. */
  close(): void {
    this.owned?.destroy();
  }

  /** Address of suite contract `name`, or a clear error. */
  address(name: string): string {
    const address = this.deployment.contracts[name];
    if (!address) {
      const known = Object.keys(this.deployment.contracts).join(", ");
      throw new DeploymentError(`no contract "${name}" in the ${this.deployment.network} deployment (known: ${known})`);
    }
    return address;
  }

  /** Guardian action: stop every state change of `module` at once. */
  pause(module: string): Call<{ module: string }> {
    const contract = PausableModule__factory.connect(this.pausable(module), this.runner);
    return Call.of(contract.pause, [], () => ({ module }));
  }

  async isPaused(module: string): Promise<boolean> {
    return PausableModule__factory.connect(this.pausable(module), this.runner).paused();
  }

  /** Proposal builder: resume `module` (a council decision). */
  unpause(module: string): ProposedCall {
    const contract = PausableModule__factory.connect(this.pausable(module), this.runner);
    return {
      target: this.pausable(module),
      data: contract.interface.encodeFunctionData("unpause"),
      description: `Resume ${module}`,
    };
  }

  /** Proposal builder: upgrade suite contract `name` to `implementation` (waits the upgrade delay). */
  upgrade(name: string, implementation: string, initData = "0x"): ProposedCall {
    const impl = checkedAddress(implementation);
    const iface = UUPSUpgradeable__factory.createInterface();
    return {
      target: this.address(name),
      data: iface.encodeFunctionData("upgradeToAndCall", [impl, initData]),
      description: `Upgrade ${name} to implementation ${impl}`,
    };
  }

  private missingModule(module: OptionalModule): DeploymentError {
    return new DeploymentError(
      `the ${this.deployment.network} deployment has no ${module} module (${OPTIONAL_MODULES[module].join(", ")}): deploy it with \`npx hardhat deploy --network ${this.deployment.network}\``,
    );
  }

  private pausable(module: string): string {
    if (!(PAUSABLE_MODULES as readonly string[]).includes(module)) {
      throw new DeploymentError(`"${module}" cannot be paused (pausable modules: ${PAUSABLE_MODULES.join(", ")})`);
    }
    return this.address(module);
  }
}
