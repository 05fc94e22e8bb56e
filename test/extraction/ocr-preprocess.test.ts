import { describe, expect, it } from 'vitest';
import { binarise, inkShare, invertDarkBands, removeRules } from '../../server/extraction/ocr-preprocess';

const W = 200;
const H = 200;
function image(fill: number): Uint8ClampedArray {
  const d = new Uint8ClampedArray(W * H * 4);
  for (let i = 0; i < d.length; i += 4) d.set([fill, fill, fill, 255], i);
  return d;
}
const set = (d: Uint8ClampedArray, x: number, y: number, v: number) => d.set([v, v, v, 255], (y * W + x) * 4);
const get = (d: Uint8ClampedArray, x: number, y: number) => d[(y * W + x) * 4];

describe('OCR preprocessing', () => {
  it('inverts a dark header band so its light text becomes dark', () => {
    const d = image(255);
    for (let y = 50; y < 56; y++) for (let x = 0; x < W; x++) set(d, x, y, 40);
    set(d, 100, 52, 250);
    expect(invertDarkBands(d, W, H)).toBe(true);
    expect(get(d, 10, 52)).toBe(215);
    expect(get(d, 100, 52)).toBe(5);
    expect(get(d, 10, 10)).toBe(255);
  });

  it('whitens grey paper and its noise but keeps ink', () => {
    const d = image(215);
    for (let x = 0; x < W; x += 3) set(d, x, 20, 190);
    set(d, 50, 50, 30);
    binarise(d, W, H, { dpi: 72, faintPrint: false });
    expect(get(d, 3, 20)).toBe(255);
    expect(get(d, 10, 10)).toBe(255);
    expect(get(d, 50, 50)).toBeLessThan(60);
  });

  it('keeps faint print on a card, but not the pattern behind it or a grey band', () => {
    const faint = (opts: { dpi: number; faintPrint: boolean }) => {
      const d = image(228);
      // A guilloche line barely darker than the card, a grey band, and a faint label stroke.
      for (let x = 0; x < W; x++) set(d, x, 40, 208);
      for (let y = 100; y < 130; y++) for (let x = 0; x < W; x++) set(d, x, y, 170);
      for (let y = 60; y < 66; y++) for (let x = 20; x < 23; x++) set(d, x, y, 160);
      binarise(d, W, H, opts);
      return d;
    };
    const card = faint({ dpi: 144, faintPrint: true });
    expect(get(card, 21, 62)).toBeLessThan(200);
    expect(get(card, 100, 40)).toBe(255);
    expect(get(card, 100, 115)).toBe(255);
    // Without the card rule the same faint stroke is whitened like the paper.
    expect(get(faint({ dpi: 144, faintPrint: false }), 21, 62)).toBe(255);
  });

  it('paints out long rules but not glyph-sized strokes', () => {
    const d = image(255);
    for (let x = 10; x < 190; x++) set(d, x, 100, 0);
    for (let x = 20; x < 30; x++) set(d, x, 150, 0);
    expect(removeRules(d, W, H, 72)).toBe(true);
    expect(get(d, 100, 100)).toBe(255);
    expect(get(d, 25, 150)).toBe(0);
  });

  it('measures ink so blank pages can skip recognition', () => {
    expect(inkShare(image(255))).toBe(0);
    expect(inkShare(image(0))).toBe(1);
  });
});
