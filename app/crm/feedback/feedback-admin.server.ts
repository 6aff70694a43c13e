// The admin's feedback page: scores, trend, breakdowns, comments, the shop's survey settings and
// its form, and the survey links of a customer's recent orders (Customer 360).
import type { PrismaClient } from "../../db.server";
import { recordStaffAction } from "../audit/staff-audit.repository.server";
import type { StaffMember } from "../audit/staff-member";
import { findProgram } from "../loyalty/loyalty.repository.server";
import { findShopByDomain } from "../shop/shop.repository.server";
import { commentsPage, countsBy, monthlyCounts, scoreCounts } from "./feedback-report.repository.server";
import { feedbackSummary, groupScores, lastMonths, monthlyTrend } from "./feedback-report";
import { enabledSurveys, parseFeedbackSettingsForm } from "./feedback-settings";
import type { FeedbackDeps } from "./feedback-deps";
import { surveyLink } from "./survey-links";
import {
  customerSurveyResponses,
  findFeedbackSettings,
  saveFeedbackSettings,
} from "./survey-responses.repository.server";

export const COMMENTS_PER_PAGE = 20;
const TREND_MONTHS = 12;

export async function loadFeedbackPage(
  db: PrismaClient,
  shopDomain: string,
  query: { search: string; before: string | null },
  now = new Date(),
) {
  const shop = await findShopByDomain(db, shopDomain);
  if (!shop) return null;
  const months = lastMonths(now, shop.ianaTimezone, TREND_MONTHS);
  const since = new Date(now.getTime() - (TREND_MONTHS + 1) * 31 * 86_400_000);
  const beforeId = query.before && /^\d+$/.test(query.before) ? BigInt(query.before) : null;
  const [counts, monthly, rfm, lifecycle, tier, comments, settings, program] = await Promise.all([
    scoreCounts(db, shop.id),
    monthlyCounts(db, shop.id, shop.ianaTimezone, since),
    countsBy(db, shop.id, "rfm"),
    countsBy(db, shop.id, "lifecycle"),
    countsBy(db, shop.id, "tier"),
    commentsPage(db, shop.id, { search: query.search, beforeId, limit: COMMENTS_PER_PAGE }),
    findFeedbackSettings(db, shop.id),
    findProgram(db, shop.id),
  ]);
  const page = comments.slice(0, COMMENTS_PER_PAGE);
  return {
    timeZone: shop.ianaTimezone,
    summary: feedbackSummary(counts),
    trend: monthlyTrend(
      months,
      monthly.filter((row) => months.includes(row.group)),
    ),
    breakdowns: { rfm: groupScores(rfm), lifecycle: groupScores(lifecycle), tier: groupScores(tier) },
    comments: page.map((row) => ({
      id: row.id.toString(),
      kind: row.kind,
      score: row.score,
      band: row.band,
      comment: row.comment,
      answeredAt: row.answeredAt.toISOString(),
      customerShopifyId: row.customerShopifyId?.toString() ?? null,
      customerName: row.customerName,
    })),
    nextCursor: comments.length > COMMENTS_PER_PAGE ? (page.at(-1)?.id.toString() ?? null) : null,
    search: query.search,
    settings,
    rewards: (program?.enabled ? program.rewards : []).map((reward) => ({ id: reward.id, title: reward.title })),
  };
}

export async function saveFeedbackSettingsForm(
  db: PrismaClient,
  input: { shopDomain: string; staff: StaffMember; values: Record<string, FormDataEntryValue | undefined> },
) {
  const shop = await findShopByDomain(db, input.shopDomain);
  if (!shop) return { ok: false as const, errors: { form: "Unknown shop" } };
  const program = await findProgram(db, shop.id);
  const parsed = parseFeedbackSettingsForm(
    input.values,
    (program?.rewards ?? []).map((reward) => reward.id),
  );
  if (!parsed.ok) return { ok: false as const, errors: parsed.errors };
  await saveFeedbackSettings(db, shop.id, parsed.value);
  await recordStaffAction(db, {
    shopId: shop.id,
    staff: input.staff,
    action: "settings.updated",
    details: { area: "feedback", surveys: parsed.value.surveys, pointsForAnswer: parsed.value.pointsForAnswer },
  });
  return { ok: true as const, message: "Survey settings saved" };
}

/** Customer 360: the customer's answers and a signed link per open survey for their recent orders. */
export async function customerFeedback(deps: FeedbackDeps, shopDomain: string, customerShopifyId: bigint) {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) return null;
  const customer = await deps.db.customer.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: customerShopifyId } },
    select: { id: true },
  });
  if (!customer) return null;
  const settings = await findFeedbackSettings(deps.db, shop.id);
  const answers = await customerSurveyResponses(deps.db, shop.id, customer.id);
  const recentOrders = await deps.db.order.findMany({
    where: { shopId: shop.id, customerId: customer.id, cancelledAt: null },
    orderBy: { processedAt: "desc" },
    take: 3,
    select: { shopifyId: true, name: true },
  });
  const now = deps.now?.() ?? new Date();
  const answered = new Set(answers.map((a) => `${a.orderShopifyId}:${a.kind}`));
  return {
    answers: answers.map((a) => ({
      id: a.id.toString(),
      kind: a.kind,
      score: a.score,
      band: a.band,
      comment: a.comment,
      orderShopifyId: a.orderShopifyId.toString(),
      answeredAt: a.answeredAt.toISOString(),
      pointsAwarded: a.pointsAwarded,
      recoveryReward: a.recoveryRedemptionId !== null,
    })),
    links: recentOrders.flatMap((order) =>
      enabledSurveys(settings)
        .filter((kind) => !answered.has(`${order.shopifyId}:${kind}`))
        .map((kind) => ({
          orderName: order.name,
          kind,
          url: surveyLink(deps.surveyTokenKey, {
            shopDomain: shop.domain,
            shopId: shop.id,
            orderShopifyId: order.shopifyId,
            kind,
            validDays: settings.linkValidDays,
            now,
          }),
        })),
    ),
  };
}
