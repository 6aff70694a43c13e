// Survey answers' part of customers/data_request and customers/redact. The comment is free text
// by the person and the row links them to an order; the score alone is an anonymous figure the
// shop's NPS keeps. Erasure therefore clears the comment and the customer links, keeping score,
// survey and date. Answers are found by customer and by the request's orders (guest answers).
import type { PrismaClient } from "../../db.server";
import type { CustomerDataSection, CustomerDataSubject } from "../privacy/customer-data-document";

const answersOf = (subject: CustomerDataSubject) => ({
  shopId: subject.shopId,
  OR: [{ customerShopifyId: subject.customerShopifyId }, { orderShopifyId: { in: subject.orderShopifyIds } }],
});

export const SURVEY_CUSTOMER_DATA_SECTION: CustomerDataSection = {
  key: "surveys",
  title: "Satisfaction survey answers",
  async collect(db: PrismaClient, subject) {
    const rows = await db.surveyResponse.findMany({
      where: answersOf(subject),
      orderBy: { id: "asc" },
      select: {
        kind: true,
        score: true,
        answers: true,
        statements: true,
        comment: true,
        orderShopifyId: true,
        answeredAt: true,
      },
    });
    return rows.map((row) => ({
      ...row,
      orderShopifyId: row.orderShopifyId.toString(),
      answeredAt: row.answeredAt.toISOString(),
    }));
  },
  async redact(db: PrismaClient, subject) {
    await db.surveyResponse.updateMany({
      where: answersOf(subject),
      data: { comment: null, customerId: null, customerShopifyId: null },
    });
  },
};
