/**
 * Stage 4: which of the six document types this is, by weighing the evidence of
 * classify-evidence.ts over the whole document. A phrase in the heading counts half again;
 * `unknown` wins when no type has enough evidence, or when evidence of a non-credential
 * document (CV, insurance, board certification, letter) outweighs the rest.
 */
import type { DocType } from '../../common/extraction';
import { EVIDENCE, type EvidenceType } from './classify-evidence';

export interface EvidenceUsed {
  type: EvidenceType;
  name: string;
  hits: number;
  score: number;
}

export interface Classification {
  docType: DocType;
  confidence: number;
  scores: Record<EvidenceType, number>;
  /** What was counted, strongest first (`credmate extract --explain`). */
  evidence: EvidenceUsed[];
}

const norm = (s: string) => s.toUpperCase().replace(/\s+/g, ' ');

/** `heading`: the text of the top of the first page, where a document names its issuer and kind. */
export function classify(text: string, heading = ''): Classification {
  const body = norm(text);
  const head = norm(heading);
  const scores: Record<EvidenceType, number> = {
    dea_registration: 0,
    medical_license: 0,
    csr_certificate: 0,
    cme_certificate: 0,
    cme_transcript: 0,
    other: 0,
  };
  const evidence: EvidenceUsed[] = [];
  const add = (type: EvidenceType, name: string, hits: number, score: number) => {
    scores[type] += score;
    evidence.push({ type, name, hits, score: round(score) });
  };
  for (const e of EVIDENCE) {
    const hits = body.match(e.re)?.length ?? 0;
    if (!hits) continue;
    const inHeading = head && (head.match(e.re)?.length ?? 0) > 0;
    // Repeats add a little: a transcript repeats "AMA PRA Category 1" on every row.
    add(
      e.type,
      e.name + (inHeading ? ' (heading)' : ''),
      hits,
      e.weight * (1 + Math.log2(hits) * 0.5) * (inHeading ? 1.5 : e.bodyShare),
    );
  }
  // A transcript lists many dated activities; a certificate lists one.
  const dates =
    body.match(
      /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\.? \d{1,2},? \d{4}\b/g,
    )?.length ?? 0;
  if (dates >= 5 && scores.cme_certificate + scores.cme_transcript > 0)
    add('cme_transcript', 'many dated activities', dates, 2 + dates * 0.3);
  // The federal certificate also says "controlled substance"; a state CSR names a state body, not the DEA.
  if (scores.dea_registration >= 6 && scores.dea_registration > scores.csr_certificate) {
    evidence.push({
      type: 'csr_certificate',
      name: 'halved: a DEA document',
      hits: 1,
      score: round(-scores.csr_certificate / 2),
    });
    scores.csr_certificate /= 2;
  }
  evidence.sort((a, b) => b.score - a.score);

  const ranked = (Object.entries(scores) as [EvidenceType, number][]).sort((a, b) => b[1] - a[1]);
  const top = ranked[0]!;
  const second = ranked[1]!;
  if (top[1] < 3 || top[0] === 'other') {
    const margin = top[0] === 'other' ? top[1] - second[1] : 3 - top[1];
    return { docType: 'unknown', confidence: round(Math.min(0.97, 0.6 + 0.05 * margin)), scores, evidence };
  }
  const margin = top[1] - second[1];
  const confidence = Math.min(0.995, 0.5 + 0.5 * (1 - Math.exp(-margin / 3)));
  return { docType: top[0], confidence: round(confidence), scores, evidence };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
