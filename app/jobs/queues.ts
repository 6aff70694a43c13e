// Queue names and typed job payloads, shared by the app (which enqueues) and
// workers/ (which consume). One queue per job family.
import type { DefaultJobOptions } from "bullmq";

export const QUEUE_NAMES = [
  "ingest",
  "backfill",
  "analytics",
  "loyalty",
  "shopify-calls",
  "sync",
  "privacy",
  "segments",
  "automations",
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** The payload of each job, by queue and job name. */
export interface JobPayloads {
  ingest: {
    /** A verified webhook delivery in the inbox (webhook_deliveries.id, as a string: it is a bigint). */
    "apply-webhook": { deliveryId: string; shopDomain: string; topic: string };
    /** Every minute (job scheduler): re-enqueues inbox deliveries still `received` after a while. */
    "sweep-inbox": Record<string, never>;
  };
  backfill: {
    "import-history": { shopDomain: string; reason: "install" | "merchant" | "reconciliation" };
    /** Checks a history import's bulk operation (the fallback for a lost finish webhook). */
    "poll-bulk-operation": { shopDomain: string; runId: number; bulkOperationId: string; attempt: number };
    /** Streams a finished bulk operation's result into the profile tables. */
    "import-bulk-result": { shopDomain: string; runId: number; bulkOperationId: string };
  };
  analytics: {
    /** A whole-shop analytics run: nightly (job scheduler) or the merchant's "Recalculate". */
    "compute-shop": { shopDomain: string; trigger: "nightly" | "merchant" };
    /** One customer re-scored with the latest run's parameters (jobs queued before rescore-customers). */
    "rescore-customer": { shopId: number; customerId: string };
    /** The customers an ingest batch's orders and refunds touched, re-scored in one transaction. */
    "rescore-customers": { shopId: number; customerIds: string[] };
    /** Co-purchase rules of the shop (app/crm/recommendations), chained after its analytics run. */
    "mine-recommendations": { shopId: number };
    /** The shop's Customers list table built afresh (app/crm/customers/customer-list-table). */
    "rebuild-customer-list": { shopId: number };
  };
  loyalty: {
    "evaluate-order": { shopDomain: string; orderShopifyId: string };
    /** A customer appeared or changed: enrol them and credit their (guest) orders. */
    "evaluate-customer": { shopDomain: string; customerShopifyId: string };
    /** Creates a redemption's discount code in Shopify (the safety net of the inline attempt). */
    "issue-reward": { shopDomain: string; redemptionId: string };
    /** Daily per shop: points expiry, tier period ends, birthdays, the balance consistency check. */
    "daily-shop": { shopDomain: string; day: string };
    /** After tier edits: every member of the shop re-placed (one job per shop, edits collapse). */
    "reevaluate-shop-tiers": { shopDomain: string };
    /** A survey answer's follow-ups: points, detractor recovery reward, Flow trigger (app/crm/feedback). */
    "process-survey-response": { shopDomain: string; responseId: string };
  };
  /**
   * Loyalty's and feedback's per-member and per-order Shopify Admin API calls, apart from the
   * loyalty queue: jobs waiting on a throttled shop must not hold the slots of the point
   * evaluations. (Jobs of these names left in the loyalty queue still run there.)
   */
  "shopify-calls": {
    /** Writes a member's points and tier to the Shopify customer (metafields, tag). */
    "sync-member-to-shopify": { shopDomain: string; memberId: string };
    /** A new member: reads their birthday from the Shopify customer metafield `facts.birth_date`. */
    "read-member-birthday": { shopDomain: string; memberId: string };
    /** Order metafield `kinship.survey_url`: a new order's signed survey link (app/crm/feedback). */
    "survey-link-metafield": { shopDomain: string; orderShopifyId: string };
  };
  sync: {
    "reconcile-shop": { shopDomain: string; day: string };
    /** A Customers list bulk action too large for the request (customer-bulk-actions.server.ts). */
    "customers-bulk-action": { shopId: number; staffUserId: string | null; staffName: string; request: string };
    /** Customer metafield `kinship.recommended_products`, a page of customers at a time, after a mining. */
    "recommendation-metafields": { shopId: number; afterCustomerId?: string };
  };
  privacy: {
    "apply-request": { deliveryId: string; shopDomain: string; topic: string };
    /** Daily (global job scheduler): deletes what is past its retention period (app/crm/privacy/retention.server.ts). */
    "apply-retention": Record<string, never>;
  };
  segments: {
    /** Recomputes the shop's stale saved segments (after an analytics run, or a segment saved). */
    "recompute-segments": { shopId: number };
    /** Sends unsynced membership changes to Shopify (tag, metafield, Flow triggers), paced. */
    "sync-segments": { shopId: number };
    /** Writes a segment's whole membership to Shopify (sync turned on or off, re-sync, deleted). */
    "push-segment": { shopId: number; segmentId: number; afterCustomerId?: string };
  };
  automations: {
    /** Every switched-on rule of the shop, set-based (after the nightly analytics and segments). */
    "evaluate-shop": { shopId: number };
    /** Real-time: the rules of these event kinds for one customer (an order applied, a survey answered). */
    "customer-event": { shopId: number; customerId: string; kinds: ("order" | "survey")[] };
    /** Performs a run's actions from its next step (retried with backoff; each action idempotent). */
    "execute-run": { runId: string };
    /** After a run's wait: re-checks the conditions, then goes on from the step after the wait. */
    "resume-run": { runId: string; step: number };
  };
}

export type JobName<Q extends QueueName> = Extract<keyof JobPayloads[Q], string>;
export type JobPayload<Q extends QueueName, N extends JobName<Q>> = JobPayloads[Q][N];

/**
 * Retries with exponential backoff (1 s, 2 s, 4 s …); finished jobs are dropped after a
 * day, failed ones are kept so they can be inspected and retried.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false,
};

/**
 * For jobs whose id names what they do (a shop and a run): the id is freed once the job is done,
 * so the next run's job can take it; while one waits, asking again changes nothing. Failures are
 * kept a week for inspection.
 */
export const FREE_ID_WHEN_DONE = { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } } as const;
