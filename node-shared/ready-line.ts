/**
 * The bundled server's ready line: the one JSON line `credmate server` (and Electron's utility
 * process) prints on stdout once it listens. The schema is the contract between the server, which
 * writes it with `formatReadyLine`, and the client, which reads it with `parseReadyLine`.
 */
import { z } from 'zod';

export const ReadyLine = z.object({
  event: z.literal('ready'),
  api: z.url(),
  s3: z.object({ endpoint: z.string(), bucket: z.string(), region: z.string() }),
});
export type ReadyLine = z.infer<typeof ReadyLine>;

/** The line to write, newline included. Typed, not parsed: a server that is up must not fail on its own line. */
export function formatReadyLine(ready: Omit<ReadyLine, 'event'>): string {
  return `${JSON.stringify({ event: 'ready', api: ready.api, s3: ready.s3 } satisfies ReadyLine)}\n`;
}

/** The ready line's content, or null for any other line (stdout carries nothing else, but a stray line must not count). */
export function parseReadyLine(line: string): ReadyLine | null {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = ReadyLine.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/**
 * The standalone store's ready line (`credmate store`): the one JSON line it prints on stdout once
 * it listens. No `api`: it is a store, not a server, so `parseReadyLine` never takes it for one.
 */
export const StoreReadyLine = z.object({
  event: z.literal('ready'),
  s3: z.object({ endpoint: z.string(), bucket: z.string(), region: z.string() }),
});
export type StoreReadyLine = z.infer<typeof StoreReadyLine>;

/** The store's line to write, newline included. */
export function formatStoreReadyLine(ready: Omit<StoreReadyLine, 'event'>): string {
  return `${JSON.stringify({ event: 'ready', s3: ready.s3 } satisfies StoreReadyLine)}\n`;
}

/** The store's ready line, or null for any other line (a server's ready line included). */
export function parseStoreReadyLine(line: string): StoreReadyLine | null {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = StoreReadyLine.strict().safeParse(json);
  return parsed.success ? parsed.data : null;
}
