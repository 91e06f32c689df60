import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Narrator } from "../src/demo/narrator";
import {
  ACHIEVEMENT_STATUSES,
  GovLedger,
  GovLedgerError,
  RIGHTS,
  deploymentFromRecords,
  formatRegistrationNumber,
  type AchievementEvent,
  type Call,
  type Deployment,
  type RegistrationView,
  type RightName,
  toGovLedgerError,
} from "../src/sdk";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import path from "path";
import { Wallet, ZeroHash, id, type HDNodeWallet, type Signer } from "ethers";
import { createBundle } from "../src/evidence/bundle";
import { DigestAlgorithm, digestBytes, digestFile } from "../src/evidence/digest";
import { EvidenceMerkleTree } from "../src/evidence/merkle";
import { MemberRegistry__factory, StandInCurrency__factory } from "../typechain-types";

/**
 * The main job on the embedded chain: the consortium is formed and governed, end to end, through
 * the SDK. Each module issue adds its chapter. Prints the story and writes out/demo-report.json.
 */
const story = new Narrator();

async function main(): Promise<void> {
  const { ethers, deployments } = hre;
  const signers = await ethers.getSigners();
  const [deployer, scienceDept, ipOffice, exchange, security] = signers;
  const [evaluator, arbitration, auditBureau, notaryOffice] = signers.slice(5, 9);

  story.begin(
    "1. The consortium is formed",
    "Four founding organisations deploy the suite on the embedded chain; a council of three (2 of 3 must agree) takes over.",
  );
  await deployments.fixture();
  const { chainId } = await ethers.provider.getNetwork();
  const deployment = deploymentFromRecords("hardhat", chainId, await deployments.all());
  const as = (s: HardhatEthersSigner) => GovLedger.connect(s, deployment);
  const sci = await as(scienceDept);
  const status = await sci.council.status();
  for (const [name, address] of Object.entries(deployment.contracts)) story.note(`${name.padEnd(15)} ${address}`);
  story.done("deployer", "deployed the suite and admitted the founders", { contracts: deployment.contracts });
  for (const m of await sci.members.members()) story.note(`member ${m.id}: ${m.name} [${m.roles.join(", ")}]`);
  const [deployerAdmin] = await sci.authority.hasRole(0n, deployer.address);
  story.done(
    "deployer",
    `handed over: holds the admin role = ${deployerAdmin}; council ${status.threshold} of ${status.councillors.length}`,
    {
      councillors: status.councillors,
      threshold: status.threshold,
    },
  );

  story.begin("2. Members join by council decision", "No single key admits a member: two councillors must agree.");
  const admitEvaluator = sci.members.admit({
    name: "Zhongguancun Technology Evaluation Institute (科技评估中心)",
    accounts: [evaluator.address],
    roles: ["evaluator"],
  });
  const first = await sci.council.propose(admitEvaluator).wait();
  story.done("Science Dept", `proposed #${first.id}: ${admitEvaluator.description}`, { proposal: first.id });
  await refusal("Science Dept", `executes #${first.id} with 1 of 2 approvals`, sci.council.execute(first.id));
  await decide(first.id, [ipOffice], scienceDept, deployment);
  for (const [who, signer, role] of [
    ["Provincial Arbitration Commission (仲裁委员会)", arbitration, "arbitrator"],
    ["Municipal Audit Bureau (审计局)", auditBureau, "auditor"],
    ["Public Notary Office (公证处)", notaryOffice, "notary"],
  ] as const) {
    const call = sci.members.admit({ name: who, accounts: [signer.address], roles: [role] });
    const { id } = await sci.council.propose(call).wait();
    await decide(id, [exchange], scienceDept, deployment);
  }
  story.note(`the consortium now has ${(await sci.members.members()).length} members`);

  story.begin("3. Nobody governs alone", "Direct calls that skip the council are refused by the authority.");
  const registryAsDeployer = MemberRegistry__factory.connect(deployment.contracts.MemberRegistry, deployer);
  await refusal(
    "former deployer",
    "grants itself the notary role directly",
    sci.members.contract.connect(deployer).grantMemberRole.staticCall(1n, 13n),
  );
  await refusal(
    "Science Dept",
    "admits a member without the council",
    registryAsDeployer.connect(scienceDept).admitMember.staticCall("Shadow Org", ethers.ZeroHash, [], []),
  );

  story.begin("4. Emergency pause", "The guardian stops the member registry; reads go on; the council resumes it.");
  const guard = await as(security);
  await guard.pause("MemberRegistry").wait();
  story.done("Security Office (guardian)", "paused MemberRegistry");
  story.note(`read while paused: member 1 is ${(await sci.members.member(1n)).name}`);
  const grant = await sci.council.propose(sci.members.grantRole(5n, "auditor")).wait();
  await (await as(ipOffice)).council.approve(grant.id).wait();
  await refusal("Science Dept", `executes #${grant.id} (grant a role) while paused`, sci.council.execute(grant.id));
  await refusal("Security Office (guardian)", "unpauses on its own", guard.members.contract.unpause.staticCall());
  const resume = await sci.council.propose(sci.unpause("MemberRegistry")).wait();
  await decide(resume.id, [ipOffice], scienceDept, deployment);
  await sci.council.execute(grant.id).wait();
  story.done("Science Dept", `executed #${grant.id} after the resume: member 5 also audits`);

  story.begin(
    "5. Upgrades wait, and a guardian can stop them",
    "An upgrade waits one day after approval; during that day the guardian can cancel it.",
  );
  const newImplementation = await (await new MemberRegistry__factory(deployer).deploy()).getAddress();
  const upgrade = sci.upgrade("MemberRegistry", newImplementation);
  const bad = await sci.council.propose(upgrade).wait();
  const queued = await (await as(ipOffice)).council.approve(bad.id).wait();
  story.done("IP Office", `approved #${bad.id}; scheduled, ready at ${iso(queued.queued?.readyAt)}`, {
    readyAt: queued.queued?.readyAt,
  });
  await refusal("Science Dept", `executes #${bad.id} before the delay`, sci.council.execute(bad.id));
  await guard.council.cancel(bad.id).wait();
  story.done(
    "Security Office (guardian)",
    `cancelled upgrade #${bad.id}; state ${(await sci.council.proposal(bad.id)).state}`,
  );
  const good = await sci.council.propose(upgrade).wait();
  await (await as(exchange)).council.approve(good.id).wait();
  await time.increase(86_400);
  story.note("one day passes");
  const before = (await sci.members.members()).length;
  await sci.council.execute(good.id).wait();
  const implementation = await hre.upgrades.erc1967.getImplementationAddress(deployment.contracts.MemberRegistry);
  story.done("Science Dept", `executed upgrade #${good.id}: implementation is now ${implementation}`, {
    implementation,
  });
  story.note(`members before ${before}, after ${(await sci.members.members()).length}: no record lost`);

  story.begin("6. Changing who governs waits longer", "Seating a fourth councillor waits two days.");
  const seat = await sci.council.propose(sci.council.addCouncillor(auditBureau.address)).wait();
  const seatQueued = await (await as(ipOffice)).council.approve(seat.id).wait();
  story.done("IP Office", `approved #${seat.id}; ready at ${iso(seatQueued.queued?.readyAt)}`);
  await time.increase(2 * 86_400);
  story.note("two days pass");
  await sci.council.execute(seat.id).wait();
  const after = await sci.council.status();
  story.done(
    "Science Dept",
    `seated the Audit Bureau: council is now ${after.threshold} of ${after.councillors.length}`,
    {
      councillors: after.councillors,
    },
  );

  const chapter7 = await identityChapter(deployment, signers);
  await evidenceChapter(deployment, signers);
  const chapter9 = await achievementChapter(deployment, signers, chapter7);
  await tradeChapter(deployment, signers, chapter7, chapter9);

  const file = story.write("out/demo-report.json", {
    network: hre.network.name,
    chainId,
    contracts: deployment.contracts,
    generatedAt: new Date().toISOString(),
  });
  console.log(`\nReport written to ${file}`);
}

