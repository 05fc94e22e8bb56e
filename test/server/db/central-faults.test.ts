/**
 * Proof under faults (issue 19): the central deployment as real processes (PostgreSQL, the
 * standalone store, two API processes behind one round-robin address, three `credmate worker`
 * processes). Ten clients upload 300 distinct one-page PDFs, retrying what the desktop client
 * retries (main/core/upload/retry-table.ts: connection errors, 502/503/504, 429/5xx with backoff,
 * 401 by signing in again, a complete whose answer was lost, a 404 at complete by registering
 * again once). Mid-way one worker (holding a job) and one API process are SIGKILLed with their
 * children. Then: every document is extracted exactly once; no client saw an answer it could not
 * retry; the change feed has no gap and no repeat; the audit chain verifies.
 *
 * "No gap" for this feed: the feed shows each document at its latest change number, so the numbers
 * a reader sees are not consecutive (a document's earlier changes are superseded). What must hold
 * is (a) every number the server's change counter handed out is carried by exactly one committed
 * change (a trigger this test puts on `documents` logs every committed change number: they are
 * exactly first..last, each once), and (b) a reader paging on with its cursor while the faults
 * happen never skips a change that commits later under a smaller number: its mirror ends equal to
 * the database, and the full read from since=0 shows each document once, at its latest number.
 *
 * Faults this test found, fixed since: the standalone store's thread died when a retried complete
 * (through the other API process) reached it while the first still assembled the object, and the
 * store answered a complete before the object was written, so the size check read a cut-short one
 * (embedded-multipart.ts replaceHttpCompletes); an API process killed after the store completed an
 * upload but before its commit left the upload open for good (complete-upload.ts now finishes an
 * object it finds assembled); and two completes of one upload could make two documents (the
 * upload row is locked on PostgreSQL).
 * With external storage every upload is multipart (guardsCompletedObjects is the embedded store's only).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChangesResponse, RegisterUploadResponse } from '../../../common/api';
import { makePdf, sha256Hex } from '../../helpers/pdf-fixtures';
import { waitFor } from '../../helpers/upload-client';
import { startCentralDeployment, type CentralDeployment, type ManagedProcess } from '../../support/central-deployment';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

const CLIENTS = 10;
const FILES_PER_CLIENT = 30;
const TOTAL = CLIENTS * FILES_PER_CLIENT;
const KILL_WORKER_AT = 100;
const KILL_API_AT = 150;
/** Every fourth complete loses its first answer: the client gives up on it at once and asks again. */
const LOSE_ANSWER_EVERY = 4;
const ORG = 'Fault Clinic';
const PASSWORD = 'a-long-central-password-1';
const EMAIL = 'coordinator@fault.example';
/**
 * A killed worker's job goes to another only when pg-boss expires it: expiry covers the extraction
 * deadline and the store's deadlines (pg-boss-queue.ts pgBossPolicyOf), so both are shortened to
 * keep that wait (plus pg-boss's 30 s maintenance round) inside the test's deadline.
 */
const ENV = {
  CREDMATE_EXTRACTION_TIMEOUT_MS: '15000',
  CREDMATE_S3_CONNECT_TIMEOUT_MS: '1000',
  CREDMATE_S3_REQUEST_TIMEOUT_MS: '5000',
  CREDMATE_JOB_BACKOFF_BASE_MS: '1000',
  CREDMATE_LOG_LEVEL: 'info',
};

interface Answer {
  status: number;
  /** Retry-After in ms, when the answer had one. */
  retryAfterMs?: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- each caller reads its route's answer
}

/** What every client saw: retries by reason, and every answer it could not retry (expected: none). */
const seen = {
  retries: {} as Record<string, number>,
  fatal: [] as string[],
  /** The first few retried answers' bodies and network errors, for the report. */
  samples: [] as string[],
  completes: 0,
  lostAnswers: 0,
  /** Seconds from the test's start to each phase, printed with the rest at the end (not asserted). */
  marks: {} as Record<string, number>,
};
const T0 = Date.now();
const mark = (what: string) => (seen.marks[what] = Math.round((Date.now() - T0) / 100) / 10);
function count(reason: string, detail?: unknown): void {
  seen.retries[reason] = (seen.retries[reason] ?? 0) + 1;
  if (detail !== undefined && seen.samples.length < 12)
    seen.samples.push(
      `${reason}: ${String(detail instanceof Error ? `${detail.message} ${String(detail.cause)}` : JSON.stringify(detail)).slice(0, 300)}`,
    );
}
const pause = (attempt: number) => sleep(50 + Math.floor(Math.random() * Math.min(2000, 100 * 2 ** attempt)));
const RETRY_DEADLINE_MS = 60_000;

