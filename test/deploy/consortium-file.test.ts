import { expect } from "chai";
import { consortiumFor } from "../../src/deploy/consortium";

describe("the consortium file of a deployment", function () {
  const saved = process.env.GOVLEDGER_CONSORTIUM_FILE;
  afterEach(function () {
    if (saved === undefined) delete process.env.GOVLEDGER_CONSORTIUM_FILE;
    else process.env.GOVLEDGER_CONSORTIUM_FILE = saved;
  });

  it("defaults to the local file, of Hardhat's test accounts, on the test networks only", function () {
    delete process.env.GOVLEDGER_CONSORTIUM_FILE;
    for (const network of ["hardhat", "localhost", "consortium"]) {
      const { council } = consortiumFor(network);
      expect(council.councillors).to.have.length.greaterThan(0);
    }
    expect(() => consortiumFor("remote")).to.throw(
      'set GOVLEDGER_CONSORTIUM_FILE to deploy to "remote": the default config/consortium.local.json names Hardhat\'s public test keys, which must never govern a real chain',
    );
  });

  it("reads the named file on any network", function () {
    process.env.GOVLEDGER_CONSORTIUM_FILE = "config/consortium.local.json";
    expect(consortiumFor("remote").council.threshold).to.equal(consortiumFor("hardhat").council.threshold);
    process.env.GOVLEDGER_CONSORTIUM_FILE = "config/no-such-file.json";
    expect(() => consortiumFor("remote")).to.throw(/cannot read consortium file .*no-such-file\.json/);
  });
});