/** Who chapter 7 left with a DID and a key, for the chapters after it. */
interface IdentityCast {
  university: { did: bigint; key: Signer };
  company: { did: bigint; key: Signer };
}

/**
 * Chapter 7: an agency registers a university, a research team and a company; the council accredits
 * a credential issuer, which certifies them; the company's key is stolen and recovered; a
 * cross-agency look-up happens under the research team's consent, signed without funds.
 */
async function identityChapter(deployment: Deployment, signers: HardhatEthersSigner[]): Promise<IdentityCast> {
  const [deployer, scienceDept, ipOffice, exchange] = signers;
  const sci = await GovLedger.connect(scienceDept, deployment);
  const ip = await GovLedger.connect(ipOffice, deployment);
  const hash = (text: string) => id(text);
  story.begin(
    "7. Digital identities",
    "The Science Dept registers DIDs; the council accredits the IP Office to certify them; a stolen key is recovered; a look-up happens under consent.",
  );

  const [universityKey, companyKey, newCompanyKey] = [0, 1, 2].map(() =>
    Wallet.createRandom().connect(hre.ethers.provider),
  );
  const teamKey = Wallet.createRandom().connect(hre.ethers.provider);
  for (const w of [universityKey, companyKey]) {
    await (await deployer.sendTransaction({ to: w.address, value: hre.ethers.parseEther("1") })).wait();
  }
  const register = async (who: string, kind: string, account: string) => {
    const r = await sci.identity
      .register({
        kind,
        commitment: hash(`salted record of ${who}`),
        keys: [{ account, purposes: "authentication,assertion" }],
      })
      .wait();
    story.done("Science Dept (registrar)", `registered ${who} as ${r.did}`, { did: r.did });
    return r.id;
  };
  const ipDid = await register("the IP Office", "organisation", ipOffice.address);
  const exchangeDid = await register("the Exchange Centre", "organisation", exchange.address);
  const university = await register(
    "Provincial University of Technology (省理工大学)",
    "organisation",
    universityKey.address,
  );
  const team = await register("the university's battery research team (电池课题组)", "organisation", teamKey.address);
  const company = await register("Greenvolt Battery Co. (绿伏电池公司)", "organisation", companyKey.address);
  story.note("on chain: ids, keys, and salted hashes of the identity records; no names, no personal data");

  const topics: bigint[] = [];
  for (const name of ["research institution (科研机构)", "high-tech enterprise (高新技术企业)"]) {
    const { id: proposal } = await sci.council
      .propose(sci.identity.registerTopic(name, hash(`schema: ${name}`)))
      .wait();
    await decide(proposal, [ipOffice], scienceDept, deployment);
    topics.push(BigInt((await sci.identity.topics()).length));
    const accredit = await sci.council.propose(sci.identity.accreditIssuer(ipDid, topics[topics.length - 1])).wait();
    await decide(accredit.id, [exchange], scienceDept, deployment);
  }
  const [research, highTech] = topics;
  const now = BigInt(await time.latest());
  const year = now + 365n * 86_400n;
  const issued = await ip.identity
    .issueClaims([
      {
        subject: university,
        topic: research,
        dataHash: hash("certificate: university"),
        validFrom: now,
        validUntil: year,
      },
      { subject: team, topic: research, dataHash: hash("certificate: team"), validFrom: now, validUntil: year },
      { subject: company, topic: highTech, dataHash: hash("certificate: company"), validFrom: now, validUntil: year },
    ])
    .wait();
  story.done("IP Office (credential issuer)", `issued ${issued.length} claims in one transaction`, {
    claims: issued.map((c) => c.id),
  });
  const universityGov = await GovLedger.connect(universityKey, deployment);
  await refusal(
    "the university",
    "certifies the company itself, without accreditation",
    universityGov.identity.issueClaim({
      subject: company,
      topic: highTech,
      dataHash: hash("self-made"),
      validUntil: year,
    }),
  );

  await (await GovLedger.connect(companyKey, deployment)).identity.setGuardians(company, [university, ipDid], 2).wait();
  story.done("the company", "chose the university and the IP Office as guardians, 2 of 2");
  story.note("the company's key is stolen");
  await sci.identity.suspend(company, hash("report: key stolen")).wait();
  story.done("Science Dept (registrar)", "suspended the company's DID: the stolen key can no longer act");
  const thief = await GovLedger.connect(companyKey, deployment);
  await refusal("the thief", "objects to the recovery with the stolen key", thief.identity.objectRecovery(company));
  await universityGov.identity.initiateRecovery(company, newCompanyKey.address).wait();
  const approved = await ip.identity.approveRecovery(company).wait();
  story.done("university + IP Office (guardians)", `approved a new key; ready at ${iso(approved.readyAt)}`);
  await refusal(
    "the university",
    "completes the recovery before the delay",
    universityGov.identity.completeRecovery(company),
  );
  await time.increase(86_400);
  story.note("one day passes");
  const recovered = await universityGov.identity.completeRecovery(company).wait();
  story.done("the university", `completed the recovery: the company's only key is now ${recovered.newKey}`);
  await sci.identity.reinstate(company).wait();
  story.done("Science Dept (registrar)", "reinstated the company, now controlled by its new key");
  await refusal(
    "the thief",
    "adds a key of its own with the stolen key",
    thief.identity.addKey(company, Wallet.createRandom().address, "authentication"),
  );
  story.note(`the company still holds its high-tech claim: ${await sci.identity.hasValidClaim(company, highTech)}`);

  const teamSigned = sci.identity.relayed(teamKey, deployer);
  const consent = await teamSigned
    .grantConsent({
      subject: team,
      grantee: exchangeDid,
      category: "education",
      purposeHash: hash("purpose: check the team's qualifications for a listing"),
      validUntil: now + 30n * 86_400n,
    })
    .wait();
  story.done(
    "the research team (no funds, signed; relayed)",
    `let the Exchange Centre see its records: consent #${consent.consentId}`,
    {
      balance: await hre.ethers.provider.getBalance(teamKey.address),
    },
  );
  const ex = await GovLedger.connect(exchange, deployment);
  const receipt = await ex.identity.recordAccess(consent.consentId, hash("request: team qualification file")).wait();
  story.done(
    "Exchange Centre",
    `looked up the team's records, receipt #${receipt.receiptId} cites consent #${consent.consentId}`,
  );
  await teamSigned.revokeConsent(consent.consentId).wait();
  story.done("the research team", `revoked consent #${consent.consentId}`);
  await refusal(
    "Exchange Centre",
    "looks up the team's records again",
    ex.identity.recordAccess(consent.consentId, hash("request: again")),
  );
  return { university: { did: university, key: universityKey }, company: { did: company, key: newCompanyKey } };
}

