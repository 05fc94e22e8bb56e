/**
 * Second look at schedule cells OCR could not read. Tesseract's full-page pass reads printed
 * Roman-numeral schedules ("II, IIN, III, IIIN, IV, V") as "IHN, TH THING" (a whitelist
 * re-read does no better); the ink of that cell is read by glyph shape instead (roman-glyphs).
 */
import { findLabels, searchByLabel, type LabelRule, type Parsed } from './field-search';
import { buildLines } from './lines';
import { parseSchedules } from './parsers';
import { readRomanNumerals, type InkMask } from './roman-glyphs';
import type { Word } from './types';

/** The labels of a schedule list (the field rules use them too). */
export const SCHEDULE_LABELS: LabelRule[] = [
  {
    re: /\b(drug schedules|authori[sz]ed schedules|schedules?( authori[sz]ed| granted| approved)?|schedule\(s\)|sched\.?)(?![a-z])[:\s]*/i,
    strength: 1,
  },
];

/**
 * A cell's words up to the first one that is plainly something else: numerals have no vowel
 * and no digit outside 1-5, so a date or a word like "EXPIRATION" ends the cell (one vowel
 * is let through: misreads such as "IAN" for "IIN" have one).
 */
function scheduleCell(words: Word[]): Parsed | null {
  const used: Word[] = [];
  for (const w of words.slice(0, 8)) {
    if ((w.text.match(/[AEOUaeou]/g) ?? []).length >= 2 || /[06789]|\d{3}/.test(w.text) || w.text.length > 10) break;
    used.push(w);
  }
  return used.length ? { value: used.map((w) => w.text).join(' '), words: used } : null;
}

/** Groups of OCR words that sit where a schedule list should be (after or below its label). */
export function scheduleCells(words: Word[]): Word[][] {
  const lines = buildLines(words);
  if (!findLabels(lines, SCHEDULE_LABELS).length) return [];
  const cells: Word[][] = [];
  for (const f of searchByLabel(lines, SCHEDULE_LABELS, scheduleCell, { maxBelow: 1 })) {
    if (!cells.some((c) => c.includes(f.words[0]!))) cells.push(f.words);
  }
  return cells;
}

/**
 * Replaces each schedule cell the first pass did not read completely with the numerals its
 * ink shows, when the glyphs read as numerals. `mask` is the processed page image; word
 * page boxes address it. The new word gets a fixed 0.9: tesseract's score for a cell it
 * could not read says nothing about the shapes, and the cell's extent still came from OCR.
 */
export function rereadScheduleCells(words: Word[], mask: InkMask): Word[] {
  let out = words;
  for (const cell of scheduleCells(words)) {
    if (isCompleteSchedule(cell)) continue;
    const boxes = cell.map((w): [number, number, number, number] => w.pageBox ?? [w.x0, w.y0, w.x1, w.y1]);
    const x0 = Math.min(...boxes.map((b) => b[0])) * mask.width;
    const x1 = Math.max(...boxes.map((b) => b[2])) * mask.width;
    const y0 = Math.min(...boxes.map((b) => b[1])) * mask.height;
    const y1 = Math.max(...boxes.map((b) => b[3])) * mask.height;
    const pad = (y1 - y0) * 0.25;
    const numerals = readRomanNumerals(mask, { x0: x0 - pad * 2, y0: y0 - pad, x1: x1 + pad * 2, y1: y1 + pad });
    if (!numerals) continue;
    const first = cell[0]!;
    const last = cell[cell.length - 1]!;
    const word: Word = {
      ...first,
      text: numerals.join(', '),
      x1: last.x1,
      y0: Math.min(...cell.map((w) => w.y0)),
      y1: Math.max(...cell.map((w) => w.y1)),
      conf: 0.9,
      pageBox: [x0 / mask.width, y0 / mask.height, x1 / mask.width, y1 / mask.height],
    };
    const at = out.indexOf(first);
    out = [...out.slice(0, at), word, ...out.slice(at).filter((w) => !cell.includes(w))];
  }
  return out;
}

/** Every token maps to a schedule: nothing was skipped as unreadable. */
export function isCompleteSchedule(words: Word[]): boolean {
  const p = parseSchedules(words);
  return !!p && p.words.length === words.length;
}

/**
 * The word that replaces a schedule cell read again from its own crop (ocr.ts), or null: only a
 * complete list of schedules, read fairly surely (0.6), with the reading's own confidence, at
 * most 0.9 like the ink reads.
 */
export function acceptScheduleReread(
  cell: Word[],
  read: { text: string; confidence: number },
  pageBox: [number, number, number, number],
): Word | null {
  const first = cell[0];
  const last = cell.at(-1);
  if (!first || !last || read.confidence < 0.6) return null;
  const word: Word = { ...first, text: read.text, conf: Math.min(0.9, read.confidence), x1: last.x1, pageBox };
  return isCompleteSchedule([word]) ? word : null;
}
