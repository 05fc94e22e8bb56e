import { describe, expect, it } from 'vitest';
import { isMonthEnd } from '../../server/extraction/dates';
import type { FieldResult } from '../../server/extraction/types';
import { creditsInQuarterSteps, deaCheckDigitOk, npiOk, validateFields } from '../../server/extraction/validate';
import type { ExtractionWarning } from '../../common/extraction';

const field = (value: FieldResult['value'], confidence = 0.95): FieldResult => ({
  value,
  confidence,
  method: 'label-inline',
  labelStrength: 1,
  words: [],
  page: 1,
  bbox: [0, 0, 0, 0],
});

describe('validators (spec worked examples)', () => {
  it('checks DEA check digits', () => {
    expect(deaCheckDigitOk('AP5836727')).toBe(true);
    expect(deaCheckDigitOk('BJ6125341')).toBe(true);
    expect(deaCheckDigitOk('F91234563')).toBe(true);
    expect(deaCheckDigitOk('AB4523767')).toBe(false);
    expect(deaCheckDigitOk('AP583672')).toBe(false);
  });

  it('checks NPI Luhn with the 80840 prefix', () => {
    expect(npiOk('1234567893')).toBe(true);
    expect(npiOk('1234567898')).toBe(false);
    expect(npiOk('123456789')).toBe(false);
  });

  it('knows month ends and AMA quarter steps', () => {
    expect(isMonthEnd('2024-02-29')).toBe(true);
    expect(isMonthEnd('2025-02-28')).toBe(true);
    expect(isMonthEnd('2025-03-30')).toBe(false);
    expect(creditsInQuarterSteps(3.25)).toBe(true);
    expect(creditsInQuarterSteps(3.3)).toBe(false);
  });

  it('lowers confidence and warns on failures, leaving the value in place', () => {
    const fields: Record<string, FieldResult | null> = {
      registrantName: field('Jane Smith'),
      deaNumber: field('AB4523767'),
      expirationDate: field('2026-03-30'),
      issueDate: field('2026-05-01'),
      npi: field('1234567898'),
    };
    const warnings: ExtractionWarning[] = [];
    validateFields('dea_registration', fields, warnings);
    const codes = warnings.map((w) => w.code).sort();
    expect(codes).toEqual([
      'dea_check_digit',
      'dea_expiry_not_month_end',
      'dea_name_letter',
      'expiry_before_issue',
      'expiry_before_issue',
      'npi_check_digit',
    ]);
    expect(fields.deaNumber?.value).toBe('AB4523767');
    expect(fields.deaNumber?.confidence).toBeLessThan(0.5);
    expect(fields.npi?.confidence).toBeLessThan(0.5);
    expect(fields.registrantName?.confidence).toBe(0.95);
  });

  it('accepts a consistent registration without warnings', () => {
    const fields: Record<string, FieldResult | null> = {
      registrantName: field('John Q. Public'),
      deaNumber: field('AP5836727'),
      expirationDate: field('2027-03-31'),
      issueDate: field('2024-03-01'),
      npi: field('1234567893'),
    };
    const warnings: ExtractionWarning[] = [];
    validateFields('dea_registration', fields, warnings);
    expect(warnings).toEqual([]);
  });

  it('doubts Schedule 1 on a practitioner registration, not on a researcher registration', () => {
    const run = (activity: string) => {
      const fields: Record<string, FieldResult | null> = {
        schedules: field(['1', '3', '3N', '4']),
        businessActivity: field(activity),
      };
      const warnings: ExtractionWarning[] = [];
      validateFields('dea_registration', fields, warnings);
      return { codes: warnings.map((w) => w.code), confidence: fields.schedules?.confidence };
    };
    expect(run('PRACTITIONER')).toEqual({ codes: ['schedule_1_unusual'], confidence: 0.95 * 0.6 });
    expect(run('RESEARCHER').codes).toEqual([]);
  });
});
