/**
 * Reads a printed Roman-numeral schedule list ("II, IIN, III, IIIN, IV, V") from the page's
 * ink instead of from tesseract, whose English model reads sans-serif "II" as "H" or "ll" and
 * "IIIN" as "THING". The alphabet is three glyphs, so the shapes decide: a narrow stem is I; a
 * wide glyph with two full-height stems is N; a wide glyph whose ink narrows to the middle at
 * the bottom is V. Tokens are split at commas and wide gaps, and only the seven numerals
 * schedules use (I, II, III, IIN, IIIN, IV, V) are accepted; anything else gives null, so a
 * cell of Arabic digits or noise is never forced into numerals.
 */
export interface InkMask {
  width: number;
  height: number;
  /** 1 where the processed page has ink, row-major. */
  ink: Uint8Array;
}

export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Blob {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  pixels: [number, number][];
}

const SCHEDULE_OF: Record<string, string> = { I: '1', II: '2', III: '3', IV: '4', V: '5', IIN: '2N', IIIN: '3N' };

/** The numerals in `box` as printed (["II", "IIN", ...]), or null when a glyph is not I, V or N. */
export function readRomanNumerals(mask: InkMask, box: PixelBox): string[] | null {
  // Ink cut by the box's top or bottom edge belongs to the lines above and below.
  const blobs = blobsIn(mask, box).filter((b) => b.y0 > Math.floor(box.y0) && b.y1 < Math.ceil(box.y1));
  if (!blobs.length) return null;
  const capHeight = Math.max(...blobs.map((b) => b.y1 - b.y0 + 1));
  if (capHeight < 8) return null;
  const baseline = Math.max(...blobs.map((b) => b.y1));
  const tokens: string[] = [];
  let current = '';
  let lastX1 = -Infinity;
  for (const b of blobs.sort((a, c) => a.x0 - c.x0)) {
    const h = b.y1 - b.y0 + 1;
    const w = b.x1 - b.x0 + 1;
    // Specks, and serifs that faint ink left detached from their stems.
    if ((h < capHeight * 0.15 && w < capHeight * 0.15) || (h < capHeight * 0.2 && w > h * 2)) continue;
    const gap = b.x0 - lastX1;
    if (h < capHeight * 0.6) {
      // Small and high: a serif or an arm faint ink broke off its glyph. Small and low: a comma.
      if (b.y0 < baseline - capHeight * 0.5) continue;
      if (w > capHeight * 0.4) return null;
      if (current) tokens.push(current);
      current = '';
      lastX1 = b.x1;
      continue;
    }
    if (h < capHeight * 0.85) return null;
    if (current && gap > capHeight * 0.45) {
      tokens.push(current);
      current = '';
    }
    // A serif I is up to ~0.45 of the cap height wide, V and N ~0.55 and more.
    const glyph = w < capHeight * 0.5 ? 'I' : (wideGlyph(b) ?? '?');
    current += glyph;
    lastX1 = b.x1;
  }
  if (current) tokens.push(current);
  // A wide glyph of unclear shape after stems can only be the V of IV or the N of IIN/IIIN;
  // alone it could as well be a digit, so it stays unread.
  const resolved = tokens.map((t) => (/^I+\?$/.test(t) ? t.replace('?', t.length === 2 ? 'V' : 'N') : t));
  if (!resolved.length || !resolved.every((t) => SCHEDULE_OF[t])) return null;
  return resolved;
}

/** N has ink down both sides; V is open at the bottom corners and closed at the top ones. */
function wideGlyph(b: Blob): 'N' | 'V' | null {
  const w = b.x1 - b.x0 + 1;
  const h = b.y1 - b.y0 + 1;
  const edge = Math.max(1, Math.round(w * 0.2));
  const leftRows = new Set<number>();
  const rightRows = new Set<number>();
  let bottomCorners = 0;
  let topCorners = 0;
  for (const [x, y] of b.pixels) {
    if (x - b.x0 < edge) leftRows.add(y);
    if (b.x1 - x < edge) rightRows.add(y);
    const corner = x - b.x0 < edge || b.x1 - x < edge;
    if (corner && b.y1 - y < h * 0.15) bottomCorners++;
    if (corner && y - b.y0 < h * 0.15) topCorners++;
  }
  if (leftRows.size >= h * 0.8 && rightRows.size >= h * 0.8) return 'N';
  if (bottomCorners === 0 && topCorners > 0) return 'V';
  return null;
}

/** 8-connected ink blobs inside the box (clipped to the mask); check-box rows use them too. */
export function blobsIn(mask: InkMask, box: PixelBox): Blob[] {
  const x0 = Math.max(0, Math.floor(box.x0));
  const y0 = Math.max(0, Math.floor(box.y0));
  const x1 = Math.min(mask.width - 1, Math.ceil(box.x1));
  const y1 = Math.min(mask.height - 1, Math.ceil(box.y1));
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  if (w <= 0 || h <= 0) return [];
  const seen = new Uint8Array(w * h);
  const blobs: Blob[] = [];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const k = (y - y0) * w + (x - x0);
      if (seen[k] || !mask.ink[y * mask.width + x]) continue;
      const blob: Blob = { x0: x, y0: y, x1: x, y1: y, pixels: [] };
      const stack: [number, number][] = [[x, y]];
      seen[k] = 1;
      while (stack.length) {
        const [px, py] = stack.pop()!;
        blob.pixels.push([px, py]);
        blob.x0 = Math.min(blob.x0, px);
        blob.x1 = Math.max(blob.x1, px);
        blob.y0 = Math.min(blob.y0, py);
        blob.y1 = Math.max(blob.y1, py);
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const nx = px + dx;
            const ny = py + dy;
            if (nx < x0 || nx > x1 || ny < y0 || ny > y1) continue;
            const nk = (ny - y0) * w + (nx - x0);
            if (seen[nk] || !mask.ink[ny * mask.width + nx]) continue;
            seen[nk] = 1;
            stack.push([nx, ny]);
          }
        }
      }
      blobs.push(blob);
    }
  }
  return blobs;
}
