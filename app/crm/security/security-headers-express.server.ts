// The base security headers on every response of the app server (documents, Remix data,
// resource routes: app proxy, exports, admin extension APIs, webhooks, static files). Set
// before routing, so even a handler that never reaches Remix carries them. Documents add
// their frame policy in app/entry.server.tsx.
import type { RequestHandler } from "express";

import { baseSecurityHeaders } from "./security-headers";

export function securityHeadersMiddleware(appUrl: string): RequestHandler {
  const headers = Object.entries(baseSecurityHeaders({ https: new URL(appUrl).protocol === "https:" }));
  return (_request, response, next) => {
    for (const [name, value] of headers) response.setHeader(name, value);
    next();
  };
}
