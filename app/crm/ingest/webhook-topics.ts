// Every webhook topic Kinship subscribes to (shopify.app.toml), each with its route
// at /webhooks/<topic>. Compliance topics are mandatory for App Store apps.
export const EVENT_TOPICS = [
  "customers/create",
  "customers/update",
  "customers/delete",
  "orders/create",
  "orders/updated",
  "orders/paid",
  "orders/cancelled",
  "refunds/create",
  "app/uninstalled",
  "app/scopes_update",
  "bulk_operations/finish",
] as const;

export const COMPLIANCE_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;

export type EventTopic = (typeof EVENT_TOPICS)[number];
export type ComplianceTopic = (typeof COMPLIANCE_TOPICS)[number];
export type WebhookTopic = EventTopic | ComplianceTopic;

export const WEBHOOK_TOPICS: readonly WebhookTopic[] = [...EVENT_TOPICS, ...COMPLIANCE_TOPICS];

export function isComplianceTopic(topic: string): topic is ComplianceTopic {
  return (COMPLIANCE_TOPICS as readonly string[]).includes(topic);
}

export function webhookPath(topic: WebhookTopic): string {
  return `/webhooks/${topic}`;
}

const TOPIC_BY_PATH = new Map<string, WebhookTopic>(WEBHOOK_TOPICS.map((topic) => [webhookPath(topic), topic]));

/** The topic whose route is this path (`/webhooks/orders/create`), or null for any other path. */
export function topicOfWebhookPath(pathname: string): WebhookTopic | null {
  return TOPIC_BY_PATH.get(pathname) ?? null;
}

/** The library reports topics as `ORDERS_CREATE` or `orders/create` depending on the source. */
export function normaliseTopic(topic: string): string {
  if (topic.includes("/")) return topic.toLowerCase();
  const lower = topic.toLowerCase();
  const known = WEBHOOK_TOPICS.find((candidate) => candidate.replace("/", "_") === lower);
  return known ?? lower;
}
