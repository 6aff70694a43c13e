// Public option and handle types of the local Shopify double (re-exported by index.ts).
import type { StoreShop } from "./store-data";

export interface ShopifyDoubleOptions {
  /** 0 = any free port; default 0. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** The app's client id. */
  apiKey: string;
  /** The app's client secret: signs session tokens and webhooks, checked in token exchange. */
  apiSecret: string;
  /** Where the app is served, e.g. http://127.0.0.1:3456. */
  appUrl: string;
  /** Comma-separated granted scopes, returned by token exchange. */
  scopes: string;
  /** The stores the double hosts (copied; use `store()` for the live data). */
  shops: StoreShop[];
}

export interface SendWebhookArgs {
  shop: string;
  /** REST-style topic, e.g. "orders/create", "customers/redact", "app/uninstalled". */
  topic: string;
  payload: unknown;
  webhookId?: string;
  eventId?: string;
  /** ISO timestamp; default now. */
  triggeredAt?: string;
  /** Default "2026-07". */
  apiVersion?: string;
  /** Path on the app; default "/webhooks/" + topic. */
  path?: string;
  /** Sign with this secret instead of the app's (to forge a delivery in tests). */
  signWith?: string;
}

export interface WebhookDeliveryResult {
  status: number;
  webhookId: string;
  eventId: string;
  body: string;
}

export interface GraphqlCall {
  query: string;
  variables: unknown;
}

export interface ShopifyDouble {
  /** Base URL, e.g. http://127.0.0.1:3457 */
  url: string;
  /** The admin page that frames the app for this shop. */
  adminUrl(shopDomain: string, appPath?: string): string;
  mintSessionToken(shopDomain: string, opts?: { userId?: string; ttlSeconds?: number }): string;
  sendWebhook(args: SendWebhookArgs): Promise<WebhookDeliveryResult>;
  throttle: {
    set(shopDomain: string, currentlyAvailable: number): void;
    failNext(shopDomain: string, status: 401 | 429 | 500, times?: number): void;
    /** The next `times` Admin calls answer after `delayMs` (a slow Shopify). */
    slowNext(shopDomain: string, delayMs: number, times?: number): void;
  };
  /** Log of received Admin GraphQL requests, for tests. */
  graphqlCalls(shopDomain: string): GraphqlCall[];
  /** Live data; tests may mutate it. */
  store(shopDomain: string): StoreShop;
  close(): Promise<void>;
}
