import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";

import { loadProgramOverview } from "../crm/loyalty/loyalty-admin.server";
import { loyaltyAppDeps } from "../crm/loyalty/loyalty-app-deps.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadProgramOverview(loyaltyAppDeps(session.shop), session.shop);
};

function Kpi({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <div role="group" aria-label={label}>
      <Card>
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm" tone="subdued">
            {label}
          </Text>
          <Text as="p" variant="headingXl">
            {value}
          </Text>
          {help ? (
            <Text as="p" variant="bodySm" tone="subdued">
              {help}
            </Text>
          ) : null}
        </BlockStack>
      </Card>
    </div>
  );
}

export default function LoyaltyProgramPage() {
  const data = useLoaderData<typeof loader>();
  if (!data.program) {
    return (
      <Page title="Loyalty">
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Reward your customers with points
            </Text>
            <Text as="p">Points on paid orders, tiers, and rewards issued as Shopify discount codes.</Text>
            <InlineStack>
              <Button variant="primary" url="/app/loyalty/settings">
                Set up the program
              </Button>
            </InlineStack>
          </BlockStack>
        </Card>
      </Page>
    );
  }
  const { program, kpis, topMembers } = data;
  return (
    <Page
      title="Loyalty"
      titleMetadata={program.enabled ? <Badge tone="success">Live</Badge> : <Badge>Paused</Badge>}
      secondaryActions={[
        { content: "Settings", url: "/app/loyalty/settings" },
        { content: "Tiers", url: "/app/loyalty/tiers" },
        { content: "Rewards", url: "/app/loyalty/rewards" },
      ]}
    >
      <Layout>
        <Layout.Section>
          <Text as="p" tone="subdued">
            Launched {program.launchedAt} · {program.tiers} tiers · {program.rewards} rewards in the catalogue
          </Text>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
            <Kpi label="Members" value={kpis.members} />
            <Kpi label="Points issued" value={kpis.pointsIssued} help="Net of points reversed by refunds" />
            <Kpi label="Points redeemed" value={kpis.pointsRedeemed} />
            <Kpi
              label="Outstanding liability"
              value={kpis.liability}
              help={`${kpis.pointsOutstanding} points unspent. ${kpis.liabilityBasis}`}
            />
            <Kpi label="Redemption rate" value={kpis.redemptionRate} help="Points redeemed ÷ points issued" />
            <Kpi
              label="Revenue from members"
              value={kpis.memberRevenue}
              help={`${kpis.memberOrders} ${kpis.memberOrders === "1" ? "order" : "orders"} since launch, net of refunds`}
            />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Members with the most points
              </Text>
              {topMembers.length === 0 ? (
                <Text as="p" tone="subdued">
                  No members yet: customers join with their first paid order or sign-up.
                </Text>
              ) : (
                topMembers.map((member) => (
                  <InlineStack key={member.customerShopifyId} align="space-between" blockAlign="center">
                    <RemixLink to={`/app/loyalty/members/${member.customerShopifyId}`}>{member.name}</RemixLink>
                    <InlineStack gap="200">
                      {member.tier ? <Badge tone="info">{member.tier}</Badge> : null}
                      <Text as="span">{member.balance} points</Text>
                    </InlineStack>
                  </InlineStack>
                ))
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineStack gap="200">
            <Button url="/app/loyalty/settings">Program settings</Button>
            <Button url="/app/loyalty/tiers">Tiers</Button>
            <Button url="/app/loyalty/rewards">Rewards catalogue</Button>
          </InlineStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
