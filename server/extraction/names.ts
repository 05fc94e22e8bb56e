import { isStateCode } from './us-states';

/**
 * Person names: natural order (`First Middle Last Suffix`), degrees and honorifics dropped,
 * `LAST, FIRST` turned around.
 */
const DEGREES = new Set([
  'MD',
  'DO',
  'NP',
  'PA',
  'PAC',
  'PA-C',
  'RN',
  'APRN',
  'CRNA',
  'DDS',
  'DMD',
  'DPM',
  'PHD',
  'MPH',
  'MBA',
  'MS',
  'MSN',
  'FACP',
  'FACS',
  'FAAP',
  'FACC',
  'FAAFP',
  'FACOG',
  'FACEP',
  'FCCP',
  'DNP',
  'FNP',
  'MPAS',
  'MHS',
  'MMSC',
  'MMS',
  'FNPBC',
  'FNP-BC',
  'ANP',
  'CNM',
  'FACOFP',
  'FACOI',
  'FACE',
  'FAAN',
  'FAANP',
  'FACHE',
  'FAAEM',
  'FASA',
  'FACR',
  'FASN',
  'FAHA',
  'FACG',
  'FAOA',
  'FHM',
  'FAPA',
  'FACOEP',
  'OD',
  'PHARMD',
  'RPH',
  'MBBS',
  'FRCPC',
  'DC',
  'CNP',
  'AGNP',
  'ACNP',
  'BC',
  'MSC',
  'BS',
  'BA',
  'ESQ',
]);
const HONORIFICS = new Set(['DR', 'MR', 'MRS', 'MS', 'MISS', 'PROF', 'DOCTOR']);
const SUFFIXES = new Set(['JR', 'SR', 'II', 'III', 'IV']);

const key = (t: string) =>
  t
    .toUpperCase()
    .replace(/[^A-Z-]/g, '')
    .replace(/-$/, '');

export function isHonorific(token: string): boolean {
  return HONORIFICS.has(key(token));
}

export function isDegree(token: string): boolean {
  // OCR reads the comma in "DNP, NP-C" as a full stop and drops the space: "DNP.NP-C".
  const parts = token.split(/[.,]/).filter(Boolean);
  if (parts.length > 1 && parts.every((p) => p.replace(/[^A-Za-z]/g, '').length >= 2))
    return parts.every((p) => isDegree(p));
  // Joined credentials: "APRN-CNP", "MSN/FNP".
  const joined = token.split(/[-/]/).filter(Boolean);
  if (joined.length > 1 && joined.every((p) => DEGREES.has(p.toUpperCase().replace(/[^A-Z]/g, '')))) return true;
  const k = token.toUpperCase().replace(/[^A-Z-]/g, '');
  // Board-certified suffixes: NP-C, FNP-BC, AGACNP-BC.
  const base = k.replace(/-(C|BC)$/, '');
  return DEGREES.has(k) || DEGREES.has(k.replace(/-/g, '')) || DEGREES.has(base);
}

