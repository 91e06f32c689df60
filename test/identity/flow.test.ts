import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployments, ethers } from "hardhat";
import { id as hash } from "ethers";
import { GovLedger, deploymentFromRecords, type Deployment, type GovLedger as Gov } from "../../src/sdk";
import { EMBEDDED_DELAYS } from "../../config/networks";
import { runProposal } from "../helpers/proposals";
import { fundedWallet, identityFixture, unfundedWallet, type IdentityModule } from "../helpers/identity";

/**
 * The demo's identity chapter as a user journey through the SDK, checking the chain at every step:
 * registration, accreditation by the council, batch certification, a stolen key frozen and
 * recovered by guardians, and a look-up under a consent signed by a subject without funds.
 */
describe("Identity flow: register, certify, recover a stolen key, look up under consent", function () {
  let m: IdentityModule;
  let deployment: Deployment;
  let sci: Gov;

  before(async function () {
    m = await identityFixture();
    deployment = deploymentFromRecords("hardhat", 31337n, await deployments.all());
    sci = await GovLedger.connect(m.registrar, deployment);
  });

  it("runs end to end with every state as the story says", async function () {
    const signers = await ethers.getSigners();
    const [ipOffice, exchange] = [signers[2], signers[3]];
    const [universityKey, companyKey] = await Promise.all([fundedWallet(m.deployer), fundedWallet(m.deployer)]);
    const newCompanyKey = unfundedWallet();
    const teamKey = unfundedWallet();
    const register = async (account: string) =>
      (
        await sci.identity
          .register({ kind: "organisation", commitment: hash(`record ${account}`), keys: [{ account, purposes: 3 }] })
          .wait()
      ).id;
    const ipDid = await register(ipOffice.address);
    const exchangeDid = await register(exchange.address);
    const university = await register(universityKey.address);
    const team = await register(teamKey.address);
    const company = await register(companyKey.address);
    expect((await sci.identity.resolve(company)).status).to.equal("Active");

    const topicCall = sci.identity.registerTopic("high-tech enterprise", hash("schema"));
    await runProposal(m, topicCall.target, topicCall.data);
    const topic = BigInt((await sci.identity.topics()).length);
    const accredit = sci.identity.accreditIssuer(ipDid, topic);
    await runProposal(m, accredit.target, accredit.data);
    expect((await sci.identity.accreditation(ipDid, topic)).current).to.equal(true);

    const ip = await GovLedger.connect(ipOffice, deployment);
    const now = BigInt(await time.latest());
    const until = now + 365n * 86_400n;
    const issued = await ip.identity
      .issueClaims([
        { subject: university, topic, dataHash: hash("u"), validFrom: now, validUntil: until },
        { subject: company, topic, dataHash: hash("c"), validFrom: now, validUntil: until },
      ])
      .wait();
    expect(issued.map((c) => c.subject)).to.deep.equal([university, company]);
    expect(await sci.identity.hasValidClaim(company, topic)).to.equal(true);

    const companyGov = await GovLedger.connect(companyKey, deployment);
    await companyGov.identity.setGuardians(company, [university, ipDid], 2).wait();
    await sci.identity.suspend(company, hash("key stolen")).wait();
    expect(await sci.identity.hasValidClaim(company, topic)).to.equal(false);
    await expect(companyGov.identity.objectRecovery(company).wait()).to.be.rejectedWith(/IdentityNotActingFor/);

    const universityGov = await GovLedger.connect(universityKey, deployment);
    await universityGov.identity.initiateRecovery(company, newCompanyKey.address).wait();
    const step = await ip.identity.approveRecovery(company).wait();
    expect(step.readyAt).to.equal(BigInt(await time.latest()) + BigInt(EMBEDDED_DELAYS.recoveryDelay));
    await expect(universityGov.identity.completeRecovery(company).wait()).to.be.rejectedWith(/RecoveryNotReady/);
    await time.increaseTo(step.readyAt ?? 0n);
    await universityGov.identity.completeRecovery(company).wait();
    await sci.identity.reinstate(company).wait();
    const doc = await sci.identity.resolve(company);
    expect(doc.keys.map((k) => k.account)).to.deep.equal([newCompanyKey.address]);
    expect(await sci.identity.didOf(companyKey.address)).to.equal(undefined);
    expect(await sci.identity.hasValidClaim(company, topic)).to.equal(true);
    await expect(companyGov.identity.addKey(company, unfundedWallet().address, 1).wait()).to.be.rejectedWith(
      /IdentityNotActingFor/,
    );

    const teamSigned = sci.identity.relayed(teamKey, m.deployer);
    const { consentId } = await teamSigned
      .grantConsent({
        subject: team,
        grantee: exchangeDid,
        category: "education",
        purposeHash: hash("listing check"),
        validUntil: now + 30n * 86_400n,
      })
      .wait();
    expect(await ethers.provider.getBalance(teamKey.address)).to.equal(0n);
    const ex = await GovLedger.connect(exchange, deployment);
    const { receiptId } = await ex.identity.recordAccess(consentId, hash("request")).wait();
    const receipt = await sci.identity.receipt(receiptId);
    expect([receipt.consentId, receipt.accessor, receipt.account]).to.deep.equal([
      consentId,
      exchangeDid,
      exchange.address,
    ]);
    await teamSigned.revokeConsent(consentId).wait();
    expect((await sci.identity.consentOf(consentId)).live).to.equal(false);
    await expect(ex.identity.recordAccess(consentId, hash("again")).wait()).to.be.rejectedWith(/ConsentWasRevoked/);
  });
});
