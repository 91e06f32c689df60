import { expect } from "chai";
import path from "path";
import {
  type Finding,
  type Impact,
  type TriageEntry,
  FAIL_AT,
  applyTriage,
  atLeast,
  covers,
  parseTriage,
  readTriage,
} from "../../scripts/security/triage";

const TRIAGE = path.join(__dirname, "..", "..", "docs", "security", "slither-triage.md");

const HEADER =
  "| Detector | Contract | Element | Match | Severity | Verdict | Why |\n| --- | --- | --- | --- | --- | --- | --- |";

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    detector: "unused-return",
    impact: "Medium",
    confidence: "Medium",
    contract: "Council",
    element: "cancel",
    text: "Council.cancel(uint256) ignores return value by IAccessManager(authority()).cancel(address(this),p.target,p.data)",
    location: "contracts/governance/Council.sol#132",
    ...overrides,
  };
}

function row(cells: Partial<Record<"detector" | "contract" | "element" | "match", string>> = {}): TriageEntry {
  const [entry] = parseTriage(
    `${HEADER}\n| ${cells.detector ?? "unused-return"} | ${cells.contract ?? "Council"} | ${cells.element ?? "`cancel`"} | ${cells.match ?? "`.cancel(address(this)`"} | Medium | false positive | the nonce is not needed |`,
  );
  return entry;
}

describe("Slither triage (scripts/security/triage.ts)", function () {
  describe("parseTriage", function () {
    it("reads the rows of tables with the triage header only, without code quotes and padding", function () {
      const markdown = `# t\n\n| a | b |\n| - | - |\n| x | y |\n\n${HEADER}\n|  timestamp | \`*\` | \`*\` | - | Low | accepted | time is data |\n`;
      expect(parseTriage(markdown)).to.deep.equal([
        {
          detector: "timestamp",
          contract: "*",
          element: "*",
          match: "",
          severity: "Low",
          verdict: "accepted",
          why: "time is data",
          line: 9,
        },
      ]);
    });

    it("throws naming the line of a row with a missing cell", function () {
      expect(() => parseTriage(`${HEADER}\n| unused-return | Council | cancel | - | Medium | accepted |`)).to.throw(
        /line 3/,
      );
    });
  });

  describe("covers", function () {
    it("matches detector, contract, element and the match text", function () {
      expect(covers(row(), finding())).to.equal(true);
      expect(covers(row({ element: "execute" }), finding())).to.equal(false);
      expect(covers(row({ contract: "MemberRegistry" }), finding())).to.equal(false);
      expect(covers(row({ match: "`.schedule(`" }), finding())).to.equal(false);
    });

    it("ignores where the finding is: a moved line is still covered", function () {
      expect(covers(row(), finding({ location: "contracts/governance/Council.sol#200" }))).to.equal(true);
    });

    it("lets a wildcard row cover low and informational findings only", function () {
      const wildcard = row({ contract: "*", element: "*", match: "-" });
      expect(covers(wildcard, finding({ impact: "Low" }))).to.equal(true);
      expect(covers(wildcard, finding({ impact: "Informational" }))).to.equal(true);
      expect(covers(wildcard, finding({ impact: "Medium" }))).to.equal(false);
      expect(covers(wildcard, finding({ impact: "High" }))).to.equal(false);
    });
  });

  describe("applyTriage", function () {
    it("lists untriaged findings most severe first, and rows that match nothing as stale", function () {
      const unmatched = row({ element: "execute" });
      const high = finding({ detector: "uninitialized-state", impact: "High", element: "_x" });
      const low = finding({ detector: "timestamp", impact: "Low" });
      const result = applyTriage([low, finding(), high], [row(), unmatched]);
      expect(result.untriaged).to.deep.equal([high, low]);
      expect(result.stale).to.deep.equal([unmatched]);
    });
  });

  describe("docs/security/slither-triage.md", function () {
    it("parses, and names every row's reason", function () {
      const entries = readTriage(TRIAGE);
      expect(entries.length).to.be.greaterThan(0);
      for (const e of entries) expect(e.why.length, `line ${e.line}`).to.be.greaterThan(20);
    });

    it("names detector, contract and element exactly in every row written for a medium or high finding", function () {
      for (const e of readTriage(TRIAGE)) {
        if (!atLeast(e.severity as Impact, FAIL_AT)) continue;
        expect([e.detector, e.contract, e.element], `line ${e.line}`).not.to.include("*");
      }
    });
  });
});
