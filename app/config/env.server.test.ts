import { describe, expect, it } from "vitest";

import { EnvError, parseEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://kinship.example.com",
};

describe("parseEnv", () => {
  it("fills in the documented defaults", () => {
    const env = parseEnv(valid);
    expect(env.DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/kinship");
    expect(env.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(env.PORT).toBe(3456);
    expect(env.SCOPES.split(",")).toContain("read_all_orders");
    expect(env.SHOPIFY_DOUBLE_URL).toBeUndefined();
  });

  it("names a missing variable", () => {
    const { SHOPIFY_API_SECRET: _omitted, ...rest } = valid;
    expect(() => parseEnv(rest)).toThrowError(
      new EnvError("SHOPIFY_API_SECRET", "Configuration error: SHOPIFY_API_SECRET is required"),
    );
  });

  it("names a malformed variable", () => {
    expect(() => parseEnv({ ...valid, REDIS_URL: "localhost" })).toThrow(/REDIS_URL must be a URL/);
    expect(() => parseEnv({ ...valid, PORT: "eighty" })).toThrow(/PORT must be a number/);
    const error = (() => {
      try {
        parseEnv({ ...valid, DATABASE_URL: "not a url" });
      } catch (caught) {
        return caught as EnvError;
      }
    })();
    expect(error?.variable).toBe("DATABASE_URL");
    expect(error?.message.split("\n")).toHaveLength(1);
  });

  it("requires a well-formed TOKEN_ENCRYPTION_KEYS in production, and never invents one", () => {
    expect(() => parseEnv({ ...valid, NODE_ENV: "production" })).toThrowError(
      new EnvError(
        "TOKEN_ENCRYPTION_KEYS",
        "Configuration error: TOKEN_ENCRYPTION_KEYS is required in production (generate one with `npm run -s tokens:keygen`)",
      ),
    );
    expect(parseEnv(valid).TOKEN_ENCRYPTION_KEYS).toBeUndefined();
    expect(() => parseEnv({ ...valid, TOKEN_ENCRYPTION_KEYS: "k1:dG9vIHNob3J0" })).toThrow(
      /TOKEN_ENCRYPTION_KEYS key "k1" must be 32 bytes in base64/,
    );
    const key = `k1:${Buffer.alloc(32, 7).toString("base64")}`;
    expect(parseEnv({ ...valid, NODE_ENV: "production", TOKEN_ENCRYPTION_KEYS: key }).TOKEN_ENCRYPTION_KEYS).toBe(key);
  });
});
