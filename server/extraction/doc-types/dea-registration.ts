/**
 * DEA Certificate of Registration (Form 223), renewal confirmations and registration
 * look-up printouts.
 */
import { editDistanceWithin } from '../edit-distance';
import { best, searchByLabel, searchPattern, type LabelRule } from '../field-search';
import { parseDea, parseSchedules } from '../parsers';
import { ACTIVITY_STATEMENTS, SCHEDULE_STATEMENTS } from '../statement-rules';
import type { Found, Word } from '../types';
import { spellsCode, stateOfAddress } from '../us-states';
import { deaCheckDigitOk } from '../validate';
import {
  commaNameLine,
  credentialDates,
  nameAboveAddress,
  nameByLabels,
  npi,
  schedules,
  stated,
  stateFromLabel,
  type DocContext,
  type FieldMap,
} from './shared-fields';

const L = (re: RegExp, strength = 1): LabelRule => ({ re, strength });

const DEA_LABELS = [
  L(/\b(DEA (registration )?(number|no\.?|#)|DEA reg\.? (no\.?|#)|registration (number|no\.?|#)|DEA #|DEA:)[:#\s]*/i),
];
const NAME_LABELS = [
  L(/\b(registrant name|registrant|name of registrant|registered to|name)\b[:\s]*/i, 0.95),
  L(/^(provider|practitioner)\b[:\s]*$/i, 0.85),
];
const ACTIVITY_LABELS = [L(/\b(business activity|activity)\b[:\s]*/i)];

const ACTIVITIES = [
  'MID-LEVEL PRACTITIONER',
  'PRACTITIONER',
  'PHARMACY',
  'HOSPITAL/CLINIC',
  'TEACHING INSTITUTION',
  'RESEARCHER',
  'MANUFACTURER',
  'DISTRIBUTOR',
  'ANALYTICAL LAB',
  'NARCOTIC TREATMENT PROGRAM',
];

function parseActivity(words: Word[]) {
  const text = words
    .map((w) => w.text)
    .join(' ')
    .toUpperCase();
  for (const a of ACTIVITIES) {
    const i = text.indexOf(a);
    // "MID-LEVEL PRACTITIONER" is listed before "PRACTITIONER", and must start the value.
    if (i === 0) {
      const n = a.split(' ').length;
      return { value: a, words: words.slice(0, n) };
    }
  }
  return null;
}

/**
 * A cell that holds a business activity and nothing else, when its label was not read (a wallet
 * card's small print): only the multi-word activities, which no other cell prints, and within two
 * misread letters ("KID: LEVEL PRACTITIONER"). Weaker than a labelled value.
 */
function activityCell(ctx: DocContext): Found | null {
  const long = ACTIVITIES.filter((a) => a.length > 12);
  const letters = (t: string) =>
    t
      .toUpperCase()
      .replace(/[^A-Z]+/g, ' ')
      .trim();
  for (const segment of ctx.lines.flatMap((l) => l.segments)) {
    const text = letters(segment.map((w) => w.text).join(' '));
    const activity = long.find((a) => editDistanceWithin(text, letters(a), 2) <= 2);
    if (activity) return { value: activity, words: segment, method: 'pattern', labelStrength: 0.6 };
  }
  return null;
}

function deaNumber(ctx: DocContext): Found | null {
  const labelled = best(searchByLabel(ctx.lines, DEA_LABELS, parseDea));
  if (labelled) return labelled;
  const bare = searchPattern(ctx.lines, parseDea).filter((f) => deaCheckDigitOk(f.value as string));
  const distinct = new Set(bare.map((f) => f.value));
  return distinct.size === 1 ? (bare[0] ?? null) : null;
}

/** The state of the registered address: the first `City, ST 12345` line after the name. */
const ADDRESS_LABELS = [L(/^(registered address|address of record|business address|address)\b[:\s]*/i, 0.95)];

function parseAddressState(words: Word[]) {
  const code = stateOfAddress(words.map((w) => w.text).join(' '));
  if (!code) return null;
  const at = words.filter((w) => spellsCode(w.text, code));
  return { value: code, words: at.length ? at.slice(-1) : words };
}

function addressState(ctx: DocContext, name: Found | null): Found | null {
  const labelled = best(searchByLabel(ctx.lines, ADDRESS_LABELS, parseAddressState));
  if (labelled) return labelled;
  const start = name ? ctx.lines.findIndex((l) => l.words.includes(name.words[0]!)) : -1;
  const from = start >= 0 ? start : 0;
  for (let i = from; i < ctx.lines.length; i++) {
    const line = ctx.lines[i]!;
    for (const seg of line.segments) {
      const text = seg.map((w) => w.text).join(' ');
      const code = stateOfAddress(text);
      if (code) {
        const words = seg.filter((w) => spellsCode(w.text, code));
        return {
          value: code,
          method: start >= 0 ? 'label-below' : 'pattern',
          labelStrength: start >= 0 ? 0.9 : 0.6,
          words: words.length ? words : seg,
        };
      }
    }
  }
  return null;
}

/**
 * A practitioner's DEA number opens with A, B, F or G; E is a manufacturer's. An E that OCR read
 * on a practitioner's registration is an F with a speck on its foot (the check digit does not
 * cover the letters, so it cannot tell): read as F, unsure.
 */
function practitionerPrefix(number: Found | null, activity: Found | null): Found | null {
  if (!number || activity?.value !== 'PRACTITIONER') return number;
  const value = number.value as string;
  if (!value.startsWith('E') || number.words.every((w) => w.conf >= 0.999)) return number;
  return {
    ...number,
    value: `F${value.slice(1)}`,
    words: number.words.map((w) => ({ ...w, conf: Math.min(w.conf, 0.7) })),
  };
}

export function extractDeaRegistration(ctx: DocContext): FieldMap {
  const registrantName = nameByLabels(ctx, NAME_LABELS) ?? nameAboveAddress(ctx) ?? commaNameLine(ctx);
  const dates = credentialDates(ctx);
  const businessActivity =
    best(searchByLabel(ctx.lines, ACTIVITY_LABELS, parseActivity)) ??
    stated(ctx, ACTIVITY_STATEMENTS, parseActivity) ??
    activityCell(ctx);
  return {
    registrantName,
    deaNumber: practitionerPrefix(deaNumber(ctx), businessActivity),
    schedules: schedules(ctx) ?? stated(ctx, SCHEDULE_STATEMENTS, parseSchedules),
    expirationDate: dates.expirationDate,
    issueDate: dates.issueDate,
    businessActivity,
    // A look-up's State column is the registered address's state too.
    state: stateFromLabel(ctx) ?? addressState(ctx, registrantName),
    npi: npi(ctx),
  };
}
