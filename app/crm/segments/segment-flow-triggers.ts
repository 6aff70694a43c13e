// The Shopify Flow triggers "Customer entered Kinship segment" and "Customer left Kinship
// segment" (extensions/segment-*-flow-trigger/shopify.extension.toml): their handles and the
// payload flowTriggerReceive sends, whose keys are the toml's fields: the customer reference as
// `customer_id` (the numeric Shopify id), the custom fields by their `key`.

export const SEGMENT_FLOW_TRIGGER_HANDLES = {
  entered: "kinship-segment-entered",
  left: "kinship-segment-left",
} as const;

export type MembershipChange = keyof typeof SEGMENT_FLOW_TRIGGER_HANDLES;

/** Flow refuses payloads of 50,000 bytes or more. */
export const FLOW_PAYLOAD_MAX_BYTES = 50_000;

export function segmentFlowTrigger(change: {
  change: MembershipChange;
  customerShopifyId: bigint;
  segmentName: string;
  segmentHandle: string;
}): { handle: string; payload: Record<string, string | number> } {
  return {
    handle: SEGMENT_FLOW_TRIGGER_HANDLES[change.change],
    payload: {
      customer_id: Number(change.customerShopifyId),
      "segment name": change.segmentName,
      "segment handle": change.segmentHandle,
    },
  };
}
