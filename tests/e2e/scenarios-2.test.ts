/** Shard 2 of 4 of the runtime scenarios through `flowc test` (see tests/support/scenarios.ts). */
import { describeScenarios } from "../support/scenarios.ts";

describeScenarios(1, 4);
