/**
 * Kinds of scan damage seen on credential documents made outside the team: a name line split at
 * a lost comma or beside smaller print, a state code read half small, a sentence broken by a wide
 * gap or by a full stop inside a number, an issuer's name taken for a profession, a DEA number's
 * letter misread or a speck inside it. Each test fails on the rule's absence.
 */
import { describe, expect, it } from 'vitest';
import { docContext, nameAboveAddress } from '../../server/extraction/doc-types/shared-fields';
import { extractDeaRegistration } from '../../server/extraction/doc-types/dea-registration';
import { extractMedicalLicense } from '../../server/extraction/doc-types/medical-license';
import { buildLines } from '../../server/extraction/lines';
import { parseDea } from '../../server/extraction/parsers';
import type { Word } from '../../server/extraction/types';
import { stateOfAddress } from '../../server/extraction/us-states';

/** A word from its left edge, top, width per letter and height (page fractions). */
const word = (text: string, x0: number, y0: number, h = 0.01, conf = 0.95): Word => ({
  text,
  page: 1,
  x0,
  y0,
  x1: x0 + text.length * h * 0.8,
  y1: y0 + h,
  conf,
});

/** Words of a line laid left to right with the given gaps (in page fractions) before each. */
function line(y0: number, h: number, x0: number, ...parts: Array<[string, number]>): Word[] {
  const out: Word[] = [];
  let x = x0;
  for (const [text, gap] of parts) {
    x += gap;
    const w = word(text, x, y0, h);
    out.push(w);
    x = w.x1;
  }
  return out;
}

describe('a name above an address, split by OCR', () => {
  const address = (y0: number) => line(y0, 0.01, 0.1, ['DES', 0], ['MOINES,', 0.008], ['IA', 0.008], ['50125', 0.008]);

  it('reads a wide gap after a lone surname as the comma OCR lost', () => {
    // "STAVROS, RAJESH R" with the comma gone: the gap is a word space and a comma wide.
    const name = line(0.29, 0.011, 0.1, ['STAVROS', 0], ['RAJESH', 0.024], ['R', 0.008]);
    const found = nameAboveAddress(docContext(buildLines([...name, ...address(0.305)])));
    expect(found?.value).toBe('RAJESH R STAVROS');
  });

  it('joins a first and last name set apart by no more than a word space of their own size', () => {
    // Beside a paragraph of small print the line's gaps are measured against the small print.
    const small = (x0: number) => line(0.291, 0.006, x0, ['dispense', 0], ['controlled', 0.004], ['dangerous', 0.004]);
    const name = line(0.29, 0.01, 0.1, ['RACHEL', 0], ['KAPLAN', 0.012]);
    const found = nameAboveAddress(docContext(buildLines([...name, ...small(0.5), ...address(0.305)])));
    expect(found?.value).toBe('RACHEL KAPLAN');
  });

  it('keeps a suffix whose comma ends a segment with the given names after it', () => {
    const name = line(0.29, 0.01, 0.1, ['HADDAD', 0], ['SR,', 0.008], ['THOMAS', 0.02], ['MD', 0.008]);
    const found = nameAboveAddress(docContext(buildLines([...name, ...address(0.305)])));
    expect(found?.value.toString().split(' ').sort()).toEqual(['HADDAD', 'SR', 'THOMAS']);
  });

  it('keeps a taller word on the name line beside small print on another baseline', () => {
    // A DEA 223 as OCR read it: "SR," reaches lower than its neighbours (the comma), and the
    // small print beside the block sits on baselines of its own.
    const read: Array<[string, number, number, number, number, number]> = [
      ['Sections', 0.52, 0.56188, 0.29527, 0.30218, 0.96],
      ['304', 0.56706, 0.584, 0.29564, 0.30218, 0.96],
      ['and', 0.58965, 0.608, 0.296, 0.30182, 0.95],
      ['1008', 0.61365, 0.63718, 0.29564, 0.30218, 0.95],
      ['(21', 0.64235, 0.656, 0.29564, 0.30327, 0.23],
      ['USC', 0.66259, 0.68471, 0.29527, 0.30255, 0.95],
      ['824', 0.69035, 0.70776, 0.29527, 0.30218, 0.95],
      ['and', 0.71341, 0.73129, 0.29564, 0.30218, 0.96],
      ['958)', 0.736, 0.75765, 0.29564, 0.30327, 0.88],
      ['of', 0.76235, 0.77129, 0.296, 0.30182, 0.96],
      ['the', 0.77647, 0.79106, 0.296, 0.30218, 0.86],
      ['Controlled', 0.79624, 0.84659, 0.29564, 0.30255, 0.52],
      ['Substance', 0.85176, 0.90353, 0.29564, 0.30218, 0.96],
      ['HADDAD', 0.10071, 0.15624, 0.29855, 0.30727, 0.96],
      ['SR,', 0.16753, 0.19106, 0.29891, 0.30873, 0.96],
      ['THOMAS', 0.20565, 0.26212, 0.29855, 0.30727, 0.96],
      ['MD', 0.27294, 0.29129, 0.29855, 0.30691, 0.96],
      ['Act', 0.52, 0.53459, 0.30618, 0.31309, 0.91],
      ['of', 0.54118, 0.54965, 0.30655, 0.31309, 0.83],
      ['1970,', 0.5554, 0.58222, 0.30582, 0.31273, 0.96],
      ['as', 0.58824, 0.59906, 0.308, 0.31273, 0.9],
      ['amended.', 0.60471, 0.65318, 0.30655, 0.31309, 0.89],
      ['provide', 0.65929, 0.696, 0.30618, 0.31382, 0.92],
      ['thai', 0.70118, 0.71906, 0.30618, 0.31309, 0.72],
      ['the', 0.72471, 0.73929, 0.30655, 0.31309, 0.96],
      ['Attorney', 0.74494, 0.78635, 0.30655, 0.31418, 0.75],
      ['General', 0.792, 0.83106, 0.30582, 0.31309, 0.96],
      ['may', 0.83671, 0.85694, 0.308, 0.31418, 0.95],
      ['revoke', 0.86259, 0.89553, 0.30691, 0.31309, 0.78],
      ['o', 0.90024, 0.91012, 0.29745, 0.31273, 0.83],
      ['3223', 0.10118, 0.13694, 0.31455, 0.32364, 0.95],
      ['PROFESSIONAL', 0.14871, 0.26165, 0.31455, 0.32364, 0.95],
      ['PLAZA', 0.27341, 0.32047, 0.31455, 0.32327, 0.94],
    ];
    const lines = buildLines(read.map(([text, x0, x1, y0, y1, conf]) => ({ text, page: 1, x0, x1, y0, y1, conf })));
    expect(lines.filter((l) => l.words.some((w) => /HADDAD|SR,|THOMAS/.test(w.text)))).toHaveLength(1);
  });
});

