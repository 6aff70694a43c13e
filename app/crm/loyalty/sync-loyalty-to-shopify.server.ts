// "Shopify-side data": the member's points and tier as customer metafields (namespace
// `kinship`), the tier as a customer tag, so e-mails, Flow and segments can use them.
// Requests coalesce: one delayed job per member, whatever the number of changes meanwhile.
import { addCustomerTags, removeCustomerTags } from "../shopify-admin/customer-tags.server";
import { setMetafields } from "../shopify-admin/metafields.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";

export const tierTag = (tierName: string) => `Kinship tier: ${tierName}`;

// A minute's delay: metafields a minute behind cost the merchant nothing, and a busy shop's
// members order often enough that shorter delays turned nearly every order into a Shopify sync.
export const SHOPIFY_SYNC_DELAY_MS = 60_000;

export async function requestShopifySync(deps: LoyaltyDeps, shopDomain: string, memberId: bigint) {
  await deps.jobs.add(
    "shopify-calls",
    "sync-member-to-shopify",
    { shopDomain, memberId: memberId.toString() },
    // Same id while one waits: later changes ride on it. Removed on completion so the next change queues anew.
    { jobId: `sync-member-${memberId}`, delay: SHOPIFY_SYNC_DELAY_MS, removeOnComplete: true },
  );
}

export async function syncMemberToShopify(deps: LoyaltyDeps, shopDomain: string, memberId: bigint) {
  // Scoped by the job's shop as well as the id: a job for one shop never pushes another's member.
  const member = await deps.db.loyaltyMember.findFirst({
    where: { id: memberId, shop: { domain: shopDomain } },
    include: { customer: { select: { shopifyId: true, redactedAt: true } }, tier: true, shop: true },
  });
  if (!member || member.customer.redactedAt) return "skipped";
  if (!deps.adminFor) throw new Error("No Admin API client factory to sync with");
  const admin = await deps.adminFor(member.shop.domain);
  const ownerId = `gid://shopify/Customer/${member.customer.shopifyId}`;
  await setMetafields(admin, [
    {
      ownerId,
      namespace: "kinship",
      key: "loyalty_points",
      type: "number_integer",
      value: String(member.pointsBalance),
    },
    {
      ownerId,
      namespace: "kinship",
      key: "loyalty_tier",
      type: "single_line_text_field",
      value: member.tier?.name ?? "",
    },
  ]);
  const tiers = await deps.db.loyaltyTier.findMany({
    where: { shopId: member.shopId },
    select: { id: true, name: true },
  });
  const stale = tiers.filter((tier) => tier.id !== member.tierId).map((tier) => tierTag(tier.name));
  if (stale.length > 0) await removeCustomerTags(admin, ownerId, stale);
  if (member.tier) await addCustomerTags(admin, ownerId, [tierTag(member.tier.name)]);
  return "synced";
}
