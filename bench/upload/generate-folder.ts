import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, writeSync, closeSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface FolderSpec {
  smallCount: number;
  smallMin: number;
  smallMax: number;
  largeSizes: number[];
}

const HEADER = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');

function writeFile(path: string, size: number): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, HEADER);
    let left = size - HEADER.length;
    while (left > 0) {
      const n = Math.min(left, 4 << 20);
      writeSync(fd, randomBytes(n));
      left -= n;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A folder like a real import: `small/` with many PDFs of random sizes (log-uniform between min
 * and max) and `large/` with a few big scans. Contents are random after a PDF header, so nothing
 * deduplicates by accident. Re-used when it already has the expected file count.
 */
export function generateFolder(
  root: string,
  spec: FolderSpec,
): { small: string; large: string; bytes: number; files: number } {
  const small = join(root, 'small');
  const large = join(root, 'large');
  const ready =
    existsSync(small) &&
    existsSync(large) &&
    readdirSync(small).length === spec.smallCount &&
    readdirSync(large).length === spec.largeSizes.length;
  if (!ready) {
    mkdirSync(small, { recursive: true });
    mkdirSync(large, { recursive: true });
    const lnMin = Math.log(spec.smallMin);
    const lnMax = Math.log(spec.smallMax);
    for (let i = 0; i < spec.smallCount; i++)
      writeFile(
        join(small, `doc-${String(i).padStart(4, '0')}.pdf`),
        Math.round(Math.exp(lnMin + Math.random() * (lnMax - lnMin))),
      );
    spec.largeSizes.forEach((size, i) => writeFile(join(large, `scan-${i}.pdf`), size));
  }
  let bytes = 0;
  let files = 0;
  for (const dir of [small, large]) {
    for (const f of readdirSync(dir)) {
      bytes += statSync(join(dir, f)).size;
      files++;
    }
  }
  return { small, large, bytes, files };
}
