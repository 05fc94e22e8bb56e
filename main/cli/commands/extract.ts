/**
 * `credmate extract <file.pdf>...`: runs the server's sandboxed extraction pipeline locally
 * (no server needed) and prints one JSON line per file, in input order, on stdout.
 * Exits 0 when every file was processed, whatever the files held.
 */
import { readFile, stat } from 'node:fs/promises';
import type { ExtractionOutcome } from '../../../common/extraction';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGES } from '../../../server/extraction/load';
import { createExtractionSandbox } from '../../../server/extraction/sandbox';

const HELP = `usage: credmate extract [options] <file.pdf>...

Extracts credential fields from each PDF with the same sandboxed pipeline the server uses,
and prints one JSON line per file on stdout, in input order:
  {"file", "docType", "docTypeConfidence", "fields", "pages", "ocr", "ms", "warnings"}
or, for a file that cannot be read:
  {"file", "error": {"code", "message"}}

options:
  --timeout-ms N   time limit per document (default 60000)
  --memory-mb N    heap limit of the extraction thread (default 512)
  --max-pages N    reject documents with more pages (default ${DEFAULT_MAX_PAGES})
  --explain        add "explain": the evidence each document type scored, strongest first,
                   and how each field was found (label beside or under it, sentence, table...)
  -h, --help       show this help

Exit status: 0 when every file was processed (even if some could not be read), 2 on bad usage.`;

interface Options {
  timeoutMs: number;
  memoryMb: number;
  maxPages: number;
  explain: boolean;
  files: string[];
}

function parseArgs(argv: string[]): Options | string {
  const o: Options = { timeoutMs: 60_000, memoryMb: 512, maxPages: DEFAULT_MAX_PAGES, explain: false, files: [] };
  const numeric: Record<string, 'timeoutMs' | 'memoryMb' | 'maxPages'> = {
    '--timeout-ms': 'timeoutMs',
    '--memory-mb': 'memoryMb',
    '--max-pages': 'maxPages',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const key = numeric[flag];
    if (key) {
      const v = Number(inline ?? argv[++i]);
      if (!Number.isFinite(v) || v <= 0) return `${flag} needs a positive number.`;
      o[key] = v;
    } else if (a === '--explain') {
      o.explain = true;
    } else if (a === '--') {
      o.files.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') {
      return `unknown option ${a}.`;
    } else {
      o.files.push(a);
    }
  }
  return o;
}

async function readInput(file: string): Promise<Uint8Array | ExtractionOutcome> {
  try {
    const info = await stat(file);
    if (!info.isFile())
      return { error: { code: 'unreadable', message: 'Not a regular file. Pass PDF files, not folders.' } };
    // Refuse before reading: a huge file should not be pulled into memory only to be rejected.
    if (info.size > DEFAULT_MAX_BYTES) {
      return {
        error: {
          code: 'too_large',
          message: `The file is ${(info.size / 1048576).toFixed(1)} MB; the limit is ${DEFAULT_MAX_BYTES / 1048576} MB. Split or compress the PDF.`,
        },
      };
    }
    return new Uint8Array(await readFile(file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'No such file.' : code === 'EACCES' ? 'Permission denied.' : 'The file could not be read.';
    return { error: { code: 'unreadable', message: `${why} Check the path and permissions.` } };
  }
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const opts = parseArgs(argv);
  if (typeof opts === 'string') {
    console.error(`credmate extract: ${opts}\n\n${HELP}`);
    return 2;
  }
  if (!opts.files.length) {
    console.error(`credmate extract: no files given.\n\n${HELP}`);
    return 2;
  }
  const sandbox = createExtractionSandbox({
    timeoutMs: opts.timeoutMs,
    memoryMb: opts.memoryMb,
    maxPages: opts.maxPages,
    maxBytes: DEFAULT_MAX_BYTES,
  });
  try {
    for (const file of opts.files) {
      const input = await readInput(file);
      const read = input instanceof Uint8Array ? await sandbox.run(input) : { outcome: input, explanation: undefined };
      const explain = opts.explain && read.explanation ? { explain: read.explanation } : {};
      process.stdout.write(`${JSON.stringify({ file, ...read.outcome, ...explain })}\n`);
    }
  } finally {
    await sandbox.close();
  }
  return 0;
}
