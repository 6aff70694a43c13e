// What the Segments pages do: list, build (with the live count), save, delete, turn the Shopify
// sync on or off, re-sync, and read a segment's history. Routes authenticate and call these.
import type { StaffMember } from "../audit/staff-member";
import { findShopByDomain } from "../shop/shop.repository.server";
import { recordStaffAction } from "../audit/staff-audit.repository.server";
import { customerFilterSchema, type CustomerFilter } from "../customers/customer-filter";
import type { RuleOptions } from "./rule-draft";
import type { SegmentDeps } from "./segment-deps";
import { SegmentError } from "./segment-error";
import { type FieldErrors, fieldErrorsOf, parseFilterParam, parseSegmentForm } from "./segment-form";
import { requestSegmentPush, requestSegmentRecompute } from "./segment-jobs.server";
import { countMatchingCustomers, type LiveCount } from "./segment-membership.repository.server";
import {
  createSegment,
  deleteSegment,
  findSegment,
  membershipChangesPage,
  segmentsPage,
  setSegmentSync,
  updateSegment,
} from "./segments.repository.server";
import { ruleOptionsOf } from "./segment-options.repository.server";
import { withShop } from "../tenancy/shop-scope.repository.server";

export const LIVE_COUNT_TIMEOUT_MS = 2_000;
const PAGE_SIZE = 50;

async function shopOrThrow(deps: SegmentDeps, shopDomain: string) {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) throw new Response("Shop not found", { status: 404 });
  return shop;
}

export async function loadSegmentsIndex(deps: SegmentDeps, shopDomain: string, before: number | null) {
  const shop = await shopOrThrow(deps, shopDomain);
  const page = await segmentsPage(deps.db, shop.id, before, PAGE_SIZE);
  return {
    timeZone: shop.ianaTimezone,
    segments: page.segments.map((s) => ({
      id: s.id,
      name: s.name,
      handle: s.handle,
      memberCount: s.memberCount,
      lastComputedAt: s.lastComputedAt?.toISOString() ?? null,
      syncToShopify: s.syncToShopify,
      lastSyncedAt: s.lastSyncedAt?.toISOString() ?? null,
    })),
    nextBefore: page.hasMore ? (page.segments[page.segments.length - 1]?.id ?? null) : null,
  };
}

export async function loadSegmentBuilder(
  deps: SegmentDeps,
  shopDomain: string,
  input: { segmentId: number | null; filterParam: string | null },
) {
  const shop = await shopOrThrow(deps, shopDomain);
  const options: RuleOptions = await ruleOptionsOf(deps.db, shop.id, shop.currencyCode);
  if (input.segmentId !== null) {
    const segment = await findSegment(deps.db, shop.id, input.segmentId);
    if (!segment) throw new Response("Segment not found", { status: 404 });
    return {
      segment: { id: segment.id, name: segment.name, handle: segment.handle, syncToShopify: segment.syncToShopify },
      rule: segment.rule,
      options,
      filterRejected: false,
    };
  }
  const fromUrl = parseFilterParam(input.filterParam);
  const rule: CustomerFilter = fromUrl ?? { combinator: "and", conditions: [] };
  return { segment: null, rule, options, filterRejected: input.filterParam !== null && fromUrl === null };
}

export type SaveOutcome = { ok: true; segmentId: number } | { ok: false; errors: FieldErrors };

export async function saveSegment(
  deps: SegmentDeps,
  shopDomain: string,
  staff: StaffMember,
  segmentId: number | null,
  values: Record<string, FormDataEntryValue | undefined>,
): Promise<SaveOutcome> {
  const shop = await shopOrThrow(deps, shopDomain);
  const parsed = parseSegmentForm(values);
  if (!parsed.ok) return parsed;
  try {
    if (segmentId === null) {
      const created = await createSegment(deps.db, shop.id, parsed.value, staff.userId);
      await recordStaffAction(deps.db, {
        shopId: shop.id,
        staff,
        action: "segment.created",
        details: { segmentId: created.id, handle: created.handle, syncToShopify: created.syncToShopify },
      });
      if (created.syncToShopify) await recordSyncTurnedOn(deps, shop.id, staff, created.id, created.handle);
      await requestSegmentRecompute(deps.jobs, shop.id);
      return { ok: true, segmentId: created.id };
    }
    const { before, after } = await updateSegment(deps.db, shop.id, segmentId, parsed.value);
    await recordStaffAction(deps.db, {
      shopId: shop.id,
      staff,
      action: "segment.updated",
      details: { segmentId, ruleChanged: after.lastComputedAt === null && before.lastComputedAt !== null },
    });
    if (before.syncToShopify !== after.syncToShopify) {
      // The sync flag went through the form: same effect as the toggle on the detail page.
      await applySyncChange(deps, shop.id, staff, segmentId, after.syncToShopify);
    }
    await requestSegmentRecompute(deps.jobs, shop.id);
    return { ok: true, segmentId };
  } catch (error) {
    if (error instanceof SegmentError && error.code === "name_taken")
      return { ok: false, errors: { name: "Another segment has this name" } };
    if (error instanceof SegmentError && error.code === "not_found")
      throw new Response("Segment not found", { status: 404 });
    throw error;
  }
}

