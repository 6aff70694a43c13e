import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";

import { ActionBanner } from "../components/loyalty/action-banner";
import { errorsFor, FormSelect, FormTextField } from "../components/loyalty/form-fields";
import { loadRewardsPage, saveRewardsForm } from "../crm/loyalty/loyalty-admin.server";
import { loyaltyAppDeps } from "../crm/loyalty/loyalty-app-deps.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadRewardsPage(loyaltyAppDeps(session.shop), session.shop);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const values = Object.fromEntries(await request.formData());
  const outcome = await saveRewardsForm(loyaltyAppDeps(session.shop), session.shop, values);
  return { ...outcome, formKey: `${String(values.intent)}:${String(values.rewardId ?? "")}` };
};

type RewardsData = Awaited<ReturnType<typeof loadRewardsPage>>;
type Reward = RewardsData["rewards"][number];

function RewardFields({
  reward,
  errors,
  data,
}: {
  reward?: Reward;
  errors: Record<string, string>;
  data: RewardsData;
}) {
  const [kind, setKind] = useState(reward?.kind ?? "fixed_amount");
  return (
    <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
      <FormTextField label="Title" name="title" defaultValue={reward?.title} error={errors.title} />
      <FormSelect
        label="Kind"
        name="kind"
        defaultValue={kind}
        onValueChange={setKind}
        options={[
          { label: "Fixed amount off", value: "fixed_amount" },
          { label: "Percentage off", value: "percentage" },
          { label: "Free shipping", value: "free_shipping" },
        ]}
        error={errors.kind}
      />
      <FormTextField
        label="Points cost"
        name="pointsCost"
        suffix="points"
        defaultValue={reward ? String(reward.pointsCost) : ""}
        error={errors.pointsCost}
      />
      {kind === "fixed_amount" ? (
        <FormTextField
          label={`Amount off (${data.currencyCode})`}
          name="amount"
          defaultValue={reward?.amount}
          error={errors.amount}
        />
      ) : null}
      {kind === "percentage" ? (
        <FormTextField
          label="Percent off"
          name="percentage"
          suffix="%"
          defaultValue={reward?.percentage}
          error={errors.percentage}
        />
      ) : null}
      <FormTextField
        label={`Minimum order (${data.currencyCode})`}
        name="minimumSubtotal"
        helpText="Empty for no minimum"
        defaultValue={reward?.minimumSubtotal}
        error={errors.minimumSubtotal}
      />
      <FormSelect
        label="Only for"
        name="tierId"
        defaultValue={reward?.tierId ?? ""}
        options={[
          { label: "Every member", value: "" },
          ...data.tiers.map((tier) => ({ label: `${tier.name} and above`, value: String(tier.id) })),
        ]}
        error={errors.tierId}
      />
    </InlineGrid>
  );
}

function RewardRow({ reward, data }: { reward: Reward; data: RewardsData }) {
  const actionData = useActionData<typeof action>();
  const errors = errorsFor(actionData, `update-reward:${reward.id}`);
  const [editing, setEditing] = useState(false);
  const open = editing || Object.keys(errors).length > 0;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingMd">
              {reward.title}
            </Text>
            <Badge tone="info">{`${reward.pointsCost} points`}</Badge>
            {reward.tierName ? <Badge tone="attention">{`${reward.tierName} only`}</Badge> : null}
          </InlineStack>
          <InlineStack gap="200">
            <Button onClick={() => setEditing(!open)}>{open ? "Close" : "Edit"}</Button>
            <Form method="post">
              <input type="hidden" name="intent" value="archive-reward" />
              <input type="hidden" name="rewardId" value={reward.id} />
              <Button submit tone="critical" variant="plain">
                Remove
              </Button>
            </Form>
          </InlineStack>
        </InlineStack>
        <Text as="p" tone="subdued">
          {reward.summary} · redeemed {reward.redemptions} times
        </Text>
        {open ? (
          <Form method="post">
            <input type="hidden" name="intent" value="update-reward" />
            <input type="hidden" name="rewardId" value={reward.id} />
            <BlockStack gap="300">
              <RewardFields reward={reward} errors={errors} data={data} />
              <InlineStack>
                <Button submit variant="primary">
                  Save reward
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export default function LoyaltyRewardsPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const createErrors = errorsFor(actionData, "create-reward:");
  return (
    <Page title="Rewards" backAction={{ content: "Loyalty", url: "/app/loyalty" }}>
      <Layout>
        <Layout.Section>
          <ActionBanner actionData={actionData} />
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="300">
            {data.rewards.length === 0 ? (
              <Card>
                <Text as="p" tone="subdued">
                  No rewards yet: members need at least one to spend points on.
                </Text>
              </Card>
            ) : (
              data.rewards.map((reward) => <RewardRow key={reward.id} reward={reward} data={data} />)
            )}
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <Form method="post">
              <input type="hidden" name="intent" value="create-reward" />
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Add a reward
                </Text>
                <Text as="p" tone="subdued">
                  Each redemption becomes a single-use Shopify discount code for that customer only.
                </Text>
                <RewardFields errors={createErrors} data={data} />
                <InlineStack>
                  <Button submit variant="primary" disabled={!data.hasProgram}>
                    Add reward
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
