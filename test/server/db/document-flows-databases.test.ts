/**
 * The documents' flows as units on both databases: a review and its undo (with their audit events
 * and change-feed entries), reviews of one document from two connections at once (none lost: each
 * is kept or refused as a conflict), and the bulk reprocess (candidates, requeue, audit).
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../../server/audit/audit-log';
import type { SessionPrincipal } from '../../../server/auth/sessions';
import { unitsFor, type UnitRunner } from '../../../server/db/unit-runner';
import { affected, first, rows } from '../../../server/db/units';
import { changesSince } from '../../../server/documents/document-store';
import { getOwnDocument } from '../../../server/documents/document-view';
import { reopenReview } from '../../../server/documents/reopen-review';
import { reprocessMany } from '../../../server/documents/reprocess-document';
import { applyReview } from '../../../server/documents/review-document';
import { documentRow } from '../../support/document-rows';
import { DATABASE_KINDS, openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';

const chain = { key: crypto.randomBytes(32), onAppend: () => undefined };
const who = (email: string, role: SessionPrincipal['role']): SessionPrincipal => ({
  userId: email,
  email,
  role,
  orgId: 'org',
  orgName: 'Org',
  tokenHash: 'x',
});
const alice = who('alice@example.org', 'reviewer');
const bob = who('bob@example.org', 'reviewer');
const admin = who('admin@example.org', 'admin');

describe.each(DATABASE_KINDS)('document flows on %s', (kind) => {
  let t: TestServerDatabase;
  afterEach(async () => t?.cleanup());

  async function open(docs: Array<Parameters<typeof documentRow>[0]>): Promise<UnitRunner> {
    t = await openTestServerDatabase(kind);
    const units = unitsFor(t.database, { auditChain: chain });
    await units.write(function* () {
      yield* affected((q) => q.insertInto('organizations').values({ id: 'org', name: 'Org', created_at: '' }));
      for (const d of docs) yield* affected((q) => q.insertInto('documents').values(documentRow(d)));
    });
    return units;
  }

  it('approves with a correction, refuses an undo by another reviewer, undoes it for an admin', async () => {
    const units = await open([{ id: 'd1', org_id: 'org', doc_type: 'dea_registration', change_seq: 0 }]);
    await units.write(() =>
      applyReview(alice, 'd1', { fields: { expirationDate: '2031-05-01' }, decision: 'approve' }),
    );
    const approved = await units.read(() => getOwnDocument('org', 'd1'));
    expect(approved).toMatchObject({ status: 'approved', reviewed_by: alice.email, expiration_date: '2031-05-01' });
    expect(JSON.parse(approved.corrections_json)).toMatchObject({ expirationDate: { value: '2031-05-01' } });

    await expect(units.write(() => reopenReview(bob, 'd1', {}))).rejects.toMatchObject({ kind: 'forbidden' });
    await units.write(() => reopenReview(admin, 'd1', { reason: 'wrong file' }));
    const reopened = await units.read(() => getOwnDocument('org', 'd1'));
    expect(reopened).toMatchObject({ status: 'review_pending', reviewed_by: null });
    expect(reopened.change_seq).toBeGreaterThan(approved.change_seq);

    const feed = await units.read(() => changesSince('org', approved.change_seq, 10));
    expect(feed.changes.map((c) => [c.id, c.seq])).toEqual([['d1', reopened.change_seq]]);
    const audit = await units.read(() => listAudit('org', { documentId: 'd1', limit: 10 }));
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['document.reopened', admin.email],
      ['document.reviewed', alice.email],
    ]);
    await expect(units.write(() => applyReview(alice, 'nope', {}))).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('loses no review when two connections review one document at once', async () => {
    const units = await open([{ id: 'd1', org_id: 'org', doc_type: 'dea_registration', change_seq: 0 }]);
    const other = unitsFor(await t.openAnother(), { auditChain: chain });
    const fields = ['registrantName', 'deaNumber', 'state', 'npi', 'issueDate', 'businessActivity'];
    const outcomes = await Promise.allSettled(
      fields.map((f, i) =>
        (i % 2 ? units : other).write(() => applyReview(alice, 'd1', { fields: { [f]: `v-${f}` } })),
      ),
    );
    const doc = await units.read(() => getOwnDocument('org', 'd1'));
    const kept = Object.keys(JSON.parse(doc.corrections_json) as object).sort();
    // Every review either shows in the corrections or was refused as a conflict (to reload and retry).
    outcomes.forEach((o, i) => {
      if (o.status === 'fulfilled') expect(kept).toContain(fields[i]);
      else expect(o.reason).toMatchObject({ name: 'AppError', kind: 'conflict' });
    });
    expect(kept).toHaveLength(outcomes.filter((o) => o.status === 'fulfilled').length);
    const reviewed = await units.read(() => listAudit('org', { documentId: 'd1', limit: 20 }));
    expect(reviewed).toHaveLength(kept.length);
  });

  it('requeues the failed documents of a bulk reprocess, once each, audited', async () => {
    const units = await open([
      { id: 'f1', org_id: 'org', status: 'failed', failure_reason: 'timeout' },
      { id: 'f2', org_id: 'org', status: 'failed', failure_reason: 'crashed' },
      { id: 'ok', org_id: 'org', status: 'review_pending' },
      { id: 'busy', org_id: 'org', status: 'processing' },
    ]);
    const req = { scope: 'failed' as const, includeReviewed: false };
    expect(await units.write(() => reprocessMany(admin, req, 'v1', 3))).toBe(2);
    const docs = await units.read(() =>
      rows((q) => q.selectFrom('documents').select(['id', 'status', 'failure_reason']).orderBy('id')),
    );
    expect(docs).toEqual([
      { id: 'busy', status: 'processing', failure_reason: null },
      { id: 'f1', status: 'uploaded', failure_reason: null },
      { id: 'f2', status: 'uploaded', failure_reason: null },
      { id: 'ok', status: 'review_pending', failure_reason: null },
    ]);
    const jobs = await units.read(() => rows((q) => q.selectFrom('jobs').select(['document_id', 'state'])));
    expect(jobs.map((j) => j.document_id).sort()).toEqual(['f1', 'f2']);
    // Nothing failed is left: a second run queues none.
    expect(await units.write(() => reprocessMany(admin, req, 'v1', 3))).toBe(0);
    const audit = await units.read(() =>
      first((q) =>
        q.selectFrom('audit_events').select('details_json').where('action', '=', 'documents.reprocess').orderBy('id'),
      ),
    );
    expect(JSON.parse(audit!.details_json)).toMatchObject({ scope: 'failed', queued: 2, pipelineVersion: 'v1' });
  });
});
