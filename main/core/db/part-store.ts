import type Database from 'better-sqlite3';
import { commitProgress, flushProgress } from './commit-progress';

export interface UploadRow {
  file_id: string;
  upload_id: string;
  part_size: number;
  part_count: number;
}

export interface PartRow {
  part_number: number;
  size_bytes: number;
  etag: string | null;
  state: 'pending' | 'done';
}

/**
 * The multipart upload of each file and its parts' ETags: the record that lets an upload resume
 * after a crash without the store's ListParts (s3rver has none).
 */
export class PartStore {
  constructor(readonly db: Database.Database) {}

  getUpload(fileId: string): UploadRow | null {
    return (this.db.prepare('SELECT * FROM uploads WHERE file_id = ?').get(fileId) as UploadRow | undefined) ?? null;
  }

  /**
   * Records the server's upload for a file. Same upload id as before: parts are kept (resume).
   * A different one (the server started over): old parts are dropped, all parts pending again.
   * `also` runs in the same transaction (the file's own state change: one commit, not two).
   */
  beginUpload(
    fileId: string,
    fileSize: number,
    uploadId: string,
    partSize: number,
    partCount: number,
    also?: () => void,
  ): { parts: PartRow[]; resumed: boolean } {
    return commitProgress(this.db, () => {
      also?.();
      const prev = this.getUpload(fileId);
      const resumed = !!prev && prev.upload_id === uploadId && prev.part_size === partSize;
      if (!resumed) {
        this.db.prepare('DELETE FROM parts WHERE file_id = ?').run(fileId);
        this.db
          .prepare(
            'INSERT OR REPLACE INTO uploads (file_id, upload_id, part_size, part_count, created_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(fileId, uploadId, partSize, partCount, new Date().toISOString());
        const ins = this.db.prepare(
          "INSERT INTO parts (file_id, part_number, size_bytes, state) VALUES (?, ?, ?, 'pending')",
        );
        for (let n = 1; n <= partCount; n++)
          ins.run(fileId, n, Math.max(0, Math.min(partSize, fileSize - (n - 1) * partSize)));
      }
      this.db
        .prepare(
          'UPDATE files SET bytes_sent = (SELECT coalesce(sum(size_bytes), 0) FROM parts WHERE file_id = ? AND state = ?) WHERE id = ?',
        )
        .run(fileId, 'done', fileId);
      return { parts: this.listParts(fileId), resumed };
    });
  }

  listParts(fileId: string): PartRow[] {
    return this.db
      .prepare('SELECT part_number, size_bytes, etag, state FROM parts WHERE file_id = ? ORDER BY part_number')
      .all(fileId) as PartRow[];
  }

  /** One transaction: the part's ETag and the file's byte count move together (and `also`, as above). */
  markPartDone(fileId: string, partNumber: number, etag: string, also?: () => void): number {
    return commitProgress(this.db, () => {
      also?.();
      this.db
        .prepare("UPDATE parts SET etag = ?, state = 'done' WHERE file_id = ? AND part_number = ?")
        .run(etag, fileId, partNumber);
      const { n } = this.db
        .prepare("SELECT coalesce(sum(size_bytes), 0) AS n FROM parts WHERE file_id = ? AND state = 'done'")
        .get(fileId) as { n: number };
      this.db
        .prepare('UPDATE files SET bytes_sent = ?, updated_at = ? WHERE id = ?')
        .run(n, new Date().toISOString(), fileId);
      return n;
    });
  }

  /** Forgets a file's upload (after complete, abort, or when the file changed on disk). */
  dropUpload(fileId: string): void {
    flushProgress(this.db);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM parts WHERE file_id = ?').run(fileId);
      this.db.prepare('DELETE FROM uploads WHERE file_id = ?').run(fileId);
      this.db.prepare('UPDATE files SET bytes_sent = 0 WHERE id = ?').run(fileId);
    })();
  }

  /** The file's final state and the end of its upload record, in one transaction (one fsync). */
  finishUpload(fileId: string, finish: () => void): void {
    commitProgress(this.db, () => {
      this.db.prepare('DELETE FROM parts WHERE file_id = ?').run(fileId);
      this.db.prepare('DELETE FROM uploads WHERE file_id = ?').run(fileId);
      finish();
    });
  }
}
