import type { Command } from "commander";
import type { Cli } from "../cli";
import { deploymentOf } from "../connect";
import { fields } from "../format";

/** `deployment`: where the suite lives on the network, read from the deployment records. */
export function deploymentCommand(program: Command, cli: Cli): void {
  program
    .command("deployment")
    .description("show the network's chain id and contract addresses (from deployments/<network>/)")
    .action((_opts, cmd: Command) => {
      const d = deploymentOf(cli.options(cmd), cli.io);
      const names = Object.keys(d.contracts).sort();
      cli.emit(cmd, { network: d.network, chainId: d.chainId, contracts: d.contracts }, [
        ...fields([
          ["network", d.network],
          ["chain id", d.chainId.toString()],
        ]),
        ...fields(names.map((n) => [n, d.contracts[n]])),
      ]);
    });
}