class Client {
  private token = '';
  constructor(
    private readonly base: string,
    readonly email: string,
    readonly name: string,
  ) {}

  async login(): Promise<void> {
    const res = await this.call('POST', '/auth/login', { email: this.email, password: PASSWORD }, { noAuth: true });
    if (res.status !== 200) throw new Error(`${this.name}: login answered ${res.status} ${JSON.stringify(res.body)}`);
    this.token = res.body.token;
  }

  /** One request through the retry table; answers what is not retried (the caller judges it). */
  async call(
    method: string,
    route: string,
    body?: unknown,
    opts: { noAuth?: boolean; loseFirstAnswer?: boolean } = {},
  ): Promise<Answer> {
    const deadline = Date.now() + RETRY_DEADLINE_MS;
    let reauths = 0;
    let backoffs = 0;
    let last = 'nothing';
    for (let attempt = 0; ; attempt++) {
      if (Date.now() > deadline)
        throw new Error(`${method} ${route}: still failing after ${RETRY_DEADLINE_MS} ms; last: ${last}`);
      let res: Answer;
      try {
        // A lost answer: the request goes out, the client stops listening after a few ms and asks again.
        const lose = opts.loseFirstAnswer && attempt === 0 ? 1 + Math.floor(Math.random() * 30) : 0;
        res = await this.once(method, route, body, opts.noAuth ? null : this.token, lose);
      } catch (err) {
        count((err as Error).name === 'TimeoutError' ? 'lost answer' : 'network', err);
        last = String(err);
        if ((err as Error).name !== 'TimeoutError') await pause(attempt);
        continue;
      }
      if (res.status === 401 && !opts.noAuth && reauths++ < 2) {
        count('401 sign in again');
        await this.login();
        continue;
      }
      if (res.status === 429 || res.status >= 500) {
        count(String(res.status), res.body);
        last = `${res.status} ${JSON.stringify(res.body)}`;
        // retry-table.ts: 502/503/504 wait for the server without a count; others give up after 8 backoffs.
        if ((res.status < 502 || res.status > 504) && backoffs++ >= 8) return res;
        if (res.retryAfterMs !== undefined) await sleep(res.retryAfterMs + Math.random() * 250);
        else await pause(attempt);
        continue;
      }
      return res;
    }
  }

