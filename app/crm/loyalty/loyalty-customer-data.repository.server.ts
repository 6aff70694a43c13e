// Loyalty's part of customers/data_request and customers/redact. Redaction keeps the ledger's
// figures (points, kinds, dates: the program's liability and KPIs stay right) and erases what
// could identify the shopper: birthday, referral code (it is shared publicly), free-text reasons.
import type { PrismaClient } from "../../db.server";
import type { CustomerDataSection } from "../privacy/customer-data-document";

async function memberOf(db: PrismaClient, shopId: number, customerShopifyId: bigint) {
  const customer = await db.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: customerShopifyId } },
    select: { id: true },
  });
  return customer ? db.loyaltyMember.findUnique({ where: { customerId: customer.id } }) : null;
}

export const LOYALTY_CUSTOMER_DATA_SECTION: CustomerDataSection = {
  key: "loyalty",
  title: "Loyalty membership, points ledger and redemptions",
  async collect(db, subject) {
    const member = await memberOf(db, subject.shopId, subject.customerShopifyId);
    if (!member) return null;
    const [ledger, redemptions] = await Promise.all([
      db.loyaltyLedgerEntry.findMany({
        where: { memberId: member.id },
        orderBy: { id: "asc" },
        select: { kind: true, points: true, reason: true, createdAt: true },
      }),
      db.loyaltyRedemption.findMany({
        where: { memberId: member.id },
        select: { discountCode: true, pointsSpent: true, status: true, createdAt: true },
      }),
    ]);
    return {
      balance: member.pointsBalance,
      joinedAt: member.joinedAt.toISOString(),
      birthday: member.birthdayMonth === null ? null : { month: member.birthdayMonth, day: member.birthdayDay },
      referralCode: member.referralCode,
      ledger: ledger.map((entry) => ({ ...entry, createdAt: entry.createdAt.toISOString() })),
      redemptions: redemptions.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    };
  },
  async redact(db, subject) {
    const member = await memberOf(db, subject.shopId, subject.customerShopifyId);
    if (!member) return;
    await db.$transaction([
      db.loyaltyMember.update({
        where: { id: member.id },
        data: { birthdayMonth: null, birthdayDay: null, referralCode: `REDACTED-${member.id}` },
      }),
      db.loyaltyLedgerEntry.updateMany({
        where: { memberId: member.id, reason: { not: null } },
        data: { reason: null },
      }),
    ]);
  },
};
