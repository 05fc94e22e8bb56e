/**
 * Schedule lists printed as a row of check boxes ("[X] II  [ ] IIN  [X] III ..."). Tesseract
 * reads a marked box and its numeral as one scrap ("Xn", "Xuoy", "[Xan"), so neither the mark
 * nor the numeral survives. The page's ink says both: a box is a square outline a little taller
 * than the text, marked when its inside holds ink; the numeral printed after it is read
 * from its own ink (roman-glyphs) or from its own crop. Only boxes in a row beside or under a
 * schedule label are read, and only when every marked box's numeral reads as a schedule.
 */
import { findLabels } from './field-search';
import { buildLines } from './lines';
import { SCHEDULE_LABELS } from './ocr-reread';
import { parseSchedules } from './parsers';
import { blobsIn, readRomanNumerals, type Blob, type InkMask, type PixelBox } from './roman-glyphs';
import type { Word } from './types';

export interface CheckBox extends PixelBox {
  checked: boolean;
}

/** Readings of one word in an image (a binary PGM at twice the page's resolution), one per way of reading it. */
export type ReadCrop = (pgm: Buffer) => Promise<string[]>;

/**
 * Share of the sides' length that must be inked for an outline, on average; each side at least
 * 0.45 (scans break a box's thin rules into dashes).
 */
const SIDE_COVER = 0.75;
/** Share of a box's inside that is ink when it is marked (an X or a tick crosses it). */
const MARKED_INK = 0.07;

/** Ink within `depth` pixels of one side of `b`, as a share of that side's length. */
function sideCover(mask: InkMask, b: PixelBox, side: 'top' | 'bottom' | 'left' | 'right', depth: number): number {
  const horizontal = side === 'top' || side === 'bottom';
  const from = horizontal ? b.x0 : b.y0;
  const to = horizontal ? b.x1 : b.y1;
  let covered = 0;
  for (let t = from; t <= to; t++) {
    for (let d = 0; d < depth; d++) {
      const x = horizontal ? t : side === 'left' ? b.x0 + d : b.x1 - d;
      const y = !horizontal ? t : side === 'top' ? b.y0 + d : b.y1 - d;
      if (mask.ink[y * mask.width + x]) {
        covered++;
        break;
      }
    }
  }
  return covered / (to - from + 1);
}

/** Ink in each corner's square: a round letter (O, 0, D's right side) leaves corners empty. */
function cornersInked(mask: InkMask, b: PixelBox, depth: number): boolean {
  const xs = [b.x0, b.x1 - depth + 1];
  const ys = [b.y0, b.y1 - depth + 1];
  return xs.every((x) => ys.every((y) => inkShare(mask, { x0: x, y0: y, x1: x + depth - 1, y1: y + depth - 1 }) > 0));
}

function inkShare(mask: InkMask, b: PixelBox): number {
  let ink = 0;
  let all = 0;
  for (let y = Math.round(b.y0); y <= Math.round(b.y1); y++) {
    for (let x = Math.round(b.x0); x <= Math.round(b.x1); x++) {
      all++;
      ink += mask.ink[y * mask.width + x] ?? 0;
    }
  }
  return all ? ink / all : 0;
}

/** A square outline a little taller than the text (letters such as O, D or H leave a side or a corner open). */
function asCheckBox(mask: InkMask, b: Blob, textHeight: number): CheckBox | null {
  const w = b.x1 - b.x0 + 1;
  const h = b.y1 - b.y0 + 1;
  // Boxes stand taller than the capitals beside them: a letter of the text's height is not one.
  if (h < textHeight * 1.1 || h > textHeight * 2.5 || w / h < 0.75 || w / h > 1.35) return null;
  const depth = Math.max(2, Math.round(h * 0.15));
  const sides = (['top', 'bottom', 'left', 'right'] as const).map((s) => sideCover(mask, b, s, depth));
  const mean = sides.reduce((a, c) => a + c, 0) / 4;
  if (mean < SIDE_COVER || sides.some((c) => c < 0.45) || !cornersInked(mask, b, depth)) return null;
  const inset = { x0: b.x0 + w * 0.25, y0: b.y0 + h * 0.25, x1: b.x1 - w * 0.25, y1: b.y1 - h * 0.25 };
  return { x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1, checked: inkShare(mask, inset) > MARKED_INK };
}

