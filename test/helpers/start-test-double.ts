// The local Shopify double for an integration test, with the app pointed at it. The app
// reads its configuration once, on first import: call this before importing app modules.
import { envSchema } from "../../app/config/env.server";
import { startShopifyDouble, type ShopifyDouble } from "../shopify-double/index";
import type { StoreShop } from "../shopify-double/store-data";

export async function startTestDouble(shops: StoreShop[]): Promise<ShopifyDouble> {
  const double = await startShopifyDouble({
    apiKey: process.env.SHOPIFY_API_KEY!,
    apiSecret: process.env.SHOPIFY_API_SECRET!,
    appUrl: process.env.SHOPIFY_APP_URL!,
    scopes: envSchema.shape.SCOPES.parse(process.env.SCOPES),
    shops,
  });
  process.env.SHOPIFY_DOUBLE_URL = double.url;
  return double;
}
