import fs from 'node:fs';
import os from 'node:os';

/**
 * Lowers the CPU priority of this process's threads (Linux: every thread that exists now, and
 * through inheritance every thread they start later; elsewhere the process). Background work
 * (extraction, the embedded store's bulk byte-shovelling) then takes only CPU the API's
 * latency-sensitive calls leave idle; alone on the machine it still gets all of it.
 * Best effort: a platform or sandbox that refuses leaves the priority as it was.
 */
export function lowerProcessPriority(niceness: number): void {
  try {
    if (process.platform === 'linux') {
      for (const tid of fs.readdirSync('/proc/self/task')) os.setPriority(Number(tid), niceness);
    } else {
      os.setPriority(niceness);
    }
  } catch {
    // Not permitted or not supported: run at the inherited priority.
  }
}

/**
 * Names the calling thread (Linux, at most 15 characters): `top -H`, `perf` and bench:ingest's
 * CPU figures then tell the store, writer and WAL-sync threads apart from V8's and libuv's, which
 * are all called "node". Best effort, as above.
 */
export function nameThisThread(name: string): void {
  if (process.platform !== 'linux') return;
  try {
    fs.writeFileSync('/proc/thread-self/comm', name.slice(0, 15));
  } catch {
    // Not permitted: keep the inherited name.
  }
}

/** Lowers the CPU priority of the calling thread only (Linux; elsewhere nothing: priorities are per process there). */
export function lowerThreadPriority(niceness: number): void {
  if (process.platform !== 'linux') return;
  try {
    os.setPriority(Number(fs.readlinkSync('/proc/thread-self').split('/').pop()), niceness);
  } catch {
    // Not permitted: run at the inherited priority.
  }
}
