// The segments services' dependencies in the app process (routes), created on first use.
import { db } from "../../db.server";
import { jobs } from "../../jobs/jobs.server";
import { logger } from "../../lib/logger.server";
import type { SegmentDeps } from "./segment-deps";

let deps: SegmentDeps | undefined;

export function segmentsAppDeps(): SegmentDeps {
  deps ??= { db: db(), logger, jobs: jobs() };
  return deps;
}