/** Normalises a printed name; returns null when what is left does not look like a name. */
export function naturalName(raw: string): string | null {
  let text = raw.replace(/\s+/g, ' ').trim();
  // Degrees after a comma: "Jane Doe, MD, FACP" -> drop every trailing degree chunk first.
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
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
  if (tokens.length >= 3 && /^[Il1]{2,3}$/.test(last) && /[l1]/.test(last))
    tokens[tokens.length - 1] = 'I'.repeat(last.length);
  text = tokens.join(' ');
  if (tokens.length < 2 || tokens.length > 6) return null;
  if (!tokens.every((t) => /^[A-Za-z][A-Za-z.'-]*$/.test(t))) return null;
  // Names are capitalised; lowercase particles ("de la") are the fewer part: "successful completion" is prose.
  if (tokens.filter((t) => /^[a-z]/.test(t)).length * 2 > tokens.length) return null;
  return text;
}

/**
 * Words of documents, organisations and roles that are never part of a person's name: a run of
 * capitalised words holding one ("Profile Public Information", "TYPE BUSINESS", "Community
 * Health Partners") is a heading, a label or an organisation.
 */
const NOT_NAME_WORDS = new Set([
  'profile',
  'public',
  'information',
  'search',
  'results',
  'result',
  'verification',
  'verify',
  'lookup',
  'type',
  'business',
  'activity',
  'controlled',
  'substance',
  'substances',
  'act',
  'schedule',
  'schedules',
  'director',
  'secretary',
  'president',
  'chair',
  'administrator',
  'executive',
  'signature',
  'seal',
  'page',
  'report',
  'records',
  'summary',
  'details',
  'services',
  'staff',
  'office',
  'division',
  'bureau',
  'department',
  'board',
  'society',
  'association',
  'academy',
  'college',
  'university',
  'hospital',
  'center',
  'centre',
  'clinic',
  'medical',
  'health',
  'healthcare',
  'group',
  'partners',
  'community',
  'education',
  'conference',
  'program',
  'course',
  'session',
  'credit',
  'credits',
  'hours',
  'certificate',
  'license',
  'licence',
  'registration',
  'status',
  'date',
  'number',
  'address',
  'location',
  'city',
  'county',
  'renewal',
  'pending',
  'active',
  'physician',
  'surgeon',
  'nurse',
  'practitioner',
  'assistant',
  'osteopathic',
  'medicine',
  'registrant',
  'licensee',
  'participant',
  'learner',
  'name',
  'state',
  'commonwealth',
  'institute',
  'foundation',
  'council',
  'network',
  'system',
  'systems',
  'inc',
  'llc',
  'pllc',
  'pc',
  'associates',
  'practice',
  'care',
  'urgent',
  'regional',
  'national',
  'american',
  'federal',
  'united',
  'states',
  'justice',
  'enforcement',
  'administration',
  'drug',
  'drugs',
  'pharmacy',
  'nursing',
  'continuing',
  'grand',
  'rounds',
  'transcript',
  'total',
  'category',
  'completion',
  'attendance',
  'participation',
  'approval',
  'notice',
  'letter',
  'committee',
  'to',
  'of',
  'the',
  'and',
  'for',
  'in',
  'on',
  'with',
  'by',
  'at',
  'this',
  'that',
  'has',
  'is',
  'was',
  'be',
  'are',
  'who',
  'which',
  'from',
  'as',
  'forum',
  'family',
  'physicians',
  'surgeons',
  'specialists',
  'consultants',
  'cardiology',
  'oncology',
  'radiology',
  'pediatrics',
  'orthopedics',
  'update',
  'updates',
  'review',
  'management',
  'treatment',
  'therapy',
  'disease',
  'screening',
  'prevention',
  'care',
  'fee',
  'paid',
  'blvd',
  'street',
  'avenue',
  'road',
  'suite',
  'box',
]);

/** False when a word of the name is a document's, an organisation's or a role's word. */
export function isPlausiblePersonName(name: string): boolean {
  // "WARWICK, RI" turned around is a city and a state code, not a first and a last name.
  // An acronym inside a name written in mixed case ("HIV Pre-Exposure Prophylaxis") marks a title.
  const raw = name.split(/\s+/);
  if (
    raw.filter((t) => /[a-z]/.test(t)).length >= 2 &&
    raw.some((t) => /^[A-Z]{2,}$/.test(t) && !/^(II|III|IV|JR|SR)$/.test(t))
  )
    return false;
  const first = raw[0] ?? '';
  if (/^[A-Z]{2}$/.test(first) && isStateCode(first)) return false;
  const tokens = name
    .split(/\s+/)
    .map((t) => t.toLowerCase().replace(/[^a-z]/g, ''))
    .filter(Boolean);
  // Particles ("de la", "van der") are lowercase words too: allowed inside a name, not at its end.
  const particles = new Set([
    'de',
    'la',
    'del',
    'van',
    'der',
    'von',
    'da',
    'di',
    'le',
    'st',
    'du',
    'dos',
    'das',
    'bin',
    'ibn',
    'al',
    'el',
  ]);
  // Two real name words at least: schedules ("V II III IV") and initials alone are not a name.
  const words = tokens.filter((t) => t.length >= 2 && !/^(i|ii|iii|iv|v|iin|iiin)$/.test(t));
  return (
    words.length >= 2 &&
    tokens.every((t) => particles.has(t) || !NOT_NAME_WORDS.has(t)) &&
    !particles.has(tokens[tokens.length - 1]!)
  );
}

/** The last-name initial of a natural-order name (skipping suffixes), for the DEA letter check. */
export function lastNameInitial(name: string): string | null {
  const tokens = name.split(' ').filter((t) => !SUFFIXES.has(key(t)));
  const last = tokens[tokens.length - 1];
  return last ? last.charAt(0).toUpperCase() : null;
}
