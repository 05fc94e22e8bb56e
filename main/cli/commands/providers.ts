/**
 * `credmate providers [--roster FILE] [--json]`: one entry per provider of the organisation, with
 * its credentials (the newest document of each) and CME totals (each deduplicated activity once);
 * `documents` counts the documents matched to it without doubt (confident or confirmed: those its
 * figures rest on) and `toConfirm` those matched to it that wait for a coordinator (weak or
 * conflicting evidence); the text also counts documents waiting with no provider chosen.
 * `--roster` first seeds providers from a CSV. Same server options as `import`. Exit 0, 1 when the
 * server refused or failed (or a roster row could not be read), 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  listFlaggedMatches,
  listProviderItems,
  seedRoster,
  type ProviderListItem,
  type RosterResult,
} from '../../core/providers-client';
import { connectServer } from '../../core/session/connect';
import type { ApiClient } from '../../core/api-client';
import { dataDirOf, serverCredentials } from '../server-options';

export const SERVER_OPTIONS_USAGE = `  --server URL        server to ask (env CREDMATE_SERVER); omitted: start the bundled server
  --email E           account e-mail for --server (env CREDMATE_EMAIL)
  --password P        account password for --server (env CREDMATE_PASSWORD; else asked on a terminal)
  --data-dir DIR      data dir of the bundled server (env CREDMATE_DATA_DIR, default ~/.credmate)`;

const USAGE = `usage: credmate providers [options]

${SERVER_OPTIONS_USAGE}
  --roster FILE       first seed providers from a CSV: name,npi[,dea][,licenses][,csrs] with a header row;
                      several DEA numbers separated by ";", licenses and CSRs as STATE:NUMBER;... (admins)
  --json              print JSON: one entry per provider (with --roster: {"roster", "providers"});
                      documents: matched without doubt; toConfirm: matched, waiting for a coordinator`;

export const SERVER_OPTIONS = {
  server: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

/** Connects as `import` does (remote with credentials, or the bundled server on the data dir), runs `fn`, closes. */
export async function withServer<T>(
  v: { server?: string; email?: string; password?: string; 'data-dir'?: string },
  fn: (api: ApiClient) => Promise<T>,
): Promise<T> {
  const { url, email, password } = await serverCredentials(v);
  const connection = await connectServer({ url, email, password }, dataDirOf(v));
  try {
    if (!(await connection.signedIn)) throw new Error(`${url} does not answer; try again when it is up.`);
    return await fn(connection.api);
  } finally {
    await connection.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  let v;
  try {
    v = parseArgs({
      args: argv,
      options: {
        ...SERVER_OPTIONS,
        roster: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    console.error(`credmate providers: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  let csv: string | null = null;
  if (v.roster !== undefined) {
    try {
      csv = readFileSync(v.roster, 'utf8');
    } catch (err) {
      console.error(
        `credmate providers: cannot read the roster ${v.roster}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`,
      );
      return 2;
    }
  }
  let answer: { roster: RosterResult | null; providers: ProviderListItem[]; unassigned: number };
  const json = v.json === true;
  try {
    answer = await withServer(v, async (api) => {
      // The roster first, so the list shows the providers it seeded.
      const roster = csv === null ? null : await seedRoster(api, csv);
      const providers = await listProviderItems(api);
      // The text also tells of matches waiting with no provider chosen (two alike, none fits).
      const unassigned = json ? 0 : (await listFlaggedMatches(api)).filter((m) => m.providerId === null).length;
      return { roster, providers, unassigned };
    });
  } catch (err) {
    console.error(`credmate providers: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  const { roster, providers, unassigned } = answer;
  if (json) console.log(JSON.stringify(roster ? { roster, providers } : providers, null, 2));
  else {
    if (roster) printRoster(roster);
    printProviders(providers);
    if (unassigned > 0)
      console.log(
        `${unassigned} ${unassigned === 1 ? 'document waits' : 'documents wait'} for a coordinator to choose the provider (the app's Providers screen).`,
      );
  }
  return roster && roster.errors.length > 0 ? 1 : 0;
}

function printRoster(r: RosterResult): void {
  console.log(`Roster: ${r.created} providers created, ${r.updated} updated.`);
  for (const e of r.errors) console.log(`  line ${e.line}: ${e.message}`);
}

const KIND: Record<string, string> = {
  medical_license: 'license',
  dea_registration: 'DEA',
  csr_certificate: 'CSR',
};

function printProviders(providers: readonly ProviderListItem[]): void {
  if (providers.length === 0) {
    console.log('No providers yet: import documents (or seed a roster) and run this again once they are extracted.');
    return;
  }
  for (const p of providers) {
    const toConfirm = p.toConfirm > 0 ? `; ${p.toConfirm} to confirm` : '';
    console.log(`${p.name}${p.npi ? `  NPI ${p.npi}` : ''}  (${p.documents} documents${toConfirm}; id ${p.id})`);
    for (const c of p.credentials)
      console.log(
        `  ${[c.state, KIND[c.docType] ?? c.docType, c.number].filter(Boolean).join(' ')}: ${c.expirationDate ? `expires ${c.expirationDate}` : 'no expiration printed'} (${c.status.replace('_', ' ')})`,
      );
    const types = Object.entries(p.cme.byCreditType)
      .map(([t, n]) => `${n} ${t}`)
      .join(', ');
    console.log(
      `  CME: ${p.cme.totalCredits} credits from ${p.cme.activities} activities${types ? ` (${types})` : ''}`,
    );
  }
}
