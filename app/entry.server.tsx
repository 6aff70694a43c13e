import { PassThrough } from "node:stream";

import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";

import { env } from "./config/env.server";
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from "./lib/database-unavailable";
import { documentFramePolicy } from "./crm/security/security-headers";
import { addDocumentResponseHeaders } from "./shopify.server";

const ABORT_DELAY = 5_000;

/**
 * Only the shop's own admin may frame the app (CSP frame-ancestors, from the shop the library
 * has checked); no valid shop, no framing. Offline, the local Shopify double plays the admin,
 * so its origin is allowed too.
 */
function restrictFraming(headers: Headers) {
  const config = env();
  headers.set(
    "Content-Security-Policy",
    documentFramePolicy(headers.get("Content-Security-Policy"), {
      extraOrigins: config.SHOPIFY_DOUBLE_URL ? [new URL(config.SHOPIFY_DOUBLE_URL).origin] : [],
      keepShopifyStaffAdmins: Boolean(config.SHOP_CUSTOM_DOMAIN),
    }),
  );
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  // A loader that failed because the database could not serve it (pool full, server restarting):
  // the page is a 503 to retry, not a 500.
  const errors = Object.values(remixContext.staticHandlerContext.errors ?? {});
  if (responseStatusCode === 500 && errors.length > 0 && errors.every(isDatabaseUnavailable)) {
    responseStatusCode = 503;
    responseHeaders.set("Retry-After", RETRY_AFTER_SECONDS);
  }
  addDocumentResponseHeaders(request, responseHeaders);
  restrictFraming(responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    setTimeout(abort, ABORT_DELAY);
  });
}
