/** USPS codes and state names, for `state` fields and for spotting a state in an address or board name. */
import { oneEditApart } from './edit-distance';

export const STATE_NAMES: Record<string, string> = {
  AL: 'ALABAMA',
  AK: 'ALASKA',
  AZ: 'ARIZONA',
  AR: 'ARKANSAS',
  CA: 'CALIFORNIA',
  CO: 'COLORADO',
  CT: 'CONNECTICUT',
  DE: 'DELAWARE',
  DC: 'DISTRICT OF COLUMBIA',
  FL: 'FLORIDA',
  GA: 'GEORGIA',
  HI: 'HAWAII',
  ID: 'IDAHO',
  IL: 'ILLINOIS',
  IN: 'INDIANA',
  IA: 'IOWA',
  KS: 'KANSAS',
  KY: 'KENTUCKY',
  LA: 'LOUISIANA',
  ME: 'MAINE',
  MD: 'MARYLAND',
  MA: 'MASSACHUSETTS',
  MI: 'MICHIGAN',
  MN: 'MINNESOTA',
  MS: 'MISSISSIPPI',
  MO: 'MISSOURI',
  MT: 'MONTANA',
  NE: 'NEBRASKA',
  NV: 'NEVADA',
  NH: 'NEW HAMPSHIRE',
  NJ: 'NEW JERSEY',
  NM: 'NEW MEXICO',
  NY: 'NEW YORK',
  NC: 'NORTH CAROLINA',
  ND: 'NORTH DAKOTA',
  OH: 'OHIO',
  OK: 'OKLAHOMA',
  OR: 'OREGON',
  PA: 'PENNSYLVANIA',
  RI: 'RHODE ISLAND',
  SC: 'SOUTH CAROLINA',
  SD: 'SOUTH DAKOTA',
  TN: 'TENNESSEE',
  TX: 'TEXAS',
  UT: 'UTAH',
  VT: 'VERMONT',
  VA: 'VIRGINIA',
  WA: 'WASHINGTON',
  WV: 'WEST VIRGINIA',
  WI: 'WISCONSIN',
  WY: 'WYOMING',
  PR: 'PUERTO RICO',
  GU: 'GUAM',
  VI: 'VIRGIN ISLANDS',
};

const NAME_TO_CODE = new Map<string, string>(Object.entries(STATE_NAMES).map(([code, name]) => [name, code]));
/** Longest names first so "WEST VIRGINIA" wins over "VIRGINIA". */
const NAMES_LONGEST_FIRST = [...NAME_TO_CODE.keys()].sort((a, b) => b.length - a.length);

export function isStateCode(s: string): boolean {
  return s in STATE_NAMES;
}

/** Finds a full state name in upper-cased text; returns its code and character index. */
export function findStateName(upper: string): { code: string; index: number; name: string } | null {
  let best: { code: string; index: number; name: string } | null = null;
  for (const name of NAMES_LONGEST_FIRST) {
    const re = new RegExp(`\\b${name}\\b`);
    const m = re.exec(upper);
    if (m && (!best || m.index < best.index)) best = { code: NAME_TO_CODE.get(name) ?? '', index: m.index, name };
  }
  return best;
}

/** "STATEOFNEWYORK": a letter-spaced heading whose word spaces the text layer lost. */
export function stateOfRunTogether(upper: string): string | null {
  const m = /^(?:STATE|COMMONWEALTH)OF([A-Z]+)$/.exec(upper.replace(/[^A-Z]/g, ''));
  if (!m) return null;
  for (const name of NAMES_LONGEST_FIRST) if (name.replace(/ /g, '') === m[1]) return NAME_TO_CODE.get(name) ?? null;
  return null;
}

/** `CITY, ST 12345` (or `ST 12345-6789`): the state code of an address line. */
/** Whether a word spells the state code, as OCR read it ("Hi" and "MD," spell HI and MD). */
export function spellsCode(text: string, code: string): boolean {
  return text.toUpperCase().replace(/[^A-Z]/g, '') === code;
}

export function stateOfAddress(text: string): string | null {
  const m = /(?:^|[\s,])([A-Z]{2})\.?\s+\d{5}(?:-\d{4})?\b/.exec(text);
  if (m?.[1] && isStateCode(m[1])) return m[1];
  // Right after the city's comma, OCR may read the code's second capital small ("HONOLULU, Hi 96817").
  const small = /,\s*([A-Z][a-z])\s+\d{5}(?:-\d{4})?\b/.exec(text);
  if (small?.[1] && isStateCode(small[1].toUpperCase())) return small[1].toUpperCase();
  // OCR garbles a ZIP code's digit or the punctuation around the code ("MD» 2132]", "CT 061%9",
  // "NJ08207.5149"):
  // a state code, then five characters of which at least four are digits.
  // Glued to the ZIP only right after the city's comma: "MD12345" alone is a licence number.
  const ocr =
    /(?:^|[\s,.])([A-Z]{2})[.,»"']?\s+(\S{5})(?:[-.]\S{4})?(?=\s|$)/.exec(text) ??
    /[,.]\s*([A-Z]{2})(\d{5})(?:[-.]\S{4})?(?=\s|$)/.exec(text);
  return ocr?.[1] &&
    isStateCode(ocr[1]) &&
    /^\d/.test(ocr[2] ?? '') &&
    (ocr[2]!.match(/\d/g) ?? []).length >= 4 &&
    !/[A-Za-z]/.test(ocr[2]!.replace(/[OSIl]/g, ''))
    ? ocr[1]
    : null;
}

const ONE_WORD_NAMES = [...NAME_TO_CODE.keys()].filter((n) => !n.includes(' ') && n.length >= 6);

/**
 * A one-word state name OCR misread by one letter ("ILINOIS", "CALIFORNLA"): the code of the
 * only name one insertion, deletion or substitution away, or null when none or several are.
 */
export function nearStateName(word: string): string | null {
  const w = word.toUpperCase().replace(/[^A-Z]/g, '');
  if (w.length < 6) return null;
  const close = ONE_WORD_NAMES.filter((n) => oneEditApart(w, n));
  return close.length === 1 ? (NAME_TO_CODE.get(close[0]!) ?? null) : null;
}
