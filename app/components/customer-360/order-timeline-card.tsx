// Customer 360: the customer's orders, newest first, with their lines and refunds (20 per page).
import {
  Badge,
  BlockStack,
  Box,
  Card,
  Divider,
  InlineStack,
  Pagination,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import { Fragment } from "react";

import type { OrderView } from "../../crm/customer-360/customer-360-view";

function OrderEntry({ order }: { order: OrderView }) {
  return (
    <BlockStack gap="200">
      <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
        <BlockStack gap="100">
          {/* align is set: a nested stack would inherit the outer one's space-between. */}
          <InlineStack gap="200" align="start" blockAlign="center">
            <Text as="h3" variant="headingSm" textDecorationLine={order.cancelled ? "line-through" : undefined}>
              {order.name}
            </Text>
            {order.cancelled ? <Badge tone="critical">Cancelled</Badge> : null}
            {order.financialStatus ? <Badge>{order.financialStatus}</Badge> : null}
            {order.channel ? <Badge tone="info">{order.channel}</Badge> : null}
          </InlineStack>
          <Text as="p" variant="bodySm" tone="subdued">
            {order.cancelledAt ? `${order.processedAt} · cancelled ${order.cancelledAt}` : order.processedAt}
          </Text>
        </BlockStack>
        <BlockStack gap="050" inlineAlign="end">
          <Text as="p" fontWeight="semibold">
            {order.total}
          </Text>
          {order.refunded ? (
            <Text as="p" variant="bodySm" tone="critical">{`Refunded ${order.refunded} · net ${order.net}`}</Text>
          ) : null}
        </BlockStack>
      </InlineStack>
      <Box paddingInlineStart="400">
        <BlockStack gap="100">
          {order.lineItems.map((line) => (
            <InlineStack key={line.id} align="space-between" gap="200" wrap={false}>
              <Text as="p" variant="bodySm">
                {`${line.quantity} × ${line.title}${line.variantTitle ? ` (${line.variantTitle})` : ""}`}
                {line.refundedQuantity > 0 ? ` · ${line.refundedQuantity} returned` : ""}
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                {line.total}
              </Text>
            </InlineStack>
          ))}
          {order.refunds.map((refund) => (
            <Text as="p" variant="bodySm" tone="critical" key={refund.id}>
              {`Refund of ${refund.amount} on ${refund.at}`}
              {refund.items > 0 ? ` (${refund.items} ${refund.items === 1 ? "item" : "items"})` : ""}
            </Text>
          ))}
        </BlockStack>
      </Box>
    </BlockStack>
  );
}

export function OrderTimelineCard({
  orders,
  loading,
}: {
  orders: { rows: OrderView[]; olderCursor: string | null; newerCursor: string | null };
  loading: boolean;
}) {
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Orders
        </Text>
        {loading ? (
          <SkeletonBodyText lines={12} />
        ) : orders.rows.length === 0 ? (
          <Text as="p" tone="subdued">
            No orders yet.
          </Text>
        ) : (
          <BlockStack gap="300">
            {orders.rows.map((order, index) => (
              <Fragment key={order.id}>
                {index > 0 ? <Divider /> : null}
                <OrderEntry order={order} />
              </Fragment>
            ))}
          </BlockStack>
        )}
        {orders.olderCursor || orders.newerCursor ? (
          <InlineStack align="center">
            <Pagination
              hasPrevious={orders.newerCursor !== null}
              previousURL={orders.newerCursor ? `?newer=${orders.newerCursor}` : undefined}
              hasNext={orders.olderCursor !== null}
              nextURL={orders.olderCursor ? `?older=${orders.olderCursor}` : undefined}
              label="Newer and older orders"
            />
          </InlineStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
