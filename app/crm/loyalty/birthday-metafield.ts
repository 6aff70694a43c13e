// Shopify's standard customer birthday: the metafield `facts.birth_date`, type `date`
// ("YYYY-MM-DD"). Only the month and day matter to the birthday bonus.

export const BIRTH_DATE_METAFIELD = { namespace: "facts", key: "birth_date" } as const;

/** Month and day of a `facts.birth_date` value; null for anything that is not a real date. */
export function birthdayFromMetafield(
  field: { value: string | null; type: string } | null | undefined,
): { month: number; day: number } | null {
  if (!field?.value || field.type !== "date") return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(field.value.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31 April over into May: a rolled date was not a real one.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return { month, day };
}
