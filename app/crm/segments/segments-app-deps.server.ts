// The segments services' dependencies in the app process (routes), with the request's shop's
// scoped client (shopDb).
import { shopDb } from "../../db.server";
import { jobs } from "../../jobs/jobs.server";
import { logger } from "../../lib/logger.server";
import type { SegmentDeps } from "./segment-deps";

export function segmentsAppDeps(shopDomain: string): SegmentDeps {
  return { db: shopDb(shopDomain), logger, jobs: jobs() };
}
