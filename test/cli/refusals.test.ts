import { expect } from "chai";
import { KEYS, consortium, govledger, refuses, writeDeploymentsRoot } from "./harness";

const NOBODY = "0x000000000000000000000000000000000000dEaD";

describe("govledger refusals (CLI)", function () {
  beforeEach(async function () {
    await consortium();
  });

  describe("network and deployment", function () {
    it("names the known networks when the network is unknown", async function () {
      await refuses(
        () => govledger(["--network", "nosuchnet", "members", "list"], undefined, { bare: true, noProvider: true }),
        /unknown network "nosuchnet": known networks are localhost, consortium, remote .*hardhat is in-process only/,
      );
    });

    it("refuses the in-process hardhat network", async function () {
      await refuses(
        () => govledger(["--network", "hardhat", "members", "list"], undefined, { bare: true }),
        /network "hardhat" is Hardhat's in-process chain and cannot be used from the CLI/,
      );
    });

    it("says how to deploy when the network has no deployment", async function () {
      const root = await writeDeploymentsRoot();
      await refuses(
        () =>
          govledger(["--network", "localhost", "--deployments", root, "council", "status"], KEYS.councillor1, {
            bare: true,
          }),
        /no deployment for network "localhost" .*npx hardhat deploy --network localhost/,
      );
    });

    it("refuses a node on another chain than the deployment before sending", async function () {
      const root = await writeDeploymentsRoot("testnet", "20260");
      await refuses(
        () => govledger(["council", "approve", "1"], KEYS.councillor1, { root }),
        /wrong network: the node reports chain id 31337, the "testnet" deployment is on chain id 20260/,
      );
    });
  });

  describe("malformed input", function () {
    it("refuses a malformed address", async function () {
      await refuses(
        () => govledger(["council", "propose", "add-account", "1", "0x1234"], KEYS.councillor1),
        /account "0x1234" is not valid: expected 0x followed by 40 hex digits/,
      );
      await refuses(
        () =>
          govledger(
            ["council", "propose", "admit-member", "--name", "X", "--account", "nope", "--role", "auditor"],
            KEYS.councillor1,
          ),
        /account "nope" is not valid/,
      );
    });

    it("refuses a malformed 32-byte hash", async function () {
      await refuses(
        () => govledger(["council", "propose", "suspend", "2", "--reason-hash", "0xabc"], KEYS.councillor1),
        /reason hash "0xabc" is not valid: expected a 32-byte hash/,
      );
      await refuses(
        () =>
          govledger(
            [
              "council",
              "propose",
              "admit-member",
              "--name",
              "X",
              "--account",
              NOBODY,
              "--role",
              "auditor",
              "--documents-hash",
              "12",
            ],
            KEYS.councillor1,
          ),
        /documents hash "12" is not valid/,
      );
    });

    for (const id of ["abc", "0", "-1", "1.5"]) {
      it(`refuses the proposal id "${id}"`, async function () {
        await refuses(
          () => govledger(["council", "approve", id], KEYS.councillor1),
          new RegExp(`proposal id "${id.replace(".", "\\.")}" is not valid: expected a positive whole number`),
        );
      });
    }

    it("refuses a non-numeric member id and a zero threshold", async function () {
      await refuses(() => govledger(["members", "show", "first"]), /member "first" is not valid: expected a member id/);
      await refuses(
        () => govledger(["council", "propose", "set-threshold", "0"], KEYS.councillor1),
        /threshold "0" is not valid/,
      );
    });

    it("lists the valid roles when the role is unknown", async function () {
      await refuses(
        () => govledger(["council", "propose", "grant-role", "2", "wizard"], KEYS.councillor1),
        /unknown role "wizard" \(expected one of: guardian, registrar, .*auditor\)/,
      );
    });

    it("lists the pausable modules when the module is unknown", async function () {
      await refuses(
        () => govledger(["guardian", "pause", "Treasury"], KEYS.guardian),
        /unknown module "Treasury": expected one of MemberRegistry/,
      );
      await refuses(
        () => govledger(["council", "propose", "unpause", "Treasury"], KEYS.councillor1),
        /unknown module "Treasury"/,
      );
    });

    it("names the known contracts when an upgrade targets an unknown one", async function () {
      await refuses(
        () => govledger(["council", "propose", "upgrade", "Treasury", NOBODY], KEYS.councillor1),
        /no contract "Treasury" in the testnet deployment \(known: .*MemberRegistry/,
      );
    });
  });

  describe("signing key", function () {
    it("asks for a key when a write has none", async function () {
      await refuses(
        () => govledger(["council", "approve", "1"]),
        /^govledger: no signing key: set GOVLEDGER_PRIVATE_KEY in \.env or pass --key-env <VAR>$/,
      );
    });

    it("names the variable given with --key-env", async function () {
      await refuses(
        () => govledger(["--key-env", "COUNCIL_KEY", "council", "approve", "1"], KEYS.councillor1),
        /no signing key: set COUNCIL_KEY in \.env/,
      );
    });

    it("refuses a malformed key without echoing it", async function () {
      const line = await refuses(
        () => govledger(["guardian", "pause", "MemberRegistry"], "0xdeadbeef"),
        /GOVLEDGER_PRIVATE_KEY does not hold a valid private key: expected 0x followed by 64 hex digits/,
      );
      expect(line).not.to.include("deadbeef");
    });
  });

  describe("contract refusals, decoded before sending", function () {
    it("refuses a proposal by an account without a council seat", async function () {
      await refuses(
        () => govledger(["council", "propose", "reinstate", "1"], KEYS.deployer),
        /^govledger: CouncilNotCouncillor: 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 is not a councillor — Sign with a councillor's key/,
      );
    });

    it("refuses approving a proposal that does not exist", async function () {
      await refuses(
        () => govledger(["council", "approve", "7"], KEYS.councillor1),
        /^govledger: CouncilUnknownProposal: proposal 7 does not exist — List proposals/,
      );
    });

    it("refuses executing a proposal short of the threshold", async function () {
      await govledger(["council", "propose", "reinstate", "1"], KEYS.councillor1);
      await refuses(
        () => govledger(["council", "execute", "1"], KEYS.councillor1),
        /^govledger: CouncilQuorumNotReached: proposal 1 has 1 of 2 approvals needed — Collect approvals/,
      );
    });

    it("refuses a guardian pause by a councillor", async function () {
      await refuses(
        () => govledger(["guardian", "pause", "MemberRegistry"], KEYS.councillor1),
        /^govledger: AccessManagedUnauthorized: 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 is not authorised/,
      );
    });

    it("explains reads of things that do not exist", async function () {
      await refuses(() => govledger(["council", "show", "42"]), /CouncilUnknownProposal: proposal 42 does not exist/);
      await refuses(
        () => govledger(["members", "show", "42"]),
        /MemberRegistryUnknownMember: member 42 does not exist/,
      );
      await refuses(
        () => govledger(["members", "show", NOBODY]),
        /0x000000000000000000000000000000000000dEaD does not act for any member/,
      );
    });
  });

  describe("usage errors", function () {
    it("turns commander's errors into one line naming the command", async function () {
      await refuses(() => govledger(["council", "frobnicate"]), /^govledger: council: unknown command 'frobnicate'/);
      await refuses(() => govledger(["--frob", "deployment"]), /^govledger: unknown option '--frob'/);
      await refuses(
        () => govledger(["council", "approve"], KEYS.councillor1),
        /^govledger: council approve: missing required argument 'id' \(see `govledger council approve --help`\)$/,
      );
      await refuses(
        () => govledger(["council", "propose", "suspend", "2"], KEYS.councillor1),
        /^govledger: council propose suspend: required option '--reason-hash <hash>' not specified/,
      );
      await refuses(
        () => govledger(["members"]),
        /^govledger: members: missing command \(see `govledger members --help`\)$/,
      );
    });

    it("prints help on stdout and exits 0", async function () {
      const run = await govledger(["council", "--help"]);
      expect(run.code).to.equal(0);
      expect(run.stderr).to.deep.equal([]);
      expect(run.stdout.join("\n"))
        .to.match(/Usage: govledger council/)
        .and.to.include("approve");
    });
  });
});
