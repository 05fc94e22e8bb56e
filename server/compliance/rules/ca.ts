import { CATEGORY_1, type StateRule } from '../rule-types';

export const CA: StateRule = {
  state: 'CA',
  board: 'Medical Board of California',
  citation: 'Cal. Bus. & Prof. Code §§ 2190, 2190.5, 2191; 16 Cal. Code Regs. §§ 1336–1338',
  url: 'https://www.mbc.ca.gov/Licensing/Physicians-and-Surgeons/Renew-License/',
  checkedOn: '2026-12-05',
  checkedAgainst: 'the board’s rule text and published summaries, read on 2026-12-05 through the stored-pages search',
  cycle: {
    months: 24,
    anchor: 'license_expiration',
    note: 'The 24 months before the license expires (the last day of the birth month).',
  },
  totalHours: 50,
  acceptedCreditTypes: CATEGORY_1,
  categoryMinimums: [],
  topics: [
    {
      topics: ['pain_management', 'end_of_life'],
      label: 'Pain management and the treatment of the terminally ill',
      hours: 12,
      window: { kind: 'one_time' },
      appliesTo: 'all',
      citation: 'Cal. Bus. & Prof. Code § 2190.5',
      note: 'One time, by the second renewal or within four years of licensure; pathologists and radiologists are exempt.',
    },
  ],
  notEvaluated: [
    'General internists and family physicians with over 25% of patients aged 65 or older: 20% of the hours in geriatric medicine (§ 2190.3).',
  ],
};
