// The one error every Admin GraphQL call can end in. Callers branch on `code`, never on
// messages: UNAUTHORIZED means the stored token is gone (uninstalled), THROTTLED only
// escapes when the retries ran out, USER_ERRORS carries the mutation's userErrors.
export type ShopifyAdminErrorCode =
  | "UNAUTHORIZED"
  | "THROTTLED"
  | "RATE_LIMITED"
  | "MAX_COST_EXCEEDED"
  | "GRAPHQL_ERRORS"
  | "USER_ERRORS"
  | "SERVER_ERROR"
  | "HTTP_ERROR"
  | "BAD_RESPONSE";

export interface ShopifyUserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

export class ShopifyAdminError extends Error {
  constructor(
    readonly code: ShopifyAdminErrorCode,
    message: string,
    readonly details: { shop?: string; status?: number; userErrors?: ShopifyUserError[]; errors?: unknown[] } = {},
  ) {
    super(message);
    this.name = "ShopifyAdminError";
  }

  /** Worth another attempt later (the job retries); the rest are bad input or lost access. */
  get transient(): boolean {
    return ["THROTTLED", "RATE_LIMITED", "SERVER_ERROR"].includes(this.code);
  }
}
