// The order status page's survey block (customer accounts): which surveys an order can still be
// asked, and the answer. Acts only for the customer the session token names, on their own order.
import { z } from "zod";

import { findShopByDomain } from "../shop/shop.repository.server";
import { enabledSurveys, type FeedbackSettings } from "./feedback-settings";
import type { FeedbackDeps } from "./feedback-deps";
import { recordSurveyAnswer } from "./record-survey-answer.server";
import { parseSurveyAnswer } from "./survey-answer";
import { SURVEY_KINDS, type SurveyKind } from "./survey-kinds";
import { answeredKinds, findFeedbackSettings, findSurveyOrder } from "./survey-responses.repository.server";

export interface AccountSurveyRequest {
  shopDomain: string;
  customerShopifyId: bigint;
  /** The order's gid (gid://shopify/Order/<id>) from the extension's order API. */
  orderGid: string;
  /**
   * The block saw the order delivered (or fulfilled without tracking) in the Customer Account API:
   * ask now instead of `askAfterDays` after the order. The shopper's own claim about their own
   * order, so at worst they answer earlier; ownership, cancellation and once-only still hold.
   */
  delivered?: boolean;
}

const orderGid = z.string().regex(/^gid:\/\/shopify\/Order\/\d+$/);
const answerBody = z.object({ kind: z.enum(SURVEY_KINDS) }).passthrough();

async function askableOrder(deps: FeedbackDeps, request: AccountSurveyRequest) {
  if (!orderGid.safeParse(request.orderGid).success) return null;
  const shop = await findShopByDomain(deps.db, request.shopDomain);
  if (!shop || shop.uninstalledAt) return null;
  const order = await findSurveyOrder(deps.db, shop.id, BigInt(request.orderGid.split("/").at(-1)!));
  // Another customer's order is as unknown as a missing one.
  if (!order || order.customerShopifyId !== request.customerShopifyId) return null;
  const settings = await findFeedbackSettings(deps.db, shop.id);
  const now = deps.now?.() ?? new Date();
  const due =
    request.delivered === true || order.processedAt.getTime() + settings.askAfterDays * 86_400_000 <= now.getTime();
  if (order.cancelledAt || !due) return { shop, order, settings, open: [] as SurveyKind[] };
  const answered = await answeredKinds(deps.db, shop.id, order.shopifyId);
  return { shop, order, settings, open: enabledSurveys(settings).filter((kind) => !answered.includes(kind)) };
}

function surveysOf(settings: FeedbackSettings, open: SurveyKind[]) {
  return open.map((kind) => ({ kind, statements: kind === "likert" ? settings.likertStatements : [] }));
}

export async function accountSurveys(deps: FeedbackDeps, request: AccountSurveyRequest) {
  const found = await askableOrder(deps, request);
  if (!found) return { status: 404, body: { error: "unknown_order" } };
  return {
    status: 200,
    body: { orderName: found.order.name, surveys: surveysOf(found.settings, found.open) },
  };
}

export async function answerAccountSurvey(deps: FeedbackDeps, request: AccountSurveyRequest, body: unknown) {
  const found = await askableOrder(deps, request);
  if (!found) return { status: 404, body: { error: "unknown_order" } };
  const input = answerBody.safeParse(body);
  if (!input.success) return { status: 422, body: { error: "invalid_request", errors: { kind: "Unknown survey" } } };
  if (!found.open.includes(input.data.kind)) return { status: 409, body: { error: "not_open" } };
  const parsed = parseSurveyAnswer(input.data.kind, found.settings.likertStatements, input.data);
  if (!parsed.ok) return { status: 422, body: { error: "invalid_answer", errors: parsed.errors } };
  const outcome = await recordSurveyAnswer(deps, {
    shop: found.shop,
    order: found.order,
    channel: "customer_account",
    answer: parsed.answer,
  });
  if (outcome.status === "already_answered") return { status: 409, body: { error: "already_answered" } };
  return {
    status: 200,
    body: { status: "recorded", pointsAwarded: outcome.pointsAwarded, recoveryCode: outcome.recoveryCode },
  };
}
