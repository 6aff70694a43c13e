// Staff notes' part of customers/data_request and customers/redact. A note is free text about
// the person ("called about a late parcel, lives next to the shop"), with no figure depending on
// it, so erasure deletes the customer's notes outright.
import type { PrismaClient } from "../../db.server";
import type { CustomerDataSection } from "./customer-data-document";

async function customerIdOf(db: PrismaClient, shopId: number, customerShopifyId: bigint) {
  const customer = await db.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: customerShopifyId } },
    select: { id: true },
  });
  return customer?.id ?? null;
}

export const CUSTOMER_NOTES_DATA_SECTION: CustomerDataSection = {
  key: "notes",
  title: "Notes staff wrote about the customer",
  async collect(db, subject) {
    const customerId = await customerIdOf(db, subject.shopId, subject.customerShopifyId);
    if (customerId === null) return [];
    const notes = await db.customerNote.findMany({
      where: { shopId: subject.shopId, customerId },
      orderBy: { id: "asc" },
      select: { body: true, staffName: true, createdAt: true },
    });
    return notes.map((note) => ({ ...note, createdAt: note.createdAt.toISOString() }));
  },
  async redact(db, subject) {
    const customerId = await customerIdOf(db, subject.shopId, subject.customerShopifyId);
    if (customerId === null) return;
    await db.customerNote.deleteMany({ where: { shopId: subject.shopId, customerId } });
  },
};
