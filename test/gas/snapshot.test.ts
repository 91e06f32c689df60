import { expect } from "chai";
import { existsSync, readFileSync, writeFileSync } from "fs";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployments, ethers } from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ZeroAddress, ZeroHash, dataSlice, getAddress, type ContractTransactionResponse } from "ethers";
import { Right, formatRegistrationNumber } from "../../src/sdk/achievement-types";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import { Council__factory, EvidenceRegistry__factory, MemberRegistry__factory } from "../../typechain-types";
import { achievementFixture, register, registrationOf, signChange, signPledge } from "../helpers/achievement";
import {
  Mode,
  listingTermsOf,
  openEscrow,
  publishListing,
  registerPatent,
  termsOf,
  tradeFixture,
} from "../helpers/trade";
import {
  DidKind,
  Purpose,
  Scope,
  accreditedTopic,
  claimIdOf,
  hashOf,
  identityFixture,
  registerDid,
} from "../helpers/identity";

/**
 * Gas of each module's operations, from receipts, compared with the committed snapshot of the
 * module (gas/<module>.json). A change that moves gas must update the snapshot in the same commit
 * (run `GOVLEDGER_UPDATE_GAS=1 npx hardhat test test/gas/snapshot.test.ts`) and say so.
 */
async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

/** Writes `measured` to `file` when GOVLEDGER_UPDATE_GAS=1; then expects them equal. */
function expectSnapshot(file: string, measured: Record<string, number>): void {
  if (process.env.GOVLEDGER_UPDATE_GAS === "1") writeFileSync(file, JSON.stringify(measured, null, 2) + "\n");
  expect(existsSync(file), `${file} is missing: run with GOVLEDGER_UPDATE_GAS=1`).to.equal(true);
  expect(measured).to.deep.equal(JSON.parse(readFileSync(file, "utf8")));
}

/** A fixed address no Hardhat account has, for keys that never send (so gas does not vary by run). */
function keyFor(label: string): string {
  return getAddress(dataSlice(hashOf(`gas-snapshot:${label}`), 12));
}

describe("gas snapshot: consortium", function () {
  it("matches gas/consortium.json", async function () {
    await deployments.fixture();
    const [, a, b, , guardian, newcomer] = await ethers.getSigners();
    const council = Council__factory.connect((await deployments.get("Council")).address, a);
    const registry = MemberRegistry__factory.connect((await deployments.get("MemberRegistry")).address, a);
    const target = await registry.getAddress();
    const admit = registry.interface.encodeFunctionData("admitMember", [
      "Audit Bureau",
      ethers.ZeroHash,
      [newcomer.address],
      [17n],
    ]);
    const grant = registry.interface.encodeFunctionData("grantMemberRole", [5n, 13n]);

    const measured: Record<string, number> = {};
    measured["council.propose (admit member)"] = await gasOf(council.propose(target, admit, "admit"));
    measured["council.approve (reaches threshold, immediate)"] = await gasOf(council.connect(b).approve(1n));
    measured["council.execute (admit member, 1 account, 1 role)"] = await gasOf(council.execute(1n));
    await council.propose(target, grant, "grant");
    await council.connect(b).approve(2n);
    measured["council.execute (grant member role)"] = await gasOf(council.execute(2n));
    measured["registry.pause (guardian)"] = await gasOf(registry.connect(guardian).pause());

    expectSnapshot("gas/consortium.json", measured);
  });
});

