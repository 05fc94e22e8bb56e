import { ANY_PHYSICIAN_CREDIT, type StateRule } from '../rule-types';

export const NY: StateRule = {
  state: 'NY',
  board: 'New York State Education Department, Office of the Professions (Medicine); NYS Department of Health',
  citation: 'N.Y. Educ. Law §§ 6505-b, 6507(3)(a); N.Y. Pub. Health Law § 3309-a(3); 8 NYCRR § 59.12',
  url: 'https://www.op.nysed.gov/professions/physicians',
  checkedOn: '2026-12-05',
  checkedAgainst: 'the board’s rule text and published summaries, read on 2026-12-05 through the stored-pages search',
  cycle: { months: 24, anchor: 'license_expiration', note: 'The biennial registration period.' },
  // New York sets no general CME hours for physicians; only the topics below.
  totalHours: null,
  acceptedCreditTypes: ANY_PHYSICIAN_CREDIT,
  categoryMinimums: [],
  topics: [
    {
      topics: ['opioid_prescribing', 'pain_management', 'end_of_life'],
      label: 'Pain management, palliative care and addiction',
      hours: 3,
      window: { kind: 'years', years: 3 },
      appliesTo: 'controlled_substance_prescribers',
      citation: 'N.Y. Pub. Health Law § 3309-a(3)',
      note: 'Prescribers with a DEA registration, every three years.',
    },
    {
      topics: ['infection_control'],
      label: 'Infection control and barrier precautions (NYSDOH-approved course)',
      hours: null,
      window: { kind: 'years', years: 4 },
      appliesTo: 'all',
      citation: 'N.Y. Educ. Law § 6505-b',
    },
    {
      topics: ['child_abuse'],
      label: 'Identification and reporting of child abuse and maltreatment',
      hours: 2,
      window: { kind: 'one_time' },
      appliesTo: 'all',
      citation: 'N.Y. Educ. Law § 6507(3)(a)',
    },
  ],
  notEvaluated: [],
};
