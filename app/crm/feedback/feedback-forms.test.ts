import { describe, expect, it } from "vitest";

import { DEFAULT_FEEDBACK_SETTINGS, enabledSurveys, parseFeedbackSettingsForm } from "./feedback-settings";
import { parseSurveyAnswer } from "./survey-answer";
import { escapeHtml, surveyFormPage } from "./survey-page";

describe("survey answers", () => {
  it("accept an NPS score with its band and a trimmed comment", () => {
    expect(parseSurveyAnswer("nps", [], { score: "3", comment: "  Parcel arrived broken " })).toEqual({
      ok: true,
      answer: {
        kind: "nps",
        score: 3,
        band: "detractor",
        answers: [],
        statements: [],
        comment: "Parcel arrived broken",
      },
    });
    expect(parseSurveyAnswer("nps", [], { score: 10 })).toMatchObject({ ok: true, answer: { band: "promoter" } });
  });

  it("refuse scores off the scale with the scale in the message", () => {
    expect(parseSurveyAnswer("nps", [], { score: "11" })).toEqual({
      ok: false,
      errors: { score: "Choose a number from 0 to 10" },
    });
    expect(parseSurveyAnswer("csat", [], { score: "0" })).toMatchObject({ ok: false, errors: { score: /1 to 5/ } });
    expect(parseSurveyAnswer("csat", [], { score: "" })).toMatchObject({ ok: false });
    expect(parseSurveyAnswer("csat", [], { score: "4.5" })).toMatchObject({ ok: false });
    expect(parseSurveyAnswer("nps", [], { score: 5, comment: "x".repeat(2001) })).toMatchObject({
      ok: false,
      errors: { comment: expect.stringContaining("2000") },
    });
  });

  it("need one 1-5 answer per questionnaire statement and keep the statements asked", () => {
    const statements = ["Fast delivery", "Good packaging"];
    expect(parseSurveyAnswer("likert", statements, { answer0: "5", answer1: "2" })).toMatchObject({
      ok: true,
      answer: { score: 4, answers: [5, 2], statements, band: null },
    });
    expect(parseSurveyAnswer("likert", statements, { answers: [4, 4] })).toMatchObject({ ok: true });
    expect(parseSurveyAnswer("likert", statements, { answer0: "5" })).toMatchObject({ ok: false });
    expect(parseSurveyAnswer("likert", statements, { answers: [4] })).toMatchObject({ ok: false });
    expect(parseSurveyAnswer("likert", statements, { answers: [4, 6] })).toMatchObject({ ok: false });
  });
});

describe("survey settings form", () => {
  const valid = {
    nps: "on",
    likert: "on",
    likertStatements: "Fast delivery\n\nGood packaging\n",
    pointsForAnswer: "25",
    askAfterDays: "7",
    linkValidDays: "30",
    recoveryRewardId: "3",
  };

  it("parses checkboxes, one statement per line, numbers and the reward", () => {
    expect(parseFeedbackSettingsForm(valid, [3])).toEqual({
      ok: true,
      value: {
        surveys: { nps: true, csat: false, likert: true },
        likertStatements: ["Fast delivery", "Good packaging"],
        pointsForAnswer: 25,
        askAfterDays: 7,
        linkValidDays: 30,
        recoveryRewardId: 3,
      },
    });
    expect(parseFeedbackSettingsForm({ ...valid, recoveryRewardId: "none" }, [3])).toMatchObject({
      ok: true,
      value: { recoveryRewardId: null },
    });
  });

  it("names each bad field", () => {
    const result = parseFeedbackSettingsForm(
      {
        ...valid,
        likertStatements: "a\nb\nc\nd\ne\nf",
        pointsForAnswer: "-5",
        askAfterDays: "x",
        linkValidDays: "0",
        recoveryRewardId: "99",
      },
      [3],
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        likertStatements: expect.any(String),
        pointsForAnswer: "Points for answering must be a whole number",
        askAfterDays: "Days after the order must be a whole number",
        linkValidDays: "Link validity must be at least 1",
        recoveryRewardId: "Choose one of the loyalty program's rewards",
      },
    });
    expect(
      parseFeedbackSettingsForm({ ...valid, likertStatements: "Fine\nThis statement is fine\nOk" }, [3]),
    ).toMatchObject({ ok: false, errors: { likertStatements: "Each statement needs at least 3 characters" } });
    expect(parseFeedbackSettingsForm({ ...valid, likertStatements: "" }, [3])).toMatchObject({
      ok: false,
      errors: { likertStatements: "The questionnaire needs a statement" },
    });
  });

  it("asks only surveys that are on (a questionnaire needs statements)", () => {
    expect(enabledSurveys(DEFAULT_FEEDBACK_SETTINGS)).toEqual(["nps"]);
    expect(
      enabledSurveys({
        ...DEFAULT_FEEDBACK_SETTINGS,
        surveys: { nps: false, csat: true, likert: true },
        likertStatements: [],
      }),
    ).toEqual(["csat"]);
  });
});

describe("survey page", () => {
  it("escapes markup and Liquid in what it shows", () => {
    expect(escapeHtml(`<script>"x"</script>{{ shop.secret }}`)).toBe(
      "&lt;script&gt;&quot;x&quot;&lt;/script&gt;&#123;&#123; shop.secret &#125;&#125;",
    );
    const page = surveyFormPage({
      kind: "likert",
      shopName: "Tom & Jerry's",
      orderName: "#1001",
      statements: ["<b>Bold</b> claim"],
      values: { comment: "</textarea><script>alert(1)</script>" },
    });
    expect(page.status).toBe(200);
    expect(page.html).toContain("Tom &amp; Jerry&#39;s");
    expect(page.html).not.toContain("<b>Bold</b>");
    expect(page.html).not.toContain("<script>");
    expect(page.html.match(/type="radio" name="answer0"/g)).toHaveLength(5);
  });
});
