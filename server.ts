// The app's HTTP server: the built Remix app behind Express. Checks its configuration
// and services first, so a bad setup fails with one clear line.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";

import { env } from "./app/config/env.server";
import { webhookRouter } from "./app/crm/ingest/webhook-express-route.server";
import { securityHeadersMiddleware } from "./app/crm/security/security-headers-express.server";
import { exitOnStartupError } from "./app/lib/exit-on-startup-error.server";
import { logger } from "./app/lib/logger.server";
import { checkServices } from "./app/lib/service-checks.server";

const root = path.dirname(fileURLToPath(import.meta.url));

const config = await exitOnStartupError(async () => {
  const parsed = env();
  await checkServices(parsed);
  return parsed;
});

const build = (await import(pathToFileURL(path.join(root, "build/server/index.js")).href)) as ServerBuild;

const app = express();
app.disable("x-powered-by");
app.use(securityHeadersMiddleware(config.SHOPIFY_APP_URL));
// Webhooks first: the hottest path skips static files and Remix routing altogether.
app.use(webhookRouter());
app.use("/assets", express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "build/client"), { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: "production" }));

const server = app.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  logger.info({ port }, `Kinship app listening on http://${config.HOST}:${port}`);
});
// Node closes an idle keep-alive connection after 5 s, often just as a client (Shopify's webhook
// sender, a load balancer keeping connections 60 s) sends on it: the request dies ECONNRESET.
// The server keeps idle connections longer than such clients do, so they close first.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

function shutdown(signal: string) {
  logger.info({ signal }, "app server stopping");
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.once("SIGTERM", () => shutdown("SIGTERM"));
process.once("SIGINT", () => shutdown("SIGINT"));
