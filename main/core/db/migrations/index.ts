import type Database from 'better-sqlite3';
import { migrate001Queue } from './001-queue';
import { migrate002DocumentsMirror } from './002-documents-mirror';
import { migrate003DocumentTerms } from './003-document-terms';
import { migrate004FilesPathIndex } from './004-files-path-index';
import { migrate005DocumentsMatchName } from './005-documents-match-name';

export interface Migration {
  version: number;
  name: string;
  up: (db: Database.Database) => void;
}

/** Numbered, append-only: never edit one that shipped, add the next number. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'queue', up: migrate001Queue },
  { version: 2, name: 'documents-mirror', up: migrate002DocumentsMirror },
  { version: 3, name: 'document-terms', up: migrate003DocumentTerms },
  { version: 4, name: 'files-path-index', up: migrate004FilesPathIndex },
  { version: 5, name: 'documents-match-name', up: migrate005DocumentsMatchName },
];

/** Applies every migration above `PRAGMA user_version`, each in its own transaction, up to `target`. */
export function runMigrations(db: Database.Database, target = MIGRATIONS.length): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
