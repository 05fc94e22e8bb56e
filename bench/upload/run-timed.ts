import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface TimedRun {
  seconds: number;
  /** User + system CPU seconds of the command and its children. */
  cpuSeconds: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

const CPU_MARK = '__bench_cpu__';

/**
 * Runs a command to completion and measures its wall time (process start to exit) and its CPU
 * time (bash's `times` builtin after the command: children's user and system seconds).
 */
export function runTimed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<TimedRun> {
  const t0 = process.hrtime.bigint();
  const script = `"$@"; rc=$?; { echo ${CPU_MARK}; times; } >&2; exit $rc`;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script, 'bash', cmd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      // `times` prints the shell's own user/system line, then its children's.
      const mark = new RegExp(`${CPU_MARK}\\n.*\\n(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s\\n?`).exec(stderr);
      const cpuSeconds = mark ? Number(mark[1]) * 60 + Number(mark[2]) + Number(mark[3]) * 60 + Number(mark[4]) : NaN;
      resolve({ seconds, cpuSeconds, code, stdout, stderr: mark ? stderr.replace(mark[0], '') : stderr });
    });
  });
}

/** CPU seconds a live process has used so far (Linux /proc; NaN elsewhere). */
export function processCpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds per thread name of a live process so far (Linux /proc; empty elsewhere): the API's
 * event loop is "node", the store's thread "cm-store", libuv's pool and V8's helpers "node" too
 * (summed), the server's own named threads (cm-obj-hash, cm-wal-sync, ...) by their names.
 */
export function threadCpuSeconds(pid: number | undefined): Map<string, number> {
  const byName = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byName;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      const key = tid === String(pid) ? 'main' : name;
      byName.set(key, (byName.get(key) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byName;
}

/** Per-thread CPU used between two threadCpuSeconds snapshots, largest first, e.g. "main 1.9, cm-store 1.5". */
export function threadCpuLine(before: Map<string, number>, after: Map<string, number>): string {
  return [...after]
    .map(([name, s]) => [name, s - (before.get(name) ?? 0)] as const)
    .filter(([, s]) => s >= 0.01)
    .sort((a, b) => b[1] - a[1])
    .map(([name, s]) => `${name} ${s.toFixed(2)}`)
    .join(', ');
}
