// Shopify admin, customer details page: Kinship's view of this customer (lifecycle stage, RFM
// segment, churn risk, predicted CLV, points and tier) and a link into Customer 360.
import {
  AdminBlock,
  Badge,
  Banner,
  BlockStack,
  InlineStack,
  Link,
  ProgressIndicator,
  Text,
  reactExtension,
  useApi,
} from "@shopify/ui-extensions-react/admin";
import { useEffect, useState, type ReactNode } from "react";

import {
  churnRiskTone,
  customerIdOf,
  minorToMajor,
  type CustomerInsights,
  type LoyaltySummary,
} from "./customer-insights-data";

const TARGET = "admin.customer-details.block.render";

export default reactExtension(TARGET, () => <CustomerInsightsBlock />);

type State = { kind: "loading" } | { kind: "error"; message: string } | { kind: "ready"; insights: CustomerInsights };

function CustomerInsightsBlock() {
  const { data, i18n } = useApi(TARGET);
  const customerId = customerIdOf(data.selected[0]?.id);
  const [state, setState] = useState<State>({ kind: "loading" });

  useEffect(() => {
    if (!customerId) {
      setState({ kind: "error", message: "This page does not name a customer." });
      return;
    }
    let cancelled = false;
    // A relative URL resolves against the app's URL, and Shopify adds the staff member's ID token
    // as a bearer header: the app answers for the shop the token names, and for nobody else.
    fetch(`/api/admin-extensions/customer/${customerId}`, { headers: { Accept: "application/json" } })
      .then(async (response) => {
        if (response.status === 404) throw new Error("Kinship has not imported this customer yet.");
        if (!response.ok) throw new Error("Kinship could not load this customer. Try again later.");
        return (await response.json()) as CustomerInsights;
      })
      .then((insights) => {
        if (!cancelled) setState({ kind: "ready", insights });
      })
      .catch((error: unknown) => {
        if (!cancelled) setState({ kind: "error", message: error instanceof Error ? error.message : String(error) });
      });
    return () => {
      cancelled = true;
    };
  }, [customerId]);

  if (state.kind === "loading") {
    return (
      <AdminBlock title="Kinship insights">
        <InlineStack gap="base" blockAlignment="center">
          <ProgressIndicator size="small-200" accessibilityLabel="Loading Kinship insights" />
          <Text>Loading scores and points…</Text>
        </InlineStack>
      </AdminBlock>
    );
  }
  if (state.kind === "error") {
    return (
      <AdminBlock title="Kinship insights">
        <Banner tone="warning">{state.message}</Banner>
      </AdminBlock>
    );
  }

  const { insights } = state;
  const { scores } = insights;
  const money = (minor: string, currencyCode: string) =>
    i18n.formatCurrency(minorToMajor(minor, currencyCode), { currency: currencyCode });
  return (
    <AdminBlock title="Kinship insights" collapsedSummary={collapsedSummary(insights)}>
      <BlockStack gap="base">
        {insights.redacted ? <Text>This customer's personal data was erased on request; figures remain.</Text> : null}
        {scores ? (
          <BlockStack gap="small">
            <Row label="Lifecycle stage">
              <Text>{scores.lifecycleStage ?? "No purchase yet"}</Text>
            </Row>
            <Row label="RFM segment">
              <Badge>{scores.rfmSegment}</Badge>
            </Row>
            <Row label="Churn risk">
              <Badge tone={churnRiskTone(scores.churnRisk.band)}>{scores.churnRisk.label}</Badge>
              {scores.pAlive ? <Text>{`${scores.pAlive} likely still active`}</Text> : null}
            </Row>
            <Row label="Predicted CLV">
              <Text>
                {scores.predictedClv
                  ? money(scores.predictedClv.minor, scores.predictedClv.currencyCode)
                  : "Not enough repeat customers to predict"}
              </Text>
            </Row>
            <Text>{`Computed ${scores.computedAt}`}</Text>
          </BlockStack>
        ) : (
          <Text>Not computed yet: scores appear after Kinship's next analytics run.</Text>
        )}
        <LoyaltyRows loyalty={insights.loyalty} formatNumber={(n) => i18n.formatNumber(n)} />
        {insights.recommendations?.length ? (
          <BlockStack gap="small">
            <Text fontWeight="bold">Picked for this customer</Text>
            {insights.recommendations.map((product) => (
              <Text key={product.productId}>{`${product.title} · ${product.reason}`}</Text>
            ))}
          </BlockStack>
        ) : null}
        <Link href={insights.customer360Path}>Open in Kinship Customer 360</Link>
      </BlockStack>
    </AdminBlock>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <InlineStack gap="small" blockAlignment="center">
      <Text fontWeight="bold">{label}</Text>
      {children}
    </InlineStack>
  );
}

function LoyaltyRows({ loyalty, formatNumber }: { loyalty: LoyaltySummary; formatNumber: (n: number) => string }) {
  if (loyalty.status === "no_program") return <Text>The loyalty program is not set up.</Text>;
  if (loyalty.status === "not_member") return <Text>Not a loyalty member.</Text>;
  return (
    <InlineStack gap="small" blockAlignment="center">
      <Text fontWeight="bold">Loyalty</Text>
      <Text>{`${formatNumber(loyalty.points)} points`}</Text>
      <Badge tone="info">{loyalty.tier ? `${loyalty.tier} tier` : "No tier yet"}</Badge>
    </InlineStack>
  );
}

function collapsedSummary(insights: CustomerInsights): string {
  const parts = [
    insights.scores?.rfmSegment,
    insights.loyalty.status === "member" ? `${insights.loyalty.points} pts` : null,
  ];
  return parts.filter(Boolean).join(" · ") || "Not computed yet";
}
