/**
 * Field rules more than one document type uses: dates by label, NPI, person names after
 * "certify that"-style phrases, and the issuing state from a board or department name.
 */
import { best, findLabels, searchByLabel, type LabelRule, type Parser } from '../field-search';
import { findDates } from '../dates';
import { isDegree } from '../names';
import { parseDate, parseName, parseNpi, parsePeriodEnd, parseSchedules } from '../parsers';
import { SCHEDULE_LABELS } from '../ocr-reread';
import { EXPIRY_STATEMENTS, ISSUE_STATEMENTS, PERSON_STATEMENTS } from '../statement-rules';
import { passages, searchStatements, type Passage, type StatementRule } from '../statements';
import type { Found, Line } from '../types';
import { npiOk } from '../validate';
import {
  findStateName,
  isStateCode,
  nearStateName,
  spellsCode,
  stateOfAddress,
  stateOfRunTogether,
} from '../us-states';

export interface DocContext {
  lines: Line[];
  text: string;
  /** The lines read as running text, for sentence rules. */
  passages: Passage[];
}

export function docContext(lines: Line[]): DocContext {
  return { lines, text: lines.map((l) => l.text).join('\n'), passages: passages(lines) };
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
  L(
    /\b(date of issue|issue date|date issued|issued on|issued date|original issue date|original issue|date of original (licensure|issue)|original date of (licensure|issue)|date of (initial )?licensure|original license date|initial (license |licensure )?date|date licensed|licensed since|first issued|date granted|granted on|granted)\b[:\s]*/i,
  ),
  L(/\bissued\b(?! (to|by|under))[:\s]*/i, 0.9),
  L(/\b(effective date|date effective|effective)\b[:\s]*/i, 0.75),
];
const PERIOD_LABELS: LabelRule[] = [
  L(/\b(registration period|license period|period of registration|valid from|period)\b[:\s]*/i, 0.9),
];

export function expirationDate(ctx: DocContext): Found | null {
  const byLabel = best(searchByLabel(ctx.lines, EXPIRY_LABELS, parseDate));
  if (byLabel) return byLabel;
  // The two dates of a period can stand apart enough to be two segments.
  return (
    best(searchByLabel(ctx.lines, PERIOD_LABELS, parsePeriodEnd, { restOfLine: true, acrossSegments: true })) ??
    stated(ctx, EXPIRY_STATEMENTS, parseDate)
  );
}

export function issueDate(ctx: DocContext): Found | null {
  return best(searchByLabel(ctx.lines, ISSUE_LABELS, parseDate)) ?? stated(ctx, ISSUE_STATEMENTS, parseDate);
}

/**
 * The issue and expiration dates of a document whose date labels OCR lost entirely (a wallet or
 * pocket card's small print): a credential expires after it is issued, so of its two dates the
 * later is the expiration and the earlier the issue; one date alone is the expiration (the date a
 * card exists to show). Weaker than labelled dates, and used only when no date was labelled or
 * stated: beside a labelled date, another could be a print or query date.
 */
export function unlabelledDates(ctx: DocContext): { issueDate: Found | null; expirationDate: Found | null } {
  const none = { issueDate: null, expirationDate: null };
  const dates = ctx.lines.flatMap((line) =>
    findDates(line.words.map((w) => w.text)).map((d) => ({ d, words: line.words.slice(d.start, d.start + d.length) })),
  );
  const distinct = [...new Set(dates.map(({ d }) => d.iso))].sort();
  if (!distinct.length || distinct.length > 2) return none;
  const found = (iso: string): Found => {
    const { words } = dates.find(({ d }) => d.iso === iso)!;
    return { value: iso, words, method: 'pattern', labelStrength: 0.6 };
  };
  return {
    issueDate: distinct.length === 2 ? found(distinct[0]!) : null,
    expirationDate: found(distinct.at(-1)!),
  };
}

/**
 * Issue and expiration dates by label or statement, else unlabelled (as above). Where only one
 * was labelled, a row of cells ("A79591 | 07-31-2024 | 06-10-2022") whose other header OCR lost
 * still holds the other: the one other date in the labelled date's row, on the right side of it
 * in time (a later one is the expiration, an earlier one the issue), weaker than a labelled date.
 */
