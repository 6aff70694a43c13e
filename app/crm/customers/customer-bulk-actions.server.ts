// Runs the Customers list's bulk actions: small selections in the request, large ones (and any
// "all matching the filter" beyond INLINE_BULK_LIMIT) in a background job that walks the
// matching customers by id. Each request is recorded once in the staff audit log.
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import type { Logger } from "../../lib/logger.server";
import { recordStaffAction } from "../audit/staff-audit.repository.server";
import type { StaffMember } from "../audit/staff-member";
import { LoyaltyLedgerError } from "../loyalty/ledger-entry";
import { adjustPoints } from "../loyalty/member-bonuses.server";
import { requestShopifySync } from "../loyalty/sync-loyalty-to-shopify.server";
import { addCustomersToSegment } from "../segments/segment-manual-members.server";
import { SegmentError } from "../segments/segment-error";
import { addCustomerTags } from "../shopify-admin/customer-tags.server";
import type { ShopifyAdminClient } from "../shopify-admin/shopify-admin-client.server";
import { ShopifyAdminError } from "../shopify-admin/shopify-admin-error";
import { findShopByDomain } from "../shop/shop.repository.server";
import {
  bulkAdjustRequestId,
  INLINE_BULK_LIMIT,
  parseBulkRequest,
  type BulkAction,
  type BulkFieldErrors,
  type BulkRequest,
} from "./customer-bulk-actions";
import {
  addTagToCustomers,
  countCustomers,
  liveCustomersByIds,
  matchingCustomersBatch,
  shopForBulk,
  type BulkCustomer,
} from "./customer-list.repository.server";

export interface CustomerBulkDeps {
  db: PrismaClient;
  /**
   * The owner's client, for counting a filter's matches in the Customers list read model, which
   * is built on first use (DDL in customer_lists); the count itself runs in the shop's scope.
   * Without it, `db` (which must then be the owner's).
   */
  listDb?: PrismaClient;
  logger: Logger;
  jobs: JobQueues;
  adminFor?: (shopDomain: string) => Promise<ShopifyAdminClient>;
}

const JOB_BATCH = 200;

export type BulkOutcome = { ok: true; message: string; queued: boolean } | { ok: false; errors: BulkFieldErrors };

type BulkShop = { id: number; domain: string; ianaTimezone: string };

/** Validates and runs (or queues) one bulk request from the Customers page. */
export async function runCustomerBulkAction(
  deps: CustomerBulkDeps,
  input: { shopDomain: string; staff: StaffMember; payload: unknown },
): Promise<BulkOutcome> {
  const parsed = parseBulkRequest(input.payload);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  const shop = await findShopByDomain(deps.db, input.shopDomain);
  if (!shop) throw new Response("Shop not found", { status: 404 });

  let inline: BulkCustomer[] | null = null;
  let size: number;
  if ("customerIds" in request.target) {
    const customers = await liveCustomersByIds(deps.db, shop.id, request.target.customerIds.map(BigInt));
    if (customers.length === 0)
      return { ok: false, errors: { form: "None of the selected customers exist any more." } };
    size = customers.length;
    if (customers.length <= INLINE_BULK_LIMIT) inline = customers;
  } else {
    const count = await countCustomers(deps.listDb ?? deps.db, shop.id, request.target.filter, {
      timeZone: shop.ianaTimezone,
    });
    if (count.count === 0) return { ok: false, errors: { form: "No customers match this filter." } };
    size = count.count;
    if (count.count <= INLINE_BULK_LIMIT) {
      inline = await matchingCustomersBatch(deps.db, shop.id, request.target.filter, {
        afterId: 0n,
        limit: INLINE_BULK_LIMIT,
        timeZone: shop.ianaTimezone,
      });
    }
  }

  let message: string;
  try {
    if (inline) {
      const done = await applyBulkAction(deps, shop, request, inline, input.staff);
      message = done;
    } else {
      await deps.jobs.add("sync", "customers-bulk-action", {
        shopId: shop.id,
        staffUserId: input.staff.userId === null ? null : String(input.staff.userId),
        staffName: input.staff.name,
        request: JSON.stringify(request),
      });
      message = `Started for ${size.toLocaleString("en-US")}${"filter" in request.target && size >= 10_000 ? "+" : ""} customers. It runs in the background; refresh in a minute.`;
    }
  } catch (error) {
    if (error instanceof SegmentError) return { ok: false, errors: { segmentId: "This segment no longer exists." } };
    throw error;
  }

  await recordStaffAction(deps.db, {
    shopId: shop.id,
    staff: input.staff,
    action: auditActionOf(request.action),
    details: {
      bulk: true,
      requestId: request.requestId,
      action: request.action as unknown as Record<string, string | number>,
      target: "filter" in request.target ? { filter: JSON.stringify(request.target.filter) } : { selected: size },
      customers: size,
      queued: inline === null,
    },
  });
  return { ok: true, message, queued: inline === null };
}

