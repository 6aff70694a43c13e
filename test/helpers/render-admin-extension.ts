// Runs an admin UI extension module the way Shopify admin does, without Shopify: its registered
// render function gets a remote-ui channel (received here into a tree) and the target's API (a
// stand-in holding only what our extensions use). The tree can be read as text and its props
// (onChange, onPress, href) called like the admin's host components would.
import {
  createRemoteReceiver,
  type RemoteReceiverAttachableChild,
  type RemoteReceiverAttachableFragment,
} from "@remote-ui/core";

type Node = RemoteReceiverAttachableChild | RemoteReceiverAttachableFragment;
type ExtensionEntry = (channel: { channel: unknown; components?: unknown }, api: unknown) => Promise<unknown>;

export interface RenderedExtension {
  /** The rendered text, components as `[Name]` markers, with props in fragments (primary actions) included. */
  text(): string;
  /** Components of one type, in document order (fragments in props included). */
  find(type: string): { props: Record<string, unknown>; text: string }[];
  /** Waits until the tree's text matches. */
  waitFor(match: RegExp, timeoutMs?: number): Promise<string>;
}

export interface AdminApiStandIn {
  customerGid: string;
  close?: () => void;
  /** More of the target's API (e.g. a customer account block's `sessionToken` and `order`). */
  api?: Record<string, unknown>;
}

function isFragment(value: unknown): value is RemoteReceiverAttachableFragment {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === 3;
}

function textOf(node: Node): string {
  if ("text" in node) return node.text;
  const children = node.children.map(textOf).join("");
  if (!("type" in node)) return children;
  const fragments = Object.values(node.props ?? {})
    .filter(isFragment)
    .map(textOf)
    .join("");
  return `[${node.type}]${fragments}${children}`;
}

function collect(node: Node, type: string, found: { props: Record<string, unknown>; text: string }[]) {
  if ("text" in node) return;
  if ("type" in node) {
    if (node.type === type) found.push({ props: node.props as Record<string, unknown>, text: textOf(node) });
    for (const value of Object.values(node.props ?? {})) if (isFragment(value)) collect(value, type, found);
  }
  for (const child of node.children) collect(child, type, found);
}

/** Imports the module (its default export is the registered extension) and renders it. */
export async function renderAdminExtension(
  entry: ExtensionEntry,
  target: string,
  standIn: AdminApiStandIn,
): Promise<RenderedExtension> {
  const receiver = createRemoteReceiver();
  const api = {
    extension: { target },
    data: { selected: [{ id: standIn.customerGid }] },
    close: standIn.close ?? (() => {}),
    i18n: {
      formatNumber: (n: number) => new Intl.NumberFormat("en-US").format(n),
      formatCurrency: (n: number, options?: { currency?: string }) =>
        new Intl.NumberFormat("en-US", { style: "currency", currency: options?.currency ?? "USD" }).format(n),
      formatDate: (d: Date) => new Intl.DateTimeFormat("en-US").format(d),
      translate: (key: string) => key,
    },
    ...standIn.api,
  };
  await entry({ channel: receiver.receive }, api);
  const root = () => receiver.attached.root as unknown as RemoteReceiverAttachableFragment;
  const rendered: RenderedExtension = {
    text: () => textOf(root()),
    find(type) {
      const found: { props: Record<string, unknown>; text: string }[] = [];
      collect(root(), type, found);
      return found;
    },
    async waitFor(match, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await receiver.flush();
        const text = rendered.text();
        if (match.test(text)) return text;
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${match}; the extension shows: ${text}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
  return rendered;
}
