/**
 * `npm run web -- [--data-dir DIR] [--port N]`: the app's UI in a browser, for testing on
 * machines without Electron. Prints one JSON line when ready:
 * `{"event":"ready","url":"http://127.0.0.1:PORT/?token=..."}`; SIGINT/SIGTERM stop it (and the
 * bundled server it started) and exit 0.
 */
import { defaultDataDir } from '../../server/config';
import { startWeb } from './start-web';

const USAGE = 'usage: npm run web -- [--data-dir DIR] [--port N]';

function parseArgs(argv: string[]): { dataDir: string; port: number } {
  let dataDir = defaultDataDir();
  let port = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      console.log(
        `${USAGE}\n\nServes the app's UI on 127.0.0.1 for a browser; prints {"event":"ready","url":...} when ready.`,
      );
      process.exit(0);
    }
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    const value = inline ?? argv[++i];
    if (flag === '--data-dir' && value) dataDir = value;
    else if (flag === '--port' && value && /^\d+$/.test(value) && Number(value) < 65536) port = Number(value);
    else throw new Error(`bad option "${arg}". ${USAGE}`);
  }
  return { dataDir, port };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const web = await startWeb(args);
  process.stdout.write(`${JSON.stringify({ event: 'ready', url: web.url })}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    web.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`credmate web: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`credmate web: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
