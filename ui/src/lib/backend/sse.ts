// Minimal Server-Sent Events parser (WHATWG "event stream interpretation").
// Used instead of EventSource because EventSource cannot send an
// Authorization header. Feed it text chunks in any split; it returns the
// complete events seen so far.

export interface SseMessage {
  /** Event name; "message" when the stream did not name it. */
  event: string;
  /** Data lines joined with "\n". */
  data: string;
  /** Last event id in effect for this event ("" if none). */
  id: string;
}

export class SseParser {
  private buffer = '';
  /** The previous chunk ended with "\r": a leading "\n" in the next one belongs to it. */
  private pendingCR = false;
  private eventName = '';
  private data: string[] = [];
  private sawData = false;
  /** Last seen `id:`; persists across events as in the spec. */
  lastEventId = '';
  /** Reconnection time requested by the server via `retry:`, in ms. */
  retry: number | null = null;

  /** Parse a chunk of decoded text and return the events it completed. */
  push(chunk: string): SseMessage[] {
    const out: SseMessage[] = [];
    let text = chunk;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    this.buffer += text;

    let start = 0;
    for (;;) {
      let i = start;
      const len = this.buffer.length;
      while (i < len) {
        const c = this.buffer.charCodeAt(i);
        if (c === 10 /* \n */ || c === 13 /* \r */) break;
        i++;
      }
      if (i >= len) break; // no complete line left
      const line = this.buffer.slice(start, i);
      if (this.buffer.charCodeAt(i) === 13) {
        if (i + 1 < len) {
          start = this.buffer.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
        } else {
          // "\r" at the very end: maybe the first half of "\r\n".
          this.pendingCR = true;
          start = i + 1;
        }
      } else {
        start = i + 1;
      }
      this.processLine(line, out);
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** Forget any partial event (used when the connection is re-established). */
  reset(): void {
    this.buffer = '';
    this.pendingCR = false;
    this.eventName = '';
    this.data = [];
    this.sawData = false;
  }

  private processLine(line: string, out: SseMessage[]): void {
    if (line === '') {
      this.dispatch(out);
      return;
    }
    if (line.startsWith(':')) return; // comment / keepalive

    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
    }

    switch (field) {
      case 'event':
        this.eventName = value;
        break;
      case 'data':
        this.data.push(value);
        this.sawData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch(out: SseMessage[]): void {
    if (this.sawData) {
      out.push({ event: this.eventName || 'message', data: this.data.join('\n'), id: this.lastEventId });
    }
    this.eventName = '';
    this.data = [];
    this.sawData = false;
  }
}

/**
 * Read an SSE byte stream to the end, calling onMessage for every event.
 * Resolves when the stream ends (the server closed it); rejects on read errors
 * (including an abort).
 */
export async function readSseStream(
  body: ReadableStream<Uint8Array>,
  onMessage: (m: SseMessage) => void,
  onActivity?: () => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parser = new SseParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onActivity?.();
      for (const m of parser.push(decoder.decode(value, { stream: true }))) onMessage(m);
    }
    for (const m of parser.push(decoder.decode())) onMessage(m);
  } finally {
    reader.releaseLock();
  }
}
