// Feedback's dependencies in the app process (routes), with the request's shop's scoped client.
import { env } from "../../config/env.server";
import { loyaltyAppDeps } from "../loyalty/loyalty-app-deps.server";
import type { FeedbackDeps } from "./feedback-deps";
import { surveyTokenKey } from "./survey-token";

let tokenKey: FeedbackDeps["surveyTokenKey"] | undefined;

export function feedbackAppDeps(shopDomain: string): FeedbackDeps {
  tokenKey ??= surveyTokenKey(env().SHOPIFY_API_SECRET);
  return { ...loyaltyAppDeps(shopDomain), surveyTokenKey: tokenKey };
}
