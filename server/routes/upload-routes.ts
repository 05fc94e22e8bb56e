import crypto from 'node:crypto';
import { Hono } from 'hono';
import {
  CompleteUploadRequest,
  CompleteUploadsRequest,
  INLINE_PART_URLS,
  RegisterUploadRequest,
  RegisterUploadsRequest,
  SignPartsRequest,
  type BatchItemError,
  type CompleteUploadsResponse,
  type DocumentStatus,
  type RegisterUploadsResponse,
  type ListPartsResponse,
  type RegisterUploadResponse,
  type SignedPartUrl,
  type SignPartsResponse,
} from '../../common/api';
import { AppError } from '../../common/errors';
import { readJson, type AppDeps, type AppEnv } from '../app-env';
import { appendAudit } from '../audit/audit-log';
import type { SessionPrincipal } from '../auth/sessions';
import { STATUS_BY_KIND } from '../http-status';
import { nowIso } from '../db/open';
import { completeUpload } from '../uploads/complete-upload';
import { MAX_OBJECT_BYTES, partLength, planParts } from '../uploads/part-plan';
import { objectKeyFor } from '../storage/object-keys';
import { discardStored, getOwnUpload, isSinglePut, SINGLE_PUT, type UploadRow } from '../uploads/upload-rows';

