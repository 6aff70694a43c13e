import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { CSSProperties } from "react";

import type { CohortHeatmap } from "../../crm/dashboard/cohort-heatmap";

// One hue, darker with retention; the share is always printed, so colour is never the only cue.
const SHADES = ["#f4f6f8", "#dbe8f7", "#b4cff0", "#7faee3", "#3f7fcc", "#1d4f91"];
const TEXT_ON = ["#303030", "#303030", "#303030", "#303030", "#ffffff", "#ffffff"];

const cellStyle = (level: number): CSSProperties => ({
  background: SHADES[level],
  color: TEXT_ON[level],
  padding: "6px 4px",
  textAlign: "right",
  fontVariantNumeric: "tabular-nums",
  minWidth: 48,
});
const headStyle: CSSProperties = { padding: "6px 4px", textAlign: "right", fontWeight: 600, whiteSpace: "nowrap" };

export function CohortRetentionHeatmap({ heatmap }: { heatmap: CohortHeatmap }) {
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="050">
          <Text as="h2" variant="headingMd">
            Cohort retention
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            Customers grouped by the month of their first purchase; each cell is the share who bought again that many
            months later.{heatmap.computedAt ? ` Computed ${heatmap.computedAt}.` : ""}
          </Text>
        </BlockStack>
        {heatmap.rows.length === 0 ? (
          <Text as="p" tone="subdued">
            No cohorts yet.
          </Text>
        ) : (
          <div style={{ overflowX: "auto" }}>
            <table style={{ borderCollapse: "separate", borderSpacing: 2, width: "100%", fontSize: 12 }}>
              <caption style={{ position: "absolute", left: -10_000 }}>
                Monthly cohort retention: share of each first-purchase cohort buying again n months later
              </caption>
              <thead>
                <tr>
                  <th scope="col" style={{ ...headStyle, textAlign: "left" }}>
                    Cohort
                  </th>
                  <th scope="col" style={headStyle}>
                    Customers
                  </th>
                  {heatmap.offsets.map((offset) => (
                    <th scope="col" key={offset} style={headStyle}>
                      Month {offset}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {heatmap.rows.map((row) => (
                  <tr key={row.cohort}>
                    <th scope="row" style={{ ...headStyle, textAlign: "left" }}>
                      {row.cohort}
                    </th>
                    <td style={{ ...cellStyle(0), background: "transparent" }}>{row.customers}</td>
                    {row.cells.map((cell, index) =>
                      cell ? (
                        <td key={index} style={cellStyle(cell.level)} title={`${cell.customers} customers`}>
                          {cell.share}
                        </td>
                      ) : (
                        <td key={index} style={{ ...cellStyle(0), background: "transparent" }}>
                          <span aria-label="not reached yet" />
                        </td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <InlineStack gap="300" blockAlign="center">
          <Text as="span" variant="bodySm" tone="subdued">
            Shading:
          </Text>
          {heatmap.legend.map((entry) => (
            <InlineStack key={entry.level} gap="100" blockAlign="center">
              <span
                aria-hidden
                style={{
                  display: "inline-block",
                  width: 14,
                  height: 14,
                  borderRadius: 3,
                  background: SHADES[entry.level],
                }}
              />
              <Text as="span" variant="bodySm">
                {entry.label}
              </Text>
            </InlineStack>
          ))}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
