import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThrottleAnswer } from '../../../server/auth/login-throttle';
import { SharedLoginThrottle } from '../../../server/auth/shared-login-throttle';
import type { ServerDatabase } from '../../../server/db/open-query-db';
import { DATABASE_KINDS, openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';

const POLICY = { windowMs: 3600_000, free: 3, firstDelayMs: 2000 };
const T0 = 1_780_000_000_000;
const RACER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'throttle-racer.ts');

/** Two processes (throttle-racer.ts) on the SQLite database under dataDir, each starting `each` attempts at once. */
async function raceInProcesses(dataDir: string, key: string, each: number): Promise<ThrottleAnswer[]> {
  const racers = [0, 1].map(() => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', RACER, dataDir, key, String(each), String(T0), JSON.stringify(POLICY)],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const lines = readline.createInterface({ input: child.stdout });
    const it = lines[Symbol.asyncIterator]();
    const next = async (what: string) => {
      const line = await it.next();
      if (line.done) throw new Error(`throttle racer exited before ${what}`);
      return line.value as string;
    };
    return { child, next };
  });
  try {
    for (const r of racers) expect(await r.next('ready')).toBe('ready');
    for (const r of racers) r.child.stdin.write('go\n');
    const outs = await Promise.all(
      racers.map(async (r) => JSON.parse(await r.next('its answers')) as ThrottleAnswer[]),
    );
    return outs.flat();
  } finally {
    for (const r of racers) r.child.kill();
  }
}

describe.each(DATABASE_KINDS)('the shared sign-in throttle on %s', (kind) => {
  let t: TestServerDatabase;
  let apiA: ServerDatabase;
  let apiB: ServerDatabase;
  // Two throttles on two connections stand for two API processes behind one address.
  const throttles = (lease?: number) => [
    new SharedLoginThrottle(apiA.db, 'account', POLICY, lease),
    new SharedLoginThrottle(apiB.db, 'account', POLICY, lease),
  ];
  beforeAll(async () => {
    t = await openTestServerDatabase(kind);
    apiA = t.database;
    apiB = await t.openAnother();
  });
  afterAll(() => t.cleanup());

  it('counts failures made through either process against one limit, then spaces attempts out', async () => {
    const [a, b] = throttles() as [SharedLoginThrottle, SharedLoginThrottle];
    const key = 'target@clinic.test';
    for (const [i, th] of [a, b, a].entries()) {
      expect(await th.begin(key, T0 + i)).toEqual({ admitted: true });
      await th.failed(key, T0 + i);
    }
    expect(await b.begin(key, T0 + 100)).toEqual({ admitted: false, retryAfterSeconds: 2 });
    // The delay runs from the last failure (T0 + 2); the right password then gets in and clears the count.
    expect(await b.begin(key, T0 + 2002)).toEqual({ admitted: true });
    await b.reset(key, T0 + 2003);
    for (let i = 0; i < 3; i++) expect(await a.begin(key, T0 + 3000 + i)).toEqual({ admitted: true });
    // Three in flight and none ended: a fourth waits for them, whichever process asks.
    expect((await b.begin(key, T0 + 3010)).admitted).toBe(false);
    for (let i = 0; i < 3; i++) await a.settled(key, T0 + 3020);
    // The table names no email: keys are stored hashed.
    const rows = await apiA.db.selectFrom('login_attempts').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('clinic.test');
  });

  it('admits exactly the free attempts when they arrive at once', async () => {
    // Two API processes, six attempts each at once. PostgreSQL: two pools in this process, serialised
    // by the row lock. SQLite: two child processes, each on its own connections, contending for the
    // write lock (in one thread, one connection's busy wait would block the other's commit).
    const answers =
      kind === 'postgres'
        ? await (async () => {
            const [a, b] = throttles() as [SharedLoginThrottle, SharedLoginThrottle];
            return Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? b : a).begin('race@clinic.test', T0)));
          })()
        : await raceInProcesses(t.dataDir, 'race@clinic.test', 6);
    expect(answers).toHaveLength(12);
    expect(answers.filter((x) => x.admitted)).toHaveLength(POLICY.free);
  });

  it('stops counting a leaked attempt once its lease passes, though the key keeps getting attempts', async () => {
    const lease = 30_000;
    const [a, b] = throttles(lease) as [SharedLoginThrottle, SharedLoginThrottle];
    const key = 'leak@clinic.test';
    // Process A admits an attempt and dies (or throws) before ending it.
    expect(await a.begin(key, T0)).toEqual({ admitted: true });
    // Steady traffic on the key, each attempt ended: none of them may carry the leaked one's lease on.
    for (let t = T0 + 10_000; t <= T0 + 40_000; t += 10_000) {
      expect(await b.begin(key, t)).toEqual({ admitted: true });
      await b.settled(key, t + 1);
    }
    // Past the leaked attempt's lease all the free attempts are there again.
    const at = T0 + 45_000;
    const answers = [await b.begin(key, at), await b.begin(key, at), await b.begin(key, at)];
    expect(answers).toEqual(Array(3).fill({ admitted: true }));
    for (let i = 0; i < 3; i++) await b.settled(key, at + 1);
  });

  it('stops counting an attempt whose process died once its lease passes, and purges quiet keys', async () => {
    const lease = 30_000;
    const [a, b] = throttles(lease) as [SharedLoginThrottle, SharedLoginThrottle];
    const key = 'crash@clinic.test';
    for (let i = 0; i < 2; i++) {
      await a.begin(key, T0);
      await a.failed(key, T0);
    }
    // Process A admits a third attempt and dies before ending it.
    expect(await a.begin(key, T0 + 10)).toEqual({ admitted: true });
    expect((await b.begin(key, T0 + 5000)).admitted).toBe(false);
    expect(await b.begin(key, T0 + 10 + lease)).toEqual({ admitted: true });
    await b.settled(key, T0 + 10 + lease);
    // Two failures remain within the window; an hour after the last one the key has nothing to keep.
    expect(await b.purge(T0 + lease + 20)).toBe(0);
    expect(await b.purge(T0 + POLICY.windowMs + 1)).toBeGreaterThan(0);
    const left = await apiB.db.selectFrom('login_attempts').select('key_hash').execute();
    expect(left).toEqual([]);
  });
});
