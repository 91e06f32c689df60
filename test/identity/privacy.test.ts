import { expect } from "chai";
import { impersonateAccount, setBalance } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { isAddress, type EventFragment, type ParamType, type Result } from "ethers";
import {
  accreditedTopic,
  claimIdOf,
  DidKind,
  FOREVER,
  hashOf,
  identityFixture,
  now,
  Purpose,
  registerDid,
  Scope,
  type IdentityModule,
} from "../helpers/identity";

/** Solidity types that carry no personal data by themselves: hashes, addresses, integers (ids, times, enums, bitmaps). */
const NEUTRAL = /^(bytes32|address|uint\d+)$/;
/** Events of the registry's own interface (the rest come from OpenZeppelin bases). */
const IDENTITY_EVENTS = [
  "DidRegistered",
  "DidVerified",
  "DidSuspended",
  "DidReinstated",
  "DidDeactivated",
  "CommitmentUpdated",
  "KeyAdded",
  "KeyRemoved",
  "KeyRotated",
  "MandateGranted",
  "MandateRevoked",
  "TopicRegistered",
  "IssuerAccredited",
  "AccreditationWithdrawn",
  "ClaimIssued",
  "ClaimRevoked",
  "ClaimSuspended",
  "ClaimReinstated",
];

/** Whether `type` is neutral, or an array or tuple of neutral types only. */
function neutralType(type: ParamType): boolean {
  if (type.isArray()) return neutralType(type.arrayChildren);
  if (type.isTuple()) return type.components.every(neutralType);
  return NEUTRAL.test(type.type);
}

/** Whether the decoded `value` of `type` is only bigints, 32-byte hashes and addresses. */
function neutralValue(type: ParamType, value: unknown): boolean {
  if (type.isArray()) return (value as unknown[]).every((v) => neutralValue(type.arrayChildren, v));
  if (type.isTuple()) return type.components.every((c, i) => neutralValue(c, (value as Result)[i]));
  if (type.baseType === "address") return typeof value === "string" && isAddress(value);
  if (type.type === "bytes32") return typeof value === "string" && /^0x[0-9a-f]{64}$/.test(value);
  return typeof value === "bigint";
}

