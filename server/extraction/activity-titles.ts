/**
 * Activity titles without their decorations: certificates and transcripts print an activity's
 * identifier before or after its title ("22M2280 Challenges in ...", "... [ID KCS36130]",
 * "... Activity #: 356143"); it is not part of the title.
 */
/** An activity identifier ("22M2280", "ACT-2024-1187", "#48211"): letters and at least three digits, or five digits. */
const ID_CODE = /^[#([]?(?=[A-Z0-9-]*\d)(?:[A-Z0-9]+-?)*[A-Z0-9]+[)\]]?[.,;]?$/;
function isIdCode(token: string): boolean {
  const core = token.replace(/^[#([]+|[)\].,;]+$/g, '');
  if (!ID_CODE.test(token) || core.length < 5) return false;
  const digits = (core.match(/\d/g) ?? []).length;
  const letters = (core.match(/[A-Z]/g) ?? []).length;
  return (letters > 0 && digits >= 3) || (letters === 0 && digits >= 5 && !/^(19|20)\d\d$/.test(core));
}

/** A title without decorations: an activity ID before or after it, "(ID: ...)", "[...]". */
export function cleanTitle(title: string): string {
  let t = title.replace(/\s+/g, ' ').trim();
  // "(Activity ID: 12345)", "[ACT-1187]", "- ID 22M2280" at the end.
  t = t.replace(/\s*[([]\s*(?:activity\s+)?(?:id|#|no\.?)\s*[:#]?\s*[A-Z0-9-]+\s*[)\]]$/i, '');
  t = t.replace(/\s*[-–|•]?\s*(?:activity\s+)?(?:id|#)\s*[:#]?\s*[A-Z0-9-]*\d[A-Z0-9-]*$/i, '');
  const words = t.split(' ');
  while (words.length > 1 && isIdCode(words[words.length - 1]!)) words.pop();
  while (words.length > 1 && isIdCode(words[0]!)) words.shift();
  return words
    .join(' ')
    .replace(/\s*[-–|•:]$/, '')
    .trim();
}

/** Words that number a part of a series in a title ("(Part II)", "Module 2"). */
const SEQUENCE = /^\(?(part|module|session|series|volume|unit|phase)$/i;

/**
 * A Roman numeral after "Part", "Module"... as OCR misreads it from a scan: "II" read "Il",
 * "ll", "tl", "11" or "H", "III" read "Ill". A lone "1" stays: "Part 1" is printed too.
 */
export function mendSequenceNumerals(title: string): string {
  const words = title.split(' ');
  for (let k = 1; k < words.length; k++) {
    if (!SEQUENCE.test(words[k - 1]!.replace(/[^A-Za-z(]/g, ''))) continue;
    const m = /^([^A-Za-z0-9]*)([A-Za-z0-9|]+)([^A-Za-z0-9]*)$/.exec(words[k]!);
    if (!m) continue;
    const core = m[2]!;
    let roman: string | null = null;
    if (core === 'H') roman = 'II';
    else if (/^[Il|1t]{2,3}$/.test(core) && !/^I+$/.test(core)) roman = 'I'.repeat(core.length);
    if (roman) words[k] = `${m[1]}${roman}${m[3]}`;
  }
  return words.join(' ');
}

/**
 * Two short lowercase words OCR read as one where it lost the space between them ("forthe",
 * "inthe"): split where both halves are words the document prints clearly elsewhere, and only
 * where one split does so. Title-case words ("Outpatient") are never split.
 */
export function splitGluedWords(title: string, clear: Set<string>): string {
  return title
    .split(' ')
    .map((token) => {
      const m = /^([^A-Za-z]*)([a-z]{4,8})([^A-Za-z]*)$/.exec(token);
      if (!m) return token;
      const core = m[2]!;
      // "forthe" may itself be read clearly; a word ending in "the" after a short word is two words.
      const the = /^([a-z]{2,4})the$/.exec(core);
      if (the && clear.has(the[1]!)) return `${m[1]}${the[1]} the${m[3]}`;
      if (clear.has(core)) return token;
      const splits: string[] = [];
      for (let k = Math.max(2, core.length - 4); k <= Math.min(4, core.length - 2); k++) {
        const a = core.slice(0, k);
        const b = core.slice(k);
        if (clear.has(a.toLowerCase()) && clear.has(b.toLowerCase())) splits.push(`${a} ${b}`);
      }
      return splits.length === 1 ? `${m[1]}${splits[0]}${m[3]}` : token;
    })
    .join(' ');
}

const LETTER_OF: Record<string, string> = { '1': 'i', '0': 'o', '5': 's' };

/** A short word with a digit read for a letter ("1n" for in, "0f" for of): the clear word it stands for, when one is. */
export function mendShortWords(title: string, clear: Set<string>): string {
  return title
    .split(' ')
    .map((token) => {
      if (!/^(?=.*[a-z])(?=.*[015])[a-z015]{2,3}$/.test(token)) return token;
      const word = token.replace(/[015]/g, (d) => LETTER_OF[d]!);
      return clear.has(word) ? word : token;
    })
    .join(' ');
}
