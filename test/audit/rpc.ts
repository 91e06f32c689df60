import { createServer } from "http";
import type { AddressInfo } from "net";
import { JsonRpcProvider, Network, type JsonRpcPayload, type JsonRpcResult } from "ethers";
import { network } from "hardhat";

/**
 * A plain ethers JsonRpcProvider whose transport is Hardhat's in-process chain: the audit runs through
 * ethers' JSON-RPC code path (request formatting, block tags, log filters) as against a real node.
 * It records the block span of every `eth_getLogs`, and refuses, as a node with a result limit
 * does, any spanning more than `maxSpan` blocks.
 */
export class InProcessRpc extends JsonRpcProvider {
  readonly spans: number[] = [];

  constructor(
    chainId: bigint,
    private readonly maxSpan = Infinity,
  ) {
    const net = Network.from(chainId);
    super("http://in-process.invalid", net, { staticNetwork: net, batchMaxCount: 1, cacheTimeout: -1 });
  }

  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<Array<JsonRpcResult>> {
    const list = Array.isArray(payload) ? payload : [payload];
    return Promise.all(list.map((p) => this.answer(p))) as Promise<Array<JsonRpcResult>>;
  }

  private async answer(p: JsonRpcPayload) {
    if (p.method === "eth_getLogs") {
      const [filter] = p.params as [{ fromBlock: string; toBlock: string }];
      const span = Number(BigInt(filter.toBlock) - BigInt(filter.fromBlock)) + 1;
      this.spans.push(span);
      if (span > this.maxSpan) {
        return { id: p.id, jsonrpc: "2.0", error: { code: -32005, message: "query returned more than 10000 results" } };
      }
    }
    try {
      const result = await network.provider.request({ method: p.method, params: p.params as unknown[] });
      return { id: p.id, jsonrpc: "2.0", result };
    } catch (e) {
      const err = e as { code?: number; message: string; data?: unknown };
      return { id: p.id, jsonrpc: "2.0", error: { code: err.code ?? -32000, message: err.message, data: err.data } };
    }
  }
}

/** An HTTP JSON-RPC endpoint on loopback serving Hardhat's in-process chain, as a node would. */
export async function serveInProcessChain(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", async () => {
      const p = JSON.parse(body) as JsonRpcPayload;
      let answer: unknown;
      try {
        answer = {
          id: p.id,
          jsonrpc: "2.0",
          result: await network.provider.request({ method: p.method, params: p.params as unknown[] }),
        };
      } catch (e) {
        const err = e as { code?: number; message: string; data?: unknown };
        answer = {
          id: p.id,
          jsonrpc: "2.0",
          error: { code: err.code ?? -32000, message: err.message, data: err.data },
        };
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
