// Survey settings and answers. Every query names its shop.
import type { Prisma } from "@prisma/client";

import type { PrismaClient } from "../../db.server";
import { parseFeedbackSettings, type FeedbackSettings } from "./feedback-settings";
import type { SurveyAnswer } from "./survey-answer";
import type { SurveyChannel, SurveyKind } from "./survey-kinds";

type Tx = Prisma.TransactionClient;

export async function findFeedbackSettings(db: PrismaClient, shopId: number): Promise<FeedbackSettings> {
  const row = await db.feedbackSettings.findUnique({ where: { shopId } });
  return parseFeedbackSettings(row?.settings);
}

export async function saveFeedbackSettings(db: PrismaClient, shopId: number, settings: FeedbackSettings) {
  const json = settings as unknown as Prisma.InputJsonValue;
  await db.feedbackSettings.upsert({
    where: { shopId },
    create: { shopId, settings: json },
    update: { settings: json },
  });
}

/** The order a survey is about, with its customer (null for a guest order). */
export function findSurveyOrder(db: PrismaClient, shopId: number, orderShopifyId: bigint) {
  return db.order.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: orderShopifyId } },
    select: {
      shopifyId: true,
      name: true,
      processedAt: true,
      cancelledAt: true,
      customerId: true,
      customerShopifyId: true,
    },
  });
}

export async function answeredKinds(db: PrismaClient, shopId: number, orderShopifyId: bigint): Promise<SurveyKind[]> {
  const rows = await db.surveyResponse.findMany({ where: { shopId, orderShopifyId }, select: { kind: true } });
  return rows.map((row) => row.kind as SurveyKind);
}

/**
 * Stores an answer unless this order's survey was answered already (the unique key decides,
 * so two concurrent submissions of one link store one answer). Returns the new row's id or null.
 */
export async function insertSurveyResponse(
  db: PrismaClient,
  row: {
    shopId: number;
    orderShopifyId: bigint;
    customerId: bigint | null;
    customerShopifyId: bigint | null;
    channel: SurveyChannel;
    answer: SurveyAnswer;
    answeredAt: Date;
  },
): Promise<bigint | null> {
  const { answer } = row;
  const inserted = await db.$queryRaw<{ id: bigint }[]>`
    INSERT INTO survey_responses
      (shop_id, customer_id, customer_shopify_id, order_shopify_id, kind, score, band, answers, statements,
       comment, channel, answered_at)
    VALUES (${row.shopId}, ${row.customerId}, ${row.customerShopifyId}, ${row.orderShopifyId}, ${answer.kind},
      ${answer.score}, ${answer.band}, ${answer.answers}::int[], ${answer.statements}::text[], ${answer.comment},
      ${row.channel}, ${row.answeredAt})
    ON CONFLICT (shop_id, order_shopify_id, kind) DO NOTHING
    RETURNING id`;
  return inserted[0]?.id ?? null;
}

/** An answer of the shop `shopDomain` (a job's): another shop's id finds nothing. */
export function findSurveyResponse(db: PrismaClient | Tx, shopDomain: string, responseId: bigint) {
  return db.surveyResponse.findFirst({
    where: { id: responseId, shop: { domain: shopDomain } },
    include: { shop: { select: { id: true, domain: true, uninstalledAt: true } } },
  });
}

export type SurveyResponseRecord = NonNullable<Awaited<ReturnType<typeof findSurveyResponse>>>;

/** The response row locked for its follow-ups (the recovery reward is created once, under this lock). */
export async function lockSurveyResponse(tx: Tx, responseId: bigint) {
  const rows = await tx.$queryRaw<{ recoveryRedemptionId: bigint | null }[]>`
    SELECT recovery_redemption_id AS "recoveryRedemptionId" FROM survey_responses WHERE id = ${responseId} FOR UPDATE`;
  return rows[0] ?? null;
}

export function updateSurveyResponse(
  db: PrismaClient | Tx,
  responseId: bigint,
  data: Partial<{ pointsAwarded: number; recoveryRedemptionId: bigint; flowFiredAt: Date; processedAt: Date }>,
) {
  return db.surveyResponse.update({ where: { id: responseId }, data });
}

/** A customer's answers, newest first (Customer 360). */
export function customerSurveyResponses(db: PrismaClient, shopId: number, customerId: bigint, take = 10) {
  return db.surveyResponse.findMany({
    where: { shopId, customerId },
    orderBy: { id: "desc" },
    take,
    select: {
      id: true,
      kind: true,
      score: true,
      band: true,
      comment: true,
      orderShopifyId: true,
      channel: true,
      answeredAt: true,
      pointsAwarded: true,
      recoveryRedemptionId: true,
    },
  });
}

export function discountCodeOfRedemption(db: PrismaClient, shopId: number, redemptionId: bigint) {
  return db.loyaltyRedemption.findFirst({
    where: { id: redemptionId, shopId },
    select: { discountCode: true, status: true },
  });
}
