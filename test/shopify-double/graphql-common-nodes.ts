// GraphQL objects for money, the shop, products and variants.
import { gid, shopNumericId } from "./ids";
import type { GqlObject } from "./graphql-types";
import { formatMinor } from "./money";
import type { StoreProduct, StoreShop } from "./store-data";
import { findProduct, findVariant } from "./store-lookups";
import { formatOffset, timeZoneAbbreviation, timeZoneOffsetMinutes } from "./time";

export function moneyV2(minor: number, currencyCode: string): GqlObject {
  return { __typename: "MoneyV2", amount: formatMinor(minor, currencyCode), currencyCode };
}

/** The store data has one currency per order, so shop and presentment money agree. */
export function moneyBag(minor: number, currencyCode: string): GqlObject {
  const money = moneyV2(minor, currencyCode);
  return { __typename: "MoneyBag", shopMoney: money, presentmentMoney: money };
}

export function shopNode(shop: StoreShop): GqlObject {
  const now = new Date();
  const offset = timeZoneOffsetMinutes(shop.ianaTimezone, now);
  return {
    __typename: "Shop",
    id: gid("Shop", shopNumericId(shop.domain)),
    name: shop.name,
    email: shop.email,
    contactEmail: shop.email,
    myshopifyDomain: shop.domain,
    url: `https://${shop.domain}`,
    currencyCode: shop.currencyCode,
    enabledPresentmentCurrencies: [shop.currencyCode],
    ianaTimezone: shop.ianaTimezone,
    timezoneAbbreviation: timeZoneAbbreviation(shop.ianaTimezone, now),
    timezoneOffset: formatOffset(offset, false),
    timezoneOffsetMinutes: offset,
  };
}

export function productNode(shop: StoreShop, product: StoreProduct): GqlObject {
  return {
    __typename: "Product",
    id: gid("Product", product.id),
    legacyResourceId: String(product.id),
    title: product.title,
    vendor: product.vendor,
    productType: product.productType,
    hasOnlyDefaultVariant: product.variants.length === 1,
  };
}

export function productNodeById(shop: StoreShop, id: number): GqlObject | null {
  const product = findProduct(shop, id);
  return product ? productNode(shop, product) : null;
}

/** Variants of deleted products resolve to null, as in Shopify. */
export function variantNodeById(shop: StoreShop, variantId: number): GqlObject | null {
  const found = findVariant(shop, variantId);
  if (!found) return null;
  const { product, variant } = found;
  return {
    __typename: "ProductVariant",
    id: gid("ProductVariant", variant.id),
    legacyResourceId: String(variant.id),
    title: variant.title,
    displayName: `${product.title} - ${variant.title}`,
    sku: variant.sku,
    price: formatMinor(variant.priceMinor, shop.currencyCode),
    product: () => productNode(shop, product),
  };
}
