import { CATEGORY_1, type StateRule } from '../rule-types';

export const NC: StateRule = {
  state: 'NC',
  board: 'North Carolina Medical Board',
  citation: '21 N.C. Admin. Code 32R .0101–.0103',
  url: 'https://www.ncmedboard.org/',
  checkedOn: '2026-12-05',
  checkedAgainst: 'the board’s rule text and published summaries, read on 2026-12-05 through the stored-pages search',
  cycle: {
    months: 36,
    anchor: 'birthday',
    note: 'Three years beginning on the physician’s birthday after licensure; the birthday is not on file, so the three years before the license expiration stand in for it.',
  },
  totalHours: 60,
  acceptedCreditTypes: CATEGORY_1,
  categoryMinimums: [],
  topics: [
    {
      topics: ['opioid_prescribing'],
      label: 'Controlled substance prescribing practices',
      hours: 3,
      window: { kind: 'cycle' },
      appliesTo: 'controlled_substance_prescribers',
      citation: '21 N.C. Admin. Code 32R .0101(b)',
      note: 'Part of the 60 Category 1 hours; MATE Act training counts for the cycle it was completed in.',
    },
  ],
  notEvaluated: [],
};
