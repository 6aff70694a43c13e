// Feedback (/app/feedback): NPS with its interval, CSAT, distributions, the monthly trend (shop
// time zone), scores by RFM segment, lifecycle stage and tier, comments with search, settings.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Card, Layout, Page, Tabs, Text } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";

import { CommentsCard } from "../components/feedback/comments-card";
import { GroupScoresTable } from "../components/feedback/group-scores-table";
import { ScoreSummary } from "../components/feedback/score-summary";
import { SurveyChannelsCard } from "../components/feedback/survey-channels-card";
import { SurveySettingsCard } from "../components/feedback/survey-settings-card";
import { ActionBanner } from "../components/loyalty/action-banner";
import { errorsFor } from "../components/loyalty/form-fields";
import { staffMemberOf } from "../crm/audit/staff-member";
import { loadFeedbackPage, saveFeedbackSettingsForm } from "../crm/feedback/feedback-admin.server";
import { enabledSurveys } from "../crm/feedback/feedback-settings";
import { shopDb } from "../db.server";
import { authenticate } from "../shopify.server";

const query = z.object({
  q: z.string().trim().max(100).catch(""),
  before: z
    .string()
    .regex(/^\d{1,19}$/)
    .nullable()
    .catch(null),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const { q, before } = query.parse({ q: params.get("q") ?? "", before: params.get("before") });
  const page = await loadFeedbackPage(shopDb(session.shop), session.shop, { search: q, before });
  if (!page) throw new Response("Shop not found", { status: 404 });
  return page;
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const values = Object.fromEntries(await request.formData());
  const staff = staffMemberOf({
    associatedUser: session.onlineAccessInfo?.associated_user,
    sessionTokenSub: sessionToken?.sub,
  });
  const outcome = await saveFeedbackSettingsForm(shopDb(session.shop), { shopDomain: session.shop, staff, values });
  return { ...outcome, formKey: "settings" };
};

const BREAKDOWNS = [
  { id: "rfm", content: "By RFM segment", heading: "RFM segment" },
  { id: "lifecycle", content: "By lifecycle stage", heading: "Lifecycle stage" },
  { id: "tier", content: "By loyalty tier", heading: "Tier" },
] as const;

export default function FeedbackPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const [tab, setTab] = useState(0);
  const breakdown = BREAKDOWNS[tab] ?? BREAKDOWNS[0];
  return (
    <Page title="Feedback" subtitle={`${data.summary.responses} survey answers · months in ${data.timeZone}`}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ActionBanner actionData={actionData} />
            <ScoreSummary summary={data.summary} />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Trend by month
                </Text>
                <GroupScoresTable heading="Month" rows={data.trend} />
              </BlockStack>
            </Card>
            <Card>
              <Tabs tabs={BREAKDOWNS.map(({ id, content }) => ({ id, content }))} selected={tab} onSelect={setTab}>
                <GroupScoresTable heading={breakdown.heading} rows={data.breakdowns[breakdown.id]} />
              </Tabs>
            </Card>
            <CommentsCard
              comments={data.comments}
              nextCursor={data.nextCursor}
              search={data.search}
              timeZone={data.timeZone}
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="400">
            <SurveySettingsCard
              settings={data.settings}
              rewards={data.rewards}
              errors={errorsFor(actionData, "settings")}
              saving={saving}
            />
            <SurveyChannelsCard
              surveysOn={enabledSurveys(data.settings).length > 0}
              linkValidDays={data.settings.linkValidDays}
            />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
