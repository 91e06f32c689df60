import type { Suite } from "../lib/types";
import { achievementSuite } from "./achievement";
import { consortiumSuite } from "./consortium";
import { evidenceSuite } from "./evidence";
import { identitySuite } from "./identity";
import { peersSuite } from "./peers";
import { tradeSuite } from "./trade";

/**
 * Every benchmark suite, run in this order on one chain. A module adds its benchmark by writing
 * bench/suites/<module>.ts and listing it here; its rows may name the peers' and the floor's
 * measurement ids (e.g. "eas.timestamp", FLOOR_SINGLE) to get ours-vs-peer ratios.
 */
export const SUITES: readonly Suite[] = [
  peersSuite,
  consortiumSuite,
  identitySuite,
  evidenceSuite,
  achievementSuite,
  tradeSuite,
];