/** The boxes of one row: the largest group whose centres share a line, nearest `centreY` on a tie. */
function rowOf(boxes: CheckBox[], centreY: number): CheckBox[] {
  const centre = (b: PixelBox) => (b.y0 + b.y1) / 2;
  let best: CheckBox[] = [];
  for (const seed of boxes) {
    const row = boxes.filter((b) => Math.abs(centre(b) - centre(seed)) < (seed.y1 - seed.y0) * 0.5);
    const nearer = best.length && Math.abs(centre(row[0]!) - centreY) < Math.abs(centre(best[0]!) - centreY);
    if (row.length > best.length || (row.length === best.length && nearer)) best = row;
  }
  return best.sort((a, b) => a.x0 - b.x0);
}

/** Check boxes in a row beside or just under a label, on a page whose words are `textHeight` pixels high. */
export function checkBoxRow(mask: InkMask, label: PixelBox, textHeight: number): CheckBox[] {
  const band: PixelBox = {
    x0: label.x0,
    y0: Math.max(0, label.y0 - textHeight * 1.5),
    x1: mask.width - 1,
    y1: Math.min(mask.height - 1, label.y1 + textHeight * 3),
  };
  // The label's own letters (a D, an O) are never its boxes.
  const inLabel = (b: Blob) => b.x0 < label.x1 && b.y1 > label.y0 && b.y0 < label.y1;
  const boxes = blobsIn(mask, band)
    .filter((b) => !inLabel(b))
    .map((b) => asCheckBox(mask, b, textHeight))
    .filter((b): b is CheckBox => !!b);
  const row = rowOf(boxes, (label.y0 + label.y1) / 2);
  return row.length >= 2 ? row : [];
}

/**
 * The schedule a numeral's text names ("IIN", "2N", "3"), or null. Beside Roman letters a 1, l
 * or | is an I ("1IN", "Il").
 */
function scheduleOf(text: string, like: Word): string | null {
  const t = /[IVN]/.test(text) ? text.replace(/[1l|]/g, 'I') : text;
  const parsed = parseSchedules([{ ...like, text: t, conf: 0.5 }]);
  const value = parsed?.value;
  return Array.isArray(value) && value.length === 1 && parsed?.words.length === 1 ? (value[0] as string) : null;
}

/**
 * The numeral as printed: the glyph shapes' reading when they read as one numeral; otherwise
 * the recogniser's readings, when those that name a schedule agree on it.
 */
function numeralOf(roman: string[] | null, readings: string[], like: Word): string | null {
  if (roman?.length === 1 && scheduleOf(roman[0]!, like)) return roman[0]!;
  const named = readings.map((r) => ({ r, s: scheduleOf(r, like) })).filter((x) => x.s);
  return named.length && named.every((x) => x.s === named[0]!.s) ? named[0]!.r.trim() : null;
}

/**
 * The glyphs in `seg` as a clean black-on-white image (binary PGM, enlarged twice, on a white
 * border): only the blobs of the glyphs (at least a third of the box's height, and the broken-off
 * arms beside them), none of the specks a scan leaves around them. Null when the space is empty.
 */
function glyphImage(mask: InkMask, seg: PixelBox, boxSize: number): Buffer | null {
  const blobs = blobsIn(mask, seg);
  const glyphs = blobs.filter((b) => b.y1 - b.y0 >= boxSize / 3);
  if (!glyphs.length) return null;
  const x0 = Math.min(...glyphs.map((b) => b.x0));
  const glyphsEnd = Math.max(...glyphs.map((b) => b.x1));
  // blobsIn rounds the segment outward: a glyph may end past seg.x1, and must stay in the image.
  const x1 = Math.max(glyphsEnd, Math.min(seg.x1, glyphsEnd + boxSize * 0.3));
  const kept = blobs.filter((b) => b.x0 >= x0 - 2 && b.x1 <= x1 && Math.max(b.x1 - b.x0, b.y1 - b.y0) >= boxSize / 8);
  const left = Math.min(...kept.map((b) => b.x0));
  const y0 = Math.min(...kept.map((b) => b.y0));
  const y1 = Math.max(...kept.map((b) => b.y1));
  const [scale, pad] = [2, 24];
  const W = Math.ceil(x1 - left + 1) * scale + pad * 2;
  const H = (y1 - y0 + 1) * scale + pad * 2;
  const img = Buffer.alloc(W * H, 255);
  for (const b of kept) {
    for (const [x, y] of b.pixels) {
      for (let dy = 0; dy < scale; dy++) {
        img.fill(
          0,
          (pad + (y - y0) * scale + dy) * W + pad + (x - left) * scale,
          (pad + (y - y0) * scale + dy) * W + pad + (x - left + 1) * scale,
        );
      }
    }
  }
  return Buffer.concat([Buffer.from(`P5\n${W} ${H}\n255\n`), img]);
}

