// `npm run setup`: create the database when missing and apply pending migrations.
import { envSchema, parseEnv } from "../app/config/env.server";
import { exitOnStartupError } from "../app/lib/exit-on-startup-error.server";
import { checkPostgres } from "../app/lib/service-checks.server";
import { applyMigrations, ensureDatabase } from "../prisma/migrator";

const { DATABASE_URL } = await exitOnStartupError(async () => {
  const config = parseEnv(process.env, envSchema.pick({ DATABASE_URL: true }));
  const maintenance = new URL(config.DATABASE_URL);
  maintenance.pathname = "/postgres";
  await checkPostgres(maintenance.toString());
  return config;
});

const database = new URL(DATABASE_URL).pathname.slice(1);
if (await ensureDatabase(DATABASE_URL)) console.log(`Created database ${database}`);
const applied = await applyMigrations(DATABASE_URL);
console.log(applied.length ? `Applied migrations: ${applied.join(", ")}` : `Database ${database} is up to date`);
