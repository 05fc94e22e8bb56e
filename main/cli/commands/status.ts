/** `credmate status [--data-dir DIR] [--server URL] [--json]`: the local queue and whether the server answers. */
import { dataDirOf } from '../server-options';
import { parseArgs } from 'node:util';
import { formatBytes } from '../../core/import-run/progress-line';
import { queueStatus } from '../../core/import-run/queue-status';

const USAGE = `usage: credmate status [options]

  --data-dir DIR   data dir (env CREDMATE_DATA_DIR, default ~/.credmate)
  --server URL     server to check (env CREDMATE_SERVER; default: the last one an import used)
  --json           print JSON`;

export async function run(argv: string[]): Promise<number> {
  let v;
  try {
    v = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        server: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    console.error(`credmate status: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  const dataDir = dataDirOf(v);
  const s = await queueStatus(dataDir, v.server ?? process.env.CREDMATE_SERVER);
  if (v.json) {
    console.log(JSON.stringify(s, null, 2));
    return 0;
  }
  if (!s.exists) console.log(`Queue: empty (no ${s.queueDb} yet).`);
  else {
    const states = Object.entries(s.byState)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    console.log(
      `Queue: ${s.files} files in ${s.batches} batches (${states || 'none'}); ${formatBytes(s.bytesDone)} of ${formatBytes(s.bytesTotal)} sent.`,
    );
    for (const f of s.failed) console.log(`  failed: ${f.path}: ${f.message}`);
    const docs = Object.entries(s.documents)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    if (docs) console.log(`Documents (local mirror): ${docs}.`);
  }
  if (!s.server.url) console.log(`Server: ${s.server.message}`);
  else if (s.server.reachable) {
    const h = s.server.health;
    console.log(
      `Server: ${s.server.url} answers: ${h?.status}; database ${h?.database.ok ? 'ok' : 'down'}, storage ${h?.storage.ok ? 'ok' : 'down'}, extraction queue ${h?.queue.pending} pending / ${h?.queue.running} running / ${h?.queue.dead} dead.`,
    );
  } else console.log(`Server: ${s.server.url} unreachable: ${s.server.message}`);
  return 0;
}
