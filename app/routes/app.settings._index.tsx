import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, EmptyState, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";

import { EMPTY_STATE_IMAGE } from "../components/analytics/analytics-section";
import { DataHealthCard } from "../components/data-health-card";
import { HistoryImportCard } from "../components/history-import-card";
import { PrivacyRequestsCard } from "../components/privacy-requests-card";
import {
  AnalyticsSettingsCard,
  type AnalyticsSettingsActionData,
} from "../components/settings/analytics-settings-card";
import { CsvDownloadButton } from "../components/settings/csv-download-button";
import { StaffAuditTable } from "../components/settings/staff-audit-table";
import { staffMemberOf } from "../crm/audit/staff-member";
import { saveAnalyticsSettings } from "../crm/settings/analytics-settings.server";
import { loadSettingsPage, requestHistoryReimportByStaff } from "../crm/settings/settings-page.server";
import { shopDb } from "../db.server";
import { jobs } from "../jobs/jobs.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { page: await loadSettingsPage({ db: shopDb(session.shop), jobs: jobs() }, session.shop) };
};

const intentForm = z.object({ intent: z.enum(["analytics-settings", "reimport"]) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const values = Object.fromEntries(await request.formData());
  const parsed = intentForm.safeParse(values);
  if (!parsed.success) return new Response("Unknown request", { status: 400 });
  const staff = staffMemberOf({
    associatedUser: session.onlineAccessInfo?.associated_user,
    sessionTokenSub: sessionToken?.sub,
  });
  if (parsed.data.intent === "reimport") {
    await requestHistoryReimportByStaff({ db: shopDb(session.shop), jobs: jobs() }, session.shop, staff);
    return { formKey: "reimport" as const, ok: true as const, message: "History re-import queued." };
  }
  const outcome = await saveAnalyticsSettings(shopDb(session.shop), session.shop, staff, values);
  return { formKey: "analytics" as const, ...outcome };
};

export default function SettingsPage() {
  const { page } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  if (!page) {
    return (
      <Page title="Settings">
        <Card>
          <EmptyState heading="Setting up Kinship" image={EMPTY_STATE_IMAGE}>
            <p>We are recording your shop. Reload this page in a moment.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "analytics-settings";
  const analyticsAction = actionData?.formKey === "analytics" ? (actionData as AnalyticsSettingsActionData) : undefined;
  return (
    <Page title="Settings" subtitle={page.shopName}>
      <Layout>
        <Layout.AnnotatedSection
          id="analytics"
          title="Analytics"
          description="How predicted lifetime value is discounted and how far it looks ahead, and where churn risk turns medium and high. New values apply from the next analytics run (nightly at 03:00 shop time, or now)."
        >
          <AnalyticsSettingsCard
            values={page.analytics}
            recalculation={page.recalculation}
            actionData={analyticsAction}
            saving={saving}
          />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="data"
          title="Data"
          description="Your store's history from Shopify, the health of live updates, and customers' privacy requests."
        >
          <BlockStack gap="400">
            <HistoryImportCard state={page.historyImport} action="/app/settings?index" />
            {actionData?.formKey === "reimport" ? (
              <Text as="p" tone="success">
                {actionData.message}
              </Text>
            ) : null}
            <DataHealthCard health={page.dataHealth} />
            <PrivacyRequestsCard requests={page.privacyRequests} />
          </BlockStack>
        </Layout.AnnotatedSection>
        <Layout.Section>
          <Card padding="0">
            <BlockStack gap="0">
              <div style={{ padding: "var(--p-space-400)" }}>
                <InlineStack align="space-between" blockAlign="center" gap="300">
                  <BlockStack gap="050">
                    <Text as="h2" variant="headingMd">
                      Staff audit log
                    </Text>
                    <Text as="p" tone="subdued">
                      Every change staff make in Kinship, newest first. Entries cannot be edited or deleted.
                    </Text>
                  </BlockStack>
                  <InlineStack gap="200">
                    <CsvDownloadButton
                      url="/app/settings/audit-log/export"
                      filename="kinship-staff-audit-log.csv"
                      disabled={page.recentAudit.length === 0}
                    />
                    <Button url="/app/settings/audit-log" variant="primary">
                      View full log
                    </Button>
                  </InlineStack>
                </InlineStack>
              </div>
              {page.recentAudit.length === 0 ? (
                <div style={{ padding: "0 var(--p-space-400) var(--p-space-400)" }}>
                  <Text as="p" tone="subdued">
                    No staff action recorded yet. Changes to settings, points, segments and exports appear here.
                  </Text>
                </div>
              ) : (
                <StaffAuditTable entries={page.recentAudit} />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
