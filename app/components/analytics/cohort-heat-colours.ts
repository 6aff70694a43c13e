// The cohort heatmap's shades and the text printed on them. Each cell prints its share on its
// shade, so the text colour is chosen per shade by WCAG 2 contrast (relative luminance), and every
// shade must leave one of the two text colours at 4.5:1 or better (small text, WCAG AA). Pure.

/** Polaris's default text colour, and white. */
export const DARK_TEXT = "#303030";
export const LIGHT_TEXT = "#ffffff";
export const MIN_TEXT_CONTRAST = 4.5;

/** One hue, darker with retention, level 0 (no one came back) to 5 (the highest shares). */
export const HEAT_SHADES = ["#f4f6f8", "#dbe8f7", "#b4cff0", "#7faee3", "#2f6fbf", "#1d4f91"] as const;

function channel(hex: string, offset: number): number {
  const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

/** WCAG 2 relative luminance of a `#rrggbb` colour, 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) throw new Error(`Not a #rrggbb colour: ${hex}`);
  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
}

/** WCAG 2 contrast ratio of two colours, 1 to 21. */
export function contrastRatio(first: string, second: string): number {
  const [lighter, darker] = [relativeLuminance(first), relativeLuminance(second)].sort((a, b) => b - a) as [
    number,
    number,
  ];
  return (lighter + 0.05) / (darker + 0.05);
}

/** The text colour, dark or light, that reads best on `background`. */
export function textColourOn(background: string): string {
  return contrastRatio(background, DARK_TEXT) >= contrastRatio(background, LIGHT_TEXT) ? DARK_TEXT : LIGHT_TEXT;
}

/** Background and text of a heat level (clamped to the known levels). */
export function heatColours(level: number): { background: string; color: string } {
  const background = HEAT_SHADES[Math.min(HEAT_SHADES.length - 1, Math.max(0, Math.round(level)))]!;
  return { background, color: textColourOn(background) };
}
