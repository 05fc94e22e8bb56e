/**
 * Zod schemas for every channel's argument: the renderer (or a web page) is untrusted input,
 * so a bad argument becomes an `invalid_input` error that names the field, before any handler runs.
 */
import { z } from 'zod';
import { DOCUMENT_STATUSES, ReviewRequest } from '../../common/api';
import { DOC_TYPES } from '../../common/extraction';
import { AppError } from '../../common/errors';
import { QUEUE_STATES, type Channel } from '../../preload/contract';

const none = z
  .undefined()
  .or(z.null())
  .or(z.object({}).strict())
  .transform(() => undefined);
const id = z.string().min(1).max(200);
const selector = z.object({ fileIds: z.array(id).max(100_000).optional(), batchId: id.optional() }).strict();

const SCHEMAS: Record<Channel, z.ZodType> = {
  'session.get': none,
  'session.signInLocal': none,
  'session.signIn': z
    .object({
      serverUrl: z.string().url().max(2000),
      email: z.string().min(3).max(320),
      password: z.string().min(1).max(1024),
    })
    .strict(),
  'session.signOut': none,
  'import.pickFolder': none,
  'import.scan': z
    .object({
      paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000),
      include: z.array(z.string().max(500)).max(100).optional(),
      exclude: z.array(z.string().max(500)).max(100).optional(),
    })
    .strict(),
  'import.cancelScan': z.object({ scanId: id }).strict(),
  'import.readFile': z.object({ scanId: id, fileId: id }).strict(),
  'import.queue': z
    .object({
      scanId: id,
      excludeFileIds: z.array(id).max(100_000).optional(),
      batchName: z.string().min(1).max(200).optional(),
      provider: z.string().max(200).optional(),
      startNow: z.boolean(),
    })
    .strict(),
  'queue.list': z
    .object({
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(1000),
      state: z.enum(QUEUE_STATES).optional(),
      batchId: id.optional(),
    })
    .strict(),
  'queue.stats': none,
  'queue.pause': selector,
  'queue.resume': selector,
  'queue.cancel': selector,
  'queue.retry': selector,
  'batches.listLocal': none,
  'queue.batchFigures': none,
  'documents.list': z
    .object({
      status: z.enum(DOCUMENT_STATUSES).optional(),
      docType: z.enum(DOC_TYPES).optional(),
      batchId: id.optional(),
      search: z.string().max(200).optional(),
      expiringWithinDays: z.number().int().min(0).max(3650).optional(),
      sort: z.enum(['updatedAt', 'fileName', 'expirationDate', 'status']).optional(),
      direction: z.enum(['asc', 'desc']).optional(),
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
  'documents.get': z.object({ id }).strict(),
  'documents.content': z.object({ id }).strict(),
  'documents.review': ReviewRequest.extend({ id }).strict(),
  'batches.stats': z.object({ batchId: id }).strict(),
  'batches.exportCsv': z.object({ batchId: id }).strict(),
  'app.openExternal': z.object({ url: z.string().max(2000) }).strict(),
};

export function parseChannelArg(channel: Channel, raw: unknown): unknown {
  const parsed = SCHEMAS[channel].safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
  throw new AppError('invalid_input', `Bad argument for ${channel}${where}: ${issue?.message ?? 'invalid'}.`);
}
