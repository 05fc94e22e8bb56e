/**
 * Field rules more than one document type uses: dates by label, NPI, person names after
 * "certify that"-style phrases, and the issuing state from a board or department name.
 */
import { best, searchByLabel, searchPattern, type LabelRule } from '../field-search';
import { parseDate, parseName, parseNpi, parsePeriodEnd } from '../parsers';
import type { Found, Line } from '../types';
import { findStateName, isStateCode, stateOfAddress } from '../us-states';
import { npiOk } from '../validate';

export interface DocContext {
  lines: Line[];
  text: string;
}

export type FieldMap = Record<string, Found | null>;
export type DocTypeRules = (ctx: DocContext) => FieldMap;

const L = (re: RegExp, strength = 1): LabelRule => ({ re, strength });

export const EXPIRY_LABELS: LabelRule[] = [
  L(/\b(expiration date|date of expiration|expiration|expiry date|expires on|expires|exp\.? date|expiring)\b[:\s]*/i),
  L(/\b(valid (through|thru|until|to)|good through|renewal due|renew by)\b[:\s]*/i, 0.9),
  L(/\bexp\b\.?[:\s]*/i, 0.85),
];
export const ISSUE_LABELS: LabelRule[] = [
  L(/\b(date of issue|issue date|date issued|issued on|issued date|original issue date|original issue|date of original (licensure|issue)|initial (license |licensure )?date|date licensed|licensed since|first issued)\b[:\s]*/i),
  L(/\bissued\b(?! (to|by|under))[:\s]*/i, 0.9),
  L(/\b(effective date|date effective|effective)\b[:\s]*/i, 0.75),
];
const PERIOD_LABELS: LabelRule[] = [L(/\b(registration period|license period|period of registration|valid from|period)\b[:\s]*/i, 0.9)];

export function expirationDate(ctx: DocContext): Found | null {
  const byLabel = best(searchByLabel(ctx.lines, EXPIRY_LABELS, parseDate));
  if (byLabel) return byLabel;
  return best(searchByLabel(ctx.lines, PERIOD_LABELS, parsePeriodEnd));
}

export function issueDate(ctx: DocContext): Found | null {
  return best(searchByLabel(ctx.lines, ISSUE_LABELS, parseDate));
}

const NPI_LABELS: LabelRule[] = [L(/\b(NPI|national provider identifier)( number| no\.?| #)?\b[:#\s]*/i)];

/** NPI by label; a bare 10-digit number only when it passes Luhn and nothing else claims it. */
export function npi(ctx: DocContext): Found | null {
  const labelled = best(searchByLabel(ctx.lines, NPI_LABELS, parseNpi));
  if (labelled) return labelled;
  const bare = searchPattern(ctx.lines, (ws) => {
    const p = parseNpi(ws);
    return p && npiOk(p.value as string) ? p : null;
  });
  return bare.length === 1 && bare[0] ? { ...bare[0], labelStrength: 0.3 } : null;
}

export const CERTIFY_LABELS: LabelRule[] = [
  L(/\b(this is to certify that|this certifies that|certifies that|certify that|hereby certifies that|is hereby granted to|is awarded to|awarded to|presented to|issued to|granted to)\b[:\s]*/i, 0.95),
];

export function nameByLabels(ctx: DocContext, rules: LabelRule[]): Found | null {
  return best(searchByLabel(ctx.lines, rules, parseName, { maxBelow: 2 }));
}

/**
 * The issuing state: "STATE OF TEXAS", "Texas Medical Board", "Medical Board of California",
 * in the top part of page 1; then a `City, ST 12345` line.
 */
export function issuingState(ctx: DocContext): Found | null {
  const top = ctx.lines.filter((l) => l.page === 1 && l.y0 < 0.35);
  for (const line of top) {
    const upper = line.text.toUpperCase();
    const named = findStateName(upper);
    if (named && /(STATE OF|COMMONWEALTH OF|BOARD|DEPARTMENT|MEDICAL|OSTEOPATHIC|DIVISION|BUREAU|OFFICE|HEALTH|PHARMACY|LICENS)/.test(upper)) {
      return { value: named.code, method: 'label-inline', labelStrength: 0.95, words: wordsOf(line, named.name) };
    }
  }
  for (const line of top) {
    const code = stateOfAddress(line.text);
    if (code) return { value: code, method: 'pattern', labelStrength: 0.6, words: line.words.filter((w) => w.text.replace(/[^A-Z]/g, '') === code) };
  }
  return null;
}

export function stateFromLabel(ctx: DocContext): Found | null {
  const hits = searchByLabel(ctx.lines, [L(/\b(state|jurisdiction|issuing state)\b[:\s]*/i, 0.9)], (ws) => {
    const t = ws[0]?.text.replace(/[^A-Z]/gi, '').toUpperCase() ?? '';
    if (isStateCode(t) && ws[0]) return { value: t, words: [ws[0]] };
    const named = findStateName(ws.map((w) => w.text.toUpperCase()).join(' '));
    return named && named.index === 0 ? { value: named.code, words: ws.slice(0, named.name.split(' ').length) } : null;
  }, { below: true });
  return best(hits);
}

function wordsOf(line: Line, phrase: string): Line['words'] {
  const tokens = phrase.split(' ');
  const idx = line.words.findIndex((w, i) => tokens.every((t, j) => (line.words[i + j]?.text ?? '').toUpperCase().replace(/[^A-Z]/g, '') === t));
  return idx >= 0 ? line.words.slice(idx, idx + tokens.length) : line.words;
}
