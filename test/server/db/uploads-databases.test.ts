import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { addUser } from '../../../server/accounts';
import type { SessionPrincipal } from '../../../server/auth/sessions';
import { deleteBatchRow, getOwnBatch, insertBatch } from '../../../server/batches/batch-stats';
import { unitsFor, type UnitRunner } from '../../../server/db/unit-runner';
import { rows } from '../../../server/db/units';
import { recordCompletion } from '../../../server/uploads/complete-upload';
import {
  abortIfOpen,
  deleteUploadsOfBatch,
  findOpenUpload,
  getOwnUpload,
  insertUpload,
  openReplacementsOf,
  openUploadsCreatedBefore,
  openUploadsOfBatch,
  setUploadState,
  type UploadRow,
} from '../../../server/uploads/upload-rows';
import { DATABASE_KINDS, openTestServerDatabase, type TestServerDatabase } from '../../support/server-databases';

const auditChain = { key: crypto.randomBytes(32), onAppend: () => undefined };

/** An upload row as registration writes it; sizes above 2^32 so PostgreSQL's bigint columns are exercised. */
function uploadRow(orgId: string, over: Partial<Omit<UploadRow, 'state'>> = {}): Omit<UploadRow, 'state'> {
  const id = crypto.randomUUID();
  return {
    id,
    org_id: orgId,
    batch_id: null,
    file_name: 'licence.pdf',
    size_bytes: 5_000_000_000,
    sha256: crypto.randomBytes(32).toString('hex'),
    provider: null,
    rel_path: 'Dr A/licence.pdf',
    object_key: `${orgId}/${id}`,
    s3_upload_id: 'mp-1',
    part_size: 64 * 1024 * 1024,
    part_count: 75,
    document_id: null,
    created_by: null,
    ...over,
  };
}

