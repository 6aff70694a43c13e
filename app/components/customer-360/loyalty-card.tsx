// Customer 360: points, tier, latest ledger entries, rewards redeemed and the staff adjustment form.
import { Form } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  DataTable,
  Divider,
  FormLayout,
  InlineGrid,
  InlineStack,
  Link,
  Text,
} from "@shopify/polaris";

import type { Customer360 } from "../../crm/customer-360/customer-360.server";
import { FormTextField } from "../loyalty/form-fields";
import { Figure } from "./figure";

type Loyalty = Customer360["loyalty"];
type MemberLoyalty = Extract<Loyalty, { state: "member" }>;

function AdjustPointsForm({
  requestId,
  errors,
  saving,
}: {
  requestId: string;
  errors: Record<string, string>;
  saving: boolean;
}) {
  return (
    <Form method="post" key={requestId}>
      <input type="hidden" name="intent" value="adjust" />
      <input type="hidden" name="requestId" value={requestId} />
      <FormLayout>
        <FormLayout.Group>
          <FormTextField
            label="Points"
            name="points"
            inputMode="numeric"
            helpText="Negative to take points away"
            error={errors.points}
          />
          <FormTextField label="Reason" name="reason" helpText="Kept in the ledger" error={errors.reason} />
        </FormLayout.Group>
        {errors.requestId || errors.form ? (
          <Text as="p" tone="critical">
            {errors.requestId ?? errors.form}
          </Text>
        ) : null}
        <InlineStack>
          <Button submit loading={saving}>
            Adjust points
          </Button>
        </InlineStack>
      </FormLayout>
    </Form>
  );
}

function MemberBody({
  loyalty,
  customerShopifyId,
  timeZone,
  adjust,
}: {
  loyalty: MemberLoyalty;
  customerShopifyId: string;
  timeZone: string;
  adjust: { errors: Record<string, string>; saving: boolean; requestId: string };
}) {
  return (
    <BlockStack gap="400">
      <InlineGrid columns={{ xs: 2, md: 3 }} gap="400">
        <Figure label="Balance">
          <Text as="p" variant="headingLg">{`${loyalty.balance.toLocaleString("en-US")} points`}</Text>
        </Figure>
        <Figure label="Tier" help={loyalty.tierUntil ? `Reviewed ${loyalty.tierUntil}` : undefined}>
          {loyalty.tier ?? "None yet"}
        </Figure>
        <Figure label="Member since">{loyalty.joinedAt}</Figure>
      </InlineGrid>
      <Divider />
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h3" variant="headingSm">
            Latest points
          </Text>
          <Link url={`/app/loyalty/members/${customerShopifyId}`}>Full ledger</Link>
        </InlineStack>
        {loyalty.ledger.length === 0 ? (
          <Text as="p" tone="subdued">
            No points yet.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "numeric"]}
            headings={[`When (${timeZone})`, "Entry", "Detail", "Points"]}
            rows={loyalty.ledger.map((entry) => [
              entry.at,
              entry.kind,
              entry.detail + (entry.staffName ? ` (by ${entry.staffName})` : ""),
              entry.points > 0 ? `+${entry.points}` : String(entry.points),
            ])}
          />
        )}
      </BlockStack>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          Rewards redeemed
        </Text>
        {loyalty.redemptions.length === 0 ? (
          <Text as="p" tone="subdued">
            No rewards redeemed yet.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "numeric"]}
            headings={["When", "Reward", "Code", "Status", "Points"]}
            rows={loyalty.redemptions.map((redemption) => [
              redemption.at,
              redemption.reward,
              redemption.code,
              redemption.usedOnOrder
                ? `${redemption.status}, used on order ${redemption.usedOnOrder}`
                : redemption.status,
              String(-redemption.points),
            ])}
          />
        )}
      </BlockStack>
      <Divider />
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          Adjust points
        </Text>
        <AdjustPointsForm requestId={adjust.requestId} errors={adjust.errors} saving={adjust.saving} />
      </BlockStack>
    </BlockStack>
  );
}

export function LoyaltyCard(props: {
  loyalty: Loyalty;
  customerShopifyId: string;
  timeZone: string;
  adjust: { errors: Record<string, string>; saving: boolean; requestId: string | null };
}) {
  const { loyalty } = props;
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Loyalty
          </Text>
          {loyalty.state !== "no_program" && !loyalty.programEnabled ? <Badge>Program paused</Badge> : null}
        </InlineStack>
        {loyalty.state === "no_program" ? (
          <Text as="p" tone="subdued">
            Not a member: your shop has no loyalty program yet. <Link url="/app/loyalty/settings">Set one up</Link>.
          </Text>
        ) : loyalty.state === "not_member" ? (
          <Text as="p" tone="subdued">
            Not a member: customers join with their first paid order or when they sign up.
          </Text>
        ) : (
          <MemberBody
            loyalty={loyalty}
            customerShopifyId={props.customerShopifyId}
            timeZone={props.timeZone}
            adjust={{ ...props.adjust, requestId: props.adjust.requestId ?? loyalty.requestId }}
          />
        )}
      </BlockStack>
    </Card>
  );
}
