// Segments in Shopify, for segments with sync on: the segment's handle as a customer tag, the
// customer metafield `kinship.segments` listing the handles of every synced segment the customer
// is in (Shopify Email, Flow and Shopify's own segments can filter on both), and the Flow
// triggers "Customer entered / left Kinship segment". Work comes from the membership history
// (the outbox: rows with synced_at NULL), in batches through the throttle-aware Admin client.
// Retries are safe: tags and the metafield are written from the current membership, so
// repeating them changes nothing, and a Flow trigger already sent is marked before a retry.
import { addCustomerTags, removeCustomerTags } from "../shopify-admin/customer-tags.server";
import { fireFlowTrigger } from "../shopify-admin/flow-triggers.server";
import { deleteMetafields, setMetafields } from "../shopify-admin/metafields.server";
import { ShopifyAdminError } from "../shopify-admin/shopify-admin-error";
import type { ShopifyAdminClient } from "../shopify-admin/shopify-admin-client.server";
import type { SegmentDeps } from "./segment-deps";
import { segmentFlowTrigger } from "./segment-flow-triggers";
import {
  hasPendingChanges,
  markChangesSynced,
  markFlowFired,
  markSegmentSynced,
  pendingChanges,
  segmentMembersPage,
  syncedHandlesOf,
  syncedSegmentsOf,
} from "./segment-sync.repository.server";
import { findSegmentAnyState, shopOfSegments } from "./segments.repository.server";

export const SEGMENTS_METAFIELD = { namespace: "kinship", key: "segments", type: "list.single_line_text_field" };

const customerGid = (shopifyId: bigint) => `gid://shopify/Customer/${shopifyId}`;

interface CustomerWrite {
  customerId: bigint;
  customerShopifyId: bigint;
  /** Handles of the segments of this write: tagged when a member now, untagged when not. */
  handles: Set<string>;
}

/** Tags of these segments from the current membership, then every customer's metafield. */
async function writeCustomers(deps: SegmentDeps, admin: ShopifyAdminClient, writes: CustomerWrite[]) {
  const current = await syncedHandlesOf(
    deps.db,
    writes.map((write) => write.customerId),
  );
  for (const write of writes) {
    const memberOf = new Set(current.get(write.customerId) ?? []);
    const add = [...write.handles].filter((handle) => memberOf.has(handle));
    const remove = [...write.handles].filter((handle) => !memberOf.has(handle));
    const id = customerGid(write.customerShopifyId);
    if (add.length > 0) await addCustomerTags(admin, id, add);
    if (remove.length > 0) await removeCustomerTags(admin, id, remove);
  }
  const listed = writes.filter((write) => (current.get(write.customerId) ?? []).length > 0);
  const empty = writes.filter((write) => (current.get(write.customerId) ?? []).length === 0);
  await setMetafields(
    admin,
    listed.map((write) => ({
      ownerId: customerGid(write.customerShopifyId),
      ...SEGMENTS_METAFIELD,
      value: JSON.stringify(current.get(write.customerId)),
    })),
  );
  // A list metafield cannot be empty: a customer in no synced segment has none.
  await deleteMetafields(
    admin,
    empty.map((write) => ({ ownerId: customerGid(write.customerShopifyId), ...SEGMENTS_METAFIELD })),
  );
}

export interface SyncOutcome {
  changes: number;
  flowTriggers: number;
  /** Changes are left for the next job (the batch budget of this one is spent). */
  more: boolean;
}

