/**
 * `credmate compliance --provider <npi|id> [--state XX] [--json]`: CME compliance of each of the
 * provider's licenses (or the given state's) against the state board's rule on file. Exit 0 when
 * computed (whatever it found), 1 when the server refused or failed, 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { providerCompliance, type ComplianceAnswer, type LicenseCompliance } from '../../core/providers-client';
import { SERVER_OPTIONS, SERVER_OPTIONS_USAGE, withServer } from './providers';

const USAGE = `usage: credmate compliance --provider <npi|id> [options]

  --provider P        the provider's NPI or id (from credmate providers)
  --state XX          only the license of this state (two letters)
${SERVER_OPTIONS_USAGE}
  --json              print the whole computation as JSON`;

export async function run(argv: string[]): Promise<number> {
  let v;
  try {
    v = parseArgs({
      args: argv,
      options: {
        ...SERVER_OPTIONS,
        provider: { type: 'string' },
        state: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    console.error(`credmate compliance: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  if (!v.provider) {
    console.error(`credmate compliance: give --provider with an NPI or a provider id.\n\n${USAGE}`);
    return 2;
  }
  if (v.state !== undefined && !/^[A-Za-z]{2}$/.test(v.state)) {
    console.error('credmate compliance: --state takes a two-letter state code, e.g. --state OH.');
    return 2;
  }
  let answer: ComplianceAnswer;
  try {
    answer = await withServer(v, (api) => providerCompliance(api, v.provider!, v.state?.toUpperCase() ?? null));
  } catch (err) {
    console.error(`credmate compliance: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  if (v.json) console.log(JSON.stringify(answer, null, 2));
  else printCompliance(answer);
  return 0;
}

const mark = (met: boolean) => (met ? 'met ' : 'SHORT');

function printCompliance(a: ComplianceAnswer): void {
  console.log(`${a.provider.name}${a.provider.npi ? `  NPI ${a.provider.npi}` : ''}`);
  if (a.licenses.length === 0) console.log('  No license on file; give --state to see a state’s rule.');
  for (const l of a.licenses) printLicense(l, a);
}

function printLicense(l: LicenseCompliance, a: ComplianceAnswer): void {
  console.log(`\n${l.state}${l.license?.number ? ` license ${l.license.number}` : ''}: ${l.message}`);
  if (l.cycle)
    console.log(
      `  cycle ${l.cycle.start} to ${l.cycle.end}${l.cycle.approximate ? ` (approximate: ${l.cycle.note ?? ''})` : ''}`,
    );
  if (l.total)
    console.log(`  [${mark(l.total.met)}] ${l.total.label}: ${l.total.earned} earned, ${l.total.shortfall} short`);
  for (const c of l.categoryMinimums) console.log(`  [${mark(c.met)}] ${c.label}: ${c.earned} of ${c.required}`);
  for (const t of l.topics) {
    if (!t.applies) {
      console.log(`  [n/a  ] ${t.label} (only for controlled-substance prescribers; none on file)`);
      continue;
    }
    console.log(
      `  [${mark(t.met)}] ${t.label}: ${t.earned}${t.required === null ? ' (completion)' : ` of ${t.required}`}`,
    );
  }
  for (const n of l.notEvaluated) console.log(`  not evaluated: ${n}`);
  const counted = new Set(l.total?.activityKeys ?? []);
  const titles = a.activities
    .filter((x) => counted.has(x.key))
    .map((x) => `${x.title ?? '(untitled)'} (${x.credits ?? 0})`);
  if (titles.length) console.log(`  counted: ${titles.join('; ')}`);
  if (l.source)
    console.log(`  source: ${l.source.board}, ${l.source.citation}, ${l.source.url} (checked ${l.source.checkedOn})`);
  // Under the source: where the board's rule is read one way among others, which the figures above follow.
  for (const c of l.source?.caveats ?? []) console.log(`  caveat: ${c}`);
}
