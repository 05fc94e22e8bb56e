import crypto from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseSchema } from '../db/schema';
import { admitAttempt, currentState, type KeyState, type ThrottleAnswer, type ThrottlePolicy } from './login-throttle';

type Trx = Transaction<DatabaseSchema>;

/** How long an admitted attempt counts as in flight unless it ends: longer than any password check. */
export const DEFAULT_IN_FLIGHT_LEASE_MS = 120_000;

/**
 * The sign-in rules of login-throttle.ts with the state in the database, so the limits hold
 * across every API process sharing it: a guesser spreading attempts over processes meets one
 * count. Each step runs in a transaction that first locks the key's row (an upsert: on PostgreSQL
 * a row lock, on SQLite the write lock), so the check and the count are one step across processes
 * as they are within one. An attempt in flight counts until it ends or its lease passes, so a
 * process killed mid-check does not leave the key refused for ever.
 */
export class SharedLoginThrottle {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    /** 'account' or 'address': the same string in two scopes is two keys. */
    private readonly scope: string,
    private readonly policy: ThrottlePolicy,
    private readonly inFlightLeaseMs = DEFAULT_IN_FLIGHT_LEASE_MS,
  ) {}

  /** Admits and counts an attempt for `key`, or says how long to wait. */
  begin(key: string, now = Date.now()): Promise<ThrottleAnswer> {
    return this.step(key, now, (s) => {
      const answer = admitAttempt(this.policy, s, now);
      if (answer.admitted) s.inFlight++;
      return answer;
    });
  }

  /** The attempt's password was wrong: it stays counted, and the next wait grows. */
  failed(key: string, now = Date.now()): Promise<void> {
    return this.step(key, now, (s) => {
      s.inFlight = Math.max(0, s.inFlight - 1);
      s.failures++;
      s.lastFailureAt = now;
    });
  }

  /** The attempt ended without counting against the key. */
  settled(key: string, now = Date.now()): Promise<void> {
    return this.step(key, now, (s) => {
      s.inFlight = Math.max(0, s.inFlight - 1);
    });
  }

  /** The account signed in with its password: its failures are forgotten. */
  reset(key: string, now = Date.now()): Promise<void> {
    return this.step(key, now, (s) => {
      s.failures = 0;
      s.inFlight = Math.max(0, s.inFlight - 1);
    });
  }

  /** Drops keys with nothing left to remember (no failure in the window, nothing in flight). */
  async purge(now = Date.now()): Promise<number> {
    const result = await this.db
      .deleteFrom('login_attempts')
      .where((eb) =>
        eb.and([
          eb.or([eb('in_flight', '=', 0), eb('in_flight_until', '<=', now)]),
          eb.or([eb('failures', '=', 0), eb('last_failure_at', '<', now - this.policy.windowMs)]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private keyHash(key: string): string {
    return crypto.createHash('sha256').update(`${this.scope}\0${key}`).digest('hex');
  }

  private step<T>(key: string, now: number, change: (s: KeyState) => T): Promise<T> {
    const keyHash = this.keyHash(key);
    return this.db.transaction().execute(async (trx) => {
      const before = await lockRow(trx, keyHash);
      // Attempts whose lease passed belong to a process that died or hung: they no longer count.
      const inFlight = before.in_flight_until > now ? before.in_flight : 0;
      const s = currentState(
        this.policy,
        { failures: before.failures, lastFailureAt: before.last_failure_at, inFlight },
        now,
      );
      const out = change(s);
      await this.write(trx, keyHash, s, inFlight, before.in_flight_until, now);
      return out;
    });
  }

  private async write(
    trx: Trx,
    keyHash: string,
    s: KeyState,
    inFlightBefore: number,
    untilBefore: number,
    now: number,
  ) {
    if (s.inFlight === 0 && s.failures === 0) {
      await trx.deleteFrom('login_attempts').where('key_hash', '=', keyHash).execute();
      return;
    }
    // One lease per key: the first attempt in flight starts it, and later ones never extend it, or
    // an attempt that never ended (its process died) would count for as long as others keep coming.
    // When it passes, the count restarts at 0; attempts still running then end harmlessly (settled and
    // failed floor at 0), and the oldest attempt a lease bounds is by then far past any password check.
    const until = s.inFlight > inFlightBefore && inFlightBefore === 0 ? now + this.inFlightLeaseMs : untilBefore;
    await trx
      .updateTable('login_attempts')
      .set({ failures: s.failures, last_failure_at: s.lastFailureAt, in_flight: s.inFlight, in_flight_until: until })
      .where('key_hash', '=', keyHash)
      .execute();
  }
}

/** Creates the key's row if missing and locks it for the rest of the transaction, on either database. */
async function lockRow(trx: Trx, keyHash: string) {
  await trx
    .insertInto('login_attempts')
    .values({ key_hash: keyHash })
    .onConflict((oc) => oc.column('key_hash').doUpdateSet((eb) => ({ failures: eb.ref('login_attempts.failures') })))
    .execute();
  return trx
    .selectFrom('login_attempts')
    .select(['failures', 'last_failure_at', 'in_flight', 'in_flight_until'])
    .where('key_hash', '=', keyHash)
    .executeTakeFirstOrThrow();
}
