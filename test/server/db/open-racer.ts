/**
 * One process of the new-database race: says `ready`, and on a `go` line from stdin opens (creates
 * and migrates) the server database under the data dir, then prints its schema version.
 * Usage: node --import tsx open-racer.ts <dataDir>
 */
import readline from 'node:readline';
import { openDatabase } from '../../../server/db/open';

async function main(): Promise<void> {
  const lines = readline.createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  for await (const line of lines) if (line === 'go') break;
  lines.close();
  const db = openDatabase(process.argv[2] ?? '');
  process.stdout.write(`${String(db.pragma('user_version', { simple: true }))}\n`);
  db.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
