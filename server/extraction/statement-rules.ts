/**
 * Sentence forms that state a field, as data (see statements.ts). Each group `v` spans the value;
 * the field's parser decides whether the words there are a value of its type. Forms are written
 * for kinds of statement (a certifying sentence, a letter of verification, a notice), never
 * for one issuer's wording.
 */
import type { StatementRule } from './statements';

const S = (re: RegExp, strength: number): StatementRule => ({ re: new RegExp(re.source, 'i'), strength });

/** Where a date starts: a digit or a month name. */
const DATE_START = String.raw`(?=\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)`;
/** A date's words (the date parser finds the date at the start of them). */
const DATE = String.raw`${DATE_START}(?<v>\S+(?:\s+\S+){0,5})`;
/** What a person's name in a sentence is followed by. */
const AFTER_NAME = String.raw`(?=,?\s+(?:has|have|having|was|is|who|holds?|held|for|participated|attended|completed|earned|successfully)\b|\s*[:]|\s*$)`;
const CERTIFY = String.raw`(?:certif(?:y|ies)|presents|verif(?:y|ies)|confirm(?:s)?|attest(?:s)?)(?: that)?`;

export const PERSON_STATEMENTS: StatementRule[] = [
  S(new RegExp(String.raw`\b${CERTIFY}\s+(?:dr\.?\s+)?(?<v>[^:;]{3,80}?)${AFTER_NAME}`), 0.95),
  S(
    new RegExp(String.raw`\b(?:presented|awarded|issued|granted) to\s+(?:dr\.?\s+)?(?<v>[^:;]{3,80}?)${AFTER_NAME}`),
    0.95,
  ),
  // The subject of the sentence: "Stephen L. Hernandez, PA-C participated in ...".
  S(
    new RegExp(
      String.raw`^(?<v>[^:;]{3,80}?),?\s+(?:has |have )?(?:successfully |satisfactorily )?(?:participated|attended|completed|earned)\b`,
    ),
    0.9,
  ),
  // A letter's salutation names its addressee: a hint, not proof.
  S(/^dear\s+(?:dr\.?\s+)?(?<v>[^:;,]{3,60}?)\s*[:,]/, 0.8),
];

const KIND = String.raw`(?:the\s+)?(?:(?:live|enduring|internet|online|journal|regularly scheduled|performance improvement|web-?based|virtual|in-person|educational|recorded|accredited|cme|ce)\s+)*(?:(?:activity|material|course|program|series|conference|session|webinar|module|event|meeting|lecture|symposium)\s+)?(?:titled|entitled)?\s*:?\s*`;
const DONE = String.raw`(?:(?:has|have)\s+)?(?:successfully\s+|satisfactorily\s+)?(?:attended|completed|participated in|completion of|participation in|attendance at|for completing|for attending)`;
/** A whole date, as a title's end: "03/04/2025", "2025-03-04", "May 25-28, 2025" (not a year alone, which titles end in). */
const FULL_DATE = String.raw`(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}[-/ ](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-/ ]\d{2,4}|\d{4}-\d{2}-\d{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?(?:,?\s+|[,.])\d{4})`;
/** What ends a title in a sentence: its date, the clause that awards the credit, or the next field. */
const TITLE_END = String.raw`(?=\s*[,.]?\s+(?:(?:on|held(?: on)?|from|dated?)\s+)?${FULL_DATE}|\s*[,.]?\s+(?:held|which|and (?:is|was|has|earned|received)|for (?:a|which)|designated|completed|credits?|contact hours|date)\b|\s*[.]?\s*$)`;

export const TITLE_STATEMENTS: StatementRule[] = [
  S(new RegExp(String.raw`\b${DONE}\s+${KIND}[“"](?<v>[^”"]{3,240})[”"]`), 0.97),
  S(new RegExp(String.raw`\b(?:titled|entitled)\s*:?\s*[“"](?<v>[^”"]{3,240})[”"]`), 0.95),
  S(new RegExp(String.raw`\b${DONE}\s+${KIND}(?<v>[^“"]{3,240}?)${TITLE_END}`), 0.9),
  // A quoted title whose closing quote OCR lost or read as another mark ("Hypertension Guidelines™ on ...").
  S(new RegExp(String.raw`\b${DONE}\s+${KIND}[“"](?<v>[^”"]{3,240}?)[”"™'’]?${TITLE_END}`), 0.85),
];

