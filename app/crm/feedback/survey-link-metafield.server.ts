// The order metafield `kinship.survey_url` (type url): the order's signed survey link, so the
// merchant's own Shopify notifications (`{{ order.metafields.kinship.survey_url }}`) and Flow can
// include it. Written once per new order of a customer while a survey is switched on, by a
// `shopify-calls` job whose id is the order's (a redelivered orders/create adds nothing). The
// link's expiry counts from the order's processing time, not from when the job ran, so a retried
// or repeated job writes the very same value.
import type { JobQueues } from "../../jobs/job-queues.server";
import type { Logger } from "../../lib/logger.server";
import type { PrismaClient } from "../../db.server";
import type { InboxDeliveryForHandler } from "../ingest/webhook-handler";
import type { AdminClientFactory } from "../shopify-admin/admin-client-for-shop.server";
import { METAFIELDS_PER_CALL, setMetafields } from "../shopify-admin/metafields.server";
import { ShopifyAdminError } from "../shopify-admin/shopify-admin-error";
import { findShopByDomain } from "../shop/shop.repository.server";
import { enabledSurveys } from "./feedback-settings";
import { surveyLink } from "./survey-links";
import { findFeedbackSettings, findSurveyOrder } from "./survey-responses.repository.server";

export const SURVEY_LINK_METAFIELD = { namespace: "kinship", key: "survey_url", type: "url" } as const;

export const surveyLinkJobId = (shopId: number, orderShopifyId: bigint | string) =>
  `survey-link-${shopId}-${orderShopifyId}`;

type OrderPayload = { id?: unknown; customer?: { id?: unknown } | null; cancelled_at?: unknown };

function newCustomerOrderId(delivery: InboxDeliveryForHandler): bigint | null {
  // Only new orders: an orders/updated weeks later (a fulfilment, an edit) is not a reason to write.
  if (delivery.topic !== "orders/create") return null;
  const payload = (delivery.payload ?? {}) as OrderPayload;
  if (payload.customer?.id == null || payload.cancelled_at) return null;
  const id = payload.id;
  return typeof id === "number" || (typeof id === "string" && /^\d+$/.test(id)) ? BigInt(id) : null;
}

/** After orders are applied: one job per new customer order, in one addBulk, while a survey is on. */
export async function requestSurveyLinkMetafields(
  deps: { db: PrismaClient; jobs: JobQueues },
  shop: { id: number; domain: string },
  deliveries: readonly InboxDeliveryForHandler[],
): Promise<number> {
  const orderIds = [...new Set(deliveries.flatMap((delivery) => newCustomerOrderId(delivery) ?? []))];
  if (orderIds.length === 0) return 0;
  if (enabledSurveys(await findFeedbackSettings(deps.db, shop.id)).length === 0) return 0;
  // Not sync: links must not wait behind a reconciliation. Nor loyalty: a throttled shop's links
  // would hold the slots of the point evaluations.
  await deps.jobs.queue("shopify-calls").addBulk(
    orderIds.map((orderId) => ({
      name: "survey-link-metafield" as const,
      data: { shopDomain: shop.domain, orderShopifyId: orderId.toString() },
      opts: { jobId: surveyLinkJobId(shop.id, orderId) },
    })),
  );
  return orderIds.length;
}

export interface SurveyLinkMetafieldDeps {
  db: PrismaClient;
  logger: Logger;
  adminFor: AdminClientFactory;
  surveyTokenKey: Buffer;
  now?: () => Date;
}

export type SurveyLinkOutcome =
  | { status: "written"; url: string }
  | { status: "skipped"; reason: "unknown_shop" | "surveys_off" | "unknown_order" | "guest_or_cancelled" | "expired" }
  | { status: "refused" };

export async function writeSurveyLinkMetafield(
  deps: SurveyLinkMetafieldDeps,
  shopDomain: string,
  orderShopifyId: bigint,
): Promise<SurveyLinkOutcome> {
  const [result] = await writeSurveyLinkMetafields(deps, shopDomain, [orderShopifyId]);
  if (result!.status === "rejected") throw result!.reason;
  return result!.value;
}

