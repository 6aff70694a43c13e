// What feedback services are handed: loyalty's dependencies (points and rewards go through the
// loyalty ledger and redemptions) and the survey token key.
import type { LoyaltyDeps } from "../loyalty/loyalty-service-deps";

export interface FeedbackDeps extends LoyaltyDeps {
  /** HMAC key of survey link tokens (surveyTokenKey(app secret)). */
  surveyTokenKey: Buffer;
}
