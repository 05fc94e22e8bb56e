import { describe, expect, it } from 'vitest';
import { removeSpecks, speckSizes } from '../../server/extraction/ocr-specks';

const W = 800;
const H = 800;
const DPI = 250;

function page(): Uint8ClampedArray {
  return new Uint8ClampedArray(W * H * 4).fill(255);
}
function ink(d: Uint8ClampedArray, x0: number, y0: number, w: number, h: number): void {
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) {
      const i = (y * W + x) * 4;
      d[i] = d[i + 1] = d[i + 2] = 0;
    }
  }
}
const isInk = (d: Uint8ClampedArray, x: number, y: number) => d[(y * W + x) * 4]! < 200;

/** A "digit" (a 10 x 24 block), a decimal point 2 px to its right, and `specks` 2 x 2 dots on a grid. */
function scan(specks: number): Uint8ClampedArray {
  const d = page();
  ink(d, 100, 100, 10, 24);
  ink(d, 112, 120, 3, 3);
  let n = 0;
  for (let y = 200; y < H - 4 && n < specks; y += 9) {
    for (let x = 4; x < W - 4 && n < specks; x += 9, n++) ink(d, x, y, 2, 2);
  }
  return d;
}

describe('speck removal', () => {
  it('removes isolated dots on a speckled page and keeps glyphs and the dot beside a glyph', () => {
    const d = scan(4000);
    expect(removeSpecks(d, W, H, DPI)).toBe(4000);
    expect(isInk(d, 4, 200)).toBe(false);
    expect(isInk(d, 105, 110)).toBe(true);
    // The decimal point sits within reach of its digit.
    expect(isInk(d, 113, 121)).toBe(true);
  });

  it('leaves a page that is not speckled exactly as it was', () => {
    const d = scan(300);
    const before = Uint8ClampedArray.from(d);
    expect(removeSpecks(d, W, H, DPI)).toBe(0);
    expect(Buffer.compare(Buffer.from(d.buffer), Buffer.from(before.buffer))).toBe(0);
  });

  it('scales what counts as a speck with the resolution', () => {
    expect(speckSizes(500).maxArea).toBeGreaterThan(speckSizes(250).maxArea);
    expect(speckSizes(250).keepWithin).toBeGreaterThanOrEqual(2);
  });
});
