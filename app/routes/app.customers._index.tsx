import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Card,
  EmptyState,
  IndexFilters,
  IndexFiltersMode,
  IndexTable,
  InlineStack,
  Layout,
  Link,
  Page,
  Pagination,
  SkeletonBodyText,
  Text,
  useIndexResourceState,
  useSetIndexFiltersMode,
} from "@shopify/polaris";
import { useCallback, useMemo, useState } from "react";

import { EMPTY_STATE_IMAGE } from "../components/analytics/analytics-section";
import { BulkActionModal, type BulkKind } from "../components/customers/bulk-action-modal";
import { customerFilters } from "../components/customers/customer-filters";
import { CsvDownloadButton } from "../components/settings/csv-download-button";
import type { ListParam } from "../crm/customers/customer-list-params";
import { loadCustomersPage, type CustomerRowView } from "../crm/customers/customers-page.server";
import { db } from "../db.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // Still the owner's client, outside the row-level-security wall: the list's read model is built
  // on first use from this request (DDL in customer_lists), which kinship_app cannot do.
  return loadCustomersPage(db(), session.shop, new URL(request.url));
};

const SORT_OPTIONS = [
  { label: "Predicted CLV", value: "predictedClv desc", directionLabel: "Highest first" },
  { label: "Predicted CLV", value: "predictedClv asc", directionLabel: "Lowest first" },
  { label: "Spend", value: "netSpent desc", directionLabel: "Highest first" },
  { label: "Spend", value: "netSpent asc", directionLabel: "Lowest first" },
  { label: "Last order", value: "lastOrderAt desc", directionLabel: "Newest first" },
  { label: "Last order", value: "lastOrderAt asc", directionLabel: "Oldest first" },
] as const;

const RISK_TONES: Record<string, "critical" | "warning" | "success" | undefined> = {
  high: "critical",
  medium: "warning",
  low: "success",
};

const label = (value: string | null) =>
  value ? value.charAt(0).toUpperCase() + value.slice(1).replaceAll("_", " ") : "—";

function currencySymbol(currencyCode: string) {
  const part = new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode })
    .formatToParts(0)
    .find((p) => p.type === "currency");
  return part?.value ?? currencyCode;
}

