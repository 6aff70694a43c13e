// The shop's identity as Kinship stores it: currency for money, IANA zone for dates.
export const SHOP_PROFILE_QUERY = `#graphql
  query KinshipShopProfile {
    shop {
      name
      myshopifyDomain
      currencyCode
      ianaTimezone
    }
  }
`;

export interface ShopProfile {
  name: string;
  myshopifyDomain: string;
  currencyCode: string;
  ianaTimezone: string;
}
