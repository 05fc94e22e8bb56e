#!/usr/bin/env node
/**
 * `npm run credmate -- <command>`: runs the command line compiled to JavaScript. Why not tsx: it
 * compiles nothing at run time but still routes every module load through its loader thread, and
 * each worker thread (the embedded store, the file I/O threads) registers it again: ~0.25 s of a
 * short command's start and ~0.2 s of CPU per thread (bench:upload). The build (esbuild, ~1 s) runs
 * only when a source file changed since the last one, into a directory named after the sources'
 * state, so a command still running from an older build keeps its files.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** CREDMATE_CLI_CACHE_DIR moves the builds elsewhere (a test starts from an empty one). */
const cacheDir = process.env.CREDMATE_CLI_CACHE_DIR ?? join(root, '.cache', 'credmate-cli');
/** Every module run as its own entry (threads and child processes find these names beside their caller). */
const ENTRIES = {
  'credmate-cli': 'main/cli/index.ts',
  'worker-entry': 'server/jobs/worker-entry.ts',
  'sandbox-worker': 'server/extraction/sandbox-worker.ts',
  'embedded-store-thread': 'server/storage/embedded-store-thread.ts',
  'wal-sync-thread': 'server/db/wal-sync-thread.ts',
  'small-object-writer-thread': 'server/storage/small-object-writer-thread.ts',
  'file-io-thread': 'main/core/file-io/file-io-thread.ts',
  'pdf-check-thread': 'main/core/watch/pdf-check-thread.ts',
};
const SOURCE_DIRS = ['main', 'server', 'common', 'preload', 'node-shared'];
/** Pure-JavaScript packages bundled into the build (see ensureBuild); every other package stays external. */
const BUNDLED_PACKAGES = ['undici', 'ky', 'zod', 'picomatch'];

/** The packages left in node_modules: every one package.json names, but BUNDLED_PACKAGES. */
function externalPackages() {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
    .filter((name) => !BUNDLED_PACKAGES.includes(name))
    .flatMap((name) => [name, `${name}/*`]);
}

function sourcesKey() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const st = statSync(path);
        hash.update(`${relative(root, path)}\0${st.mtimeMs}\0${st.size}\n`);
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(root, dir));
  for (const file of ['package-lock.json', 'scripts/credmate.mjs'])
    hash.update(`${file}\0${statSync(join(root, file)).mtimeMs}\n`);
  return hash.digest('hex').slice(0, 16);
}

async function ensureBuild() {
  const key = sourcesKey();
  const out = join(cacheDir, key);
  if (existsSync(join(out, 'credmate-cli.js'))) return out;
  const { build } = await import('esbuild');
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(root, file)])),
    outdir: tmp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Packages load from node_modules, except those an import loads at its start: bundled, they
    // are read and linked as a few files instead of ~200 (zod alone is 95 modules), ~60 ms of each
    // import's start (bench:upload, "process start"). Their CommonJS (undici) needs a `require`.
    external: externalPackages(),
    banner: {
      js: "import { createRequire as credmateCreateRequire } from 'node:module'; const require = credmateCreateRequire(import.meta.url);",
    },
    sourcemap: true,
    chunkNames: 'chunk-[hash]',
    logLevel: 'warning',
  });
  writeFileSync(join(tmp, 'package.json'), '{"type":"module"}\n');
  try {
    renameSync(tmp, out);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another command built the same sources first
  }
  // Older builds: kept only while they may still be running (a day). Another command may be
  // removing its own temporary build meanwhile: an entry gone by now is no error.
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (name !== key && st && Date.now() - st.mtimeMs > 24 * 3600 * 1000)
      rmSync(path, { recursive: true, force: true });
  }
  return out;
}

mkdirSync(cacheDir, { recursive: true });
const out = await ensureBuild();
process.argv.splice(1, 1, join(out, 'credmate-cli.js'));
await import(pathToFileURL(join(out, 'credmate-cli.js')).href);
