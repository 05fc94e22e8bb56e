/** Certificates for one CME activity (AMA PRA, AOA, AAFP, ANCC, AAPA wording). */
import { best, searchByLabel, type LabelRule } from '../field-search';
import { cleanTitle } from '../activity-titles';
import { findDates } from '../dates';
import { creditTypeOf, parseCredits, parseDate, parseText, trimEdgeSpecks } from '../parsers';
import type { Found, Line, Word } from '../types';
import { COMPLETION_STATEMENTS, CREDIT_STATEMENTS, TITLE_STATEMENTS } from '../statement-rules';
import { searchStatements } from '../statements';
import { CERTIFY_LABELS, nameByLabels, npi, stated, type DocContext, type FieldMap } from './shared-fields';

const L = (re: RegExp, strength = 1): LabelRule => ({ re, strength });

const NAME_LABELS = [
  L(
    /\b(participant name|participant|learner name|learner|attendee name|attendee|name of participant|physician name|name)\b[:\s]*/i,
    0.9,
  ),
  ...CERTIFY_LABELS,
];
const TITLE_LABELS = [
  L(
    /^(activity title|title of activity|course title|program title|activity name|session title|title|activity|course|program|session|topic)\s*:\s*/i,
  ),
  // The same words as a heading with the title under it.
  L(
    /^(activity title|title of activity|course title|program title|activity name|session title|title|activity|course|program|session|topic)\s*$/i,
    0.9,
  ),
];
const PROVIDER_LABELS = [
  L(
    /^(accredited provider|activity provider|cme provider|provider|sponsor)\s*:\s*|^(provided|presented|sponsored|jointly provided) by\b\s*:?\s*/i,
    0.95,
  ),
];
const ORGANISATION =
  /\b(association|academy|college|society|foundation|cent(er|re)|university|institute|hospital|clinic|consortium|council|education|health|medicine|development|associates|school|network|system|conference|congress|summit|forum|symposium|alliance|partners)\b/i;
const DATE_LABELS = [
  L(
    /\b(date of completion|completion date|date completed|completed on|completed|activity date|date of activity|dates? of participation|date\(s\)|held on|held|awarded on|date awarded|date of attendance)\b[:\s]*/i,
    0.95,
  ),
  // A bare "Date:" but not the release, expiration or beginning date of an enduring activity.
  L(
    /(?<!(expiration|release|beginning|expiry|review|print(ed)?) )\bdate\b(?! (issued|printed|generated|of issue|of birth|verified))[:\s]*/i,
    0.8,
  ),
];
/** Participant's own credits (claimed/awarded), preferred over the designated maximum. */
const CLAIMED_LABELS = [
  L(
    /\b(credits? claimed|credits? awarded|credits? earned|hours? awarded|contact hours? awarded|hours? earned|credit hours|credits? reported|number of credits|credits?|contact hours)\s*:\s*/i,
  ),
  // The same words as a column heading, the figure under them.
  L(
    /^(credits? claimed|credits? awarded|credits? earned|hours? awarded|contact hours?( awarded)?|hours? earned|credit hours|credits? reported|number of credits|credits?|amount)\s*$/i,
    0.95,
  ),
];

/** Title over several lines: the label's value line plus following lines of similar size and no label. */
function activityTitle(ctx: DocContext): Found | null {
  const stated = best(searchStatements(ctx.lines, TITLE_STATEMENTS, parseTitle, ctx.passages));
  const hit = best(searchByLabel(ctx.lines, TITLE_LABELS, parseTitle, { maxBelow: 1 }));
  // A sentence holds its title whole, across its line breaks; a label's value may wrap below.
  if (!hit) return stated;
  const words = [...hit.words];
  const idx = ctx.lines.findIndex((l) => l.words.includes(words[words.length - 1]!));
  const first = ctx.lines[idx];
  if (!first) return hit;
  // A dash printed between two parts of the title ("Screening - Highlights from...") can be lost
  // by OCR, leaving a gap that splits the line: the rest of the line continues the title.
  const seg = first.segments.findIndex((s) => s.includes(words[words.length - 1]!));
  for (const rest of first.segments.slice(seg + 1)) {
    const text = rest.map((w) => w.text).join(' ');
    if (/:|AMA PRA|credit/i.test(text) || DATE_LIKE.test(text) || !/[A-Za-z]{3}/.test(text)) break;
    words.push(...rest);
  }
  let prev = first;
  for (let i = idx + 1; i < ctx.lines.length && i <= idx + 3; i++) {
    const line = ctx.lines[i]!;
    const h = prev.y1 - prev.y0;
    const close = line.page === prev.page && line.y0 - prev.y1 < h * 0.9;
    // OCR boxes follow the ink: a line without descenders ("Review") is shorter than one with them.
    const ocr = line.words.some((w) => w.conf < 0.999);
    const sameSize = Math.abs(line.y1 - line.y0 - h) < h * (ocr ? 0.35 : 0.2);
    if (
      !close ||
      !sameSize ||
      /:|^(on|and (is|has|was|earned|awarded|claimed)|completed|date|credits?|provider|presented|awarded|designat)\b/i.test(
        line.text,
      ) ||
      DATE_LIKE.test(line.text)
    )
      break;
    words.push(...line.words);
    prev = line;
  }
  return { ...hit, value: withoutActivityNumber(words.map((w) => w.text).join(' ')), words };
}

