/**
 * The server's limits as it last gave them, kept in the queue database (a client setting) for the
 * watched folders. A watch resumes at start before the session is back (the desktop signs in after
 * its watches start, or not at all until the user does), and a server may be unreachable for a
 * while: without its limits a PDF over them was queued, uploaded and then refused. The limits it
 * gave last stand in until it answers again (they change rarely; a file left out under an old
 * limit is offered again once it changes, or can be imported from the preview).
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { getClientSetting, setClientSetting } from '../db/client-settings';
import type { ServerLimits } from './watch-queue';

const KEY = 'server-limits-last';
const Stored = z.object({ maxBytes: z.number().nullable(), maxPages: z.number().nullable() });

export function lastServerLimits(db: Database.Database): ServerLimits | null {
  const raw = getClientSetting(db, KEY);
  if (raw === null) return null;
  try {
    const parsed = Stored.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    // A damaged entry costs only the fallback: the next answer from the server replaces it.
    return null;
  }
}

/** Kept when they differ from what is kept (a write per change, not per group). */
export function rememberServerLimits(db: Database.Database, limits: ServerLimits): void {
  const last = lastServerLimits(db);
  if (last?.maxBytes === limits.maxBytes && last.maxPages === limits.maxPages) return;
  setClientSetting(db, KEY, JSON.stringify({ maxBytes: limits.maxBytes, maxPages: limits.maxPages }));
}
