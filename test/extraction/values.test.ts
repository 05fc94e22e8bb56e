import { describe, expect, it } from 'vitest';
import { findDates, nearMonth } from '../../server/extraction/dates';
import { nameAboveAddress } from '../../server/extraction/doc-types/shared-fields';
import { buildLines } from '../../server/extraction/lines';
import { isDegree, naturalName } from '../../server/extraction/names';
import { rowCredits } from '../../server/extraction/doc-types/cme-transcript';
import { isNoiseLine, isSpeck } from '../../server/extraction/ocr';
import {
  licenseTypeOf,
  parseDate,
  parseDea,
  parseIdentifier,
  parseName,
  parseSchedules,
  parseStatus,
  parseText,
} from '../../server/extraction/parsers';
import type { Word } from '../../server/extraction/types';
import { nearStateName, stateOfAddress } from '../../server/extraction/us-states';
import { labelText, searchByLabel } from '../../server/extraction/field-search';
import { scoreConfidence } from '../../server/extraction/confidence';
import {
  CERTIFY_LABELS,
  commaNameLine,
  docContext,
  expirationDate,
  issuingState,
  nameByLabels,
  npi,
  schedules,
} from '../../server/extraction/doc-types/shared-fields';
import { extractMedicalLicense } from '../../server/extraction/doc-types/medical-license';
import { extractCmeCertificate } from '../../server/extraction/doc-types/cme-certificate';
import { extractCsrCertificate } from '../../server/extraction/doc-types/csr-certificate';
import { extractDeaRegistration } from '../../server/extraction/doc-types/dea-registration';

const iso = (s: string) => findDates(s.split(' ')).map((d) => d.iso);
const words = (s: string): Word[] =>
  s.split(' ').map((text, i) => ({ text, page: 1, x0: i / 10, y0: 0, x1: i / 10 + 0.05, y1: 0.01, conf: 1 }));

describe('dates', () => {
  it('reads US month-first and written forms', () => {
    expect(iso('03/04/2025')).toEqual(['2025-03-04']);
    expect(iso('12-31-2026')).toEqual(['2026-12-31']);
    expect(iso('2024-07-17')).toEqual(['2024-07-17']);
    expect(iso('March 4, 2025')).toEqual(['2025-03-04']);
    expect(iso('Sept. 9 2024')).toEqual(['2024-09-09']);
    expect(iso('4 March 2025')).toEqual(['2025-03-04']);
    expect(iso('16-NOV-2026')).toEqual(['2026-11-16']);
    expect(iso('February 8-10, 2024')).toEqual(['2024-02-10']);
  });

  it('reads the sealing clause of a certificate and the spacing and letters OCR loses', () => {
    expect(iso('this 17th day of October, 1991')).toEqual(['1991-10-17']);
    expect(iso('this 5th day of May in the year 2012')).toEqual(['2012-05-05']);
    expect(iso('this 5th day of May fit the year 2012')).toEqual(['2012-05-05']);
    expect(iso('Sep13, 2019')).toEqual(['2019-09-13']);
    // The space read as a mark, the comma after the day as a full stop.
    expect(iso("Sep'13, 2019")).toEqual(['2019-09-13']);
    expect(iso('February 1. 1999')).toEqual(['1999-02-01']);
    expect(iso('3-0ct-2012')).toEqual(['2012-10-03']);
  });

  it('reads a written date whose comma OCR glued to the year or read as a full stop', () => {
    expect(iso('Apr 30.2028')).toEqual(['2028-04-30']);
    expect(iso('August 17,2025')).toEqual(['2025-08-17']);
    expect(iso('May 26-29.2024')).toEqual(['2024-05-29']);
    expect(iso('August 17.20')).toEqual([]);
  });

  it('rejects impossible dates and plain numbers', () => {
    expect(iso('02/30/2025')).toEqual([]);
    expect(iso('13/01/2025')).toEqual([]);
    expect(iso('$150.00 62301-9118')).toEqual([]);
  });

  it('repairs a month abbreviation OCR misread by one letter, and only then with less confidence', () => {
    expect(iso('25-FAN-2025')).toEqual(['2025-01-25']);
    expect(nearMonth('0CT')).toBe(10);
    // MAN is one letter from JAN, MAR and MAY: no guess.
    expect(nearMonth('MAN')).toBeNull();
    expect(iso('25-XYZ-2025')).toEqual([]);
    const ocr = words('25-FAN-2025').map((w) => ({ ...w, conf: 0.88 }));
    expect(parseDate(ocr)?.words[0]?.conf).toBe(0.7);
    const clean = words('25-JAN-2025').map((w) => ({ ...w, conf: 0.88 }));
    expect(parseDate(clean)?.words[0]?.conf).toBe(0.88);
  });
});

