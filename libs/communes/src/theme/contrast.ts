import type { InputProblem } from '@gemeng/core';

/** WCAG 2.1 success criterion 1.4.3 (AA): normal text needs a contrast ratio of at least 4.5:1. */
export const AA_TEXT_CONTRAST = 4.5;

export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

function channel(value: number): number {
  const srgb = value / 255;
  return srgb <= 0.04045 ? srgb / 12.92 : ((srgb + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance as WCAG 2.1 defines it, for a `#rrggbb` colour. */
export function relativeLuminance(hex: string): number {
  if (!HEX_COLOR.test(hex)) throw new Error(`Not a #rrggbb colour: ${hex}`);
  const r = parseInt(hex.slice(1, 3), 16);
  const g = parseInt(hex.slice(3, 5), 16);
  const b = parseInt(hex.slice(5, 7), 16);
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** Contrast ratio between two colours, from 1 (none) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

export interface ThemeColors {
  primaryColor: string;
  onPrimaryColor: string;
  secondaryColor: string;
  onSecondaryColor: string;
  accentColor: string;
  textColor: string;
  backgroundColor: string;
}

/**
 * The pairs in which one colour is text drawn on the other: body text, text on primary and secondary
 * surfaces (header, buttons), and the accent used for links on the page background.
 */
export const TEXT_PAIRS: ReadonlyArray<[foreground: keyof ThemeColors, background: keyof ThemeColors]> = [
  ['textColor', 'backgroundColor'],
  ['onPrimaryColor', 'primaryColor'],
  ['onSecondaryColor', 'secondaryColor'],
  ['accentColor', 'backgroundColor'],
];

/** Rounds down, so that a ratio shown as 4.5 is never one that actually fails. */
function formatRatio(ratio: number): string {
  return (Math.floor(ratio * 100) / 100).toFixed(2);
}

/** Problems of a theme that would be unreadable, each naming both colours and their ratio. */
export function themeContrastProblems(theme: ThemeColors, path = 'theme'): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const [fg, bg] of TEXT_PAIRS) {
    const foreground = theme[fg];
    const background = theme[bg];
    if (!HEX_COLOR.test(foreground) || !HEX_COLOR.test(background)) continue;
    const ratio = contrastRatio(foreground, background);
    if (ratio < AA_TEXT_CONTRAST) {
      problems.push({
        path: `${path}.${fg}`,
        message:
          `${fg} ${foreground} on ${bg} ${background} has a contrast ratio of ${formatRatio(ratio)}:1; ` +
          `WCAG 2.1 AA needs at least ${AA_TEXT_CONTRAST}:1 for text`,
      });
    }
  }
  return problems;
}
