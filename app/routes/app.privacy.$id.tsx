import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { PrivacyError } from "../crm/privacy/privacy-error";
import { loadPrivacyDownload } from "../crm/privacy/privacy-requests.server";
import { shopDb } from "../db.server";
import { authenticate } from "../shopify.server";

const params = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

// Download of a customers/data_request document, only within the shop that received it.
export const loader = async ({ request, params: raw }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = params.safeParse(raw);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  try {
    const download = await loadPrivacyDownload(shopDb(session.shop), session.shop, parsed.data.id);
    return new Response(download.body, {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="${download.filename}"`,
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    if (error instanceof PrivacyError && error.code === "not_found") throw new Response("Not found", { status: 404 });
    throw error;
  }
};
