import { describe, expect, it } from "vitest";

import { HEATMAP_LEVELS } from "../../crm/dashboard/cohort-heatmap";
import {
  contrastRatio,
  DARK_TEXT,
  HEAT_SHADES,
  heatColours,
  LIGHT_TEXT,
  MIN_TEXT_CONTRAST,
  relativeLuminance,
  textColourOn,
} from "./cohort-heat-colours";

describe("cohort heat colours", () => {
  it("computes WCAG 2 luminance and contrast (black on white is 21:1, #767676 on white 4.54:1)", () => {
    expect(relativeLuminance("#ffffff")).toBeCloseTo(1, 10);
    expect(relativeLuminance("#000000")).toBe(0);
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 10);
    expect(contrastRatio("#ffffff", "#767676")).toBeCloseTo(4.54, 2);
    expect(contrastRatio("#767676", "#ffffff")).toBe(contrastRatio("#ffffff", "#767676"));
  });

  it("rejects what is not a #rrggbb colour", () => {
    expect(() => relativeLuminance("blue")).toThrow(/#rrggbb/);
  });

  it("puts dark text on light backgrounds and light text on dark ones", () => {
    expect(textColourOn("#ffffff")).toBe(DARK_TEXT);
    expect(textColourOn("#f4f6f8")).toBe(DARK_TEXT);
    expect(textColourOn("#1d4f91")).toBe(LIGHT_TEXT);
    expect(textColourOn("#000000")).toBe(LIGHT_TEXT);
  });

  it("has a shade for every heat level, each with text at 4.5:1 or better", () => {
    expect(HEAT_SHADES).toHaveLength(HEATMAP_LEVELS + 1);
    for (let level = 0; level <= HEATMAP_LEVELS; level++) {
      const { background, color } = heatColours(level);
      expect(background).toBe(HEAT_SHADES[level]);
      expect(contrastRatio(background, color), `level ${level}: ${color} on ${background}`).toBeGreaterThanOrEqual(
        MIN_TEXT_CONTRAST,
      );
    }
  });

  it("darkens with the level, so the shading reads as more retention", () => {
    const luminances = HEAT_SHADES.map(relativeLuminance);
    for (let level = 1; level < luminances.length; level++)
      expect(luminances[level]!).toBeLessThan(luminances[level - 1]!);
  });

  it("clamps levels outside the scale", () => {
    expect(heatColours(-1)).toEqual(heatColours(0));
    expect(heatColours(HEATMAP_LEVELS + 3)).toEqual(heatColours(HEATMAP_LEVELS));
  });
});