export const COMPLETION_STATEMENTS: StatementRule[] = [
  S(new RegExp(String.raw`\b${DONE}\b.{0,240}?\b(?:on|held)\s+${DATE}`), 0.95),
  S(new RegExp(String.raw`\b(?:through|to|until|thru|–|-)\s+${DATE}`), 0.6),
];

/** The participant's own figure: awarded, earned, claimed. */
export const CREDIT_STATEMENTS: StatementRule[] = [
  S(
    /\b(?:is awarded|was awarded|been awarded|awarded|earned|earns|claimed|received|receives)\s+(?<v>\d{1,3}(?:\.\d{1,2})?)\s+(?=[A-Za-z])/,
    0.95,
  ),
];

export const LICENSE_NUMBER_STATEMENTS: StatementRule[] = [
  S(/\b(?:licen[cs]e|registration|certificate) (?:number|no\.?|#)\s*:?\s*(?<v>[A-Z0-9][A-Z0-9.-]*(?:\s\d{3,})?)/, 0.9),
];

export const ISSUE_STATEMENTS: StatementRule[] = [
  S(
    // Within the sentence: a full stop inside a number ("license 036.480796") does not end it.
    new RegExp(
      String.raw`\b(?:was|were|been) (?:issued|granted|licensed|registered)\b(?:[^.]|\.(?=\S)){0,160}?\bon\s+${DATE}`,
    ),
    0.9,
  ),
  S(new RegExp(String.raw`\b(?:issued|granted|licensed|registered) (?:on|since)\s+${DATE}`), 0.9),
  // "... this 17th day of October, 1991": the day a wall certificate was signed and sealed.
  S(/\bthis\s+(?<v>\d{1,2}(?:st|nd|rd|th)?\s+day\s+of\s+[A-Za-z]+,?\s+(?:[a-z]{2,3} the year\s+)?\d{4})/, 0.85),
];

export const EXPIRY_STATEMENTS: StatementRule[] = [
  // A period: "valid from 08/01/2022 through 07/31/2024".
  S(new RegExp(String.raw`\b(?:valid|effective|period)\s+(?:from\s+)?\S+\s+(?:through|thru|to|until)\s+${DATE}`), 0.9),
  S(
    new RegExp(
      String.raw`\b(?:will expire|expires|expiring|expired|is valid (?:through|until)|valid (?:through|until|thru)|remains valid (?:through|until))(?:\s+on)?\s+${DATE}`,
    ),
    0.9,
  ),
];

export const STATUS_STATEMENTS: StatementRule[] = [
  S(
    /\b(?:licen[cs]e|registration) is (?:currently |presently )?(?:in\s+)?(?<v>active|inactive|expired|clear|current|suspended|revoked|lapsed|delinquent|retired)\b/,
    0.85,
  ),
];

export const LICENSE_TYPE_STATEMENTS: StatementRule[] = [
  S(
    /\b(?:to practice|licensed to practice|license as|licensed as|registered as|title)\s+(?:medicine and surgery\s+)?(?:as\s+)?(?:an?\s+)?(?<v>[^,.;]{3,60})/,
    0.85,
  ),
];

export const ACTIVITY_STATEMENTS: StatementRule[] = [
  S(/\bbusiness activity:?\s+(?:of\s+)?(?<v>[A-Z][A-Z/ -]{3,40})/, 0.9),
];

export const SCHEDULE_STATEMENTS: StatementRule[] = [
  S(/\b(?:authori[sz]es|authori[sz]ed for|registered for|covers) schedules?:?\s+(?<v>[IVN0-9][IVN0-9, ]*)/, 0.9),
];
