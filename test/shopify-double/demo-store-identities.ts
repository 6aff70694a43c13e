// Who the demo store's customers are: names, unique e-mail addresses on reserved example
// domains, fictional 555-01xx phone numbers, real US city/state pairs and marketing consent.
import {
  CITIES,
  EXAMPLE_EMAIL_DOMAINS,
  FIRST_NAMES,
  LAST_NAMES,
  STREET_NAMES,
  STREET_SUFFIXES,
} from "./demo-store-names";
import type { SeededRandom } from "./seeded-random";
import type { MarketingState, StoreCustomer } from "./store-data";

export type CustomerIdentity = Pick<
  StoreCustomer,
  "firstName" | "lastName" | "email" | "phone" | "address" | "emailMarketing" | "smsMarketing" | "note"
>;

const SHARE_WITH_PHONE = 0.4;

const CUSTOMER_NOTES = [
  "Prefers vinyl pressings",
  "Collects first pressings; call when new stock arrives",
  "Buys gifts for the holidays",
  "Asked about a listening-room event",
  "Record club member since the store opened",
] as const;

function emailLocalPart(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

export function createIdentityFactory(random: SeededRandom) {
  const takenEmails = new Set<string>();
  const takenPhones = new Set<string>();

  function uniqueEmail(firstName: string, lastName: string): string {
    const first = emailLocalPart(firstName);
    const last = emailLocalPart(lastName);
    const local = random.weighted([
      [`${first}.${last}`, 40],
      [`${first}${last}`, 15],
      [`${first.charAt(0)}${last}`, 15],
      [`${first}_${last}`, 8],
      [`${last}.${first}`, 7],
      [`${first}.${last}${random.int(10, 99)}`, 10],
      [`${first}${random.int(1960, 2005)}`, 5],
    ] as const);
    const domain = random.weighted(EXAMPLE_EMAIL_DOMAINS);
    let email = `${local}@${domain}`;
    for (let suffix = 2; takenEmails.has(email); suffix++) email = `${local}${suffix}@${domain}`;
    takenEmails.add(email);
    return email;
  }

  // E.164 as Shopify stores it; Shopify requires a phone number to be unique per store.
  function uniquePhone(areaCode: string): string | null {
    for (let attempt = 0; attempt < 20; attempt++) {
      const phone = `+1${areaCode}55501${String(random.int(0, 99)).padStart(2, "0")}`;
      if (!takenPhones.has(phone)) {
        takenPhones.add(phone);
        return phone;
      }
    }
    return null;
  }

  function guestEmail(): string {
    return uniqueEmail(random.pick(FIRST_NAMES), random.pick(LAST_NAMES));
  }

  // Customers who ordered always have a shipping address; half of the others gave one.
  function identity(everOrdered: boolean): CustomerIdentity {
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    const city = random.weighted(CITIES);
    const hasAddress = everOrdered || random.chance(0.5);
    const phone = random.chance(SHARE_WITH_PHONE) ? uniquePhone(city.areaCode) : null;
    const emailMarketing = random.weighted<MarketingState>([
      ["SUBSCRIBED", 55],
      ["UNSUBSCRIBED", 12],
      ["NOT_SUBSCRIBED", 33],
    ]);
    const smsMarketing: MarketingState =
      phone === null
        ? "NOT_SUBSCRIBED"
        : random.weighted<MarketingState>([
            ["SUBSCRIBED", 40],
            ["UNSUBSCRIBED", 8],
            ["NOT_SUBSCRIBED", 52],
          ]);
    return {
      firstName,
      lastName,
      email: uniqueEmail(firstName, lastName),
      phone,
      address: hasAddress
        ? {
            address1: `${random.int(1, 4999)} ${random.pick(STREET_NAMES)} ${random.pick(STREET_SUFFIXES)}`,
            city: city.city,
            province: city.province,
            provinceCode: city.provinceCode,
            country: "United States",
            countryCode: "US",
            zip: city.zip,
          }
        : null,
      emailMarketing,
      smsMarketing,
      note: random.chance(0.04) ? random.pick(CUSTOMER_NOTES) : null,
    };
  }

  return { identity, guestEmail };
}
