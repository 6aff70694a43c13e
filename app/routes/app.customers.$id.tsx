// Customer 360 (/app/customers/<Shopify customer id>): one customer's profile, addresses (live from
// Shopify), scores, orders, loyalty and staff notes, with a note form and a points adjustment form.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  useRouteError,
} from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, InlineStack, Layout, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useEffect, useState } from "react";

import { AddressesCard } from "../components/customer-360/addresses-card";
import { Customer360Skeleton } from "../components/customer-360/customer-360-skeleton";
import { FeedbackCard } from "../components/customer-360/feedback-card";
import { LoyaltyCard } from "../components/customer-360/loyalty-card";
import { NotesCard } from "../components/customer-360/notes-card";
import { OrderTimelineCard } from "../components/customer-360/order-timeline-card";
import { ProfileCard, TopProductsCard } from "../components/customer-360/profile-card";
import { RecommendationsCard } from "../components/customer-360/recommendations-card";
import { ScoresCard } from "../components/customer-360/scores-card";
import { ActionBanner } from "../components/loyalty/action-banner";
import { errorsFor } from "../components/loyalty/form-fields";
import { staffMemberOf } from "../crm/audit/staff-member";
import { fetchCustomerAddresses, type AddressesResult } from "../crm/customer-360/customer-addresses.server";
import { orderPageRequest, parseCustomerShopifyId, parseIntent } from "../crm/customer-360/customer-360-input";
import {
  addCustomerNoteForm,
  adjustCustomerPointsForm,
  loadCustomer360,
} from "../crm/customer-360/customer-360.server";
import { customerFeedback } from "../crm/feedback/feedback-admin.server";
import { feedbackAppDeps } from "../crm/feedback/feedback-app-deps.server";
import { loyaltyAppDeps } from "../crm/loyalty/loyalty-app-deps.server";
import { shopDb } from "../db.server";
import { logger } from "../lib/logger.server";
import { authenticate } from "../shopify.server";

// The same answer for an unknown id and another shop's customer: nothing tells them apart.
const notFound = () => new Response("Customer not found", { status: 404 });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const customerShopifyId = parseCustomerShopifyId(params.id);
  if (customerShopifyId === null) throw notFound();
  const customer = await loadCustomer360(shopDb(session.shop), {
    shopDomain: session.shop,
    customerShopifyId,
    orders: orderPageRequest(new URL(request.url).searchParams),
  });
  if (!customer) throw notFound();
  // Streamed after the page: Shopify's answer never holds up the rest of the profile. One read
  // serves the profile card's phone and location and the addresses card (neither is stored).
  const addresses: Promise<AddressesResult> | AddressesResult = customer.profile.redacted
    ? { status: "redacted" }
    : fetchCustomerAddresses(
        {
          shop: session.shop,
          logger,
          transport: ({ query, variables }) => admin.graphql(query, { variables }),
        },
        customerShopifyId,
      );
  const feedback = await customerFeedback(feedbackAppDeps(session.shop), session.shop, customerShopifyId);
  return { customer, addresses, feedback };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const customerShopifyId = parseCustomerShopifyId(params.id);
  if (customerShopifyId === null) throw notFound();
  const values = Object.fromEntries(await request.formData());
  const staff = staffMemberOf({
    associatedUser: session.onlineAccessInfo?.associated_user,
    sessionTokenSub: sessionToken?.sub,
  });
  const input = { shopDomain: session.shop, customerShopifyId, staff, values };
  switch (parseIntent(values.intent)) {
    case "note": {
      const outcome = await addCustomerNoteForm(shopDb(session.shop), input);
      if (!outcome) throw notFound();
      return outcome;
    }
    case "adjust":
      return adjustCustomerPointsForm(loyaltyAppDeps(session.shop), input);
    default:
      throw new Response("Unknown form", { status: 400 });
  }
};

export default function Customer360Page() {
  const { customer, addresses, feedback } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const location = useLocation();
  const submitting = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const loyalty = customer.loyalty;
  const loadedRequestId = loyalty.state === "member" ? loyalty.requestId : null;
  // The adjustment's idempotency id is renewed only after a booked adjustment: a refused one keeps what was typed.
  const [requestId, setRequestId] = useState(loadedRequestId);
  useEffect(() => {
    if ((actionData?.ok && actionData.formKey === "adjust") || requestId === null) setRequestId(loadedRequestId);
  }, [actionData, loadedRequestId, requestId]);

  const target = navigation.state === "loading" && !navigation.formData ? navigation.location : null;
  // Another customer opening: the skeleton rather than this customer's data under the new URL.
  if (target && target.pathname !== location.pathname && /^\/app\/customers\/\d+\/?$/.test(target.pathname)) {
    return <Customer360Skeleton />;
  }
  const pagingOrders = target !== null && target.pathname === location.pathname && target.search !== location.search;
  const { profile } = customer;
  return (
    <Page
      title={profile.name}
      subtitle={profile.email ?? undefined}
      titleMetadata={
        <InlineStack gap="200">
          {customer.scores?.lifecycleStage ? <Badge tone="info">{customer.scores.lifecycleStage}</Badge> : null}
          {profile.deleted ? <Badge tone="critical">Deleted in Shopify</Badge> : null}
          {profile.redacted ? <Badge>Redacted</Badge> : null}
        </InlineStack>
      }
      backAction={{ content: "Customers", url: "/app/customers" }}
    >
      <Layout>
        {actionData ? (
          <Layout.Section>
            <ActionBanner actionData={actionData} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <ScoresCard scores={customer.scores} history={customer.lifecycleHistory} timeZone={customer.timeZone} />
            <OrderTimelineCard orders={customer.orders} loading={pagingOrders} />
            <LoyaltyCard
              loyalty={loyalty}
              customerShopifyId={customer.customerShopifyId}
              timeZone={customer.timeZone}
              adjust={{ errors: errorsFor(actionData, "adjust"), saving: submitting === "adjust", requestId }}
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <ProfileCard
              profile={profile}
              contact={addresses}
              currencyNote="In the shop's currency; net spend is after refunds, cancelled orders left out."
            />
            <AddressesCard addresses={addresses} />
            <TopProductsCard products={profile.topProducts} />
            <RecommendationsCard recommendations={customer.recommendations} />
            <FeedbackCard feedback={feedback} timeZone={customer.timeZone} />
            <NotesCard
              notes={customer.notes}
              redacted={profile.redacted}
              errors={errorsFor(actionData, "note")}
              saving={submitting === "note"}
            />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page backAction={{ content: "Customers", url: "/app/customers" }} title="Customer not found">
        <Card>
          <EmptyState
            heading="This customer is not in your store"
            action={{ content: "Back to customers", url: "/app/customers" }}
            image=""
          >
            <p>The link may be out of date, or the customer was never imported.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  return boundary.error(error);
}
