/**
 * What each document type says about itself, as data: the issuing body, the document's own
 * title words, the fields it carries and the statements it makes. Phrases are matched on
 * upper-cased text with single spaces; a phrase in the heading (the top of the first page)
 * counts more, since that is where a document names its issuer and its kind.
 */
import type { DocType } from '../../common/extraction';

/** `other`: evidence of a document that is not a credential (CV, insurance, letter, board certification). */
export type EvidenceType = Exclude<DocType, 'unknown'> | 'other';

export interface Evidence {
  type: EvidenceType;
  /** Short name shown by `credmate extract --explain`. */
  name: string;
  re: RegExp;
  weight: number;
  /**
   * The share of the weight a phrase keeps outside the heading. A state board named in the body
   * is usually another document's subject ("approved by the Board of Registered Nursing" on a
   * nursing CE certificate), not this document's issuer.
   */
  bodyShare: number;
}

const E = (type: EvidenceType, name: string, re: RegExp, weight: number, bodyShare = 1): Evidence => ({
  type,
  name,
  re: new RegExp(re.source, 'g'),
  weight,
  bodyShare,
});

export const EVIDENCE: Evidence[] = [
  // Federal DEA registration.
  E('dea_registration', 'issuer: DEA', /DRUG ENFORCEMENT ADMINISTRATION|DIVERSION CONTROL/, 6),
  E(
    'dea_registration',
    'DEA registration words',
    /\bDEA (REGISTRATION|CERTIFICATE|NUMBER|REG\.?|#)|FORM[- ]223|DEA FORM/,
    3,
  ),
  E('dea_registration', 'business activity', /BUSINESS ACTIVITY/, 3),
  E(
    'dea_registration',
    'federal registration',
    /FEDERAL CONTROLLED SUBSTANCES? REGISTRATION|UNITED STATES DEPARTMENT OF JUSTICE/,
    6,
  ),
  E('dea_registration', 'federal department', /DEPARTMENT OF JUSTICE/, 2),

  // State medical, osteopathic, nursing and PA boards.
  E(
    'medical_license',
    'issuer: licensing board',
    /(MEDICAL|OSTEOPATHIC|HEALING ARTS|NURSING|LICENSING|LICENSURE) (EXAMINING )?(BOARD|EXAMINERS|COMMISSION)|BOARD OF (MEDICINE|MEDICAL|OSTEOPATHIC|REGISTRATION IN MEDICINE|HEALING ARTS|REGISTERED NURSING|NURSING|PHYSICIANS?|PHYSICIAN ASSISTANTS?)|BOARD OF REGISTRATION FOR THE HEALING ARTS|OFFICE OF THE PROFESSIONS|MEDICAL (QUALITY|COMMISSION)/,
    5,
    0.4,
  ),
  E(
    'medical_license',
    'licence to practise',
    /PRACTICE (OF )?MEDICINE|(REGISTERED|LICENSED|AUTHORI[SZ]ED) TO PRACTICE|LICENSED UNDER THE LAWS|GRANTED THIS LICENSE|HOLDS? A (MEDICAL |PHYSICIAN |PROFESSIONAL )?LICENSE|MEDICAL PRACTICE ACT|(MEDICAL|PHYSICIAN|PROFESSIONAL) LICENSE|LICENSURE/,
    4,
  ),
  E('medical_license', 'issuer: professional regulation', /PROFESSIONAL REGULATION/, 3),
  E(
    'medical_license',
    'licence fields',
    /\bLICENSEE\b|LICENSE (NUMBER|NO|#|STATUS|TYPE|VERIFICATION)|VERIFY A LICENSE|\bLIC\.? ?(#|NO)/,
    2,
  ),
  E(
    'medical_license',
    'class of licence',
    /PHYSICIAN AND SURGEON|OSTEOPATHIC PHYSICIAN|DOCTOR OF (MEDICINE|OSTEOPATHIC)|MEDICAL DOCTOR/,
    3,
  ),
  E(
    'medical_license',
    'profession',
    /PHYSICIAN ASSISTANT|NURSE PRACTITIONER|\bAPRN\b|PHYSICIAN \((MD|DO)\)|\bM\.D\.|\bD\.O\./,
    1.5,
  ),

  // State controlled-substance registrations: "controlled substance" is the subject, not a disclaimer.
  E(
    'csr_certificate',
    'controlled-substance registration',
    /(?<!FEDERAL )CONTROLLED (DANGEROUS )?SUBSTANCES?( ACT)? (PRACTITIONER )?(REGISTRATION|LICENSE|CERTIFICATE|PERMIT)|(REGISTRATION|CERTIFICATE|LICENSE) (–|-|FOR|OF)? ?CONTROLLED (DANGEROUS )?SUBSTANCES?|PHYSICIAN CONTROLLED SUBSTANCE/,
    6,
  ),
  E('csr_certificate', 'state registration name', /\b(CSR|CDS|CSL|CSP|BNDD|OBNDD|MCSR|CSA|ACSC)\b/, 3),
  E(
    'csr_certificate',
    'issuer: narcotics or pharmacy',
    /BUREAU OF NARCOTICS|BOARD OF PHARMACY|PHARMACY BOARD|DRUG CONTROL|STATE CONTROLLED|OFFICE OF CONTROLLED SUBSTANCES|NARCOTICS AND DANGEROUS DRUGS|DIVISION OF DRUG/,
    4,
  ),
  E(
    'csr_certificate',
    'schedules authorised',
    /SCHEDULES?( AUTHORI[SZ]ED| GRANTED)?:? ?(I\b|II|1|2|[IVHN][IVHN1-5,.() ]{4,})/,
    3,
  ),
  E(
    'csr_certificate',
    'state health department',
    /DEPARTMENT OF (PUBLIC )?HEALTH|DEPARTMENT OF CONSUMER PROTECTION|DIVISION OF OCCUPATIONAL/,
    1,
  ),

  // One CME activity.
  E(
    'cme_certificate',
    'credit statement',
    /AMA PRA CATEGORY 1 CREDITS?|CATEGORY 1-?A|PRESCRIBED CREDITS?|CONTACT HOURS?|AOA CATEGORY|CATEGORY [12]-?[AB]\b|AAPA CATEGORY|CME CREDITS?/,
    3,
  ),
  E(
    'cme_certificate',
    'certificate title',
    /CERTIFICATE OF (CME )?(SUCCESSFUL )?(COMPLETION|PARTICIPATION|ATTENDANCE|CREDIT|ACHIEVEMENT)|CME CERTIFICATE|(CONTINUING )?(NURSING |MEDICAL )?EDUCATION CERTIFICATE|CERTIFICATE OF CONTINUING|VERIFICATION OF (CME )?(PARTICIPATION|ATTENDANCE)/,
    4,
  ),
  E(
    'cme_certificate',
    'certifying statement',
    /DESIGNATES? THIS|HAS (SUCCESSFULLY )?(COMPLETED|PARTICIPATED|ATTENDED)|CREDITS? (CLAIMED|AWARDED|EARNED)|HAS EARNED|IS AWARDED/,
    3,
  ),
  E(
    'cme_certificate',
    'continuing education',
    /CONTINUING (MEDICAL |NURSING )?EDUCATION|\bCME\b|ACCME|ACCREDITED|GRAND ROUNDS/,
    1,
  ),

  // Several CME activities for one learner.
  E(
    'cme_transcript',
    'transcript title',
    /TRANSCRIPT|ACTIVITY REPORT|CME PASSPORT|CREDIT SUMMARY|CE TRACKER|CME RECORD|LEARNER/,
    6,
  ),
  E(
    'cme_transcript',
    'credit total',
    /TOTAL (AMA |CME |CE |CONTACT )?(PRA )?(CATEGORY 1 )?(CREDITS?|HOURS)|GRAND TOTAL/,
    4,
  ),

  // Not a credential.
  E('other', 'CV', /CURRICULUM VITAE|\bRESUME\b|EDUCATION AND TRAINING|PROFESSIONAL EXPERIENCE/, 8),
  E(
    'other',
    'insurance',
    /CERTIFICATE OF (LIABILITY )?INSURANCE|PROFESSIONAL LIABILITY|POLICY (NUMBER|PERIOD)|\bINSURED\b|MALPRACTICE/,
    6,
  ),
  // Not "Maintenance of Certification": CME certificates name the MOC points they earn.
  E('other', 'board certification', /AMERICAN BOARD OF|DIPLOMATE|BOARD CERTIFIED|CERTIFIED IN THE SPECIALTY/, 7),
  E(
    'other',
    'letter',
    /TO WHOM IT MAY CONCERN|CREDENTIALING COMMITTEE|ENCLOSED (PLEASE )?FIND|PLEASE FIND ENCLOSED/,
    5,
  ),
  E('other', 'training', /DIPLOMA|DEGREE OF|RESIDENCY|FELLOWSHIP|\bBLS\b|\bACLS\b|BASIC LIFE SUPPORT/, 3),
];