describe('values read with a letter small or a speck inside', () => {
  it('reads a state code whose second capital OCR read small, right after the city', () => {
    expect(stateOfAddress('HONOLULU, Hi 96817')).toBe('HI');
    expect(stateOfAddress('Lives in Hi 96817')).toBeNull();
  });

  it('drops a speck read inside a DEA number when the check digit then passes', () => {
    expect(parseDea([word('F]J5910787', 0.1, 0.1, 0.01, 0.8)])?.value).toBe('FJ5910787');
    expect(parseDea([word('F]J5910788', 0.1, 0.1, 0.01, 0.8)])).toBeNull();
  });

  it("reads a practitioner's DEA number that OCR opened with E as an F, unsure", () => {
    const lines = buildLines([
      ...line(0.1, 0.01, 0.1, ['DEA', 0], ['Number:', 0.008], ['EM5472117', 0.008]),
      ...line(0.13, 0.01, 0.1, ['Business', 0], ['Activity:', 0.008], ['PRACTITIONER', 0.008]),
    ]);
    const fields = extractDeaRegistration(docContext(lines));
    expect(fields.deaNumber?.value).toBe('FM5472117');
    expect(Math.min(...fields.deaNumber!.words.map((w) => w.conf))).toBeLessThan(0.9);
  });
});

describe('sentences and professions on a licence', () => {
  it("reads a letter's issue date past a number with a full stop and a line a wide gap split", () => {
    const lines = buildLines([
      ...line(
        0.29,
        0.012,
        0.13,
        ['This', 0],
        ['letter', 0.006],
        ['certifies', 0.006],
        ['that', 0.006],
        ['Jane', 0.006],
        ['Lopez,', 0.006],
        ['MD', 0.006],
        ['was', 0.006],
        ['issued', 0.006],
        ['license', 0.006],
        ['036.480796', 0.006],
      ),
      // The wide gap after "a MD" split the line into two segments.
      ...line(
        0.31,
        0.012,
        0.13,
        ['a', 0],
        ['MD', 0.006],
        ['physician', 0.03],
        ['in', 0.006],
        ['Illinois', 0.006],
        ['on', 0.006],
        ['February', 0.006],
        ['1,', 0.006],
        ['1999.', 0.006],
        ['The', 0.006],
        ['license', 0.006],
      ),
    ]);
    expect(lines[1]!.segments.length).toBe(2);
    expect(extractMedicalLicense(docContext(lines)).issueDate?.value).toBe('1999-02-01');
  });

  it("does not take the board's name for the licensee's profession", () => {
    const board = buildLines(
      line(
        0.07,
        0.012,
        0.14,
        ['Washington', 0],
        ['Board', 0.006],
        ['of', 0.006],
        ['Osteopathic', 0.006],
        ['Medicine', 0.006],
        ['and', 0.006],
        ['Surgery', 0.006],
      ),
    );
    expect(extractMedicalLicense(docContext(board)).licenseType).toBeNull();
  });

  it('reads the profession a card names in brackets inside its sentence', () => {
    const card = buildLines(
      line(
        0.62,
        0.006,
        0.32,
        ['THE', 0],
        ['PHYSICIAN', 0.004],
        ['(MD)', 0.004],
        ['NAMED', 0.004],
        ['BELOW', 0.004],
        ['IS', 0.004],
        ['LICENSED', 0.004],
      ),
    );
    expect(extractMedicalLicense(docContext(card)).licenseType?.value).toBe('MD');
  });
});
