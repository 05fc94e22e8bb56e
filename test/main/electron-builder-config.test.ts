/**
 * The package's asar archive (issue 14, finding 12): only native addons are unpacked, so every
 * other file of the app stays under the archive's integrity check.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const config = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'electron-builder.yml'), 'utf8');

/** The items of a top-level YAML list (`key:` followed by `  - item` lines). */
function listAt(key: string): string[] {
  const lines = config.split('\n');
  const start = lines.indexOf(`${key}:`);
  expect(start, `${key} in electron-builder.yml`).toBeGreaterThanOrEqual(0);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^\s+-\s+(.+)$/.exec(line);
    if (!item) break;
    items.push(item[1]!.replace(/^'(.*)'$/, '$1'));
  }
  return items;
}

describe('electron-builder configuration', () => {
  it('unpacks native addons only', () => {
    const unpacked = listAt('asarUnpack');
    expect(unpacked.length).toBeGreaterThan(0);
    for (const pattern of unpacked) expect(pattern).toMatch(/\.node$/);
  });

  it('keeps the fuses that make the archive the only code the app runs', () => {
    expect(config).toMatch(/^\s+onlyLoadAppFromAsar: true$/m);
    expect(config).toMatch(/^\s+enableEmbeddedAsarIntegrityValidation: true$/m);
    expect(config).toMatch(/^\s+runAsNode: false$/m);
  });
});
