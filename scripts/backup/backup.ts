// npm run backup -- [--out kinship.dump] [--database-url URL]
// A custom-format pg_dump of the app's schema (see pg-backup.ts), then the figures a restore
// must reproduce, printed so the operator can keep them beside the file.
import { parseArgs } from "node:util";

import { backupDatabase } from "./pg-backup";
import { figuresOf } from "./backup-figures";

const { values } = parseArgs({
  options: {
    out: { type: "string", default: `kinship-${new Date().toISOString().slice(0, 10)}.dump` },
    "database-url": { type: "string" },
  },
});
const databaseUrl = values["database-url"] ?? process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("Set DATABASE_URL or pass --database-url");
  process.exit(2);
}
await backupDatabase(databaseUrl, values.out);
console.log(`backup written to ${values.out}`);
console.log(JSON.stringify(await figuresOf(databaseUrl), null, 2));
