// The one Shopify app instance: token-exchange auth for the embedded admin,
// Prisma session storage (offline tokens for workers), and the afterAuth hook
// that records the shop.
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";

import { env } from "./config/env.server";
import { createEncryptedPrismaSessionStorage } from "./crm/security/encrypted-session-storage.server";
import { recordInstalledShop } from "./crm/shop/install-shop.server";
import { onShopAuthenticated } from "./crm/history/shop-schedules.server";
import { db } from "./db.server";
import { jobs } from "./jobs/jobs.server";
import { logger } from "./lib/logger.server";
import { installShopifyDoubleFetch } from "./shopify-double.server";

const config = env();
if (config.SHOPIFY_DOUBLE_URL) installShopifyDoubleFetch(config.SHOPIFY_DOUBLE_URL);

/** Every webhook subscription is pinned to this version (shopify.app.toml uses the same). */
export const API_VERSION = ApiVersion.July26;

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes: config.SCOPES.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  // Tokens are encrypted at rest (AES-256-GCM, TOKEN_ENCRYPTION_KEYS); a missing key stops here.
  sessionStorage: createEncryptedPrismaSessionStorage(db(), config.TOKEN_ENCRYPTION_KEYS, logger),
  distribution: AppDistribution.AppStore,
  isEmbeddedApp: true,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
  },
  logger: { level: config.NODE_ENV === "development" ? LogSeverity.Info : LogSeverity.Warning },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      const recorded = await recordInstalledShop({ db: db(), admin }, session.shop);
      // The history import (once per install) and the shop's schedules, in its recorded zone.
      const { timeZoneMovedFrom } = await onShopAuthenticated(jobs(), recorded);
      if (timeZoneMovedFrom) {
        logger.info(
          { shop: session.shop, from: timeZoneMovedFrom, to: recorded.shop.ianaTimezone },
          "shop time zone changed; schedules moved",
        );
      }
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const sessionStorage = shopify.sessionStorage;