/**
 * Many orders' links at once (the shopify-calls worker's batch), 25 to a metafieldsSet call: at a busy
 * shop's order rate, one call per order would run into the Admin API's rate limit and keep
 * retrying. One result per order, in order; an order Shopify refuses is refused alone.
 */
export async function writeSurveyLinkMetafields(
  deps: SurveyLinkMetafieldDeps,
  shopDomain: string,
  orderShopifyIds: readonly bigint[],
): Promise<PromiseSettledResult<SurveyLinkOutcome>[]> {
  const all = (outcome: SurveyLinkOutcome) => orderShopifyIds.map(() => fulfilled(outcome));
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop || shop.uninstalledAt) return all({ status: "skipped", reason: "unknown_shop" });
  // Settings are read again here: surveys may have been switched off since the order came in.
  const settings = await findFeedbackSettings(deps.db, shop.id);
  // One link per order: the first survey switched on (NPS, then CSAT, then the questionnaire).
  const kind = enabledSurveys(settings)[0];
  if (!kind) return all({ status: "skipped", reason: "surveys_off" });
  const now = (deps.now?.() ?? new Date()).getTime();
  const results: PromiseSettledResult<SurveyLinkOutcome>[] = [];
  const links: { index: number; orderShopifyId: bigint; url: string }[] = [];
  for (const [index, orderShopifyId] of orderShopifyIds.entries()) {
    const order = await findSurveyOrder(deps.db, shop.id, orderShopifyId);
    if (!order) results.push(fulfilled({ status: "skipped", reason: "unknown_order" }));
    else if (order.customerShopifyId === null || order.cancelledAt)
      results.push(fulfilled({ status: "skipped", reason: "guest_or_cancelled" }));
    else if (order.processedAt.getTime() + settings.linkValidDays * 86_400_000 <= now)
      results.push(fulfilled({ status: "skipped", reason: "expired" }));
    else {
      const url = surveyLink(deps.surveyTokenKey, {
        shopDomain: shop.domain,
        shopId: shop.id,
        orderShopifyId,
        kind,
        validDays: settings.linkValidDays,
        now: order.processedAt,
      });
      results.push(fulfilled({ status: "written", url }));
      links.push({ index, orderShopifyId, url });
    }
  }
  if (links.length === 0) return results;
  const admin = await deps.adminFor(shop.domain);
  const write = async (part: typeof links): Promise<void> => {
    try {
      await setMetafields(
        admin,
        part.map((link) => ({
          ownerId: `gid://shopify/Order/${link.orderShopifyId}`,
          ...SURVEY_LINK_METAFIELD,
          value: link.url,
        })),
      );
    } catch (error) {
      // Refused input (user errors) or no access (an install without write_orders): the same call
      // would be refused again, so log (without the link: its token is a credential) and stop rather
      // than retry into a dead letter per order. Throttling and Shopify's 5xx retry.
      if (!(error instanceof ShopifyAdminError) || error.transient) {
        for (const link of part) results[link.index] = { status: "rejected", reason: error };
        return;
      }
      // metafieldsSet refuses a whole call for one bad metafield: find it by writing one by one.
      if (part.length > 1) {
        for (const link of part) await write([link]);
        return;
      }
      deps.logger.warn(
        { shop: shop.domain, orderId: part[0]!.orderShopifyId.toString(), code: error.code, err: error.message },
        "survey link metafield refused",
      );
      results[part[0]!.index] = fulfilled({ status: "refused" });
    }
  };
  for (let i = 0; i < links.length; i += METAFIELDS_PER_CALL) await write(links.slice(i, i + METAFIELDS_PER_CALL));
  return results;
}

const fulfilled = (value: SurveyLinkOutcome): PromiseFulfilledResult<SurveyLinkOutcome> => ({
  status: "fulfilled",
  value,
});
