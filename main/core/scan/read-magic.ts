import { open } from 'node:fs/promises';

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

/** True when the file starts with `%PDF-`; reads five bytes, whatever the file's size. */
export async function startsWithPdfMagic(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(PDF_MAGIC.length);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return bytesRead === PDF_MAGIC.length && buf.equals(PDF_MAGIC);
  } finally {
    await fh.close();
  }
}

export function hasPdfMagic(bytes: Uint8Array): boolean {
  return bytes.length >= PDF_MAGIC.length && PDF_MAGIC.equals(bytes.subarray(0, PDF_MAGIC.length));
}
