/**
 * The server process: `credmate server` (and Electron's utilityProcess) run this. Prints ONE JSON
 * line on stdout when ready, logs to stderr, drains on SIGINT/SIGTERM and exits 0. A start-up
 * failure prints one line naming the problem and exits 1.
 */
import { formatReadyLine } from '../node-shared/ready-line';
import { loadServerConfig } from './config';
import { startServer } from './start';

export async function runServerProcess(argv: string[]): Promise<number> {
  exitWithParent();
  // The SDK's "Node 22 will be needed" notice is unstructured noise on stderr (workers inherit this).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    const config = loadServerConfig(argv);
    server = await startServer(config);
  } catch (err) {
    process.stderr.write(`credmate server: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  process.stdout.write(formatReadyLine({ api: server.apiUrl, s3: server.s3 }));
  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stderr.write(
        `${JSON.stringify({ t: new Date().toISOString(), level: 'info', event: 'server.signal', signal })}\n`,
      );
      server.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * A parent that started the server with an IPC channel (`credmate import`, `npm run web`) owns its
 * lifetime: when the channel closes, even because the parent was SIGKILLed, the server drains as on
 * SIGTERM instead of outliving it. The channel must not keep a refused server alive, hence unref.
 * (Done here rather than in a `--import` preload: preloads are inherited by every worker thread,
 * and the OCR engine's nested threads cannot load a TypeScript preload.)
 */
function exitWithParent(): void {
  if (!process.connected) return;
  process.channel?.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