describe('names', () => {
  it('turns LAST, FIRST around and drops degrees', () => {
    expect(naturalName('SMITH, JOHN A MD')).toBe('JOHN A SMITH');
    expect(naturalName('VAN DER BERG, GREGORY K, DNP, NP-C')).toBe('GREGORY K VAN DER BERG');
    expect(naturalName('WHITE II, JENNIFER K')).toBe('JENNIFER K WHITE II');
    expect(naturalName('Kevin K. Parker, MD, FACP')).toBe('Kevin K. Parker');
    expect(naturalName('Dr. Maria Lopez, D.O.')).toBe('Maria Lopez');
  });

  it('drops degrees whose comma OCR read as a full stop, and reads the suffix Ill as III', () => {
    expect(isDegree('DNP.NP-C')).toBe(true);
    expect(isDegree('M.D.')).toBe(true);
    expect(isDegree('Ward.')).toBe(false);
    expect(parseName(words('Sofia Ward. DNP.NP-C'))?.value).toBe('Sofia Ward.');
    expect(naturalName('ABIGAIL J GARCIA Ill')).toBe('ABIGAIL J GARCIA III');
    expect(naturalName('Maria L. Chavez lI')).toBe('Maria L. Chavez II');
    // A two-token name keeps its last token: "Ill" alone is not read as a suffix there.
    expect(naturalName('Tom Ill')).toBe('Tom Ill');
  });

  it('refuses prose in lowercase but keeps lowercase particles', () => {
    expect(naturalName('successful completion')).toBeNull();
    expect(naturalName('Maria de la Cruz')).toBe('Maria de la Cruz');
    expect(naturalName('Maria de Souza')).toBe('Maria de Souza');
  });

  it('refuses what is not a name', () => {
    expect(naturalName('MD')).toBeNull();
    expect(naturalName('12 MAIN ST')).toBeNull();
  });
});

describe('schedules', () => {
  it('reads a list OCR glued, with commas read as 0 and 5 as s, only from a scan; takes the marked boxes of a row', () => {
    const scanned = (t: string) => words(t).map((w) => ({ ...w, conf: 0.8 }));
    expect(parseSchedules(scanned('202N.33N4s'))?.value).toEqual(['2', '2N', '3', '3N', '4', '5']);
    expect(parseSchedules(words('202N.33N4s'))).toBeNull();
    expect(parseSchedules(scanned('2.2N.3.3NAS'))?.value).toEqual(['2', '2N', '3', '3N', '4', '5']);
    expect(parseSchedules(words('X 2 2N X 3 X 3N 4 X 5'))?.value).toEqual(['2', '3', '3N', '5']);
    // Prose after a label is no list.
    expect(parseSchedules(words('Sections 304 and 1008 (21 USC 824 and 958)'))).toBeNull();
    // A box edge OCR read as "I" before the next heading is not schedule I; a printed I still is.
    expect(parseSchedules(scanned('I BUSINESS ACTIVITY'))).toBeNull();
    expect(parseSchedules(words('I BUSINESS ACTIVITY'))?.value).toEqual(['1']);
    // A stroke of a Roman numeral read as T, L or 1, only from a scan and beside a clear I or V.
    expect(parseSchedules(scanned('IT IIN III IIIN IV V'))?.value).toEqual(['2', '2N', '3', '3N', '4', '5']);
    expect(parseSchedules(words('IT IIN'))?.value).toBeUndefined();
    expect(parseSchedules(scanned('TL'))).toBeNull();
    // A box edge read as "1" before a comma-separated list is not schedule 1; a printed 1 is.
    expect(parseSchedules(scanned('1 2,2N,3,3N,4,5'))?.value).toEqual(['2', '2N', '3', '3N', '4', '5']);
    expect(parseSchedules(words('1 2,2N,3'))?.value).toEqual(['1', '2', '2N', '3']);
  });

  it('finds a list that can only be schedules without its label, and not a shorter one', () => {
    // Words set as one run of print, spaced like text.
    const lines = (t: string) =>
      buildLines(words(t).map((x, i) => ({ ...x, x0: i * 0.03, x1: i * 0.03 + 0.025, conf: 0.9 })));
    expect(schedules(docContext(lines('2,2N,3,3N,4,5')))?.value).toEqual(['2', '2N', '3', '3N', '4', '5']);
    expect(schedules(docContext(lines('II IIN III')))?.value).toEqual(['2', '2N', '3']);
    expect(schedules(docContext(lines('2 3 4')))).toBeNull();
    expect(schedules(docContext(lines('Suite 2 3 4 5')))).toBeNull();
  });

  it('reads a value printed beside its label a little higher than the label line', () => {
    const at = (text: string, x0: number, y0: number, h: number): Word => ({
      text,
      page: 1,
      x0,
      y0,
      x1: x0 + 0.08,
      y1: y0 + h,
      conf: 0.9,
    });
    // The label shares its line with an address further right; the list sits between them, offset.
    const page = [
      at('SCHEDULES:', 0.08, 0.28, 0.029),
      at('6468', 0.59, 0.28, 0.012),
      at('PINE', 0.68, 0.28, 0.012),
      at('II', 0.33, 0.293, 0.011),
      at('IIN', 0.42, 0.293, 0.011),
      at('III', 0.51, 0.293, 0.011),
    ];
    const lines = buildLines(page);
    expect(lines.length).toBe(2);
    expect(schedules(docContext(lines))?.value).toEqual(['2', '2N', '3']);
  });

  it('reads arabic, spaced and roman forms', () => {
    expect(parseSchedules(words('2,2N,3,3N,4,5'))?.value).toEqual(['2', '2N', '3', '3N', '4', '5']);
    expect(parseSchedules(words('2 2N 3 3N 4 5'))?.value).toEqual(['2', '2N', '3', '3N', '4', '5']);
    expect(parseSchedules(words('II, IIN, III, IIIN, IV, V'))?.value).toEqual(['2', '2N', '3', '3N', '4', '5']);
    expect(parseSchedules(words('IIN IIIN IV V'))?.value).toEqual(['2N', '3N', '4', '5']);
    expect(parseSchedules(words('2N3N45'))?.value).toEqual(['2N', '3N', '4', '5']);
    expect(parseSchedules(words('PRACTITIONER'))).toBeNull();
    // OCR's full stop for a comma, and M for the N after a digit.
    expect(parseSchedules(words('33N4.5'))?.value).toEqual(['3', '3N', '4', '5']);
    expect(parseSchedules(words('22M 33N45'))?.value).toEqual(['2', '2N', '3', '3N', '4', '5']);
    expect(parseSchedules(words('II.IIN'))?.value).toEqual(['2', '2N']);
    expect(parseSchedules(words('MD'))).toBeNull();
  });

  it('reads a status behind an OCR curly quote', () => {
    expect(parseStatus(words('“ACTIVE'))?.value).toBe('ACTIVE');
  });

  it('reads two statuses joined by a slash, and only status words', () => {
    expect(parseStatus(words('CLEAR/ACTIVE 2005-11-11'))?.value).toBe('CLEAR/ACTIVE');
    expect(parseStatus(words('CLEAR/BOSTON'))).toBeNull();
  });
});