/** Sends up to `maxBatches` batches of a shop's unsynced membership changes to Shopify. */
export async function syncSegmentChanges(
  deps: SegmentDeps,
  shopId: number,
  options: { batchSize?: number; maxBatches?: number } = {},
): Promise<SyncOutcome> {
  const batchSize = options.batchSize ?? 50;
  const maxBatches = options.maxBatches ?? 20;
  const outcome: SyncOutcome = { changes: 0, flowTriggers: 0, more: false };
  const shop = await shopOfSegments(deps.db, shopId);
  if (!shop || shop.uninstalledAt) return outcome;
  const segments = await syncedSegmentsOf(deps.db, shopId);
  if (segments.length === 0) return outcome;
  if (!deps.adminFor) throw new Error("No Admin API client factory to sync with");
  const admin = await deps.adminFor(shop.domain);
  const segmentById = new Map(segments.map((segment) => [segment.id, segment]));
  const ids = segments.map((segment) => segment.id);

  for (let batch = 0; batch < maxBatches; batch++) {
    const rows = await pendingChanges(deps.db, ids, batchSize);
    if (rows.length === 0) return outcome;
    const live = rows.filter((row) => !row.gone);
    const writes = new Map<bigint, CustomerWrite>();
    for (const row of live) {
      const write = writes.get(row.customerId) ?? {
        customerId: row.customerId,
        customerShopifyId: row.customerShopifyId,
        handles: new Set<string>(),
      };
      write.handles.add(segmentById.get(row.segmentId)!.handle);
      writes.set(row.customerId, write);
    }
    await writeCustomers(deps, admin, [...writes.values()]);

    const fired: bigint[] = [];
    try {
      for (const row of live) {
        if (row.flowFiredAt) continue;
        const segment = segmentById.get(row.segmentId)!;
        const trigger = segmentFlowTrigger({
          change: row.change,
          customerShopifyId: row.customerShopifyId,
          segmentName: segment.name,
          segmentHandle: segment.handle,
        });
        try {
          await fireFlowTrigger(admin, trigger);
          fired.push(row.id);
        } catch (error) {
          // Shopify refused this payload: retrying will not change that; the tag is synced anyway.
          if (!(error instanceof ShopifyAdminError) || error.code !== "USER_ERRORS") throw error;
          deps.logger.warn({ shopId, changeId: String(row.id), err: error.message }, "flow trigger refused");
        }
      }
    } catch (error) {
      await markFlowFired(deps.db, fired, deps.now?.() ?? new Date());
      throw error;
    }
    await markChangesSynced(
      deps.db,
      rows.map((row) => row.id),
      fired,
      deps.now?.() ?? new Date(),
    );
    outcome.changes += rows.length;
    outcome.flowTriggers += fired.length;
  }
  outcome.more = await hasPendingChanges(deps.db, ids);
  return outcome;
}

/**
 * Writes a segment's whole current membership to Shopify: its tag on every member while sync
 * is on, off every member once it is off or the segment is deleted; the metafield either way.
 * Returns the cursor to continue from, or null when the last member is done.
 */
export async function pushSegmentMembership(
  deps: SegmentDeps,
  input: { shopId: number; segmentId: number; afterCustomerId: bigint | null },
  options: { pageSize?: number; maxPages?: number } = {},
): Promise<{ pushed: number; next: bigint | null }> {
  const pageSize = options.pageSize ?? 50;
  const maxPages = options.maxPages ?? 20;
  const shop = await shopOfSegments(deps.db, input.shopId);
  const segment = await findSegmentAnyState(deps.db, input.shopId, input.segmentId);
  if (!shop || shop.uninstalledAt || !segment) return { pushed: 0, next: null };
  if (!deps.adminFor) throw new Error("No Admin API client factory to sync with");
  const admin = await deps.adminFor(shop.domain);
  let cursor = input.afterCustomerId;
  let pushed = 0;
  for (let page = 0; page < maxPages; page++) {
    const members = await segmentMembersPage(deps.db, segment.id, cursor, pageSize);
    if (members.length === 0) break;
    await writeCustomers(
      deps,
      admin,
      members.map((member) => ({ ...member, handles: new Set([segment.handle]) })),
    );
    pushed += members.length;
    cursor = members[members.length - 1]!.customerId;
    if (members.length < pageSize) {
      cursor = null;
      break;
    }
    if (page === maxPages - 1) return { pushed, next: cursor };
  }
  if (segment.syncToShopify && !segment.deletedAt) await markSegmentSynced(deps.db, segment.id, new Date());
  return { pushed, next: null };
}
