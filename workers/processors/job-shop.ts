import { UnrecoverableError } from "bullmq";

/**
 * The shop a job acts for. A record id alone is never trusted: the job's records are looked up
 * within this shop. Every producer has always set `shopDomain`, so a job without one is not ours
 * (or is corrupt) and is refused; what it was for is recovered by the sweeps (the inbox sweeper
 * re-enqueues unapplied deliveries, the daily pass settles stale redemptions).
 */
export function shopOfJob(job: { name: string; data: unknown }): string {
  const shopDomain = (job.data as { shopDomain?: unknown } | null)?.shopDomain;
  if (typeof shopDomain !== "string" || shopDomain === "")
    throw new UnrecoverableError(`${job.name} job without a shop: refused`);
  return shopDomain;
}
