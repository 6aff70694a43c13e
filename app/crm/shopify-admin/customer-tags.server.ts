// Customer tags in Shopify, shared by the loyalty tier tag, the segment tags and the Customers
// list's bulk tag. The client turns `userErrors` into a ShopifyAdminError("USER_ERRORS").
import type { ShopifyAdminClient } from "./shopify-admin-client.server";

const ADD_CUSTOMER_TAGS = `#graphql
  mutation KinshipCustomerTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      userErrors {
        field
        message
      }
    }
  }`;

const REMOVE_CUSTOMER_TAGS = `#graphql
  mutation KinshipCustomerTagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
      userErrors {
        field
        message
      }
    }
  }`;

export async function addCustomerTags(admin: ShopifyAdminClient, customerGid: string, tags: string[]): Promise<void> {
  await admin.request(ADD_CUSTOMER_TAGS, { id: customerGid, tags });
}

export async function removeCustomerTags(
  admin: ShopifyAdminClient,
  customerGid: string,
  tags: string[],
): Promise<void> {
  await admin.request(REMOVE_CUSTOMER_TAGS, { id: customerGid, tags });
}
