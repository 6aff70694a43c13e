// "Export CSV" of the Customers page (the filtered set) and of a saved segment (its members):
// records the staff action, then hands back the streamed CSV.
import { env } from "../../config/env.server";
import type { PrismaClient } from "../../db.server";
import { currencyExponent } from "../money/money";
import { recordStaffAction } from "../audit/staff-audit.repository.server";
import type { StaffMember } from "../audit/staff-member";
import { customerCsvStream, liveSegmentOf } from "./customer-export.repository.server";
import { parseCustomerListQuery } from "./customer-list-params";
import { shopOrNotFound } from "./customers-page.server";

export type CustomersExport = { filename: string; stream: ReadableStream<Uint8Array> };

export async function exportCustomersCsv(
  deps: { db: PrismaClient; databaseUrl?: string },
  input: { shopDomain: string; staff: StaffMember; url: URL },
): Promise<CustomersExport> {
  const shop = await shopOrNotFound(deps.db, input.shopDomain);
  const databaseUrl = deps.databaseUrl ?? env().DATABASE_URL;
  const segmentParam = input.url.searchParams.get("segment");
  const day = new Date().toISOString().slice(0, 10);

  if (segmentParam !== null) {
    const segmentId = /^\d{1,9}$/.test(segmentParam) ? Number(segmentParam) : null;
    const segment = segmentId === null ? null : await liveSegmentOf(deps.db, shop.id, segmentId);
    if (!segment) throw new Response("Segment not found", { status: 404 });
    await recordStaffAction(deps.db, {
      shopId: shop.id,
      staff: input.staff,
      action: "segment.exported",
      details: { segmentId: segment.id },
    });
    return {
      filename: `kinship-segment-${segment.id}-${day}.csv`,
      stream: customerCsvStream({
        databaseUrl,
        shop,
        source: { kind: "segment", segmentId: segment.id },
      }),
    };
  }

  const query = parseCustomerListQuery(input.url.searchParams, { currencyDigits: currencyExponent(shop.currencyCode) });
  const invalid = Object.entries(query.errors).filter(([param]) => param !== "sort");
  if (invalid.length > 0) {
    throw new Response(`Invalid filter: ${invalid.map(([param, message]) => `${param}: ${message}`).join("; ")}`, {
      status: 400,
    });
  }
  await recordStaffAction(deps.db, {
    shopId: shop.id,
    staff: input.staff,
    action: "customers.exported",
    details: { filter: JSON.stringify(query.filter) },
  });
  return {
    filename: `kinship-customers-${day}.csv`,
    stream: customerCsvStream({
      databaseUrl,
      shop,
      source: { kind: "filter", filter: query.filter },
    }),
  };
}
