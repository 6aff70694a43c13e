// What the action sends to POST /api/admin-extensions/adjust-points and what it gets back (the
// app's app/crm/admin-extensions/adjust-points.server.ts is type-checked against these), plus the
// part of GET /api/admin-extensions/customer/<id> it reads to show the balance first.

export interface AdjustPointsRequest {
  /** The customer's gid, as the admin hands it to the extension. */
  customerId: string;
  /** Signed whole points: negative takes points away. */
  points: number | string;
  reason: string;
  /** One per opened form: a repeated submit books the adjustment once. */
  requestId: string;
}

export type AdjustPointsResponse =
  | { ok: true; message: string }
  | { ok: false; errors: Partial<Record<"points" | "reason" | "requestId" | "customerId" | "form", string>> };

export interface MemberBalance {
  loyalty:
    { status: "no_program" } | { status: "not_member" } | { status: "member"; points: number; tier: string | null };
}

/** The numeric id in a Customer gid ("gid://shopify/Customer/123" → "123"), or null. */
export function customerIdOf(gid: string | undefined): string | null {
  const match = /^gid:\/\/shopify\/Customer\/(\d{1,19})$/.exec(gid ?? "");
  return match ? match[1]! : null;
}

/** A fresh idempotency key for one opened form. */
export function newRequestId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
