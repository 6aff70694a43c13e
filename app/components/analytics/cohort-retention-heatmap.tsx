import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";

import type { CohortHeatmap } from "../../crm/dashboard/cohort-heatmap";
import { DARK_TEXT, HEAT_SHADES, heatColours } from "./cohort-heat-colours";

// One hue, darker with retention; the share is always printed, so colour is never the only cue,
// and the text on each shade is chosen for contrast (cohort-heat-colours.ts). The table has a
// couple of hundred cells: their look is one small style sheet of classes, not an inline style
// repeated on every cell, which keeps the server-rendered page light.
const TABLE_CLASS = "kinship-cohort-table";
const levelClass = (level: number) => `kinship-cohort-level-${level}`;
const COHORT_TABLE_CSS = [
  `.${TABLE_CLASS}{border-collapse:separate;border-spacing:2px;width:100%;font-size:12px;color:${DARK_TEXT}}`,
  `.${TABLE_CLASS} th,.${TABLE_CLASS} td{padding:6px 4px;text-align:right;font-variant-numeric:tabular-nums}`,
  `.${TABLE_CLASS} th{font-weight:600;white-space:nowrap}`,
  `.${TABLE_CLASS} td{min-width:48px}`,
  `.${TABLE_CLASS} .kinship-cohort-name{text-align:left}`,
  ...HEAT_SHADES.map((_, level) => {
    const { background, color } = heatColours(level);
    return `.${TABLE_CLASS} .${levelClass(level)}{background:${background};color:${color}}`;
  }),
].join("");

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
          // Scrolls sideways on narrow screens, so it takes keyboard focus to be scrolled with the arrows.
          <div style={{ overflowX: "auto" }} role="region" aria-label="Cohort retention table" tabIndex={0}>
            <style>{COHORT_TABLE_CSS}</style>
            <table className={TABLE_CLASS}>
              <caption>
                <Text as="span" visuallyHidden>
                  Monthly cohort retention: share of each first-purchase cohort buying again n months later
                </Text>
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="kinship-cohort-name">
                    Cohort
                  </th>
                  <th scope="col">Customers</th>
                  {heatmap.offsets.map((offset) => (
                    <th scope="col" key={offset}>
                      Month {offset}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {heatmap.rows.map((row) => (
                  <tr key={row.cohort}>
                    <th scope="row" className="kinship-cohort-name">
                      {row.cohort}
                    </th>
                    <td>{row.customers}</td>
                    {row.cells.map((cell, index) =>
                      cell ? (
                        <td key={index} className={levelClass(cell.level)} title={`${cell.customers} customers`}>
                          {cell.share}
                        </td>
                      ) : (
                        <td key={index}>
                          <Text as="span" visuallyHidden>
                            not reached yet
                          </Text>
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
                  background: HEAT_SHADES[entry.level],
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
