// The store of the staff-path end-to-end test: two dozen loyalty members with order histories
// chosen so that the analytics (run for real afterwards) put exactly six of them "at risk"
// (last order 180–365 days ago), and the rest new, loyal or churned. Customers and orders are
// added to the Shopify double's live store (Customer 360 reads addresses from it) and delivered
// to the app as Shopify's webhooks, so they reach our tables through the real ingest path.
import type { LifecycleStage } from "../../app/crm/lifecycle/lifecycle-stage";
import type { LoyaltyDeps } from "../../app/crm/loyalty/loyalty-service-deps";
import type { ShopifyDouble } from "../shopify-double/index";
import { customerPayload, orderPayload } from "../shopify-double/rest-payloads";
import type { StoreCustomer, StoreOrder } from "../shopify-double/store-data";
import { deliver, runLoyaltyJobs } from "./loyalty-test-setup";

const DAY_MS = 86_400_000;
const FIRST_NAMES = [
  "Maya",
  "Jonas",
  "Ines",
  "Theo",
  "Lena",
  "Omar",
  "Sofia",
  "Karl",
  "Amara",
  "Pablo",
  "Noor",
  "Elif",
];
// Seven last names against twelve first names: no two of the 24 customers share a name.
const LAST_NAMES = ["Schmidt", "Rossi", "Dubois", "Novak", "Jensen", "Haddad", "Okafor"];
const CITIES = [
  { city: "Berlin", province: "Berlin", provinceCode: "BE", country: "Germany", countryCode: "DE", zip: "10115" },
  { city: "Lyon", province: "Rhône", provinceCode: "69", country: "France", countryCode: "FR", zip: "69001" },
  { city: "Milano", province: "Milano", provinceCode: "MI", country: "Italy", countryCode: "IT", zip: "20121" },
  { city: "Wien", province: "Wien", provinceCode: "9", country: "Austria", countryCode: "AT", zip: "1010" },
];

export interface StaffPathCustomer {
  shopifyId: number;
  name: string;
  email: string;
  /** The stage the recency rules give this history (the test shop has too few repeat buyers for a model fit). */
  expectedStage: LifecycleStage;
}

/** Order ages in days, oldest first, per customer number (1–24). */
function orderAges(i: number): { ages: number[]; stage: LifecycleStage } {
  switch (i % 4) {
    case 0:
      return { ages: [420 + i, 190 + i * 4], stage: "at_risk" };
    case 1:
      return { ages: [10 + i], stage: "new" };
    case 2:
      return { ages: [400 + i, 200 + i, 20 + i], stage: "loyal" };
    default:
      return { ages: [400 + i * 5], stage: "churned" };
  }
}

/**
 * Adds 24 customers with their orders to the double and delivers them to the app; the loyalty
 * jobs they cause (signup bonus, points for paid orders) are run here as the worker would.
 */
export async function addStaffPathCustomers(
  deps: LoyaltyDeps,
  double: ShopifyDouble,
  shopDomain: string,
  now = new Date(),
): Promise<StaffPathCustomer[]> {
  const store = double.store(shopDomain);
  const product = store.products[0]!;
  const variant = product.variants[0]!;
  const iso = (ageDays: number) => new Date(now.getTime() - ageDays * DAY_MS).toISOString();
  const customers: StaffPathCustomer[] = [];
  let orderNumber = 2001;

  for (let i = 1; i <= 24; i++) {
    const { ages, stage } = orderAges(i);
    const firstName = FIRST_NAMES[i % FIRST_NAMES.length]!;
    const lastName = LAST_NAMES[i % LAST_NAMES.length]!;
    const email = `${firstName}.${lastName}.${i}@example.net`.toLowerCase();
    const joined = iso(ages[0]! + 3);
    const customer: StoreCustomer = {
      id: 7100000000000 + i,
      firstName,
      lastName,
      email,
      phone: null,
      createdAt: joined,
      updatedAt: joined,
      address: { address1: `${i} Market Street`, ...CITIES[Math.floor(i / 4) % CITIES.length]! },
      tags: i % 3 === 0 ? ["vip"] : [],
      emailMarketing: i % 2 === 0 ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
      smsMarketing: "NOT_SUBSCRIBED",
      note: null,
    };
    store.customers.push(customer);
    await deliver(deps, shopDomain, "customers/create", customerPayload(store, customer));

    for (const age of ages) {
      const quantity = 1 + ((i + age) % 3);
      const totalMinor = quantity * variant.priceMinor;
      const id = 5100000000000 + orderNumber;
      const order: StoreOrder = {
        id,
        name: `#${orderNumber++}`,
        customerId: customer.id,
        email,
        createdAt: iso(age),
        processedAt: iso(age),
        updatedAt: iso(age),
        cancelledAt: null,
        cancelReason: null,
        currencyCode: store.currencyCode,
        sourceName: "web",
        financialStatus: "paid",
        lineItems: [
          {
            id: 6100000000000 + orderNumber,
            productId: product.id,
            variantId: variant.id,
            title: product.title,
            variantTitle: variant.title,
            sku: variant.sku,
            quantity,
            priceMinor: variant.priceMinor,
            discountMinor: 0,
          },
        ],
        subtotalMinor: totalMinor,
        totalDiscountsMinor: 0,
        shippingMinor: 0,
        taxMinor: 0,
        totalMinor,
        refunds: [],
      };
      store.orders.push(order);
      await deliver(deps, shopDomain, "orders/create", orderPayload(store, order));
    }
    customers.push({ shopifyId: customer.id, name: `${firstName} ${lastName}`, email, expectedStage: stage });
  }
  await runLoyaltyJobs(deps);
  return customers;
}