function auditActionOf(action: BulkAction) {
  switch (action.kind) {
    case "addTag":
      return "customers.tagged" as const;
    case "adjustPoints":
      return "points.adjusted" as const;
    case "addToSegment":
      return "segment.updated" as const;
  }
}

/** Applies the action to one batch of customers; returns what happened, in a sentence. */
async function applyBulkAction(
  deps: CustomerBulkDeps,
  shop: BulkShop,
  request: BulkRequest,
  customers: BulkCustomer[],
  staff: StaffMember,
): Promise<string> {
  const action = request.action;
  switch (action.kind) {
    case "addTag": {
      if (!deps.adminFor) throw new Error("No Admin API client to write tags with");
      const admin = await deps.adminFor(shop.domain);
      const tagged: bigint[] = [];
      for (const customer of customers) {
        try {
          await addCustomerTags(admin, `gid://shopify/Customer/${customer.shopifyId}`, [action.tag]);
          tagged.push(customer.id);
        } catch (error) {
          // A customer Shopify no longer has (or refuses) is skipped; anything else fails the request.
          if (!(error instanceof ShopifyAdminError) || error.code !== "USER_ERRORS") throw error;
          deps.logger.warn({ shopId: shop.id, customerId: String(customer.id) }, "bulk tag refused by Shopify");
        }
      }
      await addTagToCustomers(deps.db, shop.id, tagged, action.tag);
      const skipped = customers.length - tagged.length;
      return `Tagged ${tagged.length} customer${tagged.length === 1 ? "" : "s"} “${action.tag}”${
        skipped > 0 ? `; ${skipped} refused by Shopify` : ""
      }.`;
    }
    case "adjustPoints": {
      let adjusted = 0;
      let skipped = 0;
      for (const customer of customers) {
        if (customer.memberId === null) {
          skipped++;
          continue;
        }
        try {
          const result = await adjustPoints(deps, {
            memberId: customer.memberId,
            points: action.points,
            reason: action.reason,
            staffUserId: staff.userId,
            staffName: staff.name,
            requestId: bulkAdjustRequestId(request.requestId, customer.id),
          });
          adjusted++;
          if (result.inserted.length > 0) await requestShopifySync(deps, shop.domain, customer.memberId);
        } catch (error) {
          if (!(error instanceof LoyaltyLedgerError) || error.code !== "insufficient_points") throw error;
          skipped++;
        }
      }
      const points = `${action.points > 0 ? "+" : ""}${action.points} points`;
      return `${points} for ${adjusted} member${adjusted === 1 ? "" : "s"}${
        skipped > 0 ? `; ${skipped} skipped (not members, or not enough points)` : ""
      }.`;
    }
    case "addToSegment": {
      const outcome = await addCustomersToSegment(deps.db, {
        shopId: shop.id,
        segmentId: action.segmentId,
        customerIds: customers.map((c) => c.id),
        staffUserId: staff.userId,
        jobs: deps.jobs,
      });
      return `Added ${outcome.added} customer${outcome.added === 1 ? "" : "s"} to the segment.`;
    }
  }
}

/** The background job: walks the target by id in batches; safe to re-run (each step is idempotent). */
export async function processCustomerBulkJob(
  deps: CustomerBulkDeps,
  payload: { shopId: number; staffUserId: string | null; staffName: string; request: string },
): Promise<{ customers: number }> {
  const parsed = parseBulkRequest(payload.request);
  if (!parsed.ok) throw new Error("Invalid bulk action payload");
  const request = parsed.value;
  const shop = await shopForBulk(deps.db, payload.shopId);
  if (!shop) return { customers: 0 };
  const staff: StaffMember = {
    userId: payload.staffUserId === null ? null : BigInt(payload.staffUserId),
    name: payload.staffName,
  };
  let total = 0;
  if ("customerIds" in request.target) {
    const ids = request.target.customerIds.map(BigInt);
    for (let i = 0; i < ids.length; i += JOB_BATCH) {
      const batch = await liveCustomersByIds(deps.db, shop.id, ids.slice(i, i + JOB_BATCH));
      if (batch.length > 0) await applyBulkAction(deps, shop, request, batch, staff);
      total += batch.length;
    }
    return { customers: total };
  }
  let afterId = 0n;
  for (;;) {
    const batch = await matchingCustomersBatch(deps.db, shop.id, request.target.filter, {
      afterId,
      limit: JOB_BATCH,
      timeZone: shop.ianaTimezone,
    });
    if (batch.length === 0) break;
    await applyBulkAction(deps, shop, request, batch, staff);
    total += batch.length;
    afterId = batch[batch.length - 1]!.id;
  }
  deps.logger.info({ shopId: shop.id, customers: total, action: request.action.kind }, "customers bulk action done");
  return { customers: total };
}