describe('name above an address block', () => {
  const at = (text: string, x0: number, y0: number, conf = 0.9): Word => ({
    text,
    page: 1,
    x0,
    y0,
    x1: x0 + text.length * 0.012,
    y1: y0 + 0.01,
    conf,
  });
  const block = (extra: Word[]) => [
    at('MORALES,', 0.08, 0.2),
    at('DANIEL', 0.2, 0.2),
    at('T', 0.28, 0.2),
    at('MD', 0.3, 0.2),
    at('643', 0.08, 0.218),
    at('HOSPITAL', 0.13, 0.218),
    at('WAY', 0.24, 0.218),
    // OCR spaced the comma out: the city and "NJ 08075" are separate segments.
    at('NEWARK,', 0.08, 0.236),
    at('NJ', 0.2, 0.236),
    at('08075', 0.23, 0.236),
    ...extra,
  ];

  it('walks up from an address line split at the comma', () => {
    expect(nameAboveAddress(docContext(buildLines(block([]))))?.value).toBe('DANIEL T MORALES');
    // A speck at the far right of the name line is not a middle initial.
    expect(nameAboveAddress(docContext(buildLines(block([at('R', 0.6, 0.2, 0.05)]))))?.value).toBe('DANIEL T MORALES');
  });

  it('is not stopped by a speck off to the side of the block', () => {
    const lines = buildLines(block([{ ...at('so!', 0.9, 0.2285, 0.13), y1: 0.2345 }]));
    expect(lines).toHaveLength(4);
    expect(nameAboveAddress(docContext(lines))?.value).toBe('DANIEL T MORALES');
  });

  it('does not take a building line for the name', () => {
    const lines = buildLines([at('BLDG', 0.08, 0.2), at('B', 0.14, 0.2), ...block([]).slice(4)]);
    expect(nameAboveAddress(docContext(lines))).toBeNull();
  });

  it('is stopped by marks inside the block that align with nothing', () => {
    const lines = buildLines(block([{ ...at('ee', 0.15, 0.2285, 0.1), y1: 0.2345 }]));
    expect(nameAboveAddress(docContext(lines))).toBeNull();
  });
});

describe('addresses', () => {
  it('finds the state of a City, ST ZIP line, also when OCR garbled a ZIP digit or the punctuation', () => {
    expect(stateOfAddress('NEWARK, NJ 08075')).toBe('NJ');
    expect(stateOfAddress('FREDERICK. MD» 2132]')).toBe('MD');
    expect(stateOfAddress('CT 061%9')).toBe('CT');
    expect(stateOfAddress('CAMDEN. NJ08207.5149')).toBe('NJ');
    expect(stateOfAddress('License MD12345')).toBeNull();
    // Not a ZIP: letters, too few digits, or no state code.
    expect(stateOfAddress('Learner ID AB123')).toBeNull();
    expect(stateOfAddress('DEA MD 12A4B')).toBeNull();
    expect(stateOfAddress('XX 12345')).toBeNull();
  });
});

describe('state names misread by OCR', () => {
  it('finds the one state a word is a letter away from', () => {
    expect(nearStateName('Ilinois')).toBe('IL');
    expect(nearStateName('CALIFORNLA')).toBe('CA');
    expect(nearStateName('Pennsylvana')).toBe('PA');
    expect(nearStateName('Origin')).toBeNull();
    expect(nearStateName('Illinois')).toBeNull();
  });

  it('takes the misread board state over the address of record', () => {
    const at = (text: string, x0: number, y0: number): Word => ({
      text,
      page: 1,
      x0,
      y0,
      x1: x0 + 0.08,
      y1: y0 + 0.01,
      conf: 0.9,
    });
    const lines = buildLines([
      at('Ilinois', 0.3, 0.02),
      at('Deparment', 0.39, 0.02),
      at('of', 0.48, 0.02),
      at('Professional', 0.57, 0.02),
      at('Regulation', 0.66, 0.02),
      at('Phoenix,', 0.07, 0.27),
      at('AZ', 0.16, 0.27),
      at('85050', 0.25, 0.27),
    ]);
    const found = issuingState(docContext(lines));
    expect(found?.value).toBe('IL');
    expect(scoreConfidence('state', found!)).toBeLessThan(0.9);
  });
});

describe('confidence', () => {
  const w = (conf: number): Word => ({ text: 'AZ', page: 1, x0: 0, y0: 0, x1: 0.1, y1: 0.01, conf });
  it('keeps a weak hint weak under OCR, even for a strict-vocabulary field', () => {
    expect(
      scoreConfidence('state', { value: 'AZ', method: 'pattern', labelStrength: 0.2, words: [w(0.96)] }),
    ).toBeLessThan(0.8);
    expect(
      scoreConfidence('state', { value: 'AZ', method: 'label-inline', labelStrength: 1, words: [w(0.96)] }),
    ).toBeGreaterThanOrEqual(0.97);
  });

  it('trusts a text-layer value more than the same value read by OCR', () => {
    const found = (conf: number) => ({
      value: 'Jane Doe',
      method: 'pattern' as const,
      labelStrength: 0.85,
      words: [w(conf)],
    });
    expect(scoreConfidence('registrantName', found(1))).toBeGreaterThanOrEqual(0.97);
    expect(scoreConfidence('registrantName', found(0.95))).toBeLessThan(0.9);
  });
});

