/** Schedule numerals read from ink shapes, and the OCR pass that swaps them into a cell tesseract misread. */
import { describe, expect, it } from 'vitest';
import { acceptScheduleReread, rereadScheduleCells } from '../../server/extraction/ocr-reread';
import { readRomanNumerals, type InkMask } from '../../server/extraction/roman-glyphs';
import type { Word } from '../../server/extraction/types';

const CAP = 24;
const TOP = 10;

/** A mask with numerals drawn as a sans-serif face draws them: stems, diagonals, low commas. */
function draw(text: string, width = 400, height = 44): InkMask {
  const ink = new Uint8Array(width * height);
  const dot = (x: number, y: number) => {
    for (let dx = 0; dx < 3; dx++) ink[Math.round(y) * width + Math.round(x) + dx] = 1;
  };
  let x = 5;
  for (const ch of text) {
    if (ch === 'I') {
      for (let y = TOP; y < TOP + CAP; y++) dot(x, y);
      x += 9;
    } else if (ch === 'V') {
      for (let y = TOP; y < TOP + CAP; y++) {
        const off = ((y - TOP) / CAP) * 8;
        dot(x + off, y);
        dot(x + 16 - off, y);
      }
      x += 24;
    } else if (ch === 'N') {
      for (let y = TOP; y < TOP + CAP; y++) {
        dot(x, y);
        dot(x + 14, y);
        dot(x + ((y - TOP) / CAP) * 14, y);
      }
      x += 24;
    } else if (ch === '2') {
      // Top bar, diagonal, base bar: wide, but neither two stems nor open at the bottom.
      for (let k = 0; k < 16; k++) dot(x + k, TOP);
      for (let y = TOP; y < TOP + CAP; y++) dot(x + 16 - ((y - TOP) / CAP) * 16, y);
      for (let k = 0; k < 16; k++) dot(x + k, TOP + CAP - 1);
      x += 24;
    } else if (ch === ',') {
      for (let y = TOP + CAP - 5; y < TOP + CAP + 3; y++) dot(x, y);
      x += 8;
    } else {
      x += 10;
    }
  }
  return { width, height, ink };
}

const box = { x0: 0, y0: 2, x1: 399, y1: 41 };

describe('roman numerals from ink', () => {
  it('reads stems, V and N into the schedule numerals, split at commas and spaces', () => {
    expect(readRomanNumerals(draw('II, IIN, III, IIIN, IV, V'), box)).toEqual(['II', 'IIN', 'III', 'IIIN', 'IV', 'V']);
    expect(readRomanNumerals(draw('III IV V'), box)).toEqual(['III', 'IV', 'V']);
  });

  it('refuses shapes that are not numerals rather than forcing them into one', () => {
    expect(readRomanNumerals(draw('2'), box)).toBeNull();
    expect(readRomanNumerals(draw('2, IV'), box)).toBeNull();
    // Not a schedule: VI and IIII do not occur.
    expect(readRomanNumerals(draw('VI'), box)).toBeNull();
    expect(readRomanNumerals(draw('IIII'), box)).toBeNull();
  });
});

describe('schedule cell re-read', () => {
  const W = 400;
  const H = 44;
  const word = (text: string, x0: number, x1: number, conf: number): Word => ({
    text,
    page: 1,
    x0: x0 / W,
    x1: x1 / W,
    y0: TOP / H,
    y1: (TOP + CAP) / H,
    conf,
  });

  it('replaces a misread cell after a Schedules label with the numerals its ink shows', () => {
    // The label sits left of the numerals; the numerals' ink starts at x=5 + 200.
    const mask = draw('                    II, IIN, IV', W, H);
    const words = [word('Schedules:', 5, 120, 0.96), word('IHN,', 205, 250, 0.32), word('TH', 255, 330, 0.4)];
    const out = rereadScheduleCells(words, mask);
    expect(out.map((w) => w.text)).toEqual(['Schedules:', 'II, IIN, IV']);
    expect(out[1]!.conf).toBeLessThan(0.95);
  });

  it('leaves a cell OCR read completely, and one whose ink is not numerals', () => {
    const read = [word('Schedules:', 5, 120, 0.96), word('2,3,4,5', 205, 300, 0.9)];
    expect(rereadScheduleCells(read, draw('                    2', W, H))).toEqual(read);
    const digits = [word('Schedules:', 5, 120, 0.96), word('Z', 205, 230, 0.3)];
    expect(rereadScheduleCells(digits, draw('                    2', W, H))).toEqual(digits);
  });
});

describe('a schedule cell read again from its own crop', () => {
  const cell: Word[] = [{ text: '2ANIINGS', page: 1, x0: 0.41, y0: 0.47, x1: 0.5, y1: 0.48, conf: 0.4 }];
  const box: [number, number, number, number] = [0.41, 0.47, 0.5, 0.48];

  it('replaces the cell with a complete list read fairly surely, at most 0.9 sure', () => {
    const word = acceptScheduleReread(cell, { text: '2 2N 3 3N 4 5', confidence: 0.95 }, box);
    expect(word?.text).toBe('2 2N 3 3N 4 5');
    expect(word?.conf).toBe(0.9);
    expect(word?.pageBox).toEqual(box);
  });

  it('keeps the cell when the reading is unsure or not a whole list of schedules', () => {
    expect(acceptScheduleReread(cell, { text: '2 2N 3 3N 4 5', confidence: 0.5 }, box)).toBeNull();
    expect(acceptScheduleReread(cell, { text: '2 2N 3 ANINGS', confidence: 0.9 }, box)).toBeNull();
  });
});