export function credentialDates(ctx: DocContext): { issueDate: Found | null; expirationDate: Found | null } {
  const issued = issueDate(ctx);
  const expires = expirationDate(ctx);
  if (!issued && !expires) return unlabelledDates(ctx);
  if (issued && expires) return { issueDate: issued, expirationDate: expires };
  const known = (issued ?? expires)!;
  const sibling = siblingDate(ctx, known);
  const later = !!sibling && (sibling.value as string) > (known.value as string);
  return {
    issueDate: issued ?? (sibling && !later ? sibling : null),
    expirationDate: expires ?? (sibling && later ? sibling : null),
  };
}

/** The one other date in the row of cells that holds `known`'s value, if there is exactly one. */
function siblingDate(ctx: DocContext, known: Found): Found | null {
  const at = ctx.lines.findIndex((l) => known.words.length > 0 && l.words.includes(known.words[0]!));
  const line = ctx.lines[at];
  // A registration period's start is no issue date: "Registration Period: 05-JAN-2025   04-JAN-2026",
  // a period's heading above its row, or two dates joined by "through".
  const period = findLabels(ctx.lines.slice(Math.max(0, at - 1), at + 1), PERIOD_LABELS).length > 0;
  if (!line || line.segments.length < 2 || period) return null;
  const others = findDates(line.words.map((w) => w.text))
    .map((d) => ({ d, words: line.words.slice(d.start, d.start + d.length) }))
    .filter(({ d, words }) => d.iso !== known.value && !words.some((w) => known.words.includes(w)));
  if (others.length !== 1) return null;
  const { d, words } = others[0]!;
  const [from, to] = [line.words.indexOf(words[0]!), line.words.indexOf(known.words[0]!)].sort((a, b) => a - b);
  if (line.words.slice(from, to).some((w) => /^(through|thru|to|until|till|[-–—])$/i.test(w.text))) return null;
  return { value: d.iso, words, method: 'pattern', labelStrength: 0.6 };
}

/**
 * Controlled-substance schedules beside or under their label, check boxes included; failing
 * that, a list that can only be schedules standing on its own (a card whose small-print label
 * OCR lost).
 */
export function schedules(ctx: DocContext): Found | null {
  return (
    best(searchByLabel(ctx.lines, SCHEDULE_LABELS, parseSchedules, { acrossSegments: true })) ?? bareSchedules(ctx)
  );
}

/**
 * A segment that reads, every word of it, as a list of four or more schedules, or of three with
 * a narcotic-only schedule (2N, IIN): no date, address or identifier reads that way. Weaker than
 * a labelled list.
 */
function bareSchedules(ctx: DocContext): Found | null {
  for (const line of ctx.lines) {
    for (const segment of line.segments) {
      const p = parseSchedules(segment);
      const list = (p?.value ?? []) as string[];
      if (!p || p.words.length !== segment.length) continue;
      if (list.length >= 4 || (list.length >= 3 && list.some((s) => s.endsWith('N'))))
        return { ...p, method: 'pattern', labelStrength: 0.7 };
    }
  }
  return null;
}

/** The best value the sentence rules find. */
export function stated(ctx: DocContext, rules: StatementRule[], parse: Parser): Found | null {
  return best(searchStatements(ctx.lines, rules, parse, ctx.passages));
}

