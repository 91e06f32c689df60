import path from "path";
import base from "../../hardhat.config";

/**
 * The project's Hardhat configuration with its build output moved under out/security/ — out/security/hardhat/
 * for the analysis, or GOVLEDGER_SECURITY_BUILD_DIR (out/security/fuzz/hardhat/ for `npm run fuzz`) — so each
 * tool compiles every contract (same compiler, same settings) without touching artifacts/ or typechain-types/,
 * which other commands may be rebuilding at the same time.
 */
const root = path.resolve(__dirname, "..", "..");
const build = path.resolve(root, process.env.GOVLEDGER_SECURITY_BUILD_DIR ?? "out/security/hardhat");
export default {
  ...base,
  paths: {
    ...base.paths,
    root,
    artifacts: path.join(build, "artifacts"),
    cache: path.join(build, "cache"),
  },
  typechain: { ...base.typechain, dontOverrideCompile: true },
};
