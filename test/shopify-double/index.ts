// The local Shopify double: an HTTP server implementing the Shopify contracts the app uses
// (token exchange, Admin GraphQL with cost throttling, the embedded admin, App Bridge,
// webhooks), for tests and for `npm run demo`.
export { startShopifyDouble } from "./server";
export type { GraphqlCall, SendWebhookArgs, ShopifyDouble, ShopifyDoubleOptions, WebhookDeliveryResult } from "./types";
export {
  appUninstalledPayload,
  customerDataRequestPayload,
  customerPayload,
  customerRedactPayload,
  orderPayload,
  refundPayload,
  shopRedactPayload,
} from "./rest-payloads";
export { signWebhookBody } from "./webhook-sender";
export { mintSessionToken, verifySessionToken } from "./session-token";
export { formatMinor } from "./money";
export { mergeRootResolvers } from "./graphql-types";
export type { FieldFn, GqlObject, ResolverContext, RootResolvers } from "./graphql-types";
export { configureBulkOperations } from "./bulk-operations";
export type { BulkOperationSettings } from "./bulk-operations";
export { createSyntheticStore } from "./synthetic-store";
export type { SyntheticStore, SyntheticStoreOptions } from "./synthetic-store";
