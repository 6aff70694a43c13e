// Re-placing every member after a tier edit runs in the `loyalty` queue, not in the request:
// one job per shop (a deterministic id, so a burst of edits collapses into one pass), and the
// tiers page shows "re-placing members…" while it waits or runs.
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { findProgram, type LoyaltyProgramRecord } from "./loyalty.repository.server";
import { reevaluateShopTiers } from "./member-tier.server";
import { findShopByDomain } from "../shop/shop.repository.server";

export const tierReplacementJobId = (shopDomain: string) => `reevaluate-tiers-${shopDomain}`;

const PENDING_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);

export async function requestTierReplacement(deps: LoyaltyDeps, shopDomain: string) {
  const jobId = tierReplacementJobId(shopDomain);
  // A failed job keeps its id (failed jobs are kept for inspection): clear it so this edit queues.
  const previous = await deps.jobs.queue("loyalty").getJob(jobId);
  if (previous && (await previous.isFailed())) await previous.remove();
  await deps.jobs.add("loyalty", "reevaluate-shop-tiers", { shopDomain }, { jobId, removeOnComplete: true });
}

/** True while the shop's re-placement waits or runs. */
export async function tierReplacementPending(deps: LoyaltyDeps, shopDomain: string): Promise<boolean> {
  const job = await deps.jobs.queue("loyalty").getJob(tierReplacementJobId(shopDomain));
  return job ? PENDING_STATES.has(await job.getState()) : false;
}

/** What a pass depends on: the live tiers and how they qualify. */
function tierRulesOf(program: LoyaltyProgramRecord | null): string {
  if (!program) return "";
  return JSON.stringify({ rules: program.settings.tiers, tiers: program.tiers }, (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
}

// An edit saved while the job runs finds the job active, so BullMQ keeps the one job: the pass
// repeats until it has seen the rules it ends with (bounded: the daily pass catches any rest).
const MAX_PASSES = 5;

export async function runTierReplacement(deps: LoyaltyDeps, shopDomain: string) {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) return { changed: 0, passes: 0 };
  let changed = 0;
  let rules = tierRulesOf(await findProgram(deps.db, shop.id));
  for (let pass = 1; ; pass++) {
    changed += (await reevaluateShopTiers(deps, shop.id)).changed;
    const after = tierRulesOf(await findProgram(deps.db, shop.id));
    if (after === rules || pass >= MAX_PASSES) return { changed, passes: pass };
    rules = after;
  }
}
