import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { ethers } from "hardhat";
import { MaxUint256, Signature, ZeroHash, type TypedDataDomain } from "ethers";
import {
  FalseReturningToken__factory,
  FeeOnTransferToken__factory,
  IERC20__factory,
  ReentrantSigner__factory,
  ReentrantToken__factory,
  type FalseReturningToken,
  type ReentrantSigner,
  type ReentrantToken,
} from "../../typechain-types";
import type { Party } from "../helpers/achievement";
import { DidKind, hashOf, Purpose, registerDid, Scope, unfundedWallet } from "../helpers/identity";
import { innerRevertOf, signAndRelay } from "../helpers/relay";
import { MilestoneStatus, openEscrow, termsOf, tradeFixture, type Terms, type TradeModule } from "../helpers/trade";
import { PERMIT_TYPES, SETTLEMENT_TYPES } from "../../src/sdk/escrow";

const DAY = 86_400n;
const PAYMENT = BigInt(Scope.PAYMENT);
/** The milestones of {@link termsOf}: 300,000.00 then 700,000.00. */
const FIRST = 30_000_000n;
const SECOND = 70_000_000n;

interface Settlement {
  escrow: bigint;
  milestone: number;
  toBuyer: bigint;
  deadline: bigint;
}

describe("settlement escrow under attack", function () {
  let m: TradeModule;
  let escrowAddress: string;
  /** Funded accounts with no role and no DID. */
  let spare: HardhatEthersSigner[];

  beforeEach(async function () {
    m = await tradeFixture();
    escrowAddress = await m.escrow.getAddress();
    spare = (await ethers.getSigners()).slice(16);
  });

  const by = (party: Party) => m.escrow.connect(party.account);

  /** The escrow's balance of `token` equals what it holds plus what it owes. */
  async function expectSolvent(token: string): Promise<void> {
    const [held, owed] = await m.escrow.liabilities(token);
    expect(await IERC20__factory.connect(token, ethers.provider).balanceOf(escrowAddress)).to.equal(held + owed);
  }

  async function expectLiabilities(token: string, held: bigint, owed: bigint): Promise<void> {
    const [h, o] = await m.escrow.liabilities(token);
    expect([h, o]).to.deep.equal([held, owed]);
    await expectSolvent(token);
  }

  async function statusOf(id: bigint, milestone: number): Promise<MilestoneStatus> {
    const [, status] = await m.escrow.milestoneOf(id, milestone);
    return Number(status) as MilestoneStatus;
  }

  async function escrowDomain(overrides: Partial<TypedDataDomain> = {}): Promise<TypedDataDomain> {
    const d = await m.escrow.eip712Domain();
    return {
      name: d.name,
      version: d.version,
      chainId: d.chainId,
      verifyingContract: d.verifyingContract,
      ...overrides,
    };
  }

  async function settlementOf(id: bigint, milestone = 0, toBuyer = 1n): Promise<Settlement> {
    return { escrow: id, milestone, toBuyer, deadline: BigInt(await time.latest()) + DAY };
  }

  async function signedBy(party: Party, s: Settlement, domain?: TypedDataDomain) {
    return {
      signer: party.address,
      signature: await party.account.signTypedData(domain ?? (await escrowDomain()), SETTLEMENT_TYPES, s),
    };
  }

  function settleData(
    s: Settlement,
    buyer: { signer: string; signature: string },
    seller: { signer: string; signature: string },
  ): string {
    return m.escrow.interface.encodeFunctionData("settle", [
      s.escrow,
      s.milestone,
      s.toBuyer,
      s.deadline,
      buyer.signer,
      buyer.signature,
      seller.signer,
      seller.signature,
    ]);
  }

  async function settle(s: Settlement, buyer = m.buyer, seller = m.university, domain?: TypedDataDomain) {
    const data = settleData(s, await signedBy(buyer, s, domain), await signedBy(seller, s, domain));
    return m.outsider.account.sendTransaction({ to: escrowAddress, data });
  }

  /** Opens an escrow in the currency, funds milestone 0 (and 1 if asked) and disputes what was funded. */
  async function openDisputed(both = false): Promise<bigint> {
    const id = await openEscrow(m, await termsOf(m));
    const milestones = both ? [0, 1] : [0];
    for (const i of milestones) {
      const [{ amount }] = await m.escrow.milestoneOf(id, i);
      await (await m.currency.connect(m.buyer.account).approve(escrowAddress, amount)).wait();
      await (await by(m.buyer).fund(id, i, m.buyer.did)).wait();
      await (await by(m.buyer).dispute(id, i, m.buyer.did, hashOf("reason: not delivered"))).wait();
    }
    return id;
  }

  describe("a re-entrant settlement token", function () {
    let token: ReentrantToken;
    let tokenAddress: string;
    let id: bigint;
    let attacker: string;

    beforeEach(async function () {
      token = await new ReentrantToken__factory(m.deployer).deploy();
      tokenAddress = await token.getAddress();
      attacker = spare[0].address;
      await (await token.mint(m.buyer.address, FIRST + SECOND)).wait();
      await (await token.connect(m.buyer.account).approve(escrowAddress, MaxUint256)).wait();
      // The token pays from its own balance when its re-entry funds, and acts for the buyer with a key of
      // its DID: only the re-entrancy guard stands between it and each entry point.
      await (await token.mint(tokenAddress, SECOND)).wait();
      await (await token.approveFromSelf(escrowAddress, MaxUint256)).wait();
      await (await m.identity.connect(m.buyer.account).addKey(m.buyer.did, tokenAddress, Purpose.ALL)).wait();
      id = await openEscrow(m, await termsOf(m, { token: tokenAddress }));
    });

    const fund = (milestone: number) => by(m.buyer).fund(id, milestone, m.buyer.did);

    async function reclaimFirst(): Promise<void> {
      await (await fund(0)).wait();
      const [{ due }] = await m.escrow.milestoneOf(id, 0);
      await time.increaseTo(due + 1n);
      await (await by(m.buyer).reclaim(id, 0, m.buyer.did)).wait();
    }

    async function expectGuardTripped(): Promise<void> {
      expect(await token.attempted()).to.equal(true);
      expect(await token.reverted()).to.equal(true);
      expect(m.escrow.interface.parseError(await token.reason())?.name).to.equal("ReentrancyGuardReentrantCall");
      await expectSolvent(tokenAddress);
    }

    interface Reentry {
      name: string;
      /** Brings the escrow to where the armed call would succeed on its own. */
      arrange: () => Promise<void>;
      /** The armed call. */
      payload: () => Promise<string>;
      /** The payment in whose transfer the token re-enters. */
      trigger: () => Promise<unknown>;
      /** What the failed re-entry left as it was. */
      unchanged: () => Promise<void>;
      /** What the same call does when made outside any payment. */
      control: () => Promise<void>;
    }

    const reentries: Reentry[] = [
      {
        name: "fund",
        arrange: async () => {},
        payload: async () => m.escrow.interface.encodeFunctionData("fund", [id, 1, m.buyer.did]),
        trigger: () => fund(0),
        unchanged: async () => {
          expect(await statusOf(id, 1)).to.equal(MilestoneStatus.Awaiting);
          await expectLiabilities(tokenAddress, FIRST, 0n);
        },
        control: async () => {
          expect(await statusOf(id, 1)).to.equal(MilestoneStatus.Funded);
          await expectLiabilities(tokenAddress, SECOND, 0n);
        },
      },
      {
        name: "fundWithPermit",
        arrange: async () => {},
        payload: async () =>
          m.escrow.interface.encodeFunctionData("fundWithPermit", [id, 1, m.buyer.did, 0n, 27, ZeroHash, ZeroHash]),
        trigger: () => fund(0),
        unchanged: async () => {
          expect(await statusOf(id, 1)).to.equal(MilestoneStatus.Awaiting);
          await expectLiabilities(tokenAddress, FIRST, 0n);
        },
        control: async () => {
          expect(await statusOf(id, 1)).to.equal(MilestoneStatus.Funded);
          await expectLiabilities(tokenAddress, SECOND, 0n);
        },
      },
      {
        name: "confirm",
        arrange: async () => void (await (await fund(0)).wait()),
        payload: async () => m.escrow.interface.encodeFunctionData("confirm", [id, 0, m.buyer.did]),
        trigger: () => fund(1),
        unchanged: async () => {
          expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Funded);
          await expectLiabilities(tokenAddress, FIRST + SECOND, 0n);
        },
        control: async () => {
          expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Released);
          await expectLiabilities(tokenAddress, 0n, FIRST);
        },
      },
      {
        name: "reclaim",
        arrange: async () => {
          await (await fund(0)).wait();
          const [{ due }] = await m.escrow.milestoneOf(id, 0);
          await time.increaseTo(due + 1n);
        },
        payload: async () => m.escrow.interface.encodeFunctionData("reclaim", [id, 0, m.buyer.did]),
        trigger: () => fund(1),
        unchanged: async () => {
          expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Funded);
          expect(await m.escrow.balanceOf(tokenAddress, m.buyer.did)).to.equal(0n);
          await expectLiabilities(tokenAddress, FIRST + SECOND, 0n);
        },
        control: async () => {
          expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Refunded);
          await expectLiabilities(tokenAddress, 0n, FIRST);
        },
      },
      {
        name: "settle",
        arrange: async () => {
          await (await fund(0)).wait();
          await (await by(m.buyer).dispute(id, 0, m.buyer.did, hashOf("reason"))).wait();
        },
        payload: async () => {
          const s = await settlementOf(id, 0, FIRST);
          return settleData(s, await signedBy(m.buyer, s), await signedBy(m.university, s));
        },
        trigger: () => fund(1),
        unchanged: async () => {
          expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Disputed);
          await expectLiabilities(tokenAddress, FIRST + SECOND, 0n);
        },
        control: async () => {
          expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Resolved);
          await expectLiabilities(tokenAddress, 0n, FIRST);
        },
      },
      {
        name: "dispute",
        arrange: async () => void (await (await fund(0)).wait()),
        payload: async () => m.escrow.interface.encodeFunctionData("dispute", [id, 0, m.buyer.did, hashOf("reason")]),
        trigger: () => fund(1),
        unchanged: async () => {
          expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Funded);
          await expectLiabilities(tokenAddress, FIRST + SECOND, 0n);
        },
        control: async () => {
          expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Disputed);
          await expectLiabilities(tokenAddress, FIRST, 0n);
        },
      },
      {
        name: "withdraw",
        arrange: reclaimFirst,
        payload: async () => m.escrow.interface.encodeFunctionData("withdraw", [tokenAddress, m.buyer.did, attacker]),
        trigger: () => fund(1),
        unchanged: async () => {
          expect(await m.escrow.balanceOf(tokenAddress, m.buyer.did)).to.equal(FIRST);
          expect(await token.balanceOf(attacker)).to.equal(0n);
          await expectLiabilities(tokenAddress, SECOND, FIRST);
        },
        control: async () => {
          expect(await token.balanceOf(attacker)).to.equal(FIRST);
          await expectLiabilities(tokenAddress, 0n, 0n);
        },
      },
    ];

    for (const r of reentries) {
      context(`when it re-enters ${r.name} from inside a payment`, function () {
        it("records ReentrancyGuardReentrantCall, completes the payment and leaves the accounts whole", async function () {
          await r.arrange();
          await (await token.arm(escrowAddress, await r.payload())).wait();
          await expect(r.trigger()).to.emit(m.escrow, "MilestoneFunded");
          await expectGuardTripped();
          await r.unchanged();
        });

        it(`lets the same ${r.name} through outside a payment (the control)`, async function () {
          await r.arrange();
          await (await token.arm(escrowAddress, await r.payload())).wait();
          await (await token.fire()).wait();
          expect(await token.reverted()).to.equal(false);
          await r.control();
          await expectSolvent(tokenAddress);
        });
      });
    }

    context("when it re-enters fund from inside the permit call of fundWithPermit", function () {
      it("records ReentrancyGuardReentrantCall and funds the milestone once, from the buyer's approval", async function () {
        // Slither's reentrancy-no-eth on fundWithPermit: the token's permit is called before any state changes.
        await (
          await token.arm(escrowAddress, m.escrow.interface.encodeFunctionData("fund", [id, 0, m.buyer.did]))
        ).wait();
        await expect(by(m.buyer).fundWithPermit(id, 0, m.buyer.did, 0n, 27, ZeroHash, ZeroHash))
          .to.emit(m.escrow, "MilestoneFunded")
          .withArgs(id, 0, m.buyer.did, FIRST);
        await expectGuardTripped();
        expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Funded);
        expect(await token.balanceOf(tokenAddress)).to.equal(SECOND);
        await expectLiabilities(tokenAddress, FIRST, 0n);
      });
    });

    context("when it re-enters withdraw from inside the withdrawal's own transfer", function () {
      it("pays the buyer once, the attacker nothing, and records ReentrancyGuardReentrantCall", async function () {
        await reclaimFirst();
        const payload = m.escrow.interface.encodeFunctionData("withdraw", [tokenAddress, m.buyer.did, attacker]);
        await (await token.arm(escrowAddress, payload)).wait();
        const before = await token.balanceOf(m.buyer.address);
        await expect(by(m.buyer).withdraw(tokenAddress, m.buyer.did, m.buyer.address))
          .to.emit(m.escrow, "Withdrawn")
          .withArgs(m.buyer.did, tokenAddress, m.buyer.address, FIRST);
        await expectGuardTripped();
        expect(await token.balanceOf(m.buyer.address)).to.equal(before + FIRST);
        expect(await token.balanceOf(attacker)).to.equal(0n);
        await expectLiabilities(tokenAddress, 0n, 0n);
        await (await token.arm(escrowAddress, payload)).wait();
        await (await token.fire()).wait();
        expect(m.escrow.interface.parseError(await token.reason())?.name).to.equal("EscrowNothingToWithdraw");
      });
    });

    context("when the milestones run their whole course with the token armed each time", function () {
      it("keeps the escrow's balance equal to held + owed at every step", async function () {
        const confirmData = m.escrow.interface.encodeFunctionData("confirm", [id, 1, m.buyer.did]);
        await (await token.arm(escrowAddress, confirmData)).wait();
        await (await fund(1)).wait();
        await expectGuardTripped();
        await (await by(m.buyer).confirm(id, 1, m.buyer.did)).wait();
        await expectLiabilities(tokenAddress, 0n, SECOND);
        for (const party of [m.centre, m.broker, m.inventor, m.team, m.university]) {
          const again = m.escrow.interface.encodeFunctionData("withdraw", [tokenAddress, party.did, attacker]);
          await (await token.arm(escrowAddress, again)).wait();
          await (await by(party).withdraw(tokenAddress, party.did, party.address)).wait();
          await expectSolvent(tokenAddress);
        }
        await expectLiabilities(tokenAddress, 0n, 0n);
        expect(await token.balanceOf(attacker)).to.equal(0n);
        expect(await token.balanceOf(escrowAddress)).to.equal(0n);
      });
    });
  });

  describe("a token taking a fee on transfer", function () {
    context("when the buyer funds a milestone with it, by approval or by permit", function () {
      it("reverts with EscrowShortPayment and leaves nothing held", async function () {
        const fee = await new FeeOnTransferToken__factory(m.deployer).deploy();
        const feeAddress = await fee.getAddress();
        await (await fee.mint(m.buyer.address, FIRST)).wait();
        await (await fee.connect(m.buyer.account).approve(escrowAddress, FIRST)).wait();
        const id = await openEscrow(m, await termsOf(m, { token: feeAddress }));
        await expect(by(m.buyer).fund(id, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowShortPayment")
          .withArgs(FIRST, FIRST - FIRST / 100n);
        await expect(by(m.buyer).fundWithPermit(id, 0, m.buyer.did, 0n, 27, ZeroHash, ZeroHash))
          .to.be.revertedWithCustomError(m.escrow, "EscrowShortPayment")
          .withArgs(FIRST, FIRST - FIRST / 100n);
        expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Awaiting);
        expect(await fee.balanceOf(m.buyer.address)).to.equal(FIRST);
        await expectLiabilities(feeAddress, 0n, 0n);
      });
    });
  });

  describe("a token returning false instead of reverting", function () {
    let token: FalseReturningToken;
    let tokenAddress: string;
    let id: bigint;

    beforeEach(async function () {
      token = await new FalseReturningToken__factory(m.deployer).deploy();
      tokenAddress = await token.getAddress();
      await (await token.mint(m.buyer.address, FIRST + SECOND)).wait();
      await (await token.connect(m.buyer.account).approve(escrowAddress, MaxUint256)).wait();
      id = await openEscrow(m, await termsOf(m, { token: tokenAddress }));
    });

    context("when the buyer funds with it", function () {
      it("reverts with SafeERC20FailedOperation and holds nothing", async function () {
        await (await token.setFailing(true)).wait();
        await expect(by(m.buyer).fund(id, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.escrow, "SafeERC20FailedOperation")
          .withArgs(tokenAddress);
        expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Awaiting);
        await expectLiabilities(tokenAddress, 0n, 0n);
      });
    });

    context("when a payee withdraws while it fails", function () {
      it("reverts with SafeERC20FailedOperation, keeps the balance owed, and pays once it works again", async function () {
        await (await by(m.buyer).fund(id, 0, m.buyer.did)).wait();
        await (await by(m.buyer).confirm(id, 0, m.buyer.did)).wait();
        const owed = await m.escrow.balanceOf(tokenAddress, m.university.did);
        await (await token.setFailing(true)).wait();
        await expect(by(m.university).withdraw(tokenAddress, m.university.did, m.university.address))
          .to.be.revertedWithCustomError(m.escrow, "SafeERC20FailedOperation")
          .withArgs(tokenAddress);
        expect(await m.escrow.balanceOf(tokenAddress, m.university.did)).to.equal(owed);
        await expectLiabilities(tokenAddress, 0n, FIRST);
        await (await token.setFailing(false)).wait();
        await expect(by(m.university).withdraw(tokenAddress, m.university.did, m.university.address))
          .to.emit(m.escrow, "Withdrawn")
          .withArgs(m.university.did, tokenAddress, m.university.address, owed);
        expect(await token.balanceOf(m.university.address)).to.equal(owed);
        await expectLiabilities(tokenAddress, 0n, FIRST - owed);
      });
    });
  });

  describe("replayed settlement signatures", function () {
    context("when a settlement signed for one milestone is used on another", function () {
      it("reverts with EscrowInvalidSignature, before and after the first was used", async function () {
        const id = await openDisputed(true);
        const s = await settlementOf(id, 0);
        const buyer = await signedBy(m.buyer, s);
        const seller = await signedBy(m.university, s);
        const elsewhere = { ...s, milestone: 1 };
        await expect(
          m.outsider.account.sendTransaction({ to: escrowAddress, data: settleData(elsewhere, buyer, seller) }),
        )
          .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSignature")
          .withArgs(m.buyer.did, m.buyer.address);
        await expect(m.outsider.account.sendTransaction({ to: escrowAddress, data: settleData(s, buyer, seller) }))
          .to.emit(m.escrow, "MilestoneResolved")
          .withArgs(id, 0, m.outsider.did, 1n, FIRST - 1n, ZeroHash);
        await expect(
          m.outsider.account.sendTransaction({ to: escrowAddress, data: settleData(elsewhere, buyer, seller) }),
        )
          .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSignature")
          .withArgs(m.buyer.did, m.buyer.address);
        expect(await statusOf(id, 1)).to.equal(MilestoneStatus.Disputed);
        await expectLiabilities(await m.currency.getAddress(), SECOND, FIRST);
      });
    });

    context("when a settlement signed for one escrow is used on another between the same parties", function () {
      it("reverts with EscrowInvalidSignature", async function () {
        const first = await openDisputed();
        const second = await openDisputed();
        const s = await settlementOf(first, 0);
        const buyer = await signedBy(m.buyer, s);
        const seller = await signedBy(m.university, s);
        await expect(
          m.outsider.account.sendTransaction({
            to: escrowAddress,
            data: settleData({ ...s, escrow: second }, buyer, seller),
          }),
        )
          .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSignature")
          .withArgs(m.buyer.did, m.buyer.address);
        expect(await statusOf(second, 0)).to.equal(MilestoneStatus.Disputed);
      });
    });

    const foreignDomains: [string, (m: TradeModule) => Promise<Partial<TypedDataDomain>>][] = [
      ["another chain id", async () => ({ chainId: (await ethers.provider.getNetwork()).chainId + 1n })],
      ["another verifying contract", async (m) => ({ verifyingContract: await m.currency.getAddress() })],
      ["another domain name", async () => ({ name: "govledger" })],
      ["another domain version", async () => ({ version: "2" })],
    ];
    for (const [what, alter] of foreignDomains) {
      context(`when both sides signed for ${what}`, function () {
        it("reverts with EscrowInvalidSignature, and the escrow's own domain works (the control)", async function () {
          const id = await openDisputed();
          const s = await settlementOf(id, 0);
          await expect(settle(s, m.buyer, m.university, await escrowDomain(await alter(m))))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSignature")
            .withArgs(m.buyer.did, m.buyer.address);
          await expect(settle(s)).to.emit(m.escrow, "MilestoneResolved");
        });
      });
    }
  });

  describe("a re-entrant contract key signing a settlement", function () {
    let id: bigint;
    let signerAddress: string;
    let sellerDid: bigint;
    let reentrant: ReentrantSigner;

    beforeEach(async function () {
      reentrant = await new ReentrantSigner__factory(spare[0]).deploy();
      signerAddress = await reentrant.getAddress();
      sellerDid = await registerDid(m, DidKind.Organisation, [{ account: signerAddress }], hashOf("did:reentrant"));
      const terms: Terms = await termsOf(m, { seller: sellerDid });
      id = await openEscrow(m, terms);
      for (const i of [0, 1]) {
        const [{ amount }] = await m.escrow.milestoneOf(id, i);
        await (await m.currency.connect(m.buyer.account).approve(escrowAddress, amount)).wait();
        await (await by(m.buyer).fund(id, i, m.buyer.did)).wait();
      }
      await (await by(m.buyer).dispute(id, 0, m.buyer.did, hashOf("reason"))).wait();
      const disputeSecond = m.escrow.interface.encodeFunctionData("dispute", [id, 1, sellerDid, hashOf("spite")]);
      await (await reentrant.arm(escrowAddress, disputeSecond)).wait();
    });

    async function settleAsContract() {
      const s = await settlementOf(id, 0);
      const seller = { signer: signerAddress, signature: "0x" };
      return m.outsider.account.sendTransaction({
        to: escrowAddress,
        data: settleData(s, await signedBy(m.buyer, s), seller),
      });
    }

    context("when asked to check the signature, it tries to dispute another milestone from inside", function () {
      it("reverts with EscrowInvalidSignature and changes nothing", async function () {
        await expect(settleAsContract())
          .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSignature")
          .withArgs(sellerDid, signerAddress);
        expect(await statusOf(id, 1)).to.equal(MilestoneStatus.Funded);
        expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Disputed);
      });

      it("is accepted once its call changes nothing (the control)", async function () {
        await (await reentrant.arm(escrowAddress, m.escrow.interface.encodeFunctionData("escrowCount"))).wait();
        await expect(settleAsContract()).to.emit(m.escrow, "MilestoneResolved");
        expect(await statusOf(id, 1)).to.equal(MilestoneStatus.Funded);
        await expectSolvent(await m.currency.getAddress());
      });
    });
  });

  describe("relayed calls through the GovForwarder", function () {
    let id: bigint;
    let currency: string;
    let relayer: HardhatEthersSigner;

    beforeEach(async function () {
      currency = await m.currency.getAddress();
      id = await openEscrow(m, await termsOf(m));
      relayer = spare[1];
    });

    context("when the buyer's key signs fund and a relayer submits it", function () {
      it("emits MilestoneFunded naming the buyer and takes the buyer's tokens, not the relayer's", async function () {
        await (await m.currency.connect(m.buyer.account).approve(escrowAddress, FIRST)).wait();
        const before = await m.currency.balanceOf(m.buyer.address);
        const data = m.escrow.interface.encodeFunctionData("fund", [id, 0, m.buyer.did]);
        await expect(signAndRelay(m.forwarder, m.buyer.account, relayer, m.escrow, data))
          .to.emit(m.escrow, "MilestoneFunded")
          .withArgs(id, 0, m.buyer.did, FIRST)
          .and.to.emit(m.currency, "Transfer")
          .withArgs(m.buyer.address, escrowAddress, FIRST);
        expect(await m.currency.balanceOf(m.buyer.address)).to.equal(before - FIRST);
        await expectLiabilities(currency, FIRST, 0n);
      });
    });

    context("when an unfunded representative signs fundWithPermit and a relayer submits it", function () {
      it("funds from the representative's tokens, names its DID, and costs it no gas", async function () {
        const key = unfundedWallet();
        const repDid = await registerDid(m, DidKind.Person, [{ account: key.address }], hashOf("did:clerk"));
        const until = BigInt(await time.latest()) + 30n * DAY;
        await (
          await m.identity.connect(m.buyer.account).grantMandate(m.buyer.did, repDid, Scope.PAYMENT, until)
        ).wait();
        await (await m.currency.mint(key.address, FIRST)).wait();
        const d = await m.currency.eip712Domain();
        const deadline = until;
        const permit = Signature.from(
          await key.signTypedData(
            { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract },
            PERMIT_TYPES,
            { owner: key.address, spender: escrowAddress, value: FIRST, nonce: 0n, deadline },
          ),
        );
        const data = m.escrow.interface.encodeFunctionData("fundWithPermit", [
          id,
          0,
          m.buyer.did,
          deadline,
          permit.v,
          permit.r,
          permit.s,
        ]);
        await expect(signAndRelay(m.forwarder, key, relayer, m.escrow, data))
          .to.emit(m.escrow, "MilestoneFunded")
          .withArgs(id, 0, repDid, FIRST);
        expect(await m.currency.balanceOf(key.address)).to.equal(0n);
        expect(await ethers.provider.getBalance(key.address)).to.equal(0n);
        await expectLiabilities(currency, FIRST, 0n);
      });
    });

    context("when a payee's key signs withdraw and a relayer submits it", function () {
      it("emits Withdrawn for the payee's DID and pays where the signer said", async function () {
        await (await m.currency.connect(m.buyer.account).approve(escrowAddress, FIRST)).wait();
        await (await by(m.buyer).fund(id, 0, m.buyer.did)).wait();
        await (await by(m.buyer).confirm(id, 0, m.buyer.did)).wait();
        const owed = await m.escrow.balanceOf(currency, m.university.did);
        const data = m.escrow.interface.encodeFunctionData("withdraw", [
          currency,
          m.university.did,
          m.university.address,
        ]);
        await expect(signAndRelay(m.forwarder, m.university.account, relayer, m.escrow, data))
          .to.emit(m.escrow, "Withdrawn")
          .withArgs(m.university.did, currency, m.university.address, owed);
        expect(await m.currency.balanceOf(m.university.address)).to.equal(owed);
        expect(await m.currency.balanceOf(relayer.address)).to.equal(0n);
        await expectLiabilities(currency, 0n, FIRST - owed);
      });
    });

    context("when the signer does not act for the DID, even if the relayer does", function () {
      it("reverts inside with IdentityNotActingFor naming the signer, and pays nothing", async function () {
        await (await m.currency.connect(m.buyer.account).approve(escrowAddress, FIRST)).wait();
        await (await by(m.buyer).fund(id, 0, m.buyer.did)).wait();
        await (await by(m.buyer).confirm(id, 0, m.buyer.did)).wait();
        const owed = await m.escrow.balanceOf(currency, m.university.did);
        const data = m.escrow.interface.encodeFunctionData("withdraw", [
          currency,
          m.university.did,
          m.outsider.address,
        ]);
        const inner = await innerRevertOf(m.forwarder, m.escrow, m.outsider.address, data, m.identity.interface);
        expect(inner?.name).to.equal("IdentityNotActingFor");
        expect(inner?.args).to.deep.equal([m.outsider.address, m.university.did, PAYMENT]);
        await expect(
          signAndRelay(m.forwarder, m.outsider.account, m.university.account, m.escrow, data),
        ).to.be.revertedWithCustomError(m.forwarder, "FailedCall");
        expect(await m.escrow.balanceOf(currency, m.university.did)).to.equal(owed);
        await expectLiabilities(currency, 0n, FIRST);
      });
    });

    context("when an outsider signs fund for the buyer and the buyer relays it", function () {
      it("reverts inside with IdentityNotActingFor naming the signer", async function () {
        const data = m.escrow.interface.encodeFunctionData("fund", [id, 0, m.buyer.did]);
        const inner = await innerRevertOf(m.forwarder, m.escrow, m.outsider.address, data, m.identity.interface);
        expect(inner?.name).to.equal("IdentityNotActingFor");
        expect(inner?.args).to.deep.equal([m.outsider.address, m.buyer.did, PAYMENT]);
        await expect(
          signAndRelay(m.forwarder, m.outsider.account, m.buyer.account, m.escrow, data),
        ).to.be.revertedWithCustomError(m.forwarder, "FailedCall");
        expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Awaiting);
      });
    });
  });
});
