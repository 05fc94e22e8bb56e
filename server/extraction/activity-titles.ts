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
