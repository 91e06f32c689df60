import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { ethers } from "hardhat";
import { Signature, ZeroAddress, ZeroHash, type ContractTransactionResponse, type TypedDataDomain } from "ethers";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import {
  ConsentWallet__factory,
  FeeOnTransferToken__factory,
  IERC20__factory,
  type FeeOnTransferToken,
} from "../../typechain-types";
import type { Party } from "../helpers/achievement";
import { admitOrganisation } from "../helpers/evidence";
import { DidKind, hashOf, registerDid, Scope } from "../helpers/identity";
import {
  INVENTOR_FLOOR_BPS,
  MilestoneStatus,
  openEscrow,
  termsOf,
  tradeFixture,
  type Terms,
  type TradeModule,
} from "../helpers/trade";
import { PERMIT_TYPES, SETTLEMENT_TYPES } from "../../src/sdk/escrow";

const DAY = 86_400n;
const WHOLE = 10_000n;
const MAX_MILESTONES = 12n;
const PAYMENT = BigInt(Scope.PAYMENT);
/** The first milestone of {@link termsOf}: 300,000.00. */
const FIRST = 30_000_000n;
/** The second milestone of {@link termsOf}: 700,000.00. */
const SECOND = 70_000_000n;

interface Settlement {
  escrow: bigint;
  milestone: number;
  toBuyer: bigint;
  deadline: bigint;
}

/** [did, amount] credited, in a canonical order so that two lists compare as multisets. */
type Credit = [bigint, bigint];

function sorted(credits: Credit[]): Credit[] {
  return [...credits].sort((a, b) => (a[0] === b[0] ? Number(a[1] - b[1]) : Number(a[0] - b[0])));
}

/** What the escrow should credit for a release of `amount` under `t` opened by `centre`, per payee (in bps arithmetic). */
function splitOf(t: Terms, centre: bigint, amount: bigint): Credit[] {
  const centreFee = (amount * BigInt(t.centreFeeBps)) / WHOLE;
  const brokerFee = (amount * BigInt(t.brokerBps)) / WHOLE;
  const pool = (amount * BigInt(t.inventorBps)) / WHOLE;
  const out: Credit[] = [];
  if (centreFee) out.push([centre, centreFee]);
  if (BigInt(t.broker) !== 0n && brokerFee) out.push([BigInt(t.broker), brokerFee]);
  const inventors = t.inventors.map((i) => BigInt(i));
  if (pool) {
    const each = pool / BigInt(inventors.length);
    for (const did of inventors.slice(1)) if (each) out.push([did, each]);
    out.push([inventors[0], pool - each * BigInt(inventors.length - 1)]);
  }
  const rest = amount - centreFee - brokerFee - pool;
  let paid = 0n;
  for (const h of t.holders.slice(1)) {
    const part = (rest * BigInt(h.bps)) / WHOLE;
    paid += part;
    if (part) out.push([BigInt(h.did), part]);
  }
  if (rest - paid) out.push([BigInt(t.holders[0].did), rest - paid]);
  return sorted(out);
}