describe('table cells', () => {
  const at = (text: string, x0: number, y0: number, x1 = x0 + text.length * 0.006): Word => ({
    text,
    page: 1,
    x0,
    y0,
    x1,
    y1: y0 + 0.012,
    conf: 0.9,
  });
  const header = [at('Name', 0.06, 0.2), at('License', 0.27, 0.2), at('Status', 0.586, 0.2), at('Issued', 0.7, 0.2)];
  const rules = [{ re: /\bstatus\b[:\s]*/i, strength: 1 }];

  it('reads a cell wrapped onto the next line, whose first word carries a border mark', () => {
    const words = [
      ...header,
      at('SMITH,', 0.06, 0.224),
      at('JO', 0.11, 0.224),
      at('4301702459', 0.27, 0.224),
      at('RENEWED', 0.587, 0.224),
      at('&', 0.644, 0.224),
      at('2021-09-26', 0.694, 0.224),
      at('[CURRENT', 0.58, 0.238),
    ];
    expect(searchByLabel(buildLines(words), rules, parseStatus)[0]?.value).toBe('RENEWED & CURRENT');
  });

  it('looks past lines of single-character marks between a label and its value', () => {
    const at = (text: string, x0: number, y0: number, conf = 0.9): Word => ({
      text,
      page: 1,
      x0,
      y0,
      x1: x0 + text.length * 0.012,
      y1: y0 + 0.012,
      conf,
    });
    const lines = buildLines([
      at('awarded', 0.3, 0.18),
      at('to', 0.4, 0.18),
      at('i', 0.3, 0.194, 0.5),
      at('1', 0.3, 0.205, 0.7),
      at('Ingrid', 0.3, 0.212),
      at('Brown,', 0.38, 0.212),
      at('APRN', 0.46, 0.212),
    ]);
    expect(searchByLabel(lines, [{ re: /\bawarded to\b[:\s]*/i, strength: 1 }], parseName)[0]?.value).toBe(
      'Ingrid Brown',
    );
  });

  it('marks a value unsure when the cell goes on below in words that do not fit it', () => {
    const words = [
      ...header,
      at('SMITH,', 0.06, 0.224),
      at('JO', 0.11, 0.224),
      at('RENEWED', 0.587, 0.224),
      at('2021-09-26', 0.694, 0.224),
      at('CURRE', 0.6, 0.238),
    ];
    // A one-word value: the cell with its second line does not parse.
    const oneWord = (ws: Word[]) =>
      ws.length === 1 && /^[A-Z]{5,}$/.test(ws[0]!.text) ? { value: ws[0]!.text, words: ws } : null;
    const found = searchByLabel(buildLines(words), rules, oneWord)[0];
    expect(found?.value).toBe('RENEWED');
    expect(Math.min(...found!.words.map((x) => x.conf))).toBeLessThanOrEqual(0.6);
  });
});

describe('names OCR misread around', () => {
  const ocr = (s: string, confs: number[] = []): Word[] => words(s).map((w, i) => ({ ...w, conf: confs[i] ?? 0.9 }));

  it('reads a surname whose comma OCR took for a full stop', () => {
    expect(parseName(ocr('HOWARD. CATHERINE C'))?.value).toBe('CATHERINE C HOWARD');
    expect(parseName(ocr('Cruz. Fatima Elizabeth, D.O., MPH'))?.value).toBe('Fatima Elizabeth Cruz');
    // An initial, an honorific and a text layer keep their full stop.
    expect(parseName(ocr('J. Robert Smith'))?.value).toBe('J. Robert Smith');
    expect(parseName(ocr('Mrs. Anna Lee'))?.value).toBe('Anna Lee');
    expect(parseName(words('Cruz. Fatima'))?.value).toBe('Cruz. Fatima');
  });

  it('skips an unsure lowercase scrap before a name printed in capitals', () => {
    expect(parseName(ocr('ono. HOWARD, CATHERINE C', [0, 0.9, 0.9, 0.9]))?.value).toBe('CATHERINE C HOWARD');
  });

  it('drops a lone lowercase OCR letter anywhere in a name printed in capitals, however it scored', () => {
    expect(parseName(ocr('FATIMA E i TORRES', [0.9, 0.9, 0.75, 0.9]))?.value).toBe('FATIMA E TORRES');
    expect(parseName(ocr('i OKAFOR, JENNIFER R', [0.63, 0.9, 0.9, 0.9]))?.value).toBe('JENNIFER R OKAFOR');
    expect(parseName(words('FATIMA E i TORRES'))?.value).toBe('FATIMA E i TORRES');
  });

  it('skips an unsure capitalised scrap before a name printed in capitals, and a speck before a number', () => {
    expect(parseName(ocr('Co CAMPBELL, DANIEL D', [0, 0.9, 0.9, 0.9]))?.value).toBe('DANIEL D CAMPBELL');
    expect(parseName(ocr('mame MORALES, MARIA D', [0.34, 0.9, 0.9, 0.9]))?.value).toBe('MARIA D MORALES');
    expect(parseIdentifier(ocr('1 47102', [0.18, 0.9]))?.value).toBe('47102');
    expect(parseIdentifier(ocr('1 47102', [0.9, 0.9]))).toBeNull();
  });

  it('reads a certificate "awarded to" whose "to" OCR read as 10', () => {
    const at = (text: string, x0: number, y0: number, conf = 0.9): Word => ({
      text,
      page: 1,
      x0,
      y0,
      x1: x0 + text.length * 0.012,
      y1: y0 + 0.012,
      conf,
    });
    const lines = buildLines([
      at('awarded', 0.3, 0.18, 0.78),
      at('10', 0.4, 0.18),
      at('Ingrid', 0.3, 0.21),
      at('Brown,', 0.38, 0.21),
      at('APRN', 0.46, 0.21),
    ]);
    expect(nameByLabels(docContext(lines), CERTIFY_LABELS)?.value).toBe('Ingrid Brown');
  });

  it('drops unsure specks at the ends of a free-text value', () => {
    expect(parseText(ocr('American Academy of Family Physicians Co', [0.9, 0.9, 0.9, 0.9, 0.9, 0.2]))?.value).toBe(
      'American Academy of Family Physicians',
    );
    expect(parseText(ocr('Ii American Nurses Association', [0.3, 0.9, 0.9, 0.9]))?.value).toBe(
      'American Nurses Association',
    );
    expect(parseText(ocr('Part II of Care', [0.9, 0.9, 0.9, 0.9]))?.value).toBe('Part II of Care');
  });
});

