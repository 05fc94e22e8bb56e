/** Schedule lists printed as rows of check boxes: boxes found by their outline, marks by their inside, numerals by their own ink. */
import { GlobalFonts } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { isExtractionFailure } from '../../common/extraction';
import { checkBoxRow, readCheckBoxSchedules } from '../../server/extraction/checkbox-schedules';
import type { InkMask } from '../../server/extraction/roman-glyphs';
import { createExtractionSandbox } from '../../server/extraction/sandbox';
import { blankPage, scannedPdf } from './make-scan';

/** A mask with square outlines (some crossed by an X) and letters drawn beside them. */
function maskWith(draw: (set: (x: number, y: number) => void) => void): InkMask {
  const width = 600;
  const height = 80;
  const ink = new Uint8Array(width * height);
  draw((x, y) => {
    for (let d = 0; d < 2; d++) ink[Math.round(y) * width + Math.round(x) + d] = 1;
  });
  return { width, height, ink };
}

function box(set: (x: number, y: number) => void, x0: number, marked: boolean, size = 34, top = 20) {
  for (let k = 0; k < size; k++) {
    set(x0 + k, top);
    set(x0 + k, top + size - 1);
    set(x0, top + k);
    set(x0 + size - 2, top + k);
  }
  if (!marked) return;
  for (let k = 8; k < size - 8; k++) {
    set(x0 + k, top + k);
    set(x0 + size - k, top + k);
  }
}

describe('check boxes on the page', () => {
  it('finds a row of boxes and which are marked, and takes no letter for a box', () => {
    const mask = maskWith((set) => {
      box(set, 100, true);
      box(set, 220, false);
      box(set, 340, true);
      // An O (round: its corners are empty) and an H (open at the top and bottom), as tall as a box.
      for (let a = 0; a < 360; a += 2)
        set(480 + 16 * Math.cos((a * Math.PI) / 180), 37 + 17 * Math.sin((a * Math.PI) / 180));
      for (let k = 0; k < 34; k++) {
        set(530, 20 + k);
        set(556, 20 + k);
      }
      for (let k = 0; k < 26; k++) set(530 + k, 37);
    });
    const row = checkBoxRow(mask, { x0: 0, y0: 25, x1: 80, y1: 49 }, 24);
    expect(row.map((b) => [b.x0, b.checked])).toEqual([
      [100, true],
      [220, false],
      [340, true],
    ]);
  });

  it('needs at least two boxes in a row, of more than the text height', () => {
    const one = maskWith((set) => box(set, 100, true));
    expect(checkBoxRow(one, { x0: 0, y0: 25, x1: 80, y1: 49 }, 24)).toEqual([]);
    const small = maskWith((set) => {
      box(set, 100, true, 20, 25);
      box(set, 200, true, 20, 25);
    });
    expect(checkBoxRow(small, { x0: 0, y0: 25, x1: 80, y1: 49 }, 24)).toEqual([]);
  });
});

/** A scanned state registration whose schedules are check boxes, some marked; numerals as `labels`, in `font`. */
async function scannedRegistration(labels: string[], marked: boolean[], font: string): Promise<Uint8Array> {
  const { c, ctx } = blankPage();
  ctx.fillStyle = '#111';
  ctx.strokeStyle = '#111';
  ctx.font = `bold 32px "${font}"`;
  ctx.fillText('STATE OF NEW JERSEY', 380, 150);
  ctx.fillText('CONTROLLED DANGEROUS SUBSTANCES REGISTRATION', 120, 210);
  ctx.font = `26px "${font}"`;
  ctx.fillText('Registrant: MARIA GARCIA MD', 120, 330);
  ctx.fillText('Registration Number: D12345600', 120, 380);
  ctx.fillText('Expiration Date: 10/31/2027', 120, 430);
  ctx.fillText('SCHEDULES:', 120, 500);
  labels.forEach((label, i) => {
    const x = 360 + i * 130;
    ctx.lineWidth = 3;
    ctx.strokeRect(x, 470, 34, 34);
    if (marked[i]) {
      ctx.beginPath();
      ctx.moveTo(x + 8, 478);
      ctx.lineTo(x + 26, 496);
      ctx.moveTo(x + 26, 478);
      ctx.lineTo(x + 8, 496);
      ctx.stroke();
    }
    ctx.fillText(label, x + 46, 500);
  });
  return scannedPdf(c, { seed: 11, noise: 50, quality: 75 });
}

describe('numerals beside check boxes', () => {
  it('reads a numeral that runs up to the next box, past the space kept clear before it', async () => {
    const mask = maskWith((set) => {
      box(set, 100, true);
      box(set, 220, false);
      // A stem from x=205 to 214: the space read after the first box ends 0.2 of a box (6.6 px) before the next, at 213.4.
      for (let x = 205; x <= 213; x++) for (let y = 26; y < 52; y++) set(x, y);
    });
    const label = { text: 'SCHEDULES:', page: 1, conf: 0.9, x0: 0, y0: 25 / 80, x1: 80 / 600, y1: 49 / 80 };
    // The stem reads as I by its shape; the crop reader is the fallback and is not needed.
    const words = await readCheckBoxSchedules([label], mask, async () => []);
    expect(words.map((w) => w.text)).toEqual(['SCHEDULES:', 'I']);
  });
});

describe('check-box schedules on a scan', () => {
  // In two typefaces: in DejaVu Serif tesseract read the label at 0.73 and the boxes as specks
  // ("scHEpULEs: [12 [d2~n [Xs"), and the whole line was dropped as table shading (isNoiseLine).
  it('lists only the marked schedules, whether numbered in Arabic or Roman numerals', async () => {
    const sandbox = createExtractionSandbox({ timeoutMs: 120_000, memoryMb: 512 });
    try {
      const marks = [false, false, true, true, true, true];
      for (const font of ['DejaVu Serif', 'Liberation Serif']) {
        // Installed (fonts-dejavu-core, and fonts-liberation with Chromium): never a silent fallback.
        expect(GlobalFonts.has(font), font).toBe(true);
        for (const labels of [
          ['2', '2N', '3', '3N', '4', '5'],
          ['II', 'IIN', 'III', 'IIIN', 'IV', 'V'],
        ]) {
          const o = (await sandbox.run(await scannedRegistration(labels, marks, font))).outcome;
          if (isExtractionFailure(o)) throw new Error(o.error.code);
          expect(o.docType).toBe('csr_certificate');
          expect(o.fields.schedules?.value, `${font}: ${labels.join(' ')}`).toEqual(['3', '3N', '4', '5']);
        }
      }
    } finally {
      await sandbox.close();
    }
  });
});