// OCR reads the I of "NPI" as ], l, 1 or |; the value must still be ten digits that pass the Luhn check.
const NPI_LABELS: LabelRule[] = [
  L(/\b(NP[Il1|\]](?![A-Za-z])|national provider identifier)( number| no\.?| #)?[:#=\s]*/i),
];

/**
 * NPI by its label; failing that (a label OCR lost), a number that can only be an NPI: ten
 * digits alone in their cell, opening with 1 or 2 as every NPI does, passing the NPI's Luhn
 * check, and the only such number on the page. Other unlabelled ten-digit numbers (phones,
 * control numbers) rarely pass all three; weaker than a labelled NPI.
 */
export function npi(ctx: DocContext): Found | null {
  const labelled = best(searchByLabel(ctx.lines, NPI_LABELS, parseNpi));
  if (labelled) return labelled;
  const cells = ctx.lines
    .flatMap((l) => l.segments)
    .filter((s) => s.length === 1 && /^[12]\d{9}$/.test(s[0]!.text) && npiOk(s[0]!.text));
  if (new Set(cells.map((s) => s[0]!.text)).size !== 1) return null;
  return { value: cells[0]![0]!.text, words: cells[0]!, method: 'pattern', labelStrength: 0.5 };
}

export const CERTIFY_LABELS: LabelRule[] = [
  L(
    /\b(this is to certify that|this certifies that|certifies that|certify that|hereby certifies that|is hereby granted to|is awarded to|awarded to|presented to|issued to|granted to)\b[:\s]*/i,
    0.95,
  ),
  // OCR reads the "to" of a short certificate line as "10", "t0" or "lo".
  L(/^(awarded|presented|issued|granted) (t0|10|l0|lo)\b[:\s]*/i, 0.85),
];

/** A person's name by its labels, the sentences that name a person, or as the subject above a sentence. */
export function nameByLabels(ctx: DocContext, rules: LabelRule[]): Found | null {
  const labelled = searchByLabel(ctx.lines, rules, parseName, { maxBelow: 2 });
  return (
    best([
      ...labelled,
      ...searchStatements(ctx.lines, PERSON_STATEMENTS, parseName, ctx.passages),
      ...nameAboveStatement(ctx),
    ]) ?? prominentName(ctx)
  );
}

/**
 * Verification pages and certificates print the person's name as a heading of its own, in a
 * larger type than the text around it: the first such line near the top of page 1 that reads as a
 * person's name (and not an organisation's: see isPlausiblePersonName) is a weak candidate.
 */
export function prominentName(ctx: DocContext): Found | null {
  const page = ctx.lines.filter((l) => l.page === 1);
  const heights = page.map((l) => l.y1 - l.y0).sort((a, b) => a - b);
  const body = heights[Math.floor(heights.length / 2)] ?? 0;
  for (const line of page) {
    if (line.y0 > 0.5 || line.y1 - line.y0 < body * 1.15) continue;
    // "LAS VEGAS,   NV 89138": the city of an address reads like a name, but the line is an address.
    if (stateOfAddress(line.text)) continue;
    // A web page's navigation may share the line ("Home   Monica Duarte, DO"): each segment alone.
    for (const seg of line.segments) {
      // A row of check boxes read by OCR ("[Xan [Xa") is no heading: a name printed large reads surely.
      if (seg.some((w) => w.conf < 0.7 || /[[\]|]/.test(w.text))) continue;
      const p = parseName(seg);
      if (p && p.words.length === seg.length - seg.filter((w) => isDegree(w.text.replace(/,$/, ''))).length)
        return { ...p, method: 'pattern', labelStrength: 0.7 };
    }
  }
  return null;
}

/**
 * Certificates print the name alone on a line, larger, and the sentence goes on below it
 * ("Vikram Adeyemi, D.O." / "has attended ... and is awarded ..."): the line above a line that
 * opens with the sentence's verb is its subject.
 */
function nameAboveStatement(ctx: DocContext): Found[] {
  const found: Found[] = [];
  ctx.lines.forEach((line, i) => {
    if (!/^(has|have|having|is|was|who|successfully|satisfactorily|completed|participated|attended)\b/i.test(line.text))
      return;
    const above = ctx.lines[i - 1];
    if (
      !above ||
      above.page !== line.page ||
      above.segments.length !== 1 ||
      line.y0 - above.y1 > (line.y1 - line.y0) * 4
    )
      return;
    const p = parseName(above.words);
    if (p) found.push({ ...p, method: 'statement', labelStrength: 0.9 });
  });
  return found;
}

const headingLines = (ctx: DocContext) => ctx.lines.filter((l) => l.page === 1 && l.y0 < 0.25);

/** The state an issuing body names in the heading ("Medical Licensure Commission of Alabama"). */
export function headingState(ctx: DocContext): Found | null {
  for (const line of headingLines(ctx)) {
    const upper = line.text.toUpperCase();
    const named = findStateName(upper);
    if (
      named &&
      /(STATE OF|COMMONWEALTH OF|BOARD|COMMISSION|DEPARTMENT|DIVISION|BUREAU|OFFICE|LICENS|CONTROLLED|\bCS[PRL]?\b|\bCDS\b|BNDD)/.test(
        upper,
      )
    ) {
      return { value: named.code, method: 'label-inline', labelStrength: 0.95, words: wordsOf(line, named.name) };
    }
  }
  return null;
}

/**
 * The issuing state: "STATE OF TEXAS", "Texas Medical Board", "Medical Board of California",
 * in the top part of page 1; then a `City, ST 12345` line.
 */
export function issuingState(ctx: DocContext): Found | null {
  const named = headingState(ctx);
  if (named) return named;
  const top = headingLines(ctx);
  for (const line of top) {
    const code = stateOfRunTogether(line.text.toUpperCase());
    if (code) return { value: code, method: 'pattern', labelStrength: 0.9, words: line.words };
  }
  // A state name OCR misread by a letter ("Ilinois Deparment of ..."), beside an agency word.
  for (const line of top) {
    const upper = line.text.toUpperCase();
    if (!/(STATE OF|COMMONWEALTH OF|BOARD|DEPAR|DIVISION|BUREAU|OFFICE|LICENS|CONTROLLED)/.test(upper)) continue;
    const word = line.words.find((w) => nearStateName(w.text));
    if (word)
      return {
        value: nearStateName(word.text) ?? '',
        method: 'pattern',
        labelStrength: 0.8,
        words: [{ ...word, conf: Math.min(word.conf, 0.7) }],
      };
  }
  const located = best(
    searchByLabel(ctx.lines, [L(/^(location|city\s*\/\s*state|practice location)\s*:\s*/i, 0.5)], parseCityState, {
      below: false,
    }),
  );
  if (located) return located;
  // No state in the heading (a board named without it): the address of record, a weak hint
  // (practitioners live across state lines), so it gets a low confidence.
  const first = ctx.lines.find((l) => l.page === 1 && stateOfAddress(l.text));
  if (!first) return null;
  const code = stateOfAddress(first.text) ?? '';
  return {
    value: code,
    method: 'pattern',
    labelStrength: 0.2,
    words: first.words.filter((w) => spellsCode(w.text, code)),
  };
}

/**
 * The name heading an address block (DEA 223, state certificates, wallet cards): walk up from
 * the `City, ST 12345` line through the lines stacked above it; the top one is the name.
 */
export function nameAboveAddress(ctx: DocContext): Found | null {
  for (let i = 0; i < ctx.lines.length; i++) {
    const line = ctx.lines[i]!;
    const at = line.segments.findIndex((s) => stateOfAddress(s.map((w) => w.text).join(' ')));
    if (at < 0) continue;
    // OCR can split "NEWARK, NJ 08075" at the comma: the block then starts with the city.
    const seg =
      at > 0 && /^[A-Z]{2}\b/.test(line.segments[at]![0]!.text) && /,$/.test(lastWord(line.segments[at - 1]!).text)
        ? line.segments[at - 1]!
        : line.segments[at]!;
    let x0 = seg[0]!.x0;
    const blockX1 = lastWord(seg).x1;
    let below = line;
    for (let j = i - 1; j >= 0 && i - j <= 6; j--) {
      const above = ctx.lines[j]!;
      // Specks and marks off to the side of the block (a seal, a photo edge) do not interrupt it.
      if (above.page === line.page && (above.x0 > blockX1 || above.x1 < x0 - 0.02)) continue;
      const h = below.y1 - below.y0;
      // A scan's stray mark before a line ("\"ROCHESTER, NY") moves its start by up to a letter.
      const aligned = above.segments.find((s) => Math.abs(s[0]!.x0 - x0) <= Math.max(0.025, h * 1.5));
      if (!aligned || above.page !== line.page || below.y0 - above.y1 > h * 1.3) break;
      x0 = aligned[0]!.x0;
      below = above;
      const fromStart = nameRun(above.segments, above.segments.indexOf(aligned));
      // A segment that ends in a comma is not a whole name ("HADDAD SR,"): the rest first.
      for (const candidate of [fromStart, aligned]) {
        const text = candidate.map((w) => w.text).join(' ');
        if (/\d/.test(text) || NOT_A_NAME.test(text)) continue;
        const p = parseName(candidate);
        if (p) return { ...p, method: 'pattern', labelStrength: 0.85 };
      }
    }
  }
  return null;
}

/**
 * A line that is nothing but a name printed `LAST, FIRST [M]` in capitals, as wallet cards
 * print the registrant: the fallback when no label or readable address block leads to it.
 */
export function commaNameLine(ctx: DocContext): Found | null {
  for (const line of ctx.lines) {
    if (line.page !== 1 || line.segments.length !== 1) continue;
    const m = /^[A-Z][A-Z'-]+(?: [A-Z][A-Z'-]+)?, ([A-Z][A-Z'-]+)(?: [A-Z]\.?)?$/.exec(line.text);
    if (!m || NOT_A_NAME.test(line.text) || isStateCode(m[1]!) || findStateName(m[1]!)) continue;
    const p = parseName(line.words);
    if (p) return { ...p, method: 'pattern', labelStrength: 0.6 };
  }
  return null;
}

/**
 * A name's words from its first segment on. OCR splits a name line at its comma ("ORTIZ,   ANDREW
 * MD"), after a middle initial ("RICHARD B.   MORALES"), before an initial set apart ("NGUYEN,
 * DOUGLAS   T"), or between words printed larger than the small print beside the block
 * ("RACHEL   KAPLAN"); a gap after a lone surname wider than a word space by a comma's width
 * ("STAVROS   RAJESH R") is where OCR lost the comma. Only letters; past a comma or an initial at
 * any distance, otherwise never far: a speck or the next column is not part of the name.
 */
function nameRun(segments: Line['segments'], start: number): Line['words'] {
  const run = [...segments[start]!];
  for (const next of segments.slice(start + 1)) {
    const last = lastWord(run);
    const h = last.y1 - last.y0;
    const gap = next[0]!.x0 - last.x1;
    // A name does not end in a comma or a middle initial: what follows on the line is its rest.
    const cut = /,$/.test(last.text) || (/^[A-Z]\.?$/.test(last.text) && run.length >= 2);
    const lone = run.length === 1 && /^[A-Z][A-Z'-]+$/.test(last.text);
    // An initial set apart after a name already joined across a gap ("NGUYEN,   DOUGLAS   T").
    const initial = run.length > segments[start]!.length && next.length === 1 && /^[A-Z]\.?$/.test(next[0]!.text);
    if (!cut && !((lone || initial) && gap < Math.max(h * 3, 0.05))) break;
    if (!next.every((w) => /^[A-Z][A-Za-z.'-]*,?$/.test(w.text))) break;
    if (lone && gap > h * 1.6) run[0] = { ...last, text: `${last.text},` };
    run.push(...next);
  }
  return run;
}

function lastWord(words: Line['words']): Line['words'][number] {
  return words[words.length - 1]!;
}

/** Street lines, organisation names and headings that sit where a name could. */
const NOT_A_NAME =
  /\b(ST|STREET|AVE|AVENUE|BLVD|RD|ROAD|DRIVE|LN|LANE|WAY|CT|COURT|PL|PLACE|PKWY|HWY|STE|SUITE|FLOOR|BOX|BLDG|BUILDING|UNIT|APT|HOSPITAL|CENTER|CENTRE|CLINIC|MEDICAL|HEALTH|UNIVERSITY|COLLEGE|BOARD|STATE|DEPARTMENT|CONTROLLED|SUBSTANCE|CERTIFICATE|REGISTRATION|LICENSE|ASSOCIATES|GROUP|LLC|INC)\b\.?/i;

export function stateFromLabel(ctx: DocContext): Found | null {
  // "ST" alone heads a results table's state column ("Stat" where OCR lost the end of "State").
  const hits = searchByLabel(
    ctx.lines,
    [L(/\b(state|jurisdiction|issuing state)\b[:\s]*/i, 0.9), L(/^st(at)?\s*$/i, 0.8)],
    (ws) => {
      const t = ws[0]?.text.replace(/[^A-Z]/gi, '').toUpperCase() ?? '';
      if (isStateCode(t) && ws[0]) return { value: t, words: [ws[0]] };
      const named = findStateName(ws.map((w) => w.text.toUpperCase()).join(' '));
      return named && named.index === 0
        ? { value: named.code, words: ws.slice(0, named.name.split(' ').length) }
        : null;
    },
    { below: true },
  );
  return best(hits);
}

/** "Newark, DE": the state code ending a city. */
function parseCityState(words: Line['words']) {
  const last = words[words.length - 1];
  const code = last?.text.replace(/[^A-Z]/g, '') ?? '';
  return last && words.length >= 2 && /,$/.test(words[words.length - 2]!.text) && isStateCode(code)
    ? { value: code, words: [last] }
    : null;
}

function wordsOf(line: Line, phrase: string): Line['words'] {
  const tokens = phrase.split(' ');
  const idx = line.words.findIndex((w, i) =>
    tokens.every((t, j) => (line.words[i + j]?.text ?? '').toUpperCase().replace(/[^A-Z]/g, '') === t),
  );
  return idx >= 0 ? line.words.slice(idx, idx + tokens.length) : line.words;
}