/**
 * Chapter 8: the IP Office notarizes a folder of case records as one Merkle root and a few single
 * records; an arbitrator revokes one by order; an auditor checks a genuine file, a tampered file,
 * a corrected record and the revoked one, from proof bundles and from the chain.
 */
async function evidenceChapter(deployment: Deployment, signers: HardhatEthersSigner[]): Promise<void> {
  const [, , ipOffice, exchange] = signers;
  const [arbitration, auditBureau] = [signers[6], signers[7]];
  story.begin(
    "8. Evidence",
    "The IP Office notarizes a folder of records in one Merkle batch and a few single records; an auditor verifies them without trusting anyone.",
  );
  const ip = await GovLedger.connect(ipOffice, deployment);
  await ip.evidence.enrolNotary(ipOffice.address).wait();
  story.done("IP Office", "enrolled as a notary (NOTARY role + active DID)");

  const dir = path.join("out", "demo-evidence");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "records"), { recursive: true });
  mkdirSync(path.join(dir, "proofs"), { recursive: true });
  const files: string[] = [];
  for (let i = 1; i <= 200; i++) {
    const file = path.join(dir, "records", `patent-case-${String(i).padStart(3, "0")}.json`);
    writeFileSync(file, JSON.stringify({ case: `2026-ZJ-${i}`, filedBy: `applicant ${i}`, pages: i % 17 }) + "\n");
    files.push(file);
  }
  const digests = await Promise.all(files.map((f) => digestFile(f, DigestAlgorithm.SHA256)));
  const tree = EvidenceMerkleTree.of(digests);
  const anchored = await ip.evidence
    .anchorRoot(tree.root, digests.length, {
      algorithm: "sha256",
      category: 1,
      businessRef: id("docket: patent cases, November 2026"),
      metadata: id("manifest of out/demo-evidence/records"),
    })
    .wait();
  const block = await hre.ethers.provider.getBlock(anchored.blockNumber);
  const { chainId } = await hre.ethers.provider.getNetwork();
  files.forEach((file, i) => {
    const bundle = createBundle({
      fileName: path.basename(file),
      digest: digests[i] as `0x${string}`,
      algorithm: DigestAlgorithm.SHA256,
      anchor: "merkle-root",
      proof: tree.proof(i),
      root: tree.root,
      chainId: Number(chainId),
      contract: deployment.contracts.EvidenceRegistry,
      txHash: anchored.transactionHash as `0x${string}`,
      blockNumber: anchored.blockNumber,
      blockTime: block?.timestamp ?? 0,
    });
    writeFileSync(path.join(dir, "proofs", `${path.basename(file)}.proof.json`), JSON.stringify(bundle, null, 2));
  });
  story.done("IP Office", `anchored ${files.length} case records as one Merkle root and wrote one proof bundle each`, {
    root: tree.root,
    gasUsed: (await hre.ethers.provider.getTransactionReceipt(anchored.transactionHash))?.gasUsed,
  });

  const contract = digestBytes("sales contract between Greenvolt and the university, signed scan", DigestAlgorithm.SM3);
  const transcript = digestBytes("hearing transcript, draft", DigestAlgorithm.SHA256);
  const corrected = digestBytes("hearing transcript, corrected page 3", DigestAlgorithm.SHA256);
  await ip.evidence
    .notarize(contract, { algorithm: "sm3", category: 2, businessRef: id("contract 2026-TC-88") })
    .wait();
  await ip.evidence
    .notarize(transcript, { algorithm: "sha256", category: 3, businessRef: id("case 2026-ZJ-7") })
    .wait();
  story.done("IP Office", "notarized a signed contract (SM3) and a hearing transcript (SHA-256)");
  await refusal(
    "IP Office",
    "notarizes the same contract again",
    ip.evidence.notarize(contract, { algorithm: "sm3", category: 2 }),
  );
  await refusal(
    "Exchange Centre",
    "notarizes without being a notary",
    (await GovLedger.connect(exchange, deployment)).evidence.notarize(digestBytes("x", DigestAlgorithm.SHA256), {
      algorithm: "sha256",
    }),
  );
  await ip.evidence
    .supersede(transcript, corrected, { algorithm: "sha256", category: 3, businessRef: id("case 2026-ZJ-7") })
    .wait();
  story.done("IP Office", "corrected the transcript: a new record supersedes the old one, which stays");
  const arbitrator = await GovLedger.connect(arbitration, deployment);
  await arbitrator.evidence.revokeByOrder(contract, id("ruling 2026-ARB-12: contract void")).wait();
  story.done(
    "Arbitration Commission",
    "revoked the contract record by order; the record stays, with the ruling's hash",
  );

  const auditor = await GovLedger.connect(auditBureau, deployment);
  const genuine = files[41];
  const proofOf = (file: string) => readFileSync(path.join(dir, "proofs", `${path.basename(file)}.proof.json`), "utf8");
  const ok = await auditor.evidence.verifyProof(proofOf(genuine), genuine);
  story.done(
    "Audit Bureau",
    `checks ${path.basename(genuine)} with its proof bundle: ${ok.verdict} by ${ok.submitter?.organisation?.name} (${ok.submitter?.did}), valid = ${ok.valid}`,
    {
      verdict: ok.verdict,
      valid: ok.valid,
      notary: ok.submitter?.organisation?.name,
    },
  );
  const tampered = path.join(dir, "tampered-patent-case-042.json");
  writeFileSync(tampered, readFileSync(genuine, "utf8").replace("applicant 42", "applicant 24"));
  const bad = await auditor.evidence.verifyProof(proofOf(genuine), tampered);
  story.done(
    "Audit Bureau",
    `checks a tampered copy with the same bundle: valid = ${bad.valid} (${bad.problems.join("; ")})`,
    {
      valid: bad.valid,
    },
  );
  const lookup = await auditor.evidence.verify(await digestFile(tampered, DigestAlgorithm.SHA256));
  story.done("Audit Bureau", `looks the tampered copy up on chain: ${lookup.verdict}`, { verdict: lookup.verdict });
  const old = await auditor.evidence.verify(transcript);
  story.done("Audit Bureau", `checks the first transcript: ${old.verdict} by ${old.supersededBy}`, {
    verdict: old.verdict,
  });
  const revoked = await auditor.evidence.verify(contract);
  story.done("Audit Bureau", `checks the contract: ${revoked.verdict} (by order: ${revoked.revocation?.byOrder})`, {
    verdict: revoked.verdict,
  });
}