describe("gas snapshot: identity", function () {
  // Fixed times, so calldata (zero and non-zero bytes) is the same on every run.
  const VALID_FROM = 1_700_000_000n;
  const VALID_UNTIL = 4_000_000_000n;

  it("matches gas/identity.json", async function () {
    const m = await identityFixture();
    const [issuerKey, subjectKey, selfKey, rotatingKey, orgKey, holderKey, consentKey] = m.outsiders;
    const registrar = m.identity.connect(m.registrar);
    const measured: Record<string, number> = {};

    // DIDs. An issuer is registered first, so the measured registration is not the first ever.
    const issuer = await registerDid(m, DidKind.Organisation, [{ account: issuerKey.address }]);
    const topic = await accreditedTopic(m, issuer);
    measured["identity.register (person, 1 key, registrar)"] = await gasOf(
      registrar.register(DidKind.Person, hashOf("commitment:subject"), [
        { account: subjectKey.address, purposes: Purpose.ALL },
      ]),
    );
    const subject = await m.identity.didCount();
    measured["identity.selfRegister (pending)"] = await gasOf(
      m.identity.connect(selfKey).selfRegister(DidKind.Person, hashOf("commitment:self")),
    );

    // Claims, issued by a key of the accredited issuer.
    const asIssuer = m.identity.connect(issuerKey);
    const issue = (did: bigint, label: string) =>
      asIssuer.issueClaim(did, topic, hashOf(label), VALID_FROM, VALID_UNTIL);
    measured["identity.issueClaim (first of topic)"] = await gasOf(issue(subject, "claim:first"));
    measured["identity.issueClaim (renewal)"] = await gasOf(issue(subject, "claim:renewal"));
    const batch = [];
    for (let i = 0; i < 10; ++i) {
      const did = await registerDid(m, DidKind.Person, [{ account: keyFor(`batch:${i}`) }]);
      batch.push({
        subject: did,
        topic,
        dataHash: hashOf(`claim:batch:${i}`),
        validFrom: VALID_FROM,
        validUntil: VALID_UNTIL,
      });
    }
    measured["identity.issueClaims ×10 (new subject each)"] = await gasOf(asIssuer.issueClaims(batch));
    measured["identity.revokeClaim"] = await gasOf(
      asIssuer.revokeClaim(claimIdOf(subject, topic, 1n), hashOf("reason:revoke")),
    );

    // Keys and mandates.
    const rotating = await registerDid(m, DidKind.Person, [{ account: rotatingKey.address }]);
    measured["identity.rotateKey (own key)"] = await gasOf(
      m.identity.connect(rotatingKey).rotateKey(rotating, rotatingKey.address, keyFor("rotated")),
    );
    const org = await registerDid(m, DidKind.Organisation, [{ account: orgKey.address }]);
    const representative = await registerDid(m, DidKind.Person, [{ account: keyFor("representative") }]);
    measured["identity.grantMandate (all scopes)"] = await gasOf(
      m.identity.connect(orgKey).grantMandate(org, representative, Scope.ALL, VALID_UNTIL),
    );

    // Recovery: guardians chosen by the holder, then a registrar's recovery, completed after the delay.
    const holder = await registerDid(m, DidKind.Person, [{ account: holderKey.address }]);
    const guardians = [
      await registerDid(m, DidKind.Person, [{ account: keyFor("guardian:1") }]),
      await registerDid(m, DidKind.Person, [{ account: keyFor("guardian:2") }]),
    ];
    measured["recovery.setGuardians (2 of 2)"] = await gasOf(
      m.recovery.connect(holderKey).setGuardians(holder, guardians, 2),
    );
    measured["recovery.recoverByRegistrar"] = await gasOf(m.recovery.recoverByRegistrar(holder, keyFor("recovered")));
    await time.increase(await m.recovery.recoveryDelay());
    measured["recovery.completeRecovery (1 key)"] = await gasOf(m.recovery.connect(orgKey).completeRecovery(holder));

    // Consent: a warm-up consent and receipt first, so the measured ones are not the first ever.
    const consenting = await registerDid(m, DidKind.Person, [{ account: consentKey.address }]);
    const asSubject = m.consent.connect(consentKey);
    const grant = (label: string) =>
      asSubject.grantConsent(consenting, org, 1, hashOf(`purpose:${label}`), VALID_UNTIL);
    await gasOf(grant("warm-up"));
    await gasOf(m.consent.connect(orgKey).recordAccess(1n, hashOf("request:warm-up")));
    measured["consent.grantConsent"] = await gasOf(grant("measured"));
    measured["consent.recordAccess"] = await gasOf(m.consent.connect(orgKey).recordAccess(2n, hashOf("request")));

    expectSnapshot("gas/identity.json", measured);
  });
});

