import { expect } from "chai";
import { spawnSync } from "child_process";
import { readFileSync } from "fs";

interface Report {
  steps: {
    chapter: string;
    actor: string;
    action: string;
    outcome: "done" | "refused";
    detail: { reason?: string; balance?: string; events?: string[] } & Record<string, unknown>;
  }[];
}

describe("npm run demo", function () {
  this.timeout(180_000);

  it("tells the consortium story, exits 0 and writes a report whose refusals carry decoded reasons", function () {
    const run = spawnSync("npx", ["hardhat", "run", "scripts/demo.ts"], { encoding: "utf8", env: process.env });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.include("== 1. The consortium is formed ==");
    expect(run.stdout).to.include("council is now 2 of 4");

    const report = JSON.parse(readFileSync("out/demo-report.json", "utf8")) as Report;
    const refusals = report.steps.filter((s) => s.outcome === "refused").map((s) => s.detail.reason?.split(":")[0]);
    expect(refusals).to.deep.equal([
      "CouncilQuorumNotReached",
      "AccessManagedUnauthorized",
      "AccessManagedUnauthorized",
      "EnforcedPause",
      "AccessManagedUnauthorized",
      "CouncilProposalNotReady",
      "IdentityNotAccredited",
      "IdentityNotActingFor",
      "RecoveryNotReady",
      "IdentityNotActingFor",
      "ConsentWasRevoked",
      "EvidenceAlreadyNotarized",
      "EvidenceNotNotary",
      "AchievementConsentMissing",
      "AchievementConflictOfInterest",
      "AchievementLocked",
      "AchievementNotLender",
      "MarketApprovalMissing",
      // The SDK refuses these two before sending, saying what is wrong.
      "DID 3 is the lister of listing 1",
      "the bid 855000.00 is below the minimum 860000.00 e-CNY(test) (the highest bid 850000.00 plus the increment 10000.00)",
      "EscrowUnexpectedStatus",
    ]);
    expect(run.stdout).to.include("== 8. Evidence ==");
    expect(run.stdout).to.match(
      /checks patent-case-042\.json with its proof bundle: notarized by Municipal Intellectual Property Office .*valid = true/,
    );
    expect(run.stdout).to.include("checks a tampered copy with the same bundle: valid = false");
    expect(run.stdout).to.include("looks the tampered copy up on chain: not-found");
    expect(run.stdout).to.match(/checks the first transcript: superseded by 0x[0-9a-f]{64}/);
    expect(run.stdout).to.include("checks the contract: revoked (by order: true)");
    expect(run.stdout).to.include("== 7. Digital identities ==");
    expect(run.stdout).to.include("the company still holds its high-tech claim: true");
    const relayed = report.steps.find((s) => s.actor.startsWith("the research team (no funds"));
    expect(relayed?.detail).to.deep.include({ balance: "0" });
    expect(report.steps.some((s) => s.action.startsWith("cancelled upgrade"))).to.equal(true);

    expect(run.stdout).to.include("== 9. Technology achievements ==");
    expect(run.stdout).to.include("registered patent 312026200042");
    expect(run.stdout).to.match(/the SDK stops it before sending: consent missing from DID \d+/);
    const achievements = report.steps.filter((s) => s.chapter === "9. Technology achievements");
    expect(achievements.find((s) => s.action.startsWith("published evaluation #0"))?.detail).to.deep.include({
      status: "Evaluated",
      suggestedValue: "1200000000",
    });
    expect(achievements.find((s) => s.action.startsWith("pledged the patent"))?.detail).to.deep.include({
      securedAmount: "500000000",
    });
    const read = achievements.find((s) => s.action.startsWith("reads patent 312026200042"));
    expect(read?.action).to.include("Evaluated, pledged false; ownership the university 70%, the team lead 30%");
    expect(read?.action).to.include("use the team lead 100%");
    const history = achievements.find((s) => s.action.startsWith("read the patent's history"));
    expect(history?.detail.events).to.deep.equal([
      "ShareAssigned",
      "ShareAssigned",
      "AchievementRegistered",
      "StatusChanged",
      "ShareAssigned",
      "RightsChanged",
      "StatusChanged",
      "Evaluated",
      "ConsentGiven",
      "Pledged",
      "PledgeReleased",
    ]);

    // The climax: an auction, a deal, two instalments (one disputed and ruled), the split withdrawn,
    // the contract registered and the licence checked.
    expect(run.stdout).to.include("== 10. Licence trading ==");
    expect(run.stdout).to.match(
      /the SDK stops it before sending: disposal-right party DID \d+ has not approved listing 1/,
    );
    const trade = report.steps.filter((s) => s.chapter === "10. Licence trading");
    const step = (prefix: string) => {
      const found = trade.find((s) => s.action.startsWith(prefix));
      expect(found, `step "${prefix}"`).to.not.equal(undefined);
      return found!;
    };
    expect(step("closed the auction").detail).to.deep.include({ price: "90000000" });
    expect(step("closed the auction").action).to.include("won by Greenvolt at ¥900,000.00");
    expect(step("withdrew its ¥50,000.00 deposit").actor).to.equal("Sunrise Energy");
    expect(step("confirmed the deal").detail).to.deep.include({
      price: "90000000",
      milestones: ["5000000", "34000000", "51000000"],
    });
    expect(step("ruled case 2026-沪仲-0117").detail).to.deep.include({ toBuyer: "5100000", released: "45900000" });
    // 849,000.00 released: 3 % to the centre, 10 % to the two inventors, the rest 70/30 to the co-owners.
    const paid = step("reconciles the escrow").detail;
    expect(paid).to.deep.include({ held: "0", owed: "0", balance: "0" });
    expect(paid.paid).to.deep.equal({
      "the university": "51704100",
      "the team lead": "26403900",
      "the Exchange Centre": "2547000",
      Greenvolt: "5100000",
      "the co-inventor": "4245000",
    });
    expect(step("registered technology contract 2026310104000917").detail).to.deep.include({ type: "licence" });
    expect(step("issued the transaction certificate").outcome).to.equal("done");
    expect(step("checks the licence register today").detail).to.deep.equal({
      licensed: true,
      elsewhere: false,
      rival: false,
    });
  });
});
