// A shop with one of everything a tenant owns (customer, order with a line and a refund, loyalty
// member with ledger entry, staff note, segment with a member), with recognisable markers in
// every text field so a test can tell whether any of it leaked into another shop's response.
import type { PrismaClient } from "../../app/db.server";
import { RECIPES } from "../../app/crm/automations/automation-recipes";
import { createRule } from "../../app/crm/automations/automation-rules.repository.server";
import { parseProgramSettings } from "../../app/crm/loyalty/loyalty-program";
import { saveProgramSettings } from "../../app/crm/loyalty/loyalty.repository.server";
import { createTestShop } from "./create-test-shop";

export interface SeededTenant {
  shopId: number;
  domain: string;
  /** Unique to this tenant; appears in names, e-mails, note bodies, segment names. */
  marker: string;
  customerId: bigint;
  customerShopifyId: bigint;
  orderId: bigint;
  orderShopifyId: bigint;
  memberId: bigint;
  noteId: bigint;
  segmentId: number;
  tierId: number;
  rewardId: number;
  privacyRequestId: number;
  auditEntryId: bigint;
  automationRuleId: number;
}

let nextShopifyId = BigInt(Date.now()) * 1000n;

/** Seeds a new test shop, or `existing` (a shop already installed through the Shopify double). */
export async function seedTenant(
  db: PrismaClient,
  label: string,
  existing?: { id: number; domain: string },
): Promise<SeededTenant> {
  const shop = existing ?? (await createTestShop(db, { name: `Shop ${label}` }));
  const marker = `${label.toLowerCase()}${shop.id}zq`;
  const at = new Date("2026-10-01T12:00:00Z");
  const customerShopifyId = (nextShopifyId += 1n);
  const orderShopifyId = (nextShopifyId += 1n);
  const customer = await db.customer.create({
    data: {
      shopId: shop.id,
      shopifyId: customerShopifyId,
      firstName: `First${marker}`,
      lastName: `Last${marker}`,
      email: `${marker}@example.com`,
      tags: [`tag-${marker}`],
      shopifyCreatedAt: at,
      shopifyUpdatedAt: at,
      firstOrderAt: at,
      lastOrderAt: at,
      ordersCount: 1,
      grossSpentMinor: 12_345n,
      netSpentMinor: 10_000n,
    },
  });
  const order = await db.order.create({
    data: {
      shopId: shop.id,
      shopifyId: orderShopifyId,
      customerShopifyId,
      customerId: customer.id,
      name: `#${marker}`,
      email: `${marker}@example.com`,
      currencyCode: "USD",
      processedAt: at,
      shopifyCreatedAt: at,
      shopifyUpdatedAt: at,
      subtotalMinor: 12_345n,
      totalMinor: 12_345n,
      refundedMinor: 2_345n,
    },
  });
  await db.lineItem.create({
    data: {
      shopId: shop.id,
      orderId: order.id,
      shopifyId: (nextShopifyId += 1n),
      title: `Record ${marker}`,
      quantity: 1,
      priceMinor: 12_345n,
    },
  });
  await db.refund.create({
    data: {
      shopId: shop.id,
      orderId: order.id,
      orderShopifyId,
      shopifyId: (nextShopifyId += 1n),
      amountMinor: 2_345n,
      refundedAt: at,
    },
  });
  const member = await db.loyaltyMember.create({
    data: { shopId: shop.id, customerId: customer.id, referralCode: `REF${marker}`.toUpperCase(), pointsBalance: 500 },
  });
  await db.loyaltyLedgerEntry.create({
    data: {
      shopId: shop.id,
      memberId: member.id,
      kind: "adjust",
      points: 500,
      idempotencyKey: `seed:${marker}`,
      reason: `Seed ${marker}`,
    },
  });
  await db.loyaltyMember.update({ where: { id: member.id }, data: { balanceVersion: 1 } });
  const note = await db.customerNote.create({
    data: { shopId: shop.id, customerId: customer.id, body: `Note ${marker}`, staffName: `Staff ${marker}` },
  });
  const segment = await db.segment.create({
    data: {
      shopId: shop.id,
      name: `Segment ${marker}`,
      filter: { combinator: "and", conditions: [] },
      handle: `kinship:seg-${marker}`,
      memberCount: 1,
    },
  });
  await db.segmentMember.create({
    data: { segmentId: segment.id, customerId: customer.id, shopId: shop.id, enteredAt: at },
  });
  await saveProgramSettings(db, shop.id, parseProgramSettings({}), { launchedAt: new Date("2020-01-01T00:00:00Z") });
  const tier = await db.loyaltyTier.create({ data: { shopId: shop.id, name: `Tier ${marker}`, threshold: 1_000n } });
  const reward = await db.loyaltyReward.create({
    data: { shopId: shop.id, title: `Reward ${marker}`, kind: "fixed_amount", pointsCost: 100, amountMinor: 500n },
  });
  const privacyRequest = await db.privacyRequest.create({
    data: {
      shopId: shop.id,
      shopDomain: shop.domain,
      topic: "customers/data_request",
      customerShopifyId,
      document: { email: `${marker}@example.com` },
      completedAt: at,
    },
  });
  const auditEntry = await db.staffAuditEntry.create({
    data: { shopId: shop.id, staffName: `Staff ${marker}`, action: "points.adjusted", customerId: customer.id },
  });
  await db.surveyResponse.create({
    data: {
      shopId: shop.id,
      customerId: customer.id,
      customerShopifyId,
      orderShopifyId,
      kind: "csat",
      score: 4,
      comment: `Survey ${marker}`,
      channel: "link",
    },
  });
  const winBack = RECIPES[0]!.rule;
  const automationRule = await createRule(db, shop.id, { ...winBack, name: `Automation ${marker}` });
  return {
    automationRuleId: automationRule.id,
    tierId: tier.id,
    rewardId: reward.id,
    privacyRequestId: privacyRequest.id,
    auditEntryId: auditEntry.id,
    shopId: shop.id,
    domain: shop.domain,
    marker,
    customerId: customer.id,
    customerShopifyId,
    orderId: order.id,
    orderShopifyId,
    memberId: member.id,
    noteId: note.id,
    segmentId: segment.id,
  };
}

