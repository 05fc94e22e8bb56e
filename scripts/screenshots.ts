/**
 * `npm run screenshots`: the README's pictures of the main screens, taken from the real app. It
 * builds the web renderer, runs UI tests over `npm run web` with the bundled server and Debian's
 * Chromium (test/e2e/desktop-web.test.ts for the main screens, test/e2e/watched-folder-web.test.ts
 * for the watched-folders panel), which keep a screenshot of every screen they reach in
 * test-output/screenshots, and copies the main ones to docs/screenshots. Nothing of a test is
 * copied unless the whole test passed, so the pictures always show a working app.
 *
 * `npm run screenshots -- watched-folder` runs only the named steps (names in STEPS below).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const taken = path.join(root, 'test-output/screenshots');
const docs = path.join(root, 'docs/screenshots');

interface Step {
  /** The UI test that takes the pictures. */
  test: string;
  /** Which of its tests run (vitest --testNamePattern); all when absent. */
  testNamePattern?: string;
  /** Screenshot of the test → file name in docs/screenshots. */
  screens: Record<string, string>;
}

const STEPS: Record<string, Step> = {
  main: {
    test: 'test/e2e/desktop-web.test.ts',
    // The 10,000-row queue steps (10,000 made-up files, then a resume of one of them) show no main
    // screen: left out, to keep the run short.
    testNamePattern: '^(?!.*(10,000-row queue|resumes one file)).*$',
    screens: {
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
    },
  },
  // A folder marked watched on the Import screen, with the file it queued and the four it left out
  // with their reasons (not a PDF, encrypted, blank, over the server's three-page limit).
  'watched-folder': {
    test: 'test/e2e/watched-folder-web.test.ts',
    screens: { 'watched-folder-left-out': 'watched-folder' },
  },
};

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}): no screenshots copied.`);
    process.exit(1);
  }
}

function stepsToRun(names: string[]): Step[] {
  const unknown = names.filter((name) => !(name in STEPS));
  if (unknown.length > 0) {
    console.error(`No screenshot step named ${unknown.join(', ')}: the steps are ${Object.keys(STEPS).join(', ')}.`);
    process.exit(1);
  }
  return Object.entries(STEPS)
    .filter(([name]) => names.length === 0 || names.includes(name))
    .map(([, step]) => step);
}

/** Runs the step's test, then copies its pictures (all taken by this run) to docs/screenshots. */
function takeStep(step: Step): void {
  // Other UI tests keep their screenshots in the same folder: only this run's pictures are copied.
  const started = Date.now();
  const pattern = step.testNamePattern ? ['--testNamePattern', step.testNamePattern] : [];
  run(path.join(root, 'node_modules/.bin/vitest'), ['run', step.test, ...pattern]);
  mkdirSync(docs, { recursive: true });
  for (const [from, to] of Object.entries(step.screens)) {
    const source = path.join(taken, `${from}.png`);
    if (!existsSync(source) || statSync(source).mtimeMs < started) {
      console.error(`${step.test} took no ${from}.png this run: update STEPS in scripts/screenshots.ts.`);
      process.exit(1);
    }
    copyFileSync(source, path.join(docs, `${to}.png`));
    console.log(`docs/screenshots/${to}.png`);
  }
}

const steps = stepsToRun(process.argv.slice(2));
// The tests serve out/web when it exists: build it from the current sources first.
run('npm', ['run', 'build:web']);
for (const step of steps) takeStep(step);