describe('wallet card names', () => {
  const at = (text: string, x0: number, y0: number, conf = 0.9): Word => ({
    text,
    page: 1,
    x0,
    y0,
    x1: x0 + text.length * 0.012,
    y1: y0 + 0.01,
    conf,
  });

  it('takes a line that is only LAST, FIRST in capitals, not a city and state', () => {
    const lines = buildLines([
      at('TEXAS', 0.2, 0.05),
      at('CSR', 0.3, 0.05),
      at('NEW', 0.05, 0.2),
      at('HAVEN,', 0.092, 0.2),
      at('CT', 0.168, 0.2),
      at('MOORE,', 0.05, 0.26),
      at('DMITRI', 0.13, 0.26),
      at('EL', 0.05, 0.33),
      at('PASO', 0.09, 0.33),
    ]);
    expect(commaNameLine(docContext(lines))?.value).toBe('DMITRI MOORE');
  });

  it('continues a name above an address past a gap after its middle initial', () => {
    const lines = buildLines([
      at('RICHARD', 0.1, 0.24),
      at('B.', 0.2, 0.24),
      at('MORALES', 0.4, 0.24),
      at('SPRINGFIELD,', 0.1, 0.256),
      at('MO', 0.26, 0.256),
      at('65483', 0.3, 0.256),
    ]);
    expect(nameAboveAddress(docContext(lines))?.value).toBe('RICHARD B. MORALES');
  });
});

describe('labels and numbers OCR misread by a letter or a speck', () => {
  const w = (text: string, conf: number): Word => ({ text, page: 1, x0: 0, y0: 0, x1: 0.1, y1: 0.01, conf });

  it('reads an unsure label word one letter off as the label word', () => {
    expect(labelText(w('ISSULD', 0.7))).toBe('ISSUED');
    expect(labelText(w('Throlgh:', 0.5))).toBe('Through:');
    // Sure words, real words a letter off, and words near two label words stay as read.
    expect(labelText(w('ISSULD', 0.95))).toBe('ISSULD');
    expect(labelText(w('ISSUES', 0.5))).toBe('ISSUES');
    expect(labelText(w('STATES', 0.5))).toBe('STATES');
  });

  it('reads a stroke before the letters of a label word as its I', () => {
    expect(labelText(w('1SSUE', 0.84))).toBe('ISSUE');
    expect(labelText(w('lssued:', 0.9))).toBe('Issued:');
    // A letter off as well: only when unsure.
    expect(labelText(w('lwsue', 0.6))).toBe('Issue');
    expect(labelText(w('lwsue', 0.9))).toBe('lwsue');
    expect(labelText(w('1SSUE', 0.999))).toBe('1SSUE');
  });

  it('reads a long label word two letters off, when it is near one label word only', () => {
    expect(labelText(w('SCMEOULES', 0.6))).toBe('SCHEDULES');
    expect(labelText(w('REGISTRAXIOM', 0.6))).toBe('REGISTRATION');
    // Short words get one letter only; sure words stay as read.
    expect(labelText(w('ISXUXD', 0.6))).toBe('ISXUXD');
    expect(labelText(w('SCMEOULES', 0.95))).toBe('SCMEOULES');
  });

  it('splits a label head OCR glued to the next label word', () => {
    expect(labelText(w('Datelssued:', 0.9))).toBe('date issued:');
    expect(labelText(w('LICENSENUMBER', 0.95))).toBe('LICENSE NUMBER');
    // A text layer's words are as printed; a head before a word that is no label word stays.
    expect(labelText(w('Datelssued:', 1))).toBe('Datelssued:');
    expect(labelText(w('Dateline', 0.9))).toBe('Dateline');
  });

  it('drops one stray mark between the digits of a number, as unsure', () => {
    const p = parseIdentifier([w('336.02353¢9', 0.31)]);
    expect(p?.value).toBe('336.023539');
    expect(p?.words[0]?.conf).toBeLessThanOrEqual(0.5);
    expect(parseIdentifier([w('336.02353¢9', 1)])).toBeNull();
  });

  it('is unsure of an OCR-read number whose leading digit stands before letters (0S50566 or OS50566)', () => {
    expect(parseIdentifier([w('0S50566', 0.83)])?.words[0]?.conf).toBeLessThanOrEqual(0.6);
    // From a scan the 0 before letters reads as the O it resembles; a text layer's 0 is as printed.
    expect(parseIdentifier([w('0S50566', 0.83)])?.value).toBe('OS50566');
    expect(parseIdentifier([w('0S50566', 1)])?.value).toBe('0S50566');
    expect(parseIdentifier([w('0S50566', 1)])?.words[0]?.conf).toBe(1);
    expect(parseIdentifier([w('OS50566', 0.83)])?.words[0]?.conf).toBe(0.83);
  });

  it('reads a DEA number whose digit OCR took for a letter, when the check digit settles it', () => {
    // B read for 6: B -> 8 fails the check digit, B -> 6 passes.
    expect(parseDea([w('AAB235407', 0.9)])?.value).toBe('AA6235407');
    expect(parseDea([w('AAB235407', 1)])).toBeNull();
  });

  it('drops FACE after a name like other fellowships', () => {
    expect(naturalName('INGRID S. ALLEN, MD, FACE')).toBe('INGRID S. ALLEN');
  });
});

