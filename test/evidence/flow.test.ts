import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import os from "os";
import path from "path";
import { deployments, ethers } from "hardhat";
import { id } from "ethers";
import { createBundle } from "../../src/evidence/bundle";
import { DigestAlgorithm, digestBytes, digestFile } from "../../src/evidence/digest";
import { EvidenceMerkleTree } from "../../src/evidence/merkle";
import { GovLedger, deploymentFromRecords, type Deployment } from "../../src/sdk";
import { evidenceFixture, newArbitrator, type EvidenceModule } from "../helpers/evidence";

/**
 * The demo's evidence chapter as a user journey through the SDK, checking the chain at every step:
 * a folder anchored as one Merkle root with a bundle per file, single records, a correction, a
 * revocation by order, and an auditor's verdicts on a genuine file, a tampered copy, the
 * superseded record and the revoked one.
 */
describe("Evidence flow: anchor a folder, notarize, correct, revoke by order, audit", function () {
  let m: EvidenceModule;
  let deployment: Deployment;

  before(async function () {
    m = await evidenceFixture();
    deployment = deploymentFromRecords("hardhat", 31337n, await deployments.all());
  });

  it("gives the auditor the right verdict for every document", async function () {
    const ip = await GovLedger.connect(m.notary, deployment);
    const dir = mkdtempSync(path.join(os.tmpdir(), "govledger-flow-"));
    const files = Array.from({ length: 25 }, (_, i) => {
      const file = path.join(dir, `case-${i}.json`);
      writeFileSync(file, JSON.stringify({ case: `2026-ZJ-${i}` }));
      return file;
    });
    const digests = await Promise.all(files.map((f) => digestFile(f, DigestAlgorithm.SHA256)));
    const tree = EvidenceMerkleTree.of(digests);
    const anchored = await ip.evidence.anchorRoot(tree.root, files.length, { algorithm: "sha256", category: 1 }).wait();
    const root = await ip.evidence.record(tree.root);
    expect([root?.kind, root?.status, root?.size]).to.deep.equal(["Root", "Valid", 25n]);

    const block = await ethers.provider.getBlock(anchored.blockNumber);
    const bundleOf = (i: number) =>
      createBundle({
        fileName: path.basename(files[i]),
        digest: digests[i],
        algorithm: DigestAlgorithm.SHA256,
        anchor: "merkle-root",
        proof: tree.proof(i),
        root: tree.root,
        chainId: 31337,
        contract: deployment.contracts.EvidenceRegistry,
        txHash: anchored.transactionHash as `0x${string}`,
        blockNumber: anchored.blockNumber,
        blockTime: block?.timestamp ?? 0,
      });

    const contract = digestBytes("signed contract scan", DigestAlgorithm.SM3);
    const draft = digestBytes("transcript, draft", DigestAlgorithm.SHA256);
    const corrected = digestBytes("transcript, corrected", DigestAlgorithm.SHA256);
    await ip.evidence.notarize(contract, { algorithm: "sm3", businessRef: id("contract 88") }).wait();
    await ip.evidence.notarize(draft, { algorithm: "sha256", businessRef: id("case 7") }).wait();
    await expect(ip.evidence.notarize(contract, { algorithm: "sm3" }).wait()).to.be.rejectedWith(
      /EvidenceAlreadyNotarized/,
    );
    await ip.evidence.supersede(draft, corrected, { algorithm: "sha256", businessRef: id("case 7") }).wait();
    expect((await ip.evidence.history(corrected)).map((r) => r.key)).to.deep.equal([draft, corrected]);

    const arbitrator = await newArbitrator(m, m.outsiders[1]);
    const court = await GovLedger.connect(arbitrator.account, deployment);
    await court.evidence.revokeByOrder(contract, id("ruling 12")).wait();

    const auditor = await GovLedger.connect(m.outsiders[2], deployment);
    const genuine = await auditor.evidence.verifyProof(bundleOf(7), files[7]);
    expect(genuine).to.deep.include({ verdict: "notarized", valid: true, digestMatches: true, inRoot: true });
    expect(genuine.submitter?.did).to.equal(`did:govledger:31337:${m.notaryDid}`);

    const tampered = path.join(dir, "tampered.json");
    writeFileSync(tampered, readFileSync(files[7], "utf8").replace("ZJ", "XX"));
    const bad = await auditor.evidence.verifyProof(bundleOf(7), tampered);
    expect(bad).to.deep.include({ valid: false, digestMatches: false });
    expect((await auditor.evidence.verify(await digestFile(tampered, DigestAlgorithm.SHA256))).verdict).to.equal(
      "not-found",
    );

    const old = await auditor.evidence.verify(draft);
    expect(old).to.deep.include({ verdict: "superseded", valid: false, supersededBy: corrected, latest: corrected });
    const revoked = await auditor.evidence.verify(contract);
    expect(revoked.verdict).to.equal("revoked");
    expect(revoked.revocation).to.deep.include({ byOrder: true, reasonHash: id("ruling 12"), by: arbitrator.did });
    expect((await auditor.evidence.verify(corrected)).verdict).to.equal("notarized");
  });
});
