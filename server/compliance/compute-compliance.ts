/**
 * One license's CME compliance against its state's rule: the renewal cycle, the hours required,
 * what was earned by credit type, each category minimum and topic requirement met or missing, the
 * shortfall, and exactly which activities counted. Pure: the same input gives the same answer.
 */
import type { CmeActivityRecord } from './cme-activities';
import type { StateRule, TopicRequirement } from './rule-types';

export interface ComplianceInput {
  state: string;
  rule: StateRule | null;
  license: { documentId: string; number: string | null; expirationDate: string | null } | null;
  activities: readonly CmeActivityRecord[];
  /** A DEA registration or a state controlled-substance registration is on file. */
  prescribesControlledSubstances: boolean;
}

export interface RequirementResult {
  label: string;
  required: number | null;
  earned: number;
  met: boolean;
  shortfall: number;
  /** Keys of the activities that counted. */
  activityKeys: string[];
}

export interface TopicResult extends RequirementResult {
  topics: TopicRequirement['topics'];
  window: TopicRequirement['window'];
  appliesTo: TopicRequirement['appliesTo'];
  /** False when the requirement is for controlled-substance prescribers and none is on file. */
  applies: boolean;
  citation: string;
  note: string | null;
}

export interface ComplianceResult {
  state: string;
  status: 'met' | 'short' | 'no_rule' | 'no_cycle';
  message: string;
  source:
    | (Pick<StateRule, 'board' | 'citation' | 'url' | 'checkedOn' | 'checkedAgainst'> & { caveats: readonly string[] })
    | null;
  license: ComplianceInput['license'];
  cycle: {
    start: string;
    end: string;
    months: number;
    anchor: string;
    approximate: boolean;
    note: string | null;
  } | null;
  hoursRequired: number | null;
  earned: { total: number; byCreditType: Record<string, number> };
  total: RequirementResult | null;
  categoryMinimums: RequirementResult[];
  topics: TopicResult[];
  /** Hours still missing: the largest of the total's and each category's shortfall (topic hours count within them). */
  shortfall: number;
  notEvaluated: readonly string[];
  /** Activities in the cycle that do not count toward the total, and why. */
  excluded: Array<{ key: string; reason: string }>;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** ISO date `months` before `end`, plus one day: the first day of a cycle that ends on `end`. */
export function cycleStart(end: string, months: number): string {
  const d = new Date(`${end}T00:00:00Z`);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function yearsBefore(end: string, years: number): string {
  return cycleStart(end, years * 12);
}

function sum(acts: readonly CmeActivityRecord[]): number {
  return round2(acts.reduce((s, a) => s + (a.credits ?? 0), 0));
}

function requirement(label: string, required: number | null, acts: readonly CmeActivityRecord[]): RequirementResult {
  const earned = sum(acts);
  const met = required === null ? acts.length > 0 : earned >= required;
  return {
    label,
    required,
    earned,
    met,
    shortfall: required === null ? 0 : round2(Math.max(0, required - earned)),
    activityKeys: acts.map((a) => a.key),
  };
}

/** The rule's source as every result carries it, with the entry's caveats (none: an empty list). */
function sourceOf(r: StateRule): NonNullable<ComplianceResult['source']> {
  const { board, citation, url, checkedOn, checkedAgainst } = r;
  return { board, citation, url, checkedOn, checkedAgainst, caveats: r.caveats ?? [] };
}

function emptyResult(input: ComplianceInput, status: ComplianceResult['status'], message: string): ComplianceResult {
  const r = input.rule;
  return {
    state: input.state,
    status,
    message,
    source: r ? sourceOf(r) : null,
    license: input.license,
    cycle: null,
    hoursRequired: r?.totalHours ?? null,
    earned: { total: 0, byCreditType: {} },
    total: null,
    categoryMinimums: [],
    topics: [],
    shortfall: 0,
    notEvaluated: r?.notEvaluated ?? [],
    excluded: [],
  };
}

/** The cycle's activities that count toward the rule, and why each of the others does not. */
function acceptedActivities(rule: StateRule, inCycle: readonly CmeActivityRecord[]) {
  const excluded: ComplianceResult['excluded'] = [];
  const accepted = inCycle.filter((a) => {
    if (a.credits === null) excluded.push({ key: a.key, reason: 'no credits printed' });
    else if (!a.creditType || !rule.acceptedCreditTypes.includes(a.creditType))
      excluded.push({ key: a.key, reason: `${a.creditType ?? 'unknown'} credit does not count in ${rule.state}` });
    else return true;
    return false;
  });
  return { accepted, excluded };
}

/** One topic requirement, over its own window (the cycle, or years before the cycle's end). */
function topicResult(
  t: TopicRequirement,
  input: ComplianceInput,
  dated: readonly CmeActivityRecord[],
  start: string,
  end: string,
): TopicResult {
  const from = t.window.kind === 'cycle' ? start : t.window.kind === 'years' ? yearsBefore(end, t.window.years) : '';
  const acts = dated.filter(
    (a) => a.completionDate! >= from && a.credits !== null && a.topics.some((m) => t.topics.includes(m.topic)),
  );
  const applies = t.appliesTo === 'all' || input.prescribesControlledSubstances;
  const r = requirement(t.label, t.hours, acts);
  return {
    ...r,
    met: applies ? r.met : true,
    shortfall: applies ? r.shortfall : 0,
    topics: t.topics,
    window: t.window,
    appliesTo: t.appliesTo,
    applies,
    citation: t.citation,
    note: t.note ?? null,
  };
}

export function computeCompliance(input: ComplianceInput): ComplianceResult {
  const rule = input.rule;
  if (!rule)
    return emptyResult(input, 'no_rule', `No CME rule is on file for ${input.state}; nothing is assumed for it.`);
  const end = input.license?.expirationDate ?? null;
  if (!end)
    return emptyResult(
      input,
      'no_cycle',
      input.license
        ? 'The license on file shows no expiration date, so its renewal cycle cannot be placed.'
        : `No ${input.state} license is on file for this provider.`,
    );
  const start = cycleStart(end, rule.cycle.months);
  const dated = input.activities.filter((a) => a.completionDate !== null && a.completionDate <= end);
  const inCycle = dated.filter((a) => a.completionDate! >= start);
  const { accepted, excluded } = acceptedActivities(rule, inCycle);
  const byCreditType: Record<string, number> = {};
  for (const a of accepted) byCreditType[a.creditType!] = round2((byCreditType[a.creditType!] ?? 0) + (a.credits ?? 0));

  const total =
    rule.totalHours === null ? null : requirement(`${rule.totalHours} hours per cycle`, rule.totalHours, accepted);
  const categoryMinimums = rule.categoryMinimums.map((c) =>
    requirement(
      c.label,
      c.hours,
      accepted.filter((a) => c.creditTypes.includes(a.creditType!)),
    ),
  );
  const topics = rule.topics.map((t) => topicResult(t, input, dated, start, end));
  const shortfall = Math.max(0, total?.shortfall ?? 0, ...categoryMinimums.map((c) => c.shortfall));
  const met = (total?.met ?? true) && categoryMinimums.every((c) => c.met) && topics.every((t) => t.met);
  const missing = topics.filter((t) => !t.met).map((t) => t.label);
  return {
    state: input.state,
    status: met ? 'met' : 'short',
    message: met
      ? `Meets ${rule.state}'s CME requirements for the cycle ${start} to ${end}.`
      : `Short for the cycle ${start} to ${end}: ${shortfall} hours${missing.length ? `; missing ${missing.join('; ')}` : ''}.`,
    source: sourceOf(rule),
    license: input.license,
    cycle: {
      start,
      end,
      months: rule.cycle.months,
      anchor: rule.cycle.anchor,
      approximate: rule.cycle.anchor !== 'license_expiration',
      note: rule.cycle.note ?? null,
    },
    hoursRequired: rule.totalHours,
    earned: { total: sum(accepted), byCreditType },
    total,
    categoryMinimums,
    topics,
    shortfall,
    notEvaluated: rule.notEvaluated,
    excluded,
  };
}
