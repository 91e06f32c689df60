import path from "path";
import base from "../../hardhat.config";

/**
 * The project's Hardhat configuration with its build output moved to out/security/hardhat/, so the analysis
 * compiles every contract afresh (same compiler, same settings) without touching artifacts/ or typechain-types/.
 */
const root = path.resolve(__dirname, "..", "..");
export default {
  ...base,
  paths: {
    ...base.paths,
    root,
    artifacts: path.join(root, "out/security/hardhat/artifacts"),
    cache: path.join(root, "out/security/hardhat/cache"),
  },
};
