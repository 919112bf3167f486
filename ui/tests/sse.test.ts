import { describe, expect, it } from 'vitest';
import { SseParser, readSseStream, type SseMessage } from '../src/lib/backend/sse';

function feedAll(chunks: string[]): SseMessage[] {
  const p = new SseParser();
  return chunks.flatMap((c) => p.push(c));
}

describe('SseParser', () => {
  it('parses a named event with JSON data', () => {
    const out = feedAll(['event: inbox\ndata: {"type":"typing"}\n\n']);
    expect(out).toEqual([{ event: 'inbox', data: '{"type":"typing"}', id: '' }]);
  });

  it('defaults the event name to "message"', () => {
    expect(feedAll(['data: x\n\n'])[0].event).toBe('message');
  });

  it('joins multi-line data with newlines', () => {
    const out = feedAll(['data: {"a":\ndata: 1}\n\n']);
    expect(out[0].data).toBe('{"a":\n1}');
    expect(JSON.parse(out[0].data)).toEqual({ a: 1 });
  });

  it('handles chunks split mid-line and mid-field', () => {
    const text = 'event: inbox\ndata: {"type":"message_added","n":1}\n\nevent: inbox\ndata: {"n":2}\n\n';
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      const out = feedAll(chunks);
      expect(out.map((m) => m.data)).toEqual(['{"type":"message_added","n":1}', '{"n":2}']);
      expect(out.every((m) => m.event === 'inbox')).toBe(true);
    }
  });

  it('does not emit an event until the blank line arrives', () => {
    const p = new SseParser();
    expect(p.push('data: one\n')).toEqual([]);
    expect(p.push('data: two\n')).toEqual([]);
    expect(p.push('\n')).toEqual([{ event: 'message', data: 'one\ntwo', id: '' }]);
  });

  it('ignores comments (keepalives) and unknown fields', () => {
    const out = feedAll([': keepalive\n\n', ':\n', 'foo: bar\ndata: ok\n\n', ': ping\n\n']);
    expect(out).toEqual([{ event: 'message', data: 'ok', id: '' }]);
  });

  it('supports CRLF and lone CR line endings, including CRLF split across chunks', () => {
    expect(feedAll(['data: a\r\n\r\n']).map((m) => m.data)).toEqual(['a']);
    expect(feedAll(['data: b\r\r']).map((m) => m.data)).toEqual(['b']);
    // "\r" ends one chunk and "\n" starts the next: one line break, not two.
    expect(feedAll(['data: c\r', '\ndata: d\r\n', '\r\n']).map((m) => m.data)).toEqual(['c\nd']);
  });

  it('strips exactly one leading space from values', () => {
    expect(feedAll(['data:  two spaces\n\n'])[0].data).toBe(' two spaces');
    expect(feedAll(['data:none\n\n'])[0].data).toBe('none');
  });

  it('treats a field without colon as an empty value', () => {
    expect(feedAll(['data\n\n'])[0].data).toBe('');
  });

  it('tracks id and retry', () => {
    const p = new SseParser();
    const out = p.push('id: 7\nretry: 3000\ndata: x\n\ndata: y\n\n');
    expect(out.map((m) => m.id)).toEqual(['7', '7']);
    expect(p.retry).toBe(3000);
    p.push('retry: soon\n\n');
    expect(p.retry).toBe(3000);
  });

  it('resets the event name after each dispatch and drops data-less events', () => {
    const out = feedAll(['event: inbox\n\n', 'data: plain\n\n']);
    expect(out).toEqual([{ event: 'message', data: 'plain', id: '' }]);
  });

  it('reset() forgets a partial event', () => {
    const p = new SseParser();
    p.push('event: inbox\ndata: partial');
    p.reset();
    expect(p.push('data: fresh\n\n')).toEqual([{ event: 'message', data: 'fresh', id: '' }]);
  });
});

describe('readSseStream', () => {
  it('decodes UTF-8 split across byte chunks', async () => {
    const bytes = new TextEncoder().encode('event: inbox\ndata: {"t":"Olá, João 👋"}\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.slice(i, i + 3));
        controller.close();
      },
    });
    const got: SseMessage[] = [];
    await readSseStream(stream, (m) => got.push(m));
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0].data)).toEqual({ t: 'Olá, João 👋' });
  });
});
