// The Customers page's filters for Polaris IndexFilters: each one reads and writes discrete URL
// parameters (customer-list-params.ts parses them on the server). Text inputs commit after a
// pause in typing; choice lists at once.
import { ChoiceList, InlineStack, TextField, type FilterInterface } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";

import type { ListParam } from "../../crm/customers/customer-list-params";
import { choicesOf, type RuleOptions } from "../../crm/segments/rule-draft";

type SetParams = (changes: Partial<Record<ListParam, string | null>>) => void;

/** A text field whose value reaches the URL 500 ms after the last keystroke. */
function DebouncedField(props: {
  label: string;
  value: string;
  onCommit: (value: string) => void;
  error?: string;
  type?: "text" | "number";
  prefix?: string;
  helpText?: string;
  labelHidden?: boolean;
}) {
  const [draft, setDraft] = useState(props.value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const { onCommit, value } = props;
  useEffect(() => setDraft(value), [value]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  return (
    <TextField
      label={props.label}
      labelHidden={props.labelHidden}
      type={props.type ?? "text"}
      prefix={props.prefix}
      helpText={props.helpText}
      autoComplete="off"
      value={draft}
      error={props.error}
      onChange={(next) => {
        setDraft(next);
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => onCommit(next), 500);
      }}
    />
  );
}

function listOf(value: string | null): string[] {
  return value ? value.split(",").filter(Boolean) : [];
}

export function customerFilters(input: {
  params: URLSearchParams;
  setParams: SetParams;
  options: RuleOptions;
  currencySymbol: string;
  errors: Record<string, string>;
}): { filters: FilterInterface[]; applied: { key: string; label: string; onRemove: () => void }[] } {
  const { params, setParams, options, errors } = input;
  const get = (param: ListParam) => params.get(param) ?? "";

  const choice = (
    param: ListParam,
    label: string,
    field: Parameters<typeof choicesOf>[0],
    extra: { value: string; label: string }[] = [],
  ) => {
    const choices = [...choicesOf(field, options), ...extra].filter(
      (option, index, all) => all.findIndex((o) => o.value === option.value) === index,
    );
    const selected = listOf(params.get(param));
    const filter: FilterInterface = {
      key: param,
      label,
      filter: (
        <ChoiceList
          title={label}
          titleHidden
          allowMultiple
          choices={choices}
          selected={selected}
          error={errors[param]}
          onChange={(values) => setParams({ [param]: values.length > 0 ? values.join(",") : null })}
        />
      ),
      shortcut: param === "rfm" || param === "risk",
    };
    const applied =
      selected.length > 0
        ? {
            key: param,
            label: `${label}: ${selected.map((v) => choices.find((c) => c.value === v)?.label ?? v).join(", ")}`,
            onRemove: () => setParams({ [param]: null }),
          }
        : null;
    return { filter, applied };
  };

  const range = (minParam: ListParam, maxParam: ListParam, label: string, prefix?: string) => {
    const min = get(minParam);
    const max = get(maxParam);
    const filter: FilterInterface = {
      key: minParam,
      label,
      filter: (
        <InlineStack gap="200" wrap={false}>
          <DebouncedField
            label="Min"
            prefix={prefix}
            value={min}
            error={errors[minParam]}
            onCommit={(v) => setParams({ [minParam]: v.trim() || null })}
          />
          <DebouncedField
            label="Max"
            prefix={prefix}
            value={max}
            error={errors[maxParam]}
            onCommit={(v) => setParams({ [maxParam]: v.trim() || null })}
          />
        </InlineStack>
      ),
    };
    const text = min && max ? `${min}–${max}` : min ? `≥ ${min}` : max ? `≤ ${max}` : "";
    const applied = text
      ? {
          key: minParam,
          label: `${label} ${prefix ?? ""}${text}`,
          onRemove: () => setParams({ [minParam]: null, [maxParam]: null }),
        }
      : null;
    return { filter, applied };
  };

  const text = (param: ListParam, label: string, helpText: string, transform = (v: string) => v) => {
    const value = get(param);
    const filter: FilterInterface = {
      key: param,
      label,
      filter: (
        <DebouncedField
          label={label}
          labelHidden
          helpText={helpText}
          value={value}
          error={errors[param]}
          onCommit={(v) => setParams({ [param]: transform(v).trim() || null })}
        />
      ),
    };
    const applied = value
      ? { key: param, label: `${label}: ${value}`, onRemove: () => setParams({ [param]: null }) }
      : null;
    return { filter, applied };
  };

  // Last order: one of "within N days", "more than N days ago", "never".
  const lastMode = params.get("last_never") === "1" ? "never" : params.get("last_older") ? "older" : "within";
  const lastDays = get("last_within") || get("last_older");
  const setLast = (mode: string, days: string) =>
    setParams({
      last_within: mode === "within" && days ? days : null,
      last_older: mode === "older" && days ? days : null,
      last_never: mode === "never" ? "1" : null,
    });
  const lastOrder = {
    filter: {
      key: "last_within",
      label: "Last order",
      filter: (
        <>
          <ChoiceList
            title="Last order"
            titleHidden
            choices={[
              { label: "Within the last … days", value: "within" },
              { label: "More than … days ago", value: "older" },
              { label: "Never ordered", value: "never" },
            ]}
            selected={[lastMode]}
            onChange={([mode]) => setLast(mode ?? "within", mode === "never" ? "" : lastDays || "30")}
          />
          {lastMode !== "never" ? (
            <DebouncedField
              label="Days"
              type="number"
              value={lastDays}
              error={errors.last_within ?? errors.last_older}
              onCommit={(v) => setLast(lastMode, v.trim())}
            />
          ) : null}
        </>
      ),
    } satisfies FilterInterface,
    applied:
      lastMode === "never" || lastDays
        ? {
            key: "last_within",
            label:
              lastMode === "never"
                ? "Never ordered"
                : lastMode === "older"
                  ? `Last order over ${lastDays} days ago`
                  : `Ordered in the last ${lastDays} days`,
            onRemove: () => setLast("within", ""),
          }
        : null,
  };

  const all = [
    choice("rfm", "RFM segment", "rfmSegment"),
    choice("cluster", "Cluster", "cluster"),
    choice("stage", "Lifecycle stage", "lifecycleStage"),
    choice("risk", "Churn risk", "churnRisk"),
    choice("tier", "Tier", "tier"),
    range("points_min", "points_max", "Points"),
    range("orders_min", "orders_max", "Orders"),
    range("spend_min", "spend_max", "Spend", input.currencySymbol),
    lastOrder,
    text("tags", "Tags", "Any of these tags, separated by commas"),
    text("country", "Country", "Two-letter codes separated by commas, e.g. US, FR", (v) => v.toUpperCase()),
    choice("consent", "Email marketing", "emailConsent"),
  ];
  return {
    filters: all.map((entry) => entry.filter),
    applied: all.flatMap((entry) => (entry.applied ? [entry.applied] : [])),
  };
}
