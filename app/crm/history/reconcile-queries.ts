// Paginated queries of the daily reconciliation. Page sizes keep each query's requested
// cost under Shopify's 1,000-point single-query limit. Outside bulk, refunds can carry
// their refund line items.

export const CUSTOMERS_COUNT_QUERY = `#graphql
  query KinshipCustomersCount {
    customersCount(limit: null) { count precision }
  }
`;

export const UPDATED_CUSTOMERS_QUERY = `#graphql
  query KinshipUpdatedCustomers($query: String!, $after: String) {
    customers(first: 100, query: $query, after: $after, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
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
`;

export const UPDATED_ORDERS_QUERY = `#graphql
  query KinshipUpdatedOrders($query: String!, $after: String) {
    orders(first: 4, query: $query, after: $after, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
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
        refunds(first: 2) {
          id
          createdAt
          totalRefundedSet { shopMoney { amount } }
          refundLineItems(first: 10) {
            nodes { quantity lineItem { id } subtotalSet { shopMoney { amount } } }
          }
        }
        lineItems(first: 15) {
          nodes {
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
`;
