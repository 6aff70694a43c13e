// npm run chaos [-- --short] [-- --only REGEX]
// Faults injected into a running Kinship (webhook server and workers as real processes, on a
// PostgreSQL server and a Redis of the run's own): Redis losing its data, PostgreSQL
// connections cut, the PostgreSQL server crashed and restarted, the workers SIGKILLed, Shopify
// failing. Prints, per scenario, events sent, lost (must be 0),
// duplicated (must be 0) and the recovery time; exits 1 when anything was lost or duplicated.
import { parseArgs } from "node:util";

import { formatChaosTable } from "./chaos-table";
import { runChaos } from "./run-chaos";

const { values } = parseArgs({ options: { short: { type: "boolean", default: false }, only: { type: "string" } } });
const started = performance.now();
const results = await runChaos({
  short: values.short,
  only: values.only ? new RegExp(values.only, "i") : undefined,
  log: (line) => console.log(`[chaos] ${line}`),
});
console.log(formatChaosTable(results));
console.log(`chaos run took ${((performance.now() - started) / 1000).toFixed(0)} s`);
if (results.some((result) => result.lost > 0 || result.duplicated > 0)) process.exitCode = 1;
