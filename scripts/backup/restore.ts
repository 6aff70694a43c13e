// npm run restore -- --file kinship.dump --database-url URL
// Restores a backup into an EMPTY database (created when missing; one with tables is refused),
// then prints its figures to compare with those printed by `npm run backup`. Start the app on
// that database with the same TOKEN_ENCRYPTION_KEYS as before: the tokens are restored encrypted.
import { parseArgs } from "node:util";

import { figuresOf } from "./backup-figures";
import { restoreDatabase } from "./pg-backup";

const { values } = parseArgs({
  options: { file: { type: "string" }, "database-url": { type: "string" } },
});
if (!values.file || !values["database-url"]) {
  console.error("Usage: npm run restore -- --file kinship.dump --database-url postgresql://…/kinship_restored");
  process.exit(2);
}
try {
  await restoreDatabase(values.file, values["database-url"]);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
console.log(`restored ${values.file}`);
console.log(JSON.stringify(await figuresOf(values["database-url"]), null, 2));
