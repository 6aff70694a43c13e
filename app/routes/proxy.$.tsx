import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { feedbackAppDeps } from "../crm/feedback/feedback-app-deps.server";
import { handleSurveyProxy } from "../crm/feedback/survey-proxy.server";
import { handleLoyaltyProxy } from "../crm/loyalty/loyalty-proxy.server";
import { loyaltyAppDeps } from "../crm/loyalty/loyalty-app-deps.server";
import { handleRecommendationsProxy, isRecommendationsPath } from "../crm/recommendations/recommendations-proxy.server";
import { appProxyRateLimit } from "../crm/security/app-proxy-rate-limit.server";
import { shopDb } from "../db.server";
import { authenticate } from "../shopify.server";
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from "../lib/database-unavailable";
import { logger } from "../lib/logger.server";

// Storefront requests through the app proxy (/apps/kinship/*), JSON for the loyalty widget,
// HTML for the survey link's pages (/apps/kinship/survey/<token>).
// The library checks Shopify's `signature` (and that `timestamp` is within 90 s, so a replayed
// URL fails); it answers 400, which the storefront API reports as 401. Then the per-customer
// and per-shop limits (429 with Retry-After), before anything is read or written.
async function handle(request: Request, splat: string | undefined) {
  try {
    await authenticate.public.appProxy(request);
  } catch (thrown) {
    if (thrown instanceof Response && thrown.status === 400) return json(401, { error: "invalid_signature" });
    throw thrown;
  }
  const url = new URL(request.url);
  const customer = url.searchParams.get("logged_in_customer_id");
  const shopDomain = url.searchParams.get("shop") ?? "";
  const customerShopifyId = customer && /^\d+$/.test(customer) ? BigInt(customer) : null;
  const limit = await appProxyRateLimit()({ shopDomain, customerShopifyId });
  if (!limit.allowed) {
    return Response.json(
      { error: "rate_limited" },
      { status: 429, headers: { "Cache-Control": "no-store", "Retry-After": String(limit.retryAfterSeconds) } },
    );
  }
  if (splat?.startsWith("survey/")) return surveyPage(request, shopDomain, splat.slice("survey/".length));
  if (isRecommendationsPath(splat)) {
    const picked = await handleRecommendationsProxy(shopDb(shopDomain), {
      shopDomain,
      customerShopifyId,
      method: request.method,
      path: splat ?? "",
    });
    return json(picked.status, picked.body);
  }
  const body = request.method === "GET" ? null : await request.json().catch(() => null);
  const result = await handleLoyaltyProxy(loyaltyAppDeps(shopDomain), {
    shopDomain,
    customerShopifyId,
    method: request.method,
    path: splat ?? "",
    body,
  });
  return json(result.status, result.body);
}

// The signed survey link's pages (app/crm/feedback): HTML, the answer posted as a form.
async function surveyPage(request: Request, shopDomain: string, token: string) {
  const form =
    request.method === "GET"
      ? null
      : (request.headers.get("Content-Type") ?? "").includes("application/json")
        ? await request.json().catch(() => null)
        : Object.fromEntries(await request.formData().catch(() => new FormData()));
  const page = await handleSurveyProxy(feedbackAppDeps(shopDomain), {
    shopDomain,
    token,
    method: request.method,
    form: form && typeof form === "object" ? (form as Record<string, unknown>) : null,
  });
  return new Response(page.html, {
    status: page.status,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

function json(status: number, body: unknown) {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

export const loader = ({ request, params }: LoaderFunctionArgs) => answer(request, params["*"]);
export const action = ({ request, params }: ActionFunctionArgs) => answer(request, params["*"]);

// A call the database could not serve (pool full, server restarting) is a 503 to retry.
async function answer(request: Request, splat: string | undefined) {
  try {
    return await handle(request, splat);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    logger.warn(
      { path: new URL(request.url).pathname, err: (error as Error).message },
      "app proxy: database unavailable",
    );
    return Response.json(
      { error: "unavailable" },
      { status: 503, headers: { "Cache-Control": "no-store", "Retry-After": RETRY_AFTER_SECONDS } },
    );
  }
}
