// A customer's phone and postal addresses, read live from Shopify for Customer 360 (one call for the
// profile card's contact and the addresses card). Kinship stores only the country code (privacy):
// phone numbers and addresses stay in Shopify and are never stored or logged.
import type { Logger } from "../../lib/logger.server";
import { createShopifyAdminClient, type AdminGraphqlTransport } from "../shopify-admin/shopify-admin-client.server";
import { ShopifyAdminError } from "../shopify-admin/shopify-admin-error";

export const CUSTOMER_ADDRESSES_QUERY = `#graphql
  query KinshipCustomerAddresses($id: ID!) {
    customer(id: $id) {
      id
      defaultPhoneNumber {
        phoneNumber
      }
      defaultAddress {
        id
        city
        province
        countryCodeV2
      }
      addressesV2(first: 10) {
        nodes {
          id
          name
          company
          address1
          address2
          city
          province
          zip
          country
          phone
        }
      }
    }
  }
`;

interface AddressNode {
  id: string;
  name: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  zip: string | null;
  country: string | null;
  phone: string | null;
}

interface AddressesData {
  customer: {
    id: string;
    defaultPhoneNumber: { phoneNumber: string | null } | null;
    defaultAddress: { id: string; city: string | null; province: string | null; countryCodeV2: string | null } | null;
    addressesV2: { nodes: AddressNode[] };
  } | null;
}

export interface AddressView {
  id: string;
  isDefault: boolean;
  /** The address as printed on a label, one line each. */
  lines: string[];
  phone: string | null;
}

export type AddressesResult =
  | {
      status: "loaded";
      /** The profile card's contact: the customer's phone, and city, province, country of the default address. */
      phone: string | null;
      location: string | null;
      addresses: AddressView[];
    }
  | { status: "failed" }
  | { status: "not_in_shopify" }
  | { status: "redacted" };

/** Pure: one address node → label lines, empty parts left out. */
export function addressLines(node: AddressNode): string[] {
  const locality = [node.zip, node.city].filter(Boolean).join(" ");
  return [
    node.name,
    node.company,
    node.address1,
    node.address2,
    [locality, node.province].filter(Boolean).join(", "),
    node.country,
  ].filter((line): line is string => typeof line === "string" && line.trim() !== "");
}

/** A page load waits this long for Shopify at most; the card says so when it gives up. */
const ADDRESSES_TIMEOUT_MS = 5_000;

export async function fetchCustomerAddresses(
  deps: { transport: AdminGraphqlTransport; shop: string; logger: Logger; timeoutMs?: number },
  customerShopifyId: bigint,
): Promise<AddressesResult> {
  // One attempt: the page shows the rest of the profile rather than wait out Shopify's backoff.
  const client = createShopifyAdminClient({
    shop: deps.shop,
    transport: deps.transport,
    maxAttempts: 1,
    sleep: async () => undefined,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new ShopifyAdminError("SERVER_ERROR", "Admin API took too long", { shop: deps.shop })),
      deps.timeoutMs ?? ADDRESSES_TIMEOUT_MS,
    );
  });
  try {
    const data = await Promise.race([
      client.request<AddressesData>(CUSTOMER_ADDRESSES_QUERY, { id: `gid://shopify/Customer/${customerShopifyId}` }),
      timeout,
    ]);
    if (!data.customer) return { status: "not_in_shopify" };
    const primary = data.customer.defaultAddress;
    const defaultId = primary?.id ?? null;
    const location = [primary?.city, primary?.province, primary?.countryCodeV2].filter(Boolean).join(", ");
    const addresses = data.customer.addressesV2.nodes.map((node) => ({
      id: node.id,
      isDefault: node.id === defaultId,
      lines: addressLines(node),
      phone: node.phone,
    }));
    // The default address first, then Shopify's order.
    addresses.sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
    return {
      status: "loaded",
      phone: data.customer.defaultPhoneNumber?.phoneNumber ?? null,
      location: location === "" ? null : location,
      addresses,
    };
  } catch (error) {
    const code = error instanceof ShopifyAdminError ? error.code : "UNEXPECTED";
    deps.logger.warn({ shop: deps.shop, code }, "customer addresses could not be loaded");
    return { status: "failed" };
  } finally {
    clearTimeout(timer);
  }
}
