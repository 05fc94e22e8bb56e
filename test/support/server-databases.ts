import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDatabaseUrl } from '../../server/db/database-url';
import type { DatabaseKind } from '../../server/db/kysely';
import { openServerDatabase, type ServerDatabase } from '../../server/db/open-query-db';
import { createTestDatabase } from './postgres';

/** Both databases, for `describe.each(DATABASE_KINDS)`: every data-layer test runs on each. */
export const DATABASE_KINDS: readonly DatabaseKind[] = ['sqlite', 'postgres'];

export interface TestServerDatabase {
  database: ServerDatabase;
  /** A fresh data dir (SQLite lives under it; PostgreSQL runs ignore it but commands want one). */
  dataDir: string;
  /** The PostgreSQL URL for `--database-url`, when kind is postgres. */
  databaseUrl?: string;
  /** Another connection (pool or SQLite handle) to the same database, as a second process would open. */
  openAnother(): Promise<ServerDatabase>;
  /** Closes the database (and those from openAnother), drops the PostgreSQL database, removes the data dir. */
  cleanup(): Promise<void>;
}

/** A fresh, migrated server database of the given kind (a new random database on the test cluster). */
export async function openTestServerDatabase(kind: DatabaseKind): Promise<TestServerDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `credmate-${kind}-`));
  const pg = kind === 'postgres' ? await createTestDatabase() : undefined;
  const open = () => openServerDatabase({ dataDir, databaseUrl: pg ? parseDatabaseUrl(pg.url) : undefined });
  const database = await open();
  const others: ServerDatabase[] = [];
  return {
    database,
    dataDir,
    databaseUrl: pg?.url,
    openAnother: async () => {
      const another = await open();
      others.push(another);
      return another;
    },
    cleanup: async () => {
      for (const other of others) await other.close();
      await database.close();
      await pg?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
