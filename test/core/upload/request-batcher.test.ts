import { describe, expect, it } from 'vitest';
import { RequestBatcher } from '../../../main/core/upload/request-batcher';

/** A send function whose batches the test answers by hand. */
function manualSend() {
  const sent: Array<{
    items: string[];
    signal: AbortSignal;
    answer: (r: Array<string | Error>) => void;
    fail: (e: Error) => void;
  }> = [];
  const send = (items: string[], signal: AbortSignal) =>
    new Promise<Array<string | Error>>((resolve, reject) =>
      sent.push({ items, signal, answer: resolve, fail: reject }),
    );
  return { sent, send };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('RequestBatcher', () => {
  it('sends a lone call at once and gathers the calls made meanwhile into the next batch', async () => {
    const { sent, send } = manualSend();
    const b = new RequestBatcher(send, 1, 3);
    const first = b.call('a', new AbortController().signal);
    const rest = ['b', 'c', 'd', 'e'].map((x) => b.call(x, new AbortController().signal));
    expect(sent.map((s) => s.items)).toEqual([['a']]);
    sent[0]!.answer(['A']);
    expect(await first).toBe('A');
    await tick();
    expect(sent.map((s) => s.items)).toEqual([['a'], ['b', 'c', 'd']]);
    sent[1]!.answer(['B', 'C', 'D']);
    await tick();
    expect(sent.map((s) => s.items)).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
    sent[2]!.answer(['E']);
    expect(await Promise.all(rest)).toEqual(['B', 'C', 'D', 'E']);
  });

  it('fails only the caller of a refused item, and every caller of a failed request', async () => {
    const { sent, send } = manualSend();
    const b = new RequestBatcher(send, 1);
    const blocker = b.call('x', new AbortController().signal);
    const [ok, refused] = [b.call('ok', new AbortController().signal), b.call('refused', new AbortController().signal)];
    sent[0]!.fail(new Error('server down'));
    await expect(blocker).rejects.toThrow('server down');
    await tick();
    sent[1]!.answer(['OK', new Error('too large')]);
    expect(await ok).toBe('OK');
    await expect(refused).rejects.toThrow('too large');
  });

  it('drops a waiting caller that aborts, and aborts a request only when all its callers did', async () => {
    const { sent, send } = manualSend();
    const b = new RequestBatcher(send, 1);
    const blocker = b.call('x', new AbortController().signal);
    const leaving = new AbortController();
    const gone = b.call('gone', leaving.signal);
    const [c1, c2] = [new AbortController(), new AbortController()];
    const p1 = b.call('p1', c1.signal);
    const p2 = b.call('p2', c2.signal);
    leaving.abort(new Error('paused'));
    await expect(gone).rejects.toThrow('paused');
    sent[0]!.answer(['X']);
    await blocker;
    await tick();
    expect(sent[1]!.items).toEqual(['p1', 'p2']);
    c1.abort(new Error('cancelled'));
    await expect(p1).rejects.toThrow('cancelled');
    expect(sent[1]!.signal.aborted).toBe(false);
    c2.abort(new Error('stopped'));
    expect(sent[1]!.signal.aborted).toBe(true);
    await expect(p2).rejects.toThrow('stopped');
  });
});

describe('RequestBatcher with a linger', () => {
  it('holds a lone call briefly so calls made just after it ride in the same request', async () => {
    const { sent, send } = manualSend();
    const b = new RequestBatcher(send, 2, 100, 20);
    const calls = [b.call('a', new AbortController().signal)];
    await tick();
    calls.push(b.call('b', new AbortController().signal), b.call('c', new AbortController().signal));
    expect(sent).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 40));
    expect(sent.map((s) => s.items)).toEqual([['a', 'b', 'c']]);
    sent[0]!.answer(['A', 'B', 'C']);
    expect(await Promise.all(calls)).toEqual(['A', 'B', 'C']);
  });

  it('sends a full batch at once', async () => {
    const { sent, send } = manualSend();
    const b = new RequestBatcher(send, 2, 2, 10_000);
    const calls = ['a', 'b'].map((x) => b.call(x, new AbortController().signal));
    expect(sent.map((s) => s.items)).toEqual([['a', 'b']]);
    sent[0]!.answer(['A', 'B']);
    expect(await Promise.all(calls)).toEqual(['A', 'B']);
  });
});
