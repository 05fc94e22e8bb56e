/**
 * Stage 4: which of the six document types this is, from weighted phrases over the page
 * text. `unknown` wins when nothing scores, or when phrases of non-credential documents
 * (CVs, insurance, board certification) outweigh the rest.
 */
import type { DocType } from '../../common/extraction';

type Scored = Exclude<DocType, 'unknown'> | 'other';

const PHRASES: [Scored, RegExp, number][] = [
  ['dea_registration', /DRUG ENFORCEMENT ADMINISTRATION/g, 6],
  ['dea_registration', /\bDEA (REGISTRATION|CERTIFICATE|NUMBER|REG\.?|#)/g, 3],
  ['dea_registration', /BUSINESS ACTIVITY/g, 3],
  ['dea_registration', /DEPARTMENT OF JUSTICE/g, 2],
  ['dea_registration', /FORM[- ]223|DEA FORM/g, 4],
  ['dea_registration', /CONTROLLED SUBSTANCE REGISTRATION CERTIFICATE/g, 1],
  ['dea_registration', /DIVERSION CONTROL/g, 3],
  ['medical_license', /(MEDICAL|OSTEOPATHIC|HEALING ARTS) (BOARD|EXAMINERS)|BOARD OF (MEDICINE|MEDICAL|OSTEOPATHIC|REGISTRATION IN MEDICINE|HEALING ARTS)|BOARD OF REGISTRATION FOR THE HEALING ARTS/g, 4],
  ['medical_license', /PRACTICE (OF )?MEDICINE|PHYSICIAN AND SURGEON|LICENSED? TO PRACTICE|MEDICAL LICENSE|PHYSICIAN LICENSE|LICENSE VERIFICATION/g, 4],
  ['medical_license', /\bLICENSEE\b|LICENSE (NUMBER|NO|#)|LICENSE TYPE|\bLIC\.? ?(#|NO)/g, 2],
  ['medical_license', /(REGISTERED|LICENSED|AUTHORI[SZ]ED) TO PRACTICE|BOARD OF PHYSICIANS|MEDICAL COMMISSION|PROFESSIONAL REGULATION|MEDICAL QUALITY|PHYSICIAN AND SURGEON/g, 4],
  ['medical_license', /\bM\.D\.|\bD\.O\./g, 1],
  ['medical_license', /OSTEOPATHIC PHYSICIAN|DOCTOR OF (MEDICINE|OSTEOPATHIC)/g, 2],
  ['csr_certificate', /CONTROLLED (DANGEROUS )?SUBSTANCES? (PRACTITIONER )?(REGISTRATION|LICENSE|CERTIFICATE|PERMIT)/g, 6],
  ['csr_certificate', /\b(CSR|CDS|CSL|CSP|BNDD|MCSR|CSA|ACSC)\b/g, 3],
  ['csr_certificate', /BUREAU OF NARCOTICS|BOARD OF PHARMACY|DRUG CONTROL|STATE CONTROLLED|OFFICE OF CONTROLLED|NARCOTICS AND DANGEROUS DRUGS/g, 3],
  ['csr_certificate', /DEPARTMENT OF (PUBLIC )?HEALTH|DEPARTMENT OF CONSUMER PROTECTION|DIVISION OF (DRUG|OCCUPATIONAL)/g, 1],
  ['cme_certificate', /AMA PRA CATEGORY 1 CREDITS?|CATEGORY 1-?A|PRESCRIBED CREDITS?|CONTACT HOURS?/g, 3],
  ['cme_certificate', /CERTIFICATE OF (CME )?(COMPLETION|PARTICIPATION|ATTENDANCE|CREDIT)|CME CERTIFICATE/g, 4],
  ['cme_certificate', /AOA CATEGORY|CATEGORY [12]-?[AB]\b|AAPA CATEGORY|HAS EARNED|CME CREDITS?/g, 3],
  ['cme_certificate', /DESIGNATES? THIS|HAS (SUCCESSFULLY )?(COMPLETED|PARTICIPATED|ATTENDED)|CREDITS? (CLAIMED|AWARDED|EARNED)/g, 3],
  ['cme_certificate', /CONTINUING (MEDICAL )?EDUCATION|\bCME\b|ACCME|ACCREDITED/g, 1],
  ['cme_transcript', /TRANSCRIPT/g, 6],
  ['cme_transcript', /TOTAL (CREDITS?|HOURS|AMA)|CME PASSPORT|ACTIVITY REPORT|CREDIT SUMMARY|LEARNER/g, 4],
  ['other', /CURRICULUM VITAE|\bRESUME\b|EDUCATION AND TRAINING|PROFESSIONAL EXPERIENCE/g, 8],
  ['other', /CERTIFICATE OF (LIABILITY )?INSURANCE|PROFESSIONAL LIABILITY|POLICY (NUMBER|PERIOD)|INSURED|MALPRACTICE/g, 6],
  ['other', /AMERICAN BOARD OF|DIPLOMATE|BOARD CERTIFIED|CERTIFIED IN THE SPECIALTY|MAINTENANCE OF CERTIFICATION/g, 7],
  ['other', /DEAR |SINCERELY|TO WHOM IT MAY CONCERN/g, 5],
  ['other', /DIPLOMA|DEGREE OF|RESIDENCY|FELLOWSHIP|BLS|ACLS|BASIC LIFE SUPPORT/g, 3],
];

export interface Classification {
  docType: DocType;
  confidence: number;
  scores: Record<Scored, number>;
}

export function classify(text: string): Classification {
  const upper = text.toUpperCase().replace(/\s+/g, ' ');
  const scores: Record<Scored, number> = { dea_registration: 0, medical_license: 0, csr_certificate: 0, cme_certificate: 0, cme_transcript: 0, other: 0 };
  for (const [type, re, weight] of PHRASES) {
    const hits = upper.match(re)?.length ?? 0;
    // Repeats add a little: a transcript repeats "AMA PRA Category 1" per row.
    if (hits) scores[type] += weight * (1 + Math.log2(hits) * 0.5);
  }
  // A transcript lists many dated activities; a certificate lists one.
  const dates = upper.match(/\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b/g)?.length ?? 0;
  if (dates >= 4 && scores.cme_certificate + scores.cme_transcript > 0) scores.cme_transcript += 2 + dates * 0.3;
  // A state CSR prints "controlled substance" and a state; the DEA certificate is federal.
  if (scores.dea_registration >= 6) scores.csr_certificate *= 0.5;

  const ranked = (Object.entries(scores) as [Scored, number][]).sort((a, b) => b[1] - a[1]);
  const top = ranked[0]!;
  const second = ranked[1]!;
  if (top[1] < 3 || top[0] === 'other') {
    const margin = top[0] === 'other' ? top[1] - second[1] : 3 - top[1];
    return { docType: 'unknown', confidence: round(Math.min(0.97, 0.6 + 0.05 * margin)), scores };
  }
  const margin = top[1] - second[1];
  const confidence = Math.min(0.995, 0.5 + 0.5 * (1 - Math.exp(-margin / 3)));
  return { docType: top[0], confidence: round(confidence), scores };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