describe('labels OCR garbled', () => {
  const at = (text: string, x0: number, y0: number, conf = 0.9): Word => ({
    text,
    page: 1,
    x0,
    y0,
    x1: x0 + text.length * 0.01,
    y1: y0 + 0.01,
    conf,
  });

  it('reads an NPI whose label lost its I to a bracket, not a word that starts with NP', () => {
    expect(npi(docContext(buildLines([at('NP]', 0.08, 0.3, 0.67), at('1189997459', 0.3, 0.3)])))?.value).toBe(
      '1189997459',
    );
    // "NPlan" is no NPI label: the number is then found only as an unlabelled NPI, weaker.
    const unlabelled = npi(docContext(buildLines([at('NPlan', 0.08, 0.3), at('1189997459', 0.3, 0.3)])));
    expect(unlabelled).toMatchObject({ value: '1189997459', method: 'pattern', labelStrength: 0.5 });
  });

  it('takes an unlabelled ten-digit number as the NPI only when nothing else can be', () => {
    const alone = (...cells: string[]) => npi(docContext(buildLines(cells.map((t, i) => at(t, 0.1, 0.3 + i * 0.05)))));
    expect(alone('Supervising Physician', '2640430288')?.value).toBe('2640430288');
    expect(alone('2640430286')).toBeNull(); // fails the Luhn check
    expect(alone('5101185424')).toBeNull(); // passes the Luhn check, but an NPI opens with 1 or 2
    expect(alone('2640430288', '1189997459')).toBeNull(); // two candidates: neither is sure
    expect(npi(docContext(buildLines([at('Phone', 0.1, 0.3), at('2640430288', 0.155, 0.3)])))).toBeNull(); // not alone in its cell
  });

  it('reads a wallet card licence number under a LIC heading', () => {
    const lines = buildLines([
      at('LIC', 0.07, 0.177),
      at('EXPIRES', 0.3, 0.177),
      at('061226', 0.07, 0.191),
      at('06/06/2027', 0.3, 0.191),
    ]);
    expect(extractMedicalLicense(docContext(lines)).licenseNumber?.value).toBe('061226');
  });
});

describe('registration period', () => {
  it('takes the end of a period whose two dates stand apart under the label', () => {
    const at = (text: string, x0: number, y0: number): Word => ({
      text,
      page: 1,
      x0,
      y0,
      x1: x0 + text.length * 0.01,
      y1: y0 + 0.01,
      conf: 0.9,
    });
    const lines = buildLines([
      at('REGISTRATION', 0.08, 0.15),
      at('PERIOD', 0.2, 0.15),
      at('LICENSE', 0.6, 0.15),
      at('NO.', 0.68, 0.15),
      at('10-28-2026', 0.08, 0.165),
      at('10-27-2028', 0.3, 0.165),
      at('2007075747', 0.6, 0.165),
    ]);
    expect(expirationDate(docContext(lines))?.value).toBe('2028-10-27');
  });
});

describe('transcript credits', () => {
  const ocr = (s: string, conf = 0.9): Word[] => words(s).map((w) => ({ ...w, conf }));

  it('restores the decimal point OCR lost in a column that prints two decimals, as unsure', () => {
    const r = rowCredits(ocr('725'), true);
    expect(r?.value).toBe(7.25);
    expect(r?.word.conf).toBeLessThanOrEqual(0.5);
    expect(rowCredits(ocr('025'), true)?.value).toBe(0.25);
    expect(rowCredits(ocr('12.50'), true)?.value).toBe(12.5);
    // Elsewhere a bare figure is taken as printed, or refused when no activity carries that many credits.
    expect(rowCredits(ocr('25'), false)?.value).toBe(25);
    expect(rowCredits(ocr('725'), false)).toBeNull();
  });
});

