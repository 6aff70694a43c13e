// The three surveys and their answer scales.
export const SURVEY_KINDS = ["nps", "csat", "likert"] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

export const SURVEY_SCALES: Record<SurveyKind, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  likert: { min: 1, max: 5 },
};

export const SURVEY_TITLES: Record<SurveyKind, string> = {
  nps: "Net Promoter Score",
  csat: "Customer satisfaction",
  likert: "Questionnaire",
};

export const CHANNELS = ["customer_account", "link"] as const;
export type SurveyChannel = (typeof CHANNELS)[number];
