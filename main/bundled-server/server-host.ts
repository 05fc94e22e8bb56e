/**
 * The bundled server as Electron runs it, in a utilityProcess: `credmate server`'s start-up and
 * ready line, with extraction workers forked by Electron main (see worker-protocol.ts) instead of
 * child_process. Plain Node; only `process.parentPort` comes from Electron.
 */
import type { ChildProcess } from 'node:child_process';
import { formatReadyLine } from '../../node-shared/ready-line';
import { loadServerConfig } from '../../server/config';
import { startServer } from '../../server/start';
import { workerSpawnerOverPort, type MessagePortLike } from './worker-protocol';

async function main(): Promise<number> {
  const port = (process as unknown as { parentPort?: MessagePortLike }).parentPort;
  if (!port) throw new Error('server-host runs inside an Electron utilityProcess; use `credmate server` elsewhere.');
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const spawn = workerSpawnerOverPort(port);
  // The pool uses only the ChildProcess members WorkerStandIn provides.
  const server = await startServer(loadServerConfig(process.argv.slice(2)), {
    spawnWorker: (env) => spawn(env) as unknown as ChildProcess,
  });
  process.stdout.write(formatReadyLine({ api: server.apiUrl, s3: server.s3 }));
  return new Promise<number>((resolve) => {
    const stop = () =>
      void server.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`credmate server: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
