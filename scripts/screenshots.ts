/**
 * `npm run screenshots`: the README's pictures of the main screens, taken from the real app. It
 * builds the web renderer, runs the desktop UI test (test/e2e/desktop-web.test.ts: `npm run web`
 * with the bundled server, generated credentials, Debian's Chromium), which keeps a screenshot of
 * every screen it reaches in test-output/screenshots, and copies the main ones to docs/screenshots.
 * Nothing is copied unless the whole test passed, so the pictures always show a working app.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const taken = path.join(root, 'test-output/screenshots');
const docs = path.join(root, 'docs/screenshots');

/** Screenshot of the test → file name in docs/screenshots. */
const MAIN_SCREENS: Record<string, string> = {
  '01-sign-in': 'sign-in',
  '02b-import-preflight': 'import-preflight',
  '03-queue': 'queue',
  '04-documents': 'documents',
  '05-review-highlight': 'review',
  '05a-review-failed': 'review-failed',
  '06-review-confirm': 'review-approve-confirm',
  '06b-review-activities': 'review-activities',
  '06c-review-approval-undone': 'review-approval-undone',
  '07-summary': 'batch-summary',
  '08-offline': 'offline',
};

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}): no screenshots copied.`);
    process.exit(1);
  }
}

// The test serves out/web when it exists: build it from the current sources first.
run('npm', ['run', 'build:web']);
// Other UI tests keep their screenshots in the same folder: only this run's pictures are copied.
const started = Date.now();
// The 10,000-row queue steps (10,000 made-up files, then a resume of one of them) show no main
// screen: left out, to keep the run short.
run(path.join(root, 'node_modules/.bin/vitest'), [
  'run',
  'test/e2e/desktop-web.test.ts',
  '--testNamePattern',
  '^(?!.*(10,000-row queue|resumes one file)).*$',
]);
mkdirSync(docs, { recursive: true });
for (const [from, to] of Object.entries(MAIN_SCREENS)) {
  const source = path.join(taken, `${from}.png`);
  if (!existsSync(source) || statSync(source).mtimeMs < started) {
    console.error(`This run took no ${from}.png: update MAIN_SCREENS in scripts/screenshots.ts.`);
    process.exit(1);
  }
  copyFileSync(source, path.join(docs, `${to}.png`));
  console.log(`docs/screenshots/${to}.png`);
}