describe("gas snapshot: evidence", function () {
  /** Mirrors IEvidenceRegistry.Algorithm.SHA256, and a category code. */
  const SHA256 = 1;
  const CATEGORY = 7;
  /** Documents of the Merkle batch whose document is revoked: a full tree, so every proof has 4 siblings. */
  const TREE_SIZE = 16;

  it("matches gas/evidence.json", async function () {
    const m = await identityFixture();
    const notaryMember = m.config.members.find((member) => member.roles.includes(MEMBER_ROLES.NOTARY));
    const notary = await ethers.getSigner(notaryMember!.accounts[0]);
    const [endorserKey] = m.outsiders;
    const evidence = EvidenceRegistry__factory.connect((await deployments.get("EvidenceRegistry")).address, notary);
    const notarize = (label: string, metadata = hashOf(`metadata:${label}`)) =>
      evidence.notarize(hashOf(label), SHA256, CATEGORY, hashOf(`ref:${label}`), metadata);
    const batch = (label: string, size: number) =>
      evidence.notarizeBatch(
        Array.from({ length: size }, (_, i) => hashOf(`${label}:${i}`)),
        SHA256,
        CATEGORY,
        hashOf(`ref:${label}`),
        hashOf(`metadata:${label}`),
      );
    const measured: Record<string, number> = {};

    // The notary: the IP Office's account, given an organisation DID, then enrolled (anyone may call).
    await registerDid(m, DidKind.Organisation, [{ account: notary.address }]);
    await registerDid(m, DidKind.Organisation, [{ account: endorserKey.address }]);
    measured["evidence.enrolNotary"] = await gasOf(evidence.connect(endorserKey).enrolNotary(notary.address));

    // Notarizations. A warm-up batch first, so the measured one does not write the batch counter from zero.
    measured["evidence.notarize (SHA-256, category, ref, metadata)"] = await gasOf(notarize("doc:single"));
    measured["evidence.notarize (zero metadata)"] = await gasOf(notarize("doc:bare", ZeroHash));
    await gasOf(batch("doc:warm-up", 1));
    measured["evidence.notarizeBatch ×10"] = await gasOf(batch("doc:batch", 10));
    const tree = StandardMerkleTree.of(
      Array.from({ length: TREE_SIZE }, (_, i) => [hashOf(`doc:tree:${i}`)]),
      ["bytes32"],
    );
    measured["evidence.anchorRoot"] = await gasOf(
      evidence.anchorRoot(tree.root, TREE_SIZE, SHA256, CATEGORY, hashOf("ref:tree"), hashOf("metadata:tree")),
    );

    // Lifecycle, on records made for it.
    await gasOf(notarize("doc:old"));
    measured["evidence.supersede"] = await gasOf(
      evidence.supersede(hashOf("doc:old"), hashOf("doc:new"), SHA256, CATEGORY, hashOf("ref:new"), hashOf("meta:new")),
    );
    await gasOf(notarize("doc:revoked"));
    measured["evidence.revoke"] = await gasOf(evidence.revoke(hashOf("doc:revoked"), hashOf("reason:revoke")));
    const document = hashOf("doc:tree:3");
    measured["evidence.revokeDocument (proof of 4)"] = await gasOf(
      evidence.revokeDocument(tree.root, document, tree.getProof([document]), hashOf("reason:document")),
    );
    measured["evidence.endorse"] = await gasOf(
      evidence.connect(endorserKey).endorse(hashOf("doc:single"), hashOf("note:endorse")),
    );

    expectSnapshot("gas/evidence.json", measured);
  });
});

