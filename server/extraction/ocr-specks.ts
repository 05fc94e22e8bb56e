/**
 * Speckled scans: a page photocopied or scanned from grainy paper carries thousands of dots of
 * two or three pixels. Tesseract reads the dots beside a word as letters ("Lipld", "(Modwley")
 * and loses whole table rows to them. A dot is removed only when (1) the page is plainly
 * speckled: such dots outnumber everything else on it, and (2) the dot stands apart: no glyph
 * within a few pixels, so a decimal point, the dot of an i and a comma, which touch or nearly
 * touch their glyphs, stay. A clean page is left exactly as it was.
 */

/** Ink below this luminance (after binarisation, paper is 255). */
const INK = 200;

export interface SpeckSizes {
  /** Largest area, in pixels, of a dot counted as a speck. */
  maxArea: number;
  /** Distance in pixels within which a glyph keeps a dot (a decimal point sits about 1.5 px/pt from its digit). */
  keepWithin: number;
}

/** Speck sizes for a page rendered at `dpi`: a speck is smaller than a full stop in 8 pt type. */
export function speckSizes(dpi: number): SpeckSizes {
  const px = dpi / 72;
  return { maxArea: Math.max(2, Math.round(px * px * 0.8)), keepWithin: Math.max(2, Math.round(px * 2.2)) };
}

interface Components {
  /** Component id per pixel (0 = paper). */
  label: Int32Array;
  area: number[];
  box: [number, number, number, number][];
}

/** 8-connected ink components, labelled with a scanline flood fill. */
function components(d: Uint8ClampedArray, width: number, height: number): Components {
  const label = new Int32Array(width * height);
  const area: number[] = [0];
  const box: [number, number, number, number][] = [[0, 0, 0, 0]];
  const stack: number[] = [];
  for (let p = 0; p < label.length; p++) {
    if (label[p] !== 0 || d[p * 4]! >= INK) continue;
    const id = area.length;
    let n = 0;
    const b: [number, number, number, number] = [width, height, -1, -1];
    label[p] = id;
    stack.push(p);
    while (stack.length) {
      const q = stack.pop()!;
      n++;
      const x = q % width;
      const y = (q - x) / width;
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const r = yy * width + xx;
          if (label[r] === 0 && d[r * 4]! < INK) {
            label[r] = id;
            stack.push(r);
          }
        }
      }
    }
    area.push(n);
    box.push(b);
  }
  return { label, area, box };
}

/**
 * Paints isolated specks white when they dominate the page; returns how many it removed (0 on a
 * page that is not speckled).
 */
export function removeSpecks(d: Uint8ClampedArray, width: number, height: number, dpi: number): number {
  const { maxArea, keepWithin } = speckSizes(dpi);
  const { label, area, box } = components(d, width, height);
  const count = area.length - 1;
  let small = 0;
  for (let id = 1; id <= count; id++) if (area[id]! <= maxArea) small++;
  // Plainly speckled: most components are specks, and there are many of them (a page of text
  // has a few hundred full stops and i-dots among thousands of glyphs).
  if (small < 1500 || small < (count - small) * 1.5) return 0;
  // Glyph ink (components larger than a speck), summed for window queries.
  const W = width + 1;
  const sum = new Int32Array(W * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      const id = label[y * width + x]!;
      if (id !== 0 && area[id]! > maxArea) row++;
      sum[(y + 1) * W + x + 1] = sum[y * W + x + 1]! + row;
    }
  }
  const glyphInk = (x0: number, y0: number, x1: number, y1: number) => {
    const a = Math.max(0, x0);
    const b = Math.max(0, y0);
    const c = Math.min(width, x1 + 1);
    const e = Math.min(height, y1 + 1);
    return sum[e * W + c]! - sum[b * W + c]! - sum[e * W + a]! + sum[b * W + a]!;
  };
  let removed = 0;
  for (let id = 1; id <= count; id++) {
    if (area[id]! > maxArea) continue;
    const [x0, y0, x1, y1] = box[id]!;
    if (glyphInk(x0 - keepWithin, y0 - keepWithin, x1 + keepWithin, y1 + keepWithin) > 0) continue;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const p = y * width + x;
        if (label[p] !== id) continue;
        d[p * 4] = 255;
        d[p * 4 + 1] = 255;
        d[p * 4 + 2] = 255;
      }
    }
    removed++;
  }
  return removed;
}
