// NPS and CSAT per group (month, RFM segment, lifecycle stage, tier).
import { DataTable } from "@shopify/polaris";

import type { GroupScore } from "../../crm/feedback/feedback-report";
import { formatAverage, formatNps } from "./feedback-format";

export function GroupScoresTable({ heading, rows }: { heading: string; rows: GroupScore[] }) {
  return (
    <DataTable
      columnContentTypes={["text", "numeric", "text", "numeric", "numeric", "numeric"]}
      headings={[heading, "NPS", "95% interval", "NPS answers", "CSAT", "CSAT answers"]}
      rows={rows.map((row) => [
        row.group,
        formatNps(row.nps.nps),
        row.nps.low === null || row.nps.high === null ? "–" : `${formatNps(row.nps.low)} to ${formatNps(row.nps.high)}`,
        row.nps.responses,
        formatAverage(row.csatAverage),
        row.csatResponses,
      ])}
    />
  );
}
