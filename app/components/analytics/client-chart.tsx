// Charts render in the browser only (polaris-viz cannot render on the server); until they load,
// a skeleton of the same height holds their place so the page does not jump.
//
// Accessibility: polaris-viz's svg carries ARIA roles that do not hold together (a horizontal
// bar chart's `list` owns `img` bars, not `listitem`s), and a bar-by-bar reading of an svg is a
// poor way to take in a chart anyway. So each chart is a figure named by its label: the drawing is
// hidden from assistive technology, and a visually hidden table with the same figures, rendered on
// the server, is its text alternative.
import { Box, SkeletonBodyText } from "@shopify/polaris";
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";

import type { ChartPoint } from "./polaris-viz-charts";

const LazyCountBarChart = lazy(() => import("./polaris-viz-charts").then((m) => ({ default: m.CountBarChart })));
const LazyHorizontalBarChart = lazy(() =>
  import("./polaris-viz-charts").then((m) => ({ default: m.HorizontalCountBarChart })),
);

interface ChartProps {
  /** What the chart shows, e.g. "Customers per lifecycle stage": the figure's accessible name. */
  label: string;
  seriesName: string;
  points: ChartPoint[];
  height?: number;
}

/** The chart's figures as a table, for screen readers: the text alternative of the drawing (its figure names it). */
function ChartDataTable({ seriesName, points }: Pick<ChartProps, "seriesName" | "points">) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Category</th>
          <th scope="col">{seriesName}</th>
        </tr>
      </thead>
      <tbody>
        {points.map((point) => (
          <tr key={point.key}>
            <th scope="row">{point.key}</th>
            <td>{point.value.toLocaleString("en-US")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ChartFigure({ height, children, ...data }: ChartProps & { height: number; children: ReactNode }) {
  return (
    <div role="figure" aria-label={data.label}>
      <div aria-hidden="true" style={{ height, position: "relative" }}>
        {children}
      </div>
      <Box visuallyHidden>
        <ChartDataTable seriesName={data.seriesName} points={data.points} />
      </Box>
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

export function ClientBarChart(props: ChartProps) {
  const mounted = useMounted();
  return (
    <ChartFigure {...props} height={props.height ?? 260}>
      {mounted ? (
        <Suspense fallback={<Placeholder />}>
          <LazyCountBarChart seriesName={props.seriesName} points={props.points} />
        </Suspense>
      ) : (
        <Placeholder />
      )}
    </ChartFigure>
  );
}

export function ClientHorizontalBarChart(props: ChartProps) {
  const mounted = useMounted();
  return (
    <ChartFigure {...props} height={props.height ?? 220}>
      {mounted ? (
        <Suspense fallback={<Placeholder />}>
          <LazyHorizontalBarChart seriesName={props.seriesName} points={props.points} />
        </Suspense>
      ) : (
        <Placeholder />
      )}
    </ChartFigure>
  );
}
