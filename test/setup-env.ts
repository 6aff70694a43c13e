// Runs before each test file: this run's database, and a Redis key prefix of the file's own.
import { randomBytes } from "node:crypto";

import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.QUEUE_PREFIX = `kinship-test-${randomBytes(4).toString("hex")}`;
