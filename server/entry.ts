/**
 * The server process: `credmate server` (and Electron's utilityProcess) run this. Prints ONE JSON
 * line on stdout when ready, logs to stderr, drains on SIGINT/SIGTERM and exits 0. A start-up
 * failure prints one line naming the problem and exits 1.
 */
import { loadServerConfig } from './config';
import { startServer } from './start';

export async function runServerProcess(argv: string[]): Promise<number> {
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
  process.stdout.write(`${JSON.stringify({ event: 'ready', api: server.apiUrl, s3: server.s3 })}\n`);
  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), level: 'info', event: 'server.signal', signal })}\n`);
      server.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
