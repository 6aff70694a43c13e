import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  DataTable,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Pagination,
  Text,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";

import { ActionBanner } from "../components/loyalty/action-banner";
import { errorsFor, FormTextField } from "../components/loyalty/form-fields";
import { loyaltyAppDeps } from "../crm/loyalty/loyalty-app-deps.server";
import { adjustMemberForm, loadMemberLedger } from "../crm/loyalty/loyalty-member-admin.server";
import { authenticate } from "../shopify.server";

const customerParam = z
  .string()
  .regex(/^\d{1,19}$/)
  .transform(BigInt);
const beforeParam = z
  .string()
  .regex(/^\d{1,19}$/)
  .transform(BigInt)
  .nullable()
  .catch(null);

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const customer = customerParam.safeParse(params.customerId);
  if (!customer.success) throw new Response("Not found", { status: 404 });
  const before = beforeParam.parse(new URL(request.url).searchParams.get("before"));
  const member = await loadMemberLedger(loyaltyAppDeps(session.shop), session.shop, customer.data, before);
  if (!member) throw new Response("Not found", { status: 404 });
  return member;
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const customer = customerParam.safeParse(params.customerId);
  if (!customer.success) throw new Response("Not found", { status: 404 });
  // Who adjusted: the online session's user when there is one, else the session token's `sub`.
  const user = session.onlineAccessInfo?.associated_user;
  const sub = typeof sessionToken?.sub === "string" && /^\d{1,19}$/.test(sessionToken.sub) ? sessionToken.sub : null;
  const staff = user
    ? { userId: BigInt(user.id), name: [user.first_name, user.last_name].filter(Boolean).join(" ") || "staff" }
    : { userId: sub === null ? null : BigInt(sub), name: "staff" };
  const outcome = await adjustMemberForm(loyaltyAppDeps(session.shop), {
    shopDomain: session.shop,
    customerShopifyId: customer.data,
    staff,
    values: Object.fromEntries(await request.formData()),
  });
  return { ...outcome, formKey: "adjust" };
};

export default function LoyaltyMemberPage() {
  const member = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const errors = errorsFor(actionData, "adjust");
  // The form (and its idempotency id) is renewed only after a booked adjustment: a refused one keeps what was typed.
  const [requestId, setRequestId] = useState(member.requestId);
  useEffect(() => {
    if (actionData?.ok) setRequestId(member.requestId);
  }, [actionData, member.requestId]);
  const rows = member.entries.map((entry) => [
    entry.at,
    entry.kind,
    entry.detail + (entry.staffName ? ` (by ${entry.staffName})` : ""),
    entry.points > 0 ? `+${entry.points}` : String(entry.points),
  ]);
  return (
    <Page
      title={member.name}
      subtitle={member.email ?? undefined}
      titleMetadata={member.tier ? <Badge tone="info">{member.tier}</Badge> : undefined}
      backAction={{ content: "Loyalty", url: "/app/loyalty" }}
    >
      <Layout>
        <Layout.Section>
          <ActionBanner actionData={actionData} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <InlineStack gap="800">
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm" tone="subdued">
                  Balance
                </Text>
                <Text as="p" variant="headingXl">
                  {`${member.balance} points`}
                </Text>
              </BlockStack>
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm" tone="subdued">
                  Tier
                </Text>
                <Text as="p">{member.tier ? `${member.tier}, reviewed ${member.tierUntil}` : "None yet"}</Text>
              </BlockStack>
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm" tone="subdued">
                  Member since
                </Text>
                <Text as="p">{member.joinedAt}</Text>
              </BlockStack>
            </InlineStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Points ledger
              </Text>
              <DataTable
                columnContentTypes={["text", "text", "text", "numeric"]}
                headings={[`When (${member.timeZone})`, "Entry", "Detail", "Points"]}
                rows={rows}
              />
              <Pagination
                hasPrevious={false}
                hasNext={member.nextBefore !== null}
                nextURL={member.nextBefore ? `?before=${member.nextBefore}` : undefined}
                label="Older entries"
              />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.AnnotatedSection
          title="Adjust points"
          description="Adds or takes away points. The reason and who made the change stay in the ledger."
        >
          <Card>
            <Form method="post" key={requestId}>
              <input type="hidden" name="requestId" value={requestId} />
              <FormLayout>
                <FormTextField
                  label="Points"
                  name="points"
                  helpText="Negative to take points away"
                  error={errors.points}
                />
                <FormTextField label="Reason" name="reason" error={errors.reason} />
                {errors.requestId ? (
                  <Text as="p" tone="critical">
                    {errors.requestId}
                  </Text>
                ) : null}
                <Button submit variant="primary" loading={saving}>
                  Adjust
                </Button>
              </FormLayout>
            </Form>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
