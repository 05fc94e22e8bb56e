/**
 * Reads a document's effective fields (a reviewer's correction wins over the extraction) without
 * writing anything: the documents module owns those tables, the providers module only reads them.
 */
import type { Kysely } from 'kysely';
import type { DocType } from '../../common/extraction';
import { queryLayer, type AnyDb } from '../db/kysely';
import type { DatabaseSchema } from '../db/schema';
import { rows, type Unit } from '../db/units';

/** Documents whose extraction has finished; a rejected one is read only to drop its match. */
export const EXTRACTED_STATUSES: readonly string[] = ['review_pending', 'approved', 'rejected'];

/** Whether a document's figures count: extraction finished (not failed, not re-queued) and not rejected. */
export function countsInFigures(doc: Pick<ExtractedDocument, 'status'>): boolean {
  return EXTRACTED_STATUSES.includes(doc.status) && doc.status !== 'rejected';
}

export interface ExtractedDocument {
  id: string;
  orgId: string;
  docType: DocType | null;
  status: string;
  fileName: string;
  /** The provider the uploader named for the batch (a folder or a label): a hint only. */
  uploadProvider: string | null;
  /** The file's path below the imported folder (migration 006): its folders are a hint only. Never logged. */
  relPath: string | null;
  changeSeq: number;
  createdAt: string;
  fields: Record<string, unknown>;
}

interface Row {
  id: string;
  org_id: string;
  /** One of DocType's (the extraction wrote it); a plain string to the query layer. */
  doc_type: string | null;
  status: string;
  file_name: string;
  provider: string | null;
  rel_path: string | null;
  change_seq: number;
  created_at: string;
  corrections_json: string;
  result_json: string | null;
}

/** Documents with their latest extraction's result, as toExtracted reads them; on either database. */
const selectExtracted = (k: Kysely<DatabaseSchema>) =>
  k
    .selectFrom('documents as d')
    .select((eb) => [
      'd.id',
      'd.org_id',
      'd.doc_type',
      'd.status',
      'd.file_name',
      'd.provider',
      'd.rel_path',
      'd.change_seq',
      'd.created_at',
      'd.corrections_json',
      eb
        .selectFrom('extractions as e')
        .select('e.result_json')
        .whereRef('e.document_id', '=', 'd.id')
        .orderBy('e.id', 'desc')
        .limit(1)
        .as('result_json'),
    ]);

function toExtracted(r: Row): ExtractedDocument {
  const fields: Record<string, unknown> = {};
  if (r.result_json) {
    const parsed = JSON.parse(r.result_json) as { fields?: Record<string, { value: unknown } | null> };
    for (const [k, v] of Object.entries(parsed.fields ?? {})) fields[k] = v?.value ?? null;
  }
  const corrections = JSON.parse(r.corrections_json) as Record<string, { value: unknown }>;
  for (const [k, c] of Object.entries(corrections)) fields[k] = c.value ?? null;
  return {
    id: r.id,
    orgId: r.org_id,
    docType: r.doc_type as DocType | null,
    status: r.status,
    fileName: r.file_name,
    uploadProvider: r.provider,
    relPath: r.rel_path,
    changeSeq: r.change_seq,
    createdAt: r.created_at,
    fields,
  };
}

/**
 * Documents of the organisation whose extraction finished and that were never matched, or changed
 * since. A unit: the reconciler reads them inside the write that records their matches.
 */
export function* documentsToMatch(orgId: string, limit: number): Unit<ExtractedDocument[]> {
  const found = yield* rows((q) =>
    selectExtracted(q)
      .leftJoin('provider_matches as m', 'm.document_id', 'd.id')
      .where('d.org_id', '=', orgId)
      .where('d.status', 'in', EXTRACTED_STATUSES)
      .where((eb) => eb.or([eb('m.document_id', 'is', null), eb('m.matched_change_seq', '<', eb.ref('d.change_seq'))]))
      .orderBy('d.change_seq')
      .limit(limit),
  );
  return found.map(toExtracted);
}

/** The given documents of the organisation (unknown ids are left out); on either database. */
export async function readDocuments(anyDb: AnyDb, orgId: string, ids: readonly string[]): Promise<ExtractedDocument[]> {
  const db = queryLayer(anyDb);
  const out: ExtractedDocument[] = [];
  // Chunks below SQLite's bound-parameter limit.
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await selectExtracted(db).where('d.org_id', '=', orgId).where('d.id', 'in', chunk).execute();
    out.push(...rows.map(toExtracted));
  }
  return out;
}

export function stringField(doc: ExtractedDocument, name: string): string | null {
  const v = doc.fields[name];
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

export function numberField(doc: ExtractedDocument, name: string): number | null {
  const v = doc.fields[name];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() && Number.isFinite(Number(v))) return Number(v);
  return null;
}
