// Customer account, Profile page: the shopper's points, tier, progress and rewards.
import {
  Banner,
  BlockStack,
  Card,
  Divider,
  Heading,
  InlineStack,
  SkeletonTextBlock,
  Text,
  reactExtension,
  useApi,
} from "@shopify/ui-extensions-react/customer-account";
import { useEffect, useState } from "react";

import { APP_URL } from "./app-url";
import { minorToMajor, nextTierText, rewardStatus, type LoyaltySummary } from "./loyalty-summary";

export default reactExtension("customer-account.profile.block.render", () => <LoyaltyBlock />);

type State = { kind: "loading" } | { kind: "error" } | { kind: "ready"; summary: LoyaltySummary };

function LoyaltyBlock() {
  const { sessionToken, i18n } = useApi<"customer-account.profile.block.render">();
  const [state, setState] = useState<State>({ kind: "loading" });

  useEffect(() => {
    let cancelled = false;
    (async () => {
      // The token's `sub` names the customer and `dest` the shop: the app acts for nobody else.
      const token = await sessionToken.get();
      const response = await fetch(`${APP_URL}/api/customer-account/loyalty`, {
        headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const summary = (await response.json()) as LoyaltySummary;
      if (!cancelled) setState({ kind: "ready", summary });
    })().catch(() => {
      if (!cancelled) setState({ kind: "error" });
    });
    return () => {
      cancelled = true;
    };
  }, [sessionToken]);

  if (state.kind === "loading") {
    return (
      <Card padding>
        <SkeletonTextBlock lines={3} />
      </Card>
    );
  }
  if (state.kind === "error")
    return <Banner status="warning">Your rewards could not be loaded. Please try again later.</Banner>;

  const { summary } = state;
  if (!summary.member) {
    return (
      <Card padding>
        <BlockStack>
          <Heading>Rewards</Heading>
          <Text>
            Earn {summary.howToJoin.pointsPerCurrencyUnit} points for every {summary.howToJoin.currencyCode} you spend
            {summary.howToJoin.signupBonus > 0 ? `, plus ${summary.howToJoin.signupBonus} points to start.` : "."}
          </Text>
        </BlockStack>
      </Card>
    );
  }

  const money = (minor: string) =>
    i18n.formatCurrency(minorToMajor(minor, summary.currencyCode), { currency: summary.currencyCode });
  const next = nextTierText(summary.nextTier, money);
  return (
    <Card padding>
      <BlockStack>
        <InlineStack spacing="base" blockAlignment="center">
          <Heading>{`${i18n.formatNumber(summary.balance)} points`}</Heading>
          <Text appearance="subdued">{summary.tier ? `${summary.tier.name} tier` : "No tier yet"}</Text>
        </InlineStack>
        {next ? <Text>{next}</Text> : null}
        {summary.expiring ? (
          <Text appearance="warning">
            {`${summary.expiring.points} points expire on ${i18n.formatDate(new Date(summary.expiring.at))}`}
          </Text>
        ) : null}
        <Divider />
        <Heading level={3}>Rewards</Heading>
        {summary.rewards.map((reward) => (
          <InlineStack key={reward.id} spacing="base">
            <Text emphasis="bold">{reward.title}</Text>
            <Text>{`${reward.pointsCost} points`}</Text>
            <Text appearance="subdued">{rewardStatus(reward, summary.balance)}</Text>
          </InlineStack>
        ))}
      </BlockStack>
    </Card>
  );
}
