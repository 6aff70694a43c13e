// Which errors mean "the database cannot serve this request right now" (no pooled connection in
// time, the server down or restarting, the connection cut): the request answers 503 with
// Retry-After, a fault to retry, instead of 500, a bug. Any other error stays a 500.

// Prisma: P2028 no connection within maxWait; P1001 server unreachable; P1017 connection closed.
const PRISMA_CODES = new Set(["P2028", "P1001", "P1017"]);
// node-postgres and PostgreSQL: the pool's wait ran out, the socket closed or was refused, the
// server is starting up or shutting down (57P01-57P03), or too many connections (53300).
const PG_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "57P01", "57P02", "57P03", "53300"]);
const MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /Connection terminated/i,
  /Client has encountered a connection error/i,
  /Unable to start a transaction in the given time/i,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string" && (PRISMA_CODES.has(code) || PG_CODES.has(code))) return true;
    if (typeof message === "string" && MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = cause;
  }
  return false;
}

/** The answer to a request the database could not serve: try again in a few seconds. */
export const RETRY_AFTER_SECONDS = "5";
