import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { BlockStack, Card, EmptyState, InlineStack, Page, Pagination, Text } from "@shopify/polaris";
import { z } from "zod";

import { EMPTY_STATE_IMAGE } from "../components/analytics/analytics-section";
import { CsvDownloadButton } from "../components/settings/csv-download-button";
import { StaffAuditTable } from "../components/settings/staff-audit-table";
import { loadStaffAuditLogPage, type AuditCursor } from "../crm/settings/staff-audit-log.server";
import { shopDb } from "../db.server";
import { authenticate } from "../shopify.server";

const idParam = z
  .string()
  .regex(/^\d{1,19}$/)
  .transform(BigInt);

function cursorOf(url: URL): AuditCursor {
  const before = idParam.safeParse(url.searchParams.get("before"));
  if (before.success) return { before: before.data };
  const after = idParam.safeParse(url.searchParams.get("after"));
  return after.success ? { after: after.data } : null;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const page = await loadStaffAuditLogPage(shopDb(session.shop), session.shop, cursorOf(new URL(request.url)));
  if (!page) throw new Response("Not found", { status: 404 });
  return page;
};

export default function StaffAuditLogPage() {
  const page = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const firstPage = page.newerThan === null;
  return (
    <Page
      title="Staff audit log"
      subtitle={`Times in your shop's zone (${page.timeZone}). Entries cannot be edited or deleted.`}
      backAction={{ content: "Settings", url: "/app/settings" }}
      secondaryActions={
        <CsvDownloadButton
          url="/app/settings/audit-log/export"
          filename="kinship-staff-audit-log.csv"
          disabled={page.entries.length === 0}
        />
      }
    >
      {page.entries.length === 0 && firstPage ? (
        <Card>
          <EmptyState heading="No staff actions yet" image={EMPTY_STATE_IMAGE}>
            <p>
              When staff change settings, adjust points, tag or export customers, or work with segments, each action is
              recorded here with who did it and when.
            </p>
          </EmptyState>
        </Card>
      ) : (
        <Card padding="0">
          <BlockStack>
            <StaffAuditTable entries={page.entries} />
            <div style={{ padding: "var(--p-space-300)" }}>
              <InlineStack align="center" blockAlign="center" gap="300">
                <Pagination
                  hasPrevious={page.newerThan !== null}
                  previousTooltip="Newer"
                  onPrevious={() => navigate(`?after=${page.newerThan}`)}
                  hasNext={page.olderThan !== null}
                  nextTooltip="Older"
                  onNext={() => navigate(`?before=${page.olderThan}`)}
                />
                <Text as="span" variant="bodySm" tone="subdued">
                  {page.entries.length} {page.entries.length === 1 ? "entry" : "entries"} on this page
                </Text>
              </InlineStack>
            </div>
          </BlockStack>
        </Card>
      )}
    </Page>
  );
}
