/**
 * What each watched folder queued and left out lately, kept beside the watch list (a client
 * setting in the queue database, watched-folder-list.ts) so the Import screen's panel shows it
 * again after a restart. Bounded per folder; only the desktop's watch service writes it.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { getClientSetting, setClientSetting } from '../db/client-settings';

const KEY = 'watched-folder-recent';
/** Entries kept per folder and per list (queued, left out), newest first. */
export const RECENT_PER_FOLDER = 50;

const Queued = z.object({ relPath: z.string(), fileId: z.string(), at: z.string() });
const LeftOut = z.object({ relPath: z.string(), reason: z.string(), at: z.string() });
const FolderRecent = z.object({ queued: z.array(Queued), skipped: z.array(LeftOut) });
export type FolderRecent = z.infer<typeof FolderRecent>;
const AllRecent = z.record(z.string(), FolderRecent);

const EMPTY: FolderRecent = { queued: [], skipped: [] };

function readAll(db: Database.Database): Record<string, FolderRecent> {
  const raw = getClientSetting(db, KEY);
  if (raw === null) return {};
  try {
    const parsed = AllRecent.safeParse(JSON.parse(raw));
    // A damaged entry only costs the lists, never the watches.
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export function readFolderRecent(db: Database.Database, folder: string): FolderRecent {
  return readAll(db)[folder] ?? EMPTY;
}

/**
 * Newest first, one entry per path: the group's entries reversed (the last given is the newest),
 * then the earlier ones not named again in the group nor dropped by `drop`.
 */
function newestFirst<T extends { relPath: string }>(group: T[], before: T[], drop: (relPath: string) => boolean): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const entry of [...[...group].reverse(), ...before.filter((e) => !drop(e.relPath))]) {
    if (seen.has(entry.relPath)) continue;
    seen.add(entry.relPath);
    out.push(entry);
  }
  return out.slice(0, RECENT_PER_FOLDER);
}

/**
 * Adds one settled group's outcome: both lists newest first (the group's last entry the newest)
 * and one entry per file, so a file queued or left out again replaces its earlier entry; one
 * queued now leaves the left-out list (it was fixed).
 */
export function addFolderRecent(
  db: Database.Database,
  folder: string,
  group: { at: string; queued: { relPath: string; fileId: string }[]; skipped: { relPath: string; reason: string }[] },
): FolderRecent {
  const all = readAll(db);
  const before = all[folder] ?? EMPTY;
  const queuedNow = new Set(group.queued.map((q) => q.relPath));
  const next: FolderRecent = {
    queued: newestFirst(
      group.queued.map((q) => ({ relPath: q.relPath, fileId: q.fileId, at: group.at })),
      before.queued,
      () => false,
    ),
    skipped: newestFirst(
      group.skipped.map((k) => ({ relPath: k.relPath, reason: k.reason, at: group.at })),
      before.skipped,
      (relPath) => queuedNow.has(relPath),
    ),
  };
  setClientSetting(db, KEY, JSON.stringify({ ...all, [folder]: next }));
  return next;
}

export function forgetFolderRecent(db: Database.Database, folder: string): void {
  const all = readAll(db);
  if (!(folder in all)) return;
  delete all[folder];
  setClientSetting(db, KEY, JSON.stringify(all));
}
