// The tiers page's form: a tier edit is saved at once and every member is re-placed by the
// `reevaluate-shop-tiers` job (tier-replacement.server.ts), so the request stays fast however
// many members the shop has.
import { findShopByDomain } from "../shop/shop.repository.server";
import { parseTierForm, parseTierQualificationForm } from "./loyalty-admin-forms";
import { archiveTier, updateTier } from "./loyalty-admin.repository.server";
import type { ActionOutcome } from "./loyalty-admin.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { createTier, findProgram, saveProgramSettings } from "./loyalty.repository.server";
import { requestTierReplacement } from "./tier-replacement.server";

export async function saveTierEdit(
  deps: LoyaltyDeps,
  shopDomain: string,
  values: Record<string, FormDataEntryValue>,
): Promise<ActionOutcome> {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) throw new Response("Shop not found", { status: 404 });
  const program = await findProgram(deps.db, shop.id);
  const intent = String(values.intent ?? "");
  if (!program) return { ok: false, intent, errors: { form: "Set up the program first" } };
  const tierId = Number(values.tierId);
  if (intent === "qualification") {
    const parsed = parseTierQualificationForm(values);
    if (!parsed.ok) return { ok: false, intent, errors: parsed.errors };
    await saveProgramSettings(deps.db, shop.id, { ...program.settings, tiers: parsed.value });
  } else if (intent === "create-tier" || intent === "update-tier") {
    const parsed = parseTierForm(values, { basis: program.settings.tiers.basis, currencyCode: shop.currencyCode });
    if (!parsed.ok) return { ok: false, intent, errors: parsed.errors };
    if (intent === "create-tier") await createTier(deps.db, shop.id, parsed.value);
    else if (!(await updateTier(deps.db, shop.id, tierId, parsed.value)))
      return { ok: false, intent, errors: { form: "That tier no longer exists" } };
  } else if (intent === "archive-tier") {
    if (!(await archiveTier(deps.db, shop.id, tierId, deps.now?.() ?? new Date())))
      return { ok: false, intent, errors: { form: "That tier no longer exists" } };
  } else {
    return { ok: false, intent, errors: { form: "Unknown request" } };
  }
  await requestTierReplacement(deps, shopDomain);
  return { ok: true, message: "Tiers saved; re-placing members…" };
}
