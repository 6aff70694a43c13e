// How long Kinship keeps what it does not need for ever: every period in one place, the
// source of PRIVACY.md's "Retention" table (keep the two in step). Pure.

const DAY_MS = 24 * 3600 * 1000;

export const RETENTION_DAYS = {
  /** Raw webhook payloads (whole customer and order JSON, addresses included) once applied or ignored. */
  processedWebhookDeliveries: 7,
  /** Deliveries that failed their last retry: long enough to inspect and retry from Data health. */
  failedWebhookDeliveries: 30,
  /** The JSON document of a customers/data_request, for the merchant to download, after completion. */
  privacyRequestDocuments: 30,
  /** Customers deleted in Shopify: their personal fields are erased (figures kept) after this. */
  deletedCustomerPersonalFields: 30,
  /** Finished imports (history, reconciliation, demo seed): the latest of each kind is always kept. */
  syncRuns: 180,
  /** Analytics run history (timings, fit, summaries): the latest succeeded run is always kept. */
  analyticsRuns: 400,
} as const;

export type RetentionItem = keyof typeof RETENTION_DAYS;

/** The instant before which each item is past its period. */
export function retentionCutoffs(now: Date): Record<RetentionItem, Date> {
  const entries = Object.entries(RETENTION_DAYS).map(([item, days]) => [item, new Date(now.getTime() - days * DAY_MS)]);
  return Object.fromEntries(entries) as Record<RetentionItem, Date>;
}
