/**
 * Person names: natural order (`First Middle Last Suffix`), degrees and honorifics dropped,
 * `LAST, FIRST` turned around.
 */
const DEGREES = new Set([
  'MD', 'DO', 'NP', 'PA', 'PAC', 'PA-C', 'RN', 'APRN', 'CRNA', 'DDS', 'DMD', 'DPM', 'PHD', 'MPH', 'MBA', 'MS', 'MSN',
  'FACP', 'FACS', 'FAAP', 'FACC', 'FAAFP', 'FACOG', 'FACEP', 'FCCP', 'DNP', 'FNP', 'MPAS', 'MHS', 'MMSC', 'FNPBC', 'FNP-BC', 'ANP', 'CNM',
  'FACOFP', 'FACOI', 'FACE', 'FAAN', 'FAANP', 'FACHE', 'FAAEM', 'FASA', 'FACR', 'FASN', 'FAHA', 'FACG', 'FAOA', 'FHM', 'FAPA', 'FACOEP',
  'OD', 'PHARMD', 'RPH', 'MBBS', 'FRCPC', 'DC', 'CNP', 'AGNP', 'ACNP', 'BC', 'MSC', 'BS', 'BA', 'ESQ',
]);
const HONORIFICS = new Set(['DR', 'MR', 'MRS', 'MS', 'MISS', 'PROF', 'DOCTOR']);
const SUFFIXES = new Set(['JR', 'SR', 'II', 'III', 'IV']);

const key = (t: string) => t.toUpperCase().replace(/[^A-Z-]/g, '').replace(/-$/, '');

export function isHonorific(token: string): boolean {
  return HONORIFICS.has(key(token));
}

export function isDegree(token: string): boolean {
  // OCR reads the comma in "DNP, NP-C" as a full stop and drops the space: "DNP.NP-C".
  const parts = token.split(/[.,]/).filter(Boolean);
  if (parts.length > 1 && parts.every((p) => p.replace(/[^A-Za-z]/g, '').length >= 2)) return parts.every((p) => isDegree(p));
  const k = token.toUpperCase().replace(/[^A-Z-]/g, '');
  // Board-certified suffixes: NP-C, FNP-BC, AGACNP-BC.
  const base = k.replace(/-(C|BC)$/, '');
  return DEGREES.has(k) || DEGREES.has(k.replace(/-/g, '')) || DEGREES.has(base);
}

/** Normalises a printed name; returns null when what is left does not look like a name. */
export function naturalName(raw: string): string | null {
  let text = raw.replace(/\s+/g, ' ').trim();
  // Degrees after a comma: "Jane Doe, MD, FACP" -> drop every trailing degree chunk first.
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  while (parts.length > 1 && parts[parts.length - 1]!.split(' ').every((t) => isDegree(t) || SUFFIXES.has(key(t)))) {
    const last = parts.pop() ?? '';
    const suffix = last.split(' ').filter((t) => SUFFIXES.has(key(t)));
    if (suffix.length) parts[parts.length - 1] += ` ${suffix.join(' ')}`;
  }
  let tokens: string[];
  if (parts.length >= 2) {
    // "LAST, FIRST MIDDLE" (a suffix may sit on either side).
    const lastTokens = parts[0]!.split(' ');
    const firstTokens = parts.slice(1).join(' ').split(' ');
    const suffix = [...lastTokens, ...firstTokens].filter((t) => SUFFIXES.has(key(t)));
    const strip = (ts: string[]) => ts.filter((t) => !SUFFIXES.has(key(t)));
    tokens = [...strip(firstTokens), ...strip(lastTokens), ...suffix];
  } else {
    tokens = (parts[0] ?? '').split(' ');
  }
  if (tokens.some((t) => /\d/.test(t))) return null;
  tokens = tokens
    .map((t) => t.replace(/^[^A-Za-z]+|[^A-Za-z.'-]+$/g, ''))
    .filter((t) => t && !isDegree(t) && !HONORIFICS.has(key(t)));
  // OCR reads the suffix "III" as "Ill" or "lII" (l and I are one stroke in sans-serif type).
  const last = tokens[tokens.length - 1] ?? '';
  if (tokens.length >= 3 && /^[Il1]{2,3}$/.test(last) && /[l1]/.test(last)) tokens[tokens.length - 1] = 'I'.repeat(last.length);
  text = tokens.join(' ');
  if (tokens.length < 2 || tokens.length > 6) return null;
  if (!tokens.every((t) => /^[A-Za-z][A-Za-z.'-]*$/.test(t))) return null;
  // Names are capitalised; lowercase particles ("de la") are the fewer part: "successful completion" is prose.
  if (tokens.filter((t) => /^[a-z]/.test(t)).length * 2 > tokens.length) return null;
  return text;
}

/** The last-name initial of a natural-order name (skipping suffixes), for the DEA letter check. */
export function lastNameInitial(name: string): string | null {
  const tokens = name.split(' ').filter((t) => !SUFFIXES.has(key(t)));
  const last = tokens[tokens.length - 1];
  return last ? last.charAt(0).toUpperCase() : null;
}
