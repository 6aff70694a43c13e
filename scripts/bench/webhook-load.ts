// A loopback load generator: posts pre-signed webhook deliveries with a fixed number of
// requests in flight over keep-alive connections, and records each one's latency.
import http from "node:http";

import { signWebhookBody } from "../../test/shopify-double/webhook-sender";
import type { ReplayDelivery } from "../../test/shopify-double/replay-stream";

export interface PreparedDelivery {
  path: string;
  body: string;
  headers: Record<string, string>;
}

export function prepareDelivery(shop: string, delivery: ReplayDelivery, secret: string): PreparedDelivery {
  const body = JSON.stringify(delivery.payload);
  return {
    path: `/webhooks/${delivery.topic}`,
    body,
    headers: {
      "Content-Type": "application/json",
      "Content-Length": String(Buffer.byteLength(body)),
      "X-Shopify-Topic": delivery.topic,
      "X-Shopify-Hmac-Sha256": signWebhookBody(body, secret),
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-Webhook-Id": delivery.webhookId,
      "X-Shopify-Event-Id": delivery.eventId,
      "X-Shopify-Triggered-At": delivery.triggeredAt,
      "X-Shopify-API-Version": "2026-07",
      "User-Agent": "Shopify-Captain-Hook",
    },
  };
}

export async function sendAll(
  appUrl: string,
  deliveries: PreparedDelivery[],
  concurrency: number,
  onProgress?: (sent: number) => void,
): Promise<{ latenciesMs: number[]; failures: number; seconds: number }> {
  const url = new URL(appUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latenciesMs: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const post = (delivery: PreparedDelivery) =>
    new Promise<number>((resolve) => {
      const request = http.request(
        { host: url.hostname, port: url.port, path: delivery.path, method: "POST", headers: delivery.headers, agent },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        },
      );
      request.on("error", () => resolve(0));
      request.end(delivery.body);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++]!;
        const t0 = performance.now();
        const status = await post(delivery);
        latenciesMs.push(performance.now() - t0);
        if (status !== 200) failures++;
        onProgress?.(latenciesMs.length);
      }
    }),
  );
  agent.destroy();
  return { latenciesMs, failures, seconds: (performance.now() - started) / 1000 };
}
