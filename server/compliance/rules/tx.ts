import { ANY_PHYSICIAN_CREDIT, CATEGORY_1, type StateRule } from '../rule-types';

export const TX: StateRule = {
  state: 'TX',
  board: 'Texas Medical Board',
  citation: '22 Tex. Admin. Code § 166.2; Tex. Occ. Code §§ 156.051, 156.055, 156.060',
  url: 'https://www.tmb.state.tx.us/page/resources-cme-for-md-dos',
  checkedOn: '2026-12-05',
  checkedAgainst: 'the board’s rule text and published summaries, read on 2026-12-05 through the stored-pages search',
  cycle: { months: 24, anchor: 'license_expiration', note: 'The biennial registration period.' },
  totalHours: 48,
  // The other 24 may be informal self-study, grand rounds or case conferences.
  acceptedCreditTypes: [...ANY_PHYSICIAN_CREDIT, 'OTHER'],
  categoryMinimums: [
    { label: 'Formal (AMA PRA Category 1, AOA 1-A or AAFP Prescribed)', creditTypes: CATEGORY_1, hours: 24 },
  ],
  topics: [
    {
      topics: ['ethics'],
      label: 'Medical ethics or professional responsibility',
      hours: 2,
      window: { kind: 'cycle' },
      appliesTo: 'all',
      citation: '22 Tex. Admin. Code § 166.2(a)(2)',
    },
    {
      topics: ['opioid_prescribing', 'pain_management'],
      label: 'Safe pain management and opioid prescribing',
      hours: 2,
      window: { kind: 'years', years: 8 },
      appliesTo: 'all',
      citation: 'Tex. Occ. Code § 156.055',
      note: 'Physicians with a direct patient care practice: in each of the first two renewals, then every eight years.',
    },
    {
      topics: ['human_trafficking'],
      label: 'Identification and assistance of trafficked persons (HHSC-approved course)',
      hours: 1,
      window: { kind: 'years', years: 6 },
      appliesTo: 'all',
      citation: 'Tex. Occ. Code § 156.060',
      note: 'Direct patient care: at the first renewal, then every third renewal.',
    },
  ],
  notEvaluated: ['Physicians in certified pain clinics: 10 hours of pain management CME a year.'],
};
