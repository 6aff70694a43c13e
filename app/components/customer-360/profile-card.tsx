// Customer 360: who the customer is (contact, consent, tags, channels) and what they spent. Phone
// and location are not stored: they stream in from the page's live Shopify read (the same answer
// as the addresses card), and the stored country code stands in when Shopify does not answer.
import { Await } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  Divider,
  InlineGrid,
  InlineStack,
  List,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import { Suspense } from "react";

import type { AddressesResult } from "../../crm/customer-360/customer-addresses.server";
import type { ProfileView } from "../../crm/customer-360/customer-360-view";
import { Figure } from "./figure";

const PHONE_WITHOUT_ANSWER: Record<Exclude<AddressesResult["status"], "loaded">, string> = {
  failed: "Not loaded from Shopify",
  not_in_shopify: "Not in Shopify",
  redacted: "Erased",
};

function ContactFigures({ contact, countryCode }: { contact: AddressesResult | null; countryCode: string | null }) {
  const result = contact ?? { status: "failed" as const };
  const loaded = result.status === "loaded" ? result : null;
  const phone = result.status === "loaded" ? (result.phone ?? "None") : PHONE_WITHOUT_ANSWER[result.status];
  return (
    <>
      <Figure label="Phone">{phone}</Figure>
      <Figure label="Location">{loaded?.location ?? countryCode ?? "Unknown"}</Figure>
    </>
  );
}

export function ProfileCard({
  profile,
  contact,
  currencyNote,
}: {
  profile: ProfileView;
  /** The live Shopify read of the page (phone, default address); a promise while it streams. */
  contact: Promise<AddressesResult> | AddressesResult;
  currencyNote: string;
}) {
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Profile
        </Text>
        {profile.redacted ? (
          <Text as="p" tone="subdued">
            This customer&apos;s personal data was erased at their request. Their figures stay, anonymised.
          </Text>
        ) : (
          <BlockStack gap="300">
            <Figure label="E-mail">{profile.email ?? "None"}</Figure>
            <Suspense fallback={<SkeletonBodyText lines={2} />}>
              <Await
                resolve={contact}
                errorElement={<ContactFigures contact={null} countryCode={profile.countryCode} />}
              >
                {(result) => <ContactFigures contact={result} countryCode={profile.countryCode} />}
              </Await>
            </Suspense>
          </BlockStack>
        )}
        <Figure label="Customer since">{profile.createdAt}</Figure>
        <Figure label="Marketing consent">
          <InlineStack gap="200">
            <Badge tone={profile.emailConsent.tone}>{`E-mail: ${profile.emailConsent.label}`}</Badge>
            <Badge tone={profile.smsConsent.tone}>{`SMS: ${profile.smsConsent.label}`}</Badge>
          </InlineStack>
        </Figure>
        <Figure label="Sales channels">
          {profile.channels.length === 0 ? (
            <Text as="p">None yet</Text>
          ) : (
            <InlineStack gap="100">
              {profile.channels.map((channel) => (
                <Badge key={channel}>{channel}</Badge>
              ))}
            </InlineStack>
          )}
        </Figure>
        {profile.redacted ? null : (
          <Figure label="Tags">
            {profile.tags.length === 0 ? (
              <Text as="p">No tags</Text>
            ) : (
              <InlineStack gap="100">
                {profile.tags.map((tag) => (
                  <Badge key={tag} tone="info">
                    {tag}
                  </Badge>
                ))}
              </InlineStack>
            )}
          </Figure>
        )}
        <Divider />
        <InlineGrid columns={2} gap="300">
          <Figure label="Orders">{profile.orders}</Figure>
          <Figure label="Average order value">{profile.averageOrderValue ?? "–"}</Figure>
          <Figure label="Net spend">{profile.netSpent}</Figure>
          <Figure label="Gross spend">{profile.grossSpent}</Figure>
          <Figure label="First order">{profile.firstOrderAt ?? "–"}</Figure>
          <Figure label="Last order">{profile.lastOrderAt ?? "–"}</Figure>
        </InlineGrid>
        <Text as="p" variant="bodySm" tone="subdued">
          {currencyNote}
        </Text>
      </BlockStack>
    </Card>
  );
}

export function TopProductsCard({ products }: { products: ProfileView["topProducts"] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Top products
        </Text>
        {products.length === 0 ? (
          <Text as="p" tone="subdued">
            No products bought yet.
          </Text>
        ) : (
          <List type="number">
            {products.map((product) => (
              <List.Item key={product.id}>{`${product.title} (× ${product.quantity})`}</List.Item>
            ))}
          </List>
        )}
      </BlockStack>
    </Card>
  );
}