describe("SettlementEscrow", function () {
  let m: TradeModule;
  let escrowAddress: string;
  let currency: string;
  /** Funded accounts with no role and no DID. */
  let spare: HardhatEthersSigner[];

  beforeEach(async function () {
    m = await tradeFixture();
    escrowAddress = await m.escrow.getAddress();
    currency = await m.currency.getAddress();
    spare = (await ethers.getSigners()).slice(16);
  });

  const by = (party: Party | HardhatEthersSigner) => m.escrow.connect("account" in party ? party.account : party);

  /** The escrow's token balance equals what it holds plus what it owes. */
  async function expectSolvent(token: string = currency): Promise<void> {
    const [held, owed] = await m.escrow.liabilities(token);
    expect(await IERC20__factory.connect(token, ethers.provider).balanceOf(escrowAddress)).to.equal(held + owed);
  }

  async function expectLiabilities(held: bigint, owed: bigint, token: string = currency): Promise<void> {
    const [h, o] = await m.escrow.liabilities(token);
    expect([h, o]).to.deep.equal([held, owed]);
    await expectSolvent(token);
  }

  async function statusOf(id: bigint, milestone: number): Promise<MilestoneStatus> {
    const [, status] = await m.escrow.milestoneOf(id, milestone);
    return Number(status) as MilestoneStatus;
  }

  async function creditedIn(tx: ContractTransactionResponse): Promise<Credit[]> {
    const receipt = await tx.wait();
    const credits: Credit[] = [];
    for (const log of receipt!.logs) {
      if (log.address !== escrowAddress) continue;
      const event = m.escrow.interface.parseLog(log);
      if (event?.name !== "Credited") continue;
      expect(event.args.token).to.equal(await m.escrow.escrowOf(event.args.id).then((e) => e.token));
      credits.push([event.args.did, event.args.amount]);
    }
    return sorted(credits);
  }

  async function approveAndFund(id: bigint, milestone: number): Promise<ContractTransactionResponse> {
    const [terms] = await m.escrow.milestoneOf(id, milestone);
    await (await m.currency.connect(m.buyer.account).approve(escrowAddress, terms.amount)).wait();
    return by(m.buyer).fund(id, milestone, m.buyer.did);
  }

  async function openDefault(overrides: Partial<Terms> = {}): Promise<{ id: bigint; terms: Terms }> {
    const terms = await termsOf(m, overrides);
    return { id: await openEscrow(m, terms), terms };
  }

  async function openFunded(overrides: Partial<Terms> = {}): Promise<{ id: bigint; terms: Terms }> {
    const opened = await openDefault(overrides);
    await (await approveAndFund(opened.id, 0)).wait();
    return opened;
  }

  async function openDisputed(): Promise<{ id: bigint; terms: Terms }> {
    const opened = await openFunded();
    await (await by(m.buyer).dispute(opened.id, 0, m.buyer.did, hashOf("reason: late delivery"))).wait();
    return opened;
  }

  async function settlementDomain(overrides: Partial<TypedDataDomain> = {}): Promise<TypedDataDomain> {
    const d = await m.escrow.eip712Domain();
    return {
      name: d.name,
      version: d.version,
      chainId: d.chainId,
      verifyingContract: d.verifyingContract,
      ...overrides,
    };
  }

  async function signSettlement(party: Party, s: Settlement): Promise<string> {
    return party.account.signTypedData(await settlementDomain(), SETTLEMENT_TYPES, s);
  }

  async function settlementOf(id: bigint, toBuyer: bigint, overrides: Partial<Settlement> = {}): Promise<Settlement> {
    return { escrow: id, milestone: 0, toBuyer, deadline: BigInt(await time.latest()) + DAY, ...overrides };
  }

  function settleWith(
    s: Settlement,
    buyer: { signer: string; signature: string },
    seller: { signer: string; signature: string },
    sender: Party | HardhatEthersSigner = m.outsider,
  ) {
    return by(sender).settle(
      s.escrow,
      s.milestone,
      s.toBuyer,
      s.deadline,
      buyer.signer,
      buyer.signature,
      seller.signer,
      seller.signature,
    );
  }

  async function signed(party: Party, s: Settlement) {
    return { signer: party.address, signature: await signSettlement(party, s) };
  }

  describe("open", function () {
    context("when the centre opens a deal's escrow", function () {
      it("emits EscrowOpened with the centre's DID, the parties, the token and the total", async function () {
        const terms = await termsOf(m);
        await expect(by(m.centre).open(terms))
          .to.emit(m.escrow, "EscrowOpened")
          .withArgs(1n, terms.dealRef, m.centre.did, m.buyer.did, m.university.did, currency, FIRST + SECOND);
        expect(await m.escrow.escrowCount()).to.equal(1n);
      });

      it("stores the escrow, its milestones awaiting funding and its payees", async function () {
        const { id, terms } = await openDefault();
        const e = await m.escrow.escrowOf(id);
        expect(e.token).to.equal(currency);
        expect(e.buyer).to.equal(m.buyer.did);
        expect(e.seller).to.equal(m.university.did);
        expect(e.centre).to.equal(m.centre.did);
        expect(e.broker).to.equal(m.broker.did);
        expect([e.centreFeeBps, e.brokerBps, e.inventorBps]).to.deep.equal([300n, 200n, 1000n]);
        expect([e.milestoneCount, e.holderCount, e.inventorCount]).to.deep.equal([2n, 2n, 2n]);
        expect(e.dealRef).to.equal(terms.dealRef);
        for (const [i, expected] of terms.milestones.entries()) {
          const [stored, status] = await m.escrow.milestoneOf(id, i);
          expect([stored.amount, stored.due]).to.deep.equal([BigInt(expected.amount), BigInt(expected.due)]);
          expect(status).to.equal(MilestoneStatus.Awaiting);
        }
        const [holders, inventors] = await m.escrow.payeesOf(id);
        expect(holders.map((h) => [h.did, h.bps])).to.deep.equal([
          [m.university.did, 7000n],
          [m.team.did, 3000n],
        ]);
        expect(inventors).to.deep.equal([m.inventor.did, m.team.did]);
        await expectLiabilities(0n, 0n);
      });

      it("accepts a deal with no broker and no inventors (inventor share 0, below the floor)", async function () {
        const { id } = await openDefault({ broker: 0n, brokerBps: 0, inventors: [], inventorBps: 0 });
        const e = await m.escrow.escrowOf(id);
        expect([e.broker, e.brokerBps, e.inventorBps, e.inventorCount]).to.deep.equal([0n, 0n, 0n, 0n]);
      });

      it("numbers escrows one after another", async function () {
        await openDefault();
        const { id } = await openDefault({ dealRef: hashOf("another deal") });
        expect(id).to.equal(2n);
      });
    });

    context("when the caller is not a trading centre", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        const terms = await termsOf(m);
        for (const caller of [m.buyer.account, m.arbitrator.account, m.guardian]) {
          await expect(m.escrow.connect(caller).open(terms))
            .to.be.revertedWithCustomError(m.escrow, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
      });
    });

    context("when the trading centre has no DID", function () {
      it("reverts with EscrowInactiveParty(0)", async function () {
        const centre = await admitOrganisation(m, [spare[0]], [MEMBER_ROLES.TRADING_CENTRE], {
          name: "DID-less Exchange",
          withDid: false,
        });
        await expect(m.escrow.connect(centre.account).open(await termsOf(m)))
          .to.be.revertedWithCustomError(m.escrow, "EscrowInactiveParty")
          .withArgs(0n);
      });
    });

    context("when the trading centre's DID is suspended", function () {
      it("reverts with EscrowInactiveParty naming the centre", async function () {
        await (await m.identity.suspend(m.centre.did, hashOf("reason: audit"))).wait();
        await expect(by(m.centre).open(await termsOf(m)))
          .to.be.revertedWithCustomError(m.escrow, "EscrowInactiveParty")
          .withArgs(m.centre.did);
      });
    });

    const invalidTerms: [string, (m: TradeModule) => Partial<Terms>][] = [
      ["names no token", () => ({ token: ZeroAddress })],
      ["names no deal", () => ({ dealRef: ZeroHash })],
      ["makes the buyer its own seller", (m) => ({ seller: m.buyer.did })],
    ];
    for (const [what, overrides] of invalidTerms) {
      context(`when the terms ${what}`, function () {
        it("reverts with EscrowInvalidTerms", async function () {
          await expect(by(m.centre).open(await termsOf(m, overrides(m)))).to.be.revertedWithCustomError(
            m.escrow,
            "EscrowInvalidTerms",
          );
        });
      });
    }

    const inactive: [string, (m: TradeModule) => bigint, (did: bigint, t: Terms) => Partial<Terms>][] = [
      ["buyer", (m) => m.buyer.did, (did) => ({ buyer: did })],
      ["seller", (m) => m.university.did, (did) => ({ seller: did })],
      ["broker", (m) => m.broker.did, (did) => ({ broker: did })],
      ["holder", (m) => m.bank.did, (did, t) => ({ holders: [t.holders[0], { did, bps: t.holders[1].bps }] })],
      ["inventor", (m) => m.evaluator.did, (did) => ({ inventors: [did] })],
    ];
    for (const [who, didOf, place] of inactive) {
      context(`when the ${who} is suspended`, function () {
        it("reverts with EscrowInactiveParty naming it", async function () {
          const did = didOf(m);
          await (await m.identity.suspend(did, hashOf("reason: suspended"))).wait();
          const base = await termsOf(m);
          await expect(by(m.centre).open({ ...base, ...place(did, base) }))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInactiveParty")
            .withArgs(did);
        });
      });

      context(`when the ${who} is no DID at all`, function () {
        it("reverts with EscrowInactiveParty naming it", async function () {
          const base = await termsOf(m);
          await expect(by(m.centre).open({ ...base, ...place(999n, base) }))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInactiveParty")
            .withArgs(999n);
        });
      });
    }

    describe("the schedule", function () {
      async function scheduleOf(count: number) {
        const now = BigInt(await time.latest());
        return Array.from({ length: count }, (_, i) => ({ amount: 1_000n, due: now + DAY * BigInt(i + 1) }));
      }

      context("when it has no milestone", function () {
        it("reverts with EscrowInvalidSchedule(0, 12)", async function () {
          await expect(by(m.centre).open(await termsOf(m, { milestones: [] })))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSchedule")
            .withArgs(0n, MAX_MILESTONES);
        });
      });

      context("when it has 13 milestones", function () {
        it("reverts with EscrowInvalidSchedule(13, 12), and 12 are accepted", async function () {
          await expect(by(m.centre).open(await termsOf(m, { milestones: await scheduleOf(13) })))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSchedule")
            .withArgs(13n, MAX_MILESTONES);
          const id = await openEscrow(m, await termsOf(m, { milestones: await scheduleOf(12) }));
          expect((await m.escrow.escrowOf(id)).milestoneCount).to.equal(12n);
        });
      });

      context("when a milestone's amount is zero", function () {
        it("reverts with EscrowInvalidSchedule", async function () {
          const [first, second] = await scheduleOf(2);
          await expect(by(m.centre).open(await termsOf(m, { milestones: [first, { ...second, amount: 0n }] })))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSchedule")
            .withArgs(2n, MAX_MILESTONES);
        });
      });

      context("when a due time is earlier than the one before", function () {
        it("reverts with EscrowInvalidSchedule", async function () {
          const [first, second] = await scheduleOf(2);
          await expect(by(m.centre).open(await termsOf(m, { milestones: [first, { ...second, due: first.due - 1n }] })))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSchedule")
            .withArgs(2n, MAX_MILESTONES);
        });
      });

      context("when two milestones fall due at the same time", function () {
        it("opens the escrow with both (a deposit and the rest of an instalment)", async function () {
          const [first, second] = await scheduleOf(2);
          await by(m.centre).open(await termsOf(m, { milestones: [first, { ...second, due: first.due }] }));
          const id = await m.escrow.escrowCount();
          const [terms] = await m.escrow.milestoneOf(id, 1);
          expect(terms.due).to.equal(first.due);
          expect(terms.amount).to.equal(second.amount);
        });
      });

      context("when the first due time is not in the future", function () {
        it("reverts with EscrowInvalidSchedule, in the past or right now", async function () {
          const now = BigInt(await time.latest());
          await expect(by(m.centre).open(await termsOf(m, { milestones: [{ amount: 1n, due: now - 1n }] })))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSchedule")
            .withArgs(1n, MAX_MILESTONES);
          const terms = await termsOf(m, { milestones: [{ amount: 1n, due: now + 100n }] });
          await time.setNextBlockTimestamp(now + 100n);
          await expect(by(m.centre).open(terms))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSchedule")
            .withArgs(1n, MAX_MILESTONES);
        });
      });
    });

    describe("the payees", function () {
      context("when the holders' shares do not sum to 10,000", function () {
        it("reverts with EscrowInvalidShares and the sum", async function () {
          for (const [a, b] of [
            [7000, 2999],
            [7000, 3001],
          ]) {
            const holders = [
              { did: m.university.did, bps: a },
              { did: m.team.did, bps: b },
            ];
            await expect(by(m.centre).open(await termsOf(m, { holders })))
              .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidShares")
              .withArgs(BigInt(a + b));
          }
        });
      });

      context("when a holder's share is zero", function () {
        it("reverts with EscrowInvalidShares and the sum so far", async function () {
          const holders = [
            { did: m.university.did, bps: 10_000 },
            { did: m.team.did, bps: 0 },
          ];
          await expect(by(m.centre).open(await termsOf(m, { holders })))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidShares")
            .withArgs(10_000n);
        });
      });

      context("when a holder is named twice", function () {
        it("reverts with EscrowInvalidShares and the sum before the repeat", async function () {
          const holders = [
            { did: m.university.did, bps: 5000 },
            { did: m.university.did, bps: 5000 },
          ];
          await expect(by(m.centre).open(await termsOf(m, { holders })))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidShares")
            .withArgs(5000n);
        });
      });

      context("when there are no holders", function () {
        it("reverts with EscrowInvalidShares(0)", async function () {
          await expect(by(m.centre).open(await termsOf(m, { holders: [] })))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidShares")
            .withArgs(0n);
        });
      });

      context("when there are more than 16 holders or inventors", function () {
        it("reverts with EscrowInvalidShares(0)", async function () {
          const holders = Array.from({ length: 17 }, (_, i) => ({
            did: BigInt(i + 1),
            bps: i === 0 ? 10_000 - 16 : 1,
          }));
          await expect(by(m.centre).open(await termsOf(m, { holders })))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidShares")
            .withArgs(0n);
          const inventors = Array.from({ length: 17 }, (_, i) => BigInt(i + 1));
          await expect(by(m.centre).open(await termsOf(m, { inventors })))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidShares")
            .withArgs(0n);
        });
      });

      context("when an inventor is named twice", function () {
        it("reverts with EscrowInvalidShares(10,000)", async function () {
          await expect(by(m.centre).open(await termsOf(m, { inventors: [m.inventor.did, m.inventor.did] })))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidShares")
            .withArgs(10_000n);
        });
      });
    });

    describe("the split", function () {
      const splits: [string, Partial<Terms>, [number, number, number]][] = [
        ["the fees sum to 10,000", { centreFeeBps: 5000, brokerBps: 2000, inventorBps: 3000 }, [5000, 2000, 3000]],
        ["the fees sum to more than 10,000", { centreFeeBps: 9000, brokerBps: 0, inventorBps: 1500 }, [9000, 0, 1500]],
        ["a commission names no broker", { broker: 0n, brokerBps: 200 }, [300, 200, 1000]],
        ["the inventors' share is below the floor", { inventorBps: INVENTOR_FLOOR_BPS - 1 }, [300, 200, 999]],
        ["an inventors' share names no inventors", { inventors: [] }, [300, 200, 1000]],
      ];
      for (const [what, overrides, [centre, broker, inventor]] of splits) {
        context(`when ${what}`, function () {
          it("reverts with EscrowInvalidSplit and the floor", async function () {
            await expect(by(m.centre).open(await termsOf(m, overrides)))
              .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSplit")
              .withArgs(centre, broker, inventor, INVENTOR_FLOOR_BPS);
          });
        });
      }
    });

    context("when the escrow is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await (await m.escrow.connect(m.guardian).pause()).wait();
        await expect(by(m.centre).open(await termsOf(m))).to.be.revertedWithCustomError(m.escrow, "EnforcedPause");
      });
    });
  });

  describe("escrowOf, milestoneOf, payeesOf", function () {
    context("when the escrow does not exist", function () {
      it("reverts with EscrowUnknown", async function () {
        await expect(m.escrow.escrowOf(1n)).to.be.revertedWithCustomError(m.escrow, "EscrowUnknown").withArgs(1n);
        await expect(m.escrow.milestoneOf(7n, 0)).to.be.revertedWithCustomError(m.escrow, "EscrowUnknown").withArgs(7n);
        await expect(m.escrow.payeesOf(7n)).to.be.revertedWithCustomError(m.escrow, "EscrowUnknown").withArgs(7n);
      });
    });

    context("when the milestone does not exist", function () {
      it("reverts with EscrowUnknownMilestone", async function () {
        const { id } = await openDefault();
        await expect(m.escrow.milestoneOf(id, 2))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnknownMilestone")
          .withArgs(id, 2);
      });
    });
  });

  describe("fund", function () {
    let id: bigint;

    beforeEach(async function () {
      ({ id } = await openDefault());
    });

    context("when the buyer funds a milestone", function () {
      it("moves exactly its amount into the escrow and emits MilestoneFunded", async function () {
        const before = await m.currency.balanceOf(m.buyer.address);
        await expect(approveAndFund(id, 0))
          .to.emit(m.escrow, "MilestoneFunded")
          .withArgs(id, 0, m.buyer.did, FIRST)
          .and.to.emit(m.currency, "Transfer")
          .withArgs(m.buyer.address, escrowAddress, FIRST);
        expect(await m.currency.balanceOf(m.buyer.address)).to.equal(before - FIRST);
        expect(await m.currency.balanceOf(escrowAddress)).to.equal(FIRST);
        expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Funded);
        expect(await statusOf(id, 1)).to.equal(MilestoneStatus.Awaiting);
        await expectLiabilities(FIRST, 0n);
      });

      it("holds both milestones once both are funded", async function () {
        await (await approveAndFund(id, 1)).wait();
        await (await approveAndFund(id, 0)).wait();
        await expectLiabilities(FIRST + SECOND, 0n);
      });
    });

    context("when a representative with a PAYMENT mandate funds for the buyer", function () {
      it("pays from the representative's tokens and names the representative as actor", async function () {
        const rep = spare[1];
        const repDid = await registerDid(m, DidKind.Person, [{ account: rep.address }], hashOf("did:treasurer"));
        const until = BigInt(await time.latest()) + 30n * DAY;
        await (
          await m.identity.connect(m.buyer.account).grantMandate(m.buyer.did, repDid, Scope.PAYMENT, until)
        ).wait();
        await (await m.currency.mint(rep.address, FIRST)).wait();
        await (await m.currency.connect(rep).approve(escrowAddress, FIRST)).wait();
        await expect(m.escrow.connect(rep).fund(id, 0, m.buyer.did))
          .to.emit(m.escrow, "MilestoneFunded")
          .withArgs(id, 0, repDid, FIRST);
        expect(await m.currency.balanceOf(rep.address)).to.equal(0n);
        await expectLiabilities(FIRST, 0n);
      });

      it("reverts with IdentityMandateOutOfScope when the mandate lacks PAYMENT", async function () {
        const rep = spare[1];
        const repDid = await registerDid(m, DidKind.Person, [{ account: rep.address }], hashOf("did:negotiator"));
        const until = BigInt(await time.latest()) + 30n * DAY;
        await (await m.identity.connect(m.buyer.account).grantMandate(m.buyer.did, repDid, Scope.TRADE, until)).wait();
        await expect(m.escrow.connect(rep).fund(id, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.identity, "IdentityMandateOutOfScope")
          .withArgs(m.buyer.did, repDid, Scope.TRADE, PAYMENT);
      });
    });

    context("when another party funds for itself", function () {
      it("reverts with EscrowNotParty", async function () {
        await (await m.currency.mint(m.university.address, FIRST)).wait();
        await (await m.currency.connect(m.university.account).approve(escrowAddress, FIRST)).wait();
        await expect(by(m.university).fund(id, 0, m.university.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowNotParty")
          .withArgs(id, m.university.did);
      });
    });

    context("when the caller does not act for the buyer", function () {
      it("reverts with IdentityNotActingFor", async function () {
        await expect(by(m.outsider).fund(id, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.outsider.address, m.buyer.did, PAYMENT);
      });
    });

    context("when the milestone is already funded", function () {
      it("reverts with EscrowUnexpectedStatus(Funded), then (Released) once confirmed", async function () {
        await (await approveAndFund(id, 0)).wait();
        await expect(approveAndFund(id, 0))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
          .withArgs(id, 0, MilestoneStatus.Funded);
        await (await by(m.buyer).confirm(id, 0, m.buyer.did)).wait();
        await expect(approveAndFund(id, 0))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
          .withArgs(id, 0, MilestoneStatus.Released);
        await expectSolvent();
      });
    });

    context("when the escrow or the milestone does not exist", function () {
      it("reverts with EscrowUnknown or EscrowUnknownMilestone", async function () {
        await expect(by(m.buyer).fund(99n, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnknown")
          .withArgs(99n);
        await expect(by(m.buyer).fund(id, 2, m.buyer.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnknownMilestone")
          .withArgs(id, 2);
      });
    });

    context("when the buyer has not approved enough", function () {
      it("reverts with the token's ERC20InsufficientAllowance and moves nothing", async function () {
        await (await m.currency.connect(m.buyer.account).approve(escrowAddress, FIRST - 1n)).wait();
        await expect(by(m.buyer).fund(id, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.currency, "ERC20InsufficientAllowance")
          .withArgs(escrowAddress, FIRST - 1n, FIRST);
        expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Awaiting);
        await expectLiabilities(0n, 0n);
      });
    });

    context("when the buyer's balance is short", function () {
      it("reverts with the token's ERC20InsufficientBalance", async function () {
        const balance = await m.currency.balanceOf(m.buyer.address);
        await (await m.currency.connect(m.buyer.account).transfer(m.outsider.address, balance - 1n)).wait();
        await (await m.currency.connect(m.buyer.account).approve(escrowAddress, FIRST)).wait();
        await expect(by(m.buyer).fund(id, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.currency, "ERC20InsufficientBalance")
          .withArgs(m.buyer.address, 1n, FIRST);
      });
    });

    context("when the token takes a fee on transfer", function () {
      let fee: FeeOnTransferToken;

      beforeEach(async function () {
        fee = await new FeeOnTransferToken__factory(m.deployer).deploy();
        await (await fee.mint(m.buyer.address, FIRST)).wait();
      });

      it("reverts with EscrowShortPayment(expected, received) and holds nothing", async function () {
        const feeAddress = await fee.getAddress();
        const feeId = await openEscrow(m, await termsOf(m, { token: feeAddress }));
        await (await fee.connect(m.buyer.account).approve(escrowAddress, FIRST)).wait();
        await expect(by(m.buyer).fund(feeId, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowShortPayment")
          .withArgs(FIRST, (FIRST * 99n) / 100n);
        expect(await fee.balanceOf(m.buyer.address)).to.equal(FIRST);
        expect(await statusOf(feeId, 0)).to.equal(MilestoneStatus.Awaiting);
        await expectLiabilities(0n, 0n, feeAddress);
      });
    });

    context("when the escrow is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await (await m.escrow.connect(m.guardian).pause()).wait();
        await expect(approveAndFund(id, 0)).to.be.revertedWithCustomError(m.escrow, "EnforcedPause");
      });
    });
  });

  describe("fundWithPermit", function () {
    let id: bigint;

    beforeEach(async function () {
      ({ id } = await openDefault());
    });

    async function permitOf(owner: Party, value: bigint, deadline?: bigint, signer = owner.account) {
      const d = await m.currency.eip712Domain();
      const domain = { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
      const message = {
        owner: owner.address,
        spender: escrowAddress,
        value,
        nonce: await m.currency.nonces(owner.address),
        deadline: deadline ?? BigInt(await time.latest()) + DAY,
      };
      const sig = Signature.from(await signer.signTypedData(domain, PERMIT_TYPES, message));
      return { deadline: message.deadline, v: sig.v, r: sig.r, s: sig.s };
    }

    context("when the buyer signs a permit for the milestone's amount", function () {
      it("funds without a prior approval, leaving no allowance", async function () {
        const p = await permitOf(m.buyer, FIRST);
        expect(await m.currency.allowance(m.buyer.address, escrowAddress)).to.equal(0n);
        await expect(by(m.buyer).fundWithPermit(id, 0, m.buyer.did, p.deadline, p.v, p.r, p.s))
          .to.emit(m.escrow, "MilestoneFunded")
          .withArgs(id, 0, m.buyer.did, FIRST)
          .and.to.emit(m.currency, "Transfer")
          .withArgs(m.buyer.address, escrowAddress, FIRST);
        expect(await m.currency.allowance(m.buyer.address, escrowAddress)).to.equal(0n);
        expect(await m.currency.nonces(m.buyer.address)).to.equal(1n);
        await expectLiabilities(FIRST, 0n);
      });
    });

    context("when a front-runner submitted the permit first", function () {
      it("still funds from the allowance the permit left", async function () {
        const p = await permitOf(m.buyer, FIRST);
        await (
          await m.currency
            .connect(m.outsider.account)
            .permit(m.buyer.address, escrowAddress, FIRST, p.deadline, p.v, p.r, p.s)
        ).wait();
        await expect(by(m.buyer).fundWithPermit(id, 0, m.buyer.did, p.deadline, p.v, p.r, p.s))
          .to.emit(m.escrow, "MilestoneFunded")
          .withArgs(id, 0, m.buyer.did, FIRST);
        await expectLiabilities(FIRST, 0n);
      });
    });

    context("when the permit is invalid and nothing is approved", function () {
      it("reverts with the token's ERC20InsufficientAllowance", async function () {
        const forged = await permitOf(m.buyer, FIRST, undefined, m.outsider.account);
        await expect(by(m.buyer).fundWithPermit(id, 0, m.buyer.did, forged.deadline, forged.v, forged.r, forged.s))
          .to.be.revertedWithCustomError(m.currency, "ERC20InsufficientAllowance")
          .withArgs(escrowAddress, 0n, FIRST);
        const expired = await permitOf(m.buyer, FIRST, BigInt(await time.latest()) - 1n);
        await expect(
          by(m.buyer).fundWithPermit(id, 0, m.buyer.did, expired.deadline, expired.v, expired.r, expired.s),
        ).to.be.revertedWithCustomError(m.currency, "ERC20InsufficientAllowance");
      });
    });

    context("when the caller does not act for the buyer", function () {
      it("reverts with IdentityNotActingFor", async function () {
        const p = await permitOf(m.outsider, FIRST);
        await expect(by(m.outsider).fundWithPermit(id, 0, m.buyer.did, p.deadline, p.v, p.r, p.s))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.outsider.address, m.buyer.did, PAYMENT);
      });
    });

    context("when the milestone is already funded", function () {
      it("reverts with EscrowUnexpectedStatus(Funded)", async function () {
        await (await approveAndFund(id, 0)).wait();
        const p = await permitOf(m.buyer, FIRST);
        await expect(by(m.buyer).fundWithPermit(id, 0, m.buyer.did, p.deadline, p.v, p.r, p.s))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
          .withArgs(id, 0, MilestoneStatus.Funded);
      });
    });

    context("when the escrow or the milestone does not exist", function () {
      it("reverts with EscrowUnknown or EscrowUnknownMilestone", async function () {
        const p = await permitOf(m.buyer, FIRST);
        await expect(by(m.buyer).fundWithPermit(99n, 0, m.buyer.did, p.deadline, p.v, p.r, p.s))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnknown")
          .withArgs(99n);
        await expect(by(m.buyer).fundWithPermit(id, 5, m.buyer.did, p.deadline, p.v, p.r, p.s))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnknownMilestone")
          .withArgs(id, 5);
      });
    });

    context("when the escrow is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await (await m.escrow.connect(m.guardian).pause()).wait();
        const p = await permitOf(m.buyer, FIRST);
        await expect(
          by(m.buyer).fundWithPermit(id, 0, m.buyer.did, p.deadline, p.v, p.r, p.s),
        ).to.be.revertedWithCustomError(m.escrow, "EnforcedPause");
      });
    });
  });

  describe("confirm", function () {
    context(
      "when the centre confirms an amount that does not divide evenly among 3 inventors and 3 holders",
      function () {
        it("credits each payee exactly, the dust going to the first inventor and the first holder", async function () {
          const terms = await termsOf(m, {
            holders: [
              { did: m.university.did, bps: 5000 },
              { did: m.bank.did, bps: 3333 },
              { did: m.evaluator.did, bps: 1667 },
            ],
            inventors: [m.inventor.did, m.team.did, m.outsider.did],
          });
          terms.milestones = [{ ...terms.milestones[0], amount: 10_000_001n }, terms.milestones[1]];
          const id = await openEscrow(m, terms);
          await (await approveAndFund(id, 0)).wait();
          const tx = await by(m.centre).confirm(id, 0, m.centre.did);
          await expect(tx).to.emit(m.escrow, "MilestoneReleased").withArgs(id, 0, m.centre.did, 10_000_001n);
          const expected: Credit[] = [
            [m.centre.did, 300_000n],
            [m.broker.did, 200_000n],
            [m.inventor.did, 333_334n],
            [m.team.did, 333_333n],
            [m.outsider.did, 333_333n],
            [m.university.did, 4_250_001n],
            [m.bank.did, 2_833_050n],
            [m.evaluator.did, 1_416_950n],
          ];
          expect(await creditedIn(tx)).to.deep.equal(sorted(expected));
          for (const [did, amount] of expected) {
            await expect(tx).to.emit(m.escrow, "Credited").withArgs(id, did, currency, amount);
            expect(await m.escrow.balanceOf(currency, did)).to.equal(amount);
          }
          expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Released);
          await expectLiabilities(0n, 10_000_001n);
        });
      },
    );

    context("when the buyer confirms", function () {
      it("emits MilestoneReleased and credits the split, adding up for a DID that is inventor and holder", async function () {
        const { id, terms } = await openFunded();
        const tx = await by(m.buyer).confirm(id, 0, m.buyer.did);
        await expect(tx).to.emit(m.escrow, "MilestoneReleased").withArgs(id, 0, m.buyer.did, FIRST);
        expect(await creditedIn(tx)).to.deep.equal(splitOf(terms, m.centre.did, FIRST));
        expect(await m.escrow.balanceOf(currency, m.team.did)).to.equal(1_500_000n + 7_650_000n);
        expect(await m.escrow.balanceOf(currency, m.university.did)).to.equal(17_850_000n);
        expect(await m.escrow.balanceOf(currency, m.inventor.did)).to.equal(1_500_000n);
        expect(await m.escrow.balanceOf(currency, m.buyer.did)).to.equal(0n);
        await expectLiabilities(0n, FIRST);
      });

      it("credits nobody twice: a second confirmation reverts with EscrowUnexpectedStatus(Released)", async function () {
        const { id } = await openFunded();
        await (await by(m.buyer).confirm(id, 0, m.buyer.did)).wait();
        await expect(by(m.centre).confirm(id, 0, m.centre.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
          .withArgs(id, 0, MilestoneStatus.Released);
        await expectLiabilities(0n, FIRST);
      });
    });

    context("when the deal has no broker and no inventors", function () {
      it("credits only the centre and the holders", async function () {
        const { id, terms } = await openFunded({ broker: 0n, brokerBps: 0, inventors: [], inventorBps: 0 });
        const tx = await by(m.buyer).confirm(id, 0, m.buyer.did);
        expect(await creditedIn(tx)).to.deep.equal(
          sorted([
            [m.centre.did, 900_000n],
            [m.team.did, 8_730_000n],
            [m.university.did, 20_370_000n],
          ]),
        );
        expect(await creditedIn(tx)).to.deep.equal(splitOf(terms, m.centre.did, FIRST));
        await expectLiabilities(0n, FIRST);
      });
    });

    context("when anyone but the buyer or the centre confirms", function () {
      it("reverts with EscrowNotParty", async function () {
        const { id } = await openFunded();
        for (const party of [m.university, m.broker, m.team, m.outsider]) {
          await expect(by(party).confirm(id, 0, party.did))
            .to.be.revertedWithCustomError(m.escrow, "EscrowNotParty")
            .withArgs(id, party.did);
        }
      });
    });

    context("when another trading centre confirms", function () {
      it("reverts with EscrowNotParty", async function () {
        const { id } = await openFunded();
        const other = await admitOrganisation(m, [spare[0]], [MEMBER_ROLES.TRADING_CENTRE], { name: "Other Exchange" });
        await expect(m.escrow.connect(other.account).confirm(id, 0, other.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowNotParty")
          .withArgs(id, other.did);
      });
    });

    context("when the caller does not act for the DID it names", function () {
      it("reverts with IdentityNotActingFor", async function () {
        const { id } = await openFunded();
        await expect(by(m.outsider).confirm(id, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.outsider.address, m.buyer.did, PAYMENT);
      });
    });

    context("when the milestone is not funded", function () {
      it("reverts with EscrowUnexpectedStatus(Awaiting)", async function () {
        const { id } = await openDefault();
        await expect(by(m.buyer).confirm(id, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
          .withArgs(id, 0, MilestoneStatus.Awaiting);
      });
    });

    context("when the escrow or the milestone does not exist", function () {
      it("reverts with EscrowUnknown or EscrowUnknownMilestone", async function () {
        const { id } = await openFunded();
        await expect(by(m.buyer).confirm(5n, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnknown")
          .withArgs(5n);
        await expect(by(m.buyer).confirm(id, 2, m.buyer.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnknownMilestone")
          .withArgs(id, 2);
      });
    });

    context("when the escrow is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const { id } = await openFunded();
        await (await m.escrow.connect(m.guardian).pause()).wait();
        await expect(by(m.buyer).confirm(id, 0, m.buyer.did)).to.be.revertedWithCustomError(m.escrow, "EnforcedPause");
      });
    });
  });

  describe("reclaim", function () {
    let id: bigint;
    let due: bigint;

    beforeEach(async function () {
      ({ id } = await openFunded());
      [{ due }] = await m.escrow.milestoneOf(id, 0);
    });

    context("when the due time has passed unconfirmed", function () {
      it("credits the buyer with the milestone and emits MilestoneReclaimed", async function () {
        await time.increaseTo(due + 1n);
        const tx = await by(m.buyer).reclaim(id, 0, m.buyer.did);
        await expect(tx).to.emit(m.escrow, "MilestoneReclaimed").withArgs(id, 0, m.buyer.did, FIRST);
        expect(await creditedIn(tx)).to.deep.equal([[m.buyer.did, FIRST]]);
        expect(await m.escrow.balanceOf(currency, m.buyer.did)).to.equal(FIRST);
        expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Refunded);
        await expectLiabilities(0n, FIRST);
      });

      it("refuses a second reclaim and a late confirmation with EscrowUnexpectedStatus(Refunded)", async function () {
        await time.increaseTo(due + 1n);
        await (await by(m.buyer).reclaim(id, 0, m.buyer.did)).wait();
        await expect(by(m.buyer).reclaim(id, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
          .withArgs(id, 0, MilestoneStatus.Refunded);
        await expect(by(m.centre).confirm(id, 0, m.centre.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
          .withArgs(id, 0, MilestoneStatus.Refunded);
        await expectLiabilities(0n, FIRST);
      });
    });

    context("when the due time has not passed", function () {
      it("reverts with EscrowNotDue, also at the due second itself", async function () {
        await expect(by(m.buyer).reclaim(id, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowNotDue")
          .withArgs(id, 0, due);
        await time.setNextBlockTimestamp(due);
        await expect(by(m.buyer).reclaim(id, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowNotDue")
          .withArgs(id, 0, due);
      });
    });

    context("when anyone but the buyer reclaims", function () {
      it("reverts with EscrowNotParty", async function () {
        await time.increaseTo(due + 1n);
        for (const party of [m.centre, m.university]) {
          await expect(by(party).reclaim(id, 0, party.did))
            .to.be.revertedWithCustomError(m.escrow, "EscrowNotParty")
            .withArgs(id, party.did);
        }
        await expect(by(m.outsider).reclaim(id, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.outsider.address, m.buyer.did, PAYMENT);
      });
    });

    context("when the milestone is not funded", function () {
      it("reverts with EscrowUnexpectedStatus(Awaiting)", async function () {
        await time.increaseTo(due + 90n * DAY);
        await expect(by(m.buyer).reclaim(id, 1, m.buyer.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
          .withArgs(id, 1, MilestoneStatus.Awaiting);
      });
    });

    context("when the escrow is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await time.increaseTo(due + 1n);
        await (await m.escrow.connect(m.guardian).pause()).wait();
        await expect(by(m.buyer).reclaim(id, 0, m.buyer.did)).to.be.revertedWithCustomError(m.escrow, "EnforcedPause");
      });
    });
  });

  describe("dispute", function () {
    let id: bigint;

    beforeEach(async function () {
      ({ id } = await openFunded());
    });

    for (const side of ["buyer", "seller"] as const) {
      context(`when the ${side} disputes a funded milestone`, function () {
        it("emits MilestoneDisputed and freezes it, still held", async function () {
          const party = side === "buyer" ? m.buyer : m.university;
          const reason = hashOf(`reason: ${side}`);
          await expect(by(party).dispute(id, 0, party.did, reason))
            .to.emit(m.escrow, "MilestoneDisputed")
            .withArgs(id, 0, party.did, reason);
          expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Disputed);
          await expectLiabilities(FIRST, 0n);
        });
      });
    }

    context("when the milestone is disputed", function () {
      beforeEach(async function () {
        await (await by(m.university).dispute(id, 0, m.university.did, hashOf("reason: unpaid"))).wait();
      });

      it("blocks confirm with EscrowUnexpectedStatus(Disputed)", async function () {
        for (const party of [m.buyer, m.centre]) {
          await expect(by(party).confirm(id, 0, party.did))
            .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
            .withArgs(id, 0, MilestoneStatus.Disputed);
        }
      });

      it("blocks reclaim after the due time with EscrowUnexpectedStatus(Disputed)", async function () {
        const [{ due }] = await m.escrow.milestoneOf(id, 0);
        await time.increaseTo(due + 1n);
        await expect(by(m.buyer).reclaim(id, 0, m.buyer.did))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
          .withArgs(id, 0, MilestoneStatus.Disputed);
      });

      it("cannot be disputed again", async function () {
        await expect(by(m.buyer).dispute(id, 0, m.buyer.did, ZeroHash))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
          .withArgs(id, 0, MilestoneStatus.Disputed);
      });
    });

    context("when anyone but the buyer or the seller disputes", function () {
      it("reverts with EscrowNotParty", async function () {
        for (const party of [m.centre, m.broker, m.team, m.outsider]) {
          await expect(by(party).dispute(id, 0, party.did, ZeroHash))
            .to.be.revertedWithCustomError(m.escrow, "EscrowNotParty")
            .withArgs(id, party.did);
        }
      });
    });

    context("when the caller does not act for the DID it names", function () {
      it("reverts with IdentityNotActingFor", async function () {
        await expect(by(m.outsider).dispute(id, 0, m.university.did, ZeroHash))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.outsider.address, m.university.did, PAYMENT);
      });
    });

    context("when the milestone is not funded", function () {
      it("reverts with EscrowUnexpectedStatus(Awaiting)", async function () {
        await expect(by(m.buyer).dispute(id, 1, m.buyer.did, ZeroHash))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
          .withArgs(id, 1, MilestoneStatus.Awaiting);
      });
    });

    context("when the escrow is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await (await m.escrow.connect(m.guardian).pause()).wait();
        await expect(by(m.buyer).dispute(id, 0, m.buyer.did, ZeroHash)).to.be.revertedWithCustomError(
          m.escrow,
          "EnforcedPause",
        );
      });
    });
  });

  describe("rule", function () {
    const caseRef = hashOf("case: 2026-仲-017");
    let id: bigint;
    let terms: Terms;

    beforeEach(async function () {
      ({ id, terms } = await openDisputed());
    });

    const rule = (toBuyer: bigint, ref = caseRef, caller: Party | HardhatEthersSigner = m.arbitrator as Party) =>
      by(caller).rule(id, 0, toBuyer, ref);

    context("when the arbitrator splits the milestone", function () {
      it("credits toBuyer to the buyer and splits the rest exactly, and emits MilestoneResolved", async function () {
        const toBuyer = 12_345_679n;
        const tx = await rule(toBuyer);
        await expect(tx)
          .to.emit(m.escrow, "MilestoneResolved")
          .withArgs(id, 0, m.arbitrator.did, toBuyer, 17_654_321n, caseRef);
        const expected = sorted([
          [m.buyer.did, toBuyer],
          [m.centre.did, 529_629n],
          [m.broker.did, 353_086n],
          [m.inventor.did, 882_716n],
          [m.team.did, 882_716n],
          [m.team.did, 4_501_852n],
          [m.university.did, 10_504_322n],
        ]);
        expect(await creditedIn(tx)).to.deep.equal(expected);
        expect(await creditedIn(tx)).to.deep.equal(
          sorted([[m.buyer.did, toBuyer], ...splitOf(terms, m.centre.did, FIRST - toBuyer)]),
        );
        expect(await m.escrow.balanceOf(currency, m.buyer.did)).to.equal(toBuyer);
        expect(await m.escrow.balanceOf(currency, m.team.did)).to.equal(882_716n + 4_501_852n);
        expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Resolved);
        await expectLiabilities(0n, FIRST);
      });

      it("returns everything to the buyer when toBuyer is the whole amount", async function () {
        const tx = await rule(FIRST);
        await expect(tx).to.emit(m.escrow, "MilestoneResolved").withArgs(id, 0, m.arbitrator.did, FIRST, 0n, caseRef);
        expect(await creditedIn(tx)).to.deep.equal([[m.buyer.did, FIRST]]);
        await expectLiabilities(0n, FIRST);
      });

      it("releases everything as a confirmation would when toBuyer is 0", async function () {
        const tx = await rule(0n);
        await expect(tx).to.emit(m.escrow, "MilestoneResolved").withArgs(id, 0, m.arbitrator.did, 0n, FIRST, caseRef);
        expect(await creditedIn(tx)).to.deep.equal(splitOf(terms, m.centre.did, FIRST));
        expect(await m.escrow.balanceOf(currency, m.buyer.did)).to.equal(0n);
        await expectLiabilities(0n, FIRST);
      });

      it("cannot rule twice: EscrowUnexpectedStatus(Resolved)", async function () {
        await (await rule(1n)).wait();
        await expect(rule(1n))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
          .withArgs(id, 0, MilestoneStatus.Resolved);
        await expectLiabilities(0n, FIRST);
      });
    });

    context("when the order names no case", function () {
      it("reverts with EscrowNoCase", async function () {
        await expect(rule(1n, ZeroHash)).to.be.revertedWithCustomError(m.escrow, "EscrowNoCase");
      });
    });

    context("when toBuyer exceeds the milestone", function () {
      it("reverts with EscrowInvalidResolution(toBuyer, amount)", async function () {
        await expect(rule(FIRST + 1n))
          .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidResolution")
          .withArgs(FIRST + 1n, FIRST);
      });
    });

    context("when the milestone is not disputed", function () {
      it("reverts with EscrowUnexpectedStatus", async function () {
        await (await approveAndFund(id, 1)).wait();
        await expect(by(m.arbitrator as Party).rule(id, 1, 0n, caseRef))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
          .withArgs(id, 1, MilestoneStatus.Funded);
      });
    });

    context("when the caller is not an arbitrator", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        for (const caller of [m.centre, m.buyer, m.university]) {
          await expect(rule(0n, caseRef, caller))
            .to.be.revertedWithCustomError(m.escrow, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
      });
    });

    context("when the arbitrator's DID is suspended", function () {
      it("reverts with EscrowInactiveParty naming it", async function () {
        await (await m.identity.suspend(m.arbitrator.did, hashOf("reason: recusal"))).wait();
        await expect(rule(0n))
          .to.be.revertedWithCustomError(m.escrow, "EscrowInactiveParty")
          .withArgs(m.arbitrator.did);
      });
    });

    context("when the escrow is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await (await m.escrow.connect(m.guardian).pause()).wait();
        await expect(rule(0n)).to.be.revertedWithCustomError(m.escrow, "EnforcedPause");
      });
    });
  });

  describe("settle", function () {
    let id: bigint;
    let terms: Terms;

    beforeEach(async function () {
      ({ id, terms } = await openDisputed());
    });

    context("when both sides signed the settlement", function () {
      it("splits the milestone as agreed and emits MilestoneResolved naming the sender and no case", async function () {
        const s = await settlementOf(id, 10_000_000n);
        const tx = await settleWith(s, await signed(m.buyer, s), await signed(m.university, s));
        await expect(tx)
          .to.emit(m.escrow, "MilestoneResolved")
          .withArgs(id, 0, m.outsider.did, 10_000_000n, 20_000_000n, ZeroHash);
        expect(await creditedIn(tx)).to.deep.equal(
          sorted([[m.buyer.did, 10_000_000n], ...splitOf(terms, m.centre.did, 20_000_000n)]),
        );
        expect(await statusOf(id, 0)).to.equal(MilestoneStatus.Resolved);
        await expectLiabilities(0n, FIRST);
      });

      it("names actor 0 when the sender has no DID, and accepts a deadline of now", async function () {
        const now = BigInt(await time.latest());
        const s = await settlementOf(id, 0n, { deadline: now + 10n });
        const buyer = await signed(m.buyer, s);
        const seller = await signed(m.university, s);
        await time.setNextBlockTimestamp(now + 10n);
        await expect(settleWith(s, buyer, seller, spare[0]))
          .to.emit(m.escrow, "MilestoneResolved")
          .withArgs(id, 0, 0n, 0n, FIRST, ZeroHash);
        await expectLiabilities(0n, FIRST);
      });

      it("matches settlementHash with the EIP-712 digest both sides sign", async function () {
        const s = await settlementOf(id, 5n);
        const digest = ethers.TypedDataEncoder.hash(await settlementDomain(), SETTLEMENT_TYPES, s);
        expect(await m.escrow.settlementHash(s.escrow, s.milestone, s.toBuyer, s.deadline)).to.equal(digest);
      });
    });

    context("when a contract wallet (ERC-1271) signs for the seller", function () {
      it("accepts its owner's signature", async function () {
        const owner = spare[0];
        const wallet = await new ConsentWallet__factory(owner).deploy(owner.address);
        const walletAddress = await wallet.getAddress();
        const did = await registerDid(m, DidKind.Organisation, [{ account: walletAddress }], hashOf("did:wallet-uni"));
        const { id: walletId } = await openFunded({ seller: did });
        await (await by(m.buyer).dispute(walletId, 0, m.buyer.did, ZeroHash)).wait();
        const s = await settlementOf(walletId, 1n);
        const seller = {
          signer: walletAddress,
          signature: await owner.signTypedData(await settlementDomain(), SETTLEMENT_TYPES, s),
        };
        await expect(settleWith(s, await signed(m.buyer, s), seller))
          .to.emit(m.escrow, "MilestoneResolved")
          .withArgs(walletId, 0, m.outsider.did, 1n, FIRST - 1n, ZeroHash);
        await expectSolvent();
      });
    });

    context("when a signature is made by someone who does not act for the side", function () {
      it("reverts with EscrowInvalidSignature naming the DID and the signer", async function () {
        const s = await settlementOf(id, 1n);
        const seller = await signed(m.university, s);
        await expect(settleWith(s, await signed(m.outsider, s), seller))
          .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSignature")
          .withArgs(m.buyer.did, m.outsider.address);
        const buyer = await signed(m.buyer, s);
        await expect(settleWith(s, buyer, await signed(m.team, s)))
          .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSignature")
          .withArgs(m.university.did, m.team.address);
        await expect(settleWith(s, buyer, buyer))
          .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSignature")
          .withArgs(m.university.did, m.buyer.address);
      });
    });

    context("when a signature is by another key than the signer it names", function () {
      it("reverts with EscrowInvalidSignature", async function () {
        const s = await settlementOf(id, 1n);
        const forged = { signer: m.buyer.address, signature: await signSettlement(m.outsider, s) };
        await expect(settleWith(s, forged, await signed(m.university, s)))
          .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSignature")
          .withArgs(m.buyer.did, m.buyer.address);
      });
    });

    context("when the amount was tampered with after signing", function () {
      it("reverts with EscrowInvalidSignature", async function () {
        const s = await settlementOf(id, 1n);
        const buyer = await signed(m.buyer, s);
        const seller = await signed(m.university, s);
        await expect(settleWith({ ...s, toBuyer: FIRST }, buyer, seller))
          .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSignature")
          .withArgs(m.buyer.did, m.buyer.address);
        await expect(settleWith({ ...s, deadline: s.deadline + 1n }, buyer, seller))
          .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSignature")
          .withArgs(m.buyer.did, m.buyer.address);
      });
    });

    context("when the deadline has passed", function () {
      it("reverts with EscrowSettlementExpired", async function () {
        const s = await settlementOf(id, 1n);
        const buyer = await signed(m.buyer, s);
        const seller = await signed(m.university, s);
        await time.increaseTo(s.deadline + 1n);
        await expect(settleWith(s, buyer, seller))
          .to.be.revertedWithCustomError(m.escrow, "EscrowSettlementExpired")
          .withArgs(s.deadline);
      });
    });

    context("when the settlement is replayed after use", function () {
      it("reverts with EscrowUnexpectedStatus(Resolved) and credits nothing more", async function () {
        const s = await settlementOf(id, 1n);
        const buyer = await signed(m.buyer, s);
        const seller = await signed(m.university, s);
        await (await settleWith(s, buyer, seller)).wait();
        await expect(settleWith(s, buyer, seller))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
          .withArgs(id, 0, MilestoneStatus.Resolved);
        expect(await m.escrow.balanceOf(currency, m.buyer.did)).to.equal(1n);
        await expectLiabilities(0n, FIRST);
      });
    });

    context("when the signed amount exceeds the milestone", function () {
      it("reverts with EscrowInvalidResolution", async function () {
        const s = await settlementOf(id, FIRST + 1n);
        await expect(settleWith(s, await signed(m.buyer, s), await signed(m.university, s)))
          .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidResolution")
          .withArgs(FIRST + 1n, FIRST);
      });
    });

    context("when the milestone is not disputed", function () {
      it("reverts with EscrowUnexpectedStatus(Awaiting)", async function () {
        const s = await settlementOf(id, 0n, { milestone: 1 });
        await expect(settleWith(s, await signed(m.buyer, s), await signed(m.university, s)))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnexpectedStatus")
          .withArgs(id, 1, MilestoneStatus.Awaiting);
      });
    });

    context("when the escrow does not exist", function () {
      it("reverts with EscrowUnknown", async function () {
        const s = await settlementOf(42n, 0n);
        await expect(settleWith(s, await signed(m.buyer, s), await signed(m.university, s)))
          .to.be.revertedWithCustomError(m.escrow, "EscrowUnknown")
          .withArgs(42n);
      });
    });

    context("when the escrow is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const s = await settlementOf(id, 1n);
        const buyer = await signed(m.buyer, s);
        const seller = await signed(m.university, s);
        await (await m.escrow.connect(m.guardian).pause()).wait();
        await expect(settleWith(s, buyer, seller)).to.be.revertedWithCustomError(m.escrow, "EnforcedPause");
      });
    });
  });

  describe("withdraw", function () {
    beforeEach(async function () {
      const { id } = await openFunded();
      await (await by(m.buyer).confirm(id, 0, m.buyer.did)).wait();
    });

    context("when a payee withdraws its balance", function () {
      it("pays exactly its balance, emits Withdrawn and leaves zero", async function () {
        const amount = 17_850_000n;
        expect(await m.escrow.balanceOf(currency, m.university.did)).to.equal(amount);
        await expect(by(m.university).withdraw(currency, m.university.did, m.university.address))
          .to.emit(m.escrow, "Withdrawn")
          .withArgs(m.university.did, currency, m.university.address, amount)
          .and.to.emit(m.currency, "Transfer")
          .withArgs(escrowAddress, m.university.address, amount);
        expect(await m.currency.balanceOf(m.university.address)).to.equal(amount);
        expect(await m.escrow.balanceOf(currency, m.university.did)).to.equal(0n);
        await expectLiabilities(0n, FIRST - amount);
      });

      it("pays to another address of its choice", async function () {
        const to = spare[0].address;
        await expect(by(m.team).withdraw(currency, m.team.did, to))
          .to.emit(m.escrow, "Withdrawn")
          .withArgs(m.team.did, currency, to, 9_150_000n);
        expect(await m.currency.balanceOf(to)).to.equal(9_150_000n);
        expect(await m.currency.balanceOf(m.team.address)).to.equal(0n);
        await expectSolvent();
      });

      it("empties the escrow once every payee has withdrawn", async function () {
        for (const party of [m.centre, m.broker, m.inventor, m.team, m.university]) {
          await (await by(party).withdraw(currency, party.did, party.address)).wait();
        }
        await expectLiabilities(0n, 0n);
        expect(await m.currency.balanceOf(escrowAddress)).to.equal(0n);
      });
    });

    context("when the DID has nothing to withdraw", function () {
      it("reverts with EscrowNothingToWithdraw, also after a withdrawal", async function () {
        await expect(by(m.buyer).withdraw(currency, m.buyer.did, m.buyer.address))
          .to.be.revertedWithCustomError(m.escrow, "EscrowNothingToWithdraw")
          .withArgs(m.buyer.did, currency);
        await (await by(m.broker).withdraw(currency, m.broker.did, m.broker.address)).wait();
        await expect(by(m.broker).withdraw(currency, m.broker.did, m.broker.address))
          .to.be.revertedWithCustomError(m.escrow, "EscrowNothingToWithdraw")
          .withArgs(m.broker.did, currency);
      });
    });

    context("when the caller does not act for the DID", function () {
      it("reverts with IdentityNotActingFor and pays nothing", async function () {
        await expect(by(m.outsider).withdraw(currency, m.university.did, m.outsider.address))
          .to.be.revertedWithCustomError(m.identity, "IdentityNotActingFor")
          .withArgs(m.outsider.address, m.university.did, PAYMENT);
        expect(await m.escrow.balanceOf(currency, m.university.did)).to.equal(17_850_000n);
      });
    });

    context("when the escrow is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await (await m.escrow.connect(m.guardian).pause()).wait();
        await expect(
          by(m.university).withdraw(currency, m.university.did, m.university.address),
        ).to.be.revertedWithCustomError(m.escrow, "EnforcedPause");
      });
    });
  });

  describe("reassignBalance", function () {
    const CASE = hashOf("case: succession of the dissolved university (2026-仲-31)");
    let owed: bigint;

    beforeEach(async function () {
      const { id } = await openFunded();
      await (await by(m.buyer).confirm(id, 0, m.buyer.did)).wait();
      owed = await m.escrow.balanceOf(currency, m.university.did);
    });

    context("when the payee's DID was deactivated", function () {
      it("moves its whole balance to the successor, who withdraws it", async function () {
        await (await m.identity.deactivate(m.university.did, hashOf("dissolved"))).wait();
        await expect(
          m.escrow.connect(m.arbitrator.account).reassignBalance(currency, m.university.did, m.bank.did, CASE),
        )
          .to.emit(m.escrow, "BalanceReassigned")
          .withArgs(m.university.did, m.bank.did, currency, m.arbitrator.did, owed, CASE);
        expect(await m.escrow.balanceOf(currency, m.university.did)).to.equal(0n);
        expect(await m.escrow.balanceOf(currency, m.bank.did)).to.equal(owed);
        await (await by(m.bank).withdraw(currency, m.bank.did, m.bank.address)).wait();
        expect(await m.currency.balanceOf(m.bank.address)).to.equal(owed);
        await expectSolvent();
      });
    });

    context("when the payee's DID is only suspended", function () {
      it("reverts with EscrowNotDeactivated: it may be reinstated and withdraw itself", async function () {
        await (await m.identity.suspend(m.university.did, hashOf("audit"))).wait();
        await expect(
          m.escrow.connect(m.arbitrator.account).reassignBalance(currency, m.university.did, m.bank.did, CASE),
        )
          .to.be.revertedWithCustomError(m.escrow, "EscrowNotDeactivated")
          .withArgs(m.university.did, 3);
      });
    });

    context("when the successor is not active", function () {
      it("reverts with EscrowInactiveParty", async function () {
        await (await m.identity.deactivate(m.university.did, hashOf("dissolved"))).wait();
        await (await m.identity.suspend(m.bank.did, hashOf("audit"))).wait();
        await expect(
          m.escrow.connect(m.arbitrator.account).reassignBalance(currency, m.university.did, m.bank.did, CASE),
        )
          .to.be.revertedWithCustomError(m.escrow, "EscrowInactiveParty")
          .withArgs(m.bank.did);
      });
    });

    context("when the deactivated DID has no balance of the token", function () {
      it("reverts with EscrowNothingToWithdraw", async function () {
        await (await m.identity.deactivate(m.outsider.did, hashOf("dissolved"))).wait();
        await expect(m.escrow.connect(m.arbitrator.account).reassignBalance(currency, m.outsider.did, m.bank.did, CASE))
          .to.be.revertedWithCustomError(m.escrow, "EscrowNothingToWithdraw")
          .withArgs(m.outsider.did, currency);
      });
    });

    context("when no case is named, or the caller is not an arbitrator", function () {
      it("reverts with EscrowNoCase, or AccessManagedUnauthorized", async function () {
        await (await m.identity.deactivate(m.university.did, hashOf("dissolved"))).wait();
        await expect(
          m.escrow.connect(m.arbitrator.account).reassignBalance(currency, m.university.did, m.bank.did, ZeroHash),
        ).to.be.revertedWithCustomError(m.escrow, "EscrowNoCase");
        await expect(m.escrow.connect(m.bank.account).reassignBalance(currency, m.university.did, m.bank.did, CASE))
          .to.be.revertedWithCustomError(m.escrow, "AccessManagedUnauthorized")
          .withArgs(m.bank.address);
      });
    });
  });

  describe("setInventorFloor", function () {
    context("when the council sets the floor", function () {
      it("emits InventorFloorSet and applies the floor to new escrows", async function () {
        await expect(m.escrow.connect(m.councilSigner).setInventorFloor(1500))
          .to.emit(m.escrow, "InventorFloorSet")
          .withArgs(1500);
        expect(await m.escrow.inventorFloor()).to.equal(1500n);
        await expect(by(m.centre).open(await termsOf(m)))
          .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSplit")
          .withArgs(300, 200, 1000, 1500);
        await expect(by(m.centre).open(await termsOf(m, { inventorBps: 1500 }))).to.emit(m.escrow, "EscrowOpened");
      });

      it("accepts 0 and 9,999", async function () {
        for (const bps of [0, 9999]) {
          await expect(m.escrow.connect(m.councilSigner).setInventorFloor(bps))
            .to.emit(m.escrow, "InventorFloorSet")
            .withArgs(bps);
        }
      });
    });

    context("when the floor is 10,000 or more", function () {
      it("reverts with EscrowInvalidFloor", async function () {
        for (const bps of [10_000, 65_535]) {
          await expect(m.escrow.connect(m.councilSigner).setInventorFloor(bps))
            .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidFloor")
            .withArgs(bps);
        }
        expect(await m.escrow.inventorFloor()).to.equal(BigInt(INVENTOR_FLOOR_BPS));
      });
    });

    context("when the caller is not the council", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        for (const caller of [m.centre.account, m.guardian, m.councillors[0], m.deployer]) {
          await expect(m.escrow.connect(caller).setInventorFloor(0))
            .to.be.revertedWithCustomError(m.escrow, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
      });
    });
  });

  describe("pause and unpause", function () {
    context("when the guardian pauses", function () {
      it("stops every state change with EnforcedPause until the council unpauses", async function () {
        const { id } = await openFunded();
        const disputed = await openDisputed();
        await (await by(m.buyer).confirm(id, 0, m.buyer.did)).wait();
        await (await m.currency.connect(m.buyer.account).approve(escrowAddress, SECOND)).wait();
        const s = await settlementOf(disputed.id, 1n);
        const buyerSig = await signed(m.buyer, s);
        const sellerSig = await signed(m.university, s);
        await expect(m.escrow.connect(m.guardian).pause()).to.emit(m.escrow, "Paused").withArgs(m.guardian.address);

        const attempts = [
          async () => by(m.centre).open(await termsOf(m)),
          () => by(m.buyer).fund(id, 1, m.buyer.did),
          () => by(m.buyer).fundWithPermit(id, 1, m.buyer.did, 0n, 27, ZeroHash, ZeroHash),
          () => by(m.buyer).confirm(disputed.id, 1, m.buyer.did),
          () => by(m.buyer).reclaim(id, 1, m.buyer.did),
          () => by(m.buyer).dispute(id, 1, m.buyer.did, ZeroHash),
          () => by(m.arbitrator as Party).rule(disputed.id, 0, 0n, hashOf("case")),
          () => settleWith(s, buyerSig, sellerSig),
          () => by(m.university).withdraw(currency, m.university.did, m.university.address),
        ];
        for (const attempt of attempts) {
          await expect(attempt()).to.be.revertedWithCustomError(m.escrow, "EnforcedPause");
        }
        await expectSolvent();

        await expect(m.escrow.connect(m.councilSigner).unpause())
          .to.emit(m.escrow, "Unpaused")
          .withArgs(m.councilSigner.address);
        await expect(by(m.buyer).fund(id, 1, m.buyer.did)).to.emit(m.escrow, "MilestoneFunded");
        await expect(settleWith(s, buyerSig, sellerSig)).to.emit(m.escrow, "MilestoneResolved");
        await expect(by(m.university).withdraw(currency, m.university.did, m.university.address)).to.emit(
          m.escrow,
          "Withdrawn",
        );
        await expectSolvent();
      });
    });

    context("when anyone but the guardian pauses", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        for (const caller of [m.centre.account, m.arbitrator.account, m.councilSigner]) {
          await expect(m.escrow.connect(caller).pause())
            .to.be.revertedWithCustomError(m.escrow, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
      });
    });

    context("when anyone but the council unpauses", function () {
      it("reverts with AccessManagedUnauthorized, the guardian included", async function () {
        await (await m.escrow.connect(m.guardian).pause()).wait();
        for (const caller of [m.guardian, m.centre.account]) {
          await expect(m.escrow.connect(caller).unpause())
            .to.be.revertedWithCustomError(m.escrow, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
        expect(await m.escrow.paused()).to.equal(true);
      });
    });
  });

  describe("version", function () {
    it("reports 1.0.0", async function () {
      expect(await m.escrow.version()).to.equal("1.0.0");
    });
  });
});

