import { UnrecoverableError } from "bullmq";

import { ShopifyAdminError } from "../../app/crm/shopify-admin/shopify-admin-error";

/** Runs a job's Admin API work; a shop without an offline session fails the job without retries. */
export async function unrecoverableWithoutSession<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    // No offline session (uninstalled, or a shop without one): retrying will not help.
    if (error instanceof ShopifyAdminError && error.code === "UNAUTHORIZED")
      throw new UnrecoverableError(error.message);
    throw error;
  }
}
