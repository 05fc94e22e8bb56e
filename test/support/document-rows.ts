import crypto from 'node:crypto';
import type { Insertable } from 'kysely';
import type { DocumentsTable } from '../../server/db/schema';

/**
 * A whole `documents` row for data-layer tests that write it directly on either database: a fresh
 * id and content hash, the rest as an uploaded, unprocessed document leaves it; a test names only
 * what it is about.
 */
export function documentRow(
  fields: Pick<Insertable<DocumentsTable>, 'org_id'> & Partial<Insertable<DocumentsTable>>,
): Insertable<DocumentsTable> {
  const id = fields.id ?? crypto.randomUUID();
  const at = new Date().toISOString();
  return {
    id,
    batch_id: null,
    upload_id: null,
    file_name: `${id}.pdf`,
    size_bytes: 10,
    sha256: crypto.randomBytes(32).toString('hex'),
    provider: null,
    object_key: `docs/${id}.pdf`,
    status: 'review_pending',
    failure_reason: null,
    pages: 1,
    doc_type: null,
    doc_type_confidence: null,
    min_confidence: null,
    mean_confidence: null,
    expiration_date: null,
    reviewed_by: null,
    reviewed_at: null,
    processing_started_at: null,
    processing_finished_at: null,
    created_at: at,
    updated_at: at,
    change_seq: 0,
    sha256_verified_at: null,
    rel_path: null,
    ...fields,
  };
}