describe("IdentityRegistry privacy", function () {
  let m: IdentityModule;

  beforeEach(async function () {
    m = await identityFixture();
  });

  it("declares every event and every read of DIDs, mandates and claims with hashes, addresses and integers only; strings only in public topic schemas", async function () {
    const iface = m.identity.interface;
    const events: EventFragment[] = [];
    iface.forEachEvent((e) => events.push(e));
    expect(events.map((e) => e.name)).to.include.members(IDENTITY_EVENTS);
    for (const e of events) {
      for (const input of e.inputs) {
        if (e.name === "TopicRegistered" && input.name === "name") {
          expect(input.type).to.equal("string");
          continue;
        }
        expect(neutralType(input), `${e.name}.${input.name}: ${input.type}`).to.equal(true);
      }
    }
    const reads = ["resolve", "getClaim", "claimsOf", "mandateOf", "didOf", "statusOf", "didCount"] as const;
    for (const fn of reads) {
      const f = iface.getFunction(fn);
      if (!f) throw new Error(`no ${fn}`);
      for (const output of f.outputs) {
        expect(neutralType(output), `${fn} returns ${output.format("full")}`).to.equal(true);
      }
    }
    const topic = iface.getFunction("getTopic");
    expect(topic?.outputs[0].components?.map((c) => c.type)).to.deep.equal(["string", "bytes32", "uint48"]);
  });

  it("puts only hashes, addresses and integers on chain in a realistic identity flow (every log decoded), and a string only as the public topic name", async function () {
    const [citizenKey, citizenKey2, companyKey, officerKey, issuerKey, newCitizenKey] = m.outsiders;
    const identity = m.identity;
    const council = identity.connect(m.councilSigner);
    const from = await ethers.provider.getBlockNumber();
    const topicNames: string[] = [];

    // Registrars register a person and an organisation, with commitments to off-chain records only.
    const citizen = await registerDid(
      m,
      DidKind.Person,
      [{ account: citizenKey.address }],
      hashOf("Zhang San|110101199003078888|salt:9f2c"),
    );
    const company = await registerDid(
      m,
      DidKind.Organisation,
      [{ account: companyKey.address }],
      hashOf("Hangzhou Example Tech Co., Ltd.|91330100MA2XXXXXXX|salt:71aa"),
    );
    const issuer = await registerDid(m, DidKind.Organisation, [{ account: issuerKey.address }]);
    // A citizen self-registers and is verified.
    await identity.connect(officerKey).selfRegister(DidKind.Person, hashOf("Li Si|330102198807071234|salt:0b1d"));
    const officer = await identity.didCount();
    await identity.verify(officer);
    await identity.updateCommitment(citizen, hashOf("Zhang San|110101199003078888|salt:new"));

    // The council registers topics and accredits the issuer; the topic names are public schema names.
    const hightech = await accreditedTopic(m, issuer, "high-tech enterprise (高新技术企业)");
    const patent = await accreditedTopic(m, issuer, "patent holder");
    topicNames.push("high-tech enterprise (高新技术企业)", "patent holder");
    const expiring = await accreditedTopic(m, issuer, "technology broker", (await now()) + 10_000n);
    topicNames.push("technology broker");

    // The issuer issues claims committing to off-chain credentials by hash.
    await identity.connect(issuerKey).issueClaim(company, hightech, hashOf("certificate GR2024"), 0n, FOREVER);
    await identity.connect(issuerKey).issueClaims([
      { subject: company, topic: patent, dataHash: hashOf("patent ZL2023"), validFrom: 0n, validUntil: FOREVER },
      { subject: citizen, topic: expiring, dataHash: hashOf("broker licence"), validFrom: 0n, validUntil: FOREVER },
      { subject: officer, topic: patent, dataHash: hashOf("patent ZL2022"), validFrom: 0n, validUntil: FOREVER },
    ]);

    // The company gives its officer a mandate; keys are added, rotated and removed.
    await identity.connect(companyKey).grantMandate(company, officer, Scope.IDENTITY | Scope.TRADE, FOREVER >> 1n);
    await identity.connect(officerKey).addKey(company, citizenKey2.address, Purpose.ASSERTION);
    await identity.connect(officerKey).removeKey(company, citizenKey2.address);
    await identity.connect(citizenKey).rotateKey(citizen, citizenKey.address, citizenKey2.address);
    await identity.connect(companyKey).revokeMandate(company, officer);

    // Claims are suspended, reinstated and revoked; an accreditation is withdrawn.
    const claim = claimIdOf(company, hightech);
    await identity.connect(issuerKey).suspendClaim(claim);
    await identity.connect(issuerKey).reinstateClaim(claim);
    await identity.connect(issuerKey).revokeClaim(claim, hashOf("revocation reason: certificate withdrawn"));
    await identity
      .connect(issuerKey)
      .revokeClaims([claimIdOf(company, patent), claimIdOf(officer, patent)], hashOf("batch revocation"));
    await council.withdrawAccreditation(issuer, expiring);

    // A registrar suspends, reinstates and deactivates; the recovery module resets keys.
    await identity.suspend(officer, hashOf("suspension reason"));
    await identity.reinstate(officer);
    const recovery = await m.recovery.getAddress();
    await impersonateAccount(recovery);
    await setBalance(recovery, ethers.parseEther("1"));
    await identity.connect(await ethers.getSigner(recovery)).resetKeys(officer, newCitizenKey.address);
    await identity.deactivate(citizen, hashOf("deceased: certificate on file"));

    const logs = await ethers.provider.getLogs({
      address: await identity.getAddress(),
      fromBlock: from + 1,
      toBlock: "latest",
    });
    const seen = new Set<string>();
    for (const log of logs) {
      const parsed = identity.interface.parseLog(log);
      expect(parsed, `undecodable log ${log.topics[0]}`).to.not.equal(null);
      if (!parsed) continue;
      seen.add(parsed.name);
      parsed.fragment.inputs.forEach((input, i) => {
        const value = parsed.args[i];
        if (parsed.name === "TopicRegistered" && input.name === "name") {
          expect(topicNames, "a topic name is one of the public schema names").to.include(value);
          return;
        }
        expect(neutralType(input), `${parsed.name}.${input.name} is ${input.type}`).to.equal(true);
        expect(neutralValue(input, value), `${parsed.name}.${input.name} = ${String(value)}`).to.equal(true);
      });
    }
    // The flow exercised every event of the registry, so the check above covers them all.
    expect([...seen].sort()).to.deep.equal([...IDENTITY_EVENTS].sort());

    // Reads: documents and claims hold hashes, addresses and numbers only.
    const resolve = identity.interface.getFunction("resolve");
    const getClaim = identity.interface.getFunction("getClaim");
    const claimsOf = identity.interface.getFunction("claimsOf");
    if (!resolve || !getClaim || !claimsOf) throw new Error("missing read functions");
    for (const did of [citizen, company, issuer, officer]) {
      expect(neutralValue(resolve.outputs[0], await identity.resolve(did)), `resolve(${did})`).to.equal(true);
      const claims = await identity.claimsOf(did);
      expect(neutralValue(claimsOf.outputs[0], claims), `claimsOf(${did})`).to.equal(true);
      for (const c of claims) {
        expect(neutralValue(getClaim.outputs[0], await identity.getClaim(c.id)), `getClaim(${c.id})`).to.equal(true);
      }
    }
    expect((await identity.resolve(company)).commitment).to.equal(
      hashOf("Hangzhou Example Tech Co., Ltd.|91330100MA2XXXXXXX|salt:71aa"),
    );
  });
});
