import { describe, expect, it } from "vitest";

import { recommendationsView } from "./recommendations-view";

describe("recommendations view", () => {
  it("words the reason of each product and shows the mining time in the shop's zone", () => {
    const view = recommendationsView(
      {
        products: [
          { productShopifyId: "11", title: "Blue Train", source: "co_purchase", score: 0.7 },
          { productShopifyId: "12", title: "Kind of Blue", source: "popular", score: 0 },
        ],
        minedAt: new Date("2026-11-24T03:00:00Z"),
      },
      "Asia/Tokyo",
    );
    expect(view.products).toEqual([
      { id: "11", title: "Blue Train", reason: "Often bought with their purchases" },
      { id: "12", title: "Kind of Blue", reason: "Popular in the shop" },
    ]);
    expect(view.minedAt).toContain("12:00");
  });

  it("says nothing was mined yet", () => {
    expect(recommendationsView({ products: [], minedAt: null }, "UTC")).toEqual({ products: [], minedAt: null });
  });
});
