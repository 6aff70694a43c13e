// What the HTTP handlers of one running double share.
import type { GraphqlCall } from "./types";
import type { RootResolvers } from "./graphql-types";
import { storeHandle } from "./ids";
import type { StoreShop } from "./store-data";
import type { ThrottleRegistry } from "./throttle";

export interface DoubleConfig {
  apiKey: string;
  apiSecret: string;
  /** Without a trailing slash. */
  appUrl: string;
  scopes: string[];
}

export interface DoubleState {
  config: DoubleConfig;
  /** Set once the server listens. */
  baseUrl: string;
  shops: Map<string, StoreShop>;
  tokenKey: Buffer;
  throttle: ThrottleRegistry;
  calls: Map<string, GraphqlCall[]>;
  shopState: Map<string, Map<string, unknown>>;
  resolvers: RootResolvers;
}

export function adminPageUrl(baseUrl: string, apiKey: string, shopDomain: string, appPath = ""): string {
  const path = appPath === "" || appPath.startsWith("/") ? appPath : `/${appPath}`;
  return `${baseUrl}/store/${storeHandle(shopDomain)}/apps/${apiKey}${path}`;
}

export function stateForShop(state: DoubleState, shopDomain: string): Map<string, unknown> {
  let shopState = state.shopState.get(shopDomain);
  if (!shopState) {
    shopState = new Map();
    state.shopState.set(shopDomain, shopState);
  }
  return shopState;
}
