// The survey pages the storefront shows through the app proxy: standalone HTML (Shopify passes
// text/html through untouched), no scripts, every value escaped. Pure: no Remix, no Prisma.
import type { AnswerErrors } from "./survey-answer";
import { MAX_COMMENT_LENGTH } from "./survey-answer";
import type { SurveyKind } from "./survey-kinds";

export interface SurveyPage {
  status: number;
  html: string;
}

const QUESTIONS: Record<SurveyKind, string> = {
  nps: "How likely are you to recommend us to a friend or colleague?",
  csat: "How satisfied are you with your order?",
  likert: "How much do you agree with these statements?",
};
const CSAT_LABELS = ["Very unsatisfied", "Unsatisfied", "Neutral", "Satisfied", "Very satisfied"];
const LIKERT_LABELS = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"];

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"'{}]/g,
    (char) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "{": "&#123;", "}": "&#125;" })[char]!,
  );
}

const STYLE = `
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f6f7}
main{max-width:640px;margin:40px auto;padding:32px;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:22px;margin:0 0 8px}p{margin:0 0 16px}.muted{color:#616161}
fieldset{border:0;padding:0;margin:0 0 20px}legend{font-weight:600;margin-bottom:10px}
.scale{display:flex;flex-wrap:wrap;gap:4px}.scale label{position:relative}
.scale input{position:absolute;opacity:0}.scale span{display:inline-block;min-width:28px;padding:8px 7px;text-align:center;border:1px solid #8a8a8a;border-radius:8px;cursor:pointer}
.scale input:checked+span{background:#1a1a1a;color:#fff;border-color:#1a1a1a}.scale input:focus-visible+span{outline:2px solid #005bd3;outline-offset:2px}
.ends{display:flex;justify-content:space-between;font-size:13px;color:#616161;margin-top:6px}
textarea{width:100%;box-sizing:border-box;min-height:90px;padding:8px;border:1px solid #8a8a8a;border-radius:8px;font:inherit}
button{padding:10px 20px;border:0;border-radius:8px;background:#1a1a1a;color:#fff;font:inherit;cursor:pointer}
.error{color:#8e1f0b;background:#fee9e8;padding:8px 12px;border-radius:8px}.code{font:600 20px monospace;letter-spacing:1px}`;

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function scale(name: string, legend: string, min: number, max: number, labels: string[] | null, checked?: string) {
  const options = Array.from({ length: max - min + 1 }, (_, i) => String(min + i))
    .map(
      (value, i) =>
        `<label><input type="radio" name="${name}" value="${value}" required${checked === value ? " checked" : ""}${labels ? ` aria-label="${value} – ${escapeHtml(labels[i] ?? "")}"` : ""}><span>${value}</span></label>`,
    )
    .join("");
  const ends = labels ? [labels[0], labels.at(-1)] : ["Not at all likely", "Extremely likely"];
  return `<fieldset><legend>${escapeHtml(legend)}</legend><div class="scale">${options}</div><div class="ends"><span>${escapeHtml(ends[0] ?? "")}</span><span>${escapeHtml(ends[1] ?? "")}</span></div></fieldset>`;
}

export function surveyFormPage(input: {
  kind: SurveyKind;
  shopName: string;
  orderName: string | null;
  statements: readonly string[];
  errors?: AnswerErrors;
  values?: Record<string, string>;
}): SurveyPage {
  const { kind, values = {}, errors = {} } = input;
  const questions =
    kind === "likert"
      ? input.statements.map((s, i) => scale(`answer${i}`, s, 1, 5, LIKERT_LABELS, values[`answer${i}`])).join("")
      : kind === "nps"
        ? scale("score", QUESTIONS.nps, 0, 10, null, values.score)
        : scale("score", QUESTIONS.csat, 1, 5, CSAT_LABELS, values.score);
  const errorText = Object.values(errors)[0];
  const about = input.orderName ? ` about order ${escapeHtml(input.orderName)}` : "";
  const body = `<h1>${escapeHtml(input.shopName)} would love your feedback</h1>
<p class="muted">A quick question${about}. It takes less than a minute.</p>
${errorText ? `<p class="error" role="alert">${escapeHtml(errorText)}</p>` : ""}
<form method="post">${kind === "likert" ? `<p>${QUESTIONS.likert}</p>` : ""}${questions}
<fieldset><legend><label for="comment">Anything you would like to add? (optional)</label></legend>
<textarea id="comment" name="comment" maxlength="${MAX_COMMENT_LENGTH}">${escapeHtml(values.comment ?? "")}</textarea></fieldset>
<button type="submit">Send my answer</button></form>`;
  return { status: errorText ? 422 : 200, html: layout(`Feedback for ${input.shopName}`, body) };
}

export function surveyThanksPage(input: {
  shopName: string;
  pointsAwarded: number;
  recoveryCode: string | null;
}): SurveyPage {
  const points =
    input.pointsAwarded > 0 ? `<p>We added ${input.pointsAwarded} points to your rewards balance.</p>` : "";
  const recovery = input.recoveryCode
    ? `<p>We're sorry we let you down. Please accept this code for your next order:</p><p class="code">${escapeHtml(input.recoveryCode)}</p>`
    : "";
  return {
    status: 200,
    html: layout(
      "Thank you",
      `<h1>Thank you for your feedback</h1><p>${escapeHtml(input.shopName)} reads every answer.</p>${points}${recovery}`,
    ),
  };
}

export type SurveyLinkProblem = "invalid" | "expired" | "answered" | "closed";

const PROBLEMS: Record<SurveyLinkProblem, { status: number; title: string; text: string }> = {
  invalid: {
    status: 404,
    title: "This survey link isn't valid",
    text: "The link may have been copied incompletely. Please use the link from your e-mail as it is.",
  },
  expired: {
    status: 410,
    title: "This survey has closed",
    text: "The link has expired. Thank you for thinking of us all the same.",
  },
  answered: {
    status: 410,
    title: "You have already answered",
    text: "Each survey can be answered once, and we have your answer. Thank you!",
  },
  closed: {
    status: 404,
    title: "This survey is not available",
    text: "The shop is not asking this question at the moment.",
  },
};

export function surveyProblemPage(problem: SurveyLinkProblem): SurveyPage {
  const { status, title, text } = PROBLEMS[problem];
  return { status, html: layout(title, `<h1>${title}</h1><p class="muted">${text}</p>`) };
}
