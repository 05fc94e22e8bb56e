/**
 * Field rules per document type on small born-digital PDFs that exercise the layouts the
 * issue names: labels beside and above values, table columns, LAST, FIRST names, several
 * dates and distractor numbers on a page, multi-line titles, a transcript over two pages.
 */
import { describe, expect, it } from 'vitest';
import { isExtractionFailure, type ExtractionOutcome, type ExtractionSuccess } from '../../common/extraction';
import { extractPdf } from '../../server/extraction/index';
import { labelRows, makePdf } from './make-pdf';

function ok(o: ExtractionOutcome): ExtractionSuccess {
  if (isExtractionFailure(o)) throw new Error(`extraction failed: ${o.error.code}`);
  return o;
}
const value = (o: ExtractionSuccess, f: string) => o.fields[f]?.value ?? null;

describe('dea_registration', () => {
  it('reads a Form 223 with values under their headings, fee and control numbers around', async () => {
    const pdf = await makePdf([
      [
        { text: 'CONTROLLED SUBSTANCE REGISTRATION CERTIFICATE', x: 40, y: 50, bold: true },
        { text: 'CONTROL NO. R07419231F', x: 420, y: 50 },
        { text: 'UNITED STATES DEPARTMENT OF JUSTICE', x: 40, y: 66 },
        { text: 'DRUG ENFORCEMENT ADMINISTRATION', x: 40, y: 80 },
        { text: 'DEA REGISTRATION NUMBER', x: 40, y: 110, size: 8 },
        { text: 'THIS REGISTRATION EXPIRES', x: 220, y: 110, size: 8 },
        { text: 'FEE PAID', x: 420, y: 110, size: 8 },
        { text: 'BM4447783', x: 44, y: 124 },
        { text: '01/31/2026', x: 224, y: 124 },
        { text: '$888.00', x: 424, y: 124 },
        { text: 'SCHEDULES', x: 40, y: 144, size: 8 },
        { text: 'BUSINESS ACTIVITY', x: 220, y: 144, size: 8 },
        { text: 'ISSUE DATE', x: 420, y: 144, size: 8 },
        { text: '2,2N,3,3N,4,5', x: 44, y: 158 },
        { text: 'PRACTITIONER', x: 224, y: 158 },
        { text: '01/23/2023', x: 424, y: 158 },
        { text: 'MORRIS, DMITRI R DO', x: 44, y: 190 },
        { text: '3344 PARK BLVD', x: 44, y: 203 },
        { text: 'ARLINGTON, VA 23086', x: 44, y: 216 },
        { text: 'Printed 02/01/2023  Phone (703) 555-0100', x: 44, y: 300 },
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(o.docType).toBe('dea_registration');
    expect(value(o, 'deaNumber')).toBe('BM4447783');
    expect(value(o, 'expirationDate')).toBe('2026-01-31');
    expect(value(o, 'issueDate')).toBe('2023-01-23');
    expect(value(o, 'schedules')).toEqual(['2', '2N', '3', '3N', '4', '5']);
    expect(value(o, 'businessActivity')).toBe('PRACTITIONER');
    expect(value(o, 'registrantName')).toBe('DMITRI R MORRIS');
    expect(value(o, 'state')).toBe('VA');
    expect(value(o, 'npi')).toBeNull();
    // The DEA number's box sits where it was drawn: left column, just under the heading.
    const bbox = o.fields.deaNumber?.bbox ?? [0, 0, 0, 0];
    expect(bbox[0]).toBeGreaterThan(0.06);
    expect(bbox[0]).toBeLessThan(0.09);
    expect(bbox[1]).toBeGreaterThan(0.14);
    expect(bbox[3]).toBeLessThan(0.17);
    expect(o.fields.deaNumber?.page).toBe(1);
    expect(o.fields.deaNumber?.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('warns and lowers confidence when the DEA check digit fails', async () => {
    const pdf = await makePdf([
      [
        { text: 'DRUG ENFORCEMENT ADMINISTRATION', x: 40, y: 60 },
        ...labelRows(100, [
          ['DEA Registration Number', 'AB4523767'],
          ['Name', 'BAKER, ANN'],
          ['Expiration Date', '11/30/2026'],
        ]),
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(value(o, 'deaNumber')).toBe('AB4523767');
    expect(o.fields.deaNumber?.confidence).toBeLessThan(0.5);
    expect(o.warnings.map((w) => w.code)).toContain('dea_check_digit');
  });
});

describe('medical_license', () => {
  it('reads a verification printout with labels beside values and a registration period', async () => {
    const pdf = await makePdf([
      [
        { text: 'Medical Board of California', x: 60, y: 50, size: 16 },
        { text: 'License Verification', x: 60, y: 70 },
        ...labelRows(110, [
          ['Name:', 'GARCIA, MARIA ELENA, M.D.'],
          ['License Number:', 'A 123456'],
          ['License Type:', 'Physician and Surgeon'],
          ['License Status:', 'ACTIVE'],
          ['Original Issue Date:', 'March 4, 2010'],
          ['Registration Period:', '01/01/2025 through 12/31/2026'],
          ['NPI:', '1234567893'],
          ['Address:', '100 Main St, Fresno, CA 93701'],
        ]),
        { text: 'Printed on 06/01/2025', x: 60, y: 400 },
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(o.docType).toBe('medical_license');
    expect(value(o, 'licenseeName')).toBe('MARIA ELENA GARCIA');
    expect(value(o, 'licenseNumber')).toBe('A123456');
    expect(value(o, 'licenseType')).toBe('MD');
    expect(value(o, 'status')).toBe('ACTIVE');
    expect(value(o, 'issueDate')).toBe('2010-03-04');
    expect(value(o, 'expirationDate')).toBe('2026-12-31');
    expect(value(o, 'state')).toBe('CA');
    expect(value(o, 'npi')).toBe('1234567893');
  });

  it('reads a wall certificate: name under "This is to certify that", no expiration', async () => {
    const pdf = await makePdf([
      [
        { text: 'STATE OF GEORGIA', x: 230, y: 80, size: 18 },
        { text: 'Georgia Composite Medical Board', x: 210, y: 110, size: 14 },
        { text: 'This is to certify that', x: 250, y: 190 },
        { text: 'Brian D. Van der Berg', x: 220, y: 230, size: 22 },
        { text: 'is hereby licensed to practice as a', x: 215, y: 280 },
        { text: 'Doctor of Osteopathic Medicine', x: 215, y: 305, size: 14 },
        { text: 'License Number 077951', x: 240, y: 350 },
        { text: 'Granted April 2, 2001', x: 250, y: 375 },
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(o.docType).toBe('medical_license');
    expect(value(o, 'licenseeName')).toBe('Brian D. Van der Berg');
    expect(value(o, 'licenseType')).toBe('DO');
    expect(value(o, 'licenseNumber')).toBe('077951');
    expect(value(o, 'issueDate')).toBe('2001-04-02');
    expect(value(o, 'expirationDate')).toBeNull();
    expect(value(o, 'state')).toBe('GA');
  });
});

describe('csr_certificate', () => {
  it('reads a state CSR with roman schedules and a federal DEA number as a distractor', async () => {
    const pdf = await makePdf([
      [
        { text: 'STATE OF TEXAS', x: 250, y: 40, size: 14 },
        { text: 'Texas Department of Public Safety - Controlled Substances Program', x: 140, y: 57 },
        { text: 'CONTROLLED SUBSTANCES REGISTRATION CERTIFICATE', x: 120, y: 78, size: 14 },
        { text: 'CSR REGISTRATION NUMBER', x: 40, y: 110, size: 8 },
        { text: 'EFFECTIVE DATE OF ISSUE', x: 300, y: 110, size: 8 },
        { text: 'C134549', x: 40, y: 122 },
        { text: '11-OCT-2025', x: 300, y: 122 },
        { text: 'SCHEDULES', x: 40, y: 146, size: 8 },
        { text: 'EXPIRES', x: 300, y: 146, size: 8 },
        { text: 'IIN IIIN IV V', x: 40, y: 158 },
        { text: '16-NOV-2026', x: 300, y: 158 },
        { text: 'FEDERAL DEA NO.', x: 40, y: 182, size: 8 },
        { text: 'BB3444609', x: 40, y: 194 },
        { text: 'BAILEY, LAURA D, MD, PhD', x: 50, y: 225 },
        { text: '4316 WASHINGTON ST', x: 50, y: 238 },
        { text: 'AUSTIN, TX 75035-4932', x: 50, y: 251 },
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(o.docType).toBe('csr_certificate');
    expect(value(o, 'registrationNumber')).toBe('C134549');
    expect(value(o, 'issueDate')).toBe('2025-10-11');
    expect(value(o, 'expirationDate')).toBe('2026-11-16');
    expect(value(o, 'schedules')).toEqual(['2N', '3N', '4', '5']);
    expect(value(o, 'registrantName')).toBe('LAURA D BAILEY');
    expect(value(o, 'state')).toBe('TX');
  });
});

describe('cme_certificate', () => {
  it('takes the credits claimed over the designated maximum, a two-line title and the provider', async () => {
    const pdf = await makePdf([
      [
        { text: 'American Osteopathic Association', x: 190, y: 60, size: 16 },
        { text: 'Certificate of CME Credit', x: 200, y: 95, size: 20 },
        { text: 'This certifies that', x: 260, y: 140 },
        { text: 'Brian B. Peterson, DO, FACOFP', x: 190, y: 170, size: 18 },
        { text: 'attended', x: 285, y: 200 },
        { text: 'Hot Topics in Pediatric Asthma: A Case-Based Review of Current', x: 100, y: 225, size: 14 },
        { text: 'Evidence and Guidelines', x: 230, y: 244, size: 14 },
        { text: 'February 8-10, 2024', x: 250, y: 270 },
        { text: 'and has earned 3.5 AOA Category 1-A credits', x: 180, y: 292 },
        {
          text: 'The American Osteopathic Association is accredited by the American Osteopathic Association to provide',
          x: 60,
          y: 330,
          size: 8,
        },
        {
          text: 'osteopathic continuing medical education for physicians and designates this program for a maximum of 20 credits.',
          x: 60,
          y: 341,
          size: 8,
        },
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(o.docType).toBe('cme_certificate');
    expect(value(o, 'participantName')).toBe('Brian B. Peterson');
    expect(value(o, 'activityTitle')).toBe(
      'Hot Topics in Pediatric Asthma: A Case-Based Review of Current Evidence and Guidelines',
    );
    expect(value(o, 'completionDate')).toBe('2024-02-10');
    expect(value(o, 'credits')).toBe(3.5);
    expect(value(o, 'creditType')).toBe('AOA_1A');
    expect(value(o, 'provider')).toBe('American Osteopathic Association');
  });
});

describe('cme_certificate titles', () => {
  it('continues a title past a gap in its line (a lost dash) and onto a line that starts with "and"', async () => {
    const pdf = await makePdf([
      [
        { text: 'Certificate of Participation', x: 200, y: 60, size: 18 },
        { text: 'Participant:', x: 60, y: 110 },
        { text: 'Maria Lopez, MD', x: 180, y: 110 },
        { text: 'Activity Title:', x: 60, y: 130 },
        { text: 'Practical Approaches to Lung Screening', x: 180, y: 130 },
        { text: 'Highlights from the Annual', x: 420, y: 130 },
        { text: 'Provider:', x: 60, y: 150 },
        { text: 'American Academy of Pediatrics', x: 180, y: 150 },
        { text: 'Date of Completion: 02/09/2024', x: 60, y: 170 },
        { text: 'Credits Earned: 1.50 AMA PRA Category 1 Credits', x: 60, y: 190 },
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(value(o, 'activityTitle')).toBe('Practical Approaches to Lung Screening Highlights from the Annual');
    const second = ok(
      await extractPdf(
        await makePdf([
          [
            { text: 'Certificate of Participation', x: 200, y: 60, size: 18 },
            { text: 'Presented to', x: 270, y: 110 },
            { text: 'Laura Brooks, M.D.', x: 250, y: 135, size: 14 },
            { text: 'for participation in', x: 255, y: 165 },
            { text: 'Clinical Pearls in Ultrasound: A Case-Based Review of Current Evidence', x: 90, y: 190, size: 14 },
            { text: 'and Guidelines', x: 255, y: 207, size: 14 },
            { text: 'Date of activity: October 21, 2025', x: 220, y: 235 },
            { text: 'Prescribed credits claimed: 0.75', x: 220, y: 255 },
          ],
        ]),
      ),
    );
    expect(value(second, 'activityTitle')).toBe(
      'Clinical Pearls in Ultrasound: A Case-Based Review of Current Evidence and Guidelines',
    );
  });
});

describe('cme_transcript', () => {
  it('reads rows over two pages, wrapped titles and the printed total', async () => {
    const header = (y: number) => [
      { text: 'Activity', x: 40, y, bold: true },
      { text: 'Provider', x: 260, y, bold: true },
      { text: 'Date', x: 420, y, bold: true },
      { text: 'Credits', x: 500, y, bold: true },
    ];
    const row = (y: number, title: string, provider: string, date: string, credits: string) => [
      { text: title, x: 40, y },
      { text: provider, x: 260, y },
      { text: date, x: 420, y },
      { text: credits, x: 500, y },
    ];
    const pdf = await makePdf([
      [
        { text: 'CME Transcript', x: 40, y: 50, size: 18 },
        { text: 'Participant: Robinson, Dmitri E, D.O.', x: 40, y: 75 },
        { text: 'AMA PRA Category 1 Credits', x: 40, y: 90 },
        ...header(120),
        ...row(140, 'Board Review: Prenatal Care and', 'Mayo Clinic', '04/11/2025', '14.0'),
        { text: 'Gestational Diabetes', x: 40, y: 153 },
        ...row(175, 'Controversies in Atrial Fibrillation', 'Medical College of Wisconsin', '03/13/2025', '0.5'),
      ],
      [
        ...header(60),
        ...row(80, 'Clinical Pearls in Obesity Medicine', 'Society of Hospital Medicine', '02/23/2025', '0.25'),
        { text: 'Total credits: 14.75', x: 420, y: 120 },
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(o.docType).toBe('cme_transcript');
    expect(o.pages).toBe(2);
    expect(value(o, 'participantName')).toBe('Dmitri E Robinson');
    expect(value(o, 'totalCredits')).toBe(14.75);
    const rows = value(o, 'activities') as {
      title: string;
      provider: string | null;
      completionDate: string;
      credits: number;
    }[];
    expect(rows.map((r) => [r.title, r.provider, r.completionDate, r.credits])).toEqual([
      ['Board Review: Prenatal Care and Gestational Diabetes', 'Mayo Clinic', '2025-04-11', 14],
      ['Controversies in Atrial Fibrillation', 'Medical College of Wisconsin', '2025-03-13', 0.5],
      ['Clinical Pearls in Obesity Medicine', 'Society of Hospital Medicine', '2025-02-23', 0.25],
    ]);
  });
});

describe('unknown', () => {
  it('keeps a CV unknown and returns only npi', async () => {
    const pdf = await makePdf([
      [
        { text: 'Curriculum Vitae', x: 60, y: 60, size: 20 },
        { text: 'Jane Smith, MD', x: 60, y: 90 },
        { text: 'Education and Training', x: 60, y: 130 },
        { text: 'Residency, Internal Medicine, 2010-2013', x: 60, y: 150 },
        { text: 'NPI: 1234567893', x: 60, y: 170 },
      ],
    ]);
    const o = ok(await extractPdf(pdf));
    expect(o.docType).toBe('unknown');
    expect(Object.keys(o.fields)).toEqual(['npi']);
    expect(value(o, 'npi')).toBe('1234567893');
  });
});
