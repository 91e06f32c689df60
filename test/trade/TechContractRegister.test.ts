import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { deployments, ethers, upgrades } from "hardhat";
import { ZeroAddress, ZeroHash, type Result } from "ethers";
import { formatTechContractNumber } from "../../src/sdk/tech-contracts";
import { MEMBER_ROLES } from "../../src/sdk/roles";
import {
  TechContractRegister__factory,
  type ITechContractRegister,
  type TechContractRegister,
} from "../../typechain-types";
import { register, registrationOf, signChange, type Party, type RightsChange } from "../helpers/achievement";
import { admitOrganisation } from "../helpers/evidence";
import { hashOf } from "../helpers/identity";
import { runProposal } from "../helpers/proposals";
import { signAndRelay } from "../helpers/relay";
import { tradeFixture, type TradeModule } from "../helpers/trade";

type Registration = ITechContractRegister.RegistrationStruct;

/** Mirrors ITechContractRegister.ContractType. */
enum ContractType {
  Development,
  Transfer,
  Licence,
  Consulting,
  Service,
  Investment,
}

/** Mirrors ITechContractRegister.ContractStatus. */
enum ContractStatus {
  None,
  Registered,
  Certified,
  Annulled,
}

/** Mirrors IAchievementRegistry.Right. */
enum Right {
  Ownership,
}

/** Mirrors ILicenceRegister.LicenceKind. */
enum LicenceKind {
  Exclusive,
}

const DAY = 86_400;
const YEAR = 365 * DAY;
const WHOLE_BPS = 10_000;
/** 300,000.00 yuan in fen. */
const AMOUNT = 30_000_000n;
const DEAL = hashOf("deal confirmation (成交确认书) 2026-技-0117");
const CERTIFICATE = hashOf("transaction certificate (交易凭证) 2026-0117");
const CASE = hashOf("case: court order 2026-法-0042");

/** Registration number 2026 310104 <serial> (Shanghai Huangpu). */
function numberOf(serial: number): bigint {
  return formatTechContractNumber({ year: 2026, division: 310104, serial });
}

/** `r` as the tuple the contract emits. */
function tuple(r: Registration): unknown[] {
  return [
    r.registrationNumber,
    r.kind,
    r.contractHash,
    r.seller,
    r.buyer,
    r.amount,
    r.signedAt,
    r.validFrom,
    r.validUntil,
    r.achievement,
    r.licence,
    r.dealRef,
  ].map((v) => (typeof v === "string" ? v : BigInt(v as bigint | number)));
}

/** A struct read from the contract as a plain array, to compare deeply. */
function plain(value: unknown): unknown {
  return (value as Result).toArray(true);
}

