/**
 * How to start a worker thread whose body is a module beside the caller. Under tsx or vitest the
 * body is TypeScript: the thread first registers tsx's ESM hooks (its `--import` in a worker's
 * execArgv does not take effect on Node 20), then imports the .ts body. A build (electron-vite
 * emits every thread body as its own entry beside its chunks) runs the compiled .js directly.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function threadEntry(callerUrl: string, body: string): { source: string; eval: boolean } {
  if (!callerUrl.endsWith('.ts')) return { source: fileURLToPath(new URL(`./${body}.js`, callerUrl)), eval: false };
  const tsxRoot = path.dirname(createRequire(callerUrl).resolve('tsx/package.json'));
  const api = pathToFileURL(path.join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const module = new URL(`./${body}.ts`, callerUrl).href;
  return {
    source: `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module)}); });`,
    eval: true,
  };
}
