// Shopify Flow triggers (`flowTriggerReceive`), shared by automations, segments and surveys; each
// builds its own handle and payload (keys are the extension toml's fields). The client turns
// `userErrors` (unknown handle, a payload Flow refuses) into a ShopifyAdminError("USER_ERRORS").
import type { ShopifyAdminClient } from "./shopify-admin-client.server";

const FIRE_FLOW_TRIGGER = `#graphql
  mutation KinshipFlowTrigger($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }`;

/** A trigger's extension handle and the payload Flow receives. */
export interface FlowTrigger {
  handle: string;
  payload: Record<string, unknown>;
}

export async function fireFlowTrigger(admin: ShopifyAdminClient, trigger: FlowTrigger): Promise<void> {
  await admin.request(FIRE_FLOW_TRIGGER, { handle: trigger.handle, payload: trigger.payload });
}
