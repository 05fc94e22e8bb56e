/**
 * The folders the desktop watches, kept beside the queue (a client setting) so a watch survives a
 * restart. Only the desktop's watch service writes it; `credmate import --watch` watches for as
 * long as it runs and keeps nothing.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { getClientSetting, setClientSetting } from '../db/client-settings';

const KEY = 'watched-folders';

const WatchedFolderRows = z.array(z.object({ path: z.string(), addedAt: z.string() }));
export type WatchedFolderRow = z.infer<typeof WatchedFolderRows>[number];

export function listWatchedFolders(db: Database.Database): WatchedFolderRow[] {
  const raw = getClientSetting(db, KEY);
  if (raw === null) return [];
  try {
    const parsed = WatchedFolderRows.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Adds a folder (no-op when it is already there); returns the list. */
export function addWatchedFolder(db: Database.Database, path: string): WatchedFolderRow[] {
  const rows = listWatchedFolders(db);
  if (rows.some((r) => r.path === path)) return rows;
  const next = [...rows, { path, addedAt: new Date().toISOString() }];
  setClientSetting(db, KEY, JSON.stringify(next));
  return next;
}

export function removeWatchedFolder(db: Database.Database, path: string): WatchedFolderRow[] {
  const next = listWatchedFolders(db).filter((r) => r.path !== path);
  setClientSetting(db, KEY, JSON.stringify(next));
  return next;
}
