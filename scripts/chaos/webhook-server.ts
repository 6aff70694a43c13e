// The app's webhook way in, alone: the same Express router server.ts mounts first
// (verify, store in the inbox, enqueue, answer), without the Remix build, so that the chaos
// run (and its short version in CI) needs no `vite build` to hit the production path.
import express from "express";

import { env } from "../../app/config/env.server";
import { webhookRouter } from "../../app/crm/ingest/webhook-express-route.server";

const config = env();
const app = express();
app.use(webhookRouter());
const server = app.listen(config.PORT, config.HOST, () => console.log(`webhook server listening on ${config.PORT}`));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