/**
 * Chapter 9: the Science Dept registers a patent co-owned 70/30 by the university of chapter 7 and
 * its battery team's lead; the university grants the team a ten-year use right (赋权); an accredited
 * agency evaluates the patent; the co-owners pledge it to a bank (知识产权质押), which releases it.
 * No co-owner disposes of it alone, a party cannot evaluate it, and nothing moves while it is pledged.
 */
async function achievementChapter(
  deployment: Deployment,
  signers: HardhatEthersSigner[],
  cast: IdentityCast,
): Promise<PatentCast> {
  const [deployer, scienceDept] = signers;
  const institute = signers[5];
  story.begin(
    "9. Technology achievements",
    "A university and its research team co-own a patent; the university grants the team a use right; an accredited agency evaluates it; it is pledged to a bank and released. Nobody disposes of it alone.",
  );
  const sci = await GovLedger.connect(scienceDept, deployment);
  const [teamLeadKey, inventorKey] = [Wallet.createRandom(), Wallet.createRandom()];
  const bankKey = Wallet.createRandom().connect(hre.ethers.provider);
  await (await deployer.sendTransaction({ to: bankKey.address, value: hre.ethers.parseEther("1") })).wait();
  const register = async (who: string, kind: string, account: string) => {
    const r = await sci.identity
      .register({ kind, commitment: id(`salted record of ${who}`), keys: [{ account, purposes: 3 }] })
      .wait();
    story.done("Science Dept (registrar)", `registered ${who} as ${r.did}`, { did: r.did });
    return r.id;
  };
  const sciDid = await register(
    "itself, the registration agency (科技成果登记机构)",
    "organisation",
    scienceDept.address,
  );
  const teamLead = await register("the battery team's lead (课题组负责人)", "person", teamLeadKey.address);
  const inventor = await register("a team member, co-inventor (发明人)", "person", inventorKey.address);
  const bankDid = await register("Provincial Commercial Bank (省商业银行)", "organisation", bankKey.address);
  const instituteDid = await register("the Zhongguancun Evaluation Institute", "organisation", institute.address);
  const university = cast.university.did;
  const names = new Map<bigint, string>([
    [sciDid, "the Science Dept"],
    [university, "the university"],
    [teamLead, "the team lead"],
    [inventor, "the co-inventor"],
    [bankDid, "the bank"],
    [instituteDid, "the Evaluation Institute"],
    [cast.company.did, "Greenvolt"],
  ]);
  const who = (did: unknown) => names.get(BigInt(did as bigint)) ?? `DID ${String(did)}`;

  await accreditEvaluators(sciDid, [instituteDid, university], deployment, signers);
  // Enrolment checks a registrar's role, or an evaluator's claim, once; the registry then reads one slot.
  await sci.achievement.enrolRegistrar(scienceDept.address).wait();
  await sci.achievement.enrolEvaluator(institute.address, instituteDid).wait();
  await sci.achievement.enrolEvaluator(await cast.university.key.getAddress(), university).wait();
  story.done(
    "Science Dept",
    "enrolled itself as registrar, and the two evaluators' accounts, after checking their role and claims",
  );
  const now = BigInt(await time.latest());
  const year = 365n * 86_400n;

  const number = formatRegistrationNumber({ region: 31, year: 2026, type: 2, serial: 42 });
  const form = {
    name: "一种高安全性固态锂电池电解质及其制备方法 (A high-safety solid-state lithium battery electrolyte and its preparation)",
    researchStart: Date.UTC(2021, 8, 1) / 1000,
    researchEnd: Date.UTC(2025, 11, 31) / 1000,
    field: 48_020,
    form: 1,
    stage: 2,
    keywords: ["固态电池 solid-state battery", "电解质 electrolyte", "锂离子 lithium-ion"],
  };
  const registered = await sci.achievement
    .register({
      registrationNumber: number,
      kind: "patent",
      classification: "applied-research",
      secrecy: "open",
      metadata: id(JSON.stringify({ number: number.toString(), ...form, attachments: ["patent certificate"] })),
      metadataURI: `https://registry.sci.example/forms/${number}`,
      externalIds: [id("ZL202610123456.7")],
      owners: [
        { did: university, bps: 7_000 },
        { did: teamLead, bps: 3_000 },
      ],
      inventors: [teamLead, inventor],
      holder: await cast.university.key.getAddress(),
      form,
    })
    .wait();
  const patent = registered.id;
  story.done(
    "Science Dept (registrar)",
    `registered patent ${registered.registrationNumber} (ZL202610123456.7, hashed): university 70%, team lead 30%, two inventors`,
    { id: patent, owners: registered.owners, status: registered.status },
  );

  const uni = await GovLedger.connect(cast.university.key, deployment);
  const grant = await uni.achievement
    .grantRight({
      id: patent,
      right: "use",
      holdings: [{ did: teamLead, bps: 10_000 }],
      until: now + 10n * year,
      asDid: university,
      signers: [teamLeadKey],
    })
    .wait();
  story.done(
    "the university, with the team lead's signature (no funds)",
    `granted the team the use right until ${iso(grant.until)} (赋权); ownership stays 70/30`,
    { right: grant.right, holdings: grant.holdings, until: grant.until },
  );

  const grab = await uni.achievement.buildChange({
    id: patent,
    right: "ownership",
    holdings: [{ did: university, bps: 10_000 }],
    holder: await cast.university.key.getAddress(),
  });
  story.note(`whose consent that takes: ${(await uni.achievement.consentsNeeded(grab)).map(who).join(", ")}`);
  await uni.achievement
    .changeRights(grab, { asDid: university })
    .check()
    .catch((e: unknown) => story.note(`the SDK stops it before sending: ${(e as Error).message}`));
  await refusal(
    "the university",
    "takes the whole patent alone, sending the change to the chain without the team's consent",
    uni.achievement.rights.changeRights.staticCall(grab, [], university),
  );

  await refusal(
    "the university's evaluation centre",
    "evaluates the university's own patent",
    uni.achievement.evaluate({
      id: patent,
      evaluator: university,
      scores: { scientific: 100, technical: 100, economic: 100, social: 100, cultural: 100 },
      suggestedValue: 9_000_000_000n,
      validUntil: now + 2n * year,
      reportHash: id("self-evaluation"),
      declarationHash: id("no conflict (untrue)"),
    }),
  );
  const agency = await GovLedger.connect(institute, deployment);
  const evaluation = await agency.achievement
    .evaluate({
      id: patent,
      evaluator: instituteDid,
      scores: { scientific: 88, technical: 92, economic: 85, social: 80, cultural: 60 },
      suggestedValue: 1_200_000_000n,
      validUntil: now + 2n * year,
      reportHash: id("evaluation report ZGC-PJ-2026-0412"),
      declarationHash: id("declaration of no conflict of interest ZGC-PJ-2026-0412"),
    })
    .wait();
  story.done(
    "Evaluation Institute",
    `published evaluation #${evaluation.index}: scientific ${evaluation.scores.scientific}, technical ${evaluation.scores.technical}, economic ${evaluation.scores.economic}, social ${evaluation.scores.social}, cultural ${evaluation.scores.cultural}; suggested value ¥${yuan(evaluation.suggestedValue)}; status ${evaluation.status}`,
    { scores: evaluation.scores, suggestedValue: evaluation.suggestedValue, status: evaluation.status },
  );

  const bank = await GovLedger.connect(bankKey, deployment);
  const terms = await bank.achievement.buildPledge({
    id: patent,
    lender: bankDid,
    securedAmount: 500_000_000n,
    until: now + year,
    contractHash: id("pledge contract PCB-ZY-2026-0088"),
  });
  story.note(`whose consent a pledge takes: ${(await bank.achievement.pledgeParties(terms)).map(who).join(", ")}`);
  await bank.achievement.approve(terms, bankDid).wait();
  story.done("the bank", "approved the pledge terms on chain: a ¥5,000,000.00 loan for one year");
  const pledged = await uni.achievement.pledgeWith(terms, { asDid: university, signers: [teamLeadKey] }).wait();
  story.done(
    "the university, with the team lead's signature",
    `pledged the patent to the bank (知识产权质押), securing ¥${yuan(pledged.securedAmount)} until ${iso(pledged.until)}`,
    { lender: pledged.lender, securedAmount: pledged.securedAmount, until: pledged.until },
  );
  await refusal(
    "university + team lead + Greenvolt",
    "sell the pledged patent to Greenvolt, all three consenting",
    uni.achievement.transfer({
      id: patent,
      owners: [{ did: cast.company.did, bps: 10_000 }],
      holder: await cast.company.key.getAddress(),
      asDid: university,
      signers: [teamLeadKey, cast.company.key],
    }),
  );
  await refusal("the university", "releases the pledge itself", uni.achievement.release(patent, university));
  const released = await bank.achievement.release(patent, bankDid).wait();
  story.done("the bank", "released the pledge: the loan is repaid", { byOrder: released.byOrder });

  const view = await sci.achievement.show(patent);
  const holders = (right: RightName) =>
    view.rights[right].holdings.map((h) => `${who(h.did)} ${h.bps / 100}%`).join(", ");
  story.done(
    "anyone",
    `reads patent ${view.registrationNumber}: ${view.status}, pledged ${view.pledged}; ownership ${holders("Ownership")}; use ${holders("Use")}; disposal ${holders("Disposal")}; income ${holders("Income")}`,
    {
      status: view.status,
      pledged: view.pledged,
      version: view.version,
      rights: Object.fromEntries(RIGHTS.map((r) => [r, view.rights[r].holdings])),
      evaluations: view.evaluations.length,
    },
  );
  const history = await sci.achievement.history(patent);
  for (const e of history) story.note(`block ${e.blockNumber}  ${describeEvent(e, who)}`);
  story.done("anyone", `read the patent's history: ${history.length} events, each naming the DID that acted`, {
    events: history.map((e) => e.name),
  });
  return {
    patent,
    registrar: sciDid,
    teamLead: { did: teamLead, key: teamLeadKey },
    inventor: { did: inventor, key: inventorKey },
    names,
  };
}

