/** `credmate server [--data-dir DIR] [--port N] [--host H] ...`: runs the bundled server until SIGINT/SIGTERM. */
import { SERVER_FLAGS } from '../../../server/config';
import { runServerProcess } from '../../../server/entry';

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(`usage: credmate server [options]\n\noptions (each also settable as a CREDMATE_* environment variable):\n  ${SERVER_FLAGS.join('\n  ')}`);
    return 0;
  }
  const code = await runServerProcess(argv);
  // Open handles (the S3 SDK's sockets, a stuck worker) must not keep a refused or drained server alive.
  setImmediate(() => process.exit(code));
  return code;
}
