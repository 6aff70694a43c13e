// The signed survey link of an order, for the merchant's e-mails and Flow: the storefront's app
// proxy path /apps/kinship/survey/<token> (Shopify forwards it, signed, to /proxy/survey/<token>).
import { createSurveyToken } from "./survey-token";
import type { SurveyKind } from "./survey-kinds";

export const SURVEY_PROXY_PREFIX = "/apps/kinship/survey/";

export function surveyLink(
  key: Buffer,
  input: { shopDomain: string; shopId: number; orderShopifyId: bigint; kind: SurveyKind; validDays: number; now: Date },
): string {
  const token = createSurveyToken(key, {
    shopId: input.shopId,
    orderShopifyId: input.orderShopifyId,
    kind: input.kind,
    expiresAt: new Date(input.now.getTime() + input.validDays * 86_400_000),
  });
  return `https://${input.shopDomain}${SURVEY_PROXY_PREFIX}${token}`;
}
