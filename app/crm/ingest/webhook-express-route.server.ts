// POST /webhooks/<topic> straight on Express, ahead of the Remix request handler: Remix's
// route matching and its Fetch API Request cost more per delivery than the whole of
// receiving one. Same function as the Remix routes (receiveWebhookDelivery), so there is
// one way of receiving; a path that is no webhook route falls through to Remix.
import express, { type NextFunction, type Request, type Response, type Router } from "express";

import { env } from "../../config/env.server";
import { logger } from "../../lib/logger.server";
import { receiveWebhookDelivery } from "./receive-webhook.server";
import { topicOfWebhookPath } from "./webhook-topics";

// Shopify caps payloads well below this; Express's default (100 kB) is too small for big orders.
const MAX_WEBHOOK_BYTES = "10mb";

export function webhookRouter(): Router {
  const origin = new URL(env().SHOPIFY_APP_URL).origin;
  const router = express.Router();
  router.post(
    "/webhooks/*",
    (req: Request, _res: Response, next: NextFunction) => next(topicOfWebhookPath(req.path) ? undefined : "route"),
    // The HMAC is over the exact bytes Shopify sent: keep the body raw, whatever its type.
    express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }),
    async (req: Request, res: Response) => {
      try {
        const answer = await receiveWebhookDelivery({
          method: req.method,
          url: `${origin}${req.originalUrl}`,
          pathname: req.path,
          headers: req.headers,
          rawBody: Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "",
        });
        if (answer.body === undefined) res.status(answer.status).end();
        else res.status(answer.status).type("text/plain").send(answer.body);
      } catch (error) {
        // Not stored (PostgreSQL down or its connection cut): 503 says "try later", and
        // Shopify delivers it again; a 200 here would lose the event.
        logger.error({ path: req.path, err: (error as Error).message }, "webhook not stored");
        res.status(503).set("Retry-After", "5").end();
      }
    },
  );
  return router;
}
