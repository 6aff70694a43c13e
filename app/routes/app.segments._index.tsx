import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Layout, Link, Page, Text } from "@shopify/polaris";
import { z } from "zod";

import { EMPTY_STATE_IMAGE } from "../components/analytics/analytics-section";
import { loadSegmentsIndex } from "../crm/segments/segments.server";
import { segmentsAppDeps } from "../crm/segments/segments-app-deps.server";
import { formatShopDateTime } from "../lib/shop-time";
import { authenticate } from "../shopify.server";

const query = z.object({ before: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined) });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { before } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  return loadSegmentsIndex(segmentsAppDeps(session.shop), session.shop, before ?? null);
};

export default function SegmentsIndexPage() {
  const data = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const rows = data.segments.map((segment, index) => (
    <IndexTable.Row id={String(segment.id)} key={segment.id} position={index}>
      <IndexTable.Cell>
        <Link url={`/app/segments/${segment.id}`} removeUnderline>
          <Text as="span" fontWeight="semibold">
            {segment.name}
          </Text>
        </Link>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {segment.memberCount.toLocaleString("en-US")}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        {segment.lastComputedAt ? formatShopDateTime(segment.lastComputedAt, data.timeZone) : "Computing…"}
      </IndexTable.Cell>
      <IndexTable.Cell>
        {segment.syncToShopify ? (
          <Badge tone={segment.lastSyncedAt ? "success" : "attention"}>
            {segment.lastSyncedAt ? `Synced as ${segment.handle}` : "Syncing…"}
          </Badge>
        ) : (
          <Badge>Not synced</Badge>
        )}
      </IndexTable.Cell>
    </IndexTable.Row>
  ));
  return (
    <Page title="Segments" primaryAction={{ content: "Create segment", url: "/app/segments/new" }}>
      <Layout>
        <Layout.Section>
          <Card padding="0">
            {data.segments.length === 0 ? (
              <EmptyState
                heading="Group customers by what they do"
                action={{ content: "Create segment", url: "/app/segments/new" }}
                image={EMPTY_STATE_IMAGE}
              >
                <p>
                  A segment is a rule over RFM segment, churn risk, lifecycle, loyalty, spend and more. It is recomputed
                  after every analytics run and can be synced to Shopify as a tag, a metafield and Flow triggers.
                </p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "segment", plural: "segments" }}
                itemCount={data.segments.length}
                selectable={false}
                headings={[
                  { title: "Name" },
                  { title: "Members", alignment: "end" },
                  { title: "Last computed" },
                  { title: "Shopify sync" },
                ]}
                pagination={
                  data.nextBefore !== null || params.has("before")
                    ? {
                        hasNext: data.nextBefore !== null,
                        onNext: () => navigate(`/app/segments?before=${data.nextBefore}`),
                        nextTooltip: "Older",
                        hasPrevious: params.has("before"),
                        onPrevious: () => navigate("/app/segments"),
                        previousTooltip: "Newest",
                      }
                    : undefined
                }
              >
                {rows}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
