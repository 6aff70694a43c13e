// The only module that imports @shopify/polaris-viz. It reads `navigator` while rendering, so it
// cannot render on the server: client-chart.tsx loads it lazily, in the browser only.
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
