/**
 * One "API process" of the shared-login-throttle race on SQLite: opens the server database under
 * the data dir (its own connections, as a process does), says `ready`, and on a `go` line from
 * stdin starts `count` sign-in attempts for the key at once, then prints their answers as JSON.
 * Two of these contend for SQLite's write lock for real, which two connections in one thread cannot
 * (one's busy wait would block the thread the other needs to commit).
 * Usage: node --import tsx throttle-racer.ts <dataDir> <key> <count> <now> <policy JSON>
 */
import readline from 'node:readline';
import { SharedLoginThrottle } from '../../../server/auth/shared-login-throttle';
import { openServerDatabase } from '../../../server/db/open-query-db';

async function main(): Promise<void> {
  const [dataDir, key, count, now, policy] = process.argv.slice(2) as [string, string, string, string, string];
  const database = await openServerDatabase({ dataDir });
  const throttle = new SharedLoginThrottle(database.db, 'account', JSON.parse(policy));
  const lines = readline.createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  for await (const line of lines) if (line === 'go') break;
  lines.close();
  const answers = await Promise.all(Array.from({ length: Number(count) }, () => throttle.begin(key, Number(now))));
  process.stdout.write(`${JSON.stringify(answers)}\n`);
  await database.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
