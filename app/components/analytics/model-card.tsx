import { Badge, Banner, BlockStack, Card, DataTable, InlineGrid, InlineStack, Text } from "@shopify/polaris";

import type { ClusterSummary, ModelSummary, ParameterRow } from "../../crm/dashboard/model-summary";

function Parameters({ title, rows, footer }: { title: string; rows: ParameterRow[]; footer: string }) {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm">
        {title}
      </Text>
      <InlineStack gap="400">
        {rows.map((row) => (
          <Text as="p" key={row.name}>
            <Text as="span" tone="subdued">
              {row.name} ={" "}
            </Text>
            <Text as="span" fontWeight="semibold">
              {row.value}
            </Text>
          </Text>
        ))}
      </InlineStack>
      <Text as="p" variant="bodySm" tone="subdued">
        {footer}
      </Text>
    </BlockStack>
  );
}

function ModelFit({ model }: { model: ModelSummary }) {
  if (model.kind === "fallback") {
    return (
      <Banner tone="warning" title="Not enough repeat customers to fit the lifetime value model yet">
        <p>
          {model.reason}. Until then, Kinship shows RFM segments, lifecycle stages from recency, KPIs and cohorts, but
          no P(alive), churn risk or predicted CLV. The model is fitted again every night.
        </p>
      </Banner>
    );
  }
  if (model.kind === "unknown") {
    return (
      <Text as="p" tone="subdued">
        This run recorded no model fit.
      </Text>
    );
  }
  return (
    <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
      <Parameters
        title="BG/NBD (repeat purchases and P(alive))"
        rows={model.bgNbd.parameters}
        footer={`Log-likelihood ${model.bgNbd.logLikelihood}${model.bgNbd.converged === false ? ", did not fully converge" : ""}; time in ${model.period}; ${model.repeatCustomers} repeat customers; ${model.churnBands}.`}
      />
      {model.gammaGamma ? (
        <Parameters
          title="Gamma-Gamma (spend per order)"
          rows={model.gammaGamma.parameters}
          footer={`${model.gammaGamma.logLikelihood ? `Log-likelihood ${model.gammaGamma.logLikelihood}; ` : ""}${model.gammaGamma.customers ?? "–"} repeat customers with spend; amounts in minor units of the shop currency. CLV: ${model.settings}.`}
        />
      ) : (
        <Banner tone="info" title="Spend model not fitted">
          <p>Too few repeat customers with spend: expected order value is each customer's own average.</p>
        </Banner>
      )}
    </InlineGrid>
  );
}

export function ModelCard({
  model,
  clusters,
}: {
  model: ModelSummary;
  clusters: { silhouette: string; clusters: ClusterSummary[] } | null;
}) {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="050">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Model
            </Text>
            <Badge tone={model.kind === "fitted" ? "success" : "warning"}>
              {model.kind === "fitted" ? "Fitted" : "Fallback"}
            </Badge>
          </InlineStack>
          <Text as="p" variant="bodySm" tone="subdued">
            {model.kind === "fitted"
              ? `Fitted ${model.fittedAt} by maximum likelihood (Fader, Hardie and Lee 2005; Fader and Hardie 2013).`
              : `Checked ${model.fittedAt}.`}
          </Text>
        </BlockStack>
        <ModelFit model={model} />
        {clusters ? (
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              Customer clusters (k-means, silhouette {clusters.silhouette})
            </Text>
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
              headings={["Cluster", "Customers", "Share", "Days since last order", "Orders", "Spent", "Predicted CLV"]}
              rows={clusters.clusters.map((cluster) => [
                cluster.name,
                cluster.customers,
                cluster.share,
                cluster.recencyDays,
                cluster.orders,
                cluster.spent,
                cluster.clv,
              ])}
            />
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
