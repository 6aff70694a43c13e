// Shopify admin, customer details page → More actions → "Adjust Kinship points": signed points
// and a reason, booked by the app into the loyalty ledger (with a staff audit entry). Field errors
// come from the app's validation; the modal closes once the adjustment is booked.
import {
  AdminAction,
  Banner,
  BlockStack,
  Button,
  NumberField,
  ProgressIndicator,
  Text,
  TextArea,
  reactExtension,
  useApi,
} from "@shopify/ui-extensions-react/admin";
import { useEffect, useState } from "react";

import {
  customerIdOf,
  newRequestId,
  type AdjustPointsRequest,
  type AdjustPointsResponse,
  type MemberBalance,
} from "./adjust-points-data";

const TARGET = "admin.customer-details.action.render";

export default reactExtension(TARGET, () => <AdjustPointsAction />);

type Member = { kind: "loading" } | { kind: "error"; message: string } | { kind: "ready"; data: MemberBalance };
type Errors = Extract<AdjustPointsResponse, { ok: false }>["errors"];

function AdjustPointsAction() {
  const { data, close, i18n } = useApi(TARGET);
  const gid = data.selected[0]?.id ?? "";
  const customerId = customerIdOf(gid);
  const [member, setMember] = useState<Member>({ kind: "loading" });
  const [points, setPoints] = useState<number | undefined>(undefined);
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [submitting, setSubmitting] = useState(false);
  // One id for this opened form: pressing the button twice (or a retried request) books once.
  const [requestId] = useState(newRequestId);

  useEffect(() => {
    if (!customerId) {
      setMember({ kind: "error", message: "This page does not name a customer." });
      return;
    }
    let cancelled = false;
    fetch(`/api/admin-extensions/customer/${customerId}`, { headers: { Accept: "application/json" } })
      .then(async (response) => {
        if (response.status === 404) throw new Error("Kinship has not imported this customer yet.");
        if (!response.ok) throw new Error("Kinship could not load this customer. Try again later.");
        return (await response.json()) as MemberBalance;
      })
      .then((balance) => {
        if (!cancelled) setMember({ kind: "ready", data: balance });
      })
      .catch((error: unknown) => {
        if (!cancelled) setMember({ kind: "error", message: error instanceof Error ? error.message : String(error) });
      });
    return () => {
      cancelled = true;
    };
  }, [customerId]);

  const isMember = member.kind === "ready" && member.data.loyalty.status === "member";

  async function submit() {
    setSubmitting(true);
    setErrors({});
    try {
      const body: AdjustPointsRequest = { customerId: gid, points: points ?? "", reason, requestId };
      const response = await fetch("/api/admin-extensions/adjust-points", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      });
      const result = (await response.json().catch(() => null)) as AdjustPointsResponse | null;
      if (result?.ok) {
        close();
        return;
      }
      setErrors(result?.errors ?? { form: "Kinship could not book the adjustment. Try again later." });
    } catch {
      setErrors({ form: "Kinship could not be reached. Try again." });
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <AdminAction
      title="Adjust Kinship points"
      loading={member.kind === "loading"}
      primaryAction={
        <Button variant="primary" onPress={submit} disabled={!isMember || submitting}>
          {submitting ? "Saving…" : "Adjust points"}
        </Button>
      }
      secondaryAction={<Button onPress={close}>Cancel</Button>}
    >
      <BlockStack gap="base">
        {member.kind === "loading" ? <ProgressIndicator size="small-200" accessibilityLabel="Loading balance" /> : null}
        {member.kind === "error" ? <Banner tone="warning">{member.message}</Banner> : null}
        {member.kind === "ready" ? <Balance data={member.data} formatNumber={(n) => i18n.formatNumber(n)} /> : null}
        {errors.form || errors.customerId || errors.requestId ? (
          <Banner tone="critical">{errors.form ?? errors.customerId ?? errors.requestId}</Banner>
        ) : null}
        {isMember ? (
          <>
            <NumberField
              label="Points"
              inputMode="numeric"
              step={1}
              value={points}
              onChange={setPoints}
              error={errors.points}
              required
            />
            <Text>Positive to give points, negative to take them away.</Text>
            <TextArea
              label="Reason"
              value={reason}
              onChange={setReason}
              error={errors.reason}
              maxLength={500}
              required
            />
          </>
        ) : null}
      </BlockStack>
    </AdminAction>
  );
}

function Balance({ data, formatNumber }: { data: MemberBalance; formatNumber: (n: number) => string }) {
  const { loyalty } = data;
  if (loyalty.status === "no_program") return <Banner tone="info">The loyalty program is not set up.</Banner>;
  if (loyalty.status === "not_member") {
    return <Banner tone="info">This customer is not a loyalty member, so there are no points to adjust.</Banner>;
  }
  const tier = loyalty.tier ? `, ${loyalty.tier} tier` : "";
  return <Text>{`Balance: ${formatNumber(loyalty.points)} points${tier}`}</Text>;
}
