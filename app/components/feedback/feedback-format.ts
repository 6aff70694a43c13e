// Display helpers of the feedback page and card.
export const SURVEY_LABELS: Record<string, string> = { nps: "NPS", csat: "CSAT", likert: "Questionnaire" };

export function formatNps(value: number | null): string {
  if (value === null) return "–";
  const rounded = Math.round(value);
  return rounded > 0 ? `+${rounded}` : String(rounded);
}

export function formatInterval(low: number | null, high: number | null): string {
  return low === null || high === null
    ? "too few answers for an interval"
    : `95% CI ${formatNps(low)} to ${formatNps(high)}`;
}

export function formatAverage(value: number | null): string {
  return value === null ? "–" : value.toFixed(2);
}

export function bandTone(band: string | null): "success" | "attention" | "critical" | undefined {
  if (band === "promoter") return "success";
  if (band === "passive") return "attention";
  if (band === "detractor") return "critical";
  return undefined;
}