function CustomerRow({ row, position, selected }: { row: CustomerRowView; position: number; selected: boolean }) {
  return (
    <IndexTable.Row id={row.id} position={position} selected={selected}>
      <IndexTable.Cell>
        <BlockStack gap="050">
          <Link url={`/app/customers/${row.shopifyId}`} monochrome removeUnderline dataPrimaryLink>
            <Text as="span" fontWeight="semibold">
              {row.name}
            </Text>
          </Link>
          <Text as="span" tone="subdued" variant="bodySm">
            {row.email ?? "No e-mail"}
          </Text>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>{row.country ?? "—"}</IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {row.ordersCount}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {row.netSpent}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>{row.lastOrder ?? "Never"}</IndexTable.Cell>
      <IndexTable.Cell>{row.rfmSegment ?? "—"}</IndexTable.Cell>
      <IndexTable.Cell>{label(row.lifecycleStage)}</IndexTable.Cell>
      <IndexTable.Cell>
        <Badge tone={RISK_TONES[row.churnRisk]}>{label(row.churnRisk)}</Badge>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {row.predictedClv ?? "—"}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {row.points === null ? "—" : row.points.toLocaleString("en-US")}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>{row.tier ?? "—"}</IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" truncate>
          {row.tags.length > 0 ? row.tags.join(", ") : "—"}
        </Text>
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}

export default function CustomersPage() {
  const data = useLoaderData<typeof loader>();
  const [params, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/customers";
  // Filters in the URL open the filter bar, so their pills show.
  const { mode, setMode } = useSetIndexFiltersMode(
    [...params.keys()].some((key) => key !== "sort" && key !== "cursor")
      ? IndexFiltersMode.Filtering
      : IndexFiltersMode.Default,
  );
  const [bulk, setBulk] = useState<BulkKind | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const setParams = useCallback(
    (changes: Partial<Record<ListParam | "sort", string | null>>) => {
      setSearchParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(changes)) {
            if (value === null || value === undefined || value === "") next.delete(key);
            else next.set(key, value);
          }
          // A new filter or sort starts from the first page; `filter` (a whole rule) gives way to the fields.
          next.delete("cursor");
          next.delete("filter");
          return next;
        },
        { replace: true, preventScrollReset: true },
      );
    },
    [setSearchParams],
  );

  const options = { currencyCode: data.currencyCode, tiers: data.tiers, clusters: data.clusters };
  const { filters, applied } = customerFilters({
    params,
    setParams,
    options,
    currencySymbol: currencySymbol(data.currencyCode),
    errors: data.errors,
  });
  const ruleFromLink = params.has("filter");

  const resources = useMemo(() => data.rows.map((row) => ({ id: row.id })), [data.rows]);
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } =
    useIndexResourceState(resources);
  const hasMore = data.nextCursor !== null || data.previousCursor !== null;
  const target = allResourcesSelected && hasMore ? { filter: data.filter } : { customerIds: selectedResources };
  const targetLabel =
    "filter" in target
      ? `All ${data.countText} customers matching the filter. Large selections run in the background.`
      : `${selectedResources.length} selected customer${selectedResources.length === 1 ? "" : "s"}.`;

  const exportParams = new URLSearchParams(params);
  exportParams.delete("cursor");
  exportParams.delete("sort");
  const pageLink = (cursor: string) => {
    const next = new URLSearchParams(params);
    next.set("cursor", cursor);
    return `?${next.toString()}`;
  };
  const errorMessages = Object.values(data.errors);

  return (
    <Page
      title="Customers"
      subtitle={`${data.countText} customer${data.count === 1 && !data.countCapped ? "" : "s"}${
        data.countCapped ? " (counted up to 10,000)" : ""
      }`}
      primaryAction={
        <CsvDownloadButton url={`/app/customers/export?${exportParams.toString()}`} filename="kinship-customers.csv" />
      }
      secondaryActions={[
        {
          content: "Create segment from filter",
          url: `/app/segments/new?filter=${encodeURIComponent(JSON.stringify(data.filter))}`,
        },
      ]}
      fullWidth
    >
      <Layout>
        {errorMessages.length > 0 ? (
          <Layout.Section>
            <Banner tone="critical" title="Some filters could not be applied">
              <ul>
                {errorMessages.map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            </Banner>
          </Layout.Section>
        ) : null}
        {notice ? (
          <Layout.Section>
            <Banner tone="success" onDismiss={() => setNotice(null)}>
              {notice}
            </Banner>
          </Layout.Section>
        ) : null}
        {ruleFromLink ? (
          <Layout.Section>
            <Banner tone="info">
              Showing a segment rule. Changing a filter here replaces it with the filters below.
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            <IndexFilters
              tabs={[{ id: "all", content: "All customers" }]}
              selected={0}
              onSelect={() => undefined}
              canCreateNewView={false}
              queryValue={params.get("q") ?? ""}
              queryPlaceholder="Search by name or e-mail"
              onQueryChange={(value) => setParams({ q: value || null })}
              onQueryClear={() => setParams({ q: null })}
              filters={filters}
              appliedFilters={applied}
              onClearAll={() => setSearchParams(new URLSearchParams(), { replace: true })}
              sortOptions={SORT_OPTIONS.map((o) => ({ ...o }))}
              sortSelected={[data.sort.replace(":", " ")]}
              onSort={([value]) => value && setParams({ sort: value.replace(" ", ":") })}
              mode={mode}
              setMode={setMode}
              loading={loading}
              cancelAction={{ onAction: () => undefined }}
            />
            {loading && data.rows.length === 0 ? (
              <div style={{ padding: "16px" }}>
                <SkeletonBodyText lines={10} />
              </div>
            ) : data.rows.length === 0 ? (
              <EmptyState
                heading={
                  applied.length > 0 || params.has("q") ? "No customers match these filters" : "No customers yet"
                }
                image={EMPTY_STATE_IMAGE}
                action={
                  applied.length > 0 || params.has("q")
                    ? { content: "Clear filters", onAction: () => setSearchParams(new URLSearchParams()) }
                    : undefined
                }
              >
                <p>
                  {applied.length > 0 || params.has("q")
                    ? "Try fewer or wider filters."
                    : "Customers appear here once Shopify's history has been imported."}
                </p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "customer", plural: "customers" }}
                itemCount={data.rows.length}
                hasMoreItems={hasMore}
                selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                onSelectionChange={handleSelectionChange}
                loading={loading}
                promotedBulkActions={[
                  { content: "Add tag", onAction: () => setBulk("addTag") },
                  { content: "Adjust points", onAction: () => setBulk("adjustPoints") },
                  { content: "Add to segment", onAction: () => setBulk("addToSegment") },
                ]}
                headings={[
                  { title: "Customer" },
                  { title: "Country" },
                  { title: "Orders", alignment: "end" },
                  { title: "Spend", alignment: "end" },
                  { title: `Last order` },
                  { title: "RFM segment" },
                  { title: "Lifecycle" },
                  { title: "Churn risk" },
                  { title: "Predicted CLV", alignment: "end" },
                  { title: "Points", alignment: "end" },
                  { title: "Tier" },
                  { title: "Tags" },
                ]}
              >
                {data.rows.map((row, index) => (
                  <CustomerRow key={row.id} row={row} position={index} selected={selectedResources.includes(row.id)} />
                ))}
              </IndexTable>
            )}
            <div style={{ padding: "12px 16px", borderTop: "1px solid var(--p-color-border-secondary)" }}>
              <InlineStack align="space-between" blockAlign="center">
                <Text as="span" tone="subdued" variant="bodySm">
                  {`Amounts in ${data.currencyCode}; dates in ${data.timeZone}.${
                    data.countCapped ? " Counts stop at 10,000 to keep the page fast." : ""
                  }`}
                </Text>
                <Pagination
                  hasPrevious={data.previousCursor !== null}
                  previousURL={data.previousCursor ? pageLink(data.previousCursor) : undefined}
                  hasNext={data.nextCursor !== null}
                  nextURL={data.nextCursor ? pageLink(data.nextCursor) : undefined}
                />
              </InlineStack>
            </div>
          </Card>
        </Layout.Section>
      </Layout>
      <BulkActionModal
        kind={bulk}
        target={target}
        targetLabel={targetLabel}
        segments={data.segments}
        onClose={() => setBulk(null)}
        onDone={(message) => {
          setBulk(null);
          clearSelection();
          setNotice(message);
        }}
      />
    </Page>
  );
}
