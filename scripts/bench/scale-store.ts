// A bigger store from the demo store: `copies` disjoint copies with their own ids and e-mails.
import type { StoreShop } from "../../test/shopify-double/store-data";

const ID_STRIDE = 100_000_000_000; // keeps every copy's ids apart and below 2^53

export function scaleStore(store: StoreShop, copies: number): StoreShop {
  const shifted = (id: number, copy: number) => id + copy * ID_STRIDE;
  const range = Array.from({ length: copies }, (_, copy) => copy);
  return {
    ...store,
    customers: range.flatMap((copy) =>
      store.customers.map((c) => ({ ...c, id: shifted(c.id, copy), email: c.email ? `${copy}.${c.email}` : null })),
    ),
    orders: range.flatMap((copy) =>
      store.orders.map((o) => ({
        ...o,
        id: shifted(o.id, copy),
        name: `${o.name}-${copy}`,
        customerId: o.customerId === null ? null : shifted(o.customerId, copy),
        lineItems: o.lineItems.map((line) => ({ ...line, id: shifted(line.id, copy) })),
        refunds: o.refunds.map((refund) => ({
          ...refund,
          id: shifted(refund.id, copy),
          lineItems: refund.lineItems.map((line) => ({ ...line, lineItemId: shifted(line.lineItemId, copy) })),
        })),
      })),
    ),
  };
}