/** Everything the tenant owns, in a stable order, to compare before and after an attack. */
export async function tenantSnapshot(db: PrismaClient, shopId: number) {
  const where = { shopId };
  const [
    customers,
    orders,
    lineItems,
    refunds,
    members,
    ledger,
    notes,
    segments,
    segmentMembers,
    manual,
    changes,
    tiers,
    rewards,
    redemptions,
    privacyRequests,
    audit,
    surveyResponses,
    automationRules,
  ] = await Promise.all([
    db.customer.findMany({ where, orderBy: { id: "asc" } }),
    db.order.findMany({ where, orderBy: { id: "asc" } }),
    db.lineItem.findMany({ where, orderBy: { id: "asc" } }),
    db.refund.findMany({ where, orderBy: { id: "asc" } }),
    db.loyaltyMember.findMany({ where, orderBy: { id: "asc" } }),
    db.loyaltyLedgerEntry.findMany({ where, orderBy: { id: "asc" } }),
    db.customerNote.findMany({ where, orderBy: { id: "asc" } }),
    db.segment.findMany({ where, orderBy: { id: "asc" } }),
    db.segmentMember.findMany({ where, orderBy: [{ segmentId: "asc" }, { customerId: "asc" }] }),
    db.segmentManualMember.findMany({ where, orderBy: [{ segmentId: "asc" }, { customerId: "asc" }] }),
    db.segmentMembershipChange.findMany({ where, orderBy: { id: "asc" } }),
    db.loyaltyTier.findMany({ where, orderBy: { id: "asc" } }),
    db.loyaltyReward.findMany({ where, orderBy: { id: "asc" } }),
    db.loyaltyRedemption.findMany({ where, orderBy: { id: "asc" } }),
    db.privacyRequest.findMany({ where, orderBy: { id: "asc" } }),
    db.staffAuditEntry.findMany({ where, orderBy: { id: "asc" } }),
    db.surveyResponse.findMany({ where, orderBy: { id: "asc" } }),
    db.automationRule.findMany({ where, orderBy: { id: "asc" } }),
  ]);
  return {
    customers,
    orders,
    lineItems,
    refunds,
    members,
    ledger,
    notes,
    segments,
    segmentMembers,
    manual,
    changes,
    tiers,
    rewards,
    redemptions,
    privacyRequests,
    audit,
    surveyResponses,
    automationRules,
  };
}
