// afterAuth: read the shop's profile from the Admin API and record it.
import type { PrismaClient } from "../../db.server";
import { SHOP_PROFILE_QUERY, type ShopProfile } from "./shop-profile.query";
import { upsertInstalledShop } from "./shop.repository.server";

interface AdminGraphql {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

export class ShopProfileError extends Error {
  constructor(
    readonly shop: string,
    message: string,
  ) {
    super(message);
    this.name = "ShopProfileError";
  }
}

export async function recordInstalledShop(deps: { db: PrismaClient; admin: AdminGraphql }, shopDomain: string) {
  const response = await deps.admin.graphql(SHOP_PROFILE_QUERY);
  const body = (await response.json()) as { data?: { shop?: ShopProfile }; errors?: unknown };
  const profile = body.data?.shop;
  if (!profile) throw new ShopProfileError(shopDomain, "The shop query returned no shop");
  return upsertInstalledShop(deps.db, profile);
}
