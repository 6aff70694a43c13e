// Every Admin GraphQL call of Kinship goes through this client. It keeps within Shopify's
// cost-based throttle (waits before sending when the shop's bucket is low, waits and
// retries on THROTTLED, honours Retry-After on 429) and turns every failure into a
// ShopifyAdminError with a code.
import { ShopifyAdminError, type ShopifyUserError } from "./shopify-admin-error";
import type { ThrottleStatusStore } from "./throttle-status-store.server";
import { retryAfterMs, type ThrottleStatus, throttledRetryDelayMs } from "./throttle-wait";

/** Sends one GraphQL request to the shop's Admin API and returns the raw HTTP response. */
export type AdminGraphqlTransport = (request: {
  query: string;
  variables?: Record<string, unknown>;
}) => Promise<Response>;

export interface ShopifyAdminClient {
  readonly shop: string;
  /** Runs a query or mutation and returns `data`; a mutation's non-empty userErrors throw USER_ERRORS. */
  request<T>(document: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface ShopifyAdminClientOptions {
  shop: string;
  transport: AdminGraphqlTransport;
  throttleStore?: ThrottleStatusStore;
  /** Attempts per call across throttling, 429 and 5xx answers. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } };
}

// Before the first answer for a document its cost is unknown; this covers a typical page.
const DEFAULT_EXPECTED_COST = 100;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createShopifyAdminClient(options: ShopifyAdminClientOptions): ShopifyAdminClient {
  const { shop, transport, throttleStore } = options;
  const maxAttempts = options.maxAttempts ?? 8;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  // Requested cost per document, as Shopify last reported it: what to wait for next time.
  const knownCosts = new Map<string, number>();

  /** Sends once, holding the call's points of the shared bucket until the answer is read. */
  async function sendOnce(
    document: string,
    variables: Record<string, unknown> | undefined,
  ): Promise<{ response: Response; body?: GraphqlBody } | { unreachable: Error }> {
    const reservation = throttleStore
      ? await throttleStore.reserve(shop, knownCosts.get(document) ?? DEFAULT_EXPECTED_COST, now())
      : undefined;
    let status: ThrottleStatus | undefined;
    try {
      // This call's points are reserved: callers asking at once queue over the refill.
      if (reservation && reservation.waitMs > 0) await sleep(reservation.waitMs);
      let response: Response;
      try {
        response = await transport({ query: document, variables });
      } catch (error) {
        return { unreachable: error as Error };
      }
      if (!response.ok) return { response };
      let body: GraphqlBody;
      try {
        body = (await response.json()) as GraphqlBody;
      } catch {
        throw new ShopifyAdminError("BAD_RESPONSE", "Admin API answered with a body that is not JSON", { shop });
      }
      status = body.extensions?.cost?.throttleStatus;
      return { response, body };
    } finally {
      if (reservation) {
        await throttleStore!.settle(shop, reservation.id, status ? { ...status, observedAtMs: now() } : null);
      }
    }
  }

  async function request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    let lastError: ShopifyAdminError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const sent = await sendOnce(document, variables);
      if ("unreachable" in sent) {
        lastError = new ShopifyAdminError("SERVER_ERROR", `Admin API unreachable: ${sent.unreachable.message}`, {
          shop,
        });
        await sleep(Math.min(30_000, 500 * 2 ** attempt));
        continue;
      }
      const { response } = sent;
      if (response.status === 429) {
        lastError = new ShopifyAdminError("RATE_LIMITED", "Admin API answered 429", { shop, status: 429 });
        await response.body?.cancel();
        await sleep(retryAfterMs(response.headers.get("Retry-After"), now()));
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        throw new ShopifyAdminError("UNAUTHORIZED", `Admin API answered ${response.status}`, {
          shop,
          status: response.status,
        });
      }
      if (response.status >= 500) {
        await response.body?.cancel();
        lastError = new ShopifyAdminError("SERVER_ERROR", `Admin API answered ${response.status}`, {
          shop,
          status: response.status,
        });
        await sleep(Math.min(30_000, 500 * 2 ** attempt));
        continue;
      }
      if (!sent.body) {
        await response.body?.cancel();
        throw new ShopifyAdminError("HTTP_ERROR", `Admin API answered ${response.status}`, {
          shop,
          status: response.status,
        });
      }
      const body = sent.body;
      const cost = body.extensions?.cost;
      if (cost?.requestedQueryCost !== undefined) knownCosts.set(document, cost.requestedQueryCost);

      const errors = body.errors ?? [];
      if (errors.some((error) => error.extensions?.code === "THROTTLED")) {
        lastError = new ShopifyAdminError("THROTTLED", "Admin API throttled the query", { shop, errors });
        const status = cost?.throttleStatus;
        await sleep(status ? throttledRetryDelayMs(cost.requestedQueryCost ?? DEFAULT_EXPECTED_COST, status) : 1_000);
        continue;
      }
      if (errors.some((error) => error.extensions?.code === "MAX_COST_EXCEEDED")) {
        throw new ShopifyAdminError("MAX_COST_EXCEEDED", errors[0]!.message, { shop, errors });
      }
      if (errors.length > 0) {
        throw new ShopifyAdminError("GRAPHQL_ERRORS", errors.map((error) => error.message).join("; "), {
          shop,
          errors,
        });
      }
      if (!body.data) throw new ShopifyAdminError("BAD_RESPONSE", "Admin API answered without data", { shop });
      const userErrors = collectUserErrors(body.data);
      if (userErrors.length > 0) {
        throw new ShopifyAdminError("USER_ERRORS", userErrors.map((error) => error.message).join("; "), {
          shop,
          userErrors,
        });
      }
      return body.data as T;
    }
    throw lastError ?? new ShopifyAdminError("SERVER_ERROR", "Admin API call failed", { shop });
  }

  return { shop, request };
}

/** Mutation payloads carry `userErrors` one level down (`data.someMutation.userErrors`). */
function collectUserErrors(data: Record<string, unknown>): ShopifyUserError[] {
  const found: ShopifyUserError[] = [];
  for (const value of Object.values(data)) {
    if (value && typeof value === "object" && "userErrors" in value) {
      const userErrors = (value as { userErrors?: unknown }).userErrors;
      if (Array.isArray(userErrors)) found.push(...(userErrors as ShopifyUserError[]));
    }
  }
  return found;
}

/** A transport over plain fetch with the shop's offline access token. */
export function accessTokenTransport(options: {
  endpoint: string;
  accessToken: string;
  fetch?: typeof fetch;
}): AdminGraphqlTransport {
  const send = options.fetch ?? fetch;
  return ({ query, variables }) =>
    send(options.endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-Shopify-Access-Token": options.accessToken,
      },
      body: JSON.stringify({ query, variables }),
    });
}
