import { expect } from "chai";
import { deployments, ethers, network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { createBundle, type ProofBundle } from "../../src/evidence/bundle";
import { DigestAlgorithm, digestBytes } from "../../src/evidence/digest";
import { EvidenceMerkleTree } from "../../src/evidence/merkle";
import {
  EvidenceProofError,
  GovLedger,
  GovLedgerError,
  deploymentFromRecords,
  hasModule,
  type Deployment,
} from "../../src/sdk";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import { fundedWallet, hashOf, identityFixture, type IdentityModule } from "../helpers/identity";

const IP_OFFICE = "Municipal Intellectual Property Office (市知识产权局)";

describe("GovLedger SDK: evidence", function () {
  let m: IdentityModule;
  let deployment: Deployment;
  let notary: HardhatEthersSigner;
  let gov: GovLedger;

  const as = (signer: Parameters<typeof GovLedger.connect>[0]) => GovLedger.connect(signer, deployment);

  beforeEach(async function () {
    m = await identityFixture();
    deployment = deploymentFromRecords("hardhat", 31337n, await deployments.all());
    // The IP Office (founding account #2) holds NOTARY; it needs an organisation DID, then enrolment.
    notary = m.councillors[1];
    const registrar = await as(m.registrar);
    await registrar.identity
      .register({ kind: "organisation", commitment: hashOf("ip office"), keys: [{ account: notary.address }] })
      .wait();
    await (await as(m.outsiders[0])).evidence.enrolNotary(notary.address).wait();
    gov = await as(notary);
  });

  const doc = (text: string, algorithm = DigestAlgorithm.SHA256) => digestBytes(text, algorithm);

  it("is an optional module of the deployment", async function () {
    expect(hasModule(deployment, "evidence")).to.equal(true);
    expect(gov.hasEvidence).to.equal(true);
    const { EvidenceRegistry: _, ...older } = deployment.contracts;
    const old = await GovLedger.connect(notary, { ...deployment, contracts: older });
    expect(old.hasEvidence).to.equal(false);
    expect(() => old.evidence).to.throw(/the hardhat deployment has no evidence module \(EvidenceRegistry\)/);
  });

  it("enrols a notary for its DID and notarizes a digest, read back with its event data", async function () {
    expect(await gov.evidence.notaryOf(notary.address)).to.deep.equal({
      did: 1n,
      didString: "did:govledger:31337:1",
      enabled: true,
    });
    const digest = doc("contract v1");
    const n = await gov.evidence
      .notarize(digest, { algorithm: "sha256", category: 7, businessRef: hashOf("case 42"), metadata: hashOf("uri") })
      .wait();
    expect(n).to.deep.include({
      digest,
      submitter: 1n,
      did: "did:govledger:31337:1",
      account: notary.address,
      algorithm: "sha256",
      category: 7n,
      businessRef: hashOf("case 42"),
      metadata: hashOf("uri"),
    });

    const record = await gov.evidence.record(digest.toUpperCase().replace("0X", "0x"));
    expect(record).to.deep.include({
      key: digest,
      kind: "Single",
      status: "Valid",
      algorithm: "sha256",
      category: 7n,
      submitterDid: "did:govledger:31337:1",
      blockNumber: BigInt(n.blockNumber),
    });
    expect(record?.event).to.deep.equal({
      transactionHash: n.transactionHash,
      businessRef: hashOf("case 42"),
      metadata: hashOf("uri"),
      account: notary.address,
    });
    expect(await gov.evidence.record(doc("never notarized"))).to.equal(undefined);

    const v = await gov.evidence.verify(digest);
    expect(v).to.deep.include({ verdict: "notarized", valid: true, digest });
    expect(v.submitter).to.deep.equal({
      id: 1n,
      did: "did:govledger:31337:1",
      account: notary.address,
      organisation: { id: 2n, name: IP_OFFICE },
    });
    expect(await gov.evidence.verify(doc("tampered"))).to.deep.equal({
      verdict: "not-found",
      valid: false,
      digest: doc("tampered"),
    });
  });

  it("notarizes an indexed batch: each digest found through its batch id and block", async function () {
    const digests = [doc("a"), doc("b", DigestAlgorithm.SM3), doc("c")];
    const batch = await gov.evidence.notarizeBatch(digests, { algorithm: DigestAlgorithm.SM3 }).wait();
    expect(batch).to.deep.include({ batchId: 1n, digests, submitter: 1n, algorithm: "sm3" });
    const record = await gov.evidence.record(digests[1]);
    expect(record).to.deep.include({ kind: "Indexed", batchId: 1n, algorithm: "sm3" });
    expect(record?.event?.transactionHash).to.equal(batch.transactionHash);
  });

  it("supersedes a record: the old one says by what, the history lists both", async function () {
    const [v1, v2] = [doc("contract v1"), doc("contract v2")];
    await gov.evidence.notarize(v1, { algorithm: "sha256" }).wait();
    const s = await gov.evidence.supersede(v1, v2, { algorithm: "sha256" }).wait();
    expect(s).to.deep.include({ oldDigest: v1, newDigest: v2, submitter: 1n });
    const old = await gov.evidence.verify(v1);
    expect(old).to.deep.include({ verdict: "superseded", valid: false, supersededBy: v2, latest: v2 });
    expect((await gov.evidence.verify(v2)).verdict).to.equal("notarized");
    expect((await gov.evidence.history(v2)).map((r) => [r.key, r.status])).to.deep.equal([
      [v1, "Superseded"],
      [v2, "Valid"],
    ]);
    await expect(gov.evidence.supersede(v1, doc("v3"), { algorithm: "sha256" }).check()).to.be.rejectedWith(
      GovLedgerError,
      `EvidenceUnexpectedStatus: record ${v1} is Superseded`,
    );
  });

  it("revokes a record with a reason, and by order of an arbitrator", async function () {
    const [d1, d2] = [doc("one"), doc("two")];
    await gov.evidence.notarize(d1, { algorithm: "sha256" }).wait();
    await gov.evidence.notarize(d2, { algorithm: "sha256" }).wait();
    const r = await gov.evidence.revoke(d1, hashOf("filed in error")).wait();
    expect(r).to.deep.include({ key: d1, by: 1n, byOrder: false, reasonHash: hashOf("filed in error") });
    const v = await gov.evidence.verify(d1);
    expect(v.verdict).to.equal("revoked");
    expect(v.revocation).to.deep.include({ by: 1n, byDid: "did:govledger:31337:1", byOrder: false });

    const arbitrator = m.outsiders[1];
    // Member roles are granted by the MemberRegistry (an admission is a council decision): act as it.
    const registry = await m.registry.getAddress();
    await network.provider.request({ method: "hardhat_impersonateAccount", params: [registry] });
    await network.provider.request({ method: "hardhat_setBalance", params: [registry, "0x56bc75e2d63100000"] });
    const asRegistry = m.authority.connect(await ethers.getSigner(registry));
    await (await asRegistry.grantRole(MEMBER_ROLES.ARBITRATOR, arbitrator.address, 0)).wait();
    const ordered = await (await as(arbitrator)).evidence.revokeByOrder(d2, hashOf("court order 7")).wait();
    expect(ordered).to.deep.include({ key: d2, by: 0n, byOrder: true });
    const revocation = (await gov.evidence.verify(d2)).revocation;
    expect(revocation).to.deep.include({ by: 0n, byOrder: true, reasonHash: hashOf("court order 7") });
    expect(revocation?.byDid).to.equal(undefined);

    const documents = [doc("order-1"), doc("order-2")];
    const tree = EvidenceMerkleTree.of(documents);
    await gov.evidence.anchorRoot(tree.root, 2, { algorithm: "sha256" }).wait();
    const byOrder = await (
      await as(arbitrator)
    ).evidence
      .revokeDocumentByOrder(tree.root, documents[1], hashOf("court order 8"))
      .wait();
    expect(byOrder).to.deep.include({ key: await gov.evidence.documentKey(tree.root, documents[1]), byOrder: true });
    expect((await gov.evidence.revocation(byOrder.key))?.reasonHash).to.equal(hashOf("court order 8"));
  });

  it("lists endorsements by other DIDs", async function () {
    const digest = doc("deed");
    await gov.evidence.notarize(digest, { algorithm: "sha256" }).wait();
    const party = await fundedWallet(m.deployer);
    await (
      await as(m.registrar)
    ).identity
      .register({ kind: "person", commitment: hashOf("party"), keys: [{ account: party.address }] })
      .wait();
    const e = await (await as(party)).evidence.endorse(digest, hashOf("agreed")).wait();
    expect(e).to.deep.equal({ key: digest, did: 2n, didString: "did:govledger:31337:2", noteHash: hashOf("agreed") });
    const list = await gov.evidence.endorsements(digest);
    expect(list.map((x) => [x.did, x.noteHash])).to.deep.equal([[2n, hashOf("agreed")]]);
    expect(list[0].at).to.be.a("bigint").and.to.be.greaterThan(0n);
    await expect((await as(party)).evidence.endorse(digest).check()).to.be.rejectedWith(
      GovLedgerError,
      `EvidenceAlreadyEndorsed: DID 2 already endorsed ${digest}`,
    );
  });

  describe("Merkle roots and proof bundles", function () {
    let tree: EvidenceMerkleTree;
    let bundle: ProofBundle;
    const digests = ["page 1", "page 2", "page 3", "page 4", "page 5"].map((p) => doc(p, DigestAlgorithm.SM3));

    beforeEach(async function () {
      tree = EvidenceMerkleTree.of(digests);
      const anchored = await gov.evidence.anchorRoot(tree.root, tree.length, { algorithm: "sm3" }).wait();
      expect(anchored).to.deep.include({ root: tree.root, size: 5n, submitter: 1n, algorithm: "sm3" });
      const block = await ethers.provider.getBlock(anchored.blockNumber);
      bundle = createBundle({
        digest: digests[2],
        algorithm: DigestAlgorithm.SM3,
        anchor: "merkle-root",
        root: tree.root,
        proof: tree.proof(2),
        chainId: 31337,
        contract: gov.evidence.address,
        txHash: anchored.transactionHash as `0x${string}`,
        blockNumber: anchored.blockNumber,
        blockTime: block!.timestamp,
      });
    });

    it("verifies a bundle against the anchored root", async function () {
      const v = await gov.evidence.verifyProof(bundle);
      expect(v).to.deep.include({ verdict: "notarized", valid: true, problems: [], inRoot: true });
      expect(v.record).to.deep.include({ kind: "Root", size: 5n, status: "Valid" });
      expect(v.submitter?.organisation?.name).to.equal(IP_OFFICE);
      expect((await gov.evidence.verifyProof(JSON.stringify(bundle), digests[2])).digestMatches).to.equal(true);
      const other = await gov.evidence.verifyProof(bundle, digests[3]);
      expect(other).to.deep.include({ valid: false, digestMatches: false });
    });

    it("refuses a bundle made for another chain or contract", async function () {
      await expect(gov.evidence.verifyProof({ ...bundle, chainId: 1 })).to.be.rejectedWith(
        EvidenceProofError,
        "the proof is for chain id 1, but this network is chain id 31337",
      );
      const elsewhere = m.outsiders[0].address;
      await expect(gov.evidence.verifyProof({ ...bundle, contract: elsewhere })).to.be.rejectedWith(
        EvidenceProofError,
        `the proof is for evidence contract ${elsewhere}`,
      );
    });

    it("reports a document revoked within its batch", async function () {
      const r = await gov.evidence.revokeDocument(tree.root, digests[2], tree.proof(2), hashOf("forged page")).wait();
      expect(r.key).to.equal(await gov.evidence.documentKey(tree.root, digests[2]));
      const v = await gov.evidence.verifyProof(bundle);
      expect(v).to.deep.include({ verdict: "revoked", valid: false });
      expect(v.revocation?.reasonHash).to.equal(hashOf("forged page"));
      expect(v.problems).to.deep.equal(["the document is revoked within its batch"]);
    });
  });

  it("relays a notarization signed by the notary and paid by a relayer", async function () {
    const relayed = gov.evidence.relayed(notary, m.deployer);
    const before = await ethers.provider.getTransactionCount(notary.address);
    const n = await relayed.notarize(doc("relayed"), { algorithm: "keccak256" }).wait();
    expect(n).to.deep.include({ account: notary.address, algorithm: "keccak256", submitter: 1n });
    expect(await ethers.provider.getTransactionCount(notary.address)).to.equal(before);
  });

  it("refuses bad input before sending, and decodes the contract's refusals", async function () {
    expect(() => gov.evidence.notarize(doc("x"), { algorithm: "md5" })).to.throw(/unknown digest algorithm "md5"/);
    expect(() => gov.evidence.notarize("0x1234", { algorithm: "sha256" })).to.throw(/0x followed by 64 hex digits/);
    expect(() => gov.evidence.notarize(doc("x"), { algorithm: "sha256", category: 2 ** 32 })).to.throw(/category/);
    const digest = doc("once");
    await gov.evidence.notarize(digest, { algorithm: "sha256" }).wait();
    await expect(gov.evidence.notarize(digest, { algorithm: "sm3" }).check()).to.be.rejectedWith(
      GovLedgerError,
      new RegExp(`^EvidenceAlreadyNotarized: ${digest} was already notarized by DID 1 at .* \\(Single record\\)`),
    );
    const stranger = await as(m.outsiders[0]);
    await expect(stranger.evidence.notarize(doc("y"), { algorithm: "sha256" }).check()).to.be.rejectedWith(
      GovLedgerError,
      /^EvidenceNotNotary: /,
    );
    await expect(stranger.evidence.enrolNotary(m.outsiders[0].address).check()).to.be.rejectedWith(
      GovLedgerError,
      /^EvidenceNotQualified: .* lacks the NOTARY role or an active DID/,
    );
  });
});
