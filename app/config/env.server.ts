// Process configuration, parsed once with zod. A missing or malformed variable stops
// the process with one line naming it (see `loadEnv`), never a stack dump.
import { z } from "zod";

import { parseTokenKeyring, TokenCipherError } from "../crm/security/token-cipher";

const DEMO_DEFAULTS = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/kinship",
  REDIS_URL: "redis://127.0.0.1:6379",
};

const url = (name: string) => z.string({ error: `${name} is required` }).url({ error: `${name} must be a URL` });

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SHOPIFY_API_KEY: z.string({ error: "SHOPIFY_API_KEY is required" }).min(1, "SHOPIFY_API_KEY is required"),
  SHOPIFY_API_SECRET: z.string({ error: "SHOPIFY_API_SECRET is required" }).min(1, "SHOPIFY_API_SECRET is required"),
  SHOPIFY_APP_URL: url("SHOPIFY_APP_URL"),
  SCOPES: z
    .string()
    .default("read_customers,write_customers,read_orders,write_orders,read_all_orders,write_discounts,read_products"),
  DATABASE_URL: url("DATABASE_URL").default(DEMO_DEFAULTS.DATABASE_URL),
  REDIS_URL: url("REDIS_URL").default(DEMO_DEFAULTS.REDIS_URL),
  /** Prefix of every BullMQ key, so that tests and several apps can share one Redis. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]+$/i, "QUEUE_PREFIX may hold letters, digits, : _ -")
    .default("kinship"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number({ error: "PORT must be a number" }).int().min(0).max(65535).default(3456),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** When set, every Shopify call goes to this local Shopify double instead of Shopify. */
  SHOPIFY_DOUBLE_URL: url("SHOPIFY_DOUBLE_URL").optional(),
  /** Where the App Bridge script is loaded from (the double's stand-in when running offline). */
  APP_BRIDGE_URL: url("APP_BRIDGE_URL").optional(),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  /** App proxy requests allowed per minute for one logged-in customer, and for one shop in all. */
  APP_PROXY_RATE_LIMIT_PER_CUSTOMER: z.coerce
    .number({ error: "APP_PROXY_RATE_LIMIT_PER_CUSTOMER must be a number" })
    .int()
    .min(1)
    .default(60),
  APP_PROXY_RATE_LIMIT_PER_SHOP: z.coerce
    .number({ error: "APP_PROXY_RATE_LIMIT_PER_SHOP must be a number" })
    .int()
    .min(1)
    .default(6000),
  /**
   * `keyId:base64key,…` (32-byte keys, the first encrypts, the rest only decrypt): encrypts
   * access tokens at rest. Required in production; never defaulted outside the demo.
   */
  TOKEN_ENCRYPTION_KEYS: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      try {
        parseTokenKeyring(value);
      } catch (error) {
        if (!(error instanceof TokenCipherError)) throw error;
        ctx.addIssue({ code: "custom", message: error.message });
      }
    }),
});

/** The whole process environment: the fields above, and what must hold between them. */
const processEnvSchema = envSchema.superRefine((parsed, ctx) => {
  if (parsed.NODE_ENV === "production" && !parsed.TOKEN_ENCRYPTION_KEYS) {
    ctx.addIssue({
      code: "custom",
      path: ["TOKEN_ENCRYPTION_KEYS"],
      message: "TOKEN_ENCRYPTION_KEYS is required in production (generate one with `npm run -s tokens:keygen`)",
    });
  }
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = "EnvError";
  }
}

/** Parses `source`; throws an EnvError naming the first bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env;
export function parseEnv<S extends z.ZodType>(source: Record<string, string | undefined>, schema: S): z.infer<S>;
export function parseEnv(source: Record<string, string | undefined>, schema: z.ZodType = processEnvSchema): unknown {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const variable = String(issue.path[0] ?? "environment");
  const message = issue.message.includes(variable) ? issue.message : `${variable}: ${issue.message}`;
  throw new EnvError(variable, `Configuration error: ${message}`);
}

let cached: Env | undefined;

/** The process's environment, parsed once. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