/** What chapter 9 left: the patent, and the team lead's and co-inventor's DIDs and keys (no funds). */
interface PatentCast {
  patent: bigint;
  registrar: bigint;
  teamLead: { did: bigint; key: HDNodeWallet };
  inventor: { did: bigint; key: HDNodeWallet };
  names: Map<bigint, string>;
}

/**
 * Chapter 10, the climax: Greenvolt licenses the team's patent at auction on the Technology Exchange
 * Centre. The co-owners list it and the centre publishes it; two companies register and pay deposits;
 * Greenvolt wins; the loser takes its deposit back; the centre confirms the deal, which opens the
 * escrow and records the licence; Greenvolt pays two instalments, disputes the second, and the
 * arbitration commission rules; every party withdraws its split; the centre registers the technology
 * contract and certifies the transaction; anyone checks the licence.
 */
async function tradeChapter(
  deployment: Deployment,
  signers: HardhatEthersSigner[],
  cast: IdentityCast,
  patentCast: PatentCast,
): Promise<void> {
  const [deployer, scienceDept, , exchange] = signers;
  const arbitration = signers[6];
  story.begin(
    "10. Licence trading",
    "The patent is licensed at auction on the Technology Exchange Centre, paid through escrow in instalments, one disputed and ruled; the income is split and withdrawn, the contract registered and the licence checked.",
  );
  const { patent, teamLead, inventor } = patentCast;
  const names = new Map(patentCast.names);
  const who = (did: unknown) => names.get(BigInt(did as bigint)) ?? `DID ${String(did)}`;
  const sci = await GovLedger.connect(scienceDept, deployment);
  const provider = hre.ethers.provider;
  const fund = async (address: string) =>
    (await deployer.sendTransaction({ to: address, value: hre.ethers.parseEther("1") })).wait();
  const register = async (name: string, account: string) => {
    const r = await sci.identity
      .register({ kind: "organisation", commitment: id(`salted record of ${name}`), keys: [{ account, purposes: 3 }] })
      .wait();
    names.set(r.id, name);
    return r.id;
  };
  const centreDid = (await sci.identity.didOf(exchange.address))!.id; // registered in chapter 7
  names.set(centreDid, "the Exchange Centre");
  await register("the Arbitration Commission", arbitration.address);
  const sunriseKey = Wallet.createRandom().connect(provider);
  const sunrise = await register("Sunrise Energy", sunriseKey.address);
  const greenvolt = cast.company.did;
  const university = cast.university.did;
  story.done(
    "Science Dept (registrar)",
    "registered DIDs for the Arbitration Commission and a second bidder, Sunrise Energy",
  );

  // The stand-in digital currency (2 decimals) of the embedded chain; in production, the consortium's token.
  const currency = StandInCurrency__factory.connect(deployment.contracts.StandInCurrency, deployer);
  const teamLeadKey = teamLead.key.connect(provider);
  await fund(sunriseKey.address);
  await fund(teamLeadKey.address);
  await fund(await cast.company.key.getAddress());
  for (const account of [await cast.company.key.getAddress(), sunriseKey.address]) {
    await (await currency.mint(account, 200_000_000n)).wait();
  }
  story.note("Greenvolt and Sunrise Energy each hold ¥2,000,000.00 of the stand-in digital currency");

  const uni = await GovLedger.connect(cast.university.key, deployment);
  const centre = await GovLedger.connect(exchange, deployment);
  const green = await GovLedger.connect(cast.company.key, deployment);
  const sun = await GovLedger.connect(sunriseKey, deployment);
  const lead = await GovLedger.connect(teamLeadKey, deployment);
  const now = BigInt(await time.latest());
  const FIELD = 48_020;
  const SHANGHAI = 310_000;
  const listed = await uni.market
    .list(
      {
        achievement: patent,
        centre: centreDid,
        mode: "auction",
        price: "800000.00",
        deposit: "50000.00",
        increment: "10000.00",
        biddingEnds: now + 3n * 86_400n,
        licence: { kind: "exclusive", field: FIELD, territory: SHANGHAI, term: { years: 5 } },
        schedule: [
          { percent: 40, dueAfterDays: 30 },
          { percent: 60, dueAfterDays: 90 },
        ],
        inventorBps: 1_000,
        termsHash: id("listing document SH-TEC-2026-0917 (挂牌文件)"),
      },
      university,
    )
    .wait();
  const listing = listed.id;
  story.done(
    "the university",
    `listed the patent (挂牌) #${listing}: a 5-year exclusive licence for field ${FIELD} in territory ${SHANGHAI}, at auction from a reserve of ¥800,000.00; deposit ¥50,000.00, increment ¥10,000.00; paid 40% after 30 days and 60% after 90; 10% to the inventors`,
    { listing, mode: listed.mode, price: listed.price },
  );
  await centre.market
    .publish(listing, 300)
    .check()
    .catch((e: unknown) => story.note(`the SDK stops it before sending: ${(e as Error).message}`));
  await refusal(
    "the Exchange Centre",
    "publishes it before the co-owner approves, sending it to the chain anyway",
    centre.market.market.publish.staticCall(listing, 300),
  );
  await lead.market.approve(listing, teamLead.did).wait();
  story.done("the team lead", "approved the listing: no co-owner disposes of the patent alone");
  await centre.market.publish(listing, 300).wait();
  story.done("the Exchange Centre", "reviewed and published the listing with a 3% fee; the patent is now Listed");

  await refusal(
    "the university",
    "registers to bid on its own auction",
    uni.market.registerBidder(listing, university),
  );
  for (const [name, gl, did] of [
    ["Greenvolt", green, greenvolt],
    ["Sunrise Energy", sun, sunrise],
  ] as const) {
    await gl.market.approveDeposit(listing).wait();
    const r = await gl.market.registerBidder(listing, did).wait();
    story.done(name, `registered as a bidder, paying the ¥${yuan(r.deposit)} deposit (交易保证金) into the market`);
  }
  const bids: [string, GovLedger, bigint, string][] = [
    ["Sunrise Energy", sun, sunrise, "800000.00"],
    ["Greenvolt", green, greenvolt, "850000.00"],
  ];
  for (const [name, gl, did, amount] of bids) {
    const placed = await gl.market.bid(listing, amount, did).wait();
    story.done(name, `bid ¥${yuan(placed.amount)}`);
  }
  await refusal(
    "Sunrise Energy",
    "bids ¥855,000.00, less than the increment above the highest",
    sun.market.bid(listing, "855000.00", sunrise),
  );
  for (const [name, gl, did, amount] of [
    ["Sunrise Energy", sun, sunrise, "860000.00"],
    ["Greenvolt", green, greenvolt, "900000.00"],
  ] as const) {
    const placed = await gl.market.bid(listing, amount, did).wait();
    story.done(name, `bid ¥${yuan(placed.amount)}`);
  }
  await time.increase(3 * 86_400);
  story.note("three days pass: bidding is over");
  const closed = await sun.market.closeAuction(listing).wait();
  story.done("anyone", `closed the auction: won by ${who(closed.winner)} at ¥${yuan(closed.price)}`, {
    winner: closed.winner,
    price: closed.price,
  });
  const back = await sun.market.withdrawDeposit(listing, sunrise).wait();
  story.done("Sunrise Energy", `withdrew its ¥${yuan(back.amount)} deposit`);

  const dealRef = id("deal confirmation SH-TEC-2026-0917-CJ (成交确认书)");
  const deal = await centre.market.confirmDeal(listing, dealRef, now + 10n * 86_400n).wait();
  const escrowView = await centre.escrow.show(deal.escrow);
  story.done(
    "the Exchange Centre",
    `confirmed the deal (成交确认书): licence #${deal.licence} recorded, escrow #${deal.escrow} opened with ${escrowView.milestones
      .map((m) => `¥${yuan(m.amount)} ${m.status}`)
      .join(", ")} (the deposit counts toward the price)`,
    {
      escrow: deal.escrow,
      licence: deal.licence,
      price: deal.price,
      milestones: escrowView.milestones.map((m) => m.amount),
    },
  );

  const escrowId = deal.escrow;
  await centre.escrow.confirm(escrowId, 1, centreDid).wait();
  story.done("the Exchange Centre", "confirmed the deposit milestone at the handover of the technical documents");
  await green.escrow.approveFunding(escrowId, 2).wait();
  await green.escrow.fund(escrowId, 2, greenvolt).wait();
  await green.escrow.confirm(escrowId, 2, greenvolt).wait();
  story.done("Greenvolt", `paid and confirmed the first instalment of ¥${yuan(escrowView.milestones[1].amount)}`);
  await green.escrow.approveFunding(escrowId, 3).wait();
  await green.escrow.fund(escrowId, 3, greenvolt).wait();
  const disputed = await green.escrow
    .dispute(escrowId, 3, greenvolt, id("the pilot line reached 82% of the promised yield"))
    .wait();
  story.done("Greenvolt", `funded the second instalment, then disputed it: funds frozen (${disputed.status})`);
  await refusal("Greenvolt", "reclaims the disputed instalment", green.escrow.reclaim(escrowId, 3, greenvolt));
  const arbiter = await GovLedger.connect(arbitration, deployment);
  const ruling = await arbiter.escrow.rule(escrowId, 3, "51000.00", id("case 2026-沪仲-0117")).wait();
  story.done(
    "the Arbitration Commission",
    `ruled case 2026-沪仲-0117: ¥${yuan(ruling.toBuyer)} back to Greenvolt, ¥${yuan(ruling.released)} released and split`,
    { toBuyer: ruling.toBuyer, released: ruling.released },
  );

  const withdrawals: [string, GovLedger, bigint][] = [
    ["the university", uni, university],
    ["the team lead", lead, teamLead.did],
    ["the Exchange Centre", centre, centreDid],
    ["Greenvolt", green, greenvolt],
  ];
  const inventorGl = await GovLedger.connect(inventor.key.connect(provider), deployment);
  await fund(inventor.key.address);
  withdrawals.push(["the co-inventor", inventorGl, inventor.did]);
  const paid: Record<string, bigint> = {};
  for (const [name, gl, did] of withdrawals) {
    const w = await gl.escrow.withdraw(did).wait();
    paid[name] = w.amount;
    story.done(name, `withdrew ¥${yuan(w.amount)}`);
  }
  const ledger = await sci.escrow.liabilities();
  story.done(
    "anyone",
    `reconciles the escrow: holds ¥${yuan(ledger.held)}, owes ¥${yuan(ledger.owed)}, token balance ¥${yuan(ledger.balance)}; balanced = ${ledger.balanced}`,
    { held: ledger.held, owed: ledger.owed, balance: ledger.balance, paid },
  );

  const signed = BigInt(await time.latest());
  const registered = await centre.techContracts
    .register({
      number: "2026310104000917",
      type: "licence",
      contractHash: id("technology licence contract SH-TEC-2026-0917 (signed PDF)"),
      seller: university,
      buyer: greenvolt,
      amount: "900000.00",
      signedAt: signed,
      validFrom: signed,
      validUntil: signed + 5n * 365n * 86_400n,
      achievement: patent,
      licence: deal.licence,
      dealRef,
    })
    .wait();
  story.done(
    "the Exchange Centre",
    `registered technology contract ${registered.number} (技术合同认定登记): ${registered.type}, ¥${yuan(registered.amount)}`,
    { number: registered.number, type: registered.type },
  );
  const certificate = await centre.techContracts
    .certify(registered.id, id("transaction certificate SH-TEC-2026-0917-PZ (交易凭证)"))
    .wait();
  story.done(
    "the Exchange Centre",
    `issued the transaction certificate (交易凭证) ${certificate.certificateHash.slice(0, 10)}…`,
  );

  const licensed = await sci.licences.isLicensed(greenvolt, patent, { field: FIELD, territory: SHANGHAI });
  const rival = await sci.licences.isLicensed(sunrise, patent, { field: FIELD, territory: SHANGHAI });
  const elsewhere = await sci.licences.isLicensed(greenvolt, patent, { field: FIELD, territory: 440_000 });
  story.done(
    "anyone",
    `checks the licence register today: Greenvolt licensed for field ${FIELD} in ${SHANGHAI} = ${licensed}; in 440000 = ${elsewhere}; Sunrise Energy = ${rival}`,
    { licensed, elsewhere, rival },
  );
  const view = await sci.achievement.show(patent);
  story.note(`the patent is now ${view.status}`);
}

