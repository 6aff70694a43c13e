import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  IndexTable,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  Text,
} from "@shopify/polaris";
import { z } from "zod";

import { CsvDownloadButton } from "../components/settings/csv-download-button";
import { staffMemberOf } from "../crm/audit/staff-member";
import { loadSegmentDetail, segmentDetailAction } from "../crm/segments/segments.server";
import { segmentsAppDeps } from "../crm/segments/segments-app-deps.server";
import { formatShopDateTime } from "../lib/shop-time";
import { authenticate } from "../shopify.server";

const segmentId = (params: Record<string, string | undefined>) => {
  const parsed = z.coerce.number().int().positive().max(2_147_483_647).safeParse(params.id);
  if (!parsed.success) throw new Response("Segment not found", { status: 404 });
  return parsed.data;
};
const query = z.object({
  before: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional()
    .catch(undefined),
});
const intentForm = z.object({ intent: z.enum(["sync-on", "sync-off", "resync", "delete"]) });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { before } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  return loadSegmentDetail(
    segmentsAppDeps(session.shop),
    session.shop,
    segmentId(params),
    before ? BigInt(before) : null,
  );
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const parsed = intentForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false as const, errors: { form: "Unknown request" } };
  const staff = staffMemberOf({
    associatedUser: session.onlineAccessInfo?.associated_user,
    sessionTokenSub: sessionToken?.sub,
  });
  const outcome = await segmentDetailAction(
    segmentsAppDeps(session.shop),
    session.shop,
    staff,
    segmentId(params),
    parsed.data.intent,
  );
  if (outcome.ok && parsed.data.intent === "delete") return redirect("/app/segments");
  return outcome;
};

function IntentButton(props: { intent: string; children: string; variant?: "primary" | "plain"; tone?: "critical" }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === props.intent;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={props.intent} />
      <Button submit variant={props.variant} tone={props.tone} loading={busy}>
        {props.children}
      </Button>
    </Form>
  );
}

export default function SegmentDetailPage() {
  const { segment, history, nextBefore, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigate = useNavigate();
  const isOlderPage = useSearchParams()[0].has("before");
  const at = (iso: string | null) => (iso ? formatShopDateTime(iso, timeZone) : "not yet");
  return (
    <Page
      title={segment.name}
      titleMetadata={segment.syncToShopify ? <Badge tone="success">Synced to Shopify</Badge> : undefined}
      backAction={{ content: "Segments", url: "/app/segments" }}
      primaryAction={{ content: "Edit rule", url: `/app/segments/${segment.id}/edit` }}
      secondaryActions={
        <CsvDownloadButton url={`/app/customers/export?segment=${segment.id}`} filename={`${segment.handle}.csv`} />
      }
    >
      <Layout>
        {actionData ? (
          <Layout.Section>
            {actionData.ok ? (
              <Banner tone="success">{actionData.message}</Banner>
            ) : (
              <Banner tone="critical">{Object.values(actionData.errors).join(" ")}</Banner>
            )}
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <Card>
              <BlockStack gap="100">
                <Text as="h2" variant="headingSm" tone="subdued">
                  Members
                </Text>
                <Text as="p" variant="heading2xl">
                  {segment.memberCount.toLocaleString("en-US")}
                </Text>
                <Text as="p" tone="subdued">
                  Computed {at(segment.lastComputedAt)}
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm" tone="subdued">
                  Shopify sync
                </Text>
                <Text as="p">
                  {segment.syncToShopify
                    ? `Members carry the tag ${segment.handle} and the kinship.segments metafield; Flow hears entries and exits. Last full sync: ${at(segment.lastSyncedAt)}.`
                    : `Off. Turn it on to tag members with ${segment.handle} in Shopify.`}
                </Text>
                <InlineStack gap="200">
                  {segment.syncToShopify ? (
                    <>
                      <IntentButton intent="resync">Re-sync</IntentButton>
                      <IntentButton intent="sync-off">Turn off</IntentButton>
                    </>
                  ) : (
                    <IntentButton intent="sync-on" variant="primary">
                      Sync to Shopify
                    </IntentButton>
                  )}
                </InlineStack>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm" tone="subdued">
                  Rule
                </Text>
                <Text as="p">
                  {segment.conditionCount === 0
                    ? "Every customer (no conditions)."
                    : `${segment.conditionCount} condition${segment.conditionCount === 1 ? "" : "s"} at the top level.`}{" "}
                  Recomputed after every analytics run and when the rule is saved.
                </Text>
                <InlineStack>
                  <IntentButton intent="delete" variant="plain" tone="critical">
                    Delete segment
                  </IntentButton>
                </InlineStack>
              </BlockStack>
            </Card>
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <BlockStack>
              <div style={{ padding: "var(--p-space-400)" }}>
                <Text as="h2" variant="headingMd">
                  Member history
                </Text>
              </div>
              <IndexTable
                resourceName={{ singular: "change", plural: "changes" }}
                itemCount={history.length}
                selectable={false}
                emptyState={
                  <div style={{ padding: "var(--p-space-400)" }}>
                    <Text as="p" tone="subdued">
                      No one has entered or left yet. The first computation runs in the background right after saving.
                    </Text>
                  </div>
                }
                headings={[{ title: "Customer" }, { title: "Change" }, { title: "When" }, { title: "In Shopify" }]}
                pagination={
                  nextBefore !== null || isOlderPage
                    ? {
                        hasNext: nextBefore !== null,
                        nextTooltip: "Older",
                        onNext: () => navigate(`?before=${nextBefore}`),
                        hasPrevious: isOlderPage,
                        previousTooltip: "Newest",
                        onPrevious: () => navigate("?"),
                      }
                    : undefined
                }
              >
                {history.map((row, index) => (
                  <IndexTable.Row id={row.id} key={row.id} position={index}>
                    <IndexTable.Cell>
                      <Link url={`/app/customers/${row.customerShopifyId}`} removeUnderline>
                        {row.customerName ?? row.email ?? `Customer ${row.customerId}`}
                      </Link>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={row.change === "entered" ? "success" : "warning"}>
                        {row.change === "entered" ? "Entered" : "Left"}
                      </Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{formatShopDateTime(row.at, timeZone)}</IndexTable.Cell>
                    <IndexTable.Cell>{segment.syncToShopify ? (row.synced ? "Sent" : "Pending") : "—"}</IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
