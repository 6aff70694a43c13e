import { describe, expect, it } from "vitest";

import { createSurveyToken, surveyTokenKey, verifySurveyToken } from "./survey-token";

const key = surveyTokenKey("app-secret");
const now = new Date("2026-11-01T12:00:00Z");
const claims = {
  shopId: 42,
  orderShopifyId: 5_000_000_000_123n,
  kind: "nps" as const,
  expiresAt: new Date("2026-12-01T12:00:00Z"),
};

describe("survey tokens", () => {
  it("round-trip their claims and stay compact and URL-safe", () => {
    const token = createSurveyToken(key, claims);
    expect(token).toMatch(/^[0-9a-z]+\.[0-9a-z]+\.n\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    expect(token.length).toBeLessThan(60);
    expect(verifySurveyToken(key, token, now)).toEqual({ ok: true, claims });
  });

  it("refuse a token whose claims were changed (another order, shop or survey) as forged", () => {
    const [shop, order, kind, expiry, signature] = createSurveyToken(key, claims).split(".");
    const otherOrder = (claims.orderShopifyId + 1n).toString(36);
    expect(verifySurveyToken(key, [shop, otherOrder, kind, expiry, signature].join("."), now)).toEqual({
      ok: false,
      reason: "forged",
    });
    expect(verifySurveyToken(key, [(43).toString(36), order, kind, expiry, signature].join("."), now)).toMatchObject({
      reason: "forged",
    });
    expect(verifySurveyToken(key, [shop, order, "c", expiry, signature].join("."), now)).toMatchObject({
      reason: "forged",
    });
    const later = Math.floor(Date.UTC(2030, 0, 1) / 1000).toString(36);
    expect(verifySurveyToken(key, [shop, order, kind, later, signature].join("."), now)).toMatchObject({
      reason: "forged",
    });
  });

  it("refuse a token signed with another key (another app secret) as forged", () => {
    const token = createSurveyToken(surveyTokenKey("another-secret"), claims);
    expect(verifySurveyToken(key, token, now)).toEqual({ ok: false, reason: "forged" });
  });

  it("refuse an expired token, from its expiry on", () => {
    const token = createSurveyToken(key, claims);
    expect(verifySurveyToken(key, token, claims.expiresAt)).toEqual({ ok: false, reason: "expired" });
    expect(verifySurveyToken(key, token, new Date(claims.expiresAt.getTime() - 1000)).ok).toBe(true);
  });

  it("call anything else malformed", () => {
    for (const junk of ["", "abc", "a.b.c.d", "1.2.n.3.4.5", "1.2.n.x!.sig", "../../etc/passwd", "1.2.n.3.%00"]) {
      expect(verifySurveyToken(key, junk, now)).toMatchObject({ ok: false });
    }
    expect(verifySurveyToken(key, "1.2.n.3.abc", now)).toEqual({ ok: false, reason: "forged" });
  });
});