describe('OCR noise', () => {
  it('drops specks but keeps an ampersand', () => {
    expect(isSpeck(':')).toBe(true);
    expect(isSpeck('©')).toBe(true);
    expect(isSpeck('&')).toBe(false);
    expect(isSpeck('$60.00')).toBe(false);
  });

  const ocr = (s: string, confs: number[]): Word[] => words(s).map((w, i) => ({ ...w, conf: confs[i] ?? 0.9 }));

  it('drops lines of unsure one- and two-letter marks, and keeps a shakily read name', () => {
    expect(
      isNoiseLine(ocr('i i Ea rm Poe Ri a I J ET i', [0.3, 0.48, 0.24, 0, 0.2, 0.11, 0.42, 0.7, 0.04, 0.16, 0.63])),
    ).toBe(true);
    expect(isNoiseLine(ocr('WOOD, DAVID C', [0.59, 0.21, 0.21]))).toBe(false);
    expect(isNoiseLine(ocr('i i Ea ET', [0.9, 0.9, 0.9, 0.9]))).toBe(false);
    expect(isNoiseLine(ocr('Co M.D. oo', [0, 0.93, 0]))).toBe(false);
    // A label fairly read before a row of check boxes read as specks.
    const boxes = [0.44, 0.17, 0.1, 0.54, 0.29, 0];
    expect(isNoiseLine(ocr('scHEpULEs: [12 [d2~n [Xs sn [X]a [Xs', [0.73, ...boxes]))).toBe(false);
    expect(isNoiseLine(ocr('scHEpULEs: [12 [d2~n [Xs sn [X]a [Xs', [0.5, ...boxes]))).toBe(true);
  });

  it('does not take a table rule read as "I" for an initial', () => {
    expect(parseName(ocr('I WILSON, ANTHONY WEI', [0.51, 0.88, 0.96, 0.72]))?.value).toBe('ANTHONY WEI WILSON');
    expect(parseName(ocr('I WILSON, ANTHONY WEI', [0.95, 0.88, 0.96, 0.72]))?.value).toBe('ANTHONY WEI I WILSON');
    expect(parseName(ocr('t Kevin Johnson', [0.3, 0.9, 0.9]))?.value).toBe('Kevin Johnson');
  });

  it('drops unsure lowercase scraps inside a name printed in capitals', () => {
    expect(parseName(ocr('DANIEL D Co CAMPBELL', [0.9, 0.9, 0.3, 0.9]))?.value).toBe('DANIEL D CAMPBELL');
    expect(parseName(ocr('JENNIFER R i OKAFOR', [0.9, 0.9, 0.2, 0.9]))?.value).toBe('JENNIFER R OKAFOR');
    // Read with confidence, or in a mixed-case name, the token stays.
    expect(parseName(ocr('DANIEL D Co CAMPBELL', [0.9, 0.9, 0.9, 0.9]))?.value).toBe('DANIEL D Co CAMPBELL');
    expect(parseName(ocr('Maria de Souza', [0.9, 0.3, 0.9]))?.value).toBe('Maria de Souza');
    expect(naturalName('HALL, KEVIN L, MPAS')).toBe('KEVIN L HALL');
  });
});

describe("a certificate's credits read by OCR", () => {
  const line = (conf: number) =>
    docContext(
      buildLines(
        ['Credits', 'claimed:', '200'].map((text, i) => ({
          text,
          page: 1,
          x0: i * 0.08,
          y0: 0.1,
          x1: i * 0.08 + 0.07,
          y1: 0.11,
          conf,
        })),
      ),
    );

  it('reads a whole hundred from a scan as the figure whose point OCR lost, unsure', () => {
    const found = extractCmeCertificate(line(0.9)).credits;
    expect(found?.value).toBe(2);
    expect(Math.max(...found!.words.map((w) => w.conf))).toBeLessThanOrEqual(0.6);
  });

  it("keeps a text layer's figure as printed", () => {
    expect(extractCmeCertificate(line(1)).credits?.value).toBe(200);
  });
});

describe('lines of a scan with specks', () => {
  const at = (text: string, x0: number, x1: number, y0: number, conf = 0.93): Word => ({
    text,
    page: 1,
    x0,
    x1,
    y0,
    y1: y0 + 0.027,
    conf,
  });

  it("keeps a name on one line when OCR read a mark inside its last word again ('1' in O'Brien)", () => {
    const lines = buildLines([
      at('1', 0.509, 0.513, 0.298, 0.79),
      at('Mariam', 0.295, 0.387, 0.298),
      at('Nicole', 0.398, 0.478, 0.296),
      at("O'Brien,", 0.487, 0.591, 0.297),
      at('DO', 0.601, 0.647, 0.298),
    ]);
    expect(lines.map((l) => l.text)).toEqual(["Mariam Nicole O'Brien, DO"]);
  });

  it('reads the name under a certifying sentence whose line also holds specks', () => {
    const lines = buildLines([
      at('IY', 0.01, 0.03, 0.248, 0.3),
      at('Ts', 0.04, 0.06, 0.248, 0.3),
      at('od', 0.17, 0.19, 0.248, 0.4),
      at('We', 0.29, 0.32, 0.248),
      at('hereby', 0.33, 0.39, 0.248),
      at('certify', 0.4, 0.46, 0.248),
      at('that', 0.47, 0.5, 0.248),
      at('Mariam', 0.295, 0.387, 0.296),
      at('Nicole', 0.398, 0.478, 0.296),
      at('Smith', 0.487, 0.56, 0.296),
    ]);
    expect(nameByLabels(docContext(lines), CERTIFY_LABELS)?.value).toBe('Mariam Nicole Smith');
  });
});

describe('a name printed large near the top', () => {
  const line = (texts: string[], y0: number, h: number, conf: number): Word[] =>
    texts.map((text, i) => ({ text, page: 1, x0: 0.1 + i * 0.06, x1: 0.15 + i * 0.06, y0, y1: y0 + h, conf }));
  const body = [
    ...line(['Division', 'of', 'Consumer', 'Affairs'], 0.1, 0.01, 0.95),
    ...line(['This', 'registration', 'authorizes'], 0.4, 0.01, 0.95),
  ];

  it('is read as the holder when read surely', () => {
    const lines = buildLines([...body, ...line(['Rachel', 'Kaplan'], 0.2, 0.013, 0.92)]);
    expect(nameByLabels(docContext(lines), CERTIFY_LABELS)?.value).toBe('Rachel Kaplan');
  });

  it('is not a row of check boxes OCR read as words', () => {
    const lines = buildLines([...body, ...line(['[Xan', '[Xa'], 0.2, 0.013, 0.55)]);
    expect(nameByLabels(docContext(lines), CERTIFY_LABELS)).toBeNull();
  });
});

