// Feedback's dependencies in the app process (routes), created on first use.
import { env } from "../../config/env.server";
import { loyaltyAppDeps } from "../loyalty/loyalty-app-deps.server";
import type { FeedbackDeps } from "./feedback-deps";
import { surveyTokenKey } from "./survey-token";

let deps: FeedbackDeps | undefined;

export function feedbackAppDeps(): FeedbackDeps {
  deps ??= { ...loyaltyAppDeps(), surveyTokenKey: surveyTokenKey(env().SHOPIFY_API_SECRET) };
  return deps;
}