describe("TechContractRegister", function () {
  let m: TradeModule;
  let contracts: TechContractRegister;
  /** A patent of the university, invented by the inventor. */
  let achievement: bigint;
  let spare: HardhatEthersSigner[];
  let serial: number;

  beforeEach(async function () {
    m = await tradeFixture();
    contracts = TechContractRegister__factory.connect(
      (await deployments.get("TechContractRegister")).address,
      m.centre.account,
    );
    spare = (await ethers.getSigners()).slice(16);
    achievement = await register(m, registrationOf([{ party: m.university, bps: WHOLE_BPS }], [m.inventor]));
    serial = 0;
  });

  /** The assignment (技术转让) of the achievement by the university to the buyer, signed yesterday, valid for a year. */
  async function registration(overrides: Partial<Registration> = {}): Promise<Registration> {
    const now = await time.latest();
    serial += 1;
    return {
      registrationNumber: numberOf(serial),
      kind: ContractType.Transfer,
      contractHash: hashOf(`technology contract ${serial}`),
      seller: m.university.did,
      buyer: m.buyer.did,
      amount: AMOUNT,
      signedAt: now - DAY,
      validFrom: now,
      validUntil: now + YEAR,
      achievement,
      licence: 0,
      dealRef: DEAL,
      ...overrides,
    };
  }

  function registerAs(r: Registration, caller: Party | HardhatEthersSigner = m.centre) {
    const signer = "account" in caller ? caller.account : caller;
    return contracts.connect(signer).registerContract(r);
  }

  /** Registers `r` as the centre and returns the new contract's id. */
  async function registered(r: Registration): Promise<bigint> {
    await (await registerAs(r)).wait();
    return contracts.contractCount();
  }

  function certifyAs(id: bigint, hash = CERTIFICATE, caller: Party = m.centre) {
    return contracts.connect(caller.account).issueCertificate(id, hash);
  }

  function annulAs(id: bigint, caseRef = CASE) {
    return contracts.connect(m.arbitrator.account).annul(id, caseRef);
  }

  /** A licence of the achievement to `licensee`, recorded by the centre for a year; returns its id. */
  async function licenceTo(licensee: Party = m.buyer, of = achievement): Promise<bigint> {
    const now = await time.latest();
    const terms = {
      kind: LicenceKind.Exclusive,
      field: 0,
      territory: 0,
      start: now,
      end: now + YEAR,
      sublicensable: false,
    };
    await (await m.licences.connect(m.centre.account).record(of, licensee.did, terms, DEAL)).wait();
    return m.licences.licenceCount();
  }

  /** Moves ownership of the achievement from the university to the buyer through AchievementRights. */
  async function assignToBuyer(): Promise<void> {
    const { version } = await m.achievements.getAchievement(achievement);
    const c: RightsChange = {
      achievement,
      right: Right.Ownership,
      holdings: [{ did: m.buyer.did, bps: WHOLE_BPS }],
      until: 0,
      holder: m.buyer.address,
      version,
      deadline: (await time.latest()) + DAY,
    };
    const consents = [await signChange(m, m.buyer, c)];
    await (await m.rights.connect(m.university.account).changeRights(c, consents, m.university.did)).wait();
  }

  describe("registerContract", function () {
    context("when a trading centre registers an assignment", function () {
      it("emits ContractRegistered with the registration and stores the contract", async function () {
        const r = await registration();
        await expect(registerAs(r))
          .to.emit(contracts, "ContractRegistered")
          .withArgs(1n, r.registrationNumber, achievement, m.centre.did, tuple(r));
        expect(plain(await contracts.contractOf(1n))).to.deep.equal([
          r.registrationNumber,
          m.centre.did,
          m.university.did,
          m.buyer.did,
          AMOUNT,
          BigInt(r.signedAt),
          BigInt(r.validFrom),
          BigInt(ContractType.Transfer),
          BigInt(ContractStatus.Registered),
          BigInt(r.validUntil),
          achievement,
          0n,
          r.contractHash,
          DEAL,
          ZeroHash,
        ]);
        expect(await contracts.contractIdOf(r.registrationNumber)).to.equal(1n);
        expect(await contracts.contractIdOfHash(r.contractHash)).to.equal(1n);
        expect(await contracts.contractCount()).to.equal(1n);
      });
    });

    context("when the contract concerns no achievement", function () {
      it("registers development, consulting, service and investment contracts, numbered in order", async function () {
        const kinds = [
          ContractType.Development,
          ContractType.Consulting,
          ContractType.Service,
          ContractType.Investment,
        ];
        for (const [i, kind] of kinds.entries()) {
          const r = await registration({ kind, achievement: 0, seller: m.team.did, dealRef: ZeroHash });
          await expect(registerAs(r))
            .to.emit(contracts, "ContractRegistered")
            .withArgs(BigInt(i + 1), r.registrationNumber, 0n, m.centre.did, tuple(r));
        }
        expect(await contracts.contractCount()).to.equal(4n);
        expect((await contracts.contractOf(4n)).kind).to.equal(BigInt(ContractType.Investment));
      });
    });

    context("when a licence contract names the buyer's licence", function () {
      it("records the licence", async function () {
        const licence = await licenceTo();
        const r = await registration({ kind: ContractType.Licence, licence });
        await expect(registerAs(r))
          .to.emit(contracts, "ContractRegistered")
          .withArgs(1n, r.registrationNumber, achievement, m.centre.did, tuple(r));
        expect((await contracts.contractOf(1n)).licence).to.equal(licence);
      });
    });

    context("when the seller is an inventor of the achievement", function () {
      it("registers the contract: any party of the achievement may sell", async function () {
        const r = await registration({ kind: ContractType.Investment, seller: m.inventor.did });
        await expect(registerAs(r)).to.emit(contracts, "ContractRegistered");
      });
    });

    context("when the registration number is at the edges of the format", function () {
      it("accepts years 1985 and 2200, division codes starting 1 and 8, serials 000001 and 999999", async function () {
        for (const n of [1985110000000001n, 2200899999999999n]) {
          await expect(registerAs(await registration({ registrationNumber: n }))).to.emit(
            contracts,
            "ContractRegistered",
          );
          expect(await contracts.contractIdOf(n)).to.not.equal(0n);
        }
      });
    });

    context("when the registration number is malformed", function () {
      it("reverts with TechContractInvalidNumber", async function () {
        const bad = [
          0n,
          202631010400011n, // 15 digits
          20263101040001170n, // 17 digits
          1984310104000117n, // year before 1985
          2201310104000117n, // year after 2200
          2026010104000117n, // division code starting 0
          2026910104000117n, // division code starting 9
          2026310104000000n, // serial 000000
          2n ** 64n - 1n,
        ];
        for (const n of bad) {
          await expect(registerAs(await registration({ registrationNumber: n })), `${n}`)
            .to.be.revertedWithCustomError(contracts, "TechContractInvalidNumber")
            .withArgs(n);
        }
      });
    });

    context("when the registration number is already registered", function () {
      it("reverts with TechContractNumberTaken naming the contract", async function () {
        const first = await registration();
        await registered(first);
        await expect(registerAs(await registration({ registrationNumber: first.registrationNumber })))
          .to.be.revertedWithCustomError(contracts, "TechContractNumberTaken")
          .withArgs(first.registrationNumber, 1n);
      });
    });

    context("when the contract hash is zero", function () {
      it("reverts with TechContractMissingHash", async function () {
        const r = await registration({ contractHash: ZeroHash });
        await expect(registerAs(r))
          .to.be.revertedWithCustomError(contracts, "TechContractMissingHash")
          .withArgs(r.registrationNumber);
      });
    });

    context("when the contract document is already registered", function () {
      it("reverts with TechContractHashTaken naming the contract", async function () {
        const first = await registration();
        await registered(first);
        await expect(registerAs(await registration({ contractHash: first.contractHash })))
          .to.be.revertedWithCustomError(contracts, "TechContractHashTaken")
          .withArgs(first.contractHash, 1n);
      });
    });

    context("when the seller is the buyer", function () {
      it("reverts with TechContractSameParty", async function () {
        await expect(registerAs(await registration({ buyer: m.university.did })))
          .to.be.revertedWithCustomError(contracts, "TechContractSameParty")
          .withArgs(m.university.did);
      });
    });

    context("when a party is not active", function () {
      it("reverts with TechContractInactiveParty for a suspended seller or buyer", async function () {
        for (const party of [m.university, m.buyer]) {
          await (await m.identity.suspend(party.did, hashOf("reason: audit"))).wait();
          await expect(registerAs(await registration()))
            .to.be.revertedWithCustomError(contracts, "TechContractInactiveParty")
            .withArgs(party.did);
          await (await m.identity.reinstate(party.did)).wait();
        }
      });

      it("reverts with TechContractInactiveParty for an unknown or zero buyer", async function () {
        for (const did of [(await m.identity.didCount()) + 1n, 0n]) {
          await expect(registerAs(await registration({ buyer: did })))
            .to.be.revertedWithCustomError(contracts, "TechContractInactiveParty")
            .withArgs(did);
        }
      });
    });

    context("when the amount is zero", function () {
      it("reverts with TechContractZeroAmount", async function () {
        const r = await registration({ amount: 0 });
        await expect(registerAs(r))
          .to.be.revertedWithCustomError(contracts, "TechContractZeroAmount")
          .withArgs(r.registrationNumber);
      });
    });

    context("when the signing date is zero or in the future", function () {
      it("reverts with TechContractInvalidSigningDate naming the chain's time", async function () {
        for (const ahead of [undefined, 1]) {
          const at = (await time.latest()) + 10;
          const signedAt = ahead === undefined ? 0 : at + ahead;
          const r = await registration({ signedAt });
          await time.setNextBlockTimestamp(at);
          await expect(registerAs(r))
            .to.be.revertedWithCustomError(contracts, "TechContractInvalidSigningDate")
            .withArgs(signedAt, at);
        }
      });

      it("accepts a contract signed at the chain's time", async function () {
        const at = (await time.latest()) + 10;
        const r = await registration({ signedAt: at });
        await time.setNextBlockTimestamp(at);
        await expect(registerAs(r)).to.emit(contracts, "ContractRegistered");
      });
    });

    context("when the validity is empty", function () {
      it("reverts with TechContractInvalidValidity", async function () {
        const now = await time.latest();
        for (const [validFrom, validUntil] of [
          [now, now],
          [now + DAY, now],
        ]) {
          await expect(registerAs(await registration({ validFrom, validUntil })))
            .to.be.revertedWithCustomError(contracts, "TechContractInvalidValidity")
            .withArgs(validFrom, validUntil);
        }
      });
    });

    context("when an assignment or a licence contract names no achievement", function () {
      it("reverts with TechContractMissingAchievement naming the type", async function () {
        for (const kind of [ContractType.Transfer, ContractType.Licence]) {
          await expect(registerAs(await registration({ kind, achievement: 0 })))
            .to.be.revertedWithCustomError(contracts, "TechContractMissingAchievement")
            .withArgs(kind);
        }
      });
    });

    context("when the achievement is unknown", function () {
      it("reverts with the registry's AchievementUnknown", async function () {
        const unknown = achievement + 1n;
        await expect(registerAs(await registration({ achievement: unknown })))
          .to.be.revertedWithCustomError(m.achievements, "AchievementUnknown")
          .withArgs(unknown);
      });
    });

    context("when the seller is no party of the achievement", function () {
      it("reverts with TechContractSellerNotParty", async function () {
        await expect(registerAs(await registration({ seller: m.bank.did })))
          .to.be.revertedWithCustomError(contracts, "TechContractSellerNotParty")
          .withArgs(achievement, m.bank.did);
      });
    });

    context("when a contract other than a licence contract names a licence", function () {
      it("reverts with TechContractUnexpectedLicence", async function () {
        const licence = await licenceTo();
        for (const kind of [ContractType.Transfer, ContractType.Development]) {
          await expect(registerAs(await registration({ kind, licence })))
            .to.be.revertedWithCustomError(contracts, "TechContractUnexpectedLicence")
            .withArgs(kind, licence);
        }
      });
    });

    context("when the licence is to another licensee or of another achievement", function () {
      it("reverts with TechContractLicenceMismatch naming the licence's achievement and licensee", async function () {
        const toBank = await licenceTo(m.bank);
        await expect(registerAs(await registration({ kind: ContractType.Licence, licence: toBank })))
          .to.be.revertedWithCustomError(contracts, "TechContractLicenceMismatch")
          .withArgs(toBank, achievement, m.bank.did);
        const other = await register(m, registrationOf([{ party: m.team, bps: WHOLE_BPS }]));
        const ofOther = await licenceTo(m.buyer, other);
        await expect(registerAs(await registration({ kind: ContractType.Licence, licence: ofOther })))
          .to.be.revertedWithCustomError(contracts, "TechContractLicenceMismatch")
          .withArgs(ofOther, other, m.buyer.did);
      });
    });

    context("when the licence is unknown", function () {
      it("reverts with the licence register's LicenceUnknown", async function () {
        await expect(registerAs(await registration({ kind: ContractType.Licence, licence: 7 })))
          .to.be.revertedWithCustomError(m.licences, "LicenceUnknown")
          .withArgs(7n);
      });
    });

    context("when the caller is not a trading centre", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        const r = await registration();
        for (const caller of [m.buyer.account, m.arbitrator.account, m.registrar, m.guardian, m.councilSigner]) {
          await expect(contracts.connect(caller).registerContract(r))
            .to.be.revertedWithCustomError(contracts, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
      });
    });

    context("when the trading centre has no DID", function () {
      it("reverts with TechContractInactiveParty(0)", async function () {
        const centre = await admitOrganisation(m, [spare[0]], [MEMBER_ROLES.TRADING_CENTRE], {
          name: "DID-less Exchange",
          withDid: false,
        });
        await expect(contracts.connect(centre.account).registerContract(await registration()))
          .to.be.revertedWithCustomError(contracts, "TechContractInactiveParty")
          .withArgs(0n);
      });
    });

    context("when the trading centre's DID is suspended", function () {
      it("reverts with TechContractInactiveParty naming the centre", async function () {
        await (await m.identity.suspend(m.centre.did, hashOf("reason: audit"))).wait();
        await expect(registerAs(await registration()))
          .to.be.revertedWithCustomError(contracts, "TechContractInactiveParty")
          .withArgs(m.centre.did);
      });
    });

    context("when the centre's key signs and a relayer submits", function () {
      it("registers the contract for the signer's DID", async function () {
        const r = await registration();
        const data = contracts.interface.encodeFunctionData("registerContract", [r]);
        await expect(signAndRelay(m.forwarder, m.centre.account, spare[1], contracts, data))
          .to.emit(contracts, "ContractRegistered")
          .withArgs(1n, r.registrationNumber, achievement, m.centre.did, tuple(r));
      });
    });

    context("when the register is paused", function () {
      it("reverts with EnforcedPause, and registers again after the council unpauses", async function () {
        await (await contracts.connect(m.guardian).pause()).wait();
        await expect(registerAs(await registration())).to.be.revertedWithCustomError(contracts, "EnforcedPause");
        await (await contracts.connect(m.councilSigner).unpause()).wait();
        await expect(registerAs(await registration())).to.emit(contracts, "ContractRegistered");
      });
    });
  });

  describe("issueCertificate", function () {
    context("when the registering centre certifies a development contract", function () {
      it("emits CertificateIssued and records the certificate", async function () {
        const id = await registered(await registration({ kind: ContractType.Development, achievement: 0 }));
        await expect(certifyAs(id)).to.emit(contracts, "CertificateIssued").withArgs(id, m.centre.did, CERTIFICATE);
        const c = await contracts.contractOf(id);
        expect([c.status, c.certificateHash]).to.deep.equal([BigInt(ContractStatus.Certified), CERTIFICATE]);
      });
    });

    context("when an assignment is certified", function () {
      it("reverts with TechContractTransferPending until the buyer owns the achievement", async function () {
        const id = await registered(await registration());
        await expect(certifyAs(id))
          .to.be.revertedWithCustomError(contracts, "TechContractTransferPending")
          .withArgs(achievement, m.buyer.did);
        await assignToBuyer();
        expect(await m.achievements.shareOf(achievement, Right.Ownership, m.buyer.did)).to.equal(WHOLE_BPS);
        await expect(certifyAs(id)).to.emit(contracts, "CertificateIssued").withArgs(id, m.centre.did, CERTIFICATE);
      });

      it("reverts with TechContractTransferPending while the buyer holds ownership only through a grant that ended", async function () {
        const id = await registered(await registration());
        const { version } = await m.achievements.getAchievement(achievement);
        const until = (await time.latest()) + DAY;
        const c: RightsChange = {
          achievement,
          right: Right.Ownership,
          holdings: [{ did: m.buyer.did, bps: WHOLE_BPS }],
          until,
          holder: ZeroAddress,
          version,
          deadline: until,
        };
        await (
          await m.rights
            .connect(m.university.account)
            .changeRights(c, [await signChange(m, m.buyer, c)], m.university.did)
        ).wait();
        await time.increaseTo(until);
        await expect(certifyAs(id))
          .to.be.revertedWithCustomError(contracts, "TechContractTransferPending")
          .withArgs(achievement, m.buyer.did);
      });
    });

    context("when a licence contract is certified", function () {
      let licence: bigint;
      let id: bigint;

      beforeEach(async function () {
        licence = await licenceTo();
        id = await registered(await registration({ kind: ContractType.Licence, licence }));
      });

      it("certifies it while the licence runs", async function () {
        await expect(certifyAs(id)).to.emit(contracts, "CertificateIssued").withArgs(id, m.centre.did, CERTIFICATE);
      });

      it("reverts with TechContractLicenceNotActive once the licence is terminated", async function () {
        await (await m.licences.connect(m.arbitrator.account).terminate(licence, CASE)).wait();
        await expect(certifyAs(id))
          .to.be.revertedWithCustomError(contracts, "TechContractLicenceNotActive")
          .withArgs(licence);
      });

      it("reverts with TechContractLicenceNotActive from the licence's end on", async function () {
        const { end } = (await m.licences.licenceOf(licence)).terms;
        await time.setNextBlockTimestamp(end);
        await expect(certifyAs(id))
          .to.be.revertedWithCustomError(contracts, "TechContractLicenceNotActive")
          .withArgs(licence);
      });
    });

    context("when a licence contract names no licence", function () {
      it("certifies it", async function () {
        const id = await registered(await registration({ kind: ContractType.Licence }));
        await expect(certifyAs(id)).to.emit(contracts, "CertificateIssued");
      });
    });

    context("when another trading centre certifies", function () {
      it("reverts with TechContractNotCentre naming its DID", async function () {
        const id = await registered(await registration({ kind: ContractType.Service, achievement: 0 }));
        const other = await admitOrganisation(m, [spare[0]], [MEMBER_ROLES.TRADING_CENTRE], { name: "Other Exchange" });
        await expect(contracts.connect(other.account).issueCertificate(id, CERTIFICATE))
          .to.be.revertedWithCustomError(contracts, "TechContractNotCentre")
          .withArgs(id, other.did);
      });
    });

    context("when the caller is not a trading centre", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        const id = await registered(await registration({ kind: ContractType.Service, achievement: 0 }));
        for (const caller of [m.buyer, m.university, m.arbitrator]) {
          await expect(certifyAs(id, CERTIFICATE, caller as Party))
            .to.be.revertedWithCustomError(contracts, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
      });
    });

    context("when the centre's DID is suspended", function () {
      it("reverts with TechContractInactiveParty", async function () {
        const id = await registered(await registration({ kind: ContractType.Service, achievement: 0 }));
        await (await m.identity.suspend(m.centre.did, hashOf("reason: audit"))).wait();
        await expect(certifyAs(id))
          .to.be.revertedWithCustomError(contracts, "TechContractInactiveParty")
          .withArgs(m.centre.did);
      });
    });

    context("when the contract is unknown", function () {
      it("reverts with TechContractUnknown", async function () {
        await registered(await registration({ kind: ContractType.Service, achievement: 0 }));
        for (const unknown of [0n, 2n]) {
          await expect(certifyAs(unknown))
            .to.be.revertedWithCustomError(contracts, "TechContractUnknown")
            .withArgs(unknown);
        }
      });
    });

    context("when the contract is certified or annulled already", function () {
      it("reverts with TechContractUnexpectedStatus naming the status", async function () {
        const id = await registered(await registration({ kind: ContractType.Service, achievement: 0 }));
        await (await certifyAs(id)).wait();
        await expect(certifyAs(id, hashOf("another certificate")))
          .to.be.revertedWithCustomError(contracts, "TechContractUnexpectedStatus")
          .withArgs(id, ContractStatus.Certified);
        const annulled = await registered(await registration({ kind: ContractType.Service, achievement: 0 }));
        await (await annulAs(annulled)).wait();
        await expect(certifyAs(annulled))
          .to.be.revertedWithCustomError(contracts, "TechContractUnexpectedStatus")
          .withArgs(annulled, ContractStatus.Annulled);
      });
    });

    context("when the certificate hash is zero", function () {
      it("reverts with TechContractMissingReference", async function () {
        const id = await registered(await registration({ kind: ContractType.Service, achievement: 0 }));
        await expect(certifyAs(id, ZeroHash))
          .to.be.revertedWithCustomError(contracts, "TechContractMissingReference")
          .withArgs(id);
      });
    });

    context("when the register is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const id = await registered(await registration({ kind: ContractType.Service, achievement: 0 }));
        await (await contracts.connect(m.guardian).pause()).wait();
        await expect(certifyAs(id)).to.be.revertedWithCustomError(contracts, "EnforcedPause");
      });
    });
  });

  describe("annul", function () {
    let id: bigint;

    beforeEach(async function () {
      id = await registered(await registration({ kind: ContractType.Consulting, achievement: 0 }));
    });

    context("when an arbitrator annuls a registered or certified contract", function () {
      it("emits ContractAnnulled and keeps the record, annulled", async function () {
        const before = plain(await contracts.contractOf(id)) as unknown[];
        await expect(annulAs(id)).to.emit(contracts, "ContractAnnulled").withArgs(id, m.arbitrator.did, CASE);
        const after = plain(await contracts.contractOf(id)) as unknown[];
        expect(after[8]).to.equal(BigInt(ContractStatus.Annulled));
        expect([...after.slice(0, 8), ...after.slice(9)]).to.deep.equal([...before.slice(0, 8), ...before.slice(9)]);

        const certified = await registered(await registration({ kind: ContractType.Service, achievement: 0 }));
        await (await certifyAs(certified)).wait();
        await expect(annulAs(certified)).to.emit(contracts, "ContractAnnulled");
        const c = await contracts.contractOf(certified);
        expect([c.status, c.certificateHash]).to.deep.equal([BigInt(ContractStatus.Annulled), CERTIFICATE]);
        expect(await contracts.contractIdOf(c.registrationNumber)).to.equal(certified);
      });
    });

    context("when the contract is annulled already", function () {
      it("reverts with TechContractUnexpectedStatus", async function () {
        await (await annulAs(id)).wait();
        await expect(annulAs(id, hashOf("another case")))
          .to.be.revertedWithCustomError(contracts, "TechContractUnexpectedStatus")
          .withArgs(id, ContractStatus.Annulled);
      });
    });

    context("when the order names no case", function () {
      it("reverts with TechContractMissingReference", async function () {
        await expect(annulAs(id, ZeroHash))
          .to.be.revertedWithCustomError(contracts, "TechContractMissingReference")
          .withArgs(id);
      });
    });

    context("when the contract is unknown", function () {
      it("reverts with TechContractUnknown", async function () {
        await expect(annulAs(id + 1n))
          .to.be.revertedWithCustomError(contracts, "TechContractUnknown")
          .withArgs(id + 1n);
      });
    });

    context("when the caller is not an arbitrator", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        for (const caller of [m.centre.account, m.buyer.account, m.guardian, m.councilSigner]) {
          await expect(contracts.connect(caller).annul(id, CASE))
            .to.be.revertedWithCustomError(contracts, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
      });
    });

    context("when the arbitrator's DID is suspended", function () {
      it("reverts with TechContractInactiveParty", async function () {
        await (await m.identity.suspend(m.arbitrator.did, hashOf("reason: audit"))).wait();
        await expect(annulAs(id))
          .to.be.revertedWithCustomError(contracts, "TechContractInactiveParty")
          .withArgs(m.arbitrator.did);
      });
    });

    context("when the register is paused", function () {
      it("reverts with EnforcedPause", async function () {
        await (await contracts.connect(m.guardian).pause()).wait();
        await expect(annulAs(id)).to.be.revertedWithCustomError(contracts, "EnforcedPause");
      });
    });
  });

  describe("reads", function () {
    context("when nothing is registered under an id, number or hash", function () {
      it("reverts with TechContractUnknown for contractOf, and returns 0 for the look-ups", async function () {
        await expect(contracts.contractOf(1n))
          .to.be.revertedWithCustomError(contracts, "TechContractUnknown")
          .withArgs(1n);
        expect(await contracts.contractIdOf(numberOf(1))).to.equal(0n);
        expect(await contracts.contractIdOfHash(hashOf("unknown"))).to.equal(0n);
        expect(await contracts.contractCount()).to.equal(0n);
      });
    });

    it("reports version 1.0.0", async function () {
      expect(await contracts.version()).to.equal("1.0.0");
    });
  });

  describe("pause", function () {
    context("when the caller is not the guardian", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        for (const caller of [m.centre.account, m.arbitrator.account, m.councilSigner]) {
          await expect(contracts.connect(caller).pause())
            .to.be.revertedWithCustomError(contracts, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
      });
    });
  });

  describe("unpause", function () {
    context("when the caller is not the council", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        await (await contracts.connect(m.guardian).pause()).wait();
        for (const caller of [m.guardian, m.centre.account]) {
          await expect(contracts.connect(caller).unpause())
            .to.be.revertedWithCustomError(contracts, "AccessManagedUnauthorized")
            .withArgs(await caller.getAddress());
        }
      });
    });
  });

  describe("upgradeToAndCall", function () {
    async function constructorArgs(): Promise<[string, string, string, string]> {
      return [
        (await deployments.get("GovForwarder")).address,
        await m.identity.getAddress(),
        await m.achievements.getAddress(),
        await m.licences.getAddress(),
      ];
    }

    context("when the council upgrades the register", function () {
      it("keeps every contract, look-up and the count", async function () {
        const args = await constructorArgs();
        const factory = await ethers.getContractFactory("TechContractRegister");
        await upgrades.validateImplementation(factory, { kind: "uups", constructorArgs: args } as Parameters<
          typeof upgrades.validateImplementation
        >[1]);
        const a = await registered(await registration({ kind: ContractType.Development, achievement: 0 }));
        const b = await registered(await registration({ kind: ContractType.Service, achievement: 0 }));
        await (await certifyAs(a)).wait();
        await (await annulAs(b)).wait();
        const read = async () => {
          const [ca, cb] = [await contracts.contractOf(a), await contracts.contractOf(b)];
          return {
            contracts: [plain(ca), plain(cb)],
            byNumber: [
              await contracts.contractIdOf(ca.registrationNumber),
              await contracts.contractIdOf(cb.registrationNumber),
            ],
            byHash: [
              await contracts.contractIdOfHash(ca.contractHash),
              await contracts.contractIdOfHash(cb.contractHash),
            ],
            count: await contracts.contractCount(),
          };
        };
        const before = await read();
        const proxy = await contracts.getAddress();
        const next = await new TechContractRegister__factory(m.deployer).deploy(...args);
        await runProposal(
          m,
          contracts,
          contracts.interface.encodeFunctionData("upgradeToAndCall", [await next.getAddress(), "0x"]),
        );
        expect(await upgrades.erc1967.getImplementationAddress(proxy)).to.equal(await next.getAddress());
        expect(await read()).to.deep.equal(before);
        const first = await contracts.contractOf(a);
        await expect(registerAs(await registration({ registrationNumber: first.registrationNumber })))
          .to.be.revertedWithCustomError(contracts, "TechContractNumberTaken")
          .withArgs(first.registrationNumber, a);
      });
    });

    context("when someone else upgrades", function () {
      it("reverts with AccessManagedUnauthorized", async function () {
        const next = await new TechContractRegister__factory(m.deployer).deploy(...(await constructorArgs()));
        await expect(contracts.connect(m.centre.account).upgradeToAndCall(await next.getAddress(), "0x"))
          .to.be.revertedWithCustomError(contracts, "AccessManagedUnauthorized")
          .withArgs(m.centre.address);
      });
    });
  });
});
