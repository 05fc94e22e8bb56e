/**
 * Stage 6: format and consistency checks from the spec. A failed check lowers the value's
 * confidence and adds a warning; it never invents or drops a value.
 */
import { SCHEDULES, type ExtractionWarning } from '../../common/extraction';
import { isMonthEnd } from './dates';
import { lastNameInitial } from './names';
import type { FieldResult } from './types';

/** DEA: `(d1 + d3 + d5 + 2*(d2 + d4 + d6)) % 10 == d7` over the seven digits. */
export function deaCheckDigitOk(dea: string): boolean {
  const m = /^[A-Z][A-Z9](\d{7})$/.exec(dea.toUpperCase());
  if (!m) return false;
  const d = (m[1] ?? '').split('').map(Number) as [number, number, number, number, number, number, number];
  return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 === d[6];
}

/** NPI: Luhn over `80840` + the ten digits. */
export function npiOk(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi}`.split('').map(Number);
  let sum = 0;
  for (let i = digits.length - 1, alt = false; i >= 0; i--, alt = !alt) {
    let v = digits[i]!;
    if (alt) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return sum % 10 === 0;
}

export function dateInRange(iso: string): boolean {
  const y = Number(iso.slice(0, 4));
  return y >= 1950 && y <= 2100;
}

export function creditsInQuarterSteps(credits: number): boolean {
  return Math.abs(credits * 4 - Math.round(credits * 4)) < 1e-9;
}

/** Business activities that may hold Schedule I (research, analysis, manufacture). */
const SCHEDULE_I_ACTIVITIES = ['RESEARCHER', 'ANALYTICAL LAB', 'MANUFACTURER', 'TEACHING INSTITUTION'];

/** Multipliers applied to a failed value's confidence: a failed check digit means a misread. */
const PENALTY = { hard: 0.25, soft: 0.6 } as const;

export function validateFields(
  docType: string,
  fields: Record<string, FieldResult | null>,
  warnings: ExtractionWarning[],
): void {
  const fail = (field: string, code: string, message: string, severity: keyof typeof PENALTY) => {
    const f = fields[field];
    if (f) f.confidence *= PENALTY[severity];
    warnings.push({ code, message, field });
  };
  const str = (k: string) => (typeof fields[k]?.value === 'string' ? (fields[k]?.value as string) : null);

  const dea = str('deaNumber');
  if (dea) {
    if (!deaCheckDigitOk(dea))
      fail('deaNumber', 'dea_check_digit', 'The DEA number fails its check digit: it may be misread.', 'hard');
    const name = str('registrantName');
    const initial = name ? lastNameInitial(name) : null;
    if (initial && dea.charAt(1) !== '9' && /[A-Z]/.test(dea.charAt(1)) && dea.charAt(1) !== initial) {
      warnings.push({
        code: 'dea_name_letter',
        message: "The DEA number's second letter is not the registrant's last-name initial.",
        field: 'deaNumber',
      });
    }
  }
  const npi = str('npi');
  if (npi && !npiOk(npi)) fail('npi', 'npi_check_digit', 'The NPI fails its Luhn check: it may be misread.', 'hard');

  for (const k of ['issueDate', 'expirationDate', 'completionDate']) {
    const v = str(k);
    if (v && !dateInRange(v)) fail(k, 'date_out_of_range', `The ${k} is outside 1950..2100.`, 'hard');
  }
  const issue = str('issueDate');
  const expiry = str('expirationDate');
  if (issue && expiry && expiry <= issue) {
    fail('expirationDate', 'expiry_before_issue', 'The expiration date is not after the issue date.', 'soft');
    fail('issueDate', 'expiry_before_issue', 'The issue date is not before the expiration date.', 'soft');
  }
  if (docType === 'dea_registration' && expiry && !isMonthEnd(expiry)) {
    fail(
      'expirationDate',
      'dea_expiry_not_month_end',
      'DEA registrations expire on the last day of a month; this date is not one.',
      'soft',
    );
  }
  const credits = fields.credits?.value;
  if (typeof credits === 'number' && fields.creditType?.value === 'AMA_PRA_1' && !creditsInQuarterSteps(credits)) {
    fail('credits', 'credits_not_quarter_step', 'AMA PRA credit comes in 0.25 steps; this figure is not one.', 'soft');
  }
  const schedules = fields.schedules?.value;
  // Practitioners hold several schedules; one read from a scan is more often a list OCR cut short.
  if (Array.isArray(schedules) && schedules.length === 1 && fields.schedules?.words.some((w) => w.conf < 0.999)) {
    fail(
      'schedules',
      'schedules_partly_read',
      'Only one schedule was read from the scan; check the list against the document.',
      'soft',
    );
  }
  if (
    Array.isArray(schedules) &&
    schedules.some((s) => typeof s !== 'string' || !(SCHEDULES as readonly string[]).includes(s))
  ) {
    fail('schedules', 'schedule_vocabulary', 'A schedule is not one of 1, 2, 2N, 3, 3N, 4, 5.', 'hard');
  } else if (
    Array.isArray(schedules) &&
    (schedules as unknown[]).includes('1') &&
    !SCHEDULE_I_ACTIVITIES.includes(str('businessActivity') ?? '')
  ) {
    // Schedule I drugs have no accepted medical use: only researchers, labs and manufacturers hold them.
    fail(
      'schedules',
      'schedule_1_unusual',
      'Schedule 1 is registered for research only; check the schedules against the document.',
      'soft',
    );
  }
}
