import type { ActionFunctionArgs } from "@remix-run/node";

import { receiveWebhook } from "../crm/ingest/receive-webhook.server";

// customers/data_request: verified, stored in the inbox and enqueued; the ingest worker applies it.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request);
