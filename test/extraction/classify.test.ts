import { describe, expect, it } from 'vitest';
import { classify } from '../../server/extraction/classify';

describe('classify', () => {
  it.each([
    [
      'CONTROLLED SUBSTANCE REGISTRATION CERTIFICATE UNITED STATES DEPARTMENT OF JUSTICE DRUG ENFORCEMENT ADMINISTRATION DEA REGISTRATION NUMBER BUSINESS ACTIVITY',
      'dea_registration',
    ],
    ['STATE OF TEXAS Texas Medical Board License Verification Licensee Details License Number', 'medical_license'],
    [
      'STATE OF ALABAMA Alabama Board of Medical Examiners ALABAMA CONTROLLED SUBSTANCES CERTIFICATE ACSC REGISTRATION NUMBER SCHEDULES',
      'csr_certificate',
    ],
    [
      'Certificate of Completion This is to certify that participated in the live activity designates this live activity for a maximum of 2.00 AMA PRA Category 1 Credits',
      'cme_certificate',
    ],
    [
      'CME Transcript Activity Date Credits 01/02/2025 1.0 02/03/2025 2.0 03/04/2025 1.5 04/05/2025 0.5 Total credits 5.0 AMA PRA Category 1',
      'cme_transcript',
    ],
    ['CERTIFICATE OF LIABILITY INSURANCE Policy Number Insured Professional Liability', 'unknown'],
    ['Curriculum Vitae Education and Training Professional Experience', 'unknown'],
    ['', 'unknown'],
    // Missouri's board, on a wallet card whose "LICENSE NUMBER" OCR misread.
    [
      'STATE OF MISSOURI MISSOURI STATE BOARD OF REGISTRATION FOR THE HEALING ARTS DOCTOR OF MEDICINE AISHA T. CARTER LICENSE NIMBER VALID THROUGH',
      'medical_license',
    ],
  ])('classifies %#', (text, type) => {
    const c = classify(text);
    expect(c.docType).toBe(type);
    expect(c.confidence).toBeGreaterThan(0.5);
    expect(c.confidence).toBeLessThanOrEqual(1);
  });

  it('is less sure when two types score alike', () => {
    const clear = classify('DRUG ENFORCEMENT ADMINISTRATION DEA REGISTRATION NUMBER BUSINESS ACTIVITY');
    const mixed = classify('DEA REGISTRATION NUMBER Medical Board License Number');
    expect(mixed.confidence).toBeLessThan(clear.confidence);
  });
});
