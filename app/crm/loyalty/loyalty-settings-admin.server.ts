// The settings form with excluded collections given as ids: saved like every other setting,
// then each collection's products read from Shopify at once (and daily after that).
import { findShopByDomain } from "../shop/shop.repository.server";
import { ShopifyAdminError } from "../shopify-admin/shopify-admin-error";
import { refreshExcludedCollections } from "./excluded-collections.server";
import { parseCollectionIds } from "./excluded-collections";
import { saveSettingsForm, type ActionOutcome } from "./loyalty-admin.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { findProgram } from "./loyalty.repository.server";

export async function saveSettingsWithCollections(
  deps: LoyaltyDeps,
  shopDomain: string,
  values: Record<string, FormDataEntryValue>,
): Promise<ActionOutcome> {
  const parsed = parseCollectionIds(String(values.excludedCollectionIds ?? ""));
  if (!parsed.ok) return { ok: false, intent: "settings", errors: { excludedCollectionIds: parsed.error } };
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) throw new Response("Shop not found", { status: 404 });
  const program = await findProgram(deps.db, shop.id);
  const held = new Map(program?.settings.exclusions.collections.map((c) => [c.id, c.productIds]));
  // The settings form takes "<collection id>: <product ids>" lines; a collection keeps the
  // products it held until Shopify is read, so saving never briefly lets its lines earn.
  const excludedCollections = parsed.ids.map((id) => `${id}: ${(held.get(id) ?? []).join(", ")}`).join("\n");
  const saved = await saveSettingsForm(deps, shopDomain, { ...values, excludedCollections });
  if (!saved.ok || parsed.ids.length === 0) return saved;
  try {
    const refreshed = await refreshExcludedCollections(deps, { id: shop.id, domain: shop.domain });
    const missing = refreshed.missing.length > 0 ? `; Shopify has no collection ${refreshed.missing.join(", ")}` : "";
    const count = `${refreshed.products} product${refreshed.products === 1 ? "" : "s"}`;
    return { ok: true, message: `${saved.message}; ${count} excluded through collections${missing}` };
  } catch (error) {
    if (!(error instanceof ShopifyAdminError)) throw error;
    deps.logger.warn({ shop: shopDomain, code: error.code }, "excluded collections not read from Shopify");
    return {
      ok: true,
      message: `${saved.message}; the collections could not be read from Shopify now and will be read again tonight`,
    };
  }
}
