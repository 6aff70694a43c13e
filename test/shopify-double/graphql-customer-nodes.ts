// GraphQL Customer objects (2026-07 field names) over StoreCustomer.
import { moneyV2 } from "./graphql-common-nodes";
import { paginate } from "./graphql-connection";
import { orderNode } from "./graphql-order-nodes";
import type { FieldFn, GqlObject } from "./graphql-types";
import { gid } from "./ids";
import type { StoreCustomer, StoreShop } from "./store-data";
import { amountSpentMinor, customerDisplayName, lastOrderOf, ordersOfCustomer } from "./store-lookups";
import { ordersConnection } from "./store-search";
import { graphqlDateTime } from "./time";

function optInLevel(state: StoreCustomer["emailMarketing"]): string | null {
  return state === "SUBSCRIBED" || state === "UNSUBSCRIBED" ? "SINGLE_OPT_IN" : null;
}

export function mailingAddressNode(c: StoreCustomer): GqlObject | null {
  const a = c.address;
  if (!a) return null;
  return {
    __typename: "MailingAddress",
    // Shopify's customer address ids carry this model_name suffix.
    id: `${gid("MailingAddress", c.id)}?model_name=CustomerAddress`,
    firstName: c.firstName || null,
    lastName: c.lastName || null,
    name: `${c.firstName} ${c.lastName}`.trim() || null,
    address1: a.address1,
    address2: null,
    city: a.city,
    province: a.province,
    provinceCode: a.provinceCode,
    country: a.country,
    countryCodeV2: a.countryCode,
    countryCode: a.countryCode,
    zip: a.zip,
    phone: c.phone,
    company: null,
  };
}

export function customerNode(shop: StoreShop, c: StoreCustomer): GqlObject {
  const address = mailingAddressNode(c);
  return {
    __typename: "Customer",
    id: gid("Customer", c.id),
    legacyResourceId: String(c.id),
    firstName: c.firstName || null,
    lastName: c.lastName || null,
    displayName: customerDisplayName(c),
    email: c.email,
    phone: c.phone,
    verifiedEmail: c.email !== null,
    defaultEmailAddress:
      c.email === null
        ? null
        : {
            __typename: "CustomerEmailAddress",
            emailAddress: c.email,
            marketingState: c.emailMarketing,
            marketingOptInLevel: optInLevel(c.emailMarketing),
            marketingUpdatedAt: null,
            validFormat: true,
          },
    defaultPhoneNumber:
      c.phone === null
        ? null
        : {
            __typename: "CustomerPhoneNumber",
            phoneNumber: c.phone,
            marketingState: c.smsMarketing,
            marketingOptInLevel: optInLevel(c.smsMarketing),
            marketingUpdatedAt: null,
          },
    emailMarketingConsent:
      c.email === null
        ? null
        : {
            __typename: "CustomerEmailMarketingConsentState",
            marketingState: c.emailMarketing,
            marketingOptInLevel: optInLevel(c.emailMarketing),
            consentUpdatedAt: null,
          },
    smsMarketingConsent:
      c.phone === null
        ? null
        : {
            __typename: "CustomerSmsMarketingConsentState",
            marketingState: c.smsMarketing,
            marketingOptInLevel: optInLevel(c.smsMarketing) ?? "UNKNOWN",
            consentUpdatedAt: null,
            consentCollectedFrom: "OTHER",
          },
    defaultAddress: address,
    addresses: address ? [address] : [],
    addressesV2: (args: Record<string, unknown>) =>
      paginate(address ? [address] : [], args, { value: () => c.id, id: () => c.id }, "MailingAddress", (a) => a),
    tags: c.tags,
    note: c.note,
    state: "DISABLED",
    locale: "en",
    taxExempt: false,
    createdAt: graphqlDateTime(c.createdAt),
    updatedAt: graphqlDateTime(c.updatedAt),
    numberOfOrders: () => String(ordersOfCustomer(shop, c.id).length),
    amountSpent: () => moneyV2(amountSpentMinor(shop, c.id), shop.currencyCode),
    lastOrder: () => {
      const order = lastOrderOf(shop, c.id);
      return order ? orderNode(shop, order) : null;
    },
    orders: ((args, ctx, info) =>
      ordersConnection(ordersOfCustomer(shop, c.id), "ID", args, ctx, info)) satisfies FieldFn,
  };
}
