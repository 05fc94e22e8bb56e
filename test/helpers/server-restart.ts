/**
 * Restarting a test server on the state it had: the same data dir on SQLite; on PostgreSQL the same
 * database, standalone store and audit key (startTestServer would give a fresh database each time,
 * and the first server's stop() drops it). Also the job of a document as each deployment's queue
 * keeps it: the `jobs` lease table on SQLite, pg-boss's job table on PostgreSQL.
 *
 * ```ts
 * expect(await stopKeepingState(first)).toBe(0);     // the process only: database and store stay
 * const second = await startOnSameState(first);      // stop second, then first (which releases them)
 * ```
 */
import { openServerRows } from './server-rows';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server';

/** Stops the server's process with `signal` and resolves its exit code; its database and store stay. */
export function stopKeepingState(srv: TestServer, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (srv.proc.exitCode !== null || srv.proc.signalCode !== null) return Promise.resolve(srv.proc.exitCode);
  const exited = new Promise<number | null>((resolve) => srv.proc.once('exit', (code) => resolve(code)));
  srv.proc.kill(signal);
  return exited;
}

/** A new server on `stopped`'s data dir, database and store. Stop it before `stopped`, whose stop() releases them. */
export async function startOnSameState(
  stopped: TestServer,
  opts: Omit<TestServerOptions, 'dataDir' | 'database'> = {},
): Promise<TestServer> {
  if (stopped.database === 'sqlite') return startTestServer({ ...opts, dataDir: stopped.dataDir });
  // The central parts are given as flags and keys, as an operator's second start would give them.
  const next = await startTestServer({
    ...opts,
    dataDir: stopped.dataDir,
    database: 'sqlite',
    args: [
      '--database-url',
      stopped.databaseUrl!,
      '--s3-endpoint',
      stopped.s3.endpoint,
      '--s3-bucket',
      stopped.s3.bucket,
      ...(opts.args ?? []),
    ],
    env: {
      CREDMATE_S3_ACCESS_KEY_ID: stopped.s3.accessKeyId,
      CREDMATE_S3_SECRET_ACCESS_KEY: stopped.s3.secretAccessKey,
      CREDMATE_LOCAL_ACCOUNT: 'true',
      ...stopped.cliEnv,
      ...opts.env,
    },
  });
  return {
    ...next,
    database: 'postgres',
    databaseUrl: stopped.databaseUrl,
    databaseArgs: stopped.databaseArgs,
    cliEnv: stopped.cliEnv,
  };
}

export type JobState = 'queued' | 'running' | 'done' | 'dead';
const PG_BOSS_STATES: Record<string, JobState> = { active: 'running', completed: 'done', failed: 'dead' };

/**
 * The document's jobs as `{ state, attempts }`: SQLite's lease table as it is; pg-boss's extraction
 * rows with its states named alike (created/retry: queued, active: running, completed: done, failed
 * after its last attempt and copied to the dead-letter queue: dead) and attempts counted as the
 * queue's fencing token does (retry_count + 1 once fetched).
 */
export async function jobsOf(
  srv: TestServer,
  documentId: string,
): Promise<Array<{ state: JobState; attempts: number }>> {
  const rows = openServerRows(srv);
  try {
    if (srv.database === 'sqlite')
      return await rows.all('SELECT state, attempts FROM jobs WHERE document_id = ? ORDER BY id', documentId);
    const jobs = await rows.all<{ state: string; retry_count: number; started: boolean }>(
      `SELECT state, retry_count, started_on IS NOT NULL AS started FROM pgboss.job
       WHERE name = 'extraction' AND data->>'documentId' = ? ORDER BY created_on`,
      documentId,
    );
    return jobs.map((j) => ({
      state: PG_BOSS_STATES[j.state] ?? 'queued',
      attempts: j.started ? j.retry_count + 1 : 0,
    }));
  } finally {
    await rows.close();
  }
}
