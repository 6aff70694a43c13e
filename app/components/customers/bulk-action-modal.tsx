// The modal of a Customers list bulk action: collects the tag, the points and reason, or the
// segment, and posts one JSON payload to /app/customers/bulk (errors come back by field).
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, FormLayout, Modal, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";

import type { BulkFieldErrors } from "../../crm/customers/customer-bulk-actions";
import type { CustomerFilter } from "../../crm/customers/customer-filter";

export type BulkKind = "addTag" | "adjustPoints" | "addToSegment";

type BulkResponse = { ok: true; message: string; queued: boolean } | { ok: false; errors: BulkFieldErrors };

const TITLES: Record<BulkKind, string> = {
  addTag: "Add a tag",
  adjustPoints: "Adjust points",
  addToSegment: "Add to a segment",
};

export function BulkActionModal(props: {
  kind: BulkKind | null;
  target: { customerIds: string[] } | { filter: CustomerFilter };
  targetLabel: string;
  segments: { id: number; name: string }[];
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const fetcher = useFetcher<BulkResponse>();
  const [tag, setTag] = useState("");
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [segmentId, setSegmentId] = useState("");
  // One request id per opened modal: a double submit adjusts points once.
  const [requestId, setRequestId] = useState("");
  const { kind, onDone } = props;
  useEffect(() => {
    if (kind) setRequestId(crypto.randomUUID());
  }, [kind]);
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) onDone(fetcher.data.message);
  }, [fetcher.state, fetcher.data, onDone]);

  if (!kind) return null;
  const errors: BulkFieldErrors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};
  const submit = () => {
    const action =
      kind === "addTag" ? { kind, tag } : kind === "adjustPoints" ? { kind, points, reason } : { kind, segmentId };
    fetcher.submit(
      { payload: JSON.stringify({ requestId, action, target: props.target }) },
      { method: "post", action: "/app/customers/bulk" },
    );
  };
  return (
    <Modal
      open
      onClose={props.onClose}
      title={TITLES[kind]}
      primaryAction={{ content: TITLES[kind], onAction: submit, loading: fetcher.state !== "idle" }}
      secondaryActions={[{ content: "Cancel", onAction: props.onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="300">
          <Text as="p">{props.targetLabel}</Text>
          {errors.form ? <Banner tone="critical">{errors.form}</Banner> : null}
          <FormLayout>
            {kind === "addTag" ? (
              <TextField
                label="Tag"
                autoComplete="off"
                value={tag}
                onChange={setTag}
                error={errors.tag}
                helpText="Added in Shopify and in Kinship."
              />
            ) : null}
            {kind === "adjustPoints" ? (
              <>
                <TextField
                  label="Points"
                  type="number"
                  autoComplete="off"
                  value={points}
                  onChange={setPoints}
                  error={errors.points}
                  helpText="Negative to take points away. Customers who are not loyalty members are skipped."
                />
                <TextField
                  label="Reason"
                  autoComplete="off"
                  value={reason}
                  onChange={setReason}
                  error={errors.reason}
                  helpText="Kept in each member's ledger."
                />
              </>
            ) : null}
            {kind === "addToSegment" ? (
              props.segments.length === 0 ? (
                <Banner tone="info">Create a segment first, on the Segments page.</Banner>
              ) : (
                <Select
                  label="Segment"
                  options={[
                    { label: "Choose a segment", value: "" },
                    ...props.segments.map((s) => ({ label: s.name, value: String(s.id) })),
                  ]}
                  value={segmentId}
                  onChange={setSegmentId}
                  error={errors.segmentId}
                />
              )
            ) : null}
          </FormLayout>
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