/**
 * The council names the claim topic that accredits evaluators and accredits the Science Dept to
 * issue it; the Science Dept then accredits `evaluators` (the Evaluation Institute, and the
 * university's own evaluation centre, which will find it cannot evaluate its own patent).
 */
async function accreditEvaluators(
  sciDid: bigint,
  evaluators: bigint[],
  deployment: Deployment,
  signers: HardhatEthersSigner[],
): Promise<void> {
  const [, scienceDept, ipOffice, exchange] = signers;
  const sci = await GovLedger.connect(scienceDept, deployment);
  const name = "achievement evaluator (科技成果评价机构)";
  const named = await sci.council.propose(sci.identity.registerTopic(name, id(`schema: ${name}`))).wait();
  await decide(named.id, [ipOffice], scienceDept, deployment);
  const topic = BigInt((await sci.identity.topics()).length);
  const accredit = await sci.council.propose(sci.identity.accreditIssuer(sciDid, topic)).wait();
  await decide(accredit.id, [exchange], scienceDept, deployment);
  const setTopic = await sci.council.propose(sci.achievement.setEvaluatorTopic(topic)).wait();
  await decide(setTopic.id, [ipOffice], scienceDept, deployment);
  story.note(`evaluators are now accredited by claims of topic ${await sci.achievement.evaluatorTopic()}`);
  const validUntil = BigInt(await time.latest()) + 3n * 365n * 86_400n;
  await sci.identity
    .issueClaims(
      evaluators.map((subject) => ({ subject, topic, dataHash: id(`accreditation of DID ${subject}`), validUntil })),
    )
    .wait();
  story.done(
    "Science Dept (accredited issuer)",
    "accredited the Evaluation Institute and the university's own evaluation centre as evaluators",
    { topic, evaluators },
  );
}

