import { expect } from "chai";
import { readFileSync } from "fs";
import { ERROR_DOCS, decodeRevert, suiteErrorsInterface } from "../../src/sdk/errors";
import { renderErrorsDoc } from "../../scripts/errors-doc";

describe("SDK error table", function () {
  it("documents every custom error in the suite's ABIs, and nothing else", function () {
    const inAbis = new Set<string>();
    suiteErrorsInterface().forEachError((e) => inAbis.add(e.name));
    const documented = new Set(Object.keys(ERROR_DOCS));
    expect(
      [...inAbis].filter((n) => !documented.has(n)),
      "errors missing from ERROR_DOCS",
    ).to.deep.equal([]);
    expect(
      [...documented].filter((n) => !inAbis.has(n)),
      "stale ERROR_DOCS entries",
    ).to.deep.equal([]);
  });

  it("keeps docs/errors.md equal to what `npm run docs:errors` generates", function () {
    expect(readFileSync("docs/errors.md", "utf8")).to.equal(renderErrorsDoc());
  });

  it("decodes a custom error with its arguments into a human message", function () {
    const iface = suiteErrorsInterface();
    const data = iface.encodeErrorResult("CouncilQuorumNotReached", [7n, 1n, 2n]);
    const error = decodeRevert(data);
    expect(error?.errorName).to.equal("CouncilQuorumNotReached");
    expect(error?.args).to.deep.equal({ id: 7n, approvals: 1n, threshold: 2n });
    expect(error?.message).to.equal("CouncilQuorumNotReached: proposal 7 has 1 of 2 approvals needed");
    expect(error?.fix).to.equal(ERROR_DOCS.CouncilQuorumNotReached.fix);
  });

  it("returns undefined for data that is not a suite error", function () {
    expect(decodeRevert("0xdeadbeef")).to.equal(undefined);
  });
});
