/**
 * A real migrated server database in a temp dir, with documents and extractions written as the
 * worker writes them (these tests are about matching, not about extraction), for the providers
 * and compliance tests.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attachUnitContext } from '../../server/db/units';
import { closeQueryLayer } from '../../server/db/kysely';
import { nowIso, openDatabase, type Db } from '../../server/db/open';
import { runUnitOnHandle, type Unit } from '../../server/db/units';
import type { SessionPrincipal } from '../../server/auth/sessions';
import type { DocType } from '../../common/extraction';

/** The server-wide change counter, bumped as the documents module does on every document write. */
function nextChangeSeq(db: Db): number {
  return (
    db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'change_seq' RETURNING value").get() as {
      value: number;
    }
  ).value;
}

export interface ProvidersFixture {
  db: Db;
  orgId: string;
  who: SessionPrincipal;
  addOrg(name: string): string;
  /** One extracted document; `fields` are the extracted values (field → value). */
  addDocument(
    docType: DocType,
    fields: Record<string, unknown>,
    opts?: { orgId?: string; fileName?: string; provider?: string; status?: string },
  ): string;
  /** A reviewer's correction, as the review route stores it (bumps the change_seq). */
  correct(documentId: string, fields: Record<string, unknown>): void;
  /** Runs a unit as one write transaction on the handle (as the group commit does), answering at once. */
  write<T>(unit: Unit<T>): T;
  /** Closes the query layer's connection (read-only provider queries), then the handle. */
  close(): Promise<void>;
}

export function providersFixture(): ProvidersFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-providers-'));
  const db = openDatabase(dir);
  attachUnitContext(db, { auditChain: { key: crypto.randomBytes(32), onAppend: () => undefined } });
  const addOrg = (name: string): string => {
    const id = crypto.randomUUID();
    db.prepare('INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)').run(id, name, nowIso());
    return id;
  };
  const orgId = addOrg('Clinic A');
  const who: SessionPrincipal = {
    userId: 'u1',
    email: 'coordinator@a.test',
    role: 'admin',
    orgId,
    orgName: 'Clinic A',
    tokenHash: 'x',
  };
  return {
    db,
    orgId,
    who,
    addOrg,
    addDocument(docType, fields, opts = {}) {
      const id = crypto.randomUUID();
      const at = nowIso();
      db.transaction(() => {
        db.prepare(
          `INSERT INTO documents (id, org_id, file_name, size_bytes, sha256, provider, object_key, status, doc_type, created_at, updated_at, change_seq)
           VALUES (?, ?, ?, 1000, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          id,
          opts.orgId ?? orgId,
          opts.fileName ?? `${docType}.pdf`,
          crypto.randomBytes(32).toString('hex'),
          opts.provider ?? null,
          `docs/${id}.pdf`,
          opts.status ?? 'review_pending',
          docType,
          at,
          at,
          nextChangeSeq(db),
        );
        const result = {
          docType,
          docTypeConfidence: 0.99,
          fields: Object.fromEntries(
            Object.entries(fields).map(([k, v]) => [
              k,
              v === null ? null : { value: v, confidence: 0.95, page: 1, bbox: [0, 0, 1, 1] },
            ]),
          ),
          pages: 1,
          ocr: false,
          ms: 1,
          warnings: [],
        };
        db.prepare(
          'INSERT INTO extractions (document_id, job_id, fencing_token, pipeline_version, result_json, created_at) VALUES (?, 1, 1, ?, ?, ?)',
        ).run(id, 'test', JSON.stringify(result), at);
      })();
      return id;
    },
    correct(documentId, fields) {
      const row = db.prepare('SELECT corrections_json FROM documents WHERE id = ?').get(documentId) as {
        corrections_json: string;
      };
      const corrections = JSON.parse(row.corrections_json) as Record<string, unknown>;
      for (const [k, value] of Object.entries(fields)) corrections[k] = { value, by: who.email, at: nowIso() };
      db.transaction(() =>
        db
          .prepare('UPDATE documents SET corrections_json = ?, change_seq = ? WHERE id = ?')
          .run(JSON.stringify(corrections), nextChangeSeq(db), documentId),
      )();
    },
    write: (unit) => db.transaction(() => runUnitOnHandle(db, unit)).immediate(),
    async close() {
      await closeQueryLayer(db);
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A valid NPI from a 9-digit base: Luhn check digit over 80840 + base. */
export function npiFrom(base9: string): string {
  for (let d = 0; d <= 9; d++) {
    const digits = `80840${base9}${d}`.split('').map(Number);
    let sum = 0;
    for (let i = digits.length - 1, alt = false; i >= 0; i--, alt = !alt) {
      let v = digits[i]!;
      if (alt) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
      sum += v;
    }
    if (sum % 10 === 0) return `${base9}${d}`;
  }
  throw new Error('unreachable');
}

/** A DEA number with a valid check digit: two letters and six digits, the seventh computed. */
export function deaFrom(letters: string, six: string): string {
  const d = six.split('').map(Number);
  const check = (d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!)) % 10;
  return `${letters}${six}${check}`;
}
