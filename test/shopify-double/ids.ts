// Global ids and the few ids Shopify has that the store data does not carry.
import { createHash } from "node:crypto";

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** "gid://shopify/Customer/12?x=y" → { type: "Customer", id: 12 }; null when malformed. */
export function parseGid(value: string): { type: string; id: number } | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value);
  if (!match?.[1] || !match[2]) return null;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) ? { type: match[1], id } : null;
}

/** A stable numeric shop id derived from the domain (StoreShop has none). */
export function shopNumericId(domain: string): number {
  return parseInt(createHash("sha256").update(domain).digest("hex").slice(0, 10), 16);
}

/** The admin handle: "kinship-demo.myshopify.com" → "kinship-demo". */
export function storeHandle(domain: string): string {
  return domain.replace(/\.myshopify\.com$/, "");
}

/**
 * Refund line items and refund transactions have ids in Shopify but not in the store data;
 * derive stable ones from the refund id so that repeated payloads agree.
 */
export function refundLineItemId(refundId: number, index: number): number {
  return refundId * 1000 + index + 1;
}

export function refundTransactionId(refundId: number): number {
  return refundId * 1000;
}
