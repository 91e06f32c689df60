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
  });
});
