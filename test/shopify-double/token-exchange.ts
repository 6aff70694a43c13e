// POST /admin/oauth/access_token with the token-exchange grant, as
// @shopify/shopify-api's auth.tokenExchange sends it (JSON body; form bodies accepted too).
import type { IncomingMessage, ServerResponse } from "node:http";

import { issueOfflineToken, issueOnlineToken, ONLINE_TOKEN_TTL_SECONDS } from "./access-token";
import type { DoubleState } from "./double-state";
import { readParams, sendJson } from "./http-utils";
import { verifySessionToken } from "./session-token";
import type { StoreShop } from "./store-data";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

/** The staff member behind an online token. The store data has no staff, so user 1 is the owner. */
function associatedUser(shop: StoreShop, userId: string) {
  const owner = userId === "1";
  const numeric = Number(userId);
  return {
    id: Number.isSafeInteger(numeric) ? numeric : userId,
    first_name: owner ? "Store" : "Staff",
    last_name: owner ? "Owner" : `Member ${userId}`,
    email: owner ? shop.email : `staff-${userId}@${shop.domain}`,
    email_verified: true,
    account_owner: owner,
    locale: "en",
    collaborator: false,
  };
}

export async function handleTokenExchange(
  state: DoubleState,
  shop: StoreShop,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const params = await readParams(req);
  const { config } = state;
  if (params.client_id !== config.apiKey || params.client_secret !== config.apiSecret) {
    sendJson(res, 401, {
      error: "invalid_client",
      error_description:
        "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
    });
    return;
  }
  if (params.grant_type !== TOKEN_EXCHANGE_GRANT) {
    sendJson(res, 400, { error: "unsupported_grant_type" });
    return;
  }
  if (params.subject_token_type !== ID_TOKEN_TYPE) {
    sendJson(res, 400, { error: "invalid_request", error_description: "subject_token_type must be an id_token" });
    return;
  }
  const verified =
    typeof params.subject_token === "string"
      ? verifySessionToken(params.subject_token, {
          apiKey: config.apiKey,
          apiSecret: config.apiSecret,
          shop: shop.domain,
        })
      : { ok: false as const, reason: "missing" };
  if (!verified.ok) {
    sendJson(res, 400, { error: "invalid_subject_token" });
    return;
  }
  const scope = config.scopes.join(",");
  if (params.requested_token_type === OFFLINE_TOKEN_TYPE) {
    sendJson(res, 200, { access_token: issueOfflineToken(state.tokenKey, shop.domain), scope });
    return;
  }
  if (params.requested_token_type === ONLINE_TOKEN_TYPE) {
    const userId = verified.claims.sub;
    const expiresAt = Math.floor(Date.now() / 1000) + ONLINE_TOKEN_TTL_SECONDS;
    sendJson(res, 200, {
      access_token: issueOnlineToken(state.tokenKey, shop.domain, userId, expiresAt),
      scope,
      expires_in: ONLINE_TOKEN_TTL_SECONDS,
      associated_user_scope: scope,
      associated_user: associatedUser(shop, userId),
    });
    return;
  }
  sendJson(res, 400, { error: "invalid_request", error_description: "requested_token_type is not supported" });
}