describe('a registration card whose labels OCR lost', () => {
  /** Rows of cells read by OCR, each cell one word: `column` apart across, `row` apart down. */
  const card = (rows: string[][], { column = 0.45, row = 0.1 } = {}) =>
    docContext(
      buildLines(
        rows.flatMap((cells, r) =>
          cells.map((text, c) => ({
            text,
            page: 1,
            x0: 0.05 + c * column,
            x1: 0.05 + c * column + Math.min(0.25, column - 0.1),
            y0: 0.1 + r * row,
            y1: 0.1 + r * row + Math.min(0.04, row - 0.02),
            conf: 0.9,
          })),
        ),
      ),
    );

  it('takes the number alone in its cell and the one date as the end of validity, unsure', () => {
    const fields = extractCsrCertificate(card([['CONTROLLED SUBSTANCE REGISTRATION'], ['CS4571417', '11-27-2025']]));
    expect(fields.registrationNumber?.value).toBe('CS4571417');
    expect(fields.expirationDate?.value).toBe('2025-11-27');
    expect(fields.registrationNumber!.labelStrength).toBeLessThan(1);
  });

  it('takes the later of two dates as the expiration and the earlier as the issue, never a DEA number as the registration', () => {
    const fields = extractCsrCertificate(card([['BS1234563', '11-27-2025'], ['01-02-2024']]));
    expect(fields.expirationDate?.value).toBe('2025-11-27');
    expect(fields.issueDate?.value).toBe('2024-01-02');
    expect(fields.issueDate!.labelStrength).toBeLessThan(1);
    expect(fields.registrationNumber).toBeNull();
  });

  it('takes no unlabelled date when the card prints three', () => {
    const fields = extractCsrCertificate(
      card([
        ['CS4571417', '11-27-2025'],
        ['01-02-2024', '03-04-2023'],
      ]),
    );
    expect(fields.expirationDate).toBeNull();
    expect(fields.issueDate).toBeNull();
  });

  it("takes the other date of a labelled date's row, on its side in time, when one header was lost", () => {
    const header = ['LICENSE NO', 'EXIMIES', 'ISSUED'];
    const row = ['A79591', '07-31-2024', '06-10-2022'];
    const three = (rows: string[][]) => card(rows, { column: 0.3, row: 0.05 });
    const fields = extractMedicalLicense(three([['MEDICAL LICENSE'], header, row]));
    expect(fields.issueDate?.value).toBe('2022-06-10');
    expect(fields.expirationDate?.value).toBe('2024-07-31');
    expect(fields.expirationDate!.labelStrength).toBeLessThan(1);
    // A date beside a labelled one, but on the wrong side of it in time, is not the other date.
    const odd = extractMedicalLicense(three([['MEDICAL LICENSE'], header, ['A79591', '07-31-2020', '06-10-2022']]));
    expect(odd.expirationDate).toBeNull();
    // A registration period's start is no issue date.
    const period = extractMedicalLicense(
      three([['MEDICAL LICENSE'], ['Registration Period:', '05-JAN-2025', '04-JAN-2026']]),
    );
    expect(period.expirationDate?.value).toBe('2026-01-04');
    expect(period.issueDate).toBeNull();
    // Nor under a period's heading, nor joined to the end by "through".
    const headed = extractMedicalLicense(
      three([
        ['REGISTRATION CERTIFICATE'],
        ['REGISTRATION PERIOD', 'LICENSE NO.'],
        ['01/10/2026', 'through', '01/09/2028'],
      ]),
    );
    expect(headed.expirationDate?.value).toBe('2028-01-09');
    expect(headed.issueDate).toBeNull();
  });

  it("reads a DEA card's business activity alone in its cell, two letters off at most", () => {
    const fields = extractDeaRegistration(card([['DEA REGISTRATION'], ['KID: LEVEL PRACTITIONER', '01-31-2027']]));
    expect(fields.businessActivity?.value).toBe('MID-LEVEL PRACTITIONER');
    expect(fields.businessActivity!.labelStrength).toBeLessThan(1);
    expect(
      extractDeaRegistration(card([['DEA REGISTRATION'], ['MID TOWN PRACTICE GROUP']])).businessActivity,
    ).toBeNull();
  });
});

describe('license type words OCR misread', () => {
  it('reads osteopathic with its round letters read as Q or 0, or a thin t lost', () => {
    expect(licenseTypeOf('QSTEQPATHIC PHYSICIAN AND SURGEON')).toBe('DO');
    expect(licenseTypeOf('Board of Oseopathe Medicine')).toBe('DO');
    expect(licenseTypeOf('PHYSICIAN AND SURGEON')).toBe('MD');
  });
});

describe('titles in certifying sentences OCR read', () => {
  const sentence = (text: string) =>
    docContext(
      buildLines(
        text.split(' ').map((t, i) => ({
          text: t,
          page: 1,
          x0: 0.05 + i * 0.04,
          x1: 0.08 + i * 0.04,
          y0: 0.4,
          y1: 0.42,
          conf: 0.9,
        })),
      ),
    );

  it('ends a title at a date whose comma OCR read as a full stop, and at a closing quote read as another mark', () => {
    const attended = extractCmeCertificate(
      sentence('has attended Chronic Low Back Pain on Apr 21.2025 and is awarded 1.25 AOA Category 1-B credits.'),
    );
    expect(attended.activityTitle?.value).toBe('Chronic Low Back Pain');
    const quoted = extractCmeCertificate(sentence('completed “Hypertension Guidelines™ on December 13, 2023,'));
    expect(quoted.activityTitle?.value).toBe('Hypertension Guidelines');
  });
});
