// Errors of the automations domain. `permanent` ones fail a run at once (retrying cannot help);
// others are retried by the run's job with backoff.
export type AutomationErrorCode =
  "unknown_rule" | "invalid_rule" | "not_a_member" | "insufficient_points" | "reward_refused" | "no_admin_client";

const PERMANENT: ReadonlySet<AutomationErrorCode> = new Set([
  "unknown_rule",
  "invalid_rule",
  "not_a_member",
  "insufficient_points",
  "reward_refused",
]);

export class AutomationError extends Error {
  constructor(
    readonly code: AutomationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AutomationError";
  }

  get permanent(): boolean {
    return PERMANENT.has(this.code);
  }
}
