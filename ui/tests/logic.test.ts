import { describe, expect, it } from 'vitest';
import {
  appendConversations,
  applyStatusChange,
  mergeMessages,
  previewOf,
  upsertConversation,
  withLatestMessage,
} from '../src/lib/inbox/logic';
import { conv, msg } from './fixtures';

describe('upsertConversation', () => {
  const list = [
    conv('a', '2025-01-03T10:00:00Z'),
    conv('b', '2025-01-02T10:00:00Z'),
    conv('c', '2025-01-01T10:00:00Z'),
  ];

  it('moves an updated conversation to its place by last activity', () => {
    const out = upsertConversation(list, conv('c', '2025-01-04T00:00:00Z'), 'open');
    expect(out.map((x) => x.id)).toEqual(['c', 'a', 'b']);
    expect(out).toHaveLength(3);
  });

  it('inserts new conversations', () => {
    const out = upsertConversation(list, conv('d', '2025-01-02T12:00:00Z'), 'all');
    expect(out.map((x) => x.id)).toEqual(['a', 'd', 'b', 'c']);
  });

  it('removes a conversation that no longer matches the filter', () => {
    const out = upsertConversation(list, conv('a', '2025-01-05T00:00:00Z', { status: 'resolved' }), 'open');
    expect(out.map((x) => x.id)).toEqual(['b', 'c']);
    const all = upsertConversation(list, conv('a', '2025-01-05T00:00:00Z', { status: 'resolved' }), 'all');
    expect(all.map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });

  it('does not insert a non-matching conversation', () => {
    expect(upsertConversation(list, conv('z', '2025-02-01T00:00:00Z', { status: 'snoozed' }), 'open')).toHaveLength(3);
  });

  it('compares instants, not strings (offsets)', () => {
    const out = upsertConversation(
      [conv('a', '2025-01-01T12:00:00Z')],
      conv('b', '2025-01-01T10:00:00-03:00'), // 13:00Z, newer
      'open',
    );
    expect(out.map((x) => x.id)).toEqual(['b', 'a']);
  });
});

describe('appendConversations', () => {
  it('skips duplicates already shown', () => {
    const out = appendConversations(
      [conv('a', '2025-01-02T00:00:00Z')],
      [conv('a', '2025-01-02T00:00:00Z'), conv('b', '2025-01-01T00:00:00Z')],
    );
    expect(out.map((x) => x.id)).toEqual(['a', 'b']);
  });
});

describe('mergeMessages', () => {
  it('appends new messages and dedupes by id', () => {
    const list = [msg('1', '2025-01-01T10:00:00Z'), msg('2', '2025-01-01T10:01:00Z')];
    const out = mergeMessages(list, [msg('2', '2025-01-01T10:01:00Z'), msg('3', '2025-01-01T10:02:00Z')]);
    expect(out.map((m) => m.id)).toEqual(['1', '2', '3']);
  });

  it('prepends an older page in order', () => {
    const list = [msg('3', '2025-01-01T10:02:00Z')];
    const older = [msg('1', '2025-01-01T10:00:00Z'), msg('2', '2025-01-01T10:01:00Z')];
    expect(mergeMessages(list, older).map((m) => m.id)).toEqual(['1', '2', '3']);
  });

  it('never moves a delivery status backwards', () => {
    const sent = msg('1', '2025-01-01T10:00:00Z', {
      direction: 'outbound',
      status: 'delivered',
      provider_message_id: 'p1',
    });
    const stalePending = { ...sent, status: 'pending' as const, provider_message_id: null };
    const out = mergeMessages([sent], [stalePending]);
    expect(out[0].status).toBe('delivered');
    expect(out[0].provider_message_id).toBe('p1');
    const read = mergeMessages([sent], [{ ...sent, status: 'read' }]);
    expect(read[0].status).toBe('read');
  });

  it('does not mutate its input', () => {
    const list = [msg('1', '2025-01-01T10:00:00Z')];
    mergeMessages(list, [msg('2', '2025-01-01T09:00:00Z')]);
    expect(list.map((m) => m.id)).toEqual(['1']);
  });
});

describe('applyStatusChange', () => {
  it('updates status, provider id and error', () => {
    const list = [msg('1', '2025-01-01T10:00:00Z', { direction: 'outbound', status: 'pending' })];
    const out = applyStatusChange(list, {
      message_id: '1',
      status: 'failed',
      provider_message_id: null,
      error: 'number not on WhatsApp',
    });
    expect(out?.[0]).toMatchObject({ status: 'failed', error: 'number not on WhatsApp' });
    const sent = applyStatusChange(list, {
      message_id: '1',
      status: 'sent',
      provider_message_id: 'wamid.1',
      error: null,
    });
    expect(sent?.[0]).toMatchObject({ status: 'sent', provider_message_id: 'wamid.1', error: null });
  });

  it('returns null for unknown messages', () => {
    expect(
      applyStatusChange([], { message_id: 'x', status: 'sent', provider_message_id: null, error: null }),
    ).toBeNull();
  });
});

describe('previews', () => {
  it('uses body for text and caption for media', () => {
    expect(previewOf(msg('1', '2025-01-01T00:00:00Z', { body: 'Olá\n  tudo bem?' }))).toEqual({
      preview: 'Olá tudo bem?',
      direction: 'inbound',
      kind: 'text',
    });
    expect(
      previewOf(msg('1', '2025-01-01T00:00:00Z', { kind: 'image', body: null, caption: 'nota fiscal' })).preview,
    ).toBe('nota fiscal');
    expect(previewOf(msg('1', '2025-01-01T00:00:00Z', { kind: 'audio', body: null })).preview).toBe('');
  });

  it('only moves the list entry forward in time', () => {
    const c = conv('c1', '2025-01-02T00:00:00Z');
    expect(withLatestMessage(c, msg('old', '2025-01-01T00:00:00Z'))).toBe(c);
    const newer = withLatestMessage(c, msg('new', '2025-01-03T00:00:00Z', { direction: 'outbound', body: 'hi' }));
    expect(newer.last_activity_at).toBe('2025-01-03T00:00:00Z');
    expect(newer.last_message).toEqual({ preview: 'hi', direction: 'outbound', kind: 'text' });
  });
});
