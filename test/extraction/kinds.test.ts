/**
 * Kinds of document rather than layouts: values stated in sentences, under their headings, in a
 * row of check boxes, and headings spaced letter by letter. Each PDF is written here with its own
 * wording (not any issuer's), so a rule that passes reads the kind, not a template.
 */
import { describe, expect, it } from 'vitest';
import { isExtractionFailure, type ExtractionOutcome, type ExtractionSuccess } from '../../common/extraction';
import { classify } from '../../server/extraction/classify';
import { extractPdf } from '../../server/extraction/index';
import { makePdf, type Placed } from './make-pdf';

function ok(o: ExtractionOutcome): ExtractionSuccess {
  if (isExtractionFailure(o)) throw new Error(`extraction failed: ${o.error.message}`);
  return o;
}

const value = (o: ExtractionSuccess, field: string) => o.fields[field]?.value ?? null;

/** Lines of running text starting at `top`, 16 points apart. */
const prose = (top: number, lines: string[], x = 60, size = 11): Placed[] =>
  lines.map((text, i) => ({ text, x, y: top + i * 16, size }));

describe('extraction by kind of document', () => {
  it('reads a CME certificate whose only statement is a sentence, with the name alone on the line above', async () => {
    const pdf = await makePdf([
      [
        { text: 'Lakeside Institute for Clinical Learning', x: 150, y: 80, size: 16 },
        { text: 'Certificate of Participation', x: 190, y: 130, size: 20 },
        { text: 'Priya N. Okafor, DO', x: 220, y: 190, size: 18 },
        ...prose(230, [
          'successfully participated in the live webinar “Sepsis Bundles in the Emergency Department:',
          'What Changed in 2025” held on September 9, 2025 and was awarded 1.75 AMA PRA Category 1',
          'Credits™ for this activity.',
        ]),
        ...prose(
          320,
          [
            'Lakeside Institute for Clinical Learning designates this live activity for a maximum of 2.00 AMA PRA Category 1 Credits™.',
          ],
          60,
          9,
        ),
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(o.docType).toBe('cme_certificate');
    expect(value(o, 'participantName')).toBe('Priya N. Okafor');
    expect(value(o, 'activityTitle')).toBe('Sepsis Bundles in the Emergency Department: What Changed in 2025');
    expect(value(o, 'completionDate')).toBe('2025-09-09');
    // The participant's figure, not the designated maximum.
    expect(value(o, 'credits')).toBe(1.75);
    expect(value(o, 'creditType')).toBe('AMA_PRA_1');
  });

  it('reads a letter of verification whose number, dates and status are in prose', async () => {
    const pdf = await makePdf([
      [
        { text: 'STATE OF OREGON', x: 60, y: 60, size: 12 },
        { text: 'Oregon Medical Board', x: 60, y: 78, size: 14 },
        { text: 'To Whom It May Concern:', x: 60, y: 150 },
        ...prose(180, [
          'This letter verifies that Tomas J. Lindgren, MD was issued license number MD 204417 to practice as a',
          'Doctor of Medicine in this State on 03/02/2011. The license is currently active and will expire on',
          '12/31/2026 unless it is renewed.',
        ]),
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(o.docType).toBe('medical_license');
    expect(value(o, 'licenseeName')).toBe('Tomas J. Lindgren');
    expect(value(o, 'licenseNumber')).toBe('MD204417');
    expect(value(o, 'issueDate')).toBe('2011-03-02');
    expect(value(o, 'expirationDate')).toBe('2026-12-31');
    expect(value(o, 'status')).toBe('ACTIVE');
    expect(value(o, 'licenseType')).toBe('MD');
    expect(value(o, 'state')).toBe('OR');
  });

  it('takes "Label:" pairs that run on inside the sentences of a notice', async () => {
    const pdf = await makePdf([
      [
        { text: 'Drug Enforcement Administration - Registration Renewed', x: 60, y: 60, size: 13 },
        { text: 'Dear Dr. Helena Marsh:', x: 60, y: 110 },
        ...prose(130, [
          'Your renewal for registration AM4251783 is complete. Issue date: 02/14/2025. Expiration date: 03/31/2028.',
          'Business activity: PRACTITIONER. Schedules: 2, 2N, 3, 3N, 4, 5.',
        ]),
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(o.docType).toBe('dea_registration');
    expect(value(o, 'registrantName')).toBe('Helena Marsh');
    expect(value(o, 'issueDate')).toBe('2025-02-14');
    expect(value(o, 'expirationDate')).toBe('2028-03-31');
    expect(value(o, 'businessActivity')).toBe('PRACTITIONER');
    expect(value(o, 'schedules')).toEqual(['2', '2N', '3', '3N', '4', '5']);
  });

  it('reads values under their headings, takes only the marked check boxes, and keeps a run-together heading cell apart', async () => {
    const pdf = await makePdf([
      [
        { text: 'Vermont Board of Pharmacy', x: 60, y: 60, size: 14 },
        { text: 'CONTROLLED SUBSTANCE REGISTRATION', x: 60, y: 84, size: 13 },
        { text: 'Registrant', x: 60, y: 130 },
        { text: 'WENDELL A. PRICE, PA-C', x: 220, y: 130 },
        { text: 'Schedules', x: 60, y: 160 },
        { text: '2', x: 220, y: 160 },
        { text: '2N', x: 260, y: 160 },
        { text: 'X 3', x: 300, y: 160 },
        { text: 'X 3N', x: 340, y: 160 },
        { text: 'X 4', x: 390, y: 160 },
        { text: 'X 5', x: 430, y: 160 },
        { text: 'Registration Number', x: 60, y: 200, size: 9 },
        { text: 'Status', x: 220, y: 200, size: 9 },
        { text: 'First Issued Date Expiration Date', x: 330, y: 200, size: 9 },
        { text: 'VT-CS-30418', x: 60, y: 216 },
        { text: 'Active', x: 220, y: 216 },
        { text: '05/01/2019', x: 330, y: 216 },
        { text: '04/30/2027', x: 430, y: 216 },
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(o.docType).toBe('csr_certificate');
    expect(String(value(o, 'registrantName')).toUpperCase()).toBe('WENDELL A. PRICE');
    expect(value(o, 'schedules')).toEqual(['3', '3N', '4', '5']);
    expect(value(o, 'registrationNumber')).toBe('VT-CS-30418');
    expect(value(o, 'issueDate')).toBe('2019-05-01');
    expect(value(o, 'expirationDate')).toBe('2027-04-30');
    expect(value(o, 'state')).toBe('VT');
  });

  it('reads a wall certificate with a letter-spaced state heading, its name between sentences and its sealing date', async () => {
    const pdf = await makePdf([
      [
        { text: 'S T A T E   O F   M O N T A N A', x: 200, y: 90, size: 14 },
        { text: 'Be it known that', x: 260, y: 150, size: 12 },
        { text: 'Rosalind Q. Ferreira', x: 220, y: 190, size: 22 },
        ...prose(
          230,
          [
            'having satisfied the requirements of law, is licensed to practice medicine and surgery as a',
            'Physician and Surgeon. Sealed this 4th day of March in the year 2016.',
          ],
          90,
        ),
        { text: 'License Number 40113', x: 240, y: 330, size: 12 },
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(o.docType).toBe('medical_license');
    expect(value(o, 'state')).toBe('MT');
    expect(value(o, 'licenseeName')).toBe('Rosalind Q. Ferreira');
    expect(value(o, 'issueDate')).toBe('2016-03-04');
    expect(value(o, 'licenseType')).toBe('MD');
    expect(value(o, 'licenseNumber')).toBe('40113');
    expect(value(o, 'expirationDate')).toBeNull();
  });

  it('never takes a heading, a label or an organisation for a person', async () => {
    const pdf = await makePdf([
      [
        { text: 'Nevada State Board of Medical Examiners', x: 60, y: 60, size: 14 },
        { text: 'Public Profile Information', x: 60, y: 100, size: 18 },
        { text: 'Registrant Type / Business Activity', x: 60, y: 140 },
        { text: 'Physician', x: 320, y: 140 },
        { text: 'License Number', x: 60, y: 170 },
        { text: '19022', x: 320, y: 170 },
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(o.docType).toBe('medical_license');
    expect(value(o, 'licenseeName')).toBeNull();
  });
});

describe('what is not the value', () => {
  it('gives a certificate of participation the hours it records, typed OTHER, not the credit designated for physicians', async () => {
    const pdf = await makePdf([
      [
        { text: 'Harbor View Hospital', x: 220, y: 70, size: 16 },
        { text: 'Certificate of Participation', x: 200, y: 110, size: 18 },
        { text: 'Name:', x: 80, y: 170, size: 11 },
        { text: 'Lena Ortiz, PA-C', x: 200, y: 170, size: 11 },
        { text: 'Session:', x: 80, y: 190, size: 11 },
        { text: 'Stroke Rounds: Thrombolysis Windows', x: 200, y: 190, size: 11 },
        { text: 'Date:', x: 80, y: 210, size: 11 },
        { text: '03/14/2025', x: 200, y: 210, size: 11 },
        { text: 'Hours of participation:', x: 80, y: 230, size: 11 },
        { text: '1.50', x: 200, y: 230, size: 11 },
        ...prose(270, [
          'Harbor View Hospital designates this live activity for a maximum of 2.0 AMA PRA Category 1 Credits.',
          'Physicians should claim only the credit commensurate with the extent of their participation.',
        ]),
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(o.docType).toBe('cme_certificate');
    expect(value(o, 'credits')).toBe(1.5);
    expect(value(o, 'creditType')).toBe('OTHER');
  });

  it('does not take the city of an address, printed large, for the registrant', async () => {
    const pdf = await makePdf([
      [
        { text: 'UNITED STATES DEPARTMENT OF JUSTICE', x: 180, y: 60, size: 12 },
        { text: 'DRUG ENFORCEMENT ADMINISTRATION', x: 190, y: 76, size: 12 },
        { text: 'REGISTRATION NUMBER', x: 60, y: 120, size: 8 },
        { text: 'EXPIRES', x: 300, y: 120, size: 8 },
        { text: 'BF4182735', x: 60, y: 134, size: 11 },
        { text: '06-30-2027', x: 300, y: 134, size: 11 },
        { text: 'SCHEDULES', x: 60, y: 160, size: 8 },
        { text: 'BUSINESS ACTIVITY', x: 300, y: 160, size: 8 },
        { text: '2,2N,3,3N,4,5', x: 60, y: 174, size: 11 },
        { text: 'PRACTITIONER', x: 300, y: 174, size: 11 },
        { text: 'FARRAH, OWEN', x: 60, y: 210, size: 11 },
        { text: '12 LAKE SHORE RD', x: 60, y: 224, size: 11 },
        { text: 'SANTA FE,', x: 60, y: 240, size: 16 },
        { text: 'NM 87501', x: 260, y: 240, size: 16 },
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(o.docType).toBe('dea_registration');
    expect(value(o, 'registrantName')).toBe('OWEN FARRAH');
    expect(value(o, 'schedules')).toEqual(['2', '2N', '3', '3N', '4', '5']);
  });
});

describe('classification by evidence', () => {
  it('weighs the heading: a pharmacy board printout of a CS registration, with a related medical license listed, is a CSR', () => {
    const heading =
      'Board of Pharmacy\nLicense & Registration Verification\nRegistration Number Type Status\n88121 Controlled Substance Registration - Practitioner Active';
    const c = classify(
      `${heading}\nRelated licenses\nMD-4411 Physician and Surgeon Active\nSchedules Authorized: 2, 2N, 3, 3N, 4, 5`,
      heading,
    );
    expect(c.docType).toBe('csr_certificate');
    expect(c.evidence.some((e) => e.type === 'csr_certificate' && e.name.endsWith('(heading)'))).toBe(true);
  });

  it('says what it counted, strongest first, and answers unknown on weak evidence', () => {
    const c = classify('Quarterly newsletter of the county medical society');
    expect(c.docType).toBe('unknown');
    const dea = classify(
      'UNITED STATES DEPARTMENT OF JUSTICE DRUG ENFORCEMENT ADMINISTRATION BUSINESS ACTIVITY PRACTITIONER',
    );
    expect(dea.docType).toBe('dea_registration');
    expect(dea.evidence.map((e) => e.score)).toEqual([...dea.evidence.map((e) => e.score)].sort((a, b) => b - a));
    expect(dea.evidence[0]!.type).toBe('dea_registration');
  });
});