/** One line of an achievement's history. */
function describeEvent(e: AchievementEvent, who: (did: unknown) => string): string {
  const a = e.args;
  const by = e.actor === undefined ? "" : ` by ${who(e.actor)}`;
  const term = (until: unknown) => (until ? ` until ${iso(BigInt(until as bigint))}` : "");
  switch (e.name) {
    case "AchievementRegistered":
      return `registered${by}: ${(a.registration as RegistrationView).form.name}`;
    case "ShareAssigned":
      return `${who(a.did)} holds ${Number(a.bps) / 100}% of the ${RIGHTS[Number(a.right)].toLowerCase()} right${term(a.until)}`;
    case "StatusChanged":
      return `status ${ACHIEVEMENT_STATUSES[Number(a.status)]}${by}`;
    case "RightsChanged":
      return `${RIGHTS[Number(a.right)].toLowerCase()} right changed${by}${term(a.until)}, ${a.caseRef === ZeroHash ? "by consent" : "by order"}`;
    case "Evaluated":
      return `evaluation #${a.index}${by}, suggested value ¥${yuan(a.suggestedValue as bigint)}`;
    case "ConsentGiven":
      return `${who(a.did)} consented on chain`;
    case "Pledged":
      return `pledged to ${who(a.lender)}${by}, securing ¥${yuan(a.securedAmount as bigint)}${term(a.until)}`;
    case "PledgeReleased":
      return `pledge released${by}`;
    default:
      return `${e.name}${by}`;
  }
}

