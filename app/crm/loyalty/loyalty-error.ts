// The loyalty domain's error; routes map codes to HTTP statuses.
export type LoyaltyErrorCode =
  | "no_program"
  | "not_member"
  | "unknown_reward"
  | "tier_required"
  | "insufficient_points"
  | "invalid_birthday"
  | "birthday_already_set"
  | "unknown_referral_code"
  | "referral_blocked";

export class LoyaltyError extends Error {
  constructor(
    readonly code: LoyaltyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "LoyaltyError";
  }
}
