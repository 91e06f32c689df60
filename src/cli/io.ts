import type { Provider } from "ethers";

/** Everything the CLI touches outside itself, so tests can run it in-process. */
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Replaces the JSON-RPC connection of every network (tests hand in Hardhat's provider). */
  provider?: (network: string) => Provider;
  /** A terminal to draw progress bars on; undefined when stderr is not a TTY (no bar then). */
  progress?: NodeJS.WriteStream;
}

/** The real process: lines to stdout/stderr, the process environment and working directory. */
export function processIo(): CliIo {
  return {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
    progress: process.stderr.isTTY ? process.stderr : undefined,
  };
}
