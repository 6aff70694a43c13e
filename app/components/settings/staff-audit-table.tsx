// Staff audit entries as a read-only table: when (shop zone), who, what, which customer, details.
// There is no edit or delete anywhere: the log is append-only.
import { IndexTable, Link, Text } from "@shopify/polaris";

import type { StaffAuditLogPage } from "../../crm/settings/staff-audit-log.server";

export function StaffAuditTable({ entries }: { entries: StaffAuditLogPage["entries"] }) {
  return (
    <IndexTable
      resourceName={{ singular: "audit entry", plural: "audit entries" }}
      itemCount={entries.length}
      selectable={false}
      headings={[{ title: "When" }, { title: "Who" }, { title: "Action" }, { title: "Customer" }, { title: "Details" }]}
    >
      {entries.map((entry, index) => (
        <IndexTable.Row id={entry.id} key={entry.id} position={index}>
          <IndexTable.Cell>
            <Text as="span" variant="bodySm">
              {entry.at}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>{entry.staff}</IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" fontWeight="semibold">
              {entry.action}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            {entry.customer ? (
              <Link url={`/app/customers/${entry.customer.shopifyId}`}>{entry.customer.name}</Link>
            ) : (
              "–"
            )}
          </IndexTable.Cell>
          <IndexTable.Cell>
            <div style={{ whiteSpace: "normal", minWidth: "16rem" }}>
              <Text as="span" variant="bodySm" tone="subdued" breakWord>
                {entry.details || "–"}
              </Text>
            </div>
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}
