import type Database from 'better-sqlite3';
import * as m001 from './migrations/001-initial';
import * as m002 from './migrations/002-document-tombstones';
import * as m003 from './migrations/003-verified-hashes';
import * as m004 from './migrations/004-keyed-audit-chain';
import * as m005 from './migrations/005-providers';
import * as m006 from './migrations/006-upload-rel-path';
import * as m007 from './migrations/007-login-attempts';
import * as m008 from './migrations/008-job-outcomes';

/** Numbered migrations, applied in order inside one transaction each; never edited once shipped. */
export const MIGRATIONS: ReadonlyArray<{ version: number; up: string }> = [
  { version: 1, up: m001.up },
  { version: 2, up: m002.up },
  { version: 3, up: m003.up },
  { version: 4, up: m004.up },
  { version: 5, up: m005.up },
  { version: 6, up: m006.up },
  { version: 7, up: m007.up },
  { version: 8, up: m008.up },
];

/**
 * Applies pending migrations; returns the schema version now in place. The version is read again
 * inside each write transaction: several processes may open a new database at once (two
 * `credmate users add`, a server and its workers), and the one that waited must not apply again
 * what another has just applied.
 */
export function migrate(db: Database.Database): number {
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  const version = () => db.pragma('user_version', { simple: true }) as number;
  const current = version();
  if (current > latest) {
    throw new Error(`Database schema version ${current} is newer than this server (${latest}); upgrade the server.`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      if (version() >= m.version) return;
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return latest;
}