describe("SettlementEscrow openFor (the licence market)", function () {
  let m: TradeModule;
  let escrowAddress: string;
  let currency: string;
  /** The fixture's account holding ACHIEVEMENT_MARKET: it stands for the market. */
  let market: HardhatEthersSigner;

  beforeEach(async function () {
    m = await tradeFixture();
    escrowAddress = await m.escrow.getAddress();
    currency = await m.currency.getAddress();
    market = m.marketAccount;
    await (await m.currency.mint(market.address, FIRST)).wait();
    await (await m.currency.connect(market).approve(escrowAddress, FIRST)).wait();
  });

  function openFor(terms: Terms, prefunded = 0n, centre: bigint = m.centre.did, caller = market) {
    return m.escrow.connect(caller).openFor(terms, centre, prefunded);
  }

  async function statusOf(id: bigint, milestone: number): Promise<MilestoneStatus> {
    const [, status] = await m.escrow.milestoneOf(id, milestone);
    return Number(status) as MilestoneStatus;
  }

  context("when the market opens an escrow without a prefund", function () {
    it("emits EscrowOpened naming the centre, funds nothing and takes nothing", async function () {
      const terms = await termsOf(m);
      await expect(openFor(terms))
        .to.emit(m.escrow, "EscrowOpened")
        .withArgs(1n, terms.dealRef, m.centre.did, m.buyer.did, m.university.did, currency, FIRST + SECOND)
        .and.not.to.emit(m.escrow, "MilestoneFunded")
        .and.not.to.emit(m.currency, "Transfer");
      expect((await m.escrow.escrowOf(1n)).centre).to.equal(m.centre.did);
      expect([await statusOf(1n, 0), await statusOf(1n, 1)]).to.deep.equal([
        MilestoneStatus.Awaiting,
        MilestoneStatus.Awaiting,
      ]);
      expect(await m.escrow.liabilities(currency)).to.deep.equal([0n, 0n]);
    });
  });

  context("when the market prefunds the first milestone with a winning bidder's deposit", function () {
    it("emits MilestoneFunded with the buyer as actor, takes the deposit from the market and holds it", async function () {
      const terms = await termsOf(m);
      const tx = openFor(terms, FIRST);
      await expect(tx).to.emit(m.escrow, "MilestoneFunded").withArgs(1n, 0, m.buyer.did, FIRST);
      await expect(tx).to.changeTokenBalances(m.currency, [market.address, escrowAddress], [-FIRST, FIRST]);
      expect([await statusOf(1n, 0), await statusOf(1n, 1)]).to.deep.equal([
        MilestoneStatus.Funded,
        MilestoneStatus.Awaiting,
      ]);
      expect(await m.escrow.liabilities(currency)).to.deep.equal([FIRST, 0n]);
      const release = m.escrow.connect(m.buyer.account).confirm(1n, 0, m.buyer.did);
      await expect(release).to.emit(m.escrow, "MilestoneReleased").withArgs(1n, 0, m.buyer.did, FIRST);
      expect(await m.escrow.liabilities(currency)).to.deep.equal([0n, FIRST]);
      const owed = new Map<bigint, bigint>();
      for (const [did, amount] of splitOf(terms, m.centre.did, FIRST)) owed.set(did, (owed.get(did) ?? 0n) + amount);
      for (const [did, amount] of owed) expect(await m.escrow.balanceOf(currency, did)).to.equal(amount);
      expect([...owed.values()].reduce((sum, a) => sum + a, 0n)).to.equal(FIRST);
    });

    it("accepts the rest of the first instalment falling due with the deposit", async function () {
      const [first, second] = (await termsOf(m)).milestones;
      const terms = await termsOf(m, { milestones: [first, { ...second, due: first.due }] });
      await expect(openFor(terms, FIRST)).to.emit(m.escrow, "MilestoneFunded");
      const [m1] = await m.escrow.milestoneOf(1n, 1);
      expect(m1.due).to.equal(first.due);
    });
  });

  context("when the prefund is not the first milestone's amount", function () {
    it("reverts with EscrowInvalidPrefund", async function () {
      for (const prefunded of [FIRST - 1n, FIRST + 1n, SECOND]) {
        await expect(openFor(await termsOf(m), prefunded))
          .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidPrefund")
          .withArgs(prefunded, FIRST);
      }
      expect(await m.escrow.escrowCount()).to.equal(0n);
    });
  });

  context("when the prefund arrives short (a fee-on-transfer token)", function () {
    it("reverts with EscrowShortPayment and holds nothing", async function () {
      const fee = await new FeeOnTransferToken__factory(m.deployer).deploy();
      const feeAddress = await fee.getAddress();
      await (await fee.mint(market.address, FIRST)).wait();
      await (await fee.connect(market).approve(escrowAddress, FIRST)).wait();
      await expect(openFor(await termsOf(m, { token: feeAddress }), FIRST))
        .to.be.revertedWithCustomError(m.escrow, "EscrowShortPayment")
        .withArgs(FIRST, FIRST - FIRST / 100n);
      expect(await m.escrow.liabilities(feeAddress)).to.deep.equal([0n, 0n]);
    });
  });

  context("when the centre named is not an active DID", function () {
    it("reverts with EscrowInactiveParty for none and for a suspended one", async function () {
      await expect(openFor(await termsOf(m), 0n, 0n))
        .to.be.revertedWithCustomError(m.escrow, "EscrowInactiveParty")
        .withArgs(0n);
      await (await m.identity.connect(m.registrar).suspend(m.centre.did, hashOf("suspension"))).wait();
      await expect(openFor(await termsOf(m)))
        .to.be.revertedWithCustomError(m.escrow, "EscrowInactiveParty")
        .withArgs(m.centre.did);
    });
  });

  context("when the terms are invalid", function () {
    it("reverts as open does: EscrowInvalidTerms, EscrowInvalidSchedule", async function () {
      await expect(openFor(await termsOf(m, { seller: m.buyer.did }))).to.be.revertedWithCustomError(
        m.escrow,
        "EscrowInvalidTerms",
      );
      const [first, second] = (await termsOf(m)).milestones;
      await expect(openFor(await termsOf(m, { milestones: [first, { ...second, due: BigInt(first.due) - 1n }] })))
        .to.be.revertedWithCustomError(m.escrow, "EscrowInvalidSchedule")
        .withArgs(2n, MAX_MILESTONES);
    });
  });

  context("when the caller is not the market", function () {
    it("reverts with AccessManagedUnauthorized, a trading centre included", async function () {
      for (const caller of [m.centre.account, m.buyer.account]) {
        await expect(openFor(await termsOf(m), 0n, m.centre.did, caller as HardhatEthersSigner))
          .to.be.revertedWithCustomError(m.escrow, "AccessManagedUnauthorized")
          .withArgs(await caller.getAddress());
      }
    });
  });

  context("when the escrow is paused", function () {
    it("reverts with EnforcedPause", async function () {
      await (await m.escrow.connect(m.guardian).pause()).wait();
      await expect(openFor(await termsOf(m), FIRST)).to.be.revertedWithCustomError(m.escrow, "EnforcedPause");
    });
  });
});
