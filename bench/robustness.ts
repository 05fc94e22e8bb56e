/**
 * `npm run bench:robustness`: runs the real `credmate extract` CLI (a child process) over the
 * real-world pdf.js sample corpus and reports how many files got a result, the error codes,
 * time per file and the peak RSS of the process tree (sampled from /proc). Fails (exit 1)
 * when the CLI does not exit 0, a file goes unanswered, or a process exceeds the memory cap.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const CORPUS = process.env.CREDMATE_ROBUSTNESS_CORPUS ?? '/work/shared/corpus/pdfjs-sample';
const MEMORY_CAP_MB = 1536;
const root = path.resolve(import.meta.dirname, '..');

function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // The process ended between readdir and read.
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]!) ?? []));
  return out;
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

async function main(): Promise<number> {
  const files = readdirSync(CORPUS)
    .filter((f) => f.toLowerCase().endsWith('.pdf'))
    .sort()
    .map((f) => path.join(CORPUS, f));
  console.log(`bench:robustness: ${files.length} PDFs from ${CORPUS}`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'main/cli/index.ts'), 'extract', ...files],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let peakProcess = 0;
  let peakTree = 0;
  const sampler = setInterval(() => {
    if (!child.pid) return;
    const rss = descendants(child.pid).map(rssMb);
    peakProcess = Math.max(peakProcess, ...rss);
    peakTree = Math.max(
      peakTree,
      rss.reduce((a, b) => a + b, 0),
    );
  }, 100);
  const perFile: number[] = [];
  const lines: Record<string, unknown>[] = [];
  let last = performance.now();
  let buffered = '';
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const now = performance.now();
      perFile.push(now - last);
      last = now;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ file: '?', unparsable: line.slice(0, 80) });
      }
      nl = buffered.indexOf('\n');
    }
  });
  let stderrBytes = 0;
  child.stderr.on('data', (d: Buffer) => (stderrBytes += d.length));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(sampler);
  const totalS = (performance.now() - started) / 1000;

  const answered = new Set(lines.map((l) => l.file));
  const missing = files.filter((f) => !answered.has(f));
  const inOrder = lines.every((l, i) => l.file === files[i]);
  const errors = new Map<string, number>();
  let results = 0;
  let ocr = 0;
  const docTypes = new Map<string, number>();
  for (const l of lines) {
    const err = l.error as { code?: string } | undefined;
    if (err) errors.set(err.code ?? '?', (errors.get(err.code ?? '?') ?? 0) + 1);
    else if ('docType' in l) {
      results++;
      if (l.ocr) ocr++;
      docTypes.set(String(l.docType), (docTypes.get(String(l.docType)) ?? 0) + 1);
    }
  }
  console.log(`exit code:           ${code}`);
  console.log(`answered:            ${lines.length}/${files.length} (in input order: ${inOrder ? 'yes' : 'NO'})`);
  console.log(
    `got a result:        ${results} (${ocr} needed OCR)  docTypes: ${[...docTypes].map(([k, v]) => `${k}=${v}`).join(' ')}`,
  );
  console.log(
    `errors by code:      ${
      [...errors]
        .sort()
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || 'none'
    }`,
  );
  console.log(
    `time:                total ${totalS.toFixed(1)} s; per file p50 ${(percentile(perFile, 50) / 1000).toFixed(2)} s, p95 ${(percentile(perFile, 95) / 1000).toFixed(2)} s, max ${(Math.max(...perFile) / 1000).toFixed(2)} s`,
  );
  console.log(
    `peak RSS:            largest process ${peakProcess.toFixed(0)} MB, whole tree ${peakTree.toFixed(0)} MB (cap ${MEMORY_CAP_MB} MB per process)`,
  );
  console.log(`stderr:              ${stderrBytes} bytes of diagnostics`);
  const problems: string[] = [];
  if (code !== 0) problems.push(`CLI exit code ${code}`);
  if (missing.length)
    problems.push(
      `${missing.length} files unanswered: ${missing
        .slice(0, 5)
        .map((f) => path.basename(f))
        .join(', ')}`,
    );
  if (!inOrder) problems.push('answers not in input order');
  if (peakProcess > MEMORY_CAP_MB) problems.push(`a process reached ${peakProcess.toFixed(0)} MB`);
  console.log(
    problems.length ? `FAIL: ${problems.join('; ')}` : 'PASS: exit 0, every file answered, memory under the cap',
  );
  return problems.length ? 1 : 0;
}

main().then((c) => (process.exitCode = c));
