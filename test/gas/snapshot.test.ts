import { expect } from "chai";
import { existsSync, readFileSync, writeFileSync } from "fs";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployments, ethers } from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ZeroHash, dataSlice, getAddress, type ContractTransactionResponse } from "ethers";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import { Council__factory, EvidenceRegistry__factory, MemberRegistry__factory } from "../../typechain-types";
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
