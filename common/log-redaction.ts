/**
 * Error messages can carry PHI by accident: a provider's file path in an ENOENT, a DEA number or
 * NPI echoed by a parser. Every log line that includes an error message passes it through here.
 */
// Quoted paths may hold spaces ("Jane Roe DEA.pdf"); unquoted ones end at white space.
const QUOTED_PATH = /(['"])(?:[A-Za-z]:\\|\/)[^'"]*\1/g;
const PATH = /(^|[\s(=])(?:[A-Za-z]:\\|\/)[^\s'"()]*/g;
const DEA_NUMBER = /\b[A-Z][A-Z9]\d{7}\b/g;
const TEN_DIGITS = /\b\d{10}\b/g;

export function redactForLog(text: string): string {
  return text
    .replace(QUOTED_PATH, '$1<path>$1')
    .replace(PATH, '$1<path>')
    .replace(DEA_NUMBER, '<dea>')
    .replace(TEN_DIGITS, '<number>');
}

/** An error's message, redacted, for a structured log line. */
export function errorMessageForLog(err: unknown): string {
  return redactForLog(err instanceof Error ? err.message : String(err));
}
