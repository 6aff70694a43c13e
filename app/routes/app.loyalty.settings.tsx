import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, FormLayout, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";

import { ActionBanner } from "../components/loyalty/action-banner";
import { errorsFor, FormCheckbox, FormSelect, FormTextField } from "../components/loyalty/form-fields";
import { loadProgramSettings } from "../crm/loyalty/loyalty-admin.server";
import { loyaltyAppDeps } from "../crm/loyalty/loyalty-app-deps.server";
import { saveSettingsWithCollections } from "../crm/loyalty/loyalty-settings-admin.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadProgramSettings(loyaltyAppDeps(session.shop), session.shop);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const values = Object.fromEntries(await request.formData());
  const outcome = await saveSettingsWithCollections(loyaltyAppDeps(session.shop), session.shop, values);
  return { ...outcome, formKey: "settings" };
};

export default function LoyaltySettingsPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const errors = errorsFor(actionData, "settings");
  const { settings } = data;
  const [expiry, setExpiry] = useState<string>(settings.expiry.policy);
  const expiryMonths = settings.expiry.policy === "none" ? "" : String(settings.expiry.months);
  const { collections } = settings.exclusions;
  const collectionProducts = collections.length === 0 ? null : new Set(collections.flatMap((c) => c.productIds)).size;
  return (
    <Page title="Loyalty settings" backAction={{ content: "Loyalty", url: "/app/loyalty" }}>
      <Form method="post">
        <input type="hidden" name="version" value={data.version ?? ""} />
        <Layout>
          <Layout.Section>
            <ActionBanner actionData={actionData} />
          </Layout.Section>
          <Layout.AnnotatedSection
            title="Earning"
            description={`Points per whole ${data.currencyCode} on paid orders, on the subtotal after discounts.`}
          >
            <Card>
              <FormLayout>
                <FormTextField
                  label={`Points per 1 ${data.currencyCode}`}
                  name="pointsPerCurrencyUnit"
                  type="number"
                  defaultValue={String(settings.earn.pointsPerCurrencyUnit)}
                  error={errors.pointsPerCurrencyUnit}
                />
                <FormCheckbox
                  name="includeShipping"
                  label="Count shipping"
                  defaultChecked={settings.earn.includeShipping}
                />
                <FormCheckbox name="includeTax" label="Count tax" defaultChecked={settings.earn.includeTax} />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Bonuses" description="One-off points, each paid once per customer and rule.">
            <Card>
              <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                {(
                  [
                    ["signupBonus", "Sign-up", settings.bonuses.signup],
                    ["birthdayBonus", "Birthday (once a year)", settings.bonuses.birthday],
                    ["referrerBonus", "Referrer", settings.bonuses.referrer],
                    ["referredFriendBonus", "Referred friend", settings.bonuses.referredFriend],
                    ["firstOrderBonus", "First order", settings.bonuses.firstOrder],
                  ] as const
                ).map(([name, label, value]) => (
                  <FormTextField
                    key={name}
                    label={label}
                    name={name}
                    type="number"
                    suffix="points"
                    defaultValue={String(value)}
                    error={errors[name]}
                  />
                ))}
              </InlineGrid>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Exclusions" description="Lines of these products never earn points.">
            <Card>
              <FormLayout>
                <FormTextField
                  label="Excluded product ids"
                  name="excludedProductIds"
                  helpText="Numeric Shopify product ids, separated by commas"
                  defaultValue={settings.exclusions.productIds.join(", ")}
                  error={errors.excludedProductIds}
                />
                <FormTextField
                  label="Excluded collections"
                  name="excludedCollectionIds"
                  multiline={3}
                  helpText={`Collection ids or gid://shopify/Collection/… ids, one per line. Their products are read from Shopify on save and every night${collectionProducts === null ? "" : ` (now ${collectionProducts} product${collectionProducts === 1 ? "" : "s"})`}.`}
                  defaultValue={settings.exclusions.collections.map((c) => c.id).join("\n")}
                  error={errors.excludedCollectionIds ?? errors.excludedCollections}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Expiry" description="Members are told ahead of time before points expire.">
            <Card>
              <FormLayout>
                <FormSelect
                  label="Points expire"
                  name="expiryPolicy"
                  defaultValue={settings.expiry.policy}
                  onValueChange={setExpiry}
                  options={[
                    { label: "Never", value: "none" },
                    { label: "After months without activity", value: "inactivity" },
                    { label: "Months after each is earned", value: "per_lot" },
                  ]}
                  error={errors.expiryPolicy}
                />
                {expiry === "none" ? null : (
                  <FormTextField
                    label="Months"
                    name="expiryMonths"
                    type="number"
                    defaultValue={expiryMonths}
                    error={errors.expiryMonths}
                  />
                )}
                <FormTextField
                  label="Warn members this many days ahead"
                  name="expiryWarningDays"
                  type="number"
                  defaultValue={String(settings.expiryWarningDays)}
                  error={errors.expiryWarningDays}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Status"
            description={
              data.launchedAt
                ? `Launched ${data.launchedAt}: orders before then do not earn.`
                : "Orders placed before the launch do not earn."
            }
          >
            <Card>
              <BlockStack gap="300">
                <FormCheckbox
                  name="enabled"
                  label="Program enabled"
                  helpText="When off, the storefront widget hides and nothing is earned or redeemed."
                  defaultChecked={data.exists ? data.enabled : true}
                />
                {data.exists ? null : (
                  <Text as="p" tone="subdued">
                    Saving launches the program now.
                  </Text>
                )}
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.Section>
            <Button submit variant="primary" loading={saving}>
              {data.exists ? "Save" : "Launch program"}
            </Button>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
