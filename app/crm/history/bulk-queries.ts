// The Bulk Operation queries of the history import and the documents around them.
//
// Shopify's bulk rules shape the orders query: at most five connections, nested two levels
// deep, and no connection inside a list field. `Order.refunds` is a list, so
// `refunds { refundLineItems }` cannot be asked in bulk: refunds come with their amount
// and date only (see history-records.ts for what that means for refunded quantities).

export const CUSTOMERS_BULK_QUERY = `#graphql
  query KinshipHistoryCustomers {
    customers {
      edges {
        node {
          id
          firstName
          lastName
          tags
          createdAt
          updatedAt
          defaultEmailAddress { emailAddress marketingState }
          defaultAddress { countryCodeV2 }
        }
      }
    }
  }
`;

export const ORDERS_BULK_QUERY = `#graphql
  query KinshipHistoryOrders {
    orders {
      edges {
        node {
          id
          name
          email
          createdAt
          updatedAt
          processedAt
          cancelledAt
          sourceName
          displayFinancialStatus
          customer { id }
          subtotalPriceSet { shopMoney { amount } }
          totalDiscountsSet { shopMoney { amount } }
          totalShippingPriceSet { shopMoney { amount } }
          totalTaxSet { shopMoney { amount } }
          totalPriceSet { shopMoney { amount } }
          refunds { id createdAt totalRefundedSet { shopMoney { amount } } }
          lineItems {
            edges {
              node {
                id
                title
                variantTitle
                sku
                quantity
                product { id }
                variant { id }
                originalUnitPriceSet { shopMoney { amount } }
                totalDiscountSet { shopMoney { amount } }
              }
            }
          }
        }
      }
    }
  }
`;

export const RUN_BULK_QUERY_MUTATION = `#graphql
  mutation KinshipRunBulkQuery($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: true) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }
`;

export const BULK_OPERATION_QUERY = `#graphql
  query KinshipBulkOperation($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      rootObjectCount
      url
      partialDataUrl
      query
      completedAt
    }
  }
`;

export type BulkOperationStatus = "CANCELED" | "CANCELING" | "COMPLETED" | "CREATED" | "EXPIRED" | "FAILED" | "RUNNING";

export interface BulkOperationState {
  id: string;
  status: BulkOperationStatus;
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  url: string | null;
  partialDataUrl: string | null;
  query: string;
  completedAt: string | null;
}

export type HistoryPhase = "customers" | "orders";

export const BULK_QUERY_OF_PHASE: Record<HistoryPhase, string> = {
  customers: CUSTOMERS_BULK_QUERY,
  orders: ORDERS_BULK_QUERY,
};

/** Which phase an operation belongs to, from the query Shopify echoes back. */
export function phaseOfBulkQuery(query: string): HistoryPhase | null {
  if (query.includes("KinshipHistoryCustomers")) return "customers";
  if (query.includes("KinshipHistoryOrders")) return "orders";
  return null;
}
