/**
 * Image clean-up before OCR, on the rendered page's RGBA pixels: dark header bands inverted,
 * paper whitened below its own level, table rules painted out, and an ink measure so blank
 * scans skip recognition.
 */
const luminance = (d: Uint8ClampedArray, i: number) =>
  ((d[i] ?? 255) * 3 + (d[i + 1] ?? 255) * 6 + (d[i + 2] ?? 255)) / 10;

/**
 * Table headers printed white on a dark band come out of tesseract as noise: turn such bands
 * (runs of mostly dark rows, a few lines tall) into dark-on-light before recognition.
 */
/** A band of dark rows up to this share of the page is a heading band (a card's is a fifth of it). */
const MAX_BAND_SHARE = 0.3;

export function invertDarkBands(d: Uint8ClampedArray, width: number, height: number): boolean {
  const rowDark = new Uint8Array(height);
  for (let y = 0; y < height; y++) {
    let sum = 0;
    let n = 0;
    for (let x = 0; x < width; x += 4) {
      sum += luminance(d, (y * width + x) * 4);
      n++;
    }
    rowDark[y] = sum / n < 150 ? 1 : 0;
  }
  let changed = false;
  for (let y = 0; y < height;) {
    if (!rowDark[y]) {
      y++;
      continue;
    }
    let end = y;
    while (end < height && rowDark[end]) end++;
    const tall = end - y;
    if (tall >= height * 0.004 && tall <= height * MAX_BAND_SHARE) {
      for (let yy = y; yy < end; yy++) {
        for (let x = 0; x < width; x++) {
          const i = (yy * width + x) * 4;
          d[i] = 255 - (d[i] ?? 0);
          d[i + 1] = 255 - (d[i + 1] ?? 0);
          d[i + 2] = 255 - (d[i + 2] ?? 0);
        }
      }
      changed = true;
    }
    y = end;
  }
  return changed;
}

/**
 * Paper grain and scanner noise on a grey background make tesseract read specks as letters
 * (a minute of work and a page of garbage). Threshold below the paper's own level instead:
 * the background is the 60th percentile of luminance; ink is anything well darker.
 *
 * Cards print their labels small and faint (a grey "EXPIRES" over a guilloche pattern): too light
 * for that threshold, yet clearly darker than the paper right around them, while the pattern and
 * the grain are barely darker than theirs. With `faintPrint`, a pixel also counts as ink when it
 * is well below the mean of its neighbourhood (Bradley's local threshold) and still clearly below
 * the paper; a grey band's own pixels equal their neighbourhood's mean and stay paper. Only for
 * cards: on full pages the same rule keeps table shading and stamp edges that garble the text
 * (dev corpus, scanned: card layouts 55% -> 62% of fields, all scanned 82.9% -> 80.6% when
 * applied to every page).
 */
const LOCAL_DARKER = 0.8;
const FAINT_BELOW_PAPER = 35;

export function binarise(
  d: Uint8ClampedArray,
  width: number,
  height: number,
  opts: { dpi: number; faintPrint: boolean },
): void {
  const hist = new Uint32Array(256);
  let n = 0;
  for (let i = 0; i < d.length; i += 4 * 5) {
    hist[Math.round(luminance(d, i))]!++;
    n++;
  }
  let acc = 0;
  let background = 255;
  for (let v = 0; v < 256; v++) {
    acc += hist[v]!;
    if (acc >= n * 0.6) {
      background = v;
      break;
    }
  }
  const threshold = Math.min(background - 70, 160);
  const local = opts.faintPrint ? localMeans(d, width, height, Math.max(8, Math.round(opts.dpi / 12))) : null;
  for (let p = 0, i = 0; i < d.length; p++, i += 4) {
    // Paper becomes white; ink keeps its grey levels, so stroke edges stay smooth for the recogniser.
    const l = luminance(d, i);
    const cut = local
      ? Math.max(threshold, Math.min(local[p]! * LOCAL_DARKER, background - FAINT_BELOW_PAPER))
      : threshold;
    const v = l < cut ? Math.round((l * 255) / cut) * 0.6 : 255;
    d[i] = v;
    d[i + 1] = v;
    d[i + 2] = v;
  }
}

/** The mean luminance of the square of side 2r+1 around each pixel, from an integral image. */
function localMeans(d: Uint8ClampedArray, width: number, height: number, r: number): Float32Array {
  const sums = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += luminance(d, (y * width + x) * 4);
      sums[(y + 1) * (width + 1) + x + 1] = sums[y * (width + 1) + x + 1]! + row;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const s =
        sums[y1 * (width + 1) + x1]! -
        sums[y0 * (width + 1) + x1]! -
        sums[y1 * (width + 1) + x0]! +
        sums[y0 * (width + 1) + x0]!;
      out[y * width + x] = s / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/**
 * Table rules and cell borders: tesseract reads a border beside a word as "[" or "J" and
 * garbles the header. Long thin dark runs (far longer than any glyph stroke) are painted white.
 */
export function removeRules(d: Uint8ClampedArray, width: number, height: number, dpi: number): boolean {
  const dark = (x: number, y: number) => luminance(d, (y * width + x) * 4) < 140;
  const paint = (x: number, y: number) => {
    const i = (y * width + x) * 4;
    d[i] = 255;
    d[i + 1] = 255;
    d[i + 2] = 255;
  };
  const minH = Math.round(dpi * 0.8);
  const minV = Math.round(dpi * 0.24);
  let changed = false;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width;) {
      if (!dark(x, y)) {
        x++;
        continue;
      }
      let end = x;
      while (end < width && dark(end, y)) end++;
      if (end - x >= minH) {
        for (let xx = x; xx < end; xx++) paint(xx, y);
        changed = true;
      }
      x = end;
    }
  }
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height;) {
      if (!dark(x, y)) {
        y++;
        continue;
      }
      let end = y;
      while (end < height && dark(x, end)) end++;
      // Thin only: a border is a few pixels wide, a large glyph's stem is wider.
      if (
        end - y >= minV &&
        !dark(Math.max(0, x - 4), y + ((end - y) >> 1)) &&
        !dark(Math.min(width - 1, x + 4), y + ((end - y) >> 1))
      ) {
        for (let yy = y; yy < end; yy++) paint(x, yy);
        changed = true;
      }
      y = end;
    }
  }
  return changed;
}

/** Share of clearly dark pixels (sampled on a grid): a blank or near-blank scan has almost none. */
export function inkShare(rgba: Uint8ClampedArray): number {
  let dark = 0;
  let seen = 0;
  for (let i = 0; i < rgba.length; i += 4 * 7) {
    seen++;
    if ((rgba[i] ?? 255) + (rgba[i + 1] ?? 255) + (rgba[i + 2] ?? 255) < 3 * 110) dark++;
  }
  return seen ? dark / seen : 0;
}

/** 1 for each dark pixel (the threshold removeRules uses), for reading glyph shapes. */
export function inkMask(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
): { width: number; height: number; ink: Uint8Array } {
  const ink = new Uint8Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = luminance(rgba, i * 4) < 140 ? 1 : 0;
  return { width, height, ink };
}

/** Grey levels of the RGBA pixels, one byte per pixel (kept for re-reading words from the page as rendered). */
export function greyLevels(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
): { width: number; height: number; grey: Uint8Array } {
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < grey.length; i++) grey[i] = Math.round(luminance(rgba, i * 4));
  return { width, height, grey };
}
