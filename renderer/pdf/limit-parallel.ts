/**
 * At most `max` pieces of work at a time, the rest in arrival order. A finished piece hands its
 * place straight to the next waiter, so a caller arriving in between cannot slip in (which would
 * run one more than `max`).
 */
export function limitParallel(max: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (work) => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