  private async once(method: string, route: string, body: unknown, token: string | null, loseAfterMs: number) {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}/api/v1${route}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(loseAfterMs || 30_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // A proxy's or a dying process's non-JSON answer: kept as text for the report.
    }
    const retryAfter = Number(res.headers.get('retry-after') ?? NaN);
    return {
      status: res.status,
      body: parsed as Answer['body'],
      ...(Number.isFinite(retryAfter) ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  }

  fatal(what: string, res: Answer): null {
    seen.fatal.push(`${this.name} ${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return null;
  }
}

/** PUTs the bytes to the presigned URL (straight to the store); signs again on a 403, retries network errors. */
async function putObject(c: Client, uploadId: string, firstUrl: string, bytes: Uint8Array): Promise<string | null> {
  let url = firstUrl;
  for (let attempt = 0; attempt < 10; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, { method: 'PUT', body: bytes, signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      count('store network', err);
      await pause(attempt);
      continue;
    }
    await res.arrayBuffer();
    if (res.ok) return res.headers.get('etag') ?? '';
    if (res.status === 403) {
      count('store 403 sign again');
      const signed = await c.call('POST', `/uploads/${uploadId}/parts`, { partNumbers: [1] });
      if (signed.status !== 200) return c.fatal('sign', signed);
      url = signed.body.urls[0].url;
      continue;
    }
    if (res.status >= 500) {
      count(`store ${res.status}`);
      await pause(attempt);
      continue;
    }
    return c.fatal('PUT', { status: res.status, body: 'store refused the part' });
  }
  return c.fatal('PUT', { status: 0, body: 'gave up after 10 attempts' });
}

/** One file, as file-upload.ts does it: register (duplicate: ours, done) → PUT → complete; a 404 at complete starts over once. */
async function uploadOne(c: Client, bytes: Uint8Array, name: string, loseAnswer: boolean): Promise<string | null> {
  for (let restart = 0; restart < 2; restart++) {
    const reg = await c.call('POST', '/uploads', {
      fileName: name,
      sizeBytes: bytes.byteLength,
      sha256: sha256Hex(bytes),
    });
    if (reg.status !== 200 && reg.status !== 201) return c.fatal(`register ${name}`, reg);
    const r = reg.body as RegisterUploadResponse;
    // Our earlier complete went through and its answer was lost: the file is ours, uploaded.
    if (r.outcome === 'duplicate') return r.documentId;
    if (r.partCount !== 1 || !r.urls?.[0]) return c.fatal(`register ${name} (expected one inline part URL)`, reg);
    const etag = await putObject(c, r.uploadId, r.urls[0].url, bytes);
    if (etag === null) return null;
    const done = await c.call(
      'POST',
      `/uploads/${r.uploadId}/complete`,
      { parts: [{ partNumber: 1, etag }] },
      { loseFirstAnswer: loseAnswer },
    );
    if (loseAnswer) seen.lostAnswers++;
    if (done.status === 202) {
      seen.completes++;
      return done.body.documentId;
    }
    if (done.status !== 404 || restart > 0) return c.fatal(`complete ${name}`, done);
    count('404 at complete: register again');
  }
  return null;
}

interface FeedReader {
  mirror: Map<string, { seq: number; status: string }>;
  pages: number;
  problems: string[];
  stop(): Promise<void>;
}

/** Reads one page past `cursor` into `mirror`, noting any seq out of order or at or below the cursor. */
async function readPage(c: Client, cursor: number, limit: number, r: Pick<FeedReader, 'mirror' | 'problems'>) {
  const res = await c.call('GET', `/changes?since=${cursor}&limit=${limit}`);
  if (res.status !== 200) throw new Error(`GET /changes answered ${res.status} ${JSON.stringify(res.body)}`);
  const page = res.body as ChangesResponse;
  let last = cursor;
  for (const d of page.documents) {
    if (d.changeSeq <= last) r.problems.push(`seq ${d.changeSeq} after ${last} (cursor ${cursor})`);
    last = d.changeSeq;
    r.mirror.set(d.id, { seq: d.changeSeq, status: d.status });
  }
  if (page.deletedIds.length) r.problems.push(`deleted ids on the feed: ${page.deletedIds.join(',')}`);
  if (page.cursor !== last) r.problems.push(`cursor ${page.cursor}, last seq on the page ${last}`);
  return page;
}

/** A desktop mirror following the feed through the proxy while the faults happen. */
function followFeed(c: Client): FeedReader {
  const reader: FeedReader = { mirror: new Map(), pages: 0, problems: [], stop: async () => undefined };
  let stopping = false;
  const run = (async () => {
    let cursor = 0;
    for (;;) {
      // Stop only after a page read that began once stop() was called: it has seen the last change.
      const last = stopping;
      const page = await readPage(c, cursor, 100, reader);
      reader.pages++;
      cursor = page.cursor;
      if (page.hasMore) continue;
      if (last) return;
      await sleep(300);
    }
  })();
  reader.stop = async () => {
    stopping = true;
    await run;
  };
  return reader;
}

async function pgQuery<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Logs every committed change number of a document (see the header: what "no gap" means). */
const CHANGE_LOG_SQL = `
CREATE TABLE test_change_log (seq BIGINT NOT NULL, document_id TEXT NOT NULL);
CREATE FUNCTION test_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.change_seq IS DISTINCT FROM OLD.change_seq THEN
    INSERT INTO test_change_log (seq, document_id) VALUES (NEW.change_seq, NEW.id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER test_log_change AFTER INSERT OR UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION test_log_change();`;

/** The documents whose job this worker's log shows claimed and not finished, latest claim last. */
function jobsInFlight(worker: ManagedProcess): string[] {
  const held = new Map<string, number>();
  for (const line of worker.logs()) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { event?: string; documentId?: string };
    if (!entry.documentId) continue;
    if (entry.event === 'job.claimed') held.set(entry.documentId, held.size);
    else if (/^job\.(done|failed|error|stale_result_rejected)$/.test(entry.event ?? '')) held.delete(entry.documentId);
  }
  return [...held.keys()];
}

/**
 * Kills a worker holding a job, then an API process, at their marks; returns the document whose job
 * the killed worker held. The SIGKILL goes out as the worker logs its next claim, so the job has
 * all its work left (a worker killed a moment after its job finished would hold none, and nothing
 * would be delivered again). Its log (stderr, written synchronously to the pipe) then says what it
 * held when it died.
 */
async function injectFaults(d: CentralDeployment): Promise<string> {
  await waitFor(
    async () => (seen.completes >= KILL_WORKER_AT ? true : undefined),
    150_000,
    'uploads to reach the worker kill',
  );
  const victim = d.workers[0]!;
  const claims = victim.logs().filter((l) => l.includes('"job.claimed"')).length;
  await victim.waitForLog('"job.claimed"', claims + 1, 60_000);
  await victim.crash();
  if (!victim.proc.stderr!.closed) await new Promise((resolve) => victim.proc.stderr!.once('close', resolve));
  const held = jobsInFlight(victim);
  expect(held, `${victim.name} held one job when killed`).toHaveLength(1);
  mark(`${victim.name} killed at ${seen.completes} completes`);
  await waitFor(
    async () => (seen.completes >= KILL_API_AT ? true : undefined),
    150_000,
    'uploads to reach the API kill',
  );
  await d.apis[1]!.crash();
  mark(`api1 killed at ${seen.completes} completes`);
  return held[0]!;
}

/** Distinct one-page PDFs: each label gives other bytes, hence another hash. */
function makeDocuments(): Promise<Uint8Array[]> {
  return Promise.all(
    Array.from({ length: TOTAL }, (_, i) =>
      makePdf(`fault test document ${i} of client ${Math.floor(i / FILES_PER_CLIENT)}`, 1),
    ),
  );
}

async function uploadAll(clients: Client[], docs: Uint8Array[]): Promise<Map<string, string>> {
  const byHash = new Map<string, string>();
  await Promise.all(
    clients.map(async (c, ci) => {
      for (let f = 0; f < FILES_PER_CLIENT; f++) {
        const i = ci * FILES_PER_CLIENT + f;
        const id = await uploadOne(c, docs[i]!, `doc-${i}.pdf`, i % LOSE_ANSWER_EVERY === 0);
        if (id) byHash.set(sha256Hex(docs[i]!), id);
      }
    }),
  );
  return byHash;
}

describe('the central deployment under faults', () => {
  let pgdb: TestDatabase | undefined;
  let deployment: CentralDeployment | undefined;
  afterAll(async () => {
    console.info(JSON.stringify({ seen, proxy: deployment?.proxy.stats() }));
    const d = deployment;
    if (d)
      for (const p of [d.store, ...d.apis, ...d.workers])
        console.info(`${p.name} alive=${p.alive()}:\n${p.logs().slice(-6).join('\n')}`);
    await deployment?.stop();
    await pgdb?.drop();
  });

  it('extracts 300 documents exactly once with a worker and an API process killed mid-way', async () => {
    pgdb = await createTestDatabase();
    // One account, ten sessions: ten desktops of one coordinator (users add is a process start each).
    const [d, docs] = await Promise.all([
      startCentralDeployment({
        databaseUrl: pgdb.url,
        apis: 2,
        workers: 3,
        env: ENV,
        users: [{ org: ORG, email: EMAIL, password: PASSWORD }],
      }),
      makeDocuments(),
    ]);
    deployment = d;
    await pgQuery(d.databaseUrl, CHANGE_LOG_SQL);
    const [start] = await pgQuery<{ value: number }>(
      d.databaseUrl,
      "SELECT value::int AS value FROM counters WHERE name = 'change_seq'",
    );
    const firstSeq = start!.value + 1;
    mark('deployed');

    const clients = Array.from({ length: CLIENTS }, (_, i) => new Client(d.url, EMAIL, `client${i}`));
    // One after another: sign-ins in flight count against the account's limit (login throttle).
    for (const c of clients) await c.login();
    const follower = followFeed(clients[0]!);
    const [byHash, killedJobDocument] = await Promise.all([uploadAll(clients, docs), injectFaults(d)]);
    mark('uploaded');
    expect(seen.fatal).toEqual([]);
    expect(byHash.size).toBe(TOTAL);

    await waitFor(
      async () => {
        const [row] = await pgQuery<{ n: number }>(
          d.databaseUrl,
          "SELECT count(*)::int AS n FROM documents WHERE status = 'review_pending'",
        );
        return row!.n >= TOTAL ? true : undefined;
      },
      170_000,
      'every document to be extracted',
    );
    mark('extracted');
    await follower.stop();
    await checkDatabase(d, byHash, killedJobDocument);
    await checkFeed(d, clients[1]!, follower, firstSeq);
    const verdict = await clients[2]!.call('GET', '/audit/verify');
    expect(verdict.status).toBe(200);
    expect(verdict.body).toMatchObject({ ok: true });
    seen.marks.followerPages = follower.pages;
  }, 420_000); // Over the suite's 180 s: 300 uploads, a lease to expire and two restarts on 2 shared cores.
});

/** One document per file, each extracted exactly once; the killed worker's job went to another. */
async function checkDatabase(
  d: CentralDeployment,
  byHash: Map<string, string>,
  killedJobDocument: string,
): Promise<void> {
  const docs = await pgQuery<{ id: string; sha256: string; status: string }>(
    d.databaseUrl,
    'SELECT id, sha256, status FROM documents ORDER BY id',
  );
  expect(docs).toHaveLength(TOTAL);
  expect(new Set(docs.map((r) => r.sha256)).size).toBe(TOTAL);
  for (const r of docs) expect(byHash.get(r.sha256), `document of ${r.sha256}`).toBe(r.id);
  expect(docs.every((r) => r.status === 'review_pending')).toBe(true);
  const ex = await pgQuery<{ document_id: string; n: number; token: number }>(
    d.databaseUrl,
    'SELECT document_id, count(*)::int AS n, max(fencing_token)::int AS token FROM extractions GROUP BY document_id',
  );
  expect(ex).toHaveLength(TOTAL);
  expect(ex.filter((r) => r.n !== 1)).toEqual([]);
  // The worker was killed holding a job: that job's second delivery wrote its extraction.
  expect(ex.find((r) => r.document_id === killedJobDocument)?.token).toBeGreaterThanOrEqual(2);
  const dead = await pgQuery<{ n: number }>(
    d.databaseUrl,
    "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'extraction-dead'",
  );
  expect(dead[0]!.n).toBe(0);
}

/** The feed: no gap, no repeat, in order, every document at its latest change (see the header). */
async function checkFeed(d: CentralDeployment, c: Client, follower: FeedReader, firstSeq: number): Promise<void> {
  const log = await pgQuery<{ seq: number; document_id: string }>(
    d.databaseUrl,
    'SELECT seq::int AS seq, document_id FROM test_change_log ORDER BY seq',
  );
  const [counter] = await pgQuery<{ value: number }>(
    d.databaseUrl,
    "SELECT value::int AS value FROM counters WHERE name = 'change_seq'",
  );
  const lastSeq = counter!.value;
  expect(log.map((r) => r.seq)).toEqual(Array.from({ length: lastSeq - firstSeq + 1 }, (_, i) => firstSeq + i));
  const latest = new Map<string, number>();
  for (const r of log) latest.set(r.document_id, r.seq);

  const full: Pick<FeedReader, 'mirror' | 'problems'> = { mirror: new Map(), problems: [] };
  const seqs: number[] = [];
  let cursor = 0;
  for (let more = true; more;) {
    const page = await readPage(c, cursor, 50, full);
    seqs.push(...page.documents.map((x) => x.changeSeq));
    cursor = page.cursor;
    more = page.hasMore;
  }
  expect(full.problems).toEqual([]);
  expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
  expect(seqs).toHaveLength(TOTAL);
  expect(cursor).toBe(lastSeq);
  const want = new Map([...latest].map(([id, seq]) => [id, { seq, status: 'review_pending' }]));
  expect(full.mirror).toEqual(want);
  // The reader that paged on through the faults ends where a fresh reader does.
  expect(follower.problems).toEqual([]);
  expect(follower.mirror).toEqual(want);
}
