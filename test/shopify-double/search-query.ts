// A subset of Shopify's search syntax for the `query` argument of connections and counts:
// `field:value`, `field:>value` (also >=, <, <=), quoted values, `value*` prefixes,
// `field:*` (has a value), negation with `-` or NOT, implicit AND, and OR between groups.
// Like Shopify, terms on unknown fields are ignored and reported as warnings.

export type SearchFieldKind = "date" | "number" | "string" | "tags";

export interface SearchField<T> {
  kind: SearchFieldKind;
  get: (record: T) => string | number | null | readonly string[];
}

export type SearchFields<T> = Record<string, SearchField<T>>;

export interface CompiledSearch<T> {
  matches(record: T): boolean;
  warnings: { field: string; message: string }[];
}

type Op = ":" | ">" | ">=" | "<" | "<=";

interface Term {
  negate: boolean;
  field: string | null;
  op: Op;
  value: string;
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const ch of query) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
    } else if (/\s/.test(ch)) {
      if (current) tokens.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  if (current) tokens.push(current);
  return tokens;
}

function unquote(value: string): string {
  const match = /^(['"])(.*)\1$/.exec(value);
  return match ? (match[2] ?? "") : value;
}

function parseTerm(token: string, negate: boolean): Term {
  let text = token;
  if (text.startsWith("-") && text.length > 1) {
    negate = !negate;
    text = text.slice(1);
  }
  const fieldMatch = /^([a-z_]+):(.*)$/i.exec(text);
  if (!fieldMatch) return { negate, field: null, op: ":", value: unquote(text) };
  const rest = fieldMatch[2] ?? "";
  const opMatch = /^(>=|<=|>|<)?(.*)$/.exec(rest);
  return {
    negate,
    field: (fieldMatch[1] ?? "").toLowerCase(),
    op: (opMatch?.[1] as Op | undefined) ?? ":",
    value: unquote(opMatch?.[2] ?? ""),
  };
}

function compare(a: string | number, b: string | number, op: Op): boolean {
  switch (op) {
    case ":":
      return a === b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
  }
}

function matchString(actual: string, term: Term): boolean {
  const have = actual.toLowerCase();
  const want = term.value.toLowerCase();
  if (term.op === ":" && want.endsWith("*")) return have.startsWith(want.slice(0, -1));
  return compare(have, want, term.op);
}

function matchTerm<T>(record: T, term: Term, field: SearchField<T>): boolean {
  const raw = field.get(record);
  if (term.value === "*" && term.op === ":") {
    return raw !== null && raw !== "" && !(Array.isArray(raw) && raw.length === 0);
  }
  if (raw === null) return false;
  switch (field.kind) {
    case "tags":
      return (raw as readonly string[]).some((tag) => matchString(tag, term));
    case "string":
      return matchString(String(raw), term);
    case "number": {
      const want = Number(term.value);
      return Number.isFinite(want) && compare(Number(raw), want, term.op);
    }
    case "date": {
      const want = Date.parse(term.value);
      return Number.isFinite(want) && compare(Date.parse(String(raw)), want, term.op);
    }
  }
}

/** Compiles `query` against the searchable fields of a resource; free text matches `freeText`. */
export function compileSearch<T>(
  query: string | null | undefined,
  fields: SearchFields<T>,
  freeText: (record: T) => (string | null)[],
): CompiledSearch<T> {
  const warnings: { field: string; message: string }[] = [];
  const groups: Term[][] = [[]];
  let negateNext = false;
  for (const raw of tokenize(query ?? "")) {
    const token = raw.replace(/^\(+|\)+$/g, "");
    if (token !== raw)
      warnings.push({
        field: "query",
        message: "Parentheses are not supported by the local Shopify double; they were ignored.",
      });
    if (token === "" || token === "AND") continue;
    if (token === "OR") {
      groups.push([]);
      continue;
    }
    if (token === "NOT") {
      negateNext = true;
      continue;
    }
    const term = parseTerm(token, negateNext);
    negateNext = false;
    if (term.field !== null && !(term.field in fields)) {
      warnings.push({ field: term.field, message: "Invalid search field for this query." });
      continue;
    }
    groups[groups.length - 1]!.push(term);
  }

  const termMatches = (record: T, term: Term): boolean => {
    const hit =
      term.field === null
        ? freeText(record).some((text) => text !== null && text.toLowerCase().includes(term.value.toLowerCase()))
        : matchTerm(record, term, fields[term.field]!);
    return term.negate ? !hit : hit;
  };
  return {
    warnings,
    matches: (record) => groups.some((group) => group.every((term) => termMatches(record, term))),
  };
}
