// Types for the app's own type check only. The extension builds with the real
// @shopify/ui-extensions-react (its package.json, installed by Shopify CLI); the app cannot
// install it beside its own React pins, so `npx tsc` at the root sees the subset used here.
declare module "@shopify/ui-extensions-react/customer-account" {
  import type { ReactElement, ReactNode } from "react";

  type Children = { children?: ReactNode };
  export function reactExtension(target: string, render: () => ReactElement): unknown;
  export function useApi<Target extends string>(): {
    sessionToken: { get(): Promise<string> };
    i18n: {
      formatNumber(value: number): string;
      formatCurrency(value: number, options?: { currency?: string }): string;
      formatDate(value: Date): string;
    };
    readonly target?: Target;
  };
  export function Card(props: Children & { padding?: boolean }): ReactElement;
  export function BlockStack(props: Children & { spacing?: string }): ReactElement;
  export function InlineStack(props: Children & { spacing?: string; blockAlignment?: string }): ReactElement;
  export function Heading(props: Children & { level?: 1 | 2 | 3 }): ReactElement;
  export function Text(props: Children & { appearance?: string; emphasis?: string }): ReactElement;
  export function Banner(props: Children & { status?: "info" | "success" | "warning" | "critical" }): ReactElement;
  export function Divider(): ReactElement;
  export function SkeletonTextBlock(props: { lines?: number }): ReactElement;
}