describe("gas snapshot: achievement", function () {
  /** Far-future times, fixed, so calldata is the same on every run. */
  const DEADLINE = 4_000_000_000n;
  const TERM_END = 4_000_000_000n;
  const SCORES = { scientific: 86, technical: 91, economic: 78, social: 70, cultural: 55 };

  /** A fixed registration number per label's serial (region 31, year 2026, type 2). */
  const numberOf = (serial: number) => formatRegistrationNumber({ region: 31, year: 2026, type: 2, serial });

  it("matches gas/achievement.json", async function () {
    const m = await achievementFixture();
    const measured: Record<string, number> = {};
    // Co-owners after the first, and inventors: DIDs on keys that never send.
    const didsOf = async (label: string, kind: DidKind, count: number) => {
      const dids: bigint[] = [];
      for (let i = 0; i < count; ++i) dids.push(await registerDid(m, kind, [{ account: keyFor(`${label}:${i}`) }]));
      return dids;
    };
    const coOwners = await didsOf("co-owner", DidKind.Organisation, 15);
    const inventors = await didsOf("inventor", DidKind.Person, 4);

    // Registrations: each first owner is a new DID whose account holds no token yet, as in the benchmark.
    let serial = 0;
    const registration = async (owners: number, inventorCount: number, externalIds: number) => {
      serial += 1;
      const number = numberOf(serial);
      const holder = keyFor(`owner:${serial}`);
      const first = await registerDid(m, DidKind.Organisation, [{ account: holder }]);
      const share = Math.floor(10_000 / owners);
      const others = coOwners.slice(0, owners - 1).map((did) => ({ did, bps: share }));
      return registrationOf([{ party: m.university, bps: 10_000 }], [], {
        registrationNumber: number,
        owners: [{ did: first, bps: 10_000 - share * others.length }, ...others],
        inventors: inventors.slice(0, inventorCount),
        externalIds: Array.from({ length: externalIds }, (_, i) => hashOf(`patent:${number}:${i}`)),
        holder,
      });
    };
    const registerGas = async (owners: number, inventorCount: number, externalIds: number) =>
      gasOf(m.achievements.register(await registration(owners, inventorCount, externalIds)));
    const single = await registerGas(1, 0, 0);
    measured["achievement.register (1 owner, 0 inventors, 0 external ids)"] = single;
    measured["achievement.register (1 owner, 1 inventor, 1 external id)"] = await registerGas(1, 1, 1);
    measured["achievement.register (4 owners)"] = await registerGas(4, 0, 0);
    const sixteen = await registerGas(16, 0, 0);
    measured["achievement.register (16 owners)"] = sixteen;
    measured["achievement.register: per extra co-owner (16 vs 1 owner, mean)"] = Math.round((sixteen - single) / 15);
    const fourInventors = await registerGas(1, 4, 0);
    measured["achievement.register (4 inventors)"] = fourInventors;
    measured["achievement.register: per inventor (4 vs 0, mean)"] = Math.round((fourInventors - single) / 4);
    const threeIds = await registerGas(1, 0, 3);
    measured["achievement.register (3 external ids)"] = threeIds;
    measured["achievement.register: per external id (3 vs 0, mean)"] = Math.round((threeIds - single) / 3);

    // The university's achievements (1 inventor, 1 external id): its account already holds tokens.
    const ofUniversity = async (withTeam = false) => {
      serial += 1;
      const owners = withTeam
        ? [
            { party: m.university, bps: 6_000 },
            { party: m.team, bps: 4_000 },
          ]
        : [{ party: m.university, bps: 10_000 }];
      return register(m, registrationOf(owners, [m.inventor], { registrationNumber: numberOf(serial) }));
    };
    await ofUniversity();
    serial += 1;
    measured["achievement.register (owner already holding achievements)"] = await gasOf(
      m.achievements.register(
        registrationOf([{ party: m.university, bps: 10_000 }], [], {
          registrationNumber: numberOf(serial),
          externalIds: [],
        }),
      ),
    );

    // Evaluations, by the accredited evaluator.
    const evaluate = (id: bigint, label: string) =>
      m.achievements
        .connect(m.evaluator.account)
        .evaluate(
          id,
          m.evaluator.did,
          SCORES,
          1_250_000_000n,
          TERM_END,
          hashOf(`report:${label}`),
          hashOf(`decl:${label}`),
        );
    const evaluated = await ofUniversity();
    measured["achievement.evaluate (first)"] = await gasOf(evaluate(evaluated, "first"));
    measured["achievement.evaluate (later)"] = await gasOf(evaluate(evaluated, "later"));

    // Consented changes and pledges, each of a new achievement (version 1), sent by the university.
    const asUniversity = m.rights.connect(m.university.account);
    const changeTo = (id: bigint, right: Right, did: bigint, until: bigint, holder: string) => ({
      achievement: id,
      right,
      holdings: [{ did, bps: 10_000 }],
      until,
      holder,
      version: 1,
      deadline: DEADLINE,
    });
    const granted = await ofUniversity();
    const grant = changeTo(granted, Right.Use, m.team.did, TERM_END, ZeroAddress);
    measured["rights.changeRights (grant the use right with a term, 1 signature)"] = await gasOf(
      asUniversity.changeRights(grant, [await signChange(m, m.team, grant)], m.university.did),
    );
    const transferred = await ofUniversity(true);
    const transfer = changeTo(transferred, Right.Ownership, m.outsider.did, 0n, m.outsider.address);
    const consents = [await signChange(m, m.team, transfer), await signChange(m, m.outsider, transfer)];
    measured["rights.changeRights (ownership for good, 2 co-owners to a new owner, 2 signatures)"] = await gasOf(
      asUniversity.changeRights(transfer, consents, m.university.did),
    );
    const pledged = await ofUniversity();
    const terms = {
      achievement: pledged,
      lender: m.bank.did,
      securedAmount: 500_000_000n,
      until: TERM_END,
      contractHash: hashOf("pledge contract"),
      version: 1,
      deadline: DEADLINE,
    };
    measured["rights.pledge (lender signs)"] = await gasOf(
      asUniversity.pledge(terms, [await signPledge(m, m.bank, terms)], m.university.did),
    );
    measured["rights.releasePledge (lender)"] = await gasOf(
      m.rights.connect(m.bank.account).releasePledge(pledged, m.bank.did),
    );

    expectSnapshot("gas/achievement.json", measured);
  });
});

