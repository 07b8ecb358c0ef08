// How records look on a terminal (issue 13 item 8): the width tables fit, and whether outcomes are
// coloured. Colour only on a terminal: never when stdout is piped, never with NO_COLOR set to a
// non-empty value (no-color.org), which wins over FORCE_COLOR; FORCE_COLOR (not 0/false) forces it on.
import { styleText } from 'node:util';

export interface Style {
  /** Columns a table may take. */
  width: number;
  color: boolean;
}

/** The facts the style is decided from (CliIo has them). */
export interface Terminal {
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** stdout's width when it is a terminal. */
  columns?: number;
}

/** When stdout is not a terminal and COLUMNS is not set. */
export const DEFAULT_WIDTH = 80;
/** Narrower than this, tables are wider than the terminal rather than unreadable. */
const MIN_WIDTH = 40;

const positive = (v: string | number | undefined): number | undefined => {
  const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(v ?? '') ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

/** COLUMNS when set (the user's own say), else the terminal's width, else 80. */
export function widthOf(t: Terminal): number {
  const w = positive(t.env.COLUMNS) ?? (t.isTTY ? positive(t.columns) : undefined) ?? DEFAULT_WIDTH;
  return Math.max(MIN_WIDTH, w);
}

export function colorOf(t: Terminal): boolean {
  if (t.env.NO_COLOR) return false;
  const force = t.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return !/^(0|false)$/i.test(force);
  return t.isTTY && t.env.TERM !== 'dumb';
}

export const styleOf = (t: Terminal): Style => ({ width: widthOf(t), color: colorOf(t) });

/** A plain style (no colour, the default width): what tests of the printers and JSON paths use. */
export const PLAIN: Style = { width: DEFAULT_WIDTH, color: false };

export type Outcome = 'succeeded' | 'skipped' | 'failed';
const COLOR = { succeeded: 'green', skipped: 'yellow', failed: 'red' } as const;

/** `text` in the outcome's colour when the style has colour. */
export function paint(style: Style, outcome: Outcome, text: string): string {
  // The decision is ours (above): Node 20.20+ would otherwise check process.stdout itself.
  return style.color ? styleText(COLOR[outcome], text, { validateStream: false }) : text;
}

export const outcomeOf = (v: { success: boolean; skipped?: boolean }): Outcome =>
  !v.success ? 'failed' : v.skipped ? 'skipped' : 'succeeded';

/**
 * `text` in lines of at most `width` characters: broken at spaces where it can, inside a word
 * longer than a line where it must. More than `maxLines` lines are cut, the last one saying where
 * the whole value is.
 */
export function wrap(text: string, width: number, maxLines = 8): string {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      let w = word;
      if (line !== '' && line.length + 1 + w.length <= width) {
        line = `${line} ${w}`;
        continue;
      }
      if (line !== '') lines.push(line);
      while (w.length > width) {
        lines.push(w.slice(0, width));
        w = w.slice(width);
      }
      line = w;
    }
    lines.push(line);
  }
  if (lines.length <= maxLines) return lines.join('\n');
  const cut = '… (all of it: --output json)';
  const kept = lines.slice(0, maxLines - 1);
  kept.push(cut.length <= width ? cut : '…');
  return kept.join('\n');
}
