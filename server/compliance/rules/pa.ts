import { ANY_PHYSICIAN_CREDIT, CATEGORY_1, type StateRule } from '../rule-types';

export const PA: StateRule = {
  state: 'PA',
  board: 'Pennsylvania State Board of Medicine',
  citation: '49 Pa. Code § 16.19; 63 P.S. § 422.40 (Act 124 of 2016); 23 Pa.C.S. § 6383 (Act 31 of 2014)',
  url: 'https://www.pa.gov/agencies/dos/department-and-offices/bpoa/boards-commissions/medicine',
  checkedOn: '2026-12-05',
  checkedAgainst: 'the board’s rule text and published summaries, read on 2026-12-05 through the stored-pages search',
  cycle: {
    months: 24,
    anchor: 'license_expiration',
    note: 'January 1 of the odd year to December 31 of the next even year.',
  },
  totalHours: 100,
  acceptedCreditTypes: ANY_PHYSICIAN_CREDIT,
  categoryMinimums: [{ label: 'AMA PRA Category 1 (or AOA 1-A)', creditTypes: CATEGORY_1, hours: 20 }],
  topics: [
    {
      topics: ['risk_management', 'medical_errors'],
      label: 'Patient safety or risk management',
      hours: 12,
      window: { kind: 'cycle' },
      appliesTo: 'all',
      citation: '49 Pa. Code § 16.19(a)',
      note: 'The child abuse and opioid hours do not count toward these 12.',
    },
    {
      topics: ['child_abuse'],
      label: 'Child abuse recognition and reporting (DHS-approved course)',
      hours: 2,
      window: { kind: 'cycle' },
      appliesTo: 'all',
      citation: '23 Pa.C.S. § 6383(b)(3)',
    },
    {
      topics: ['opioid_prescribing', 'pain_management'],
      label: 'Pain management, identification of addiction, or opioid prescribing',
      hours: 2,
      window: { kind: 'cycle' },
      appliesTo: 'controlled_substance_prescribers',
      citation: '63 P.S. § 422.40 (Act 124 of 2016)',
    },
  ],
  notEvaluated: [],
};