describe("gas snapshot: trade", function () {
  /** Far-future due times, fixed, so calldata is the same on every run. */
  const DUE = [4_000_000_000n, 4_100_000_000n];

  it("matches gas/trade.json", async function () {
    const m = await tradeFixture();
    const measured: Record<string, number> = {};
    const escrow = await m.escrow.getAddress();
    const token = await m.currency.getAddress();
    const terms = (deal: string) =>
      termsOf(m, {
        dealRef: hashOf(`gas-snapshot:${deal}`),
        milestones: [
          { amount: 30_000_000n, due: DUE[0] },
          { amount: 70_000_000n, due: DUE[1] },
        ],
      });
    const buyer = m.escrow.connect(m.buyer.account);
    await (await m.currency.connect(m.buyer.account).approve(escrow, 1_000_000_000n)).wait();

    measured["escrow.open (2 milestones, 2 holders, 2 inventors, broker)"] = await gasOf(
      m.escrow.connect(m.centre.account).open(await terms("first")),
    );
    const id = await m.escrow.escrowCount();
    measured["escrow.fund (first milestone of the token)"] = await gasOf(buyer.fund(id, 0, m.buyer.did));
    measured["escrow.fund (later milestone)"] = await gasOf(buyer.fund(id, 1, m.buyer.did));
    measured["escrow.confirm (split to centre, broker, 2 inventors, 2 holders)"] = await gasOf(
      buyer.confirm(id, 0, m.buyer.did),
    );
    measured["escrow.dispute"] = await gasOf(buyer.dispute(id, 1, m.buyer.did, hashOf("late delivery")));
    measured["escrow.rule (part back to the buyer, the rest split)"] = await gasOf(
      m.escrow.connect(m.arbitrator.account).rule(id, 1, 20_000_000n, hashOf("case 2026-仲-7")),
    );
    measured["escrow.withdraw (a holder's whole balance)"] = await gasOf(
      m.escrow.connect(m.university.account).withdraw(token, m.university.did, m.university.address),
    );
    const second = await openEscrow(m, await terms("second"));
    await (await buyer.fund(second, 0, m.buyer.did)).wait();
    measured["escrow.confirm (by the centre)"] = await gasOf(
      m.escrow.connect(m.centre.account).confirm(second, 0, m.centre.did),
    );
    await marketGas(m, measured);
    expectSnapshot("gas/trade.json", measured);
  });

  /** A time about a day ahead with no zero byte, so the calldata that carries it costs the same each run. */
  async function dayAhead(): Promise<bigint> {
    let t = BigInt(await time.latest()) + 86_400n;
    while ([0, 1, 2, 3].some((i) => ((t >> BigInt(8 * i)) & 0xffn) === 0n)) t += 1n;
    return t;
  }

  async function marketGas(m: Awaited<ReturnType<typeof tradeFixture>>, measured: Record<string, number>) {
    const market = await m.market.getAddress();
    const buyer = m.market.connect(m.buyer.account);
    await (await m.currency.connect(m.buyer.account).approve(market, 1_000_000_000n)).wait();
    const fixed = listingTermsOf(m, await registerPatent(m));
    measured["market.list (fixed price, 2 instalments)"] = await gasOf(
      m.market.connect(m.university.account).list(fixed, m.university.did),
    );
    const listing = await m.market.listingCount();
    measured["market.approve (the co-owner)"] = await gasOf(
      m.market.connect(m.team.account).approve(listing, m.team.did),
    );
    measured["market.publish"] = await gasOf(m.market.publish(listing, 300));
    measured["market.buy"] = await gasOf(buyer.buy(listing, m.buyer.did));
    measured["market.confirmDeal (escrow of 2 milestones, licence, 2 holders, 2 inventors)"] = await gasOf(
      m.market.confirmDeal(listing, hashOf("gas-snapshot:fixed deal"), 0),
    );

    const ends = await dayAhead();
    const auction = await publishListing(
      m,
      listingTermsOf(m, await registerPatent(m), {
        mode: Mode.Auction,
        deposit: 10_000_000n,
        minIncrement: 1_000_000n,
        biddingEnds: ends,
      }),
    );
    measured["market.registerBidder (deposit)"] = await gasOf(buyer.registerBidder(auction, m.buyer.did));
    await (await m.currency.mint(m.broker.address, 1_000_000_000n)).wait();
    await (await m.currency.connect(m.broker.account).approve(market, 1_000_000_000n)).wait();
    const rival = m.market.connect(m.broker.account);
    await (await rival.registerBidder(auction, m.broker.did)).wait();
    measured["market.bid (first)"] = await gasOf(rival.bid(auction, 100_000_000n, m.broker.did));
    measured["market.bid (outbids)"] = await gasOf(buyer.bid(auction, 120_000_000n, m.buyer.did));
    await time.increaseTo(ends);
    measured["market.closeAuction (awarded)"] = await gasOf(m.market.closeAuction(auction));
    measured["market.confirmDeal (deposit prefunds the first milestone)"] = await gasOf(
      m.market.confirmDeal(auction, hashOf("gas-snapshot:auction deal"), 0),
    );
    measured["market.withdrawDeposit (a losing bidder)"] = await gasOf(
      rival.withdrawDeposit(auction, m.broker.did, m.broker.address),
    );
  }
});
