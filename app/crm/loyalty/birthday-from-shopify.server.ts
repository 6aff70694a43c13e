// Birthdays from the Shopify customer (metafield `facts.birth_date`) for members who did not
// give one in the widget. Webhook payloads carry no metafields, so Kinship asks the Admin API:
// once when a member enrols (`read-member-birthday` job) and in the daily pass for members still
// without one, 100 customers per `nodes(ids:)` call through the throttle-aware client. Only
// while the program pays a birthday bonus: otherwise the birthday serves nothing.
import { findShopByDomain } from "../shop/shop.repository.server";
import { birthdayFromMetafield } from "./birthday-metafield";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { findProgram, type LoyaltyProgramRecord } from "./loyalty.repository.server";
import { awardBirthdayIfDue } from "./member-bonuses.server";
import {
  fillMissingBirthday,
  findMemberById,
  membersWithoutBirthday,
  type MemberToReadBirthday,
} from "./member-birthday.repository.server";

export const CUSTOMER_BIRTHDAYS_QUERY = `#graphql
  query KinshipCustomerBirthdays($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Customer {
        id
        birthDate: metafield(namespace: "facts", key: "birth_date") {
          value
          type
        }
      }
    }
  }`;

interface CustomerBirthdaysData {
  nodes: ({ id: string; birthDate: { value: string | null; type: string } | null } | null)[];
}

const BATCH = 100;
const customerGid = (shopifyId: bigint) => `gid://shopify/Customer/${shopifyId}`;

export interface BirthdayReadOutcome {
  asked: number;
  filled: number;
  bonuses: number;
}

async function readBatch(
  deps: LoyaltyDeps,
  shopDomain: string,
  batch: MemberToReadBirthday[],
): Promise<BirthdayReadOutcome> {
  const admin = await deps.adminFor!(shopDomain);
  const data = await admin.request<CustomerBirthdaysData>(CUSTOMER_BIRTHDAYS_QUERY, {
    ids: batch.map((member) => customerGid(member.customerShopifyId)),
  });
  const birthdays = new Map(
    data.nodes.flatMap((node) => (node ? [[node.id, birthdayFromMetafield(node.birthDate)]] : [])),
  );
  const outcome = { asked: batch.length, filled: 0, bonuses: 0 };
  for (const { memberId, customerShopifyId } of batch) {
    const birthday = birthdays.get(customerGid(customerShopifyId));
    if (!birthday || !(await fillMissingBirthday(deps.db, memberId, birthday.month, birthday.day))) continue;
    outcome.filled++;
    const member = await findMemberById(deps.db, memberId);
    if (member && (await awardBirthdayIfDue(deps, member)) > 0) outcome.bonuses++;
  }
  return outcome;
}

/** Every member of the shop still without a birthday (the daily pass); none asked without a bonus. */
export async function readShopBirthdays(
  deps: LoyaltyDeps,
  shop: { id: number; domain: string },
  program: LoyaltyProgramRecord,
): Promise<BirthdayReadOutcome> {
  const total = { asked: 0, filled: 0, bonuses: 0 };
  if (!deps.adminFor || program.settings.bonuses.birthday <= 0) return total;
  let afterId: bigint | undefined;
  for (;;) {
    const batch = await membersWithoutBirthday(deps.db, shop.id, { afterId, take: BATCH });
    if (batch.length === 0) return total;
    const outcome = await readBatch(deps, shop.domain, batch);
    total.asked += outcome.asked;
    total.filled += outcome.filled;
    total.bonuses += outcome.bonuses;
    afterId = batch.at(-1)!.memberId;
  }
}

/** One member, right after they enrolled (the `read-member-birthday` job). */
export async function readMemberBirthday(
  deps: LoyaltyDeps,
  shopDomain: string,
  memberId: bigint,
): Promise<BirthdayReadOutcome> {
  const shop = await findShopByDomain(deps.db, shopDomain);
  const program = shop ? await findProgram(deps.db, shop.id) : null;
  if (!shop || !deps.adminFor || !program?.enabled || program.settings.bonuses.birthday <= 0) {
    return { asked: 0, filled: 0, bonuses: 0 };
  }
  const batch = await membersWithoutBirthday(deps.db, shop.id, { memberIds: [memberId], take: 1 });
  return batch.length === 0 ? { asked: 0, filled: 0, bonuses: 0 } : readBatch(deps, shop.domain, batch);
}

/** Enqueued for a member who just enrolled; one job per member. */
export async function requestMemberBirthdayRead(deps: LoyaltyDeps, shopDomain: string, memberId: bigint) {
  await deps.jobs.add(
    "shopify-calls",
    "read-member-birthday",
    { shopDomain, memberId: memberId.toString() },
    { jobId: `read-birthday-${memberId}` },
  );
}
