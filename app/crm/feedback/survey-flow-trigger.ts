// The Shopify Flow trigger "Customer answered Kinship survey"
// (extensions/survey-answered-flow-trigger/shopify.extension.toml): its handle and the payload
// flowTriggerReceive sends, keyed like the toml's fields (references as `customer_id`
// and `order_id`, numeric Shopify ids; custom fields by key).
import type { NpsBand } from "./nps";
import type { SurveyKind } from "./survey-kinds";

export const SURVEY_FLOW_TRIGGER_HANDLE = "kinship-survey-answered";

export function surveyFlowTrigger(answer: {
  customerShopifyId: bigint;
  kind: SurveyKind;
  score: number;
  band: NpsBand | null;
  orderShopifyId: bigint;
}): { handle: string; payload: Record<string, string | number> } {
  return {
    handle: SURVEY_FLOW_TRIGGER_HANDLE,
    payload: {
      customer_id: Number(answer.customerShopifyId),
      survey: answer.kind,
      score: answer.score,
      band: answer.band ?? "none",
      order_id: Number(answer.orderShopifyId),
    },
  };
}