async function recordSyncTurnedOn(
  deps: SegmentDeps,
  shopId: number,
  staff: StaffMember,
  segmentId: number,
  handle: string,
) {
  await recordStaffAction(deps.db, {
    shopId,
    staff,
    action: "segment.synced",
    details: { segmentId, handle, sync: "on" },
  });
}

async function applySyncChange(deps: SegmentDeps, shopId: number, staff: StaffMember, segmentId: number, on: boolean) {
  const { after } = await setSegmentSync(deps.db, shopId, segmentId, on, deps.now?.() ?? new Date());
  await recordStaffAction(deps.db, {
    shopId,
    staff,
    action: "segment.synced",
    details: { segmentId, handle: after.handle, sync: on ? "on" : "off" },
  });
  await requestSegmentPush(deps.jobs, { shopId, segmentId });
}

export type DetailActionOutcome = { ok: true; message: string } | { ok: false; errors: FieldErrors };

/** The detail page's buttons: sync on/off, re-sync, delete. */
export async function segmentDetailAction(
  deps: SegmentDeps,
  shopDomain: string,
  staff: StaffMember,
  segmentId: number,
  intent: string,
): Promise<DetailActionOutcome> {
  const shop = await shopOrThrow(deps, shopDomain);
  const segment = await findSegment(deps.db, shop.id, segmentId);
  if (!segment) throw new Response("Segment not found", { status: 404 });
  switch (intent) {
    case "sync-on":
    case "sync-off":
      await applySyncChange(deps, shop.id, staff, segmentId, intent === "sync-on");
      return {
        ok: true,
        message:
          intent === "sync-on"
            ? `Tagging members with ${segment.handle} in Shopify…`
            : `Removing ${segment.handle} from customers in Shopify…`,
      };
    case "resync":
      if (!segment.syncToShopify) return { ok: false, errors: { form: "Turn on the sync first" } };
      await recordStaffAction(deps.db, {
        shopId: shop.id,
        staff,
        action: "segment.synced",
        details: { segmentId, handle: segment.handle, sync: "resync" },
      });
      await requestSegmentPush(deps.jobs, { shopId: shop.id, segmentId });
      return { ok: true, message: "Re-sync started" };
    case "delete":
      await deleteSegment(deps.db, shop.id, segmentId, deps.now?.() ?? new Date());
      await recordStaffAction(deps.db, {
        shopId: shop.id,
        staff,
        action: "segment.deleted",
        details: { segmentId, handle: segment.handle },
      });
      if (segment.syncToShopify) await requestSegmentPush(deps.jobs, { shopId: shop.id, segmentId });
      return { ok: true, message: "Segment deleted" };
    default:
      return { ok: false, errors: { form: "Unknown request" } };
  }
}

export async function loadSegmentDetail(
  deps: SegmentDeps,
  shopDomain: string,
  segmentId: number,
  before: bigint | null,
) {
  const shop = await shopOrThrow(deps, shopDomain);
  // The history lists customers' names and e-mails: read inside the shop's row-level-security scope.
  const { segment, history } = await withShop(deps.db, shop.id, async (scoped) => ({
    segment: await findSegment(scoped, shop.id, segmentId),
    history: await membershipChangesPage(scoped, shop.id, segmentId, before, PAGE_SIZE),
  }));
  if (!segment) throw new Response("Segment not found", { status: 404 });
  return {
    timeZone: shop.ianaTimezone,
    segment: {
      id: segment.id,
      name: segment.name,
      handle: segment.handle,
      memberCount: segment.memberCount,
      syncToShopify: segment.syncToShopify,
      lastComputedAt: segment.lastComputedAt?.toISOString() ?? null,
      lastSyncedAt: segment.lastSyncedAt?.toISOString() ?? null,
      conditionCount: segment.rule.conditions.length,
    },
    history: history.changes.map((row) => ({
      id: row.id.toString(),
      change: row.change,
      at: row.at.toISOString(),
      customerId: row.customerId.toString(),
      customerShopifyId: row.customerShopifyId.toString(),
      customerName: row.customerName,
      email: row.email,
      synced: row.syncedAt !== null,
    })),
    nextBefore: history.hasMore ? (history.changes[history.changes.length - 1]?.id.toString() ?? null) : null,
  };
}

export type LiveCountAnswer = LiveCount | { status: "invalid"; errors: FieldErrors };

/** The builder's live count of a rule (JSON), bounded in time. */
export async function liveSegmentCount(deps: SegmentDeps, shopDomain: string, ruleJson: string | null) {
  const shop = await shopOrThrow(deps, shopDomain);
  let raw: unknown;
  try {
    raw = JSON.parse(ruleJson ?? "");
  } catch {
    return { status: "invalid", errors: { rule: "The rule could not be read" } } satisfies LiveCountAnswer;
  }
  const parsed = customerFilterSchema.safeParse(raw);
  if (!parsed.success) return { status: "invalid", errors: fieldErrorsOf(parsed.error, "rule") } as LiveCountAnswer;
  return (await countMatchingCustomers(deps.db, shop.id, parsed.data, {
    timeZone: shop.ianaTimezone,
    timeoutMs: LIVE_COUNT_TIMEOUT_MS,
  })) as LiveCountAnswer;
}
