// Metafields in Shopify, shared by the loyalty points/tier, the segments list, the recommended
// products, the survey link and the automation action. The client turns `userErrors` into a
// ShopifyAdminError("USER_ERRORS"); each caller decides what a refusal means for it.
import type { ShopifyAdminClient } from "./shopify-admin-client.server";

const SET_METAFIELDS = `#graphql
  mutation KinshipMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
      }
      userErrors {
        field
        message
      }
    }
  }`;

const DELETE_METAFIELDS = `#graphql
  mutation KinshipMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields {
        ownerId
      }
      userErrors {
        field
        message
      }
    }
  }`;

/** metafieldsSet and metafieldsDelete take at most 25 metafields a call. */
export const METAFIELDS_PER_CALL = 25;

export interface MetafieldIdentifier {
  ownerId: string;
  namespace: string;
  key: string;
}

export interface MetafieldInput extends MetafieldIdentifier {
  type: string;
  value: string;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Sets the metafields, 25 a call; a refusal throws before the calls after it are sent. */
export async function setMetafields(admin: ShopifyAdminClient, metafields: readonly MetafieldInput[]): Promise<void> {
  for (const part of chunks(metafields, METAFIELDS_PER_CALL)) {
    await admin.request(SET_METAFIELDS, {
      metafields: part.map(({ ownerId, namespace, key, type, value }) => ({ ownerId, namespace, key, type, value })),
    });
  }
}

/** Deletes the metafields, 25 a call; deleting one that is not there is not an error in Shopify. */
export async function deleteMetafields(
  admin: ShopifyAdminClient,
  metafields: readonly MetafieldIdentifier[],
): Promise<void> {
  for (const part of chunks(metafields, METAFIELDS_PER_CALL)) {
    await admin.request(DELETE_METAFIELDS, {
      metafields: part.map(({ ownerId, namespace, key }) => ({ ownerId, namespace, key })),
    });
  }
}
