import type { PrismaClient } from "../../app/db.server";
import { sweepInbox } from "../../app/crm/data-health/inbox-sweeper.server";
import type { JobQueues } from "../../app/jobs/job-queues.server";
import type { Logger } from "../../app/lib/logger.server";

export function createInboxSweeperProcessor(deps: { db: PrismaClient; jobs: JobQueues; logger: Logger }) {
  return async () => sweepInbox(deps);
}
