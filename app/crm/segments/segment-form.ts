// A saved segment's input (name, rule, sync) as the builder posts it, validated with zod into
// field-level errors: "name", "rule" (the whole rule) and "rule.conditions.0.values" style paths
// for each condition, so the builder can put every message next to its input.
import { z } from "zod";

import { customerFilterSchema, type CustomerFilter } from "../customers/customer-filter";

export const SEGMENT_NAME_MAX_LENGTH = 80;
const HANDLE_SLUG_MAX_LENGTH = 40;

export const segmentInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter a name")
    .max(SEGMENT_NAME_MAX_LENGTH, `Use ${SEGMENT_NAME_MAX_LENGTH} characters or fewer`),
  rule: customerFilterSchema,
  syncToShopify: z.boolean(),
});
export type SegmentInput = { name: string; rule: CustomerFilter; syncToShopify: boolean };

export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** A plain sentence for each zod issue (zod's defaults speak of types and arrays). */
function issueMessage(issue: z.core.$ZodIssue): string {
  // Messages written in the schemas ("Use two-letter country codes") are already plain.
  if (!/^(Too small|Too big|Invalid)/.test(issue.message)) return issue.message;
  const last = issue.path[issue.path.length - 1];
  if (issue.code === "too_small") {
    if (issue.origin === "array") return "Choose at least one";
    if (issue.origin === "string") return "Enter a value";
    return `Enter ${String(issue.minimum)} or more`;
  }
  if (issue.code === "too_big") {
    if (issue.origin === "array") return `Choose at most ${String(issue.maximum)}`;
    if (issue.origin === "string") return `Use ${String(issue.maximum)} characters or fewer`;
    return `Enter ${String(issue.maximum)} or less`;
  }
  if (issue.code === "invalid_type") return last === "days" ? "Enter a whole number of days" : "Enter a number";
  if (issue.code === "invalid_format" && issue.format === "date") return "Enter a date (YYYY-MM-DD)";
  if (issue.code === "invalid_value" || issue.code === "invalid_union") return "Choose a valid option";
  return issue.message;
}

/** zod issues → { "a.b.0": message }, the first message per path. */
export function fieldErrorsOf(error: z.ZodError, prefix = ""): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = [prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "form";
    errors[key] ??= issueMessage(issue);
  }
  return errors;
}

/** The builder's form: `name`, `rule` (the CustomerFilter as JSON), `syncToShopify` ("on" when checked). */
export function parseSegmentForm(values: Record<string, FormDataEntryValue | undefined>): Parsed<SegmentInput> {
  let rule: unknown;
  try {
    rule = JSON.parse(String(values.rule ?? ""));
  } catch {
    return { ok: false, errors: { rule: "The rule could not be read; build it again" } };
  }
  const parsed = segmentInputSchema.safeParse({
    name: typeof values.name === "string" ? values.name : "",
    rule,
    syncToShopify: values.syncToShopify === "on" || values.syncToShopify === "true",
  });
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  return { ok: true, value: parsed.data };
}

/** A rule from a URL (`?filter=<json>`, the Customers page's "Create segment from this filter"). */
export function parseFilterParam(raw: string | null): CustomerFilter | null {
  if (!raw) return null;
  try {
    const parsed = customerFilterSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The segment's tag and metafield value in Shopify: `kinship-` and the name in lower-case ASCII
 * words joined by hyphens. Fixed at creation (renaming would orphan the tag on every customer).
 */
export function segmentHandleBase(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, HANDLE_SLUG_MAX_LENGTH)
    .replace(/-+$/, "");
  return `kinship-${slug || "segment"}`;
}

/** The base, or the base with the first free `-2`, `-3` … suffix. */
export function uniqueHandle(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
