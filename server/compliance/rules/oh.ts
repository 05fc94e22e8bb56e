import { CATEGORY_1, type StateRule } from '../rule-types';

export const OH: StateRule = {
  state: 'OH',
  board: 'State Medical Board of Ohio',
  citation: 'Ohio Rev. Code § 4731.282; Ohio Admin. Code 4731-10-02',
  url: 'https://med.ohio.gov/',
  checkedOn: '2026-12-05',
  checkedAgainst: 'the board’s rule text and published summaries, read on 2026-12-05 through the stored-pages search',
  cycle: {
    months: 24,
    anchor: 'license_expiration',
    note: 'The two years before renewal (50 Category 1 hours since October 17, 2019).',
  },
  totalHours: 50,
  acceptedCreditTypes: CATEGORY_1,
  categoryMinimums: [],
  topics: [
    {
      topics: ['duty_to_report'],
      label: 'A licensee’s duty to report misconduct',
      hours: 1,
      window: { kind: 'cycle' },
      appliesTo: 'all',
      citation: 'Ohio Admin. Code 4731-10-02',
    },
  ],
  notEvaluated: [
    'Owners or operators of pain management clinics: 20 hours in pain medicine.',
    'Office-based opioid treatment: 8 hours on substance abuse and addiction.',
    'Holders of a certificate to recommend medical marijuana: 2 hours.',
  ],
};
