import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { PdfPageSniffer } from './pdf-sniffer';

export interface FileDigest {
  sha256: string;
  pages: number | null;
  bytes: number;
}

/** SHA-256 (and a page count) from a 1 MiB-chunk stream: memory stays flat whatever the file size. */
export async function hashFile(
  path: string,
  opts: { signal?: AbortSignal; countPages?: boolean; onBytes?: (n: number) => void } = {},
): Promise<FileDigest> {
  const hash = createHash('sha256');
  const sniffer = opts.countPages ? new PdfPageSniffer() : null;
  let bytes = 0;
  const stream = createReadStream(path, { highWaterMark: 1 << 20, signal: opts.signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    sniffer?.push(chunk);
    bytes += chunk.length;
    opts.onBytes?.(chunk.length);
  }
  return { sha256: hash.digest('hex'), pages: sniffer?.pageCount() ?? null, bytes };
}

/** The same digest for bytes already in memory (small files read whole). */
export function digestBytes(bytes: Buffer): { sha256: string; pages: number | null } {
  const sniffer = new PdfPageSniffer();
  sniffer.push(bytes);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), pages: sniffer.pageCount() };
}
