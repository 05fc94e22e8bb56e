/** `credmate server [--data-dir DIR] [--port N] [--host H] ...`: runs the bundled server until SIGINT/SIGTERM. */
import { FLAG_TO_ENV } from '../../../server/config';
import { runServerProcess } from '../../../server/entry';

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    const lines = Object.entries(FLAG_TO_ENV).map(([flag, env]) => `  ${flag.padEnd(20)} ${env}`);
    console.log(
      `usage: credmate server [options]\n\noptions (flag, and the environment variable it overrides):\n${lines.join('\n')}\n\nOther CREDMATE_* variables (timeouts, limits, sessions, jobs) are environment-only; see the README.`,
    );
    return 0;
  }
  const code = await runServerProcess(argv);
  // Open handles (the S3 SDK's sockets, a stuck worker) must not keep a refused or drained server alive.
  setImmediate(() => process.exit(code));
  return code;
}
