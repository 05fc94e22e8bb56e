/**
 * Topics recognised from an activity's title. Each pattern names the words that show the topic,
 * and the matched words are kept so a coordinator sees why ("Opioid" in "Safe Opioid Prescribing").
 */
import type { Topic } from './rule-types';

const PATTERNS: ReadonlyArray<readonly [Topic, RegExp]> = [
  [
    'opioid_prescribing',
    /\b(opioids?|opiates?|controlled substances?|buprenorphine|naloxone|substance use disorders?|addiction|safe prescribing|MATE act)\b/i,
  ],
  ['pain_management', /\bpain\b/i],
  ['end_of_life', /\b(end[- ]of[- ]life|palliative|hospice|terminally ill|dying patients?)\b/i],
  ['implicit_bias', /\b(implicit|unconscious) bias\b/i],
  ['ethics', /\b(ethics|ethical|professionalism|professional responsibility)\b/i],
  ['domestic_violence', /\b(domestic violence|intimate partner violence|family violence)\b/i],
  ['medical_errors', /\b(medical errors?|prevention of errors|diagnostic errors?)\b/i],
  ['risk_management', /\b(risk management|patient safety)\b/i],
  ['human_trafficking', /\b(human trafficking|trafficked persons?)\b/i],
  ['infection_control', /\b(infection control|infection prevention|barrier precautions)\b/i],
  ['child_abuse', /\b(child abuse|child maltreatment|mandated report(er|ing))\b/i],
  ['sexual_harassment', /\bsexual harassment\b/i],
  ['professional_boundaries', /\b(professional boundaries|sexual misconduct|sexual boundaries)\b/i],
  ['dementia', /\b(dementias?|alzheimer'?s?)\b/i],
  ['duty_to_report', /\bduty to report\b/i],
];

export interface TopicMatch {
  topic: Topic;
  /** The words of the title that showed the topic; null when a coordinator set it by hand. */
  match: string | null;
  source: 'title' | 'override';
}

export function topicsFromTitle(title: string | null): TopicMatch[] {
  if (!title) return [];
  const found: TopicMatch[] = [];
  for (const [topic, re] of PATTERNS) {
    const m = re.exec(title);
    if (m) found.push({ topic, match: m[0], source: 'title' });
  }
  return found;
}