export function uploadRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { db, store } = deps;

  type SignedUpload = Pick<UploadRow, 'object_key' | 's3_upload_id' | 'size_bytes' | 'part_size'>;
  const signUrls = (u: SignedUpload, partNumbers: number[]): Promise<SignedPartUrl[]> => {
    const expirySeconds = deps.config.presignExpirySeconds;
    const expiresAt = new Date(Date.now() + expirySeconds * 1000).toISOString();
    const sign = (partNumber: number) => {
      const length = partLength(u.size_bytes, u.part_size, partNumber);
      return isSinglePut(u)
        ? store.signPut(u.object_key, length, expirySeconds)
        : store.signPart(u.object_key, u.s3_upload_id, partNumber, length, expirySeconds);
    };
    return Promise.all(partNumbers.map(async (partNumber) => ({ partNumber, url: await sign(partNumber), expiresAt })));
  };

  // The first parts' URLs ride along with the register answer: a small file then needs no sign call.
  const asUploadOutcome = async (
    u: SignedUpload & Pick<UploadRow, 'id' | 'part_count'>,
  ): Promise<RegisterUploadResponse> => {
    const first = Array.from({ length: Math.min(u.part_count, INLINE_PART_URLS) }, (_, i) => i + 1);
    const mode = isSinglePut(u) ? 'single' : 'multipart';
    return {
      outcome: 'upload',
      uploadId: u.id,
      partSizeBytes: u.part_size,
      partCount: u.part_count,
      mode,
      urls: await signUrls(u, first),
    };
  };

  /** The organisation's document of this hash, or its unfinished upload of it, or null. */
  const findExisting = (
    orgId: string,
    sha256: string,
    sizeBytes: number,
  ): RegisterUploadResponse | UploadRow | null => {
    // Only bytes checked against their declared hash, and never a failed document: a file
    // answered "duplicate" must already be there, whole and usable.
    const doc = db
      .prepare(
        "SELECT id, status FROM documents WHERE org_id = ? AND sha256 = ? AND sha256_verified_at IS NOT NULL AND status <> 'failed' ORDER BY sha256_verified_at LIMIT 1",
      )
      .get(orgId, sha256) as { id: string; status: DocumentStatus } | undefined;
    if (doc) return { outcome: 'duplicate', documentId: doc.id, status: doc.status };
    const open = db
      .prepare("SELECT * FROM uploads WHERE org_id = ? AND sha256 = ? AND state = 'open'")
      .get(orgId, sha256) as UploadRow | undefined;
    if (!open) return null;
    if (open.size_bytes !== sizeBytes)
      throw new AppError(
        'conflict',
        `An unfinished upload of this SHA-256 was registered with ${open.size_bytes} bytes, not ${sizeBytes}; check the file.`,
      );
    return open;
  };
  const answerExisting = (
    found: RegisterUploadResponse | UploadRow,
  ): Promise<RegisterUploadResponse> | RegisterUploadResponse => ('outcome' in found ? found : asUploadOutcome(found));

  /** Registers one file: its existing document (duplicate), its unfinished upload, or a new upload (201). */
  const register = async (
    who: SessionPrincipal,
    req: RegisterUploadRequest,
  ): Promise<{ status: 200 | 201; body: RegisterUploadResponse }> => {
    if (req.sizeBytes > MAX_OBJECT_BYTES)
      throw new AppError('too_large', `The file has ${req.sizeBytes} bytes; the limit is ${MAX_OBJECT_BYTES}.`);
    if (req.batchId && !db.prepare('SELECT 1 FROM batches WHERE id = ? AND org_id = ?').get(req.batchId, who.orgId)) {
      throw new AppError('not_found', `No batch ${req.batchId}.`);
    }
    const existing = findExisting(who.orgId, req.sha256, req.sizeBytes);
    if (existing) return { status: 200, body: await answerExisting(existing) };

    const id = crypto.randomUUID();
    const key = objectKeyFor(who.orgId, id);
    const plan = planParts(req.sizeBytes);
    const s3UploadId =
      plan.partCount === 1 && store.guardsCompletedObjects ? SINGLE_PUT : await store.createMultipart(key);
    try {
      const now = nowIso();
      // Not fsynced on its own: losing it to a power cut costs the client one re-register (complete answers 404).
      await deps.writes.run(
        () =>
          db
            .prepare(
              `INSERT INTO uploads (id, org_id, batch_id, file_name, size_bytes, sha256, provider, object_key, s3_upload_id, part_size, part_count, state, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
            )
            .run(
              id,
              who.orgId,
              req.batchId ?? null,
              req.fileName,
              req.sizeBytes,
              req.sha256,
              req.provider ?? null,
              key,
              s3UploadId,
              plan.partSizeBytes,
              plan.partCount,
              who.userId,
              now,
              now,
            ),
        { durable: false },
      );
    } catch (err) {
      // Lost a race with a concurrent register of the same hash: hand out the winner's upload.
      if (s3UploadId !== SINGLE_PUT) await store.abortMultipart(key, s3UploadId).catch(() => undefined);
      const winner = findExisting(who.orgId, req.sha256, req.sizeBytes);
      if (winner) return { status: 200, body: await answerExisting(winner) };
      throw err;
    }
    return {
      status: 201,
      body: await asUploadOutcome({
        id,
        size_bytes: req.sizeBytes,
        part_size: plan.partSizeBytes,
        part_count: plan.partCount,
        object_key: key,
        s3_upload_id: s3UploadId,
      }),
    };
  };

  app.post('/', async (c) => {
    const r = await register(c.get('principal'), await readJson(c, RegisterUploadRequest));
    return c.json(r.body, r.status);
  });

  // Concurrently, so their rows share the group commit's transactions.
  app.post('/batch', async (c) => {
    const who = c.get('principal');
    const req = await readJson(c, RegisterUploadsRequest);
    const res: RegisterUploadsResponse = {
      results: await Promise.all(req.files.map((f) => asItem(async () => (await register(who, f)).body))),
    };
    return c.json(res, 200);
  });

  // Concurrently: every document row of the batch is made durable by the same WAL sync.
  app.post('/complete-batch', async (c) => {
    const who = c.get('principal');
    const req = await readJson(c, CompleteUploadsRequest);
    const complete = async (u: CompleteUploadsRequest['uploads'][number]) => {
      getOwnUpload(db, who.orgId, u.uploadId);
      return { outcome: 'completed' as const, ...(await completeUpload(deps, who, u.uploadId, u.parts)) };
    };
    const res: CompleteUploadsResponse = {
      results: await Promise.all(req.uploads.map((u) => asItem(() => complete(u)))),
    };
    return c.json(res, 202);
  });

  app.post('/:id/parts', async (c) => {
    const upload = getOwnUpload(db, c.get('principal').orgId, c.req.param('id'));
    const req = await readJson(c, SignPartsRequest);
    if (upload.state !== 'open')
      throw new AppError('conflict', `Upload ${upload.id} is ${upload.state}; nothing more to send.`);
    const tooHigh = req.partNumbers.find((n) => n > upload.part_count);
    if (tooHigh)
      throw new AppError(
        'invalid_input',
        `Part ${tooHigh} does not exist: this upload has ${upload.part_count} parts.`,
      );
    const res: SignPartsResponse = { urls: await signUrls(upload, req.partNumbers) };
    return c.json(res);
  });

  app.get('/:id/parts', async (c) => {
    const upload = getOwnUpload(db, c.get('principal').orgId, c.req.param('id'));
    if (upload.state !== 'open') throw new AppError('conflict', `Upload ${upload.id} is ${upload.state}.`);
    const parts = await store.listParts(upload.object_key, upload.s3_upload_id);
    const res: ListPartsResponse = parts ? { supported: true, parts } : { supported: false, parts: [] };
    return c.json(res);
  });

  app.post('/:id/complete', async (c) => {
    const who = c.get('principal');
    const uploadId = c.req.param('id');
    getOwnUpload(db, who.orgId, uploadId);
    const req = await readJson(c, CompleteUploadRequest);
    return c.json(await completeUpload(deps, who, uploadId, req.parts), 202);
  });

  app.delete('/:id', async (c) => {
    const who = c.get('principal');
    const upload = getOwnUpload(db, who.orgId, c.req.param('id'));
    // Cancelling someone else's upload loses their work: only its starter or an admin may, and an admin's is audited.
    const othersUpload = upload.created_by !== who.userId;
    if (othersUpload && who.role !== 'admin') {
      throw new AppError(
        'forbidden',
        `Upload ${upload.id} was started by another user; only they or an admin may cancel it.`,
      );
    }
    if (upload.state === 'completed')
      throw new AppError('conflict', `Upload ${upload.id} is already complete; delete its document's batch instead.`);
    if (upload.state === 'open') {
      await discardStored(store, upload);
      await deps.writes.run(() => {
        db.prepare("UPDATE uploads SET state = 'aborted', updated_at = ? WHERE id = ?").run(nowIso(), upload.id);
        if (othersUpload)
          appendAudit(db, {
            orgId: who.orgId,
            actor: who.email,
            action: 'upload.aborted',
            details: { uploadId: upload.id, startedBy: upload.created_by },
          });
      });
    }
    return c.body(null, 204);
  });

  return app;
}

/** One item of a batch call: its answer, or the refusal (4xx) the single call would have answered. Other failures fail the request. */
async function asItem<T>(run: () => Promise<T>): Promise<T | BatchItemError> {
  try {
    return await run();
  } catch (err) {
    const status = err instanceof AppError ? STATUS_BY_KIND[err.kind] : 500;
    if (!(err instanceof AppError) || status >= 500) throw err;
    return { outcome: 'error', error: { code: err.kind, message: err.message }, status };
  }
}
