/**
 * Second look at words the full-page OCR pass was unsure of: words with digits (identifiers,
 * dates, numbers) first, then words of letters (names, labels). That pass reads the page
 * binarised with one threshold for the whole page, which breaks the thin strokes of faint print
 * ("BW6SRHT204", "Marales"); the word's own patch of the page as rendered, enlarged twice, lets
 * tesseract threshold it locally ("BW6867204", "Morales"). A re-read replaces the word only when
 * tesseract is clearly surer of it and it is still the same kind of word.
 */
import type { Word } from './types';

/** The page as rendered, in grey levels, before any clean-up. */
export interface GreyPage {
  width: number;
  height: number;
  grey: Uint8Array;
}

/** A word read from a crop: text, tesseract confidence (0..1) and horizontal extent in crop pixels. */
export interface CropWord {
  text: string;
  conf: number;
  x0: number;
  x1: number;
}

export interface Crop {
  /** Binary PGM (P5): tesseract reads it without a PNG encoder. */
  pgm: Buffer;
  /** The crop's extent on the page, in page fractions. */
  box: [number, number, number, number];
  /** Width of the crop in its own (enlarged) pixels. */
  width: number;
}

/** Below this OCR confidence a word with digits is read again; a word of letters below the second. */
const UNSURE = 0.8;
const UNSURE_LETTERS = 0.7;
/** At most this many re-reads per page (each costs ~10-60 ms). */
export const MAX_REREADS = 16;
const SCALE = 2;
/** A re-read below this is no better than a guess, however poor the first reading was (words: higher, they have no checksum or format). */
const MIN_REREAD_CONF = 0.6;
const MIN_REREAD_CONF_LETTERS = 0.75;

const hasNumber = (t: string) => (t.match(/\d/g) ?? []).length >= 3;
/** A word of letters (a name, a label, a title word), not a scrap of one or two. */
const isLetterWord = (t: string) => /^[A-Za-z][A-Za-z.,'’-]{2,}$/.test(t);

/**
 * Unsure words to read again, at most `max`: those with three or more digits first (identifiers
 * and dates), then words of letters read below 0.7; least sure first within each.
 */
export function wordsToReread(words: Word[], max = MAX_REREADS): Word[] {
  const byConf = (a: Word, b: Word) => a.conf - b.conf;
  const numbers = words.filter((w) => w.conf < UNSURE && hasNumber(w.text) && w.pageBox).sort(byConf);
  const letters = words.filter((w) => w.conf < UNSURE_LETTERS && isLetterWord(w.text) && w.pageBox).sort(byConf);
  return [...numbers, ...letters].slice(0, max);
}

/** The word's patch of the page (with a margin), enlarged by bilinear interpolation. */
export function cropWord(page: GreyPage, w: Word, scale = SCALE): Crop {
  const b = w.pageBox ?? [w.x0, w.y0, w.x1, w.y1];
  const h = (b[3] - b[1]) * page.height;
  const x0 = Math.max(0, Math.floor(b[0] * page.width - h * 0.5));
  const x1 = Math.min(page.width, Math.ceil(b[2] * page.width + h * 0.5));
  const y0 = Math.max(0, Math.floor(b[1] * page.height - h * 0.4));
  const y1 = Math.min(page.height, Math.ceil(b[3] * page.height + h * 0.4));
  const W = Math.max(1, (x1 - x0) * scale);
  const H = Math.max(1, (y1 - y0) * scale);
  const out = new Uint8Array(W * H);
  const at = (x: number, y: number) => page.grey[Math.min(y1 - 1, y) * page.width + Math.min(x1 - 1, x)] ?? 255;
  for (let y = 0; y < H; y++) {
    const sy = y0 + y / scale;
    const iy = Math.floor(sy);
    const fy = sy - iy;
    for (let x = 0; x < W; x++) {
      const sx = x0 + x / scale;
      const ix = Math.floor(sx);
      const fx = sx - ix;
      out[y * W + x] = Math.round(
        at(ix, iy) * (1 - fx) * (1 - fy) +
          at(ix + 1, iy) * fx * (1 - fy) +
          at(ix, iy + 1) * (1 - fx) * fy +
          at(ix + 1, iy + 1) * fx * fy,
      );
    }
  }
  return {
    pgm: Buffer.concat([Buffer.from(`P5\n${W} ${H}\n255\n`), Buffer.from(out)]),
    box: [x0 / page.width, y0 / page.height, x1 / page.width, y1 / page.height],
    width: W,
  };
}

/**
 * The words that replace `original`, or null to keep it: the re-read, without the cell borders
 * and specks a crop picks up ("|", ")"), must hold a digit and be read fairly surely, and
 * surer than the original by a clear margin. New words share the original's line and split its width by position.
 */
export function acceptReread(original: Word, read: CropWord[], crop: Crop): Word[] | null {
  const kept = read.filter(
    (r) => /[A-Za-z0-9]/.test(r.text) && !(r.text.length === 1 && r.conf < 0.6) && !/^[|!Il]$/.test(r.text),
  );
  if (!kept.length) return null;
  // A number stays a number and a word stays a word of letters: anything else is another reading of specks.
  if (
    hasNumber(original.text) ? !kept.some((r) => /\d/.test(r.text)) : kept.length !== 1 || !isLetterWord(kept[0]!.text)
  )
    return null;
  const conf = Math.min(...kept.map((r) => r.conf));
  const floor = hasNumber(original.text) ? MIN_REREAD_CONF : MIN_REREAD_CONF_LETTERS;
  if (conf < Math.max(floor, original.conf + 0.1)) return null;
  // Crop pixels -> share of the crop's width -> the same share of the crop's extent on the page
  // (pageBox frame) and in the deskewed frame the line was grouped in (same widths, shifted).
  const [cx0, , cx1] = crop.box;
  const page = original.pageBox ?? [original.x0, original.y0, original.x1, original.y1];
  const shift = original.x0 - page[0];
  return kept.map((r) => {
    const a = cx0 + (r.x0 / crop.width) * (cx1 - cx0);
    const b = cx0 + (r.x1 / crop.width) * (cx1 - cx0);
    return { ...original, text: r.text, conf: r.conf, x0: a + shift, x1: b + shift, pageBox: [a, page[1], b, page[3]] };
  });
}
