/**
 * Starts the bundled server in an Electron utilityProcess (a Node process Electron manages, so the
 * packaged app needs no runAsNode) and forks its extraction workers as utility processes too, on
 * the server's request. Same ready line as `credmate server`.
 */
import { utilityProcess } from 'electron';
import { serveWorkerRequests } from '../bundled-server/worker-protocol';
import { waitForReadyLine, type LaunchLocalServer } from '../services/local-server';

const STOP_GRACE_MS = 10_000;

export function utilityProcessLauncher(entries: { serverHost: string; workerEntry: string }): LaunchLocalServer {
  return async (dataDir) => {
    const child = utilityProcess.fork(
      entries.serverHost,
      ['--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1'],
      {
        stdio: 'pipe',
        serviceName: 'CredentialMate server',
        env: { ...process.env, CREDMATE_DATA_DIR: dataDir },
      },
    );
    const stopWorkers = serveWorkerRequests(child, (env) =>
      utilityProcess.fork(entries.workerEntry, [], {
        env,
        stdio: 'inherit',
        serviceName: 'CredentialMate extraction worker',
      }),
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    let alive = true;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        alive = false;
        // Workers outliving their server would hold the database: stop them with it.
        stopWorkers();
        resolve();
      }),
    );
    if (!child.stdout) throw new Error('The server process has no stdout to report readiness on.');
    const apiUrl = await waitForReadyLine(child.stdout, exited, () => stderr);
    return {
      apiUrl,
      pid: child.pid,
      exited,
      async stop() {
        if (!alive) return;
        // utilityProcess.kill() sends SIGTERM, which the server drains on; SIGKILL only if it hangs.
        const force = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), STOP_GRACE_MS);
        child.kill();
        await exited;
        clearTimeout(force);
      },
    };
  };
}