/** An amount in fen (the minor unit) as yuan. */
function yuan(fen: bigint): string {
  return `${(fen / 100n).toLocaleString("en-US")}.${String(fen % 100n).padStart(2, "0")}`;
}

/** Approves proposal `id` by `approvers`, then executes it as `executor`; narrates both. */
async function decide(
  id: bigint,
  approvers: HardhatEthersSigner[],
  executor: HardhatEthersSigner,
  deployment: Deployment,
) {
  for (const a of approvers) {
    const r = await (await GovLedger.connect(a, deployment)).council.approve(id).wait();
    story.done(label(a), `approved #${id} (${r.approvals} approvals)`);
  }
  const exec = await (await GovLedger.connect(executor, deployment)).council.execute(id).wait();
  const effects = exec.events
    .filter((e) => e.contract !== "Council" && e.contract !== "GovAuthority")
    .map((e) => e.name);
  story.done(label(executor), `executed #${id}: ${effects.join(", ") || "done"}`, {
    events: exec.events.map((e) => e.name),
  });
}

/** Runs something that must be refused and narrates the decoded reason; a success is a broken rule. */
async function refusal(actor: string, action: string, attempt: Call<unknown> | Promise<unknown>): Promise<void> {
  try {
    await ("wait" in attempt ? attempt.wait() : attempt);
  } catch (e) {
    const decoded = toGovLedgerError(e);
    const reason = decoded instanceof GovLedgerError ? decoded.message : (decoded as Error).message;
    story.refused(actor, action, reason);
    return;
  }
  throw new Error(`rule broken: "${actor} ${action}" was not refused`);
}

const labels = new Map<string, string>();
function label(s: HardhatEthersSigner): string {
  return labels.get(s.address) ?? s.address.slice(0, 10);
}

function iso(seconds?: bigint): string {
  return seconds === undefined ? "?" : new Date(Number(seconds) * 1000).toISOString();
}

async function nameActors(): Promise<void> {
  const s = await hre.ethers.getSigners();
  ["deployer", "Science Dept", "IP Office", "Exchange Centre", "Security Office"].forEach((n, i) =>
    labels.set(s[i].address, n),
  );
}

nameActors()
  .then(main)
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
