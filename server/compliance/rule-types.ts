/** The shape of a state board's CME rule: data with its source, read by compute-compliance.ts. */
import type { CreditType } from '../../common/extraction';
import { CME_TOPICS, type CmeTopic } from '../../common/providers-api';

/** The topics a rule can require: the API's list, which a coordinator's override also takes. */
export const TOPICS = CME_TOPICS;
export type Topic = CmeTopic;

/**
 * Credit that boards accept as Category 1: AMA PRA Category 1, AOA Category 1-A, and AAFP
 * Prescribed (which the AMA accepts as equivalent).
 */
export const CATEGORY_1: readonly CreditType[] = ['AMA_PRA_1', 'AOA_1A', 'AAFP'];
/** Every physician credit type (Category 1 and 2, AMA and AOA). */
export const ANY_PHYSICIAN_CREDIT: readonly CreditType[] = [...CATEGORY_1, 'AMA_PRA_2', 'AOA_1B', 'AOA_2A', 'AOA_2B'];

export interface TopicRequirement {
  /** Activities on any of these topics count. */
  topics: readonly Topic[];
  label: string;
  /** Hours needed; null: completing an activity on the topic is what counts (the board sets no hours). */
  hours: number | null;
  /** Within the renewal cycle; once in a career; or within the last N years before the cycle ends. */
  window: { kind: 'cycle' } | { kind: 'one_time' } | { kind: 'years'; years: number };
  /** Who must: everyone, or only those who prescribe controlled substances (a DEA registration or state CSR on file). */
  appliesTo: 'all' | 'controlled_substance_prescribers';
  citation: string;
  note?: string;
}

export interface CategoryMinimum {
  label: string;
  creditTypes: readonly CreditType[];
  hours: number;
}

export interface StateRule {
  state: string;
  board: string;
  /** The rule's citation(s) in the state's code. */
  citation: string;
  url: string;
  /** When this entry was checked against its source, and against what. */
  checkedOn: string;
  checkedAgainst: string;
  cycle: {
    months: number;
    /** license_expiration: the cycle ends on the license's expiration date; birthday: it starts on a birthday not on file. */
    anchor: 'license_expiration' | 'birthday';
    note?: string;
  };
  /** Hours per cycle; null where the board sets no general CME hours (New York). */
  totalHours: number | null;
  /** Credit types that count toward totalHours. */
  acceptedCreditTypes: readonly CreditType[];
  categoryMinimums: readonly CategoryMinimum[];
  topics: readonly TopicRequirement[];
  /** Requirements that depend on facts not on file (patient mix, specialty, first renewal): shown, not computed. */
  notEvaluated: readonly string[];
  /**
   * Where the sources disagree or leave the rule open, and how this entry reads it: carried with
   * every result's source, so the compliance view says where a figure rests on a reading.
   */
  caveats?: readonly string[];
}
