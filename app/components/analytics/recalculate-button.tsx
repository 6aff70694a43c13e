// "Recalculate": a fetcher POST to app.analytics.recalculate.tsx, then app.analytics.status.tsx is
// polled every 2 s while the run waits or runs (two small reads, not the whole dashboard); when it
// reports idle again, the page's loader runs once more for the new figures.
import { useFetcher, useRevalidator } from "@remix-run/react";
import { BlockStack, Button, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";

import type { Recalculation } from "../../crm/dashboard/analytics-dashboard";

export const RECALCULATE_ACTION = "/app/analytics/recalculate";
export const RECALCULATION_STATUS = "/app/analytics/status";
const POLL_MS = 2_000;

export interface RecalculationControls {
  current: Recalculation;
  busy: boolean;
  request: () => void;
}

export function useRecalculation(fromLoader: Recalculation): RecalculationControls {
  const action = useFetcher<{ ok: boolean }>();
  const status = useFetcher<Recalculation>();
  const revalidator = useRevalidator();
  const [polled, setPolled] = useState<Recalculation | null>(null);
  // Fresh loader data wins over an older poll.
  useEffect(() => setPolled(null), [fromLoader]);
  useEffect(() => {
    if (status.data) setPolled(status.data);
  }, [status.data]);
  const current = polled ?? fromLoader;

  const load = useRef(status.load);
  load.current = status.load;
  useEffect(() => {
    if (current.state === "idle") return;
    const timer = setInterval(() => void load.current(RECALCULATION_STATUS), POLL_MS);
    return () => clearInterval(timer);
  }, [current.state]);

  // The run finished since the page loaded: fetch the new figures (once).
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => {
    if (polled?.state === "idle" && fromLoader.state !== "idle") revalidate.current();
  }, [polled, fromLoader.state]);

  return {
    current,
    busy: current.state !== "idle" || action.state !== "idle",
    request: () => action.submit({ intent: "recalculate" }, { method: "post", action: RECALCULATE_ACTION }),
  };
}

export function RecalculateButton({ controls }: { controls: RecalculationControls }) {
  return (
    <Button
      onClick={controls.request}
      loading={controls.busy && controls.current.state === "idle"}
      disabled={controls.busy}
    >
      Recalculate
    </Button>
  );
}

export function RecalculationProgress({ recalculation }: { recalculation: Recalculation }) {
  if (recalculation.state === "idle") return null;
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between">
        <Text as="p" variant="bodySm">
          {recalculation.state === "queued" ? "Recalculation queued" : `Recalculating: ${recalculation.phase}`}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {recalculation.percent}%
        </Text>
      </InlineStack>
      <ProgressBar progress={recalculation.percent} size="small" animated />
    </BlockStack>
  );
}
