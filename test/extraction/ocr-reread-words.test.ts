import { describe, expect, it } from 'vitest';
import { acceptReread, cropWord, wordsToReread, type Crop } from '../../server/extraction/ocr-reread-words';
import type { Word } from '../../server/extraction/types';

const word = (text: string, conf: number, box: [number, number, number, number] = [0.2, 0.1, 0.4, 0.12]): Word => ({
  text,
  conf,
  page: 1,
  x0: box[0] + 0.01,
  y0: box[1],
  x1: box[2] + 0.01,
  y1: box[3],
  pageBox: box,
});

describe('re-reading unsure words', () => {
  it('picks unsure numbers first, then unsure words of letters, least sure first, up to a limit', () => {
    const words = [
      word('Marales,', 0.5),
      word('BW6SRHT204', 0.09),
      word('2028', 0.95),
      word('Commerce', 0.3),
      word('0205545568', 0.53),
      word('12', 0.1),
      word('Co', 0.1),
      word('Tallahassee', 0.75),
    ];
    expect(wordsToReread(words).map((w) => w.text)).toEqual(['BW6SRHT204', '0205545568', 'Commerce', 'Marales,']);
    expect(wordsToReread(words, 1).map((w) => w.text)).toEqual(['BW6SRHT204']);
  });

  it('crops the word with a margin, enlarged twice, as a grey PGM', () => {
    const width = 100;
    const height = 50;
    const grey = new Uint8Array(width * height).fill(255);
    grey[5 * width + 30] = 0;
    const crop = cropWord({ width, height, grey }, word('123', 0.5, [0.3, 0.1, 0.5, 0.2]));
    const header = crop.pgm.subarray(0, 20).toString('latin1');
    expect(header.startsWith('P5\n')).toBe(true);
    // The word is 5 px tall: 2.5 px margin each side horizontally, 2 px vertically, then x2.
    expect(crop.box[0]).toBeCloseTo(0.27, 2);
    expect(crop.width).toBe((53 - 27) * 2);
    expect(crop.pgm.includes(0)).toBe(true);
  });

  it('takes a clearly surer re-read without cell borders, and maps its words onto the line', () => {
    const original = word('BW6SRHT204', 0.09);
    const crop: Crop = { pgm: Buffer.alloc(0), box: [0.19, 0.09, 0.41, 0.13], width: 220 };
    const out = acceptReread(
      original,
      [
        { text: '|', conf: 0.96, x0: 0, x1: 4 },
        { text: 'BW6867204', conf: 0.89, x0: 10, x1: 210 },
      ],
      crop,
    );
    expect(out?.map((w) => w.text)).toEqual(['BW6867204']);
    expect(out?.[0]?.conf).toBe(0.89);
    expect(out?.[0]?.pageBox?.[0]).toBeCloseTo(0.2, 5);
    expect(out?.[0]?.x0).toBeCloseTo(0.21, 5);
  });

  it('keeps the first reading when the re-read is unsure, no surer, or has no digit', () => {
    const crop: Crop = { pgm: Buffer.alloc(0), box: [0.19, 0.09, 0.41, 0.13], width: 220 };
    expect(acceptReread(word('33N45', 0.24), [{ text: 'I33N45', conf: 0.4, x0: 0, x1: 200 }], crop)).toBeNull();
    expect(
      acceptReread(word('0205545568', 0.7), [{ text: '0205545568', conf: 0.75, x0: 0, x1: 200 }], crop),
    ).toBeNull();
    expect(acceptReread(word('2O25', 0.3), [{ text: 'ZOZS', conf: 0.9, x0: 0, x1: 200 }], crop)).toBeNull();
  });

  it('takes a word of letters only as one surely read word of letters', () => {
    const crop: Crop = { pgm: Buffer.alloc(0), box: [0.19, 0.09, 0.41, 0.13], width: 220 };
    expect(
      acceptReread(word('Marales,', 0), [{ text: 'Morales,', conf: 0.82, x0: 5, x1: 200 }], crop)?.map((w) => w.text),
    ).toEqual(['Morales,']);
    expect(
      acceptReread(word('Verficanon', 0.24), [{ text: 'Venfication', conf: 0.45, x0: 5, x1: 200 }], crop),
    ).toBeNull();
    expect(acceptReread(word('POLI', 0), [{ text: '01/31', conf: 0.9, x0: 5, x1: 200 }], crop)).toBeNull();
    expect(
      acceptReread(
        word('ele', 0),
        [
          { text: 'HE', conf: 0.9, x0: 5, x1: 100 },
          { text: 'RE', conf: 0.9, x0: 110, x1: 200 },
        ],
        crop,
      ),
    ).toBeNull();
  });
});
