/**
 * Reads a server-sent event stream with fetch (not EventSource, which cannot send an
 * Authorization header and would put the token in URLs), reconnecting with backoff.
 */
export interface SseMessage {
  event: string;
  data: string;
}

export interface SseOptions {
  url: string;
  headers: Record<string, string>;
  onMessage: (message: SseMessage) => void;
  /** Called with true once connected, false when the stream drops. */
  onConnection?: (connected: boolean) => void;
  fetchImpl?: typeof fetch;
}

export function parseSseChunk(buffer: string): { messages: SseMessage[]; rest: string } {
  const messages: SseMessage[] = [];
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) messages.push({ event, data: data.join('\n') });
  }
  return { messages, rest };
}

/** Starts reading; returns a function that stops for good. */
export function openSseStream(opts: SseOptions): () => void {
  const controller = new AbortController();
  const fetchImpl = opts.fetchImpl ?? fetch;
  let attempt = 0;

  const readOnce = async (): Promise<void> => {
    const response = await fetchImpl(opts.url, { headers: opts.headers, signal: controller.signal });
    if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
    opts.onConnection?.(true);
    attempt = 0;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const parsed = parseSseChunk(buffer + value);
      buffer = parsed.rest;
      for (const message of parsed.messages) opts.onMessage(message);
    }
  };

  const loop = async () => {
    while (!controller.signal.aborted) {
      try {
        await readOnce();
      } catch {
        // Dropped or refused: fall through to the backoff below.
      }
      if (controller.signal.aborted) return;
      opts.onConnection?.(false);
      attempt += 1;
      const delayMs = Math.min(5000, 200 * 2 ** Math.min(attempt, 5));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  };
  void loop();
  return () => controller.abort();
}
