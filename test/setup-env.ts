// Runs before each test file: this run's database, a Redis key prefix and a token key of the file's own.
import { randomBytes } from "node:crypto";

import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.QUEUE_PREFIX = `kinship-test-${randomBytes(4).toString("hex")}`;
// A token encryption key of the file's own (processes it spawns inherit it).
process.env.TOKEN_ENCRYPTION_KEYS ??= `test:${randomBytes(32).toString("base64")}`;