describe.each(DATABASE_KINDS)('uploads and batches on %s', (kind) => {
  let t: TestServerDatabase;
  let units: UnitRunner;
  let orgId: string;
  let otherOrgId: string;
  let who: SessionPrincipal;
  afterEach(async () => t?.cleanup());

  async function open(): Promise<void> {
    t = await openTestServerDatabase(kind);
    units = unitsFor(t.database, { auditChain });
    const a = await addUser(t.database.db, {
      org: 'Clinic A',
      email: 'a@clinic.test',
      password: 'a-long-password',
      role: 'admin',
    });
    const b = await addUser(t.database.db, {
      org: 'Clinic B',
      email: 'b@clinic.test',
      password: 'a-long-password',
      role: 'admin',
    });
    orgId = a.orgId;
    otherOrgId = b.orgId;
    who = { userId: a.userId, email: 'a@clinic.test', role: 'admin', orgId, orgName: 'Clinic A', tokenHash: 'x' };
  }

  it('registers one open upload per hash, found by hash and by id within its organisation only', async () => {
    await open();
    const row = uploadRow(orgId);
    expect(await units.write(() => insertUpload(row))).toBe(true);
    // A second registration of the same bytes loses to the open one (what a concurrent register hands out).
    expect(await units.write(() => insertUpload(uploadRow(orgId, { sha256: row.sha256 })))).toBe(false);
    // Another organisation's upload of the same bytes is its own.
    expect(await units.write(() => insertUpload(uploadRow(otherOrgId, { sha256: row.sha256 })))).toBe(true);

    const found = await units.read(() => findOpenUpload(orgId, row.sha256));
    expect(found).toMatchObject({ ...row, state: 'open' });
    expect(await units.read(() => getOwnUpload(orgId, row.id))).toMatchObject({
      id: row.id,
      size_bytes: 5_000_000_000,
    });
    await expect(units.read(() => getOwnUpload(otherOrgId, row.id))).rejects.toThrow(`No upload ${row.id}.`);
    expect(await units.read(() => findOpenUpload(orgId, 'f'.repeat(64)))).toBeNull();
  });

  it('sets an upload completed or aborted; a completed hash may be registered again', async () => {
    await open();
    const row = uploadRow(orgId);
    await units.write(() => insertUpload(row));
    await units.write(() => setUploadState(row.id, 'completed', 'doc-1'));
    expect(await units.read(() => getOwnUpload(orgId, row.id))).toMatchObject({
      state: 'completed',
      document_id: 'doc-1',
    });
    expect(await units.read(() => findOpenUpload(orgId, row.sha256))).toBeNull();
    // Not open any more: abortIfOpen leaves it (and its document) alone.
    expect(await units.write(() => abortIfOpen(row.id))).toBe(false);
    expect(await units.read(() => getOwnUpload(orgId, row.id))).toMatchObject({
      state: 'completed',
      document_id: 'doc-1',
    });
    expect(await units.write(() => insertUpload(uploadRow(orgId, { sha256: row.sha256 })))).toBe(true);
  });

  it('seals an open upload exactly once when two processes abort it at the same time', async () => {
    await open();
    const other = unitsFor(await t.openAnother(), { auditChain });
    const uploads = Array.from({ length: 8 }, () => uploadRow(orgId, { document_id: 'doc-replaced' }));
    for (const u of uploads) await units.write(() => insertUpload(u));
    for (const u of uploads) {
      const answers = await Promise.all([units.write(() => abortIfOpen(u.id)), other.write(() => abortIfOpen(u.id))]);
      expect(answers.filter(Boolean)).toHaveLength(1);
      // Sealed with its document_id kept (the document it was to replace).
      expect(await other.read(() => getOwnUpload(orgId, u.id))).toMatchObject({
        state: 'aborted',
        document_id: 'doc-replaced',
      });
    }
  });

  it('lists open replacements of a document and open uploads older than a cutoff', async () => {
    await open();
    const replacing = uploadRow(orgId, { document_id: 'doc-9' });
    const plain = uploadRow(orgId);
    await units.write(() => insertUpload(replacing));
    await units.write(() => insertUpload(plain));
    expect((await units.read(() => openReplacementsOf('doc-9'))).map((u) => u.id)).toEqual([replacing.id]);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await units.read(() => openUploadsCreatedBefore('2000-01-01T00:00:00.000Z', 10))).toEqual([]);
    const stale = await units.read(() => openUploadsCreatedBefore(future, 10));
    expect(stale.map((u) => u.id).sort()).toEqual([replacing.id, plain.id].sort());
    expect(await units.read(() => openUploadsCreatedBefore(future, 1))).toHaveLength(1);
    await units.write(() => abortIfOpen(replacing.id));
    expect(await units.read(() => openReplacementsOf('doc-9'))).toEqual([]);
  });

  it('inserts a batch, and deletes it with its uploads', async () => {
    await open();
    const batchId = crypto.randomUUID();
    await units.write(() =>
      insertBatch({ id: batchId, orgId, name: 'import 1', expectedFiles: 3, createdBy: who.userId }),
    );
    expect(await getOwnBatch(t.database.db, orgId, batchId)).toMatchObject({ id: batchId, name: 'import 1' });
    await expect(getOwnBatch(t.database.db, otherOrgId, batchId)).rejects.toThrow(`No batch ${batchId}.`);
    const open1 = uploadRow(orgId, { batch_id: batchId });
    const done = uploadRow(orgId, { batch_id: batchId });
    await units.write(() => insertUpload(open1));
    await units.write(() => insertUpload(done));
    await units.write(() => setUploadState(done.id, 'completed', 'doc-1'));
    expect(await units.read(() => openUploadsOfBatch(batchId))).toEqual([
      { object_key: open1.object_key, s3_upload_id: open1.s3_upload_id },
    ]);
    await units.write(function* () {
      yield* deleteUploadsOfBatch(batchId);
      yield* deleteBatchRow(batchId);
    });
    await expect(getOwnBatch(t.database.db, orgId, batchId)).rejects.toThrow(`No batch ${batchId}.`);
    const left = await units.read(() =>
      rows((q) => q.selectFrom('uploads').select('id').where('batch_id', '=', batchId)),
    );
    expect(left).toEqual([]);
  });

  it('records a completion as one unit (document, job, audit event) and answers it again unchanged', async () => {
    await open();
    const row = uploadRow(orgId);
    await units.write(() => insertUpload(row));
    const first = await units.write(() => recordCompletion(who, row.id, 3));
    expect(first).toMatchObject({ result: { status: 'uploaded' }, replacedKey: null });
    const documentId = first.result.documentId;
    const again = await units.write(() => recordCompletion(who, row.id, 3));
    expect(again).toEqual({ result: { documentId, status: 'uploaded' }, replacedKey: null });
    const written = await units.read(function* () {
      return {
        docs: yield* rows((q) =>
          q.selectFrom('documents').select(['id', 'upload_id', 'size_bytes']).where('org_id', '=', orgId),
        ),
        jobs: yield* rows((q) => q.selectFrom('jobs').select(['document_id', 'state', 'max_attempts'])),
        audit: yield* rows((q) =>
          q.selectFrom('audit_events').select(['action', 'document_id']).where('org_id', '=', orgId),
        ),
      };
    });
    expect(written.docs).toEqual([{ id: documentId, upload_id: row.id, size_bytes: 5_000_000_000 }]);
    expect(written.jobs).toEqual([{ document_id: documentId, state: 'queued', max_attempts: 3 }]);
    expect(written.audit).toEqual([{ action: 'document.uploaded', document_id: documentId }]);
    expect(await units.read(() => getOwnUpload(orgId, row.id))).toMatchObject({
      state: 'completed',
      document_id: documentId,
    });
  });

  it('makes one document of an upload completed by two processes at once, and none of one aborted meanwhile', async () => {
    await open();
    const other = unitsFor(await t.openAnother(), { auditChain });
    for (let round = 0; round < 6; round++) {
      const row = uploadRow(orgId);
      await units.write(() => insertUpload(row));
      const answers = await Promise.all([
        units.write(() => recordCompletion(who, row.id, 3)),
        other.write(() => recordCompletion(who, row.id, 3)),
      ]);
      expect(answers[1].result.documentId).toBe(answers[0].result.documentId);
      const docs = await units.read(() =>
        rows((q) => q.selectFrom('documents').select('id').where('upload_id', '=', row.id)),
      );
      expect(docs).toHaveLength(1);

      const raced = uploadRow(orgId);
      await units.write(() => insertUpload(raced));
      const [completed, aborted] = await Promise.allSettled([
        units.write(() => recordCompletion(who, raced.id, 3)),
        other.write(() => abortIfOpen(raced.id)),
      ]);
      const made = await units.read(() =>
        rows((q) => q.selectFrom('documents').select('id').where('upload_id', '=', raced.id)),
      );
      const state = (await units.read(() => getOwnUpload(orgId, raced.id))).state;
      // Exactly one of them won: a document of a completed upload, or an aborted upload and no document.
      if (aborted.status === 'fulfilled' && aborted.value) {
        expect(completed.status).toBe('rejected');
        expect([state, made.length]).toEqual(['aborted', 0]);
      } else {
        expect(completed.status).toBe('fulfilled');
        expect([state, made.length]).toEqual(['completed', 1]);
      }
    }
  });

  it('refuses to complete an aborted upload and writes nothing', async () => {
    await open();
    const row = uploadRow(orgId);
    await units.write(() => insertUpload(row));
    await units.write(() => abortIfOpen(row.id));
    await expect(units.write(() => recordCompletion(who, row.id, 3))).rejects.toThrow(
      /was aborted; register the file again/,
    );
    expect(await units.read(() => rows((q) => q.selectFrom('documents').select('id')))).toEqual([]);
    expect(await units.read(() => rows((q) => q.selectFrom('jobs').select('id')))).toEqual([]);
  });
});
