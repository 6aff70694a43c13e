// The only module that imports @shopify/polaris-viz. It reads `navigator` while rendering, so it
// cannot render on the server: client-chart.tsx loads it lazily, in the browser only. Its style
// sheet comes with it (Vite loads a lazy chunk's CSS before the chunk resolves), so the page's
// first paint does not wait for the styles of charts that are drawn later anyway.
import "@shopify/polaris-viz/build/esm/styles.css";

import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";

export interface ChartPoint {
  key: string;
  value: number;
}

export function CountBarChart({ seriesName, points }: { seriesName: string; points: ChartPoint[] }) {
  return (
    <PolarisVizProvider>
      <BarChart
        theme="Light"
        showLegend={false}
        data={[{ name: seriesName, data: points }]}
        xAxisOptions={{ labelFormatter: (value) => String(value ?? "") }}
        yAxisOptions={{ integersOnly: true }}
      />
    </PolarisVizProvider>
  );
}

/** Few categories with long names (lifecycle stages): bars run left to right. */
export function HorizontalCountBarChart({ seriesName, points }: { seriesName: string; points: ChartPoint[] }) {
  return (
    <PolarisVizProvider>
      <BarChart theme="Light" direction="horizontal" showLegend={false} data={[{ name: seriesName, data: points }]} />
    </PolarisVizProvider>
  );
}
