// The outcome of the last form post: a success toast-like banner, or the form-level error.
import { Banner } from "@shopify/polaris";

export function ActionBanner({
  actionData,
}: {
  actionData: { ok: true; message: string } | { ok: false; errors: Record<string, string> } | undefined;
}) {
  if (!actionData) return null;
  if (actionData.ok) return <Banner tone="success" title={actionData.message} />;
  const formError = actionData.errors.form;
  return (
    <Banner tone="critical" title={formError ?? "Some fields need attention"}>
      {formError ? null : <p>Check the highlighted fields below.</p>}
    </Banner>
  );
}
