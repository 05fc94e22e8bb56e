import { Hono } from 'hono';
import {
  CompleteUploadRequest,
  CompleteUploadsRequest,
  RegisterUploadRequest,
  RegisterUploadsRequest,
  SignPartsRequest,
  type BatchItemError,
  type CompleteUploadsResponse,
  type RegisterUploadsResponse,
  type ListPartsResponse,
  type SignPartsResponse,
} from '../../common/api';
import { AppError } from '../../common/errors';
import { readJson, type AppDeps, type AppEnv } from '../app-env';
import { STATUS_BY_KIND } from '../http-status';
import { cancelUpload } from '../uploads/cancel-upload';
import { completeUpload } from '../uploads/complete-upload';
import { getOwnBatch } from '../batches/batch-stats';
import { registerUpload, signPartUrls } from '../uploads/register-upload';
import { getOwnUpload } from '../uploads/upload-rows';

export function uploadRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { store } = deps;
  const ownUpload = (orgId: string, id: string) => deps.units.read(() => getOwnUpload(orgId, id));

  app.post('/', async (c) => {
    const r = await registerUpload(deps, c.get('principal'), await readJson(c, RegisterUploadRequest));
    return c.json(r.body, r.status);
  });

  // Concurrently, so their rows share the group commit's transactions.
  app.post('/batch', async (c) => {
    const who = c.get('principal');
    const req = await readJson(c, RegisterUploadsRequest);
    // Each batch named is read once per call, not once per file (its files name the same one; issue 17).
    const batches = new Map<string, Promise<unknown>>();
    const checkBatch = (id: string) => {
      let check = batches.get(id);
      if (!check) batches.set(id, (check = getOwnBatch(deps.db, who.orgId, id)));
      return check;
    };
    const res: RegisterUploadsResponse = {
      results: await Promise.all(
        req.files.map((f) => asItem(async () => (await registerUpload(deps, who, f, checkBatch)).body)),
      ),
    };
    return c.json(res, 200);
  });

  // Concurrently: every document row of the batch is made durable by the same WAL sync.
  app.post('/complete-batch', async (c) => {
    const who = c.get('principal');
    const req = await readJson(c, CompleteUploadsRequest);
    // No read of the upload here: completeUpload refuses another organisation's upload itself (one
    // read per file fewer, issue 17).
    const complete = async (u: CompleteUploadsRequest['uploads'][number]) => ({
      outcome: 'completed' as const,
      ...(await completeUpload(deps, who, u.uploadId, u.parts)),
    });
    const res: CompleteUploadsResponse = {
      results: await Promise.all(req.uploads.map((u) => asItem(() => complete(u)))),
    };
    return c.json(res, 202);
  });

  app.post('/:id/parts', async (c) => {
    const upload = await ownUpload(c.get('principal').orgId, c.req.param('id'));
    const req = await readJson(c, SignPartsRequest);
    if (upload.state !== 'open')
      throw new AppError('conflict', `Upload ${upload.id} is ${upload.state}; nothing more to send.`);
    const tooHigh = req.partNumbers.find((n) => n > upload.part_count);
    if (tooHigh)
      throw new AppError(
        'invalid_input',
        `Part ${tooHigh} does not exist: this upload has ${upload.part_count} parts.`,
      );
    const res: SignPartsResponse = { urls: await signPartUrls(deps, upload, req.partNumbers) };
    return c.json(res);
  });

  app.get('/:id/parts', async (c) => {
    const upload = await ownUpload(c.get('principal').orgId, c.req.param('id'));
    if (upload.state !== 'open') throw new AppError('conflict', `Upload ${upload.id} is ${upload.state}.`);
    const parts = await store.listParts(upload.object_key, upload.s3_upload_id);
    const res: ListPartsResponse = parts ? { supported: true, parts } : { supported: false, parts: [] };
    return c.json(res);
  });

  app.post('/:id/complete', async (c) => {
    const who = c.get('principal');
    const uploadId = c.req.param('id');
    await ownUpload(who.orgId, uploadId);
    const req = await readJson(c, CompleteUploadRequest);
    return c.json(await completeUpload(deps, who, uploadId, req.parts), 202);
  });

  app.delete('/:id', async (c) => {
    const who = c.get('principal');
    const upload = await ownUpload(who.orgId, c.req.param('id'));
    await cancelUpload(deps, who, upload);
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
