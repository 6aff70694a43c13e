import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { feedbackAppDeps } from "../crm/feedback/feedback-app-deps.server";
import { accountSurveys, answerAccountSurvey } from "../crm/feedback/survey-account.server";
import { authenticate } from "../shopify.server";

// The order status page's survey block: GET ?order=<Order gid>[&delivered=1] lists the surveys still
// open for that order, POST { order, kind, score | answers, comment, delivered? } answers one
// (delivered: the block saw the order arrive, so the shop's delay does not apply). For the customer the
// session token names (`sub`) in the shop it was issued for (`dest`), on their own order only.
const claims = z.object({
  sub: z.string().regex(/^gid:\/\/shopify\/Customer\/\d+$/),
  dest: z.string().transform((dest) => dest.replace(/^https:\/\//, "").replace(/\/.*$/, "")),
});

// Which order, and whether the block saw it arrive; the answer itself is checked by the domain.
const answerEnvelope = z
  .object({ order: z.coerce.string().catch(""), delivered: z.boolean().catch(false) })
  .catch({ order: "", delivered: false });

async function customerOf(request: Request) {
  const { sessionToken, cors } = await authenticate.public.customerAccount(request);
  const parsed = claims.safeParse(sessionToken);
  return { cors, customer: parsed.success ? parsed.data : null };
}

const respond = (status: number, body: unknown) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { cors, customer } = await customerOf(request);
  if (!customer) return cors(respond(403, { error: "not_a_customer" }));
  const result = await accountSurveys(feedbackAppDeps(customer.dest), {
    shopDomain: customer.dest,
    customerShopifyId: BigInt(customer.sub.split("/").at(-1)!),
    orderGid: new URL(request.url).searchParams.get("order") ?? "",
    delivered: new URL(request.url).searchParams.get("delivered") === "1",
  });
  return cors(respond(result.status, result.body));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { cors, customer } = await customerOf(request);
  if (!customer) return cors(respond(403, { error: "not_a_customer" }));
  const body: unknown = await request.json().catch(() => null);
  const { order, delivered } = answerEnvelope.parse(body);
  const result = await answerAccountSurvey(
    feedbackAppDeps(customer.dest),
    {
      shopDomain: customer.dest,
      customerShopifyId: BigInt(customer.sub.split("/").at(-1)!),
      orderGid: order,
      delivered,
    },
    body,
  );
  return cors(respond(result.status, result.body));
};
