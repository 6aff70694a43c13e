// The survey pages behind the signed link (/apps/kinship/survey/<token>). The route has checked
// Shopify's proxy signature; this checks the token (ours), that it names this shop, that the
// survey is on and the order exists, and that it was not answered yet. Every problem is a page
// that says what happened, never an error.
import { findShopByDomain } from "../shop/shop.repository.server";
import { enabledSurveys } from "./feedback-settings";
import type { FeedbackDeps } from "./feedback-deps";
import { recordSurveyAnswer } from "./record-survey-answer.server";
import { parseSurveyAnswer } from "./survey-answer";
import { surveyFormPage, surveyProblemPage, surveyThanksPage, type SurveyPage } from "./survey-page";
import { answeredKinds, findFeedbackSettings, findSurveyOrder } from "./survey-responses.repository.server";
import { verifySurveyToken } from "./survey-token";

export async function handleSurveyProxy(
  deps: FeedbackDeps,
  request: { shopDomain: string; token: string; method: string; form: Record<string, unknown> | null },
): Promise<SurveyPage> {
  const now = deps.now?.() ?? new Date();
  const check = verifySurveyToken(deps.surveyTokenKey, request.token, now);
  if (!check.ok) return surveyProblemPage(check.reason === "expired" ? "expired" : "invalid");
  const shop = await findShopByDomain(deps.db, request.shopDomain);
  // Another shop's token is as unknown here as a forged one.
  if (!shop || shop.uninstalledAt || shop.id !== check.claims.shopId) return surveyProblemPage("invalid");
  const { kind, orderShopifyId } = check.claims;
  const order = await findSurveyOrder(deps.db, shop.id, orderShopifyId);
  if (!order) return surveyProblemPage("invalid");
  if ((await answeredKinds(deps.db, shop.id, orderShopifyId)).includes(kind)) return surveyProblemPage("answered");
  const settings = await findFeedbackSettings(deps.db, shop.id);
  if (!enabledSurveys(settings).includes(kind)) return surveyProblemPage("closed");
  const page = { kind, shopName: shop.name, orderName: order.name, statements: settings.likertStatements };
  if (request.method.toUpperCase() !== "POST") return surveyFormPage(page);

  const form = request.form ?? {};
  const parsed = parseSurveyAnswer(kind, settings.likertStatements, form);
  if (!parsed.ok) {
    const values = Object.fromEntries(
      Object.entries(form).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
    return surveyFormPage({ ...page, errors: parsed.errors, values });
  }
  const outcome = await recordSurveyAnswer(deps, {
    shop,
    order: { shopifyId: order.shopifyId, customerId: order.customerId, customerShopifyId: order.customerShopifyId },
    channel: "link",
    answer: parsed.answer,
  });
  if (outcome.status === "already_answered") return surveyProblemPage("answered");
  return surveyThanksPage({
    shopName: shop.name,
    pointsAwarded: outcome.pointsAwarded,
    recoveryCode: outcome.recoveryCode,
  });
}
