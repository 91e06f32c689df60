import { expect } from "chai";
import { decodeEvents } from "../../src/sdk/events";
import { openEscrow, termsOf, tradeFixture } from "../helpers/trade";

describe("SDK: decodeEvents", function () {
  context("when a receipt holds an ERC-20 Transfer, whose topic is also ERC-721's Transfer", function () {
    it("skips the token's log and decodes the suite's own", async function () {
      const m = await tradeFixture();
      const id = await openEscrow(m, await termsOf(m));
      const escrow = await m.escrow.getAddress();
      await (await m.currency.connect(m.buyer.account).approve(escrow, 30_000_000n)).wait();
      const receipt = await (await m.escrow.connect(m.buyer.account).fund(id, 0, m.buyer.did)).wait();
      expect(receipt!.logs.length).to.equal(2);
      const events = decodeEvents(receipt!, { SettlementEscrow: escrow });
      expect(events.map((e) => [e.contract, e.name])).to.deep.equal([["SettlementEscrow", "MilestoneFunded"]]);
      expect(events[0].args).to.include({ id, milestone: 0n, actor: m.buyer.did, amount: 30_000_000n });
    });
  });
});
