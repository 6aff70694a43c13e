import { PassThrough } from "node:stream";

import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";

import { env } from "./config/env.server";
import { addDocumentResponseHeaders } from "./shopify.server";

const ABORT_DELAY = 5_000;

/**
 * The library allows only Shopify's admin to frame the app (CSP frame-ancestors).
 * Offline, the local Shopify double plays the admin, so its origin is allowed too.
 */
function allowDoubleAdminToFrame(headers: Headers) {
  const doubleUrl = env().SHOPIFY_DOUBLE_URL;
  const csp = headers.get("Content-Security-Policy");
  if (!doubleUrl || !csp) return;
  headers.set(
    "Content-Security-Policy",
    csp.replace(
      /frame-ancestors ([^;]*)/,
      (_, sources: string) => `frame-ancestors ${sources} ${new URL(doubleUrl).origin}`,
    ),
  );
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  allowDoubleAdminToFrame(responseHeaders);
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
