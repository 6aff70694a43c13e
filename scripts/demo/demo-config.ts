// The demo store's fixed identity. These credentials exist only between the app and
// the local Shopify double; they are not secrets of any real app.
export const DEMO_SHOP_DOMAIN = "kinship-demo.myshopify.com";
export const DEMO_API_KEY = "kinship-demo-api-key";
export const DEMO_API_SECRET = "kinship-demo-api-secret";
/**
 * The demo's token encryption key (SHA-256 of "kinship demo token key"): fixed, so a second
 * `npm run demo` still opens the sessions the first one stored. Demo and benchmarks only:
 * production refuses to start without TOKEN_ENCRYPTION_KEYS of its own.
 */
export const DEMO_TOKEN_ENCRYPTION_KEYS = "demo:RMLBeLxfEvE6fofyZ0Vamlu6KwiZBPNIzfYm5sERRow=";
export const DEMO_SCOPES =
  "read_customers,write_customers,read_orders,write_orders,read_all_orders,write_discounts,read_products";

export interface DemoPorts {
  app: number;
  double: number;
}

/** Environment of the demo's app server and workers, on top of the user's own. */
export function demoEnvironment(ports: DemoPorts, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const doubleUrl = `http://127.0.0.1:${ports.double}`;
  return {
    ...base,
    NODE_ENV: "production",
    SHOPIFY_API_KEY: DEMO_API_KEY,
    SHOPIFY_API_SECRET: DEMO_API_SECRET,
    SCOPES: DEMO_SCOPES,
    TOKEN_ENCRYPTION_KEYS: base.TOKEN_ENCRYPTION_KEYS ?? DEMO_TOKEN_ENCRYPTION_KEYS,
    SHOPIFY_APP_URL: `http://127.0.0.1:${ports.app}`,
    SHOPIFY_DOUBLE_URL: doubleUrl,
    APP_BRIDGE_URL: `${doubleUrl}/app-bridge.js`,
    PORT: String(ports.app),
    HOST: "127.0.0.1",
    DATABASE_URL: base.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/kinship",
    REDIS_URL: base.REDIS_URL ?? "redis://127.0.0.1:6379",
    QUEUE_PREFIX: base.QUEUE_PREFIX ?? "kinship-demo",
  };
}
