// Charts render in the browser only (polaris-viz cannot render on the server); until they load,
// a skeleton of the same height holds their place so the page does not jump.
import { SkeletonBodyText } from "@shopify/polaris";
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";

import type { ChartPoint } from "./polaris-viz-charts";

const LazyCountBarChart = lazy(() => import("./polaris-viz-charts").then((m) => ({ default: m.CountBarChart })));
const LazyHorizontalBarChart = lazy(() =>
  import("./polaris-viz-charts").then((m) => ({ default: m.HorizontalCountBarChart })),
);

function ChartFrame({ height, label, children }: { height: number; label: string; children: ReactNode }) {
  return (
    <div style={{ height, position: "relative" }} role="figure" aria-label={label}>
      {children}
    </div>
  );
}

function useMounted() {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

function Placeholder() {
  return <SkeletonBodyText lines={6} />;
}

export function ClientBarChart(props: { label: string; seriesName: string; points: ChartPoint[]; height?: number }) {
  const mounted = useMounted();
  return (
    <ChartFrame height={props.height ?? 260} label={props.label}>
      {mounted ? (
        <Suspense fallback={<Placeholder />}>
          <LazyCountBarChart seriesName={props.seriesName} points={props.points} />
        </Suspense>
      ) : (
        <Placeholder />
      )}
    </ChartFrame>
  );
}

export function ClientHorizontalBarChart(props: {
  label: string;
  seriesName: string;
  points: ChartPoint[];
  height?: number;
}) {
  const mounted = useMounted();
  return (
    <ChartFrame height={props.height ?? 220} label={props.label}>
      {mounted ? (
        <Suspense fallback={<Placeholder />}>
          <LazyHorizontalBarChart seriesName={props.seriesName} points={props.points} />
        </Suspense>
      ) : (
        <Placeholder />
      )}
    </ChartFrame>
  );
}
