/**
 * Each organisation's audit chain head (last event id and its HMAC), copied to the object store
 * after every append. The database may be rewritten by whoever holds its file; the store is
 * another system with its own credentials, so a tail cut off the chain (and audit_heads rewritten
 * to match) still disagrees with the head kept there, and GET /audit/verify says so.
 *
 * The copy lags the database by one store write: appends only mark the organisation, and one
 * loop writes the newest committed head of each marked organisation. The verify route flushes
 * first, so it compares against everything committed before it was asked.
 */
import { Readable } from 'node:stream';
import type { UnitRunner } from '../db/unit-runner';
import { first } from '../db/units';
import { errorFields, type Logger } from '../log';
import { auditHead } from './audit-log';
import { statusOf, type ObjectStore } from '../storage/object-store';

export interface StoredHead {
  lastId: number;
  hash: string;
}

/** Outside `org/`: the upload keys' prefix, whose objects batch and document deletes remove. */
export function auditHeadKey(orgId: string): string {
  return `audit/heads/${orgId}.json`;
}

export async function readStoredHead(store: ObjectStore, orgId: string): Promise<StoredHead | null> {
  let bytes: Uint8Array;
  try {
    bytes = await store.read(auditHeadKey(orgId));
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
  const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<StoredHead>;
  if (typeof parsed.lastId !== 'number' || typeof parsed.hash !== 'string') {
    throw new Error(
      `The audit chain head ${auditHeadKey(orgId)} in the object store is not {lastId, hash}; it was damaged or replaced.`,
    );
  }
  return { lastId: parsed.lastId, hash: parsed.hash };
}

/** How long a new head may wait for its copy to the store (markDirty). */
const PUBLISH_EVERY_MS = 1000;

export class AuditHeadPublisher {
  private readonly dirty = new Set<string>();
  /** The head last read from or written to the store, per organisation (null: none there). */
  private readonly known = new Map<string, StoredHead | null>();
  /** Organisations whose stored head the database contradicts: logged once, never overwritten. */
  private readonly contradicted = new Set<string>();
  private tail: Promise<void> = Promise.resolve();
  private scheduled = false;

  constructor(private readonly deps: { units: UnitRunner; store: ObjectStore; log: Logger }) {}

  /**
   * Called for each append; the write happens at most PUBLISH_EVERY_MS later, after the transaction
   * committed. Why not after every commit: an import's completes commit a few times a second per
   * organisation, and each copy is a store PUT and a read (78 for 403 files, bench:upload) for a
   * head the next commit replaces anyway. The verify route and the server's stop flush first, so
   * neither sees a lag; a SIGKILL loses only the copy, which the next start writes again.
   */
  markDirty(orgId: string): void {
    this.dirty.add(orgId);
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.flush().catch((err: unknown) => this.deps.log.warn('audit.head_publish_failed', errorFields(err)));
    }, PUBLISH_EVERY_MS).unref();
  }

  /** Writes every marked organisation's head; rejects when the store failed (those stay marked for the next try). */
  flush(): Promise<void> {
    const run = this.tail.then(async () => {
      const orgs = [...this.dirty];
      this.dirty.clear();
      let failure: unknown;
      for (const orgId of orgs) {
        try {
          await this.publish(orgId);
        } catch (err) {
          this.dirty.add(orgId);
          failure ??= err;
        }
      }
      if (failure) throw failure;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async publish(orgId: string): Promise<void> {
    const { units, store, log } = this.deps;
    const head = await units.read(() => auditHead(orgId));
    if (!head) return;
    let known = this.known.get(orgId);
    if (known === undefined) {
      known = await readStoredHead(store, orgId);
      this.known.set(orgId, known);
    }
    if (known && known.lastId === head.last_id && known.hash === head.last_hash) return;
    if (known) {
      // Overwriting a head the database no longer contains would erase the evidence of a cut.
      const { lastId } = known;
      const row = await units.read(() =>
        first((q) => q.selectFrom('audit_events').select('hash').where('id', '=', lastId).where('org_id', '=', orgId)),
      );
      if (!row || row.hash !== known.hash || head.last_id < known.lastId) {
        if (!this.contradicted.has(orgId))
          log.error('audit.head_mismatch', { orgId, storedLastId: known.lastId, databaseLastId: head.last_id });
        this.contradicted.add(orgId);
        return;
      }
    }
    const next: StoredHead = { lastId: head.last_id, hash: head.last_hash };
    await store.write(auditHeadKey(orgId), Readable.from([Buffer.from(JSON.stringify(next))]), 'application/json');
    this.known.set(orgId, next);
  }
}
