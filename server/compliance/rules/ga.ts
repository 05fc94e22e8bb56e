import { CATEGORY_1, type StateRule } from '../rule-types';

export const GA: StateRule = {
  state: 'GA',
  board: 'Georgia Composite Medical Board',
  citation: 'Ga. Comp. R. & Regs. 360-15-.01; O.C.G.A. § 43-34-11',
  url: 'https://medicalboard.georgia.gov/',
  checkedOn: '2026-12-05',
  checkedAgainst: 'the board’s rule text and published summaries, read on 2026-12-05 through the stored-pages search',
  cycle: { months: 24, anchor: 'license_expiration', note: 'Biennial.' },
  totalHours: 40,
  acceptedCreditTypes: CATEGORY_1,
  caveats: [
    'Summaries differ on whether every hour must be Category 1 (older FSMB text says 25%); this entry counts Category 1 hours only.',
  ],
  categoryMinimums: [],
  topics: [
    {
      topics: ['opioid_prescribing'],
      label: 'Controlled substance prescribing (AMA/AOA Category 1)',
      hours: 3,
      window: { kind: 'one_time' },
      appliesTo: 'controlled_substance_prescribers',
      citation: 'Ga. Comp. R. & Regs. 360-15-.01(4)',
      note: 'Physicians with an active DEA certificate who prescribe controlled substances, at least once.',
    },
    {
      topics: ['professional_boundaries', 'implicit_bias'],
      label: 'Sexual misconduct, sexual boundaries and the impact of implicit bias',
      hours: 2,
      window: { kind: 'one_time' },
      appliesTo: 'all',
      citation: 'Ga. Comp. R. & Regs. 360-15-.01',
      note: 'One time, since January 1, 2022.',
    },
  ],
  notEvaluated: [
    'Physicians not certified in pain or palliative medicine whose opioid pain patients are 50% or more of the practice: 20 hours of pain management or palliative medicine every two years.',
  ],
};
