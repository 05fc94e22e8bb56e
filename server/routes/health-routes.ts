import type { Context } from 'hono';
import type { HealthResponse } from '../../common/api';
import type { AppDeps } from '../app-env';
import { pingDatabase } from '../db/units';

/** Database, storage and queue state; 503 when one is down. Storage is probed live (cached briefly by the probe). */
export function healthHandler(deps: AppDeps & { workersAlive(): boolean }) {
  return async (c: Context) => {
    let database: HealthResponse['database'] = { ok: true };
    let queue: HealthResponse['queue'] = { ok: false, pending: 0, running: 0, dead: 0 };
    try {
      await deps.units.read(pingDatabase);
      const counts = await deps.jobs.depth();
      const alive = deps.workersAlive();
      queue = { ...counts, ok: alive, ...(alive ? {} : { error: 'No extraction worker is running.' }) };
    } catch (err) {
      database = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    const storage = await deps.storageHealthy();
    const ok = database.ok && storage.ok && queue.ok;
    const res: HealthResponse = { status: ok ? 'ok' : 'down', database, storage, queue };
    return c.json(res, ok ? 200 : 503);
  };
}