/** What is printed after each box, up to the next box: the numeral, as printed, or null. */
async function numeralsAfter(mask: InkMask, row: CheckBox[], readCrop: ReadCrop, like: Word) {
  const out: (string | null)[] = [];
  for (const [i, box] of row.entries()) {
    const size = box.y1 - box.y0;
    const next = row[i + 1];
    const seg: PixelBox = {
      x0: box.x1 + size * 0.2,
      y0: box.y0 - size * 0.2,
      x1: next ? next.x0 - size * 0.2 : Math.min(mask.width - 1, box.x1 + size * 4),
      y1: box.y1 + size * 0.2,
    };
    const image = glyphImage(mask, seg, size);
    if (!image) {
      out.push(null);
      continue;
    }
    const roman = readRomanNumerals(mask, seg);
    const readings = roman?.length === 1 ? [] : await readCrop(image);
    out.push(numeralOf(roman, readings, like));
  }
  return out;
}

/** The median height of the page's words, in mask pixels (a label's own box can take in a mark beside it). */
function textHeight(words: Word[], page: number, mask: InkMask): number {
  const heights = words
    .filter((w) => w.page === page)
    .map((w) => ((w.pageBox?.[3] ?? w.y1) - (w.pageBox?.[1] ?? w.y0)) * mask.height)
    .sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 2)] ?? 0;
}

/** Page pixels -> the word frame of `like` (OCR groups lines on the deskewed page: same scale, shifted). */
function wordAt(like: Word, box: PixelBox, mask: InkMask, text: string): Word {
  const page = like.pageBox ?? [like.x0, like.y0, like.x1, like.y1];
  const [dx, dy] = [like.x0 - page[0], like.y0 - page[1]];
  const pageBox: [number, number, number, number] = [
    box.x0 / mask.width,
    box.y0 / mask.height,
    box.x1 / mask.width,
    box.y1 / mask.height,
  ];
  const [x0, y0, x1, y1] = pageBox;
  return { ...like, text, conf: 0.9, x0: x0 + dx, y0: y0 + dy, x1: x1 + dx, y1: y1 + dy, pageBox };
}

/**
 * Replaces the OCR scraps of each check-box schedule row with one word listing the marked
 * numerals as printed ("III, IIIN, IV, V"), at a fixed 0.9 like the other ink reads (ocr-reread).
 */
export async function readCheckBoxSchedules(words: Word[], mask: InkMask, readCrop: ReadCrop): Promise<Word[]> {
  let out = words;
  for (const hit of findLabels(buildLines(words), SCHEDULE_LABELS)) {
    const label = hit.labelWords.at(-1)!;
    const [lx0, ly0, lx1, ly1] = label.pageBox ?? [label.x0, label.y0, label.x1, label.y1];
    const px = { x0: lx0 * mask.width, y0: ly0 * mask.height, x1: lx1 * mask.width, y1: ly1 * mask.height };
    const row = checkBoxRow(mask, px, textHeight(words, label.page, mask));
    if (!row.length) continue;
    const numerals = await numeralsAfter(mask, row, readCrop, label);
    // Every marked box must name a schedule; an unread unmarked one does not matter.
    if (!row.some((b) => b.checked) || row.some((b, i) => b.checked && !numerals[i])) continue;
    const text = row.flatMap((b, i) => (b.checked ? [numerals[i]!] : [])).join(', ');
    const last = row.at(-1)!;
    const span: PixelBox = {
      x0: row[0]!.x0,
      y0: Math.min(...row.map((b) => b.y0)),
      x1: last.x1 + (last.y1 - last.y0) * 4,
      y1: Math.max(...row.map((b) => b.y1)),
    };
    const inSpan = (w: Word) => {
      const [a, b, c, d] = w.pageBox ?? [w.x0, w.y0, w.x1, w.y1];
      const cx = ((a + c) / 2) * mask.width;
      const cy = ((b + d) / 2) * mask.height;
      return cx >= span.x0 && cx <= span.x1 && cy >= span.y0 && cy <= span.y1;
    };
    const word = wordAt(label, span, mask, text);
    const at = out.findIndex(inSpan);
    const kept = out.filter((w) => !inSpan(w));
    const before = at < 0 ? kept.length : at;
    out = [...kept.slice(0, before), word, ...kept.slice(before)];
  }
  return out;
}
