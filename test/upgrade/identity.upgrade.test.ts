import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import type { Result } from "ethers";
import { IdentityRegistryV2__factory, type IdentityRegistry } from "../../typechain-types";
import { runProposal } from "../helpers/proposals";
import {
  DidKind,
  FOREVER,
  Scope,
  accreditedTopic,
  claimIdOf,
  fundedWallet,
  hashOf,
  identityFixture,
  now,
  registerDid,
  type IdentityModule,
} from "../helpers/identity";

/** A struct read from a contract as a plain object, to compare deeply. */
function plain(value: unknown): unknown {
  return (value as Result).toObject(true);
}

/** Everything the identity registry says about `dids` and their claims, to compare across an upgrade. */
async function records(identity: IdentityRegistry, dids: bigint[], topic: bigint) {
  const out = [];
  for (const did of dids) {
    const doc = await identity.resolve(did);
    out.push({
      doc: plain(doc),
      claims: (await identity.claimsOf(did)).map(plain),
      valid: await identity.hasValidClaim(did, topic),
    });
  }
  return { count: await identity.didCount(), topics: await identity.topicCount(), out };
}

describe("Upgrades: IdentityRegistry", function () {
  let m: IdentityModule;

  beforeEach(async function () {
    m = await identityFixture();
  });

  it("accepts IdentityRegistryV2 as a storage-compatible upgrade", async function () {
    // The validator deploys nothing here but reads the constructor arguments all the same.
    const options: Parameters<typeof upgrades.validateUpgrade>[2] & { constructorArgs: unknown[] } = {
      kind: "uups",
      constructorArgs: [await m.forwarder.getAddress()],
    };
    await upgrades.validateUpgrade(
      await ethers.getContractFactory("IdentityRegistry"),
      await ethers.getContractFactory("IdentityRegistryV2"),
      options,
    );
  });

  it("keeps every DID, key, mandate and claim through a paused council upgrade", async function () {
    const [issuerKey, companyKey, clerkKey] = await Promise.all([1, 2, 3].map(() => fundedWallet(m.deployer)));
    const issuer = await registerDid(m, DidKind.Organisation, [{ account: issuerKey.address }]);
    const company = await registerDid(m, DidKind.Organisation, [{ account: companyKey.address }]);
    const clerk = await registerDid(m, DidKind.Person, [{ account: clerkKey.address }]);
    const topic = await accreditedTopic(m, issuer);
    const t = await now();
    await m.identity.connect(issuerKey).issueClaim(company, topic, hashOf("certificate"), t, FOREVER);
    await m.identity.connect(issuerKey).issueClaim(clerk, topic, hashOf("other"), t, FOREVER);
    await m.identity.connect(issuerKey).revokeClaim(claimIdOf(clerk, topic), hashOf("why"));
    await m.identity.connect(companyKey).grantMandate(company, clerk, Scope.TRADE, t + 86400n * 365n);
    await m.identity.connect(m.guardian).pause();
    const before = await records(m.identity, [issuer, company, clerk], topic);

    const v2 = await new IdentityRegistryV2__factory(m.deployer).deploy(await m.forwarder.getAddress());
    await runProposal(
      m,
      m.identity,
      m.identity.interface.encodeFunctionData("upgradeToAndCall", [await v2.getAddress(), "0x"]),
    );

    expect(await m.identity.version()).to.equal("2.0.0");
    expect(await m.identity.paused()).to.equal(true);
    expect(await records(m.identity, [issuer, company, clerk], topic)).to.deep.equal(before);
    expect(await m.identity.isActingFor(clerkKey.address, company, Scope.TRADE)).to.equal(true);
    expect(await m.identity.isTrustedForwarder(await m.forwarder.getAddress())).to.equal(true);
  });
});