/** An activity's number printed after its title is not part of it ("... Controversies Activity #: 356143", "... [ID KCS36130]"). */
function withoutActivityNumber(title: string): string {
  return cleanTitle(title.replace(/\s*\(?\b(activity|course|program|event)\s*(#|id\b|no\.|number\b).*$/i, ''));
}

function parseTitle(words: Word[]) {
  const p = parseText(words);
  if (!p) return null;
  const t = withoutActivityNumber((p.value as string).replace(/^["“]|["”]$/g, ''));
  // Must look like a title, not a sentence fragment or a credit statement.
  if (t.split(' ').length < 2 || /AMA PRA|credit|contact hours?|hours (awarded|earned)/i.test(t) || DATE_LIKE.test(t))
    return null;
  return { value: t.replace(/[.,]$/, ''), words: p.words };
}

const DATE_LIKE = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d|\d{1,4}[/-]\d{1,2}[/-]\d{1,4}/i;

/**
 * The provider: a "Provider:" label; else the organisation that "is accredited" or
 * "designates this" in the accreditation statement, which certificates also print as their heading.
 */
function provider(ctx: DocContext): Found | null {
  const labelled = best(searchByLabel(ctx.lines, PROVIDER_LABELS, parseText, { maxBelow: 1 }));
  // "Provided by X. X is accredited by ...": the provider's sentence ends at its full stop.
  if (labelled)
    return { ...labelled, value: (labelled.value as string).replace(/\.\s+[A-Z].*$/, '').replace(/[.,]$/, '') };
  const first = headingWords(ctx);
  const heading = first ? { words: first, text: first.map((w) => w.text).join(' ') } : undefined;
  let subject: string | null = null;
  for (const line of ctx.lines) {
    // OCR reads the i of "is" and "this" as 1, l or |.
    const m = /^(?:The )?([A-Z][A-Za-z&.'’ -]{3,100}?) (?:[i1l|]s accredited|designates th[i1l|]s)/.exec(
      trimEdgeSpecks(line.words)
        .map((w) => w.text)
        .join(' '),
    );
    if (m?.[1] && m[1].split(' ').length <= 10) {
      subject = m[1].trim();
      break;
    }
  }
  const headingText = heading?.text.trim() ?? '';
  if (heading && subject && normal(subject) === normal(headingText)) {
    return { value: headingText, method: 'pattern', labelStrength: 0.95, words: heading.words };
  }
  if (subject) {
    const tokens = subject.split(' ');
    const words = ctx.lines
      .flatMap((l) => l.words)
      .filter((w) => tokens.includes(w.text))
      .slice(0, tokens.length);
    return { value: subject, method: 'pattern', labelStrength: 0.75, words };
  }
  if (heading && ORGANISATION.test(headingText) && !/certificate/i.test(headingText)) {
    return { value: headingText, method: 'pattern', labelStrength: 0.8, words: heading.words };
  }
  return null;
}

/**
 * The page's first run of words: the first segment on page 1 with two words or more, most of them
 * words of three letters or more. A scan's specks and border patterns ("rr", "QOOO0COC...", a
 * "8" at the frame's edge) stand before or beside the heading but are not it.
 */
function headingWords(ctx: DocContext): Word[] | null {
  const isWord = (w: Word) => /^[A-Za-z][A-Za-z.,&'’-]{2,}$/.test(w.text) && !/(.)\1{3}/i.test(w.text);
  for (const line of ctx.lines) {
    if (line.page !== 1) continue;
    for (const segment of line.segments) {
      const words = trimEdgeSpecks(segment);
      const real = words.filter(isWord).length;
      if (real >= 2 && real * 2 >= words.length) return words;
    }
  }
  return null;
}

const normal = (s: string) =>
  s
    .toUpperCase()
    .replace(/^THE /, '')
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();

/** "... 3.50 AMA PRA Category 1 Credit(s)™": the number before the credit phrase. */
function creditsFromStatements(lines: Line[]): { credits: Found | null; creditType: Found | null } {
  let designated: Found | null = null;
  let claimed: Found | null = null;
  let type: Found | null = null;
  for (const line of lines) {
    const ws = line.words;
    for (let i = 0; i < ws.length; i++) {
      const n = parseCredits([ws[i]!]);
      // The "1" of "AMA PRA Category 1 Credits" names the category, it is not a figure.
      if (!n || /^categor/i.test(ws[i - 1]?.text ?? '')) continue;
      const after = ws
        .slice(i + 1, i + 8)
        .map((w) => w.text)
        .join(' ');
      const ct = creditTypeOf(after);
      if (!ct && !/^(credits?|hours?|contact hours?)\b/i.test(after)) continue;
      const before = ws
        .slice(Math.max(0, i - 6), i)
        .map((w) => w.text)
        .join(' ');
      const isMax = /maximum|max\.?|up to|designate/i.test(before + ' ' + line.text);
      const found: Found = { value: n.value, method: 'pattern', labelStrength: isMax ? 0.7 : 0.9, words: n.words };
      if (isMax) designated ??= found;
      else claimed ??= found;
      if (ct && !type) {
        const typeWords = ws.slice(i + 1, i + 6);
        type = { value: ct, method: 'pattern', labelStrength: 0.95, words: typeWords };
      }
    }
  }
  return { credits: claimed ?? designated, creditType: type };
}

function creditTypeFromText(lines: Line[]): Found | null {
  for (const line of lines) {
    const ct = creditTypeOf(line.text);
    if (ct) return { value: ct, method: 'pattern', labelStrength: 0.85, words: line.words };
  }
  return null;
}

/**
 * "Hours of participation: 1.25": a certificate of participation (given to nurses, PAs and other
 * professionals at an activity designated for physicians) records hours, not credit. The
 * designation statement says what a physician may claim; the participant's own line says what
 * this certificate gives, and when it names no credit system the type is OTHER.
 */
const PARTICIPATION_LABELS = [L(/\b(hours? of (participation|attendance)|participation hours?)\s*:?\s*/i, 0.9)];

function participationHours(ctx: DocContext): { credits: Found; creditType: Found } | null {
  const hours = best(searchByLabel(ctx.lines, PARTICIPATION_LABELS, parseCredits));
  if (!hours) return null;
  const line = ctx.lines.find((l) => l.words.includes(hours.words[0]!));
  if (line && creditTypeOf(line.text)) return null;
  return { credits: hours, creditType: { ...hours, value: 'OTHER', labelStrength: hours.labelStrength * 0.9 } };
}

export function extractCmeCertificate(ctx: DocContext): FieldMap {
  const byLabel = best(searchByLabel(ctx.lines, CLAIMED_LABELS, parseCredits));
  const statements = creditsFromStatements(ctx.lines);
  const participation = participationHours(ctx);
  return {
    participantName: nameByLabels(ctx, NAME_LABELS),
    activityTitle: activityTitle(ctx),
    provider: provider(ctx),
    completionDate: completionDate(ctx),
    // The participant's own figure ("Credits claimed: 2.00", "is awarded 2.5 ...") beats the designated maximum.
    credits: withLostPoint(
      byLabel ?? participation?.credits ?? stated(ctx, CREDIT_STATEMENTS, parseCredits) ?? statements.credits,
    ),
    creditType: participation?.creditType ?? statements.creditType ?? creditTypeFromText(ctx.lines),
    npi: npi(ctx),
  };
}

/**
 * One activity's credits of 100 or more are a figure OCR read without its point: "2.00" printed
 * faintly reads "200". An OCR-read whole hundred is read as the two-decimal figure, unsure.
 */
function withLostPoint(found: Found | null): Found | null {
  const word = found?.words[0];
  if (!found || !word || word.conf >= 0.999 || !/^[1-9]00$/.test(word.text.replace(/[^0-9.]/g, ''))) return found;
  return {
    ...found,
    value: (found.value as number) / 100,
    words: found.words.map((w) => ({ ...w, conf: Math.min(w.conf, 0.6) })),
  };
}

/** The last date of a range ("March 3-5, 2025" is not split: "03/03/2025 - 03/05/2025" is). */
function completionDate(ctx: DocContext): Found | null {
  const hits = searchByLabel(ctx.lines, DATE_LABELS, (ws) => {
    const ds = findDates(ws.map((w) => w.text));
    const d = ds.filter((m) => m.start < 6).pop();
    return d ? { value: d.iso, words: ws.slice(d.start, d.start + d.length) } : null;
  });
  return (
    best(hits) ??
    stated(ctx, COMPLETION_STATEMENTS, lastDate) ??
    best(searchByLabel(ctx.lines, [L(/^on\s+/i, 0.9)], parseDate, { below: false })) ??
    dateOnlyLine(ctx.lines)
  );
}

/** The last day of a date or a range at the start of the words: "03/03/2025 - 03/05/2025", "Mar 31 - Apr 1, 2024". */
function lastDate(words: Word[]) {
  const head = words.slice(0, 8);
  const d = findDates(head.map((w) => w.text))
    .filter((m) => m.start <= 4)
    .pop();
  return d ? { value: d.iso, words: head.slice(d.start, d.start + d.length) } : null;
}

/** A line that is nothing but a date or a date range ("January 8-10, 2024"), as centred certificates print it. */
function dateOnlyLine(lines: Line[]): Found | null {
  for (const line of lines) {
    // An unsure speck of a letter or two beside the date ("F  May 26-29.2024") is not text.
    const words = line.words.filter((w) => !(w.conf < 0.5 && w.text.length <= 2));
    const texts = words.map((w) => w.text);
    const ds = findDates(texts);
    const last = ds[ds.length - 1];
    if (!last || last.start + last.length !== texts.length) continue;
    const covered = ds.reduce((n, d) => n + d.length, 0);
    if (covered + (ds.length - 1) >= texts.length)
      return { value: last.iso, method: 'pattern', labelStrength: 0.85, words };
  }
  return null;
}
