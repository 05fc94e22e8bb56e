import { ANY_PHYSICIAN_CREDIT, CATEGORY_1, type StateRule } from '../rule-types';

export const IL: StateRule = {
  state: 'IL',
  board: 'Illinois Department of Financial and Professional Regulation, Medical Licensing Board',
  citation: '225 ILCS 60/20; 68 Ill. Adm. Code 1285.110; 20 ILCS 2105/2105-15.5, 2105-15.7; 720 ILCS 570/311.6',
  url: 'https://idfpr.illinois.gov/profs/physicians.html',
  checkedOn: '2026-12-05',
  checkedAgainst: 'the board’s rule text and published summaries, read on 2026-12-05 through the stored-pages search',
  cycle: { months: 36, anchor: 'license_expiration', note: 'Three years ending July 31 of the renewal year.' },
  totalHours: 150,
  acceptedCreditTypes: ANY_PHYSICIAN_CREDIT,
  categoryMinimums: [{ label: 'Category 1', creditTypes: CATEGORY_1, hours: 60 }],
  topics: [
    {
      topics: ['sexual_harassment'],
      label: 'Sexual harassment prevention',
      hours: 1,
      window: { kind: 'cycle' },
      appliesTo: 'all',
      citation: '20 ILCS 2105/2105-15.5',
    },
    {
      topics: ['implicit_bias'],
      label: 'Implicit bias awareness',
      hours: 1,
      window: { kind: 'cycle' },
      appliesTo: 'all',
      citation: '20 ILCS 2105/2105-15.7',
    },
    {
      topics: ['opioid_prescribing'],
      label: 'Safe opioid prescribing',
      hours: 3,
      window: { kind: 'cycle' },
      appliesTo: 'controlled_substance_prescribers',
      citation: '720 ILCS 570/311.6',
      note: 'Holders of an Illinois controlled substance license.',
    },
  ],
  notEvaluated: [
    'Physicians who see adults aged 26 or older: 1 hour on Alzheimer’s disease and other dementias.',
    'Physicians who see children: mandated reporter training on child abuse every six years.',
    'The sexual harassment, implicit bias and dementia hours do not apply at the first renewal.',
  ],
};
